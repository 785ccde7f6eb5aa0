// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the private class behind MediaTestServer, shared by
// mediatestserver.cpp (set-up and the Matrix routes) and uploadurls.cpp (the upload URLs: put,
// content-range, tus, and URL signing), and the answer helpers both use.
#pragma once

#include "mediatestserver.h"

#include "externaltarget_p.h"
#include "faultplan_p.h"
#include "httpcompat_p.h"
#include "httprelay_p.h"
#include "mediastore_p.h"
#include "roomstate_p.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QMultiHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>
#include <QtHttpServer/QHttpServer>
#include <QtHttpServer/QHttpServerRequest>

#include <algorithm>
#include <memory>
#include <optional>
#include <variant>

namespace MatrixUpload {

// The route files and this header write their string literals as u"..."_s.
using namespace Qt::StringLiterals;

//! Answers and checks shared by the route files of the test server.
namespace TestServerReply {
using Response = QHttpServerResponse;
using Status = QHttpServerResponse::StatusCode;
using TestServerCompat::HeaderPairs;

//! Every chunk but the last of a content-range upload is a multiple of this.
inline constexpr qint64 chunkGranularity = 256 * 1024;

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

inline Response jsonResponse(int status, const QJsonObject &body, const HeaderPairs &headers = {})
{
    Response r("application/json"_ba, QJsonDocument(body).toJson(QJsonDocument::Compact),
        static_cast<Status>(status));
    TestServerCompat::addHeaders(r, headers);
    return r;
}

inline Response emptyResponse(int status, const HeaderPairs &headers)
{
    Response r(QByteArray(), QByteArray(), static_cast<Status>(status));
    TestServerCompat::addHeaders(r, headers);
    return r;
}

//! The Matrix error JSON (protocol.md 9).
inline Response matrixError(int status, const QString &errcode, const QString &message,
    const QJsonObject &extra = {}, const HeaderPairs &headers = {})
{
    QJsonObject body = extra;
    body.insert(u"errcode"_s, errcode);
    body.insert(u"error"_s, message);
    return jsonResponse(status, body, headers);
}

inline bool validMediaId(const QString &id)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,255}$"_s);
    return re.match(id).hasMatch();
}

inline bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

inline bool allDigits(QByteArrayView s)
{
    return !s.isEmpty()
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace TestServerReply

using namespace TestServerReply;

class MediaTestServerPrivate
{
public:
    using Response = TestServerReply::Response;
    struct Waiter
    {
        std::shared_ptr<QHttpServerResponder> responder;
        QTimer *timer = nullptr;
        QString fileName;
    };
    struct Request
    {
        const QHttpServerRequest &http;
        QStringList segments; //!< decoded path segments
        QByteArray method;
    };
    using Result = std::optional<Response>; //!< nullopt: answered later

    MediaTestServer *q;
    MediaTestServerConfig config;
    QHttpServer http;
    FaultPlan faults;
    std::unique_ptr<HttpRelay> relay;
    std::unique_ptr<ExternalTarget> external; // upload URLs on a third-party server
    MediaStore store;
    RoomState rooms; // events and transaction IDs; the rooms themselves are in config.rooms
    std::unique_ptr<QTemporaryDir> tempDir;
    QByteArray secret;
    //! One access token: whose, which device, until when, and the refresh token its first use
    //! revokes (refresh.yaml: the old refresh token lives until the new access or refresh token
    //! is used).
    struct AccessToken
    {
        QString localpart;
        QString device; // empty for configured tokens
        qint64 expiresMs = 0; // 0: never
        QString revokesOnUse; // a refresh token
    };
    struct RefreshToken
    {
        QString localpart;
        QString device;
        QString revokesOnUse; // the refresh token this one replaced
    };
    QHash<QString, AccessToken> tokens;
    QHash<QString, RefreshToken> refreshTokens;
    //! One-time SSO login tokens (`loginToken` of the SSO redirect) -> localpart and expiry;
    //! kept in memory only: a restarted server has forgotten them, as their lifetime is short.
    struct LoginToken
    {
        QString localpart;
        qint64 expiresMs = 0;
    };
    QHash<QString, LoginToken> loginTokens;
    QJsonArray devices; // MediaTestServer::devices()
    QString error;
    QUrl base;
    QMultiHash<QString, Waiter *> waiters;

    explicit MediaTestServerPrivate(MediaTestServer *owner, const MediaTestServerConfig &c)
        : q(owner)
        , config(c)
    { }

    ~MediaTestServerPrivate()
    {
        for (Waiter *w : std::as_const(waiters))
            delete w;
    }

    QString userId(const QString &localpart) const
    {
        return u"@"_s + localpart + u":"_s + config.serverName;
    }
    QString contentUri(const QString &id) const
    {
        return u"mxc://"_s + config.serverName + u"/"_s + id;
    }
    QString idFrom(const QString &idOrUri) const
    {
        const QString prefix = u"mxc://"_s + config.serverName + u"/"_s;
        return idOrUri.startsWith(prefix) ? idOrUri.mid(prefix.size()) : idOrUri;
    }

    void saveState()
    {
        QJsonObject t;
        for (auto it = tokens.cbegin(); it != tokens.cend(); ++it) {
            const AccessToken &a = it.value();
            t.insert(it.key(),
                QJsonObject { { u"user"_s, a.localpart }, { u"device"_s, a.device },
                    { u"expires_ms"_s, a.expiresMs }, { u"revokes_on_use"_s, a.revokesOnUse } });
        }
        QJsonObject r;
        for (auto it = refreshTokens.cbegin(); it != refreshTokens.cend(); ++it)
            r.insert(it.key(),
                QJsonObject { { u"user"_s, it->localpart }, { u"device"_s, it->device },
                    { u"revokes_on_use"_s, it->revokesOnUse } });
        store.saveState({ { u"secret"_s, QString::fromLatin1(secret.toHex()) }, { u"tokens"_s, t },
            { u"refresh_tokens"_s, r } });
    }

    void loadTokens(const QJsonObject &state)
    {
        const QJsonObject saved = state.value(u"tokens"_s).toObject();
        for (auto it = saved.begin(); it != saved.end(); ++it) {
            if (it->isString()) { // written before tokens could expire: localpart only
                tokens.insert(it.key(), { it->toString(), {}, 0, {} });
                continue;
            }
            const QJsonObject o = it->toObject();
            tokens.insert(it.key(),
                { o.value(u"user"_s).toString(), o.value(u"device"_s).toString(),
                    o.value(u"expires_ms"_s).toInteger(),
                    o.value(u"revokes_on_use"_s).toString() });
        }
        const QJsonObject savedRefresh = state.value(u"refresh_tokens"_s).toObject();
        for (auto it = savedRefresh.begin(); it != savedRefresh.end(); ++it) {
            const QJsonObject o = it->toObject();
            refreshTokens.insert(it.key(),
                { o.value(u"user"_s).toString(), o.value(u"device"_s).toString(),
                    o.value(u"revokes_on_use"_s).toString() });
        }
    }

    //! A new access token for \a localpart on \a device, expiring after the configured
    //! lifetime; with \a refresh, also a refresh token. Both are saved.
    QJsonObject issueTokens(const QString &localpart, const QString &device, bool refresh,
        const QString &revokesOnUse = {})
    {
        QJsonObject answer;
        AccessToken access { localpart, device, 0, {} };
        if (config.tokenLifetimeMs > 0) {
            access.expiresMs = nowMs() + config.tokenLifetimeMs;
            answer.insert(u"expires_in_ms"_s, config.tokenLifetimeMs);
        }
        const QString token = u"mut_"_s + QString::fromLatin1(randomString(32));
        if (refresh) {
            const QString refreshToken = u"mur_"_s + QString::fromLatin1(randomString(32));
            refreshTokens.insert(refreshToken, { localpart, device, revokesOnUse });
            access.revokesOnUse = revokesOnUse;
            answer.insert(u"refresh_token"_s, refreshToken);
        }
        tokens.insert(token, access);
        answer.insert(u"access_token"_s, token);
        saveState();
        return answer;
    }

    //! Revokes \a refreshToken, if it still exists.
    void revokeRefreshToken(const QString &refreshToken)
    {
        if (!refreshToken.isEmpty() && refreshTokens.remove(refreshToken))
            saveState();
    }

    QByteArray randomString(int length) const
    {
        static const char alphabet[]
            = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        QByteArray s(length, Qt::Uninitialized);
        for (char &c : s)
            c = alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))];
        return s;
    }

    //! The signature of an upload or download URL: HMAC-SHA-256 over method, ID and expiry.
    QByteArray sign(const QByteArray &method, const QString &id, qint64 exp) const;
    QUrl signedUrl(const QString &path, const QByteArray &method, const QString &id, qint64 exp,
        bool tamper, const QUrl &origin) const;
    //! Checks exp and sig of a signed URL. Returns an error answer, or nothing when valid.
    std::optional<Response> checkSignature(
        const QHttpServerRequest &req, const QByteArray &method, const QString &id) const
    {
        return checkSignedQuery(QUrlQuery(req.url()), method, id);
    }
    //! checkSignature() of a URL's \a query.
    std::optional<Response> checkSignedQuery(
        const QUrlQuery &query, const QByteArray &method, const QString &id) const;
    //! Where the relay spools upload bodies: beside the media, so that a body becomes the
    //! media's bytes file by a rename.
    QString spoolDir() const { return store.dir() + u"/spool"_s; }

    //! The request's body: a spool file or direct body the relay named (see httprelay_p.h), or
    //! the bytes QHttpServer holds; size -1 when the named file or body is not one the relay
    //! issued in a head whose answer is due, or the file is gone (a request that reached the
    //! backend port directly cannot hand the server a file of its choosing).
    RequestBody requestBody(const QHttpServerRequest &req) const
    {
        RequestBody body;
        const QByteArray direct = req.value(HttpRelay::bodyDirectHeader);
        const QByteArray name = req.value(HttpRelay::bodyFileHeader);
        if (!direct.isEmpty()) {
            const QString directName = QFile::decodeName(direct);
            body.direct = relay ? relay->directBody(directName, &body.size) : nullptr;
            if (!body.direct)
                body.size = -1;
            else
                body.hash = relay->bodyHash(directName);
        } else if (name.isEmpty()) {
            body.bytes = req.body();
            body.size = body.bytes.size();
        } else {
            const QFileInfo file(QFile::decodeName(name));
            if (file.absolutePath() != QFileInfo(spoolDir()).absoluteFilePath() || !file.isFile()
                || file.isSymLink() || !relay || !relay->issuedSpoolFile(file.absoluteFilePath())) {
                body.size = -1;
            } else {
                body.file = file.absoluteFilePath();
                body.size = file.size();
                body.sha256 = req.value(HttpRelay::bodySha256Header);
                body.hash = relay->bodyHash(body.file);
            }
        }
        return body;
    }

    //! When the request reached the server: the relay stamps every head it forwards (after
    //! any latency fault), before the body streams in.
    static qint64 arrivalMs(const QHttpServerRequest &req)
    {
        const QByteArray stamp = req.value(HttpRelay::arrivalHeader);
        return allDigits(stamp) && stamp.size() <= 18 ? stamp.toLongLong() : nowMs();
    }

    //! The authenticated user's localpart, or the 401 answer. A token is checked as of when
    //! the request arrived, so an upload whose token expires while its body streams still
    //! lands, as on servers that authenticate before they read the body.
    std::variant<QString, Response> authenticate(const QHttpServerRequest &req)
    {
        const QByteArray header = req.value("Authorization"_ba);
        if (header.isEmpty())
            return matrixError(401, u"M_MISSING_TOKEN"_s, u"Missing access token"_s);
        if (!header.toLower().startsWith("bearer "))
            return matrixError(401, u"M_MISSING_TOKEN"_s, u"Expected a Bearer token"_s);
        const QString token = QString::fromLatin1(header.mid(7).trimmed());
        const auto it = tokens.find(token);
        if (it == tokens.end())
            return matrixError(401, u"M_UNKNOWN_TOKEN"_s, u"Unrecognised access token"_s,
                { { u"soft_logout"_s, false } });
        if (it->expiresMs > 0 && arrivalMs(req) >= it->expiresMs)
            // Spec "Soft logout": the session lives on, the client refreshes or logs in again.
            return matrixError(401, u"M_UNKNOWN_TOKEN"_s, u"Access token has expired"_s,
                { { u"soft_logout"_s, true } });
        if (!it->revokesOnUse.isEmpty()) {
            // The first use of a refreshed access token revokes the refresh token it came from.
            const QString old = std::exchange(it->revokesOnUse, QString());
            refreshTokens.remove(old);
            saveState();
        }
        return it->localpart;
    }

    std::optional<Response> injectedFault(const QString &routeClass)
    {
        const auto fault = faults.takeHttpFault(routeClass);
        if (!fault)
            return std::nullopt;
        HeaderPairs headers;
        QJsonObject extra;
        if (fault->retryAfterSeconds >= 0) {
            headers.append({ "Retry-After"_ba, QByteArray::number(fault->retryAfterSeconds) });
            extra.insert(u"retry_after_ms"_s, qint64(fault->retryAfterSeconds) * 1000);
        }
        return matrixError(fault->status, fault->errcode, u"injected fault"_s, extra, headers);
    }

    //! Whether the record's bytes sit on the external target rather than in the store.
    bool heldExternally(const MediaRecord &record) const
    {
        return external && !external->keepsCopy() && !record.externalUrl.isEmpty()
            && record.via == external->via();
    }

    void complete(MediaRecord &record)
    {
        if (heldExternally(record)) {
            record.state = MediaRecord::State::Complete; // size and SHA-256 came from the peer
            store.save(record);
        } else {
            store.finalize(record);
        }
        const QString uri = contentUri(record.id);
        const QList<Waiter *> waiting = waiters.values(record.id);
        waiters.remove(record.id);
        for (Waiter *w : waiting) {
            w->timer->stop();
            w->timer->deleteLater();
            TestServerCompat::send(*w->responder, downloadResponse(record, w->fileName));
            delete w;
        }
        Q_EMIT q->mediaCompleted(uri);
    }

    //! The stored bytes, or with \a tamper (the tamper_download fault) the first one flipped.
    Response downloadResponse(
        const MediaRecord &record, const QString &fileName, bool tamper = false) const
    {
        if (heldExternally(record)) // the peer serves the bytes; its URL carries no token
            return emptyResponse(307,
                { { "Location"_ba,
                      external->downloadUrl(QUrl(record.externalUrl, QUrl::StrictMode))
                          .toEncoded() },
                    { "Cache-Control"_ba, "no-store"_ba } });
        const QString name = fileName.isEmpty() ? record.fileName : fileName;
        QByteArray body = store.read(record);
        if (tamper && !body.isEmpty())
            body[0] = char(body[0] ^ 0xff);
        Response r(record.contentType.isEmpty() ? "application/octet-stream"_ba
                                                : record.contentType.toUtf8(),
            std::move(body));
        HeaderPairs headers;
        if (!name.isEmpty())
            headers.append({ "Content-Disposition"_ba,
                "attachment; filename*=utf-8''"_ba + QUrl::toPercentEncoding(name) });
        headers.append({ "Cache-Control"_ba, "no-store"_ba });
        TestServerCompat::addHeaders(r, headers);
        return r;
    }

    Result dispatch(const QHttpServerRequest &req, QHttpServerResponder &responder);

    // Routes.
    Result versions(const Request &r);
    Result login(const Request &r);
    //! `GET /_matrix/client/v3/login/sso/redirect[/{idpId}]`: the identity provider approves at
    //! once and sends the browser back to `redirectUrl` with a one-time `loginToken`.
    Result ssoRedirect(const Request &r, const QString &idpId);
    Result refresh(const Request &r);
    Result logout(const Request &r);
    Result mediaConfig(const Request &r);
    Result create(const Request &r, QHttpServerResponder &responder);
    Result uploadUrl(const Request &r, const QString &id);
    //! For the relay (HttpRelay::setBodyPlanner()): for a chunk to one of this server's upload
    //! URLs, the running hash it goes on from where its Content-Range or Upload-Offset says it
    //! starts, and when that is the end of the bytes held and the URL's signature holds, a grant
    //! to write it there (MediaStore::directBody()); nothing for any other request.
    HttpRelay::BodyPlan bodyPlan(const QByteArray &method, const QByteArray &path,
        const QByteArray &query, const QJsonObject &headers);
    Result uploadPut(MediaRecord &rec, const Request &r);
    Result uploadContentRange(MediaRecord &rec, const Request &r);
    Result uploadTus(MediaRecord &rec, const Request &r);
    Result completeUpload(const Request &r, QHttpServerResponder &responder, const QString &server,
        const QString &id);
    Result completeExternal(const Request &r, QHttpServerResponder &responder, const QString &id);
    Result asyncUpload(const Request &r, const QString &server, const QString &id);
    Result legacyUpload(const Request &r);
    Result download(const Request &r, QHttpServerResponder &responder, const QString &server,
        const QString &id, const QString &fileName, bool authenticated);
    Result signedDownload(const Request &r, const QString &id);
    Result testFaults(const Request &r);
    Result testRequests(const Request &r);
    //! MediaTestServer::bytesReceived() for the ID \a id.
    qint64 bytesReceived(const QString &id);
    Result roomRequest(const Request &r, RoomState::Request kind, const QStringList &args);
};

} // namespace MatrixUpload
