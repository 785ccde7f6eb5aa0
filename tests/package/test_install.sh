#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The installed package, as a client gets it: `cmake --install` into a prefix, the prefix moved
# elsewhere, then examples/ built as a project of its own with find_package(MatrixUpload) against
# the moved prefix, and both examples run offscreen against the installed test server, one real
# upload each, the bytes compared with the server's copy.
#
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
pkg=$build/package-test
rm -rf "$pkg"
mkdir -p "$pkg"

cmake --install "$build" --prefix "$pkg/prefix" >"$pkg/install.log"
mv "$pkg/prefix" "$pkg/moved"
prefix=$pkg/moved

# shellcheck source-path=SCRIPTDIR source=../interop/lib.sh
source "$src/tests/interop/lib.sh" "$prefix/bin/matrix-uploader-cli" \
    "$prefix/bin/matrix-media-testserver"

# What a client finds in the prefix: public headers with the export headers, no private ones.
includes=$prefix/include/matrixupload
for header in uploadmanager.h uploadjob.h uploadlistmodel.h roomposter.h api/mediaapi.h \
    store/resumestore.h matrixupload_core_export.h widgets/uploadmanagerwidget.h \
    widgets/matrixupload_widgets_export.h testserver/mediatestserver.h media/mediainforeader.h \
    media/mediainfo.h media/blurhash.h media/matrixupload_media_export.h; do
    [ -f "$includes/$header" ] || fail "$header was not installed"
done
private=$(find "$includes" -name '*_p.h' -o -path '*/transfer/*')
[ -z "$private" ] || fail "private headers were installed: $private"
config=$(find "$prefix" -name MatrixUploadConfig.cmake)
[ -n "$config" ] || fail "MatrixUploadConfig.cmake was not installed"
[ -f "$(dirname "$config")/MatrixUploadConfigVersion.cmake" ] || fail "no MatrixUploadConfigVersion.cmake"
core=$(find "$prefix" -name 'libMatrixUploadCore.so.0.2.0')
[ -n "$core" ] || fail "libMatrixUploadCore.so.0.2.0 was not installed"
[ -L "$(dirname "$core")/libMatrixUploadCore.so.0" ] || fail "no SONAME link libMatrixUploadCore.so.0"
# Hidden by default, public classes exported: UploadJob is there, MediaApi's private class not.
symbols=$(nm -DC --defined-only "$core")
grep -q 'MatrixUpload::UploadJob::start()' <<<"$symbols" || fail "UploadJob::start() is not exported"
if grep -q 'MatrixUpload::MediaApiPrivate' <<<"$symbols"; then
    fail "Core exports its private class MediaApiPrivate"
fi
qmldir=$(find "$prefix" -path '*/MatrixUpload/qmldir')
[ -n "$qmldir" ] || fail "the QML module's qmldir was not installed"
qml_import_dir=$(dirname "$(dirname "$qmldir")")
# Nothing installed points back into the build tree.
for program in "$prefix"/bin/*; do
    if readelf -d "$program" | grep -E 'R(UN)?PATH' | grep -qF "$build"; then
        fail "$(basename "$program") keeps a run path into the build tree"
    fi
done

note "building examples/ against $prefix"
launcher=()
[ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$CMAKE_CXX_COMPILER_LAUNCHER")
cmake -S "$src/examples" -B "$pkg/examples" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}" >"$WORK/logs/examples-configure.log" 2>&1 \
    || fail "configuring examples/ against the installed package failed"
cmake --build "$pkg/examples" >"$WORK/logs/examples-build.log" 2>&1 \
    || fail "building examples/ against the installed package failed"
widgets_embed=$pkg/examples/widgets-embed/widgets-embed
qml_embed=$pkg/examples/qml-embed/matrixupload-qml-embed
ldd "$widgets_embed" | grep 'libMatrixUploadCore' | grep -qF "$prefix/" \
    || fail "widgets-embed does not load Core from the moved prefix: $(ldd "$widgets_embed" | grep MatrixUpload)"

# MatrixUpload::Media from the moved prefix: what a client would post with a screenshot.
media_info=$pkg/examples/media-info/media-info
QT_QPA_PLATFORM=offscreen "$media_info" "$src/docs/screenshots/widgets-uploads-light.png" >"$WORK/media-info.json" \
    2>"$WORK/logs/media-info.log" || fail "media-info failed: $(cat "$WORK/logs/media-info.log")"
grep -q '"msgtype":"m.image"' "$WORK/media-info.json" || fail "media-info: $(cat "$WORK/media-info.json")"
if ! grep -q '"h":560,' "$WORK/media-info.json" || ! grep -q '"w":760' "$WORK/media-info.json"; then
    fail "media-info: not 760x560: $(cat "$WORK/media-info.json")"
fi
grep -q '"xyz.amorgan.blurhash":"' "$WORK/media-info.json" || fail "media-info gave no BlurHash"
ldd "$media_info" | grep 'libMatrixUploadMedia' | grep -qF "$prefix/" \
    || fail "media-info does not load Media from the moved prefix"

# shellcheck disable=SC2119 # (no extra options for the server)
start_testserver
export QT_QPA_PLATFORM=offscreen QT_QUICK_CONTROLS_STYLE=Basic

# upload_with NAME COMMAND...: runs an example on one new file and checks that the server's copy
# behind the printed content URI has the file's bytes.
upload_with() {
    local name=$1 file out uri
    shift
    file=$WORK/$name.bin
    make_file "$file" 3
    out=$(timeout 120 "$@" --homeserver "$HS" --quit-when-done "$file" 2>"$WORK/logs/$name.log") \
        || fail "$name did not upload (exit $?): $out"
    uri=$(printf '%s\n' "$out" | awk -v f="$name.bin" '$1 == f { print $2 }')
    [[ $uri == mxc://localhost/* ]] || fail "$name printed no content URI: $out"
    curl -sf -H "Authorization: Bearer $TOKEN" -o "$WORK/$name.down" \
        "$HS/_matrix/client/v1/media/download/localhost/${uri#mxc://localhost/}" \
        || fail "downloading $uri failed"
    expect_eq "$name: the server's copy" "$(sha256_of "$WORK/$name.down")" "$(sha256_of "$file")"
    note "$name uploaded $uri"
}

MATRIX_ACCESS_TOKEN=$TOKEN upload_with widgets-embed "$widgets_embed"
# The QML module comes from the moved prefix, through the import path.
QML_IMPORT_TRACE=1 upload_with qml-embed "$qml_embed" --token "$TOKEN"
grep -qF "loaded \"$qml_import_dir/MatrixUpload/qmldir\"" "$WORK/logs/qml-embed.log" \
    || fail "qml-embed did not load the module from $qml_import_dir"
echo "package_install: installed, moved, examples built against it, 2 uploads and one media info verified"
