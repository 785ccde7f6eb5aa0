// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the test media server's tokens that expire: login with and without refresh tokens,
// POST /refresh and when it revokes the old refresh token, the soft-logout 401 on every
// authenticated route, upload URLs that need no token, and when a token is checked.
#include "testserverbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUploadTest;

namespace {
constexpr qint64 hour = 3600 * 1000;

struct Session
{
    int status = 0;
    QByteArray accessToken;
    QString refreshToken;
    QJsonObject json;
};
} // namespace

class tst_Tokens final : public QObject, protected TestServerBench
{
    Q_OBJECT

    MediaTestServerConfig config(qint64 lifetimeMs) const
    {
        MediaTestServerConfig c = defaultConfig();
        c.tokenLifetimeMs = lifetimeMs;
        c.rooms.insert(u"!demo:localhost"_s, { u"Demo"_s, {} });
        return c;
    }
    Session login(bool refresh, const QString &deviceId = {})
    {
        QJsonObject body { { u"type"_s, u"m.login.password"_s }, { u"user"_s, u"alice"_s },
            { u"password"_s, u"secret"_s } };
        if (refresh)
            body.insert(u"refresh_token"_s, true);
        if (!deviceId.isEmpty())
            body.insert(u"device_id"_s, deviceId);
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s),
            QJsonDocument(body).toJson(QJsonDocument::Compact));
        return { r.status, r.json.value(u"access_token"_s).toString().toLatin1(),
            r.json.value(u"refresh_token"_s).toString(), r.json };
    }
    Session refresh(const QString &refreshToken)
    {
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/client/v3/refresh"_s),
            QJsonDocument(QJsonObject { { u"refresh_token"_s, refreshToken } })
                .toJson(QJsonDocument::Compact),
            { { "Content-Type"_ba, "application/json"_ba } });
        return { r.status, r.json.value(u"access_token"_s).toString().toLatin1(),
            r.json.value(u"refresh_token"_s).toString(), r.json };
    }
    Reply mediaConfig(const QByteArray &token)
    {
        return send(*m_nam, "GET", url(u"/_matrix/client/v1/media/config"_s), {}, auth(token));
    }
    static bool isSoftLogout(const Reply &r)
    {
        return r.status == 401 && r.errcode() == u"M_UNKNOWN_TOKEN"_s
            && r.json.value(u"soft_logout"_s).toBool();
    }

private Q_SLOTS:
    void cleanup() { reset(); }

    void loginAnswers_data()
    {
        QTest::addColumn<qint64>("lifetime");
        QTest::addColumn<bool>("askRefresh");
        QTest::addRow("no lifetime, no refresh") << qint64(0) << false;
        QTest::addRow("no lifetime, refresh") << qint64(0) << true;
        QTest::addRow("lifetime, no refresh") << hour << false;
        QTest::addRow("lifetime, refresh") << hour << true;
    }
    void loginAnswers()
    {
        QFETCH(qint64, lifetime);
        QFETCH(bool, askRefresh);
        QVERIFY(restart(config(lifetime)));
        const Session s = login(askRefresh);
        QCOMPARE(s.status, 200);
        // Spec v1.3: a refresh token only for a client that asks; expires_in_ms only for a
        // token that expires (without a refresh token the client logs in again).
        QCOMPARE(s.json.contains(u"refresh_token"_s), askRefresh);
        QCOMPARE(s.json.contains(u"expires_in_ms"_s), lifetime > 0);
        if (lifetime > 0)
            QCOMPARE(s.json.value(u"expires_in_ms"_s).toInteger(), lifetime);
        QCOMPARE(mediaConfig(s.accessToken).status, 200);
    }

    void loginRefreshFlagMustBeBoolean()
    {
        QVERIFY(restart(config(hour)));
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/client/v3/login"_s),
            R"({"type":"m.login.password","user":"alice","password":"secret","refresh_token":"yes"})"_ba);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_BAD_JSON"_s);
    }

    void tokenExpiresAfterLifetime()
    {
        QVERIFY(restart(config(400)));
        QElapsedTimer clock;
        clock.start();
        const Session s = login(false);
        QCOMPARE(s.status, 200);
        // Polled, not slept: the token must stop working once its lifetime is over, not before.
        QTRY_VERIFY_WITH_TIMEOUT(isSoftLogout(mediaConfig(s.accessToken)), 10000);
        QVERIFY2(clock.elapsed() >= 400, qPrintable(QString::number(clock.elapsed())));
        const Reply r = mediaConfig(s.accessToken);
        QVERIFY(!r.json.value(u"error"_s).toString().isEmpty());
        // The configured token never expires.
        QCOMPARE(mediaConfig("ALICE"_ba).status, 200);
    }

    void expiredOnEveryAuthenticatedRoute_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("media config")
            << "GET"_ba << u"/_matrix/client/v1/media/config"_s << QByteArray();
        QTest::addRow("media config, v3")
            << "GET"_ba << u"/_matrix/media/v3/config"_s << QByteArray();
        QTest::addRow("create") << "POST"_ba << u"/_matrix/media/v1/create"_s << "{}"_ba;
        QTest::addRow("create, unstable")
            << "POST"_ba << u"/_matrix/media/unstable/fi.mau.msc2246/create"_s << "{}"_ba;
        QTest::addRow("MSC2246 PUT")
            << "PUT"_ba << u"/_matrix/media/v3/upload/localhost/ID"_s << "hello"_ba;
        QTest::addRow("legacy upload") << "POST"_ba << u"/_matrix/media/v3/upload"_s << "hello"_ba;
        QTest::addRow("complete") << "POST"_ba
                                  << u"/_matrix/media/v1/upload/localhost/ID/complete"_s << "{}"_ba;
        QTest::addRow("complete, unstable")
            << "POST"_ba
            << u"/_matrix/media/unstable/com.beeper.msc3870/upload/localhost/ID/complete"_s
            << "{}"_ba;
        QTest::addRow("authenticated download")
            << "GET"_ba << u"/_matrix/client/v1/media/download/localhost/ID"_s << QByteArray();
        QTest::addRow("joined rooms")
            << "GET"_ba << u"/_matrix/client/v3/joined_rooms"_s << QByteArray();
        QTest::addRow("room name")
            << "GET"_ba << u"/_matrix/client/v3/rooms/!demo:localhost/state/m.room.name"_s
            << QByteArray();
        QTest::addRow("send")
            << "PUT"_ba << u"/_matrix/client/v3/rooms/!demo:localhost/send/m.room.message/t1"_s
            << "{}"_ba;
        QTest::addRow("redact") << "PUT"_ba
                                << u"/_matrix/client/v3/rooms/!demo:localhost/redact/$event/t2"_s
                                << "{}"_ba;
        QTest::addRow("logout") << "POST"_ba << u"/_matrix/client/v3/logout"_s << "{}"_ba;
    }
    void expiredOnEveryAuthenticatedRoute()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QVERIFY(restart(config(hour)));
        const Session s = login(true);
        const Created media = create(*m_nam, m_server->baseUrl(), s.accessToken);
        QCOMPARE(media.status, 200);
        // timeout_ms=0: a download of media not uploaded yet answers at once.
        const QUrl target = url(QString(path).replace(u"/ID"_s, u"/"_s + media.id),
            path.contains(u"download"_s) ? u"timeout_ms=0"_s : QString());
        const Headers headers
            = auth(s.accessToken) + Headers { { "Content-Type"_ba, "text/plain"_ba } };
        QVERIFY(m_server->expireAccessToken(QString::fromLatin1(s.accessToken)));

        const Reply r = send(*m_nam, method, target, body, headers);
        QVERIFY2(isSoftLogout(r), r.body.constData());
        // The session lives on: a refresh gives a token that works there.
        const Session renewed = refresh(s.refreshToken);
        QCOMPARE(renewed.status, 200);
        const Reply again = send(*m_nam, method, target, body,
            auth(renewed.accessToken) + Headers { { "Content-Type"_ba, "text/plain"_ba } });
        QVERIFY2(again.status != 401, again.body.constData());
    }

    void unknownTokenIsNoSoftLogout()
    {
        QVERIFY(restart(config(hour)));
        const Reply r = mediaConfig("no-such-token"_ba);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errcode(), u"M_UNKNOWN_TOKEN"_s);
        QCOMPARE(r.json.value(u"soft_logout"_s), QJsonValue(false));
    }

    void uploadUrlsNeedNoToken()
    {
        QVERIFY(restart(config(hour)));
        const Session s = login(false);
        const Created c = create(*m_nam, m_server->baseUrl(), s.accessToken);
        QCOMPARE(c.status, 200);
        QVERIFY(m_server->expireAccessToken(u"*"_s));
        QVERIFY(isSoftLogout(mediaConfig(s.accessToken)));
        QVERIFY(isSoftLogout(mediaConfig("ALICE"_ba)));
        // The upload URL is its own credential: it takes the bytes with every token expired.
        const QByteArray bytes = content(3 * chunk);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, bytes.left(chunk), bytes.size()).status, 308);
        const Reply last = putRange(*m_nam, c.uploadUrl, chunk, bytes.mid(chunk), bytes.size());
        QCOMPARE(last.status, 200);
        QCOMPARE(m_server->mediaContent(c.uri), bytes);
        // So does the unauthenticated legacy download.
        const Reply download
            = send(*m_nam, "GET", url(u"/_matrix/media/v3/download/localhost/"_s + c.id));
        QCOMPARE(download.status, 200);
        QCOMPARE(download.body, bytes);
    }

    void refreshRotation()
    {
        QVERIFY(restart(config(hour)));
        const Session first = login(true);
        QCOMPARE(first.status, 200);
        const Session second = refresh(first.refreshToken);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json.value(u"expires_in_ms"_s).toInteger(), hour);
        QVERIFY(!second.refreshToken.isEmpty());
        QVERIFY(second.accessToken != first.accessToken);
        QVERIFY(second.refreshToken != first.refreshToken);

        // refresh.yaml: the old refresh token lives until the new access token is used, so a
        // client whose answer got lost can refresh again.
        const Session lost = refresh(first.refreshToken);
        QCOMPARE(lost.status, 200);
        QCOMPARE(mediaConfig(lost.accessToken).status, 200);
        const Session spent = refresh(first.refreshToken);
        QCOMPARE(spent.status, 401);
        QCOMPARE(spent.json.value(u"errcode"_s).toString(), u"M_UNKNOWN_TOKEN"_s);

        // ... or until the new refresh token is used.
        const Session third = refresh(lost.refreshToken);
        QCOMPARE(third.status, 200);
        QCOMPARE(refresh(lost.refreshToken).status, 200); // not yet used: still valid
        const Session fourth = refresh(third.refreshToken);
        QCOMPARE(fourth.status, 200);
        QCOMPARE(refresh(lost.refreshToken).status, 401);

        // Old access tokens are not revoked by a refresh; they run out with their lifetime.
        QCOMPARE(mediaConfig(first.accessToken).status, 200);
        QCOMPARE(mediaConfig(fourth.accessToken).status, 200);
    }

    void refreshErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addRow("not JSON") << "{"_ba << 400 << u"M_NOT_JSON"_s;
        QTest::addRow("no refresh_token") << "{}"_ba << 400 << u"M_MISSING_PARAM"_s;
        QTest::addRow("refresh_token not a string")
            << R"({"refresh_token":1})"_ba << 400 << u"M_MISSING_PARAM"_s;
        QTest::addRow("unknown refresh token")
            << R"({"refresh_token":"mur_nothing"})"_ba << 401 << u"M_UNKNOWN_TOKEN"_s;
        QTest::addRow("an access token")
            << R"({"refresh_token":"ALICE"})"_ba << 401 << u"M_UNKNOWN_TOKEN"_s;
    }
    void refreshErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        QVERIFY(restart(config(hour)));
        const Reply r = send(*m_nam, "POST", url(u"/_matrix/client/v3/refresh"_s), body,
            { { "Content-Type"_ba, "application/json"_ba } });
        QCOMPARE(r.status, status);
        QCOMPARE(r.errcode(), errcode);
        QVERIFY(!r.json.contains(u"access_token"_s));
    }

    void refreshNeedsNoAccessToken()
    {
        QVERIFY(restart(config(hour)));
        const Session s = login(true);
        QVERIFY(m_server->expireAccessToken(QString::fromLatin1(s.accessToken)));
        const Session renewed = refresh(s.refreshToken); // sent without Authorization
        QCOMPARE(renewed.status, 200);
        const QJsonObject record
            = findRecord(m_server->requests(), u"/_matrix/client/v3/refresh"_s);
        QVERIFY(!record.value(u"headers"_s).toObject().contains(u"authorization"_s));
    }

    void logoutEndsRefreshTokens()
    {
        QVERIFY(restart(config(hour)));
        const Session s = login(true);
        const Session renewed = refresh(s.refreshToken);
        QCOMPARE(renewed.status, 200);
        QCOMPARE(send(*m_nam, "POST", url(u"/_matrix/client/v3/logout"_s), "{}"_ba,
                     auth(renewed.accessToken))
                     .status,
            200);
        QCOMPARE(refresh(renewed.refreshToken).status, 401);
        // The device's other access token ends with it.
        QCOMPARE(mediaConfig(s.accessToken).status, 401);
        QCOMPARE(mediaConfig("ALICE"_ba).status, 200);
    }

    void transactionsBelongToTheDevice()
    {
        QVERIFY(restart(config(hour)));
        const Session s = login(true, u"DEVICE1"_s);
        const QUrl sendUrl
            = url(u"/_matrix/client/v3/rooms/!demo:localhost/send/m.room.message/t1"_s);
        const Reply sent = send(*m_nam, "PUT", sendUrl, R"({"body":"a"})"_ba, auth(s.accessToken));
        QCOMPARE(sent.status, 200);
        // A retry of the same transaction after a refresh is the same event, not a second one.
        const Session renewed = refresh(s.refreshToken);
        const Reply again
            = send(*m_nam, "PUT", sendUrl, R"({"body":"a"})"_ba, auth(renewed.accessToken));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(u"event_id"_s), sent.json.value(u"event_id"_s));
        QCOMPARE(m_server->events().size(), 1);
        // Another device's transaction of that name is another event.
        const Session other = login(false, u"DEVICE2"_s);
        const Reply otherSent
            = send(*m_nam, "PUT", sendUrl, R"({"body":"a"})"_ba, auth(other.accessToken));
        QVERIFY(otherSent.json.value(u"event_id"_s) != sent.json.value(u"event_id"_s));
        QCOMPARE(m_server->events().size(), 2);
    }

    void checkedWhenTheRequestArrives()
    {
        QVERIFY(restart(config(1500)));
        // A body that takes about 2.5 s at this rate: the token expires while it streams.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 100 * 1024 } }));
        const Session s = login(false);
        QElapsedTimer clock;
        clock.start();
        const QByteArray bytes = content(250 * 1024);
        const Reply upload = send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), bytes,
            auth(s.accessToken) + Headers { { "Content-Type"_ba, "application/octet-stream"_ba } });
        QVERIFY2(clock.elapsed() > 1500, qPrintable(QString::number(clock.elapsed())));
        // It began with a valid token, so it lands.
        QCOMPARE(upload.status, 200);
        QCOMPARE(m_server->mediaContent(upload.json.value(u"content_uri"_s).toString()), bytes);
        QVERIFY(isSoftLogout(mediaConfig(s.accessToken)));
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));

        // A request held back (latency) until after the lifetime arrives with an expired token.
        const Session late = login(false);
        QVERIFY(m_server->addFault({ { u"latency_ms"_s, 2000 }, { u"times"_s, 1 } }));
        QVERIFY(isSoftLogout(mediaConfig(late.accessToken)));
    }

    void clientCannotForgeArrival()
    {
        QVERIFY(restart(config(hour)));
        const Session s = login(false);
        QVERIFY(m_server->expireAccessToken(QString::fromLatin1(s.accessToken)));
        // An arrival time in the past from the client is dropped by the relay.
        const Reply r = send(*m_nam, "GET", url(u"/_matrix/client/v1/media/config"_s), {},
            auth(s.accessToken) + Headers { { "X-MatrixUpload-Relay-Arrival-Ms"_ba, "1000"_ba } });
        QVERIFY(isSoftLogout(r));
    }

    void expireTokenFault()
    {
        QVERIFY(restart(config(0)));
        const Session s = login(false);
        const Reply bad = send(
            *m_nam, "POST", url(u"/_test/faults"_s), R"({"expire_token":"no-such-token"})"_ba);
        QCOMPARE(bad.status, 400);
        QCOMPARE(mediaConfig(s.accessToken).status, 200);
        const Reply ok = send(*m_nam, "POST", url(u"/_test/faults"_s),
            QJsonDocument(QJsonObject { { u"expire_token"_s, QString::fromLatin1(s.accessToken) } })
                .toJson());
        QCOMPARE(ok.status, 200);
        QVERIFY(isSoftLogout(mediaConfig(s.accessToken)));
        QCOMPARE(mediaConfig("ALICE"_ba).status, 200);
    }

    void tokensSurviveRestart()
    {
        QTemporaryDir dir;
        MediaTestServerConfig c = config(hour);
        c.dataDir = dir.path();
        QVERIFY(restart(c));
        const Session s = login(true);
        const Session expired = login(false);
        QVERIFY(m_server->expireAccessToken(QString::fromLatin1(expired.accessToken)));
        QVERIFY(restart(c));
        QCOMPARE(mediaConfig(s.accessToken).status, 200);
        QVERIFY(isSoftLogout(mediaConfig(expired.accessToken)));
        const Session renewed = refresh(s.refreshToken);
        QCOMPARE(renewed.status, 200);
        QCOMPARE(mediaConfig(renewed.accessToken).status, 200);
    }
};

QTEST_GUILESS_MAIN(tst_Tokens)
#include "tst_tokens.moc"
