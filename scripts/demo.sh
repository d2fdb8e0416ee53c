#!/usr/bin/env bash
# The embedded demo from the command line: a fresh DEMO register in ./demo-data, a few
# sales, a return, cash in, X, Z and the integrity check. Its documents are marked as
# demo everywhere and are not fiscal. (The operator simulator, the virtual printer and
# the desktop app come with later issues; until then this is the demo.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin sauda
export SAUDA_KEY_STORE="${SAUDA_KEY_STORE:-file}"
S="./target/release/sauda --data demo-data"
[ -n "${CARGO_TARGET_DIR:-}" ] && S="$CARGO_TARGET_DIR/release/sauda --data demo-data"
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
$S z --pin 1234
$S verify
