# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Debian packages, one per install component (packaging/README.md; packaging/build-debs.sh builds
# them the way they are meant to be built: prefix /usr, no install run paths):
#   Runtime    -> libmatrixupload0       the shared libraries and the QML module
#   Devel      -> libmatrixupload-dev    headers, the CMake package, the .so links
#   App        -> matrix-uploader        the app and the CLI, desktop file, metainfo, icon
#   TestServer -> matrix-media-testserver
# Run from the build tree: `cpack -G DEB`.
set(mu_deb_version ${PROJECT_VERSION})
set(mu_pkg_runtime libmatrixupload0)
set(mu_pkg_devel libmatrixupload-dev)
set(mu_pkg_app matrix-uploader)
set(mu_pkg_testserver matrix-media-testserver)

# What every Debian binary package carries: the copyright file and the changelog (native
# version, so changelog.gz, compressed without a time stamp).
set(mu_changelog_gz ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/packaging)
execute_process(COMMAND gzip -9nc ${CMAKE_CURRENT_LIST_DIR}/changelog
    OUTPUT_FILE ${mu_changelog_gz} RESULT_VARIABLE mu_gzip_result)
if(NOT mu_gzip_result EQUAL 0)
    message(FATAL_ERROR "gzip failed on packaging/changelog: ${mu_gzip_result}")
endif()
foreach(component IN ITEMS Runtime Devel App TestServer)
    string(TOLOWER ${component} lower)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright ${mu_changelog_gz}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${mu_pkg_${lower}} COMPONENT ${component})
endforeach()

set(CPACK_PACKAGE_NAME "matrix-uploader")
set(CPACK_PACKAGE_VENDOR "Matrix Uploader")
# CPack's own placeholder summary on purpose: with any other, CPackDeb puts it before each
# package's description; with this one each package's synopsis is the first line of its own
# CPACK_COMPONENT_<NAME>_DESCRIPTION below.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_CONTACT
    "Matrix Uploader contributors <matrixuploader@users.noreply.github.com>")
set(CPACK_PACKAGE_VERSION ${mu_deb_version})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
# Only ours: nothing may land in CMake's "Unspecified" component (tests/package/test_deb.sh).
set(CPACK_COMPONENTS_ALL Runtime Devel App TestServer)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SOURCE matrix-uploader)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/matrixuploader/matrix-uploader")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps for what the linker sees; our own libraries are found in the build tree (they
# have no shlibs file installed yet) and are named below with their exact version instead.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    ${PROJECT_BINARY_DIR}/src/core ${PROJECT_BINARY_DIR}/src/widgets
    ${PROJECT_BINARY_DIR}/src/media ${PROJECT_BINARY_DIR}/src/testserver
    ${PROJECT_BINARY_DIR}/qml)
set(mu_exact "${mu_pkg_runtime} (= ${mu_deb_version})")

# libmatrixupload0. A shlibs file (and the ldconfig trigger) for packages built against it; 0.x
# breaks its ABI between minor versions (cmake/MatrixUploadPackage.cmake), hence "=".
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${mu_pkg_runtime})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# (CPack 3.25 has no per-package switch for it; only libmatrixupload0 has versioned libraries.)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
# libc's ldconfig trigger (Debian policy 8.1.1); CPack adds an ldconfig call to postinst and
# postrm besides, which lintian warns about (packaging/README.md).
file(WRITE ${PROJECT_BINARY_DIR}/packaging/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/packaging/triggers)
# What dpkg-shlibdeps cannot see: the QML modules the MatrixUpload module imports (qml/*.qml;
# QtQml.Models is its declared dependency) and the ones QtQuick imports in turn, which Debian's
# qml6-module-qtquick does not depend on (QtQml, QtQml.WorkerScript: scripts/package-smoke.sh
# found that), and libsecret, which QtKeychain loads at run time for the Secret Service. The
# service itself is a desktop's choice: a Recommends.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS
    "libsecret-1-0, qml6-module-qtqml, qml6-module-qtqml-models, qml6-module-qtqml-workerscript, qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, qml6-module-qtquick-templates")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "resumable direct uploads into Matrix content repositories (libraries)
MatrixUpload uploads files into a Matrix homeserver's content repository: it
asks for a content URI first, sends the bytes straight to the server's upload
URL in resumable chunks when the server offers one, and falls back to the
homeserver's upload endpoint otherwise.
.
This package holds the shared libraries (Core, Widgets, Media, TestServer and
Quick) and the QML module MatrixUpload.")

# libmatrixupload-dev: the CMake package finds these Qt modules (cmake/MatrixUploadConfig.cmake.in).
set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME ${mu_pkg_devel})
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS
    "${mu_exact}, qt6-base-dev, qt6-declarative-dev, qt6-httpserver-dev, qt6-websockets-dev")
set(CPACK_COMPONENT_DEVEL_DESCRIPTION
    "resumable direct uploads into Matrix content repositories (development files)
MatrixUpload uploads files into a Matrix homeserver's content repository,
resumable and straight to the server's storage where it offers that.
.
This package holds the headers, the .so links and the CMake package:
find_package(MatrixUpload COMPONENTS Core Widgets Media Quick TestServer).")

# matrix-uploader: the Widgets app needs a platform plugin (xcb, wayland) and Qt's SVG icon
# engine for its icon; neither is linked.
set(CPACK_DEBIAN_APP_PACKAGE_NAME ${mu_pkg_app})
set(CPACK_DEBIAN_APP_PACKAGE_SECTION net)
set(CPACK_DEBIAN_APP_PACKAGE_DEPENDS "${mu_exact}, libqt6svg6, qt6-qpa-plugins")
set(CPACK_DEBIAN_APP_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc, qt6-wayland")
set(CPACK_COMPONENT_APP_DESCRIPTION
    "upload files to a Matrix server, resumable and straight to its storage
Matrix Uploader puts files into a Matrix content repository: drop them on the
window, or give them to matrix-uploader-cli. Interrupted uploads resume where
they stopped, the access token stays in the system keychain, and a finished
upload can be posted to a room with a caption.")

# matrix-media-testserver
set(CPACK_DEBIAN_TESTSERVER_PACKAGE_NAME ${mu_pkg_testserver})
set(CPACK_DEBIAN_TESTSERVER_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_TESTSERVER_PACKAGE_DEPENDS "${mu_exact}")
set(CPACK_COMPONENT_TESTSERVER_DESCRIPTION
    "Matrix media test server for upload clients
matrix-media-testserver is a small Matrix homeserver for tests: login, rooms,
the media repository with direct upload URLs (resumable, S3-style and tus),
and fault injection, over loopback.")
include(CPack)
