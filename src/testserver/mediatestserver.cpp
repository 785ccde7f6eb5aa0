// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediatestserver.h"

#include "externaltarget_p.h"
#include "faultplan_p.h"
#include "httpcompat_p.h"
#include "httpparse_p.h"
#include "httprelay_p.h"
#include "mediastore_p.h"
#include "roomstate_p.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QMultiHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>
#include <QtHttpServer/QHttpServer>
#include <QtHttpServer/QHttpServerRequest>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
using Response = QHttpServerResponse;
using Status = QHttpServerResponse::StatusCode;
using Method = QHttpServerRequest::Method;
using TestServerCompat::HeaderPairs;

constexpr qint64 chunkGranularity = 256 * 1024;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

Response jsonResponse(int status, const QJsonObject &body, const HeaderPairs &headers = {})
{
    Response r("application/json"_ba, QJsonDocument(body).toJson(QJsonDocument::Compact),
        static_cast<Status>(status));
    TestServerCompat::addHeaders(r, headers);
    return r;
}

Response emptyResponse(int status, const HeaderPairs &headers)
{
    Response r(QByteArray(), QByteArray(), static_cast<Status>(status));
    TestServerCompat::addHeaders(r, headers);
    return r;
}

//! The Matrix error JSON (protocol.md 9).
Response matrixError(int status, const QString &errcode, const QString &message,
    const QJsonObject &extra = {}, const HeaderPairs &headers = {})
{
    QJsonObject body = extra;
    body.insert(u"errcode"_s, errcode);
    body.insert(u"error"_s, message);
    return jsonResponse(status, body, headers);
}

Response limitExceeded(const QString &message, qint64 waitMs)
{
    const qint64 seconds = std::max<qint64>(1, (waitMs + 999) / 1000);
    return matrixError(429, u"M_LIMIT_EXCEEDED"_s, message, { { u"retry_after_ms"_s, waitMs } },
        { { "Retry-After"_ba, QByteArray::number(seconds) } });
}

bool validMediaId(const QString &id)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,255}$"_s);
    return re.match(id).hasMatch();
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

bool allDigits(QByteArrayView s)
{
    return !s.isEmpty()
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

QByteArray methodName(Method m)
{
    switch (m) {
    case Method::Get:
        return "GET";
    case Method::Put:
        return "PUT";
    case Method::Post:
        return "POST";
    case Method::Patch:
        return "PATCH";
    case Method::Head:
        return "HEAD";
    case Method::Options:
        return "OPTIONS";
    case Method::Delete:
        return "DELETE";
    default:
        return "OTHER";
    }
}

QString protocolName(MediaTestServerConfig::UploadUrlProtocol p)
{
    switch (p) {
    case MediaTestServerConfig::UploadUrlProtocol::Put:
        return u"put"_s;
    case MediaTestServerConfig::UploadUrlProtocol::ContentRange:
        return u"content-range"_s;
    case MediaTestServerConfig::UploadUrlProtocol::Tus:
        return u"tus"_s;
    case MediaTestServerConfig::UploadUrlProtocol::None:
        break;
    }
    return {};
}

} // namespace

class MediaTestServerPrivate
{
public:
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

    QByteArray sign(const QByteArray &method, const QString &id, qint64 exp) const
    {
        return QMessageAuthenticationCode::hash(
            method + '\n' + id.toUtf8() + '\n' + QByteArray::number(exp), secret,
            QCryptographicHash::Sha256)
            .toHex();
    }

    QUrl signedUrl(const QString &path, const QByteArray &method, const QString &id, qint64 exp,
        bool tamper, const QUrl &origin) const
    {
        QByteArray sig = sign(method, id, exp);
        if (tamper)
            sig[0] = sig[0] == 'a' ? 'b' : 'a';
        QUrl url = origin;
        url.setPath(path + id);
        url.setQuery(u"exp=%1&sig=%2"_s.arg(exp).arg(QString::fromLatin1(sig)));
        return url;
    }

    //! Checks exp and sig of a signed URL. Returns an error answer, or nothing when valid.
    std::optional<Response> checkSignature(
        const QHttpServerRequest &req, const QByteArray &method, const QString &id) const
    {
        const QUrlQuery query(req.url());
        const QByteArray exp = query.queryItemValue(u"exp"_s).toLatin1();
        const QByteArray sig = query.queryItemValue(u"sig"_s).toLatin1();
        if (!allDigits(exp) || exp.size() > 18 || sig.size() != 64)
            return matrixError(403, u"M_FORBIDDEN"_s, u"the upload URL is not signed"_s);
        if (!constantTimeEquals(sign(method, id, exp.toLongLong()), sig))
            return matrixError(403, u"M_FORBIDDEN"_s, u"the URL's signature does not match"_s);
        if (exp.toLongLong() <= nowMs())
            return matrixError(403, u"M_FORBIDDEN"_s, u"the URL has expired"_s);
        return std::nullopt;
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
    Result refresh(const Request &r);
    Result logout(const Request &r);
    Result mediaConfig(const Request &r);
    Result create(const Request &r, QHttpServerResponder &responder);
    Result uploadUrl(const Request &r, const QString &id);
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
    Result roomRequest(const Request &r, RoomState::Request kind, const QStringList &args);
};

MediaTestServer::MediaTestServer(const MediaTestServerConfig &config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MediaTestServerPrivate>(this, config))
{ }

MediaTestServer::~MediaTestServer() = default;

bool MediaTestServer::listen()
{
    QString dir = d->config.dataDir;
    if (dir.isEmpty()) {
        d->tempDir = std::make_unique<QTemporaryDir>();
        if (!d->tempDir->isValid()) {
            d->error = u"cannot create a temporary folder: "_s + d->tempDir->errorString();
            return false;
        }
        dir = d->tempDir->path();
    }
    if (!d->store.open(dir, &d->error))
        return false;

    const QJsonObject state = d->store.loadState();
    d->secret = QByteArray::fromHex(state.value(u"secret"_s).toString().toLatin1());
    if (d->secret.size() != 32) {
        d->secret.resize(32);
        for (char &c : d->secret)
            c = char(QRandomGenerator::system()->bounded(256));
    }
    d->loadTokens(state);
    for (auto it = d->config.tokens.cbegin(); it != d->config.tokens.cend(); ++it)
        d->tokens.insert(it.key(), { it.value(), {}, 0, {} });
    d->saveState();

    // QHttpServer listens on a private loopback port; clients talk to the relay in front of it.
    d->http.route(u"/<arg>"_s,
        [this](
            const QUrl &, const QHttpServerRequest &req, TestServerCompat::ResponderArg responder) {
            if (auto response = d->dispatch(req, responder))
                TestServerCompat::send(responder, std::move(*response));
        });
    const quint16 backend = d->http.listen(QHostAddress::LocalHost, 0);
    if (!backend) {
        d->error = u"cannot listen on a loopback port for the HTTP backend"_s;
        return false;
    }
    d->relay = std::make_unique<HttpRelay>(&d->faults, backend);
    d->relay->setMaxRequestBody(d->config.maxRequestBody);
    if (!d->relay->listen(d->config.address, d->config.port)) {
        d->error = u"cannot listen on %1:%2: %3"_s.arg(d->config.address.toString())
                       .arg(d->config.port)
                       .arg(d->relay->errorString());
        return false;
    }
    d->base.setScheme(u"http"_s);
    d->base.setHost(d->config.address.toString());
    d->base.setPort(d->relay->port());
    d->external = ExternalTarget::make(d->config.external);
    if (d->external)
        d->config.uploadUrlProtocol = d->external->protocol() == u"tus"_s
            ? MediaTestServerConfig::UploadUrlProtocol::Tus
            : MediaTestServerConfig::UploadUrlProtocol::Put;
    return true;
}

QString MediaTestServer::errorString() const
{
    return d->error;
}

QUrl MediaTestServer::baseUrl() const
{
    return d->base;
}

quint16 MediaTestServer::port() const
{
    return d->relay ? d->relay->port() : 0;
}

const MediaTestServerConfig &MediaTestServer::config() const
{
    return d->config;
}

bool MediaTestServer::addFault(const QJsonObject &fault, QString *error)
{
    if (fault.contains(u"expire"_s)) {
        if (expireMedia(fault.value(u"expire"_s).toString()))
            return true;
        if (error)
            *error = u"no pending media with that ID"_s;
        return false;
    }
    if (fault.contains(u"expire_token"_s)) {
        if (expireAccessToken(fault.value(u"expire_token"_s).toString()))
            return true;
        if (error)
            *error = u"no access token like that"_s;
        return false;
    }
    return d->faults.add(fault, error);
}

void MediaTestServer::clearFaults()
{
    d->faults.clear();
}

QString MediaTestServer::faultHelp()
{
    return FaultPlan::help();
}

QJsonArray MediaTestServer::requests() const
{
    return d->relay ? d->relay->requests() : QJsonArray();
}

void MediaTestServer::clearRequests()
{
    if (d->relay)
        d->relay->clearRequests();
}

bool MediaTestServer::expireAccessToken(const QString &token)
{
    bool any = false;
    const qint64 past = nowMs() - 1;
    for (auto it = d->tokens.begin(); it != d->tokens.end(); ++it) {
        if (token == u"*"_s || it.key() == token) {
            it->expiresMs = past;
            any = true;
        }
    }
    if (any)
        d->saveState();
    return any;
}

bool MediaTestServer::expireMedia(const QString &mediaIdOrUri)
{
    const QString id = d->idFrom(mediaIdOrUri);
    bool any = false;
    const QStringList ids = id == u"*"_s ? d->store.all().keys() : QStringList { id };
    for (const QString &one : ids) {
        MediaRecord *rec = d->store.find(one);
        if (!rec || rec->state != MediaRecord::State::Pending)
            continue;
        rec->expiresMs = nowMs() - 1;
        d->store.save(*rec);
        any = true;
    }
    return any;
}

QJsonObject MediaTestServer::mediaInfo(const QString &mediaIdOrUri) const
{
    const MediaRecord *rec = d->store.find(d->idFrom(mediaIdOrUri));
    return rec ? rec->toJson() : QJsonObject();
}

QByteArray MediaTestServer::mediaContent(const QString &mediaIdOrUri) const
{
    const MediaRecord *rec = d->store.find(d->idFrom(mediaIdOrUri));
    return rec ? d->store.read(*rec) : QByteArray();
}

void MediaTestServer::addRoom(
    const QString &roomId, const QString &name, const QStringList &members)
{
    d->config.rooms.insert(roomId, { name, members });
}

void MediaTestServer::addRoom(const QString &roomId, const MediaTestServerRoom &room)
{
    d->config.rooms.insert(roomId, room);
}

QJsonArray MediaTestServer::events() const
{
    return d->rooms.events();
}

void MediaTestServer::clearEvents()
{
    d->rooms.clear();
}

// ---------------------------------------------------------------------------------------------

MediaTestServerPrivate::Result MediaTestServerPrivate::dispatch(
    const QHttpServerRequest &req, QHttpServerResponder &responder)
{
    const QString encoded = req.url().path(QUrl::FullyEncoded);
    QStringList segments;
    const QStringList raw = encoded.split(u'/');
    for (qsizetype i = 1; i < raw.size(); ++i)
        segments.append(QUrl::fromPercentEncoding(raw[i].toLatin1()));
    const Request r { req, segments, methodName(req.method()) };

    // Pattern segments: literal text, or "{}" for one captured segment.
    auto matches = [&](std::initializer_list<const char *> pattern, QStringList *captured) {
        if (qsizetype(pattern.size()) != segments.size())
            return false;
        qsizetype i = 0;
        for (const char *p : pattern) {
            if (qstrcmp(p, "{}") == 0)
                captured->append(segments[i]);
            else if (segments[i] != QLatin1StringView(p))
                return false;
            ++i;
        }
        return true;
    };
    bool pathKnown = false;
    auto route = [&](std::initializer_list<const char *> pattern,
                     std::initializer_list<const char *> methods, QStringList *captured) {
        captured->clear();
        if (!matches(pattern, captured))
            return false;
        pathKnown = true;
        return std::any_of(
            methods.begin(), methods.end(), [&](const char *m) { return r.method == m; });
    };

    QStringList c;
    if (route({ ".well-known", "matrix", "client" }, { "GET" }, &c))
        return jsonResponse(
            200, { { u"m.homeserver"_s, QJsonObject { { u"base_url"_s, base.toString() } } } });
    if (route({ "_matrix", "client", "versions" }, { "GET" }, &c))
        return versions(r);
    if (route({ "_matrix", "client", "v3", "login" }, { "GET", "POST" }, &c))
        return login(r);
    if (route({ "_matrix", "client", "v3", "refresh" }, { "POST" }, &c))
        return refresh(r);
    if (route({ "_matrix", "client", "v3", "logout" }, { "POST" }, &c))
        return logout(r);
    if (route({ "_matrix", "client", "v1", "media", "config" }, { "GET" }, &c)
        || route({ "_matrix", "media", "v3", "config" }, { "GET" }, &c))
        return mediaConfig(r);
    if (config.asyncUploads
        && (route({ "_matrix", "media", "v1", "create" }, { "POST" }, &c)
            || route(
                { "_matrix", "media", "unstable", "fi.mau.msc2246", "create" }, { "POST" }, &c)))
        return create(r, responder);
    const bool stableComplete = config.completePaths == MediaTestServerConfig::CompletePaths::Both
        || config.completePaths == MediaTestServerConfig::CompletePaths::Stable;
    const bool unstableComplete = config.completePaths == MediaTestServerConfig::CompletePaths::Both
        || config.completePaths == MediaTestServerConfig::CompletePaths::Unstable;
    if ((stableComplete
            && route(
                { "_matrix", "media", "v1", "upload", "{}", "{}", "complete" }, { "POST" }, &c))
        || (unstableComplete
            && route({ "_matrix", "media", "unstable", "com.beeper.msc3870", "upload", "{}", "{}",
                         "complete" },
                { "POST" }, &c)))
        return completeUpload(r, responder, c[0], c[1]);
    if (config.asyncUploads
        && (route({ "_matrix", "media", "v3", "upload", "{}", "{}" }, { "PUT" }, &c)
            || route({ "_matrix", "media", "unstable", "fi.mau.msc2246", "upload", "{}", "{}" },
                { "PUT" }, &c)))
        return asyncUpload(r, c[0], c[1]);
    if (route({ "_matrix", "media", "v3", "upload" }, { "POST" }, &c))
        return legacyUpload(r);
    if (route({ "_matrix", "client", "v1", "media", "download", "{}", "{}" }, { "GET" }, &c)
        || route(
            { "_matrix", "client", "v1", "media", "download", "{}", "{}", "{}" }, { "GET" }, &c))
        return download(r, responder, c[0], c[1], c.value(2), true);
    if (route({ "_matrix", "media", "v3", "download", "{}", "{}" }, { "GET" }, &c)
        || route({ "_matrix", "media", "v3", "download", "{}", "{}", "{}" }, { "GET" }, &c))
        return download(r, responder, c[0], c[1], c.value(2), false);
    if (route({ "_matrix", "client", "v3", "joined_rooms" }, { "GET" }, &c))
        return roomRequest(r, RoomState::Request::JoinedRooms, c);
    // The state key is optional when empty: ".../state/m.room.name" and ".../m.room.name/".
    if (route({ "_matrix", "client", "v3", "rooms", "{}", "state", "{}" }, { "GET" }, &c)
        || route({ "_matrix", "client", "v3", "rooms", "{}", "state", "{}", "{}" }, { "GET" }, &c))
        return roomRequest(r, RoomState::Request::State, c);
    if (route({ "_matrix", "client", "v3", "rooms", "{}", "send", "{}", "{}" }, { "PUT" }, &c))
        return roomRequest(r, RoomState::Request::Send, c);
    if (route({ "_matrix", "client", "v3", "rooms", "{}", "redact", "{}", "{}" }, { "PUT" }, &c))
        return roomRequest(r, RoomState::Request::Redact, c);
    if (route({ "_upload", "{}" }, { "PUT", "POST", "PATCH", "HEAD", "OPTIONS" }, &c))
        return uploadUrl(r, c[0]);
    if (route({ "_download", "{}" }, { "GET" }, &c))
        return signedDownload(r, c[0]);
    if (config.enableTestControl) {
        if (route({ "_test", "faults" }, { "GET", "POST", "DELETE" }, &c))
            return testFaults(r);
        if (route({ "_test", "requests" }, { "GET", "DELETE" }, &c))
            return testRequests(r);
        if (route({ "_test", "events" }, { "GET", "DELETE" }, &c)) {
            if (r.method == "DELETE")
                rooms.clear();
            return jsonResponse(200,
                r.method == "DELETE" ? QJsonObject()
                                     : QJsonObject { { u"events"_s, rooms.events() } });
        }
    }
    if (pathKnown)
        return matrixError(405, u"M_UNRECOGNIZED"_s, u"Unrecognized request (method)"_s);
    return matrixError(404, u"M_UNRECOGNIZED"_s, u"Unrecognized request"_s);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::versions(const Request &)
{
    QJsonArray list;
    const int newest = config.asyncUploads ? 11 : 6; // async uploads are stable from v1.7
    for (int minor = 1; minor <= newest; ++minor)
        list.append(u"v1.%1"_s.arg(minor));
    const bool urls = config.uploadUrlProtocol != MediaTestServerConfig::UploadUrlProtocol::None;
    return jsonResponse(200,
        { { u"versions"_s, list },
            { u"unstable_features"_s,
                QJsonObject { { u"fi.mau.msc2246"_s, config.asyncUploads },
                    { u"com.beeper.msc3870"_s, config.asyncUploads && urls } } } });
}

MediaTestServerPrivate::Result MediaTestServerPrivate::login(const Request &r)
{
    if (r.method == "GET")
        return jsonResponse(200,
            { { u"flows"_s,
                QJsonArray { QJsonObject { { u"type"_s, u"m.login.password"_s } } } } });
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.http.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return matrixError(400, u"M_NOT_JSON"_s, u"Content not JSON."_s);
    const QJsonObject body = doc.object();
    if (body.value(u"type"_s).toString() != u"m.login.password"_s)
        return matrixError(400, u"M_UNKNOWN"_s, u"Unknown login type"_s);
    QString user = body.value(u"user"_s).toString();
    const QJsonObject identifier = body.value(u"identifier"_s).toObject();
    if (!identifier.isEmpty()) {
        if (identifier.value(u"type"_s).toString() != u"m.id.user"_s)
            return matrixError(400, u"M_UNKNOWN"_s, u"Unknown identifier type"_s);
        user = identifier.value(u"user"_s).toString();
    }
    if (!body.value(u"password"_s).isString() || user.isEmpty())
        return matrixError(400, u"M_BAD_JSON"_s, u"user and password are required"_s);
    // "@alice:server" and "alice" name the same user.
    const QString suffix = u":"_s + config.serverName;
    if (user.startsWith(u'@') && user.endsWith(suffix))
        user = user.mid(1, user.size() - 1 - suffix.size());
    const auto it = config.passwords.constFind(user);
    if (it == config.passwords.cend()
        || !constantTimeEquals(it.value().toUtf8(), body.value(u"password"_s).toString().toUtf8()))
        return matrixError(403, u"M_FORBIDDEN"_s, u"Invalid username or password"_s);
    const QJsonValue wantsRefresh = body.value(u"refresh_token"_s);
    if (!wantsRefresh.isUndefined() && !wantsRefresh.isBool())
        return matrixError(400, u"M_BAD_JSON"_s, u"refresh_token must be a boolean"_s);
    const QString device
        = body.value(u"device_id"_s).toString(QString::fromLatin1(randomString(10)));
    // Spec v1.3: refresh_token and expires_in_ms only for a client that says it handles them;
    // expires_in_ms whenever the token expires (without a refresh token: log in again).
    QJsonObject answer = issueTokens(user, device, wantsRefresh.toBool());
    answer.insert(u"user_id"_s, userId(user));
    answer.insert(u"device_id"_s, device);
    answer.insert(u"well_known"_s,
        QJsonObject { { u"m.homeserver"_s, QJsonObject { { u"base_url"_s, base.toString() } } } });
    return jsonResponse(200, answer);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::refresh(const Request &r)
{
    // Authenticated by the refresh token in the body, never by an access token (refresh.yaml).
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.http.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return matrixError(400, u"M_NOT_JSON"_s, u"Content not JSON."_s);
    const QJsonValue value = doc.object().value(u"refresh_token"_s);
    if (!value.isString() || value.toString().isEmpty())
        return matrixError(400, u"M_MISSING_PARAM"_s, u"refresh_token is required"_s);
    const QString old = value.toString();
    const auto it = refreshTokens.constFind(old);
    if (it == refreshTokens.cend())
        return matrixError(401, u"M_UNKNOWN_TOKEN"_s,
            u"The refresh token is unknown or has already been used"_s,
            { { u"soft_logout"_s, false } });
    const RefreshToken session = it.value();
    // Using this refresh token revokes the one it replaced; this one lives until the new access
    // or refresh token is used, so a client whose answer got lost can refresh again.
    revokeRefreshToken(session.revokesOnUse);
    refreshTokens[old].revokesOnUse.clear();
    return jsonResponse(200, issueTokens(session.localpart, session.device, true, old));
}

MediaTestServerPrivate::Result MediaTestServerPrivate::logout(const Request &r)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    const QByteArray header = r.http.value("Authorization"_ba);
    const QString token = QString::fromLatin1(header.mid(7).trimmed());
    // The device's session ends: its other (refreshed) access tokens and its refresh tokens.
    const QString device = tokens.value(token).device;
    tokens.remove(token);
    if (!device.isEmpty()) {
        tokens.removeIf([&](const auto &it) { return it.value().device == device; });
        refreshTokens.removeIf([&](const auto &it) { return it.value().device == device; });
    }
    saveState();
    return jsonResponse(200, {});
}

MediaTestServerPrivate::Result MediaTestServerPrivate::mediaConfig(const Request &r)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    QJsonObject body;
    if (config.maxUploadSize > 0)
        body.insert(u"m.upload.size"_s, config.maxUploadSize);
    return jsonResponse(200, body);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::create(
    const Request &r, QHttpServerResponder &responder)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    const QString user = std::get<QString>(who);
    if (auto fault = injectedFault(u"create"_s))
        return fault;
    if (const QString held = faults.takeCreateCompleted(); !held.isEmpty()) {
        // Beeper's create extension: the server has this content already (the fault names a
        // finished upload), and says so instead of handing out an ID to fill.
        const MediaRecord *done = store.find(idFrom(held));
        if (!done || done->state != MediaRecord::State::Complete)
            return matrixError(500, u"M_UNKNOWN"_s, u"create_completed names no complete media"_s);
        return jsonResponse(200,
            { { u"content_uri"_s, contentUri(done->id) },
                { u"com.beeper.completed_at"_s, done->createdMs } });
    }
    if (!r.http.body().trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(r.http.body(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return matrixError(400, u"M_NOT_JSON"_s, u"Content not JSON."_s);
    }
    const qint64 now = nowMs();
    if (config.maxPendingPerUser > 0) {
        int pending = 0;
        qint64 firstFree = std::numeric_limits<qint64>::max();
        for (const MediaRecord &rec : store.all()) {
            if (rec.owner == user && rec.state == MediaRecord::State::Pending
                && !rec.isExpired(now)) {
                ++pending;
                firstFree = std::min(firstFree, rec.expiresMs > 0 ? rec.expiresMs : now + 3600000);
            }
        }
        if (pending >= config.maxPendingPerUser)
            return limitExceeded(
                u"too many pending uploads (%1); upload or wait for them to expire"_s.arg(pending),
                firstFree - now);
    }

    MediaRecord rec;
    do {
        rec.id = QString::fromLatin1(randomString(24));
    } while (store.find(rec.id));
    rec.owner = user;
    rec.createdMs = now;
    rec.expiresMs = config.unusedExpiryMs > 0 ? now + config.unusedExpiryMs : 0;
    rec.urlProtocol = protocolName(config.uploadUrlProtocol);

    QJsonObject body { { u"content_uri"_s, contentUri(rec.id) } };
    if (rec.expiresMs > 0)
        body.insert(u"unused_expires_at"_s, rec.expiresMs);
    if (!rec.urlProtocol.isEmpty()) {
        rec.urlMethod = rec.urlProtocol == u"tus"_s ? "PATCH"_ba
            : rec.urlProtocol == u"put"_s           ? config.putMethod
                                                    : "PUT"_ba;
        qint64 exp = rec.expiresMs > 0 ? rec.expiresMs : now + 24LL * 3600 * 1000;
        if (const auto lifetime = faults.takeUploadUrlLifetime())
            exp = now + *lifetime;
        auto addUrl = [this](QJsonObject &answer, const MediaRecord &record, const QUrl &url) {
            const QString text = url.toString(QUrl::FullyEncoded);
            answer.insert(u"upload_url"_s, text);
            answer.insert(u"com.beeper.msc3870.upload_url"_s, text);
            answer.insert(u"upload_method"_s, QString::fromLatin1(record.urlMethod));
            if (config.announceUploadProtocol)
                answer.insert(u"upload_protocol"_s, record.urlProtocol);
        };
        if (external) {
            // The peer makes the upload (tus) or the bucket (S3) first: answer when it has.
            rec.urlMethod = external->method();
            auto answer = std::make_shared<QHttpServerResponder>(std::move(responder));
            external->create(rec.id, exp, faults.takeTamperUploadUrl(),
                [this, rec, body, answer, addUrl](const ExternalTarget::Upload &upload) mutable {
                    if (!upload.error.isEmpty())
                        return TestServerCompat::send(
                            *answer, matrixError(502, u"M_UNKNOWN"_s, upload.error));
                    rec.externalUrl = upload.location.toString(QUrl::FullyEncoded);
                    addUrl(body, rec, upload.uploadUrl);
                    store.insert(rec);
                    TestServerCompat::send(*answer, jsonResponse(200, body));
                });
            return std::nullopt;
        }
        const QUrl origin = config.uploadUrlBase.isEmpty() ? base : config.uploadUrlBase;
        addUrl(body, rec,
            signedUrl(
                u"/_upload/"_s, rec.urlMethod, rec.id, exp, faults.takeTamperUploadUrl(), origin));
    }
    store.insert(rec);
    return jsonResponse(200, body);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadUrl(
    const Request &r, const QString &id)
{
    if (!validMediaId(id))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown upload"_s);
    MediaRecord *rec = store.find(id);
    if (!rec || rec->urlProtocol.isEmpty() || !rec->externalUrl.isEmpty())
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown upload"_s);
    // The signature covers one method; a tus URL also answers HEAD, and every URL OPTIONS,
    // which read and never write.
    const bool readOnly
        = r.method == "OPTIONS" || (rec->urlProtocol == u"tus"_s && r.method == "HEAD");
    if (auto denied = checkSignature(r.http, readOnly ? rec->urlMethod : r.method, id))
        return denied;
    if (auto fault = injectedFault(u"upload_url"_s))
        return fault;
    if (rec->isExpired(nowMs()))
        return matrixError(410, u"M_NOT_FOUND"_s, u"The upload session has expired"_s);
    if (r.method == "OPTIONS") {
        HeaderPairs h { { "Allow"_ba,
            rec->urlMethod
                + (rec->urlProtocol == u"tus"_s ? ", HEAD, OPTIONS"_ba : ", OPTIONS"_ba) } };
        if (rec->urlProtocol == u"tus"_s) {
            h.append({ "Tus-Resumable"_ba, "1.0.0"_ba });
            h.append({ "Tus-Version"_ba, "1.0.0"_ba });
            h.append({ "Tus-Extension"_ba, "creation-defer-length"_ba });
            if (config.maxUploadSize > 0)
                h.append({ "Tus-Max-Size"_ba, QByteArray::number(config.maxUploadSize) });
        }
        return emptyResponse(204, h);
    }
    if (rec->urlProtocol == u"put"_s)
        return uploadPut(*rec, r);
    if (rec->urlProtocol == u"content-range"_s)
        return uploadContentRange(*rec, r);
    return uploadTus(*rec, r);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadPut(MediaRecord &rec, const Request &r)
{
    if (!r.http.value("Content-Range"_ba).isEmpty())
        // What a plain origin such as nginx does: a `put` URL takes whole bodies only.
        return matrixError(501, u"M_UNRECOGNIZED"_s, u"Content-Range is not supported here"_s);
    if (rec.state == MediaRecord::State::Complete)
        return matrixError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    const QByteArray body = r.http.body();
    if (config.maxUploadSize > 0 && body.size() > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec.via = u"put"_s;
    if (!store.writeAt(rec, 0, body))
        return matrixError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    complete(rec);
    return jsonResponse(200, { { u"size"_s, rec.stored }, { u"sha256"_s, rec.sha256 } },
        { { "ETag"_ba, '"' + rec.sha256.toLatin1() + '"' } });
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadContentRange(
    MediaRecord &rec, const Request &r)
{
    auto progress = [&](int status) {
        HeaderPairs h;
        if (rec.stored > 0)
            h.append({ "Range"_ba, "bytes=0-"_ba + QByteArray::number(rec.stored - 1) });
        return emptyResponse(status, h);
    };
    auto finished = [&] {
        return jsonResponse(200, { { u"size"_s, rec.stored }, { u"sha256"_s, rec.sha256 } });
    };
    const QByteArray header = r.http.value("Content-Range"_ba);
    const auto range = parseContentRange(header);
    if (!range)
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"Content-Range must be \"bytes FIRST-LAST/TOTAL\" or \"bytes */TOTAL\""_s);
    const QByteArray body = r.http.body();
    if (range->total >= 0) {
        if (rec.total >= 0 && range->total != rec.total)
            return matrixError(400, u"M_INVALID_PARAM"_s,
                u"the total length changed from %1 to %2"_s.arg(rec.total).arg(range->total));
        // While the total was still "*": "bytes */0" would otherwise throw the held bytes away
        // and complete an empty file.
        if (range->total < rec.stored)
            return matrixError(400, u"M_INVALID_PARAM"_s,
                u"the total %1 is less than the %2 bytes the server holds"_s.arg(range->total)
                    .arg(rec.stored));
        if (config.maxUploadSize > 0 && range->total > config.maxUploadSize)
            return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    }
    if (range->first < 0) { // status query
        if (!body.isEmpty())
            return matrixError(400, u"M_INVALID_PARAM"_s, u"a status query carries no body"_s);
        if (rec.state == MediaRecord::State::Complete)
            return finished();
        if (range->total == rec.stored) {
            // The server holds every declared byte: an empty file, or (as in Google Cloud
            // Storage) an upload sent with a "*" total whose length is now known, which has no
            // chunk left to finish it with.
            rec.total = range->total;
            if (rec.stored == 0)
                rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
            rec.via = u"content-range"_s;
            store.writeAt(rec, rec.stored, {});
            complete(rec);
            return finished();
        }
        return progress(308);
    }
    if (rec.state == MediaRecord::State::Complete)
        return matrixError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    const qint64 length = range->last - range->first + 1;
    if (body.size() != length)
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"Content-Range says %1 bytes, the body has %2"_s.arg(length).arg(body.size()));
    if (range->first != rec.stored) {
        // Gaps and rewinds are refused; the stored bytes stay as they are.
        HeaderPairs h;
        if (rec.stored > 0)
            h.append({ "Range"_ba, "bytes=0-"_ba + QByteArray::number(rec.stored - 1) });
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"the chunk starts at %1 but the server holds %2 bytes; query the status"_s
                .arg(range->first)
                .arg(rec.stored),
            {}, h);
    }
    const bool last = range->total >= 0 && range->last + 1 == range->total;
    if (!last && length % chunkGranularity != 0)
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"every chunk but the last must be a multiple of 262144 bytes"_s);
    if (config.maxUploadSize > 0 && range->last + 1 > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);

    if (range->total >= 0)
        rec.total = range->total;
    rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec.via = u"content-range"_s;
    const qint64 keep = std::max<qint64>(0, length - faults.takeShortRange());
    if (!store.writeAt(rec, rec.stored, body.left(keep)))
        return matrixError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    if (rec.total >= 0 && rec.stored == rec.total) {
        complete(rec);
        return finished();
    }
    return progress(308);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadTus(MediaRecord &rec, const Request &r)
{
    HeaderPairs h { { "Tus-Resumable"_ba, "1.0.0"_ba }, { "Cache-Control"_ba, "no-store"_ba } };
    auto tusError = [&](int status, const QString &errcode, const QString &message) {
        return matrixError(status, errcode, message, {}, h);
    };
    if (r.http.value("Tus-Resumable"_ba) != "1.0.0") {
        h.append({ "Tus-Version"_ba, "1.0.0"_ba });
        return tusError(412, u"M_UNKNOWN"_s, u"Tus-Resumable: 1.0.0 is required"_s);
    }
    if (r.method == "HEAD") {
        h.append({ "Upload-Offset"_ba, QByteArray::number(rec.stored) });
        if (rec.total >= 0)
            h.append({ "Upload-Length"_ba, QByteArray::number(rec.total) });
        else
            h.append({ "Upload-Defer-Length"_ba, "1"_ba });
        return emptyResponse(200, h);
    }
    if (rec.state == MediaRecord::State::Complete)
        return tusError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    if (r.http.value("Content-Type"_ba) != "application/offset+octet-stream")
        return tusError(
            415, u"M_UNKNOWN"_s, u"Content-Type must be application/offset+octet-stream"_s);
    const QByteArray offsetHeader = r.http.value("Upload-Offset"_ba);
    if (!allDigits(offsetHeader) || offsetHeader.size() > 18)
        return tusError(400, u"M_INVALID_PARAM"_s, u"Upload-Offset is required"_s);
    const QByteArray lengthHeader = r.http.value("Upload-Length"_ba);
    if (!lengthHeader.isEmpty()) {
        if (!allDigits(lengthHeader) || lengthHeader.size() > 18)
            return tusError(400, u"M_INVALID_PARAM"_s, u"Upload-Length must be a number"_s);
        const qint64 length = lengthHeader.toLongLong();
        if (rec.total >= 0 && length != rec.total)
            return tusError(400, u"M_INVALID_PARAM"_s, u"Upload-Length cannot change"_s);
        if (config.maxUploadSize > 0 && length > config.maxUploadSize)
            return tusError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    }
    const qint64 offset = offsetHeader.toLongLong();
    if (offset != rec.stored) {
        h.append({ "Upload-Offset"_ba, QByteArray::number(rec.stored) });
        return tusError(409, u"M_INVALID_PARAM"_s,
            u"Upload-Offset %1 does not match the server's offset %2"_s.arg(offset).arg(
                rec.stored));
    }
    const qint64 total = lengthHeader.isEmpty() ? rec.total : lengthHeader.toLongLong();
    const QByteArray body = r.http.body();
    if (total >= 0 && offset + body.size() > total)
        return tusError(400, u"M_INVALID_PARAM"_s, u"the body goes past Upload-Length"_s);
    if (config.maxUploadSize > 0 && offset + body.size() > config.maxUploadSize)
        return tusError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);

    rec.total = total;
    rec.via = u"tus"_s;
    const qint64 keep = std::max<qint64>(0, body.size() - faults.takeShortRange());
    if (!store.writeAt(rec, rec.stored, body.left(keep)))
        return tusError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    if (rec.total >= 0 && rec.stored == rec.total)
        complete(rec);
    h.append({ "Upload-Offset"_ba, QByteArray::number(rec.stored) });
    return emptyResponse(204, h);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::completeUpload(
    const Request &r, QHttpServerResponder &responder, const QString &server, const QString &id)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    if (server != config.serverName || !validMediaId(id))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media"_s);
    MediaRecord *rec = store.find(id);
    if (!rec)
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media"_s);
    if (rec->owner != std::get<QString>(who))
        return matrixError(403, u"M_FORBIDDEN"_s, u"Another user created this media ID"_s);
    if (auto fault = injectedFault(u"complete"_s))
        return fault;
    if (rec->state != MediaRecord::State::Complete) {
        if (rec->isExpired(nowMs()))
            return matrixError(404, u"M_NOT_FOUND"_s, u"The media ID has expired"_s);
        if (external && !rec->externalUrl.isEmpty())
            return completeExternal(r, responder, id);
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"the upload URL holds %1 of %2 bytes"_s.arg(rec->stored).arg(rec->total));
    }
    const QString fileName
        = QUrlQuery(r.http.url()).queryItemValue(u"filename"_s, QUrl::FullyDecoded);
    if (!fileName.isEmpty())
        rec->fileName = fileName;
    rec->completeCalled = true;
    store.save(*rec);
    return jsonResponse(200, { { u"content_uri"_s, contentUri(id) } });
}

MediaTestServerPrivate::Result MediaTestServerPrivate::completeExternal(
    const Request &r, QHttpServerResponder &responder, const QString &id)
{
    // The bytes went to the peer: ask it what it holds (HEAD, then a hashing GET).
    const QString fileName
        = QUrlQuery(r.http.url()).queryItemValue(u"filename"_s, QUrl::FullyDecoded);
    auto answer = std::make_shared<QHttpServerResponder>(std::move(responder));
    ExternalTarget::Sink copy;
    if (external->keepsCopy()) {
        store.writeAt(*store.find(id), 0, {});
        copy = [this, id](const QByteArray &bytes) {
            MediaRecord *rec = store.find(id);
            return rec->state != MediaRecord::State::Complete
                && store.writeAt(*rec, rec->stored, bytes);
        };
    }
    external->inspect(QUrl(store.find(id)->externalUrl, QUrl::StrictMode), copy,
        [this, id, fileName, answer](const ExternalTarget::Object &object) {
            MediaRecord *rec = store.find(id); // a create meanwhile may have rehashed the store
            if (rec->state != MediaRecord::State::Complete) { // not completed by a fallback PUT
                if (!object.error.isEmpty() && external->keepsCopy())
                    store.writeAt(*rec, 0, {}); // no partial copy left behind
                if (!object.error.isEmpty())
                    return TestServerCompat::send(*answer,
                        matrixError(400, u"M_INVALID_PARAM"_s,
                            u"the upload target holds no complete object: "_s + object.error));
                if (config.maxUploadSize > 0 && object.size > config.maxUploadSize)
                    return TestServerCompat::send(*answer,
                        matrixError(
                            413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s));
                rec->stored = rec->total = object.size;
                rec->sha256 = object.sha256;
                if (!object.contentType.isEmpty())
                    rec->contentType = object.contentType;
                rec->via = external->via();
                complete(*rec);
            }
            if (!fileName.isEmpty())
                rec->fileName = fileName;
            rec->completeCalled = true;
            store.save(*rec);
            TestServerCompat::send(
                *answer, jsonResponse(200, { { u"content_uri"_s, contentUri(id) } }));
        });
    return std::nullopt;
}

MediaTestServerPrivate::Result MediaTestServerPrivate::asyncUpload(
    const Request &r, const QString &server, const QString &id)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    if (auto fault = injectedFault(u"upload"_s))
        return fault;
    if (server != config.serverName || !validMediaId(id))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media"_s);
    MediaRecord *rec = store.find(id);
    if (!rec || rec->isExpired(nowMs()))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown or expired media ID"_s);
    if (rec->owner != std::get<QString>(who))
        return matrixError(403, u"M_FORBIDDEN"_s, u"Another user created this media ID"_s);
    if (rec->state == MediaRecord::State::Complete)
        return matrixError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    const QByteArray body = r.http.body();
    if (config.maxUploadSize > 0 && body.size() > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    // The fallback path: whatever an upload URL received before is replaced whole.
    rec->contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec->fileName = QUrlQuery(r.http.url()).queryItemValue(u"filename"_s, QUrl::FullyDecoded);
    rec->via = u"async"_s;
    rec->total = body.size();
    if (!store.writeAt(*rec, 0, body))
        return matrixError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    complete(*rec);
    return jsonResponse(200, {});
}

MediaTestServerPrivate::Result MediaTestServerPrivate::legacyUpload(const Request &r)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    if (auto fault = injectedFault(u"upload"_s))
        return fault;
    const QByteArray body = r.http.body();
    if (config.maxUploadSize > 0 && body.size() > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    MediaRecord rec;
    do {
        rec.id = QString::fromLatin1(randomString(24));
    } while (store.find(rec.id));
    rec.owner = std::get<QString>(who);
    rec.createdMs = nowMs();
    rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec.fileName = QUrlQuery(r.http.url()).queryItemValue(u"filename"_s, QUrl::FullyDecoded);
    rec.via = u"legacy"_s;
    rec.total = body.size();
    MediaRecord &stored = store.insert(rec);
    if (!store.writeAt(stored, 0, body))
        return matrixError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    complete(stored);
    return jsonResponse(200, { { u"content_uri"_s, contentUri(rec.id) } });
}

MediaTestServerPrivate::Result MediaTestServerPrivate::download(const Request &r,
    QHttpServerResponder &responder, const QString &server, const QString &id,
    const QString &fileName, bool authenticated)
{
    if (authenticated) {
        auto who = authenticate(r.http);
        if (auto *denied = std::get_if<Response>(&who))
            return std::move(*denied);
    }
    if (auto fault = injectedFault(u"download"_s))
        return fault;
    const QUrlQuery query(r.http.url());
    qint64 timeoutMs = 20000;
    if (query.hasQueryItem(u"timeout_ms"_s)) {
        const QByteArray value = query.queryItemValue(u"timeout_ms"_s).toLatin1();
        if (!allDigits(value) || value.size() > 12)
            return matrixError(400, u"M_INVALID_PARAM"_s, u"timeout_ms must be a number"_s);
        timeoutMs = std::min<qint64>(value.toLongLong(), 60000);
    }
    if (server != config.serverName || !validMediaId(id))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media"_s);
    MediaRecord *rec = store.find(id);
    if (!rec || rec->isExpired(nowMs()))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown or expired media"_s);
    if (rec->state == MediaRecord::State::Complete) {
        if (authenticated && config.downloadRedirect) {
            const QUrl target
                = signedUrl(u"/_download/"_s, "GET"_ba, id, nowMs() + 60000, false, base);
            return emptyResponse(307, { { "Location"_ba, target.toEncoded() } });
        }
        return downloadResponse(*rec, fileName, faults.takeTamperDownload());
    }
    if (timeoutMs == 0)
        return matrixError(504, u"M_NOT_YET_UPLOADED"_s, u"The media has not been uploaded yet"_s);
    // Answer when the bytes arrive or when timeout_ms runs out. The relay keeps this backend
    // connection open until then even if the client leaves.
    auto *w = new Waiter;
    w->responder = std::make_shared<QHttpServerResponder>(std::move(responder));
    w->fileName = fileName;
    w->timer = new QTimer(q);
    w->timer->setSingleShot(true);
    QObject::connect(w->timer, &QTimer::timeout, q, [this, id, w] {
        waiters.remove(id, w);
        TestServerCompat::send(*w->responder,
            matrixError(504, u"M_NOT_YET_UPLOADED"_s, u"The media has not been uploaded yet"_s));
        w->timer->deleteLater();
        delete w;
    });
    w->timer->start(int(timeoutMs));
    waiters.insert(id, w);
    return std::nullopt;
}

MediaTestServerPrivate::Result MediaTestServerPrivate::signedDownload(
    const Request &r, const QString &id)
{
    if (!validMediaId(id))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media"_s);
    if (auto denied = checkSignature(r.http, "GET"_ba, id))
        return denied;
    const MediaRecord *rec = store.find(id);
    if (!rec || rec->state != MediaRecord::State::Complete)
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media"_s);
    return downloadResponse(*rec, {}, faults.takeTamperDownload());
}

MediaTestServerPrivate::Result MediaTestServerPrivate::testFaults(const Request &r)
{
    if (r.method == "GET")
        return jsonResponse(200, { { u"faults"_s, faults.describe() } });
    if (r.method == "DELETE") {
        faults.clear();
        return jsonResponse(200, {});
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.http.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !(doc.isObject() || doc.isArray()))
        return matrixError(400, u"M_NOT_JSON"_s, u"a fault object or an array of them"_s);
    const QJsonArray list = doc.isArray() ? doc.array() : QJsonArray { doc.object() };
    // All or nothing: check every entry first (faults on a scratch copy, expiries against the
    // store), so that a 400 never leaves part of the array active behind the test's back.
    FaultPlan scratch = faults;
    for (const QJsonValue &v : list) {
        if (!v.isObject())
            return matrixError(400, u"M_BAD_JSON"_s, u"a fault must be an object"_s);
        const QJsonObject fault = v.toObject();
        QString why;
        if (fault.contains(u"expire"_s)) {
            const QString id = idFrom(fault.value(u"expire"_s).toString());
            const QStringList ids = id == u"*"_s ? store.all().keys() : QStringList { id };
            const bool anyPending = std::any_of(ids.begin(), ids.end(), [this](const QString &one) {
                const MediaRecord *rec = store.find(one);
                return rec && rec->state == MediaRecord::State::Pending;
            });
            if (!anyPending)
                return matrixError(400, u"M_BAD_JSON"_s, u"no pending media with that ID"_s);
        } else if (fault.contains(u"expire_token"_s)) {
            const QString token = fault.value(u"expire_token"_s).toString();
            if (token != u"*"_s && !tokens.contains(token))
                return matrixError(400, u"M_BAD_JSON"_s, u"no access token like that"_s);
        } else if (!scratch.add(fault, &why)) {
            return matrixError(400, u"M_BAD_JSON"_s, why);
        }
    }
    for (const QJsonValue &v : list)
        q->addFault(v.toObject());
    return jsonResponse(200, { { u"faults"_s, faults.describe() } });
}

MediaTestServerPrivate::Result MediaTestServerPrivate::roomRequest(
    const Request &r, RoomState::Request kind, const QStringList &args)
{
    auto who = authenticate(r.http);
    if (auto *denied = std::get_if<Response>(&who))
        return std::move(*denied);
    if (kind == RoomState::Request::Send || kind == RoomState::Request::Redact) {
        if (auto fault = injectedFault(u"send"_s))
            return fault;
    } else if (kind == RoomState::Request::State) {
        if (auto fault = injectedFault(u"state"_s))
            return fault;
    }
    const QString localpart = std::get<QString>(who);
    const QString token = QString::fromLatin1(r.http.value("Authorization"_ba).mid(7).trimmed());
    // Transaction IDs belong to the device, which keeps them across refreshed access tokens;
    // a configured token is a device of its own.
    const QString device = tokens.value(token).device;
    const QString scope = device.isEmpty() ? token : u"device:"_s + device;
    const RoomState::Answer answer = rooms.handle(
        kind, args, { localpart, userId(localpart), scope }, config.rooms, r.http.body());
    if (!answer.recorded.isEmpty())
        Q_EMIT q->eventReceived(answer.recorded);
    return jsonResponse(answer.status, answer.body);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::testRequests(const Request &r)
{
    if (r.method == "DELETE") {
        relay->clearRequests();
        return jsonResponse(200, {});
    }
    return jsonResponse(200, { { u"requests"_s, relay->requests() } });
}

} // namespace MatrixUpload
