// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-media-testserver: the test media server as a program, for the demo, scripts and
// benchmarks. Prints "listening on URL" first and runs until SIGINT or SIGTERM.
#include "mediatestserver.h"
#include "sizeargument.h"
#include "terminationsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>

using namespace Qt::StringLiterals;
using MatrixUpload::MediaTestServer;
using MatrixUpload::MediaTestServerConfig;
using MatrixUpload::parseSizeArgument;

namespace {
[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "matrix-media-testserver: %s\n", qPrintable(message));
    std::exit(2);
}

//! The value that \a text names among \a choices; otherwise a usage error that lists the names
//! \a option takes ("--complete-paths takes both, stable, unstable or none").
template<typename T>
T oneOf(const QString &option, const QString &text, const QList<std::pair<QString, T>> &choices)
{
    QStringList names;
    for (const auto &[name, value] : choices) {
        if (text == name)
            return value;
        names.append(name);
    }
    const QString last = names.takeLast();
    usageError(u"%1 takes %2 or %3"_s.arg(option, names.join(u", "_s), last));
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"matrix-media-testserver"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A Matrix media server for tests, demos and benchmarks: login, media config, async "
        "uploads (MSC2246), upload URLs (MSC3870) speaking put, content-range or tus, complete, "
        "legacy upload and download, with injectable faults.\n\n"_s
        + MediaTestServer::faultHelp());
    parser.addHelpOption();
    const QCommandLineOption port(
        u"port"_s, u"Port to listen on (0: any free port)."_s, u"N"_s, u"0"_s);
    const QCommandLineOption host(
        u"host"_s, u"Address to listen on."_s, u"ADDRESS"_s, u"127.0.0.1"_s);
    const QCommandLineOption data(u"data"_s,
        u"Folder for media and metadata; a restarted server continues from it."_s, u"DIR"_s);
    const QCommandLineOption serverName(
        u"server-name"_s, u"Server name in mxc:// URIs."_s, u"NAME"_s, u"localhost"_s);
    const QCommandLineOption user(
        u"user"_s, u"A user who can log in (repeatable)."_s, u"NAME:PASSWORD"_s);
    const QCommandLineOption token(
        u"token"_s, u"An access token valid from the start (repeatable)."_s, u"NAME:TOKEN"_s);
    const QCommandLineOption tokenLifetime(u"token-lifetime-ms"_s,
        u"Access tokens issued by login and refresh expire after MS (expires_in_ms; 0: never); "
        "login with \"refresh_token\": true also gives a refresh token for "
        "POST /_matrix/client/v3/refresh. An expired token gets 401 M_UNKNOWN_TOKEN with "
        "soft_logout true. --token tokens never expire."_s,
        u"MS"_s, u"0"_s);
    const QCommandLineOption protocol(u"upload-url-protocol"_s,
        u"Upload URLs handed out by create: content-range, put, tus or none."_s, u"PROTOCOL"_s,
        u"content-range"_s);
    const QCommandLineOption putMethod(u"put-method"_s,
        u"upload_method for the put protocol (PUT or POST)."_s, u"METHOD"_s, u"PUT"_s);
    const QCommandLineOption noProtocolField(
        u"no-upload-protocol-field"_s, u"Leave upload_protocol out of the create answer."_s);
    const QCommandLineOption uploadUrlBase(u"upload-url-base"_s,
        u"Origin that upload URLs point at (default: this server)."_s, u"URL"_s);
    const QCommandLineOption noAsync(
        u"no-async-uploads"_s, u"Act as a pre-v1.7 server: no /create, no PUT to a content URI."_s);
    const QCommandLineOption completePaths(u"complete-paths"_s,
        u"Which complete endpoints exist: both, stable, unstable or none."_s, u"WHICH"_s,
        u"both"_s);
    const QCommandLineOption redirect(
        u"download-redirect"_s, u"Authenticated downloads answer 307 to a signed URL."_s);
    const QCommandLineOption maxUpload(u"max-upload-size"_s,
        u"Largest file accepted (also m.upload.size); K, M, G suffixes."_s, u"BYTES"_s);
    const QCommandLineOption maxPending(u"max-pending"_s,
        u"Pending (created, not uploaded) IDs per user before create answers 429."_s, u"N"_s);
    const QCommandLineOption expiry(u"unused-expiry-ms"_s,
        u"Lifetime of an unused media ID (0: none)."_s, u"MS"_s, u"86400000"_s);
    const QCommandLineOption maxBody(u"max-request-body"_s,
        u"Largest request body accepted before it is buffered; K, M, G suffixes."_s, u"BYTES"_s,
        u"64M"_s);
    const QCommandLineOption noSso(
        u"no-sso"_s, u"Offer password login only: no m.login.sso flow and no SSO redirect."_s);
    const QCommandLineOption ssoUser(u"sso-user"_s,
        u"The user single sign-on signs in. The SSO redirect "
        "(GET /_matrix/client/v3/login/sso/redirect[/test-idp]?redirectUrl=URL) stands for an "
        "identity provider that approves at once, with no page: it answers 302 to URL with a "
        "one-time loginToken, which POST /_matrix/client/v3/login spends with m.login.token."_s,
        u"NAME"_s, u"alice"_s);
    const QCommandLineOption control(u"enable-test-control"_s,
        u"Serve /_test/faults, /_test/requests, /_test/events and /_test/devices."_s);
    const QCommandLineOption room(u"room"_s,
        u"A room every user is joined to, with its m.room.name (none when NAME is empty or "
        "=NAME is left out) and, with ,encrypted after the name, m.room.encryption state; "
        "repeatable. Serves joined_rooms, the room name and encryption, send and redact."_s,
        u"!ID:SERVER=NAME[,encrypted]"_s);
    parser.addOptions({ port, host, data, serverName, user, token, tokenLifetime, protocol,
        putMethod, noProtocolField, uploadUrlBase, noAsync, completePaths, redirect, maxUpload,
        maxPending, expiry, maxBody, noSso, ssoUser, control });
    parser.addOption(room);
    // Upload URLs on a real third-party server (docs/testserver.md, "External upload targets").
    const QCommandLineOption putEndpoint(u"put-endpoint"_s,
        u"Upload URLs point at a plain PUT origin (e.g. nginx dav_methods PUT): "
        "URL/MEDIAID.TOKEN, protocol put; complete checks it with HEAD."_s,
        u"URL"_s);
    const QCommandLineOption tusEndpoint(u"tus-endpoint"_s,
        u"Upload URLs are uploads that create makes on this tus 1.0 server (the creation URL, "
        "e.g. http://127.0.0.1:1080/files) with Upload-Defer-Length: 1, protocol tus."_s,
        u"URL"_s);
    const QCommandLineOption s3Endpoint(u"s3-endpoint"_s,
        u"Upload URLs are SigV4 presigned PUT URLs for this S3 endpoint (path style: "
        "URL/BUCKET/MEDIAID); needs --s3-bucket, --s3-access-key and --s3-secret-key."_s,
        u"URL"_s);
    const QCommandLineOption s3Bucket(
        u"s3-bucket"_s, u"S3 bucket, created at the first create if missing."_s, u"NAME"_s);
    const QCommandLineOption s3AccessKey(u"s3-access-key"_s, u"S3 access key ID."_s, u"KEY"_s);
    const QCommandLineOption s3SecretKey(u"s3-secret-key"_s, u"S3 secret key."_s, u"SECRET"_s);
    const QCommandLineOption s3Region(
        u"s3-region"_s, u"S3 region in the signature scope."_s, u"REGION"_s, u"us-east-1"_s);
    const QCommandLineOption s3SignContentType(u"s3-sign-content-type"_s,
        u"Presigned PUT URLs also sign Content-Type: TYPE; a PUT with another type gets 403."_s,
        u"TYPE"_s);
    parser.addOptions({ putEndpoint, tusEndpoint, s3Endpoint, s3Bucket, s3AccessKey, s3SecretKey,
        s3Region, s3SignContentType });
    // QCommandLineParser::process() alone exits with 1 on an unknown option or a missing value;
    // every usage error here exits with 2. process() then handles --help and --help-all.
    if (!parser.parse(QCoreApplication::arguments()))
        usageError(parser.errorText());
    parser.process(app);

    MediaTestServerConfig config;
    bool ok = false;
    config.port = parser.value(port).toUShort(&ok);
    if (!ok)
        usageError(u"--port takes a number from 0 to 65535"_s);
    if (!config.address.setAddress(parser.value(host)))
        usageError(u"--host takes an IP address"_s);
    config.dataDir = parser.value(data);
    config.serverName = parser.value(serverName);
    for (const QString &entry : parser.values(user)) {
        const qsizetype colon = entry.indexOf(u':');
        if (colon <= 0)
            usageError(u"--user takes NAME:PASSWORD"_s);
        config.passwords.insert(entry.left(colon), entry.mid(colon + 1));
    }
    for (const QString &entry : parser.values(token)) {
        const qsizetype colon = entry.indexOf(u':');
        if (colon <= 0 || colon == entry.size() - 1)
            usageError(u"--token takes NAME:TOKEN"_s);
        config.tokens.insert(entry.mid(colon + 1), entry.left(colon));
    }
    config.tokenLifetimeMs = parser.value(tokenLifetime).toLongLong(&ok);
    if (!ok || config.tokenLifetimeMs < 0)
        usageError(u"--token-lifetime-ms takes milliseconds"_s);
    using Protocol = MediaTestServerConfig::UploadUrlProtocol;
    config.uploadUrlProtocol = oneOf<Protocol>(u"--upload-url-protocol"_s, parser.value(protocol),
        { { u"content-range"_s, Protocol::ContentRange }, { u"put"_s, Protocol::Put },
            { u"tus"_s, Protocol::Tus }, { u"none"_s, Protocol::None } });
    config.putMethod = parser.value(putMethod).toUpper().toLatin1();
    if (config.putMethod != "PUT" && config.putMethod != "POST")
        usageError(u"--put-method takes PUT or POST"_s);
    config.announceUploadProtocol = !parser.isSet(noProtocolField);
    if (parser.isSet(uploadUrlBase)) {
        config.uploadUrlBase = QUrl(parser.value(uploadUrlBase), QUrl::StrictMode);
        if (!config.uploadUrlBase.isValid() || config.uploadUrlBase.host().isEmpty())
            usageError(u"--upload-url-base takes an absolute URL"_s);
    }
    config.asyncUploads = !parser.isSet(noAsync);
    using Paths = MediaTestServerConfig::CompletePaths;
    config.completePaths = oneOf<Paths>(u"--complete-paths"_s, parser.value(completePaths),
        { { u"both"_s, Paths::Both }, { u"stable"_s, Paths::Stable },
            { u"unstable"_s, Paths::Unstable }, { u"none"_s, Paths::None } });
    config.downloadRedirect = parser.isSet(redirect);
    if (parser.isSet(maxUpload)
        && (config.maxUploadSize = parseSizeArgument(parser.value(maxUpload))) < 0)
        usageError(u"--max-upload-size takes a size such as 50M"_s);
    if (parser.isSet(maxPending)) {
        config.maxPendingPerUser = parser.value(maxPending).toInt(&ok);
        if (!ok || config.maxPendingPerUser < 0)
            usageError(u"--max-pending takes a count"_s);
    }
    config.unusedExpiryMs = parser.value(expiry).toLongLong(&ok);
    if (!ok || config.unusedExpiryMs < 0)
        usageError(u"--unused-expiry-ms takes milliseconds"_s);
    if ((config.maxRequestBody = parseSizeArgument(parser.value(maxBody))) <= 0)
        usageError(u"--max-request-body takes a size such as 64M"_s);
    config.enableTestControl = parser.isSet(control);
    config.sso = !parser.isSet(noSso);
    config.ssoUser = parser.value(ssoUser);
    if (config.ssoUser.isEmpty())
        usageError(u"--sso-user takes a user name"_s);
    for (const QString &entry : parser.values(room)) {
        // Room IDs hold no "=" (their opaque part is URL-safe base64 or localpart characters);
        // the name may.
        // A name may hold commas: only a last ",encrypted" is the flag.
        const qsizetype eq = entry.indexOf(u'=');
        const QString id = eq < 0 ? entry : entry.left(eq);
        if (!id.startsWith(u'!') || id.size() < 2 || id.contains(u'/'))
            usageError(u"--room takes !ID:SERVER=NAME[,encrypted]"_s);
        MatrixUpload::MediaTestServerRoom entryRoom;
        entryRoom.name = eq < 0 ? QString() : entry.mid(eq + 1);
        const QString flag = u",encrypted"_s;
        if (entryRoom.name.endsWith(flag)) {
            entryRoom.name.chop(flag.size());
            entryRoom.encrypted = true;
        }
        config.rooms.insert(id, entryRoom);
    }

    {
        using Kind = MediaTestServerConfig::ExternalTarget::Kind;
        auto &external = config.external;
        const std::pair<const QCommandLineOption *, Kind> kinds[] = { { &putEndpoint, Kind::Put },
            { &tusEndpoint, Kind::Tus }, { &s3Endpoint, Kind::S3 } };
        for (const auto &[option, kind] : kinds) {
            if (!parser.isSet(*option))
                continue;
            if (external.kind != Kind::None)
                usageError(
                    u"--put-endpoint, --tus-endpoint and --s3-endpoint exclude each other"_s);
            external.kind = kind;
            external.endpoint = QUrl(parser.value(*option), QUrl::StrictMode);
            const QString scheme = external.endpoint.scheme();
            if (!external.endpoint.isValid() || external.endpoint.host().isEmpty()
                || (scheme != u"http"_s && scheme != u"https"_s) || external.endpoint.hasQuery())
                usageError(u"--%1 takes an absolute http(s) URL without a query"_s.arg(
                    option->names().constFirst()));
        }
        const bool anyS3 = parser.isSet(s3Bucket) || parser.isSet(s3AccessKey)
            || parser.isSet(s3SecretKey) || parser.isSet(s3SignContentType);
        if (external.kind == Kind::S3) {
            external.s3Bucket = parser.value(s3Bucket);
            external.s3AccessKey = parser.value(s3AccessKey);
            external.s3SecretKey = parser.value(s3SecretKey);
            external.s3Region = parser.value(s3Region);
            external.s3SignContentType = parser.value(s3SignContentType);
            static const QRegularExpression bucketName(u"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"_s);
            if (!bucketName.match(external.s3Bucket).hasMatch())
                usageError(u"--s3-endpoint needs --s3-bucket with a valid bucket name"_s);
            if (external.s3AccessKey.isEmpty() || external.s3SecretKey.isEmpty())
                usageError(u"--s3-endpoint needs --s3-access-key and --s3-secret-key"_s);
            if (external.s3Region.isEmpty())
                usageError(u"--s3-region takes a region name"_s);
        } else if (anyS3) {
            usageError(u"the --s3-* options need --s3-endpoint"_s);
        }
    }

    MediaTestServer server(config);
    if (!server.listen()) {
        std::fprintf(stderr, "matrix-media-testserver: %s\n", qPrintable(server.errorString()));
        return 1;
    }

    if (!MatrixUpload::onTerminationSignals(app, [] { QCoreApplication::quit(); }))
        return 1;

    std::printf("listening on %s\n", qPrintable(server.baseUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
