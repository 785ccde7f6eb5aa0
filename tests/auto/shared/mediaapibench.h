// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// What the MediaApi tests share: an in-process test server, a MediaApi bound to it through a
// network manager of its own, and views of the server's request record.
#pragma once

#include <matrixupload/api/mediaapi.h>

#include <matrixupload/testserver/mediatestserver.h>

#include <QDebug>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>

#include <memory>

namespace MatrixUpload::Testing {

//! Test fixture members; a test class derives from QObject and from this.
class MediaApiBench
{
protected:
    //! The server of the running test; made by startApi().
    std::unique_ptr<MediaTestServer> m_server;
    //! The network manager m_api uses; a fresh one for every server.
    std::unique_ptr<QNetworkAccessManager> m_nam;
    //! The API under test, bound to m_server; not signed in.
    std::unique_ptr<MediaApi> m_api;

    //! A fresh server with \a config and a fresh MediaApi bound to it (with no token). False,
    //! with the server's error as a warning, when the server cannot listen.
    bool startApi(const MediaTestServerConfig &config)
    {
        m_api.reset();
        m_server = std::make_unique<MediaTestServer>(config);
        if (!m_server->listen()) {
            qWarning() << m_server->errorString();
            return false;
        }
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_api = std::make_unique<MediaApi>(m_nam.get());
        m_api->setHomeserver(m_server->baseUrl());
        return true;
    }

    //! The recorded requests whose path starts with \a prefix, oldest first.
    QList<QJsonObject> requests(const QString &prefix) const
    {
        QList<QJsonObject> found;
        const QJsonArray all = m_server->requests();
        for (const QJsonValue &v : all) {
            if (v.toObject().value(QStringLiteral("path")).toString().startsWith(prefix))
                found.append(v.toObject());
        }
        return found;
    }

    //! The Authorization header of a recorded \a request, or an empty string.
    static QString authorization(const QJsonObject &request)
    {
        return request.value(QStringLiteral("headers"))
            .toObject()
            .value(QStringLiteral("authorization"))
            .toString();
    }
};

} // namespace MatrixUpload::Testing
