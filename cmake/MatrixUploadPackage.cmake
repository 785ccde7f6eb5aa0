# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The installed CMake package: find_package(MatrixUpload 0.2 COMPONENTS Core Widgets Media
# Quick TestServer). Each component's targets come from its own export set (mu_add_library()); the
# config file finds each component's dependencies and then its targets. Every path in them is
# relative to the config file, so a moved prefix still works.
set(mu_components Core)
if(MU_BUILD_WIDGETS)
    list(APPEND mu_components Widgets)
endif()
if(MU_BUILD_MEDIA)
    list(APPEND mu_components Media)
endif()
if(MU_BUILD_QUICK AND MU_BUILD_SHARED)
    list(APPEND mu_components Quick)
endif()
if(MU_BUILD_TESTSERVER)
    list(APPEND mu_components TestServer)
endif()
# The QML import folder relative to the config file's folder, for MatrixUpload_QML_IMPORT_DIR.
file(RELATIVE_PATH MU_CMAKEDIR_TO_QMLDIR
    ${CMAKE_INSTALL_PREFIX}/${MU_INSTALL_CMAKEDIR} ${CMAKE_INSTALL_PREFIX}/${MU_INSTALL_QMLDIR})
set(MU_BUILT_COMPONENTS ${mu_components})
set(MU_QT_VERSION ${Qt6_VERSION})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/MatrixUploadConfig.cmake.in
    ${PROJECT_BINARY_DIR}/MatrixUploadConfig.cmake
    INSTALL_DESTINATION ${MU_INSTALL_CMAKEDIR})
# 0.x releases break their API between minor versions: 0.2 takes 0.2.*, not 0.3.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/MatrixUploadConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES
        ${PROJECT_BINARY_DIR}/MatrixUploadConfig.cmake
        ${PROJECT_BINARY_DIR}/MatrixUploadConfigVersion.cmake
    DESTINATION ${MU_INSTALL_CMAKEDIR} COMPONENT Devel)
