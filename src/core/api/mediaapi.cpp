// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediaapi.h"

#include "json_p.h"
#include "logging_p.h"
#include "networkreply_p.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <climits>
#include <functional>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
constexpr int maxRedirects = 5;
//! How often one call is sent again after its token was refused and replaced: a server that
//! refuses fresh tokens too must not keep it refreshing forever.
constexpr int maxTokenReplays = 2;

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

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

int httpStatus(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}
} // namespace

class MediaApiPrivate
{
public:
    enum class Auth { None, Token };
    enum class Redirects { Refuse, FollowSafe };
    using JsonResult = ApiResult<QJsonObject>;
    using JsonHandler = std::function<void(const JsonResult &)>;

    MediaApi *q;
    QNetworkAccessManager *nam;
    QUrl base;
    QString token;
    QString userId;
    QString refreshToken;
    bool requestRefreshToken = false;
    bool rejected = false; // accessTokenRejected() was emitted for the current token
    std::optional<ServerVersions> versions;
    int transferTimeoutMs = 60000;
    QList<QPointer<ApiCallBase>> calls;

    //! How a refresh that calls waited for ended.
    enum class Refresh { Done, Refused, Failed };
    //! A call waiting for the refresh in flight: sent (again) or given up when it ends.
    struct TokenWaiter
    {
        QPointer<ApiCallBase> call;
        std::function<void(Refresh, const MatrixError &)> resume;
    };
    QPointer<ApiCall<RefreshResult>> refreshing; // the refresh in flight
    QList<TokenWaiter> tokenWaiters;
    QList<QPointer<ApiCall<RefreshResult>>> refreshListeners; // refreshAccessToken() callers

    MediaApiPrivate(MediaApi *owner, QNetworkAccessManager *manager)
        : q(owner)
        , nam(manager)
    { }

    template<class T> ApiCall<T> *newCall()
    {
        auto *call = new ApiCall<T>(q);
        calls.removeAll(nullptr);
        calls.append(call);
        return call;
    }

    //! Resolves on the next event loop pass: finished() must never fire before the caller could
    //! connect to it.
    template<class T> ApiCall<T> *failLater(ApiCall<T> *call, const MatrixError &error)
    {
        QTimer::singleShot(0, call, [call, error] { call->resolve(error); });
        return call;
    }

    //! base + path; \a path starts with '/' and has its variable segments percent-encoded.
    QUrl endpoint(const QString &path, const QUrlQuery &query = {}) const
    {
        QUrl url = base;
        url.setPath(base.path(QUrl::FullyEncoded) + path, QUrl::TolerantMode);
        if (!query.isEmpty())
            url.setQuery(query);
        return url;
    }

    QNetworkRequest makeRequest(const QUrl &url, Auth auth, Redirects redirects) const
    {
        QNetworkRequest request(url);
        // QNetworkAccessManager would re-send the Authorization header to wherever a redirect
        // points; API calls have no business being redirected, and downloads follow by hand.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
            redirects == Redirects::Refuse ? QNetworkRequest::ManualRedirectPolicy
                                           : QNetworkRequest::NoLessSafeRedirectPolicy);
        request.setTransferTimeout(transferTimeoutMs);
        if (auth == Auth::Token && !token.isEmpty())
            request.setRawHeader("Authorization"_ba, "Bearer "_ba + token.toUtf8());
        return request;
    }

    //! One JSON request. \a done gets the 2xx body as an object, or the error.
    void request(ApiCallBase *call, const QByteArray &verb, const QUrl &url, Auth auth,
        const QByteArray &body, JsonHandler done, Redirects redirects = Redirects::Refuse)
    {
        // Built anew for every send, so that a replay carries the token of that moment.
        auto send = [this, verb, url, auth, body, redirects] {
            QNetworkRequest request = makeRequest(url, auth, redirects);
            qCDebug(lcApi).noquote() << verb << loggableUrl(url);
            if (verb == "GET")
                return nam->get(request);
            request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
            return nam->sendCustomRequest(request, verb, body);
        };
        dispatch(call, auth, verb, std::move(send), std::move(done));
    }

    //! One request whose body streams from \a source; answered as request() answers. A
    //! seekable device is rewound for a replay after a refresh; a sequential one cannot be, and
    //! the call fails with the 401 then (the token is fresh for the caller's next try).
    void upload(ApiCallBase *call, const QByteArray &verb, const QUrl &url,
        const UploadSource &source, JsonHandler done)
    {
        const qint64 start = source.device->pos();
        auto sends = std::make_shared<int>(0);
        auto send = [this, call, verb, url, source, start, sends]() -> QNetworkReply * {
            if ((*sends)++ > 0
                && (!source.device || source.device->isSequential() || !source.device->seek(start)))
                return nullptr;
            QNetworkRequest request = makeRequest(url, Auth::Token, Redirects::Refuse);
            request.setHeader(QNetworkRequest::ContentTypeHeader, source.contentType);
            // An exact length, never chunked: Synapse answers 400 to a body without one
            // (protocol.md 6, 7).
            request.setHeader(QNetworkRequest::ContentLengthHeader, source.size);
            if (source.device->isSequential()) // else QtNetwork would buffer the whole body
                request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
            QNetworkReply *reply = nam->sendCustomRequest(request, verb, source.device);
            qCDebug(lcApi).noquote() << verb << loggableUrl(url) << source.size << "bytes";
            const qint64 total = source.size;
            QObject::connect(reply, &QNetworkReply::uploadProgress, call,
                [call, total](qint64 sent, qint64 reported) {
                    // QtNetwork ends an upload with a spurious (0, 0) after the real last report.
                    if (sent == 0 && reported == 0 && total > 0)
                        return;
                    Q_EMIT call->progress(sent, total);
                });
            return reply;
        };
        dispatch(call, Auth::Token, verb, std::move(send), std::move(done));
    }

    //! Sends with \a send (which gives nullptr when it cannot send again) and hands the answer
    //! to \a done; a token the server refuses is refreshed and the request sent again
    //! (onTokenRefused()). Requests with a token wait while a refresh runs.
    void dispatch(ApiCallBase *call, Auth auth, const QByteArray &verb,
        std::function<QNetworkReply *()> send, JsonHandler done, int replays = 0,
        const MatrixError &refused = {})
    {
        auto go = [this, call, auth, verb, send, done, replays, refused] {
            const QString used = token;
            QNetworkReply *reply = send();
            if (!reply) // a body that cannot be sent again: the refusal stands
                return done(refused);
            watch(call, reply, verb,
                [this, call, auth, verb, send, done, replays, used](const JsonResult &r) {
                    if (auth != Auth::Token || r || !r.error().isUnauthorized())
                        return done(r);
                    const MatrixError error = r.error();
                    onTokenRefused(
                        call, used, error, replays,
                        [this, call, auth, verb, send, done, replays, error] {
                            dispatch(call, auth, verb, send, done, replays + 1, error);
                        },
                        [done](const MatrixError &e) { done(e); });
                });
        };
        if (auth == Auth::Token)
            whenNotRefreshing(call, std::move(go));
        else
            go();
    }

    //! Runs \a next now, or once the refresh in flight has ended.
    void whenNotRefreshing(ApiCallBase *call, std::function<void()> next)
    {
        if (!refreshing)
            return next();
        tokenWaiters.append({ call, [next](Refresh, const MatrixError &) { next(); } });
    }

    //! A request sent with \a used was answered 401 (\a error): send it again (\a replay) with
    //! a token that replaced \a used meanwhile or that a refresh gives, or give up
    //! (\a giveUp) and report the token as rejected.
    void onTokenRefused(ApiCallBase *call, const QString &used, const MatrixError &error,
        int replays, std::function<void()> replay, std::function<void(const MatrixError &)> giveUp)
    {
        if (replays >= maxTokenReplays) {
            qCWarning(lcApi) << "the server refuses fresh tokens too:" << error.toString();
            reject(error);
            return giveUp(error);
        }
        if (!token.isEmpty() && token != used && !refreshing)
            return replay(); // a refresh or the host replaced the token while this one ran
        if (refreshToken.isEmpty() && !refreshing) {
            reject(error);
            return giveUp(error);
        }
        tokenWaiters.append(
            { call, [replay, giveUp, error](Refresh outcome, const MatrixError &refreshError) {
                 if (outcome == Refresh::Done)
                     return replay();
                 // Refused: the refusal of this call stands. Failed (network, 5xx): the caller
                 // retries as after any such error, and the next 401 refreshes again.
                 giveUp(outcome == Refresh::Refused ? error : refreshError);
             } });
        startRefresh();
    }

    void reject(const MatrixError &error)
    {
        if (rejected)
            return;
        rejected = true;
        qCInfo(lcApi) << "the access token was refused:" << error.toString();
        Q_EMIT q->accessTokenRejected(error);
    }

    void startRefresh()
    {
        if (refreshing)
            return;
        if (refreshToken.isEmpty() || !base.isValid()) {
            QTimer::singleShot(0, q,
                [this] { finishRefresh(nullptr, MatrixError::local(u"no refresh token"_s)); });
            return;
        }
        auto *call = newCall<RefreshResult>();
        refreshing = call;
        qCInfo(lcApi) << "refreshing the access token";
        // Authenticated by the refresh token in the body, never by the access token.
        request(call, "POST"_ba, endpoint(u"/_matrix/client/v3/refresh"_s), Auth::None,
            QJsonDocument(QJsonObject { { u"refresh_token"_s, refreshToken } })
                .toJson(QJsonDocument::Compact),
            [this, call](const JsonResult &r) {
                if (!r)
                    return finishRefresh(call, r.error());
                RefreshResult result;
                result.accessToken = r->value(u"access_token"_s).toString();
                result.refreshToken = r->value(u"refresh_token"_s).toString(refreshToken);
                const QJsonValue expires = r->value(u"expires_in_ms"_s);
                result.expiresInMs = jsonNonNegative(expires);
                if (result.accessToken.isEmpty())
                    return finishRefresh(call,
                        MatrixError::invalidResponse(
                            u"the refresh answer has no access_token"_s, 200));
                finishRefresh(call, result);
            });
    }

    void finishRefresh(ApiCall<RefreshResult> *call, const ApiResult<RefreshResult> &result)
    {
        if (call) {
            refreshing = nullptr;
            call->resolve(result);
            call->deleteLater();
        }
        Refresh outcome = Refresh::Done;
        MatrixError error;
        if (result) {
            token = result->accessToken;
            refreshToken = result->refreshToken;
            rejected = false;
            qCInfo(lcApi) << "the access token was refreshed";
            Q_EMIT q->tokensRefreshed(token, refreshToken);
            Q_EMIT q->accessTokenChanged();
        } else {
            error = result.error();
            // An answer that is no passing trouble (401 M_UNKNOWN_TOKEN for a spent refresh
            // token, 404 from a server without refresh) will not change: forget the refresh
            // token, so that the next refused call reports the rejection instead of a loop.
            const bool refused = error.kind() == MatrixError::Kind::Local
                || (error.kind() == MatrixError::Kind::Http && !error.isRetryable());
            outcome = refused ? Refresh::Refused : Refresh::Failed;
            qCInfo(lcApi) << "refreshing the access token failed:" << error.toString();
            if (refused) {
                refreshToken.clear();
                reject(error);
            }
        }
        for (const QPointer<ApiCall<RefreshResult>> &listener : std::exchange(refreshListeners, {}))
            if (listener)
                listener->resolve(result);
        for (const TokenWaiter &waiter : std::exchange(tokenWaiters, {})) {
            if (waiter.call && !waiter.call->isFinished())
                waiter.resume(outcome, error);
        }
    }

    //! Turns the end of \a reply into \a done: the 2xx body as a JSON object, or the error.
    static void watch(
        ApiCallBase *call, QNetworkReply *reply, const QByteArray &verb, JsonHandler done)
    {
        call->setReply(reply);
        // API answers are small: a bounded body, complete within two inactivity timeouts of
        // the last byte sent (a server that trickles never trips the inactivity timeout).
        limitAnswer(reply, maxAnswerBytes, 2 * transferTimeoutOf(reply));
        QObject::connect(
            reply, &QNetworkReply::finished, call, [call, reply, verb, done = std::move(done)] {
                reply->deleteLater();
                call->setReply(nullptr);
                const int status = httpStatus(reply);
                qCDebug(lcApi).noquote()
                    << verb << loggableUrl(reply->request().url()) << "->" << status;
                if (status == 0 || !answerLimitReason(reply).isEmpty())
                    return done(MatrixError::fromReply(reply));
                if (isRedirect(status))
                    return done(MatrixError::invalidResponse(
                        u"unexpected redirect (HTTP %1)"_s.arg(status), status));
                // A body that broke off after a 2xx status (a stall, a reset): not the answer.
                if (status < 200 || status >= 300 || reply->error() != QNetworkReply::NoError)
                    return done(MatrixError::fromReply(reply));
                const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
                if (!doc.isObject())
                    return done(
                        MatrixError::invalidResponse(u"the answer is not a JSON object"_s, status));
                done(doc.object());
            });
    }

    //! Why \a source cannot be sent, or nothing when it can.
    static std::optional<MatrixError> checkSource(const UploadSource &source)
    {
        if (!source.device || !source.device->isReadable())
            return MatrixError::local(u"the upload device is not open for reading"_s);
        if (source.size < 0)
            return MatrixError::local(u"the upload size is negative"_s);
        // QtNetwork sends what the device holds, whatever Content-Length says: the two must
        // agree or the server would see a body of the wrong length.
        if (!source.device->isSequential()
            && source.device->size() - source.device->pos() != source.size)
            return MatrixError::local(u"the upload device holds %1 bytes, not %2"_s
                                          .arg(source.device->size() - source.device->pos())
                                          .arg(source.size));
        return std::nullopt;
    }

    static QUrlQuery fileNameQuery(const QString &fileName)
    {
        QUrlQuery query;
        if (!fileName.isEmpty())
            query.addQueryItem(u"filename"_s, encodeSegment(fileName));
        return query;
    }

    //! Runs \a next once the server's versions are known, fetching them first if need be.
    template<class T> void withVersions(ApiCall<T> *call, std::function<void()> next)
    {
        if (versions)
            return next();
        request(call, "GET"_ba, endpoint(u"/_matrix/client/versions"_s), Auth::Token, {},
            [this, call, next = std::move(next)](const JsonResult &r) {
                if (!r)
                    return call->resolve(r.error());
                versions = ServerVersions::fromJson(*r);
                next();
            });
    }

    template<class T> bool checkHomeserver(ApiCall<T> *call)
    {
        if (base.isValid())
            return true;
        failLater(call, MatrixError::local(u"no homeserver URL set"_s));
        return false;
    }

    void tryCreate(ApiCall<CreateResult> *call, bool unstable);
    void tryComplete(ApiCall<CompleteResult> *call, QStringList paths, const QUrlQuery &query);
    struct DownloadState
    {
        DownloadResult result;
        QPointer<QIODevice> sink;
        bool streaming = false;
        qint64 timeoutMs = -1;
    };
    void fetch(ApiCall<DownloadResult> *call, const QUrl &url, bool withToken, int redirectsLeft,
        std::shared_ptr<DownloadState> state, int replays = 0);
};

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

ApiCall<LoginResult> *MediaApi::loginWithPassword(
    const QString &user, const QString &password, const QString &deviceId)
{
    auto *call = d->newCall<LoginResult>();
    if (!d->checkHomeserver(call))
        return call;
    QJsonObject body { { u"type"_s, u"m.login.password"_s },
        { u"identifier"_s, QJsonObject { { u"type"_s, u"m.id.user"_s }, { u"user"_s, user } } },
        { u"password"_s, password } };
    if (!deviceId.isEmpty())
        body.insert(u"device_id"_s, deviceId);
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
        d->tryComplete(call, paths, MediaApiPrivate::fileNameQuery(fileName));
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
    d->upload(call, "PUT"_ba, d->endpoint(path, MediaApiPrivate::fileNameQuery(source.fileName)),
        source, [call](const MediaApiPrivate::JsonResult &r) {
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
        d->endpoint(u"/_matrix/media/v3/upload"_s, MediaApiPrivate::fileNameQuery(source.fileName)),
        source, [call](const MediaApiPrivate::JsonResult &r) {
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

void MediaApiPrivate::fetch(ApiCall<DownloadResult> *call, const QUrl &url, bool withToken,
    int redirectsLeft, std::shared_ptr<DownloadState> state, int replays)
{
    if (withToken && refreshing) {
        whenNotRefreshing(call, [this, call, url, redirectsLeft, state, replays] {
            fetch(call, url, true, redirectsLeft, state, replays);
        });
        return;
    }
    const QString used = token;
    QNetworkRequest request
        = makeRequest(url, withToken ? Auth::Token : Auth::None, Redirects::Refuse);
    if (!withToken) // a CDN gets no cookies of ours either
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    if (state->timeoutMs > 0) // the server may legitimately stay silent for timeout_ms
        request.setTransferTimeout(int(std::min<qint64>(
            std::max<qint64>(transferTimeoutMs, state->timeoutMs + 30000), INT_MAX)));
    qCDebug(lcApi).noquote() << "GET" << loggableUrl(url);
    QNetworkReply *reply = nam->get(request);
    call->setReply(reply);
    // The content may be large and slow; an error or redirect body may not be either.
    limitAnswer(reply, maxAnswerBytes, 0, true);

    auto take = [call, reply, state] {
        const int status = httpStatus(reply);
        if (status < 200 || status >= 300)
            return true; // an error or redirect body stays in the reply for MatrixError
        const QByteArray bytes = reply->readAll();
        if (bytes.isEmpty())
            return true;
        if (!state->streaming) {
            state->result.data.append(bytes);
        } else if (!state->sink || state->sink->write(bytes) != bytes.size()) {
            const QString why = state->sink ? state->sink->errorString() : u"the device is gone"_s;
            reply->disconnect(call);
            abortReply(reply);
            reply->deleteLater();
            call->resolve(MatrixError::local(u"cannot write the download: "_s + why));
            return false;
        }
        state->result.size += bytes.size();
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        Q_EMIT call->progress(state->result.size, length.isValid() ? length.toLongLong() : -1);
        return true;
    };
    QObject::connect(reply, &QNetworkReply::readyRead, call, [take] { take(); });
    QObject::connect(reply, &QNetworkReply::finished, call,
        [this, call, reply, url, withToken, redirectsLeft, state, take, used, replays] {
            reply->deleteLater();
            call->setReply(nullptr);
            const int status = httpStatus(reply);
            qCDebug(lcApi).noquote() << "GET" << loggableUrl(url) << "->" << status;
            if (status == 0 || !answerLimitReason(reply).isEmpty())
                return call->resolve(MatrixError::fromReply(reply));
            if (withToken && status == 401) {
                const MatrixError error = MatrixError::fromReply(reply);
                if (error.isUnauthorized())
                    return onTokenRefused(
                        call, used, error, replays,
                        [this, call, url, redirectsLeft, state, replays] {
                            fetch(call, url, true, redirectsLeft, state, replays + 1);
                        },
                        [call](const MatrixError &e) { call->resolve(e); });
            }
            if (isRedirect(status)) {
                const QUrl location = QUrl::fromEncoded(reply->rawHeader("Location"_ba));
                const QUrl target = url.resolved(location);
                if (location.isEmpty() || !target.isValid())
                    return call->resolve(MatrixError::invalidResponse(
                        u"a redirect without a valid Location"_s, status));
                if (target.scheme() != u"https"_s
                    && !(target.scheme() == u"http"_s && url.scheme() == u"http"_s))
                    return call->resolve(
                        MatrixError::local(u"refusing a download redirect from %1 to %2"_s.arg(
                            url.scheme(), target.scheme())));
                if (redirectsLeft <= 0)
                    return call->resolve(
                        MatrixError::invalidResponse(u"too many redirects"_s, status));
                qCDebug(lcApi).noquote() << "download redirected to" << loggableUrl(target);
                state->result.redirected = true;
                // The target is a CDN or a signed URL: the homeserver's token stays home
                // (protocol.md 8), whatever the origin.
                return fetch(call, target, false, redirectsLeft - 1, state, replays);
            }
            if (status < 200 || status >= 300)
                return call->resolve(MatrixError::fromReply(reply));
            if (!take())
                return;
            state->result.contentType
                = reply->header(QNetworkRequest::ContentTypeHeader).toString().toLatin1();
            call->resolve(state->result);
        });
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
        d->fetch(call, d->endpoint(path, query), authenticated, maxRedirects, state);
    });
    return call;
}

ApiCall<QStringList> *MediaApi::joinedRooms()
{
    auto *call = d->newCall<QStringList>();
    if (!d->checkHomeserver(call))
        return call;
    d->request(call, "GET"_ba, d->endpoint(u"/_matrix/client/v3/joined_rooms"_s),
        MediaApiPrivate::Auth::Token, {}, [call](const MediaApiPrivate::JsonResult &r) {
            if (!r)
                return call->resolve(r.error());
            const QJsonValue rooms = r->value(u"joined_rooms"_s);
            if (!rooms.isArray())
                return call->resolve(
                    MatrixError::invalidResponse(u"joined_rooms is missing or not a list"_s, 200));
            QStringList ids;
            for (const QJsonValue &id : rooms.toArray()) {
                if (id.isString() && id.toString().startsWith(u'!'))
                    ids.append(id.toString());
            }
            call->resolve(ids);
        });
    return call;
}

ApiCall<QString> *MediaApi::roomName(const QString &roomId)
{
    auto *call = d->newCall<QString>();
    if (!d->checkHomeserver(call))
        return call;
    // The empty state key is a trailing slash.
    const QString path
        = u"/_matrix/client/v3/rooms/%1/state/m.room.name/"_s.arg(encodeSegment(roomId));
    d->request(call, "GET"_ba, d->endpoint(path), MediaApiPrivate::Auth::Token, {},
        [call](const MediaApiPrivate::JsonResult &r) {
            if (!r) {
                if (r.error().httpStatus() == 404 && r.error().errcode() == u"M_NOT_FOUND"_s)
                    return call->resolve(QString()); // the room has no name
                return call->resolve(r.error());
            }
            call->resolve(r->value(u"name"_s).toString());
        });
    return call;
}

ApiCall<bool> *MediaApi::roomEncrypted(const QString &roomId)
{
    auto *call = d->newCall<bool>();
    if (!d->checkHomeserver(call))
        return call;
    const QString path
        = u"/_matrix/client/v3/rooms/%1/state/m.room.encryption/"_s.arg(encodeSegment(roomId));
    d->request(call, "GET"_ba, d->endpoint(path), MediaApiPrivate::Auth::Token, {},
        [call](const MediaApiPrivate::JsonResult &r) {
            if (!r) {
                // Only the room's own "no such state" means plain; a 404 without M_NOT_FOUND
                // (an endpoint the server lacks, a proxy) says nothing about the room.
                if (r.error().httpStatus() == 404 && r.error().errcode() == u"M_NOT_FOUND"_s)
                    return call->resolve(false);
                return call->resolve(r.error());
            }
            // Encryption cannot be switched off in a room: any content is encrypted, also one
            // whose algorithm this program does not know.
            call->resolve(true);
        });
    return call;
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
