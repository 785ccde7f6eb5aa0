// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the test media server itself, over real loopback sockets: the Matrix routes, their
// authentication and their errors, limits, downloads, and persistence across a restart.
#include "testserverbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUploadTest;

using Protocol = MediaTestServerConfig::UploadUrlProtocol;
using CompletePaths = MediaTestServerConfig::CompletePaths;
Q_DECLARE_METATYPE(MediaTestServerConfig::UploadUrlProtocol)
Q_DECLARE_METATYPE(MediaTestServerConfig::CompletePaths)

class tst_MediaTestServer final : public QObject, protected TestServerBench
{
    Q_OBJECT

    Reply get(const QString &path, const Headers &headers = auth())
    {
        return send(*m_nam, "GET", url(path), {}, headers);
    }
    //! Uploads \a bytes to a fresh content URI through MSC2246 PUT and returns the media ID.
    QString uploadAsync(const QByteArray &bytes, const QString &query = {})
    {
        const Created c = createMedia();
        const Reply r
            = send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id, query),
                bytes, auth() + Headers { { "Content-Type"_ba, "text/plain"_ba } });
        return r.status == 200 ? c.id : QString();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY2(restart(defaultConfig()), qPrintable(m_server->errorString()));
        QCOMPARE(m_server->baseUrl().host(), u"127.0.0.1"_s);
        QVERIFY(m_server->port() != 0);
        QCOMPARE(m_server->baseUrl().port(), int(m_server->port()));
    }

    void cleanup() { reset(); }

    void wellKnown()
    {
        const Reply r = get(u"/.well-known/matrix/client"_s, {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"m.homeserver"_s).toObject().value(u"base_url"_s).toString(),
            m_server->baseUrl().toString());
    }

    void versions_data()
    {
        QTest::addColumn<bool>("async");
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<QString>("newest");
        QTest::addColumn<bool>("msc3870");
        QTest::addRow("modern, content-range")
            << true << Protocol::ContentRange << u"v1.11"_s << true;
        QTest::addRow("modern, tus") << true << Protocol::Tus << u"v1.11"_s << true;
        QTest::addRow("modern, no upload URLs") << true << Protocol::None << u"v1.11"_s << false;
        QTest::addRow("pre-v1.7") << false << Protocol::ContentRange << u"v1.6"_s << false;
    }
    void versions()
    {
        QFETCH(bool, async);
        QFETCH(Protocol, protocol);
        QFETCH(QString, newest);
        QFETCH(bool, msc3870);
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = async;
        config.uploadUrlProtocol = protocol;
        QVERIFY(restart(config));

        const Reply r = get(u"/_matrix/client/versions"_s, {});
        QCOMPARE(r.status, 200);
        const QJsonArray versions = r.json.value(u"versions"_s).toArray();
        QCOMPARE(versions.first().toString(), u"v1.1"_s);
        QCOMPARE(versions.last().toString(), newest);
        QCOMPARE(versions.size(), newest.mid(3).toInt());
        const QJsonObject flags = r.json.value(u"unstable_features"_s).toObject();
        QCOMPARE(flags.value(u"fi.mau.msc2246"_s).toBool(), async);
        QCOMPARE(flags.value(u"com.beeper.msc3870"_s).toBool(), msc3870);
        // With a token, too (clients send it since v1.10).
        QCOMPARE(get(u"/_matrix/client/versions"_s).json, r.json);
    }

    void loginFlows()
    {
        const Reply r = get(u"/_matrix/client/v3/login"_s, {});
        QCOMPARE(r.status, 200);
        const QJsonArray flows = r.json.value(u"flows"_s).toArray();
        QCOMPARE(flows.size(), 3);
        QCOMPARE(flows.first().toObject().value(u"type"_s).toString(), u"m.login.password"_s);
        // Single sign-on with one identity provider, and the token login it ends with.
        const QJsonObject sso = flows[1].toObject();
        QCOMPARE(sso.value(u"type"_s).toString(), u"m.login.sso"_s);
        const QJsonArray idps = sso.value(u"identity_providers"_s).toArray();
        QCOMPARE(idps.size(), 1);
        QCOMPARE(idps.first().toObject().value(u"id"_s).toString(), u"test-idp"_s);
        QCOMPARE(flows[2].toObject().value(u"type"_s).toString(), u"m.login.token"_s);

        // Switched off: the password only, and no SSO route.
        MediaTestServerConfig config = defaultConfig();
        config.sso = false;
        QVERIFY(restart(config));
        const QJsonArray passwordOnly
            = get(u"/_matrix/client/v3/login"_s, {}).json.value(u"flows"_s).toArray();
        QCOMPARE(passwordOnly.size(), 1);
        QCOMPARE(
            passwordOnly.first().toObject().value(u"type"_s).toString(), u"m.login.password"_s);
        QCOMPARE(get(u"/_matrix/client/v3/login/sso/redirect?redirectUrl=http%3A%2F%2Fx%2F"_s, {})
                     .status,
            404);
    }

    void login_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addColumn<QString>("userId");
        const QByteArray identifier = R"("identifier":{"type":"m.id.user","user":)"_ba;
        QTest::addRow("right password") << R"({"type":"m.login.password",)"_ba + identifier
                + R"("alice"},"password":"secret"})"_ba
                                        << 200 << QString() << u"@alice:localhost"_s;
        QTest::addRow("full user ID") << R"({"type":"m.login.password",)"_ba + identifier
                + R"("@bob:localhost"},"password":"hunter2"})"_ba
                                      << 200 << QString() << u"@bob:localhost"_s;
        QTest::addRow("legacy user field")
            << R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba << 200
            << QString() << u"@alice:localhost"_s;
        QTest::addRow("wrong password") << R"({"type":"m.login.password",)"_ba + identifier
                + R"("alice"},"password":"secreT"})"_ba
                                        << 403 << u"M_FORBIDDEN"_s << QString();
        QTest::addRow("other user's password") << R"({"type":"m.login.password",)"_ba + identifier
                + R"("alice"},"password":"hunter2"})"_ba
                                               << 403 << u"M_FORBIDDEN"_s << QString();
        QTest::addRow("unknown user") << R"({"type":"m.login.password",)"_ba + identifier
                + R"("carol"},"password":"secret"})"_ba
                                      << 403 << u"M_FORBIDDEN"_s << QString();
        QTest::addRow("user of another server") << R"({"type":"m.login.password",)"_ba + identifier
                + R"("@alice:example.org"},"password":"secret"})"_ba
                                                << 403 << u"M_FORBIDDEN"_s << QString();
        QTest::addRow("bad JSON") << R"({"type":"m.login.password",)"_ba << 400 << u"M_NOT_JSON"_s
                                  << QString();
        QTest::addRow("JSON array") << "[]"_ba << 400 << u"M_NOT_JSON"_s << QString();
        QTest::addRow("empty body") << QByteArray() << 400 << u"M_NOT_JSON"_s << QString();
        QTest::addRow("other login type") << R"({"type":"org.example.other","token":"x"})"_ba << 400
                                          << u"M_UNKNOWN"_s << QString();
        QTest::addRow("unknown login token")
            << R"({"type":"m.login.token","token":"x"})"_ba << 403 << u"M_FORBIDDEN"_s << QString();
        QTest::addRow("login token not a string")
            << R"({"type":"m.login.token","token":1})"_ba << 400 << u"M_BAD_JSON"_s << QString();
        QTest::addRow("other identifier type")
            << R"({"type":"m.login.password","identifier":{"type":"m.id.thirdparty","medium":"email","address":"a@b"},"password":"secret"})"_ba
            << 400 << u"M_UNKNOWN"_s << QString();
        QTest::addRow("no password")
            << R"({"type":"m.login.password",)"_ba + identifier + R"("alice"}})"_ba << 400
            << u"M_BAD_JSON"_s << QString();
        QTest::addRow("password not a string")
            << R"({"type":"m.login.password",)"_ba + identifier + R"("alice"},"password":1})"_ba
            << 400 << u"M_BAD_JSON"_s << QString();
    }
    void login()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        QFETCH(QString, userId);
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s), body,
            { { "Content-Type"_ba, "application/json"_ba } });
        QCOMPARE(r.status, status);
        if (status != 200) {
            QCOMPARE(r.errcode(), errcode);
            QVERIFY(!r.json.value(u"error"_s).toString().isEmpty());
            QVERIFY(!r.json.contains(u"access_token"_s));
            return;
        }
        QCOMPARE(r.json.value(u"user_id"_s).toString(), userId);
        QVERIFY(!r.json.value(u"device_id"_s).toString().isEmpty());
        const QByteArray token = r.json.value(u"access_token"_s).toString().toLatin1();
        QVERIFY(!token.isEmpty());
        QCOMPARE(get(u"/_matrix/client/v1/media/config"_s, auth(token)).status, 200);
    }

    void loginKeepsDeviceId()
    {
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s),
            R"({"type":"m.login.password","user":"alice","password":"secret","device_id":"DEV1"})"_ba);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"device_id"_s).toString(), u"DEV1"_s);
        // Every login is a new session with its own token.
        const Reply again = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s),
            R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba);
        QCOMPARE(again.status, 200);
        QVERIFY(again.json.value(u"access_token"_s) != r.json.value(u"access_token"_s));
    }

    void logout()
    {
        const Reply login = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s),
            R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba);
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json.value(u"access_token"_s).toString().toLatin1();
        QCOMPARE(get(u"/_matrix/client/v1/media/config"_s, auth(token)).status, 200);

        const Reply out
            = send(*m_nam, "POST", url(u"/_matrix/client/v3/logout"_s), "{}"_ba, auth(token));
        QCOMPARE(out.status, 200);
        QCOMPARE(out.json, QJsonObject());

        const Reply after = get(u"/_matrix/client/v1/media/config"_s, auth(token));
        QCOMPARE(after.status, 401);
        QCOMPARE(after.errcode(), u"M_UNKNOWN_TOKEN"_s);
        const Reply twice
            = send(*m_nam, "POST", url(u"/_matrix/client/v3/logout"_s), "{}"_ba, auth(token));
        QCOMPARE(twice.status, 401);
        QCOMPARE(twice.errcode(), u"M_UNKNOWN_TOKEN"_s);
        // Other sessions live on.
        QCOMPARE(get(u"/_matrix/client/v1/media/config"_s).status, 200);
    }

    void mediaConfig_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("maxUploadSize");
        for (const QString &path :
            { u"/_matrix/client/v1/media/config"_s, u"/_matrix/media/v3/config"_s }) {
            QTest::addRow("%s, no limit", qPrintable(path)) << path << qint64(0);
            QTest::addRow("%s, 50 MiB", qPrintable(path)) << path << qint64(50 * 1024 * 1024);
        }
    }
    void mediaConfig()
    {
        QFETCH(QString, path);
        QFETCH(qint64, maxUploadSize);
        MediaTestServerConfig config = defaultConfig();
        config.maxUploadSize = maxUploadSize;
        QVERIFY(restart(config));
        const Reply r = get(path);
        QCOMPARE(r.status, 200);
        if (maxUploadSize == 0) {
            QCOMPARE(r.json, QJsonObject());
        } else {
            QCOMPARE(r.json.value(u"m.upload.size"_s).toInteger(), maxUploadSize);
        }
        const Reply anonymous = get(path, {});
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(anonymous.errcode(), u"M_MISSING_TOKEN"_s);
    }

    void authRequired_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QString>("errcode");
        const QList<std::pair<QByteArray, QString>> routes {
            { "GET"_ba, u"/_matrix/client/v1/media/config"_s },
            { "GET"_ba, u"/_matrix/media/v3/config"_s },
            { "POST"_ba, u"/_matrix/media/v1/create"_s },
            { "POST"_ba, u"/_matrix/media/unstable/fi.mau.msc2246/create"_s },
            { "POST"_ba, u"/_matrix/media/v1/upload/localhost/abc/complete"_s },
            { "POST"_ba,
                u"/_matrix/media/unstable/com.beeper.msc3870/upload/localhost/abc/complete"_s },
            { "PUT"_ba, u"/_matrix/media/v3/upload/localhost/abc"_s },
            { "PUT"_ba, u"/_matrix/media/unstable/fi.mau.msc2246/upload/localhost/abc"_s },
            { "POST"_ba, u"/_matrix/media/v3/upload"_s },
            { "GET"_ba, u"/_matrix/client/v1/media/download/localhost/abc"_s },
            { "GET"_ba, u"/_matrix/client/v1/media/download/localhost/abc/name.txt"_s },
            { "POST"_ba, u"/_matrix/client/v3/logout"_s },
        };
        const QList<std::tuple<const char *, Headers, QString>> credentials {
            { "no token", {}, u"M_MISSING_TOKEN"_s },
            { "unknown token", auth("NOPE"_ba), u"M_UNKNOWN_TOKEN"_s },
            { "basic auth", { { "Authorization"_ba, "Basic YWxpY2U6c2VjcmV0"_ba } },
                u"M_MISSING_TOKEN"_s },
            { "token in query only", {}, u"M_MISSING_TOKEN"_s },
        };
        for (const auto &[method, path] : routes) {
            for (const auto &[what, headers, errcode] : credentials)
                QTest::addRow("%s %s, %s", method.constData(), qPrintable(path), what)
                    << method << path << headers << errcode;
        }
    }
    void authRequired()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(Headers, headers);
        QFETCH(QString, errcode);
        // The query string never carries a token here (deprecated in v1.11).
        const Reply r = send(*m_nam, method, url(path, u"access_token=ALICE"_s), "{}"_ba, headers);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errcode(), errcode);
        if (errcode == u"M_UNKNOWN_TOKEN"_s)
            QCOMPARE(r.json.value(u"soft_logout"_s).toBool(true), false);
    }

    void create_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<QByteArray>("putMethod");
        QTest::addColumn<QString>("protocolName");
        QTest::addColumn<QString>("method");
        for (const QString &path :
            { u"/_matrix/media/v1/create"_s, u"/_matrix/media/unstable/fi.mau.msc2246/create"_s }) {
            const char *p = path.contains(u"unstable"_s) ? "unstable" : "stable";
            QTest::addRow("%s, no upload URL", p)
                << path << Protocol::None << "PUT"_ba << QString() << QString();
            QTest::addRow("%s, put", p)
                << path << Protocol::Put << "PUT"_ba << u"put"_s << u"PUT"_s;
            QTest::addRow("%s, put with POST", p)
                << path << Protocol::Put << "POST"_ba << u"put"_s << u"POST"_s;
            QTest::addRow("%s, content-range", p)
                << path << Protocol::ContentRange << "PUT"_ba << u"content-range"_s << u"PUT"_s;
            QTest::addRow("%s, tus", p)
                << path << Protocol::Tus << "PUT"_ba << u"tus"_s << u"PATCH"_s;
        }
    }
    void create()
    {
        QFETCH(QString, path);
        QFETCH(Protocol, protocol);
        QFETCH(QByteArray, putMethod);
        QFETCH(QString, protocolName);
        QFETCH(QString, method);
        MediaTestServerConfig config = defaultConfig();
        config.uploadUrlProtocol = protocol;
        config.putMethod = putMethod;
        config.unusedExpiryMs = 3600 * 1000;
        QVERIFY(restart(config));

        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const Created c = MatrixUploadTest::create(*m_nam, m_server->baseUrl(), "ALICE"_ba, path);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(c.status, 200);
        static const QRegularExpression uriForm(u"^mxc://localhost/[A-Za-z0-9_-]+$"_s);
        QVERIFY2(uriForm.match(c.uri).hasMatch(), qPrintable(c.uri));
        const qint64 expires = c.json.value(u"unused_expires_at"_s).toInteger();
        QVERIFY(expires >= before + 3600 * 1000);
        QVERIFY(expires <= after + 3600 * 1000);

        const QJsonObject info = m_server->mediaInfo(c.uri);
        QCOMPARE(info.value(u"state"_s).toString(), u"pending"_s);
        QCOMPARE(info.value(u"owner"_s).toString(), u"alice"_s);
        QCOMPARE(info.value(u"url_protocol"_s).toString(), protocolName);
        QCOMPARE(m_server->mediaInfo(c.id), info);

        if (protocol == Protocol::None) {
            for (const QString &key : { u"upload_url"_s, u"com.beeper.msc3870.upload_url"_s,
                     u"upload_method"_s, u"upload_protocol"_s })
                QVERIFY2(!c.json.contains(key), qPrintable(key));
            return;
        }
        QVERIFY(c.uploadUrl.isValid());
        QCOMPARE(c.uploadUrl.scheme(), u"http"_s);
        QCOMPARE(c.uploadUrl.host(), m_server->baseUrl().host());
        QCOMPARE(c.uploadUrl.port(), m_server->baseUrl().port());
        QVERIFY(c.uploadUrl.path().endsWith(c.id));
        const QUrlQuery query(c.uploadUrl);
        QVERIFY(query.hasQueryItem(u"sig"_s));
        QCOMPARE(query.queryItemValue(u"exp"_s).toLongLong(), expires);
        QCOMPARE(c.json.value(u"com.beeper.msc3870.upload_url"_s).toString(),
            c.json.value(u"upload_url"_s).toString());
        QCOMPARE(c.json.value(u"upload_method"_s).toString(), method);
        QCOMPARE(c.json.value(u"upload_protocol"_s).toString(), protocolName);
    }

    void createIdsDiffer()
    {
        const Created a = createMedia();
        const Created b = createMedia();
        QCOMPARE(a.status, 200);
        QCOMPARE(b.status, 200);
        QVERIFY(a.id != b.id);
        QVERIFY(a.uploadUrl != b.uploadUrl);
    }

    void createWithoutProtocolField()
    {
        MediaTestServerConfig config = defaultConfig();
        config.announceUploadProtocol = false;
        config.uploadUrlProtocol = Protocol::Tus;
        QVERIFY(restart(config));
        const Created c = createMedia();
        QCOMPARE(c.status, 200);
        QVERIFY(c.uploadUrl.isValid());
        QVERIFY(!c.json.contains(u"upload_protocol"_s));
        QCOMPARE(c.json.value(u"upload_method"_s).toString(), u"PATCH"_s);
    }

    void createUploadUrlBase()
    {
        MediaTestServerConfig config = defaultConfig();
        config.uploadUrlBase = QUrl(u"https://cdn.example.org:8443"_s);
        QVERIFY(restart(config));
        const Created c = createMedia();
        QCOMPARE(c.status, 200);
        QCOMPARE(c.uploadUrl.scheme(), u"https"_s);
        QCOMPARE(c.uploadUrl.host(), u"cdn.example.org"_s);
        QCOMPARE(c.uploadUrl.port(), 8443);
        QCOMPARE(c.uploadUrl.path(), u"/_upload/"_s + c.id);
    }

    void createWithoutExpiry()
    {
        MediaTestServerConfig config = defaultConfig();
        config.unusedExpiryMs = 0;
        QVERIFY(restart(config));
        const Created c = createMedia();
        QCOMPARE(c.status, 200);
        QVERIFY(!c.json.contains(u"unused_expires_at"_s));
        QCOMPARE(m_server->mediaInfo(c.id).value(u"expires_ms"_s).toInteger(), 0);
        // The upload URL still expires some time (a day later).
        QVERIFY(QUrlQuery(c.uploadUrl).queryItemValue(u"exp"_s).toLongLong()
            > QDateTime::currentMSecsSinceEpoch());
    }

    void createBody_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addRow("empty object") << "{}"_ba << 200 << QString();
        QTest::addRow("no body") << QByteArray() << 200 << QString();
        QTest::addRow("object with fields") << R"({"x":1})"_ba << 200 << QString();
        QTest::addRow("bad JSON") << "{"_ba << 400 << u"M_NOT_JSON"_s;
        QTest::addRow("array") << "[]"_ba << 400 << u"M_NOT_JSON"_s;
        QTest::addRow("text") << "hello"_ba << 400 << u"M_NOT_JSON"_s;
    }
    void createBody()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/media/v1/create"_s), body, auth());
        QCOMPARE(r.status, status);
        QCOMPARE(r.errcode(), errcode);
        if (status == 200)
            QVERIFY(r.json.value(u"content_uri"_s).toString().startsWith(u"mxc://localhost/"_s));
    }

    void noAsyncUploads()
    {
        MediaTestServerConfig config = defaultConfig();
        config.asyncUploads = false;
        QVERIFY(restart(config));
        for (const QString &path :
            { u"/_matrix/media/v1/create"_s, u"/_matrix/media/unstable/fi.mau.msc2246/create"_s,
                u"/_matrix/media/v3/upload/localhost/abc"_s }) {
            const QByteArray method = path.contains(u"create"_s) ? "POST"_ba : "PUT"_ba;
            const Reply r = send(*m_nam, method, url(path), "{}"_ba, auth());
            QCOMPARE(r.status, 404);
            QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
        }
        // The legacy upload is what is left.
        const Reply legacy
            = send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), "abc"_ba, auth());
        QCOMPARE(legacy.status, 200);
    }

    void complete_data()
    {
        QTest::addColumn<CompletePaths>("paths");
        QTest::addColumn<bool>("stable");
        QTest::addColumn<int>("status");
        const QList<std::tuple<const char *, CompletePaths, bool, bool>> configs {
            { "both", CompletePaths::Both, true, true },
            { "stable", CompletePaths::Stable, true, false },
            { "unstable", CompletePaths::Unstable, false, true },
            { "none", CompletePaths::None, false, false },
        };
        for (const auto &[name, paths, stableOn, unstableOn] : configs) {
            QTest::addRow("%s configured, stable path", name)
                << paths << true << (stableOn ? 200 : 404);
            QTest::addRow("%s configured, unstable path", name)
                << paths << false << (unstableOn ? 200 : 404);
        }
    }
    void complete()
    {
        QFETCH(CompletePaths, paths);
        QFETCH(bool, stable);
        QFETCH(int, status);
        MediaTestServerConfig config = defaultConfig();
        config.completePaths = paths;
        config.uploadUrlProtocol = Protocol::Put;
        QVERIFY(restart(config));
        const Created c = createMedia();
        QCOMPARE(send(*m_nam, "PUT", c.uploadUrl, "hello"_ba).status, 200);

        const QString path
            = (stable ? u"/_matrix/media/v1/upload/localhost/"_s
                      : u"/_matrix/media/unstable/com.beeper.msc3870/upload/localhost/"_s)
            + c.id + u"/complete"_s;
        const Reply r
            = send(*m_nam, "POST", url(path, u"filename=h%C3%A9llo.txt"_s), "{}"_ba, auth());
        QCOMPARE(r.status, status);
        const QJsonObject info = m_server->mediaInfo(c.id);
        if (status == 404) {
            QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
            QCOMPARE(info.value(u"complete_called"_s).toBool(), false);
            // The server saw the bytes arrive by itself: the media is served all the same.
            QCOMPARE(
                get(u"/_matrix/client/v1/media/download/localhost/"_s + c.id).body, "hello"_ba);
            return;
        }
        QCOMPARE(r.json.value(u"content_uri"_s).toString(), c.uri);
        QCOMPARE(info.value(u"complete_called"_s).toBool(), true);
        QCOMPARE(info.value(u"file_name"_s).toString(), u"h\u00e9llo.txt"_s);
        const Reply download = get(u"/_matrix/client/v1/media/download/localhost/"_s + c.id);
        QCOMPARE(download.body, "hello"_ba);
        QCOMPARE(download.header("Content-Disposition"),
            "attachment; filename*=utf-8''h%C3%A9llo.txt"_ba);
        // Completing twice is harmless.
        QCOMPARE(send(*m_nam, "POST", url(path), "{}"_ba, auth()).status, 200);
    }

    void completeErrors()
    {
        const Created pending = createMedia();
        const Created expired = createMedia();
        QVERIFY(m_server->expireMedia(expired.id));
        // Half an upload: complete must not accept it.
        QCOMPARE(putRange(*m_nam, pending.uploadUrl, 0, content(chunk), 2 * chunk).status, 308);

        auto complete = [&](const QString &server, const QString &id, const QByteArray &token) {
            return send(*m_nam, "POST",
                url(u"/_matrix/media/v1/upload/"_s + server + u"/"_s + id + u"/complete"_s),
                "{}"_ba, auth(token));
        };
        Reply r = complete(u"localhost"_s, u"unknownid"_s, "ALICE"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        r = complete(u"example.org"_s, pending.id, "ALICE"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        r = complete(u"localhost"_s, pending.id, "BOB"_ba);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errcode(), u"M_FORBIDDEN"_s);
        r = complete(u"localhost"_s, pending.id, "ALICE"_ba);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        QVERIFY(r.json.value(u"error"_s).toString().contains(u"262144"_s));
        r = complete(u"localhost"_s, expired.id, "ALICE"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        QCOMPARE(m_server->mediaInfo(pending.id).value(u"state"_s).toString(), u"pending"_s);
    }

    void asyncUpload_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addRow("stable") << u"/_matrix/media/v3/upload/"_s;
        QTest::addRow("unstable") << u"/_matrix/media/unstable/fi.mau.msc2246/upload/"_s;
    }
    void asyncUpload()
    {
        QFETCH(QString, prefix);
        const Created c = createMedia();
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);
        const QByteArray bytes = content(1000);
        const Reply r
            = send(*m_nam, "PUT", url(prefix + u"localhost/"_s + c.id, u"filename=photo.jpg"_s),
                bytes, auth() + Headers { { "Content-Type"_ba, "image/jpeg"_ba } });
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject());
        QCOMPARE(completed.size(), 1);
        QCOMPARE(completed.first().first().toString(), c.uri);

        const QJsonObject info = m_server->mediaInfo(c.uri);
        QCOMPARE(info.value(u"state"_s).toString(), u"complete"_s);
        QCOMPARE(info.value(u"via"_s).toString(), u"async"_s);
        QCOMPARE(info.value(u"total"_s).toInteger(), 1000);
        QCOMPARE(info.value(u"sha256"_s).toString(),
            QString::fromLatin1(
                QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
        QCOMPARE(m_server->mediaContent(c.uri), bytes);
        const Reply download = get(u"/_matrix/client/v1/media/download/localhost/"_s + c.id);
        QCOMPARE(download.status, 200);
        QCOMPARE(download.body, bytes);
        QCOMPARE(download.header("Content-Type"), "image/jpeg"_ba);
        QCOMPARE(
            download.header("Content-Disposition"), "attachment; filename*=utf-8''photo.jpg"_ba);
    }

    void asyncUploadErrors()
    {
        MediaTestServerConfig config = defaultConfig();
        config.maxUploadSize = 100;
        QVERIFY(restart(config));
        const Created c = createMedia();
        const Created expired = createMedia();
        QVERIFY(m_server->expireMedia(expired.uri));
        auto put = [&](const QString &server, const QString &id, const QByteArray &body,
                       const QByteArray &token) {
            return send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/"_s + server + u"/"_s + id),
                body, auth(token));
        };
        Reply r = put(u"localhost"_s, c.id, "x"_ba, "BOB"_ba);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errcode(), u"M_FORBIDDEN"_s);
        r = put(u"localhost"_s, u"neverCreated"_s, "x"_ba, "ALICE"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        r = put(u"example.org"_s, c.id, "x"_ba, "ALICE"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        r = put(u"localhost"_s, expired.id, "x"_ba, "ALICE"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        r = put(u"localhost"_s, c.id, content(101), "ALICE"_ba);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"state"_s).toString(), u"pending"_s);

        r = put(u"localhost"_s, c.id, content(100), "ALICE"_ba);
        QCOMPARE(r.status, 200);
        r = put(u"localhost"_s, c.id, "other"_ba, "ALICE"_ba);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errcode(), u"M_CANNOT_OVERWRITE_MEDIA"_s);
        QCOMPARE(m_server->mediaContent(c.id), content(100));
    }

    void asyncUploadReplacesPartialUrlUpload()
    {
        // The fallback of protocol.md 5: the upload URL got some bytes, then the client sends the
        // whole file through the homeserver; the file is what that PUT carried.
        const Created c = createMedia();
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(chunk, 9), 3 * chunk).status, 308);
        const QByteArray file = content(1000, 2);
        QCOMPARE(
            send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id), file, auth())
                .status,
            200);
        QCOMPARE(m_server->mediaContent(c.id), file);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"total"_s).toInteger(), 1000);
    }

    void legacyUpload()
    {
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);
        const QByteArray bytes = content(5000);
        const Reply r
            = send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s, u"filename=a%20b.bin"_s),
                bytes, auth() + Headers { { "Content-Type"_ba, "application/x-test"_ba } });
        QCOMPARE(r.status, 200);
        const QString uri = r.json.value(u"content_uri"_s).toString();
        QVERIFY(uri.startsWith(u"mxc://localhost/"_s));
        QCOMPARE(completed.size(), 1);
        QCOMPARE(completed.first().first().toString(), uri);
        const QJsonObject info = m_server->mediaInfo(uri);
        QCOMPARE(info.value(u"via"_s).toString(), u"legacy"_s);
        QCOMPARE(info.value(u"file_name"_s).toString(), u"a b.bin"_s);
        QCOMPARE(info.value(u"owner"_s).toString(), u"alice"_s);
        const Reply download
            = get(u"/_matrix/client/v1/media/download/localhost/"_s + uri.section(u'/', -1));
        QCOMPARE(download.body, bytes);
        QCOMPARE(download.header("Content-Type"), "application/x-test"_ba);
        // A legacy ID never had an upload URL.
        QCOMPARE(send(*m_nam, "PUT", url(u"/_upload/"_s + uri.section(u'/', -1), u"exp=1&sig=x"_s),
                     "x"_ba)
                     .status,
            404);
    }

    void legacyUploadTooLarge()
    {
        MediaTestServerConfig config = defaultConfig();
        config.maxUploadSize = 1000;
        QVERIFY(restart(config));
        const Reply r
            = send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), content(1001), auth());
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
        QCOMPARE(
            send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), content(1000), auth()).status,
            200);
    }

    void download_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("disposition");
        const QString authenticated = u"/_matrix/client/v1/media/download/localhost/"_s;
        const QString legacy = u"/_matrix/media/v3/download/localhost/"_s;
        QTest::addRow("authenticated")
            << authenticated << auth() << QString() << "attachment; filename*=utf-8''up.txt"_ba;
        QTest::addRow("authenticated, file name")
            << authenticated << auth() << u"other name.txt"_s
            << "attachment; filename*=utf-8''other%20name.txt"_ba;
        QTest::addRow("legacy, no token")
            << legacy << Headers() << QString() << "attachment; filename*=utf-8''up.txt"_ba;
        QTest::addRow("legacy, file name")
            << legacy << Headers() << u"x.txt"_s << "attachment; filename*=utf-8''x.txt"_ba;
    }
    void download()
    {
        QFETCH(QString, prefix);
        QFETCH(Headers, headers);
        QFETCH(QString, fileName);
        QFETCH(QByteArray, disposition);
        const QByteArray bytes = content(3000);
        const QString id = uploadAsync(bytes, u"filename=up.txt"_s);
        QVERIFY(!id.isEmpty());
        const Reply r = send(*m_nam, "GET",
            url(prefix + id + (fileName.isEmpty() ? QString() : u"/"_s + fileName)), {}, headers);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, bytes);
        QCOMPARE(r.header("Content-Type"), "text/plain"_ba);
        QCOMPARE(r.header("Content-Disposition"), disposition);
        QCOMPARE(r.header("Content-Length"), QByteArray::number(bytes.size()));
    }

    void downloadErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        for (const QString &prefix :
            { u"/_matrix/client/v1/media/download/"_s, u"/_matrix/media/v3/download/"_s }) {
            const char *p = prefix.contains(u"client"_s) ? "authenticated" : "legacy";
            QTest::addRow("%s, unknown ID", p)
                << prefix + u"localhost/unknownid"_s << QString() << 404 << u"M_NOT_FOUND"_s;
            QTest::addRow("%s, other server", p)
                << prefix + u"example.org/DONE"_s << QString() << 404 << u"M_NOT_FOUND"_s;
            QTest::addRow("%s, expired ID", p)
                << prefix + u"localhost/EXPIRED"_s << QString() << 404 << u"M_NOT_FOUND"_s;
            QTest::addRow("%s, timeout_ms not a number", p)
                << prefix + u"localhost/PENDING"_s << u"timeout_ms=soon"_s << 400
                << u"M_INVALID_PARAM"_s;
            QTest::addRow("%s, negative timeout_ms", p)
                << prefix + u"localhost/PENDING"_s << u"timeout_ms=-5"_s << 400
                << u"M_INVALID_PARAM"_s;
            QTest::addRow("%s, not yet uploaded", p)
                << prefix + u"localhost/PENDING"_s << u"timeout_ms=0"_s << 504
                << u"M_NOT_YET_UPLOADED"_s;
        }
    }
    void downloadErrors()
    {
        QFETCH(QString, path);
        QFETCH(QString, query);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        const Created pending = createMedia();
        const Created expired = createMedia();
        QVERIFY(m_server->expireMedia(expired.id));
        const QString done = uploadAsync("done"_ba);
        path.replace(u"PENDING"_s, pending.id)
            .replace(u"EXPIRED"_s, expired.id)
            .replace(u"DONE"_s, done);
        const Reply r = send(*m_nam, "GET", url(path, query), {}, auth());
        QCOMPARE(r.status, status);
        QCOMPARE(r.errcode(), errcode);
    }

    void downloadWaitsForUpload_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addRow("authenticated") << u"/_matrix/client/v1/media/download/localhost/"_s;
        QTest::addRow("legacy") << u"/_matrix/media/v3/download/localhost/"_s;
    }
    void downloadWaitsForUpload()
    {
        QFETCH(QString, prefix);
        const Created c = createMedia();
        QNetworkReply *waiting
            = start(*m_nam, "GET", url(prefix + c.id, u"timeout_ms=20000"_s), {}, auth());
        QTRY_VERIFY(!findRecord(m_server->requests(), prefix + c.id).isEmpty());
        // A round trip behind it: the download has reached its handler by now, and waits.
        QCOMPARE(get(u"/_matrix/client/versions"_s).status, 200);
        QVERIFY(!waiting->isFinished());

        const QByteArray bytes = content(2000);
        QCOMPARE(
            send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id), bytes, auth())
                .status,
            200);
        const Reply r = finish(waiting);
        QVERIFY(r.finished);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, bytes);
    }

    void downloadTimesOut()
    {
        const Created c = createMedia();
        QNetworkReply *waiting = start(*m_nam, "GET",
            url(u"/_matrix/client/v1/media/download/localhost/"_s + c.id, u"timeout_ms=150"_s), {},
            auth());
        const Reply r = finish(waiting);
        QCOMPARE(r.status, 504);
        QCOMPARE(r.errcode(), u"M_NOT_YET_UPLOADED"_s);
        // The upload after the timeout still works and is served.
        QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id),
                     "late"_ba, auth())
                     .status,
            200);
        QCOMPARE(get(u"/_matrix/client/v1/media/download/localhost/"_s + c.id).body, "late"_ba);
    }

    void destroyedWhileDownloadWaits()
    {
        // A server going away with a download still waiting: the client sees the connection
        // end, and nothing crashes (the sanitizer build checks the rest).
        const Created c = createMedia();
        QNetworkReply *waiting = start(*m_nam, "GET",
            url(u"/_matrix/client/v1/media/download/localhost/"_s + c.id, u"timeout_ms=20000"_s),
            {}, auth());
        QTRY_VERIFY(
            !findRecord(m_server->requests(), u"/_matrix/client/v1/media/download/"_s).isEmpty());
        QCOMPARE(get(u"/_matrix/client/versions"_s).status, 200);
        m_server.reset();
        const Reply r = finish(waiting);
        QVERIFY(r.finished);
        QVERIFY(r.error != QNetworkReply::NoError);
        QCOMPARE(r.status, 0);
    }

    void downloadRedirect()
    {
        MediaTestServerConfig config = defaultConfig();
        config.downloadRedirect = true;
        QVERIFY(restart(config));
        const QByteArray bytes = content(700);
        const QString id = uploadAsync(bytes);
        QVERIFY(!id.isEmpty());
        const Reply r = get(u"/_matrix/client/v1/media/download/localhost/"_s + id);
        QCOMPARE(r.status, 307);
        const QUrl target(QString::fromLatin1(r.header("Location")), QUrl::StrictMode);
        QCOMPARE(target.path(), u"/_download/"_s + id);
        QVERIFY(QUrlQuery(target).hasQueryItem(u"sig"_s));

        // Followed without the token, as a CDN would be.
        const Reply followed = send(*m_nam, "GET", target);
        QCOMPARE(followed.status, 200);
        QCOMPARE(followed.body, bytes);

        const Reply refused = send(*m_nam, "GET", withTamperedSignature(target));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errcode(), u"M_FORBIDDEN"_s);

        // The legacy path answers directly.
        const Reply legacy = get(u"/_matrix/media/v3/download/localhost/"_s + id, {});
        QCOMPARE(legacy.status, 200);
        QCOMPARE(legacy.body, bytes);
    }

    void unknownRoute_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addRow("unknown client route") << "GET"_ba << u"/_matrix/client/v3/nothing"_s << 404;
        QTest::addRow("root") << "GET"_ba << u"/"_s << 404;
        QTest::addRow("v3 create") << "POST"_ba << u"/_matrix/media/v3/create"_s << 404;
        QTest::addRow("download without ID")
            << "GET"_ba << u"/_matrix/client/v1/media/download/localhost"_s << 404;
        QTest::addRow("too deep download")
            << "GET"_ba << u"/_matrix/client/v1/media/download/localhost/a/b/c"_s << 404;
        QTest::addRow("thumbnail")
            << "GET"_ba << u"/_matrix/client/v1/media/thumbnail/localhost/a"_s << 404;
        QTest::addRow("test control off-path") << "GET"_ba << u"/_test/other"_s << 404;
        QTest::addRow("GET create") << "GET"_ba << u"/_matrix/media/v1/create"_s << 405;
        QTest::addRow("GET unstable create")
            << "GET"_ba << u"/_matrix/media/unstable/fi.mau.msc2246/create"_s << 405;
        QTest::addRow("PUT login") << "PUT"_ba << u"/_matrix/client/v3/login"_s << 405;
        QTest::addRow("DELETE versions") << "DELETE"_ba << u"/_matrix/client/versions"_s << 405;
        QTest::addRow("POST well-known") << "POST"_ba << u"/.well-known/matrix/client"_s << 405;
        QTest::addRow("GET logout") << "GET"_ba << u"/_matrix/client/v3/logout"_s << 405;
        QTest::addRow("POST config") << "POST"_ba << u"/_matrix/client/v1/media/config"_s << 405;
        QTest::addRow("GET complete")
            << "GET"_ba << u"/_matrix/media/v1/upload/localhost/abc/complete"_s << 405;
        QTest::addRow("POST async upload")
            << "POST"_ba << u"/_matrix/media/v3/upload/localhost/abc"_s << 405;
        QTest::addRow("PUT legacy upload") << "PUT"_ba << u"/_matrix/media/v3/upload"_s << 405;
        QTest::addRow("POST download")
            << "POST"_ba << u"/_matrix/client/v1/media/download/localhost/abc"_s << 405;
        QTest::addRow("GET upload URL") << "GET"_ba << u"/_upload/abc"_s << 405;
        QTest::addRow("DELETE upload URL") << "DELETE"_ba << u"/_upload/abc"_s << 405;
        QTest::addRow("PUT signed download") << "PUT"_ba << u"/_download/abc"_s << 405;
    }
    void unknownRoute()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, status);
        const Reply r = send(*m_nam, method, url(path), {}, auth());
        QCOMPARE(r.status, status);
        QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
        QVERIFY(!r.json.value(u"error"_s).toString().isEmpty());
    }

    void pendingLimit()
    {
        MediaTestServerConfig config = defaultConfig();
        config.maxPendingPerUser = 2;
        config.unusedExpiryMs = 3600 * 1000;
        QVERIFY(restart(config));
        const Created first = createMedia();
        const Created second = createMedia();
        QCOMPARE(first.status, 200);
        QCOMPARE(second.status, 200);

        const Reply refused
            = send(*m_nam, "POST", url(u"/_matrix/media/v1/create"_s), "{}"_ba, auth());
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errcode(), u"M_LIMIT_EXCEEDED"_s);
        // The first pending ID frees a slot when it expires, an hour from now.
        const qint64 retryMs = refused.json.value(u"retry_after_ms"_s).toInteger();
        QVERIFY2(
            retryMs > 3500 * 1000 && retryMs <= 3600 * 1000, qPrintable(QString::number(retryMs)));
        bool ok = false;
        const qint64 retryAfter = refused.header("Retry-After").toLongLong(&ok);
        QVERIFY(ok);
        QCOMPARE(retryAfter, (retryMs + 999) / 1000);
        QCOMPARE(send(*m_nam, "POST", url(u"/_matrix/media/unstable/fi.mau.msc2246/create"_s),
                     "{}"_ba, auth())
                     .status,
            429);

        // Per user: bob is not limited by alice's IDs.
        QCOMPARE(createMedia("BOB"_ba).status, 200);

        // An uploaded ID no longer counts, nor does an expired one.
        QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + first.id),
                     "x"_ba, auth())
                     .status,
            200);
        const Created third = createMedia();
        QCOMPARE(third.status, 200);
        QCOMPARE(createMedia().status, 429);
        QVERIFY(m_server->expireMedia(second.id));
        QCOMPARE(createMedia().status, 200);
    }

    void persistence()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        MediaTestServerConfig config = defaultConfig();
        config.dataDir = dir.path();
        config.tokens.clear(); // only the token handed out by login must survive
        QVERIFY(restart(config));
        const quint16 port = m_server->port();

        const Reply login = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s),
            R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba);
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json.value(u"access_token"_s).toString().toLatin1();

        const QByteArray finishedBytes = content(4000, 1);
        const Reply legacy
            = send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s, u"filename=f.bin"_s),
                finishedBytes, auth(token) + Headers { { "Content-Type"_ba, "image/png"_ba } });
        QCOMPARE(legacy.status, 200);
        const QString finishedId = legacy.json.value(u"content_uri"_s).toString().section(u'/', -1);

        const QByteArray file = content(2 * chunk + 500, 2);
        const Created half = MatrixUploadTest::create(*m_nam, m_server->baseUrl(), token);
        QCOMPARE(half.status, 200);
        QCOMPARE(putRange(*m_nam, half.uploadUrl, 0, file.left(chunk), file.size()).status, 308);
        const Created untouched = MatrixUploadTest::create(*m_nam, m_server->baseUrl(), token);

        // Restart on the same port, from the same folder.
        config.port = port;
        QVERIFY2(restart(config), qPrintable(m_server->errorString()));
        QCOMPARE(m_server->port(), port);

        const Reply download
            = get(u"/_matrix/client/v1/media/download/localhost/"_s + finishedId, auth(token));
        QCOMPARE(download.status, 200);
        QCOMPARE(download.body, finishedBytes);
        QCOMPARE(download.header("Content-Type"), "image/png"_ba);
        QCOMPARE(download.header("Content-Disposition"), "attachment; filename*=utf-8''f.bin"_ba);

        // The old upload URL (same signing secret) continues from the offset the server held.
        const Reply status = statusQuery(*m_nam, half.uploadUrl, file.size());
        QCOMPARE(status.status, 308);
        QCOMPARE(status.header("Range"), "bytes=0-262143"_ba);
        QCOMPARE(
            putRange(*m_nam, half.uploadUrl, chunk, file.mid(chunk, chunk), file.size()).status,
            308);
        const Reply last
            = putRange(*m_nam, half.uploadUrl, 2 * chunk, file.mid(2 * chunk), file.size());
        QCOMPARE(last.status, 200);
        QCOMPARE(last.json.value(u"size"_s).toInteger(), file.size());
        QCOMPARE(m_server->mediaContent(half.uri), file);

        QCOMPARE(m_server->mediaInfo(untouched.id).value(u"state"_s).toString(), u"pending"_s);
        QCOMPARE(m_server->mediaInfo(untouched.id).value(u"owner"_s).toString(), u"alice"_s);

        // Logging out after the restart ends the session for good.
        QCOMPARE(
            send(*m_nam, "POST", url(u"/_matrix/client/v3/logout"_s), "{}"_ba, auth(token)).status,
            200);
        QVERIFY(restart(config));
        QCOMPARE(get(u"/_matrix/client/v1/media/config"_s, auth(token)).status, 401);
    }

    void persistedBytesFileIsTheTruth()
    {
        // A crash between writing the bytes and the record: the record claims more than the
        // bytes file holds; after a restart the server resumes from what is on disk.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        MediaTestServerConfig config = defaultConfig();
        config.dataDir = dir.path();
        QVERIFY(restart(config));
        const Created c = createMedia();
        const QByteArray file = content(2 * chunk, 3);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size()).status, 308);
        config.port = m_server->port(); // the upload URL names it
        m_server.reset();

        QFile bytes(dir.filePath(u"media/"_s + c.id + u".bin"_s));
        QVERIFY(bytes.exists());
        QVERIFY(bytes.resize(1000));
        QVERIFY(restart(config));
        QCOMPARE(m_server->mediaInfo(c.id).value(u"stored"_s).toInteger(), 1000);
        QCOMPARE(statusQuery(*m_nam, c.uploadUrl, file.size()).header("Range"), "bytes=0-999"_ba);
    }
};

QTEST_GUILESS_MAIN(tst_MediaTestServer)
#include "tst_mediatestserver.moc"
