#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The whole test suite, as CI runs it: install, lint, build with -Werror and the API reference,
# run every test, then build the tests again with AddressSanitizer + UndefinedBehaviorSanitizer
# and static libraries and run them again (the package tests, which build projects of their own,
# run in the first pass only), then run the fuzzers for 30 s each (clang, build/fuzz).
# Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/lint.sh

scripts/build.sh build/ci -DMU_WERROR=ON -DMU_BUILD_DOCS=ON
# The API reference: any Doxygen warning (an undocumented public member) fails the run.
cmake --build build/ci --target docs
ctest --test-dir build/ci --output-on-failure --no-tests=error -j2

# Static libraries here, shared ones above: both kinds are built and tested.
scripts/build.sh build/asan -DMU_WERROR=ON -DMU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    -DBUILD_SHARED_LIBS=OFF
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The soak (label soak) runs once, in the pass above: the sanitizers would double its minutes.
ctest --test-dir build/asan --output-on-failure --no-tests=error -j2 -LE "interop|package|soak"

# Fuzzing (tests/fuzz): the parsers of what servers and clients send, each target for 30 s on its
# committed corpus under libFuzzer, ASan and UBSan. Clang, a build folder of its own, and only
# the fuzz targets (they compile the parser sources they need, not the whole libraries).
launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMU_WERROR=ON -DMU_BUILD_FUZZERS=ON -DBUILD_SHARED_LIBS=OFF -DMU_BUILD_TESTS=OFF \
    -DMU_BUILD_WIDGETS=OFF -DMU_BUILD_MEDIA=OFF -DMU_BUILD_QUICK=OFF -DMU_BUILD_APPS=OFF \
    -DMU_BUILD_EXAMPLES=OFF -DMU_BUILD_DOCS=OFF -DMU_INSTALL=OFF -DMU_CPACK=OFF \
    "${launcher[@]}" >/dev/null
cmake --build build/fuzz --target mu_fuzzers -- -j"$(nproc)" | { grep -v '^\[[0-9]*/[0-9]*\] ' || true; }
ctest --test-dir build/fuzz --output-on-failure --no-tests=error -j2 -L fuzz
