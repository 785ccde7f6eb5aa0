#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The Debian packages on a clean Debian 12: debootstrap makes a minimal bookworm, apt installs the
# four .deb files into it without recommended packages (so Depends alone must be enough), and
# inside that chroot the installed programs run: matrix-media-testserver, one verified upload
# with matrix-uploader-cli (downloaded again and compared), the app's --version and a short
# offscreen run, and the installed QML module imported by Qt's qml tool. Takes some minutes
# (debootstrap and the downloads); packaging/README.md says when it last passed.
#
# Usage: scripts/package-smoke.sh [DEB_DIR]
#   DEB_DIR  a folder with the four .deb files; without it packaging/build-debs.sh builds them
#            in build/deb.
# Environment: MU_SMOKE_MIRROR (default: the Debian mirror of /etc/apt/sources.list*, else
# http://deb.debian.org/debian), MU_SMOKE_KEEP=1 keeps the chroot. Runs as root (chroot, mount).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
    echo "package-smoke: run as root (debootstrap, chroot and mount need it)" >&2
    exit 1
fi
command -v debootstrap >/dev/null || { echo "package-smoke: install debootstrap (scripts/install-deps.sh)" >&2; exit 1; }

debs=${1:-}
if [ -z "$debs" ]; then
    echo "package-smoke: building the packages in build/deb"
    debs=$(packaging/build-debs.sh build/deb)
fi
version=$(sed -n 's/^project(MatrixUpload VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
packages=()
for pkg in libmatrixupload0 libmatrixupload-dev matrix-uploader matrix-media-testserver; do
    file=$(find "$debs" -maxdepth 1 -name "${pkg}_${version}_*.deb" | head -n 1)
    [ -n "$file" ] || { echo "package-smoke: no ${pkg}_${version}_*.deb in $debs" >&2; exit 1; }
    packages+=("$file")
done

# The mirror this machine uses (only Debian's mirrors may be reachable).
mirror=${MU_SMOKE_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
        | grep -oE 'https?://[^ ]*/debian/?( |$)' | head -n 1 | tr -d ' ' || true)
    mirror=${mirror:-http://deb.debian.org/debian}
fi
mirror=${mirror%/}

root=$(mktemp -d /var/tmp/mu-smoke.XXXXXX)
cleanup() {
    local rc=$?
    set +e
    mountpoint -q "$root/proc" && umount "$root/proc"
    if [ -n "${MU_SMOKE_KEEP:-}" ]; then
        echo "package-smoke: kept $root" >&2
    else
        rm -rf --one-file-system "$root"
    fi
    exit "$rc"
}
trap cleanup EXIT

echo "package-smoke: debootstrap bookworm from $mirror into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
    || { tail -n 30 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"
# The point releases and security updates, as on the machine that built the packages.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror}-security bookworm-security main
EOF
# No service of a package starts inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mkdir -p "$root/tmp/debs"
cp "${packages[@]}" "$root/tmp/debs/"

echo "package-smoke: installing the packages (Depends only) and Qt's qml tool"
chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
    'apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb qml-qt6' \
    >"$root/tmp/apt.log" 2>&1 || { tail -n 30 "$root/tmp/apt.log" >&2; exit 1; }

# What runs inside: the installed programs only, from /usr/bin.
cat >"$root/tmp/smoke.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
fail() { echo "package-smoke: FAIL: $*" >&2; for l in /tmp/*.log; do echo "--- $l"; tail -n 20 "$l"; done >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen HOME=/tmp/home XDG_RUNTIME_DIR=/tmp/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" /tmp/hs
chmod 700 "$XDG_RUNTIME_DIR"
token=smoke-token-1234
matrix-media-testserver --host 127.0.0.1 --port 0 --data /tmp/hs --server-name localhost \
    --user alice:secret --token "alice:$token" >/tmp/testserver.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
hs=""
for _ in $(seq 1 100); do
    hs=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' /tmp/testserver.log | head -n 1)
    [ -n "$hs" ] && break
    kill -0 $server 2>/dev/null || fail "matrix-media-testserver exited"
    sleep 0.1
done
[ -n "$hs" ] || fail "matrix-media-testserver did not listen"
echo "package-smoke: the installed test server listens at $hs"

head -c 3000000 /dev/urandom >/tmp/file.bin
line=$(MATRIX_ACCESS_TOKEN=$token matrix-uploader-cli upload --homeserver "$hs" --json --verify \
    /tmp/file.bin 2>/tmp/cli.log) || fail "matrix-uploader-cli upload failed"
uri=$(printf '%s\n' "$line" | grep -o '"content_uri":"mxc://[^"]*"' | cut -d'"' -f4)
[[ $uri == mxc://localhost/* ]] || fail "no content URI: $line"
MATRIX_ACCESS_TOKEN=$token matrix-uploader-cli download --homeserver "$hs" "$uri" -o /tmp/file.out \
    2>>/tmp/cli.log || fail "matrix-uploader-cli download failed"
cmp -s /tmp/file.bin /tmp/file.out || fail "the downloaded copy differs from the file"
echo "package-smoke: matrix-uploader-cli uploaded $uri and downloaded the same bytes"

v=$(matrix-uploader --version 2>/tmp/app.log) || fail "matrix-uploader --version failed"
[[ $v == *"$VERSION"* ]] || fail "matrix-uploader --version said: $v"
# A short run: the window opens on the offscreen platform and stays up until timeout ends it.
status=0
MATRIX_ACCESS_TOKEN=$token timeout 8 matrix-uploader --homeserver "$hs" >/tmp/app.log 2>&1 || status=$?
[ "$status" -eq 124 ] || fail "matrix-uploader exited with $status before the timeout"
if grep -E "Could not (load|find)|module .* is not installed|Cannot load library" /tmp/app.log; then
    fail "matrix-uploader could not load a part of itself"
fi
echo "package-smoke: matrix-uploader $v ran offscreen for 8 s"

# A Window root: with an Item, the qml tool would wrap it in a window of its own configuration,
# which imports QtQuick.Window (a need of the tool's, not of the module's).
cat >/tmp/import.qml <<'QML'
import QtQuick
import MatrixUpload
Window {
    width: 400
    height: 300
    DropZone { anchors.fill: parent }
    UploadManagerView { anchors.fill: parent }
    Component.onCompleted: Qt.quit()
}
QML
timeout 60 /usr/lib/qt6/bin/qml -verbose /tmp/import.qml >/tmp/qml.log 2>&1 || fail "the QML module did not load"
echo "package-smoke: the installed QML module MatrixUpload loads"
EOF
echo "package-smoke: running the installed programs in the chroot"
chroot "$root" /usr/bin/env VERSION="$version" bash /tmp/smoke.sh
echo "package-smoke: PASS (Debian 12 from $mirror, packages $version)"
