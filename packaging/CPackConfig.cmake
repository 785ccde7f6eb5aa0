# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Debian package of whatever the build installs: `cpack --config build/CPackConfig.cmake -G DEB`
# (run from the build tree). Per-platform notes live beside this file.
set(CPACK_PACKAGE_NAME "matrix-uploader")
set(CPACK_PACKAGE_VENDOR "Matrix Uploader")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "Matrix Uploader developers")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
include(CPack)
