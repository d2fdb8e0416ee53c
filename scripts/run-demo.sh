#!/usr/bin/env bash
# The README's run command. On a machine with a display it starts the desktop app
# (sauda-desktop, Tauri) on a fresh DEMO register: the operator simulator in-process,
# a virtual printer whose receipts show after each payment. On a headless machine it
# runs `sauda serve --demo` instead and prints the URL of the cashier page to open
# from another computer. Demo PINs: cashier 5678, manager 4321, administrator 1234.
# Installs what is missing on Debian/Ubuntu (scripts/deps.sh), then builds the UI and
# the app; the first build takes about five minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: serving the cashier page instead (sauda serve --demo)"
  bash scripts/deps.sh
  exec bash scripts/serve-demo.sh "$@"
fi
bash scripts/deps.sh
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run build --silent
cargo build --quiet -p sauda-desktop
export SAUDA_KEY_STORE="${SAUDA_KEY_STORE:-file}"
exec "${CARGO_TARGET_DIR:-./target}/debug/sauda-desktop" --demo "$@"
