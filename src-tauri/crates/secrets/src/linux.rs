//! Linux: the Secret Service (GNOME Keyring, KWallet) over one D-Bus
//! connection kept for the life of the process.
//!
//! Why not `keyring::Entry` here: it opens a new connection and Secret
//! Service session for every call and drops it straight after. That
//! connect–call–disconnect churn trips a race in gnome-keyring-daemon
//! (`gkd_secret_service_get_pkcs11_session: assertion 'client' failed`,
//! then a GLib abort), which kills the daemon and with it every stored
//! sign-in until the session restarts: it happened in our test runs, and
//! users of other apps report the same crash from the same pattern. One
//! connection, reused, never gives the daemon a half-gone client.
//!
//! Items are written exactly as `keyring` writes them (same attributes and
//! label), so entries stay readable by either.

use std::collections::HashMap;
use std::sync::Mutex;

use dbus_secret_service::{EncryptionType, Error as SsError, Item, SecretService};

/// The process's connection; `None` until first use, and again after a
/// D-Bus failure so the next call reconnects (the daemon may have restarted).
static CONNECTION: Mutex<Option<SecretService>> = Mutex::new(None);

fn with_service<T>(call: impl FnOnce(&SecretService) -> Result<T, SsError>) -> keyring::Result<T> {
    let mut connection = CONNECTION.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if connection.is_none() {
        *connection = Some(SecretService::connect(EncryptionType::Dh).map_err(failure)?);
    }
    let service = connection.as_ref().expect("connected just above");
    let result = call(service);
    if matches!(result, Err(SsError::Dbus(_) | SsError::Unavailable)) {
        *connection = None;
    }
    result.map_err(failure)
}

/// The same split `keyring` makes: locked or absent storage is "no access",
/// anything else a platform failure.
fn failure(error: SsError) -> keyring::Error {
    match error {
        SsError::Locked | SsError::NoResult | SsError::Prompt | SsError::Unavailable => {
            keyring::Error::NoStorageAccess(Box::new(error))
        }
        other => keyring::Error::PlatformFailure(Box::new(other)),
    }
}

/// `keyring`'s attributes for an entry in the default collection.
fn attributes<'a>(service: &'a str, key: &'a str) -> HashMap<&'a str, &'a str> {
    HashMap::from([("service", service), ("username", key), ("target", "default")])
}

/// The one item stored under (service, key), unlocked, or `None`.
fn find<'s>(ss: &'s SecretService, service: &str, key: &str) -> Result<Option<Item<'s>>, SsError> {
    let found = ss.search_items(attributes(service, key))?;
    let item = found.unlocked.into_iter().chain(found.locked).next();
    if let Some(item) = &item {
        item.ensure_unlocked()?;
    }
    Ok(item)
}

pub fn get(service: &str, key: &str) -> keyring::Result<Option<String>> {
    let secret = with_service(|ss| match find(ss, service, key)? {
        Some(item) => item.get_secret().map(Some),
        None => Ok(None),
    })?;
    secret
        .map(|bytes| String::from_utf8(bytes).map_err(|e| keyring::Error::BadEncoding(e.into_bytes())))
        .transpose()
}

pub fn set(service: &str, key: &str, value: &str) -> keyring::Result<()> {
    with_service(|ss| {
        let collection = ss.get_default_collection()?;
        collection.ensure_unlocked()?;
        let mut attributes = attributes(service, key);
        attributes.insert("application", "rust-keyring");
        // Replaces an item with the same attributes, so a key holds one value.
        let label = format!("{key}@{service}:default (keyring v3.6.3)");
        collection.create_item(&label, attributes, value.as_bytes(), true, "text/plain").map(|_| ())
    })
}

/// Removes the entry; `Ok(false)` when there was none.
pub fn delete(service: &str, key: &str) -> keyring::Result<bool> {
    with_service(|ss| match find(ss, service, key)? {
        Some(item) => item.delete().map(|()| true),
        None => Ok(false),
    })
}
