// matrix-media-testserver: the test media server as a program, for the demo, scripts and
// benchmarks. Prints "listening on URL" first and runs until SIGINT or SIGTERM.
#include "mediatestserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;
using MatrixUpload::MediaTestServer;
using MatrixUpload::MediaTestServerConfig;

namespace {
int signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

//! "1048576", "64K", "8M", "2G" -> bytes; -1 when unreadable.
qint64 parseSize(const QString &text)
{
    static const QString units = u"KMG"_s;
    QString digits = text.trimmed().toUpper();
    qint64 factor = 1;
    if (!digits.isEmpty() && units.contains(digits.back())) {
        factor = qint64(1) << (10 * (units.indexOf(digits.back()) + 1));
        digits.chop(1);
    }
    bool ok = false;
    const qint64 n = digits.toLongLong(&ok);
    return ok && n >= 0 ? n * factor : -1;
}

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "matrix-media-testserver: %s\n", qPrintable(message));
    std::exit(2);
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
    const QCommandLineOption control(
        u"enable-test-control"_s, u"Serve /_test/faults and /_test/requests."_s);
    parser.addOptions({ port, host, data, serverName, user, token, protocol, putMethod,
        noProtocolField, uploadUrlBase, noAsync, completePaths, redirect, maxUpload, maxPending,
        expiry, maxBody, control });
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
    const QString p = parser.value(protocol);
    using Protocol = MediaTestServerConfig::UploadUrlProtocol;
    if (p == u"content-range"_s)
        config.uploadUrlProtocol = Protocol::ContentRange;
    else if (p == u"put"_s)
        config.uploadUrlProtocol = Protocol::Put;
    else if (p == u"tus"_s)
        config.uploadUrlProtocol = Protocol::Tus;
    else if (p == u"none"_s)
        config.uploadUrlProtocol = Protocol::None;
    else
        usageError(u"--upload-url-protocol takes content-range, put, tus or none"_s);
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
    const QString cp = parser.value(completePaths);
    using Paths = MediaTestServerConfig::CompletePaths;
    if (cp == u"both"_s)
        config.completePaths = Paths::Both;
    else if (cp == u"stable"_s)
        config.completePaths = Paths::Stable;
    else if (cp == u"unstable"_s)
        config.completePaths = Paths::Unstable;
    else if (cp == u"none"_s)
        config.completePaths = Paths::None;
    else
        usageError(u"--complete-paths takes both, stable, unstable or none"_s);
    config.downloadRedirect = parser.isSet(redirect);
    if (parser.isSet(maxUpload) && (config.maxUploadSize = parseSize(parser.value(maxUpload))) < 0)
        usageError(u"--max-upload-size takes a size such as 50M"_s);
    if (parser.isSet(maxPending)) {
        config.maxPendingPerUser = parser.value(maxPending).toInt(&ok);
        if (!ok || config.maxPendingPerUser < 0)
            usageError(u"--max-pending takes a count"_s);
    }
    config.unusedExpiryMs = parser.value(expiry).toLongLong(&ok);
    if (!ok || config.unusedExpiryMs < 0)
        usageError(u"--unused-expiry-ms takes milliseconds"_s);
    if ((config.maxRequestBody = parseSize(parser.value(maxBody))) <= 0)
        usageError(u"--max-request-body takes a size such as 64M"_s);
    config.enableTestControl = parser.isSet(control);

    MediaTestServer server(config);
    if (!server.listen()) {
        std::fprintf(stderr, "matrix-media-testserver: %s\n", qPrintable(server.errorString()));
        return 1;
    }

    if (::pipe(signalPipe) != 0)
        return 1;
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char byte;
        [[maybe_unused]] const auto n = ::read(signalPipe[0], &byte, 1);
        QCoreApplication::quit();
    });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    std::printf("listening on %s\n", qPrintable(server.baseUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
