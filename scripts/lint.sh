#!/usr/bin/env bash
# Fails when a C++ file is not formatted with the repository's .clang-format (clang-format 14).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h')
if [ "${#files[@]}" -gt 0 ]; then
    if ! clang-format --dry-run --Werror "${files[@]}"; then
        echo "lint: run 'clang-format -i' on the files above" >&2
        exit 1
    fi
fi
echo "lint: ${#files[@]} C++ files formatted"
