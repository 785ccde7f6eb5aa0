#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Fails when a C++ file is not formatted with the repository's .clang-format (clang-format 14),
# when a shell script has a shellcheck finding, when a translation is missing or out of date,
# when a file lacks its licence and copyright (REUSE, LICENSES/ and .reuse/dep5), or when the
# desktop file or the AppStream metainfo in resources/ does not validate.
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
if ! desktop-file-validate resources/*.desktop; then
    echo "lint: fix the desktop file above" >&2
    exit 1
fi
# --no-net: the screenshots' URLs are not fetched (the check stays offline); --strict: infos
# (a missing content rating, for one) fail too.
if ! report=$(appstreamcli validate --no-net --strict --explain resources/*.metainfo.xml 2>&1); then
    printf '%s\n' "$report" >&2
    echo "lint: fix the AppStream metainfo above" >&2
    exit 1
fi
echo "lint: the desktop file and the AppStream metainfo validate"
# The Flatpak manifest is not built here (packaging/README.md): every MU_ option it sets must at
# least be an option of the top-level CMakeLists.txt.
for manifest in packaging/*.yml; do
    while read -r opt; do
        if ! grep -qE "^option\($opt( |$)" CMakeLists.txt; then
            echo "lint: $manifest sets $opt, which CMakeLists.txt has no option for" >&2
            exit 1
        fi
    done < <(grep -oE -- '-DMU_[A-Z0-9_]+' "$manifest" | cut -c3- | sort -u)
done
echo "lint: the Flatpak manifest's MU_ options exist"
