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

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
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

    connect(m_signIn, &SignInPage::signedIn, this,
        [this](const QUrl &homeserver, const LoginResult &login) {
            const CredentialAccount account { homeserver, login.userId };
            SavedAccount { homeserver, login.userId }.save();
            const Credentials credentials { login.accessToken, login.deviceId, login.refreshToken };
            keepToken(account, credentials);
            if (continueSession(homeserver, login))
                return;
            if (m_session)
                dropSession(); // another account: this one's uploads wait for its next start
            openSession(homeserver, credentials, login.userId);
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
    const QList<QAction *> needSession { add, paste, signOutAction, history };
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
    delete m_uploadsPage;
    m_session.reset();
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
        openSession(options.homeserver, { options.accessToken, QString() }, {});
        return;
    }
    const SavedAccount saved = SavedAccount::load();
    if (!saved.isValid()) {
        // Ask the keychain now, so a missing one is said before the password is typed.
        m_credentials->load({ QUrl(u"https://localhost"_s), u"@keychain-check:localhost"_s })
            ->then(this, [this](const CredentialJob &job) {
                const bool none
                    = job.error() && job.error()->kind() == CredentialError::Kind::NoKeychain;
                showSignIn(none ? noKeychainText(job.error()->message()) : QString());
            });
        return;
    }
    const CredentialAccount account { saved.homeserver, saved.userId };
    m_credentials->load(account)->then(this, [this, saved](const CredentialJob &job) {
        if (!job.error()) {
            openSession(saved.homeserver, job.credentials(), saved.userId);
            return;
        }
        m_signIn->setUserId(saved.userId);
        m_signIn->setHomeserver(saved.homeserver.toString());
        const CredentialError &e = *job.error();
        if (e.kind() == CredentialError::Kind::NotFound)
            showSignIn();
        else if (e.kind() == CredentialError::Kind::NoKeychain)
            showSignIn(noKeychainText(e.message()));
        else
            showSignIn(tr("The keychain did not give the sign-in: %1").arg(e.message()));
    });
}

void MainWindow::showSignIn(const QString &banner)
{
    m_signIn->setBanner(banner);
    m_pages->setCurrentWidget(m_signIn);
    m_trayStatus->setManager(nullptr);
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
    m_tokenAccount = { homeserver, login.userId };
    m_deviceId = login.deviceId;
    // The refresh token first: the new access token sets the waiting uploads going.
    m_session->api()->setRefreshToken(login.refreshToken);
    m_session->api()->setAccessToken(login.accessToken);
    m_pages->setCurrentWidget(m_uploadsPage);
    m_trayStatus->setManager(m_session->manager());
    m_uploads->view()->setFocus();
    statusBar()->showMessage(tr("Signed in again: the uploads continue."), 10000);
    return true;
}

void MainWindow::dropSession()
{
    // The sheet names files of this session: they keep their own names.
    if (m_messageSheet)
        m_messageSheet->reject();
    m_askText.clear();
    m_editMessageText = nullptr; // a child of the uploads widget
    m_trayStatus->setManager(nullptr);
    m_pages->removeWidget(m_uploadsPage);
    delete m_uploadsPage;
    m_uploadsPage = nullptr;
    m_account = nullptr;
    m_roomButton = nullptr;
    m_keychainNotice = nullptr;
    m_session.reset();
    m_tokenAccount = {};
    m_deviceId.clear();
    m_signInAgain = false;
}

void MainWindow::keepToken(const CredentialAccount &account, const Credentials &credentials)
{
    m_credentials->save(account, credentials)->then(this, [this](const CredentialJob &job) {
        if (!job.error() || !m_keychainNotice)
            return;
        const CredentialError &e = *job.error();
        m_keychainNotice->setText(e.kind() == CredentialError::Kind::NoKeychain
                ? noKeychainText(e.message())
                : tr("The sign-in could not be kept in the keychain: %1. You stay signed in "
                     "until you quit.")
                      .arg(e.message()));
        m_keychainNotice->show();
    });
}

QWidget *MainWindow::buildUploadsPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"uploadsPage"_s);
    m_account = new QLabel(page);
    m_account->setObjectName(u"accountLabel"_s);
    m_roomButton = new QPushButton(page);
    m_roomButton->setObjectName(u"roomButton"_s);
    m_roomButton->setToolTip(tr("The room each uploaded file is posted to"));
    connect(m_roomButton, &QPushButton::clicked, this, &MainWindow::chooseRoom);
    m_keychainNotice = new QLabel(page);
    m_keychainNotice->setObjectName(u"keychainNotice"_s);
    m_keychainNotice->setWordWrap(true);
    m_keychainNotice->setFrameShape(QFrame::StyledPanel);
    m_keychainNotice->setMargin(6);
    m_keychainNotice->hide();
    m_uploads = new UploadManagerWidget(m_session->manager(), page);

    auto *header = new QHBoxLayout;
    header->addWidget(m_account, 1);
    header->addWidget(new QLabel(tr("Post to:"), page));
    header->addWidget(m_roomButton);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(header);
    layout->addWidget(m_keychainNotice);
    layout->addWidget(m_uploads, 1);
    return page;
}

void MainWindow::openSession(
    const QUrl &homeserver, const Credentials &credentials, const QString &userId)
{
    m_session
        = std::make_unique<Session>(m_nam, homeserver, credentials.accessToken, userId, m_settings);
    MediaApi *api = m_session->api();
    api->setRefreshToken(credentials.refreshToken);
    m_tokenAccount = { homeserver, userId };
    m_deviceId = credentials.deviceId;
    m_signInAgain = false;
    // Renewed tokens replace the stored ones: the server revokes the old refresh token once
    // the new access token is used.
    connect(api, &MediaApi::tokensRefreshed, this,
        [this](const QString &accessToken, const QString &refreshToken) {
            if (m_tokenAccount.isValid())
                keepToken(m_tokenAccount, { accessToken, m_deviceId, refreshToken });
        });
    connect(api, &MediaApi::accessTokenRejected, this, &MainWindow::askToSignInAgain);
    m_uploadsPage = buildUploadsPage();
    m_pages->addWidget(m_uploadsPage);
    m_pages->setCurrentWidget(m_uploadsPage);
    m_uploads->view()->setFocus();
    m_trayStatus->setManager(m_session->manager());

    connect(m_session->poster(), &RoomPoster::roomEncryptionKnown, this,
        [this](const QString &roomId, bool encrypted) {
            updateRoomButton();
            if (encrypted && roomId == currentRoomId())
                statusBar()->showMessage(
                    tr("This room is encrypted and Matrix Uploader cannot encrypt messages: "
                       "files are uploaded encrypted, but not posted."));
        });
    connect(m_session->poster(), &RoomPoster::encryptedContentReady, this,
        &MainWindow::refuseEncryptedPost);
    connect(m_session->manager(), &UploadManager::jobAdded, this, &MainWindow::askForMessageText);
    // The row's "Name and Caption…": the name and caption of the message of the file under the
    // cursor, before it is posted.
    m_editMessageText = new QAction(tr("Name and Caption…"), m_uploads);
    m_editMessageText->setObjectName(u"editMessageTextAction"_s);
    QMenu *menu = m_uploads->contextMenu();
    menu->insertAction(menu->actions().value(0), m_editMessageText);
    menu->insertSeparator(menu->actions().value(1));
    connect(menu, &QMenu::aboutToShow, this, [this] {
        const QStringList ids = m_uploads->selectedJobIds();
        const RoomPoster::PostState state = ids.size() == 1
            ? m_session->poster()->postState(ids.first())
            : RoomPoster::PostState::None;
        m_editMessageText->setEnabled(state == RoomPoster::PostState::Waiting);
    });
    connect(m_editMessageText, &QAction::triggered, this,
        [this] { editMessageTexts(m_uploads->selectedJobIds()); });
    const QString room = currentRoomId();
    setRoom(room, room == m_settings.defaultRoomId ? m_settings.defaultRoomName : QString());
    if (!room.isEmpty()) {
        // The name may have changed since, or not be known (--room): ask.
        m_session->api()->roomName(room)->then(this, [this, room](const ApiResult<QString> &r) {
            if (r && !r->isEmpty() && currentRoomId() == room)
                setRoom(room, *r);
        });
    }
    if (const int restored = m_session->restoredCount()) {
        statusBar()->showMessage(tr("%n unfinished upload(s) from the last run: Resume continues "
                                    "them from where they stopped.",
            nullptr, restored));
    }
    updateHeader();
    Q_EMIT signedIn();
    const QStringList files = std::exchange(m_pending, {});
    if (!files.isEmpty())
        addFiles(files);
}

QString MainWindow::currentRoomId() const
{
    return m_roomOverride.isEmpty() ? m_settings.defaultRoomId : m_roomOverride;
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
    connect(sheet, &QDialog::finished, this, [this, sheet](int result) {
        m_messageSheet = nullptr; // deleted later; the next sheet may open now
        if (!m_session)
            return;
        RoomPoster *poster = m_session->poster();
        for (const MessageText &text : sheet->texts()) {
            UploadJob *job = m_session->manager()->job(text.jobId);
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
    const RoomPoster *poster = m_session->poster();
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
            for (const auto &file : refused) {
                if (file.first)
                    m_session->poster()->postTo(file.first, room->first, room->second);
            }
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

void MainWindow::updateHeader()
{
    if (!m_session || !m_account)
        return;
    const QString who
        = m_session->userId().isEmpty() ? tr("Signed in with a token") : m_session->userId();
    m_account->setText(tr("%1 on %2").arg(who, m_session->homeserver().host()));
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
    if (m_session)
        m_session->apply(m_settings);
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
    m_session->manager()->pauseAll();
    const CredentialAccount account { m_session->homeserver(), m_session->userId() };
    auto finish = [this, account] {
        if (account.isValid())
            m_credentials->remove(account)->then(this, [](const CredentialJob &) {});
        SavedAccount::clear();
        dropSession();
        m_signIn->setUserId(account.userId);
        showSignIn();
        Q_EMIT signedOut();
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
    if (m_tray && m_tray->isVisible() && m_session && !m_session->manager()->isIdle()) {
        hide();
        m_tray->showMessage(
            QApplication::applicationDisplayName(), tr("Uploads go on here. Quit from this menu."));
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace MatrixUpload::App
