// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// MediaApi's sign-in calls against the in-process test media server over loopback: the login
// flows with single sign-on and its identity providers, the SSO redirect URL, the login with
// the token the redirect hands back (once only), and the device display name of both logins.
#include "apicalls.h"
#include "mediaapibench.h"

#include <matrixupload/api/mediaapi.h>

#include <matrixupload/testserver/mediatestserver.h>

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

namespace {
constexpr int waitMs = 20000;

} // namespace

class tst_MediaApiLogin final : public QObject, protected MediaApiBench
{
    Q_OBJECT

    bool start(bool sso = true)
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.sso = sso;
        config.ssoUser = u"carol"_s;
        return startApi(config);
    }

    //! What a browser's first step does: GET \a url without following the redirect.
    std::pair<int, QUrl> browse(const QUrl &url)
    {
        QNetworkRequest request(url);
        request.setAttribute(
            QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        std::unique_ptr<QNetworkReply> reply(m_nam->get(request));
        QSignalSpy done(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(waitMs))
            return { -1, {} };
        return { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            reply->header(QNetworkRequest::LocationHeader).toUrl() };
    }

    //! The `loginToken` an SSO redirect for \a redirect hands back.
    QString ssoLoginToken(const QUrl &redirect)
    {
        const auto [status, location] = browse(m_api->ssoRedirectUrl(redirect, u"test-idp"_s));
        if (status != 302)
            return {};
        return QUrlQuery(location).queryItemValue(u"loginToken"_s, QUrl::FullyDecoded);
    }

private Q_SLOTS:
    void loginFlowsOfferSso()
    {
        QVERIFY(start());
        const auto flows = await(m_api->loginFlows());
        VERIFY_OK(flows);
        QVERIFY(flows->hasPassword());
        QVERIFY(flows->hasSso());
        QCOMPARE(flows->identityProviders.size(), 1);
        QCOMPARE(flows->identityProviders.first().id, u"test-idp"_s);
        QCOMPARE(flows->identityProviders.first().name, u"Test Identity Provider"_s);
    }

    void passwordOnlyServer()
    {
        QVERIFY(start(false));
        const auto flows = await(m_api->loginFlows());
        VERIFY_OK(flows);
        QCOMPARE(flows->types, QStringList { u"m.login.password"_s });
        QVERIFY(!flows->hasSso());
        QVERIFY(flows->identityProviders.isEmpty());
        // No redirect and no token login either.
        QCOMPARE(browse(m_api->ssoRedirectUrl(QUrl(u"http://127.0.0.1:9/sso/x"_s))).first, 404);
        const auto login = await(m_api->loginWithToken(u"mult_whatever"_s));
        QVERIFY(!login);
        QCOMPARE(login.error().httpStatus(), 400);
    }

    void loginFlowsParsing()
    {
        // Entries without a type, and providers without id or name, are left out.
        const LoginFlows flows = LoginFlows::fromJson(QJsonObject { { u"flows"_s,
            QJsonArray {
                QJsonObject { { u"type"_s, u"m.login.sso"_s },
                    { u"identity_providers"_s,
                        QJsonArray { QJsonObject { { u"id"_s, u"gh"_s }, { u"name"_s, u"GitHub"_s },
                                         { u"brand"_s, u"github"_s },
                                         { u"icon"_s, u"mxc://example.org/abc"_s } },
                            QJsonObject { { u"id"_s, u"noname"_s } },
                            QJsonObject { { u"name"_s, u"No ID"_s } } } } },
                QJsonObject { { u"get_login_token"_s, true } }, u"junk"_s } } });
        QCOMPARE(flows.types, QStringList { u"m.login.sso"_s });
        QVERIFY(!flows.hasPassword());
        QCOMPARE(flows.identityProviders.size(), 1);
        const IdentityProvider &idp = flows.identityProviders.first();
        QCOMPARE(idp.id, u"gh"_s);
        QCOMPARE(idp.name, u"GitHub"_s);
        QCOMPARE(idp.brand, u"github"_s);
        QCOMPARE(idp.icon, u"mxc://example.org/abc"_s);
    }

    void ssoRedirectUrl()
    {
        QNetworkAccessManager nam;
        MediaApi api(&nam);
        QVERIFY(!api.ssoRedirectUrl(QUrl(u"http://127.0.0.1:1/x"_s)).isValid()); // no homeserver
        api.setHomeserver(QUrl(u"https://matrix.example.org/base/"_s));
        // The redirect URL's own query stays inside the parameter's value.
        const QUrl back(u"http://127.0.0.1:4321/sso/St4te?a=1&b=c d"_s);
        const QUrl generic = api.ssoRedirectUrl(back);
        QCOMPARE(generic.path(), u"/base/_matrix/client/v3/login/sso/redirect"_s);
        QCOMPARE(
            QUrl(QUrlQuery(generic).queryItemValue(u"redirectUrl"_s, QUrl::FullyDecoded)), back);
        QCOMPARE(QUrlQuery(generic).queryItems().size(), 1);
        const QUrl idp = api.ssoRedirectUrl(back, u"oidc/github"_s);
        QCOMPARE(idp.path(QUrl::FullyEncoded),
            u"/base/_matrix/client/v3/login/sso/redirect/oidc%2Fgithub"_s);
    }

    void ssoLoginRoundTrip()
    {
        QVERIFY(start());
        // The server's IdP approves at once and sends the browser back with a token, keeping
        // the redirect URL's path and query.
        const QUrl back(u"http://127.0.0.1:4321/sso/St4te?keep=1"_s);
        const auto [status, location] = browse(m_api->ssoRedirectUrl(back, u"test-idp"_s));
        QCOMPARE(status, 302);
        QCOMPARE(location.adjusted(QUrl::RemoveQuery), back.adjusted(QUrl::RemoveQuery));
        const QUrlQuery query(location);
        QCOMPARE(query.queryItemValue(u"keep"_s), u"1"_s);
        const QString token = query.queryItemValue(u"loginToken"_s, QUrl::FullyDecoded);
        QVERIFY(!token.isEmpty());

        m_api->setRequestRefreshToken(true);
        const auto login = await(m_api->loginWithToken(token, u"Uploader on box"_s));
        VERIFY_OK(login);
        QCOMPARE(login->userId, u"@carol:localhost"_s);
        QVERIFY(!login->accessToken.isEmpty());
        QVERIFY(!login->refreshToken.isEmpty());
        QCOMPARE(m_api->accessToken(), login->accessToken);
        QCOMPARE(m_api->userId(), u"@carol:localhost"_s);
        const QJsonObject device = m_server->devices().last().toObject();
        QCOMPARE(device.value(u"device_id"_s).toString(), login->deviceId);
        QCOMPARE(device.value(u"display_name"_s).toString(), u"Uploader on box"_s);
        QCOMPARE(device.value(u"login_type"_s).toString(), u"m.login.token"_s);
        // The token works once; the answer is the spec's 403 M_FORBIDDEN.
        const auto again = await(m_api->loginWithToken(token));
        QVERIFY(!again);
        QCOMPARE(again.error().httpStatus(), 403);
        QCOMPARE(again.error().errcode(), u"M_FORBIDDEN"_s);
        const auto unknown = await(m_api->loginWithToken(u"mult_made_up"_s));
        QCOMPARE(unknown.error().httpStatus(), 403);
        QCOMPARE(m_server->devices().size(), 1);
    }

    void ssoRedirectErrors()
    {
        QVERIFY(start());
        QCOMPARE(
            browse(m_api->ssoRedirectUrl(QUrl(u"http://127.0.0.1:1/x"_s), u"nope"_s)).first, 404);
        QUrl noRedirect = m_server->baseUrl();
        noRedirect.setPath(u"/_matrix/client/v3/login/sso/redirect"_s);
        QCOMPARE(browse(noRedirect).first, 400);
        QVERIFY(!ssoLoginToken(QUrl(u"http://127.0.0.1:1/x"_s)).isEmpty());
    }

    void passwordLoginNamesTheDevice()
    {
        QVERIFY(start());
        VERIFY_OK(await(m_api->loginWithPassword(u"alice"_s, u"secret"_s, {}, u"Laptop"_s)));
        VERIFY_OK(await(m_api->loginWithPassword(u"alice"_s, u"secret"_s)));
        const QJsonArray devices = m_server->devices();
        QCOMPARE(devices.size(), 2);
        QCOMPARE(devices[0].toObject().value(u"user_id"_s).toString(), u"@alice:localhost"_s);
        QCOMPARE(devices[0].toObject().value(u"display_name"_s).toString(), u"Laptop"_s);
        QCOMPARE(devices[0].toObject().value(u"login_type"_s).toString(), u"m.login.password"_s);
        QVERIFY(!devices[1].toObject().contains(u"display_name"_s)); // none given, none sent
    }
};

QTEST_GUILESS_MAIN(tst_MediaApiLogin)
#include "tst_mediaapilogin.moc"
