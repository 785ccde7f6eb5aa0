// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Uploads whose bytes come from memory and from devices instead of a file path, end to end
// against the in-process test server: every protocol, resuming a seekable device, what a
// sequential device can and cannot do, the per-upload name and type overrides, sending no file
// name, and the resume records of such uploads after a restart.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/transfer/transfer_p.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>

#include "uploadbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QBuffer>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;
using Error = UploadJob::Error;
using Protocol = MediaTestServerConfig::UploadUrlProtocol;

namespace {
constexpr int waitMs = 30000;

//! A pipe in a box: gives its bytes once, in order, and cannot seek (isSequential()).
class PipeDevice final : public QIODevice
{
public:
    explicit PipeDevice(const QByteArray &bytes, QObject *parent = nullptr)
        : QIODevice(parent)
        , m_bytes(bytes)
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_bytes.size() - m_read + QIODevice::bytesAvailable();
    }
    bool atEnd() const override
    {
        return m_read >= m_bytes.size() && QIODevice::bytesAvailable() == 0;
    }
    qint64 bytesRead() const { return m_read; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, qint64(m_bytes.size()) - m_read);
        if (n <= 0)
            return -1;
        memcpy(data, m_bytes.constData() + m_read, size_t(n));
        m_read += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_bytes;
    qint64 m_read = 0;
};

Protocol serverProtocolFor(const QString &protocol)
{
    if (protocol == u"put"_s)
        return Protocol::Put;
    if (protocol == u"tus"_s)
        return Protocol::Tus;
    return Protocol::ContentRange;
}
} // namespace

class tst_UploadSources final : public QObject, protected UploadJobBench
{
    Q_OBJECT

    UploadContext context() { return { m_api.get(), m_uploadNam, &m_store }; }

    //! A job for \a kind: bytes (memory), device (a seekable QBuffer), pipe (PipeDevice) or
    //! process (`cat` of a file, a real pipe).
    std::unique_ptr<UploadJob> makeJob(const QString &kind, const QByteArray &bytes,
        const UploadMetadata &metadata, const UploadOptions &o)
    {
        if (kind == u"bytes"_s)
            return std::make_unique<UploadJob>(bytes, metadata, context(), o);
        if (kind == u"device"_s) {
            auto *buffer = new QBuffer;
            buffer->setData(bytes);
            return std::make_unique<UploadJob>(buffer, metadata, context(), o);
        }
        UploadMetadata m = metadata;
        m.size = bytes.size();
        if (kind == u"pipe"_s)
            return std::make_unique<UploadJob>(new PipeDevice(bytes), m, context(), o);
        auto *process = new QProcess;
        process->setReadChannel(QProcess::StandardOutput);
        process->start(u"cat"_s, { writeFile(u"piped.bin"_s, bytes) }, QIODevice::ReadOnly);
        if (!process->waitForStarted())
            qFatal("cannot start cat");
        return std::make_unique<UploadJob>(process, m, context(), o);
    }

    //! The offset each request with a body began at: Content-Range's first byte, or tus's
    //! Upload-Offset.
    static qint64 startOf(const QJsonObject &request)
    {
        const QJsonObject h = request.value(u"headers"_s).toObject();
        if (h.contains(u"upload-offset"_s))
            return h.value(u"upload-offset"_s).toString().toLongLong();
        const QString range = h.value(u"content-range"_s).toString();
        return range.mid(6, range.indexOf(u'-') - 6).toLongLong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        startUploadJobTests(this);
        if (QStandardPaths::findExecutable(u"cat"_s).isEmpty())
            QSKIP("no cat to pipe through");
    }

    void cleanup() { finishUploadJobTest(); }

    void everyProtocol_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<bool>("force");
        QTest::addColumn<QString>("via"); //!< the path the bytes must have taken
        const QStringList all { u"put"_s, u"content-range"_s, u"tus"_s, u"async"_s, u"legacy"_s };
        for (const QString &kind : { u"bytes"_s, u"device"_s }) {
            for (const QString &protocol : all) {
                QTest::addRow("%s %s", qPrintable(kind), qPrintable(protocol))
                    << kind << protocol << (protocol == u"async"_s || protocol == u"legacy"_s)
                    << protocol;
            }
        }
        // A sequential device takes single requests; a chunked upload URL is left for the
        // homeserver, since nothing could be sent again after a lost chunk.
        for (const QString &kind : { u"pipe"_s, u"process"_s }) {
            QTest::addRow("%s put", qPrintable(kind)) << kind << u"put"_s << false << u"put"_s;
            QTest::addRow("%s async", qPrintable(kind)) << kind << u"async"_s << true << u"async"_s;
            QTest::addRow("%s legacy", qPrintable(kind))
                << kind << u"legacy"_s << true << u"legacy"_s;
            QTest::addRow("%s content-range URL", qPrintable(kind))
                << kind << u"content-range"_s << false << u"async"_s;
            QTest::addRow("%s tus URL", qPrintable(kind))
                << kind << u"tus"_s << false << u"async"_s;
        }
    }
    void everyProtocol()
    {
        QFETCH(QString, kind);
        QFETCH(QString, protocol);
        QFETCH(bool, force);
        QFETCH(QString, via);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = serverProtocolFor(protocol);
        startServer(c);
        const QByteArray bytes = content(3 * chunk + 77, 5);
        UploadOptions o = options();
        if (force)
            o.forceProtocol = protocol;
        auto job = makeJob(kind, bytes, { u"from-" + kind + u".dat"_s, u"image/webp"_s }, o);
        QCOMPARE(job->sourceKind(), kind == u"bytes"_s ? u"memory"_s : u"device"_s);
        QCOMPARE(job->filePath(), QString());
        QCOMPARE(job->size(), bytes.size());
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->protocol(), via);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        const QJsonObject info = m_server->mediaInfo(job->contentUri());
        QCOMPARE(info.value(u"via"_s).toString(), via);
        if (via != u"put"_s) // the name travels with complete or the upload
            QCOMPARE(info.value(u"file_name"_s).toString(), u"from-" + kind + u".dat"_s);
        if (via != u"tus"_s) // tus PATCHes carry application/offset+octet-stream, no type
            QCOMPARE(info.value(u"content_type"_s).toString(), u"image/webp"_s);
        if (via != protocol) {
            QVERIFY2(job->fallbackReason().contains(u"cannot be rewound"_s),
                qPrintable(job->fallbackReason()));
            QVERIFY(requestsTo(u"/_upload/"_s).isEmpty()); // not a byte to the chunked URL
        }
        QCOMPARE(job->bytesSent(), bytes.size());
        QVERIFY(m_store.loadAll().isEmpty());
    }

    void seekableDeviceResumesFromTheConfirmedOffset_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addRow("content-range") << u"content-range"_s;
        QTest::addRow("tus") << u"tus"_s;
    }
    void seekableDeviceResumesFromTheConfirmedOffset()
    {
        QFETCH(QString, protocol);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = serverProtocolFor(protocol);
        startServer(c);
        const QByteArray bytes = content(5 * chunk + 3, 7);
        auto *buffer = new QBuffer;
        buffer->setData(bytes);
        auto job = std::make_unique<UploadJob>(buffer, UploadMetadata {}, context(), options());
        // Once the server confirmed a chunk, the connection of the next one is cut mid-way.
        qint64 confirmedAtDrop = -1;
        connect(job.get(), &UploadJob::confirmedBytesChanged, this, [&] {
            if (confirmedAtDrop < 0 && job->confirmedBytes() >= chunk) {
                confirmedAtDrop = job->confirmedBytes();
                QVERIFY(
                    m_server->addFault({ { u"drop_after_bytes"_s, 50000 }, { u"times"_s, 1 } }));
            }
        });
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), UploadJob::Route::UploadUrl);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(confirmedAtDrop > 0);
        // After the cut request the device was read again from where the server's bytes end,
        // not from the start: the next request with a body begins at or after the offset the
        // server had confirmed before the cut.
        const QList<QJsonObject> uploads = requestsTo(u"/_upload/"_s);
        int dropped = -1;
        for (int i = 0; i < uploads.size(); ++i) {
            if (uploads.at(i).value(u"dropped"_s).toBool()) {
                dropped = i;
                break;
            }
        }
        QVERIFY2(dropped >= 0, "no request was cut");
        QVERIFY(startOf(uploads.at(dropped)) >= confirmedAtDrop);
        bool resumed = false;
        for (int i = dropped + 1; i < uploads.size(); ++i) {
            if (uploads.at(i).value(u"body_size"_s).toInteger() > 0) {
                QVERIFY(startOf(uploads.at(i)) >= confirmedAtDrop);
                resumed = true;
                break;
            }
        }
        QVERIFY2(resumed, "nothing was sent after the cut");
    }

    void sequentialDeviceIsNotSentTwice()
    {
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol::Put;
        startServer(c);
        QVERIFY(m_server->addFault({ { u"drop_after_bytes"_s, 50000 }, { u"times"_s, 1 } }));
        const QByteArray bytes = content(3 * chunk, 9);
        auto *pipe = new PipeDevice(bytes);
        UploadMetadata m;
        m.size = bytes.size();
        auto job = std::make_unique<UploadJob>(pipe, m, context(), options());
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(job->error(), Error::SourceUnavailable);
        QVERIFY2(
            job->errorString().contains(u"cannot be rewound"_s), qPrintable(job->errorString()));
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), 1); // the cut one; nothing sent again
        QVERIFY(m_server->mediaContent(job->contentUri()).isEmpty());
        // A later run could not continue it either: no record is left to offer it again.
        QVERIFY(m_store.loadAll().isEmpty());
        // retry() cannot make up the bytes either.
        job->retry();
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->error(), Error::SourceUnavailable);
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), 1);
    }

    void sequentialDeviceUnreadByARefusedHostFallsBack()
    {
        // An upload URL whose host refuses connections (nothing listens on port 1): no byte of
        // the pipe was read, so the homeserver still gets all of them.
        MediaTestServerConfig c;
        c.external.kind = MediaTestServerConfig::ExternalTarget::Kind::Put;
        c.external.endpoint = QUrl(u"http://127.0.0.1:1/objects"_s);
        startServer(c);
        const QByteArray bytes = content(2 * chunk + 5, 4);
        auto job = makeJob(u"pipe"_s, bytes, {}, options());
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->route(), UploadJob::Route::ContentUri);
        QVERIFY2(!job->fallbackReason().isEmpty(), "the refused upload URL is the reason");
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
    }

    void sequentialDeviceRefusesForcedChunks_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addRow("content-range") << u"content-range"_s;
        QTest::addRow("tus") << u"tus"_s;
    }
    void sequentialDeviceRefusesForcedChunks()
    {
        QFETCH(QString, protocol);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = serverProtocolFor(protocol);
        startServer(c);
        UploadOptions o = options();
        o.forceProtocol = protocol;
        auto job = makeJob(u"pipe"_s, content(1000), {}, o);
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(job->error(), Error::SourceUnavailable);
        QVERIFY2(job->errorString().contains(u"cannot be rewound, so " + protocol),
            qPrintable(job->errorString()));
        roundTrip();
        QCOMPARE(requestsTo(u"/_matrix/media/"_s).size(), 0); // refused before any request
    }

    void sequentialDeviceWithoutSizeFails()
    {
        startServer();
        auto job = std::make_unique<UploadJob>(
            new PipeDevice(content(1000)), UploadMetadata {}, context(), options());
        QCOMPARE(job->size(), -1);
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(job->error(), Error::SizeUnknown);
        QVERIFY2(job->errorString().contains(u"not known"_s), qPrintable(job->errorString()));
        roundTrip();
        QCOMPARE(requestsTo(u"/_matrix/media/"_s).size(), 0);
    }

    void noFileNameReachesTheServer_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<bool>("force");
        QTest::addRow("put") << u"put"_s << false;
        QTest::addRow("content-range") << u"content-range"_s << false;
        QTest::addRow("tus") << u"tus"_s << false;
        QTest::addRow("async") << u"async"_s << true;
        QTest::addRow("legacy") << u"legacy"_s << true;
    }
    void noFileNameReachesTheServer()
    {
        QFETCH(QString, protocol);
        QFETCH(bool, force);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = serverProtocolFor(protocol);
        startServer(c);
        UploadOptions o = options();
        if (force)
            o.forceProtocol = protocol;
        const QByteArray bytes = content(2 * chunk + 1);
        UploadMetadata m;
        m.sendFileName = false;
        auto job
            = std::make_unique<UploadJob>(writeFile(u"private-name.txt"_s, bytes), m, context(), o);
        QVERIFY(runToEnd(*job));
        QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
        QCOMPARE(job->protocol(), protocol);
        QCOMPARE(job->fileName(), u"private-name.txt"_s); // still shown here
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(
            m_server->mediaInfo(job->contentUri()).value(u"file_name"_s).toString(), QString());
        int withQuery = 0;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            const QString query = r.value(u"query"_s).toString();
            withQuery += query.isEmpty() ? 0 : 1;
            QVERIFY2(!query.contains(u"filename"_s, Qt::CaseInsensitive),
                qPrintable(r.value(u"path"_s).toString() + u'?' + query));
            QVERIFY2(!QJsonDocument(r).toJson().contains("private-name"),
                qPrintable(r.value(u"path"_s).toString()));
        }
        QVERIFY(!m_server->requests().isEmpty());
    }

    void verifyComparesTheBytesSent_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("verifiable");
        QTest::addRow("bytes") << u"bytes"_s << true;
        QTest::addRow("device") << u"device"_s << true;
        QTest::addRow("pipe") << u"pipe"_s << false;
    }
    void verifyComparesTheBytesSent()
    {
        QFETCH(QString, kind);
        QFETCH(bool, verifiable);
        startServer();
        UploadOptions o = options();
        o.verify = true;
        o.forceProtocol = u"async"_s;
        const QByteArray bytes = content(chunk + 1, 4);
        auto job = makeJob(kind, bytes, {}, o);
        QVERIFY(runToEnd(*job));
        if (verifiable) {
            QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
            QVERIFY2(job->state() == State::Completed, qPrintable(job->errorString()));
            QVERIFY(job->isVerified());
            const QJsonArray requests = m_server->requests();
            QVERIFY(std::any_of(requests.begin(), requests.end(), [](const QJsonValue &r) {
                return r.toObject().value(u"path"_s).toString().contains(u"/download/"_s);
            }));
        } else {
            // Nothing would be left to compare the bytes with: refused before any request, so
            // the host can upload it again without verification.
            QCOMPARE(job->state(), State::Failed);
            QCOMPARE(job->error(), Error::SourceUnavailable);
            QVERIFY(!job->isVerified());
            QVERIFY2(job->errorString().contains(u"cannot be verified"_s),
                qPrintable(job->errorString()));
            QVERIFY(m_server->requests().isEmpty());
        }
    }

    void fileNameAndTypeOverrides()
    {
        startServer();
        const QByteArray bytes = content(chunk + 5);
        UploadMetadata m;
        m.fileName = u"shown name.png"_s;
        m.mediaType = u"image/png"_s;
        auto job
            = std::make_unique<UploadJob>(writeFile(u"f.bin"_s, bytes), m, context(), options());
        QCOMPARE(job->fileName(), u"shown name.png"_s);
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Completed);
        QCOMPARE(job->mediaType(), u"image/png"_s);
        const QJsonObject info = m_server->mediaInfo(job->contentUri());
        QCOMPARE(info.value(u"file_name"_s).toString(), u"shown name.png"_s);
        QCOMPARE(info.value(u"content_type"_s).toString(), u"image/png"_s);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
    }

    void managerEnqueuesBytesAndDevices()
    {
        startServer();
        UploadManager manager(m_api.get());
        manager.setOptions(options());
        const QByteArray a = content(3000, 1);
        const QByteArray b = content(chunk + 9, 2);
        auto *buffer = new QBuffer;
        buffer->setData(b);
        UploadJob *fromBytes = manager.enqueue(a, u"a.txt"_s, u"text/plain"_s);
        UploadJob *fromDevice = manager.enqueue(buffer, u"b.bin"_s, QString());
        QCOMPARE(fromBytes->size(), a.size());
        QCOMPARE(fromDevice->size(), b.size());
        QTRY_COMPARE_WITH_TIMEOUT(manager.completedCount(), 2, waitMs);
        QCOMPARE(m_server->mediaContent(fromBytes->contentUri()), a);
        QCOMPARE(m_server->mediaContent(fromDevice->contentUri()), b);
        QCOMPARE(fromDevice->mediaType(), u"application/octet-stream"_s);
        QCOMPARE(fromBytes->mediaType(), u"text/plain"_s);
    }

    void aRestoredMemoryRecordIsDropped_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("said");
        QTest::addRow("memory") << u"bytes"_s << u"was uploaded from memory"_s;
        QTest::addRow("device") << u"device"_s << u"was uploaded from a device"_s;
    }
    void aRestoredMemoryRecordIsDropped()
    {
        QFETCH(QString, kind);
        QFETCH(QString, said);
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        const QString storeDir = m_dir.filePath(u"records-"_s + kind);
        const QByteArray bytes = content(8 * chunk);
        QString id;
        {
            JsonResumeStore store(storeDir);
            UploadManager manager(m_api.get(), &store);
            manager.setOptions(options());
            auto *buffer = new QBuffer;
            buffer->setData(bytes);
            UploadJob *job = kind == u"bytes"_s
                ? manager.enqueue(bytes, u"pasted.png"_s, u"image/png"_s)
                : manager.enqueue(buffer, u"pasted.png"_s, {});
            if (kind == u"bytes"_s)
                delete buffer;
            id = job->id();
            QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() > 0, waitMs);
            job->pause();
            const auto record = store.load(id);
            QVERIFY(record);
            QCOMPARE(record->source, kind == u"bytes"_s ? u"memory"_s : u"device"_s);
            QCOMPARE(record->filePath, QString());
        } // the program ends with the upload unfinished
        roundTrip();
        const qsizetype before = m_server->requests().size();

        JsonResumeStore store(storeDir);
        UploadManager manager(m_api.get(), &store);
        manager.setOptions(options());
        const QList<UploadJob *> restored = manager.restore();
        QCOMPARE(restored.size(), 1);
        UploadJob *job = restored.first();
        QCOMPARE(job->id(), id);
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(job->error(), Error::SourceUnavailable);
        QVERIFY2(job->errorString().contains(
                     u"pasted.png "_s + said + u" and cannot continue after a restart"_s),
            qPrintable(job->errorString()));
        QVERIFY(store.loadAll().isEmpty()); // dropped: not offered again
        job->retry();
        QCOMPARE(job->state(), State::Queued);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Failed, waitMs);
        QVERIFY2(job->errorString().contains(said), qPrintable(job->errorString()));
        roundTrip();
        // Nothing but the manager's media config and this round trip: no bytes, no complete.
        for (qsizetype i = before; i < m_server->requests().size(); ++i) {
            const QString path = m_server->requests().at(i).toObject().value(u"path"_s).toString();
            QVERIFY2(
                path.endsWith(u"/config"_s) || path.endsWith(u"/versions"_s), qPrintable(path));
        }
    }
};

QTEST_GUILESS_MAIN(tst_UploadSources)
#include "tst_uploadsources.moc"
