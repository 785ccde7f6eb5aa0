#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Runs one libFuzzer target for a while on its committed corpus, which it only reads: new inputs
# go to a temporary folder that is removed afterwards. Exits non-zero on any crash, sanitizer
# report, leak or failed FUZZ_CHECK; the input that did it is kept in ARTIFACTS.
# Usage: run-fuzzer.sh FUZZER CORPUS ARTIFACTS SECONDS
set -euo pipefail
if [ $# -ne 4 ]; then
    echo "usage: run-fuzzer.sh FUZZER CORPUS ARTIFACTS SECONDS" >&2
    exit 2
fi
fuzzer=$1
corpus=$2
artifacts=$3
seconds=$4
[ -d "$corpus" ] || { echo "run-fuzzer: no corpus at $corpus" >&2; exit 2; }
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
name=$(basename "$fuzzer")

# Every committed input first, one by one: the regression cases must pass as they are.
"$fuzzer" -runs=0 "$corpus"
# Then new inputs for SECONDS, starting from the corpus (the first folder is the one written).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$work" "$corpus"
