// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// RoomPoster and the room calls of MediaApi against the test server: the message content, one
// event per file despite lost answers, the order, when it posts, cancel and failure, restarts.
#include "uploadbench.h"

#include <matrixupload/attachmentcrypto_p.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/uploadmanager.h>

#include <QBuffer>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

namespace {
const QString room = u"!room:localhost"_s;
const QString vault = u"!vault:localhost"_s; // encrypted
//! Where the sends to the plain room go (the poster also asks for the room's state).
const QString sendPrefix = u"/_matrix/client/v3/rooms/%21room%3Alocalhost/send/"_s;
constexpr int waitMs = 20000;
} // namespace

class tst_RoomPoster : public QObject, public UploadBench
{
    Q_OBJECT

    void startRoomServer()
    {
        startServer();
        m_server->addRoom(room, u"Room"_s);
        m_server->addRoom(u"!bare:localhost"_s, QString());
        m_server->addRoom(u"!closed:localhost"_s, u"Closed"_s, { u"bob"_s });
        MediaTestServerRoom encrypted;
        encrypted.name = u"Vault"_s;
        encrypted.encrypted = true;
        m_server->addRoom(vault, encrypted);
    }

    //! The events the server recorded in \a roomId, of any type.
    QJsonArray eventsIn(const QString &roomId) const
    {
        QJsonArray out;
        for (const QJsonValue &v : m_server->events()) {
            if (v.toObject().value(u"room_id"_s).toString() == roomId)
                out.append(v);
        }
        return out;
    }

    QList<QJsonObject> messages() const
    {
        QList<QJsonObject> out;
        for (const QJsonValue &v : m_server->events()) {
            if (v.toObject().value(u"type"_s).toString() == u"m.room.message"_s)
                out.append(v.toObject());
        }
        return out;
    }

    //! The room's encryption state answers 503 \a failures times, and \a poster asks at most
    //! \a attempts times, 10-20 ms apart; false when the fault was refused.
    bool encryptionQuestionFails(RoomPoster &poster, int attempts, int failures)
    {
        RetryPolicy::Settings quick;
        quick.initialDelayMs = 10;
        quick.maxDelayMs = 20;
        quick.maxAttempts = attempts;
        poster.setRetrySettings(quick);
        return m_server->addFault(
            { { u"status"_s, 503 }, { u"route"_s, u"state"_s }, { u"times"_s, failures } });
    }

    //! A manager whose jobs send one small chunk per request: slowed down by a bandwidth fault,
    //! an upload is caught midway.
    std::unique_ptr<UploadManager> chunkedManager(ResumeStore *store = nullptr)
    {
        auto manager = std::make_unique<UploadManager>(m_api.get(), store);
        UploadOptions options;
        options.chunkSize = chunk;
        manager->setOptions(options);
        return manager;
    }

    template<class T> static ApiResult<T> await(ApiCall<T> *call)
    {
        QSignalSpy done(call, &ApiCallBase::finished);
        if (!call->isFinished())
            done.wait(waitMs);
        return call->result();
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<MatrixUpload::UploadJob *>(); }
    void init() { startRoomServer(); }
    void cleanup() { finishUploadTest(nullptr); }

    void roomCalls()
    {
        const auto rooms = await(m_api->joinedRooms());
        QVERIFY(rooms);
        QCOMPARE(QSet<QString>(rooms->cbegin(), rooms->cend()),
            (QSet<QString> { room, u"!bare:localhost"_s, vault }));
        const auto name = await(m_api->roomName(room));
        QVERIFY(name);
        QCOMPARE(*name, u"Room"_s);
        const auto none = await(m_api->roomName(u"!bare:localhost"_s));
        QVERIFY(none);
        QVERIFY(none->isEmpty());
        const auto plain = await(m_api->roomEncrypted(room));
        QVERIFY(plain);
        QVERIFY(!*plain);
        const auto encrypted = await(m_api->roomEncrypted(vault));
        QVERIFY(encrypted);
        QVERIFY(*encrypted);
        const auto unknown = await(m_api->roomEncrypted(u"!closed:localhost"_s));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().httpStatus(), 403);
        const auto closed = await(m_api->roomName(u"!closed:localhost"_s));
        QVERIFY(!closed);
        QCOMPARE(closed.error().httpStatus(), 403);

        const QString txn = MediaApi::newTransactionId();
        QVERIFY(txn != MediaApi::newTransactionId());
        const auto sent = await(m_api->sendEvent(room, u"m.room.message"_s, txn,
            { { u"msgtype"_s, u"m.text"_s }, { u"body"_s, u"hi"_s } }));
        QVERIFY(sent);
        QVERIFY(sent->startsWith(u'$'));
        // The same transaction again is the same event, not a second one.
        const auto again = await(m_api->sendEvent(room, u"m.room.message"_s, txn,
            { { u"msgtype"_s, u"m.text"_s }, { u"body"_s, u"hi"_s } }));
        QVERIFY(again);
        QCOMPARE(*again, *sent);
        QCOMPARE(messages().size(), 1);
        const auto redaction
            = await(m_api->redactEvent(room, *sent, MediaApi::newTransactionId(), u"why"_s));
        QVERIFY(redaction);
        QCOMPARE(m_server->events().last().toObject().value(u"redacts"_s).toString(), *sent);
        const auto refused = await(m_api->sendEvent(
            u"!closed:localhost"_s, u"m.room.message"_s, MediaApi::newTransactionId(), {}));
        QVERIFY(!refused);
        QCOMPARE(refused.error().httpStatus(), 403);
    }

    void msgtypeFromMediaType_data()
    {
        QTest::addColumn<QString>("mediaType");
        QTest::addColumn<QString>("msgtype");
        QTest::newRow("png") << u"image/png"_s << u"m.image"_s;
        QTest::newRow("svg") << u"image/svg+xml"_s << u"m.image"_s;
        QTest::newRow("mp4") << u"video/mp4"_s << u"m.video"_s;
        QTest::newRow("ogg") << u"audio/ogg"_s << u"m.audio"_s;
        QTest::newRow("pdf") << u"application/pdf"_s << u"m.file"_s;
        QTest::newRow("text") << u"text/plain"_s << u"m.file"_s;
        QTest::newRow("none") << QString() << u"m.file"_s;
    }

    void msgtypeFromMediaType()
    {
        QFETCH(QString, mediaType);
        QFETCH(QString, msgtype);
        QCOMPARE(RoomPoster::msgtypeFor(mediaType), msgtype);
    }

    void aNameKeptFromTheServerIsKeptFromTheRoom()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        UploadMetadata hidden;
        hidden.sendFileName = false;
        UploadJob *hiddenJob
            = manager.enqueue(writeFile(u"private-name.png"_s, content(1000)), hidden);
        QVERIFY(posted.wait(waitMs));
        manager.enqueue(content(500), QString(), u"application/pdf"_s); // no name at all
        QVERIFY(posted.wait(waitMs));
        roundTrip();
        const QList<QJsonObject> sent = messages();
        QCOMPARE(sent.size(), 2);
        const QJsonObject first = sent.at(0).value(u"content"_s).toObject();
        QCOMPARE(first.value(u"msgtype"_s).toString(), u"m.image"_s);
        QCOMPARE(first.value(u"body"_s).toString(), u"image"_s);
        QVERIFY(!QJsonDocument(sent.at(0)).toJson().contains("private-name"));
        QCOMPARE(sent.at(1).value(u"content"_s).toObject().value(u"body"_s).toString(), u"file"_s);
        // With a caption the name is still kept out, and `filename` is there (generic), so no
        // client takes the caption for the file's name (spec v1.10).
        const QJsonObject captioned
            = RoomPoster::messageContent(hiddenJob, {}, {}, {}, u"Sunset"_s);
        QCOMPARE(captioned.value(u"body"_s).toString(), u"Sunset"_s);
        QCOMPARE(captioned.value(u"filename"_s).toString(), u"image"_s);
        QVERIFY(!QJsonDocument(captioned).toJson().contains("private-name"));
    }

    void aPlainRoomGetsUrlOnceItsEncryptionIsKnown()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        QSignalSpy known(&poster, &RoomPoster::roomEncryptionKnown);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        QSignalSpy handed(&poster, &RoomPoster::encryptedContentReady);
        poster.setRoom(room, u"Room"_s);
        QVERIFY(!poster.isRoomEncryptionKnown());
        UploadJob *job = manager.enqueue(writeFile(u"a.txt"_s, content(1000)));
        // Not a byte before the answer: the job waits in the queue.
        QCOMPARE(job->state(), UploadJob::State::Queued);
        QVERIFY(manager.isHeld(job->id()));
        QVERIFY(job->note().contains(u"asking whether the room is encrypted"_s));
        QVERIFY(known.wait(waitMs));
        QCOMPARE(known.first(), (QVariantList { room, false }));
        QVERIFY(poster.isRoomEncryptionKnown());
        QVERIFY(!poster.isRoomEncrypted());
        QVERIFY(!manager.isHeld(job->id()));
        QVERIFY(posted.wait(waitMs));
        QVERIFY(!job->isEncrypted());
        const QJsonObject sent = messages().first().value(u"content"_s).toObject();
        QCOMPARE(sent.value(u"url"_s).toString(), job->contentUri());
        QVERIFY(!sent.contains(u"file"_s));
        QCOMPARE(handed.size(), 0);
        QCOMPARE(
            requestsTo(u"/_matrix/client/v3/rooms/%21room%3Alocalhost/state/m.room.encryption"_s)
                .size(),
            1);
    }

    void anUnansweredEncryptionQuestionIsAskedAgain()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        QVERIFY(encryptionQuestionFails(poster, 4, 2));
        QSignalSpy posted(&poster, &RoomPoster::posted);
        poster.setRoom(room, u"Room"_s);
        UploadJob *job = manager.enqueue(writeFile(u"a.txt"_s, content(1000)));
        QVERIFY(posted.wait(waitMs));
        QVERIFY(!job->isEncrypted());
        QCOMPARE(
            requestsTo(u"/_matrix/client/v3/rooms/%21room%3Alocalhost/state/m.room.encryption"_s)
                .size(),
            3);
        QVERIFY(messages().first().value(u"content"_s).toObject().contains(u"url"_s));
    }

    void anEncryptionQuestionThatFailsPostsNothing()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        QVERIFY(encryptionQuestionFails(poster, 2, 10));
        QSignalSpy failed(&poster, &RoomPoster::postFailed);
        QSignalSpy handed(&poster, &RoomPoster::encryptedContentReady);
        poster.setRoom(room, u"Room"_s);
        UploadJob *job = manager.enqueue(writeFile(u"a.txt"_s, content(1000)));
        QVERIFY(failed.wait(waitMs));
        QCOMPARE(failed.first().at(1).value<MatrixError>().httpStatus(), 503);
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Failed);
        QVERIFY2(job->note().startsWith(u"Not posted to Room: "_s), qPrintable(job->note()));
        // The safe side: the held file goes, encrypted.
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
        QVERIFY(job->isEncrypted());
        roundTrip();
        QVERIFY(m_server->events().isEmpty());
        QCOMPARE(handed.size(), 0);
    }

    void anEncryptedRoomGetsNothingAndTheHostGetsFile_data()
    {
        QTest::addColumn<RoomPoster::When>("when");
        QTest::addRow("content URI known") << RoomPoster::When::ContentUriKnown;
        QTest::addRow("upload completed") << RoomPoster::When::UploadCompleted;
    }
    void anEncryptedRoomGetsNothingAndTheHostGetsFile()
    {
        QFETCH(RoomPoster::When, when);
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setWhen(when);
        QSignalSpy handed(&poster, &RoomPoster::encryptedContentReady);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        QSignalSpy known(&poster, &RoomPoster::roomEncryptionKnown);
        poster.setRoom(vault, u"Vault"_s);
        const QByteArray plain = content(3 * chunk + 77);
        UploadJob *first = manager.enqueue(writeFile(u"notes.txt"_s, plain));
        QVERIFY(known.wait(waitMs));
        QVERIFY(poster.isRoomEncrypted());
        // Known now: a file added from here on is encrypted at once.
        UploadJob *second = manager.enqueue(writeFile(u"second.pdf"_s, content(500, 2)));
        QVERIFY(second->isEncrypted());
        QTRY_COMPARE_WITH_TIMEOUT(handed.size(), 2, waitMs);
        QVERIFY(first->isEncrypted());
        // In the order they were added; for When::UploadCompleted, as each completes (an order
        // the two uploads' speeds decide).
        const int firstAt = when == RoomPoster::When::ContentUriKnown
            ? 0
            : (handed.at(0).at(0).value<UploadJob *>() == first ? 0 : 1);
        QCOMPARE(handed.at(firstAt).at(0).value<UploadJob *>(), first);
        QCOMPARE(handed.at(1 - firstAt).at(0).value<UploadJob *>(), second);
        QCOMPARE(handed.at(firstAt).at(1).toString(), vault);
        const QJsonObject message = handed.at(firstAt).at(2).toJsonObject();
        QVERIFY(!message.contains(u"url"_s));
        QCOMPARE(message.value(u"msgtype"_s).toString(), u"m.file"_s);
        QCOMPARE(message.value(u"body"_s).toString(), u"notes.txt"_s);
        const QJsonObject info = message.value(u"info"_s).toObject();
        QCOMPARE(info.value(u"mimetype"_s).toString(), u"text/plain"_s); // the real type
        QCOMPARE(info.value(u"size"_s).toInteger(), plain.size());
        const QJsonObject file = message.value(u"file"_s).toObject();
        QCOMPARE(file, first->encryptedFile());
        QCOMPARE(file.value(u"url"_s).toString(), first->contentUri());
        QCOMPARE(poster.postState(first->id()), RoomPoster::PostState::HandedToHost);
        QVERIFY2(first->note().contains(u"Vault"_s), qPrintable(first->note()));

        // The server holds ciphertext that the content's key opens.
        const auto encryptedFile = EncryptedFile::fromJson(file);
        QVERIFY(encryptedFile);
        QByteArray stored = m_server->mediaContent(first->contentUri());
        QCOMPARE(stored.size(), plain.size());
        QVERIFY(stored != plain);
        QString error;
        const std::optional<QByteArray> opened = decrypted(*encryptedFile, stored, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(*opened, plain);

        // Nothing at all reached the room: no event with url, nor any other.
        roundTrip();
        QCOMPARE(eventsIn(vault), QJsonArray());
        QCOMPARE(posted.size(), 0);
        QVERIFY(requestsTo(u"/_matrix/client/v3/rooms/%21vault%3Alocalhost/send"_s).isEmpty());
    }

    void aPlaintextUploadIsNeverPostedIntoAnEncryptedRoom()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        UploadJob *job = manager.enqueue(writeFile(u"a.txt"_s, content(1000)));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
        QVERIFY(!job->isEncrypted());
        QSignalSpy failed(&poster, &RoomPoster::postFailed);
        QSignalSpy handed(&poster, &RoomPoster::encryptedContentReady);
        QVERIFY(poster.postTo(job, vault, u"Vault"_s));
        QVERIFY(failed.wait(waitMs));
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Failed);
        QVERIFY2(job->note().startsWith(u"Not posted to Vault: the room is encrypted"_s),
            qPrintable(job->note()));
        // Posting it to a plain room instead works.
        QSignalSpy posted(&poster, &RoomPoster::posted);
        QVERIFY(poster.postTo(job, room, u"Room"_s));
        QVERIFY(!poster.postTo(job, room, u"Room"_s)); // already on its way
        QVERIFY(posted.wait(waitMs));
        roundTrip();
        QCOMPARE(eventsIn(vault), QJsonArray());
        QCOMPARE(eventsIn(room).size(), 1);
        QCOMPARE(handed.size(), 0);
    }

    void anEncryptedUploadPostsFileIntoAPlainRoom()
    {
        UploadManager manager(m_api.get());
        UploadOptions options;
        options.encrypt = true; // the host's choice
        manager.setOptions(options);
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        UploadJob *job = manager.enqueue(writeFile(u"a.txt"_s, content(1000)));
        QVERIFY(posted.wait(waitMs));
        QCOMPARE(job->state(), UploadJob::State::Completed); // the file needs the hash
        const QJsonObject sent = messages().first().value(u"content"_s).toObject();
        QVERIFY(!sent.contains(u"url"_s));
        QCOMPARE(sent.value(u"file"_s).toObject(), job->encryptedFile());
    }

    void aLostAnswerDoesNotPostTwice()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        QVERIFY(m_server->addFault(
            { { u"drop_answer"_s, true }, { u"route"_s, u"send"_s }, { u"times"_s, 2 } }));
        QSignalSpy posted(&poster, &RoomPoster::posted);
        UploadJob *job = manager.enqueue(writeFile(u"a.bin"_s, content(1000)));
        QVERIFY(posted.wait(waitMs));
        roundTrip();
        QCOMPARE(messages().size(), 1);
        QList<QString> sendPaths;
        for (const QJsonObject &r : requestsTo(sendPrefix))
            sendPaths << r.value(u"path"_s).toString();
        QVERIFY2(sendPaths.size() >= 2, qPrintable(sendPaths.join(u' ')));
        QVERIFY(std::all_of(sendPaths.cbegin(), sendPaths.cend(),
            [&](const QString &p) { return p == sendPaths.first(); })); // one transaction ID
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Posted);
        QCOMPARE(poster.eventId(job->id()), messages().first().value(u"event_id"_s).toString());
    }

    void messagesKeepTheOrderWhileBytesFlow()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QStringList paths { writeFile(u"1-big.bin"_s, content(3 * 1024 * 1024)),
            writeFile(u"2-small.txt"_s, "two"), writeFile(u"3-small.txt"_s, "three") };
        const auto jobs = manager.enqueue(paths);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        QTRY_COMPARE_WITH_TIMEOUT(posted.size(), 3, waitMs);
        // All three went out while the big file was still moving.
        QVERIFY(jobs[0]->state() != UploadJob::State::Completed);
        const auto sent = messages();
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(sent[i].value(u"content"_s).toObject().value(u"body"_s).toString(),
                jobs[i]->fileName());
        }
        m_server->clearFaults();
        QTRY_COMPARE_WITH_TIMEOUT(jobs[0]->state(), UploadJob::State::Completed, waitMs);
        QVERIFY(jobs[0]->note().startsWith(u"Posted to "_s));
    }

    void cancelWhileASendWaitsToRetryPostsNothing()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        RetryPolicy::Settings slow;
        slow.initialDelayMs = 2000; // the send waits; the cancel comes first
        slow.jitter = 0;
        poster.setRetrySettings(slow);
        QVERIFY(m_server->addFault(
            { { u"status"_s, 503 }, { u"route"_s, u"send"_s }, { u"times"_s, 1 } }));
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        UploadJob *job = manager.enqueue(writeFile(u"a.bin"_s, content(8 * chunk)));
        QTRY_VERIFY_WITH_TIMEOUT(job->note().contains(u"trying again"_s), waitMs);
        manager.cancel(job->id());
        QTRY_COMPARE_WITH_TIMEOUT(
            poster.postState(job->id()), RoomPoster::PostState::Dropped, waitMs);
        roundTrip();
        QVERIFY(m_server->events().isEmpty());
        QCOMPARE(job->note(), u"Not posted: the upload was cancelled"_s);
    }

    void afterCompletionPostsOnlyCompletedUploads()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        poster.setWhen(RoomPoster::When::UploadCompleted);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        UploadJob *good = manager.enqueue(writeFile(u"good.bin"_s, content(5000)));
        const QString missing = m_dir.filePath(u"missing.bin"_s);
        UploadJob *bad = manager.enqueue(missing);
        QVERIFY(posted.wait(waitMs));
        QCOMPARE(poster.postState(good->id()), RoomPoster::PostState::Posted);
        QCOMPARE(good->state(), UploadJob::State::Completed);
        QTRY_COMPARE(bad->state(), UploadJob::State::Failed);
        roundTrip();
        QCOMPARE(messages().size(), 1);
        QCOMPARE(poster.postState(bad->id()), RoomPoster::PostState::Waiting);
        QVERIFY(bad->note().contains(u"when the upload completes"_s));
    }

    void aRefusedSendIsReported()
    {
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(u"!closed:localhost"_s, u"Closed"_s); // alice is not in it
        QSignalSpy failed(&poster, &RoomPoster::postFailed);
        UploadJob *job = manager.enqueue(writeFile(u"a.bin"_s, content(100)));
        QVERIFY(failed.wait(waitMs));
        QCOMPARE(failed.first().at(1).value<MatrixError>().httpStatus(), 403);
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Failed);
        QVERIFY2(job->note().startsWith(u"Not posted to Closed: M_FORBIDDEN"_s),
            qPrintable(job->note()));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
        // Whether the room is encrypted could not be learnt: the safe side, encrypted bytes.
        QVERIFY(job->isEncrypted());
        QVERIFY(!poster.isRoomEncryptionKnown());
    }

    void aRefusedSignInHoldsThePostUntilANewToken()
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s); // for the new sign-in below
        startServer(config);
        m_server->addRoom(room, u"Room"_s);
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        QSignalSpy failed(&poster, &RoomPoster::postFailed);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        // The token dies once the content URI is known: the send meets it, not the create.
        UploadJob *job = manager.enqueue(writeFile(u"a.bin"_s, content(3000)));
        connect(job, &UploadJob::contentUriChanged, this,
            [this] { QVERIFY(m_server->expireAccessToken(u"*"_s)); });
        QTRY_VERIFY_WITH_TIMEOUT(m_api->isAccessTokenRejected(), waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!requestsTo(sendPrefix).isEmpty(), waitMs);
        roundTrip();
        QCOMPARE(failed.count(), 0);
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Sending);
        QVERIFY(messages().isEmpty());

        // The host signs in again and hands the token over: the message goes out, once.
        MediaApi other(&m_nam);
        other.setHomeserver(m_server->baseUrl());
        const auto login = await(other.loginWithPassword(u"alice"_s, u"secret"_s));
        QVERIFY(login);
        m_api->setAccessToken(login->accessToken);
        QVERIFY(posted.wait(waitMs));
        QCOMPARE(messages().size(), 1);
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Posted);
        QCOMPARE(failed.count(), 0);
        // The send went again under its first transaction ID.
        QSet<QString> paths;
        for (const QJsonObject &r : requestsTo(sendPrefix))
            paths.insert(r.value(u"path"_s).toString());
        QCOMPARE(paths.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
    }

    void aFailedUploadWhoseMessageWasSentSaysSo()
    {
        auto manager = chunkedManager(); // the file is checked between chunks
        RoomPoster poster(manager.get());
        poster.setRoom(room, u"Room"_s);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        const QString path = writeFile(u"changing.bin"_s, content(8 * chunk));
        QSignalSpy posted(&poster, &RoomPoster::posted);
        UploadJob *job = manager->enqueue(path);
        QVERIFY(posted.wait(waitMs));
        writeFile(u"changing.bin"_s, content(8 * chunk, 2));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(
            QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
        f.close();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Failed, waitMs);
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Posted);
        QVERIFY2(job->note().startsWith(u"Posted to Room before the upload failed"_s),
            qPrintable(job->note()));
    }

    void aMessageWhoseUploadGetsANewIdIsEdited()
    {
        // Issue 14, item 6: posted as soon as the content URI was known, the message kept
        // pointing at that URI after the ID expired and the job uploaded to a new one.
        auto manager = chunkedManager();
        RoomPoster poster(manager.get());
        poster.setRoom(room, u"Room"_s);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        const QByteArray bytes = content(8 * chunk);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        UploadJob *job = manager->enqueue(writeFile(u"renewed.bin"_s, bytes));
        QVERIFY(posted.wait(waitMs));
        const QString first = job->contentUri();
        job->pause();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Paused, waitMs);
        QVERIFY(m_server->expireMedia(first));
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        job->resume();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
        QVERIFY(job->contentUri() != first);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);

        // The room: the message, and one edit of it that points at the new URI.
        QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 2, waitMs);
        const QJsonObject original = messages().at(0);
        const QJsonObject edit = messages().at(1).value(u"content"_s).toObject();
        QCOMPARE(original.value(u"content"_s).toObject().value(u"url"_s).toString(), first);
        const QJsonObject relation = edit.value(u"m.relates_to"_s).toObject();
        QCOMPARE(relation.value(u"rel_type"_s).toString(), u"m.replace"_s);
        QCOMPARE(
            relation.value(u"event_id"_s).toString(), original.value(u"event_id"_s).toString());
        // What clients show of an edited message: its m.new_content.
        const QJsonObject shown = edit.value(u"m.new_content"_s).toObject();
        QCOMPARE(shown.value(u"url"_s).toString(), job->contentUri());
        QCOMPARE(shown.value(u"body"_s).toString(), u"renewed.bin"_s);
        QCOMPARE(edit.value(u"url"_s).toString(), job->contentUri()); // for older clients
        QCOMPARE(edit.value(u"body"_s).toString(), u"* renewed.bin"_s);
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Posted);
    }

    void aPendingPostSurvivesARestart()
    {
        // After completion: the post is still due when the program stops mid-upload. The
        // next run sends it with the transaction ID of the first run.
        const QString stateFile = m_dir.filePath(u"posts.json"_s);
        JsonResumeStore store(m_dir.filePath(u"records"_s));
        const QByteArray bytes = content(6 * chunk);
        const QString path = writeFile(u"later.bin"_s, bytes);
        QString id;
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        {
            auto manager = chunkedManager(&store);
            RoomPoster poster(manager.get(), stateFile);
            poster.setRoom(room, u"Room"_s);
            poster.setWhen(RoomPoster::When::UploadCompleted);
            UploadJob *job = manager->enqueue(path);
            id = job->id();
            QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= chunk, waitMs);
        }
        roundTrip();
        m_server->clearFaults();
        QVERIFY(messages().isEmpty());
        QFile saved(stateFile);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QString txn = QJsonDocument::fromJson(saved.readAll())
                                .object()
                                .value(id)
                                .toObject()
                                .value(u"txn_id"_s)
                                .toString();
        QVERIFY(!txn.isEmpty());

        UploadManager manager(m_api.get(), &store);
        RoomPoster poster(&manager, stateFile);
        poster.setWhen(RoomPoster::When::UploadCompleted); // the setting, as a program keeps it
        QSignalSpy posted(&poster, &RoomPoster::posted);
        const auto restored = manager.restore();
        QCOMPARE(restored.size(), 1);
        QCOMPARE(poster.postState(id), RoomPoster::PostState::Waiting);
        QCOMPARE(poster.roomOf(id), room);
        manager.resume(id);
        QVERIFY(posted.wait(waitMs));
        QCOMPARE(messages().size(), 1);
        QCOMPARE(messages().first().value(u"txn_id"_s).toString(), txn);
        QCOMPARE(m_server->mediaContent(restored.first()->contentUri()), bytes);
    }

    void aHeldPostWaitsForItsNameAndCaption()
    {
        // The app's sheet: the message waits while the user names the file.
        UploadManager manager(m_api.get());
        RoomPoster poster(&manager);
        poster.setRoom(room, u"Room"_s);
        poster.setWhen(RoomPoster::When::UploadCompleted);
        UploadJob *job = manager.enqueue(writeFile(u"IMG_0001.bin"_s, content(3000)));
        poster.holdPost(job);
        QVERIFY(poster.isPostHeld(job->id()));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, waitMs);
        roundTrip();
        QVERIFY(messages().isEmpty()); // completed, and still held
        QCOMPARE(poster.postState(job->id()), RoomPoster::PostState::Waiting);
        QVERIFY(poster.setMessageText(job, u" Holiday.bin "_s, u"The view from the top"_s));
        QCOMPARE(poster.messageFileName(job->id()), u"Holiday.bin"_s);
        QCOMPARE(poster.caption(job->id()), u"The view from the top"_s);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        poster.releasePost(job);
        QVERIFY(posted.wait(waitMs));
        const QJsonObject message = messages().first().value(u"content"_s).toObject();
        // Spec v1.10: `body` is the caption, `filename` the file's name.
        QCOMPARE(message.value(u"body"_s).toString(), u"The view from the top"_s);
        QCOMPARE(message.value(u"filename"_s).toString(), u"Holiday.bin"_s);
        // Once sent, the text is what was posted.
        QVERIFY(!poster.setMessageText(job, u"other.bin"_s, QString()));

        // A new name without a caption is the body; no filename then.
        UploadJob *second = manager.enqueue(writeFile(u"x.bin"_s, content(100)));
        QVERIFY(poster.setMessageText(second, u"renamed.bin"_s, QString()));
        QVERIFY(posted.wait(waitMs));
        const QJsonObject renamed = messages().last().value(u"content"_s).toObject();
        QCOMPARE(renamed.value(u"body"_s).toString(), u"renamed.bin"_s);
        QVERIFY(!renamed.contains(u"filename"_s));
    }

    void aNameAndCaptionSurviveARestart()
    {
        const QString stateFile = m_dir.filePath(u"posts.json"_s);
        JsonResumeStore store(m_dir.filePath(u"records"_s));
        const QString path = writeFile(u"later.bin"_s, content(6 * chunk));
        QString id;
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        {
            auto manager = chunkedManager(&store);
            RoomPoster poster(manager.get(), stateFile);
            poster.setRoom(room, u"Room"_s);
            poster.setWhen(RoomPoster::When::UploadCompleted);
            UploadJob *job = manager->enqueue(path);
            id = job->id();
            QVERIFY(poster.setMessageText(job, u"report.bin"_s, u"Q3 numbers"_s));
            QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= chunk, waitMs);
        }
        roundTrip();
        m_server->clearFaults();

        UploadManager manager(m_api.get(), &store);
        RoomPoster poster(&manager, stateFile);
        poster.setWhen(RoomPoster::When::UploadCompleted);
        QSignalSpy posted(&poster, &RoomPoster::posted);
        QCOMPARE(manager.restore().size(), 1);
        QCOMPARE(poster.caption(id), u"Q3 numbers"_s);
        QCOMPARE(poster.messageFileName(id), u"report.bin"_s);
        manager.resume(id);
        QVERIFY(posted.wait(waitMs));
        const QJsonObject message = messages().first().value(u"content"_s).toObject();
        QCOMPARE(message.value(u"body"_s).toString(), u"Q3 numbers"_s);
        QCOMPARE(message.value(u"filename"_s).toString(), u"report.bin"_s);
    }

    void anUploadOfAnEarlierRunThatPostedNowhereStaysSo()
    {
        JsonResumeStore store(m_dir.filePath(u"records"_s));
        const QString path = writeFile(u"quiet.bin"_s, content(6 * chunk));
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        QString id;
        {
            auto manager = chunkedManager(&store); // no poster: uploaded only
            UploadJob *job = manager->enqueue(path);
            id = job->id();
            QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= chunk, waitMs);
        }
        m_server->clearFaults();
        UploadManager manager(m_api.get(), &store);
        RoomPoster poster(&manager, m_dir.filePath(u"posts.json"_s));
        poster.setRoom(room, u"Room"_s);
        QCOMPARE(manager.restore().size(), 1);
        QCOMPARE(poster.postState(id), RoomPoster::PostState::None);
        manager.resume(id);
        QTRY_COMPARE_WITH_TIMEOUT(manager.job(id)->state(), UploadJob::State::Completed, waitMs);
        // A file added now is posted; the restored one was not.
        QSignalSpy posted(&poster, &RoomPoster::posted);
        manager.enqueue(writeFile(u"new.txt"_s, "new"));
        QVERIFY(posted.wait(waitMs));
        QCOMPARE(messages().size(), 1);
        QCOMPARE(messages().first().value(u"content"_s).toObject().value(u"body"_s).toString(),
            u"new.txt"_s);
    }

    void aSentPostIsNotSentAgainAfterARestart()
    {
        const QString stateFile = m_dir.filePath(u"posts.json"_s);
        JsonResumeStore store(m_dir.filePath(u"records"_s));
        const QString path = writeFile(u"early.bin"_s, content(6 * chunk));
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        QString id;
        {
            auto manager = chunkedManager(&store);
            RoomPoster poster(manager.get(), stateFile);
            poster.setRoom(room, u"Room"_s);
            QSignalSpy posted(&poster, &RoomPoster::posted);
            id = manager->enqueue(path)->id();
            QVERIFY(posted.wait(waitMs));
        }
        m_server->clearFaults();
        UploadManager manager(m_api.get(), &store);
        RoomPoster poster(&manager, stateFile);
        poster.setRoom(u"!bare:localhost"_s); // chosen now: not for the earlier run's upload
        manager.restore();
        QCOMPARE(poster.postState(id), RoomPoster::PostState::Posted);
        QCOMPARE(poster.roomOf(id), room);
        QVERIFY(!poster.eventId(id).isEmpty());
        manager.resume(id);
        QTRY_COMPARE_WITH_TIMEOUT(manager.job(id)->state(), UploadJob::State::Completed, waitMs);
        roundTrip();
        QCOMPARE(messages().size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_RoomPoster)
#include "tst_roomposter.moc"
