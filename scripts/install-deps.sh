#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Installs everything the build, the tests and the demo need on Debian 12, non-interactively
# and idempotently. Run as root (or with sudo available). Every package is named here; nothing
# a session installed by hand is assumed.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    SUDO="sudo"
fi

packages=(
    # toolchain
    build-essential cmake ninja-build clang-format git pkg-config
    # the fuzzers (tests/fuzz): clang with libFuzzer and the sanitizer runtimes, ccache for the
    # second (clang) build
    clang libclang-rt-14-dev ccache
    # Qt 6 (6.4 on Debian 12). HttpServer's CMake config needs WebSockets.
    qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools
    qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
    qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qtqml-workerscript
    qml6-module-qttest libgl-dev
    # Qt's own translations (qtbase_de.qm ...), loaded by the programs beside ours (translations/)
    qt6-translations-l10n
    # QtQml's and QtQml.Models' type descriptions: qmllint resolves Connections and the
    # models' base classes with them
    qml6-module-qtqml qml6-module-qtqml-models
    # encrypted attachments: AES-256-CTR and SHA-256 from OpenSSL 3's libcrypto (Qt has no AES;
    # QtNetwork loads its OpenSSL backend at run time, so it cannot be linked against)
    libssl-dev
    # upload URLs: libcurl sends the bytes (src/core/transfer/curlreply_p.h: QtNetwork's request
    # bodies run at a third of curl's speed), with OpenSSL for https
    libcurl4-openssl-dev
    # MatrixUpload::Media: QtMultimedia (its FFmpeg and GStreamer backends) for audio and video,
    # ffmpeg to make the test media at test time, zlib to write a huge PNG row by row
    qt6-multimedia-dev ffmpeg zlib1g-dev
    # credentials: QtKeychain over the Secret Service, and a headless keyring for tests
    qtkeychain-qt6-dev libsecret-1-0 gnome-keyring dbus-daemon dbus-bin
    # `gdbus wait` (tests/run-with-keyring.sh waits for the keyring's bus name)
    libglib2.0-bin
    # a font for the offscreen platform: the widget tests render text and write the screenshots
    # in docs/screenshots (otherwise only pulled in as one choice of fontconfig-config's)
    fonts-dejavu-core
    # demo, benchmarks, schema validation of the test server's answers
    curl ca-certificates time python3
    # licence check (REUSE), shell script check, the API reference
    reuse shellcheck doxygen
    # interop peers (tests/interop): nginx as a plain PUT origin, Ceph RGW for presigned S3 URLs
    nginx radosgw ceph-mon ceph-osd
    # Qt's SVG icon engine and image plugin: the app icon (resources/icons/) is an SVG
    qt6-svg-dev libqt6svg6
    # the checks of the desktop file and the AppStream metainfo (scripts/lint.sh)
    desktop-file-utils appstream
    # the Debian packages' check (tests/package/test_deb.sh) and the clean Debian 12 of
    # scripts/package-smoke.sh
    lintian debootstrap
    # the benchmarks' plots (bench/all.sh writes docs/bench/*.png), without X11
    gnuplot-nox
)
# Node.js checks the test server's JSON against the Matrix spec's OpenAPI schemas (ajv).
# Keep a Node.js that is already installed (any 18+); otherwise take Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    # The interop peers are services (nginx would start on port 80, and fail the install if the
    # port is taken): the tests start their own instances, so let no package start its service.
    # Docker images already carry this policy-rc.d; elsewhere, add it for this install only.
    policy_rc_d=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy_rc_d=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy_rc_d" >/dev/null
        $SUDO chmod 755 "$policy_rc_d"
        trap '$SUDO rm -f "$policy_rc_d"' EXIT
    fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    if [ -n "$policy_rc_d" ]; then
        $SUDO rm -f "$policy_rc_d"
        trap - EXIT
    fi
fi

# npm packages pinned by package-lock.json: the schema check's validators, the interop peers
# (the tus server, matrix-js-sdk and the Node.js 22 binary it needs) and the reference BlurHash
# encoder the Media tests compare against.
for npm_dir in tests/schema tests/interop tests/auto/media/reference; do
    [ -f "$npm_dir/package-lock.json" ] || continue
    # npm writes node_modules/.package-lock.json only after an install succeeded.
    if [ ! -f "$npm_dir/node_modules/.package-lock.json" ] \
        || [ "$npm_dir/package-lock.json" -nt "$npm_dir/node_modules/.package-lock.json" ]; then
        (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
done
echo "install-deps: ready"
