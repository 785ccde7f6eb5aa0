# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Settings every target of ours shares: warnings, Qt's strict string and cast rules
# (the set KDE and libQuotient use), and the optional sanitizers.
function(mu_configure_target target)
    set_target_properties(${target} PROPERTIES AUTOMOC ON)
    target_compile_options(${target} PRIVATE -Wall -Wextra -pedantic)
    if(MU_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    target_compile_definitions(${target} PRIVATE
        QT_NO_KEYWORDS
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_CAST_FROM_BYTEARRAY
        QT_NO_FOREACH
        QT_USE_QSTRINGBUILDER
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_DISABLE_DEPRECATED_BEFORE=0x060400)
endfunction()

if(MU_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# libFuzzer (tests/fuzz): everything compiled with coverage for the fuzzer, ASan and UBSan; the
# fuzz targets add -fsanitize=fuzzer when they link. Needs clang.
if(MU_BUILD_FUZZERS)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "MU_BUILD_FUZZERS needs clang (libFuzzer): configure with CXX=clang++")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

include(GenerateExportHeader)
include(CMakePackageConfigHelpers)

# mu_add_library(TARGET MatrixUploadCore EXPORT_NAME Core
#     [HEADER_PREFIX matrixupload/widgets] [HEADERS public headers...]
#     [INTERNAL_HEADERS headers the tests reach...] SOURCES ...)
# One library of the package: shared or static by MU_BUILD_SHARED, version 0.2.0 / SOVERSION 0,
# hidden symbols except those marked with the export macro (MATRIXUPLOAD_<NAME>_EXPORT, from a
# generated <HEADER_PREFIX>/matrixupload_<name>_export.h), the alias MatrixUpload::<EXPORT_NAME>.
#
# Public headers are reached as <HEADER_PREFIX/...> (src/core/api/mediaapi.h is
# <matrixupload/api/mediaapi.h>). In the build tree small forwarding headers give that prefix, so
# compiler errors point at the real files and the sources need no copy step; an install copies
# the real headers to the same relative paths, which keeps their relative includes valid.
# INTERNAL_HEADERS get the same prefix in the build tree, but only for the tests: they link
# MatrixUpload::<EXPORT_NAME>Internal (mu_add_test() does that), programs cannot include them
# and they are not installed.
#
# MATRIXUPLOAD_<NAME>_TESTS_EXPORT marks internal classes that the unit tests reach: exported
# only in builds with tests (MU_BUILD_TESTS), hidden otherwise.
function(mu_add_library)
    cmake_parse_arguments(L "" "TARGET;EXPORT_NAME;HEADER_PREFIX" "HEADERS;INTERNAL_HEADERS;SOURCES"
        ${ARGN})
    if(NOT L_HEADER_PREFIX)
        set(L_HEADER_PREFIX matrixupload)
    endif()
    if(MU_BUILD_SHARED)
        set(type SHARED)
    else()
        set(type STATIC)
    endif()
    qt_add_library(${L_TARGET} ${type} ${L_HEADERS} ${L_INTERNAL_HEADERS} ${L_SOURCES})
    add_library(MatrixUpload::${L_EXPORT_NAME} ALIAS ${L_TARGET})
    set_target_properties(${L_TARGET} PROPERTIES
        EXPORT_NAME ${L_EXPORT_NAME}
        VERSION ${PROJECT_VERSION}
        SOVERSION ${PROJECT_VERSION_MAJOR}
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        # A static library may go into a host's shared one.
        POSITION_INDEPENDENT_CODE ON)
    # The public headers use C++20 (defaulted comparisons): hosts compile them as C++20 too.
    target_compile_features(${L_TARGET} PUBLIC cxx_std_20)
    mu_configure_target(${L_TARGET})

    string(TOUPPER ${L_EXPORT_NAME} upper)
    string(TOLOWER ${L_EXPORT_NAME} lower)
    set(include_dir ${CMAKE_CURRENT_BINARY_DIR}/include)
    set(export_header ${include_dir}/${L_HEADER_PREFIX}/matrixupload_${lower}_export.h)
    if(MU_BUILD_TESTS)
        set(tests_export "MATRIXUPLOAD_${upper}_EXPORT")
    else()
        set(tests_export "MATRIXUPLOAD_${upper}_NO_EXPORT")
    endif()
    set(custom_content
        "\n// Internal classes the unit tests reach; exported only in builds with tests.\n#define MATRIXUPLOAD_${upper}_TESTS_EXPORT ${tests_export}\n")
    generate_export_header(${L_TARGET}
        BASE_NAME MATRIXUPLOAD_${upper}
        EXPORT_FILE_NAME ${export_header}
        CUSTOM_CONTENT_FROM_VARIABLE custom_content)
    if(NOT MU_BUILD_SHARED)
        target_compile_definitions(${L_TARGET} PUBLIC MATRIXUPLOAD_${upper}_STATIC_DEFINE)
    endif()

    set(internal_dir ${CMAKE_CURRENT_BINARY_DIR}/include-internal)
    foreach(header IN LISTS L_HEADERS L_INTERNAL_HEADERS)
        if(header IN_LIST L_HEADERS)
            set(forward ${include_dir}/${L_HEADER_PREFIX}/${header})
        else()
            set(forward ${internal_dir}/${L_HEADER_PREFIX}/${header})
        endif()
        file(CONFIGURE OUTPUT ${forward}
            CONTENT "// Generated by mu_add_library(): forwards to the source tree.\n#pragma once\n#include \"${CMAKE_CURRENT_SOURCE_DIR}/${header}\"\n"
            @ONLY)
    endforeach()
    add_library(${L_TARGET}Internal INTERFACE)
    add_library(MatrixUpload::${L_EXPORT_NAME}Internal ALIAS ${L_TARGET}Internal)
    target_include_directories(${L_TARGET}Internal INTERFACE ${internal_dir})
    target_link_libraries(${L_TARGET}Internal INTERFACE ${L_TARGET})
    target_include_directories(${L_TARGET}
        PUBLIC
            $<BUILD_INTERFACE:${include_dir}>
            $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
        PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${include_dir}/${L_HEADER_PREFIX})

    if(MU_INSTALL)
        foreach(header IN LISTS L_HEADERS)
            get_filename_component(subdir ${header} DIRECTORY)
            install(FILES ${header}
                DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${L_HEADER_PREFIX}/${subdir}
                COMPONENT Devel)
        endforeach()
        install(FILES ${export_header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${L_HEADER_PREFIX}
            COMPONENT Devel)
        install(TARGETS ${L_TARGET} EXPORT MatrixUpload${L_EXPORT_NAME}Targets
            RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime
            LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Runtime
                NAMELINK_COMPONENT Devel
            ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Devel)
        install(EXPORT MatrixUpload${L_EXPORT_NAME}Targets NAMESPACE MatrixUpload::
            DESTINATION ${MU_INSTALL_CMAKEDIR} COMPONENT Devel)
    endif()
endfunction()

# mu_add_program(TARGET [COMPONENT name] [SOURCES...]): an installed program of ours; finds our
# shared libraries relative to itself, so an installed prefix can be moved. COMPONENT is the
# install component, which is the Debian package it goes into (packaging/CPackConfig.cmake):
# App (the default, matrix-uploader) or TestServer (matrix-media-testserver).
function(mu_add_program target)
    cmake_parse_arguments(P "" "COMPONENT" "" ${ARGN})
    if(NOT P_COMPONENT)
        set(P_COMPONENT App)
    endif()
    qt_add_executable(${target} ${P_UNPARSED_ARGUMENTS})
    mu_configure_target(${target})
    if(MU_INSTALL)
        install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
            COMPONENT ${P_COMPONENT})
    endif()
endfunction()

# mu_use_qml_module(target): a program of ours that loads `import MatrixUpload` from the build
# tree. Shared: the plugin is found through the import path given as MU_QML_IMPORT_DIR, as a host
# would load the installed module. Static: linked in, and MU_QML_STATIC says to import it.
function(mu_use_qml_module target)
    if(MU_BUILD_SHARED)
        target_compile_definitions(${target} PRIVATE
            MU_QML_IMPORT_DIR="${MU_QML_BUILD_IMPORT_DIR}")
        add_dependencies(${target} MatrixUploadQuickplugin)
    else()
        target_link_libraries(${target} PRIVATE MatrixUploadQuickplugin)
        target_compile_definitions(${target} PRIVATE MU_QML_STATIC)
    endif()
endfunction()

# mu_add_test(NAME tst_foo LABEL core SOURCES a.cpp LIBS Qt6::Network [WRAPPER script])
# One Qt Test executable registered with ctest and labelled by layer, so `ctest -L core` runs
# one layer. Every test runs on the offscreen platform. WRAPPER runs the test as
# `script <test binary>`, for tests that need a service around them (a private keyring).
function(mu_add_test)
    cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT;WRAPPER" "SOURCES;LIBS" ${ARGN})
    qt_add_executable(${T_NAME} ${T_SOURCES})
    mu_configure_target(${T_NAME})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
    # The test fixture library (tests/auto/shared, docs/architecture.md "Testing").
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/auto/shared)
    # Tests may reach a library's internal headers (white-box).
    foreach(lib IN LISTS T_LIBS)
        if(TARGET ${lib}Internal)
            target_link_libraries(${T_NAME} PRIVATE ${lib}Internal)
        endif()
    endforeach()
    if(T_WRAPPER)
        add_test(NAME ${T_NAME} COMMAND ${T_WRAPPER} $<TARGET_FILE:${T_NAME}>)
    else()
        add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set(env "QT_QPA_PLATFORM=offscreen")
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABEL}" TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "${env}")
    if(T_WRAPPER)
        # The keychain tests skip when run without the wrapper (they would write to the user's
        # keyring); under ctest the wrapper is there, so such a skip means it broke: a failure,
        # not a quiet pass.
        set_tests_properties(${T_NAME} PROPERTIES
            FAIL_REGULAR_EXPRESSION "SKIP +:[^\n]*run-with-keyring")
    endif()
endfunction()
