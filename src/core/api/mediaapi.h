// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The Matrix client-server API calls the uploader needs, one method per endpoint, each named
// after its spec operation and returning a typed ApiCall. Wire contract: protocol.md 1-3, 4.6,
// 6-9; the room calls (joined rooms, room name, send, redact) are the spec's client-server API.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include "apicall.h"
#include "mediatypes.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace MatrixUpload {

class MediaApiPrivate;

//! A client of one homeserver's media API.
//!
//! Every authenticated request carries `Authorization: Bearer <token>`; the token never goes into
//! a URL or a log line. Redirects are never followed with the token: API calls refuse them, and a
//! download follows them to the CDN without the `Authorization` header.
//!
//! Tokens that expire (spec v1.3): with a refresh token (setRefreshToken(), or a login after
//! setRequestRefreshToken(true)), a call answered 401 `M_UNKNOWN_TOKEN` makes MediaApi refresh by
//! itself (one refresh at a time; calls refused meanwhile wait for it) and send the call again
//! with the new token; the caller sees only the second answer. tokensRefreshed() hands the new
//! tokens to the host to store. Without a refresh token, or when the refresh is refused, the
//! call fails with its 401 and accessTokenRejected() asks the host for a new sign-in;
//! setAccessToken() with the new token ends that (accessTokenChanged()).
//!
//! \code
//! api.setRequestRefreshToken(true);
//! connect(&api, &MediaApi::tokensRefreshed, this, [this](const QString &access,
//!             const QString &refresh) { store.save(account, { access, deviceId, refresh }); });
//! connect(&api, &MediaApi::accessTokenRejected, this, &MyClient::askToSignInAgain);
//! \endcode
//!
//! \code
//! QNetworkAccessManager nam;
//! MediaApi api(&nam);
//! api.discover(u"example.org"_s)->then(&api, [&](const ApiResult<DiscoveryResult> &found) {
//!     if (!found)
//!         return qWarning() << found.error().toString();
//!     api.setHomeserver(found->baseUrl);
//!     api.loginWithPassword(u"alice"_s, password)->then(&api, [&](auto &login) {
//!         // api now holds login->accessToken
//!         api.createContent()->then(&api, [](const ApiResult<CreateResult> &created) { ... });
//!     });
//! });
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT MediaApi : public QObject
{
    Q_OBJECT
public:
    //! \a nam is used for every request and must outlive this object.
    explicit MediaApi(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~MediaApi() override;

    QNetworkAccessManager *networkAccessManager() const;

    //! The client-server API base URL, e.g. https://matrix.example.org. Resets the cached
    //! versions().
    void setHomeserver(const QUrl &baseUrl);
    QUrl homeserver() const;

    //! The access token for authenticated requests; a login sets it, logout()
    //! clears it. A different non-empty token emits accessTokenChanged() and ends
    //! isAccessTokenRejected().
    void setAccessToken(const QString &token);
    QString accessToken() const;

    //! The refresh token (spec v1.3) MediaApi uses when the server refuses the access token;
    //! loginWithPassword() and refreshAccessToken() set it, logout() clears it. Empty: no
    //! refreshing, a refused token is reported with accessTokenRejected().
    void setRefreshToken(const QString &token);
    //! The refresh token in use; empty when there is none.
    QString refreshToken() const;

    //! The signed-in user ("@alice:example.org"), kept in resume records so that another
    //! account's uploads are not continued with this token; loginWithPassword() sets it.
    void setUserId(const QString &userId);
    //! The signed-in user; empty when not known (e.g. a bare access token).
    QString userId() const;

    //! Whether loginWithPassword() asks for a refresh token (`"refresh_token": true`). Off by
    //! default: a host that turns it on must store what tokensRefreshed() hands over.
    void setRequestRefreshToken(bool request);
    //! Whether loginWithPassword() asks for a refresh token.
    bool requestsRefreshToken() const;

    //! The server refused the access token and no refresh could replace it (accessTokenRejected()
    //! was emitted); a new token through setAccessToken() or a login ends it.
    bool isAccessTokenRejected() const;

    //! The server's versions as last fetched by versions() (or set here, e.g. from a cache).
    //! Calls whose path depends on them (mediaConfig(), downloadContent()) fetch them first when
    //! they are not known yet.
    void setServerVersions(const ServerVersions &versions);
    std::optional<ServerVersions> serverVersions() const;

    //! Inactivity timeout of every request in ms (no bytes moved); never a total timeout.
    void setTransferTimeout(int ms);
    int transferTimeout() const;

    //! Spec "Server Discovery" / `GET /.well-known/matrix/client`, then `GET versions` on the
    //! base URL it names to validate it. \a serverNameOrUrl is a server name ("example.org",
    //! asked over https) or a typed http(s) URL; a URL whose origin has no .well-known (404) is
    //! taken as the base URL itself. Needs no homeserver() and changes nothing here.
    ApiCall<DiscoveryResult> *discover(const QString &serverNameOrUrl);

    //! Spec `GET /_matrix/client/versions` (sent with the token when there is one: since v1.10
    //! the answer may depend on the user). Updates serverVersions().
    ApiCall<ServerVersions> *versions();

    //! Spec `GET /_matrix/client/v3/login` (no token): the login types the server offers and
    //! the identity providers of its `m.login.sso` flow.
    ApiCall<LoginFlows> *loginFlows();

    //! Spec "SSO client login", `GET /_matrix/client/v3/login/sso/redirect[/{idpId}]`: the URL
    //! to open in the user's browser. The server sends the browser on to the identity provider
    //! and, once the user approved, to \a redirectUrl with `?loginToken=...` (or `&loginToken=`)
    //! appended; hand that token to loginWithToken(). \a idpId is an IdentityProvider::id from
    //! loginFlows(), or empty to let the server ask. Makes no request; invalid without a
    //! homeserver().
    //!
    //! \code
    //! const QUrl open = api.ssoRedirectUrl(QUrl(u"http://127.0.0.1:43121/sso/NONCE"_s), idp.id);
    //! QDesktopServices::openUrl(open); // then, with the token the browser brings back:
    //! api.loginWithToken(token, deviceName)->then(...);
    //! \endcode
    QUrl ssoRedirectUrl(const QUrl &redirectUrl, const QString &idpId = {}) const;

    //! Spec `POST /_matrix/client/v3/login`, type m.login.password with an m.id.user identifier.
    //! On success the token is adopted (setAccessToken()). 403 M_FORBIDDEN: wrong password.
    //! \a deviceDisplayName becomes `initial_device_display_name` (ignored by the server for
    //! a known \a deviceId; empty: none sent).
    ApiCall<LoginResult> *loginWithPassword(const QString &user, const QString &password,
        const QString &deviceId = {}, const QString &deviceDisplayName = {});

    //! Spec `POST /_matrix/client/v3/login`, type m.login.token: spends the `loginToken` an SSO
    //! redirect brought back (ssoRedirectUrl()). Adopts the tokens as loginWithPassword() does
    //! (with a refresh token when setRequestRefreshToken()). 403 M_FORBIDDEN: the token is
    //! unknown, expired or already used. \a deviceDisplayName as for loginWithPassword().
    ApiCall<LoginResult> *loginWithToken(
        const QString &token, const QString &deviceDisplayName = {});

    //! Spec `POST /_matrix/client/v3/logout`: invalidates the token, then clears it here (and
    //! the refresh token).
    ApiCall<Done> *logout();

    //! Spec v1.3 `POST /_matrix/client/v3/refresh` with refreshToken() (no access token): on
    //! success both tokens are adopted and tokensRefreshed() is emitted. MediaApi calls it by
    //! itself when a call's token is refused; a call made while a refresh runs joins it. 401
    //! M_UNKNOWN_TOKEN: the refresh token is spent or unknown, sign in again.
    ApiCall<RefreshResult> *refreshAccessToken();

    //! Spec `GET /_matrix/client/v1/media/config` (v1.11, authenticated media), else
    //! `GET /_matrix/media/v3/config`; both authenticated (protocol.md 2).
    ApiCall<MediaConfig> *mediaConfig();

    //! MSC2246 / spec v1.7 `POST /_matrix/media/v1/create`; when that path is unrecognized, the
    //! unstable `POST /_matrix/media/unstable/fi.mau.msc2246/create`. Reads the MSC3870 fields
    //! (protocol.md 3). Both unrecognized: the error isUnrecognized(), use the legacy upload.
    ApiCall<CreateResult> *createContent();

    //! MSC3870 `POST .../upload/{serverName}/{mediaId}/complete` in the order of protocol.md 4.6:
    //! the unstable com.beeper.msc3870 path first when the server flags it, else the v1 path
    //! first; the other one when the first is unrecognized; both unrecognized is success with
    //! CompleteResult::detectedByServer. \a fileName becomes `?filename=`.
    ApiCall<CompleteResult> *completeUpload(const MxcUri &contentUri, const QString &fileName = {});

    //! MSC2246 / spec v1.7 `PUT /_matrix/media/v3/upload/{serverName}/{mediaId}` (protocol.md 6),
    //! or the unstable fi.mau.msc2246 path when \a unstable (CreateResult::unstable). Errors to
    //! expect: 403 M_FORBIDDEN, 404 M_NOT_FOUND (unknown or expired ID), 409
    //! M_CANNOT_OVERWRITE_MEDIA, 413 M_TOO_LARGE, 429 M_LIMIT_EXCEEDED. Emits progress().
    ApiCall<Done> *uploadToContentUri(
        const MxcUri &contentUri, const UploadSource &source, bool unstable = false);

    //! Spec `POST /_matrix/media/v3/upload` (protocol.md 7), the upload for servers without
    //! /create. Gives the new content URI. Emits progress().
    ApiCall<MxcUri> *uploadContent(const UploadSource &source);

    //! Spec v1.11 `GET /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}]`
    //! (authenticated) when the server has authenticated media, else the legacy
    //! `GET /_matrix/media/v3/download/...` (protocol.md 8). Follows up to 5 redirects (307/308
    //! to a CDN) without the `Authorization` header and never from https to http.
    ApiCall<DownloadResult> *downloadContent(
        const MxcUri &contentUri, const DownloadOptions &options = {});

    //! Spec `GET /_matrix/client/v3/joined_rooms`: the IDs of the rooms the user has joined.
    ApiCall<QStringList> *joinedRooms();

    //! Spec `GET /_matrix/client/v3/rooms/{roomId}/state/m.room.name/`: the room's name, empty
    //! when the room has none (404 M_NOT_FOUND is not an error here).
    ApiCall<QString> *roomName(const QString &roomId);

    //! Spec `GET /_matrix/client/v3/rooms/{roomId}/state/m.room.encryption/`: whether the room
    //! is encrypted. 404 M_NOT_FOUND (no such state) is false, not an error; any content counts
    //! as encrypted, whatever its algorithm (protocol.md 10).
    ApiCall<bool> *roomEncrypted(const QString &roomId);

    //! Spec `PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}`: sends an event and
    //! gives its ID. The server keeps one event per transaction ID and access token, so sending
    //! again with the same \a txnId after a lost answer does not post twice (newTransactionId()).
    ApiCall<QString> *sendEvent(const QString &roomId, const QString &eventType,
        const QString &txnId, const QJsonObject &content);

    //! Spec `PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}`: removes an event's
    //! content; gives the redaction's event ID.
    ApiCall<QString> *redactEvent(const QString &roomId, const QString &eventId,
        const QString &txnId, const QString &reason = {});

    //! A transaction ID no other call of this device used: keep it with what it sends and reuse
    //! it for every retry of that send.
    static QString newTransactionId();

Q_SIGNALS:
    //! A refresh gave new tokens, in use from now on. Store both: the old refresh token stops
    //! working once the new tokens are used.
    void tokensRefreshed(const QString &accessToken, const QString &refreshToken);
    //! The server refused the access token (401) and there was no refresh token, or the refresh
    //! was refused. Calls keep failing with 401 until setAccessToken() gives a new token (a new
    //! login); \a error is the refusal (MatrixError::isSoftLogout(): the same device may
    //! continue). Once per token.
    void accessTokenRejected(const MatrixUpload::MatrixError &error);
    //! A new non-empty access token is in use: from setAccessToken(), a login or a refresh.
    void accessTokenChanged();

private:
    ApiCall<LoginResult> *postLogin(QJsonObject body, const QString &deviceDisplayName);

    std::unique_ptr<MediaApiPrivate> d;
};

} // namespace MatrixUpload
