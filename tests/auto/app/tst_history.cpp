// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader's upload history (issue 17): the store (kept across restarts, bounded, a
// corrupt file moved aside, no secret in it) and the History window driven through the real
// main window: copy the content URI and the matrix.to link, remove, clear.
#include "appbench.h"
#include "historywindow.h"
#include "mainwindow.h"
#include "programtranslators.h"
#include "session.h"
#include "uploadbench.h"
#include "uploadhistory.h"

#include <matrixupload/credentials.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTimeZone>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::App;
using namespace MatrixUpload::Testing;

namespace {
const QString roomId = u"!holiday:localhost"_s;

HistoryEntry sampleEntry(int n)
{
    HistoryEntry e;
    e.jobId = u"job"_s + QString::number(n);
    e.fileName = u"file%1.png"_s.arg(n);
    e.size = 1000 * n;
    e.mediaType = u"image/png"_s;
    e.roomId = roomId;
    e.roomName = u"Holiday"_s;
    e.date = QDateTime(QDate(2026, 3, n + 1), QTime(12, 30), QTimeZone::utc());
    e.contentUri = u"mxc://localhost/media"_s + QString::number(n);
    e.eventId = u"$event"_s + QString::number(n);
    return e;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class tst_History : public QObject, public AppBench
{
    Q_OBJECT

    QString historyPath() const { return m_dir.filePath(u"account/history.json"_s); }

    std::unique_ptr<MainWindow> signedInWindow(const QString &room = roomId)
    {
        return tokenWindow(room);
    }

    static HistoryWindow *openHistory(MainWindow *window)
    {
        auto *action = window->findChild<QAction *>(u"historyAction"_s);
        if (!action || !action->isEnabled())
            return nullptr;
        action->trigger();
        return window->findChild<HistoryWindow *>();
    }

    static QAction *action(HistoryWindow *history, const QString &name)
    {
        return history->findChild<QAction *>(name);
    }

    static void selectRow(HistoryWindow *history, int row)
    {
        QTreeView *view = history->view();
        view->selectionModel()->setCurrentIndex(view->model()->index(row, 0),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }

    static QString cell(HistoryWindow *history, int row, int column)
    {
        const QAbstractItemModel *model = history->view()->model();
        return model->index(row, column).data().toString();
    }

    //! Uploads \a path through \a window and waits until it completed and was posted (when the
    //! window posts to a room).
    UploadJob *uploadThrough(MainWindow *window, const QString &path)
    {
        QSignalSpy added(window->session()->manager(), &UploadManager::jobAdded);
        window->addFiles({ path });
        if (added.isEmpty())
            return nullptr;
        auto *job = added.first().first().value<UploadJob *>();
        if (!QTest::qWaitFor([job] { return job->state() == UploadJob::State::Completed; }, 15000))
            return nullptr;
        RoomPoster *poster = window->session()->poster();
        if (!poster->roomOf(job->id()).isEmpty()
            && !QTest::qWaitFor(
                [&] { return poster->postState(job->id()) == RoomPoster::PostState::Posted; },
                15000))
            return nullptr;
        return job;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpApp()); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        clearAppState();
        QDir(m_dir.filePath(u"account"_s)).removeRecursively();
        MediaTestServerConfig config;
        startServer(config);
        m_server->addRoom(roomId, u"Holiday"_s);
    }

    void cleanup() { finishUploadTest(nullptr); }

    void keptAcrossRestarts()
    {
        {
            UploadHistory history(historyPath());
            QAbstractItemModelTester tester(&history);
            QCOMPARE(history.rowCount(), 0);
            QVERIFY(history.loadWarning().isEmpty());
            history.record(sampleEntry(1));
            HistoryEntry encrypted = sampleEntry(2);
            encrypted.encrypted = true;
            encrypted.eventId.clear();
            encrypted.mediaType.clear();
            encrypted.fileName.clear(); // data added without a name
            history.record(encrypted);
            QCOMPARE(history.rowCount(), 2);
        } // written as it goes
        UploadHistory history(historyPath());
        QVERIFY(history.loadWarning().isEmpty());
        QCOMPARE(history.rowCount(), 2);
        // Newest first, every field back.
        const HistoryEntry newest = history.entry(0);
        QVERIFY(newest.fileName.isEmpty());
        QCOMPARE(history.index(0, UploadHistory::FileColumn).data().toString(), u"(no name)"_s);
        QVERIFY(newest.encrypted);
        QVERIFY(newest.eventId.isEmpty());
        QVERIFY(newest.mediaType.isEmpty());
        QVERIFY(newest.link().isEmpty());
        const HistoryEntry older = history.entry(1);
        const HistoryEntry expected = sampleEntry(1);
        QCOMPARE(older.jobId, expected.jobId);
        QCOMPARE(older.fileName, expected.fileName);
        QCOMPARE(older.size, expected.size);
        QCOMPARE(older.mediaType, expected.mediaType);
        QCOMPARE(older.roomId, expected.roomId);
        QCOMPARE(older.roomName, expected.roomName);
        QCOMPARE(older.date, expected.date);
        QCOMPARE(older.contentUri, expected.contentUri);
        QCOMPARE(older.eventId, expected.eventId);
        QVERIFY(!older.encrypted);
        // The table: file, size (Core's formatter), room, date.
        QCOMPARE(history.index(1, UploadHistory::FileColumn).data().toString(), u"file1.png"_s);
        QCOMPARE(history.index(1, UploadHistory::SizeColumn).data().toString(),
            UploadListModel::formatSize(1000));
        QCOMPARE(history.index(1, UploadHistory::RoomColumn).data().toString(), u"Holiday"_s);
        QCOMPARE(history.index(1, UploadHistory::DateColumn).data().toString(),
            QLocale().toString(expected.date.toLocalTime(), QLocale::ShortFormat));
        QCOMPARE(history.index(1, 0).data(UploadHistory::LinkRole).toString(),
            u"https://matrix.to/#/%21holiday%3Alocalhost/%24event1?via=localhost"_s);
        // Only the owner reads it: it names the account's files and rooms.
        QCOMPARE(
            QFile::permissions(historyPath()) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
            QFileDevice::Permissions());
    }

    void matrixToLinks_data()
    {
        QTest::addColumn<QString>("room");
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("link");
        QTest::addRow("room ID and event ID")
            << u"!abc:example.org"_s << u"$Ev3nt_x-y"_s
            << u"https://matrix.to/#/%21abc%3Aexample.org/%24Ev3nt_x-y?via=example.org"_s;
        // Room and event IDs may hold '/', '+' or '?' (base64 event IDs): encoded, not cut.
        QTest::addRow("reserved characters")
            << u"!a/b?c:example.org:8448"_s << u"$ab+/cd="_s
            << u"https://matrix.to/#/%21a%2Fb%3Fc%3Aexample.org%3A8448/%24ab%2B%2Fcd%3D"
               u"?via=example.org%3A8448"_s;
        QTest::addRow("room ID without a server")
            << u"!opaque"_s << u"$e"_s << u"https://matrix.to/#/%21opaque/%24e"_s;
    }

    void matrixToLinks()
    {
        QFETCH(QString, room);
        QFETCH(QString, event);
        QFETCH(QString, link);
        QCOMPARE(UploadHistory::matrixToLink(room, event), link);
    }

    void boundedToTheNewest()
    {
        {
            UploadHistory history(historyPath(), 3);
            QAbstractItemModelTester tester(&history);
            for (int i = 1; i <= 5; ++i)
                history.record(sampleEntry(i));
            QCOMPARE(history.rowCount(), 3);
            QCOMPARE(history.entry(0).fileName, u"file5.png"_s);
            QCOMPARE(history.entry(2).fileName, u"file3.png"_s);
        }
        UploadHistory history(historyPath(), 3);
        QCOMPARE(history.rowCount(), 3);
        QCOMPARE(history.entry(0).fileName, u"file5.png"_s);
        QCOMPARE(history.entry(2).fileName, u"file3.png"_s);
        // A longer file (written with a larger bound) is cut to this one.
        UploadHistory smaller(historyPath(), 2);
        QCOMPARE(smaller.rowCount(), 2);
        QCOMPARE(smaller.entry(1).fileName, u"file4.png"_s);
    }

    void removeAndClear()
    {
        {
            UploadHistory history(historyPath());
            QAbstractItemModelTester tester(&history);
            for (int i = 1; i <= 4; ++i)
                history.record(sampleEntry(i));
            history.removeEntries({ 2, 0, 2, 9 }); // file4 and file2; repeats and strays ignored
            QCOMPARE(history.rowCount(), 2);
            QCOMPARE(history.entry(0).fileName, u"file3.png"_s);
            QCOMPARE(history.entry(1).fileName, u"file1.png"_s);
        }
        UploadHistory history(historyPath());
        QCOMPARE(history.rowCount(), 2);
        QCOMPARE(history.entry(0).fileName, u"file3.png"_s);
        history.clear();
        QVERIFY(history.save());
        QCOMPARE(UploadHistory(historyPath()).rowCount(), 0);
    }

    void aCorruptFileIsMovedAside_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("not JSON") << QByteArray("{\"version\":1,\"entries\":[{\"file\":");
        QTest::addRow("an older version") << QByteArray(R"({"version":0,"entries":[]})");
        QTest::addRow("an entry without a content URI") << QByteArray(
            R"({"version":1,"entries":[{"file":"a","date":"2026-01-01T00:00:00Z"}]})");
        QTest::addRow("an array") << QByteArray("[]");
    }

    void aCorruptFileIsMovedAside()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(QDir().mkpath(QFileInfo(historyPath()).absolutePath()));
        const auto write = [this](const QByteArray &data) {
            QFile f(historyPath());
            return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
        };
        QVERIFY(write(bytes));
        {
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"could not be read"_s));
            UploadHistory history(historyPath());
            QCOMPARE(history.rowCount(), 0);
            QVERIFY2(history.loadWarning().contains(u"history.json.corrupt"_s),
                qPrintable(history.loadWarning()));
            QCOMPARE(readAll(historyPath() + u".corrupt"_s), bytes);
            QVERIFY(!QFile::exists(historyPath()));
            // The history goes on in a new file; the old one stays aside.
            history.record(sampleEntry(1));
        }
        QCOMPARE(UploadHistory(historyPath()).rowCount(), 1);
        QCOMPARE(readAll(historyPath() + u".corrupt"_s), bytes);
        // Corrupt again: the first one moved aside is not overwritten.
        QVERIFY(write("garbage"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"could not be read"_s));
        UploadHistory again(historyPath());
        QVERIFY(again.loadWarning().contains(u"history.json.corrupt.2"_s));
        QCOMPARE(readAll(historyPath() + u".corrupt"_s), bytes);
        QCOMPARE(readAll(historyPath() + u".corrupt.2"_s), QByteArray("garbage"));
        QFile::remove(historyPath() + u".corrupt"_s);
        QFile::remove(historyPath() + u".corrupt.2"_s);
    }

    void unreadableEntriesAreLeftOutAndTheFileKept()
    {
        QVERIFY(QDir().mkpath(QFileInfo(historyPath()).absolutePath()));
        const QJsonObject bad { { u"file"_s, u"a"_s }, { u"date"_s, u"2026-01-01T00:00:00Z"_s } };
        const QByteArray bytes = QJsonDocument(
            QJsonObject { { u"version"_s, 1 },
                { u"entries"_s,
                    QJsonArray { sampleEntry(1).toJson(), bad, sampleEntry(2).toJson() } } })
                                     .toJson();
        {
            QFile f(historyPath());
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"could not be read"_s));
        UploadHistory history(historyPath());
        QCOMPARE(history.rowCount(), 2); // the two good ones
        QVERIFY2(history.loadWarning().contains(u"history.json.corrupt"_s),
            qPrintable(history.loadWarning()));
        QCOMPARE(readAll(historyPath() + u".corrupt"_s), bytes);
        QFile::remove(historyPath() + u".corrupt"_s);
    }

    void aNewerVersionsFileIsLeftAlone()
    {
        QVERIFY(QDir().mkpath(QFileInfo(historyPath()).absolutePath()));
        const QByteArray bytes(R"({"version":99,"entries":[{"anything":"new"}]})");
        {
            QFile f(historyPath());
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
        }
        {
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"newer version"_s));
            UploadHistory history(historyPath());
            QCOMPARE(history.rowCount(), 0);
            QVERIFY(history.loadWarning().contains(u"newer version"_s));
            history.record(sampleEntry(1));
            QVERIFY(!history.save());
        }
        QCOMPARE(readAll(historyPath()), bytes); // neither moved nor written over
        QVERIFY(!QFile::exists(historyPath() + u".corrupt"_s));
        QFile::remove(historyPath());
    }

    void aFileThatCannotBeMovedAsideIsNotOverwritten()
    {
        // A file that is no history, in a folder where nothing can be created, not even by root
        // (the tests run as root in CI, for whom a folder's permissions do not count): /proc.
        const QString path = u"/proc/version"_s;
        const QByteArray before = readAll(path);
        QVERIFY(!before.isEmpty());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"is left as it is"_s));
        UploadHistory history(path);
        QCOMPARE(history.rowCount(), 0);
        QVERIFY2(
            history.loadWarning().contains(u"left as it is"_s), qPrintable(history.loadWarning()));
        history.record(sampleEntry(1));
        QVERIFY(!history.save());
        QCOMPARE(readAll(path), before);
        QVERIFY(!QFile::exists(path + u".corrupt"_s));
    }

    void recordsUploadsWithTheirEventAndNoSecret_data()
    {
        QTest::addColumn<RoomPoster::When>("when");
        QTest::addColumn<bool>("encrypt");
        QTest::addRow("post when the URI is known") << RoomPoster::When::ContentUriKnown << false;
        QTest::addRow("post after the upload") << RoomPoster::When::UploadCompleted << false;
        QTest::addRow("encrypted") << RoomPoster::When::UploadCompleted << true;
    }

    void recordsUploadsWithTheirEventAndNoSecret()
    {
        QFETCH(RoomPoster::When, when);
        QFETCH(bool, encrypt);
        UploadManager manager(m_api.get());
        UploadOptions o = options();
        o.encrypt = encrypt;
        manager.setOptions(o);
        RoomPoster poster(&manager);
        poster.setRoom(roomId, u"Holiday"_s);
        poster.setWhen(when);
        UploadHistory history(historyPath());
        history.watch(&manager, &poster);
        QSignalSpy events(m_server.get(), &MediaTestServer::eventReceived);
        UploadJob *job = manager.enqueue(writeFile(u"photo.bin"_s, content(300 * 1024)));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 15000);
        const QJsonObject event = events.first().first().toJsonObject();
        QTRY_COMPARE(history.rowCount(), 1);
        QTRY_COMPARE(history.entry(0).eventId, event.value(u"event_id"_s).toString());
        const HistoryEntry e = history.entry(0);
        QCOMPARE(e.fileName, u"photo.bin"_s);
        QCOMPARE(e.size, qint64(300 * 1024));
        QCOMPARE(e.contentUri, job->contentUri());
        QCOMPARE(e.roomId, roomId);
        QCOMPARE(e.roomName, u"Holiday"_s);
        QCOMPARE(e.encrypted, encrypt);
        QCOMPARE(e.mediaType, job->mediaType());
        QVERIFY(qAbs(e.date.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
        QVERIFY(history.save());

        // Neither the token nor (for an encrypted upload) the key is in the file.
        const QByteArray text = readAll(historyPath());
        QVERIFY(text.contains(job->contentUri().toUtf8()));
        QVERIFY(!text.contains(testToken));
        QVERIFY(!text.contains(m_api->accessToken().toUtf8()));
        if (encrypt) {
            const auto file = EncryptedFile::fromJson(job->encryptedFile());
            QVERIFY(file);
            const QByteArray key = file->key.key;
            QVERIFY(!key.isEmpty());
            for (const QByteArray &form :
                { key, key.toBase64(), key.toBase64(QByteArray::OmitTrailingEquals),
                    key.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) })
                QVERIFY(!text.contains(form));
            QVERIFY(!text.contains(file->key.iv.toBase64(QByteArray::OmitTrailingEquals)));
            QVERIFY(!text.contains("\"k\""));
        }
    }

    void failedAndCancelledUploadsAreNotRecorded()
    {
        UploadManager manager(m_api.get());
        manager.setOptions(options());
        UploadHistory history(historyPath());
        history.watch(&manager, nullptr);
        const QString gone = writeFile(u"gone.bin"_s, content(10));
        QFile::remove(gone);
        UploadJob *failed = manager.enqueue(gone);
        QTRY_COMPARE_WITH_TIMEOUT(failed->state(), UploadJob::State::Failed, 10000);
        // Cancelled while the server holds its upload back.
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true }, { u"times"_s, 1 } }));
        UploadJob *cancelled = manager.enqueue(writeFile(u"cancelled.bin"_s, content(10)));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->heldRequests(), 1, 10000);
        cancelled->cancel();
        QCOMPARE(cancelled->state(), UploadJob::State::Cancelled);
        m_server->releaseHeldRequests();
        UploadJob *done = manager.enqueue(writeFile(u"kept.bin"_s, content(10)));
        QTRY_COMPARE_WITH_TIMEOUT(done->state(), UploadJob::State::Completed, 10000);
        QCOMPARE(history.rowCount(), 1);
        QCOMPARE(history.entry(0).fileName, u"kept.bin"_s);
        QVERIFY(history.entry(0).roomId.isEmpty()); // no poster: posted nowhere
    }

    void dataWithoutANameIsRecordedAndReadBack()
    {
        {
            UploadManager manager(m_api.get());
            manager.setOptions(options());
            UploadHistory history(historyPath());
            history.watch(&manager, nullptr);
            auto *data = new QBuffer; // the job's from here on
            data->setData("pasted bytes");
            QVERIFY(data->open(QIODevice::ReadOnly));
            UploadJob *job = manager.enqueue(data, QString(), u"application/octet-stream"_s);
            QVERIFY(job);
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 10000);
            QCOMPARE(history.rowCount(), 1);
        }
        // Not taken for a corrupt file at the next start.
        UploadHistory history(historyPath());
        QVERIFY2(history.loadWarning().isEmpty(), qPrintable(history.loadWarning()));
        QCOMPARE(history.rowCount(), 1);
        QVERIFY(history.entry(0).contentUri.startsWith(u"mxc://"_s));
        QVERIFY(history.entry(0).fileName.isEmpty());
        QCOMPARE(history.index(0, UploadHistory::FileColumn).data().toString(), u"(no name)"_s);
    }

    void historyWindowThroughTheApp()
    {
        if (!m_keychain)
            QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh (ctest runs it so)");
        QString contentUri;
        QString eventId;
        {
            auto window = signedInWindow();
            QVERIFY(window->isSignedIn());
            // Nothing yet.
            HistoryWindow *history = openHistory(window.get());
            QVERIFY(history);
            QCOMPARE(history->view()->model()->rowCount(), 0);
            QVERIFY(!action(history, u"clearHistoryAction"_s)->isEnabled());
            QSignalSpy events(m_server.get(), &MediaTestServer::eventReceived);
            UploadJob *job = uploadThrough(window.get(), writeFile(u"beach.txt"_s, "sand\n"));
            QVERIFY(job);
            QCOMPARE(events.size(), 1);
            contentUri = job->contentUri();
            eventId = events.first().first().toJsonObject().value(u"event_id"_s).toString();
            QVERIFY(eventId.startsWith(u'$'));
            // The open window shows it as it comes.
            QTRY_COMPARE(history->view()->model()->rowCount(), 1);
            QCOMPARE(cell(history, 0, UploadHistory::FileColumn), u"beach.txt"_s);
            QCOMPARE(cell(history, 0, UploadHistory::SizeColumn), UploadListModel::formatSize(5));
            QCOMPARE(cell(history, 0, UploadHistory::RoomColumn), u"Holiday"_s);
        } // quit
        QVERIFY(QFile::exists(
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/accounts"_s));

        auto window = signedInWindow(QString()); // this run posts nowhere
        HistoryWindow *history = openHistory(window.get());
        QVERIFY(history);
        QCOMPARE(history->view()->model()->rowCount(), 1);
        QCOMPARE(cell(history, 0, UploadHistory::FileColumn), u"beach.txt"_s);
        QVERIFY(!action(history, u"copyContentUriAction"_s)->isEnabled()); // nothing selected
        selectRow(history, 0);
        QVERIFY(action(history, u"copyContentUriAction"_s)->isEnabled());
        QVERIFY(action(history, u"copyLinkAction"_s)->isEnabled());
        QGuiApplication::clipboard()->clear();
        action(history, u"copyContentUriAction"_s)->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), contentUri);
        action(history, u"copyLinkAction"_s)->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(),
            u"https://matrix.to/#/%21holiday%3Alocalhost/"_s
                + QString::fromLatin1(QUrl::toPercentEncoding(eventId)) + u"?via=localhost"_s);

        // Not posted: no link to copy.
        UploadJob *unposted = uploadThrough(window.get(), writeFile(u"notes.txt"_s, "n\n"));
        QVERIFY(unposted);
        QTRY_COMPARE(history->view()->model()->rowCount(), 2);
        QCOMPARE(cell(history, 0, UploadHistory::FileColumn), u"notes.txt"_s);
        QCOMPARE(cell(history, 0, UploadHistory::RoomColumn), u"Not posted"_s);
        selectRow(history, 0);
        QVERIFY(action(history, u"copyContentUriAction"_s)->isEnabled());
        QVERIFY(!action(history, u"copyLinkAction"_s)->isEnabled());

        // With MU_SCREENSHOT_DIR set (docs/screenshots), the window as it is now.
        const QString shots = qEnvironmentVariable("MU_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            history->resize(680, 220);
            QVERIFY(history->grab().save(shots + u"/app-history.png"_s));
        }

        // Remove the posted one; the other stays, also after a restart.
        selectRow(history, 1);
        action(history, u"removeHistoryAction"_s)->trigger();
        QCOMPARE(history->view()->model()->rowCount(), 1);
        QCOMPARE(cell(history, 0, UploadHistory::FileColumn), u"notes.txt"_s);
        window.reset();
        window = signedInWindow(QString());
        history = openHistory(window.get());
        QVERIFY(history);
        QCOMPARE(history->view()->model()->rowCount(), 1);
        QCOMPARE(cell(history, 0, UploadHistory::FileColumn), u"notes.txt"_s);

        // Clear asks first: Cancel keeps it, Clear History empties it.
        QVERIFY(action(history, u"clearHistoryAction"_s)->isEnabled());
        action(history, u"clearHistoryAction"_s)->trigger();
        auto *box = history->findChild<QMessageBox *>(u"clearHistoryConfirmation"_s);
        QVERIFY(box);
        QVERIFY(box->text().contains(u"files stay on the server"_s));
        box->button(QMessageBox::Cancel)->click();
        QCOMPARE(history->view()->model()->rowCount(), 1);
        QTRY_VERIFY(!history->findChild<QMessageBox *>(u"clearHistoryConfirmation"_s));
        action(history, u"clearHistoryAction"_s)->trigger();
        box = history->findChild<QMessageBox *>(u"clearHistoryConfirmation"_s);
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QCOMPARE(history->view()->model()->rowCount(), 0);
        QVERIFY(!action(history, u"clearHistoryAction"_s)->isEnabled());
        window.reset();
        window = signedInWindow(QString());
        QCOMPARE(window->session()->history()->rowCount(), 0);
    }

    void theWindowClosesWithTheSession()
    {
        if (!m_keychain)
            QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh (ctest runs it so)");
        auto window = signedInWindow(QString());
        QPointer<HistoryWindow> history = openHistory(window.get());
        QVERIFY(history);
        QVERIFY(history->isVisible());
        QSignalSpy out(window.get(), &MainWindow::signedOut);
        window->signOut();
        QVERIFY(out.wait(10000));
        QTRY_VERIFY(!history);
        QVERIFY(!window->findChild<QAction *>(u"historyAction"_s)->isEnabled());
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"MatrixUploaderTest"_s);
    QApplication::setApplicationName(u"matrix-uploader-history-test"_s);
    tst_History test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_history.moc"
