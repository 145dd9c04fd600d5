//! The channels crate's one error type. Messages are written for the
//! merchant: what happened and what to do, never a token or secret.

/// Why a sign-in callback was refused. Each is a distinct, testable outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackProblem {
    #[error("the link is not a Counterline sign-in link")]
    Malformed,
    #[error("no sign-in was started for this link, so it may not be genuine")]
    UnknownAttempt,
    #[error("this sign-in link was already used")]
    Replayed,
    #[error("the sign-in took too long and expired; please start again")]
    Expired,
    #[error("the link's signature is not valid, so it was not sent by the platform")]
    BadSignature,
    #[error("the link is for a different store than the one you chose")]
    ForeignAccount,
    #[error("the link is for a different platform than the sign-in that was started")]
    WrongPlatform,
    #[error("access was not granted in the browser")]
    Denied,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("Sign-in refused: {0}. Nothing was saved.")]
    Callback(CallbackProblem),
    #[error("Couldn't reach {host}. Check the internet connection and the store address, then try again.")]
    Unreachable { host: String },
    #[error("{platform} rejected Counterline's credentials: {detail}. Re-authorize the channel.")]
    Auth { platform: &'static str, detail: String },
    #[error("{platform} sent a response Counterline could not read: {detail}")]
    Response { platform: &'static str, detail: String },
    #[error("{platform} is busy (rate limit or server error); Counterline will retry: {detail}")]
    Transient { platform: &'static str, detail: String },
    #[error("The app registration for {platform} is incomplete: {detail}")]
    Registration { platform: &'static str, detail: String },
    #[error("Couldn't open the browser: {0}")]
    Browser(String),
    #[error(transparent)]
    Store(#[from] counterline_store::Error),
    #[error(transparent)]
    Keychain(#[from] counterline_secrets::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Worth retrying later without the merchant doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Transient { .. } | Error::Unreachable { .. })
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
