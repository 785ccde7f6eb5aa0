// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Resume records: JSON round trip, atomic owner-only files, the memory store, fingerprints.
#include <matrixupload/store/filefingerprint.h>
#include <matrixupload/store/resumestore.h>

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

namespace {
ResumeRecord sampleRecord(const QString &id)
{
    ResumeRecord r;
    r.id = id;
    r.filePath = u"/home/alice/Pictures/été 2026 \"beach\".jpg"_s;
    r.fileName = u"été 2026 \"beach\".jpg"_s;
    r.mediaType = u"image/jpeg"_s;
    r.fingerprint = { 5'000'000, 1'790'000'000'000, "ab12"_ba };
    r.homeserver = QUrl(u"https://matrix.example.org"_s);
    r.contentUri = u"mxc://example.org/abc"_s;
    r.expiresAtMs = 1'800'000'000'000;
    r.uploadUrl = QUrl(u"https://cdn.example.org/u/abc?sig=s3cr%2Ft"_s, QUrl::StrictMode);
    r.uploadMethod = u"PUT"_s;
    r.protocol = u"content-range"_s;
    r.unstableAsync = true; // not the default: the round trip must keep it
    r.confirmedOffset = 4'194'304;
    r.createdAtMs = 1'790'000'000'500;
    return r;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}
} // namespace

class tst_ResumeStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonStoreRoundTrip()
    {
        QTemporaryDir dir;
        JsonResumeStore store(dir.filePath(u"uploads"_s));
        const ResumeRecord record = sampleRecord(u"job-1"_s);
        QVERIFY(store.store(record));
        QCOMPARE(store.load(u"job-1"_s), std::optional<ResumeRecord>(record));

        // A new store over the same folder is what a restarted program sees.
        JsonResumeStore again(dir.filePath(u"uploads"_s));
        const QList<ResumeRecord> all = again.loadAll();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first(), record);
        QCOMPARE(all.first().uploadUrl.toString(QUrl::FullyEncoded),
            u"https://cdn.example.org/u/abc?sig=s3cr%2Ft"_s);
    }

    void memoryRecordsRoundTrip()
    {
        QTemporaryDir dir;
        JsonResumeStore store(dir.filePath(u"uploads"_s));
        ResumeRecord record = sampleRecord(u"job-m"_s);
        record.source = u"memory"_s;
        record.filePath.clear(); // bytes from memory have no path
        record.sendFileName = false;
        QVERIFY(store.store(record));
        JsonResumeStore again(dir.filePath(u"uploads"_s));
        QCOMPARE(again.load(u"job-m"_s), std::optional<ResumeRecord>(record));
    }

    void olderRecordsAreFilesThatSendTheirName()
    {
        QJsonObject json = sampleRecord(u"job-old"_s).toJson();
        json.remove(u"source"_s);
        json.remove(u"send_file_name"_s);
        const auto record = ResumeRecord::fromJson(json);
        QVERIFY(record);
        QCOMPARE(record->source, u"file"_s);
        QVERIFY(record->sendFileName);
        // A file record still needs its path.
        json.insert(u"file_path"_s, QString());
        QVERIFY(!ResumeRecord::fromJson(json));
    }

    void jsonStoreFilesAreOwnerOnly()
    {
        QTemporaryDir dir;
        JsonResumeStore store(dir.filePath(u"uploads"_s));
        QVERIFY(store.store(sampleRecord(u"job-1"_s)));
        const QFileInfo file(dir.filePath(u"uploads/job-1.json"_s));
        QVERIFY(file.exists());
        QVERIFY(file.permissions() & QFileDevice::ReadOwner);
        QVERIFY(!(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)));
        QVERIFY(!(QFileInfo(dir.filePath(u"uploads"_s)).permissions()
            & (QFileDevice::ReadOther | QFileDevice::ExeOther)));
    }

    void updateReplacesAndRemoveForgets()
    {
        QTemporaryDir dir;
        JsonResumeStore store(dir.path());
        ResumeRecord record = sampleRecord(u"job-1"_s);
        QVERIFY(store.store(record));
        QVERIFY(store.store(sampleRecord(u"job-2"_s)));
        record.confirmedOffset = 5'000'000;
        QVERIFY(store.store(record));
        QCOMPARE(store.load(u"job-1"_s)->confirmedOffset, 5'000'000);
        QCOMPARE(store.loadAll().size(), 2);
        store.remove(u"job-1"_s);
        QCOMPARE(store.load(u"job-1"_s), std::nullopt);
        QCOMPARE(store.loadAll().size(), 1);
    }

    void brokenRecordsAreSkipped_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addRow("not JSON") << "{{{"_ba;
        QTest::addRow("other format version")
            << R"({"version":99,"id":"bad","file_path":"/x","size":1})"_ba;
        QTest::addRow("offset past the end")
            << R"({"version":1,"id":"bad","file_path":"/x","size":10,"confirmed_offset":11})"_ba;
        QTest::addRow("no file") << R"({"version":1,"id":"bad","size":10})"_ba;
        QTest::addRow("ID differs from file name")
            << R"({"version":1,"id":"other","file_path":"/x","size":10})"_ba;
    }
    void brokenRecordsAreSkipped()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        JsonResumeStore store(dir.path());
        QVERIFY(store.store(sampleRecord(u"good"_s)));
        writeFile(dir.filePath(u"bad.json"_s), content);
        const QList<ResumeRecord> all = store.loadAll();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().id, u"good"_s);
    }

    void unusableRecordsAreDeleted_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("kept");
        QTest::addRow("not JSON") << "{{{"_ba << false;
        QTest::addRow("an older format")
            << R"({"version":0,"id":"bad","upload_url":"https://cdn.example.org/u?sig=s"})"_ba
            << false;
        QTest::addRow("contradicts itself")
            << R"({"version":1,"id":"bad","file_path":"/x","size":10,"confirmed_offset":11})"_ba
            << false;
        QTest::addRow("a newer format") << R"({"version":2,"id":"bad"})"_ba << true;
    }
    void unusableRecordsAreDeleted()
    {
        // Issue 14, item 8: such a record holds an upload URL and was kept for ever.
        QFETCH(QByteArray, content);
        QFETCH(bool, kept);
        QTemporaryDir dir;
        JsonResumeStore store(dir.path());
        QVERIFY(store.store(sampleRecord(u"good"_s)));
        writeFile(dir.filePath(u"bad.json"_s), content);
        QCOMPARE(store.loadAll().size(), 1);
        QCOMPARE(QFileInfo::exists(dir.filePath(u"bad.json"_s)), kept);
        QVERIFY(QFileInfo::exists(dir.filePath(u"good.json"_s)));
    }

    void aRecordAnotherProcessHoldsIsNotLoaded()
    {
        // Issue 14, item 8: the CLI and the app both loaded a record and drove one upload.
        QTemporaryDir dir;
        for (const QString &id : { u"held"_s, u"free"_s })
            writeFile(dir.filePath(id + u".json"_s),
                QJsonDocument(sampleRecord(id).toJson()).toJson(QJsonDocument::Compact));
        // Another live process's lock, as QLockFile writes it: PID, program, host.
        QProcess other;
        other.start(u"sleep"_s, { u"60"_s });
        QVERIFY(other.waitForStarted());
        writeFile(dir.filePath(u"held.lock"_s),
            QByteArray::number(other.processId()) + "\nsleep\n"
                + QSysInfo::machineHostName().toUtf8() + "\n");
        JsonResumeStore store(dir.path());
        const QList<ResumeRecord> all = store.loadAll();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().id, u"free"_s);
        QVERIFY(!store.store(sampleRecord(u"held"_s)));
        QVERIFY(QFileInfo::exists(dir.filePath(u"held.json"_s))); // not broken: kept
        // The other process ended (or crashed): its lock is stale, the record ours.
        other.kill();
        QVERIFY(other.waitForFinished());
        QCOMPARE(store.loadAll().size(), 2);
        // remove() lets go of the lock with the record.
        QVERIFY(QFileInfo::exists(dir.filePath(u"free.lock"_s)));
        store.remove(u"held"_s);
        store.remove(u"free"_s);
        QVERIFY(!QFileInfo::exists(dir.filePath(u"free.lock"_s)));
        QVERIFY(!QFileInfo::exists(dir.filePath(u"held.lock"_s)));
    }

    void idsCannotEscapeTheFolder()
    {
        QTemporaryDir dir;
        JsonResumeStore store(dir.filePath(u"uploads"_s));
        QVERIFY(!store.store(sampleRecord(u"../escape"_s)));
        QVERIFY(!QFile::exists(dir.filePath(u"escape.json"_s)));
        QCOMPARE(store.load(u"../escape"_s), std::nullopt);
    }

    void memoryStore()
    {
        MemoryResumeStore store;
        QVERIFY(store.store(sampleRecord(u"a"_s)));
        QVERIFY(store.store(sampleRecord(u"b"_s)));
        QCOMPARE(store.loadAll().size(), 2);
        QCOMPARE(store.load(u"a"_s)->protocol, u"content-range"_s);
        store.remove(u"a"_s);
        QCOMPARE(store.load(u"a"_s), std::nullopt);
    }

    void fingerprintNoticesChanges_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("changeAt");
        QTest::addRow("small file, first byte") << qint64(1000) << qint64(0);
        QTest::addRow("large file, head") << qint64(300'000) << qint64(10);
        QTest::addRow("large file, tail") << qint64(300'000) << qint64(299'999);
    }
    void fingerprintNoticesChanges()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, changeAt);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"f.bin"_s);
        QByteArray bytes(size, 'x');
        writeFile(path, bytes);
        const auto before = FileFingerprint::of(path);
        QVERIFY(before);
        QCOMPARE(before->size, size);
        QCOMPARE(FileFingerprint::of(path), before);

        bytes[changeAt] = 'y';
        writeFile(path, bytes);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        // Same size, same mtime: only the content tells.
        QVERIFY(f.setFileTime(
            QDateTime::fromMSecsSinceEpoch(before->mtimeMs), QFileDevice::FileModificationTime));
        f.close();
        const auto after = FileFingerprint::of(path);
        QVERIFY(after);
        QCOMPARE(after->size, before->size);
        QCOMPARE(after->mtimeMs, before->mtimeMs);
        QVERIFY(after->edgesSha256 != before->edgesSha256);
    }

    // The edges' hash is what records of earlier runs hold: computing it with OpenSSL instead of
    // QCryptographicHash (issue 15, item 4) must give the same value, and the head handed out is
    // the file's first 64 KiB.
    void fingerprintIsTheSameHashAsEver_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addRow("empty") << qint64(0);
        QTest::addRow("small") << qint64(1000);
        QTest::addRow("large") << qint64(300'000);
    }
    void fingerprintIsTheSameHashAsEver()
    {
        QFETCH(qint64, size);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"f.bin"_s);
        QByteArray bytes(size, Qt::Uninitialized);
        for (qint64 i = 0; i < size; ++i)
            bytes[i] = char((i * 7919) % 251);
        writeFile(path, bytes);
        QCryptographicHash expected(QCryptographicHash::Sha256);
        expected.addData(QByteArray::number(size));
        expected.addData(bytes.left(64 * 1024));
        if (size > 64 * 1024)
            expected.addData(bytes.right(64 * 1024));
        QByteArray head;
        const auto fp = FileFingerprint::of(path, nullptr, &head);
        QVERIFY(fp);
        QCOMPARE(fp->edgesSha256, expected.result().toHex());
        QCOMPARE(head, bytes.left(64 * 1024));
        QCOMPARE(FileFingerprint::of(path), fp);
    }

    void fingerprintOfMissingFile()
    {
        QString error;
        QCOMPARE(FileFingerprint::of(u"/nonexistent/file"_s, &error), std::nullopt);
        QVERIFY(!error.isEmpty());
    }
};

QTEST_APPLESS_MAIN(tst_ResumeStore)
#include "tst_resumestore.moc"
