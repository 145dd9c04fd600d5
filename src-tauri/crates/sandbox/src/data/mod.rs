//! Platform-neutral commerce history generated from a seed.
//!
//! This module owns *what happened* in the fake shops: orders, their lines,
//! money in integer cents, timestamps as unix seconds, statuses. It knows
//! nothing about how a platform spells any of it; `shopify::shape`,
//! `bigcommerce::shape` and `woocommerce::shape` turn an [`orders::Order`]
//! into each platform's JSON. [`ledger`] keeps a REST platform's orders and
//! refunds; [`till`] reshapes orders into a shop counter's sales, returns
//! and customer records for the point-of-sale platforms (`xseries`,
//! `rseries`); [`priced`] re-prices an order in a store's own currency.

pub mod catalog;
pub mod clock;
pub mod ledger;
pub mod money;
pub mod orders;
pub mod priced;
pub mod till;

/// The seed of store `index` of a platform whose streams are mixed with
/// `salt`, so no two stores (on any platform) share an order stream.
pub fn stream_seed(seed: u64, salt: u64, index: u64) -> u64 {
    (seed ^ salt).wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// splitmix64's finaliser: spreads `x` into well-mixed bits, for ids and
/// codes derived from positions (deterministic, unlike `rand`).
pub fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}
