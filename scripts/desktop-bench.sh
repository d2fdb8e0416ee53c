#!/usr/bin/env bash
# Desktop cold start (issue 6 benchmark): the time from launching sauda-desktop to its
# first screen (the login page, with the demo register, its simulator and printer
# started) against an empty Tauri window of the same binary (--blank), measured the
# same way in the same run on a virtual display. Prints each median and the ratio.
# Usage: scripts/desktop-bench.sh [BIN_DIR] [RUNS]   (release build for the figure:
#   cargo build --release --features custom-protocol -p sauda-desktop)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release}/sauda-desktop"
RUNS="${2:-7}"
export BIN RUNS SAUDA_KEY_STORE=file
xvfb-run -a -s "-screen 0 1024x768x24" bash -c '
  set -euo pipefail
  once() {
    local log; log="$(mktemp)"
    local t0; t0=$(date +%s%N)
    "$BIN" "$@" --exit-after-ms 300 2>"$log" &
    local app=$!
    until grep -q "first screen loaded" "$log"; do
      kill -0 "$app" 2>/dev/null || { cat "$log" >&2; exit 1; }
      sleep 0.005
    done
    echo $(( ($(date +%s%N) - t0) / 1000000 ))
    wait "$app"; rm -f "$log"
  }
  median() { sort -n | awk "{ a[NR] = \$1 } END { print a[int((NR + 1) / 2)] }"; }
  once --blank >/dev/null   # warms the disk cache for both, like a till after boot
  blank=$(for _ in $(seq "$RUNS"); do once --blank; done | median)
  app=$(for _ in $(seq "$RUNS"); do once; done | median)
  echo "empty Tauri window: ${blank} ms (median of $RUNS)"
  echo "sauda-desktop to the login screen (demo register started): ${app} ms (median of $RUNS)"
  awk -v a="$app" -v b="$blank" "BEGIN { printf \"ratio to the empty window: %.2f\n\", a / b }"
'
