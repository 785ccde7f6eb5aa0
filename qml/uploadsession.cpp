// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadsession.h"

namespace MatrixUpload::Qml {

UploadSession::UploadSession(QObject *parent)
    : QObject(parent)
{ }

void UploadSession::setHomeserver(const QUrl &url)
{
    if (url == m_api.homeserver())
        return;
    m_api.setHomeserver(url);
    Q_EMIT homeserverChanged();
}

void UploadSession::setAccessToken(const QString &token)
{
    if (token == m_api.accessToken())
        return;
    m_api.setAccessToken(token);
    Q_EMIT accessTokenChanged();
}

} // namespace MatrixUpload::Qml
