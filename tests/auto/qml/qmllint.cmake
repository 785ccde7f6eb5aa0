# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Runs qmllint on the MatrixUpload module's QML files against the built module and fails on any
# warning (qmllint 6.4 exits non-zero for warnings; its output is checked too, so a "note" that
# a later Qt counts as a warning does not slip through).
file(GLOB qml_files ${SOURCE_DIR}/*.qml)
execute_process(
    COMMAND ${QMLLINT} -I ${IMPORT_DIR} ${qml_files}
    WORKING_DIRECTORY ${SOURCE_DIR}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
if(NOT result EQUAL 0 OR out MATCHES "Warning|Error")
    message(FATAL_ERROR "qmllint found problems (exit ${result}):\n${out}")
endif()
list(LENGTH qml_files n)
message(STATUS "qmllint: ${n} QML files clean")
