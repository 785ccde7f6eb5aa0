// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the window of the desktop app.
#pragma once

#include "appsettings.h"
#include "settingsdialog.h"

#include <matrixupload/api/mediatypes.h>
#include <matrixupload/credentials.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <QJsonObject>
#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QMessageBox;
class QNetworkAccessManager;
class QPushButton;
class QStackedWidget;
class QSystemTrayIcon;

namespace MatrixUpload {
class UploadJob;
}

namespace MatrixUpload::App {

class AboutDialog;
class HistoryWindow;
class DesktopNotifier;
class LauncherEntry;
class Session;
class SignInPage;
class TrayStatus;

//! How the app was started.
struct StartOptions
{
    QUrl homeserver; //!< with accessToken: signed in without the sign-in page
    QString accessToken; //!< from MATRIX_ACCESS_TOKEN
    QString roomId; //!< post to this room in this run (the settings keep theirs)
    QStringList files; //!< to upload, from the command line or the desktop file's %F
};

//! The sign-in page, then the upload manager (Widgets) with the room files are posted to, a menu,
//! the tray and the settings. Files dropped anywhere on the window, pasted, added with "Add
//! files…" or given at start are uploaded and posted.
//!
//! Several accounts can be signed in at once, each with its own Session and uploads page (its
//! uploads go on while another account is shown); the switcher in the header and the Account
//! menu show one of them. The tray and the taskbar entry follow the account shown.
//!
//! Object names: pages, uploadsPage, roomButton, accountSwitcher, keychainNotice, aboutAction,
//! accountMenu, addAccountAction, signOutAction, historyAction.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    //! \a nam and \a credentials must outlive the window.
    MainWindow(QNetworkAccessManager *nam, CredentialStore *credentials, QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Signs in from \a options, the keychain or the sign-in page, then adds options.files.
    void start(const StartOptions &options = {});
    //! Uploads \a paths; before sign-in they wait for it.
    void addFiles(const QStringList &paths);

    //! True while at least one account is signed in.
    bool isSignedIn() const { return m_session != nullptr; }
    //! The account shown; null before sign-in.
    Session *session() const { return m_session; }
    //! Every signed-in account's session, in the order of the switcher.
    QList<Session *> sessions() const;
    //! Shows the account of \a session (one of sessions()).
    void switchTo(Session *session);
    SignInPage *signInPage() const { return m_signIn; }
    //! Null until signed in.
    UploadManagerWidget *uploads() const { return m_uploads; }
    TrayStatus *trayStatus() const { return m_trayStatus; }
    //! The tray's news as desktop notifications where there is no tray (on the session bus).
    DesktopNotifier *desktopNotifier() const { return m_notifier; }
    //! The upload progress on the taskbar entry (on the session bus).
    LauncherEntry *launcherEntry() const { return m_launcher; }
    AppSettings settings() const { return m_settings; }
    //! Takes and keeps new settings (what the settings dialog does on OK).
    void applySettings(const AppSettings &settings);
    //! The room files are posted to in this run: the --room of the start, else the setting.
    QString currentRoomId() const;
    //! What the keychain said when it could not keep the token; empty when it did.
    QString keychainNotice() const;

    //! Replaces the room picker dialog (tests).
    void setRoomChooser(SettingsDialog::RoomChooser chooser) { m_roomChooser = std::move(chooser); }
    //! The room picker as the app uses it: a modal RoomPickerDialog.
    std::optional<std::pair<QString, QString>> pickRoom(QWidget *parent);

public Q_SLOTS:
    void chooseRoom();
    void showSettings();
    //! Shows the About dialog (Help menu), non-modal; raises it when it is open already.
    void showAbout();
    //! Shows the upload history of the account (View menu), non-modal; raises it when it is
    //! open already. Does nothing before sign-in.
    void showHistory();
    //! Signs out the account shown; another one is shown if any is left.
    void signOut();
    //! The sign-in page for one more account; the accounts signed in stay, and its Back button
    //! returns to the one shown.
    void addAccount();

Q_SIGNALS:
    //! An account signed in (from the page, the keychain or a token).
    void signedIn();
    //! The last account signed out.
    void signedOut();
    //! An account was added or removed, or another one is shown.
    void accountsChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    //! One signed-in account: its session, its uploads page and where its tokens are kept.
    struct Account
    {
        std::unique_ptr<Session> session;
        QWidget *page = nullptr;
        QHBoxLayout *header = nullptr; //!< where the switcher goes while it is shown
        UploadManagerWidget *uploads = nullptr;
        QPushButton *roomButton = nullptr;
        QLabel *keychainNotice = nullptr;
        QAction *editMessageText = nullptr; //!< the row's "Name and Caption…"
        //! Where renewed tokens are kept (invalid for a token from the environment), and with
        //! which device ID.
        CredentialAccount tokenAccount;
        QString deviceId;
        QString roomId; //!< the room of the settings for this account
        QString roomName;
        //! The server refused its token: shown, it asks to be signed in again.
        bool tokenRejected = false;
    };

    void showSignIn(const QString &banner = {});
    //! Restores the saved accounts from index \a next on, one at a time, then shows \a active;
    //! \a activeProblem: \a active could not be restored (with what the keychain said), its
    //! sign-in page is shown at the end.
    void restoreAccounts(QList<SavedAccount> accounts, int next, const SavedAccount &active,
        const std::optional<QString> &activeProblem = std::nullopt);
    Account *openSession(const QUrl &homeserver, const Credentials &credentials,
        const QString &userId, const SavedAccount &saved = {});
    //! Shows \a account; \a remember: it is the active one at the next start.
    void activate(Account *account, bool remember = true);
    //! Ends the account's session here (its unfinished uploads keep their resume records).
    void dropSession(Account *account);
    Account *findAccount(const QUrl &homeserver, const QString &userId) const;
    Account *accountOf(const Session *session) const;
    //! The session whose manager has \a job.
    Session *sessionOf(const UploadJob *job) const;
    //! The settings with the account's own room.
    AppSettings settingsFor(const Account *account) const;
    //! Writes the list of accounts (not a token) to the settings.
    void saveAccounts() const;
    void updateSwitcher();
    void fillAccountMenu();
    void keepToken(const CredentialAccount &account, const Credentials &credentials);
    //! The server refused the token and it could not be renewed: the sign-in page, while the
    //! session's uploads wait (UploadJob::State::WaitingForToken).
    void askToSignInAgain();
    //! A sign-in that continues the session: the new tokens go to its MediaApi.
    bool continueSession(const QUrl &homeserver, const LoginResult &login);
    void setRoom(const QString &roomId, const QString &name);
    //! The room button, with "(encrypted)" once the poster knows the room is.
    void updateRoomButton();
    //! The app has no Megolm: the message for an encrypted room is refused, with the content
    //! to copy or another room to post it to.
    void refuseEncryptedPost(UploadJob *job, const QString &roomId, const QJsonObject &content);
    //! "Post after the upload completes": the files just added get the name-and-caption sheet
    //! before their messages go; their posts are held until it closes.
    void askForMessageText(UploadJob *job);
    //! Opens the name-and-caption sheet for \a jobIds (holding their posts) unless one is open.
    void editMessageTexts(const QStringList &jobIds);
    void setupTray();

    QNetworkAccessManager *m_nam;
    CredentialStore *m_credentials;
    AppSettings m_settings;
    QString m_roomOverride; //!< --room
    QStackedWidget *m_pages;
    SignInPage *m_signIn;
    QComboBox *m_switcher;
    QMenu *m_accountMenu = nullptr;
    std::vector<std::unique_ptr<Account>> m_accounts;
    Account *m_active = nullptr; //!< the account shown
    Account *m_overrideFor = nullptr; //!< the account --room is for (the first one)
    // The account shown's:
    Session *m_session = nullptr;
    QWidget *m_uploadsPage = nullptr;
    QPointer<UploadManagerWidget> m_uploads;
    QPushButton *m_roomButton = nullptr;
    QLabel *m_keychainNotice = nullptr;
    TrayStatus *m_trayStatus;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifier *m_notifier;
    LauncherEntry *m_launcher;
    QPointer<AboutDialog> m_about;
    QPointer<HistoryWindow> m_history;
    bool m_signInAgain = false; //!< the sign-in page asks for a new token for this session
    QStringList m_pending; //!< files given before sign-in
    SettingsDialog::RoomChooser m_roomChooser;
    QPointer<QMessageBox> m_refusal; //!< refuseEncryptedPost()'s box while it is open
    QPointer<QDialog> m_messageSheet; //!< the name-and-caption sheet while it is open
    QStringList m_askText; //!< jobs added for the next sheet (askForMessageText())
    //! The files the open refusal lists, with their event content.
    QList<std::pair<QPointer<UploadJob>, QJsonObject>> m_refused;
};

} // namespace MatrixUpload::App
