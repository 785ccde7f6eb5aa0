# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Translations (translations/README.md): Qt Linguist catalogues, one .ts file per catalogue and
# language in translations/, compiled with lrelease and embedded in the binaries as Qt resources
# under :/i18n/matrixupload/, so a host that links a library gets its catalogue with it and
# nothing has to be found on disk at run time.
find_package(Qt6 REQUIRED COMPONENTS LinguistTools)

# The languages of every catalogue. "en" holds only the plural (numerus) forms: the source
# strings are English, but "%n file(s)" needs its English singular and plural.
set(MU_TRANSLATION_LANGUAGES de en fr)

# mu_add_translations(TARGET CATALOGUE [EXPORT export-set]): compiles
# translations/CATALOGUE_<lang>.ts for every language and embeds the .qm files in TARGET as
# :/i18n/matrixupload/CATALOGUE_<lang>.qm. A static TARGET gets the resources as an object
# library that its users link; with EXPORT (and MU_INSTALL) that object library is installed in
# the export set, as a static library's dependents outside this build need it.
function(mu_add_translations target catalogue)
    cmake_parse_arguments(T "" "EXPORT" "" ${ARGN})
    set(ts_files)
    foreach(lang IN LISTS MU_TRANSLATION_LANGUAGES)
        list(APPEND ts_files ${PROJECT_SOURCE_DIR}/translations/${catalogue}_${lang}.ts)
    endforeach()
    qt_add_lrelease(${target} TS_FILES ${ts_files} QM_FILES_OUTPUT_VARIABLE qm_files
        OPTIONS -silent)
    qt_add_resources(${target} ${target}_translations
        PREFIX /i18n/matrixupload
        BASE ${CMAKE_CURRENT_BINARY_DIR}
        FILES ${qm_files}
        OUTPUT_TARGETS resource_targets)
    if(resource_targets AND T_EXPORT AND MU_INSTALL)
        install(TARGETS ${resource_targets} EXPORT ${T_EXPORT}
            OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Devel)
    endif()
endfunction()

# update_translations: runs lupdate over the sources (scripts/update-translations.sh), so the
# .ts files get the strings added or changed since; translate what it marks unfinished. Only at
# the top level: inside a host the name is the host's (Qt's qt_add_lupdate() uses it too).
if(PROJECT_IS_TOP_LEVEL)
    add_custom_target(update_translations
        COMMAND ${PROJECT_SOURCE_DIR}/scripts/update-translations.sh
            $<TARGET_FILE:Qt6::lupdate>
        WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
        COMMENT "Updating translations/*.ts from the sources"
        VERBATIM)
endif()
