// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The fixture of the test media server's own tests (tests/auto/testserver): TestServerBench
// (a server in its own data folder and a QNetworkAccessManager, restarted per test), requests
// over QNetworkAccessManager, raw HTTP over a QTcpSocket (for the bytes QNetworkAccessManager
// would never send), and a few upload steps. Every wait runs the event loop until a signal;
// nothing sleeps. The test bytes come from fixtures.h.
#pragma once

#include "fixtures.h"

#include <matrixupload/testserver/mediatestserver.h>

#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace MatrixUploadTest {

using namespace Qt::StringLiterals;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

inline constexpr qint64 chunk = 256 * 1024;

inline Headers auth(const QByteArray &token = "ALICE"_ba)
{
    return { { "Authorization"_ba, "Bearer "_ba + token } };
}

using MatrixUpload::Testing::content;

//! A test server set up with two users (alice with token ALICE, bob with token BOB) and the
//! test control endpoints on.
inline MatrixUpload::MediaTestServerConfig defaultConfig()
{
    MatrixUpload::MediaTestServerConfig config;
    config.passwords.insert(u"alice"_s, u"secret"_s);
    config.passwords.insert(u"bob"_s, u"hunter2"_s);
    config.tokens.insert(u"ALICE"_s, u"alice"_s);
    config.tokens.insert(u"BOB"_s, u"bob"_s);
    config.enableTestControl = true;
    return config;
}

inline QUrl endpoint(const QUrl &base, const QString &path, const QString &query = {})
{
    QUrl url = base;
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    bool finished = false;
    QHash<QByteArray, QByteArray> headers; // lower-case names

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    bool hasHeader(const QByteArray &name) const { return headers.contains(name.toLower()); }
    QString errcode() const { return json.value(u"errcode"_s).toString(); }
};

//! Starts one request; finish() waits for it.
inline QNetworkReply *start(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
    const QByteArray &body = {}, const Headers &headers = {})
{
    QNetworkRequest request(url);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (method == "HEAD")
        return nam.head(request);
    if (method == "GET" && body.isEmpty())
        return nam.get(request);
    return nam.sendCustomRequest(request, method, body);
}

inline Reply finish(QNetworkReply *reply, int timeoutMs = 20000)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(timeoutMs);
    }
    Reply r;
    r.finished = reply->isFinished();
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    r.error = reply->error();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        r.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return r;
}

//! One request, waited for on the event loop.
inline Reply send(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
    const QByteArray &body = {}, const Headers &headers = {})
{
    return finish(start(nam, method, url, body, headers));
}

//! A `/create` answer.
struct Created
{
    int status = 0;
    QString uri;
    QString id;
    QUrl uploadUrl;
    QJsonObject json;
};

inline Created create(QNetworkAccessManager &nam, const QUrl &base,
    const QByteArray &token = "ALICE"_ba, const QString &path = u"/_matrix/media/v1/create"_s)
{
    const Reply r = send(nam, "POST", endpoint(base, path), "{}"_ba, auth(token));
    Created c;
    c.status = r.status;
    c.json = r.json;
    c.uri = r.json.value(u"content_uri"_s).toString();
    c.id = c.uri.section(u'/', -1);
    c.uploadUrl = QUrl(r.json.value(u"upload_url"_s).toString(), QUrl::StrictMode);
    return c;
}

inline QByteArray contentRange(qint64 first, qint64 size, qint64 total)
{
    const QByteArray totalText = total < 0 ? "*"_ba : QByteArray::number(total);
    if (size == 0)
        return "bytes */"_ba + totalText;
    return "bytes "_ba + QByteArray::number(first) + '-' + QByteArray::number(first + size - 1)
        + '/' + totalText;
}

//! One content-range chunk (or, with an empty \a bytes, a status query).
inline Reply putRange(QNetworkAccessManager &nam, const QUrl &uploadUrl, qint64 first,
    const QByteArray &bytes, qint64 total)
{
    return send(nam, "PUT", uploadUrl, bytes,
        { { "Content-Range"_ba, contentRange(first, bytes.size(), total) },
            { "Content-Type"_ba, "application/octet-stream"_ba } });
}

inline Reply statusQuery(QNetworkAccessManager &nam, const QUrl &uploadUrl, qint64 total)
{
    return putRange(nam, uploadUrl, 0, {}, total);
}

inline Headers tusHeaders(qint64 offset, qint64 length = -1)
{
    Headers h { { "Tus-Resumable"_ba, "1.0.0"_ba },
        { "Content-Type"_ba, "application/offset+octet-stream"_ba },
        { "Upload-Offset"_ba, QByteArray::number(offset) } };
    if (length >= 0)
        h.append({ "Upload-Length"_ba, QByteArray::number(length) });
    return h;
}

//! The recorded requests to exactly \a path, oldest first.
inline QJsonArray recordsFor(const QJsonArray &requests, const QString &path)
{
    QJsonArray out;
    for (const QJsonValue &v : requests) {
        if (v.toObject().value(u"path"_s).toString() == path)
            out.append(v);
    }
    return out;
}

//! The first recorded request whose path starts with \a prefix (and method matches, if given).
inline QJsonObject findRecord(
    const QJsonArray &requests, const QString &prefix, const QString &method = {})
{
    for (const QJsonValue &v : requests) {
        const QJsonObject o = v.toObject();
        if (o.value(u"path"_s).toString().startsWith(prefix)
            && (method.isEmpty() || o.value(u"method"_s).toString() == method))
            return o;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP over a socket.

//! \a url with the first character of its `sig` query item changed: a signature that no longer
//! matches.
inline QUrl withTamperedSignature(const QUrl &url)
{
    QUrlQuery query(url);
    QString sig = query.queryItemValue(u"sig"_s);
    sig[0] = sig[0] == u'a' ? u'b' : u'a';
    query.removeQueryItem(u"sig"_s);
    query.addQueryItem(u"sig"_s, sig);
    QUrl tampered = url;
    tampered.setQuery(query);
    return tampered;
}

//! The request target of \a url: path and query, as they go on the request line.
inline QByteArray target(const QUrl &url)
{
    return url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
}

//! A raw request to \a url: \a method with \a body, its Content-Length and \a extraHeaders
//! (each line ending in CRLF).
inline QByteArray rawUpload(const QByteArray &method, const QUrl &url, const QByteArray &body,
    const QByteArray &extraHeaders = {})
{
    return method + ' ' + target(url) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"_ba + extraHeaders
        + "Content-Length: "_ba + QByteArray::number(body.size()) + "\r\n\r\n"_ba + body;
}

inline QByteArray rawPut(
    const QUrl &url, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return rawUpload("PUT"_ba, url, body, extraHeaders);
}

struct RawReply
{
    int status = 0; //!< 0: no answer (the connection closed or the wait timed out)
    QByteArray head;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QJsonObject json;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString errcode() const { return json.value(u"errcode"_s).toString(); }
};

class RawClient
{
public:
    explicit RawClient(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    bool waitConnected(int timeoutMs = 10000)
    {
        return waitUntil(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
    }
    void write(const QByteArray &bytes) { m_socket.write(bytes); }
    void close() { m_socket.abort(); }
    QTcpSocket &socket() { return m_socket; }
    QByteArray pending() const { return m_buffer; }

    bool isClosed() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    //! Waits for the server to close the connection.
    bool waitClosed(int timeoutMs = 10000)
    {
        return waitUntil([this] { return isClosed(); }, timeoutMs);
    }
    //! Waits for any bytes to arrive (or the connection to close).
    bool waitBytes(int timeoutMs = 10000)
    {
        return waitUntil([this] { return !m_buffer.isEmpty() || isClosed(); }, timeoutMs);
    }

    //! Reads one answer (interim 1xx answers count as answers). \a headRequest: no body follows.
    RawReply readResponse(bool headRequest = false, int timeoutMs = 10000)
    {
        RawReply reply;
        qsizetype used = 0;
        waitUntil(
            [&] {
                used = parse(headRequest, &reply);
                return used > 0 || isClosed();
            },
            timeoutMs);
        if (used == 0)
            return {};
        m_buffer.remove(0, used);
        return reply;
    }

private:
    bool waitUntil(const std::function<bool()> &done, int timeoutMs)
    {
        pump();
        if (done())
            return true;
        QEventLoop loop;
        auto check = [&] {
            pump();
            if (done())
                loop.quit();
        };
        const auto c1 = QObject::connect(&m_socket, &QTcpSocket::readyRead, &loop, check);
        const auto c2 = QObject::connect(&m_socket, &QTcpSocket::disconnected, &loop, check);
        const auto c3 = QObject::connect(&m_socket, &QTcpSocket::connected, &loop, check);
        const auto c4 = QObject::connect(&m_socket, &QTcpSocket::errorOccurred, &loop, check);
        const auto c5 = QObject::connect(&m_socket, &QTcpSocket::stateChanged, &loop, check);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        for (const auto &c : { c1, c2, c3, c4, c5 })
            QObject::disconnect(c);
        pump();
        return done();
    }
    void pump() { m_buffer += m_socket.readAll(); }

    //! Bytes one complete answer takes at the front of the buffer, or 0.
    qsizetype parse(bool headRequest, RawReply *reply) const
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return 0;
        RawReply r;
        r.head = m_buffer.left(end);
        const QList<QByteArray> lines = r.head.split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        r.status = statusLine.size() > 1 ? statusLine[1].toInt() : -1;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.insert(
                    lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        qsizetype used = end + 4;
        const bool noBody = headRequest || (r.status >= 100 && r.status < 200) || r.status == 204
            || r.status == 304;
        if (!noBody) {
            if (r.headers.contains("content-length")) {
                const qsizetype length = r.headers.value("content-length").toLongLong();
                if (m_buffer.size() < used + length)
                    return 0;
                r.body = m_buffer.mid(used, length);
                used += length;
            } else {
                if (!isClosed())
                    return 0; // the body runs to the end of the connection
                r.body = m_buffer.mid(used);
                used = m_buffer.size();
            }
        }
        r.json = QJsonDocument::fromJson(r.body).object();
        *reply = r;
        return used;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

//! Sends \a request on a new connection and reads one answer.
inline RawReply rawExchange(quint16 port, const QByteArray &request, bool headRequest = false)
{
    RawClient client(port);
    if (!client.waitConnected())
        return {};
    client.write(request);
    return client.readResponse(headRequest);
}

// ---------------------------------------------------------------------------------------------
// The fixture.

//! Test fixture members of the test server's own tests; a test class derives from QObject and
//! from this, calls restart() in init() (or per test) and reset() in cleanup().
class TestServerBench
{
protected:
    std::unique_ptr<QTemporaryDir> m_dir; //!< the server's data folder, unless the config names one
    std::unique_ptr<MatrixUpload::MediaTestServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;

    //! Replaces the server with one for \a config, listening, and the manager with a new one
    //! (no connection to the old server is reused). Without a data folder in \a config the
    //! server gets a fresh one, dataDir().
    bool restart(MatrixUpload::MediaTestServerConfig config)
    {
        m_server.reset();
        if (config.dataDir.isEmpty()) {
            m_dir = std::make_unique<QTemporaryDir>();
            if (!m_dir->isValid())
                return false;
            config.dataDir = m_dir->path();
        }
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_server = std::make_unique<MatrixUpload::MediaTestServer>(config);
        return m_server->listen();
    }
    //! The end of every test (its cleanup()): the server stops, the manager and folder go.
    void reset()
    {
        m_server.reset();
        m_nam.reset();
        m_dir.reset();
    }
    //! The data folder restart() made for the server (empty when the config named one).
    QString dataDir() const { return m_dir ? m_dir->path() : QString(); }

    //! \a path (and \a query) on the server.
    QUrl url(const QString &path, const QString &query = {}) const
    {
        return endpoint(m_server->baseUrl(), path, query);
    }
    //! A `/create` as \a token's user.
    Created createMedia(const QByteArray &token = "ALICE"_ba)
    {
        return create(*m_nam, m_server->baseUrl(), token);
    }
    //! How many bytes the server holds for media \a id.
    qint64 stored(const QString &id) const
    {
        return m_server->mediaInfo(id).value(u"stored"_s).toInteger();
    }
    //! The server still answers normally.
    bool stillServes()
    {
        return send(*m_nam, "GET", url(u"/_matrix/client/versions"_s)).status == 200;
    }
};

} // namespace MatrixUploadTest
