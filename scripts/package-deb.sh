#!/usr/bin/env bash
# Builds the Linux till package: target/sauda_VERSION_amd64.deb with the desktop app
# (sauda-desktop, release, UI embedded), the service CLI (sauda), a menu entry and the
# icon. Needs what scripts/deps.sh installs plus dpkg-deb (every Debian/Ubuntu has it).
# Installing: sudo apt install ./sauda_VERSION_amd64.deb (pulls WebKitGTK).
# Windows: the NSIS installer is configured in src-tauri/tauri.conf.json and is made on
# a Windows machine with `npx @tauri-apps/cli@2.12.3 build --bundles nsis`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
npm --prefix ui ci --no-audit --no-fund --loglevel=error
npm --prefix ui run build --silent
cargo build --release -p sauda-desktop --features sauda-desktop/custom-protocol -p sauda-cli
TARGET="${CARGO_TARGET_DIR:-target}"
VERSION="$(grep -m1 '^version' src-tauri/Cargo.toml | cut -d'"' -f2)"
ROOT="$(mktemp -d)/sauda_${VERSION}_amd64"
trap 'rm -rf "$(dirname "$ROOT")"' EXIT
install -Dm755 "$TARGET/release/sauda-desktop" "$ROOT/usr/bin/sauda-desktop"
install -Dm755 "$TARGET/release/sauda" "$ROOT/usr/bin/sauda"
install -Dm644 src-tauri/icons/icon.png "$ROOT/usr/share/icons/hicolor/256x256/apps/sauda.png"
install -d "$ROOT/usr/share/applications" "$ROOT/DEBIAN"
cat >"$ROOT/usr/share/applications/sauda.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Sauda
Comment=Касса / Касса: point of sale and cash register
Exec=sauda-desktop
Icon=sauda
Categories=Office;Finance;
Terminal=false
DESKTOP
cat >"$ROOT/DEBIAN/control" <<CONTROL
Package: sauda
Version: $VERSION
Architecture: amd64
Maintainer: Sauda developers <dev@sauda.kz>
Depends: libwebkit2gtk-4.1-0, libgtk-3-0
Section: misc
Priority: optional
Installed-Size: $(du -sk "$ROOT/usr" | cut -f1)
Description: Sauda point of sale and cash register (АБК) for shops in Kazakhstan
 A till that is itself a legal cash register: receipts fiscalised with the
 operator (ОФД), printed in Kazakh and Russian on ESC/POS printers.
CONTROL
mkdir -p "$TARGET"
dpkg-deb --build --root-owner-group "$ROOT" "$TARGET/sauda_${VERSION}_amd64.deb" >/dev/null
echo "$TARGET/sauda_${VERSION}_amd64.deb: $(du -h "$TARGET/sauda_${VERSION}_amd64.deb" | cut -f1)"
