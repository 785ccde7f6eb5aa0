// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "logging_p.h"

namespace MatrixUpload {

Q_LOGGING_CATEGORY(lcApi, "matrixupload.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJob, "matrixupload.job", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTransfer, "matrixupload.transfer", QtInfoMsg)

QString loggableUrl(const QUrl &url)
{
    QString text = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment)
                       .toString(QUrl::FullyEncoded);
    // Say that something was left out, so a reader does not take the URL for the whole one.
    if (url.hasQuery())
        text += QStringLiteral("?<redacted>");
    return text;
}

QString loggableUploadUrl(const QUrl &url)
{
    const QString origin = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveUserInfo
                                  | QUrl::RemoveFragment)
                               .toString(QUrl::FullyEncoded);
    const bool more = url.path().size() > 1 || url.hasQuery() || url.hasFragment();
    return more ? origin + QStringLiteral("/<redacted>") : origin;
}

} // namespace MatrixUpload
