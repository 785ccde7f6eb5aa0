// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the sign-in page.
#pragma once

#include <matrixupload/api/mediatypes.h>

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace MatrixUpload {
class ApiCallBase;
class MatrixError;
class MediaApi;
} // namespace MatrixUpload

namespace MatrixUpload::App {

//! Password sign-in: a user ID (@alice:example.org, whose server part is looked up through
//! .well-known) or a user name with a homeserver, and the password. Errors say what went wrong
//! in words: an unknown server, a server that does not answer, a wrong password.
//!
//! Object names: userId, homeserver, password, signInButton, errorLabel, keychainBanner.
class SignInPage : public QWidget
{
    Q_OBJECT
public:
    explicit SignInPage(QNetworkAccessManager *nam, QWidget *parent = nullptr);
    ~SignInPage() override;

    void setUserId(const QString &userId);
    void setHomeserver(const QString &homeserver);
    //! A note above the form, e.g. that no keychain is available and what to do instead;
    //! empty hides it.
    void setBanner(const QString &text);
    QString errorText() const;
    bool isBusy() const;

public Q_SLOTS:
    void signIn();

Q_SIGNALS:
    //! The server accepted the password. \a homeserver is the base URL to use from now on.
    void signedIn(const QUrl &homeserver, const MatrixUpload::LoginResult &login);
    //! A sign-in attempt ended with an error (errorText() says which).
    void failed();

private:
    void setBusy(bool busy, const QString &status = {});
    void showError(const QString &message);
    void login(const QUrl &base, const QString &user, const QString &password);
    static QString describeServerError(const QString &server, const MatrixError &error);

    std::unique_ptr<MediaApi> m_api;
    QLineEdit *m_user;
    QLineEdit *m_homeserver;
    QLineEdit *m_password;
    QPushButton *m_signIn;
    QLabel *m_banner;
    QLabel *m_error;
    QLabel *m_status;
    QPointer<ApiCallBase> m_call;
};

} // namespace MatrixUpload::App
