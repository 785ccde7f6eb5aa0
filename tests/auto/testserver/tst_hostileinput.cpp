// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the test media server against hostile and unusual input over a raw socket: bytes
// that QNetworkAccessManager would never send (malformed requests, chunked bodies, oversized
// bodies, traversal IDs), `Expect: 100-continue`, HEAD, and clients that leave early.
#include "testserverbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QSet>
#include <QStorageInfo>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUploadTest;

namespace {
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(it.next());
    out.sort();
    return out;
}

//! The loopback ports this process listens on (Linux: its sockets in /proc/net/tcp), but for
//! \a except: with one server running, that of its private QHttpServer backend.
QList<quint16> otherListeningPorts(quint16 except)
{
    QSet<QByteArray> inodes; // of this process's sockets
    QDirIterator fds(u"/proc/self/fd"_s, QDir::System | QDir::Files | QDir::NoDotAndDotDot);
    while (fds.hasNext()) {
        const QByteArray link = QFile::encodeName(QFile::symLinkTarget(fds.next()));
        const qsizetype open = link.indexOf("socket:[");
        if (open >= 0)
            inodes.insert(link.mid(open + 8, link.indexOf(']', open) - open - 8));
    }
    QList<quint16> ports;
    QFile tcp(u"/proc/net/tcp"_s);
    if (!tcp.open(QIODevice::ReadOnly | QIODevice::Text))
        return ports;
    tcp.readLine(); // the column names
    while (!tcp.atEnd()) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        const QList<QByteArray> f = tcp.readLine().simplified().split(' ');
        if (f.size() < 10 || f[3] != "0A" || !f[1].startsWith("0100007F:")
            || !inodes.contains(f[9]))
            continue;
        const quint16 port = quint16(f[1].mid(9).toUInt(nullptr, 16));
        if (port != except)
            ports.append(port);
    }
    return ports;
}
} // namespace

class tst_HostileInput final : public QObject, protected TestServerBench
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        MediaTestServerConfig config = defaultConfig();
        config.maxRequestBody = 2 * chunk;
        QVERIFY(restart(config));
    }
    void cleanup() { reset(); }

    void malformedRequest_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addRow("garbage") << "GARBAGE\r\n\r\n"_ba << 400;
        QTest::addRow("binary") << "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"_ba << 400;
        QTest::addRow("no version") << "GET /_matrix/client/versions\r\n\r\n"_ba << 400;
        QTest::addRow("HTTP/2.0") << "GET /_matrix/client/versions HTTP/2.0\r\n\r\n"_ba << 400;
        QTest::addRow("no method") << " /_matrix/client/versions HTTP/1.1\r\n\r\n"_ba << 400;
        QTest::addRow("too many parts") << "GET / x HTTP/1.1\r\n\r\n"_ba << 400;
        QTest::addRow("absolute-form target")
            << "GET http://127.0.0.1/_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"_ba << 400;
        QTest::addRow("relative target")
            << "GET _matrix/client/versions HTTP/1.1\r\n\r\n"_ba << 400;
        QTest::addRow("header without colon")
            << "GET /_matrix/client/versions HTTP/1.1\r\nHost x\r\n\r\n"_ba << 400;
        QTest::addRow("header with empty name")
            << "GET /_matrix/client/versions HTTP/1.1\r\n: x\r\n\r\n"_ba << 400;
        QTest::addRow("Content-Length not a number")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length: abc\r\n\r\n"_ba << 400;
        QTest::addRow("negative Content-Length")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length: -1\r\n\r\n"_ba << 400;
        QTest::addRow("Content-Length with a sign")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello"_ba
            << 400;
        QTest::addRow("empty Content-Length")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length:\r\n\r\n"_ba << 400;
        QTest::addRow("Content-Length list")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello"_ba
            << 400;
        QTest::addRow("two different Content-Lengths")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: "
               "6\r\n\r\nhello!"_ba
            << 400;
        QTest::addRow("Content-Length past 64 bits")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"_ba
            << 400;
        QTest::addRow("chunked")
            << "POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
               "ALICE\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"_ba
            << 411;
        QTest::addRow("chunked and a length")
            << "PUT /_upload/x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"_ba
            << 411;
        QTest::addRow("other Expect")
            << "PUT /_upload/x HTTP/1.1\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\nhello"_ba
            << 417;
        QTest::addRow("head too large")
            << "GET / HTTP/1.1\r\nX-Big: "_ba + QByteArray(70 * 1024, 'a') << 431;
    }
    void malformedRequest()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write(request);
        const RawReply r = client.readResponse();
        QCOMPARE(r.status, status);
        QVERIFY2(!r.errcode().isEmpty(), r.body.constData());
        QCOMPARE(r.header("Connection"), "close"_ba);
        QVERIFY(client.waitClosed());
        QVERIFY(stillServes());
    }

    void oversizedBody()
    {
        // The limit is 512 KiB here: the relay answers 413 from the head alone, before a byte of
        // the body is sent (the client never sends it).
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                     "ALICE\r\nContent-Length: 524289\r\n\r\n"_ba);
        const RawReply r = client.readResponse();
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
        QVERIFY(r.json.value(u"error"_s).toString().contains(u"524288"_s));
        QCOMPARE(r.header("Connection"), "close"_ba);
        // A client that sends the body anyway has it drained (not stored), then the connection
        // closes.
        QVERIFY(!client.isClosed());
        client.write(content(2 * chunk + 1));
        QVERIFY(client.waitClosed());
        QCOMPARE(client.pending(), QByteArray());
        QVERIFY(stillServes());

        // A huge declared length is refused just the same, without the server trying to buffer it.
        const RawReply huge = rawExchange(m_server->port(),
            "PUT /_upload/x HTTP/1.1\r\nContent-Length: 1099511627776\r\n\r\n"_ba);
        QCOMPARE(huge.status, 413);

        // The limit itself is fine.
        const Reply atLimit
            = send(*m_nam, "POST", endpoint(m_server->baseUrl(), u"/_matrix/media/v3/upload"_s),
                content(2 * chunk), auth());
        QCOMPARE(atLimit.status, 200);
    }

    void oversizedBodyOverQnam()
    {
        // A client that sends the body without waiting (no Expect) still reads the 413.
        const Reply r
            = send(*m_nam, "POST", endpoint(m_server->baseUrl(), u"/_matrix/media/v3/upload"_s),
                content(8 * chunk), auth());
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
    }

    void oversizedBodyWithExpect()
    {
        // With Expect: 100-continue the refusal comes instead of the 100.
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("PUT /_upload/x HTTP/1.1\r\nContent-Length: 600000\r\nExpect: "
                     "100-continue\r\n\r\n"_ba);
        const RawReply r = client.readResponse();
        QCOMPARE(r.status, 413);
        QVERIFY(client.waitClosed());
    }

    void traversalIds_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        const QByteArray attempts[]
            = { "..%2F..%2Fetc"_ba, "..%2F..%2Fstate"_ba, "%2E%2E"_ba, "..%2Fmedia%2FX"_ba,
                  "%2Fetc%2Fpasswd"_ba, "a%00b"_ba, "media%5C..%5Cstate"_ba, "%252E%252E"_ba };
        for (const QByteArray &id : attempts) {
            QTest::addRow("download %s", id.constData())
                << "GET"_ba
                << "/_matrix/client/v1/media/download/localhost/"_ba + id << QByteArray();
            QTest::addRow("legacy download %s", id.constData())
                << "GET"_ba
                << "/_matrix/media/v3/download/localhost/"_ba + id << QByteArray();
            QTest::addRow("MSC2246 PUT %s", id.constData())
                << "PUT"_ba
                << "/_matrix/media/v3/upload/localhost/"_ba + id << "evil"_ba;
            QTest::addRow("complete %s", id.constData())
                << "POST"_ba
                << "/_matrix/media/v1/upload/localhost/"_ba + id + "/complete"_ba
                << "{}"_ba;
            QTest::addRow("upload URL %s", id.constData())
                << "PUT"_ba
                << "/_upload/"_ba + id + "?exp=99999999999999&sig=00"_ba
                << "evil"_ba;
            QTest::addRow("signed download %s", id.constData())
                << "GET"_ba
                << "/_download/"_ba + id + "?exp=99999999999999&sig=00"_ba << QByteArray();
        }
        QTest::addRow("server name traversal")
            << "GET"_ba
            << "/_matrix/media/v3/download/..%2F..%2F/abc"_ba << QByteArray();
        QTest::addRow("dot segments")
            << "GET"_ba
            << "/_matrix/media/v3/download/localhost/../../../etc/passwd"_ba << QByteArray();
    }
    void traversalIds()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        const QStringList before = filesUnder(m_dir->path());
        const RawReply r = rawExchange(m_server->port(),
            method + ' ' + path
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ALICE\r\nContent-Length: "_ba
                + QByteArray::number(body.size()) + "\r\n\r\n"_ba + body);
        QCOMPARE(r.status, 404);
        QVERIFY2(r.errcode() == u"M_NOT_FOUND"_s || r.errcode() == u"M_UNRECOGNIZED"_s,
            r.body.constData());
        QVERIFY(!r.body.contains("root:"));
        QVERIFY(!r.body.contains("secret"));
        QCOMPARE(filesUnder(m_dir->path()), before);
    }

    void expectContinue()
    {
        const Created c = create(*m_nam, m_server->baseUrl());
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("PUT "_ba + target(c.uploadUrl)
            + " HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 0-9/10\r\nContent-Length: "
              "10\r\nExpect: "
              "100-continue\r\n\r\n"_ba);
        const RawReply interim = client.readResponse();
        QCOMPARE(interim.status, 100);
        QCOMPARE(client.pending(), QByteArray()); // nothing more until the body comes
        client.write("0123456789"_ba);
        const RawReply r = client.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(m_server->mediaContent(c.id), "0123456789"_ba);
        // The connection stays usable.
        client.write("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"_ba);
        QCOMPARE(client.readResponse().status, 200);
    }

    void expectContinueWithoutBody()
    {
        // Nothing to continue: no interim answer, just the answer.
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write(
            "GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n"_ba);
        QCOMPARE(client.readResponse().status, 200);
    }

    void pipelined()
    {
        // Two requests in one write: two answers, in order.
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"_ba);
        const RawReply first = client.readResponse();
        QCOMPARE(first.status, 200);
        QVERIFY(first.json.contains(u"versions"_s));
        const RawReply second = client.readResponse();
        QCOMPARE(second.status, 404);
        QCOMPARE(second.errcode(), u"M_UNRECOGNIZED"_s);
    }

    void connectionClose_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addRow("Connection: close")
            << "GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"_ba;
        QTest::addRow("HTTP/1.0") << "GET /_matrix/client/versions HTTP/1.0\r\n\r\n"_ba;
    }
    void connectionClose()
    {
        QFETCH(QByteArray, request);
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write(request);
        const RawReply r = client.readResponse();
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.contains(u"versions"_s));
        QVERIFY(client.waitClosed());
    }

    void requestInPieces()
    {
        // Head and body arrive in several TCP segments, with the event loop running between them.
        const Created c = create(*m_nam, m_server->baseUrl());
        const QByteArray body = content(chunk + 10);
        const QByteArray request = "PUT "_ba + target(c.uploadUrl)
            + " HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 0-262153/262154\r\nContent-Length: "
              "262154\r\n\r\n"_ba
            + body;
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        const qsizetype cuts[]
            = { 0, 3, 40, request.indexOf("\r\n\r\n") + 2, request.indexOf("\r\n\r\n") + 5,
                  request.size() - 1000, request.size() - 1, request.size() };
        for (qsizetype i = 0; i + 1 < qsizetype(std::size(cuts)); ++i) {
            client.write(request.mid(cuts[i], cuts[i + 1] - cuts[i]));
            client.socket().flush(); // hands the piece to the kernel without blocking
            QVERIFY(stillServes()); // a round trip: the relay has read this piece
            if (i + 2 < qsizetype(std::size(cuts)))
                QCOMPARE(client.socket().bytesAvailable(), 0); // no answer before the last byte
        }
        const RawReply r = client.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(m_server->mediaContent(c.id), body);
    }

    void headAnswerHasNoBody()
    {
        // QHttpServer 6.4 writes a body after HEAD answers; the next answer on the connection
        // must still start where it should.
        const Created c = create(*m_nam, m_server->baseUrl());
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("HEAD "_ba + target(c.uploadUrl) + " HTTP/1.1\r\nHost: x\r\n\r\n"_ba);
        const RawReply head = client.readResponse(true);
        QCOMPARE(head.status, 403); // HEAD is not the signed method of a content-range URL
        QVERIFY(head.header("Content-Length").toInt() > 0);
        client.write("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"_ba);
        const RawReply next = client.readResponse();
        QCOMPARE(next.status, 200);
        QVERIFY(next.json.contains(u"versions"_s));
    }

    void clientLeavesMidBody()
    {
        const Created c = create(*m_nam, m_server->baseUrl());
        {
            RawClient client(m_server->port());
            QVERIFY(client.waitConnected());
            client.write("PUT "_ba + target(c.uploadUrl)
                + " HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 0-262143/262144\r\nContent-Length: "
                  "262144\r\n\r\n"_ba
                + content(1000));
            QTRY_COMPARE(
                findRecord(m_server->requests(), u"/_upload/"_s).value(u"body_size"_s).toInteger(),
                1000);
            client.close();
        }
        QTRY_VERIFY(findRecord(m_server->requests(), u"/_upload/"_s).value(u"dropped"_s).toBool());
        QCOMPARE(m_server->mediaInfo(c.id).value(u"stored"_s).toInteger(), 0);
        // The relay spooled the body to a file, and removed it with the connection.
        QCOMPARE(QDir(m_dir->filePath(u"spool"_s)).entryList(QDir::Files), QStringList());
        QVERIFY(stillServes());
        // The upload can start over.
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(chunk), chunk).status, 200);
    }

    void clientLeavesWhileHeldBack()
    {
        // The latency fault holds the request back; the relay opened its spool file already.
        // A client that leaves then leaves no file, at once (not when the relay's 75 s orphan
        // timer ends the connection).
        const Created c = createMedia();
        QVERIFY(m_server->addFault(
            { { u"latency_ms"_s, 600000 }, { u"path_prefix"_s, u"/_upload/"_s } }));
        const QDir spool(m_dir->filePath(u"spool"_s));
        {
            RawClient client(m_server->port());
            QVERIFY(client.waitConnected());
            client.write("PUT "_ba + target(c.uploadUrl)
                + " HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 0-262143/262144\r\nContent-Length: "
                  "262144\r\n\r\n"_ba
                + content(1000));
            QTRY_COMPARE(spool.entryList(QDir::Files).size(), 1);
            client.close();
        }
        QTRY_VERIFY(findRecord(m_server->requests(), u"/_upload/"_s).value(u"dropped"_s).toBool());
        QTRY_COMPARE(spool.entryList(QDir::Files), QStringList());
        QCOMPARE(stored(c.id), 0);
        m_server->clearFaults();
        QVERIFY(stillServes());
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(chunk), chunk).status, 200);
    }

    void onlyIssuedSpoolFilesAreTaken()
    {
        // Only the relay names a spool file, and it drops the header from clients; a request
        // that reaches the private backend port directly names a file in DATA/spool that the
        // relay never issued: the server takes nothing from it and leaves it alone.
        const Created c = createMedia();
        const QList<quint16> backend = otherListeningPorts(m_server->port());
        QCOMPARE(backend.size(), 1);
        const QString planted = m_dir->filePath(u"spool/body-planted"_s);
        QFile file(planted);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content(chunk, 7));
        file.close();
        const RawReply r = rawExchange(backend.first(),
            "PUT "_ba + target(c.uploadUrl) + " HTTP/1.1\r\nHost: x\r\nContent-Range: bytes 0-"
                + QByteArray::number(chunk - 1) + '/' + QByteArray::number(chunk)
                + "\r\nContent-Length: 0\r\nX-MatrixUpload-Relay-Body-File: "
                + QFile::encodeName(planted) + "\r\n\r\n");
        QCOMPARE(r.status, 500);
        QCOMPARE(stored(c.id), 0);
        QVERIFY(QFile::exists(planted));
        // Through the relay, the same upload works.
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(chunk), chunk).status, 200);
        QCOMPARE(m_server->mediaContent(c.id), content(chunk));
    }

    void spoolOnAnotherFileSystem()
    {
        // DATA/spool on another file system than DATA/media (here a link into /dev/shm, a
        // tmpfs): a whole body cannot be renamed into place (EXDEV), so it is copied.
        QTemporaryDir shm(u"/dev/shm/mu-spool-XXXXXX"_s);
        QVERIFY2(shm.isValid(), "this test needs /dev/shm (a tmpfs on Linux)");
        reset(); // init()'s server, and its folder
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QVERIFY2(QStorageInfo(shm.path()).device() != QStorageInfo(m_dir->path()).device(),
            "the temporary folder is on /dev/shm's file system: no EXDEV to test");
        QVERIFY(QFile::link(shm.path(), m_dir->filePath(u"spool"_s)));
        MediaTestServerConfig config = defaultConfig();
        config.dataDir = m_dir->path();
        QVERIFY(restart(config));
        const Created c = createMedia();
        const QByteArray bytes = content(chunk + 5, 4);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, bytes, bytes.size()).status, 200);
        QCOMPARE(m_server->mediaContent(c.id), bytes);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"sha256"_s).toString().toLatin1(),
            QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        // The spooled body went through the link, and is gone from there.
        QCOMPARE(QDir(shm.path()).entryList(QDir::Files), QStringList());
    }

    void clientCannotNameBodyFile_data()
    {
        QTest::addColumn<bool>("legacy");
        QTest::addRow("upload URL") << false;
        QTest::addRow("legacy upload") << true;
    }
    void clientCannotNameBodyFile()
    {
        // The relay tells QHttpServer where a spooled body is with its own header; one a client
        // sends is dropped, so the server stores the body and never reads another file.
        QFETCH(bool, legacy);
        const QString secret = m_dir->filePath(u"secret.bin"_s);
        QFile other(secret);
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write(content(chunk, 9));
        other.close();
        const QByteArray body = content(chunk, 3);
        const Headers forged { { "X-MatrixUpload-Relay-Body-File"_ba, QFile::encodeName(secret) },
            { "X-MatrixUpload-Relay-Body-Sha256"_ba, QByteArray(64, '0') } };
        QString id;
        if (legacy) {
            const Reply r
                = send(*m_nam, "POST", endpoint(m_server->baseUrl(), u"/_matrix/media/v3/upload"_s),
                    body, auth() + forged);
            QCOMPARE(r.status, 200);
            id = r.json.value(u"content_uri"_s).toString().section(u'/', -1);
        } else {
            const Created c = create(*m_nam, m_server->baseUrl());
            id = c.id;
            QCOMPARE(send(*m_nam, "PUT", c.uploadUrl, body,
                         forged + Headers { { "Content-Range"_ba, contentRange(0, chunk, chunk) } })
                         .status,
                200);
        }
        QCOMPARE(m_server->mediaContent(id), body);
        QCOMPARE(m_server->mediaInfo(id).value(u"sha256"_s).toString().toLatin1(),
            QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
        QVERIFY(QFile::exists(secret));
    }

    void clientLeavesWhileDownloadWaits()
    {
        // The answer comes after the client left: it must go nowhere, without harm.
        const Created c = create(*m_nam, m_server->baseUrl());
        const QString path = u"/_matrix/client/v1/media/download/localhost/"_s + c.id;
        {
            RawClient client(m_server->port());
            QVERIFY(client.waitConnected());
            client.write("GET "_ba + path.toLatin1()
                + "?timeout_ms=200 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ALICE\r\n\r\n"_ba);
            QTRY_VERIFY(!findRecord(m_server->requests(), path).isEmpty());
            client.close();
        }
        QTRY_COMPARE(findRecord(m_server->requests(), path).value(u"status"_s).toInt(), 504);
        QVERIFY(stillServes());

        // And when the upload completes after the client left.
        {
            RawClient client(m_server->port());
            QVERIFY(client.waitConnected());
            client.write("GET "_ba + path.toLatin1()
                + "?timeout_ms=20000 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ALICE\r\n\r\n"_ba);
            // The server has this download waiting before the client leaves.
            QTRY_COMPARE(recordsFor(m_server->requests(), path).size(), 2);
            QVERIFY(stillServes());
            client.close();
        }
        QCOMPARE(send(*m_nam, "PUT",
                     endpoint(m_server->baseUrl(), u"/_matrix/media/v3/upload/localhost/"_s + c.id),
                     "done"_ba, auth())
                     .status,
            200);
        // The waiting download was answered (to nobody) once the bytes arrived.
        QTRY_COMPARE(
            recordsFor(m_server->requests(), path).at(1).toObject().value(u"status"_s).toInt(),
            200);
        QVERIFY(stillServes());
    }

    void badJsonBodies_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errcode");
        const QList<std::pair<const char *, QByteArray>> bodies {
            { "truncated", R"({"type":)"_ba },
            { "trailing garbage", "{}}"_ba },
            { "NUL bytes", QByteArray("{\0}", 3) },
            { "invalid UTF-8", "{\"a\":\"\xff\xfe\"}"_ba },
            { "deep nesting", QByteArray(5000, '[') },
        };
        for (const auto &[name, body] : bodies) {
            QTest::addRow("login, %s", name)
                << "/_matrix/client/v3/login"_ba << body << u"M_NOT_JSON"_s;
            QTest::addRow("create, %s", name)
                << "/_matrix/media/v1/create"_ba << body << u"M_NOT_JSON"_s;
            QTest::addRow("test faults, %s", name) << "/_test/faults"_ba << body << u"M_NOT_JSON"_s;
        }
    }
    void badJsonBodies()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, errcode);
        const RawReply r = rawExchange(m_server->port(),
            "POST "_ba + path
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ALICE\r\nContent-Type: "
                  "application/json\r\nContent-Length: "_ba
                + QByteArray::number(body.size()) + "\r\n\r\n"_ba + body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), errcode);
        QVERIFY(stillServes());
    }

    void authorizationVariants_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("status");
        QTest::addRow("lower-case scheme") << "bearer ALICE"_ba << 200;
        QTest::addRow("extra spaces") << "Bearer   ALICE  "_ba << 200;
        QTest::addRow("no token") << "Bearer"_ba << 401;
        QTest::addRow("empty token") << "Bearer "_ba << 401;
        QTest::addRow("token prefix") << "Bearer ALIC"_ba << 401;
        QTest::addRow("token with suffix") << "Bearer ALICEX"_ba << 401;
        QTest::addRow("other scheme") << "Token ALICE"_ba << 401;
    }
    void authorizationVariants()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, status);
        const RawReply r = rawExchange(m_server->port(),
            "GET /_matrix/client/v1/media/config HTTP/1.1\r\nHost: x\r\nAuthorization: "_ba + header
                + "\r\n\r\n"_ba);
        QCOMPARE(r.status, status);
        if (status == 401)
            QVERIFY(r.errcode() == u"M_MISSING_TOKEN"_s || r.errcode() == u"M_UNKNOWN_TOKEN"_s);
    }
};

QTEST_GUILESS_MAIN(tst_HostileInput)
#include "tst_hostileinput.moc"
