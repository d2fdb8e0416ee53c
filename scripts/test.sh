#!/usr/bin/env bash
# Runs every check and test of the workspace. Needs Rust, and installs the few Debian
# packages the device and keychain tests use (scripts/deps.sh); SQLite is compiled in.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
# CI and servers have no OS keychain: keep the chain key of test registers in files.
export SAUDA_KEY_STORE=file
# The UI first: the desktop app (src-tauri) embeds ui/dist when it compiles.
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run build --silent
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all --check; else echo "rustfmt not installed: format check skipped"; fi
if cargo clippy --version >/dev/null 2>&1; then cargo clippy --workspace --all-targets -- -D warnings; else echo "clippy not installed: lint skipped"; fi
cargo test --workspace
# `cargo test` has just rewritten the UI's types from the Rust DTOs (ts-rs): they must
# be what is committed, or the UI would be checked against stale types.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  stale="$(git status --porcelain -- ui/src/lib/generated)"
  if [ -n "$stale" ]; then
    echo "ui/src/lib/generated is stale (run cargo test and commit it):"; echo "$stale"; exit 1
  fi
fi
bash scripts/windows-check.sh
# Smoke run of the benchmarks (small sizes, debug build: not the README figures).
cargo run --quiet --bin sauda -- bench --quick
cargo run --quiet --bin sauda -- bench --quick --link
cargo run --quiet --bin sauda -- bench --quick --print
# The chain key in a real OS keychain (skipped, with a note, without gnome-keyring).
cargo build --quiet --bin sauda
bash scripts/keychain.sh "${CARGO_TARGET_DIR:-target}/debug/sauda"
# The web UI: types, unit tests, build, then the end-to-end run in headless Chromium
# against `sauda serve --demo` (screenshots in ui/e2e/out/).
npm --prefix ui run check --silent
npm --prefix ui test --silent
SAUDA_BIN="$(realpath "${CARGO_TARGET_DIR:-target}/debug/sauda")" npm --prefix ui run e2e --silent
# The desktop app on a virtual display: login, a sale by keyboard, the receipt, a clean exit.
cargo build --quiet -p sauda-desktop
bash scripts/desktop-smoke.sh "${CARGO_TARGET_DIR:-target}/debug"
cargo xtask trace | tail -2
