// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Encrypted uploads (UploadOptions::encrypt, issue 13) end to end against the in-process test
// server over loopback: each protocol stores ciphertext that decrypts to the file with the job's
// EncryptedFile, drops and restarts resume with the right hash, and neither the file name nor
// the key reaches the server, the logs or the resume record.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/attachmentcrypto_p.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/secretstore.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/transfer/transfer_p.h>
#include <matrixupload/uploadjob.h>

#include "uploadbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;
using Route = UploadJob::Route;
using Protocol = MediaTestServerConfig::UploadUrlProtocol;

namespace {
constexpr int waitMs = 30000;
const QString secretName = u"très secret plan.pdf"_s;

QStringList g_log;
void collect(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log.append(message);
}

//! Every way the key and IV could be written down.
QList<QByteArray> spellings(const AttachmentKey &key)
{
    QList<QByteArray> out;
    for (const QByteArray &bytes : QList<QByteArray> { key.key, key.iv, key.key + key.iv }) {
        out << bytes << bytes.toHex() << bytes.toBase64()
            << bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
            << bytes.toBase64(QByteArray::OmitTrailingEquals);
    }
    out << key.key.left(16).toBase64(QByteArray::OmitTrailingEquals).left(20);
    return out;
}
} // namespace

class tst_EncryptedUpload final : public QObject, protected UploadJobBench
{
    Q_OBJECT

    MemorySecretStore m_secrets;

    static UploadOptions options()
    {
        UploadOptions o = UploadBench::options();
        o.encrypt = true;
        return o;
    }

    UploadContext context(ResumeStore *store = nullptr, SecretStore *secrets = nullptr)
    {
        UploadContext c { m_api.get(), m_uploadNam, store ? store : &m_store };
        c.secretStore = secrets ? secrets : &m_secrets;
        return c;
    }

    //! The job's EncryptedFile, checked against what the server stores, decrypted.
    QByteArray decryptStored(const UploadJob &job)
    {
        QString error;
        const auto file = EncryptedFile::fromJson(job.encryptedFile(), &error);
        if (!file) {
            qWarning() << "not an EncryptedFile:" << error;
            return {};
        }
        if (file->url != job.contentUri()) {
            qWarning() << "the EncryptedFile's url is not the content URI";
            return {};
        }
        QByteArray stored = m_server->mediaContent(job.contentUri());
        if (QCryptographicHash::hash(stored, QCryptographicHash::Sha256) != file->sha256) {
            qWarning() << "hashes.sha256 is not the SHA-256 of what the server stores";
            return {};
        }
        QBuffer in(&stored);
        in.open(QIODevice::ReadOnly);
        QByteArray plain;
        QBuffer out(&plain);
        out.open(QIODevice::WriteOnly);
        if (!decryptAttachment(*file, in, out, &error)) {
            qWarning() << "cannot decrypt:" << error;
            return {};
        }
        return plain;
    }

    //! No request carried the file's name, in any spelling, and the server kept none.
    void checkNoFileName(const UploadJob &job)
    {
        const QList<QByteArray> names { secretName.toUtf8(), QUrl::toPercentEncoding(secretName),
            secretName.toUtf8().toBase64(), "plan" };
        for (const QJsonValue &r : m_server->requests()) {
            const QByteArray text = QJsonDocument(r.toObject()).toJson(QJsonDocument::Compact);
            for (const QByteArray &name : names)
                QVERIFY2(!text.contains(name), text.constData());
        }
        QCOMPARE(m_server->mediaInfo(job.contentUri()).value(u"file_name"_s).toString(), QString());
    }

    //! Bodies sent to the server: every one application/octet-stream.
    void checkContentTypes()
    {
        int bodies = 0;
        for (const QJsonValue &v : m_server->requests()) {
            const QJsonObject r = v.toObject();
            const QString path = r.value(u"path"_s).toString();
            if (r.value(u"content_length"_s).toInteger() == 0
                || !(path.startsWith(u"/_upload/"_s) || path.contains(u"/media/v3/upload"_s)))
                continue;
            ++bodies;
            // tus PATCH bodies have the type the protocol prescribes, whatever the file is.
            const bool tus = r.value(u"method"_s).toString() == u"PATCH"_s;
            QCOMPARE(r.value(u"headers"_s).toObject().value(u"content-type"_s).toString(),
                tus ? u"application/offset+octet-stream"_s : u"application/octet-stream"_s);
        }
        QVERIFY(bodies > 0);
    }

    //! Runs the first part of an upload to a JSON resume store and leaves it paused with at
    //! least two chunks confirmed; returns the record as a new run reads it.
    ResumeRecord interruptedUpload(const QString &storeDir, const QString &path, QString *uri,
        qint64 atLeast = 2 * chunk, std::optional<UploadOptions> o = {})
    {
        JsonResumeStore store(storeDir);
        auto first = std::make_unique<UploadJob>(path, context(&store), o.value_or(options()));
        first->start();
        if (!QTest::qWaitFor([&] { return first->confirmedBytes() >= atLeast; }, waitMs))
            qWarning() << "the first run confirmed nothing";
        first->pause();
        *uri = first->contentUri();
        first.reset(); // the program ends
        m_server->addFault({ { u"bandwidth"_s, 0 } });
        if (!awaitUploadRequestsEnded(waitMs))
            qWarning() << "a request of the first run never ended";
        const QList<ResumeRecord> records = JsonResumeStore(storeDir).loadAll();
        return records.isEmpty() ? ResumeRecord() : records.first();
    }

private Q_SLOTS:
    void initTestCase() { startUploadJobTests(this); }

    void cleanup() { finishUploadJobTest(); }

    void everyRoute_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addColumn<bool>("asyncUploads");
        QTest::addColumn<QString>("force");
        QTest::addColumn<QString>("protocol");
        QTest::addRow("put") << int(Protocol::Put) << true << QString() << u"put"_s;
        QTest::addRow("content-range")
            << int(Protocol::ContentRange) << true << QString() << u"content-range"_s;
        QTest::addRow("tus") << int(Protocol::Tus) << true << QString() << u"tus"_s;
        QTest::addRow("async") << int(Protocol::None) << true << QString() << u"async"_s;
        QTest::addRow("legacy") << int(Protocol::None) << false << QString() << u"legacy"_s;
        QTest::addRow("forced legacy")
            << int(Protocol::ContentRange) << true << u"legacy"_s << u"legacy"_s;
    }
    void everyRoute()
    {
        QFETCH(int, serverProtocol);
        QFETCH(bool, asyncUploads);
        QFETCH(QString, force);
        QFETCH(QString, protocol);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol(serverProtocol);
        c.asyncUploads = asyncUploads;
        startServer(c);
        const QByteArray bytes = content(3 * chunk + 77);
        UploadOptions o = options();
        o.forceProtocol = force;
        o.verify = true; // the download is compared with the ciphertext's hash
        UploadJob job(writeFile(secretName, bytes), context(), o);
        QVERIFY(job.isEncrypted());
        QVERIFY(job.property("encrypted").toBool());
        QSignalSpy fileChanged(&job, &UploadJob::encryptedFileChanged);
        QSignalSpy uriChanged(&job, &UploadJob::contentUriChanged);
        connect(&job, &UploadJob::contentUriChanged, this,
            [&job] { QVERIFY(job.encryptedFile().isEmpty()); }); // empty until Completed
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QVERIFY2(job.errorString().isEmpty(), qPrintable(job.errorString()));
        QCOMPARE(job.protocol(), protocol);
        QVERIFY(job.isVerified());
        QCOMPARE(fileChanged.size(), 1);
        QCOMPARE(job.property("encryptedFile").toJsonObject(), job.encryptedFile());
        QCOMPARE(job.fileName(), secretName); // shown here, never sent
        QVERIFY(m_server->mediaContent(job.contentUri()) != bytes);
        QCOMPARE(decryptStored(job), bytes);
        checkNoFileName(job);
        checkContentTypes();
        QCOMPARE(m_server->mediaInfo(job.contentUri()).value(u"via"_s).toString(), protocol);
        QCOMPARE(m_secrets.count(), 0); // a finished upload forgets its key
    }

    void aLostAnswerIsCheckedAgainstTheCiphertext()
    {
        // The PUT is stored but its answer lost: the next try meets 409, which is success only
        // because the server's copy has the ciphertext's hash (not the file's).
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol::None;
        startServer(c);
        QVERIFY(m_server->addFault(
            { { u"drop_answer"_s, true }, { u"path_prefix"_s, u"/_matrix/media/v3/upload/"_s } }));
        const QByteArray bytes = content(70000);
        UploadOptions o = options();
        o.verify = true;
        UploadJob job(writeFile(u"lost-answer.bin"_s, bytes), context(), o);
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QVERIFY(job.isVerified());
        const QList<QJsonObject> puts = requestsTo(u"/_matrix/media/v3/upload/"_s);
        QCOMPARE(puts.size(), 2);
        QCOMPARE(puts.at(1).value(u"status"_s).toInt(), 409);
        QCOMPARE(decryptStored(job), bytes);
    }

    void aHostHashOfOtherBytesFallsBack_data()
    {
        QTest::addColumn<bool>("check");
        QTest::newRow("checked (the default)") << true;
        QTest::newRow("not checked") << false;
    }
    void aHostHashOfOtherBytesFallsBack()
    {
        // The content-range host names the SHA-256 of other bytes for its copy. The job
        // compares it with the ciphertext's (UploadOptions::checkHostHash) and goes to the
        // homeserver with the same ID, where the right ciphertext is found; not checked, the
        // host's answer stands. (A wrong comparison would send everyRoute's content-range
        // uploads to the homeserver.)
        QFETCH(bool, check);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol::ContentRange;
        startServer(c);
        QVERIFY(m_server->addFault({ { u"misreport_sha256"_s, true } }));
        const QByteArray bytes = content(3 * chunk + 77);
        UploadOptions o = options();
        o.checkHostHash = check;
        UploadJob job(writeFile(u"misreported.bin"_s, bytes), context(), o);
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QCOMPARE(job.protocol(), check ? u"async"_s : u"content-range"_s);
        QVERIFY2(
            job.fallbackReason().contains(u"SHA-256"_s) == check, qPrintable(job.fallbackReason()));
        QCOMPARE(decryptStored(job), bytes);
    }

    void twoUploadsTwoKeys()
    {
        startServer();
        const QByteArray bytes = content(1000);
        const QString path = writeFile(u"same.bin"_s, bytes);
        UploadJob a(path, context(), options());
        UploadJob b(path, context(), options());
        QVERIFY(runToEnd(a));
        QVERIFY(runToEnd(b));
        const auto fa = EncryptedFile::fromJson(a.encryptedFile());
        const auto fb = EncryptedFile::fromJson(b.encryptedFile());
        QVERIFY(fa && fb);
        QVERIFY(fa->key.key != fb->key.key);
        QVERIFY(fa->key.iv != fb->key.iv);
        QVERIFY(fa->sha256 != fb->sha256);
    }

    void dropsResume_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addRow("content-range") << int(Protocol::ContentRange);
        QTest::addRow("tus") << int(Protocol::Tus);
    }
    void dropsResume()
    {
        QFETCH(int, serverProtocol);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol(serverProtocol);
        startServer(c);
        QVERIFY(m_server->addFault({ { u"drop_after_bytes"_s, 100000 }, { u"times"_s, 3 } }));
        const QByteArray bytes = content(4 * chunk + 3);
        UploadJob job(writeFile(u"drops.bin"_s, bytes), context(), options());
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QCOMPARE(job.route(), Route::UploadUrl);
        int dropped = 0;
        for (const QJsonValue &r : m_server->requests())
            dropped += r.toObject().value(u"dropped"_s).toBool();
        QVERIFY(dropped > 0);
        QCOMPARE(decryptStored(job), bytes); // also: hashes.sha256 is that of the stored bytes
    }

    void memoryAndDeviceSources()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"drop_after_bytes"_s, 100000 }, { u"times"_s, 2 } }));
        const QByteArray bytes = content(3 * chunk + 11, 4);
        UploadMetadata meta;
        meta.fileName = secretName;
        UploadJob fromMemory(bytes, meta, context(), options());
        QVERIFY(runToEnd(fromMemory));
        QCOMPARE(fromMemory.state(), State::Completed);
        QCOMPARE(decryptStored(fromMemory), bytes);

        auto *buffer = new QBuffer;
        buffer->setData(bytes);
        UploadJob fromDevice(buffer, meta, context(), options());
        QVERIFY(runToEnd(fromDevice));
        QCOMPARE(fromDevice.state(), State::Completed);
        QCOMPARE(decryptStored(fromDevice), bytes);
        checkNoFileName(fromDevice);
    }

    void restartWithTheKeyResumes()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(8 * chunk + 9, 2);
        const QString path = writeFile(u"restart.bin"_s, bytes);
        QTemporaryDir storeDir;
        QString uri;
        const ResumeRecord record = interruptedUpload(storeDir.path(), path, &uri);
        QVERIFY(!record.id.isEmpty());
        QVERIFY(!record.keyId.isEmpty());
        QCOMPARE(record.contentUri, uri);
        const auto secret = m_secrets.load(record.keyId);
        QVERIFY(secret);
        AttachmentKey key { secret->left(32), secret->mid(32) };
        QVERIFY(key.isValid());
        // The record on disk holds no key material, in any spelling.
        QDirIterator files(storeDir.path(), QDir::Files, QDirIterator::Subdirectories);
        int read = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            ++read;
            for (const QByteArray &s : spellings(key))
                QVERIFY2(!text.contains(s), "key material in the resume record");
        }
        QVERIFY(read > 0);

        m_server->clearRequests();
        const qint64 held = m_server->mediaInfo(uri).value(u"stored"_s).toInteger();
        QVERIFY(held >= 2 * chunk);
        JsonResumeStore store(storeDir.path()); // the next run
        UploadJob job(record, context(&store), options());
        QVERIFY(job.isEncrypted());
        QCOMPARE(job.state(), State::Paused);
        QCOMPARE(job.contentUri(), uri);
        job.resume();
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QCOMPARE(job.contentUri(), uri);
        QCOMPARE(EncryptedFile::fromJson(job.encryptedFile())->key, key);
        QCOMPARE(decryptStored(job), bytes);
        QVERIFY(requestsTo(u"/_matrix/media/v1/create"_s).isEmpty());
        // No byte the server held was sent again.
        qint64 sent = 0;
        for (const QJsonObject &r : requestsTo(u"/_upload/"_s)) {
            const QString range
                = r.value(u"headers"_s).toObject().value(u"content-range"_s).toString();
            if (r.value(u"content_length"_s).toInteger() > 0)
                QVERIFY2(range.startsWith(u"bytes %1-"_s.arg(held + sent)), qPrintable(range));
            sent += r.value(u"body_size"_s).toInteger();
        }
        QCOMPARE(held + sent, bytes.size());
    }

    void catchUpYieldsToTheEventLoop()
    {
        // A restart 9 MiB in: the hash of that prefix is rebuilt in slices, with the event loop
        // running between them, before the first request.
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 16 * 1024 * 1024 } }));
        const qint64 mib = 1024 * 1024;
        const QByteArray bytes = content(16 * mib + 5, 5);
        const QString path = writeFile(u"large.bin"_s, bytes);
        UploadOptions o = options();
        o.chunkSize = mib;
        QTemporaryDir storeDir;
        QString uri;
        const ResumeRecord record = interruptedUpload(storeDir.path(), path, &uri, 9 * mib, o);
        QVERIFY(record.confirmedOffset >= 9 * mib);
        QVERIFY(record.confirmedOffset < bytes.size());
        m_server->clearRequests();
        JsonResumeStore store(storeDir.path());
        UploadJob job(record, context(&store), o);
        int turns = 0;
        int turnsWhilePreparing = -1;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] { ++turns; });
        connect(&job, &UploadJob::stateChanged, this, [&](State state) {
            if (state == State::Preparing)
                turns = 0;
            else if (turnsWhilePreparing < 0 && state != State::Queued)
                turnsWhilePreparing = turns;
        });
        ticker.start(0);
        job.resume();
        QVERIFY(runToEnd(job));
        ticker.stop();
        QCOMPARE(job.state(), State::Completed);
        QVERIFY2(turnsWhilePreparing >= 2, qPrintable(QString::number(turnsWhilePreparing)));
        QCOMPARE(job.contentUri(), uri);
        QCOMPARE(decryptStored(job), bytes);
    }

    void restartWithoutTheKeyStartsOver()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(6 * chunk + 1, 3);
        const QString path = writeFile(u"lost.bin"_s, bytes);
        QTemporaryDir storeDir;
        QString uri;
        const ResumeRecord record = interruptedUpload(storeDir.path(), path, &uri);
        QVERIFY(!record.keyId.isEmpty());
        m_server->clearRequests();
        MemorySecretStore emptyKeychain; // the keychain entry is gone
        JsonResumeStore store(storeDir.path());
        UploadJob job(record, context(&store, &emptyKeychain), options());
        QVERIFY(job.note().contains(u"key"_s));
        job.resume();
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QVERIFY(job.contentUri() != uri);
        QCOMPARE(requestsTo(u"/_matrix/media/v1/create"_s).size(), 1);
        QVERIFY(EncryptedFile::fromJson(job.encryptedFile())->key.key
            != m_secrets.load(record.keyId)->left(32));
        QCOMPARE(decryptStored(job), bytes);
    }

    void aChangedFileGetsANewKey()
    {
        // A key and IV never encrypt two different plaintexts: retry() after the file changed
        // starts over with a new key and a new ID.
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QString path = writeFile(u"changing.bin"_s, content(6 * chunk, 6));
        UploadJob job(path, context(), options());
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(job.confirmedBytes() >= chunk, waitMs);
        job.pause();
        const QString firstUri = job.contentUri();
        const auto firstKey = m_secrets.load(job.id());
        QVERIFY(firstKey);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        const QByteArray changed = content(6 * chunk + 1, 7);
        writeFile(u"changing.bin"_s, changed);
        job.resume();
        QVERIFY(runToEnd(job));
        QCOMPARE(job.error(), UploadJob::Error::FileChanged);
        job.retry();
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
        QVERIFY(job.contentUri() != firstUri);
        QVERIFY(EncryptedFile::fromJson(job.encryptedFile())->key.key != firstKey->left(32));
        QCOMPARE(decryptStored(job), changed);
    }

    void withoutASecretStoreNoRecord()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        UploadContext c = context();
        c.secretStore = nullptr;
        UploadJob job(writeFile(u"nostore.bin"_s, content(4 * chunk)), c, options());
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(job.confirmedBytes() >= chunk, waitMs);
        QVERIFY(m_store.loadAll().isEmpty()); // no key to resume with: no record
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QVERIFY(runToEnd(job));
        QCOMPARE(job.state(), State::Completed);
    }

    void keyNeverLogged()
    {
        g_log.clear();
        QLoggingCategory::setFilterRules(u"matrixupload.*=true"_s);
        const auto previous = qInstallMessageHandler(collect);
        MediaTestServerConfig c;
        c.uploadUrlProtocol = Protocol::ContentRange;
        startServer(c);
        m_server->addFault({ { u"drop_after_bytes"_s, 100000 }, { u"times"_s, 1 } });
        const QByteArray bytes = content(2 * chunk + 1);
        UploadOptions o = options();
        o.verify = true;
        UploadJob job(writeFile(u"f.bin"_s, bytes), context(), o);
        const bool ok = runToEnd(job);
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QVERIFY(ok);
        QCOMPARE(job.state(), State::Completed);
        QVERIFY(!g_log.isEmpty());
        const QByteArray all = g_log.join(u'\n').toUtf8();
        const auto file = EncryptedFile::fromJson(job.encryptedFile());
        QVERIFY(file);
        for (const QByteArray &s : spellings(file->key))
            QVERIFY2(!all.contains(s), "key material in the log");
    }
};

QTEST_GUILESS_MAIN(tst_EncryptedUpload)
#include "tst_encryptedupload.moc"
