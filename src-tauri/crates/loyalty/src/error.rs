//! The loyalty crate's one error type. `Invalid` messages are written for
//! the merchant and say what to fix.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error("This {0} no longer exists.")]
    NotFound(&'static str),
    #[error(transparent)]
    Store(#[from] counterline_store::Error),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("the database holds a value this version does not understand: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
