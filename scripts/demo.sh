#!/usr/bin/env bash
# The embedded demo from the command line: the operator simulator (ofd-sim) on
# 127.0.0.1:7777 with its receipt-check page on :7778, a fresh DEMO register in
# ./demo-data linked to it, a few sales (each fiscalised by the simulator), a return,
# cash in, X, Z, a short outage with autonomous receipts and their replay, and the
# integrity check. Demo documents are marked as demo everywhere. (The virtual printer
# and the desktop app come with later issues.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin sauda --bin ofd-sim
export SAUDA_KEY_STORE="${SAUDA_KEY_STORE:-file}"
BIN="${CARGO_TARGET_DIR:-./target}/release"
S="$BIN/sauda --data demo-data"
"$BIN/ofd-sim" --listen 127.0.0.1:7777 --check 127.0.0.1:7778 --control 127.0.0.1:7779 \
    --device 1:1000001:DEMO00000001 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
sleep 0.5
# Fault injection: one line to the simulator's control port.
fault() { exec 3<>/dev/tcp/127.0.0.1/7779; echo "$1" >&3; read -r _ <&3; exec 3>&-; }
rm -rf demo-data
$S init --demo --admin-pin 1234 --admin-name "Әкімші"
$S user add --pin 1234 --role cashier --name "Айгүл" --new-pin 5678
$S cash-in --pin 1234 10000
$S sale --pin 5678 --item 'Нан;250;2' --item 'Сүт 2,5 %;610.50;1;10;dairy' --pay cash:2000
$S sale --pin 5678 --item 'Қант;1000;1.5;16;1;-10%' --pay card:1350
$S sale --pin 5678 --item 'Шай;1890;1' --item 'Алма;990;0.75' --pay mobile:1000 --pay cash:1632.50 --buyer-iin 900101300017
$S return --pin 5678 --of 2 --line 1:1
$S x --pin 1234
$S report by-section --pin 1234
$S link status --pin 1234
echo "--- the operator goes away: the register works on, autonomous (R-54) ---"
fault down
$S sale --pin 5678 --item 'Су;300;2' --pay cash:600
$S sale --pin 5678 --item 'Нан;250;1' --pay card:250
$S link status --pin 1234
echo "--- the operator is back: the queue is replayed in order (R-64, R-65) ---"
fault up
$S link test --pin 1234
$S z --pin 1234
$S verify
echo "Receipt-check page of the first sale: http://127.0.0.1:7778/?i=9001 (open it while the simulator runs)"
