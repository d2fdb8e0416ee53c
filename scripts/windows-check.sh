#!/usr/bin/env bash
# Compile-checks (and lints) the Windows code paths from Linux: the spooler's RAW
# printing (printers/src/spooler.rs), COM ports, the CLI, the server and the desktop
# app (WebView2, the Windows subsystem, the icon resource), for the
# x86_64-pc-windows-gnu target (research/ecosystem.md §6). Running them needs Windows.
# Skipped with a note when the target or the MinGW compiler cannot be had here.
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  rustup target add "$target" >/dev/null 2>&1 || { echo "windows check skipped: cannot add the $target target"; exit 0; }
fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  echo "windows check skipped: x86_64-w64-mingw32-gcc missing (apt-get install gcc-mingw-w64-x86-64)"
  exit 0
fi
cargo clippy --quiet --target "$target" -p sauda-printers -p sauda-cli -p sauda-server -p sauda-desktop -- -D warnings
echo "windows check: sauda-printers, sauda-cli, sauda-server and sauda-desktop compile for $target"
