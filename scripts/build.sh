#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Configures and builds one build tree. Usage: scripts/build.sh DIR [extra cmake arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
# Hide ninja's progress lines only; with pipefail a failed build still fails this script.
cmake --build "$dir" -- -j"$(nproc)" | { grep -v '^\[[0-9]*/[0-9]*\] ' || true; }
