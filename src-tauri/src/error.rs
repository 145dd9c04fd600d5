//! The IPC error: `{code, message}`. The UI branches on `code` and shows
//! `message`, which is written for the merchant and never carries a secret.

use serde::Serialize;
use ts_rs::TS;

use counterline_channels::Error as ChannelError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    KeychainUnavailable,
    InvalidInput,
    CallbackRejected,
    ChannelUnreachable,
    ChannelAuth,
    ChannelResponse,
    NotFound,
    Database,
    Internal,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError { code, message: message.into() }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<counterline_store::Error> for IpcError {
    fn from(error: counterline_store::Error) -> IpcError {
        IpcError::from(&error)
    }
}

impl From<&counterline_store::Error> for IpcError {
    fn from(error: &counterline_store::Error) -> IpcError {
        let code = match error {
            counterline_store::Error::NotFound(_) => ErrorCode::NotFound,
            counterline_store::Error::Refused(_) => ErrorCode::InvalidInput,
            counterline_store::Error::File { .. } => ErrorCode::Internal,
            _ => ErrorCode::Database,
        };
        IpcError::new(code, error.to_string())
    }
}

impl From<counterline_secrets::Error> for IpcError {
    fn from(error: counterline_secrets::Error) -> IpcError {
        IpcError::new(ErrorCode::KeychainUnavailable, error.to_string())
    }
}

impl From<&ChannelError> for IpcError {
    fn from(error: &ChannelError) -> IpcError {
        let code = match error {
            ChannelError::InvalidInput(_) | ChannelError::Registration { .. } => ErrorCode::InvalidInput,
            ChannelError::Callback(_) => ErrorCode::CallbackRejected,
            ChannelError::Unreachable { .. } | ChannelError::Transient { .. } => ErrorCode::ChannelUnreachable,
            ChannelError::Auth { .. } => ErrorCode::ChannelAuth,
            ChannelError::Response { .. } => ErrorCode::ChannelResponse,
            ChannelError::Store(_) => ErrorCode::Database,
            ChannelError::Keychain(_) => ErrorCode::KeychainUnavailable,
            ChannelError::Browser(_) | ChannelError::Internal(_) => ErrorCode::Internal,
        };
        IpcError::new(code, error.to_string())
    }
}

impl From<ChannelError> for IpcError {
    fn from(error: ChannelError) -> IpcError {
        IpcError::from(&error)
    }
}

impl From<&counterline_loyalty::Error> for IpcError {
    fn from(error: &counterline_loyalty::Error) -> IpcError {
        use counterline_loyalty::Error as E;
        match error {
            E::Invalid(_) => IpcError::new(ErrorCode::InvalidInput, error.to_string()),
            E::NotFound(_) => IpcError::new(ErrorCode::NotFound, error.to_string()),
            E::Store(e) => e.into(),
            E::Sql(_) | E::Corrupt(_) => IpcError::new(ErrorCode::Database, error.to_string()),
        }
    }
}

impl From<counterline_loyalty::Error> for IpcError {
    fn from(error: counterline_loyalty::Error) -> IpcError {
        IpcError::from(&error)
    }
}

/// By reference too: the sync engine reports a run's end to every observer.
impl From<&counterline_sync::Error> for IpcError {
    fn from(error: &counterline_sync::Error) -> IpcError {
        match error {
            counterline_sync::Error::Channel(e) => e.into(),
            counterline_sync::Error::Store(e) => e.into(),
            counterline_sync::Error::Loyalty(e) => e.into(),
            e @ (counterline_sync::Error::Paused
            | counterline_sync::Error::PushOnly
            | counterline_sync::Error::AlreadyRunning) => IpcError::new(ErrorCode::InvalidInput, e.to_string()),
            e @ counterline_sync::Error::Writer(_) => IpcError::new(ErrorCode::Internal, e.to_string()),
        }
    }
}

impl From<counterline_sync::Error> for IpcError {
    fn from(error: counterline_sync::Error) -> IpcError {
        IpcError::from(&error)
    }
}
