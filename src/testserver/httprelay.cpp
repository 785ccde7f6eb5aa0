// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "httprelay_p.h"

#include "faultplan_p.h"
#include "httpparse_p.h"
#include "sha256_p.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
constexpr qint64 maxHeadSize = 64 * 1024;
// Back-pressure: stop reading a client while this much waits for QHttpServer.
constexpr qint64 maxUpstreamBacklog = 4 * 1024 * 1024;
constexpr qint64 clientReadBuffer = 1024 * 1024;
// The most a spooled body is read from the client in one go.
constexpr qint64 spoolBlock = 1024 * 1024;
// A handler may hold an answer (download timeout_ms, at most 60 s): keep the backend
// connection that long after the client left.
constexpr int orphanGraceMs = 75 * 1000;
// How long a refused body may go without a byte arriving before the relay stops draining it.
constexpr int discardIdleMs = 5000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

//! The last header line and the end of a forwarded head: when it reaches the backend.
QByteArray stampArrival()
{
    return QByteArray(HttpRelay::arrivalHeader) + ": " + QByteArray::number(nowMs()) + "\r\n\r\n";
}
} // namespace

struct HttpRelay::Connection
{
    QTcpSocket *client = nullptr;
    QTcpSocket *upstream = nullptr;
    QTimer *wake = nullptr;

    // Client -> backend.
    enum class In { Head, Delayed, Body, Discard, Closed } inState = In::Head;
    QByteArray in; // bytes read from the client, not yet forwarded
    QByteArray delayedHead; // a head held back by the latency fault
    qint64 delayedUntil = 0;
    bool held = false; // In::Delayed by the hold_request fault: until releaseHeld()
    qint64 bodyLeft = 0;
    qint64 bodySeen = 0;
    qint64 dropAfter = -1;
    int record = -1;
    qint64 discardUntil = 0; // In::Discard: give up when no byte came by then

    // A body streamed to a spool file, or straight into an upload's bytes file (direct), named
    // spoolName: the head goes to QHttpServer once the body is complete.
    std::unique_ptr<QFile> spool;
    std::shared_ptr<DirectBody> direct;
    QString spoolName;
    ContinuedSha256 spoolHash;
    QByteArray spoolHead; // the forwarded head without its Content-Length and end
    QByteArray spoolStamp; // the arrival stamp, taken when the head would have been forwarded

    // Bandwidth cap, per connection.
    qint64 bwRate = 0;
    qint64 bwStart = 0;
    qint64 bwSent = 0;
    bool bwThrottled = false; //!< the bucket ran dry and the body waits for it

    // Backend -> client.
    struct Pending
    {
        int record;
        bool head;
        bool close; // the client asked to close after this answer
        bool dropAnswer = false; // the drop_answer fault: cut the connection instead
        bool holdAnswer = false; // the hold_answer fault: forward nothing more, stay open
        QString spoolFile = {}; // removed once the answer came (unless the handler moved it)
        qint64 cutAfter = -1; // the cut_after_bytes fault: answer bytes forwarded, then a cut
    };
    QList<Pending> pending; // forwarded requests still waiting for their answer
    QByteArray out;
    enum class Out { Head, Body, Raw } outState = Out::Head;
    qint64 respLeft = 0;
    bool respStrip = false;
    bool respClose = false;
    bool lastRequest = false; // a request asked to close: read no further requests
    bool clientGone = false;
    bool orphaned = false;
    bool muted = false; // an answer was held back: the client hears nothing more here
    qint64 cutLeft = -1; // cut_after_bytes: answer bytes still to forward before the cut
    int cutRecord = -1;
};

HttpRelay::HttpRelay(FaultPlan *faults, quint16 backendPort, QObject *parent)
    : QObject(parent)
    , m_faults(faults)
    , m_backendPort(backendPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpRelay::onNewConnection);
}

HttpRelay::~HttpRelay()
{
    while (!m_connections.isEmpty())
        destroy(m_connections.first());
}

bool HttpRelay::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

quint16 HttpRelay::port() const
{
    return m_server.serverPort();
}

QString HttpRelay::errorString() const
{
    return m_server.errorString();
}

void HttpRelay::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *c = new Connection;
        c->client = client;
        c->upstream = new QTcpSocket(this);
        client->setParent(this);
        client->setReadBufferSize(clientReadBuffer);
        if (const qint64 rate = m_faults->bandwidth(); rate > 0) {
            // A capped link holds about 100 ms of its bytes; on loopback the kernel would
            // take megabytes at once, and the client would count them as sent.
            client->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                int(std::clamp<qint64>(rate / 10, 64 * 1024, 4 * 1024 * 1024)));
        }
        c->wake = new QTimer(this);
        c->wake->setSingleShot(true);
        m_connections.append(c);

        connect(c->wake, &QTimer::timeout, this, [this, c] { processClient(c); });
        connect(client, &QTcpSocket::readyRead, this, [this, c] { processClient(c); });
        connect(client, &QTcpSocket::disconnected, this, [this, c] {
            c->clientGone = true;
            if (c->inState == Connection::In::Body || c->inState == Connection::In::Delayed) {
                // The client left mid-body, or while the latency fault held its request back:
                // QHttpServer must not see half a request, and the spool file goes now (not
                // when the orphan timer of closeConnection() would end the connection).
                finishRecord(c, c->record, 0, true);
                destroy(c);
                return;
            }
            c->inState = Connection::In::Closed;
            closeConnection(c);
        });
        connect(c->upstream, &QTcpSocket::readyRead, this, [this, c] { processUpstream(c); });
        connect(c->upstream, &QTcpSocket::bytesWritten, this, [this, c] { processClient(c); });
        connect(c->upstream, &QTcpSocket::disconnected, this, [this, c] { onUpstreamGone(c); });
        connect(c->upstream, &QTcpSocket::errorOccurred, this, [this, c] {
            if (c->upstream->state() == QAbstractSocket::UnconnectedState)
                onUpstreamGone(c);
        });
        c->upstream->connectToHost(QHostAddress::LocalHost, m_backendPort);
    }
}

void HttpRelay::bandwidthChanged()
{
    const QList<Connection *> connections = m_connections;
    for (Connection *c : connections) {
        if (c->inState == Connection::In::Head && c->in.isEmpty() && c->pending.isEmpty()
            && c->client->bytesAvailable() == 0 && !c->lastRequest && !c->clientGone)
            c->client->disconnectFromHost();
    }
}

void HttpRelay::finishRecord(Connection *c, int recordIndex, int status, bool dropped)
{
    Q_UNUSED(c)
    for (qsizetype i = m_requests.size() - 1; i >= 0; --i) {
        QJsonObject o = m_requests.at(i).toObject();
        if (o.value(u"id"_s).toInt() != recordIndex)
            continue;
        if (status)
            o.insert(u"status"_s, status);
        if (dropped)
            o.insert(u"dropped"_s, true);
        if (recordIndex == c->record)
            o.insert(u"body_size"_s, c->bodySeen);
        m_requests[i] = o;
        return;
    }
}

bool HttpRelay::parseRequestHead(Connection *c)
{
    const qsizetype end = c->in.indexOf("\r\n\r\n");
    if (end < 0 || end > maxHeadSize) {
        // Also a head that ends past the limit but arrived in one read.
        if (c->in.size() > maxHeadSize)
            refuse(c, 431, "Request Header Fields Too Large", "M_UNKNOWN",
                u"request head too large"_s);
        return false;
    }
    QByteArray head = c->in.left(end + 4);
    c->in.remove(0, end + 4);
    // A new request: until it is recorded below, a refusal must not touch the record of the
    // previous request on this keep-alive connection.
    c->record = -1;

    const RequestHead parsed = MatrixUpload::parseRequestHead(head.left(end), headerPrefix);
    if (parsed.refuseStatus != 0) {
        refuse(c, parsed.refuseStatus, parsed.reason, "M_UNKNOWN", parsed.error);
        return false;
    }
    const QByteArray &method = parsed.method;
    const QByteArray &target = parsed.target;
    const QJsonObject &headers = parsed.headers;
    const QByteArray &forwarded = parsed.forwarded;
    const qint64 contentLength = parsed.contentLength;
    const bool expectContinue = parsed.expectContinue;
    const bool close = parsed.close;

    const qsizetype q = target.indexOf('?');
    QJsonObject record;
    static int nextId = 0;
    c->record = ++nextId;
    record.insert(u"id"_s, c->record);
    record.insert(u"method"_s, QString::fromLatin1(method));
    record.insert(u"path"_s, QString::fromLatin1(q < 0 ? target : target.left(q)));
    record.insert(u"query"_s, q < 0 ? QString() : QString::fromLatin1(target.mid(q + 1)));
    record.insert(u"headers"_s, headers);
    record.insert(u"content_length"_s, contentLength);
    record.insert(u"body_size"_s, 0);
    record.insert(u"status"_s, 0);
    const bool controlRequest = target.startsWith("/_test/");
    if (!controlRequest)
        m_requests.append(record);
    c->bodySeen = 0;

    if (contentLength > m_maxRequestBody) {
        // Refuse before buffering: QHttpServer would hold the whole body in memory. Unless it
        // waits for "100 Continue", the client is sending the body already: read and drop it (a
        // lingering close, as nginx does) instead of closing at once. Closing a socket with
        // unread bytes resets the connection, and a client that writes its whole body before it
        // reads (QNetworkAccessManager) would see a network error instead of this 413.
        const bool drain = !expectContinue;
        refuse(c, 413, "Payload Too Large", "M_TOO_LARGE",
            u"request body larger than the server's limit of %1 bytes"_s.arg(m_maxRequestBody),
            !drain);
        if (drain) {
            c->inState = Connection::In::Discard;
            c->bodyLeft = contentLength;
            c->discardUntil = nowMs() + discardIdleMs;
        }
        return false;
    }

    c->bodyLeft = contentLength;
    c->dropAfter = controlRequest
        ? -1
        : m_faults->takeDropAfter(target.left(q < 0 ? target.size() : q), contentLength);
    const QByteArray path = target.left(q < 0 ? target.size() : q);
    c->pending.append({ controlRequest ? -1 : c->record, method == "HEAD", close,
        !controlRequest && m_faults->takeDropAnswer(path, contentLength),
        !controlRequest && m_faults->takeHoldAnswer(path, contentLength) });
    if (!controlRequest)
        c->pending.last().cutAfter = m_faults->takeCutAnswerAfter(path);
    c->lastRequest = close;
    if (!controlRequest && spools(method, path, contentLength)
        && openSpool(c, method, target, headers)) {
        c->pending.last().spoolFile = c->spoolName;
        // Where the body goes, for tests and benches (body_to in docs/testserver.md).
        const qsizetype last = m_requests.size() - 1;
        QJsonObject logged = m_requests.at(last).toObject();
        logged.insert(u"body_to"_s, c->direct ? u"direct"_s : u"spool"_s);
        m_requests[last] = logged;
        // QHttpServer gets the head alone: without the body's length, which it would wait for.
        c->spoolHead.clear();
        for (const QByteArray &line : forwarded.split('\n')) {
            const QByteArray trimmed = line.trimmed();
            if (!trimmed.isEmpty() && !trimmed.toLower().startsWith("content-length:"))
                c->spoolHead += trimmed + "\r\n";
        }
    }
    if (expectContinue && contentLength > 0)
        c->client->write("HTTP/1.1 100 Continue\r\n\r\n");

    const int latency
        = controlRequest ? 0 : m_faults->takeLatencyMs(target.left(q < 0 ? target.size() : q));
    c->held = !controlRequest && m_faults->takeHoldRequest(path);
    if (c->held) {
        c->delayedHead = forwarded;
        c->delayedUntil = 0; // after releaseHeld(), the latency (if any) is not waited for again
        c->inState = Connection::In::Delayed;
    } else if (latency > 0) {
        c->delayedHead = forwarded;
        c->delayedUntil = nowMs() + latency;
        c->inState = Connection::In::Delayed;
    } else {
        if (!c->spoolName.isEmpty())
            c->spoolStamp = stampArrival();
        else
            c->upstream->write(forwarded + stampArrival());
        c->inState = contentLength > 0 ? Connection::In::Body : Connection::In::Head;
    }
    return true;
}

void HttpRelay::processClient(Connection *c)
{
    for (;;) {
        switch (c->inState) {
        case Connection::In::Closed:
            return;
        case Connection::In::Head:
            if (c->lastRequest)
                return; // anything after it is ignored; the answer closes the connection
            c->in += c->client->readAll();
            if (!parseRequestHead(c) && c->inState != Connection::In::Discard)
                return;
            break;
        case Connection::In::Discard: {
            qint64 dropped = std::min<qint64>(c->in.size(), c->bodyLeft);
            c->in.remove(0, dropped);
            while (c->bodyLeft > dropped) {
                const QByteArray junk
                    = c->client->read(std::min<qint64>(c->bodyLeft - dropped, 64 * 1024));
                if (junk.isEmpty())
                    break;
                dropped += junk.size();
            }
            c->bodyLeft -= dropped;
            if (dropped > 0)
                c->discardUntil = nowMs() + discardIdleMs;
            const qint64 idle = c->discardUntil - nowMs();
            if (c->bodyLeft > 0 && idle > 0) {
                c->wake->start(int(idle));
                return;
            }
            c->inState = Connection::In::Closed;
            c->client->disconnectFromHost();
            return;
        }
        case Connection::In::Delayed: {
            if (c->held)
                return; // until releaseHeld()
            const qint64 wait = c->delayedUntil - nowMs();
            if (wait > 0) {
                c->wake->start(int(wait));
                return;
            }
            if (!c->spoolName.isEmpty())
                c->spoolStamp = stampArrival();
            else
                c->upstream->write(c->delayedHead + stampArrival());
            c->delayedHead.clear();
            c->inState = c->bodyLeft > 0 ? Connection::In::Body : Connection::In::Head;
            break;
        }
        case Connection::In::Body: {
            if (c->spoolName.isEmpty() && c->upstream->bytesToWrite() > maxUpstreamBacklog)
                return; // resumed by the upstream's bytesWritten
            qint64 allowance = c->bodyLeft;
            const qint64 rate = m_faults->bandwidth();
            if (rate != c->bwRate) {
                c->bwRate = rate;
                c->bwStart = nowMs();
                c->bwSent = 0;
                c->bwThrottled = false;
                // Like the receive window (onNewConnection()), this relay reads ahead about
                // 100 ms of a capped link's bytes, not a megabyte.
                c->client->setReadBufferSize(rate > 0
                        ? std::clamp<qint64>(rate / 10, 16 * 1024, clientReadBuffer)
                        : clientReadBuffer);
            }
            if (rate > 0) {
                // A token bucket that holds 20 ms of bytes: time the connection spent idle
                // (between requests, or held by the latency fault) earns no burst, as on a
                // real link, which does not save up its bandwidth. Time spent waiting for the
                // bucket is not idle: a wake-up that comes late (a busy event loop) gets all
                // it earned, else the cap falls with the load.
                const qint64 burst = rate / 50;
                qint64 budget = (nowMs() - c->bwStart) * rate / 1000 + burst - c->bwSent;
                if (budget > burst && !c->bwThrottled) {
                    c->bwStart = nowMs();
                    c->bwSent = 0;
                    budget = burst;
                }
                if (budget <= 0) {
                    c->bwThrottled = true;
                    if (!c->wake->isActive())
                        c->wake->start(20);
                    return;
                }
                c->bwThrottled = false;
                allowance = std::min(allowance, budget);
            }
            if (c->dropAfter >= 0)
                allowance = std::min(allowance, c->dropAfter - c->bodySeen);
            QByteArray chunk;
            if (!c->in.isEmpty()) {
                chunk = c->in.left(allowance);
                c->in.remove(0, chunk.size());
            } else if (allowance > 0) {
                chunk = c->client->read(std::min<qint64>(allowance, spoolBlock));
            }
            if (!chunk.isEmpty() && !c->spoolName.isEmpty()) {
                if (!writeSpooled(c, chunk)) {
                    // Disk full or the like: the request fails here, before QHttpServer saw it.
                    c->pending.removeLast();
                    refuse(c, 500, "Internal Server Error", "M_UNKNOWN",
                        u"cannot store the request body: "_s
                            + (c->spool ? c->spool.get() : &c->direct->file)->errorString());
                    dropSpool(c);
                    return;
                }
                c->spoolHash.hash->addData(chunk.constData(), chunk.size());
            } else if (!chunk.isEmpty()) {
                c->upstream->write(chunk);
            }
            if (!chunk.isEmpty()) {
                c->bodySeen += chunk.size();
                c->bodyLeft -= chunk.size();
                c->bwSent += chunk.size();
                finishRecord(c, c->record, 0, false);
            }
            if (c->dropAfter >= 0 && c->bodySeen == c->dropAfter) {
                finishRecord(c, c->record, 0, true);
                destroy(c);
                return;
            }
            if (c->bodyLeft == 0) {
                if (!c->spoolName.isEmpty())
                    forwardSpooledHead(c);
                c->inState = Connection::In::Head;
                break;
            }
            if (chunk.isEmpty()) {
                if (rate > 0)
                    c->wake->start(20);
                return;
            }
            break;
        }
        }
    }
}

void HttpRelay::setSpoolDir(const QString &dir)
{
    m_spoolDir = dir;
    if (dir.isEmpty())
        return;
    // Bodies of requests that a stopped server never finished.
    QDir spool(dir);
    spool.removeRecursively();
    spool.mkpath(u"."_s);
}

bool HttpRelay::spools(const QByteArray &method, const QByteArray &path, qint64 contentLength) const
{
    if (m_spoolDir.isEmpty() || contentLength <= 0 || method == "HEAD")
        return false;
    return path.startsWith("/_upload/") || path == "/_matrix/media/v3/upload"
        || path.startsWith("/_matrix/media/v3/upload/")
        || path.startsWith("/_matrix/media/unstable/fi.mau.msc2246/upload/");
}

bool HttpRelay::openSpool(
    Connection *c, const QByteArray &method, const QByteArray &target, const QJsonObject &headers)
{
    const qsizetype q = target.indexOf('?');
    const QString name = QFileInfo(
        m_spoolDir + u"/body-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(++m_spoolSerial))
                             .absoluteFilePath();
    BodyPlan plan = m_bodyPlanner ? m_bodyPlanner(method, target.left(q < 0 ? target.size() : q),
                        q < 0 ? QByteArray() : target.mid(q + 1), headers)
                                  : BodyPlan {};
    if (!plan.direct || !plan.hash.hash) {
        auto file = std::make_unique<QFile>(name);
        // Unbuffered: the blocks go straight to the file, without a copy through QFile's buffer.
        if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
            qWarning("matrix-media-testserver: cannot spool a request body to %s: %s",
                qPrintable(file->fileName()), qPrintable(file->errorString()));
            return false; // the body goes through QHttpServer instead
        }
        c->spool = std::move(file);
        plan.direct.reset();
    }
    c->direct = std::move(plan.direct);
    c->spoolName = name;
    c->spoolHash = plan.hash.hash ? std::move(plan.hash)
                                  : ContinuedSha256 { std::make_shared<Sha256>(), 0, 0 };
    return true;
}

bool HttpRelay::writeSpooled(Connection *c, const QByteArray &bytes)
{
    if (c->spool)
        return c->spool->write(bytes) == bytes.size();
    // A revoked body cannot be stored any more (DirectBody): its bytes go nowhere.
    return c->direct->revoked || c->direct->file.write(bytes) == bytes.size();
}

void HttpRelay::dropSpool(Connection *c)
{
    if (c->spool)
        c->spool->remove();
    c->spool.reset();
    c->direct.reset(); // its bytes lie past what the record holds: nothing to undo
    c->spoolName.clear();
    c->spoolHash = {};
}

int HttpRelay::releaseHeld()
{
    QList<Connection *> held;
    for (Connection *c : std::as_const(m_connections)) {
        if (c->held)
            held.append(c);
    }
    for (Connection *c : std::as_const(held)) {
        c->held = false;
        if (m_connections.contains(c))
            processClient(c);
    }
    return int(held.size());
}

int HttpRelay::heldCount() const
{
    return int(std::count_if(
        m_connections.cbegin(), m_connections.cend(), [](const Connection *c) { return c->held; }));
}

bool HttpRelay::issuedSpoolFile(const QString &path) const
{
    const auto it
        = path.isEmpty() ? m_issued.cend() : m_issued.constFind(QFileInfo(path).absoluteFilePath());
    return it != m_issued.cend() && !it->direct;
}

ContinuedSha256 HttpRelay::bodyHash(const QString &path) const
{
    return path.isEmpty() ? ContinuedSha256 {}
                          : m_issued.value(QFileInfo(path).absoluteFilePath()).hash;
}

std::shared_ptr<DirectBody> HttpRelay::directBody(const QString &name, qint64 *size) const
{
    const auto it = m_issued.constFind(name);
    if (it == m_issued.cend() || !it->direct)
        return {};
    *size = it->size;
    return it->direct;
}

void HttpRelay::removeSpoolFile(const QString &path)
{
    if (path.isEmpty())
        return;
    m_issued.remove(QFileInfo(path).absoluteFilePath());
    QFile::remove(path); // gone already if the handler moved it into place
}

void HttpRelay::forwardSpooledHead(Connection *c)
{
    m_issued.insert(c->spoolName, { c->spoolHash, c->direct, c->bodySeen });
    QByteArray head = c->spoolHead + "Content-Length: 0\r\n"
        + (c->direct ? bodyDirectHeader : bodyFileHeader) + ": " + QFile::encodeName(c->spoolName)
        + "\r\n";
    if (c->spoolHash.from == 0)
        head += bodySha256Header + ": "_ba + c->spoolHash.hash->hexSoFar() + "\r\n";
    c->upstream->write(head + c->spoolStamp);
    if (c->spool)
        c->spool->close();
    c->spool.reset();
    c->direct.reset(); // the handler takes it from m_issued
    c->spoolName.clear();
    c->spoolHash = {};
    c->spoolHead.clear();
    c->spoolStamp.clear();
}

void HttpRelay::processUpstream(Connection *c)
{
    c->out += c->upstream->readAll();
    auto toClient = [c](const QByteArray &bytes) {
        if (c->clientGone || c->muted)
            return;
        if (c->cutLeft < 0) {
            c->client->write(bytes);
            return;
        }
        const QByteArray part = bytes.left(c->cutLeft);
        c->client->write(part);
        c->cutLeft -= part.size();
    };
    // cut_after_bytes: once its bytes are out, the connection ends (after they are flushed).
    auto cutNow = [this, c] {
        if (c->cutLeft != 0)
            return false;
        c->cutLeft = -1;
        finishRecord(c, c->cutRecord, 0, true);
        c->muted = true;
        c->inState = Connection::In::Closed;
        c->client->disconnectFromHost();
        return true;
    };
    for (;;) {
        switch (c->outState) {
        case Connection::Out::Head: {
            const qsizetype end = c->out.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = c->out.left(end + 4);
            c->out.remove(0, end + 4);
            const QList<QByteArray> lines = head.split('\n');
            const QList<QByteArray> status = lines.first().split(' ');
            const int code = status.size() > 1 ? status[1].toInt() : 0;
            qint64 length = -1;
            for (const QByteArray &line : lines) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            const Connection::Pending p = c->pending.isEmpty()
                ? Connection::Pending { -1, false, false }
                : c->pending.takeFirst();
            removeSpoolFile(p.spoolFile);
            if (p.dropAnswer) {
                // The server did the work; the client never hears of it (a lost answer).
                finishRecord(c, p.record, code, true);
                destroy(c);
                return;
            }
            if (p.holdAnswer) {
                // The server did the work; the client waits for an answer that never comes,
                // until its own timeout closes the connection.
                c->muted = true;
                finishRecord(c, p.record, code, true);
            } else if (p.record >= 0) {
                finishRecord(c, p.record, code, false);
            }
            // Per answer: one shorter than cut_after_bytes went out whole, and the next is not cut.
            c->cutLeft = p.cutAfter;
            c->cutRecord = p.record;
            toClient(head);
            if (cutNow())
                return;
            c->respStrip = p.head;
            c->respClose = p.close;
            if (length < 0) {
                c->outState = Connection::Out::Raw;
            } else if (length > 0) {
                c->respLeft = length;
                c->outState = Connection::Out::Body;
            } else if (c->clientGone && c->pending.isEmpty()) {
                closeConnection(c);
                return;
            } else if (c->respClose) {
                closeAfterAnswer(c);
                return;
            }
            break;
        }
        case Connection::Out::Body: {
            if (c->out.isEmpty())
                return;
            const QByteArray part = c->out.left(c->respLeft);
            c->out.remove(0, part.size());
            c->respLeft -= part.size();
            // QHttpServer 6.4 writes a body after HEAD answers; a client must never see it.
            if (!c->respStrip)
                toClient(part);
            if (cutNow())
                return;
            if (c->respLeft == 0) {
                c->outState = Connection::Out::Head;
                if (c->clientGone && c->pending.isEmpty()) {
                    closeConnection(c);
                    return;
                }
                if (c->respClose) {
                    closeAfterAnswer(c);
                    return;
                }
            }
            break;
        }
        case Connection::Out::Raw:
            toClient(c->out);
            c->out.clear();
            cutNow();
            return;
        }
    }
}

void HttpRelay::refuse(Connection *c, int status, const QByteArray &reason,
    const QByteArray &errcode, const QString &message, bool close)
{
    const QByteArray body
        = "{\"errcode\":\"" + errcode + "\",\"error\":\"" + message.toUtf8() + "\"}";
    c->client->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body);
    finishRecord(c, c->record, status, false);
    c->inState = Connection::In::Closed;
    if (close)
        c->client->disconnectFromHost();
}

void HttpRelay::onUpstreamGone(Connection *c)
{
    c->inState = Connection::In::Closed;
    if (c->clientGone || c->client->state() == QAbstractSocket::UnconnectedState) {
        destroy(c);
        return;
    }
    // Let the client's socket flush what QHttpServer sent; its disconnected() cleans up.
    c->client->disconnectFromHost();
}

void HttpRelay::closeAfterAnswer(Connection *c)
{
    // QHttpServer 6.4 keeps the connection open after the answer to "Connection: close" or to
    // an HTTP/1.0 request; a client that reads to the end of the connection would hang.
    c->inState = Connection::In::Closed;
    if (!c->clientGone)
        c->client->disconnectFromHost();
}

void HttpRelay::closeConnection(Connection *c)
{
    const bool clientClosed
        = c->clientGone || c->client->state() == QAbstractSocket::UnconnectedState;
    const bool upstreamOpen = c->upstream->state() != QAbstractSocket::UnconnectedState;
    if (clientClosed && !c->pending.isEmpty() && upstreamOpen) {
        // Answers still due from QHttpServer: let them arrive (and be thrown away) rather than
        // close the socket a deferred responder writes to.
        if (!c->orphaned) {
            c->orphaned = true;
            c->wake->disconnect();
            connect(c->wake, &QTimer::timeout, this, [this, c] { destroy(c); });
            c->wake->start(orphanGraceMs);
        }
        return;
    }
    if (!clientClosed && upstreamOpen)
        return;
    destroy(c);
}

void HttpRelay::destroy(Connection *c)
{
    m_connections.removeOne(c);
    // A body cut short never reaches QHttpServer; answers no one waits for leave no files.
    dropSpool(c);
    for (const Connection::Pending &p : std::as_const(c->pending))
        removeSpoolFile(p.spoolFile);
    for (QObject *o : { static_cast<QObject *>(c->client), static_cast<QObject *>(c->upstream),
             static_cast<QObject *>(c->wake) })
        o->disconnect(this);
    c->wake->stop();
    c->client->abort();
    c->upstream->abort();
    c->client->deleteLater();
    c->upstream->deleteLater();
    c->wake->deleteLater();
    delete c;
}

} // namespace MatrixUpload
