// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: one signed-in account and what runs for it.
#pragma once

#include "appsettings.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace MatrixUpload {
class JsonResumeStore;
class KeychainSecretStore;
class MediaDescriber;
class MediaApi;
class UploadManager;
class RoomPoster;
} // namespace MatrixUpload

namespace MatrixUpload::App {

class UploadHistory;

//! The engine for one account: the API client, the uploads (resumable across restarts from a
//! folder of this account's own) and the poster that sends each file to the chosen room.
class Session : public QObject
{
    Q_OBJECT
public:
    //! \a userId may be empty (a token from the environment). Unfinished uploads of an earlier
    //! run are listed, paused, at once.
    Session(QNetworkAccessManager *nam, const QUrl &homeserver, const QString &accessToken,
        const QString &userId, const AppSettings &settings, QObject *parent = nullptr);
    ~Session() override;

    QUrl homeserver() const { return m_homeserver; }
    QString userId() const { return m_userId; }
    MediaApi *api() const { return m_api.get(); }
    UploadManager *manager() const { return m_manager.get(); }
    RoomPoster *poster() const { return m_poster.get(); }
    //! How many uploads of an earlier run were listed at start.
    int restoredCount() const { return m_restored; }
    //! This account's completed uploads, kept across restarts (history.json in dataDir()).
    UploadHistory *history() const { return m_history.get(); }
    //! Where this account's resume records, pending posts and history are kept.
    QString dataDir() const { return m_dataDir; }

    //! New settings for the uploads added from now on (and the number running at once).
    void apply(const AppSettings &settings);

private:
    QUrl m_homeserver;
    QString m_userId;
    QString m_dataDir;
    std::unique_ptr<MediaApi> m_api;
    std::unique_ptr<JsonResumeStore> m_store;
    std::unique_ptr<KeychainSecretStore> m_secrets; //!< the keys of encrypted uploads
    std::unique_ptr<UploadManager> m_manager;
    std::unique_ptr<MediaDescriber> m_describer;
    std::unique_ptr<RoomPoster> m_poster;
    std::unique_ptr<UploadHistory> m_history;
    int m_restored = 0;
};

} // namespace MatrixUpload::App
