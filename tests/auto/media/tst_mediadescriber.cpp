// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The messages a RoomPoster posts when a MediaDescriber describes the manager's files: sizes
// after the EXIF orientation, durations, the BlurHash, and a thumbnail uploaded beside the file
// (encrypted, as thumbnail_file, for an encrypted upload), all read back from the test server.
#include "eventschema.h"
#include "testmedia.h"
#include "uploadbench.h"

#include <matrixupload/attachmentcrypto_p.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/media/mediadescriber.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include <QBuffer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

namespace {
const QString room = u"!room:localhost"_s;
const QString vault = u"!vault:localhost"_s; // encrypted
constexpr int waitMs = 30000;
} // namespace

class tst_MediaDescriber : public QObject, public UploadBench
{
    Q_OBJECT

    struct Setup
    {
        std::unique_ptr<UploadManager> manager;
        std::unique_ptr<MediaDescriber> describer;
        std::unique_ptr<RoomPoster> poster;
    };

    Setup setUp(const QString &roomId)
    {
        Setup s;
        s.manager = std::make_unique<UploadManager>(m_api.get());
        s.describer = std::make_unique<MediaDescriber>(s.manager.get());
        s.poster = std::make_unique<RoomPoster>(s.manager.get());
        s.poster->setRoom(roomId);
        return s;
    }

    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> out;
        for (const QJsonValue &v : m_server->events()) {
            if (v.toObject().value(u"type"_s).toString() == u"m.room.message"_s)
                out.append(v.toObject().value(u"content"_s).toObject());
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
            qputenv("QT_MEDIA_BACKEND", "ffmpeg");
    }

    void init()
    {
        startServer();
        m_server->addRoom(room, u"Room"_s);
        MediaTestServerRoom encrypted;
        encrypted.name = u"Vault"_s;
        encrypted.encrypted = true;
        m_server->addRoom(vault, encrypted);
    }

    void cleanup()
    {
        // Kept for everyPostedMessageMatchesTheSpec(), the last test.
        for (const QJsonObject &content : messages())
            m_posted.append(content);
        finishUploadTest(nullptr);
    }

    void aPhotoIsPostedWithItsSizeBlurHashAndThumbnail()
    {
        Setup s = setUp(room);
        // Stored 1600x1200, shown turned a quarter (EXIF 6): 1200x1600.
        const QString path = writeFile(u"photo.jpg"_s, photo(QSize(1600, 1200), 6));
        UploadJob *job = s.manager->enqueue(path);
        QVERIFY(job->isMediaDescriptionPending());
        QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 1, waitMs);
        QVERIFY(!job->isMediaDescriptionPending());

        const QJsonObject content = messages().first();
        QCOMPARE(content.value(u"msgtype"_s).toString(), u"m.image"_s);
        QCOMPARE(content.value(u"url"_s).toString(), job->contentUri());
        const QJsonObject info = content.value(u"info"_s).toObject();
        QCOMPARE(info.value(u"w"_s).toInt(), 1200);
        QCOMPARE(info.value(u"h"_s).toInt(), 1600);
        QCOMPARE(info.value(u"mimetype"_s).toString(), u"image/jpeg"_s);
        QCOMPARE(info.value(u"size"_s).toInteger(), QFileInfo(path).size());
        QCOMPARE(info.value(u"xyz.amorgan.blurhash"_s).toString().size(), 4 + 2 * 4 * 3);

        // The thumbnail is on the server, as described, turned like the photo.
        const QString thumbnailUrl = info.value(u"thumbnail_url"_s).toString();
        QVERIFY2(thumbnailUrl.startsWith(u"mxc://localhost/"_s), qPrintable(thumbnailUrl));
        QVERIFY(thumbnailUrl != job->contentUri());
        const QByteArray stored = m_server->mediaContent(thumbnailUrl);
        const QJsonObject thumbnailInfo = info.value(u"thumbnail_info"_s).toObject();
        QCOMPARE(thumbnailInfo.value(u"size"_s).toInteger(), stored.size());
        QCOMPARE(thumbnailInfo.value(u"mimetype"_s).toString(), u"image/jpeg"_s);
        const QImage thumbnail = QImage::fromData(stored);
        QCOMPARE(thumbnail.size(), QSize(450, 600));
        QCOMPARE(thumbnailInfo.value(u"w"_s).toInt(), 450);
        QCOMPARE(thumbnailInfo.value(u"h"_s).toInt(), 600);
        QVERIFY(isRed(thumbnail.pixelColor(thumbnail.width() - 8, 8))); // the turned corner
    }

    void aVideoIsPostedWithItsDurationAndAFrame()
    {
        Setup s = setUp(room);
        const QString path = m_dir.filePath(u"clip.mp4"_s);
        const QString error
            = runFfmpeg({ u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc=size=320x240:rate=25:d=2"_s,
                            u"-c:v"_s, u"libx264"_s, u"-pix_fmt"_s, u"yuv420p"_s },
                path);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        s.manager->enqueue(path);
        QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 1, waitMs);
        const QJsonObject content = messages().first();
        QCOMPARE(content.value(u"msgtype"_s).toString(), u"m.video"_s);
        const QJsonObject info = content.value(u"info"_s).toObject();
        const QString mismatch = Testing::clipInfoMismatch(info);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        const QImage frame
            = QImage::fromData(m_server->mediaContent(info.value(u"thumbnail_url"_s).toString()));
        QCOMPARE(frame.size(), QSize(320, 240));
    }

    void anEncryptedUploadGetsAnEncryptedThumbnail()
    {
        Setup s = setUp(vault);
        QSignalSpy ready(s.poster.get(), &RoomPoster::encryptedContentReady);
        s.manager->enqueue(writeFile(u"secret.jpg"_s, photo(QSize(1000, 1000), 1)));
        QVERIFY(ready.wait(waitMs));
        const QJsonObject content = ready.first().at(2).toJsonObject();
        const QJsonObject info = content.value(u"info"_s).toObject();
        QVERIFY(!info.contains(u"thumbnail_url"_s)); // never a plain link in an encrypted room
        const std::optional<EncryptedFile> thumbnail
            = EncryptedFile::fromJson(info.value(u"thumbnail_file"_s).toObject());
        QVERIFY(thumbnail);
        const std::optional<EncryptedFile> file
            = EncryptedFile::fromJson(content.value(u"file"_s).toObject());
        QVERIFY(file);
        QVERIFY(thumbnail->key != file->key); // a key of its own

        const QByteArray ciphertext = m_server->mediaContent(thumbnail->url);
        QVERIFY(QImage::fromData(ciphertext).isNull()); // not a picture on the server
        QString why;
        const std::optional<QByteArray> opened = decrypted(*thumbnail, ciphertext, &why);
        QVERIFY2(opened, qPrintable(why));
        const QByteArray plain = *opened;
        QCOMPARE(QImage::fromData(plain).size(), QSize(600, 600));
        QCOMPARE(
            info.value(u"thumbnail_info"_s).toObject().value(u"size"_s).toInteger(), plain.size());
        QCOMPARE(m_server->events().size(), 0); // the host sends it, encrypted
        m_posted.append(content);
    }

    void theThumbnailCountsInTheRowsProgress()
    {
        Setup s = setUp(room);
        UploadListModel model(s.manager.get());
        // The thumbnail's POST /upload is held back until the test releases it: it is on its
        // way when the file is done.
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true },
            { u"path_prefix"_s, u"/_matrix/media/v3/upload"_s }, { u"times"_s, 1 } }));
        const QString path = writeFile(u"tall.jpg"_s, photo(QSize(1600, 1200), 1));
        const qint64 size = QFileInfo(path).size();
        UploadJob *job = s.manager->enqueue(path);
        QCOMPARE(job->attachedBytes(), 0);
        // Counted from the moment it is known to go.
        QTRY_VERIFY_WITH_TIMEOUT(job->attachedBytes() > 0, waitMs);
        const qint64 thumbnail = job->mediaDescription().thumbnail.size();
        QCOMPARE(job->attachedBytes(), thumbnail);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
        QVERIFY(messages().isEmpty()); // the thumbnail is not up yet
        QCOMPARE(job->attachedBytesSent(), 0);
        // The row's total is the file and its thumbnail: done with the file, not yet whole.
        const QModelIndex row = model.index(0);
        const double progress = row.data(UploadListModel::ProgressRole).toDouble();
        QVERIFY2(qFuzzyCompare(progress, double(size) / double(size + thumbnail)),
            qPrintable(QString::number(progress)));
        QCOMPARE(s.manager->totalBytes(), size + thumbnail);
        QCOMPARE(s.manager->sentBytes(), size);

        QTRY_COMPARE_WITH_TIMEOUT(m_server->heldRequests(), 1, waitMs);
        QVERIFY(messages().isEmpty());
        QCOMPARE(m_server->releaseHeldRequests(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 1, waitMs);
        QCOMPARE(job->attachedBytesSent(), thumbnail);
        QCOMPARE(row.data(UploadListModel::ProgressRole).toDouble(), 1.0);
        QCOMPARE(s.manager->sentBytes(), s.manager->totalBytes());
    }

    void aThumbnailThatFailsLeavesTheMessage()
    {
        Setup s = setUp(room);
        // Every POST /upload fails (the thumbnail's route; the file goes through /create).
        QVERIFY(m_server->addFault(
            { { u"status"_s, 500 }, { u"route"_s, u"upload"_s }, { u"times"_s, 100 } }));
        UploadJob *job = s.manager->enqueue(writeFile(u"big.jpg"_s, photo(QSize(1600, 1200), 1)));
        QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 1, waitMs);
        QCOMPARE(job->attachedBytes(), 0); // given up: no longer counted in the row
        const QJsonObject info = messages().first().value(u"info"_s).toObject();
        QVERIFY(!info.contains(u"thumbnail_url"_s));
        QVERIFY(!info.contains(u"thumbnail_info"_s)); // nothing described that is not there
        QCOMPARE(info.value(u"w"_s).toInt(), 1600);
        QVERIFY(info.contains(u"xyz.amorgan.blurhash"_s));
        // It was tried, and refused.
        const QList<QJsonObject> tries = requestsTo(u"/_matrix/media/v3/upload"_s);
        QVERIFY(!tries.isEmpty());
        QCOMPARE(tries.first().value(u"status"_s).toInt(), 500);
    }

    void bytesFromMemoryAreNotDescribed()
    {
        Setup s = setUp(room);
        UploadJob *job = s.manager->enqueue(QByteArray("plain words\n"), u"notes.txt"_s, QString());
        QVERIFY(!job->isMediaDescriptionPending());
        QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 1, waitMs);
        QCOMPARE(messages().first().value(u"msgtype"_s).toString(), u"m.file"_s);
    }
    void everyPostedMessageMatchesTheSpec()
    {
        // The m.room.message schemas of the spec (m.image, m.video, m.file), through the same
        // Ajv as the test server's schema check.
        QVERIFY(m_posted.size() >= 5);
        const QString errors = eventSchemaErrors(m_posted);
        QVERIFY2(errors.isEmpty(), qPrintable(errors));
    }

private:
    QJsonArray m_posted;
};

QTEST_MAIN(tst_MediaDescriber)
#include "tst_mediadescriber.moc"
