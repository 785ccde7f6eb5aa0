// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Set-up, the public API and the Matrix routes; the upload URLs are in uploadurls.cpp.
#include "mediatestserver_p.h"

#include "httpparse_p.h"

#include <QRandomGenerator>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <functional>

namespace MatrixUpload {

namespace {
using Method = QHttpServerRequest::Method;

Response limitExceeded(const QString &message, qint64 waitMs)
{
    const qint64 seconds = std::max<qint64>(1, (waitMs + 999) / 1000);
    return matrixError(429, u"M_LIMIT_EXCEEDED"_s, message, { { u"retry_after_ms"_s, waitMs } },
        { { "Retry-After"_ba, QByteArray::number(seconds) } });
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
    d->relay->setSpoolDir(d->spoolDir());
    d->relay->setBodyPlanner(
        [this](const QByteArray &method, const QByteArray &path, const QByteArray &query,
            const QJsonObject &headers) { return d->bodyPlan(method, path, query, headers); });
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
    const qint64 bandwidth = d->faults.bandwidth();
    if (!d->faults.add(fault, error))
        return false;
    if (d->relay && d->faults.bandwidth() != bandwidth)
        d->relay->bandwidthChanged();
    return true;
}

void MediaTestServer::clearFaults()
{
    const qint64 bandwidth = d->faults.bandwidth();
    d->faults.clear();
    if (d->relay && bandwidth != 0)
        d->relay->bandwidthChanged();
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

int MediaTestServer::releaseHeldRequests()
{
    return d->relay ? d->relay->releaseHeld() : 0;
}

int MediaTestServer::heldRequests() const
{
    return d->relay ? d->relay->heldCount() : 0;
}

qint64 MediaTestServer::bytesReceived(const QString &mediaIdOrUri) const
{
    return d->bytesReceived(d->idFrom(mediaIdOrUri));
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

QJsonArray MediaTestServer::devices() const
{
    return d->devices;
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
    if ((!req.value(HttpRelay::bodyFileHeader).isEmpty()
            || !req.value(HttpRelay::bodyDirectHeader).isEmpty())
        && requestBody(req).size < 0)
        // Only the relay names a spool file (it drops the header from clients); a file that is
        // gone means the client left and no one hears this answer.
        return matrixError(500, u"M_UNKNOWN"_s, u"the request body is gone"_s);

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
    if (config.sso
        && (route({ "_matrix", "client", "v3", "login", "sso", "redirect" }, { "GET" }, &c)
            || route(
                { "_matrix", "client", "v3", "login", "sso", "redirect", "{}" }, { "GET" }, &c)))
        return ssoRedirect(r, c.value(0));
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
        if (route({ "_test", "release" }, { "POST" }, &c))
            return jsonResponse(200, { { u"released"_s, relay->releaseHeld() } });
        if (route({ "_test", "received", "{}" }, { "GET" }, &c)) {
            const qint64 received = bytesReceived(c[0]);
            if (received < 0)
                return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown media ID"_s);
            return jsonResponse(200,
                { { u"id"_s, c[0] }, { u"received"_s, received },
                    { u"stored"_s, store.find(c[0])->stored } });
        }
        if (route({ "_test", "devices" }, { "GET" }, &c))
            return jsonResponse(200, { { u"devices"_s, devices } });
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

namespace {
// The one identity provider of the SSO flow (sso_login_flow.yaml: id and name required).
const QString ssoIdpId = u"test-idp"_s;
const QString ssoIdpName = u"Test Identity Provider"_s;
constexpr qint64 loginTokenLifetimeMs = 2 * 60 * 1000;
} // namespace

MediaTestServerPrivate::Result MediaTestServerPrivate::login(const Request &r)
{
    if (r.method == "GET") {
        QJsonArray flows { QJsonObject { { u"type"_s, u"m.login.password"_s } } };
        if (config.sso) {
            flows.append(QJsonObject { { u"type"_s, u"m.login.sso"_s },
                { u"identity_providers"_s,
                    QJsonArray {
                        QJsonObject { { u"id"_s, ssoIdpId }, { u"name"_s, ssoIdpName } } } } });
            // The token the SSO redirect hands back is spent with m.login.token.
            flows.append(QJsonObject { { u"type"_s, u"m.login.token"_s } });
        }
        return jsonResponse(200, { { u"flows"_s, flows } });
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.http.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return matrixError(400, u"M_NOT_JSON"_s, u"Content not JSON."_s);
    const QJsonObject body = doc.object();
    const QString type = body.value(u"type"_s).toString();
    QString user;
    if (type == u"m.login.password"_s) {
        user = body.value(u"user"_s).toString();
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
            || !constantTimeEquals(
                it.value().toUtf8(), body.value(u"password"_s).toString().toUtf8()))
            return matrixError(403, u"M_FORBIDDEN"_s, u"Invalid username or password"_s);
    } else if (type == u"m.login.token"_s && config.sso) {
        if (!body.value(u"token"_s).isString())
            return matrixError(400, u"M_BAD_JSON"_s, u"token is required"_s);
        // One use per token: a reused, unknown or expired one is refused (login.yaml 403).
        const LoginToken spent = loginTokens.take(body.value(u"token"_s).toString());
        if (spent.localpart.isEmpty() || spent.expiresMs < nowMs())
            return matrixError(403, u"M_FORBIDDEN"_s, u"Invalid or already used login token"_s);
        user = spent.localpart;
    } else {
        return matrixError(400, u"M_UNKNOWN"_s, u"Unknown login type"_s);
    }
    const QJsonValue wantsRefresh = body.value(u"refresh_token"_s);
    if (!wantsRefresh.isUndefined() && !wantsRefresh.isBool())
        return matrixError(400, u"M_BAD_JSON"_s, u"refresh_token must be a boolean"_s);
    const QJsonValue displayName = body.value(u"initial_device_display_name"_s);
    if (!displayName.isUndefined() && !displayName.isString())
        return matrixError(400, u"M_BAD_JSON"_s, u"initial_device_display_name must be a string"_s);
    const QString device
        = body.value(u"device_id"_s).toString(QString::fromLatin1(randomString(10)));
    QJsonObject record { { u"user_id"_s, userId(user) }, { u"device_id"_s, device },
        { u"login_type"_s, type } };
    if (displayName.isString())
        record.insert(u"display_name"_s, displayName);
    devices.append(record);
    // Spec v1.3: refresh_token and expires_in_ms only for a client that says it handles them;
    // expires_in_ms whenever the token expires (without a refresh token: log in again).
    QJsonObject answer = issueTokens(user, device, wantsRefresh.toBool());
    answer.insert(u"user_id"_s, userId(user));
    answer.insert(u"device_id"_s, device);
    answer.insert(u"well_known"_s,
        QJsonObject { { u"m.homeserver"_s, QJsonObject { { u"base_url"_s, base.toString() } } } });
    return jsonResponse(200, answer);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::ssoRedirect(
    const Request &r, const QString &idpId)
{
    if (!idpId.isEmpty() && idpId != ssoIdpId)
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown identity provider"_s);
    const QUrlQuery query(r.http.url());
    const QUrl redirect(
        query.queryItemValue(u"redirectUrl"_s, QUrl::FullyDecoded), QUrl::StrictMode);
    if (!redirect.isValid() || redirect.isRelative() || redirect.host().isEmpty())
        return matrixError(
            400, u"M_MISSING_PARAM"_s, u"redirectUrl is required and must be an absolute URL"_s);
    // A real identity provider shows its sign-in page here; this one approves at once (the
    // point of a test server) and sends the browser straight back with a one-time token.
    const QString token = u"mult_"_s + QString::fromLatin1(randomString(32));
    loginTokens.insert(token, { config.ssoUser, nowMs() + loginTokenLifetimeMs });
    QUrl back = redirect;
    QUrlQuery backQuery(back);
    backQuery.addQueryItem(u"loginToken"_s, token);
    back.setQuery(backQuery);
    return emptyResponse(302, { { "Location"_ba, back.toEncoded() } });
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
    const RequestBody body = requestBody(r.http);
    if (config.maxUploadSize > 0 && body.size > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    // The fallback path: whatever an upload URL received before is replaced whole.
    rec->contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec->fileName = QUrlQuery(r.http.url()).queryItemValue(u"filename"_s, QUrl::FullyDecoded);
    rec->via = u"async"_s;
    rec->total = body.size;
    if (!store.writeAt(*rec, 0, body, body.size))
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
    const RequestBody body = requestBody(r.http);
    if (config.maxUploadSize > 0 && body.size > config.maxUploadSize)
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
    rec.total = body.size;
    MediaRecord &stored = store.insert(rec);
    if (!store.writeAt(stored, 0, body, body.size))
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
        q->clearFaults();
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

qint64 MediaTestServerPrivate::bytesReceived(const QString &id)
{
    const MediaRecord *rec = store.find(id);
    if (!rec)
        return -1;
    qint64 received = rec->stored;
    for (const QJsonValue &v : relay->requests()) {
        const QJsonObject o = v.toObject();
        if (o.value(u"status"_s).toInt() != 0 || o.value(u"dropped"_s).toBool())
            continue; // answered or cut: what it brought is in the stored bytes, or gone
        const QString path = o.value(u"path"_s).toString();
        const QStringList segments = path.split(u'/');
        const bool uploadUrl = segments.size() == 3 && segments[1] == u"_upload"_s;
        // /_matrix/media/v3/upload/S/ID or /_matrix/media/unstable/fi.mau.msc2246/upload/S/ID
        const bool asyncPut = path.startsWith(u"/_matrix/media/"_s)
            && (segments.size() == 7 || segments.size() == 8)
            && segments[segments.size() - 3] == u"upload"_s;
        if (!(uploadUrl || asyncPut) || segments.last() != id)
            continue;
        // Where the body starts: content-range's first byte, tus's offset, else 0.
        const QJsonObject h = o.value(u"headers"_s).toObject();
        qint64 start = 0;
        const QString range = h.value(u"content-range"_s).toString(); // bytes A-B/T
        if (range.startsWith(u"bytes "_s) && range.indexOf(u'-') > 6)
            start = range.mid(6, range.indexOf(u'-') - 6).toLongLong();
        else if (h.contains(u"upload-offset"_s))
            start = h.value(u"upload-offset"_s).toString().toLongLong();
        received = std::max(received, start + o.value(u"body_size"_s).toInteger());
    }
    return received;
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