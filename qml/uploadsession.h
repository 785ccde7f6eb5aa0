// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader QML module: an upload manager made in QML, with the network stack it needs.
#pragma once

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadmanager.h>

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>
#include <QtQml/qqml.h>

namespace MatrixUpload::Qml {

//! `UploadSession { homeserver: ...; accessToken: ... }` owns a network manager, a MediaApi and
//! an UploadManager for one signed-in account, for clients that keep their account in QML.
//! Its uploads do not survive a restart (there is no resume store); a client that wants that
//! creates the UploadManager in C++ with a JsonResumeStore and hands it to the view.
//!
//! \code
//! UploadSession { id: session; homeserver: account.homeserver; accessToken: account.token }
//! UploadManagerView { manager: session.manager }
//! \endcode
class UploadSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QUrl homeserver READ homeserver WRITE setHomeserver NOTIFY homeserverChanged)
    //! Write it from the account's store; it is sent only as a Bearer token to the homeserver.
    Q_PROPERTY(QString accessToken READ accessToken WRITE setAccessToken NOTIFY accessTokenChanged)
    Q_PROPERTY(MatrixUpload::UploadManager *manager READ manager CONSTANT)
public:
    explicit UploadSession(QObject *parent = nullptr);

    QUrl homeserver() const { return m_api.homeserver(); }
    void setHomeserver(const QUrl &url);
    QString accessToken() const { return m_api.accessToken(); }
    void setAccessToken(const QString &token);
    UploadManager *manager() { return &m_manager; }

Q_SIGNALS:
    void homeserverChanged();
    void accessTokenChanged();

private:
    // Declared in the order they depend on each other: destroyed jobs first, the network last.
    QNetworkAccessManager m_nam;
    MediaApi m_api { &m_nam };
    UploadManager m_manager { &m_api };
};

} // namespace MatrixUpload::Qml
