// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// MediaApi with tokens that expire, against the in-process test media server over loopback:
// login that asks for a refresh token, the refresh MediaApi makes by itself and the replay of
// the refused call, one refresh for many calls, and the rejection when it cannot refresh.
#include "fixtures.h"
#include "mediaapibench.h"
#include "sequentialsource.h"

#include "apicalls.h"

#include <matrixupload/api/mediaapi.h>

#include <matrixupload/testserver/mediatestserver.h>

#include <QBuffer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <cstring>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

namespace {
constexpr qint64 hour = 3600 * 1000;

} // namespace

class tst_MediaApiTokens final : public QObject, protected MediaApiBench
{
    Q_OBJECT

    bool start(qint64 lifetimeMs = hour)
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.tokenLifetimeMs = lifetimeMs;
        config.uploadUrlProtocol = MediaTestServerConfig::UploadUrlProtocol::None;
        return startApi(config);
    }
    //! Signs in through MediaApi, asking for a refresh token when \a refresh.
    bool signIn(bool refresh)
    {
        m_api->setRequestRefreshToken(refresh);
        const auto login = await(m_api->loginWithPassword(u"alice"_s, u"secret"_s, u"DEV"_s));
        return bool(login);
    }
    qsizetype refreshCount() const { return requests(u"/_matrix/client/v3/refresh"_s).size(); }

private Q_SLOTS:
    void cleanup()
    {
        // The wire check of every upload test (tests/auto/shared/fixtures.h); the tokens of
        // logins and refreshes are taken from the record.
        if (m_server)
            MatrixUpload::Testing::verifyNothingSecretReachedUploadUrls(m_server->requests(), {});
        m_api.reset();
        m_nam.reset();
        m_server.reset();
    }

    void loginAsksForARefreshTokenWhenTold_data()
    {
        QTest::addColumn<bool>("ask");
        QTest::addRow("asked") << true;
        QTest::addRow("not asked") << false;
    }
    void loginAsksForARefreshTokenWhenTold()
    {
        QFETCH(bool, ask);
        QVERIFY(start());
        QVERIFY(!m_api->requestsRefreshToken());
        m_api->setRequestRefreshToken(ask);
        QSignalSpy changed(m_api.get(), &MediaApi::accessTokenChanged);
        const auto login = await(m_api->loginWithPassword(u"alice"_s, u"secret"_s));
        VERIFY_OK(login);
        QCOMPARE(login->expiresInMs, std::optional<qint64>(hour));
        QCOMPARE(login->refreshToken.isEmpty(), !ask);
        QCOMPARE(m_api->refreshToken(), login->refreshToken);
        QCOMPARE(m_api->accessToken(), login->accessToken);
        QCOMPARE(changed.count(), 1);
    }

    void refreshesAndReplaysTheRefusedCall()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        const QString oldAccess = m_api->accessToken();
        const QString oldRefresh = m_api->refreshToken();
        QSignalSpy refreshed(m_api.get(), &MediaApi::tokensRefreshed);
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        QSignalSpy changed(m_api.get(), &MediaApi::accessTokenChanged);
        QVERIFY(m_server->expireAccessToken(oldAccess));

        VERIFY_OK(await(m_api->mediaConfig())); // the caller sees the replay's answer only
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(rejected.count(), 0);
        const QString newAccess = refreshed.first().at(0).toString();
        const QString newRefresh = refreshed.first().at(1).toString();
        QVERIFY(newAccess != oldAccess && !newAccess.isEmpty());
        QVERIFY(newRefresh != oldRefresh && !newRefresh.isEmpty());
        QCOMPARE(m_api->accessToken(), newAccess);
        QCOMPARE(m_api->refreshToken(), newRefresh);
        QVERIFY(!m_api->isAccessTokenRejected());

        // On the wire: the refused call, the refresh (without an access token), the replay.
        const auto configs = requests(u"/_matrix/client/v1/media/config"_s);
        QCOMPARE(configs.size(), 2);
        QCOMPARE(configs[0].value(u"status"_s).toInt(), 401);
        QCOMPARE(authorization(configs[0]), u"Bearer "_s + oldAccess);
        QCOMPARE(configs[1].value(u"status"_s).toInt(), 200);
        QCOMPARE(authorization(configs[1]), u"Bearer "_s + newAccess);
        const auto refreshes = requests(u"/_matrix/client/v3/refresh"_s);
        QCOMPARE(refreshes.size(), 1);
        QVERIFY(authorization(refreshes[0]).isEmpty());
        // The old refresh token was revoked by the use of the new access token.
        m_api->setRefreshToken(oldRefresh);
        QCOMPARE(await(m_api->refreshAccessToken()).error().httpStatus(), 401);
    }

    void oneRefreshForManyCalls()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        QByteArray content(4096, 'x');
        QBuffer body(&content);
        body.open(QIODevice::ReadOnly);
        VERIFY_OK(await(m_api->uploadToContentUri(created->contentUri, sourceOf(&body, 4096))));
        QSignalSpy refreshed(m_api.get(), &MediaApi::tokensRefreshed);
        QVERIFY(m_server->expireAccessToken(u"*"_s));

        // Five calls at once, of every kind of request: JSON, download, versions-first.
        auto *a = m_api->mediaConfig();
        auto *b = m_api->createContent();
        auto *c = m_api->createContent();
        auto *d = m_api->downloadContent(created->contentUri);
        auto *e = m_api->joinedRooms();
        VERIFY_OK(await(a));
        VERIFY_OK(await(b));
        VERIFY_OK(await(c));
        const auto downloaded = await(d);
        VERIFY_OK(downloaded);
        QCOMPARE(downloaded->data, content);
        VERIFY_OK(await(e));
        QCOMPARE(refreshCount(), 1);
        QCOMPARE(refreshed.count(), 1);
    }

    void callsDuringARefreshWaitForIt()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        const QString oldAccess = m_api->accessToken();
        QVERIFY(m_server->expireAccessToken(oldAccess));
        auto *refresh = m_api->refreshAccessToken();
        auto *config = m_api->mediaConfig(); // made while the refresh runs
        const auto refreshed = await(refresh);
        VERIFY_OK(refreshed);
        VERIFY_OK(await(config));
        // It waited: sent once, with the new token, never with the expired one.
        const auto configs = requests(u"/_matrix/client/v1/media/config"_s);
        QCOMPARE(configs.size(), 1);
        QCOMPARE(authorization(configs[0]), u"Bearer "_s + refreshed->accessToken);
        QCOMPARE(refreshCount(), 1);
    }

    void uploadBodyIsSentAgain()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        QVERIFY(m_server->expireAccessToken(m_api->accessToken()));
        QByteArray content = MatrixUpload::Testing::content(100 * 1024);
        QBuffer body(&content);
        body.open(QIODevice::ReadOnly);
        auto *call
            = m_api->uploadToContentUri(created->contentUri, sourceOf(&body, content.size()));
        QSignalSpy progress(call, &ApiCallBase::progress);
        VERIFY_OK(await(call));
        QCOMPARE(m_server->mediaContent(created->contentUri.toString()), content);
        const auto puts = requests(u"/_matrix/media/v3/upload/"_s);
        QCOMPARE(puts.size(), 2);
        QCOMPARE(puts[0].value(u"status"_s).toInt(), 401);
        QCOMPARE(puts[1].value(u"status"_s).toInt(), 200);
        QCOMPARE(puts[1].value(u"body_size"_s).toInteger(), content.size());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), content.size());
    }

    void sequentialBodyIsNotSentAgain()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        const auto created = await(m_api->createContent());
        VERIFY_OK(created);
        const QString oldAccess = m_api->accessToken();
        QVERIFY(m_server->expireAccessToken(oldAccess));
        SequentialSource body("hello"_ba);
        const auto put = await(m_api->uploadToContentUri(created->contentUri, sourceOf(&body, 5)));
        // It cannot be replayed: the refusal stands, but the token is fresh for the next try.
        QVERIFY(!put);
        QVERIFY(put.error().isUnauthorized());
        QCOMPARE(refreshCount(), 1);
        QVERIFY(m_api->accessToken() != oldAccess);
        QVERIFY(!m_api->isAccessTokenRejected());
        QCOMPARE(requests(u"/_matrix/media/v3/upload/"_s).size(), 1);
        SequentialSource again("hello"_ba);
        VERIFY_OK(await(m_api->uploadToContentUri(created->contentUri, sourceOf(&again, 5))));
    }

    void withoutRefreshTokenTheTokenIsRejected()
    {
        QVERIFY(start());
        QVERIFY(signIn(false));
        QVERIFY(m_api->refreshToken().isEmpty());
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        QSignalSpy changed(m_api.get(), &MediaApi::accessTokenChanged);
        QVERIFY(m_server->expireAccessToken(m_api->accessToken()));

        const auto first = await(m_api->mediaConfig());
        QVERIFY(!first);
        QVERIFY(first.error().isSoftLogout());
        QCOMPARE(rejected.count(), 1);
        QVERIFY(rejected.first().first().value<MatrixError>().isSoftLogout());
        QVERIFY(m_api->isAccessTokenRejected());
        const auto second = await(m_api->createContent());
        QVERIFY(!second);
        QCOMPARE(rejected.count(), 1); // once per token
        QCOMPARE(refreshCount(), 0);

        // The host signs in again (elsewhere) and hands the new token over.
        MediaApi other(m_nam.get());
        other.setHomeserver(m_server->baseUrl());
        const auto login = await(other.loginWithPassword(u"alice"_s, u"secret"_s, u"DEV"_s));
        VERIFY_OK(login);
        m_api->setAccessToken(login->accessToken);
        QCOMPARE(changed.count(), 1);
        QVERIFY(!m_api->isAccessTokenRejected());
        VERIFY_OK(await(m_api->mediaConfig()));
        m_api->setAccessToken(login->accessToken); // the same token again changes nothing
        QCOMPARE(changed.count(), 1);
    }

    void refusedRefreshIsRejectionNotALoop()
    {
        QVERIFY(start());
        QVERIFY(signIn(false));
        m_api->setRefreshToken(u"mur_not-a-refresh-token"_s);
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        QSignalSpy refreshed(m_api.get(), &MediaApi::tokensRefreshed);
        QVERIFY(m_server->expireAccessToken(m_api->accessToken()));

        const auto config = await(m_api->mediaConfig());
        QVERIFY(!config);
        QVERIFY(config.error().isUnauthorized()); // the call's own refusal
        QCOMPARE(rejected.count(), 1);
        const MatrixError why = rejected.first().first().value<MatrixError>();
        QCOMPARE(why.httpStatus(), 401); // the refresh's refusal
        QCOMPARE(why.errcode(), u"M_UNKNOWN_TOKEN"_s);
        QCOMPARE(refreshed.count(), 0);
        QCOMPARE(refreshCount(), 1);
        QVERIFY(m_api->refreshToken().isEmpty());
        QVERIFY(m_api->isAccessTokenRejected());
        // Later calls do not try the spent refresh token again.
        QVERIFY(!await(m_api->createContent()));
        QCOMPARE(refreshCount(), 1);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(requests(u"/_matrix/media/v1/create"_s).size(), 1);
    }

    void lostRefreshAnswerIsRetried()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        QVERIFY(m_server->expireAccessToken(m_api->accessToken()));
        // The server refreshes, the client never hears of it.
        QVERIFY(m_server->addFault(
            { { u"drop_answer"_s, true }, { u"path_prefix"_s, u"/_matrix/client/v3/refresh"_s } }));
        auto result = await(m_api->mediaConfig());
        if (!result) {
            // The network error reached the caller (QtNetwork may also have sent the refresh
            // again by itself): it retries as after any network error, with no rejection.
            QCOMPARE(result.error().kind(), MatrixError::Kind::Transport);
            QVERIFY(result.error().isRetryable());
            QCOMPARE(rejected.count(), 0);
            QVERIFY(!m_api->refreshToken().isEmpty());
            result = await(m_api->mediaConfig());
        }
        VERIFY_OK(result);
        // The old refresh token was still good the second time: its successor was never used.
        const auto refreshes = requests(u"/_matrix/client/v3/refresh"_s);
        QCOMPARE(refreshes.size(), 2);
        QVERIFY(refreshes[0].value(u"dropped"_s).toBool());
        QCOMPARE(refreshes[1].value(u"status"_s).toInt(), 200);
        QCOMPARE(rejected.count(), 0);
    }

    void refreshAccessTokenByHand()
    {
        QVERIFY(start());
        const auto none = await(m_api->refreshAccessToken());
        QVERIFY(!none);
        QCOMPARE(none.error().kind(), MatrixError::Kind::Local);
        QCOMPARE(refreshCount(), 0);

        QVERIFY(signIn(true));
        QSignalSpy refreshed(m_api.get(), &MediaApi::tokensRefreshed);
        const auto result = await(m_api->refreshAccessToken());
        VERIFY_OK(result);
        QCOMPARE(result->expiresInMs, std::optional<qint64>(hour));
        QCOMPARE(m_api->accessToken(), result->accessToken);
        QCOMPARE(m_api->refreshToken(), result->refreshToken);
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(refreshed.first().at(0).toString(), result->accessToken);
    }

    void logoutForgetsTheRefreshToken()
    {
        QVERIFY(start());
        QVERIFY(signIn(true));
        QVERIFY(!m_api->refreshToken().isEmpty());
        VERIFY_OK(await(m_api->logout()));
        QVERIFY(m_api->refreshToken().isEmpty());
        QVERIFY(m_api->accessToken().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_MediaApiTokens)
#include "tst_mediaapitokens.moc"
