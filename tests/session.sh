#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session, the way the tests need the
# real parts: a private D-Bus session bus, gnome-keyring's Secret Service
# unlocked with a throwaway password, an Xvfb display, and a fresh HOME so no
# test ever touches a real keychain, app-data folder or .desktop handler.
#
#   tests/session.sh cargo test --workspace
set -euo pipefail

if [ -z "${COUNTERLINE_IN_SESSION:-}" ]; then
  export COUNTERLINE_IN_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi

# Toolchains live under the real HOME; pin them before HOME changes.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
export PATH="$CARGO_HOME/bin:$PATH"

session_root="$(mktemp -d -t counterline-session.XXXXXX)"
export HOME="$session_root/home"
export XDG_RUNTIME_DIR="$session_root/run"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

# gnome-keyring's Secret Service with an unlocked login collection; without
# the password the default collection does not exist and keyring answers
# NoStorageAccess. It runs in the foreground as this script's child, logging
# to a file that is printed if it ends early: that is how its crash on
# short-lived clients was found (see src-tauri/crates/secrets/src/linux.rs).
keyring_log="$session_root/keyring.log"
(cd / && exec gnome-keyring-daemon --foreground --unlock --components=secrets <<<"counterline-test" >"$keyring_log" 2>&1) &
keyring_pid=$!
for _ in $(seq 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.1
done

display_number=$(( 90 + RANDOM % 400 ))
Xvfb ":$display_number" -screen 0 1280x800x24 -nolisten tcp >"$session_root/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display_number"
cleanup() {
  kill "$xvfb_pid" 2>/dev/null || true
  if ! kill "$keyring_pid" 2>/dev/null; then
    echo "gnome-keyring-daemon ended before the tests did; its log:" >&2
    cat "$keyring_log" >&2 || true
  fi
  rm -rf "$session_root"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display_number" ] && break; sleep 0.1; done

"$@"
