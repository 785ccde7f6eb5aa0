// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Regression tests of issue 14 (robustness under faults) for UploadJob, end to end against the
// in-process test server over loopback sockets: a stalled request is a retry, not a cancel; a
// 409 check whose download fails is retried; options a library caller can get wrong.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/store/filefingerprint.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/transfer/transfer_p.h>
#include <matrixupload/uploadjob.h>

#include "uploadbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QDateTime>
#include <QFileInfo>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;
using Route = UploadJob::Route;
using Protocol = MediaTestServerConfig::UploadUrlProtocol;

namespace {
//! Short enough to stall a request in a test, long enough for loopback answers on a busy machine
//! (a request that times out by accident is retried too).
constexpr int stallTimeoutMs = 700;
//! How long a stalled request is held back: well past the timeout, so the client gives up first.
constexpr int stallMs = 60000;

const QString createPath = u"/_matrix/media/v1/create"_s;
const QString asyncPutPath = u"/_matrix/media/v3/upload/"_s;
const QString legacyPath = u"/_matrix/media/v3/upload"_s;
// The test server flags com.beeper.msc3870, so the client calls the unstable path first.
const QString completePath = u"/_matrix/media/unstable/com.beeper.msc3870/upload/"_s;
const QString downloadPath = u"/_matrix/client/v1/media/download/"_s;

//! An upload host that is down for a while: a loopback port nobody listens on until open() is
//! called, then a plain TCP forwarder to the test server (a CDN node back from a restart).
class RestartingHost final : public QObject
{
public:
    RestartingHost()
    {
        // A free port, closed again at once: connections to it are refused until open().
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        connect(&m_server, &QTcpServer::newConnection, this, &RestartingHost::accept);
    }
    quint16 port() const { return m_port; }
    //! From now on, connections are taken and forwarded to \a target.
    bool open(quint16 target)
    {
        m_target = target;
        return m_server.listen(QHostAddress::LocalHost, m_port);
    }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            auto *upstream = new QTcpSocket(client);
            connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] {
                upstream->write(client->readAll()); // buffered until connected
            });
            connect(upstream, &QTcpSocket::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            upstream->connectToHost(QHostAddress::LocalHost, m_target);
        }
    }

    quint16 m_target = 0;
    quint16 m_port = 0;
    QTcpServer m_server;
};
} // namespace

class tst_UploadJobRobustness final : public QObject, protected UploadJobBench
{
    Q_OBJECT

    static MediaTestServerConfig config(Protocol protocol)
    {
        MediaTestServerConfig c;
        c.uploadUrlProtocol = protocol;
        return c;
    }

    std::unique_ptr<UploadJob> makeJob(const QString &path, const UploadOptions &o)
    {
        return std::make_unique<UploadJob>(
            path, UploadContext { m_api.get(), m_uploadNam, &m_store }, o);
    }

    //! Holds back the next request under \a prefix until long after the client's timeout;
    //! with \a afterWork the server handles it and holds back its answer instead.
    void stall(const QString &prefix, bool afterWork = false)
    {
        if (afterWork)
            QVERIFY(
                m_server->addFault({ { u"hold_answer"_s, true }, { u"path_prefix"_s, prefix } }));
        else
            QVERIFY(m_server->addFault(
                { { u"latency_ms"_s, stallMs }, { u"times"_s, 1 }, { u"path_prefix"_s, prefix } }));
    }

    //! A resume record for \a path on a new ID of the server, as a job would have left it after
    //! create; \a edit changes it before it is stored.
    ResumeRecord restoredRecord(
        const QString &path, const std::function<void(ResumeRecord &)> &edit)
    {
        ApiCall<CreateResult> *call = m_api->createContent();
        QSignalSpy done(call, &ApiCallBase::finished);
        if (!done.wait(30000) || !call->result())
            qFatal("create failed");
        const CreateResult created = *call->result();
        call->deleteLater();
        ResumeRecord r;
        r.id = u"restored-record"_s;
        r.filePath = path;
        r.fileName = QFileInfo(path).fileName();
        r.mediaType = u"application/octet-stream"_s;
        r.fingerprint = *FileFingerprint::of(path);
        r.homeserver = m_server->baseUrl();
        r.contentUri = created.contentUri.toString();
        r.expiresAtMs = created.unusedExpiresAt.value_or(0);
        r.uploadUrl = created.uploadUrl;
        r.uploadMethod = QString::fromLatin1(created.uploadMethod);
        r.protocol = created.uploadProtocol;
        r.createdAtMs = QDateTime::currentMSecsSinceEpoch();
        edit(r);
        m_store.store(r);
        return r;
    }

private Q_SLOTS:
    void initTestCase() { startUploadJobTests(this); }

    void cleanup() { finishUploadJobTest(); }

    // --- item 1: a stall is retried like a dropped connection ----------------------------

    void aStalledRequestIsRetried_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addColumn<QString>("force");
        QTest::addColumn<bool>("verify");
        QTest::addColumn<QString>("stalled");
        QTest::addColumn<bool>("afterWork"); // the server did the work; its answer stalls
        QTest::addColumn<int>("route");
        const int url = int(Route::UploadUrl);
        const int cr = int(Protocol::ContentRange);
        QTest::addRow("create") << cr << QString() << false << createPath << false << url;
        QTest::addRow("MSC2246 PUT") << int(Protocol::None) << QString() << false << asyncPutPath
                                     << false << int(Route::ContentUri);
        QTest::addRow("legacy POST") << int(Protocol::None) << u"legacy"_s << false << legacyPath
                                     << false << int(Route::Legacy);
        QTest::addRow("complete") << cr << QString() << false << completePath << false << url;
        QTest::addRow("complete, answer stalled")
            << cr << QString() << false << completePath << true << url;
        QTest::addRow("verification download")
            << cr << QString() << true << downloadPath << false << url;
        QTest::addRow("upload URL") << cr << QString() << false << u"/_upload/"_s << false << url;
    }
    void aStalledRequestIsRetried()
    {
        // Issue 14, item 1: Qt reports its inactivity timeout as OperationCanceledError, which
        // was read as a cancel: the job failed for good on the first stalled request.
        QFETCH(int, serverProtocol);
        QFETCH(QString, force);
        QFETCH(bool, verify);
        QFETCH(QString, stalled);
        QFETCH(bool, afterWork);
        QFETCH(int, route);
        startServer(config(Protocol(serverProtocol)));
        m_api->setTransferTimeout(stallTimeoutMs);
        stall(stalled, afterWork);
        const QByteArray bytes = content(2 * chunk + 99);
        UploadOptions o = options();
        o.forceProtocol = force;
        o.verify = verify;
        o.inactivityTimeoutMs = stallTimeoutMs; // the upload URL's requests
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), o);
        QSignalSpy states(job.get(), &UploadJob::stateChanged);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(int(job->route()), route);
        QVERIFY2(job->fallbackReason().isEmpty() || route != int(Route::UploadUrl),
            qPrintable(job->fallbackReason()));
        QCOMPARE(job->isVerified(), verify);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(states.contains(QVariantList { QVariant::fromValue(State::WaitingToRetry) }));
        // The stalled request never reached a handler (or its answer never the client); the
        // one after it did.
        const QList<QJsonObject> seen = requestsTo(stalled);
        QVERIFY(seen.size() >= 2);
        QCOMPARE(seen.first().value(u"status"_s).toInt(), afterWork ? 200 : 0);
        QVERIFY(m_store.loadAll().isEmpty());
    }

    void aStalledCompleteKeepsTheResumeRecord()
    {
        // Issue 14, item 1: every byte is at the upload host when complete stalls; the record
        // that says so must outlive the stall, or a restart would upload everything again.
        startServer();
        m_api->setTransferTimeout(stallTimeoutMs);
        QVERIFY(m_server->addFault({ { u"latency_ms"_s, stallMs }, { u"times"_s, -1 },
            { u"path_prefix"_s, completePath } }));
        const QByteArray bytes = content(3 * chunk);
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), options());
        std::optional<ResumeRecord> whileWaiting;
        connect(job.get(), &UploadJob::stateChanged, this, [&](State s) {
            if (s == State::WaitingToRetry && !whileWaiting)
                whileWaiting = m_store.load(job->id());
        });
        job->start();
        QTRY_VERIFY_WITH_TIMEOUT(whileWaiting.has_value() || job->isTerminal(), 30000);
        QVERIFY2(whileWaiting, qPrintable(job->errorString()));
        QCOMPARE(whileWaiting->confirmedOffset, bytes.size());
        QCOMPARE(whileWaiting->contentUri, job->contentUri());
        QVERIFY(!job->isTerminal());
        // The stall ends: the next complete goes through, and only then is the record dropped.
        m_server->clearFaults();
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(m_store.loadAll().isEmpty());
        // Not one byte went to the upload URL twice.
        qint64 sent = 0;
        for (const QJsonObject &r : requestsTo(u"/_upload/"_s))
            sent += r.value(u"body_size"_s).toInteger();
        QCOMPARE(sent, bytes.size());
    }

    // --- item 2: only a real difference ends the 409 check -----------------------------------

    void aConflictCheckWhoseDownloadFailsIsRetried_data()
    {
        QTest::addColumn<QJsonObject>("downloadFault");
        QTest::addRow("504 M_NOT_YET_UPLOADED")
            << QJsonObject { { u"status"_s, 504 }, { u"route"_s, u"download"_s },
                   { u"errcode"_s, u"M_NOT_YET_UPLOADED"_s }, { u"times"_s, 2 } };
        QTest::addRow("404 M_NOT_FOUND") << QJsonObject { { u"status"_s, 404 },
            { u"route"_s, u"download"_s }, { u"errcode"_s, u"M_NOT_FOUND"_s }, { u"times"_s, 1 } };
        // A lost answer would not do: QtNetwork sends a GET again by itself once.
        QTest::addRow("stalled") << QJsonObject { { u"latency_ms"_s, stallMs },
            { u"path_prefix"_s, downloadPath }, { u"times"_s, 1 } };
        QTest::addRow("500") << QJsonObject { { u"status"_s, 500 }, { u"route"_s, u"download"_s },
            { u"times"_s, 1 } };
    }
    void aConflictCheckWhoseDownloadFailsIsRetried()
    {
        // Issue 14, item 2: the PUT's answer is lost, the next PUT meets 409, and the download
        // that checks whose content it is fails: that says nothing about the content.
        QFETCH(QJsonObject, downloadFault);
        startServer(config(Protocol::None));
        m_api->setTransferTimeout(stallTimeoutMs);
        QVERIFY(
            m_server->addFault({ { u"drop_answer"_s, true }, { u"path_prefix"_s, asyncPutPath } }));
        QVERIFY(m_server->addFault(downloadFault));
        const QByteArray bytes = content(70000);
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), options());
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QVERIFY(job->isVerified()); // the check that passed in the end compared the content
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(requestsTo(downloadPath).size() >= 2);
    }

    void aConflictWithOtherContentStillFails()
    {
        // The one way the 409 check may end the job: the server's copy differs.
        startServer(config(Protocol::None));
        QVERIFY(
            m_server->addFault({ { u"drop_answer"_s, true }, { u"path_prefix"_s, asyncPutPath } }));
        QVERIFY(m_server->addFault({ { u"tamper_download"_s, true } }));
        auto job = makeJob(writeFile(u"f.bin"_s, content(70000)), options());
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(job->error(), UploadJob::Error::Refused);
        QVERIFY2(job->errorString().contains(u"other content"_s), qPrintable(job->errorString()));
        QCOMPARE(requestsTo(downloadPath).size(), 1);
    }

    // --- issue 14: answers cut short ---------------------------------------------------------

    void aShortAnswerIsRetriedNeverTaken_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<int>("cutAfter");
        QTest::addRow("create, in the head") << createPath << 20;
        QTest::addRow("create, in the body") << createPath << 200;
        QTest::addRow("complete, in the head") << completePath << 20;
    }
    void aShortAnswerIsRetriedNeverTaken()
    {
        // The server handles the request and sends its answer only in part before the
        // connection ends (cut_after_bytes): the job asks again and goes on with a whole answer.
        QFETCH(QString, prefix);
        QFETCH(int, cutAfter);
        startServer(config(Protocol::ContentRange));
        QVERIFY(m_server->addFault({ { u"cut_after_bytes"_s, cutAfter },
            { u"path_prefix"_s, prefix }, { u"times"_s, 1 } }));
        const QByteArray bytes = content(2 * chunk + 9, 8);
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), options());
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        const QList<QJsonObject> cut = requestsTo(prefix);
        QVERIFY(cut.size() >= 2);
        QVERIFY(cut.first().value(u"dropped"_s).toBool()); // the short answer
        // Only the media ID of a whole answer was used: every upload went to it.
        const QString id = job->contentUri().section(u'/', -1);
        for (const QJsonObject &r : requestsTo(u"/_upload/"_s))
            QCOMPARE(r.value(u"path"_s).toString(), u"/_upload/"_s + id);
    }

    // --- item 7: complete is a state a job resumes into ----------------------------------------

    void aJobWithEveryByteConfirmedResumesIntoComplete_data()
    {
        QTest::addColumn<bool>("restart");
        QTest::addRow("paused and resumed") << false;
        QTest::addRow("restored from its record") << true;
    }
    void aJobWithEveryByteConfirmedResumesIntoComplete()
    {
        // Issue 14, item 7: a put job paused (or stopped) while complete was under way sent
        // the whole file to the upload URL again when it went on.
        QFETCH(bool, restart);
        startServer(config(Protocol::Put));
        // Complete is held at the server until the job has gone away from it (not a latency
        // that must outlast the pause).
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true }, { u"times"_s, 1 },
            { u"path_prefix"_s, completePath } }));
        const QByteArray bytes = content(2 * chunk + 3);
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), options());
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->heldRequests(), 1, 30000);
        QCOMPARE(requestsTo(completePath).size(), 1);
        QCOMPARE(job->state(), State::Finalizing);
        QCOMPARE(job->confirmedBytes(), bytes.size());
        const qsizetype uploads = requestsTo(u"/_upload/"_s).size();
        QCOMPARE(uploads, 1);
        if (restart) {
            const auto record = m_store.load(job->id());
            QVERIFY(record);
            QCOMPARE(record->confirmedOffset, bytes.size());
            job.reset(); // the program stops
            job = std::make_unique<UploadJob>(
                *record, UploadContext { m_api.get(), m_uploadNam, &m_store }, options());
        } else {
            job->pause();
        }
        QCOMPARE(job->state(), State::Paused);
        job->resume();
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), uploads); // no byte went again
        QCOMPARE(requestsTo(asyncPutPath).size(), 0);
        QCOMPARE(requestsTo(completePath).size(), 2);
        QVERIFY(m_store.loadAll().isEmpty());
    }

    void aRetriedCompleteThatIsRefusedChecksByDownload_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addRow("409") << 409 << u"M_CANNOT_OVERWRITE_MEDIA"_s;
        QTest::addRow("400") << 400 << u"M_INVALID_PARAM"_s;
    }
    void aRetriedCompleteThatIsRefusedChecksByDownload()
    {
        // Issue 14, item 7: the server took the first complete, its answer was lost, and it
        // refuses the second: the job failed although the server held the file.
        QFETCH(int, status);
        QFETCH(QString, errcode);
        startServer();
        m_api->setTransferTimeout(stallTimeoutMs);
        // Not drop_answer: QtNetwork would send the POST again by itself, unseen by the job.
        QVERIFY(
            m_server->addFault({ { u"hold_answer"_s, true }, { u"path_prefix"_s, completePath } }));
        const QByteArray bytes = content(2 * chunk);
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), options());
        bool armed = false;
        connect(job.get(), &UploadJob::stateChanged, this, [&](State s) {
            if (s == State::WaitingToRetry && !armed) { // after the lost answer
                armed = true;
                QVERIFY(m_server->addFault({ { u"status"_s, status }, { u"errcode"_s, errcode },
                    { u"route"_s, u"complete"_s } }));
            }
        });
        QVERIFY(runToEnd(*job));
        for (const auto &r : requestsTo(completePath))
            qWarning() << r;
        QVERIFY(armed);
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QVERIFY(job->isVerified());
        QCOMPARE(requestsTo(completePath).size(), 2);
        QCOMPARE(requestsTo(completePath).first().value(u"status"_s).toInt(), 200); // taken
        QCOMPARE(requestsTo(completePath).last().value(u"status"_s).toInt(), status);
        QCOMPARE(requestsTo(downloadPath).size(), 1);
        QVERIFY(m_store.loadAll().isEmpty());
    }

    void aFirstCompleteThatIsRefusedStillFails()
    {
        // Without an earlier complete, a 400 is the server's refusal of what it got.
        startServer();
        QVERIFY(m_server->addFault({ { u"status"_s, 400 }, { u"errcode"_s, u"M_INVALID_PARAM"_s },
            { u"route"_s, u"complete"_s } }));
        auto job = makeJob(writeFile(u"f.bin"_s, content(chunk)), options());
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(job->error(), UploadJob::Error::Refused);
        QCOMPARE(requestsTo(downloadPath).size(), 0);
    }

    // --- item 9: connection failures at an upload URL are retried before any fallback ---------

    void anUploadHostThatRefusesConnectionsForAWhileIsRetried_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addRow("put") << int(Protocol::Put);
        QTest::addRow("content-range") << int(Protocol::ContentRange);
        QTest::addRow("tus") << int(Protocol::Tus);
    }
    void anUploadHostThatRefusesConnectionsForAWhileIsRetried()
    {
        // Issue 14, item 9: the upload host refused the first connection (a CDN node
        // restarting), before it had confirmed a byte; the job sent the file through the
        // homeserver at once.
        QFETCH(int, serverProtocol);
        RestartingHost host;
        MediaTestServerConfig c = config(Protocol(serverProtocol));
        c.uploadUrlBase = QUrl(u"http://127.0.0.1:%1"_s.arg(host.port()));
        startServer(c);
        const QByteArray bytes = content(2 * chunk + 11);
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), options());
        bool reopened = false;
        connect(job.get(), &UploadJob::stateChanged, this, [&](State s) {
            if (s == State::WaitingToRetry && !reopened) // the first try was refused
                reopened = host.open(quint16(m_server->baseUrl().port()));
        });
        QVERIFY(runToEnd(*job));
        QVERIFY(reopened);
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), Route::UploadUrl);
        QVERIFY2(job->fallbackReason().isEmpty(), qPrintable(job->fallbackReason()));
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(requestsTo(asyncPutPath).size(), 0);
    }

    // --- item 4: options a library caller can get wrong ----------------------------------------

    void aChunkSizeOfZeroOrLessUsesTheDefault_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addColumn<qint64>("chunkSize");
        QTest::addRow("content-range, 0") << int(Protocol::ContentRange) << qint64(0);
        QTest::addRow("content-range, -1") << int(Protocol::ContentRange) << qint64(-1);
        QTest::addRow("tus, 0") << int(Protocol::Tus) << qint64(0);
    }
    void aChunkSizeOfZeroOrLessUsesTheDefault()
    {
        // Issue 14, item 4: a chunk of 0 bytes never moved the offset, and the job asked the
        // host again and again without a pause.
        QFETCH(int, serverProtocol);
        QFETCH(qint64, chunkSize);
        startServer(config(Protocol(serverProtocol)));
        const QByteArray bytes = content(3 * chunk + 5);
        UploadOptions o = options();
        o.chunkSize = chunkSize;
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), o);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), Route::UploadUrl);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        // One request with the whole file (the default chunk is larger), after the offset query.
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), 2);
    }
    // --- item 8: smaller ones -------------------------------------------------------------------

    void aPutAnsweredUnrecognizedIsNoExpiredId()
    {
        // A server that does not know the MSC2246 PUT answers 404 M_UNRECOGNIZED: the job took
        // that for an expired ID and created new ones, meeting the same answer each time.
        startServer();
        QVERIFY(m_server->addFault({ { u"status"_s, 404 }, { u"errcode"_s, u"M_UNRECOGNIZED"_s },
            { u"route"_s, u"upload"_s }, { u"times"_s, 1 } }));
        const QByteArray bytes = content(chunk + 9);
        UploadOptions o = options();
        o.forceProtocol = u"async"_s;
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), o);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), Route::Legacy);
        QCOMPARE(requestsTo(createPath).size(), 1);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(!job->fallbackReason().isEmpty());
    }

    void aRestoredRecordIsCheckedAgain_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addRow("unknown protocol") << u"protocol"_s;
        QTest::addRow("upload URLs turned off since") << u"options"_s;
        QTest::addRow("plain http to a public host") << u"scheme"_s;
        QTest::addRow("a method that is no upload") << u"method"_s;
    }
    void aRestoredRecordIsCheckedAgain()
    {
        // A record is checked as a create answer is: an unknown protocol crashed the job (no
        // transfer to make), and a URL or options this run would refuse were used as they were.
        QFETCH(QString, change);
        startServer();
        const QByteArray bytes = content(chunk + 11);
        const QString path = writeFile(u"f.bin"_s, bytes);
        const QUrl publicHttp(u"http://upload.invalid/_upload/x"_s);
        const ResumeRecord record = restoredRecord(path, [&](ResumeRecord &r) {
            if (change == u"protocol"_s)
                r.protocol = u"carrier-pigeon"_s;
            else if (change == u"scheme"_s)
                r.uploadUrl = publicHttp;
            else if (change == u"method"_s) {
                r.protocol = u"put"_s;
                r.uploadMethod = u"DELETE"_s;
            }
        });
        UploadOptions o = options();
        o.useUploadUrls = change != u"options"_s;
        UploadJob job(record, UploadContext { m_api.get(), m_uploadNam, &m_store }, o);
        QCOMPARE(job.route(), Route::UploadUrl);
        job.resume();
        QVERIFY(runToEnd(job));
        QVERIFY2(job.state() == State::Completed, qPrintable(job.errorString()));
        QCOMPARE(job.route(), Route::ContentUri);
        QCOMPARE(job.contentUri(), record.contentUri);
        QCOMPARE(m_server->mediaContent(job.contentUri()), bytes);
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), 0);
        if (change == u"scheme"_s) // refused for what it is, not after trying the host
            QCOMPARE(job.fallbackReason(), checkUploadUrl(publicHttp, m_server->baseUrl()));
        else
            QVERIFY(!job.fallbackReason().startsWith(u"direct upload refused"_s));
    }

    void eachPhaseHasItsOwnRetryBudget()
    {
        // The retries of create used up the transfer's: two failed creates and two failed
        // status queries at the upload URL made a job allowed three retries fall back.
        startServer();
        QVERIFY(m_server->addFault(
            { { u"status"_s, 503 }, { u"route"_s, u"create"_s }, { u"times"_s, 2 } }));
        QVERIFY(m_server->addFault(
            { { u"status"_s, 503 }, { u"route"_s, u"upload_url"_s }, { u"times"_s, 2 } }));
        const QByteArray bytes = content(2 * chunk + 1);
        UploadOptions o = options();
        o.retry.maxAttempts = 3;
        auto job = makeJob(writeFile(u"f.bin"_s, bytes), o);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), Route::UploadUrl);
        QCOMPARE(job->fallbackReason(), QString());
        QCOMPARE(requestsTo(createPath).size(), 3);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
    }

    // --- item 11: Beeper's create extension ----------------------------------------------------

    void aCreateAnswerWithCompletedAtSendsNoBytes_data()
    {
        QTest::addColumn<bool>("verify");
        QTest::addRow("plain") << false;
        QTest::addRow("verified") << true;
    }
    void aCreateAnswerWithCompletedAtSendsNoBytes()
    {
        // Issue 14, item 11: com.beeper.completed_at in the create answer means the server
        // holds the content: the job completes on that URI without sending a byte.
        QFETCH(bool, verify);
        startServer();
        const QByteArray bytes = content(3 * chunk + 5);
        const QString path = writeFile(u"same.bin"_s, bytes);
        auto first = makeJob(path, options());
        QVERIFY(runToEnd(*first));
        QCOMPARE(first->state(), State::Completed);
        QVERIFY(m_server->addFault({ { u"create_completed"_s, first->contentUri() } }));
        m_server->clearRequests();
        UploadOptions o = options();
        o.verify = verify;
        auto job = makeJob(path, o);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->contentUri(), first->contentUri());
        QCOMPARE(job->isVerified(), verify);
        QCOMPARE(job->bytesSent(), bytes.size());
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            const QString method = r.value(u"method"_s).toString();
            const QString where = r.value(u"path"_s).toString();
            if (where == createPath)
                continue;
            QVERIFY2(method == u"GET"_s || method == u"HEAD"_s,
                qPrintable(u"a body went to "_s + method + u' ' + where));
            QCOMPARE(r.value(u"body_size"_s).toInteger(), 0);
        }
        QCOMPARE(requestsTo(downloadPath).size(), verify ? 1 : 0);
        QVERIFY(m_store.loadAll().isEmpty());
    }

    void anEncryptedJobTakesNoIdOfContentTheServerHolds()
    {
        // A fresh key makes a ciphertext no server holds: such a create answer is not believed.
        startServer();
        const QByteArray bytes = content(chunk + 5);
        const QString path = writeFile(u"secret.bin"_s, bytes);
        auto first = makeJob(path, options());
        QVERIFY(runToEnd(*first));
        QVERIFY(m_server->addFault({ { u"create_completed"_s, first->contentUri() } }));
        UploadOptions o = options();
        o.encrypt = true;
        auto job = makeJob(path, o);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), Route::Legacy);
        QVERIFY(job->contentUri() != first->contentUri());
        QCOMPARE(m_server->mediaContent(first->contentUri()), bytes); // untouched
        QVERIFY(!m_server->mediaContent(job->contentUri()).isEmpty());
        QVERIFY(m_server->mediaContent(job->contentUri()) != bytes);
    }

    // --- issue 12: a job that gives up keeps the kind of its last failure -----------------------

    void aJobThatGivesUpKeepsTheKindOfItsLastFailure_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("reason");
        QTest::addRow("500 every time")
            << QJsonObject { { u"status"_s, 500 }, { u"route"_s, u"upload"_s }, { u"times"_s, -1 } }
            << int(UploadJob::Error::Server) << u"(HTTP 500): injected fault"_s;
        QTest::addRow("connection cut every time") << QJsonObject {
            { u"drop_after_bytes"_s, 1024 }, { u"path_prefix"_s, asyncPutPath }, { u"times"_s, -1 }
        } << int(UploadJob::Error::Network) << u"network error"_s;
    }

    void aJobThatGivesUpKeepsTheKindOfItsLastFailure()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(int, error);
        QFETCH(QString, reason);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol::None;
        startServer(c);
        QVERIFY(m_server->addFault(fault));
        UploadOptions o = options();
        o.retry.maxAttempts = 2;
        auto job = makeJob(writeFile(u"f.bin"_s, content(chunk)), o);
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(int(job->error()), error);
        QVERIFY2(job->errorString().contains(reason), qPrintable(job->errorString()));
        QVERIFY(!requestsTo(asyncPutPath).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_UploadJobRobustness)
#include "tst_uploadjobrobustness.moc"
