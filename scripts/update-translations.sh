#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Updates the Qt Linguist catalogues in translations/ from the sources (translations/README.md).
# Usage: scripts/update-translations.sh [--check] [LUPDATE]
#   (no option)  runs lupdate: new and changed strings appear as unfinished, vanished ones go.
#   --check      changes nothing; fails when a catalogue is not what lupdate would make of the
#                sources (a string not yet extracted, or one left behind) or when a translation
#                is unfinished. scripts/lint.sh runs it.
# LUPDATE is the lupdate program (default: Qt 6's, /usr/lib/qt6/bin/lupdate).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = "--check" ]; then
    check=true
    shift
fi
lupdate=${1:-/usr/lib/qt6/bin/lupdate}
languages=(de en fr) # as MU_TRANSLATION_LANGUAGES in cmake/MatrixUploadTranslations.cmake

# Catalogue name, then the folders whose strings it holds. The test media server's messages are
# for developers and stay out.
catalogue_sources() {
    case $1 in
    matrixupload) echo src/core src/widgets src/media qml ;;
    matrix-uploader) echo src/app src/cli src/programs ;;
    esac
}

out=translations
if $check; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    cp translations/*.ts "$out"/
fi

status=0
for catalogue in matrixupload matrix-uploader; do
    read -r -a sources <<<"$(catalogue_sources "$catalogue")"
    for lang in "${languages[@]}"; do
        ts=$out/${catalogue}_${lang}.ts
        options=(-silent -no-obsolete -locations none -source-language en -target-language "$lang")
        # English needs only the plural forms of its own source texts.
        [ "$lang" = en ] && options+=(-pluralonly)
        "$lupdate" "${options[@]}" "${sources[@]}" -ts "$ts"
        if $check; then
            if ! diff -u "translations/${catalogue}_${lang}.ts" "$ts" >&2; then
                echo "translations: ${catalogue}_${lang}.ts is not up to date with the sources:" \
                    "run scripts/update-translations.sh and translate what it adds" >&2
                status=1
            fi
            if grep -n 'type="\(unfinished\|vanished\|obsolete\)"' "$ts" >&2; then
                echo "translations: ${catalogue}_${lang}.ts has unfinished entries (above)" >&2
                status=1
            fi
        fi
    done
done
exit "$status"
