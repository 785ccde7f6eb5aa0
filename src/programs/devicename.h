// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader's programs: the device display name a sign-in gives the server, the same for
// the CLI and the app.
#pragma once

#include <QCoreApplication>
#include <QSysInfo>

namespace MatrixUpload {

//! "Matrix Uploader on HOST", the `initial_device_display_name` of a new sign-in: what the user
//! sees in their other clients' device lists (and may rename there). Translated.
inline QString programDeviceDisplayName()
{
    QString host = QSysInfo::machineHostName();
    if (host.isEmpty())
        host = QSysInfo::prettyProductName();
    return QCoreApplication::translate("MatrixUpload::Programs", "Matrix Uploader on %1").arg(host);
}

} // namespace MatrixUpload
