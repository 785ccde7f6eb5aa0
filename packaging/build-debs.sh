#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Builds the Debian packages (packaging/CPackConfig.cmake) in a build tree of their own: prefix
# /usr (so the libraries go into Debian's multiarch folder and the QML module onto Qt's import
# path), RelWithDebInfo stripped by CPack, no tests, examples or docs. An existing tree is
# rebuilt incrementally. Prints the folder the .deb files are in.
#
# Usage: packaging/build-debs.sh BUILD_DIR [extra cmake arguments]
# CMAKE_CXX_COMPILER_LAUNCHER in the environment (e.g. ccache) is passed on to CMake.
set -euo pipefail
if [ $# -lt 1 ]; then
    echo "usage: packaging/build-debs.sh BUILD_DIR [cmake arguments...]" >&2
    exit 2
fi
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1
shift
mkdir -p "$build"
launcher=()
[ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$CMAKE_CXX_COMPILER_LAUNCHER")
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DMU_BUILD_TESTS=OFF -DMU_BUILD_EXAMPLES=OFF -DMU_BUILD_DOCS=OFF -DMU_CPACK=ON \
    "${launcher[@]}" "$@" >"$build/build-debs-configure.log" 2>&1 \
    || { cat "$build/build-debs-configure.log" >&2; exit 1; }
cmake --build "$build" -- -j"${MU_BUILD_JOBS:-$(nproc)}" >"$build/build-debs-build.log" 2>&1 \
    || { tail -n 50 "$build/build-debs-build.log" >&2; exit 1; }
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB) >"$build/build-debs-cpack.log" 2>&1 || { cat "$build/build-debs-cpack.log" >&2; exit 1; }
echo "$build"
