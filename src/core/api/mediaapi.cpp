// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The endpoints of MediaApi, one method each; how requests travel is mediaapitransport.cpp.
#include "mediaapi.h"

#include "json_p.h"
#include "logging_p.h"
#include "mediaapitransport_p.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
QString encodeSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

//! An absolute http(s) URL without a trailing slash, or an invalid QUrl.
QUrl normalizedBaseUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"https"_s && url.scheme() != u"http"_s))
        return {};
    QUrl base = url.adjusted(
        QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    if (base.path() == u"/"_s)
        base.setPath(QString());
    return base;
}

//! `?filename=` for the upload and complete endpoints; nothing for an empty name.
QUrlQuery fileNameQuery(const QString &fileName)
{
    QUrlQuery query;
    if (!fileName.isEmpty())
        query.addQueryItem(u"filename"_s, encodeSegment(fileName));
    return query;
}
} // namespace

MediaApi::MediaApi(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MediaApiPrivate>(this, nam))
{ }

MediaApi::~MediaApi()
{
    // The calls' handlers use d: end them while it still exists. Their finished() fires with
    // MatrixError::cancelled(), as it would on abort().
    const auto calls = d->calls;
    for (const QPointer<ApiCallBase> &call : calls) {
        if (call)
            call->abort();
    }
}

QNetworkAccessManager *MediaApi::networkAccessManager() const
{
    return d->nam;
}

void MediaApi::setHomeserver(const QUrl &baseUrl)
{
    d->base = normalizedBaseUrl(baseUrl);
    d->versions.reset();
}

QUrl MediaApi::homeserver() const
{
    return d->base;
}

void MediaApi::setAccessToken(const QString &token)
{
    if (token == d->token)
        return;
    d->token = token;
    if (token.isEmpty())
        return;
    d->rejected = false;
    Q_EMIT accessTokenChanged();
}

QString MediaApi::accessToken() const
{
    return d->token;
}

void MediaApi::setUserId(const QString &userId)
{
    d->userId = userId;
}

QString MediaApi::userId() const
{
    return d->userId;
}

void MediaApi::setRefreshToken(const QString &token)
{
    d->refreshToken = token;
}

QString MediaApi::refreshToken() const
{
    return d->refreshToken;
}

void MediaApi::setRequestRefreshToken(bool request)
{
    d->requestRefreshToken = request;
}

bool MediaApi::requestsRefreshToken() const
{
    return d->requestRefreshToken;
}

bool MediaApi::isAccessTokenRejected() const
{
    return d->rejected;
}

void MediaApi::setServerVersions(const ServerVersions &versions)
{
    d->versions = versions;
}

std::optional<ServerVersions> MediaApi::serverVersions() const
{
    return d->versions;
}

void MediaApi::setTransferTimeout(int ms)
{
    d->transferTimeoutMs = ms;
}

int MediaApi::transferTimeout() const
{
    return d->transferTimeoutMs;
}

ApiCall<DiscoveryResult> *MediaApi::discover(const QString &serverNameOrUrl)
{
    auto *call = d->newCall<DiscoveryResult>();
    const QString input = serverNameOrUrl.trimmed();
    QUrl typed; // the base URL to use when the origin has no .well-known
    QUrl origin;
    if (input.contains(u"://"_s)) {
        typed = normalizedBaseUrl(QUrl(input, QUrl::StrictMode));
        origin = typed.adjusted(QUrl::RemovePath);
    } else {
        // A server name: a host, an IPv4 or [IPv6] literal, an optional port (spec appendix).
        static const QRegularExpression serverName(
            u"^[A-Za-z0-9.\\-]+(:\\d{1,5})?$|^\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?$"_s);
        if (serverName.match(input).hasMatch()) {
            origin = QUrl(u"https://"_s + input, QUrl::StrictMode);
            typed = origin;
        }
    }
    if (!origin.isValid() || origin.host().isEmpty())
        return d->failLater(call,
            MatrixError::local(u"\"%1\" is neither a server name nor an http(s) URL"_s.arg(input)));

    QUrl wellKnown = origin;
    wellKnown.setPath(u"/.well-known/matrix/client"_s);
    auto validate = [this, call](const QUrl &base, bool fromWellKnown) {
        QUrl versionsUrl = base;
        versionsUrl.setPath(
            base.path(QUrl::FullyEncoded) + u"/_matrix/client/versions"_s, QUrl::TolerantMode);
        // Spec: a base URL that does not answer versions is an error, not a server to use.
        d->request(call, "GET"_ba, versionsUrl, MediaApiPrivate::Auth::None, {},
            [call, base, fromWellKnown](const MediaApiPrivate::JsonResult &r) {
                if (!r)
                    return call->resolve(r.error());
                call->resolve(
                    DiscoveryResult { base, fromWellKnown, ServerVersions::fromJson(*r) });
            });
    };
    // .well-known is unauthenticated and often served by a separate web server that redirects
    // (e.g. example.org -> www.example.org), so safe redirects are followed here only.
    d->request(
        call, "GET"_ba, wellKnown, MediaApiPrivate::Auth::None, {},
        [call, typed, validate](const MediaApiPrivate::JsonResult &r) {
            if (r) {
                const QJsonValue url = r->value(u"m.homeserver"_s).toObject().value(u"base_url"_s);
                const QUrl base = normalizedBaseUrl(QUrl(url.toString(), QUrl::StrictMode));
                if (!base.isValid())
                    return call->resolve(MatrixError::invalidResponse(
                        u".well-known/matrix/client has no valid m.homeserver base_url"_s));
                return validate(base, true);
            }
            // No .well-known (spec: IGNORE): the typed URL, or https://{server name}, is the
            // base URL. Transport errors mean the host is unreachable: nothing to fall back to.
            if (r.error().kind() == MatrixError::Kind::Http)
                return validate(typed, false);
            call->resolve(r.error());
        },
        MediaApiPrivate::Redirects::FollowSafe);
    return call;
}

ApiCall<ServerVersions> *MediaApi::versions()
{
    auto *call = d->newCall<ServerVersions>();
    if (!d->checkHomeserver(call))
        return call;
    d->request(call, "GET"_ba, d->endpoint(u"/_matrix/client/versions"_s),
        MediaApiPrivate::Auth::Token, {}, [this, call](const MediaApiPrivate::JsonResult &r) {
            if (!r)
                return call->resolve(r.error());
            d->versions = ServerVersions::fromJson(*r);
            call->resolve(*d->versions);
        });
    return call;
}

//! `POST /login` with \a body (any login type): reads the answer and adopts its tokens.
ApiCall<LoginResult> *MediaApi::postLogin(QJsonObject body, const QString &deviceDisplayName)
{
    auto *call = d->newCall<LoginResult>();
    if (!d->checkHomeserver(call))
        return call;
    if (!deviceDisplayName.isEmpty())
        body.insert(u"initial_device_display_name"_s, deviceDisplayName);
    if (d->requestRefreshToken)
        body.insert(u"refresh_token"_s, true);
    d->request(call, "POST"_ba, d->endpoint(u"/_matrix/client/v3/login"_s),
        MediaApiPrivate::Auth::None, QJsonDocument(body).toJson(QJsonDocument::Compact),
        [this, call](const MediaApiPrivate::JsonResult &r) {
            if (!r)
                return call->resolve(r.error());
            LoginResult login;
            login.accessToken = r->value(u"access_token"_s).toString();
            login.userId = r->value(u"user_id"_s).toString();
            login.deviceId = r->value(u"device_id"_s).toString();
            login.wellKnownBaseUrl = normalizedBaseUrl(QUrl(r->value(u"well_known"_s)
                                                                .toObject()
                                                                .value(u"m.homeserver"_s)
                                                                .toObject()
                                                                .value(u"base_url"_s)
                                                                .toString(),
                QUrl::StrictMode));
            login.refreshToken = r->value(u"refresh_token"_s).toString();
            const QJsonValue expires = r->value(u"expires_in_ms"_s);
            login.expiresInMs = jsonNonNegative(expires);
            if (login.accessToken.isEmpty() || login.userId.isEmpty())
                return call->resolve(MatrixError::invalidResponse(
                    u"the login answer has no access_token or user_id"_s, 200));
            d->refreshToken = login.refreshToken;
            d->userId = login.userId;
            setAccessToken(login.accessToken);
            d->rejected = false; // also when the server gave the same token again
            call->resolve(login);
        });
    return call;
}

ApiCall<LoginFlows> *MediaApi::loginFlows()
{
    return d->getJson<LoginFlows>(u"/_matrix/client/v3/login"_s, MediaApiPrivate::Auth::None,
        [](const MediaApiPrivate::JsonResult &r) -> ApiResult<LoginFlows> {
            if (!r)
                return r.error();
            return LoginFlows::fromJson(*r);
        });
}

QUrl MediaApi::ssoRedirectUrl(const QUrl &redirectUrl, const QString &idpId) const
{
    if (!d->base.isValid())
        return {};
    QString path = u"/_matrix/client/v3/login/sso/redirect"_s;
    if (!idpId.isEmpty())
        path += u"/"_s + encodeSegment(idpId);
    QUrlQuery query;
    // Fully encoded, so that the redirect URL's own '&', '?' and '=' stay inside the value.
    query.addQueryItem(u"redirectUrl"_s,
        QString::fromLatin1(QUrl::toPercentEncoding(redirectUrl.toString(QUrl::FullyEncoded))));
    return d->endpoint(path, query);
}

ApiCall<LoginResult> *MediaApi::loginWithPassword(const QString &user, const QString &password,
    const QString &deviceId, const QString &deviceDisplayName)
{
    QJsonObject body { { u"type"_s, u"m.login.password"_s },
        { u"identifier"_s, QJsonObject { { u"type"_s, u"m.id.user"_s }, { u"user"_s, user } } },
        { u"password"_s, password } };
    if (!deviceId.isEmpty())
        body.insert(u"device_id"_s, deviceId);
    return postLogin(body, deviceDisplayName);
}

ApiCall<LoginResult> *MediaApi::loginWithToken(
    const QString &token, const QString &deviceDisplayName)
{
    return postLogin(
        { { u"type"_s, u"m.login.token"_s }, { u"token"_s, token } }, deviceDisplayName);
}

ApiCall<Done> *MediaApi::logout()
{
    auto *call = d->newCall<Done>();
    if (!d->checkHomeserver(call))
        return call;
    d->request(call, "POST"_ba, d->endpoint(u"/_matrix/client/v3/logout"_s),
        MediaApiPrivate::Auth::Token, "{}"_ba, [this, call](const MediaApiPrivate::JsonResult &r) {
            if (!r)
                return call->resolve(r.error());
            d->token.clear();
            d->refreshToken.clear();
            call->resolve(Done {});
        });
    return call;
}

ApiCall<RefreshResult> *MediaApi::refreshAccessToken()
{
    auto *call = d->newCall<RefreshResult>();
    if (!d->checkHomeserver(call))
        return call;
    if (d->refreshToken.isEmpty() && !d->refreshing)
        return d->failLater(call, MatrixError::local(u"no refresh token"_s));
    d->refreshListeners.append(call);
    d->startRefresh();
    return call;
}

ApiCall<MediaConfig> *MediaApi::mediaConfig()
{
    auto *call = d->newCall<MediaConfig>();
    if (!d->checkHomeserver(call))
        return call;
    d->withVersions(call, [this, call] {
        const QString path = d->versions->authenticatedMedia()
            ? u"/_matrix/client/v1/media/config"_s
            : u"/_matrix/media/v3/config"_s;
        d->request(call, "GET"_ba, d->endpoint(path), MediaApiPrivate::Auth::Token, {},
            [call](const MediaApiPrivate::JsonResult &r) {
                if (!r)
                    return call->resolve(r.error());
                MediaConfig config;
                const QJsonValue size = r->value(u"m.upload.size"_s);
                config.maxUploadSize = jsonNonNegative(size);
                if (!config.maxUploadSize && !size.isUndefined())
                    qCWarning(lcApi) << "ignoring an m.upload.size that is not a size:" << size;
                call->resolve(config);
            });
    });
    return call;
}

void MediaApiPrivate::tryCreate(ApiCall<CreateResult> *call, bool unstable)
{
    const QString path = unstable ? u"/_matrix/media/unstable/fi.mau.msc2246/create"_s
                                  : u"/_matrix/media/v1/create"_s;
    request(call, "POST"_ba, endpoint(path), Auth::Token, "{}"_ba,
        [this, call, unstable](const JsonResult &r) {
            if (r) {
                if (auto created = CreateResult::fromJson(*r, unstable))
                    return call->resolve(*created);
                return call->resolve(MatrixError::invalidResponse(
                    u"the create answer has no valid content_uri"_s, 200));
            }
            if (!unstable && r.error().isUnrecognized())
                return tryCreate(call, true);
            call->resolve(r.error());
        });
}

ApiCall<CreateResult> *MediaApi::createContent()
{
    auto *call = d->newCall<CreateResult>();
    if (d->checkHomeserver(call))
        d->tryCreate(call, false);
    return call;
}

void MediaApiPrivate::tryComplete(
    ApiCall<CompleteResult> *call, QStringList paths, const QUrlQuery &query)
{
    const QString path = paths.takeFirst();
    request(call, "POST"_ba, endpoint(path, query), Auth::Token, "{}"_ba,
        [this, call, paths, query](const JsonResult &r) {
            if (r)
                return call->resolve(
                    CompleteResult { false, r->value(u"content_uri"_s).toString() });
            if (!r.error().isUnrecognized())
                return call->resolve(r.error());
            if (!paths.isEmpty())
                return tryComplete(call, paths, query);
            // Neither path exists: the server follows the first MSC3870 text and notices the
            // finished upload by itself (protocol.md 4.6).
            qCDebug(lcApi) << "no complete endpoint; the server detects completion itself";
            call->resolve(CompleteResult { true, {} });
        });
}

ApiCall<CompleteResult> *MediaApi::completeUpload(const MxcUri &contentUri, const QString &fileName)
{
    auto *call = d->newCall<CompleteResult>();
    if (!d->checkHomeserver(call))
        return call;
    if (!MxcUri::parse(contentUri.toString()))
        return d->failLater(call, MatrixError::local(u"not a valid mxc:// URI"_s));
    d->withVersions(call, [this, call, contentUri, fileName] {
        const QString ids
            = encodeSegment(contentUri.serverName) + u'/' + encodeSegment(contentUri.mediaId);
        const QString stable = u"/_matrix/media/v1/upload/"_s + ids + u"/complete"_s;
        const QString unstable
            = u"/_matrix/media/unstable/com.beeper.msc3870/upload/"_s + ids + u"/complete"_s;
        // Deployed clients call the unstable path of servers that flag it; the proposal's
        // current text names the v1 path.
        const QStringList paths = d->versions->uploadUrls() ? QStringList { unstable, stable }
                                                            : QStringList { stable, unstable };
        d->tryComplete(call, paths, fileNameQuery(fileName));
    });
    return call;
}

ApiCall<Done> *MediaApi::uploadToContentUri(
    const MxcUri &contentUri, const UploadSource &source, bool unstable)
{
    auto *call = d->newCall<Done>();
    if (!d->checkHomeserver(call))
        return call;
    if (!MxcUri::parse(contentUri.toString()))
        return d->failLater(call, MatrixError::local(u"not a valid mxc:// URI"_s));
    if (auto invalid = MediaApiPrivate::checkSource(source))
        return d->failLater(call, *invalid);
    const QString path = (unstable ? u"/_matrix/media/unstable/fi.mau.msc2246/upload/"_s
                                   : u"/_matrix/media/v3/upload/"_s)
        + encodeSegment(contentUri.serverName) + u'/' + encodeSegment(contentUri.mediaId);
    d->upload(call, "PUT"_ba, d->endpoint(path, fileNameQuery(source.fileName)), source,
        [call](const MediaApiPrivate::JsonResult &r) {
            if (!r)
                return call->resolve(r.error());
            call->resolve(Done {});
        });
    return call;
}

ApiCall<MxcUri> *MediaApi::uploadContent(const UploadSource &source)
{
    auto *call = d->newCall<MxcUri>();
    if (!d->checkHomeserver(call))
        return call;
    if (auto invalid = MediaApiPrivate::checkSource(source))
        return d->failLater(call, *invalid);
    d->upload(call, "POST"_ba,
        d->endpoint(u"/_matrix/media/v3/upload"_s, fileNameQuery(source.fileName)), source,
        [call](const MediaApiPrivate::JsonResult &r) {
            if (!r)
                return call->resolve(r.error());
            const auto uri = MxcUri::parse(r->value(u"content_uri"_s).toString());
            if (!uri)
                return call->resolve(MatrixError::invalidResponse(
                    u"the upload answer has no valid content_uri"_s, 200));
            call->resolve(*uri);
        });
    return call;
}

ApiCall<DownloadResult> *MediaApi::downloadContent(
    const MxcUri &contentUri, const DownloadOptions &options)
{
    auto *call = d->newCall<DownloadResult>();
    if (!d->checkHomeserver(call))
        return call;
    if (!MxcUri::parse(contentUri.toString()))
        return d->failLater(call, MatrixError::local(u"not a valid mxc:// URI"_s));
    auto state = std::make_shared<MediaApiPrivate::DownloadState>();
    state->sink = options.sink;
    state->streaming = !options.sink.isNull();
    state->timeoutMs = options.timeoutMs;
    state->maxBytes = options.maxBytes;
    if (state->streaming && !options.sink->isWritable())
        return d->failLater(call, MatrixError::local(u"the download device is not writable"_s));
    d->withVersions(call, [this, call, contentUri, options, state] {
        const bool authenticated = d->versions->authenticatedMedia();
        QString path = (authenticated ? u"/_matrix/client/v1/media/download/"_s
                                      : u"/_matrix/media/v3/download/"_s)
            + encodeSegment(contentUri.serverName) + u'/' + encodeSegment(contentUri.mediaId);
        if (!options.fileName.isEmpty())
            path += u'/' + encodeSegment(options.fileName);
        QUrlQuery query;
        if (options.timeoutMs >= 0)
            query.addQueryItem(u"timeout_ms"_s, QString::number(options.timeoutMs));
        // We follow redirects (safely), so say so: servers answer 307 only when allowed.
        query.addQueryItem(u"allow_redirect"_s, u"true"_s);
        // The legacy path is unauthenticated: it gets no token it does not need.
        d->fetch(
            call, d->endpoint(path, query), authenticated, MediaApiPrivate::maxRedirects, state);
    });
    return call;
}

ApiCall<QStringList> *MediaApi::joinedRooms()
{
    return d->getJson<QStringList>(u"/_matrix/client/v3/joined_rooms"_s,
        MediaApiPrivate::Auth::Token,
        [](const MediaApiPrivate::JsonResult &r) -> ApiResult<QStringList> {
            if (!r)
                return r.error();
            const QJsonValue rooms = r->value(u"joined_rooms"_s);
            if (!rooms.isArray())
                return MatrixError::invalidResponse(
                    u"joined_rooms is missing or not a list"_s, 200);
            QStringList ids;
            for (const QJsonValue &id : rooms.toArray()) {
                if (id.isString() && id.toString().startsWith(u'!'))
                    ids.append(id.toString());
            }
            return ids;
        });
}

namespace {
//! GETs the state event \a type of \a roomId (the empty state key, a trailing slash) through
//! \a d: \a read makes the answer of its content. The room's own "no such state" (404
//! M_NOT_FOUND) is \a absent; a 404 without M_NOT_FOUND (an endpoint the server lacks, a proxy)
//! says nothing about the room and stays an error.
template<typename T>
ApiCall<T> *getRoomState(MediaApiPrivate *d, const QString &roomId, const QString &type, T absent,
    std::function<T(const QJsonObject &)> read)
{
    return d->getJson<T>(
        u"/_matrix/client/v3/rooms/%1/state/%2/"_s.arg(encodeSegment(roomId), type),
        MediaApiPrivate::Auth::Token,
        [absent = std::move(absent), read = std::move(read)](
            const MediaApiPrivate::JsonResult &r) -> ApiResult<T> {
            if (r)
                return read(*r);
            if (r.error().httpStatus() == 404 && r.error().errcode() == u"M_NOT_FOUND"_s)
                return absent;
            return r.error();
        });
}
} // namespace

ApiCall<QString> *MediaApi::roomName(const QString &roomId)
{
    // A room without a name has no m.room.name event.
    return getRoomState<QString>(d.get(), roomId, u"m.room.name"_s, QString(),
        [](const QJsonObject &content) { return content.value(u"name"_s).toString(); });
}

ApiCall<bool> *MediaApi::roomEncrypted(const QString &roomId)
{
    // Encryption cannot be switched off in a room: any content is encrypted, also one whose
    // algorithm this program does not know.
    return getRoomState<bool>(
        d.get(), roomId, u"m.room.encryption"_s, false, [](const QJsonObject &) { return true; });
}

namespace {
//! The event ID in a send or redact answer.
ApiResult<QString> eventIdFrom(const ApiResult<QJsonObject> &r)
{
    if (!r)
        return r.error();
    const QString id = r->value(u"event_id"_s).toString();
    if (!id.startsWith(u'$'))
        return MatrixError::invalidResponse(u"the answer has no event_id"_s, 200);
    return id;
}
} // namespace

ApiCall<QString> *MediaApi::sendEvent(const QString &roomId, const QString &eventType,
    const QString &txnId, const QJsonObject &content)
{
    auto *call = d->newCall<QString>();
    if (!d->checkHomeserver(call))
        return call;
    const QString path = u"/_matrix/client/v3/rooms/%1/send/%2/%3"_s.arg(
        encodeSegment(roomId), encodeSegment(eventType), encodeSegment(txnId));
    d->request(call, "PUT"_ba, d->endpoint(path), MediaApiPrivate::Auth::Token,
        QJsonDocument(content).toJson(QJsonDocument::Compact),
        [call](const MediaApiPrivate::JsonResult &r) { call->resolve(eventIdFrom(r)); });
    return call;
}

ApiCall<QString> *MediaApi::redactEvent(
    const QString &roomId, const QString &eventId, const QString &txnId, const QString &reason)
{
    auto *call = d->newCall<QString>();
    if (!d->checkHomeserver(call))
        return call;
    const QString path = u"/_matrix/client/v3/rooms/%1/redact/%2/%3"_s.arg(
        encodeSegment(roomId), encodeSegment(eventId), encodeSegment(txnId));
    QJsonObject body;
    if (!reason.isEmpty())
        body.insert(u"reason"_s, reason);
    d->request(call, "PUT"_ba, d->endpoint(path), MediaApiPrivate::Auth::Token,
        QJsonDocument(body).toJson(QJsonDocument::Compact),
        [call](const MediaApiPrivate::JsonResult &r) { call->resolve(eventIdFrom(r)); });
    return call;
}

QString MediaApi::newTransactionId()
{
    // Unique per device for as long as the server remembers transactions: the time plus 64
    // random bits, so two programs on one device (or a restart) never collide.
    return u"mu%1.%2"_s.arg(QDateTime::currentMSecsSinceEpoch())
        .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
}

} // namespace MatrixUpload
