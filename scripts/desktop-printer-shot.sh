#!/usr/bin/env bash
# The desktop app's Printer tab on a virtual display (issue 6), on the demo register:
# the administrator opens Settings → Printer, prints the test page to the demo's
# virtual printer (its picture shows on the screen), scans 127.0.0.1 where a stand-in
# network printer listens on port 9100 (it answers DLE EOT "ready" and keeps what it
# gets), prints the test page there, saves it as the till's printer with the keyboard,
# and the screen is saved in Kazakh and in Russian. Then it checks, without looking,
# that the stand-in printer got ESC/POS bytes and that printer.toml names it.
# Screenshots: $OUT/desktop-printer-{virtual,kk,ru}.png (OUT=/tmp by default).
# Clicks go by coordinates on the 1024×768 screen (Kazakh, demo header): when the
# header or the tab's layout changes, adjust the positions below.
# Usage: scripts/desktop-printer-shot.sh [BIN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN_DIR="${1:-${CARGO_TARGET_DIR:-target}/debug}"
OUT="${OUT:-/tmp}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
export SAUDA_KEY_STORE=file WORK OUT BIN_DIR
unset SAUDA_PRINTER SAUDA_PRINTER_PROFILE
if ss -ltn 2>/dev/null | grep -q ':9100 '; then
  echo "port 9100 is taken on this machine: the stand-in network printer needs it"; exit 1
fi

# The stand-in network printer: answers every DLE EOT n with 12 (ready), appends the
# bytes of each connection that carried a job (ESC @) to $WORK/printer.bin.
cat >"$WORK/printer.py" <<'PY'
import socket, sys, threading
out = sys.argv[1]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 9100))
server.listen(8)
def serve(conn):
    data, i = b"", 0
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        while i + 3 <= len(data):
            if data[i] == 0x10 and data[i + 1] == 0x04 and 1 <= data[i + 2] <= 4:
                conn.sendall(b"\x12")
                i += 3
            else:
                i += 1
    conn.close()
    if b"\x1b@" in data:
        with open(out, "ab") as f:
            f.write(data)
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY

xvfb-run -a -s "-screen 0 1024x768x24" bash -c '
  set -euo pipefail
  shot() { import -window root "$OUT/desktop-printer-$1.png"; }
  click() { xdotool mousemove "$1" "$2" click 1; }
  python3 "$WORK/printer.py" "$WORK/printer.bin" &
  printer=$!
  "$BIN_DIR/sauda-desktop" --demo --data "$WORK/register" --exit-after-ms 40000 2>"$WORK/stderr" &
  app=$!
  for _ in $(seq 300); do grep -q "first screen loaded" "$WORK/stderr" && break; sleep 0.1; done
  grep "first screen loaded" "$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
  sleep 1; xdotool type --delay 40 1234; xdotool key Return; sleep 2
  click 720 30; sleep 0.5        # ҚАЗ: the language a run before may have left is kept
  click 635 30; sleep 1          # Settings (Баптаулар) in the header
  click 530 100; sleep 2         # the Printer (Принтер) tab
  click 646 613; sleep 3         # Print test page: the demo virtual printer is filled in
  shot virtual
  xdotool mousemove 500 400 click --repeat 10 --delay 30 4; sleep 0.5   # back to the top
  click 175 560; xdotool type --delay 20 127.0.0.1; xdotool key Return; sleep 3  # scan
  click 765 283; xdotool key ctrl+a; xdotool type --delay 20 tcp:127.0.0.1:9100
  xdotool key Return; sleep 3    # Enter in the target field prints the test page
  xdotool key Tab Tab Tab Return; sleep 3   # profile, test, Save
  shot kk
  click 779 30; sleep 1          # РУС
  shot ru
  click 720 30; sleep 0.5        # ҚАЗ again, for the next run and the smoke script
  wait "$app"; echo "sauda-desktop exited with status $?"
  kill "$printer" 2>/dev/null || true
'
for screen in virtual kk ru; do
  spread=$(convert "$OUT/desktop-printer-$screen.png" -colorspace Gray -format "%[fx:standard_deviation]" info:)
  awk -v s="$spread" -v n="$screen" 'BEGIN { if (s < 0.05) { print n " screenshot is blank (" s ")"; exit 1 } }'
done
[ -s "$WORK/register/receipts/test-page.png" ] || { echo "no test page from the virtual printer"; exit 1; }
[ -s "$WORK/printer.bin" ] || { echo "the network printer got no job (a click missed?)"; exit 1; }
LC_ALL=C grep -qa $'\x1b@' "$WORK/printer.bin" || { echo "the network printer got no ESC @"; exit 1; }
grep -q 'target = "tcp:127.0.0.1:9100"' "$WORK/register/printer.toml" \
  || { echo "printer.toml does not name the network printer (Save missed?)"; cat "$WORK/register/printer.toml" 2>/dev/null; exit 1; }
echo "printer tab: virtual test page shown, 127.0.0.1 scanned, test page sent over TCP 9100 ($(wc -c <"$WORK/printer.bin") bytes), saved to printer.toml (screenshots $OUT/desktop-printer-*.png)"
