#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Configures and builds one build tree. Usage: scripts/build.sh DIR [extra cmake arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: scripts/build.sh DIR [cmake arguments...]   e.g. scripts/build.sh build/ci -DMU_WERROR=ON
Configures DIR with Ninja (RelWithDebInfo unless the arguments say otherwise) and builds all.
CMake's warnings and ninja's errors are shown; the progress lines are not."
if [ $# -ge 1 ] && { [ "$1" = "-h" ] || [ "$1" = "--help" ]; }; then
    echo "$usage"
    exit 0
fi
if [ $# -lt 1 ] || [ "${1:0:1}" = "-" ]; then
    echo "$usage" >&2
    exit 2
fi
dir=$1
shift
# Configure quietly, but keep what CMake warns about (stderr) in sight.
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
# Hide ninja's progress lines only; with pipefail a failed build still fails this script.
cmake --build "$dir" -- -j"$(nproc)" | { grep -v '^\[[0-9]*/[0-9]*\] ' || true; }
