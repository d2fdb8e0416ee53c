#!/usr/bin/env bash
# The cashier app in a browser, on a fresh DEMO register: builds the web UI (npm) and
# `sauda`, then runs `sauda serve --demo` with the operator simulator in-process and a
# virtual printer whose receipts appear on screen after each payment. Prints the URL of
# the cashier page and the demo PINs (cashier 5678, manager 4321, administrator 1234).
# Ctrl-C stops it. Needs Rust and Node (npm); nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run build --silent
cargo build --quiet --release --bin sauda
export SAUDA_KEY_STORE="${SAUDA_KEY_STORE:-file}"
rm -rf demo-web
exec "${CARGO_TARGET_DIR:-./target}/release/sauda" --data demo-web serve --demo --ui ui/dist "$@"
