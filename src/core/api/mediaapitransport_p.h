// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: MediaApi's transport, shared by its endpoints (mediaapi.cpp): how a request is
// sent (the token, never on a redirect), how its answer is read (bounded, JSON), the refresh of a
// refused token, and the download's redirect rules (protocol.md 1, 8, 9).
#pragma once

#include "apicall.h"
#include "mediaapi.h"
#include "mediatypes.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace MatrixUpload {

//! MediaApi's private part: its state and its transport.
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
    QUrl endpoint(const QString &path, const QUrlQuery &query = {}) const;

    //! A request to \a url: the token when \a auth says so, the inactivity timeout.
    QNetworkRequest makeRequest(const QUrl &url, Auth auth) const;

    //! Sends \a request to the homeserver (or a download's CDN) through libcurl
    //! (transfer/curlreply_p.h): \a length bytes of \a body from its current position (none for
    //! GET), redirects as \a redirects says, the manager's cookies when \a cookies says so.
    QNetworkReply *send(const QNetworkRequest &request, const QByteArray &verb, QIODevice *body,
        qint64 length, Redirects redirects, bool cookies = true) const;

    //! One JSON request. \a done gets the 2xx body as an object, or the error.
    void request(ApiCallBase *call, const QByteArray &verb, const QUrl &url, Auth auth,
        const QByteArray &body, JsonHandler done, Redirects redirects = Redirects::Refuse);

    //! One request whose body streams from \a source; answered as request() answers. A
    //! seekable device is rewound for a replay after a refresh; a sequential one cannot be, and
    //! the call fails with the 401 then (the token is fresh for the caller's next try).
    void upload(ApiCallBase *call, const QByteArray &verb, const QUrl &url,
        const UploadSource &source, JsonHandler done);

    //! Sends with \a send (which gives nullptr when it cannot send again) and hands the answer
    //! to \a done; a token the server refuses is refreshed and the request sent again
    //! (onTokenRefused()). Requests with a token wait while a refresh runs.
    void dispatch(ApiCallBase *call, Auth auth, const QByteArray &verb,
        std::function<QNetworkReply *()> send, JsonHandler done, int replays = 0,
        const MatrixError &refused = {});

    //! Runs \a next now, or once the refresh in flight has ended.
    void whenNotRefreshing(ApiCallBase *call, std::function<void()> next);

    //! A request sent with \a used was answered 401 (\a error): send it again (\a replay) with
    //! a token that replaced \a used meanwhile or that a refresh gives, or give up
    //! (\a giveUp) and report the token as rejected.
    void onTokenRefused(ApiCallBase *call, const QString &used, const MatrixError &error,
        int replays, std::function<void()> replay, std::function<void(const MatrixError &)> giveUp);

    //! Emits accessTokenRejected(), once per token.
    void reject(const MatrixError &error);

    //! Sends `POST /refresh` unless one is in flight; finishRefresh() ends it.
    void startRefresh();

    //! Adopts the refreshed tokens or forgets a spent refresh token, then resumes the waiters.
    void finishRefresh(ApiCall<RefreshResult> *call, const ApiResult<RefreshResult> &result);

    //! Turns the end of \a reply into \a done: the 2xx body as a JSON object, or the error.
    static void watch(
        ApiCallBase *call, QNetworkReply *reply, const QByteArray &verb, JsonHandler done);

    //! Why \a source cannot be sent, or nothing when it can.
    static std::optional<MatrixError> checkSource(const UploadSource &source);

    //! Runs \a next once the server's versions are known, fetching them first if need be.
    template<class T> void withVersions(ApiCall<T> *call, std::function<void()> next)
    {
        if (versions)
            return next();
        request(call, QByteArrayLiteral("GET"),
            endpoint(QStringLiteral("/_matrix/client/versions")), Auth::Token, {},
            [this, call, next = std::move(next)](const JsonResult &r) {
                if (!r)
                    return call->resolve(r.error());
                versions = ServerVersions::fromJson(*r);
                next();
            });
    }

    //! A new call that GETs \a path (with the access token when \a auth says so); \a answer
    //! makes its answer of the JSON result (the 2xx body, or the error: an endpoint may take some
    //! errors for an answer).
    template<class T>
    ApiCall<T> *getJson(
        const QString &path, Auth auth, std::function<ApiResult<T>(const JsonResult &)> answer)
    {
        auto *call = newCall<T>();
        if (!checkHomeserver(call))
            return call;
        request(call, QByteArrayLiteral("GET"), endpoint(path), auth, {},
            [call, answer = std::move(answer)](const JsonResult &r) { call->resolve(answer(r)); });
        return call;
    }

    //! Whether a homeserver is set; else \a call fails (later).
    template<class T> bool checkHomeserver(ApiCall<T> *call)
    {
        if (base.isValid())
            return true;
        failLater(call, MatrixError::local(QStringLiteral("no homeserver URL set")));
        return false;
    }

    // Endpoints with a fallback path (mediaapi.cpp).
    void tryCreate(ApiCall<CreateResult> *call, bool unstable);
    void tryComplete(ApiCall<CompleteResult> *call, QStringList paths, const QUrlQuery &query);

    //! Redirects a download follows (to a CDN), at most.
    static constexpr int maxRedirects = 5;
    struct DownloadState
    {
        DownloadResult result;
        QPointer<QIODevice> sink;
        bool streaming = false;
        qint64 timeoutMs = -1;
        qint64 maxBytes = -1; //!< DownloadOptions::maxBytes
    };
    //! One GET of a download: streams the body into \a state, follows safe redirects without
    //! the token (protocol.md 8) and refreshes a refused token like dispatch().
    void fetch(ApiCall<DownloadResult> *call, const QUrl &url, bool withToken, int redirectsLeft,
        std::shared_ptr<DownloadState> state, int replays = 0);
};

} // namespace MatrixUpload
