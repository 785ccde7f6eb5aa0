// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Hostile servers (issue 14): answers that never end, headers without end, answers that trickle
// in a byte at a time, redirect loops, and upload URLs that point at file:, data: or a
// link-local address. Each ends the call or the job with a clear error, in bounded time, having
// read a bounded number of bytes. Over real loopback sockets: a scripted peer plays the server.
#include "../shared/apicalls.h"
#include "../shared/programrun.h"
#include "../shared/uploadbench.h"

#include <matrixupload/transfer/bodysource_p.h>
#include <matrixupload/transfer/transfer_p.h>

#include <QHostInfo>
#include <QJsonDocument>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

namespace {

//! A server over loopback sockets whose answers a test scripts, by path prefix. It reads each
//! request head (and a body of Content-Length bytes) and hands the socket to the script, which
//! may write anything, forever (endless()) or a byte at a time (trickle()).
class HostilePeer final : public QObject
{
public:
    using Script = std::function<void(QTcpSocket *, const QByteArray &path)>;

    HostilePeer() { m_server.listen(QHostAddress::LocalHost, 0); }

    QUrl baseUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    //! Answers requests whose path starts with \a prefix with \a script (the first match wins);
    //! anything else gets 404 M_UNRECOGNIZED.
    void on(const QByteArray &prefix, Script script) { m_routes.append({ prefix, script }); }

    //! Requests seen whose path starts with \a prefix.
    int requests(const QByteArray &prefix) const
    {
        return int(std::count_if(m_paths.begin(), m_paths.end(),
            [&](const QByteArray &p) { return p.startsWith(prefix); }));
    }

    //! Bytes the client took from this peer (written to the socket and gone from its buffer).
    qint64 bytesTaken() const { return m_taken; }

    //! TCP connections the client opened to this peer.
    int connections() const { return m_connections; }

    //! The heads of the requests seen (request line and header fields), in order.
    const QList<QByteArray> &heads() const { return m_heads; }

    //! Writes \a head, then \a unit again and again for as long as the client reads, up to a
    //! safety stop of 256 MiB (a client without a bound would read that far, and then hang).
    void endless(QTcpSocket *socket, const QByteArray &head, const QByteArray &unit)
    {
        socket->write(head);
        auto refill = [this, socket, unit] {
            while (socket->bytesToWrite() < 256 * 1024 && m_taken < 256 * 1024 * 1024)
                socket->write(unit.repeated(std::max<qsizetype>(1, 64 * 1024 / unit.size())));
        };
        connect(socket, &QTcpSocket::bytesWritten, socket, refill);
        refill();
    }

    //! Writes \a head at once, then \a rest one byte every \a intervalMs.
    static void trickle(
        QTcpSocket *socket, const QByteArray &head, const QByteArray &rest, int intervalMs)
    {
        socket->write(head);
        auto *timer = new QTimer(socket);
        auto left = std::make_shared<QByteArray>(rest);
        connect(timer, &QTimer::timeout, socket, [socket, timer, left] {
            if (left->isEmpty())
                return timer->stop();
            socket->write(left->left(1));
            left->remove(0, 1);
        });
        timer->start(intervalMs);
    }

    static QByteArray answer(int status, const QByteArray &body,
        const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n";
        for (const auto &[name, value] : headers)
            out += name + ": " + value + "\r\n";
        return out + "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    //! What /versions answers: v1.11 (MSC2246 create, authenticated media).
    static QByteArray versions()
    {
        return answer(200, R"({"versions":["v1.11"],"unstable_features":{}})");
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            socket->setParent(this);
            // A fixed send buffer: what the kernel holds on this side does not grow with the
            // host's settings (tcp_wmem), so the bound below holds on any host.
            socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 256 * 1024);
            connect(socket, &QTcpSocket::bytesWritten, this, [this](qint64 n) { m_taken += n; });
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                *buffer += socket->readAll();
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                qint64 length = 0;
                for (const QByteArray &line : lines) {
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                }
                if (buffer->size() < end + 4 + length)
                    return;
                QByteArray path = lines.first().split(' ').value(1);
                path = path.left(path.indexOf('?') < 0 ? path.size() : path.indexOf('?'));
                m_heads.append(buffer->left(end));
                buffer->remove(0, end + 4 + length);
                m_paths.append(path);
                for (const auto &[prefix, script] : std::as_const(m_routes)) {
                    if (path.startsWith(prefix))
                        return script(socket, path);
                }
                socket->write(answer(404, R"({"errcode":"M_UNRECOGNIZED","error":"no"})"));
            });
        }
    }

    QTcpServer m_server;
    QList<std::pair<QByteArray, Script>> m_routes;
    QList<QByteArray> m_paths;
    QList<QByteArray> m_heads;
    qint64 m_taken = 0;
    int m_connections = 0;
    bool m_connected = [this] {
        connect(&m_server, &QTcpServer::newConnection, this, &HostilePeer::accept);
        return true;
    }();
};

//! The error a call ended with; fails the test when it does not end within \a ms.
template<class T> std::optional<MatrixError> errorOf(ApiCall<T> *call, int ms = 20000)
{
    QSignalSpy finished(call, &ApiCallBase::finished);
    if (!call->isFinished() && !finished.wait(ms))
        return std::nullopt;
    if (call->result())
        return MatrixError::local(u"(no error: the call succeeded)"_s);
    return call->result().error();
}

//! Peak resident memory of this process so far (VmHWM), in bytes.
qint64 peakRss()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

//! What a bounded read may take: the 4 MiB limit, plus what one pass of libcurl reads before
//! the limit sees it and what the kernel's socket buffers on loopback hold when the client
//! closes (the peer's send buffer is fixed at 256 KiB; the client's receive window, a few MB).
//! Without the limit the peer writes on to its 256 MiB safety stop; with QtNetwork (before issue 14
//! moved API calls to libcurl) an endless chunked answer took 38-74 MB before the inactivity
//! timeout ended it.
constexpr qint64 bounded = 16 * 1024 * 1024;
const QByteArray createPath = "/_matrix/media/v1/create";
const QByteArray downloadPath = "/_matrix/client/v1/media/download/";

} // namespace

class tst_HostileServers : public QObject, public UploadBench
{
    Q_OBJECT

    std::unique_ptr<HostilePeer> m_peer;
    // A manager per test: what one hostile answer leaves in Qt's HTTP thread stays there.
    std::unique_ptr<QNetworkAccessManager> m_peerNam;
    std::unique_ptr<MediaApi> m_peerApi;

    //! A MediaApi talking to the scripted peer, with a 1 s inactivity timeout (so an answer
    //! has 2 s from the last byte sent).
    MediaApi *peerApi()
    {
        m_peerNam = std::make_unique<QNetworkAccessManager>();
        m_peerApi = std::make_unique<MediaApi>(m_peerNam.get());
        m_peerApi->setHomeserver(m_peer->baseUrl());
        m_peerApi->setAccessToken(u"TOKEN"_s);
        m_peerApi->setTransferTimeout(1000);
        m_peer->on("/_matrix/client/versions",
            [](QTcpSocket *s, const QByteArray &) { s->write(HostilePeer::versions()); });
        return m_peerApi.get();
    }

    //! An upload-URL transfer of \a size bytes to the peer, run to its end.
    std::optional<TransferOutcome> runTransfer(const QString &protocol, qint64 size)
    {
        QNetworkAccessManager *nam = uploadUrlNetworkManager(this);
        TransferTarget target;
        target.source = BodySource::fromData(content(size));
        target.size = size;
        target.url = m_peer->baseUrl().resolved(QUrl(u"/_upload/x?sig=secret"_s));
        target.inactivityTimeoutMs = 1000;
        std::unique_ptr<Transfer> transfer = makeTransfer(protocol, nam, target, this);
        QSignalSpy finished(transfer.get(), &Transfer::finished);
        transfer->start();
        if (finished.isEmpty() && !finished.wait(20000))
            return std::nullopt;
        return finished.first().first().value<TransferOutcome>();
    }

    //! The homeserver hands out upload URLs on \a uploadUrlBase, which the job must refuse
    //! (\a reason is in its fallback reason): it sends nothing there and uploads the file
    //! through the homeserver onto the same content URI.
    void uploadGoesThroughTheHomeserver(const QUrl &uploadUrlBase, const QString &reason)
    {
        MediaTestServerConfig config;
        config.uploadUrlBase = uploadUrlBase;
        startServer(config);
        const QByteArray bytes = content(3000);
        UploadContext context;
        context.api = m_api.get();
        UploadJob job(writeFile(u"a.bin"_s, bytes), context, options());
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), UploadJob::State::Completed);
        QCOMPARE(job.route(), UploadJob::Route::ContentUri);
        QVERIFY2(job.fallbackReason().contains(reason), qPrintable(job.fallbackReason()));
        QVERIFY(requestsTo(u"/_upload/"_s).isEmpty());
        const QJsonObject info = m_server->mediaInfo(job.contentUri());
        QCOMPARE(info.value(u"state"_s).toString(), u"complete"_s);
    }

private Q_SLOTS:
    void init() { m_peer = std::make_unique<HostilePeer>(); }
    void cleanup()
    {
        m_peerApi.reset();
        m_peerNam.reset();
        m_peer.reset();
        finishUploadTest(nullptr);
    }

    // --- answers that never end -------------------------------------------------------------

    void endlessAnswerBody_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("unit");
        QTest::addColumn<QString>("why");
        const QByteArray a(4096, 'a');
        // No Content-Length: the body lasts until the connection closes, which it never does.
        const QByteArray create = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                                  "{\"content_uri\":\"";
        QTest::addRow("create answer") << create << a << u"larger than"_s;
        const QByteArray error
            = "HTTP/1.1 502 Bad Gateway\r\n\r\n{\"errcode\":\"M_UNKNOWN\",\"error\":\"";
        QTest::addRow("error answer") << error << a << u"larger than"_s;
        // Well-formed chunks, one after another, never the last. Qt 6.4's HTTP thread took
        // them in without reporting any progress until its inactivity timeout; libcurl reports
        // every piece, so the size cap ends the call after 4 MiB.
        const QByteArray chunked
            = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";
        QTest::addRow("chunked") << chunked << QByteArray("1000\r\n" + a + "\r\n")
                                 << u"larger than"_s;
    }
    void endlessAnswerBody()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, unit);
        QFETCH(QString, why);
        const qint64 rssBefore = peakRss();
        MediaApi *api = peerApi();
        m_peer->on(createPath, [this, head, unit](QTcpSocket *s, const QByteArray &) {
            m_peer->endless(s, head, unit);
        });
        const auto error = errorOf(api->createContent());
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->message().contains(QRegularExpression(why)), qPrintable(error->toString()));
        qInfo() << "the peer wrote" << m_peer->bytesTaken() << "bytes; peak RSS grew by"
                << peakRss() - rssBefore << "ended with:" << error->message();
        QVERIFY2(m_peer->bytesTaken() < bounded,
            qPrintable(u"read %1 bytes"_s.arg(m_peer->bytesTaken())));
    }

    void announcedHugeAnswer()
    {
        // Content-Length alone says it: the call ends before a byte of the body came.
        MediaApi *api = peerApi();
        m_peer->on(createPath, [](QTcpSocket *s, const QByteArray &) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n{");
        });
        const auto error = errorOf(api->createContent());
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->message().contains(u"larger than"_s), qPrintable(error->toString()));
    }

    void endlessDownloadErrorBody_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("unit");
        const QByteArray e(4096, 'e');
        QTest::addRow("until closed") << QByteArray("HTTP/1.1 404 Not Found\r\n\r\n") << e;
        // Before issue 14 moved downloads to libcurl, only the inactivity timeout ended this.
        QTest::addRow("chunked") << QByteArray(
            "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << QByteArray("1000\r\n" + e + "\r\n");
    }
    void endlessDownloadErrorBody()
    {
        // A download's content may be large; its error body may not.
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, unit);
        MediaApi *api = peerApi();
        m_peer->on(downloadPath, [this, head, unit](QTcpSocket *s, const QByteArray &) {
            m_peer->endless(s, head, unit);
        });
        const auto error
            = errorOf(api->downloadContent(*MxcUri::parse(u"mxc://localhost/abc"_s), {}));
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->message().contains(u"larger than"_s), qPrintable(error->toString()));
        qInfo() << "the peer wrote" << m_peer->bytesTaken() << "bytes";
        QVERIFY2(m_peer->bytesTaken() < bounded,
            qPrintable(u"read %1 bytes"_s.arg(m_peer->bytesTaken())));
    }

    void endlessDownloadContent_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("unit");
        const QByteArray c(4096, 'c');
        QTest::addRow("until closed") << QByteArray("HTTP/1.1 200 OK\r\n\r\n") << c;
        QTest::addRow("chunked") << QByteArray(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << QByteArray("1000\r\n" + c + "\r\n");
    }
    void endlessDownloadContent()
    {
        // A content that goes on and on: a caller that knows the size (a job verifying its
        // upload, or checking what the server holds) reads no more than that.
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, unit);
        MediaApi *api = peerApi();
        m_peer->on(downloadPath, [this, head, unit](QTcpSocket *s, const QByteArray &) {
            m_peer->endless(s, head, unit);
        });
        DownloadOptions options;
        options.maxBytes = 1024 * 1024;
        auto *call = api->downloadContent(*MxcUri::parse(u"mxc://localhost/abc"_s), options);
        QSignalSpy finished(call, &ApiCallBase::finished);
        QVERIFY(call->isFinished() || finished.wait(20000));
        if (!call->result())
            QFAIL(qPrintable(call->result().error().toString()));
        QVERIFY(call->result()->longer);
        QVERIFY(call->result()->size <= options.maxBytes);
        QCOMPARE(call->result()->data.size(), call->result()->size);
        qInfo() << "the peer wrote" << m_peer->bytesTaken() << "bytes";
        QVERIFY2(m_peer->bytesTaken() < bounded,
            qPrintable(u"read %1 bytes"_s.arg(m_peer->bytesTaken())));
    }

    void downloadRedirectToAnotherOrigin()
    {
        // The homeserver sends the download to a second server (a CDN): the content arrives,
        // and the token never does (protocol.md 8).
        HostilePeer cdn;
        const QByteArray content(3000, 'c');
        cdn.on("/cdn/", [content](QTcpSocket *s, const QByteArray &) {
            s->write(HostilePeer::answer(200, content));
        });
        MediaApi *api = peerApi();
        const QByteArray target = cdn.baseUrl().resolved(QUrl(u"/cdn/abc"_s)).toEncoded();
        m_peer->on(downloadPath, [target](QTcpSocket *s, const QByteArray &) {
            s->write(HostilePeer::answer(307, {}, { { "Location", target } }));
        });
        auto *call = api->downloadContent(*MxcUri::parse(u"mxc://localhost/abc"_s), {});
        QSignalSpy finished(call, &ApiCallBase::finished);
        QVERIFY(finished.wait(20000));
        VERIFY_OK(call->result());
        QCOMPARE(call->result()->data, content);
        QVERIFY(call->result()->redirected);
        QCOMPARE(cdn.heads().size(), 1);
        QVERIFY(m_peer->heads().last().contains("Authorization: Bearer TOKEN"));
        QVERIFY2(!cdn.heads().first().toLower().contains("authorization"),
            cdn.heads().first().constData());
        QVERIFY(!cdn.heads().first().contains("TOKEN"));
    }

    void apiCallsShareOneConnection()
    {
        // Many small files make many small calls: each must not cost a new TCP connection.
        MediaApi *api = peerApi();
        m_peer->on(createPath, [](QTcpSocket *s, const QByteArray &) {
            s->write(HostilePeer::answer(200, "{\"content_uri\":\"mxc://localhost/abc\"}"));
        });
        for (int i = 0; i < 10; ++i) {
            auto *call = api->createContent();
            QSignalSpy finished(call, &ApiCallBase::finished);
            QVERIFY(finished.wait(20000));
            VERIFY_OK(call->result());
        }
        QCOMPARE(m_peer->requests(createPath), 10);
        QCOMPARE(m_peer->connections(), 1);
    }

    void downloadCutShort()
    {
        // The connection closes after half of the announced body (a server restarting, a proxy
        // timing out): the download is a dropped connection, retried, never a shorter file.
        MediaApi *api = peerApi();
        m_peer->on(downloadPath, [](QTcpSocket *s, const QByteArray &) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Length: 10000\r\n\r\n"
                + QByteArray(5000, 'd'));
            s->disconnectFromHost();
        });
        const auto error
            = errorOf(api->downloadContent(*MxcUri::parse(u"mxc://localhost/abc"_s), {}));
        QVERIFY2(error, "a download cut short was taken as the whole content");
        QVERIFY2(error->kind() == MatrixError::Kind::Transport, qPrintable(error->toString()));
        QVERIFY(error->isRetryable());
    }

    void endlessUploadHostAnswer_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("unit");
        const QByteArray u(4096, 'u');
        QTest::addRow("until closed") << QByteArray("HTTP/1.1 200 OK\r\n\r\n") << u;
        // Chunked: QtNetwork 6.4 reports no progress for it (docs/architecture.md, "Hostile
        // servers"); the upload-URL transport does, so the size limit ends it too.
        QTest::addRow("chunked") << QByteArray(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << QByteArray("1000\r\n" + u + "\r\n");
    }
    void endlessUploadHostAnswer()
    {
        // The upload host takes the bytes and answers without end: the transfer gives the host
        // up (Gone: the job goes to the homeserver) after a bounded read.
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, unit);
        m_peer->on("/_upload/", [this, head, unit](QTcpSocket *s, const QByteArray &) {
            m_peer->endless(s, head, unit);
        });
        const auto outcome = runTransfer(u"put"_s, 1000);
        QVERIFY2(outcome, "the transfer never ended");
        QCOMPARE(outcome->kind, TransferOutcome::Kind::Gone);
        QVERIFY2(outcome->message.contains(u"larger than"_s), qPrintable(outcome->message));
        // The 4 MiB limit plus what loopback's socket buffers hold: not the tens of MB that
        // QtNetwork's HTTP thread reads ahead.
        QVERIFY2(m_peer->bytesTaken() < 16 * 1024 * 1024,
            qPrintable(u"read %1 bytes"_s.arg(m_peer->bytesTaken())));
    }

    void endlessHeaders()
    {
        // Header lines without end: Qt's header parser or the answer deadline ends it.
        MediaApi *api = peerApi();
        m_peer->on(createPath, [this](QTcpSocket *s, const QByteArray &) {
            m_peer->endless(
                s, "HTTP/1.1 200 OK\r\n", "X-Filler: " + QByteArray(1000, 'h') + "\r\n");
        });
        const auto error = errorOf(api->createContent());
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->kind() != MatrixError::Kind::Local, qPrintable(error->toString()));
        QVERIFY2(m_peer->bytesTaken() < bounded,
            qPrintable(u"read %1 bytes"_s.arg(m_peer->bytesTaken())));
    }

    void oneHugeHeader()
    {
        MediaApi *api = peerApi();
        m_peer->on(createPath, [this](QTcpSocket *s, const QByteArray &) {
            m_peer->endless(s, "HTTP/1.1 200 OK\r\nX-Huge: ", QByteArray(4096, 'h'));
        });
        const auto error = errorOf(api->createContent());
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->kind() != MatrixError::Kind::Local, qPrintable(error->toString()));
        QVERIFY(m_peer->bytesTaken() < bounded);
    }

    // --- answers that trickle ----------------------------------------------------------------

    void slowloris_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("rest");
        QTest::addColumn<QString>("why");
        const QByteArray body = R"({"content_uri":"mxc://localhost/abcdefghijklmnopqrstuvwxyz"})";
        QTest::addRow("body") << QByteArray(
            "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n")
                              << body << u"did not arrive within"_s;
        // Header bytes count as no progress for Qt: its inactivity timeout ends this one.
        QTest::addRow("head") << QByteArray("HTTP/1.1 200 OK\r\n")
                              << QByteArray("X-One: " + QByteArray(200, 'x') + "\r\n\r\n")
                              << u"inactivity timeout"_s;
    }
    void slowloris()
    {
        // One byte every 100 ms: for a body the 1 s inactivity timeout never trips, the answer
        // deadline (two inactivity timeouts after the request went out) does.
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, rest);
        QFETCH(QString, why);
        MediaApi *api = peerApi();
        m_peer->on(createPath, [head, rest](QTcpSocket *s, const QByteArray &) {
            HostilePeer::trickle(s, head, rest, 100);
        });
        const auto error = errorOf(api->createContent());
        QVERIFY2(error, "the call never ended");
        QCOMPARE(error->kind(), MatrixError::Kind::Transport);
        QCOMPARE(error->networkError(), QNetworkReply::TimeoutError);
        QVERIFY2(error->message().contains(why), qPrintable(error->toString()));
        QVERIFY(error->isRetryable()); // like a stall
    }

    void slowlorisUploadHost()
    {
        m_peer->on("/_upload/", [](QTcpSocket *s, const QByteArray &) {
            HostilePeer::trickle(
                s, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", QByteArray(500, 'x'), 100);
        });
        const auto outcome = runTransfer(u"put"_s, 1000);
        QVERIFY2(outcome, "the transfer never ended");
        QCOMPARE(outcome->kind, TransferOutcome::Kind::Retry);
        QCOMPARE(outcome->networkError, QNetworkReply::TimeoutError);
        QVERIFY2(
            outcome->message.contains(u"did not arrive within"_s), qPrintable(outcome->message));
    }

    // --- redirect loops -----------------------------------------------------------------------

    void apiRedirectLoop()
    {
        // API calls are never redirected: the token would follow.
        MediaApi *api = peerApi();
        m_peer->on(createPath, [](QTcpSocket *s, const QByteArray &path) {
            s->write(HostilePeer::answer(302, {}, { { "Location", path } }));
        });
        const auto error = errorOf(api->createContent());
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->message().contains(u"redirect"_s), qPrintable(error->toString()));
        QCOMPARE(m_peer->requests(createPath), 1);
    }

    void downloadRedirectLoop()
    {
        MediaApi *api = peerApi();
        m_peer->on(downloadPath, [](QTcpSocket *s, const QByteArray &path) {
            s->write(HostilePeer::answer(307, {}, { { "Location", path } }));
        });
        const auto error
            = errorOf(api->downloadContent(*MxcUri::parse(u"mxc://localhost/abc"_s), {}));
        QVERIFY2(error, "the call never ended");
        QVERIFY2(error->message().contains(u"too many redirects"_s), qPrintable(error->toString()));
        QCOMPARE(m_peer->requests(downloadPath), 6); // the first and five redirects
    }

    void discoveryRedirectLoop()
    {
        // .well-known is followed (safely); a loop ends with an error, not a hang.
        m_peer->on("/.well-known/matrix/client", [](QTcpSocket *s, const QByteArray &path) {
            s->write(HostilePeer::answer(302, {}, { { "Location", path } }));
        });
        m_peer->on("/_matrix/client/versions", [](QTcpSocket *s, const QByteArray &path) {
            s->write(HostilePeer::answer(302, {}, { { "Location", path } }));
        });
        QNetworkAccessManager nam;
        MediaApi api(&nam);
        api.setTransferTimeout(1000);
        const auto error = errorOf(api.discover(m_peer->baseUrl().toString()));
        QVERIFY2(error, "discovery never ended");
        QVERIFY2(!error->message().contains(u"no error"_s), "discovery succeeded");
        QVERIFY(m_peer->requests("/") < 120);
    }

    void discoveryFollowsARedirect()
    {
        // .well-known is often served by a web server that redirects (example.org to
        // www.example.org): libcurl follows it there, without the cookies of the first host.
        HostilePeer www;
        const QByteArray base = m_peer->baseUrl().toEncoded();
        www.on("/.well-known/matrix/client", [base](QTcpSocket *s, const QByteArray &) {
            s->write(
                HostilePeer::answer(200, "{\"m.homeserver\":{\"base_url\":\"" + base + "\"}}"));
        });
        const QByteArray target
            = www.baseUrl().resolved(QUrl(u"/.well-known/matrix/client"_s)).toEncoded();
        m_peer->on("/.well-known/matrix/client", [target](QTcpSocket *s, const QByteArray &) {
            s->write(HostilePeer::answer(302, {}, { { "Location", target } }));
        });
        m_peer->on("/_matrix/client/versions",
            [](QTcpSocket *s, const QByteArray &) { s->write(HostilePeer::versions()); });
        QNetworkAccessManager nam;
        QNetworkCookie cookie("session", "homeserver-cookie");
        cookie.setPath(u"/"_s);
        QVERIFY(nam.cookieJar()->setCookiesFromUrl({ cookie }, m_peer->baseUrl()));
        MediaApi api(&nam);
        api.setTransferTimeout(1000);
        auto *call = api.discover(m_peer->baseUrl().toString());
        QSignalSpy finished(call, &ApiCallBase::finished);
        QVERIFY(finished.wait(20000));
        VERIFY_OK(call->result());
        QCOMPARE(call->result()->baseUrl, m_peer->baseUrl());
        QVERIFY(call->result()->fromWellKnown);
        QCOMPARE(www.requests("/.well-known/matrix/client"), 1);
        QVERIFY(!www.heads().first().contains("homeserver-cookie"));
    }

    void uploadHostRedirect()
    {
        // An upload URL is a capability: its redirects are not followed (protocol.md 4.1).
        m_peer->on("/_upload/", [](QTcpSocket *s, const QByteArray &path) {
            s->write(HostilePeer::answer(307, {}, { { "Location", path } }));
        });
        const auto outcome = runTransfer(u"put"_s, 1000);
        QVERIFY2(outcome, "the transfer never ended");
        QCOMPARE(outcome->kind, TransferOutcome::Kind::Gone);
        QCOMPARE(outcome->httpStatus, 307);
        QCOMPARE(m_peer->requests("/_upload/"), 1);
    }

    // --- upload URLs that lead elsewhere ------------------------------------------------------

    void refusedUploadUrl_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("reason");
        QTest::addRow("file") << u"file:"_s << u"scheme \"file\""_s;
        QTest::addRow("file with a host") << u"file://localhost"_s << u"scheme \"file\""_s;
        QTest::addRow("data") << u"data:"_s << u"scheme \"data\""_s;
        QTest::addRow("cloud metadata") << u"http://169.254.169.254"_s << u"link-local"_s;
        QTest::addRow("cloud metadata, https") << u"https://169.254.169.254"_s << u"link-local"_s;
        QTest::addRow("IPv6 link-local") << u"http://[fe80::1]"_s << u"link-local"_s;
        QTest::addRow("IPv4-mapped") << u"http://[::ffff:169.254.169.254]"_s << u"link-local"_s;
    }
    void refusedUploadUrl()
    {
        // The homeserver hands out an upload URL that leads to a local file, inline data or the
        // cloud metadata service: the job sends nothing there, says why, and uploads the file
        // through the homeserver onto the same content URI.
        QFETCH(QString, base);
        QFETCH(QString, reason);
        uploadGoesThroughTheHomeserver(QUrl(base), reason);
    }

    void linkLocalNotAcceptedForDevelopment()
    {
        // A plain-http homeserver on loopback may hand out http upload URLs on private
        // addresses (the test server), but never a link-local one.
        QVERIFY(checkUploadUrl(QUrl(u"http://192.168.1.5/u"_s), QUrl(u"http://127.0.0.1:8008"_s))
                    .isEmpty());
        QVERIFY(!checkUploadUrl(QUrl(u"http://169.254.1.1/u"_s), QUrl(u"http://169.254.1.2:8008"_s))
                     .isEmpty());
    }

    void linkLocalAmongResolvedAddresses()
    {
        // What a host name resolves to: refused when any address is link-local, in any form.
        const auto check = [](const QStringList &addresses) {
            QList<QHostAddress> list;
            for (const QString &a : addresses)
                list.append(QHostAddress(a));
            return checkUploadHostAddresses(u"uploads.example.org"_s, list);
        };
        QVERIFY(check({ u"127.0.0.1"_s }).isEmpty());
        QVERIFY(check({ u"93.184.216.34"_s, u"2606:2800:220:1::1"_s }).isEmpty());
        QVERIFY(check({}).isEmpty()); // a failed look-up is the transfer's to report
        const QString why = check({ u"93.184.216.34"_s, u"169.254.169.254"_s });
        QVERIFY2(why.contains(u"uploads.example.org"_s) && why.contains(u"169.254.169.254"_s)
                && why.contains(u"link-local"_s),
            qPrintable(why));
        QVERIFY(!check({ u"fe80::1"_s }).isEmpty());
        QVERIFY(!check({ u"::ffff:169.254.169.254"_s }).isEmpty());
    }

    void uploadHostNameLeadingToLinkLocal()
    {
        // The upload URL names a host that DNS (here /etc/hosts) resolves to the cloud metadata
        // address: the job looks the name up, sends nothing there and uploads through the
        // homeserver. /etc/hosts is replaced in a private mount namespace (unshare), so the test
        // runs this function again in a child process inside one.
        if (qEnvironmentVariableIsEmpty("MU_TEST_IN_HOSTS_NAMESPACE")) {
            QTemporaryDir dir;
            QVERIFY(dir.isValid());
            QFile hosts(dir.filePath(u"hosts"_s));
            QVERIFY(hosts.open(QIODevice::WriteOnly));
            hosts.write("127.0.0.1 localhost\n169.254.169.254 metadata.test\n");
            hosts.close();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"MU_TEST_IN_HOSTS_NAMESPACE"_s, u"1"_s);
            const ProgramRun child = runProgram(u"unshare"_s,
                { u"--mount"_s, u"--map-root-user"_s, u"sh"_s, u"-c"_s,
                    u"mount --bind \"$1\" /etc/hosts && exec \"$2\" \"$3\""_s, u"sh"_s,
                    hosts.fileName(), QCoreApplication::applicationFilePath(),
                    QString::fromLatin1(QTest::currentTestFunction()) },
                env, 120000, QProcess::MergedChannels);
            QVERIFY2(child.finished, "the child run did not end");
            const QByteArray &output = child.out;
            QVERIFY2(child.exitedWith(0), output.constData());
            // The child ran the checks below (a Qt Test run that passed this function).
            QVERIFY2(
                output.contains("PASS   : tst_HostileServers::uploadHostNameLeadingToLinkLocal"),
                output.constData());
            return;
        }
        const QList<QHostAddress> resolved = QHostInfo::fromName(u"metadata.test"_s).addresses();
        QVERIFY2(resolved.contains(QHostAddress(u"169.254.169.254"_s)),
            "the private /etc/hosts is not in effect");
        uploadGoesThroughTheHomeserver(
            QUrl(u"https://metadata.test:9"_s), u"resolves to a link-local address"_s);
    }
};

QTEST_GUILESS_MAIN(tst_HostileServers)
#include "tst_hostileservers.moc"
