# Counterline: two commands on a fresh Debian/Ubuntu machine.
#   make run    installs what is needed and launches the app (demo mode without store accounts)
#   make test   installs what is needed and runs every test
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/counterline-target
export CARGO_TERM_COLOR ?= never

APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev \
  libssl-dev pkg-config webkit2gtk-driver xvfb gnome-keyring libsecret-1-dev dbus-x11 \
  xdg-utils desktop-file-utils imagemagick
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test rust-tests deps system-deps tauri-driver ui-deps ui bindings-check bench clean

run: deps ui
	cargo run --bin counterline

test: deps ui
	cd ui && npm test
	cd tests/graphql && npm test
	$(MAKE) rust-tests
	$(MAKE) bindings-check

# Each crate's tests get a session of their own (fresh D-Bus, keyring and
# display), so one crate's leftovers, or a keyring daemon that died, can't
# fail another crate's tests.
rust-tests:
	cargo test --workspace --no-run
	@failed=""; \
	for crate in $$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json, sys; print(*(p["name"] for p in json.load(sys.stdin)["packages"]))'); do \
	  echo "== $$crate"; \
	  tests/session.sh cargo test -p $$crate --no-fail-fast || failed="$$failed $$crate"; \
	done; \
	if [ -n "$$failed" ]; then echo "Tests failed in:$$failed"; exit 1; fi

deps: system-deps tauri-driver ui-deps

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

# npm ci would refuse: this registry mirror lacks some optional platform
# packages, so the lockfile can't list them; npm install leaves it unchanged.
ui-deps:
	cd ui && npm install --no-audit --no-fund
	cd tests/graphql && npm install --no-audit --no-fund

ui:
	cd ui && npm run build

# cargo test regenerates ui/src/bindings from the Rust types (ts-rs); any
# difference from the committed files means someone forgot to commit them.
bindings-check:
	@if [ -n "$$(git status --porcelain -- ui/src/bindings)" ]; then \
	  echo "Generated TypeScript bindings are stale; commit ui/src/bindings:"; \
	  git status --porcelain -- ui/src/bindings; git --no-pager diff -- ui/src/bindings | head -50; exit 1; \
	fi

bench: deps ui
	cargo run --release -p counterline-cli -- bench sync --orders 100000 --runs 3
	cargo run --release -p counterline-cli -- bench budget

clean:
	rm -rf ui/dist
