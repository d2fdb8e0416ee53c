#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests need, only those missing, so that the
# README's commands work on a fresh machine. Without root it uses sudo.
#   socat          pty pairs for the serial printer and scanner tests (../shared/spec/devices.md §4.5)
#   gnome-keyring  a real Secret Service for the keychain test (scripts/keychain.sh)
#   dbus           dbus-run-session, the private session bus that test runs on
#   chromium       the headless browser the UI's end-to-end test drives (playwright-core)
#   gcc-mingw-w64-x86-64  C compiler for the Windows compile check (SQLite is C; scripts/windows-check.sh)
#   libwebkit2gtk-4.1-dev, pkg-config  the desktop app's webview (Tauri 2 on Linux; pulls gtk3, soup3, dbus)
#   xvfb, xauth, imagemagick, xdotool  a virtual display, screenshots and a keyboard for the desktop app's test
#   curl           fetches the inspector's page from the desktop app's LAN server over HTTPS
set -euo pipefail
missing=""
command -v socat >/dev/null 2>&1 || missing="$missing socat"
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing="$missing gnome-keyring"
command -v dbus-run-session >/dev/null 2>&1 || missing="$missing dbus"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing="$missing gcc-mingw-w64-x86-64"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
pkg-config --exists webkit2gtk-4.1 2>/dev/null || missing="$missing libwebkit2gtk-4.1-dev"
command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
command -v xauth >/dev/null 2>&1 || missing="$missing xauth"
command -v import >/dev/null 2>&1 || missing="$missing imagemagick"
command -v xdotool >/dev/null 2>&1 || missing="$missing xdotool"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
