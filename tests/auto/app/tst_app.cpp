// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader, the desktop app: sign-in, drop -> upload -> post, cancel, quit and resume,
// settings, the room picker, sign-out and the keychain, all through the real windows.
#include "appbench.h"
#include "eventschema.h"
#include "mainwindow.h"
#include "messagetextdialog.h"
#include "programtranslators.h"
#include "roompicker.h"
#include "session.h"
#include "settingsdialog.h"
#include "signinpage.h"
#include "singleinstance.h"
#include "trayicon.h"
#include "uploadbench.h"
#include "windowdrag.h"

#include <matrixupload/decryptingdevice.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/translations.h>
#include <matrixupload/uploadmanager.h>

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDirIterator>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTranslator>

#include <future>
#include <thread>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::App;
using namespace MatrixUpload::Testing;

namespace {
const QString roomId = u"!holiday:localhost"_s;
}

class tst_App : public QObject, public AppBench
{
    Q_OBJECT

    //! The test server with alice (password "secret", token TOKEN) and her rooms.
    void startAppServer()
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        startServer(config);
        m_server->addRoom(roomId, u"Holiday"_s);
        m_server->addRoom(u"!work:localhost"_s, u"Work"_s);
        m_server->addRoom(u"!noname:localhost"_s, QString());
        m_server->addRoom(u"!fruit:localhost"_s, u"apples"_s); // sorted without regard to case
        m_server->addRoom(u"!other:localhost"_s, u"Not alice's"_s, { u"bob"_s });
        MediaTestServerRoom vault;
        vault.name = u"Vault"_s;
        vault.encrypted = true;
        m_server->addRoom(u"!vault:localhost"_s, vault);
    }

    std::unique_ptr<MainWindow> signedInWindow(const QString &room = roomId)
    {
        return tokenWindow(room);
    }

    static bool drop(QWidget *target, const QStringList &paths)
    {
        QList<QUrl> urls;
        for (const QString &path : paths)
            urls.append(QUrl::fromLocalFile(path));
        QMimeData mime;
        mime.setUrls(urls);
        return dropOn(target, &mime, QPoint(10, 10));
    }

    QString writeImage(const QString &name, int w, int h)
    {
        QImage image(w, h, QImage::Format_RGB32);
        image.fill(QColor(40, 120, 200));
        const QString path = m_dir.filePath(name);
        if (!image.save(path, "PNG"))
            qFatal("cannot write the test image");
        return path;
    }

    QList<QJsonObject> eventsOfType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonValue &v : m_server->events()) {
            if (v.toObject().value(u"type"_s).toString() == type)
                out.append(v.toObject());
        }
        return out;
    }

    static UploadJob *onlyJob(MainWindow *window)
    {
        const auto jobs = window->session()->manager()->jobs();
        return jobs.size() == 1 ? jobs.first() : nullptr;
    }

    //! signedInWindow() whose messages are posted when \a postWhen says.
    std::unique_ptr<MainWindow> windowPosting(RoomPoster::When postWhen)
    {
        auto window = signedInWindow();
        AppSettings settings = window->settings();
        settings.postWhen = postWhen;
        window->applySettings(settings);
        return window;
    }

    //! The box in which \a window says that a file for an encrypted room was uploaded
    //! encrypted and not posted, once it shows (within 15 s); null when it does not.
    static QMessageBox *encryptedRoomRefusal(MainWindow *window)
    {
        QMessageBox *box = nullptr;
        const auto shown = [&] {
            return (box = window->findChild<QMessageBox *>(u"encryptedRoomRefusal"_s)) != nullptr;
        };
        return QTest::qWaitFor(shown, 15000) ? box : nullptr;
    }

    //! Adds \a path to \a window with the server's bandwidth capped at \a bytesPerSecond, so
    //! that its upload is still running when the test acts; its job, or null.
    UploadJob *addThrottled(MainWindow *window, const QString &path, qint64 bytesPerSecond)
    {
        if (!m_server->addFault({ { u"bandwidth"_s, bytesPerSecond } }))
            return nullptr;
        window->addFiles({ path });
        return onlyJob(window);
    }

private Q_SLOTS:
    void initTestCase() { SET_UP_APP_WITH_KEYCHAIN(); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        clearAppState();
        startAppServer();
    }

    void cleanup() { finishUploadTest(nullptr); }

    void appIcon()
    {
        // The SVG of resources/icons/, drawn by Qt's SVG icon engine (no icon theme here has
        // it): Matrix green below the brackets, white on the arrow's shaft.
        const auto image = [](const QIcon &icon) {
            return icon.pixmap(64, 64).toImage().convertToFormat(QImage::Format_ARGB32);
        };
        const QImage plain = image(TrayStatus::appIcon());
        QCOMPARE(plain.size(), QSize(64, 64));
        QCOMPARE(plain.pixel(32, 56), qRgb(0x0d, 0xbd, 0x8b));
        QCOMPARE(plain.pixel(32, 40), qRgb(0xff, 0xff, 0xff));
        QCOMPARE(qAlpha(plain.pixel(0, 0)), 0); // a rounded corner
        // The window shows it, and the tray's progress ring is drawn over it: at 50 % on the
        // right half only.
        MainWindow window(&m_nam, m_keychain.get());
        QCOMPARE(image(window.windowIcon()), plain);
        const QImage half = image(TrayStatus::icon(50));
        QCOMPARE(half.pixel(5, 32), plain.pixel(5, 32));
        QVERIFY(half.pixel(59, 32) != plain.pixel(59, 32));
    }

    void signInWithPassword_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<bool>("typeHomeserver");
        QTest::newRow("user name and homeserver") << u"alice"_s << true;
        QTest::newRow("full user ID and homeserver") << u"@alice:localhost"_s << true;
    }

    void signInWithPassword()
    {
        QFETCH(QString, user);
        QFETCH(bool, typeHomeserver);
        MainWindow window(&m_nam, m_keychain.get());
        window.start();
        auto *page = window.signInPage();
        QTRY_COMPARE(window.findChild<QStackedWidget *>(u"pages"_s)->currentWidget(), page);
        page->findChild<QLineEdit *>(u"userId"_s)->setText(user);
        if (typeHomeserver)
            page->findChild<QLineEdit *>(u"homeserver"_s)->setText(m_server->baseUrl().toString());
        page->findChild<QLineEdit *>(u"password"_s)->setText(u"secret"_s);
        QSignalSpy in(&window, &MainWindow::signedIn);
        QTest::mouseClick(page->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        QVERIFY(in.wait(10000));
        QVERIFY(window.isSignedIn());
        QCOMPARE(window.session()->userId(), u"@alice:localhost"_s);
        QVERIFY(window.uploads());
        QVERIFY(page->errorText().isEmpty());

        // The account is in the settings, the token in the keychain and nowhere else.
        const SavedAccount saved = SavedAccount::load();
        QCOMPARE(saved.userId, u"@alice:localhost"_s);
        const QString token = window.session()->api()->accessToken();
        QVERIFY(!token.isEmpty());
        auto *load = m_keychain->load({ saved.homeserver, saved.userId });
        QSignalSpy loaded(load, &CredentialJob::finished);
        QVERIFY(loaded.wait(10000));
        QVERIFY2(!load->error(), qPrintable(load->error() ? load->error()->message() : QString()));
        QCOMPARE(load->credentials().accessToken, token);
        QFile settingsFile(QSettings().fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains(token.toUtf8()));
        QVERIFY(window.keychainNotice().isEmpty());

        // The next start signs in from the keychain, without the page.
        MainWindow again(&m_nam, m_keychain.get());
        QSignalSpy againIn(&again, &MainWindow::signedIn);
        again.start();
        QVERIFY(againIn.wait(10000));
        QCOMPARE(again.session()->api()->accessToken(), token);
    }

    void signInErrors_data()
    {
        QTest::addColumn<QString>("homeserver");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong password")
            << QString() << u"wrong"_s << u"Wrong user ID or password"_s;
        QTest::newRow("unknown server")
            << u"http://nonexistent.invalid"_s << u"secret"_s << u"Unknown server"_s;
        QTest::newRow("server down")
            << u"http://127.0.0.1:1"_s << u"secret"_s << u"does not answer"_s;
    }

    void signInErrors()
    {
        QFETCH(QString, homeserver);
        QFETCH(QString, password);
        QFETCH(QString, expected);
        MainWindow window(&m_nam, m_keychain.get());
        window.start();
        auto *page = window.signInPage();
        typeSignIn(page, u"alice"_s,
            homeserver.isEmpty() ? m_server->baseUrl().toString() : homeserver, password);
        QSignalSpy failed(page, &SignInPage::failed);
        QTest::mouseClick(page->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        QVERIFY(failed.wait(15000));
        QVERIFY2(page->errorText().contains(expected), qPrintable(page->errorText()));
        QVERIFY(!window.isSignedIn());
        QVERIFY(!SavedAccount::load().isValid());
        QVERIFY(page->findChild<QPushButton *>(u"signInButton"_s)->isEnabled());
    }

    void noKeychainSaysSoAndOffersTheAlternatives()
    {
        MemoryCredentialStore broken;
        broken.setFailure(CredentialError::noKeychain(u"no Secret Service"_s));
        MainWindow window(&m_nam, &broken);
        window.start();
        auto *banner = window.signInPage()->findChild<QLabel *>(u"keychainBanner"_s);
        QTRY_VERIFY(!banner->isHidden());
        QVERIFY2(banner->text().contains(u"MATRIX_ACCESS_TOKEN"_s), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(u"sign in again"_s));

        // Signing in still works, for this run, and says it was not kept.
        auto *page = window.signInPage();
        typeSignIn(page, u"alice"_s, m_server->baseUrl().toString(), u"secret"_s);
        QSignalSpy in(&window, &MainWindow::signedIn);
        page->signIn();
        QVERIFY(in.wait(10000));
        QTRY_VERIFY(window.keychainNotice().contains(u"until you quit"_s));
    }

    void scriptedStartSkipsTheSignIn()
    {
        auto window = signedInWindow();
        QVERIFY(window->isSignedIn());
        QCOMPARE(window->session()->homeserver(), m_server->baseUrl());
        QCOMPARE(window->currentRoomId(), roomId);
        // The room's name is asked for and shown.
        auto *room = window->findChild<QPushButton *>(u"roomButton"_s);
        QTRY_COMPARE(room->text(), u"Holiday"_s);
    }

    void dropUploadsAndPostsInOrder()
    {
        auto window = signedInWindow();
        QVERIFY(window->isSignedIn());
        const QString image = writeImage(u"beach.png"_s, 40, 30);
        const QString text = writeFile(u"notes.txt"_s, "a note\n");
        const QString video = writeFile(u"clip.mp4"_s, content(300 * 1024));
        QSignalSpy events(m_server.get(), &MediaTestServer::eventReceived);
        // Dropped on the window, not only on the list.
        QVERIFY(drop(window.get(), { image, text, video }));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 3, 15000);
        const auto jobs = window->session()->manager()->jobs();
        QCOMPARE(jobs.size(), 3);
        for (UploadJob *job : jobs)
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 15000);

        const auto messages = eventsOfType(u"m.room.message"_s);
        QCOMPARE(messages.size(), 3);
        // In the order the files were dropped, each with its content.
        const QStringList types { u"m.image"_s, u"m.file"_s, u"m.video"_s };
        for (int i = 0; i < 3; ++i) {
            const QJsonObject event = messages[i];
            const QJsonObject content = event.value(u"content"_s).toObject();
            const QJsonObject info = content.value(u"info"_s).toObject();
            QCOMPARE(event.value(u"room_id"_s).toString(), roomId);
            QCOMPARE(event.value(u"sender"_s).toString(), u"@alice:localhost"_s);
            QCOMPARE(content.value(u"msgtype"_s).toString(), types[i]);
            QCOMPARE(content.value(u"body"_s).toString(), jobs[i]->fileName());
            QCOMPARE(content.value(u"url"_s).toString(), jobs[i]->contentUri());
            QCOMPARE(info.value(u"mimetype"_s).toString(), jobs[i]->mediaType());
            QCOMPARE(info.value(u"size"_s).toInteger(), QFileInfo(jobs[i]->filePath()).size());
            QVERIFY(!event.value(u"txn_id"_s).toString().isEmpty());
            QTRY_VERIFY(jobs[i]->note().startsWith(u"Posted to Holiday"_s));
        }
        const QJsonObject imageInfo
            = messages[0].value(u"content"_s).toObject().value(u"info"_s).toObject();
        QCOMPARE(imageInfo.value(u"w"_s).toInt(), 40);
        QCOMPARE(imageInfo.value(u"h"_s).toInt(), 30);
        QCOMPARE(imageInfo.value(u"mimetype"_s).toString(), u"image/png"_s);
        QVERIFY(!messages[1]
                     .value(u"content"_s)
                     .toObject()
                     .value(u"info"_s)
                     .toObject()
                     .contains(u"w"_s));
        // The bytes behind each URL are the file's.
        QFile imageFile(image);
        QVERIFY(imageFile.open(QIODevice::ReadOnly));
        QCOMPARE(m_server->mediaContent(jobs[0]->contentUri()), imageFile.readAll());

        // With MU_SCREENSHOT_DIR set (docs/screenshots), the window as it is now.
        const QString shots = qEnvironmentVariable("MU_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            window->resize(820, 480);
            // The totals are redrawn a moment after the last change.
            QTRY_VERIFY(window->findChild<QLabel *>(u"totals"_s)->text().startsWith(u"3 of 3"_s));
            QVERIFY(window->grab().save(shots + u"/app-posted.png"_s));
        }
    }

    void anImageDroppedOnTheWindowIsUploaded()
    {
        auto window = signedInWindow(QString());
        QImage image(8, 6, QImage::Format_RGB32);
        image.fill(Qt::red);
        QMimeData mime;
        mime.setImageData(image); // no file: a picture dragged out of a browser or an editor
        QVERIFY(dropOn(window.get(), &mime, QPoint(10, 10)));
        UploadJob *job = onlyJob(window.get());
        QVERIFY(job);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 15000);
        QCOMPARE(job->mediaType(), u"image/png"_s);
        QCOMPARE(QImage::fromData(m_server->mediaContent(job->contentUri())).size(), QSize(8, 6));

        // A link to a web page is not a file: refused on the window as on the list.
        QMimeData remote;
        remote.setUrls({ QUrl(u"https://example.org/a.png"_s) });
        QVERIFY(!dragOver(window.get(), &remote, QPoint(10, 10)));
    }

    void filesGivenAtStartAreUploaded()
    {
        const QString path = writeFile(u"given.bin"_s, content(64 * 1024));
        MainWindow window(&m_nam, m_keychain.get());
        window.start({ m_server->baseUrl(), u"TOKEN"_s, roomId, { path } });
        QTRY_VERIFY(window.isSignedIn() && onlyJob(&window));
        QTRY_COMPARE_WITH_TIMEOUT(onlyJob(&window)->state(), UploadJob::State::Completed, 15000);
        QTRY_COMPARE(eventsOfType(u"m.room.message"_s).size(), 1);
    }

    void cancelledUploadPostsNothing()
    {
        auto window = windowPosting(RoomPoster::When::UploadCompleted);
        UploadJob *job = addThrottled(
            window.get(), writeFile(u"big.bin"_s, content(4 * 1024 * 1024)), 512 * 1024);
        QVERIFY(job);
        QTRY_VERIFY_WITH_TIMEOUT(job->bytesSent() > 0, 10000);
        QVERIFY(job->note().contains(u"when the upload completes"_s));
        window->session()->manager()->cancel(job->id());
        QCOMPARE(job->state(), UploadJob::State::Cancelled);
        roundTrip();
        QVERIFY(m_server->events().isEmpty());
        QCOMPARE(job->note(), u"Not posted: the upload was cancelled"_s);
    }

    void theSheetNamesAndCaptionsFilesBeforeTheyArePosted()
    {
        auto window = windowPosting(RoomPoster::When::UploadCompleted);
        window->addFiles(
            { writeImage(u"IMG_2041.png"_s, 64, 48), writeFile(u"notes.txt"_s, "x\n") });
        // One sheet for the files added together; their uploads run while it is open.
        MessageTextDialog *sheet = nullptr;
        QTRY_VERIFY((sheet = window->findChild<MessageTextDialog *>(u"messageTextDialog"_s)));
        QVERIFY(sheet->isVisible());
        auto *name = sheet->findChild<QLineEdit *>(u"fileName0"_s);
        QCOMPARE(name->text(), u"IMG_2041.png"_s);
        QCOMPARE(sheet->findChild<QLineEdit *>(u"fileName1"_s)->text(), u"notes.txt"_s);
        const auto jobs = window->session()->manager()->jobs();
        QCOMPARE(jobs.size(), 2);
        for (UploadJob *job : jobs)
            QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 15000);
        roundTrip();
        QVERIFY(eventsOfType(u"m.room.message"_s).isEmpty()); // the messages wait for the sheet

        name->setText(u"Beach.png"_s);
        sheet->findChild<QLineEdit *>(u"caption0"_s)->setText(u"Low tide at noon"_s);
        sheet->findChild<QPushButton *>(u"postButton"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(eventsOfType(u"m.room.message"_s).size(), 2, 15000);
        QJsonArray contents;
        for (const QJsonObject &event : eventsOfType(u"m.room.message"_s))
            contents.append(event.value(u"content"_s));
        // In the order they were added, or of their descriptions: found by type.
        const bool photoFirst = contents.at(0).toObject().value(u"msgtype"_s) == u"m.image"_s;
        const QJsonObject photo = contents.at(photoFirst ? 0 : 1).toObject();
        QCOMPARE(photo.value(u"msgtype"_s).toString(), u"m.image"_s);
        QCOMPARE(photo.value(u"body"_s).toString(), u"Low tide at noon"_s);
        QCOMPARE(photo.value(u"filename"_s).toString(), u"Beach.png"_s);
        QCOMPARE(photo.value(u"info"_s).toObject().value(u"w"_s).toInt(), 64);
        const QJsonObject notes = contents.at(photoFirst ? 1 : 0).toObject();
        QCOMPARE(notes.value(u"body"_s).toString(), u"notes.txt"_s);
        QVERIFY(!notes.contains(u"filename"_s));
        const QString errors = eventSchemaErrors(contents);
        QVERIFY2(errors.isEmpty(), qPrintable(errors));
    }

    void theRowMenuNamesAndCaptionsAFile()
    {
        auto window = windowPosting(RoomPoster::When::UploadCompleted);
        UploadJob *job = addThrottled(
            window.get(), writeFile(u"long.bin"_s, content(2 * 1024 * 1024)), 512 * 1024);
        QVERIFY(job);
        // The sheet of the added file: posted as it is.
        MessageTextDialog *sheet = nullptr;
        QTRY_VERIFY((sheet = window->findChild<MessageTextDialog *>(u"messageTextDialog"_s)));
        sheet->reject();
        QTRY_VERIFY(!window->findChild<MessageTextDialog *>(u"messageTextDialog"_s));
        QVERIFY(!window->session()->poster()->isPostHeld(job->id()));
        QVERIFY(job->state() != UploadJob::State::Completed); // still uploading

        // The row's menu, while the message waits for the upload.
        QListView *view = window->uploads()->view();
        view->setCurrentIndex(view->model()->index(0, 0));
        QMenu *menu = window->uploads()->contextMenu();
        auto *edit = window->findChild<QAction *>(u"editMessageTextAction"_s);
        QVERIFY(edit);
        QVERIFY(menu->actions().contains(edit));
        menu->popup(QPoint(0, 0));
        QVERIFY(edit->isEnabled());
        menu->hide();
        edit->trigger();
        QVERIFY((sheet = window->findChild<MessageTextDialog *>(u"messageTextDialog"_s)));
        QVERIFY(window->session()->poster()->isPostHeld(job->id()));
        sheet->findChild<QLineEdit *>(u"fileName0"_s)->setText(u"backup-2026.bin"_s);
        sheet->findChild<QLineEdit *>(u"caption0"_s)->setText(u"Last night's backup"_s);
        sheet->findChild<QPushButton *>(u"postButton"_s)->click();
        QCOMPARE(window->session()->poster()->caption(job->id()), u"Last night's backup"_s);
        m_server->clearFaults();
        QTRY_COMPARE_WITH_TIMEOUT(eventsOfType(u"m.room.message"_s).size(), 1, 20000);
        const QJsonObject content
            = eventsOfType(u"m.room.message"_s).first().value(u"content"_s).toObject();
        QCOMPARE(content.value(u"body"_s).toString(), u"Last night's backup"_s);
        QCOMPARE(content.value(u"filename"_s).toString(), u"backup-2026.bin"_s);
        const QString errors = eventSchemaErrors({ content });
        QVERIFY2(errors.isEmpty(), qPrintable(errors));

        // Once posted, the menu no longer offers it.
        menu->popup(QPoint(0, 0));
        QVERIFY(!edit->isEnabled());
        menu->hide();
    }

    void cancelAfterAnEarlyPostRemovesTheMessage()
    {
        auto window = signedInWindow(); // posts as soon as the content URI exists
        UploadJob *job = addThrottled(
            window.get(), writeFile(u"big.bin"_s, content(4 * 1024 * 1024)), 512 * 1024);
        QVERIFY(job);
        QTRY_COMPARE_WITH_TIMEOUT(eventsOfType(u"m.room.message"_s).size(), 1, 10000);
        QCOMPARE(job->state(), UploadJob::State::Uploading); // bytes still flow
        const QString eventId
            = eventsOfType(u"m.room.message"_s).first().value(u"event_id"_s).toString();
        window->session()->manager()->cancel(job->id());
        QTRY_COMPARE_WITH_TIMEOUT(eventsOfType(u"m.room.redaction"_s).size(), 1, 10000);
        QCOMPARE(
            eventsOfType(u"m.room.redaction"_s).first().value(u"redacts"_s).toString(), eventId);
        QTRY_VERIFY(job->note().contains(u"was removed"_s));
        QCOMPARE(eventsOfType(u"m.room.message"_s).size(), 1);
    }

    void quitMidUploadThenResume()
    {
        const QByteArray bytes = content(6 * 1024 * 1024, 7);
        const QString path = writeFile(u"long.bin"_s, bytes);
        qint64 confirmed = 0;
        QString contentUri;
        {
            auto window = signedInWindow();
            AppSettings settings = window->settings();
            settings.chunkSizeMiB = 1;
            window->applySettings(settings);
            UploadJob *job = addThrottled(window.get(), path, 2 * 1024 * 1024);
            QVERIFY(job);
            QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= 2 * 1024 * 1024, 15000);
            QTRY_COMPARE(eventsOfType(u"m.room.message"_s).size(), 1);
            confirmed = job->confirmedBytes();
            contentUri = job->contentUri();
            QVERIFY(confirmed < bytes.size());
        } // quit mid-upload
        roundTrip();
        m_server->clearFaults();
        const qsizetype requestsBefore = m_server->requests().size();

        auto window = signedInWindow();
        UploadJob *job = onlyJob(window.get());
        QVERIFY(job);
        // Offered, not restarted: paused at what the server confirmed.
        QCOMPARE(job->state(), UploadJob::State::Paused);
        QCOMPARE(job->contentUri(), contentUri);
        QVERIFY(job->confirmedBytes() >= confirmed);
        QVERIFY2(window->trayStatus()->toolTip().contains(u"1 upload paused"_s),
            qPrintable(window->trayStatus()->toolTip()));
        roundTrip();
        const auto whileOffered = m_server->requests();
        for (qsizetype i = requestsBefore; i < whileOffered.size(); ++i)
            QVERIFY(
                !whileOffered[i].toObject().value(u"path"_s).toString().startsWith(u"/_upload"_s));

        window->session()->manager()->resume(job->id());
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 20000);
        QCOMPARE(m_server->mediaContent(contentUri), bytes);
        // The bytes after the restart started from the confirmed offset, not from 0.
        const auto after = m_server->requests();
        qint64 firstStart = -1;
        for (qsizetype i = requestsBefore; i < after.size(); ++i) {
            const QJsonObject r = after[i].toObject();
            if (r.value(u"method"_s).toString() != u"PUT"_s)
                continue;
            const QString range
                = r.value(u"headers"_s).toObject().value(u"content-range"_s).toString();
            if (range.startsWith(u"bytes */"_s))
                continue; // the status query that asks the server for its offset
            firstStart = range.section(u' ', 1).section(u'-', 0, 0).toLongLong();
            break;
        }
        QVERIFY2(firstStart >= confirmed, qPrintable(QString::number(firstStart)));
        // Posted once, in the first run: not again.
        roundTrip();
        QCOMPARE(eventsOfType(u"m.room.message"_s).size(), 1);
    }

    void quitMidEncryptedUploadThenResume()
    {
        // An encrypted upload's key waits in the keychain, never in the app's files, and the
        // upload continues after a restart with it: the result decrypts to the file.
        const QString vault = u"!vault:localhost"_s;
        const QByteArray bytes = content(6 * 1024 * 1024, 11);
        const QString path = writeFile(u"secret.bin"_s, bytes);
        QString contentUri;
        QString dataDir;
        {
            auto window = signedInWindow(vault);
            AppSettings settings = window->settings();
            settings.chunkSizeMiB = 1;
            window->applySettings(settings);
            UploadJob *job = addThrottled(window.get(), path, 2 * 1024 * 1024);
            QVERIFY(job);
            QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= 2 * 1024 * 1024, 15000);
            QVERIFY(job->isEncrypted());
            QVERIFY(job->confirmedBytes() < bytes.size());
            contentUri = job->contentUri();
            dataDir = window->session()->dataDir();
        } // quit mid-upload
        roundTrip();
        m_server->clearFaults();

        auto window = signedInWindow(vault);
        UploadJob *job = onlyJob(window.get());
        QVERIFY(job);
        QCOMPARE(job->state(), UploadJob::State::Paused);
        QVERIFY(job->isEncrypted());
        QCOMPARE(job->contentUri(), contentUri);
        window->session()->manager()->resume(job->id());
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 20000);

        const std::optional<EncryptedFile> file = EncryptedFile::fromJson(job->encryptedFile());
        QVERIFY(file);
        QCOMPARE(file->url, contentUri);
        const QByteArray ciphertext = m_server->mediaContent(contentUri);
        QVERIFY(ciphertext != bytes);
        QByteArray plaintext;
        QBuffer target(&plaintext);
        QVERIFY(target.open(QIODevice::WriteOnly));
        DecryptingDevice decrypting(*file, &target);
        QCOMPARE(decrypting.write(ciphertext), ciphertext.size());
        QVERIFY2(decrypting.finish(), qPrintable(decrypting.errorString()));
        QCOMPARE(plaintext, bytes);

        // The key is in no file of the app's (base64 with or without padding, or raw).
        const QByteArray key = file->key.key;
        QDirIterator it(dataDir, QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            ++files;
            for (const QByteArray &form : { key, key.toBase64(QByteArray::OmitTrailingEquals),
                     key.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) })
                QVERIFY2(!text.contains(form), qPrintable(f.fileName()));
        }
        QVERIFY(files > 0);
    }

    //! Signs in through the sign-in page of \a window (shown now) as alice.
    static bool signInThroughThePage(MainWindow *window, const QUrl &homeserver)
    {
        auto *page = window->signInPage();
        typeSignIn(page, u"@alice:localhost"_s, homeserver.toString(), u"secret"_s);
        QSignalSpy in(page, &SignInPage::signedIn);
        QTest::mouseClick(page->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        return in.wait(10000);
    }

    //! What the keychain holds for alice on the test server.
    Credentials keychainCredentials()
    {
        auto *load = m_keychain->load({ m_server->baseUrl(), u"@alice:localhost"_s });
        QSignalSpy loaded(load, &CredentialJob::finished);
        if (!load->isFinished())
            loaded.wait(10000);
        const Credentials c = load->error() ? Credentials {} : load->credentials();
        delete load;
        return c;
    }

    void renewedTokensAreKeptInTheKeychain()
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.tokenLifetimeMs = 3600 * 1000;
        startServer(config);
        MainWindow window(&m_nam, m_keychain.get());
        window.start();
        QSignalSpy in(&window, &MainWindow::signedIn);
        QVERIFY(signInThroughThePage(&window, m_server->baseUrl()));
        QVERIFY(window.isSignedIn());
        MediaApi *api = window.session()->api();
        QVERIFY(!api->refreshToken().isEmpty());
        QTRY_COMPARE(keychainCredentials().refreshToken, api->refreshToken());

        // The token expires: the next upload renews it, and the keychain gets the new pair.
        const QString oldRefresh = api->refreshToken();
        QVERIFY(m_server->expireAccessToken(u"*"_s));
        QSignalSpy refreshed(api, &MediaApi::tokensRefreshed);
        const QByteArray bytes = content(5000, 3);
        window.addFiles({ writeFile(u"renewed.bin"_s, bytes) });
        UploadJob *job = onlyJob(&window);
        QVERIFY(job);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 20000);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(refreshed.count(), 1);
        QVERIFY(api->refreshToken() != oldRefresh);
        QTRY_COMPARE(keychainCredentials(),
            (Credentials {
                api->accessToken(), keychainCredentials().deviceId, api->refreshToken() }));
        QVERIFY(!keychainCredentials().deviceId.isEmpty());
        // And never in the settings file.
        QFile settingsFile(QSettings().fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        const QByteArray settingsText = settingsFile.readAll();
        for (const QString &secret : { api->accessToken(), api->refreshToken(), oldRefresh })
            QVERIFY(!settingsText.contains(secret.toUtf8()));
    }

    void aRefusedSignInAsksAgainAndTheUploadsContinue()
    {
        auto window = signedInWindow(QString()); // a token from the environment: no refresh
        QVERIFY(window->isSignedIn());
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        AppSettings settings = window->settings();
        settings.chunkSizeMiB = 1;
        window->applySettings(settings);
        const QByteArray bytes = content(4 * 1024 * 1024, 9);
        window->addFiles({ writeFile(u"waits.bin"_s, bytes) });
        UploadJob *job = onlyJob(window.get());
        QVERIFY(job);
        QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= 1024 * 1024, 15000);
        QVERIFY(m_server->expireAccessToken(u"*"_s));

        // The uploads wait; the window asks to sign in again.
        auto *pages = window->findChild<QStackedWidget *>(u"pages"_s);
        QTRY_COMPARE_WITH_TIMEOUT(pages->currentWidget(), window->signInPage(), 20000);
        QCOMPARE(job->state(), UploadJob::State::WaitingForToken);
        QVERIFY(window->isSignedIn());
        m_server->clearFaults();
        const qint64 confirmed = job->confirmedBytes();

        QVERIFY(signInThroughThePage(window.get(), m_server->baseUrl()));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 20000);
        QCOMPARE(onlyJob(window.get()), job); // the same session and job, not a new one
        QCOMPARE(pages->currentWidget()->objectName(), u"uploadsPage"_s);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(confirmed >= 1024 * 1024);
        // The new sign-in is kept like any other.
        QCOMPARE(keychainCredentials().accessToken, window->session()->api()->accessToken());
    }

    void settingsPersist()
    {
        auto window = signedInWindow();
        SettingsDialog dialog(window->settings(), {});
        dialog.findChild<QSpinBox *>(u"parallelUploads"_s)->setValue(5);
        // Chunks sized to the link unless a size is chosen (issue 15, item 5).
        auto *chunk = dialog.findChild<QSpinBox *>(u"chunkSize"_s);
        QCOMPARE(chunk->value(), 0);
        QCOMPARE(chunk->text(), u"Automatic"_s);
        QCOMPARE(window->session()->manager()->options().chunkSize, qint64(0));
        chunk->setValue(16);
        dialog.findChild<QCheckBox *>(u"useUploadUrls"_s)->setChecked(false);
        dialog.findChild<QCheckBox *>(u"verifyAfterUpload"_s)->setChecked(true);
        dialog.findChild<QCheckBox *>(u"startInTray"_s)->setChecked(true);
        auto *when = dialog.findChild<QComboBox *>(u"postWhen"_s);
        when->setCurrentIndex(when->findData(int(RoomPoster::When::UploadCompleted)));
        QVERIFY(!dialog.findChild<QPushButton *>(u"chooseRoomButton"_s)->isEnabled());
        window->applySettings(dialog.settings());
        QCOMPARE(window->session()->manager()->maxParallel(), 5);
        QVERIFY(!window->session()->manager()->options().useUploadUrls);
        window.reset();

        const AppSettings loaded = AppSettings::load();
        QCOMPARE(loaded.parallelUploads, 5);
        QCOMPARE(loaded.chunkSizeMiB, 16);
        QVERIFY(!loaded.useUploadUrls);
        QVERIFY(loaded.verifyAfterUpload);
        QVERIFY(loaded.startInTray);
        QCOMPARE(loaded.postWhen, RoomPoster::When::UploadCompleted);

        // A new window runs with them: through the homeserver, verified.
        auto again = signedInWindow();
        QCOMPARE(again->session()->manager()->maxParallel(), 5);
        QCOMPARE(again->session()->manager()->options().chunkSize, qint64(16) * 1024 * 1024);
        again->addFiles({ writeFile(u"checked.bin"_s, content(100 * 1024)) });
        UploadJob *job = onlyJob(again.get());
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 15000);
        QVERIFY(job->isVerified());
        QVERIFY(job->route() != UploadJob::Route::UploadUrl);
    }

    void roomPickerListsAndSearchesJoinedRooms()
    {
        auto window = signedInWindow(QString());
        RoomPickerDialog picker(window->session()->api(), QString());
        QSignalSpy loaded(&picker, &RoomPickerDialog::loaded);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(picker.roomCount(), 5); // not the room alice is not in
        QCOMPARE(picker.roomId(), QString()); // "Do not post" while nothing was chosen
        auto *list = picker.findChild<QListView *>(u"roomList"_s);
        QStringList shown;
        for (int row = 0; row < list->model()->rowCount(); ++row)
            shown << list->model()->index(row, 0).data().toString();
        QCOMPARE(shown.first(), u"Do not post (only upload)"_s);
        QCOMPARE(shown.mid(1),
            (QStringList { u"!noname:localhost"_s, u"apples"_s, u"Holiday"_s,
                u"Vault (encrypted)"_s, u"Work"_s }));
        QVERIFY(picker.isEncrypted(u"!vault:localhost"_s));
        QVERIFY(!picker.isEncrypted(roomId));

        QTest::keyClicks(picker.findChild<QLineEdit *>(u"roomSearch"_s), u"holi"_s);
        QCOMPARE(list->model()->rowCount(), 1);
        QVERIFY(picker.select(roomId));
        QCOMPARE(picker.roomId(), roomId);
        QCOMPARE(picker.roomName(), u"Holiday"_s);

        // Choosing a room in the window makes it the default.
        window->setRoomChooser([](QWidget *) {
            return std::optional(std::pair { u"!work:localhost"_s, u"Work"_s });
        });
        QTest::mouseClick(window->findChild<QPushButton *>(u"roomButton"_s), Qt::LeftButton);
        QCOMPARE(window->findChild<QPushButton *>(u"roomButton"_s)->text(), u"Work"_s);
        QCOMPARE(AppSettings::load().defaultRoomId, u"!work:localhost"_s);
        window->addFiles({ writeFile(u"w.txt"_s, "work\n") });
        QTRY_COMPARE_WITH_TIMEOUT(eventsOfType(u"m.room.message"_s).size(), 1, 10000);
        QCOMPARE(eventsOfType(u"m.room.message"_s).first().value(u"room_id"_s).toString(),
            u"!work:localhost"_s);
    }

    void anEncryptedRoomIsRefusedAndGetsNoUrl()
    {
        const QString vault = u"!vault:localhost"_s;
        auto window = signedInWindow(vault);
        QVERIFY(window->isSignedIn());
        auto *room = window->findChild<QPushButton *>(u"roomButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(room->text(), u"Vault (encrypted)"_s, 10000);
        window->addFiles({ writeFile(u"secret.txt"_s, "not for the server's eyes\n"),
            writeFile(u"other.txt"_s, "nor this\n") });
        const auto jobs = window->session()->manager()->jobs();
        QCOMPARE(jobs.size(), 2);
        QMessageBox *box = encryptedRoomRefusal(window.get());
        QVERIFY(box);
        QVERIFY2(box->text().contains(u"cannot encrypt messages"_s), qPrintable(box->text()));
        QVERIFY(box->text().contains(u"Vault"_s));
        // One box for both files.
        QTRY_VERIFY_WITH_TIMEOUT(
            box->text().startsWith(u"2 files were uploaded encrypted"_s), 15000);
        QCOMPARE(window->findChildren<QMessageBox *>().size(), 1);
        for (UploadJob *job : jobs) {
            QCOMPARE(job->state(), UploadJob::State::Completed);
            QVERIFY(job->isEncrypted());
            QVERIFY(job->note().startsWith(u"Not posted: Vault is encrypted"_s));
        }
        QVERIFY(m_server->mediaContent(jobs[0]->contentUri()) != "not for the server's eyes\n");

        // The content to copy: `file` with each upload's URI and key, no `url`.
        box->findChild<QPushButton *>(u"copyEventContent"_s)->click();
        const QJsonArray copied
            = QJsonDocument::fromJson(QGuiApplication::clipboard()->text().toUtf8()).array();
        QCOMPARE(copied.size(), 2);
        QSet<QString> uris;
        for (const QJsonValue &v : copied) {
            QVERIFY(!v.toObject().contains(u"url"_s));
            uris.insert(v.toObject().value(u"file"_s).toObject().value(u"url"_s).toString());
        }
        QCOMPARE(uris, (QSet<QString> { jobs[0]->contentUri(), jobs[1]->contentUri() }));

        // Nothing ever reached the encrypted room.
        roundTrip();
        for (const QJsonValue &event : m_server->events()) {
            QVERIFY(!event.toObject().value(u"plaintext_media"_s).toBool());
            QVERIFY(event.toObject().value(u"room_id"_s).toString() != vault);
        }
        QCOMPARE(m_server->events().size(), 0);
    }

    void oneRefusedFileCopiesItsContent()
    {
        auto window = signedInWindow(u"!vault:localhost"_s);
        window->addFiles({ writeFile(u"photo.txt"_s, "one\n") });
        QMessageBox *box = encryptedRoomRefusal(window.get());
        QVERIFY(box);
        QVERIFY(box->text().startsWith(u"photo.txt was uploaded encrypted"_s));
        QGuiApplication::clipboard()->clear();
        box->findChild<QPushButton *>(u"copyEventContent"_s)->click();
        const QJsonObject copied
            = QJsonDocument::fromJson(QGuiApplication::clipboard()->text().toUtf8()).object();
        QCOMPARE(copied.value(u"body"_s).toString(), u"photo.txt"_s);
        QCOMPARE(copied.value(u"file"_s).toObject(), onlyJob(window.get())->encryptedFile());
        QVERIFY(!copied.contains(u"url"_s));
    }

    void aRefusedFileCanGoToAnotherRoom()
    {
        auto window = signedInWindow(u"!vault:localhost"_s);
        window->addFiles({ writeFile(u"plan.txt"_s, "plan\n") });
        QMessageBox *box = encryptedRoomRefusal(window.get());
        QVERIFY(box);
        window->setRoomChooser([](QWidget *) {
            return std::optional(std::pair { u"!work:localhost"_s, u"Work"_s });
        });
        box->findChild<QPushButton *>(u"postToAnotherRoom"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(eventsOfType(u"m.room.message"_s).size(), 1, 10000);
        const QJsonObject event = eventsOfType(u"m.room.message"_s).first();
        QCOMPARE(event.value(u"room_id"_s).toString(), u"!work:localhost"_s);
        // The upload is encrypted: the plain room gets its `file`, still no `url`.
        const QJsonObject content = event.value(u"content"_s).toObject();
        QVERIFY(!content.contains(u"url"_s));
        QCOMPARE(content.value(u"file"_s).toObject(), onlyJob(window.get())->encryptedFile());
    }

    void signOutForgetsTheTokenEverywhere()
    {
        MainWindow window(&m_nam, m_keychain.get());
        window.start();
        auto *page = window.signInPage();
        typeSignIn(page, u"@alice:localhost"_s, m_server->baseUrl().toString(), u"secret"_s);
        QSignalSpy in(&window, &MainWindow::signedIn);
        page->signIn();
        QVERIFY(in.wait(10000));
        const QString token = window.session()->api()->accessToken();
        const SavedAccount saved = SavedAccount::load();

        QSignalSpy out(&window, &MainWindow::signedOut);
        window.signOut();
        QVERIFY(out.wait(10000));
        QVERIFY(!window.isSignedIn());
        QVERIFY(!SavedAccount::load().isValid());
        // The server no longer takes the token.
        MediaApi api(&m_nam);
        api.setHomeserver(m_server->baseUrl());
        api.setAccessToken(token);
        auto *call = api.joinedRooms();
        QSignalSpy answered(call, &ApiCallBase::finished);
        QVERIFY(answered.wait(10000));
        QVERIFY(call->result().error().isUnauthorized());
        // Nor does the keychain hold it.
        auto *load = m_keychain->load({ saved.homeserver, saved.userId });
        QSignalSpy loaded(load, &CredentialJob::finished);
        QVERIFY(loaded.wait(10000));
        QVERIFY(load->error());
        QCOMPARE(load->error()->kind(), CredentialError::Kind::NotFound);
    }

    void aSecondStartHandsItsFilesToTheFirst()
    {
        const QString key = u"mu-test-%1"_s.arg(QCoreApplication::applicationPid());
        const QStringList files { u"/tmp/a b.png"_s, u"/tmp/é.txt"_s };
        {
            // Nobody listens yet: the start is the first.
            SingleInstance alone(key);
            QVERIFY(!alone.sendToRunning(files, 500));
        }
        SingleInstance first(key);
        QVERIFY(first.listen());
        QSignalSpy received(&first, &SingleInstance::filesReceived);
        // The later start blocks while it waits for the answer: it runs in its own thread, as
        // it would in its own process.
        std::promise<bool> sent;
        std::thread later([&] {
            SingleInstance second(key);
            sent.set_value(second.sendToRunning(files, 10000));
        });
        QVERIFY(received.wait(10000));
        later.join();
        QVERIFY(sent.get_future().get());
        QCOMPARE(received.first().first().toStringList(), files);
        // A start that lost the race to listen leaves the first one's socket alone.
        SingleInstance racer(key);
        QVERIFY(!racer.listen());
        std::thread again([&] { SingleInstance(key).sendToRunning({}, 10000); });
        QVERIFY(received.wait(10000));
        again.join();
    }

    void trayNotifiesBatchesAndFailures()
    {
        auto window = signedInWindow(QString());
        QSignalSpy notes(window->trayStatus(), &TrayStatus::notify);
        window->addFiles(
            { writeFile(u"a.bin"_s, content(1000)), writeFile(u"b.bin"_s, content(2000)) });
        QVERIFY(notes.wait(15000));
        QCOMPARE(notes.first().at(0).toString(), u"Uploads complete"_s);
        QCOMPARE(notes.first().at(1).toString(), u"2 files uploaded"_s);
        QCOMPARE(notes.first().at(2).toBool(), false);
        QVERIFY(window->trayStatus()->toolTip().contains(u"Nothing to upload"_s));

        notes.clear();
        const QString gone = writeFile(u"gone.bin"_s, content(10));
        QFile::remove(gone);
        window->addFiles({ gone });
        QTRY_VERIFY_WITH_TIMEOUT(notes.size() >= 2, 10000);
        QCOMPARE(notes.first().at(0).toString(), u"Upload failed: gone.bin"_s);
        QCOMPARE(notes.first().at(2).toBool(), true);
        QCOMPARE(notes.at(1).at(1).toString(), u"0 files uploaded, 1 failed"_s);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"MatrixUploaderTest"_s);
    QApplication::setApplicationName(u"matrix-uploader-test"_s);
    tst_App test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_app.moc"
