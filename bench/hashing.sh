#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# SHA-256 speed (issue 15, item 3): QCryptographicHash against OpenSSL's EVP on one file
# (BENCH_HASH_SIZE MiB, default 1024, random bytes, read once before so both hash from the page
# cache), best of BENCH_REPEAT (3). Core hashes files with the faster (src/core/hashing.cpp).
# Builds bench/hashing.cpp with the system's Qt and libcrypto (pkg-config). Not a test.
#   bench/hashing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size=${BENCH_HASH_SIZE:-1024}
repeat=${BENCH_REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
g++ -std=c++20 -O2 -fPIC -o "$work/hashing" bench/hashing.cpp $(pkg-config --cflags --libs Qt6Core libcrypto)
head -c $((size * 1024 * 1024)) /dev/urandom >"$work/file.bin"
cat "$work/file.bin" >/dev/null
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs," \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)," \
    "SHA extensions: $(grep -q -w sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "== SHA-256 of ${size} MiB, Qt $(pkg-config --modversion Qt6Core), $(openssl version | cut -d' ' -f1-2)"
for _ in $(seq "$repeat"); do
    "$work/hashing" "$work/file.bin"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
