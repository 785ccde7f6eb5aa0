// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the matrix-media-testserver program: its first line, its options, its exit codes,
// a clean stop on SIGTERM and SIGINT, a restart that continues from its data folder, and a flat
// peak RSS while a large upload streams in.
#include "programrun.h"
#include "testserverbench.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <csignal>
#include <cstring>

using namespace Qt::StringLiterals;
using namespace MatrixUploadTest;
using MatrixUpload::Testing::ProgramRun;
using MatrixUpload::Testing::runProgram;

namespace {
const QString program = QStringLiteral(TESTSERVER_BIN);

//! The program, started; holds its URL once it printed its first line.
struct Server
{
    QProcess process;
    QString firstLine;
    QUrl base;

    bool start(const QStringList &arguments)
    {
        process.start(program, arguments);
        if (!process.waitForStarted(10000))
            return false;
        while (!process.canReadLine()) {
            if (!process.waitForReadyRead(10000))
                return false;
        }
        firstLine = QString::fromLocal8Bit(process.readLine()).trimmed();
        static const QRegularExpression form(u"^listening on (http://127\\.0\\.0\\.1:(\\d+))$"_s);
        const auto match = form.match(firstLine);
        if (!match.hasMatch())
            return false;
        base = QUrl(match.captured(1), QUrl::StrictMode);
        return base.port() > 0;
    }
    //! Sends \a signal and waits for the exit; true for a normal exit with code 0.
    bool stop(int signal = SIGTERM)
    {
        if (signal == SIGTERM)
            process.terminate();
        else
            ::kill(pid_t(process.processId()), signal);
        return process.waitForFinished(10000) && process.exitStatus() == QProcess::NormalExit
            && process.exitCode() == 0;
    }
    ~Server()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

//! Runs the program to its end (for options that make it exit at once).
ProgramRun run(const QStringList &arguments)
{
    return runProgram(program, arguments, QProcessEnvironment::systemEnvironment(), 10000);
}

//! What is wrong with \a r for a run that must refuse to start: exit normally with \a exitCode,
//! never say it listens, and explain on its error output (with \a message in it, when given).
//! Empty when nothing is.
QString refusalMismatch(const ProgramRun &r, int exitCode, const QByteArray &message)
{
    const QString said = u" (out: "_s + QString::fromLocal8Bit(r.out) + u", err: "_s
        + QString::fromLocal8Bit(r.err) + u')';
    if (!r.exitedWith(exitCode))
        return u"exit status %1, code %2 instead of %3"_s.arg(int(r.exitStatus))
                   .arg(r.exitCode)
                   .arg(exitCode)
            + said;
    if (r.out.contains("listening"))
        return u"it says it listens"_s + said;
    if (r.err.isEmpty() || !r.err.contains(message))
        return u"no error message with \"%1\""_s.arg(QString::fromLatin1(message)) + said;
    return {};
}

//! The process's peak resident set (VmHWM in /proc/PID/status) in bytes, or -1.
qint64 peakRss(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

//! Sends \a head (ending in its blank line) and a \a size-byte body made block by block, never
//! held whole, to \a port; returns the raw answer (the request asks to close) and the body's
//! SHA-256 in \a sha256.
QByteArray streamRequest(quint16 port, const QByteArray &head, qint64 size, QByteArray *sha256)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return {};
    socket.write(head);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block = content(1024 * 1024, 7);
    for (qint64 sent = 0, index = 0; sent < size; ++index) {
        // Every block differs, so bytes stored in the wrong place change the hash.
        std::memcpy(block.data(), &index, sizeof index);
        const qint64 n = std::min<qint64>(block.size(), size - sent);
        hash.addData(QByteArrayView(block.constData(), n));
        socket.write(block.constData(), n);
        sent += n;
        while (socket.bytesToWrite() > 4 * 1024 * 1024) {
            if (!socket.waitForBytesWritten(30000))
                return {};
        }
    }
    *sha256 = hash.result().toHex();
    QByteArray answer;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(60000))
        answer += socket.readAll();
    return answer + socket.readAll();
}
} // namespace

class tst_TestServerProcess final : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void init() { m_nam.clearConnectionCache(); }

    void listensAndAnswers()
    {
        Server server;
        QVERIFY2(server.start({ u"--port"_s, u"0"_s, u"--user"_s, u"alice:secret"_s, u"--token"_s,
                     u"alice:TOK"_s }),
            qPrintable(
                server.firstLine + QString::fromLocal8Bit(server.process.readAllStandardError())));
        const Reply versions
            = send(m_nam, "GET", endpoint(server.base, u"/_matrix/client/versions"_s));
        QCOMPARE(versions.status, 200);
        QVERIFY(versions.json.value(u"versions"_s).toArray().contains(u"v1.11"_s));

        const Reply login
            = send(m_nam, "POST", endpoint(server.base, u"/_matrix/client/v3/login"_s),
                R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba);
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json.value(u"user_id"_s).toString(), u"@alice:localhost"_s);
        const Created c = create(m_nam, server.base, "TOK"_ba);
        QCOMPARE(c.status, 200);
        QCOMPARE(c.json.value(u"upload_protocol"_s).toString(), u"content-range"_s);
        // Test control is off unless asked for.
        QCOMPARE(send(m_nam, "GET", endpoint(server.base, u"/_test/requests"_s)).status, 404);
        QVERIFY(server.stop());
    }

    void stopsOnSignal_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addRow("SIGTERM") << int(SIGTERM);
        QTest::addRow("SIGINT") << int(SIGINT);
    }
    void stopsOnSignal()
    {
        QFETCH(int, signal);
        Server server;
        QVERIFY(server.start({ u"--port"_s, u"0"_s }));
        QCOMPARE(
            send(m_nam, "GET", endpoint(server.base, u"/.well-known/matrix/client"_s)).status, 200);
        QVERIFY2(server.stop(signal),
            qPrintable(u"exit code %1, stderr: %2"_s.arg(server.process.exitCode())
                           .arg(QString::fromLocal8Bit(server.process.readAllStandardError()))));
        QCOMPARE(server.process.readAllStandardOutput(), QByteArray()); // one line, nothing after
    }

    void help()
    {
        const ProgramRun r = run({ u"--help"_s });
        QCOMPARE(r.exitStatus, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromLocal8Bit(r.out);
        for (const QString &word : { u"drop_after_bytes"_s, u"times"_s, u"path_prefix"_s,
                 u"\"status\""_s, u"retry_after"_s, u"route"_s, u"short_range"_s, u"latency_ms"_s,
                 u"bandwidth"_s, u"tamper_upload_url"_s, u"upload_url_expires_in_ms"_s, u"expire"_s,
                 u"/_test/faults"_s, u"/_test/requests"_s, u"--port"_s, u"--data"_s, u"--user"_s,
                 u"--token"_s, u"--upload-url-protocol"_s, u"--max-upload-size"_s,
                 u"--max-pending"_s, u"--unused-expiry-ms"_s, u"--max-request-body"_s,
                 u"--enable-test-control"_s, u"--complete-paths"_s, u"--room"_s, u"/_test/events"_s,
                 u"--token-lifetime-ms"_s, u"expire_token"_s, u"/_matrix/client/v3/refresh"_s })
            QVERIFY2(text.contains(word), qPrintable(word));
    }

    void badOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addRow("unknown option") << QStringList { u"--bogus"_s };
        QTest::addRow("option without its value") << QStringList { u"--port"_s };
        QTest::addRow("port not a number") << QStringList { u"--port"_s, u"http"_s };
        QTest::addRow("port too large") << QStringList { u"--port"_s, u"70000"_s };
        QTest::addRow("host not an address") << QStringList { u"--host"_s, u"localhost."_s };
        QTest::addRow("user without password") << QStringList { u"--user"_s, u"alice"_s };
        QTest::addRow("token without token") << QStringList { u"--token"_s, u"alice:"_s };
        QTest::addRow("unknown protocol") << QStringList { u"--upload-url-protocol"_s, u"ftp"_s };
        QTest::addRow("GET as put method") << QStringList { u"--put-method"_s, u"GET"_s };
        QTest::addRow("relative upload URL base")
            << QStringList { u"--upload-url-base"_s, u"/upload"_s };
        QTest::addRow("unknown complete paths") << QStringList { u"--complete-paths"_s, u"some"_s };
        QTest::addRow("negative token lifetime")
            << QStringList { u"--token-lifetime-ms"_s, u"-1"_s };
        QTest::addRow("bad size") << QStringList { u"--max-upload-size"_s, u"5Q"_s };
        QTest::addRow("negative size") << QStringList { u"--max-upload-size"_s, u"-1"_s };
        QTest::addRow("negative pending") << QStringList { u"--max-pending"_s, u"-1"_s };
        QTest::addRow("expiry not a number") << QStringList { u"--unused-expiry-ms"_s, u"soon"_s };
        QTest::addRow("zero request body") << QStringList { u"--max-request-body"_s, u"0"_s };
        QTest::addRow("room ID without !") << QStringList { u"--room"_s, u"demo:localhost=Demo"_s };
        QTest::addRow("room without ID") << QStringList { u"--room"_s, u"=Demo"_s };
    }
    void badOptions()
    {
        QFETCH(QStringList, arguments);
        const ProgramRun r = run(arguments);
        const QString wrong = refusalMismatch(r, 2, {});
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }

    void portInUse()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const ProgramRun r = run({ u"--port"_s, QString::number(occupier.serverPort()) });
        const QString wrong = refusalMismatch(r, 1, "cannot listen"_ba);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }

    void dataFolderUnusable()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u"not-a-folder"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const ProgramRun r = run({ u"--port"_s, u"0"_s, u"--data"_s, file.fileName() });
        const QString wrong = refusalMismatch(r, 1, "cannot create"_ba);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }

    void optionsApplied()
    {
        Server server;
        QVERIFY(server.start({ u"--server-name"_s, u"example.test"_s, u"--token"_s, u"alice:TOK"_s,
            u"--upload-url-protocol"_s, u"tus"_s, u"--no-upload-protocol-field"_s,
            u"--max-upload-size"_s, u"1K"_s, u"--max-pending"_s, u"1"_s, u"--unused-expiry-ms"_s,
            u"0"_s, u"--complete-paths"_s, u"none"_s, u"--max-request-body"_s, u"2K"_s,
            u"--enable-test-control"_s }));
        const Reply config = send(m_nam, "GET",
            endpoint(server.base, u"/_matrix/client/v1/media/config"_s), {}, auth("TOK"_ba));
        QCOMPARE(config.json.value(u"m.upload.size"_s).toInteger(), 1024);
        const Created c = create(m_nam, server.base, "TOK"_ba);
        QCOMPARE(c.status, 200);
        QVERIFY(c.uri.startsWith(u"mxc://example.test/"_s));
        QCOMPARE(c.json.value(u"upload_method"_s).toString(), u"PATCH"_s);
        QVERIFY(!c.json.contains(u"upload_protocol"_s));
        QVERIFY(!c.json.contains(u"unused_expires_at"_s));
        QCOMPARE(create(m_nam, server.base, "TOK"_ba).status, 429);
        const Reply complete = send(m_nam, "POST",
            endpoint(
                server.base, u"/_matrix/media/v1/upload/example.test/"_s + c.id + u"/complete"_s),
            "{}"_ba, auth("TOK"_ba));
        QCOMPARE(complete.status, 404);
        QCOMPARE(complete.errcode(), u"M_UNRECOGNIZED"_s);
        const Reply tooBig = send(m_nam, "POST",
            endpoint(server.base, u"/_matrix/media/v3/upload"_s), content(2049), auth("TOK"_ba));
        QCOMPARE(tooBig.status, 413);
        QCOMPARE(send(m_nam, "GET", endpoint(server.base, u"/_test/faults"_s)).status, 200);
        QVERIFY(server.stop());
    }

    void tokenLifetimeOption()
    {
        Server server;
        QVERIFY(server.start({ u"--user"_s, u"alice:secret"_s, u"--token"_s, u"alice:TOK"_s,
            u"--token-lifetime-ms"_s, u"3600000"_s }));
        const Reply login
            = send(m_nam, "POST", endpoint(server.base, u"/_matrix/client/v3/login"_s),
                R"({"type":"m.login.password","user":"alice","password":"secret",)"
                R"("refresh_token":true})"_ba);
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json.value(u"expires_in_ms"_s).toInteger(), 3600000);
        const QString refreshToken = login.json.value(u"refresh_token"_s).toString();
        QVERIFY(!refreshToken.isEmpty());
        const Reply refreshed
            = send(m_nam, "POST", endpoint(server.base, u"/_matrix/client/v3/refresh"_s),
                QJsonDocument(QJsonObject { { u"refresh_token"_s, refreshToken } }).toJson());
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(refreshed.json.value(u"expires_in_ms"_s).toInteger(), 3600000);
        // --token tokens never expire: no lifetime is announced for them anywhere, and they work.
        QCOMPARE(send(m_nam, "GET", endpoint(server.base, u"/_matrix/client/v1/media/config"_s), {},
                     auth("TOK"_ba))
                     .status,
            200);
        QVERIFY(server.stop());
    }

    void roomOption()
    {
        Server server;
        QVERIFY(server.start({ u"--token"_s, u"alice:TOK"_s, u"--token"_s, u"bob:BOB"_s,
            u"--room"_s, u"!demo:localhost=Demo = Room"_s, u"--room"_s, u"!quiet:localhost"_s,
            u"--enable-test-control"_s }));
        // Every user is joined to every --room.
        for (const QByteArray &token : { "TOK"_ba, "BOB"_ba }) {
            const Reply joined = send(m_nam, "GET",
                endpoint(server.base, u"/_matrix/client/v3/joined_rooms"_s), {}, auth(token));
            QCOMPARE(joined.status, 200);
            QCOMPARE(joined.json.value(u"joined_rooms"_s).toArray(),
                (QJsonArray { u"!demo:localhost"_s, u"!quiet:localhost"_s }));
        }
        const QString rooms = server.base.toString() + u"/_matrix/client/v3/rooms/"_s;
        const Reply name = send(m_nam, "GET",
            QUrl(rooms + u"%21demo%3Alocalhost/state/m.room.name"_s, QUrl::StrictMode), {},
            auth("TOK"_ba));
        QCOMPARE(name.status, 200);
        QCOMPARE(name.json.value(u"name"_s).toString(), u"Demo = Room"_s);
        const Reply noName = send(m_nam, "GET",
            QUrl(rooms + u"%21quiet%3Alocalhost/state/m.room.name"_s, QUrl::StrictMode), {},
            auth("TOK"_ba));
        QCOMPARE(noName.status, 404);
        QCOMPARE(noName.errcode(), u"M_NOT_FOUND"_s);
        const Reply sent = send(m_nam, "PUT",
            QUrl(rooms + u"%21demo%3Alocalhost/send/m.room.message/1"_s, QUrl::StrictMode),
            R"({"msgtype":"m.text","body":"hi"})"_ba, auth("TOK"_ba));
        QCOMPARE(sent.status, 200);
        const Reply events = send(m_nam, "GET", endpoint(server.base, u"/_test/events"_s));
        QCOMPARE(events.status, 200);
        const QJsonArray list = events.json.value(u"events"_s).toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject().value(u"event_id"_s), sent.json.value(u"event_id"_s));
        QCOMPARE(list[0].toObject().value(u"sender"_s).toString(), u"@alice:localhost"_s);
        QCOMPARE(list[0].toObject().value(u"room_id"_s).toString(), u"!demo:localhost"_s);
        // Not encrypted unless the option says so.
        QCOMPARE(
            send(m_nam, "GET",
                QUrl(rooms + u"%21demo%3Alocalhost/state/m.room.encryption"_s, QUrl::StrictMode),
                {}, auth("TOK"_ba))
                .status,
            404);
        QVERIFY(server.stop());
    }

    void encryptedRoomOption_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("name"); // empty: the room has no name
        QTest::addRow("named") << u"!vault:localhost=Vault,encrypted"_s << u"Vault"_s;
        QTest::addRow("comma in the name")
            << u"!vault:localhost=Safe, sound,encrypted"_s << u"Safe, sound"_s;
        QTest::addRow("no name") << u"!vault:localhost=,encrypted"_s << QString();
    }
    void encryptedRoomOption()
    {
        QFETCH(QString, option);
        QFETCH(QString, name);
        Server server;
        QVERIFY(server.start({ u"--token"_s, u"alice:TOK"_s, u"--room"_s, option }));
        const QString room
            = server.base.toString() + u"/_matrix/client/v3/rooms/%21vault%3Alocalhost/state/"_s;
        const Reply encryption = send(m_nam, "GET",
            QUrl(room + u"m.room.encryption"_s, QUrl::StrictMode), {}, auth("TOK"_ba));
        QCOMPARE(encryption.status, 200);
        QCOMPARE(encryption.json, (QJsonObject { { u"algorithm"_s, u"m.megolm.v1.aes-sha2"_s } }));
        const Reply named = send(
            m_nam, "GET", QUrl(room + u"m.room.name"_s, QUrl::StrictMode), {}, auth("TOK"_ba));
        QCOMPARE(named.status, name.isEmpty() ? 404 : 200);
        QCOMPARE(named.json.value(u"name"_s).toString(), name);
        QVERIFY(server.stop());
    }

    void restartContinues()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QStringList common { u"--data"_s, dir.path(), u"--user"_s, u"alice:secret"_s };
        QByteArray token;
        Created c;
        const QByteArray file = content(chunk + 300);
        quint16 port = 0;
        {
            Server first;
            QVERIFY(first.start(common + QStringList { u"--port"_s, u"0"_s }));
            port = quint16(first.base.port());
            const Reply login
                = send(m_nam, "POST", endpoint(first.base, u"/_matrix/client/v3/login"_s),
                    R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba);
            token = login.json.value(u"access_token"_s).toString().toLatin1();
            c = create(m_nam, first.base, token);
            QCOMPARE(c.status, 200);
            QCOMPARE(putRange(m_nam, c.uploadUrl, 0, file.left(chunk), file.size()).status, 308);
            QVERIFY(first.stop());
        }
        m_nam.clearConnectionCache();
        Server second;
        QVERIFY(second.start(common + QStringList { u"--port"_s, QString::number(port) }));
        QCOMPARE(second.base.port(), int(port));
        // The same upload URL, the same token.
        const Reply status = statusQuery(m_nam, c.uploadUrl, file.size());
        QCOMPARE(status.status, 308);
        QCOMPARE(status.header("Range"), "bytes=0-262143"_ba);
        QCOMPARE(putRange(m_nam, c.uploadUrl, chunk, file.mid(chunk), file.size()).status, 200);
        const Reply download = send(m_nam, "GET",
            endpoint(second.base, u"/_matrix/client/v1/media/download/localhost/"_s + c.id), {},
            auth(token));
        QCOMPARE(download.status, 200);
        QCOMPARE(download.body, file);
        QVERIFY(second.stop());
    }
    void largeUploadKeepsMemoryFlat_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("route");
        // Every route that takes a whole file as its body: the relay spools each to disk.
        QTest::addRow("put upload URL") << u"put"_s << u"url"_s;
        QTest::addRow("content-range upload URL") << u"content-range"_s << u"url"_s;
        QTest::addRow("MSC2246 PUT") << u"content-range"_s << u"msc2246"_s;
        QTest::addRow("legacy upload") << u"content-range"_s << u"legacy"_s;
    }
    void largeUploadKeepsMemoryFlat()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, route);
        // QHttpServer 6.4 holds a whole request body in memory before its handler runs: a
        // 256 MiB upload through it would lift the server's peak RSS past 256 MiB.
        constexpr qint64 size = 256LL * 1024 * 1024;
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer's shadow memory and quarantine: about 160 MiB measured; a whole body
        // held in memory would still pass 256 MiB.
        constexpr qint64 bound = 224LL * 1024 * 1024;
#else
        constexpr qint64 bound = 96LL * 1024 * 1024;
#endif
        QTemporaryDir data;
        QVERIFY(data.isValid());
        Server server;
        QVERIFY(server.start(
            { u"--port"_s, u"0"_s, u"--data"_s, data.path(), u"--token"_s, u"alice:TOK"_s,
                u"--upload-url-protocol"_s, protocol, u"--max-request-body"_s, u"300M"_s }));
        const Created c = create(m_nam, server.base, "TOK"_ba);
        QCOMPARE(c.status, 200);
        QByteArray target;
        QByteArray extra;
        if (route == u"url"_s) {
            target = c.uploadUrl.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
            if (protocol == u"content-range"_s)
                extra = "Content-Range: bytes 0-" + QByteArray::number(size - 1) + '/'
                    + QByteArray::number(size) + "\r\n";
        } else {
            target = route == u"legacy"_s ? "/_matrix/media/v3/upload"_ba
                                          : "/_matrix/media/v3/upload/localhost/" + c.id.toLatin1();
            extra = "Authorization: Bearer TOK\r\n";
        }
        const QByteArray method = route == u"legacy"_s ? "POST"_ba : "PUT"_ba;
        QByteArray sha256;
        const QByteArray answer = streamRequest(server.base.port(),
            method + ' ' + target
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(size)
                + "\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n" + extra
                + "\r\n",
            size, &sha256);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.left(400).constData());

        const qint64 peak = peakRss(server.process.processId());
        QVERIFY(peak > 0);
        QVERIFY2(peak < bound,
            qPrintable(u"peak RSS %1 MiB for a %2 MiB upload"_s.arg(peak >> 20).arg(size >> 20)));

        // The bytes landed whole, hashed as before, and no spool file stayed behind.
        const QString id = route == u"legacy"_s
            ? QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4))
                  .object()
                  .value(u"content_uri"_s)
                  .toString()
                  .section(u'/', -1)
            : c.id;
        QFile recordFile(data.filePath(u"media/"_s + id + u".json"_s));
        QVERIFY(recordFile.open(QIODevice::ReadOnly));
        const QJsonObject record = QJsonDocument::fromJson(recordFile.readAll()).object();
        QCOMPARE(record.value(u"state"_s).toString(), u"complete"_s);
        QCOMPARE(record.value(u"stored"_s).toInteger(), size);
        QCOMPARE(record.value(u"sha256"_s).toString().toLatin1(), sha256);
        QCOMPARE(QFileInfo(data.filePath(u"media/"_s + id + u".bin"_s)).size(), size);
        QCOMPARE(QDir(data.filePath(u"spool"_s)).entryList(QDir::Files), QStringList());
        QVERIFY(server.stop());
    }
};

QTEST_GUILESS_MAIN(tst_TestServerProcess)
#include "tst_testserverprocess.moc"
