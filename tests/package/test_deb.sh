#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The Debian packages (packaging/CPackConfig.cmake): built by packaging/build-debs.sh in a tree of
# their own (BUILD_DIR/package-deb; incremental after the first run), then checked without
# installing them: lintian finds no error, each package holds what it should and nothing of
# another's, and the control fields name the dependencies dpkg-shlibdeps cannot see.
# Installing them into a clean Debian is scripts/package-smoke.sh.
#
# Usage: test_deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
fail() {
    echo "package_deb: FAIL: $*" >&2
    exit 1
}
for tool in lintian dpkg-deb dpkg-architecture; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done
debs=$("$src/packaging/build-debs.sh" "$build/package-deb")
version=$(sed -n 's/^project(MatrixUpload VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=usr/lib/$multiarch

# CMake's "Unspecified" component would be a fifth package nobody asked for: it stays empty.
stray=$build/package-deb/unspecified
rm -rf "$stray"
cmake --install "$build/package-deb" --component Unspecified --prefix "$stray" >/dev/null
if [ -d "$stray" ] && [ -n "$(find "$stray" -type f -o -type l)" ]; then
    fail "files without an install component: $(find "$stray" -type f -o -type l)"
fi

declare -A deb
for pkg in libmatrixupload0 libmatrixupload-dev matrix-uploader matrix-media-testserver; do
    deb[$pkg]=$debs/${pkg}_${version}_$arch.deb
    [ -f "${deb[$pkg]}" ] || fail "no ${pkg}_${version}_$arch.deb in $debs: $(ls "$debs"/*.deb)"
done
[ "$(find "$debs" -maxdepth 1 -name '*.deb' | wc -l)" -eq 4 ] \
    || fail "more packages than the four: $(ls "$debs"/*.deb)"

# contents PKG: the package's paths, without the leading ./ (directories end in /).
contents() { dpkg-deb -c "${deb[$1]}" | awk '{ print $6 }' | sed 's|^\./||'; }
# has PKG PATH...: each PATH is in the package.
has() {
    local pkg=$1 list path
    shift
    list=$(contents "$pkg")
    for path in "$@"; do
        grep -qxF "$path" <<<"$list" || fail "$pkg lacks $path"
    done
}
# lacks PKG REGEX: no path of the package matches.
lacks() {
    local hit
    hit=$(contents "$1" | grep -E "$2" || true)
    [ -z "$hit" ] || fail "$1 should not hold $hit"
}
field() { dpkg-deb -f "${deb[$1]}" "$2"; }
# depends_on PKG FIELD ENTRY...: each ENTRY (a package name, or "name (= version)") is in FIELD.
depends_on() {
    local pkg=$1 name=$2 value entry
    shift 2
    value=$(field "$pkg" "$name" | tr -d '\n')
    for entry in "$@"; do
        [[ ", $value," == *", $entry"[,\ ]* ]] || fail "$pkg: $name lacks '$entry': $value"
    done
}

for l in Core Widgets Media TestServer Quick; do
    has libmatrixupload0 "$lib/libMatrixUpload$l.so.$version" "$lib/libMatrixUpload$l.so.0"
    has libmatrixupload-dev "$lib/libMatrixUpload$l.so"
done
has libmatrixupload0 "$lib/qt6/qml/MatrixUpload/qmldir" \
    usr/share/doc/libmatrixupload0/copyright usr/share/doc/libmatrixupload0/changelog.gz
lacks libmatrixupload0 "^$lib/[^/]*\\.so\$|^usr/include|/cmake/|^usr/bin"
has libmatrixupload-dev usr/include/matrixupload/uploadmanager.h \
    usr/include/matrixupload/matrixupload_core_export.h \
    usr/include/matrixupload/testserver/mediatestserver.h \
    "$lib/cmake/MatrixUpload/MatrixUploadConfig.cmake"
lacks libmatrixupload-dev '\.so\.|^usr/bin|/qml/'
app_id=io.github.matrixuploader.MatrixUploader
has matrix-uploader usr/bin/matrix-uploader usr/bin/matrix-uploader-cli \
    "usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml" \
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg" usr/share/doc/matrix-uploader/copyright
lacks matrix-uploader '^usr/lib|^usr/include|matrix-media-testserver'
has matrix-media-testserver usr/bin/matrix-media-testserver
lacks matrix-media-testserver '^usr/lib|^usr/include|^usr/share/(applications|icons|metainfo)'
# The desktop file names the icon the package installs.
icon=$(sed -n 's/^Icon=//p' "$src/resources/$app_id.desktop")
[ "$icon" = "$app_id" ] || fail "the desktop file's Icon=$icon is not the installed $app_id.svg"

exact="libmatrixupload0 (= $version)"
depends_on libmatrixupload-dev Depends "$exact" qt6-base-dev qt6-declarative-dev qt6-httpserver-dev
depends_on matrix-uploader Depends "$exact" libqt6svg6 qt6-qpa-plugins libqt6widgets6
depends_on matrix-media-testserver Depends "$exact"
# shlibdeps (Qt, QtKeychain, libcrypto) and what it cannot see (QML modules, libsecret).
depends_on libmatrixupload0 Depends libqt6core6 libqt6keychain1 libssl3 libqt6httpserver6 \
    libsecret-1-0 qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts \
    qml6-module-qtqml-models qml6-module-qtqml-workerscript
depends_on matrix-uploader Recommends "gnome-keyring | kwalletmanager | keepassxc"
[ "$(field libmatrixupload0 Section)" = libs ] || fail "libmatrixupload0 is not in section libs"
# A shlibs file: packages built against the libraries get the exact version.
dpkg-deb -I "${deb[libmatrixupload0]}" shlibs | grep -qF "libMatrixUploadCore 0 libmatrixupload0 (= $version)" \
    || fail "libmatrixupload0's shlibs: $(dpkg-deb -I "${deb[libmatrixupload0]}" shlibs)"

# lintian: errors fail, warnings are listed (packaging/README.md says which are expected).
report=$(lintian --fail-on error --tag-display-limit 0 "${deb[@]}" 2>&1) \
    || fail "lintian: $report"
[ -z "$report" ] || printf 'package_deb: lintian says:\n%s\n' "$report"
echo "package_deb: 4 packages built, their contents and dependencies checked, no lintian error"
