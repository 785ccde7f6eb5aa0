// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader's programs: the first steps of main(), the same for the CLI and the app.
#pragma once

#include <QCoreApplication>
#include <QString>

namespace MatrixUpload {

//! Before the application object is made: QtMultimedia's FFmpeg backend, unless
//! QT_MEDIA_BACKEND names one. Qt before 6.5 picks GStreamer, whose Debian build decodes no
//! H.264 or VP9 without extra plug-ins; the FFmpeg one describes videos (MediaInfoReader, and
//! the CLI's --json line through MediaDescriber).
inline void preferFfmpegMediaBackend()
{
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
}

//! The organisation (QSettings' folder, shared by the programs), \a applicationName and the
//! version of the build (MU_VERSION, which the program's CMakeLists.txt defines).
inline void setProgramIdentity(const QString &applicationName)
{
    QCoreApplication::setOrganizationName(QStringLiteral("MatrixUploader"));
    QCoreApplication::setApplicationName(applicationName);
    QCoreApplication::setApplicationVersion(QStringLiteral(MU_VERSION));
}

} // namespace MatrixUpload
