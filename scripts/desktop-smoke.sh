#!/usr/bin/env bash
# The desktop app on a virtual display (issue 6): it starts, reaches the login screen
# (screenshot, checked not blank), a cashier logs in and sells with the keyboard alone,
# a USB-COM scanner (a socat pty pair) adds the demo's bread by its EAN (issue 7),
# the printed receipt's picture shows beside the change; the cashier returns the bread
# (F3, the receipt's number, * for the whole line, Enter), logs out, the manager logs in
# with the PIN and closes the shift with a Z (F4, F10, Enter), and the app exits cleanly
# with status 0. The sale, the return and the Z are then read back from the register
# with the CLI. Then the app starts again on that register with the inspector's LAN
# server (issue 8). The one click is the logout button at the header's right end.
# Screenshots: ui/e2e/out/desktop-*.png. Usage: scripts/desktop-smoke.sh [BIN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN_DIR="${1:-${CARGO_TARGET_DIR:-target}/debug}"
OUT=ui/e2e/out
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
export SAUDA_KEY_STORE=file WORK OUT BIN_DIR

xvfb-run -a -s "-screen 0 1024x768x24" bash -c '
  set -euo pipefail
  shot() { import -window root "$OUT/desktop-$1.png"; }
  socat pty,raw,echo=0,link="$WORK/scanner-app" pty,raw,echo=0,link="$WORK/scanner-dev" &
  pty=$!
  for _ in $(seq 50); do [ -e "$WORK/scanner-dev" ] && break; sleep 0.1; done
  "$BIN_DIR/sauda-desktop" --demo --data "$WORK/register" --scanner "$WORK/scanner-app" --exit-after-ms 40000 2>"$WORK/stderr" &
  app=$!
  for _ in $(seq 300); do grep -q "first screen loaded" "$WORK/stderr" && break; sleep 0.1; done
  grep "first screen loaded" "$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
  sleep 1; shot login
  xdotool type --delay 40 5678; xdotool key Return; sleep 2
  printf "4870001010010\r" > "$WORK/scanner-dev"; sleep 1; shot sale
  xdotool type --delay 40 250; xdotool key Return; sleep 0.5
  xdotool type --delay 40 "3*120"; xdotool key Return; sleep 0.5
  xdotool key F12; sleep 1; shot payment
  xdotool type --delay 40 1000; xdotool key Return; sleep 3; shot receipt
  # The bread goes back: receipt 1, its first line whole.
  xdotool key Return; sleep 1; xdotool key F3; sleep 1
  xdotool type --delay 40 1; xdotool key Return; sleep 1.5
  xdotool key asterisk; sleep 0.5; shot return
  xdotool key Return; sleep 3; shot return-done
  # The manager closes the shift: logout (top right), PIN, F4, F10, Enter.
  xdotool mousemove 990 30 click 1; sleep 1.5
  xdotool type --delay 40 4321; xdotool key Return; sleep 2
  xdotool key F4; sleep 1; xdotool key F10; sleep 0.5; xdotool key Return; sleep 3; shot z
  wait "$app"; echo "sauda-desktop exited with status $?"
  kill "$pty" 2>/dev/null || true
  # The LAN server for the inspector (issue 8): started with the app, its screen for the
  # administrator, and inspector.html from inside the binary over HTTPS only.
  "$BIN_DIR/sauda-desktop" --data "$WORK/register" --lan-server 127.0.0.1:0 --exit-after-ms 15000 2>"$WORK/stderr-lan" &
  app=$!
  for _ in $(seq 300); do grep -q "first screen loaded" "$WORK/stderr-lan" && break; sleep 0.1; done
  url=$(grep -o "https://[^ ]*/inspector.html" "$WORK/stderr-lan") || { cat "$WORK/stderr-lan"; exit 1; }
  sleep 1; xdotool type --delay 40 1234; xdotool key Return; sleep 2
  xdotool mousemove 635 30 click 1; sleep 1; xdotool mousemove 740 100 click 1; sleep 2; shot lan
  curl -sk "$url" | grep -q "Салық инспекторының жұмыс орны" || { echo "no inspector page at $url"; exit 1; }
  if curl -s --max-time 5 "http://${url#https://}" >/dev/null 2>&1; then echo "plain HTTP answered on the LAN port"; exit 1; fi
  wait "$app"; echo "sauda-desktop (LAN server) exited with status $?"
'
# Not blank: a screen of one colour has no spread.
for screen in login sale receipt return-done z lan; do
  spread=$(convert "$OUT/desktop-$screen.png" -colorspace Gray -format "%[fx:standard_deviation]" info:)
  awk -v s="$spread" -v n="$screen" 'BEGIN { if (s < 0.05) { print n " screenshot is blank (" s ")"; exit 1 } }'
done
# The electronic receipt's check URL carries the sum and the operator's fiscal sign.
url=$("$BIN_DIR/sauda" --data "$WORK/register" receipt 1 --pin 5678 --json 2>/dev/null \
  | grep -o '"check_url":"[^"]*"' || true)
case "$url" in

  *"i=9001"*"s=790.00"*) ;;
  *) echo "the desktop sale is not in the journal as 790.00 (bread scanned + 250 + 3*120) with a fiscal sign (got '$url')"; exit 1 ;;
esac
# The return of the bread and the Z that closed the shift, read back from the journal.
back=$("$BIN_DIR/sauda" --data "$WORK/register" receipt 2 --pin 5678 --json 2>/dev/null || true)
case "$back" in
  *"САТУДЫ ҚАЙТАРУ"*"s=180.00"*|*"s=180.00"*"САТУДЫ ҚАЙТАРУ"*) ;;
  *) echo "receipt 2 is not the return of the bread (180.00) after the desktop run (got '${back:0:400}')"; exit 1 ;;
esac
state=$("$BIN_DIR/sauda" --data "$WORK/register" status --pin 4321 --json 2>/dev/null || true)
case "$state" in
  *'"number":2,'*'"state":"closed"'*) ;;
  *) echo "shift 1 is not closed after the desktop Z (got '$state')"; exit 1 ;;
esac
echo "desktop smoke: login, a serial-scanner scan, sale of 790.00 paid in cash, receipt shown, the bread returned, Z by the manager, clean exit; the inspector's LAN server over HTTPS only (screenshots in $OUT/desktop-*.png)"
