# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Settings every target of ours shares: warnings, Qt's strict string and cast rules
# (the set KDE and libQuotient use), and the optional sanitizers.
function(mu_configure_target target)
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

# mu_add_test(NAME tst_foo LABEL core SOURCES a.cpp LIBS Qt6::Network [GUI] [WRAPPER script])
# One Qt Test executable registered with ctest and labelled by layer, so `ctest -L core` runs
# one layer. GUI tests run on the offscreen platform. WRAPPER runs the test as
# `script <test binary>`, for tests that need a service around them (a private keyring).
function(mu_add_test)
    cmake_parse_arguments(T "GUI" "NAME;LABEL;TIMEOUT;WRAPPER" "SOURCES;LIBS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    mu_configure_target(${T_NAME})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
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
