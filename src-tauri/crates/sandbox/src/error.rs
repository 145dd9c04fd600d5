//! The crate's one error type.

use std::net::SocketAddr;

/// Why the sandbox could not start or keep running.
#[derive(thiserror::Error, Debug)]
pub enum SandboxError {
    #[error("the sandbox needs at least one shop")]
    NoShops,
    #[error(
        "{0:?} is not a valid shop domain (expected something like counterline-demo.myshopify.com)"
    )]
    InvalidShop(String),
    #[error("shop {0:?} is configured more than once")]
    DuplicateShop(String),
    #[error("{platform} store {store:?} is invalid: {reason}")]
    InvalidStore {
        platform: &'static str,
        store: String,
        reason: String,
    },
    #[error("{platform} store {store:?} is configured more than once")]
    DuplicateStore {
        platform: &'static str,
        store: String,
    },
    #[error("currency {0:?} is not one the sandbox sells in (USD, CAD, EUR, NZD, AUD)")]
    UnsupportedCurrency(String),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("generating the sandbox data failed: {0}")]
    Generate(String),
    #[error("the sandbox server failed: {0}")]
    Serve(#[source] std::io::Error),
    #[error("invalid command line: {0}")]
    Usage(String),
    #[error("invalid fault spec {spec:?}: {reason}")]
    FaultSpec { spec: String, reason: String },
}
