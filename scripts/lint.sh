#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Fails when a C++ file is not formatted with the repository's .clang-format (clang-format 14),
# when a shell script has a shellcheck finding, when a translation is missing or out of date, or
# when a file lacks its licence and copyright (REUSE, LICENSES/ and .reuse/dep5).
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
# Every shell script of the tree: by name (*.sh) or by its first line (a sh or bash shebang), so a
# script without the suffix (.ci/run) is not missed. node_modules and build trees are not ours.
scripts=()
while IFS= read -r -d '' file; do
    case $file in
    *.sh) scripts+=("$file") ;;
    *) [ -f "$file" ] && head -n1 -- "$file" | grep -Eq '^#!.*[/ ](ba)?sh( |$)' && scripts+=("$file") ;;
    esac
done < <(git ls-files -z --cached --others --exclude-standard -- . ':!:*node_modules/*' ':!:build/*')
if ! shellcheck -x "${scripts[@]}"; then
    echo "lint: fix the shellcheck findings above" >&2
    exit 1
fi
echo "lint: ${#scripts[@]} shell scripts pass shellcheck"
# Translations: every catalogue up to date with the sources and complete (no unfinished,
# vanished or obsolete entry); translations/README.md.
if ! scripts/update-translations.sh --check; then
    echo "lint: run scripts/update-translations.sh and translate the unfinished entries" >&2
    exit 1
fi
echo "lint: translations complete and up to date"
if ! report=$(reuse lint 2>&1); then
    printf '%s\n' "$report" >&2
    echo "lint: add an SPDX header (or a .reuse/dep5 entry) to the files above" >&2
    exit 1
fi
echo "lint: every file has its licence and copyright (reuse lint)"
