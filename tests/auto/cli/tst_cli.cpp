// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader-cli as a user runs it: a real process against the in-process test server over
// loopback, a real keychain (the test runs inside a private D-Bus session with gnome-keyring).
#include "eventschema.h"
#include "fixtures.h"
#include "testmedia.h"

#include <matrixupload/testserver/mediatestserver.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using MatrixUpload::Testing::content;
using Protocol = MediaTestServerConfig::UploadUrlProtocol;

namespace {
constexpr int waitMs = 60000;

//! Where crashPoints() kills the CLI.
enum class CrashPoint {
    Creating,
    MidChunk,
    BetweenChunks,
    BeforeComplete,
    CompleteAnswerLost,
    AfterComplete
};

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> json() const
    {
        QList<QJsonObject> lines;
        for (const QByteArray &line : out.split('\n')) {
            if (!line.trimmed().isEmpty())
                lines.append(QJsonDocument::fromJson(line).object());
        }
        return lines;
    }
};
} // namespace

class tst_Cli final : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<MediaTestServer> m_server;
    //! Environment changes for the CLI processes of one test (an empty value removes).
    QHash<QString, QString> m_env;

    void startServer(MediaTestServerConfig config = {})
    {
        config.tokens.insert(u"TOKEN"_s, u"alice"_s);
        config.passwords.insert(u"alice"_s, u"secret"_s);
        m_server = std::make_unique<MediaTestServer>(config);
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    }

    QProcess *spawn(const QStringList &args, const QString &token = u"TOKEN"_s,
        const QByteArray &input = {}, bool asNobody = false)
    {
        auto *process = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Settings and resume records of this test only.
        env.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_home->filePath(u"data"_s));
        if (token.isEmpty())
            env.remove(u"MATRIX_ACCESS_TOKEN"_s);
        else
            env.insert(u"MATRIX_ACCESS_TOKEN"_s, token);
        for (auto it = m_env.cbegin(); it != m_env.cend(); ++it) {
            if (it.value().isEmpty())
                env.remove(it.key());
            else
                env.insert(it.key(), it.value());
        }
        process->setProcessEnvironment(env);
        process->setWorkingDirectory(m_home->path());
        if (asNobody) {
            // Root reads every file: only another user meets a file it may not read.
            env.insert(u"HOME"_s, m_home->path());
            process->setProcessEnvironment(env);
            process->start(u"setpriv"_s,
                QStringList { u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s,
                    QStringLiteral(CLI_BIN) }
                    + args);
        } else {
            process->start(QStringLiteral(CLI_BIN), args);
        }
        process->write(input);
        process->closeWriteChannel();
        return process;
    }

    //! Runs the CLI to its end while this test's event loop serves the test server.
    Run run(
        const QStringList &args, const QString &token = u"TOKEN"_s, const QByteArray &input = {})
    {
        QProcess *process = spawn(args, token, input);
        return finish(process);
    }

    static Run finish(QProcess *process)
    {
        QSignalSpy finished(process, &QProcess::finished);
        if (process->state() != QProcess::NotRunning && !finished.wait(waitMs))
            process->kill();
        Run r;
        r.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
        r.out = process->readAllStandardOutput();
        r.err = process->readAllStandardError();
        process->deleteLater();
        return r;
    }

    //! The content URI of the media the last request to an upload URL was for, or an empty
    //! string: what a killed run was uploading.
    QString lastUploadUrlMedia() const
    {
        QString uri;
        for (const QJsonValue &v : m_server->requests()) {
            const QString p = v.toObject().value(u"path"_s).toString();
            if (p.startsWith(u"/_upload/"_s))
                uri = u"mxc://localhost/"_s + p.mid(9);
        }
        return uri;
    }

    QStringList uploadArgs(const QStringList &extra) const
    {
        return QStringList { u"upload"_s, u"--homeserver"_s, m_server->baseUrl().toString() }
        + extra;
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_home->filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write the test file");
        return path;
    }

    //! A request of the test's own, waited for: what the server had already been sent, and the
    //! connections a killed CLI left, are handled before its answer comes. After a SIGKILL the
    //! server's offset is read after this, not at once.
    //! Waits until every request the server saw has ended, answered or dropped: a killed
    //! client's socket still delivers what its kernel had queued, and the server's offset is
    //! final only after that.
    void awaitRequestsEnded()
    {
        const auto open = [this] {
            int n = 0;
            for (const QJsonValue &v : m_server->requests()) {
                const QJsonObject r = v.toObject();
                if (r.value(u"status"_s).toInt() == 0 && !r.value(u"dropped"_s).toBool())
                    ++n;
            }
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(open(), 0, waitMs);
    }

    //! A login of the test's own (what a user does elsewhere): its access token.
    QString freshToken()
    {
        QNetworkAccessManager nam;
        QUrl url = m_server->baseUrl();
        url.setPath(u"/_matrix/client/v3/login"_s);
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        QNetworkReply *reply = nam.post(
            request, R"({"type":"m.login.password","user":"alice","password":"secret"})"_ba);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(waitMs);
        const QString token = QJsonDocument::fromJson(reply->readAll())
                                  .object()
                                  .value(u"access_token"_s)
                                  .toString();
        delete reply;
        return token;
    }

    //! The recorded requests to \a path answered \a status.
    int answered(const QString &path, int status) const
    {
        int n = 0;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            n += r.value(u"path"_s).toString().startsWith(path)
                && r.value(u"status"_s).toInt() == status;
        }
        return n;
    }

    int uploadRequestsAnswered(int status) const
    {
        int n = 0;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            if (r.value(u"path"_s).toString().startsWith(u"/_upload/"_s)
                && r.value(u"status"_s).toInt() == status)
                ++n;
        }
        return n;
    }

    QStringList downloadArgs(const QStringList &extra) const
    {
        return QStringList { u"download"_s, u"--homeserver"_s, m_server->baseUrl().toString() }
        + extra;
    }

    //! Every file under the test's home folder, by path: what a run left on disk.
    QHash<QString, QByteArray> filesOnDisk() const
    {
        QHash<QString, QByteArray> files;
        QDirIterator it(m_home->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                files.insert(f.fileName(), f.readAll());
        }
        return files;
    }

    static QByteArray readAll(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static QString unpaddedSha256(const QByteArray &bytes)
    {
        return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256)
                                       .toBase64(QByteArray::OmitTrailingEquals));
    }

    //! An encrypted upload of \a bytes through the CLI: its `--json` line.
    QJsonObject encryptedUpload(const QByteArray &bytes, const QString &name = u"secret.bin"_s)
    {
        const Run r = run(uploadArgs({ u"--encrypt"_s, u"--json"_s, writeFile(name, bytes) }));
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        return r.json().value(0);
    }

private Q_SLOTS:
    void init()
    {
        m_env.clear();
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
    }

    void cleanup()
    {
        // The wire check of every upload test: no token (TOKEN, or one from a login) reached an
        // upload URL, in no header, path or query.
        if (m_server)
            Testing::verifyNothingSecretReachedUploadUrls(m_server->requests(), { u"TOKEN"_s });
        m_server.reset();
    }

    void uploads_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("protocol");
        QTest::addRow("content-range")
            << int(Protocol::ContentRange) << QStringList() << u"content-range"_s;
        QTest::addRow("put") << int(Protocol::Put) << QStringList() << u"put"_s;
        QTest::addRow("tus") << int(Protocol::Tus) << QStringList() << u"tus"_s;
        QTest::addRow("no upload URL offered")
            << int(Protocol::None) << QStringList() << u"async"_s;
        QTest::addRow("--no-upload-url")
            << int(Protocol::ContentRange) << QStringList { u"--no-upload-url"_s } << u"async"_s;
        QTest::addRow("--protocol legacy")
            << int(Protocol::ContentRange) << QStringList { u"--protocol"_s, u"legacy"_s }
            << u"legacy"_s;
        QTest::addRow("small chunks")
            << int(Protocol::ContentRange) << QStringList { u"--chunk-size"_s, u"256K"_s }
            << u"content-range"_s;
    }
    void uploads()
    {
        QFETCH(int, serverProtocol);
        QFETCH(QStringList, options);
        QFETCH(QString, protocol);
        MediaTestServerConfig config;
        config.uploadUrlProtocol = Protocol(serverProtocol);
        startServer(config);
        const QByteArray a = content(1'000'003);
        const QByteArray b = content(10, 2);
        const QString pathA = writeFile(u"photo one.bin"_s, a);
        const QString pathB = writeFile(u"ünï \"quoted\".txt"_s, b);
        const Run r
            = run(uploadArgs(options + QStringList { u"--json"_s, u"--verify"_s, pathA, pathB }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QJsonObject> lines = r.json();
        QCOMPARE(lines.size(), 2);
        for (const QJsonObject &line : lines) {
            const QByteArray &bytes = line.value(u"file"_s).toString() == pathA ? a : b;
            QCOMPARE(line.value(u"state"_s).toString(), u"completed"_s);
            QCOMPARE(line.value(u"protocol"_s).toString(), protocol);
            QCOMPARE(line.value(u"size"_s).toInteger(), bytes.size());
            QCOMPARE(line.value(u"verified"_s).toBool(), true);
            // The line's sha256 is that of what the server stored, and that is the file.
            const QByteArray stored
                = m_server->mediaContent(line.value(u"content_uri"_s).toString());
            QCOMPARE(line.value(u"sha256"_s).toString().toLatin1(),
                QCryptographicHash::hash(stored, QCryptographicHash::Sha256).toHex());
            QVERIFY(line.value(u"error"_s).isNull());
            QCOMPARE(stored, bytes);
        }
    }

    void plainOutputAndFailures()
    {
        startServer();
        const QString good = writeFile(u"good.bin"_s, content(5000));
        const Run r = run(uploadArgs({ good, m_home->filePath(u"missing.bin"_s) }));
        QCOMPARE(r.exitCode, 1); // one file failed
        QVERIFY(r.out.startsWith("mxc://localhost/"));
        QVERIFY(r.out.contains(good.toUtf8()));
        QVERIFY2(
            r.err.contains("missing.bin") && r.err.contains("does not exist"), r.err.constData());
    }

    void unreadableFileFailsClearly()
    {
        startServer();
        const QString good = writeFile(u"good.txt"_s, content(10));
        const QString locked = writeFile(u"locked.txt"_s, content(10, 3));
        QVERIFY(QFile::setPermissions(locked, {}));
        const bool root = ::geteuid() == 0;
        if (root) {
            // The user the CLI runs as must reach the folder and keep its settings there.
            QVERIFY(QFile::setPermissions(m_home->path(),
                QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                    | QFileDevice::ReadOther | QFileDevice::ExeOther));
            for (const QString &dir : { u"config"_s, u"data"_s }) {
                QVERIFY(QDir(m_home->path()).mkpath(dir));
                QVERIFY(::chown(QFile::encodeName(m_home->filePath(dir)).constData(), 65534, 65534)
                    == 0);
            }
            QVERIFY(::chmod(QFile::encodeName(good).constData(), 0644) == 0);
        }
        const Run r
            = finish(spawn(uploadArgs({ u"--json"_s, good, locked }), u"TOKEN"_s, {}, root));
        QCOMPARE(r.exitCode, 1);
        const QList<QJsonObject> lines = r.json();
        QCOMPARE(lines.size(), 2);
        for (const QJsonObject &line : lines) {
            if (line.value(u"file"_s).toString() == locked) {
                QCOMPARE(line.value(u"state"_s).toString(), u"failed"_s);
                QVERIFY2(line.value(u"error"_s).toString().contains(u"Cannot read"_s),
                    qPrintable(line.value(u"error"_s).toString()));
            } else {
                QCOMPARE(line.value(u"state"_s).toString(), u"completed"_s);
            }
        }
    }

    void fallbackIsReported()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"tamper_upload_url"_s, true } }));
        const Run r = run(uploadArgs({ u"--json"_s, writeFile(u"f.bin"_s, content(3000)) }));
        QCOMPARE(r.exitCode, 0);
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"protocol"_s).toString(), u"async"_s);
        QVERIFY(line.value(u"fallback"_s).toString().contains(u"403"_s));
    }

    void noHashCheckTakesTheHostsAnswer_data()
    {
        QTest::addColumn<bool>("checked");
        QTest::newRow("checked (the default)") << true;
        QTest::newRow("--no-hash-check") << false;
    }
    void noHashCheckTakesTheHostsAnswer()
    {
        // The content-range host names the SHA-256 of other bytes for its copy: by default the
        // file then goes through the homeserver; with --no-hash-check the host's answer stands.
        QFETCH(bool, checked);
        startServer();
        QVERIFY(m_server->addFault({ { u"misreport_sha256"_s, true } }));
        const QByteArray bytes = content(300'000, 7);
        QStringList args { u"--json"_s };
        if (!checked)
            args << u"--no-hash-check"_s;
        const Run r = run(uploadArgs(args << writeFile(u"h.bin"_s, bytes)));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject line = r.json().value(0);
        const QString fallback = line.value(u"fallback"_s).toString();
        if (checked) {
            QCOMPARE(line.value(u"protocol"_s).toString(), u"async"_s);
            QVERIFY2(fallback.contains(u"SHA-256"_s), qPrintable(fallback));
        } else {
            QCOMPARE(line.value(u"protocol"_s).toString(), u"content-range"_s);
            QVERIFY2(fallback.isEmpty(), qPrintable(fallback));
        }
        QCOMPARE(m_server->mediaContent(line.value(u"content_uri"_s).toString()), bytes);
    }

    void tooLargeIsRefusedBeforeSending()
    {
        MediaTestServerConfig config;
        config.maxUploadSize = 1000;
        startServer(config);
        const Run r = run(uploadArgs({ writeFile(u"big.bin"_s, content(5000)) }));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("refuses files over"), r.err.constData());
        for (const QJsonValue &v : m_server->requests())
            QVERIFY(!v.toObject().value(u"path"_s).toString().contains(u"create"_s));
    }

    void killedAndResumed()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(16 * 256 * 1024 + 11);
        const QString path = writeFile(u"long.bin"_s, bytes);
        QProcess *cli = spawn(uploadArgs({ u"--chunk-size"_s, u"256K"_s, path }));
        // Two chunks confirmed (308), then the process dies without a chance to say anything.
        QTRY_VERIFY_WITH_TIMEOUT(uploadRequestsAnswered(308) >= 3, waitMs);
        ::kill(pid_t(cli->processId()), SIGKILL);
        finish(cli);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        awaitRequestsEnded();
        // What the server holds now is what a resume must continue from.
        const QString uri = lastUploadUrlMedia();
        const qint64 held = m_server->mediaInfo(uri).value(u"stored"_s).toInteger();
        QVERIFY(held >= 2 * 256 * 1024);
        m_server->clearRequests();

        const Run r = run(uploadArgs({ u"--resume"_s, u"--json"_s, u"--verify"_s }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"content_uri"_s).toString(), uri);
        QCOMPARE(line.value(u"verified"_s).toBool(), true);
        QCOMPARE(m_server->mediaContent(uri), bytes);
        // Asked first, then continued from the confirmed offset: no acknowledged byte again.
        QList<QJsonObject> sent;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject req = v.toObject();
            if (req.value(u"path"_s).toString().startsWith(u"/_upload/"_s))
                sent.append(req);
        }
        QVERIFY(sent.size() >= 2);
        QCOMPARE(sent.first().value(u"content_length"_s).toInteger(), 0);
        const QString range
            = sent.at(1).value(u"headers"_s).toObject().value(u"content-range"_s).toString();
        QVERIFY2(range.startsWith(u"bytes %1-"_s.arg(held)), qPrintable(range));
        // Nothing left to resume.
        const Run again = run(uploadArgs({ u"--resume"_s }));
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.err.contains("Nothing to resume"));
    }

    void interruptPausesAndResumes()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(16 * 256 * 1024);
        QProcess *cli
            = spawn(uploadArgs({ u"--chunk-size"_s, u"256K"_s, writeFile(u"f.bin"_s, bytes) }));
        QTRY_VERIFY_WITH_TIMEOUT(uploadRequestsAnswered(308) >= 2, waitMs);
        ::kill(pid_t(cli->processId()), SIGINT);
        const Run stopped = finish(cli);
        QCOMPARE(stopped.exitCode, 130);
        QVERIFY2(stopped.err.contains("--resume"), stopped.err.constData());
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        const Run r = run(uploadArgs({ u"--resume"_s, u"--json"_s }));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(
            m_server->mediaContent(r.json().value(0).value(u"content_uri"_s).toString()), bytes);
    }

    // SIGKILL at each state of an upload, each reached by waiting for evidence in the server's
    // request log (a fault parks the CLI exactly there), then --resume: the same content URI,
    // an equal copy, and no byte the server had confirmed offered again.
    void crashPoints_data()
    {
        QTest::addColumn<int>("point");
        QTest::addColumn<int>("protocol");
        for (const auto &[name, protocol] : { std::pair { "content-range", Protocol::ContentRange },
                 std::pair { "tus", Protocol::Tus } }) {
            QTest::addRow("%s, creating: create answered, nothing sent", name)
                << int(CrashPoint::Creating) << int(protocol);
            QTest::addRow("%s, mid-chunk", name) << int(CrashPoint::MidChunk) << int(protocol);
            QTest::addRow("%s, between chunks: the server took one unannounced", name)
                << int(CrashPoint::BetweenChunks) << int(protocol);
        }
        // A put URL: the whole file in one request, then complete.
        QTest::addRow("put, every byte confirmed, complete not arrived")
            << int(CrashPoint::BeforeComplete) << int(Protocol::Put);
        QTest::addRow("put, complete taken, its answer lost")
            << int(CrashPoint::CompleteAnswerLost) << int(Protocol::Put);
        QTest::addRow("content-range, completed, verifying: the resume record still there")
            << int(CrashPoint::AfterComplete) << int(Protocol::ContentRange);
    }
    void crashPoints()
    {
        QFETCH(int, point);
        QFETCH(int, protocol);
        const auto at = CrashPoint(point);
        MediaTestServerConfig config;
        // One complete path, so a fault's path prefix names it.
        config.completePaths = MediaTestServerConfig::CompletePaths::Stable;
        config.uploadUrlProtocol = Protocol(protocol);
        // What the server answers a chunk it took: 308 (content-range) or 204 (tus).
        const int chunkTaken = Protocol(protocol) == Protocol::Tus ? 204 : 308;
        startServer(config);
        const QString completePrefix = u"/_matrix/media/v1/upload/"_s;
        const QString downloadPrefix = u"/_matrix/client/v1/media/download/"_s;
        QJsonObject fault;
        switch (at) {
        case CrashPoint::Creating:
            // The first upload request is held in the relay: the server never sees it.
            fault = { { u"hold_request"_s, true }, { u"path_prefix"_s, u"/_upload/"_s },
                { u"times"_s, 1 } };
            break;
        case CrashPoint::MidChunk:
            fault = { { u"bandwidth"_s, 256 * 1024 } };
            break;
        case CrashPoint::BetweenChunks:
            // The first chunk (not the status query before it) is stored, its answer never comes.
            fault = { { u"hold_answer"_s, true }, { u"path_prefix"_s, u"/_upload/"_s },
                { u"min_body"_s, 1 }, { u"times"_s, 1 } };
            break;
        case CrashPoint::BeforeComplete:
            fault = { { u"hold_request"_s, true }, { u"path_prefix"_s, completePrefix },
                { u"times"_s, 1 } };
            break;
        case CrashPoint::CompleteAnswerLost:
            fault = { { u"hold_answer"_s, true }, { u"path_prefix"_s, completePrefix },
                { u"times"_s, 1 } };
            break;
        case CrashPoint::AfterComplete:
            fault = { { u"hold_answer"_s, true }, { u"path_prefix"_s, downloadPrefix },
                { u"times"_s, 1 } };
            break;
        }
        QVERIFY(m_server->addFault(fault));
        const QByteArray bytes = content(4 * 256 * 1024 + 11, point);
        const QStringList options { u"--chunk-size"_s, u"256K"_s, u"--verify"_s };
        QProcess *cli = spawn(uploadArgs(options + QStringList { writeFile(u"f.bin"_s, bytes) }));

        // The evidence that the CLI is where it should die.
        const auto seen
            = [this](const QString &prefix, const std::function<bool(const QJsonObject &)> &match) {
                  for (const QJsonValue &v : m_server->requests()) {
                      const QJsonObject r = v.toObject();
                      if (r.value(u"path"_s).toString().startsWith(prefix) && match(r))
                          return true;
                  }
                  return false;
              };
        const auto status = [](const QJsonObject &r) { return r.value(u"status"_s).toInt(); };
        const auto held = [](const QJsonObject &r) { return r.value(u"dropped"_s).toBool(); };
        switch (at) {
        case CrashPoint::Creating:
            QTRY_VERIFY_WITH_TIMEOUT(
                seen(u"/_upload/"_s, [](const QJsonObject &) { return true; }), waitMs);
            break;
        case CrashPoint::MidChunk:
            // One chunk confirmed, the next one partly through.
            QTRY_VERIFY_WITH_TIMEOUT(seen(u"/_upload/"_s,
                                         [&](const QJsonObject &r) {
                                             return status(r) == chunkTaken
                                                 && r.value(u"content_length"_s).toInteger() > 0;
                                         })
                    && seen(u"/_upload/"_s,
                        [&](const QJsonObject &r) {
                            const qint64 body = r.value(u"body_size"_s).toInteger();
                            return status(r) == 0 && body > 0
                                && body < r.value(u"content_length"_s).toInteger();
                        }),
                waitMs);
            break;
        case CrashPoint::BetweenChunks:
            QTRY_VERIFY_WITH_TIMEOUT(
                seen(u"/_upload/"_s,
                    [&](const QJsonObject &r) { return status(r) == chunkTaken && held(r); }),
                waitMs);
            break;
        case CrashPoint::BeforeComplete:
            QTRY_VERIFY_WITH_TIMEOUT(seen(completePrefix,
                                         [&](const QJsonObject &r) {
                                             return r.value(u"path"_s).toString().endsWith(
                                                        u"/complete"_s)
                                                 && status(r) == 0;
                                         }),
                waitMs);
            break;
        case CrashPoint::CompleteAnswerLost:
            QTRY_VERIFY_WITH_TIMEOUT(
                seen(completePrefix,
                    [&](const QJsonObject &r) { return status(r) == 200 && held(r); }),
                waitMs);
            break;
        case CrashPoint::AfterComplete:
            QTRY_VERIFY_WITH_TIMEOUT(
                seen(downloadPrefix,
                    [&](const QJsonObject &r) { return status(r) == 200 && held(r); }),
                waitMs);
            break;
        }
        ::kill(pid_t(cli->processId()), SIGKILL);
        finish(cli);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        awaitRequestsEnded();
        m_server->clearFaults();

        // What the server holds now: the resume must not offer any of it again.
        const QString uri = lastUploadUrlMedia();
        QVERIFY(!uri.isEmpty());
        const QJsonObject info = m_server->mediaInfo(uri);
        const qint64 confirmed = info.value(u"stored"_s).toInteger();
        switch (at) {
        case CrashPoint::Creating:
            QCOMPARE(confirmed, 0);
            break;
        case CrashPoint::MidChunk:
        case CrashPoint::BetweenChunks:
            QVERIFY2(
                confirmed > 0 && confirmed < bytes.size(), qPrintable(QString::number(confirmed)));
            break;
        default:
            QCOMPARE(confirmed, bytes.size());
        }
        // Whether the server took the complete (a put URL's record is complete from its PUT on).
        QCOMPARE(info.value(u"complete_called"_s).toBool(),
            at == CrashPoint::CompleteAnswerLost || at == CrashPoint::AfterComplete);
        m_server->clearRequests();

        const Run r = run(uploadArgs(options + QStringList { u"--resume"_s, u"--json"_s }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().size(), 1);
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(line.value(u"content_uri"_s).toString(), uri);
        QCOMPARE(line.value(u"verified"_s).toBool(), true);
        QCOMPARE(m_server->mediaContent(uri), bytes);
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject req = v.toObject();
            const QString path = req.value(u"path"_s).toString();
            QVERIFY2(!path.endsWith(u"/create"_s), "the resume created a new media ID");
            // No fallback through the homeserver: that would send every byte again.
            QVERIFY2(!path.startsWith(u"/_matrix/media/v3/upload"_s), qPrintable(path));
            if (!path.startsWith(u"/_upload/"_s) || req.value(u"content_length"_s).toInteger() <= 0)
                continue;
            // Where the body starts: Content-Range's first byte, tus' Upload-Offset, or 0 for a
            // whole-file PUT.
            const QJsonObject headers = req.value(u"headers"_s).toObject();
            const QString range = headers.value(u"content-range"_s).toString();
            const qint64 start = !range.isEmpty()
                ? range.section(u' ', 1).section(u'-', 0, 0).toLongLong()
                : headers.value(u"upload-offset"_s).toString().toLongLong();
            QVERIFY2(start >= confirmed,
                qPrintable(u"bytes from %1 offered again (the server held %2): %3 %4"_s.arg(start)
                               .arg(confirmed)
                               .arg(req.value(u"method"_s).toString(), range)));
        }
        const Run again = run(uploadArgs({ u"--resume"_s }));
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.err.contains("Nothing to resume"));
    }

    void encryptedUploadAndDownload()
    {
        startServer();
        const QByteArray bytes = content(700'001, 3);
        const QString path = writeFile(u"secret.bin"_s, bytes);
        const Run r = run(uploadArgs({ u"--encrypt"_s, u"--json"_s, path }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(line.value(u"encrypted"_s).toBool(), true);
        QCOMPARE(line.value(u"path"_s).toString(), path);
        // The sha256 of the line is the local file's, as for a plain upload.
        QCOMPARE(line.value(u"sha256"_s).toString().toLatin1(),
            QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        const QString uri = line.value(u"content_uri"_s).toString();
        const QJsonObject file = line.value(u"file"_s).toObject();
        QCOMPARE(file.value(u"url"_s).toString(), uri);
        QCOMPARE(file.value(u"v"_s).toString(), u"v2"_s);
        const QString k = file.value(u"key"_s).toObject().value(u"k"_s).toString();
        QCOMPARE(k.size(), 43); // 32 bytes in unpadded base64url
        // The server holds the ciphertext: as long, not the plaintext, with hashes.sha256.
        const QByteArray stored = m_server->mediaContent(uri);
        QCOMPARE(stored.size(), bytes.size());
        QVERIFY(stored != bytes);
        QCOMPARE(file.value(u"hashes"_s).toObject().value(u"sha256"_s).toString(),
            unpaddedSha256(stored));
        // Neither the key nor a file name went anywhere but standard output.
        QVERIFY(!r.err.contains(k.toLatin1()));
        for (const QJsonValue &v : m_server->requests())
            QVERIFY(!QJsonDocument(v.toObject()).toJson().contains("secret.bin"));

        // The whole --json line as FILE.json; the URI comes from it.
        const QString out = m_home->filePath(u"out.bin"_s);
        const QString lineFile = writeFile(u"line.json"_s, r.out.trimmed());
        Run d = run(downloadArgs({ u"--encrypted-file"_s, lineFile, u"-o"_s, out }));
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QCOMPARE(readAll(out), bytes);
        QVERIFY(!QFile::exists(out + u".part"_s));
        // The EncryptedFile alone, and the URI given as well.
        const QString fileJson = writeFile(u"file.json"_s, QJsonDocument(file).toJson());
        const QString out2 = m_home->filePath(u"out2.bin"_s);
        d = run(downloadArgs({ uri, u"--encrypted-file"_s, fileJson, u"-o"_s, out2 }));
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QCOMPARE(readAll(out2), bytes);
        // A whole event, its content holding `file`.
        const QJsonObject event { { u"type"_s, u"m.room.message"_s },
            { u"content"_s,
                QJsonObject { { u"msgtype"_s, u"m.file"_s }, { u"body"_s, u"secret.bin"_s },
                    { u"file"_s, file } } } };
        const QString eventJson = writeFile(u"event.json"_s, QJsonDocument(event).toJson());
        const QString out3 = m_home->filePath(u"out3.bin"_s);
        d = run(downloadArgs({ u"--encrypted-file"_s, eventJson, u"-o"_s, out3 }));
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QCOMPARE(readAll(out3), bytes);
        // Another URI than the EncryptedFile's is refused before anything is fetched.
        const QString out4 = m_home->filePath(u"out4.bin"_s);
        m_server->clearRequests();
        d = run(downloadArgs(
            { u"mxc://localhost/other"_s, u"--encrypted-file"_s, fileJson, u"-o"_s, out4 }));
        QVERIFY(d.exitCode != 0);
        QVERIFY2(d.err.contains("not of mxc://localhost/other"), d.err.constData());
        QVERIFY(!QFile::exists(out4));
        QCOMPARE(m_server->requests().size(), 0);
    }

    void encryptedTextOutput()
    {
        startServer();
        const QString path = writeFile(u"t.bin"_s, content(1000, 4));
        const Run r = run(uploadArgs({ u"--encrypt"_s, path }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> fields = r.out.trimmed().split('\t');
        QCOMPARE(fields.size(), 4);
        QVERIFY(fields[0].startsWith("mxc://localhost/"));
        QCOMPARE(fields[2], "encrypted"_ba);
        const QJsonObject file = QJsonDocument::fromJson(fields[3]).object();
        QCOMPARE(file.value(u"url"_s).toString().toLatin1(), fields[0]);
    }

    void encryptedDownloadRefusesBadBytes_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addRow("server flips a byte") << u"tamper"_s;
        QTest::addRow("wrong hash in the json") << u"hash"_s;
    }
    void encryptedDownloadRefusesBadBytes()
    {
        QFETCH(QString, how);
        startServer();
        const QByteArray bytes = content(300'000, 5);
        const QJsonObject line = encryptedUpload(bytes);
        QJsonObject file = line.value(u"file"_s).toObject();
        QVERIFY(!file.isEmpty());
        if (how == u"tamper"_s) {
            QVERIFY(m_server->addFault({ { u"tamper_download"_s, true }, { u"times"_s, 1 } }));
        } else {
            QJsonObject hashes = file.value(u"hashes"_s).toObject();
            hashes.insert(u"sha256"_s, unpaddedSha256("something else"));
            file.insert(u"hashes"_s, hashes);
        }
        const QString fileJson = writeFile(u"file.json"_s, QJsonDocument(file).toJson());
        const QString out = m_home->filePath(u"out.bin"_s);
        const Run d = run(downloadArgs({ u"--encrypted-file"_s, fileJson, u"-o"_s, out }));
        QCOMPARE(d.exitCode, 1);
        QVERIFY2(d.err.contains("SHA-256"), d.err.constData());
        QVERIFY2(d.err.contains("Nothing was written"), d.err.constData());
        QVERIFY(!QFile::exists(out));
        QVERIFY(!QFile::exists(out + u".part"_s));
    }

    void plainDownload()
    {
        startServer();
        const QByteArray bytes = content(400'003, 6);
        const Run r = run(uploadArgs({ u"--json"_s, writeFile(u"p.bin"_s, bytes) }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"encrypted"_s).toBool(), false);
        QCOMPARE(line.value(u"file"_s).toString(), line.value(u"path"_s).toString());
        const QString uri = line.value(u"content_uri"_s).toString();
        m_server->clearRequests();
        const QString out = m_home->filePath(u"out.bin"_s);
        const Run d = run(downloadArgs({ uri, u"-o"_s, out }));
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QCOMPARE(readAll(out), bytes);
        // Authenticated media, with the token in the header.
        bool authenticated = false;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject req = v.toObject();
            if (req.value(u"path"_s).toString().startsWith(u"/_matrix/client/v1/media/download/"_s))
                authenticated = req.value(u"headers"_s).toObject().contains(u"authorization"_s);
        }
        QVERIFY(authenticated);
        // Unknown media: a clear failure, no file.
        const QString missing = m_home->filePath(u"missing.bin"_s);
        const Run m = run(downloadArgs({ u"mxc://localhost/nothing"_s, u"-o"_s, missing }));
        QCOMPARE(m.exitCode, 1);
        QVERIFY2(m.err.contains("cannot download mxc://localhost/nothing"), m.err.constData());
        QVERIFY(!QFile::exists(missing));
        QVERIFY(!QFile::exists(missing + u".part"_s));
        // Usage errors.
        QCOMPARE(run(downloadArgs({ uri })).exitCode, 2);
        QCOMPARE(run(downloadArgs({ u"-o"_s, out })).exitCode, 2);
        QCOMPARE(run(downloadArgs({ u"https://example.org/x"_s, u"-o"_s, out })).exitCode, 2);
    }

    void encryptedKilledAndResumed()
    {
        if (qEnvironmentVariableIsEmpty("MU_PRIVATE_KEYRING"))
            QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh: the key lives there");
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(16 * 256 * 1024 + 11, 7);
        const QString path = writeFile(u"long.bin"_s, bytes);
        QProcess *cli = spawn(uploadArgs({ u"--encrypt"_s, u"--chunk-size"_s, u"256K"_s, path }));
        QTRY_VERIFY_WITH_TIMEOUT(uploadRequestsAnswered(308) >= 3, waitMs);
        ::kill(pid_t(cli->processId()), SIGKILL);
        const Run killed = finish(cli);
        QVERIFY2(!killed.err.contains("cannot resume"), killed.err.constData());
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        awaitRequestsEnded();
        const QString uri = lastUploadUrlMedia();
        const qint64 held = m_server->mediaInfo(uri).value(u"stored"_s).toInteger();
        QVERIFY(held >= 2 * 256 * 1024);
        // What the killed run left on disk (its resume record), to search for the key later.
        const QHash<QString, QByteArray> leftOnDisk = filesOnDisk();
        m_server->clearRequests();

        const Run r = run(uploadArgs({ u"--resume"_s, u"--json"_s }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.err.contains("starts over"), r.err.constData());
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"content_uri"_s).toString(), uri);
        const QJsonObject file = line.value(u"file"_s).toObject();
        QCOMPARE(file.value(u"url"_s).toString(), uri);
        // Continued from what the server held, not begun anew.
        QList<QJsonObject> sent;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject req = v.toObject();
            if (req.value(u"path"_s).toString().startsWith(u"/_upload/"_s))
                sent.append(req);
        }
        QVERIFY(sent.size() >= 2);
        const QString range
            = sent.at(1).value(u"headers"_s).toObject().value(u"content-range"_s).toString();
        QVERIFY2(range.startsWith(u"bytes %1-"_s.arg(held)), qPrintable(range));
        // The ciphertext decrypts to the original.
        const QString out = m_home->filePath(u"out.bin"_s);
        const QString fileJson = writeFile(u"file.json"_s, QJsonDocument(file).toJson());
        const Run d = run(downloadArgs({ u"--encrypted-file"_s, fileJson, u"-o"_s, out }));
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QCOMPARE(readAll(out), bytes);
        // The key was never on disk in clear: not in the resume record or a settings file.
        const QByteArray k = file.value(u"key"_s).toObject().value(u"k"_s).toString().toLatin1();
        const QByteArray rawKey = QByteArray::fromBase64(
            k, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        QCOMPARE(rawKey.size(), 32);
        QVERIFY(!leftOnDisk.isEmpty());
        for (auto it = leftOnDisk.cbegin(); it != leftOnDisk.cend(); ++it) {
            QVERIFY2(!it.value().contains(k), qPrintable(it.key()));
            QVERIFY2(!it.value().contains(rawKey), qPrintable(it.key()));
            QVERIFY2(!it.value().contains(rawKey.toBase64()), qPrintable(it.key()));
        }
    }

    void encryptedWithoutKeychainSaysSo()
    {
        startServer();
        QTemporaryDir nowhere;
        // A session bus address that leads nowhere: no keychain.
        m_env.insert(
            u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + nowhere.filePath(u"no-bus"_s));
        const QByteArray bytes = content(5000, 8);
        const Run r
            = run(uploadArgs({ u"--encrypt"_s, u"--json"_s, writeFile(u"n.bin"_s, bytes) }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> notes = r.err.trimmed().split('\n');
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes[0].startsWith("note: no keychain"), r.err.constData());
        QVERIFY2(notes[0].contains("cannot resume"), r.err.constData());
        // The upload itself works.
        QVERIFY(!r.json().value(0).value(u"file"_s).toObject().isEmpty());
    }

    void loginUploadLogout()
    {
        if (qEnvironmentVariableIsEmpty("MU_PRIVATE_KEYRING"))
            QSKIP("needs the private keyring of run-with-keyring.sh (ctest runs it so)");
        startServer();
        const QString base = m_server->baseUrl().toString();
        const Run wrong
            = run({ u"login"_s, u"--homeserver"_s, base, u"--user"_s, u"alice"_s }, {}, "nope\n");
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("M_FORBIDDEN"), wrong.err.constData());

        const Run login
            = run({ u"login"_s, u"--homeserver"_s, base, u"--user"_s, u"alice"_s }, {}, "secret\n");
        QVERIFY2(login.exitCode == 0, login.err.constData());
        QVERIFY(login.out.contains("Signed in as @alice:localhost"));
        QVERIFY(!login.out.contains("secret") && !login.err.contains("secret"));
        // The new device is named after the program and this machine (in the locale's words).
        const QString device
            = m_server->devices().last().toObject().value(u"display_name"_s).toString();
        QVERIFY2(device.startsWith(u"Matrix Uploader "_s)
                && device.endsWith(u" "_s + QSysInfo::machineHostName()),
            qPrintable(device));
        // The token is in the keychain, not in the settings file.
        QDirIterator files(
            m_home->filePath(u"config"_s), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(!f.readAll().contains("mut_"));
        }

        const QByteArray bytes = content(4000);
        const Run upload = run({ u"upload"_s, u"--json"_s, writeFile(u"f.bin"_s, bytes) }, {});
        QVERIFY2(upload.exitCode == 0, upload.err.constData());
        QCOMPARE(m_server->mediaContent(upload.json().value(0).value(u"content_uri"_s).toString()),
            bytes);

        const Run logout = run({ u"logout"_s }, {});
        QVERIFY2(logout.exitCode == 0, logout.err.constData());
        bool loggedOut = false;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            loggedOut |= r.value(u"path"_s).toString() == u"/_matrix/client/v3/logout"_s
                && r.value(u"status"_s).toInt() == 200;
        }
        QVERIFY(loggedOut);
        const Run after
            = run({ u"upload"_s, u"--homeserver"_s, base, writeFile(u"g.bin"_s, bytes) }, {});
        QCOMPARE(after.exitCode, 1);
        QVERIFY2(after.err.contains("not signed in"), after.err.constData());
    }

    void renewedTokensAreKeptForTheNextRun()
    {
        if (qEnvironmentVariableIsEmpty("MU_PRIVATE_KEYRING"))
            QSKIP("needs the private keyring of run-with-keyring.sh (ctest runs it so)");
        MediaTestServerConfig config;
        config.tokenLifetimeMs = 3600 * 1000;
        startServer(config);
        const QString base = m_server->baseUrl().toString();
        const Run login
            = run({ u"login"_s, u"--homeserver"_s, base, u"--user"_s, u"alice"_s }, {}, "secret\n");
        QVERIFY2(login.exitCode == 0, login.err.constData());

        // Twice: the token has expired; the CLI renews it and stores the new pair, which the
        // second run needs (the server revoked the first refresh token once the new access
        // token was used).
        for (int round = 1; round <= 2; ++round) {
            QVERIFY(m_server->expireAccessToken(u"*"_s));
            const QByteArray bytes = content(3000 + round);
            const Run upload
                = run({ u"upload"_s, u"--json"_s, writeFile(u"r%1.bin"_s.arg(round), bytes) }, {});
            QVERIFY2(upload.exitCode == 0, upload.err.constData());
            QCOMPARE(
                m_server->mediaContent(upload.json().value(0).value(u"content_uri"_s).toString()),
                bytes);
            QCOMPARE(answered(u"/_matrix/client/v3/refresh"_s, 200), round);
        }
        QCOMPARE(answered(u"/_matrix/client/v3/refresh"_s, 401), 0);
        // Neither token is in the settings or data files; they are in the keychain.
        for (const QString &dir : { u"config"_s, u"data"_s }) {
            QDirIterator files(m_home->filePath(dir), QDir::Files, QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile f(files.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QByteArray text = f.readAll();
                QVERIFY2(
                    !text.contains("mut_") && !text.contains("mur_"), qPrintable(f.fileName()));
            }
        }
        QVERIFY(run({ u"logout"_s }, {}).exitCode == 0);
    }

    void rejectedTokenFailsClearlyAndStaysResumable()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(8 * 256 * 1024 + 9);
        QProcess *cli = spawn(uploadArgs(
            { u"--chunk-size"_s, u"256K"_s, u"--json"_s, writeFile(u"long.bin"_s, bytes) }));
        // The token (from the environment: no refresh token) dies while the bytes flow.
        QTRY_VERIFY_WITH_TIMEOUT(uploadRequestsAnswered(308) >= 2, waitMs);
        QVERIFY(m_server->expireAccessToken(u"*"_s));
        const Run stopped = finish(cli);
        QCOMPARE(stopped.exitCode, 1);
        QVERIFY2(stopped.err.contains("no longer accepts this sign-in"), stopped.err.constData());
        QVERIFY2(stopped.err.contains("matrix-uploader-cli login"), stopped.err.constData());
        QVERIFY2(stopped.err.contains("--resume"), stopped.err.constData());
        QCOMPARE(stopped.json().value(0).value(u"state"_s).toString(), u"paused"_s);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));

        // A new sign-in, and --resume continues from what the server holds.
        const qint64 sentBefore = [this] {
            qint64 sum = 0;
            for (const QJsonValue &v : m_server->requests()) {
                const QJsonObject r = v.toObject();
                if (r.value(u"path"_s).toString().startsWith(u"/_upload/"_s))
                    sum += r.value(u"body_size"_s).toInteger();
            }
            return sum;
        }();
        const QString token = freshToken();
        QVERIFY(!token.isEmpty());
        const Run resumed = run(uploadArgs({ u"--resume"_s, u"--json"_s }), token);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(m_server->mediaContent(resumed.json().value(0).value(u"content_uri"_s).toString()),
            bytes);
        qint64 sentAfter = 0;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            if (r.value(u"path"_s).toString().startsWith(u"/_upload/"_s))
                sentAfter += r.value(u"body_size"_s).toInteger();
        }
        QCOMPARE(sentAfter, bytes.size()); // each byte once, over both runs
        QVERIFY(sentBefore <= sentAfter);
    }

    void secretsNeverPrinted()
    {
        MediaTestServerConfig config;
        startServer(config);
        const Run r = run(
            uploadArgs({ u"--verbose"_s, u"--json"_s, writeFile(u"f.bin"_s, content(600'000)) }));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains("<redacted>")); // the steps were logged...
        QVERIFY(!r.err.contains("TOKEN") && !r.out.contains("TOKEN")); // ...without the token
        QVERIFY(!r.err.contains("sig=") && !r.out.contains("sig="));
    }

    void jsonLineDescribesAPhoto()
    {
        startServer();
        // Stored 1600x1200, shown turned a quarter (EXIF 6): 1200x1600, with a thumbnail.
        const QString path = writeFile(u"photo.jpg"_s, Testing::photo(QSize(1600, 1200), 6));
        const Run r = run(uploadArgs({ u"--json"_s, path }));
        QVERIFY2(r.exitCode == 0, qPrintable(failure(r)));
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"msgtype"_s).toString(), u"m.image"_s);
        const QJsonObject info = line.value(u"info"_s).toObject();
        QCOMPARE(info.value(u"mimetype"_s).toString(), u"image/jpeg"_s);
        QCOMPARE(info.value(u"size"_s).toInteger(), QFileInfo(path).size());
        QCOMPARE(info.value(u"w"_s).toInt(), 1200);
        QCOMPARE(info.value(u"h"_s).toInt(), 1600);
        QCOMPARE(info.value(u"xyz.amorgan.blurhash"_s).toString().size(), 4 + 2 * 4 * 3);
        // The thumbnail is on the server, as described.
        const QString thumbnailUrl = info.value(u"thumbnail_url"_s).toString();
        QVERIFY2(thumbnailUrl.startsWith(u"mxc://localhost/"_s), qPrintable(thumbnailUrl));
        QVERIFY(thumbnailUrl != line.value(u"content_uri"_s).toString());
        const QByteArray stored = m_server->mediaContent(thumbnailUrl);
        const QJsonObject thumbnailInfo = info.value(u"thumbnail_info"_s).toObject();
        QCOMPARE(thumbnailInfo.value(u"size"_s).toInteger(), stored.size());
        QCOMPARE(thumbnailInfo.value(u"mimetype"_s).toString(), u"image/jpeg"_s);
        QCOMPARE(QImage::fromData(stored).size(), QSize(450, 600));
        m_contents.append(messageOf(line));

        // Something that is no media: m.file with its type and size, no thumbnail.
        const QByteArray bytes = content(5000);
        const Run other = run(uploadArgs({ u"--json"_s, writeFile(u"data.bin"_s, bytes) }));
        QVERIFY2(other.exitCode == 0, qPrintable(failure(other)));
        const QJsonObject otherLine = other.json().value(0);
        QCOMPARE(otherLine.value(u"msgtype"_s).toString(), u"m.file"_s);
        const QJsonObject otherInfo = otherLine.value(u"info"_s).toObject();
        QCOMPARE(otherInfo.value(u"size"_s).toInteger(), bytes.size());
        QCOMPARE(otherInfo.value(u"mimetype"_s).toString(), u"application/octet-stream"_s);
        QVERIFY(!otherInfo.contains(u"thumbnail_url"_s));
        QVERIFY(!otherInfo.contains(u"w"_s));
        m_contents.append(messageOf(otherLine));
    }

    void jsonLineDescribesAVideo()
    {
        startServer();
        const QString path = m_home->filePath(u"clip.mp4"_s);
        const QString error = Testing::runFfmpeg(
            { u"-f"_s, u"lavfi"_s, u"-i"_s,
                u"color=c=blue:size=320x240:rate=25:d=2,drawbox=x=0:y=0:w=80:h=60:color=red:t=fill"_s,
                u"-c:v"_s, u"libx264"_s, u"-pix_fmt"_s, u"yuv420p"_s },
            path);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const Run r = run(uploadArgs({ u"--json"_s, path }));
        QVERIFY2(r.exitCode == 0, qPrintable(failure(r)));
        const QJsonObject line = r.json().value(0);
        QCOMPARE(line.value(u"msgtype"_s).toString(), u"m.video"_s);
        const QJsonObject info = line.value(u"info"_s).toObject();
        const QString mismatch = Testing::clipInfoMismatch(info);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(info.value(u"size"_s).toInteger(), QFileInfo(path).size());
        const QImage frame
            = QImage::fromData(m_server->mediaContent(info.value(u"thumbnail_url"_s).toString()));
        QCOMPARE(frame.size(), QSize(320, 240));
        // The CLI has no QGuiApplication: MediaInfoReader converts the decoder's YUV itself.
        QVERIFY2(
            Testing::isRed(frame.pixelColor(20, 20)), qPrintable(frame.pixelColor(20, 20).name()));
        const QColor middle = frame.pixelColor(200, 150);
        QVERIFY2(middle.blue() > 180 && middle.red() < 80 && middle.green() < 80,
            qPrintable(middle.name()));
        m_contents.append(messageOf(line));
    }

    void jsonLineOfAnEncryptedPhoto()
    {
        startServer();
        const QString path = writeFile(u"secret.jpg"_s, Testing::photo(QSize(1000, 1000), 1));
        const Run r = run(uploadArgs({ u"--encrypt"_s, u"--json"_s, path }));
        QVERIFY2(r.exitCode == 0, qPrintable(failure(r)));
        const QJsonObject line = r.json().value(0);
        const QJsonObject info = line.value(u"info"_s).toObject();
        QCOMPARE(info.value(u"mimetype"_s).toString(), u"image/jpeg"_s); // the plaintext's type
        QCOMPARE(info.value(u"w"_s).toInt(), 1000);
        QVERIFY(!info.contains(u"thumbnail_url"_s)); // never a plain link beside a secret
        const QJsonObject thumbnail = info.value(u"thumbnail_file"_s).toObject();
        const QJsonObject file = line.value(u"file"_s).toObject();
        QCOMPARE(thumbnail.value(u"v"_s).toString(), u"v2"_s);
        const QString key = thumbnail.value(u"key"_s).toObject().value(u"k"_s).toString();
        QCOMPARE(key.size(), 43);
        QVERIFY(key != file.value(u"key"_s).toObject().value(u"k"_s).toString()); // its own key
        QVERIFY(!r.err.contains(key.toLatin1()));
        // Not a picture on the server; the CLI's own download opens it.
        const QString uri = thumbnail.value(u"url"_s).toString();
        QVERIFY(QImage::fromData(m_server->mediaContent(uri)).isNull());
        const QString out = m_home->filePath(u"thumbnail.jpg"_s);
        const Run d = run(downloadArgs({ u"--encrypted-file"_s,
            writeFile(u"thumbnail.json"_s, QJsonDocument(thumbnail).toJson()), u"-o"_s, out }));
        QVERIFY2(d.exitCode == 0, qPrintable(failure(d)));
        const QByteArray plain = readAll(out);
        QCOMPARE(QImage::fromData(plain).size(), QSize(600, 600));
        QCOMPARE(
            info.value(u"thumbnail_info"_s).toObject().value(u"size"_s).toInteger(), plain.size());
        m_contents.append(messageOf(line));
    }

    void jsonLinesMatchTheSpec()
    {
        // The info and msgtype of the lines above, in an m.room.message content, against the
        // spec's schemas (m.image, m.video, m.file) through tests/schema's Ajv.
        QCOMPARE(m_contents.size(), 4);
        const QString errors = Testing::eventSchemaErrors(m_contents);
        QVERIFY2(errors.isEmpty(), qPrintable(errors));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addRow("no command") << QStringList();
        QTest::addRow("unknown command") << QStringList { u"frobnicate"_s };
        QTest::addRow("no files") << QStringList { u"upload"_s, u"--homeserver"_s,
            u"http://127.0.0.1:1"_s };
        QTest::addRow("bad chunk size")
            << QStringList { u"upload"_s, u"--chunk-size"_s, u"1000"_s, u"x"_s };
        QTest::addRow("bad protocol")
            << QStringList { u"upload"_s, u"--protocol"_s, u"ftp"_s, u"x"_s };
        QTest::addRow("login without user")
            << QStringList { u"login"_s, u"--homeserver"_s, u"x"_s };
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());
    }

private:
    //! Why a run failed: its exit status and its error output without the lines FFmpeg logs
    //! while it looks for hardware decoders.
    static QString failure(const Run &r)
    {
        QStringList lines;
        for (const QString &line : QString::fromUtf8(r.err).split(u'\n')) {
            if (!line.contains(u"HW"_s) && !line.contains(u"hw context"_s)
                && !line.contains(u"AVHWDevice"_s) && !line.startsWith(u'>'))
                lines.append(line);
        }
        return u"exit status %1: %2"_s.arg(r.exitCode).arg(lines.join(u'\n'));
    }

    //! The m.room.message content a client would post from a --json line.
    static QJsonObject messageOf(const QJsonObject &line)
    {
        QJsonObject content { { u"msgtype"_s, line.value(u"msgtype"_s) },
            { u"body"_s, QFileInfo(line.value(u"path"_s).toString()).fileName() },
            { u"info"_s, line.value(u"info"_s) } };
        if (line.value(u"encrypted"_s).toBool())
            content.insert(u"file"_s, line.value(u"file"_s));
        else
            content.insert(u"url"_s, line.value(u"content_uri"_s));
        return content;
    }

    QJsonArray m_contents; //!< for jsonLinesMatchTheSpec()
};

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
