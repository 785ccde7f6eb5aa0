// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// MediaApi against the in-process test media server, over real loopback sockets: each call's
// success path and its error paths, asserted on the results and on the server's request record.
#include "apicalls.h"
#include "fixtures.h"
#include "mediaapibench.h"
#include "sequentialsource.h"

#include <matrixupload/api/mediaapi.h>

#include <matrixupload/testserver/mediatestserver.h>

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

#include <cstring>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using MatrixUpload::Testing::SequentialSource;
using MatrixUpload::Testing::sourceOf;

namespace {
constexpr int waitMs = 20000;

//! Waits for \a call, checks that finished() fired exactly once, and returns its result. The
//! call is deleted on return.
template<class T> ApiResult<T> await(ApiCall<T> *call)
{
    const std::unique_ptr<ApiCall<T>> owner(call);
    QSignalSpy finished(call, &ApiCallBase::finished);
    if (!finished.wait(waitMs))
        return MatrixError::local(u"test: the call did not finish"_s);
    QCoreApplication::processEvents(); // a second finished() would arrive here
    if (finished.count() != 1)
        return MatrixError::local(u"test: finished() fired %1 times"_s.arg(finished.count()));
    return call->result();
}

struct Raw
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
};

//! A plain request outside MediaApi, to put media into the server.
Raw raw(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
    const QByteArray &body = {}, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(waitMs);
    Raw r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    reply->deleteLater();
    return r;
}

QByteArray testContent(qsizetype size)
{
    return MatrixUpload::Testing::content(size);
}

QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;
void captureLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_log.append(QString::fromLatin1(context.category) + u": "_s + message);
}
} // namespace

class tst_MediaApi final : public QObject, protected MatrixUpload::Testing::MediaApiBench
{
    Q_OBJECT

    static MediaTestServerConfig defaultConfig()
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.tokens.insert(u"ALICE"_s, u"alice"_s);
        return config;
    }

    //! A fresh server with \a config and a MediaApi bound to it with alice's token.
    bool start(const MediaTestServerConfig &config)
    {
        if (!startApi(config))
            return false;
        m_api->setAccessToken(u"ALICE"_s);
        return true;
    }

    QUrl url(const QString &path) const
    {
        QUrl u = m_server->baseUrl();
        u.setPath(path);
        return u;
    }

    //! The stable /create answers "unrecognized" once, as a pre-v1.7 MSC2246 server would.
    bool stableCreateUnrecognizedOnce()
    {
        return m_server->addFault(
            QJsonObject { { u"status"_s, 404 }, { u"errcode"_s, u"M_UNRECOGNIZED"_s },
                { u"route"_s, u"create"_s }, { u"times"_s, 1 } });
    }

    //! Media with \a content on the server, put there without MediaApi: through the upload URL
    //! when /create offers one, else the MSC2246 PUT, else the legacy upload. Empty on failure.
    QString uploadedMedia(const QByteArray &content)
    {
        const QList<std::pair<QByteArray, QByteArray>> auth { { "Authorization", "Bearer ALICE" } };
        if (!m_server->config().asyncUploads) {
            const Raw legacy = raw(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), content,
                { { "Authorization", "Bearer ALICE" }, { "Content-Type", "text/plain" } });
            return legacy.status == 200 ? legacy.json.value(u"content_uri"_s).toString()
                                        : QString();
        }
        const Raw created = raw(*m_nam, "POST", url(u"/_matrix/media/v1/create"_s), "{}", auth);
        const QString uri = created.json.value(u"content_uri"_s).toString();
        const QString uploadUrl = created.json.value(u"upload_url"_s).toString();
        Raw put;
        if (!uploadUrl.isEmpty()) {
            const QByteArray n = QByteArray::number(content.size());
            put = raw(*m_nam, "PUT", QUrl(uploadUrl), content,
                { { "Content-Range",
                      "bytes 0-" + QByteArray::number(content.size() - 1) + '/' + n },
                    { "Content-Type", "text/plain" } });
        } else {
            const auto mxc = MxcUri::parse(uri);
            if (!mxc)
                return {};
            put = raw(*m_nam, "PUT",
                url(u"/_matrix/media/v3/upload/"_s + mxc->serverName + u'/' + mxc->mediaId),
                content, { { "Authorization", "Bearer ALICE" }, { "Content-Type", "text/plain" } });
        }
        return put.status == 200 || put.status == 201 ? uri : QString();
    }

private Q_SLOTS:
    void init() { QVERIFY(start(defaultConfig())); }

    void cleanup()
    {
        // protocol.md 1: the token never travels in a query string.
        const QJsonArray all = m_server ? m_server->requests() : QJsonArray();
        for (const QJsonValue &v : all)
            QVERIFY(!v.toObject().value(u"query"_s).toString().contains(u"access_token"_s));
        // The wire check of every upload test (tests/auto/shared/fixtures.h).
        MatrixUpload::Testing::verifyNothingSecretReachedUploadUrls(all, { u"ALICE"_s });
        m_api.reset();
        m_nam.reset();
        m_server.reset();
    }

    // --- discovery and versions -----------------------------------------------------------

    void discoverFromUrl_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addRow("origin") << QString();
        QTest::addRow("trailing slash") << u"/"_s;
    }

    void discoverFromUrl()
    {
        QFETCH(QString, suffix);
        MediaApi fresh(m_nam.get()); // discovery needs no homeserver and no token
        const auto found = await(fresh.discover(m_server->baseUrl().toString() + suffix));
        VERIFY_OK(found);
        QCOMPARE(found->baseUrl, m_server->baseUrl());
        QVERIFY(found->fromWellKnown);
        QVERIFY(found->versions.versions.contains(u"v1.11"_s));
        QCOMPARE(requests(u"/.well-known/matrix/client"_s).size(), 1);
        const auto versions = requests(u"/_matrix/client/versions"_s);
        QCOMPARE(versions.size(), 1);
        QVERIFY(authorization(versions.first()).isEmpty());
        QVERIFY(!fresh.homeserver().isValid()); // discovery changes nothing by itself
    }

    void discoverUnreachable()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const auto found = await(m_api->discover(u"http://127.0.0.1:%1"_s.arg(port)));
        QVERIFY(!found);
        QCOMPARE(found.error().kind(), MatrixError::Kind::Transport);
        QCOMPARE(found.error().networkError(), QNetworkReply::ConnectionRefusedError);
        QVERIFY(found.error().isRetryable());
    }

    void discoverRejectsInput_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addRow("empty") << QString();
        QTest::addRow("spaces") << u"not a server"_s;
        QTest::addRow("ftp URL") << u"ftp://example.org"_s;
        QTest::addRow("path without scheme") << u"example.org/matrix"_s;
    }

    void discoverRejectsInput()
    {
        QFETCH(QString, input);
        const auto found = await(m_api->discover(input));
        QVERIFY(!found);
        QCOMPARE(found.error().kind(), MatrixError::Kind::Local);
        QCOMPARE(m_server->requests().size(), 0);
    }

    void versions_data()
    {
        QTest::addColumn<bool>("asyncUploads");
        QTest::addColumn<bool>("uploadUrls");
        QTest::addRow("modern server") << true << true;
        QTest::addRow("pre-v1.7 server") << false << false;
    }

    void versions()
    {
        QFETCH(bool, asyncUploads);
        QFETCH(bool, uploadUrls);
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = asyncUploads;
        QVERIFY(start(config));
        QVERIFY(!m_api->serverVersions());
        const auto v = await(m_api->versions());
        VERIFY_OK(v);
        QCOMPARE(v->asyncUploadsStable(), asyncUploads);
        QCOMPARE(v->asyncUploads(), asyncUploads);
        QCOMPARE(v->uploadUrls(), uploadUrls);
        QCOMPARE(v->authenticatedMedia(), asyncUploads); // the server says v1.11 or v1.6
        QVERIFY(m_api->serverVersions());
        QCOMPARE(m_api->serverVersions()->versions, v->versions);
        // Since v1.10 the answer may depend on the user: the token goes along.
        QCOMPARE(
            authorization(requests(u"/_matrix/client/versions"_s).value(0)), u"Bearer ALICE"_s);
    }

    void versionsWithoutToken()
    {
        m_api->setAccessToken({});
        VERIFY_OK(await(m_api->versions()));
        const auto seen = requests(u"/_matrix/client/versions"_s);
        QCOMPARE(seen.size(), 1);
        QVERIFY(!seen.first().value(u"headers"_s).toObject().contains(u"authorization"_s));
    }

    void noHomeserver()
    {
        MediaApi unbound(m_nam.get());
        const auto config = await(unbound.mediaConfig());
        QVERIFY(!config);
        QCOMPARE(config.error().kind(), MatrixError::Kind::Local);
    }

    // --- login and logout ------------------------------------------------------------------

    void login()
    {
        m_api->setAccessToken({});
        const auto login = await(m_api->loginWithPassword(u"alice"_s, u"secret"_s, u"DEV1"_s));
        VERIFY_OK(login);
        QVERIFY(!login->accessToken.isEmpty());
        QCOMPARE(login->userId, u"@alice:localhost"_s);
        QCOMPARE(login->deviceId, u"DEV1"_s);
        QCOMPARE(login->wellKnownBaseUrl, m_server->baseUrl());
        QCOMPARE(m_api->accessToken(), login->accessToken);
        const auto seen = requests(u"/_matrix/client/v3/login"_s);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.first().value(u"method"_s).toString(), u"POST"_s);
        QVERIFY(seen.first().value(u"query"_s).toString().isEmpty());
        // The new token works.
        VERIFY_OK(await(m_api->mediaConfig()));
        QCOMPARE(authorization(requests(u"/_matrix/client/v1/media/config"_s).value(0)),
            u"Bearer "_s + login->accessToken);
    }

    void loginWrongPassword()
    {
        m_api->setAccessToken({});
        const auto login = await(m_api->loginWithPassword(u"alice"_s, u"wrong"_s));
        QVERIFY(!login);
        QCOMPARE(login.error().httpStatus(), 403);
        QCOMPARE(login.error().errcode(), u"M_FORBIDDEN"_s);
        QVERIFY(!login.error().isRetryable());
        QVERIFY(m_api->accessToken().isEmpty());
    }

    void logout()
    {
        const auto login = await(m_api->loginWithPassword(u"alice"_s, u"secret"_s));
        VERIFY_OK(login);
        VERIFY_OK(await(m_api->logout()));
        QVERIFY(m_api->accessToken().isEmpty());
        QCOMPARE(authorization(requests(u"/_matrix/client/v3/logout"_s).value(0)),
            u"Bearer "_s + login->accessToken);
        // The server forgot the token.
        m_api->setAccessToken(login->accessToken);
        const auto config = await(m_api->mediaConfig());
        QVERIFY(!config);
        QCOMPARE(config.error().errcode(), u"M_UNKNOWN_TOKEN"_s);
    }

    void missingToken()
    {
        m_api->setAccessToken({});
        const auto created = await(m_api->createContent());
        QVERIFY(!created);
        QCOMPARE(created.error().httpStatus(), 401);
        QCOMPARE(created.error().errcode(), u"M_MISSING_TOKEN"_s);
        QVERIFY(created.error().isUnauthorized());
        QVERIFY(!created.error().isRetryable());
        const auto seen = requests(u"/_matrix/media/v1/create"_s);
        QCOMPARE(seen.size(), 1); // a 401 is no reason to try the unstable path
        QVERIFY(!seen.first().value(u"headers"_s).toObject().contains(u"authorization"_s));
    }

    void unknownToken()
    {
        m_api->setAccessToken(u"not-a-token"_s);
        const auto config = await(m_api->mediaConfig());
        QVERIFY(!config);
        QCOMPARE(config.error().httpStatus(), 401);
        QCOMPARE(config.error().errcode(), u"M_UNKNOWN_TOKEN"_s);
        QVERIFY(config.error().isUnauthorized());
        QCOMPARE(config.error().body().value(u"soft_logout"_s).toBool(true), false);
    }

    // --- media config ----------------------------------------------------------------------

    void mediaConfig_data()
    {
        QTest::addColumn<bool>("asyncUploads");
        QTest::addColumn<qint64>("maxUploadSize");
        QTest::addColumn<QString>("path");
        QTest::addRow("v1.11 with a limit")
            << true << qint64(5000000) << u"/_matrix/client/v1/media/config"_s;
        QTest::addRow("v1.11 without a limit")
            << true << qint64(0) << u"/_matrix/client/v1/media/config"_s;
        QTest::addRow("pre-v1.11 uses v3")
            << false << qint64(1234) << u"/_matrix/media/v3/config"_s;
    }

    void mediaConfig()
    {
        QFETCH(bool, asyncUploads);
        QFETCH(qint64, maxUploadSize);
        QFETCH(QString, path);
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = asyncUploads;
        config.maxUploadSize = maxUploadSize;
        QVERIFY(start(config));
        const auto result = await(m_api->mediaConfig());
        VERIFY_OK(result);
        if (maxUploadSize > 0)
            QCOMPARE(result->maxUploadSize.value_or(-1), maxUploadSize);
        else
            QVERIFY(!result->maxUploadSize);
        // The path depends on versions, fetched first because nobody asked for them yet.
        const QJsonArray all = m_server->requests();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].toObject().value(u"path"_s).toString(), u"/_matrix/client/versions"_s);
        QCOMPARE(all[1].toObject().value(u"path"_s).toString(), path);
        QCOMPARE(authorization(all[1].toObject()), u"Bearer ALICE"_s);
    }

    // --- create ----------------------------------------------------------------------------

    void createContent_data()
    {
        using P = MediaTestServerConfig::UploadUrlProtocol;
        QTest::addColumn<P>("protocol");
        QTest::addColumn<bool>("announce");
        QTest::addColumn<QByteArray>("putMethod");
        QTest::addColumn<QString>("expectedProtocol");
        QTest::addColumn<QByteArray>("expectedMethod");
        QTest::addRow("content-range")
            << P::ContentRange << true << "PUT"_ba << u"content-range"_s << "PUT"_ba;
        QTest::addRow("tus") << P::Tus << true << "PUT"_ba << u"tus"_s << "PATCH"_ba;
        QTest::addRow("put with POST") << P::Put << true << "POST"_ba << u"put"_s << "POST"_ba;
        QTest::addRow("no upload_protocol means put")
            << P::ContentRange << false << "PUT"_ba << u"put"_s << "PUT"_ba;
        QTest::addRow("no upload URL") << P::None << true << "PUT"_ba << u"put"_s << "PUT"_ba;
    }

    void createContent()
    {
        using P = MediaTestServerConfig::UploadUrlProtocol;
        QFETCH(P, protocol);
        QFETCH(bool, announce);
        QFETCH(QByteArray, putMethod);
        QFETCH(QString, expectedProtocol);
        QFETCH(QByteArray, expectedMethod);
        MediaTestServerConfig config = defaultConfig();
        config.uploadUrlProtocol = protocol;
        config.announceUploadProtocol = announce;
        config.putMethod = putMethod;
        QVERIFY(start(config));

        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const auto created = await(m_api->createContent());
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        VERIFY_OK(created);
        QCOMPARE(created->contentUri.serverName, u"localhost"_s);
        QCOMPARE(m_server->mediaInfo(created->contentUri.toString()).value(u"state"_s).toString(),
            u"pending"_s);
        QVERIFY(created->unusedExpiresAt);
        QVERIFY(*created->unusedExpiresAt >= before + config.unusedExpiryMs);
        QVERIFY(*created->unusedExpiresAt <= after + config.unusedExpiryMs);
        QVERIFY(!created->unstable);
        QCOMPARE(created->uploadProtocol, expectedProtocol);
        QCOMPARE(created->uploadMethod, expectedMethod);
        if (protocol == P::None) {
            QVERIFY(created->uploadUrl.isEmpty());
        } else {
            QCOMPARE(created->uploadUrl.path(), u"/_upload/"_s + created->contentUri.mediaId);
            QVERIFY(created->uploadUrl.query().contains(u"sig="_s));
        }
        const auto seen = requests(u"/_matrix/media/"_s);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.first().value(u"path"_s).toString(), u"/_matrix/media/v1/create"_s);
        QCOMPARE(seen.first().value(u"method"_s).toString(), u"POST"_s);
        QCOMPARE(authorization(seen.first()), u"Bearer ALICE"_s);
        QCOMPARE(seen.first().value(u"content_length"_s).toInteger(), 2); // "{}"
    }

    void createRateLimited()
    {
        QVERIFY(m_server->addFault(QJsonObject {
            { u"status"_s, 429 }, { u"route"_s, u"create"_s }, { u"retry_after"_s, 7 } }));
        const auto created = await(m_api->createContent());
        QVERIFY(!created);
        QCOMPARE(created.error().httpStatus(), 429);
        QCOMPARE(created.error().retryAfterMs().value_or(-1), 7000);
        QVERIFY(created.error().isRetryable());
        QVERIFY(!created.error().isUnrecognized());
        QCOMPARE(requests(u"/_matrix/media/"_s).size(), 1);
    }

    void createUnrecognized()
    {
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = false;
        QVERIFY(start(config));
        const auto created = await(m_api->createContent());
        QVERIFY(!created);
        QVERIFY(created.error().isUnrecognized());
        QCOMPARE(created.error().errcode(), u"M_UNRECOGNIZED"_s);
        const auto seen = requests(u"/_matrix/media/"_s);
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[0].value(u"path"_s).toString(), u"/_matrix/media/v1/create"_s);
        QCOMPARE(seen[1].value(u"path"_s).toString(),
            u"/_matrix/media/unstable/fi.mau.msc2246/create"_s);
    }

    void createFallsBackToUnstable()
    {
        QVERIFY(stableCreateUnrecognizedOnce());
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        QVERIFY(created->unstable);
        const auto seen = requests(u"/_matrix/media/"_s);
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[1].value(u"path"_s).toString(),
            u"/_matrix/media/unstable/fi.mau.msc2246/create"_s);
        QCOMPARE(authorization(seen[1]), u"Bearer ALICE"_s);
    }

    void createForbiddenIsFinal()
    {
        QVERIFY(m_server->addFault(QJsonObject { { u"status"_s, 403 },
            { u"errcode"_s, u"M_FORBIDDEN"_s }, { u"route"_s, u"create"_s } }));
        const auto created = await(m_api->createContent());
        QVERIFY(!created);
        QCOMPARE(created.error().errcode(), u"M_FORBIDDEN"_s);
        QCOMPARE(requests(u"/_matrix/media/"_s).size(), 1);
    }

    // --- complete --------------------------------------------------------------------------

    void completeUpload_data()
    {
        using C = MediaTestServerConfig::CompletePaths;
        using P = MediaTestServerConfig::UploadUrlProtocol;
        QTest::addColumn<C>("paths");
        QTest::addColumn<P>("protocol"); // None: the server does not flag com.beeper.msc3870
        QTest::addColumn<QStringList>("tried");
        QTest::addColumn<bool>("detected");
        QTest::addRow("both, flagged: unstable first")
            << C::Both << P::ContentRange << QStringList { u"unstable"_s } << false;
        QTest::addRow("stable only, flagged")
            << C::Stable << P::ContentRange << QStringList { u"unstable"_s, u"stable"_s } << false;
        QTest::addRow("unstable only, flagged")
            << C::Unstable << P::ContentRange << QStringList { u"unstable"_s } << false;
        QTest::addRow("both, not flagged: stable first")
            << C::Both << P::None << QStringList { u"stable"_s } << false;
        QTest::addRow("unstable only, not flagged")
            << C::Unstable << P::None << QStringList { u"stable"_s, u"unstable"_s } << false;
        QTest::addRow("none: the server detects completion")
            << C::None << P::ContentRange << QStringList { u"unstable"_s, u"stable"_s } << true;
    }

    void completeUpload()
    {
        using C = MediaTestServerConfig::CompletePaths;
        using P = MediaTestServerConfig::UploadUrlProtocol;
        QFETCH(C, paths);
        QFETCH(P, protocol);
        QFETCH(QStringList, tried);
        QFETCH(bool, detected);
        MediaTestServerConfig config = defaultConfig();
        config.completePaths = paths;
        config.uploadUrlProtocol = protocol;
        QVERIFY(start(config));
        const QString uri = uploadedMedia(testContent(1000));
        QVERIFY(!uri.isEmpty());
        m_server->clearRequests();

        const QString fileName = u"holiday photo ü & co.jpg"_s;
        const auto done = await(m_api->completeUpload(*MxcUri::parse(uri), fileName));
        VERIFY_OK(done);
        QCOMPARE(done->detectedByServer, detected);
        QStringList seen;
        for (const QJsonObject &r : requests(u"/_matrix/media/"_s)) {
            const QString path = r.value(u"path"_s).toString();
            QVERIFY(path.endsWith(u"/complete"_s));
            QCOMPARE(r.value(u"method"_s).toString(), u"POST"_s);
            QCOMPARE(authorization(r), u"Bearer ALICE"_s);
            seen.append(path.startsWith(u"/_matrix/media/v1/upload/"_s) ? u"stable"_s
                    : path.startsWith(u"/_matrix/media/unstable/com.beeper.msc3870/upload/"_s)
                    ? u"unstable"_s
                    : path);
        }
        QCOMPARE(seen, tried);
        if (!detected) {
            QCOMPARE(done->contentUri, uri);
            const QJsonObject info = m_server->mediaInfo(uri);
            QVERIFY(info.value(u"complete_called"_s).toBool());
            QCOMPARE(info.value(u"file_name"_s).toString(), fileName);
        }
    }

    void completeBeforeUploadFails()
    {
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        const auto done = await(m_api->completeUpload(created->contentUri));
        // The server refuses: a real failure, not "the server detects completion".
        QVERIFY(!done);
        QCOMPARE(done.error().httpStatus(), 400);
        QVERIFY(!done.error().isUnrecognized());
    }

    // --- uploads ---------------------------------------------------------------------------

    void uploadToContentUri_data()
    {
        QTest::addColumn<bool>("sequential");
        QTest::addColumn<qsizetype>("size");
        QTest::addRow("buffer") << false << qsizetype(200 * 1024 + 3);
        QTest::addRow("sequential device") << true << qsizetype(200 * 1024 + 3);
        QTest::addRow("empty file") << false << qsizetype(0);
    }

    void uploadToContentUri()
    {
        QFETCH(bool, sequential);
        QFETCH(qsizetype, size);
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        m_server->clearRequests();

        const QByteArray content = testContent(size);
        QBuffer buffer;
        buffer.setData(content);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        SequentialSource stream(content);
        UploadSource source;
        source.device = sequential ? static_cast<QIODevice *>(&stream) : &buffer;
        source.size = size;
        source.contentType = "text/plain; charset=utf-8";
        source.fileName = u"notes \"2024\" ü.txt"_s;
        auto *call = m_api->uploadToContentUri(created->contentUri, source);
        QSignalSpy progress(call, &ApiCallBase::progress);
        VERIFY_OK(await(call));

        const QString uri = created->contentUri.toString();
        QCOMPARE(m_server->mediaContent(uri), content);
        const QJsonObject info = m_server->mediaInfo(uri);
        QCOMPARE(info.value(u"via"_s).toString(), u"async"_s);
        QCOMPARE(info.value(u"content_type"_s).toString(), u"text/plain; charset=utf-8"_s);
        QCOMPARE(info.value(u"file_name"_s).toString(), source.fileName);
        const auto seen = requests(u"/_matrix/media/"_s);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.first().value(u"method"_s).toString(), u"PUT"_s);
        QCOMPARE(seen.first().value(u"path"_s).toString(),
            u"/_matrix/media/v3/upload/localhost/"_s + created->contentUri.mediaId);
        QCOMPARE(authorization(seen.first()), u"Bearer ALICE"_s);
        QCOMPARE(seen.first().value(u"content_length"_s).toInteger(), size);
        QVERIFY(!seen.first().value(u"headers"_s).toObject().contains(u"transfer-encoding"_s));
        if (size > 0) {
            QVERIFY(!progress.isEmpty());
            QCOMPARE(progress.last().at(0).toLongLong(), size);
            QCOMPARE(progress.last().at(1).toLongLong(), size);
        }
    }

    void uploadToContentUriUnstable()
    {
        QVERIFY(stableCreateUnrecognizedOnce());
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        QVERIFY(created->unstable);
        const QByteArray content = testContent(100);
        QBuffer buffer;
        buffer.setData(content);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        VERIFY_OK(await(m_api->uploadToContentUri(
            created->contentUri, sourceOf(&buffer, content.size()), created->unstable)));
        QCOMPARE(m_server->mediaContent(created->contentUri.toString()), content);
        QCOMPARE(requests(u"/_matrix/media/unstable/fi.mau.msc2246/upload/"_s).size(), 1);
    }

    void uploadToContentUriRefused()
    {
        const QByteArray content = testContent(100);
        QBuffer buffer;
        buffer.setData(content);
        auto send = [&](const MxcUri &uri) {
            buffer.close();
            buffer.open(QIODevice::ReadOnly);
            return await(m_api->uploadToContentUri(uri, sourceOf(&buffer, content.size())));
        };
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        VERIFY_OK(send(created->contentUri));
        const auto again = send(created->contentUri);
        QVERIFY(!again);
        QCOMPARE(again.error().httpStatus(), 409);
        QCOMPARE(again.error().errcode(), u"M_CANNOT_OVERWRITE_MEDIA"_s);
        QVERIFY(!again.error().isRetryable());

        const auto expired = await(m_api->createContent());
        VERIFY_OK(expired);
        QVERIFY(m_server->expireMedia(expired->contentUri.toString()));
        const auto late = send(expired->contentUri);
        QVERIFY(!late);
        QCOMPARE(late.error().httpStatus(), 404);
        QCOMPARE(late.error().errcode(), u"M_NOT_FOUND"_s);
        QVERIFY(!late.error().isUnrecognized()); // a dead ID, not a missing endpoint
    }

    void uploadTooLarge()
    {
        MediaTestServerConfig config = defaultConfig();
        config.maxUploadSize = 50;
        QVERIFY(start(config));
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        QBuffer buffer;
        buffer.setData(testContent(51));
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        const auto sent
            = await(m_api->uploadToContentUri(created->contentUri, sourceOf(&buffer, 51)));
        QVERIFY(!sent);
        QCOMPARE(sent.error().httpStatus(), 413);
        QCOMPARE(sent.error().errcode(), u"M_TOO_LARGE"_s);
    }

    void uploadSizeMismatchRefusedLocally()
    {
        QBuffer buffer;
        buffer.setData(testContent(10));
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        const auto sent = await(m_api->uploadContent(sourceOf(&buffer, 5)));
        QVERIFY(!sent);
        QCOMPARE(sent.error().kind(), MatrixError::Kind::Local);
        const auto unopened = await(m_api->uploadContent(sourceOf(nullptr, 5)));
        QVERIFY(!unopened);
        QCOMPARE(unopened.error().kind(), MatrixError::Kind::Local);
        QCOMPARE(m_server->requests().size(), 0);
    }

    void uploadContentLegacy()
    {
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = false;
        QVERIFY(start(config));
        const QByteArray content = testContent(1024 * 1024 + 5);
        QTemporaryFile file;
        QVERIFY(file.open());
        QCOMPARE(file.write(content), content.size());
        QVERIFY(file.seek(0));
        UploadSource source = sourceOf(&file, file.size());
        source.contentType = "application/pdf";
        source.fileName = u"report.pdf"_s;
        const auto uri = await(m_api->uploadContent(source));
        VERIFY_OK(uri);
        QCOMPARE(uri->serverName, u"localhost"_s);
        QCOMPARE(m_server->mediaContent(uri->toString()), content);
        const QJsonObject info = m_server->mediaInfo(uri->toString());
        QCOMPARE(info.value(u"via"_s).toString(), u"legacy"_s);
        QCOMPARE(info.value(u"file_name"_s).toString(), u"report.pdf"_s);
        QCOMPARE(info.value(u"content_type"_s).toString(), u"application/pdf"_s);
        const auto seen = requests(u"/_matrix/media/v3/upload"_s);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.first().value(u"method"_s).toString(), u"POST"_s);
        QCOMPARE(authorization(seen.first()), u"Bearer ALICE"_s);
        QCOMPARE(seen.first().value(u"content_length"_s).toInteger(), content.size());
    }

    // --- download --------------------------------------------------------------------------

    void downloadContent()
    {
        const QByteArray content = testContent(70000);
        const QString uri = uploadedMedia(content);
        QVERIFY(!uri.isEmpty());
        m_server->clearRequests();
        const auto got = await(m_api->downloadContent(*MxcUri::parse(uri)));
        VERIFY_OK(got);
        QCOMPARE(got->data, content);
        QCOMPARE(got->size, content.size());
        QCOMPARE(got->contentType, "text/plain"_ba);
        QVERIFY(!got->redirected);
        const auto seen = requests(u"/_matrix/client/v1/media/download/"_s);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.first().value(u"path"_s).toString(),
            u"/_matrix/client/v1/media/download/localhost/"_s + MxcUri::parse(uri)->mediaId);
        QCOMPARE(authorization(seen.first()), u"Bearer ALICE"_s);
        QVERIFY(seen.first().value(u"query"_s).toString().contains(u"allow_redirect=true"_s));
    }

    void downloadLegacy()
    {
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = false; // versions up to v1.6: no authenticated media
        QVERIFY(start(config));
        const QByteArray content = testContent(5000);
        const QString uri = uploadedMedia(content);
        QVERIFY(!uri.isEmpty());
        DownloadOptions options;
        options.fileName = u"a b.txt"_s;
        const auto got = await(m_api->downloadContent(*MxcUri::parse(uri), options));
        VERIFY_OK(got);
        QCOMPARE(got->data, content);
        const auto seen = requests(u"/_matrix/media/v3/download/"_s);
        QCOMPARE(seen.size(), 1);
        QVERIFY(seen.first().value(u"path"_s).toString().endsWith(u"/a%20b.txt"_s));
        // The legacy endpoint is unauthenticated: it gets no token.
        QVERIFY(!seen.first().value(u"headers"_s).toObject().contains(u"authorization"_s));
        QVERIFY(requests(u"/_matrix/client/v1/media/"_s).isEmpty());
    }

    void downloadRedirect()
    {
        MediaTestServerConfig config = defaultConfig();
        config.downloadRedirect = true;
        QVERIFY(start(config));
        const QByteArray content = testContent(3000);
        const QString uri = uploadedMedia(content);
        QVERIFY(!uri.isEmpty());
        m_server->clearRequests();
        const auto got = await(m_api->downloadContent(*MxcUri::parse(uri)));
        VERIFY_OK(got);
        QCOMPARE(got->data, content);
        QVERIFY(got->redirected);
        const QJsonArray all = m_server->requests();
        QCOMPARE(all.size(), 3); // versions, the authenticated download, the redirect target
        const QJsonObject first = all[1].toObject();
        const QJsonObject second = all[2].toObject();
        QVERIFY(
            first.value(u"path"_s).toString().startsWith(u"/_matrix/client/v1/media/download/"_s));
        QCOMPARE(first.value(u"status"_s).toInt(), 307);
        QCOMPARE(authorization(first), u"Bearer ALICE"_s);
        QVERIFY(second.value(u"path"_s).toString().startsWith(u"/_download/"_s));
        QCOMPARE(second.value(u"status"_s).toInt(), 200);
        QVERIFY(!second.value(u"headers"_s).toObject().contains(u"authorization"_s));
        QVERIFY(!second.value(u"headers"_s).toObject().contains(u"cookie"_s));
    }

    void downloadNotYetUploaded()
    {
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        DownloadOptions options;
        options.timeoutMs = 0;
        const auto got = await(m_api->downloadContent(created->contentUri, options));
        QVERIFY(!got);
        QCOMPARE(got.error().httpStatus(), 504);
        QCOMPARE(got.error().errcode(), u"M_NOT_YET_UPLOADED"_s);
        QVERIFY(got.error().isRetryable());
        const auto seen = requests(u"/_matrix/client/v1/media/download/"_s);
        QCOMPARE(seen.size(), 1);
        QVERIFY(seen.first().value(u"query"_s).toString().contains(u"timeout_ms=0"_s));
    }

    void downloadWaitsForUpload()
    {
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        DownloadOptions options;
        options.timeoutMs = 15000;
        auto *call = m_api->downloadContent(created->contentUri, options);
        const std::unique_ptr<ApiCall<DownloadResult>> owner(call);
        QSignalSpy finished(call, &ApiCallBase::finished);
        // The download is waiting on the server; now the bytes arrive.
        QTRY_COMPARE(requests(u"/_matrix/client/v1/media/download/"_s).size(), 1);
        QVERIFY(!call->isFinished());
        const QByteArray content = testContent(2000);
        const Raw put = raw(*m_nam, "PUT", created->uploadUrl, content,
            { { "Content-Range", "bytes 0-1999/2000" } });
        QCOMPARE(put.status, 200);
        QVERIFY(finished.count() == 1 || finished.wait(waitMs));
        VERIFY_OK(call->result());
        QCOMPARE(call->result()->data, content);
    }

    void downloadToDevice()
    {
        const QByteArray content = testContent(300 * 1024);
        const QString uri = uploadedMedia(content);
        QVERIFY(!uri.isEmpty());
        QBuffer sink;
        QVERIFY(sink.open(QIODevice::WriteOnly));
        DownloadOptions options;
        options.sink = &sink;
        auto *call = m_api->downloadContent(*MxcUri::parse(uri), options);
        QSignalSpy progress(call, &ApiCallBase::progress);
        const auto got = await(call);
        VERIFY_OK(got);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), content.size());
        QCOMPARE(progress.last().at(1).toLongLong(), content.size());
        QVERIFY(got->data.isEmpty());
        QCOMPARE(got->size, content.size());
        QCOMPARE(sink.data(), content);
    }

    void downloadErrorBodyNotStreamed()
    {
        QBuffer sink;
        QVERIFY(sink.open(QIODevice::WriteOnly));
        DownloadOptions options;
        options.sink = &sink;
        const auto got
            = await(m_api->downloadContent(*MxcUri::parse(u"mxc://localhost/unknown"_s), options));
        QVERIFY(!got);
        QCOMPARE(got.error().httpStatus(), 404);
        QCOMPARE(got.error().errcode(), u"M_NOT_FOUND"_s);
        QVERIFY(!got.error().isUnrecognized());
        QVERIFY(sink.data().isEmpty());
    }

    // --- the call object -------------------------------------------------------------------

    void abortCancels()
    {
        auto *call = m_api->mediaConfig();
        const std::unique_ptr<ApiCall<MediaConfig>> owner(call);
        QSignalSpy finished(call, &ApiCallBase::finished);
        call->abort();
        QCOMPARE(finished.count(), 1);
        QVERIFY(call->isFinished());
        QVERIFY(call->result().error().isCancelled());
        call->abort();
        QCoreApplication::processEvents();
        QCOMPARE(finished.count(), 1);
    }

    void thenDeletesTheCall()
    {
        std::optional<qint64> limit;
        bool called = false;
        bool ok = false;
        auto *call = m_api->mediaConfig();
        const QPointer<ApiCallBase> watch(call);
        call->then(this, [&](const ApiResult<MediaConfig> &r) {
            called = true;
            ok = r.hasValue();
            if (r)
                limit = r->maxUploadSize;
        });
        QTRY_VERIFY(called);
        QVERIFY(ok);
        QVERIFY(!limit); // the default server has no limit
        QTRY_VERIFY(watch.isNull());
    }

    void destroyingTheApiCancelsCalls()
    {
        auto *call = m_api->createContent();
        bool cancelled = false;
        int finishedCount = 0;
        connect(call, &ApiCallBase::finished, this, [&] {
            ++finishedCount;
            cancelled = call->result().error().isCancelled();
        });
        m_api.reset();
        QCOMPARE(finishedCount, 1);
        QVERIFY(cancelled);
    }

    // --- logging ---------------------------------------------------------------------------

    void tokenAndSignaturesNeverLogged()
    {
        MediaTestServerConfig config = defaultConfig();
        config.downloadRedirect = true;
        QVERIFY(start(config));
        g_log.clear();
        QLoggingCategory::setFilterRules(u"matrixupload.*.debug=true"_s);
        g_previousHandler = qInstallMessageHandler(captureLog);
        auto restoreLogging = [] {
            qInstallMessageHandler(g_previousHandler);
            QLoggingCategory::setFilterRules(QString());
        };
        auto guard = qScopeGuard(restoreLogging); // also when a check below fails

        const auto login = await(m_api->loginWithPassword(u"alice"_s, u"secret"_s));
        VERIFY_OK(login);
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        const Raw put = raw(
            *m_nam, "PUT", created->uploadUrl, "hello"_ba, { { "Content-Range", "bytes 0-4/5" } });
        QCOMPARE(put.status, 200);
        VERIFY_OK(await(m_api->downloadContent(created->contentUri)));
        guard.dismiss();
        restoreLogging();

        QVERIFY(!g_log.isEmpty());
        QVERIFY(g_log.filter(u"matrixupload.api"_s).size() == g_log.size());
        QVERIFY(!g_log.filter(u"/_download/"_s).isEmpty()); // the redirect was logged...
        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(login->accessToken), qPrintable(line));
            QVERIFY2(!line.contains(u"sig="_s), qPrintable(line)); // ...without its signature
            QVERIFY2(!line.contains(u"secret"_s), qPrintable(line));
        }
    }
};

QTEST_GUILESS_MAIN(tst_MediaApi)
#include "tst_mediaapi.moc"
