// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediaapitransport_p.h"

#include "json_p.h"
#include "logging_p.h"
#include "networkreply_p.h"
#include "transfer/curlreply_p.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <climits>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
//! How often one call is sent again after its token was refused and replaced: a server that
//! refuses fresh tokens too must not keep it refreshing forever.
constexpr int maxTokenReplays = 2;

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

int httpStatus(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}
} // namespace

QUrl MediaApiPrivate::endpoint(const QString &path, const QUrlQuery &query) const
{
    QUrl url = base;
    url.setPath(base.path(QUrl::FullyEncoded) + path, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QNetworkRequest MediaApiPrivate::makeRequest(const QUrl &url, Auth auth) const
{
    QNetworkRequest request(url);
    request.setTransferTimeout(transferTimeoutMs > 0 ? transferTimeoutMs : nam->transferTimeout());
    if (auth == Auth::Token && !token.isEmpty())
        request.setRawHeader("Authorization"_ba, "Bearer "_ba + token.toUtf8());
    return request;
}

QNetworkReply *MediaApiPrivate::send(const QNetworkRequest &request, const QByteArray &verb,
    QIODevice *body, qint64 length, Redirects redirects, bool cookies) const
{
    // libcurl, not QtNetwork (transfer/curlreply_p.h says why). The homeserver may sit on a LAN
    // address; API calls have no business being redirected (the token would follow), and
    // downloads follow by hand (fetch()); only unauthenticated discovery is followed here.
    CurlRequestOptions options;
    options.refuseLinkLocal = false;
    options.maxRedirects = redirects == Redirects::FollowSafe ? maxRedirects : 0;
    options.maxBodyBytes = -1; // bounded by limitAnswer(), which knows a download's content
    // Not where libcurl follows a redirect: the cookies would follow the header to its target.
    options.useCookieJar = cookies && redirects == Redirects::Refuse;
    options.bodyFromCurrentPosition = true;
    return sendCurlRequest(nam, request, verb, body, length, options);
}

void MediaApiPrivate::request(ApiCallBase *call, const QByteArray &verb, const QUrl &url, Auth auth,
    const QByteArray &body, JsonHandler done, Redirects redirects)
{
    // Built anew for every send, so that a replay carries the token of that moment.
    auto sendOnce = [this, verb, url, auth, body, redirects] {
        QNetworkRequest request = makeRequest(url, auth);
        qCDebug(lcApi).noquote() << verb << loggableUrl(url);
        if (verb == "GET")
            return send(request, verb, nullptr, 0, redirects);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        auto *buffer = new QBuffer;
        buffer->setData(body);
        buffer->open(QIODevice::ReadOnly);
        QNetworkReply *reply = send(request, verb, buffer, body.size(), redirects);
        buffer->setParent(reply);
        return reply;
    };
    dispatch(call, auth, verb, std::move(sendOnce), std::move(done));
}

void MediaApiPrivate::upload(ApiCallBase *call, const QByteArray &verb, const QUrl &url,
    const UploadSource &source, JsonHandler done)
{
    const qint64 start = source.device->pos();
    auto sends = std::make_shared<int>(0);
    auto sendOnce = [this, call, verb, url, source, start, sends]() -> QNetworkReply * {
        if ((*sends)++ > 0
            && (!source.device || source.device->isSequential() || !source.device->seek(start)))
            return nullptr;
        QNetworkRequest request = makeRequest(url, Auth::Token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, source.contentType);
        // An exact length, never chunked: Synapse answers 400 to a body without one
        // (protocol.md 6, 7). A sequential device is streamed as it gives its bytes.
        QNetworkReply *reply = send(request, verb, source.device, source.size, Redirects::Refuse);
        qCDebug(lcApi).noquote() << verb << loggableUrl(url) << source.size << "bytes";
        const qint64 total = source.size;
        QObject::connect(reply, &QNetworkReply::uploadProgress, call,
            [call, total](qint64 sent, qint64 reported) {
                // No spurious (0, 0) after the last report, as QtNetwork sent (kept out anyway).
                if (sent == 0 && reported == 0 && total > 0)
                    return;
                Q_EMIT call->progress(sent, total);
            });
        return reply;
    };
    dispatch(call, Auth::Token, verb, std::move(sendOnce), std::move(done));
}

void MediaApiPrivate::dispatch(ApiCallBase *call, Auth auth, const QByteArray &verb,
    std::function<QNetworkReply *()> send, JsonHandler done, int replays,
    const MatrixError &refused)
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

void MediaApiPrivate::whenNotRefreshing(ApiCallBase *call, std::function<void()> next)
{
    if (!refreshing)
        return next();
    tokenWaiters.append({ call, [next](Refresh, const MatrixError &) { next(); } });
}

void MediaApiPrivate::onTokenRefused(ApiCallBase *call, const QString &used,
    const MatrixError &error, int replays, std::function<void()> replay,
    std::function<void(const MatrixError &)> giveUp)
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

void MediaApiPrivate::reject(const MatrixError &error)
{
    if (rejected)
        return;
    rejected = true;
    qCInfo(lcApi) << "the access token was refused:" << error.toString();
    Q_EMIT q->accessTokenRejected(error);
}

void MediaApiPrivate::startRefresh()
{
    if (refreshing)
        return;
    if (refreshToken.isEmpty() || !base.isValid()) {
        QTimer::singleShot(
            0, q, [this] { finishRefresh(nullptr, MatrixError::local(u"no refresh token"_s)); });
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
                    MatrixError::invalidResponse(u"the refresh answer has no access_token"_s, 200));
            finishRefresh(call, result);
        });
}

void MediaApiPrivate::finishRefresh(
    ApiCall<RefreshResult> *call, const ApiResult<RefreshResult> &result)
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

void MediaApiPrivate::watch(
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

std::optional<MatrixError> MediaApiPrivate::checkSource(const UploadSource &source)
{
    if (!source.device || !source.device->isReadable())
        return MatrixError::local(u"the upload device is not open for reading"_s);
    if (source.size < 0)
        return MatrixError::local(u"the upload size is negative"_s);
    // The device must hold the announced length: a body that ends early fails only once sent,
    // and one that holds more would be cut off without a word.
    if (!source.device->isSequential()
        && source.device->size() - source.device->pos() != source.size)
        return MatrixError::local(u"the upload device holds %1 bytes, not %2"_s
                                      .arg(source.device->size() - source.device->pos())
                                      .arg(source.size));
    return std::nullopt;
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
    QNetworkRequest request = makeRequest(url, withToken ? Auth::Token : Auth::None);
    if (state->timeoutMs > 0) // the server may legitimately stay silent for timeout_ms
        request.setTransferTimeout(int(std::min<qint64>(
            std::max<qint64>(transferTimeoutMs, state->timeoutMs + 30000), INT_MAX)));
    qCDebug(lcApi).noquote() << "GET" << loggableUrl(url);
    // Redirects by hand, below; a CDN gets no cookies of ours either.
    QNetworkReply *reply = send(request, "GET"_ba, nullptr, 0, Redirects::Refuse, withToken);
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
        if (state->maxBytes >= 0 && state->result.size + bytes.size() > state->maxBytes) {
            // Longer than the caller knows the content to be: not a byte more is read.
            reply->disconnect(call);
            abortReply(reply);
            reply->deleteLater();
            state->result.longer = true;
            call->resolve(std::move(state->result));
            return false;
        }
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
            // A 2xx whose body broke off (the server restarting, a proxy giving up) carries
            // the status of its head and an error: a dropped connection, never a shorter file.
            if (status < 200 || status >= 300 || reply->error() != QNetworkReply::NoError)
                return call->resolve(MatrixError::fromReply(reply));
            if (!take())
                return;
            // And by count, in case a cut answer is ever reported as complete (QtNetwork did,
            // under the sanitizers' timing). The body is kept as sent (libcurl decodes no
            // Content-Encoding), so its length is the Content-Length.
            const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
            if (length.isValid() && state->result.size != length.toLongLong())
                return call->resolve(MatrixError::transport(QNetworkReply::RemoteHostClosedError,
                    u"the download ended after %1 of %2 bytes"_s.arg(state->result.size)
                        .arg(length.toLongLong())));
            state->result.contentType
                = reply->header(QNetworkRequest::ContentTypeHeader).toString().toLatin1();
            call->resolve(state->result);
        });
}

} // namespace MatrixUpload
