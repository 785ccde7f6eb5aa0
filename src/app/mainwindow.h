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
//! Object names: pages, uploadsPage, roomButton, accountLabel, keychainNotice, aboutAction,
//! historyAction.
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

    bool isSignedIn() const { return m_session != nullptr; }
    Session *session() const { return m_session.get(); }
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
    void signOut();

Q_SIGNALS:
    void signedIn();
    void signedOut();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void showSignIn(const QString &banner = {});
    void openSession(const QUrl &homeserver, const Credentials &credentials, const QString &userId);
    //! Ends the session here (its unfinished uploads keep their resume records).
    void dropSession();
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
    void updateHeader();
    void setupTray();
    QWidget *buildUploadsPage();

    QNetworkAccessManager *m_nam;
    CredentialStore *m_credentials;
    AppSettings m_settings;
    QString m_roomOverride; //!< --room
    QStackedWidget *m_pages;
    SignInPage *m_signIn;
    QWidget *m_uploadsPage = nullptr;
    QPointer<UploadManagerWidget> m_uploads;
    QLabel *m_account = nullptr;
    QPushButton *m_roomButton = nullptr;
    QLabel *m_keychainNotice = nullptr;
    TrayStatus *m_trayStatus;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifier *m_notifier;
    LauncherEntry *m_launcher;
    QPointer<AboutDialog> m_about;
    QPointer<HistoryWindow> m_history;
    std::unique_ptr<Session> m_session;
    //! Where renewed tokens are kept (invalid for a token from the environment), and with
    //! which device ID.
    CredentialAccount m_tokenAccount;
    QString m_deviceId;
    bool m_signInAgain = false; //!< the sign-in page asks for a new token for this session
    QStringList m_pending; //!< files given before sign-in
    SettingsDialog::RoomChooser m_roomChooser;
    QPointer<QMessageBox> m_refusal; //!< refuseEncryptedPost()'s box while it is open
    QPointer<QDialog> m_messageSheet; //!< the name-and-caption sheet while it is open
    QStringList m_askText; //!< jobs added for the next sheet (askForMessageText())
    QAction *m_editMessageText = nullptr; //!< the row's "Name and Caption…"
    //! The files the open refusal lists, with their event content.
    QList<std::pair<QPointer<UploadJob>, QJsonObject>> m_refused;
};

} // namespace MatrixUpload::App
