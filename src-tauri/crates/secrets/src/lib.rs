//! The OS keychain, and the only place Counterline keeps tokens and client
//! secrets: macOS Keychain, Windows Credential Manager, Linux Secret Service.
//!
//! Three verbs (`get`, `set`, `delete`) over a namespaced [`Keychain`]. Values
//! travel as [`Secret`], whose `Debug`/`Display` never print the value and
//! which cannot be serialized, so it can't leak into logs or IPC replies.
//! A missing entry is `Ok(None)`; a keychain that isn't there is
//! [`Error::Unavailable`] with words a merchant can act on. Nothing is ever
//! written anywhere else as a fallback.

use std::fmt;

#[cfg(target_os = "linux")]
mod linux;

/// A secret value. Deliberately not `Serialize`, `Display` or `PartialEq`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The raw value, for the one place that must send it (an HTTP header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "No system keychain is available, so Counterline can't store channel credentials. \
         Install or unlock a keyring (on Linux: GNOME Keyring or KWallet) and try again."
    )]
    Unavailable(#[source] keyring::Error),
    #[error("The system keychain refused the request: {0}")]
    Backend(#[source] keyring::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A namespace in the OS keychain (the "service" of every entry).
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// `service` namespaces every entry, e.g. the app identifier; tests use a
    /// unique one so they never touch a real install's entries.
    pub fn new(service: impl Into<String>) -> Keychain {
        Keychain { service: service.into() }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    #[cfg(not(target_os = "linux"))]
    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(classify)
    }

    pub fn get(&self, key: &str) -> Result<Option<Secret>> {
        #[cfg(target_os = "linux")]
        let found = linux::get(&self.service, key);
        #[cfg(not(target_os = "linux"))]
        let found = match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        };
        found.map(|value| value.map(Secret)).map_err(classify)
    }

    pub fn set(&self, key: &str, value: &Secret) -> Result<()> {
        #[cfg(target_os = "linux")]
        return linux::set(&self.service, key, &value.0).map_err(classify);
        #[cfg(not(target_os = "linux"))]
        self.entry(key)?.set_password(&value.0).map_err(classify)
    }

    /// Removes the entry; removing one that isn't there is not an error.
    pub fn delete(&self, key: &str) -> Result<()> {
        #[cfg(target_os = "linux")]
        return linux::delete(&self.service, key).map(|_| ()).map_err(classify);
        #[cfg(not(target_os = "linux"))]
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    /// Whether a keychain answers at all: a harmless read of a key nobody writes.
    pub fn probe(&self) -> Result<()> {
        self.get("counterline-probe").map(|_| ())
    }
}

fn classify(error: keyring::Error) -> Error {
    match error {
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            Error::Unavailable(error)
        }
        other => Error::Backend(other),
    }
}
