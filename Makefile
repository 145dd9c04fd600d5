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

.PHONY: run test deps system-deps tauri-driver ui-deps ui bindings-check bench clean

run: deps ui
	cargo run --bin counterline

test: deps ui
	cd ui && npm test
	cd tests/graphql && npm test
	tests/session.sh cargo test --workspace --no-fail-fast
	$(MAKE) bindings-check

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
