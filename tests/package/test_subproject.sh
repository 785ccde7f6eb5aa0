#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# A client that adds Matrix Uploader with add_subdirectory() and links only Core (subproject/):
# it configures without QtWidgets, QtQml or QtHttpServer, builds none of our tests, examples or
# programs, gets no install rules or CPack of ours and a static Core inside its program; it
# installs its program, which then uploads a file to the test server from the install folder
# and the server's copy is compared with it.
#
# Usage: test_subproject.sh BUILD_DIR SOURCE_DIR CLI TESTSERVER
set -euo pipefail
build=$1
src=$2
host=$build/package-subproject
rm -rf "$host"
# shellcheck source-path=SCRIPTDIR source=../interop/lib.sh
source "$src/tests/interop/lib.sh" "$3" "$4"

launcher=()
[ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$CMAKE_CXX_COMPILER_LAUNCHER")
cmake -S "$src/tests/package/subproject" -B "$host" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMU_SOURCE_DIR="$src" "${launcher[@]}" >"$WORK/logs/configure.log" 2>&1 \
    || fail "the host project did not configure"
cache=$host/CMakeCache.txt
for module in Widgets Qml Quick HttpServer Test; do
    if grep -q "^Qt6${module}_DIR:" "$cache"; then
        fail "a Core-only host looked for Qt6$module"
    fi
done
for option in MU_BUILD_TESTS MU_BUILD_EXAMPLES MU_BUILD_APPS MU_BUILD_WIDGETS MU_BUILD_QUICK \
    MU_BUILD_TESTSERVER MU_BUILD_DOCS MU_INSTALL MU_CPACK MU_BUILD_SHARED; do
    grep -q "^$option:BOOL=OFF" "$cache" || fail "$option is not OFF in a subproject"
done
[ ! -e "$host/CPackConfig.cmake" ] || fail "the subproject set up CPack"
if grep -rq 'file(INSTALL' "$host/matrixupload" --include=cmake_install.cmake; then
    fail "the subproject added install rules"
fi

cmake --build "$host" >"$WORK/logs/build.log" 2>&1 || fail "the host project did not build"
cmake --install "$host" --prefix "$host/installed" >"$WORK/logs/install.log" 2>&1 \
    || fail "the host project did not install"
installed=$(find "$host/installed" -type f)
[ "$installed" = "$host/installed/bin/host" ] || fail "the host installed more than its program: $installed"
built=$(find "$host" -type f -executable \( -name 'tst_*' -o -name 'matrix-*' -o -name '*-embed' \))
[ -z "$built" ] || fail "the subproject built more than Core: $built"

# shellcheck disable=SC2119 # (no extra options for the server)
start_testserver
file=$WORK/file.bin
make_file "$file" 2
out=$(MATRIX_ACCESS_TOKEN=$TOKEN timeout 120 "$host/installed/bin/host" --homeserver "$HS" "$file" \
    2>"$WORK/logs/host.log") || fail "the host did not upload (exit $?)"
uri=$(awk '$1 == "file.bin" { print $2 }' <<<"$out")
[[ $uri == mxc://localhost/* ]] || fail "the host printed no content URI: $out"
curl -sf -H "Authorization: Bearer $TOKEN" -o "$WORK/file.down" \
    "$HS/_matrix/client/v1/media/download/localhost/${uri#mxc://localhost/}" \
    || fail "downloading $uri failed"
expect_eq "the server's copy" "$(sha256_of "$WORK/file.down")" "$(sha256_of "$file")"
echo "package_subproject: Core-only host configured, built and uploaded $uri"
