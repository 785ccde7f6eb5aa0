// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader, the desktop app with several accounts (issue 17): adding one, the switcher,
// uploads that go on for an account not shown, restart, sign-out of one, the settings file of
// the versions with one account, and no token in the settings file.
#include "appbench.h"
#include "historywindow.h"
#include "mainwindow.h"
#include "programtranslators.h"
#include "session.h"
#include "signinpage.h"
#include "uploadbench.h"

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/uploadmanager.h>

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::App;
using namespace MatrixUpload::Testing;

namespace {
const QString alice = u"@alice:localhost"_s;
const QString bob = u"@bob:localhost"_s;
} // namespace

class tst_Accounts : public QObject, public AppBench
{
    Q_OBJECT

    static QStackedWidget *pages(MainWindow *window)
    {
        return window->findChild<QStackedWidget *>(u"pages"_s);
    }

    //! Signs in on the window's sign-in page (shown already) with a password.
    bool signIn(MainWindow *window, const QString &user, const QString &password)
    {
        auto *page = window->signInPage();
        if (pages(window)->currentWidget() != page)
            return false;
        typeSignIn(page, user, m_server->baseUrl().toString(), password);
        QSignalSpy in(window, &MainWindow::signedIn);
        QTest::mouseClick(page->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        if (!in.wait(10000)) {
            qWarning("no sign-in: %s", qPrintable(page->errorText()));
            return false;
        }
        if (!window->session() || window->session()->userId() != user) {
            qWarning("signed in as %s",
                qPrintable(window->session() ? window->session()->userId() : u"nobody"_s));
            return false;
        }
        return true;
    }

    //! A window signed in as alice, then as bob with "Add Account…" (bob shown).
    std::unique_ptr<MainWindow> aliceAndBob()
    {
        auto window = std::make_unique<MainWindow>(&m_nam, m_keychain.get());
        window->start();
        if (!QTest::qWaitFor(
                [&] { return pages(window.get())->currentWidget() == window->signInPage(); },
                10000))
            return nullptr;
        if (!signIn(window.get(), alice, u"secret"_s))
            return nullptr;
        window->addAccount();
        if (!signIn(window.get(), bob, u"hunter2"_s))
            return nullptr;
        return window;
    }

    Credentials keychainCredentials(const QString &userId)
    {
        std::unique_ptr<CredentialJob> load(m_keychain->load({ m_server->baseUrl(), userId }));
        QSignalSpy loaded(load.get(), &CredentialJob::finished);
        if (!load->isFinished())
            loaded.wait(10000);
        return load->error() ? Credentials {} : load->credentials();
    }

    //! Whether the server refuses \a token (401).
    bool refused(const QString &token)
    {
        MediaApi api(&m_nam);
        api.setHomeserver(m_server->baseUrl());
        api.setAccessToken(token);
        auto *call = api.joinedRooms();
        QSignalSpy answered(call, &ApiCallBase::finished);
        if (!call->isFinished() && !answered.wait(10000))
            return false;
        return !call->result() && call->result().error().isUnauthorized();
    }

    static QStringList userIds(const MainWindow &window)
    {
        QStringList out;
        for (const Session *session : window.sessions())
            out.append(session->userId());
        return out;
    }

    static QByteArray settingsText()
    {
        QSettings().sync();
        QFile file(QSettings().fileName());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase() { SET_UP_APP_WITH_KEYCHAIN(); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        clearAppState();
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.passwords.insert(u"bob"_s, u"hunter2"_s);
        startServer(config);
        m_server->addRoom(u"!holiday:localhost"_s, u"Holiday"_s);
        m_server->addRoom(u"!bobs:localhost"_s, u"Bob's room"_s, { u"bob"_s });
    }

    void cleanup() { finishUploadTest(nullptr); }

    void addAnAccountAndSwitch()
    {
        auto window = aliceAndBob();
        QVERIFY(window);
        // Both signed in, bob shown; the switcher lists both and "Add Account…".
        QCOMPARE(userIds(*window), QStringList({ alice, bob }));
        QCOMPARE(window->session()->userId(), bob);
        auto *switcher = window->findChild<QComboBox *>(u"accountSwitcher"_s);
        QVERIFY(switcher);
        QVERIFY(switcher->isVisibleTo(window.get()));
        QCOMPARE(switcher->count(), 3);
        QCOMPARE(switcher->itemText(0), alice);
        QCOMPARE(switcher->itemText(1), bob);
        QCOMPARE(switcher->currentIndex(), 1);
        // Each token in its own keychain entry, none in the settings file.
        Session *aliceSession = window->sessions().at(0);
        Session *bobSession = window->sessions().at(1);
        const QString aliceToken = aliceSession->api()->accessToken();
        const QString bobToken = bobSession->api()->accessToken();
        QVERIFY(!aliceToken.isEmpty() && !bobToken.isEmpty() && aliceToken != bobToken);
        QCOMPARE(keychainCredentials(alice).accessToken, aliceToken);
        QCOMPARE(keychainCredentials(bob).accessToken, bobToken);
        const QByteArray text = settingsText();
        QVERIFY(text.contains("bob"));
        QVERIFY(!text.contains(aliceToken.toUtf8()));
        QVERIFY(!text.contains(bobToken.toUtf8()));
        QCOMPARE(SavedAccount::loadAll().size(), 2);
        QCOMPARE(SavedAccount::load().userId, bob);

        // The switcher shows alice's uploads; the Account menu lists both, alice checked.
        UploadManagerWidget *bobsList = window->uploads();
        Q_EMIT switcher->activated(0);
        QCOMPARE(window->session(), aliceSession);
        QVERIFY(window->uploads() != bobsList);
        QCOMPARE(pages(window.get())->currentWidget()->objectName(), u"uploadsPage"_s);
        QCOMPARE(SavedAccount::load().userId, alice);
        auto *menu = window->findChild<QMenu *>(u"accountMenu"_s);
        QVERIFY(menu);
        Q_EMIT menu->aboutToShow();
        QStringList checked;
        QStringList listed;
        for (QAction *action : menu->actions()) {
            if (action->isCheckable())
                listed.append(action->text());
            if (action->isChecked())
                checked.append(action->text());
        }
        QCOMPARE(listed, QStringList({ alice, bob }));
        QCOMPARE(checked, QStringList({ alice }));
        // The menu switches too.
        for (QAction *action : menu->actions()) {
            if (action->text() == bob)
                action->trigger();
        }
        QCOMPARE(window->session(), bobSession);
    }

    void backReturnsToTheAccountShown()
    {
        auto window = std::make_unique<MainWindow>(&m_nam, m_keychain.get());
        window->start();
        QTRY_COMPARE(pages(window.get())->currentWidget(), window->signInPage());
        auto *back = window->signInPage()->findChild<QPushButton *>(u"backButton"_s);
        QVERIFY(back);
        QVERIFY(!back->isVisibleTo(window.get())); // nobody to go back to
        QVERIFY(signIn(window.get(), alice, u"secret"_s));
        QWidget *alicePage = pages(window.get())->currentWidget();
        window->findChild<QAction *>(u"addAccountAction"_s)->trigger();
        QCOMPARE(pages(window.get())->currentWidget(), window->signInPage());
        QVERIFY(back->isVisibleTo(window.get()));
        QTest::mouseClick(back, Qt::LeftButton);
        QCOMPARE(pages(window.get())->currentWidget(), alicePage);
        QCOMPARE(userIds(*window), QStringList({ alice }));

        // While a sign-in is under way Back is off: it would end in an account after all.
        window->findChild<QAction *>(u"addAccountAction"_s)->trigger();
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true }, { u"times"_s, 1 },
            { u"path_prefix"_s, u"/_matrix/client/v3/login"_s } }));
        auto *page = window->signInPage();
        typeSignIn(page, bob, m_server->baseUrl().toString(), u"hunter2"_s);
        QTest::mouseClick(page->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->heldRequests(), 1, 10000);
        QVERIFY(!back->isEnabled());
        QSignalSpy in(window.get(), &MainWindow::signedIn);
        QCOMPARE(m_server->releaseHeldRequests(), 1);
        QVERIFY(in.wait(10000));
        QCOMPARE(userIds(*window), QStringList({ alice, bob }));
    }

    void uploadsGoOnForTheAccountNotShown()
    {
        auto window = aliceAndBob();
        QVERIFY(window);
        Session *aliceSession = window->sessions().at(0);
        Session *bobSession = window->sessions().at(1);
        window->switchTo(aliceSession);
        // Slow enough to be under way when bob is shown.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QByteArray bytes = content(2 * 1024 * 1024, 5);
        window->addFiles({ writeFile(u"alices.bin"_s, bytes) });
        QCOMPARE(aliceSession->manager()->jobs().size(), 1);
        UploadJob *job = aliceSession->manager()->jobs().first();
        window->switchTo(bobSession);
        QVERIFY(job->state() != UploadJob::State::Completed);
        QCOMPARE(window->session(), bobSession);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), UploadJob::State::Completed, 30000);
        QVERIFY(bobSession->manager()->jobs().isEmpty());
        QCOMPARE(window->session(), bobSession); // still shown
        // Under alice's token: the server has the media as hers.
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        const QString owner = m_server->mediaInfo(job->contentUri()).value(u"owner"_s).toString();
        QVERIFY2(owner.contains(u"alice"_s), qPrintable(owner));

        // The history window lists the shown account's uploads, and follows a switch.
        window->findChild<QAction *>(u"historyAction"_s)->trigger();
        QPointer<HistoryWindow> history = window->findChild<HistoryWindow *>();
        QVERIFY(history && history->isVisible());
        QCOMPARE(history->history(), bobSession->history());
        QCOMPARE(history->view()->model()->rowCount(), 0);
        window->switchTo(aliceSession);
        QVERIFY(!history); // bob's went
        history = window->findChild<HistoryWindow *>();
        QVERIFY(history && history->isVisible());
        QCOMPARE(history->history(), aliceSession->history());
        QCOMPARE(history->view()->model()->rowCount(), 1);
    }

    void aLostSignInOfAnotherAccountIsSaid()
    {
        {
            auto window = aliceAndBob(); // bob shown last
            QVERIFY(window);
        }
        std::unique_ptr<CredentialJob> remove(m_keychain->remove({ m_server->baseUrl(), alice }));
        QSignalSpy removed(remove.get(), &CredentialJob::finished);
        QVERIFY(remove->isFinished() || removed.wait(10000));
        MainWindow again(&m_nam, m_keychain.get());
        again.start();
        QTRY_COMPARE_WITH_TIMEOUT(userIds(again), QStringList({ bob }), 10000);
        QTRY_COMPARE(again.session()->userId(), bob);
        const QString said = again.statusBar()->currentMessage();
        QVERIFY2(said.contains(alice) && said.contains(u"Add Account"_s), qPrintable(said));
    }

    void everyRefusedSignInIsAskedFor()
    {
        auto window = aliceAndBob(); // bob shown
        QVERIFY(window);
        Session *aliceSession = window->sessions().at(0);
        Session *bobSession = window->sessions().at(1);
        auto *userId = window->signInPage()->findChild<QLineEdit *>(u"userId"_s);
        // No refresh tokens: an expired token is refused for good.
        aliceSession->api()->setRefreshToken({});
        bobSession->api()->setRefreshToken({});
        QVERIFY(m_server->expireAccessToken(aliceSession->api()->accessToken()));
        aliceSession->api()->joinedRooms();
        QTRY_COMPARE_WITH_TIMEOUT(window->session(), aliceSession, 10000);
        QCOMPARE(pages(window.get())->currentWidget(), window->signInPage());
        QCOMPARE(userId->text(), alice);
        // Bob's is refused next: his is asked for, and alice's again once she is shown.
        QVERIFY(m_server->expireAccessToken(bobSession->api()->accessToken()));
        bobSession->api()->joinedRooms();
        QTRY_COMPARE_WITH_TIMEOUT(window->session(), bobSession, 10000);
        QCOMPARE(userId->text(), bob);
        window->switchTo(aliceSession);
        QCOMPARE(pages(window.get())->currentWidget(), window->signInPage());
        QCOMPARE(userId->text(), alice);
        window->signInPage()->findChild<QLineEdit *>(u"password"_s)->setText(u"secret"_s);
        QTest::mouseClick(
            window->signInPage()->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            pages(window.get())->currentWidget()->objectName(), u"uploadsPage"_s, 10000);
        QCOMPARE(window->session(), aliceSession); // the same session, signed in again
        QVERIFY(!refused(aliceSession->api()->accessToken()));
        QCOMPARE(userIds(*window), QStringList({ alice, bob }));
    }

    void restartRestoresEveryAccountAndTheOneShown()
    {
        QString aliceToken;
        QString bobToken;
        {
            auto window = aliceAndBob();
            QVERIFY(window);
            aliceToken = window->sessions().at(0)->api()->accessToken();
            bobToken = window->sessions().at(1)->api()->accessToken();
            window->switchTo(window->sessions().at(0)); // alice shown last
        }
        MainWindow again(&m_nam, m_keychain.get());
        again.start();
        QTRY_COMPARE_WITH_TIMEOUT(userIds(again), QStringList({ alice, bob }), 10000);
        QTRY_COMPARE(again.session()->userId(), alice);
        QCOMPARE(again.sessions().at(0)->api()->accessToken(), aliceToken);
        QCOMPARE(again.sessions().at(1)->api()->accessToken(), bobToken);
        QCOMPARE(pages(&again)->currentWidget()->objectName(), u"uploadsPage"_s);
        auto *switcher = again.findChild<QComboBox *>(u"accountSwitcher"_s);
        QCOMPARE(switcher->currentText(), alice);
    }

    void aLostSignInIsAskedForWithTheOthersBehindBack()
    {
        {
            auto window = aliceAndBob(); // bob shown last
            QVERIFY(window);
        }
        std::unique_ptr<CredentialJob> remove(m_keychain->remove({ m_server->baseUrl(), bob }));
        QSignalSpy removed(remove.get(), &CredentialJob::finished);
        QVERIFY(remove->isFinished() || removed.wait(10000));
        MainWindow again(&m_nam, m_keychain.get());
        again.start();
        auto *back = again.signInPage()->findChild<QPushButton *>(u"backButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(back->isVisibleTo(&again), 10000);
        QCOMPARE(pages(&again)->currentWidget(), again.signInPage());
        QCOMPARE(again.signInPage()->findChild<QLineEdit *>(u"userId"_s)->text(), bob);
        QCOMPARE(userIds(again), QStringList({ alice }));
        QTest::mouseClick(back, Qt::LeftButton);
        QCOMPARE(pages(&again)->currentWidget()->objectName(), u"uploadsPage"_s);
        QCOMPARE(again.session()->userId(), alice);
        // Signing in as bob again adds him back.
        again.addAccount();
        QVERIFY(signIn(&again, bob, u"hunter2"_s));
        QCOMPARE(userIds(again), QStringList({ alice, bob }));
        QCOMPARE(SavedAccount::loadAll().size(), 2);
    }

    void signOutSignsOutTheAccountShownOnly()
    {
        auto window = aliceAndBob();
        QVERIFY(window);
        const QString aliceToken = window->sessions().at(0)->api()->accessToken();
        const QString bobToken = window->sessions().at(1)->api()->accessToken();
        QSignalSpy out(window.get(), &MainWindow::signedOut);
        window->signOut(); // bob
        QTRY_COMPARE_WITH_TIMEOUT(userIds(*window), QStringList({ alice }), 10000);
        QCOMPARE(window->session()->userId(), alice);
        QVERIFY(window->isSignedIn());
        QCOMPARE(out.size(), 0);
        QCOMPARE(pages(window.get())->currentWidget()->objectName(), u"uploadsPage"_s);
        QCOMPARE(window->findChild<QComboBox *>(u"accountSwitcher"_s)->count(), 2);
        // Bob's token is gone from the keychain and the server; alice's is not.
        QTRY_VERIFY(keychainCredentials(bob).accessToken.isEmpty());
        QCOMPARE(keychainCredentials(alice).accessToken, aliceToken);
        QVERIFY(refused(bobToken));
        // The settings list alice alone.
        const QList<SavedAccount> saved = SavedAccount::loadAll();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().userId, alice);
        QCOMPARE(SavedAccount::load().userId, alice);

        // The last one out: the sign-in page.
        window->signOut();
        QVERIFY(out.wait(10000));
        QVERIFY(!window->isSignedIn());
        QCOMPARE(pages(window.get())->currentWidget(), window->signInPage());
        QVERIFY(SavedAccount::loadAll().isEmpty());
        QVERIFY(!SavedAccount::load().isValid());
    }

    void theSettingsOfTheVersionWithOneAccountLoad()
    {
        // What a version with one account wrote: the account and the room, the token
        // (the test server's TOKEN for alice) in the keychain.
        {
            QSettings settings;
            settings.setValue(u"account/homeserver"_s, m_server->baseUrl());
            settings.setValue(u"account/user_id"_s, alice);
            settings.setValue(u"rooms/default_id"_s, u"!holiday:localhost"_s);
            settings.setValue(u"rooms/default_name"_s, u"Holiday"_s);
        }
        std::unique_ptr<CredentialJob> save(
            m_keychain->save({ m_server->baseUrl(), alice }, { u"TOKEN"_s, u"DEVICE"_s }));
        QSignalSpy saved(save.get(), &CredentialJob::finished);
        QVERIFY(save->isFinished() || saved.wait(10000));
        QVERIFY(!save->error());

        const QList<SavedAccount> accounts = SavedAccount::loadAll();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.first().userId, alice);
        QCOMPARE(accounts.first().homeserver, m_server->baseUrl());
        QCOMPARE(accounts.first().roomId, u"!holiday:localhost"_s);

        MainWindow window(&m_nam, m_keychain.get());
        QSignalSpy in(&window, &MainWindow::signedIn);
        window.start();
        QVERIFY(in.wait(10000));
        QCOMPARE(userIds(window), QStringList({ alice }));
        QCOMPARE(window.session()->api()->accessToken(), u"TOKEN"_s);
        QCOMPARE(window.currentRoomId(), u"!holiday:localhost"_s);

        // Adding bob writes the list; bob starts with no room, alice keeps hers.
        window.addAccount();
        QVERIFY(signIn(&window, bob, u"hunter2"_s));
        QCOMPARE(window.currentRoomId(), QString());
        QCOMPARE(window.session()->poster()->roomId(), QString());
        QCOMPARE(window.sessions().at(0)->poster()->roomId(), u"!holiday:localhost"_s);
        const QList<SavedAccount> both = SavedAccount::loadAll();
        QCOMPARE(both.size(), 2);
        QCOMPARE(both.at(0).roomId, u"!holiday:localhost"_s);
        QCOMPARE(both.at(1).userId, bob);
        QVERIFY(!settingsText().contains("TOKEN"));
    }

    void theRoomIsEachAccountsOwn()
    {
        auto window = aliceAndBob();
        QVERIFY(window);
        window->setRoomChooser([](QWidget *) {
            return std::optional(std::pair { u"!bobs:localhost"_s, u"Bob's room"_s });
        });
        window->chooseRoom(); // for bob
        auto *button = window->findChild<QComboBox *>(u"accountSwitcher"_s)
                           ->parentWidget()
                           ->findChild<QPushButton *>(u"roomButton"_s);
        QVERIFY(button);
        QCOMPARE(button->text(), u"Bob's room"_s);
        window->switchTo(window->sessions().at(0));
        QCOMPARE(window->currentRoomId(), QString());
        QCOMPARE(window->sessions().at(1)->poster()->roomId(), u"!bobs:localhost"_s);
        window->switchTo(window->sessions().at(1));
        QCOMPARE(window->currentRoomId(), u"!bobs:localhost"_s);
        QCOMPARE(SavedAccount::loadAll().at(1).roomId, u"!bobs:localhost"_s);
        QCOMPARE(SavedAccount::loadAll().at(0).roomId, QString());

        // With MU_SCREENSHOT_DIR set (docs/screenshots), the window with the switcher.
        const QString shots = qEnvironmentVariable("MU_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            window->resize(760, 420);
            window->show();
            QVERIFY(QTest::qWaitForWindowExposed(window.get()));
            QVERIFY(window->grab().save(shots + u"/app-accounts.png"_s));
        }
    }

    void theSameAccountAgainReplacesItsToken()
    {
        auto window = std::make_unique<MainWindow>(&m_nam, m_keychain.get());
        window->start();
        QTRY_COMPARE(pages(window.get())->currentWidget(), window->signInPage());
        QVERIFY(signIn(window.get(), alice, u"secret"_s));
        Session *session = window->session();
        const QString first = session->api()->accessToken();
        window->addAccount();
        QVERIFY(signIn(window.get(), alice, u"secret"_s));
        QCOMPARE(userIds(*window), QStringList({ alice }));
        QCOMPARE(window->session(), session); // the same session, with the new token
        const QString second = session->api()->accessToken();
        QVERIFY(second != first);
        QTRY_VERIFY_WITH_TIMEOUT(refused(first), 10000); // signed out on the server
        QVERIFY(!refused(second));
        QTRY_COMPARE(keychainCredentials(alice).accessToken, second);
        QCOMPARE(SavedAccount::loadAll().size(), 1);
        QCOMPARE(window->findChild<QComboBox *>(u"accountSwitcher"_s)->count(), 2);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"MatrixUploaderTest"_s);
    QApplication::setApplicationName(u"matrix-uploader-accounts-test"_s);
    tst_Accounts test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_accounts.moc"
