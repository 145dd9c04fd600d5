//! Keychain specs, run against the real OS keychain. On Linux CI that is
//! gnome-keyring's Secret Service inside `dbus-run-session`, unlocked, with a
//! fresh HOME (see tests/session.sh). No mock: a missing
//! keychain makes these tests fail, which is the point.

use counterline_secrets::{Keychain, Secret};
use rand::Rng;

fn keychain() -> Keychain {
    // A unique namespace per run: never touches another run's or a user's entries.
    Keychain::new(format!("app.counterline.test.{:08x}", rand::thread_rng().gen::<u32>()))
}

#[test]
fn a_stored_secret_reads_back_and_is_gone_after_delete() {
    let keychain = keychain();
    keychain.probe().expect("the Secret Service must be running and unlocked for this test");
    keychain.set("channel/shopify/demo/access_token", &Secret::new("shpat_roundtrip")).expect("set");
    let got = keychain.get("channel/shopify/demo/access_token").expect("get").expect("present");
    assert_eq!(got.expose(), "shpat_roundtrip", "the keychain returns what was stored");
    keychain.delete("channel/shopify/demo/access_token").expect("delete");
    assert!(keychain.get("channel/shopify/demo/access_token").expect("get").is_none(), "deleted means gone");
}

#[test]
fn a_missing_entry_is_none_and_deleting_it_is_fine() {
    let keychain = keychain();
    assert!(keychain.get("never-written").expect("a missing entry is not an error").is_none());
    keychain.delete("never-written").expect("deleting a missing entry is not an error");
}

#[test]
fn overwriting_keeps_only_the_newest_value() {
    let keychain = keychain();
    keychain.set("rotating", &Secret::new("first")).unwrap();
    keychain.set("rotating", &Secret::new("second")).unwrap();
    assert_eq!(keychain.get("rotating").unwrap().unwrap().expose(), "second", "a rotated token replaces the old one");
    keychain.delete("rotating").unwrap();
}

#[test]
fn namespaces_do_not_see_each_other() {
    let a = keychain();
    let b = keychain();
    a.set("token", &Secret::new("only-in-a")).unwrap();
    assert!(b.get("token").unwrap().is_none(), "another namespace must not read it");
    a.delete("token").unwrap();
}

#[test]
fn debug_output_never_shows_the_value() {
    let secret = Secret::new("shpat_do_not_print");
    let printed = format!("{secret:?} {:?}", Some(&secret));
    assert!(!printed.contains("shpat_do_not_print"), "Debug must redact: {printed}");
}

/// Hundreds of calls from many threads, as a sync of several channels makes:
/// with a new D-Bus connection per call, gnome-keyring's daemon could die
/// mid-way (a race on disconnecting clients), failing every call after it.
#[test]
fn many_threads_storing_reading_and_deleting_at_once_all_succeed() {
    let keychain = keychain();
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let keychain = &keychain;
            scope.spawn(move || {
                for round in 0..40 {
                    let key = format!("channel/{thread}/token");
                    let value = format!("token-{thread}-{round}");
                    keychain.set(&key, &Secret::new(value.as_str())).expect("set under load");
                    let got = keychain.get(&key).expect("get under load").expect("present");
                    assert_eq!(got.expose(), value, "each thread reads back its own latest value");
                }
                keychain.delete(&format!("channel/{thread}/token")).expect("delete under load");
            });
        }
    });
    keychain.probe().expect("the keychain still answers afterwards");
}
