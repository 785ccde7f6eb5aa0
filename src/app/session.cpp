// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "session.h"
#include "uploadhistory.h"

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/credentials.h>
#include <matrixupload/media/mediadescriber.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/secretstore.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/uploadmanager.h>

#include <QCryptographicHash>
#include <QImageReader>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
//! A folder per account, named by a hash: user IDs may hold characters no file system likes.
QString accountDir(const QUrl &homeserver, const QString &userId)
{
    const QByteArray key
        = homeserver.toString(QUrl::StripTrailingSlash).toUtf8() + ' ' + userId.toUtf8();
    const QString name = QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/accounts/"_s
        + name;
}
} // namespace

Session::Session(QNetworkAccessManager *nam, const QUrl &homeserver, const QString &accessToken,
    const QString &userId, const AppSettings &settings, QObject *parent)
    : QObject(parent)
    , m_homeserver(homeserver)
    , m_userId(userId)
    , m_dataDir(accountDir(homeserver, userId))
{
    m_api = std::make_unique<MediaApi>(nam);
    m_api->setHomeserver(homeserver);
    m_api->setAccessToken(accessToken);
    m_api->setUserId(userId);
    m_store = std::make_unique<JsonResumeStore>(m_dataDir + u"/uploads"_s);
    m_manager = std::make_unique<UploadManager>(m_api.get(), m_store.get());
    // The keys of encrypted uploads go to the keychain, so that they resume after a restart.
    // Without a keychain store() fails at once and such an upload resumes within this run only.
    // (No isAvailable() probe here: it waits in a local event loop, and the sign-in that made
    // this session still has events on their way.)
    const CredentialAccount account { homeserver, userId };
    m_secrets = std::make_unique<KeychainSecretStore>(
        account.isValid() ? account.key() : homeserver.toString(QUrl::StripTrailingSlash));
    m_manager->setSecretStore(m_secrets.get());
    // Before restore(), as the poster: each file's message carries its sizes, duration,
    // BlurHash and thumbnail.
    m_describer = std::make_unique<MediaDescriber>(m_manager.get());
    // Before restore(): the poster picks up the posts still due for restored uploads.
    m_poster = std::make_unique<RoomPoster>(m_manager.get(), m_dataDir + u"/posts.json"_s);
    m_poster->setImageSizeReader([](const QString &path) {
        QImageReader reader(path);
        QSize size = reader.size();
        // The size people see: after the rotation the file's EXIF data asks for.
        if (reader.transformation() & QImageIOHandler::TransformationRotate90)
            size.transpose();
        return size;
    });
    // Each completed upload, with the event ID of its message once posted.
    m_history = std::make_unique<UploadHistory>(m_dataDir + u"/history.json"_s);
    m_history->watch(m_manager.get(), m_poster.get());
    apply(settings);
    m_restored = int(m_manager->restore().size());
}

Session::~Session()
{
    // The poster watches the manager's jobs: it goes first. The history is written now.
    m_history.reset();
    m_poster.reset();
    m_manager.reset();
}

void Session::apply(const AppSettings &settings)
{
    m_manager->setMaxParallel(settings.parallelUploads);
    m_manager->setOptions(settings.uploadOptions(m_manager->options()));
    m_poster->setRoom(settings.defaultRoomId, settings.defaultRoomName);
    m_poster->setWhen(settings.postWhen);
}

} // namespace MatrixUpload::App
