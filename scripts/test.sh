#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The whole test suite, as CI runs it: install, lint, build with -Werror and the API reference,
# run every test, then build the tests again with AddressSanitizer + UndefinedBehaviorSanitizer
# and static libraries and run them again (the package tests, which build projects of their own,
# run in the first pass only).
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
ctest --test-dir build/asan --output-on-failure --no-tests=error -j2 -LE "interop|package"
