#!/usr/bin/env bash
# The chain key in a real OS keychain (R-25; issue 3, item 4): a Secret Service
# (gnome-keyring) on a private D-Bus session. A register keeps its key there, sells,
# verifies from a new process and from a new session; outside the session that holds
# the key it refuses with a clear message and changes nothing.
# Usage: scripts/keychain.sh PATH_TO_SAUDA_BINARY
set -euo pipefail
if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then
    echo "keychain check SKIPPED: needs gnome-keyring and dbus (apt-get install gnome-keyring dbus)"
    exit 0
fi
sauda=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" SAUDA_KEY_STORE=keychain
mkdir -p "$HOME"
data="$work/register"

in_session() {
    # A fresh D-Bus session with the keyring daemon unlocked by the same password.
    dbus-run-session -- bash -c '
        printf "sauda-ci" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        "$@"' _ "$@" 2>&1 | grep -v "Failed to set fd limit" || true
}
fail() { echo "keychain check FAILED: $*"; exit 1; }

out=$(in_session bash -c "
    '$sauda' --data '$data' init --demo --admin-pin 1111 &&
    '$sauda' --data '$data' sale --pin 1111 --item 'Нан;250;2' --pay cash:500 --json &&
    '$sauda' --data '$data' verify")
echo "$out" | grep -q '"total_tiyn":50000' || fail "sale in the keychain session: $out"
echo "$out" | grep -q '^intact' || fail "verify in the keychain session: $out"
[ ! -e "$data/chain.key" ] || fail "the key was written to a file although the keychain works"

out=$(in_session "$sauda" --data "$data" verify)
echo "$out" | grep -q '^intact' || fail "verify from a new session: $out"

set +e
out=$(env -u DBUS_SESSION_BUS_ADDRESS "$sauda" --data "$data" verify 2>&1)
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "verify without the keychain passed"
echo "$out" | grep -q 'CANNOT CHECK: the chain key of this register is kept in the OS keychain' \
    || fail "verify without the keychain said: $out"

out=$(in_session bash -c "
    '$sauda' --data '$data' sale --pin 1111 --item 'Сүт;480;1' --pay card:480 --json &&
    '$sauda' --data '$data' verify")
echo "$out" | grep -q '"number":2' || fail "second sale after the refused start: $out"
echo "$out" | grep -q '^intact' || fail "verify after the refused start: $out"
echo "keychain check: key in the Secret Service, sales and verify across sessions, clear refusal without it"
