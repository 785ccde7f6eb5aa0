// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: plays the whole server side of docs/protocol.md (Matrix
// login, media config, MSC2246 create and PUT, MSC3870 upload URLs in three protocols, complete,
// legacy upload, download), faults included, over real sockets.
#pragma once

#include <matrixupload/testserver/matrixupload_testserver_export.h>

#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace MatrixUpload {

//! A room the server knows (docs/testserver.md, "Rooms"): its m.room.name, who is joined and
//! whether it is encrypted.
struct MATRIXUPLOAD_TESTSERVER_EXPORT MediaTestServerRoom
{
    QString name; //!< empty: the room has no m.room.name
    QStringList members; //!< localparts; empty: every user is joined
    //! The room has `m.room.encryption` state (`{"algorithm": "m.megolm.v1.aes-sha2"}`).
    bool encrypted = false;
};

//! How the server is set up. The defaults give a modern homeserver that hands out
//! `content-range` upload URLs.
struct MATRIXUPLOAD_TESTSERVER_EXPORT MediaTestServerConfig
{
    enum class UploadUrlProtocol { None, Put, ContentRange, Tus };
    enum class CompletePaths { Both, Stable, Unstable, None };

    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; //!< 0: any free port
    QString serverName = QStringLiteral("localhost"); //!< the server part of mxc:// URIs
    QString dataDir; //!< empty: a temporary folder that goes with the server
    QHash<QString, QString> passwords; //!< localpart -> password
    QHash<QString, QString> tokens; //!< access token -> localpart, valid from the start
    //! Access tokens issued by login and refresh expire this long after they were issued
    //! (`expires_in_ms`); 0: they never expire. The tokens above never expire.
    qint64 tokenLifetimeMs = 0;
    //! Offer single sign-on (`m.login.sso`, docs/testserver.md "Single sign-on") beside the
    //! password: the identity-provider step approves at once as ssoUser, with no page.
    bool sso = true;
    //! The localpart that single sign-on signs in (need not have a password).
    QString ssoUser = QStringLiteral("alice");

    UploadUrlProtocol uploadUrlProtocol = UploadUrlProtocol::ContentRange;
    QByteArray putMethod = "PUT"; //!< upload_method for the `put` protocol (PUT or POST)
    bool announceUploadProtocol = true; //!< send `upload_protocol` in the create answer
    QUrl uploadUrlBase; //!< where upload URLs point; empty: this server
    bool asyncUploads = true; //!< false: no /create (a pre-v1.7 server)
    CompletePaths completePaths = CompletePaths::Both;
    bool downloadRedirect = false; //!< authenticated downloads answer 307 to a signed URL

    //! Upload URLs that point at a real third-party server instead of this one
    //! (docs/testserver.md, "External upload targets"). The kind overrides uploadUrlProtocol.
    struct ExternalTarget
    {
        enum class Kind { None, Put, Tus, S3 };
        Kind kind = Kind::None;
        QUrl endpoint; //!< PUT origin folder, tus creation URL, or S3 endpoint
        QString s3Bucket;
        QString s3AccessKey;
        QString s3SecretKey;
        QString s3Region = QStringLiteral("us-east-1");
        QString s3SignContentType; //!< non-empty: presigned PUT URLs sign this Content-Type
    } external;

    qint64 maxUploadSize = 0; //!< 0: no limit (and no m.upload.size)
    int maxPendingPerUser = 0; //!< 0: no limit
    qint64 unusedExpiryMs = 24LL * 3600 * 1000;
    qint64 maxRequestBody = 64LL * 1024 * 1024;
    bool enableTestControl = false; //!< serve /_test/faults and /_test/requests
    QMap<QString, MediaTestServerRoom> rooms; //!< room ID ("!demo:localhost") -> room
};

class MediaTestServerPrivate;

//! An in-process Matrix media server for tests, the demo and the benchmarks.
//!
//! \code
//! MediaTestServerConfig config;
//! config.passwords.insert(u"alice"_s, u"secret"_s);
//! MediaTestServer server(config);
//! if (!server.listen()) qFatal("%s", qPrintable(server.errorString()));
//! qDebug() << server.baseUrl(); // http://127.0.0.1:PORT
//! \endcode
class MATRIXUPLOAD_TESTSERVER_EXPORT MediaTestServer : public QObject
{
    Q_OBJECT
public:
    explicit MediaTestServer(const MediaTestServerConfig &config = {}, QObject *parent = nullptr);
    ~MediaTestServer() override;

    bool listen();
    QString errorString() const;
    QUrl baseUrl() const;
    quint16 port() const;
    const MediaTestServerConfig &config() const;

    //! Faults, as the /_test/faults endpoint takes them (see faultHelp()).
    bool addFault(const QJsonObject &fault, QString *error = nullptr);
    void clearFaults();
    static QString faultHelp();
    //! Lets every request the `hold_request` fault holds back go on (also `POST /_test/release`);
    //! returns how many there were.
    int releaseHeldRequests();
    //! How many requests the `hold_request` fault holds back now.
    int heldRequests() const;

    //! The requests seen, oldest first: method, path, query, headers (lower-case names),
    //! content_length, body_size (bytes that arrived), status, dropped; body_to for an upload
    //! body streamed to disk: "spool" or "direct" (into the upload's bytes file).
    QJsonArray requests() const;
    void clearRequests();

    //! Expires an access token now (\a token "*": every token, including the configured ones):
    //! requests with it answer 401 M_UNKNOWN_TOKEN with soft_logout true, as after its
    //! lifetime. Returns whether the server knew it.
    bool expireAccessToken(const QString &token);

    //! Expires a pending media ID now (also takes "mxc://server/id" or "*" for all).
    bool expireMedia(const QString &mediaIdOrUri);
    //! What the server holds for a media ID: the record (state, stored, total, sha256, via, ...)
    //! or an empty object.
    QJsonObject mediaInfo(const QString &mediaIdOrUri) const;
    QByteArray mediaContent(const QString &mediaIdOrUri) const;
    //! The bytes of a media ID's content the server has received so far, also of an upload
    //! still in flight: the stored bytes, or where the body of an unanswered upload request
    //! (upload URL, MSC2246 PUT) has got to (its start offset plus the bytes the relay read),
    //! whichever is further. -1 for an unknown ID. Also `GET /_test/received/ID`.
    qint64 bytesReceived(const QString &mediaIdOrUri) const;

    //! The devices that logged in, oldest first: user_id, device_id, display_name (the login's
    //! `initial_device_display_name`, absent when it gave none), login_type. Also
    //! `GET /_test/devices`.
    QJsonArray devices() const;

    //! Adds a room (or replaces the one with that ID); \a members empty: every user is joined.
    void addRoom(const QString &roomId, const QString &name, const QStringList &members = {});
    //! Adds a room (or replaces the one with that ID), e.g. an encrypted one.
    void addRoom(const QString &roomId, const MediaTestServerRoom &room);
    //! The events sent to rooms (send and redact), oldest first: event_id, room_id, sender,
    //! type, content, txn_id, origin_server_ts, and redacts for a redaction; in an encrypted
    //! room also room_encrypted (true), and plaintext_media (true) for an `m.room.message`
    //! whose content has a `url`. In memory only.
    QJsonArray events() const;
    //! Forgets the events and the transaction IDs seen.
    void clearEvents();

Q_SIGNALS:
    void mediaCompleted(const QString &contentUri);
    //! A new event was recorded (not for a repeated transaction); the object events() holds.
    void eventReceived(const QJsonObject &event);

private:
    std::unique_ptr<MediaTestServerPrivate> d;
};

} // namespace MatrixUpload
