// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "aboutdialog.h"
#include "desktopnotifier.h"
#include "historywindow.h"
#include "launcherentry.h"
#include "messagetextdialog.h"

#include "roompicker.h"
#include "session.h"
#include "signinpage.h"
#include "trayicon.h"
#include "uploadhistory.h"

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
QString noKeychainText(const QString &detail)
{
    return MainWindow::tr("No keychain is available (%1), so the sign-in cannot be kept: you stay "
                          "signed in until you quit. Next time, sign in again, or start the app "
                          "with the token in MATRIX_ACCESS_TOKEN and --homeserver URL.")
        .arg(detail);
}
} // namespace

MainWindow::MainWindow(QNetworkAccessManager *nam, CredentialStore *credentials, QWidget *parent)
    : QMainWindow(parent)
    , m_nam(nam)
    , m_credentials(credentials)
    , m_settings(AppSettings::load())
    , m_pages(new QStackedWidget(this))
    , m_signIn(new SignInPage(nam, this))
    , m_switcher(new QComboBox(this))
    , m_trayStatus(new TrayStatus(this))
    , m_notifier(new DesktopNotifier(QDBusConnection::sessionBus(), this))
    , m_launcher(new LauncherEntry(QDBusConnection::sessionBus(), this))
{
    setWindowTitle(QApplication::applicationDisplayName());
    setWindowIcon(TrayStatus::icon());
    setAcceptDrops(true);
    m_pages->setObjectName(u"pages"_s);
    m_pages->addWidget(m_signIn);
    setCentralWidget(m_pages);
    resize(760, 560);

    m_switcher->setObjectName(u"accountSwitcher"_s);
    m_switcher->setToolTip(tr("The account shown; the uploads of the others go on"));
    m_switcher->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_switcher->hide();
    connect(m_switcher, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < int(m_accounts.size()))
            activate(m_accounts.at(index).get());
        else
            addAccount(); // the last item
    });
    connect(m_signIn, &SignInPage::backRequested, this, [this] {
        if (m_active)
            activate(m_active, false);
    });
    connect(m_signIn, &SignInPage::signedIn, this,
        [this](const QUrl &homeserver, const LoginResult &login) {
            const CredentialAccount account { homeserver, login.userId };
            const Credentials credentials { login.accessToken, login.deviceId, login.refreshToken };
            keepToken(account, credentials);
            if (continueSession(homeserver, login))
                return;
            m_signInAgain = false;
            if (Account *known = findAccount(homeserver, login.userId)) {
                // The same user on the same server: a new token for that account, not another.
                // The one it replaces is signed out on the server, not left valid behind it.
                auto *old = new MediaApi(m_nam, this);
                old->setHomeserver(homeserver);
                old->setAccessToken(known->session->api()->accessToken());
                old->logout()->then(this, [old](const ApiResult<Done> &) { old->deleteLater(); });
                known->deviceId = login.deviceId;
                known->tokenRejected = false;
                known->session->api()->setRefreshToken(login.refreshToken);
                known->session->api()->setAccessToken(login.accessToken);
                activate(known);
                saveAccounts();
                Q_EMIT signedIn();
                return;
            }
            activate(openSession(homeserver, credentials, login.userId));
            saveAccounts();
        });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *add = file->addAction(tr("&Add Files…"), this, [this] {
        if (m_uploads)
            m_uploads->addFilesFromPicker();
    });
    add->setShortcut(QKeySequence::Open);
    file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    QAction *signOutAction = file->addAction(tr("Sign &Out"), this, &MainWindow::signOut);
    signOutAction->setObjectName(u"signOutAction"_s);
    QAction *addAccountAction = new QAction(tr("Add &Account…"), this);
    addAccountAction->setObjectName(u"addAccountAction"_s);
    connect(addAccountAction, &QAction::triggered, this, &MainWindow::addAccount);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);
    // Ctrl+V itself belongs to the upload list (it has the focus after sign-in); the menu item
    // reaches it from anywhere.
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *paste = edit->addAction(tr("&Paste Files or Image"), this, [this] {
        if (m_uploads)
            m_uploads->paste();
    });
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *history = view->addAction(tr("&History…"), this, &MainWindow::showHistory);
    history->setObjectName(u"historyAction"_s);
    // The accounts, to show one, add one or sign out the one shown.
    m_accountMenu = menuBar()->addMenu(tr("A&ccount"));
    m_accountMenu->setObjectName(u"accountMenu"_s);
    connect(m_accountMenu, &QMenu::aboutToShow, this, &MainWindow::fillAccountMenu);
    m_accountMenu->addAction(addAccountAction);
    m_accountMenu->addAction(signOutAction);
    const QList<QAction *> needSession { add, paste, signOutAction, addAccountAction, history };
    auto enable = [needSession](bool on) {
        for (QAction *a : needSession)
            a->setEnabled(on);
    };
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Matrix Uploader"), this, &MainWindow::showAbout);
    about->setObjectName(u"aboutAction"_s);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
    connect(this, &MainWindow::signedIn, this, [enable] { enable(true); });
    connect(this, &MainWindow::signedOut, this, [enable] { enable(false); });
    enable(false);

    connect(m_trayStatus, &TrayStatus::notify, this,
        [this](const QString &title, const QString &message) {
            statusBar()->showMessage(title + u": "_s + message, 10000);
        });
    setupTray();

    // Without a tray (stock GNOME) its news go to the desktop's notifications; the taskbar
    // entry shows the progress either way.
    m_notifier->setTrayCheck([this] { return m_tray && m_tray->isVisible(); });
    m_notifier->setEnabled(m_settings.showNotifications);
    m_trayStatus->setMessagesShown(m_settings.showNotifications);
    m_notifier->watch(m_trayStatus);
    connect(m_notifier, &DesktopNotifier::activated, this, [this] {
        show();
        raise();
        activateWindow();
    });
    m_launcher->watch(m_trayStatus);
    m_launcher->setAttentionWidget(this);
}

MainWindow::~MainWindow()
{
    // The widgets show the session's uploads: they go first. Unfinished uploads keep their
    // resume records and are listed again at the next start.
    m_switcher->setParent(this);
    m_uploadsPage = nullptr;
    for (auto &account : m_accounts)
        delete account->page;
    m_accounts.clear();
}

void MainWindow::setupTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(TrayStatus::icon(), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show or Hide"), this, [this] { setVisible(!isVisible()); });
    menu->addAction(tr("Pause All"), this, [this] {
        if (m_session)
            m_session->manager()->pauseAll();
    });
    menu->addAction(tr("Resume All"), this, [this] {
        if (m_session)
            m_session->manager()->resumeAll();
    });
    menu->addSeparator();
    menu->addAction(tr("Quit"), qApp, &QApplication::quit);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger) {
            setVisible(!isVisible());
            if (isVisible())
                activateWindow();
        }
    });
    m_trayStatus->setTrayIcon(m_tray);
    m_tray->show();
}

void MainWindow::start(const StartOptions &options)
{
    m_roomOverride = options.roomId;
    m_pending += options.files;
    if (options.homeserver.isValid() && !options.accessToken.isEmpty()) {
        activate(openSession(options.homeserver, { options.accessToken, QString() }, {}), false);
        return;
    }
    const QList<SavedAccount> saved = SavedAccount::loadAll();
    if (saved.isEmpty()) {
        // Ask the keychain now, so a missing one is said before the password is typed.
        m_credentials->load({ QUrl(u"https://localhost"_s), u"@keychain-check:localhost"_s })
            ->then(this, [this](const CredentialJob &job) {
                if (m_active)
                    return; // signed in meanwhile: the page is gone already
                const bool none
                    = job.error() && job.error()->kind() == CredentialError::Kind::NoKeychain;
                showSignIn(none ? noKeychainText(job.error()->message()) : QString());
            });
        return;
    }
    restoreAccounts(saved, 0, SavedAccount::load());
}

void MainWindow::restoreAccounts(QList<SavedAccount> accounts, int next, const SavedAccount &active,
    const std::optional<QString> &activeProblem)
{
    if (next >= accounts.size()) {
        // Done: the one shown last is shown again (the first restored is shown meanwhile).
        if (Account *shown = findAccount(active.homeserver, active.userId)) {
            activate(shown);
            return;
        }
        if (!activeProblem && m_active)
            return;
        // The one shown last could not be restored: its sign-in, the others behind Back.
        const SavedAccount ask = activeProblem ? active : accounts.value(0);
        m_signIn->setUserId(ask.userId);
        m_signIn->setHomeserver(ask.homeserver.toString());
        showSignIn(activeProblem.value_or(QString()));
        return;
    }
    const SavedAccount saved = accounts.at(next);
    const CredentialAccount account { saved.homeserver, saved.userId };
    m_credentials->load(account)->then(
        this, [this, accounts, next, active, activeProblem, saved](const CredentialJob &job) {
            if (findAccount(saved.homeserver, saved.userId)) {
                // Signed in on the page while the keychain was asked (a slow unlock): one
                // session per account, or two would share its folder of resume records.
                restoreAccounts(accounts, next + 1, active, activeProblem);
                return;
            }
            if (!job.error()) {
                Account *opened
                    = openSession(saved.homeserver, job.credentials(), saved.userId, saved);
                if (!m_active)
                    activate(opened, false);
                restoreAccounts(accounts, next + 1, active, activeProblem);
                return;
            }
            const CredentialError &e = *job.error();
            if (!saved.isSameAccount(active)) {
                // Not the one shown last: said until another message, and it may be added again.
                statusBar()->showMessage(
                    tr("The sign-in of %1 could not be restored (%2): sign in again with "
                       "Account, Add Account…")
                        .arg(saved.userId, e.message()));
                restoreAccounts(accounts, next + 1, active, activeProblem);
                return;
            }
            QString problem;
            if (e.kind() == CredentialError::Kind::NoKeychain)
                problem = noKeychainText(e.message());
            else if (e.kind() != CredentialError::Kind::NotFound)
                problem = tr("The keychain did not give the sign-in: %1").arg(e.message());
            restoreAccounts(accounts, next + 1, active, problem);
        });
}

void MainWindow::showSignIn(const QString &banner)
{
    m_signIn->setBanner(banner);
    m_signIn->setBackVisible(m_active != nullptr);
    m_pages->setCurrentWidget(m_signIn);
    m_trayStatus->setManager(nullptr);
}

void MainWindow::addAccount()
{
    m_signInAgain = false;
    m_signIn->setUserId({});
    m_signIn->setHomeserver({});
    showSignIn();
}

void MainWindow::askToSignInAgain()
{
    if (!m_session)
        return;
    m_signInAgain = true;
    m_signIn->setUserId(m_session->userId());
    m_signIn->setHomeserver(m_session->homeserver().toString());
    showSignIn(tr("The server no longer accepts your sign-in. Sign in again: your uploads wait "
                  "and continue from where they are."));
}

bool MainWindow::continueSession(const QUrl &homeserver, const LoginResult &login)
{
    if (!m_session || !m_signInAgain)
        return false;
    const bool sameServer = homeserver.adjusted(QUrl::StripTrailingSlash)
        == m_session->homeserver().adjusted(QUrl::StripTrailingSlash);
    const bool sameUser = m_session->userId().isEmpty() || m_session->userId() == login.userId;
    if (!sameServer || !sameUser)
        return false;
    m_signInAgain = false;
    m_active->tokenRejected = false;
    m_active->tokenAccount = { homeserver, login.userId };
    m_active->deviceId = login.deviceId;
    // The refresh token first: the new access token sets the waiting uploads going.
    m_session->api()->setRefreshToken(login.refreshToken);
    m_session->api()->setAccessToken(login.accessToken);
    activate(m_active, false);
    statusBar()->showMessage(tr("Signed in again: the uploads continue."), 10000);
    return true;
}

void MainWindow::dropSession(Account *account)
{
    // The sheet names files of this session: they keep their own names.
    if (m_messageSheet)
        m_messageSheet->reject();
    m_askText.clear();
    if (account == m_active) {
        m_trayStatus->setManager(nullptr);
        m_switcher->hide();
        m_switcher->setParent(this);
        m_active = nullptr;
        m_session = nullptr;
        m_uploadsPage = nullptr;
        m_uploads = nullptr;
        m_roomButton = nullptr;
        m_keychainNotice = nullptr;
        m_signInAgain = false;
    }
    if (m_overrideFor == account)
        m_overrideFor = nullptr;
    m_pages->removeWidget(account->page);
    delete account->page;
    std::erase_if(m_accounts, [account](const auto &a) { return a.get() == account; });
}

void MainWindow::keepToken(const CredentialAccount &account, const Credentials &credentials)
{
    m_credentials->save(account, credentials)
        ->then(this, [this, account](const CredentialJob &job) {
            if (!job.error())
                return;
            Account *owner = findAccount(account.homeserver, account.userId);
            QLabel *notice = owner ? owner->keychainNotice : m_keychainNotice;
            if (!notice)
                return;
            const CredentialError &e = *job.error();
            notice->setText(e.kind() == CredentialError::Kind::NoKeychain
                    ? noKeychainText(e.message())
                    : tr("The sign-in could not be kept in the keychain: %1. You stay signed in "
                         "until you quit.")
                          .arg(e.message()));
            notice->show();
        });
}

MainWindow::Account *MainWindow::openSession(const QUrl &homeserver, const Credentials &credentials,
    const QString &userId, const SavedAccount &saved)
{
    auto owned = std::make_unique<Account>();
    Account *account = owned.get();
    if (m_accounts.empty() && !m_roomOverride.isEmpty())
        m_overrideFor = account;
    if (saved.isValid()) {
        account->roomId = saved.roomId;
        account->roomName = saved.roomName;
    } else if (m_accounts.empty()) {
        // The first account keeps the room of the settings (and of a token from the environment).
        account->roomId = m_settings.defaultRoomId;
        account->roomName = m_settings.defaultRoomName;
    }
    account->session = std::make_unique<Session>(
        m_nam, homeserver, credentials.accessToken, userId, settingsFor(account));
    m_accounts.push_back(std::move(owned));
    Session *session = account->session.get();
    MediaApi *api = session->api();
    api->setRefreshToken(credentials.refreshToken);
    account->tokenAccount = { homeserver, userId };
    account->deviceId = credentials.deviceId;
    // Renewed tokens replace the stored ones: the server revokes the old refresh token once
    // the new access token is used.
    connect(api, &MediaApi::tokensRefreshed, this,
        [this, account](const QString &accessToken, const QString &refreshToken) {
            if (account->tokenAccount.isValid())
                keepToken(account->tokenAccount, { accessToken, account->deviceId, refreshToken });
        });
    connect(api, &MediaApi::accessTokenRejected, this, [this, account] {
        // An account not shown is shown, to be signed in again. It asks again whenever it is
        // shown until then (the API says so once per token).
        account->tokenRejected = true;
        if (account != m_active)
            activate(account, false);
        else
            askToSignInAgain();
    });

    // Its uploads page.
    auto *page = new QWidget;
    page->setObjectName(u"uploadsPage"_s);
    account->page = page;
    account->roomButton = new QPushButton(page);
    account->roomButton->setObjectName(u"roomButton"_s);
    account->roomButton->setToolTip(tr("The room each uploaded file is posted to"));
    connect(account->roomButton, &QPushButton::clicked, this, &MainWindow::chooseRoom);
    account->keychainNotice = new QLabel(page);
    account->keychainNotice->setObjectName(u"keychainNotice"_s);
    account->keychainNotice->setWordWrap(true);
    account->keychainNotice->setFrameShape(QFrame::StyledPanel);
    account->keychainNotice->setMargin(6);
    account->keychainNotice->hide();
    account->uploads = new UploadManagerWidget(session->manager(), page);
    account->header = new QHBoxLayout;
    account->header->addStretch(1);
    account->header->addWidget(new QLabel(tr("Post to:"), page));
    account->header->addWidget(account->roomButton);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(account->header);
    layout->addWidget(account->keychainNotice);
    layout->addWidget(account->uploads, 1);
    m_pages->addWidget(page);

    connect(session->poster(), &RoomPoster::roomEncryptionKnown, this,
        [this, session](const QString &roomId, bool encrypted) {
            if (session != m_session)
                return;
            updateRoomButton();
            if (encrypted && roomId == currentRoomId())
                statusBar()->showMessage(
                    tr("This room is encrypted and Matrix Uploader cannot encrypt messages: "
                       "files are uploaded encrypted, but not posted."));
        });
    connect(session->poster(), &RoomPoster::encryptedContentReady, this,
        &MainWindow::refuseEncryptedPost);
    connect(session->manager(), &UploadManager::jobAdded, this, [this, session](UploadJob *job) {
        if (session == m_session)
            askForMessageText(job);
    });
    // The row's "Name and Caption…": the name and caption of the message of the file under the
    // cursor, before it is posted.
    UploadManagerWidget *uploads = account->uploads;
    QAction *editMessageText = new QAction(tr("Name and Caption…"), uploads);
    editMessageText->setObjectName(u"editMessageTextAction"_s);
    account->editMessageText = editMessageText;
    QMenu *menu = uploads->contextMenu();
    menu->insertAction(menu->actions().value(0), editMessageText);
    menu->insertSeparator(menu->actions().value(1));
    connect(menu, &QMenu::aboutToShow, this, [session, uploads, editMessageText] {
        const QStringList ids = uploads->selectedJobIds();
        const RoomPoster::PostState state = ids.size() == 1
            ? session->poster()->postState(ids.first())
            : RoomPoster::PostState::None;
        editMessageText->setEnabled(state == RoomPoster::PostState::Waiting);
    });
    connect(editMessageText, &QAction::triggered, this,
        [this, uploads] { editMessageTexts(uploads->selectedJobIds()); });
    const QString room = m_overrideFor == account ? m_roomOverride : account->roomId;
    if (room != account->roomId)
        session->poster()->setRoom(room, {});
    if (!room.isEmpty()) {
        // The name may have changed since, or not be known (--room): ask.
        api->roomName(room)->then(this, [this, session, room](const ApiResult<QString> &r) {
            if (r && !r->isEmpty() && session->poster()->roomId() == room) {
                session->poster()->setRoom(room, *r);
                updateRoomButton();
            }
        });
    }
    if (const int restored = session->restoredCount()) {
        statusBar()->showMessage(tr("%n unfinished upload(s) from the last run: Resume continues "
                                    "them from where they stopped.",
            nullptr, restored));
    }
    updateSwitcher();
    Q_EMIT signedIn();
    Q_EMIT accountsChanged();
    return account;
}

void MainWindow::activate(Account *account, bool remember)
{
    const bool switched = account != m_active;
    m_signInAgain = false;
    m_active = account;
    m_session = account->session.get();
    m_uploadsPage = account->page;
    m_uploads = account->uploads;
    m_roomButton = account->roomButton;
    m_keychainNotice = account->keychainNotice;
    m_settings.defaultRoomId = account->roomId;
    m_settings.defaultRoomName = account->roomName;
    // One switcher, in the header of the page shown.
    account->header->insertWidget(0, m_switcher);
    m_switcher->show();
    updateSwitcher();
    updateRoomButton();
    m_pages->setCurrentWidget(account->page);
    m_uploads->view()->setFocus();
    m_trayStatus->setManager(m_session->manager());
    if (m_history && m_history->history() != m_session->history()) {
        // The history shown is the shown account's.
        const bool shown = m_history->isVisible();
        delete m_history.data();
        if (shown)
            showHistory();
    }
    if (remember && account->tokenAccount.isValid())
        SavedAccount {
            account->tokenAccount.homeserver, account->tokenAccount.userId, {}, {}
        }.save();
    const QStringList files = std::exchange(m_pending, {});
    if (!files.isEmpty())
        addFiles(files);
    Q_EMIT accountsChanged();
    // Shown again from another account: its sign-in is asked for again (Back from that page
    // shows its waiting uploads).
    if (account->tokenRejected && switched)
        askToSignInAgain();
}

QList<Session *> MainWindow::sessions() const
{
    QList<Session *> out;
    for (const auto &account : m_accounts)
        out.append(account->session.get());
    return out;
}

void MainWindow::switchTo(Session *session)
{
    if (Account *account = accountOf(session))
        activate(account);
}

MainWindow::Account *MainWindow::findAccount(const QUrl &homeserver, const QString &userId) const
{
    const SavedAccount wanted { homeserver, userId, {}, {} };
    for (const auto &account : m_accounts) {
        if (account->tokenAccount.isValid()
            && wanted.isSameAccount(
                { account->tokenAccount.homeserver, account->tokenAccount.userId, {}, {} }))
            return account.get();
    }
    return nullptr;
}

MainWindow::Account *MainWindow::accountOf(const Session *session) const
{
    for (const auto &account : m_accounts) {
        if (account->session.get() == session)
            return account.get();
    }
    return nullptr;
}

Session *MainWindow::sessionOf(const UploadJob *job) const
{
    for (const auto &account : m_accounts) {
        if (job && account->session->manager()->job(job->id()) == job)
            return account->session.get();
    }
    return nullptr;
}

AppSettings MainWindow::settingsFor(const Account *account) const
{
    AppSettings settings = m_settings;
    settings.defaultRoomId = account->roomId;
    settings.defaultRoomName = account->roomName;
    return settings;
}

void MainWindow::saveAccounts() const
{
    QList<SavedAccount> list;
    for (const auto &account : m_accounts) {
        if (account->tokenAccount.isValid())
            list.append({ account->tokenAccount.homeserver, account->tokenAccount.userId,
                account->roomId, account->roomName });
    }
    SavedAccount::saveAll(list);
}

void MainWindow::updateSwitcher()
{
    const QSignalBlocker blocker(m_switcher);
    m_switcher->clear();
    for (const auto &account : m_accounts) {
        const Session *session = account->session.get();
        const QString who
            = session->userId().isEmpty() ? tr("Signed in with a token") : session->userId();
        m_switcher->addItem(who);
        m_switcher->setItemData(m_switcher->count() - 1,
            tr("%1 on %2").arg(who, session->homeserver().toString()), Qt::ToolTipRole);
        if (account.get() == m_active)
            m_switcher->setCurrentIndex(m_switcher->count() - 1);
    }
    m_switcher->addItem(tr("Add Account…"));
}

void MainWindow::fillAccountMenu()
{
    // The accounts above Add Account… and Sign Out, the one shown checked.
    const QList<QAction *> old = m_accountMenu->actions();
    for (QAction *action : old) {
        if (action->property("account").isValid() || action->isSeparator()) {
            m_accountMenu->removeAction(action);
            action->deleteLater();
        }
    }
    QAction *first = m_accountMenu->actions().value(0);
    auto *group = new QActionGroup(m_accountMenu);
    for (const auto &account : m_accounts) {
        Session *session = account->session.get();
        auto *action = new QAction(
            session->userId().isEmpty() ? tr("Signed in with a token") : session->userId(), group);
        action->setProperty("account", QVariant::fromValue(static_cast<QObject *>(session)));
        action->setCheckable(true);
        action->setChecked(account.get() == m_active);
        connect(action, &QAction::triggered, this, [this, session] { switchTo(session); });
        m_accountMenu->insertAction(first, action);
    }
    if (!m_accounts.empty())
        m_accountMenu->insertSeparator(first);
}

QString MainWindow::currentRoomId() const
{
    // --room is for the account of the start, not for those added later.
    if (!m_roomOverride.isEmpty() && (!m_active || m_active == m_overrideFor))
        return m_roomOverride;
    return m_settings.defaultRoomId;
}

QString MainWindow::keychainNotice() const
{
    return m_keychainNotice && !m_keychainNotice->isHidden() ? m_keychainNotice->text() : QString();
}

void MainWindow::setRoom(const QString &roomId, const QString &name)
{
    if (m_session)
        m_session->poster()->setRoom(roomId, name);
    updateRoomButton();
}

void MainWindow::updateRoomButton()
{
    if (!m_roomButton || !m_session)
        return;
    const RoomPoster *poster = m_session->poster();
    const QString roomId = poster->roomId();
    const QString label = poster->roomName().isEmpty() ? roomId : poster->roomName();
    if (roomId.isEmpty()) {
        m_roomButton->setText(tr("No room (only upload)"));
        m_roomButton->setIcon({});
    } else if (poster->isRoomEncrypted()) {
        m_roomButton->setText(tr("%1 (encrypted)").arg(label));
        m_roomButton->setIcon(lockIcon());
    } else {
        m_roomButton->setText(label);
        m_roomButton->setIcon({});
    }
    m_roomButton->setToolTip(roomId);
}

void MainWindow::askForMessageText(UploadJob *job)
{
    // Only for the account shown (openSession() connects it so): the sheet is for its files.
    RoomPoster *poster = m_session->poster();
    if (m_settings.postWhen != RoomPoster::When::UploadCompleted || job->isRestored()
        || poster->roomId().isEmpty())
        return;
    // Held from now on: the upload runs while the user writes, the message waits.
    poster->holdPost(job);
    if (m_askText.isEmpty()) {
        // One sheet for the files added together (a drop of many), not one per file.
        QTimer::singleShot(0, this, [this] {
            if (!m_messageSheet)
                editMessageTexts(std::exchange(m_askText, {}));
        });
    }
    m_askText.append(job->id());
}

void MainWindow::editMessageTexts(const QStringList &jobIds)
{
    if (!m_session || m_messageSheet || jobIds.isEmpty())
        return;
    RoomPoster *poster = m_session->poster();
    UploadManager *manager = m_session->manager();
    QList<MessageText> texts;
    for (const QString &id : jobIds) {
        UploadJob *job = manager->job(id);
        if (!job || poster->postState(id) != RoomPoster::PostState::Waiting) {
            if (job)
                poster->releasePost(job);
            continue;
        }
        poster->holdPost(job);
        const QString name = poster->messageFileName(id);
        texts.append({ id, name.isEmpty() ? job->fileName() : name, poster->caption(id) });
    }
    if (texts.isEmpty())
        return;
    auto *sheet = new MessageTextDialog(texts, this);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    m_messageSheet = sheet;
    const QPointer<Session> session = m_session;
    connect(sheet, &QDialog::finished, this, [this, sheet, session](int result) {
        m_messageSheet = nullptr; // deleted later; the next sheet may open now
        if (!session)
            return;
        RoomPoster *poster = session->poster();
        for (const MessageText &text : sheet->texts()) {
            UploadJob *job = session->manager()->job(text.jobId);
            if (!job)
                continue;
            if (result == QDialog::Accepted)
                poster->setMessageText(job,
                    text.fileName == job->fileName() ? QString() : text.fileName, text.caption);
            poster->releasePost(job);
        }
        // Files added while it was open get their own sheet now.
        if (!m_askText.isEmpty())
            QTimer::singleShot(0, this, [this] { editMessageTexts(std::exchange(m_askText, {})); });
    });
    sheet->open();
}

void MainWindow::refuseEncryptedPost(
    UploadJob *job, const QString &roomId, const QJsonObject &content)
{
    const Session *session = sessionOf(job);
    if (!session)
        return;
    const RoomPoster *poster = session->poster();
    const QString room
        = roomId == poster->roomId() && !poster->roomName().isEmpty() ? poster->roomName() : roomId;
    job->setNote(
        tr("Not posted: %1 is encrypted, and Matrix Uploader cannot encrypt messages").arg(room));
    // One box for the files that arrive while it is open, not one box per file.
    if (!m_refusal) {
        m_refused.clear();
        m_refusal = new QMessageBox(QMessageBox::Warning, tr("Cannot post to an encrypted room"),
            QString(), QMessageBox::Close, this);
        m_refusal->setObjectName(u"encryptedRoomRefusal"_s);
        m_refusal->setAttribute(Qt::WA_DeleteOnClose);
        m_refusal->setInformativeText(
            tr("Copy the event content and send it from a client that encrypts (it holds the "
               "key of the file), or post the file to another room."));
        QPushButton *copy = m_refusal->addButton(tr("Copy event content"), QMessageBox::ActionRole);
        copy->setObjectName(u"copyEventContent"_s);
        QPushButton *other
            = m_refusal->addButton(tr("Post to another room…"), QMessageBox::ActionRole);
        other->setObjectName(u"postToAnotherRoom"_s);
        // Action buttons close the box too: the choice is made once for what it lists.
        connect(copy, &QPushButton::clicked, this, [this] {
            // One file: its content; more: a list of them, in the order they completed.
            QJsonArray all;
            for (const auto &refused : std::as_const(m_refused))
                all.append(refused.second);
            const QJsonDocument doc
                = all.size() == 1 ? QJsonDocument(all.first().toObject()) : QJsonDocument(all);
            QGuiApplication::clipboard()->setText(
                QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
        });
        connect(other, &QPushButton::clicked, this, [this] {
            const auto refused = m_refused;
            if (!m_session)
                return;
            const auto room = pickRoom(this);
            if (!room || room->first.isEmpty())
                return;
            // The rooms listed are the shown account's: its files go there, another
            // account's stay unposted (it cannot post to a room it is not in).
            bool others = false;
            for (const auto &file : refused) {
                Session *owner = file.first ? sessionOf(file.first) : nullptr;
                if (owner == m_session)
                    owner->poster()->postTo(file.first, room->first, room->second);
                else if (owner)
                    others = true;
            }
            if (others)
                statusBar()->showMessage(tr("Files of another account were not posted: each "
                                            "account posts to its own rooms."));
        });
        m_refusal->open();
    }
    m_refused.append({ job, content });
    m_refusal->setText(m_refused.size() == 1
            ? tr("%1 was uploaded encrypted, but it was not posted to %2: that room is "
                 "end-to-end encrypted, and Matrix Uploader cannot encrypt messages.")
                  .arg(job->fileName(), room)
            : tr("%n files were uploaded encrypted, but they were not posted to %1: that room "
                 "is end-to-end encrypted, and Matrix Uploader cannot encrypt messages.",
                nullptr, int(m_refused.size()))
                  .arg(room));
}

void MainWindow::addFiles(const QStringList &paths)
{
    if (!m_uploads) {
        m_pending += paths;
        return;
    }
    m_uploads->addPaths(paths);
}

std::optional<std::pair<QString, QString>> MainWindow::pickRoom(QWidget *parent)
{
    if (m_roomChooser)
        return m_roomChooser(parent);
    if (!m_session)
        return std::nullopt;
    RoomPickerDialog dialog(m_session->api(), currentRoomId(), parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return std::pair { dialog.roomId(), dialog.roomName() };
}

void MainWindow::chooseRoom()
{
    const auto room = pickRoom(this);
    if (!room)
        return;
    // The choice is remembered: it is the default room from now on.
    m_roomOverride.clear();
    AppSettings s = m_settings;
    s.defaultRoomId = room->first;
    s.defaultRoomName = room->second;
    applySettings(s);
}

void MainWindow::applySettings(const AppSettings &settings)
{
    const bool roomChanged = settings.defaultRoomId != m_settings.defaultRoomId
        || settings.defaultRoomName != m_settings.defaultRoomName;
    m_settings = settings;
    m_settings.save();
    m_notifier->setEnabled(m_settings.showNotifications);
    m_trayStatus->setMessagesShown(m_settings.showNotifications);
    if (roomChanged)
        m_roomOverride.clear();
    // The room is the shown account's; the other settings are everybody's.
    if (m_active) {
        m_active->roomId = m_settings.defaultRoomId;
        m_active->roomName = m_settings.defaultRoomName;
        if (m_active->tokenAccount.isValid())
            saveAccounts();
    }
    for (const auto &account : m_accounts)
        account->session->apply(settingsFor(account.get()));
    setRoom(currentRoomId(),
        currentRoomId() == m_settings.defaultRoomId ? m_settings.defaultRoomName : QString());
}

void MainWindow::showSettings()
{
    SettingsDialog::RoomChooser chooser;
    if (m_session || m_roomChooser)
        chooser = [this](QWidget *parent) { return pickRoom(parent); };
    SettingsDialog dialog(m_settings, chooser, this);
    if (dialog.exec() == QDialog::Accepted)
        applySettings(dialog.settings());
}

void MainWindow::showAbout()
{
    if (!m_about) {
        m_about = new AboutDialog(this);
        m_about->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_about->show();
    m_about->raise();
    m_about->activateWindow();
}

void MainWindow::showHistory()
{
    if (!m_session)
        return;
    if (!m_history) {
        // Closes itself when the session (and its history) ends.
        m_history = new HistoryWindow(m_session->history(), this);
        m_history->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_history->show();
    m_history->raise();
    m_history->activateWindow();
}

void MainWindow::signOut()
{
    if (!m_session)
        return;
    // The account shown only: the others stay signed in, their uploads going on.
    const QPointer<Session> session = m_session;
    session->manager()->pauseAll();
    // The keychain entry the account's token is kept under (a token from the environment has
    // one once it was signed in again on the page).
    const CredentialAccount account = accountOf(session)->tokenAccount;
    auto finish = [this, account, session] {
        if (account.isValid())
            m_credentials->remove(account)->then(this, [](const CredentialJob &) {});
        Account *signedOutAccount = accountOf(session);
        if (!signedOutAccount)
            return;
        dropSession(signedOutAccount);
        if (account.isValid())
            saveAccounts();
        if (!m_accounts.empty()) {
            if (!m_active)
                activate(m_accounts.front().get());
            updateSwitcher();
            Q_EMIT accountsChanged();
            return;
        }
        SavedAccount::clear();
        m_signIn->setUserId(account.userId);
        showSignIn();
        Q_EMIT signedOut();
        Q_EMIT accountsChanged();
    };
    // Forget the token on the server first; signed out locally whatever it answers.
    m_session->api()->logout()->then(this, [this, finish](const ApiResult<Done> &r) {
        if (!r)
            statusBar()->showMessage(
                tr("The server did not confirm the sign-out: %1").arg(r.error().toString()), 10000);
        // Later: the session owns the call that is answering now.
        QTimer::singleShot(0, this, finish);
    });
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_uploads && UploadManagerWidget::canAccept(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_uploads && UploadManagerWidget::canAccept(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (!m_uploads)
        return;
    if (m_uploads->addMimeData(event->mimeData()) > 0)
        event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // With a tray, closing the window keeps the uploads going there.
    // (The uploads of any account: those not shown go on too.)
    const bool busy = std::any_of(m_accounts.cbegin(), m_accounts.cend(),
        [](const auto &account) { return !account->session->manager()->isIdle(); });
    if (m_tray && m_tray->isVisible() && busy) {
        hide();
        m_tray->showMessage(
            QApplication::applicationDisplayName(), tr("Uploads go on here. Quit from this menu."));
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace MatrixUpload::App
