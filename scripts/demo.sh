#!/usr/bin/env bash
# The embedded demo: `sauda demo` runs the operator simulator in-process (protocol on
# 127.0.0.1:7777, receipt-check page on http://127.0.0.1:7778/), creates a fresh DEMO
# register in ./demo-data linked to it, and plays a short day through the command
# table: sales in cash, card and mobile (each fiscalised by the simulator), a return,
# a deposit, the X report, an outage with autonomous receipts and their replay, the Z
# report and the integrity check. Pass --stay to keep the simulator and its
# receipt-check page running afterwards (Ctrl-C stops it). The same register can then
# be used with the other `sauda --data demo-data ...` commands.
# (The virtual printer and the desktop app come with later issues.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin sauda
export SAUDA_KEY_STORE="${SAUDA_KEY_STORE:-file}"
rm -rf demo-data
"${CARGO_TARGET_DIR:-./target}/release/sauda" --data demo-data demo "$@"
