#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The Widgets upload manager with many rows (issue 15, item 4): builds bench/manyrows.cpp against
# the build folder's libraries, makes BENCH_ROWS files of 1-64 KiB, and runs it offscreen against
# a test server in a process of its own with `put` upload URLs: the enqueue time, the time to
# render a frame while the uploads run, how late a 10 ms timer fires, files per second. Not a test.
#   bench/manyrows.sh [build dir]     (default build/release)
# Environment: BENCH_ROWS=10000, BENCH_TMP=/dev/shm.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_build "${1:-}"
core_lib=$build/src/core/libMatrixUploadCore.so
widgets_lib=$build/src/widgets/libMatrixUploadWidgets.so
need_files "a shared build: scripts/build.sh $build" "$core_lib" "$widgets_lib"
rows=${BENCH_ROWS:-10000}
work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/mu-bench.XXXXXX")
trap bench_cleanup EXIT

# shellcheck disable=SC2046 # pkg-config prints several words on purpose
g++ -std=c++20 -O2 -fPIC -o "$work/manyrows" bench/manyrows.cpp \
    -I"$build/src/core/include" -I"$build/src/widgets/include" \
    "$core_lib" "$widgets_lib" -Wl,-rpath,"$PWD/$build/src/core:$PWD/$build/src/widgets" \
    $(pkg-config --cflags --libs Qt6Widgets Qt6Network)

small_files "$work/files" "$rows"

machine_line
echo "== $rows rows in the Widgets upload manager (offscreen), put upload URLs, 8 at a time"
start_server put 64
export QT_LOGGING_RULES="matrixupload.*.info=false" QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data-home"
"$work/manyrows" "$base" BENCHTOKEN "$work"/files/*.bin
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
