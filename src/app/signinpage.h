// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the sign-in page.
#pragma once

#include <matrixupload/api/apicall.h>
#include <matrixupload/api/mediatypes.h>

#include <QPointer>
#include <QWidget>

#include <functional>

class QFormLayout;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace MatrixUpload {
class MatrixError;
class MediaApi;
} // namespace MatrixUpload

namespace MatrixUpload::App {

class SsoRedirectListener;

//! Password sign-in: a user ID (@alice:example.org, whose server part is looked up through
//! .well-known) or a user name with a homeserver, and the password. Errors say what went wrong
//! in words: an unknown server, a server that does not answer, a wrong password.
//!
//! Single sign-on (spec "SSO client login"): once the server is known (the homeserver or user ID
//! field is left, or setHomeserver()), lookUpSignInMethods() asks it for its login flows; where
//! it offers `m.login.sso`, one "Sign in with NAME" button per identity provider (or one generic
//! button) appears beside the password form, which hides where the server has no password login.
//! A click listens on the loopback interface (SsoRedirectListener), opens the server's SSO page
//! in the browser (setUrlOpener(); QDesktopServices::openUrl() by default) and, when the browser
//! comes back with a login token, signs in with it; Cancel and a timeout end the wait.
//! Both kinds of sign-in name the device "Matrix Uploader on HOST".
//!
//! Object names: userId, homeserver, password, signInButton, errorLabel, keychainBanner,
//! ssoButtons (the box of SSO buttons, each with the property idpId), cancelButton, backButton.
class SignInPage : public QWidget
{
    Q_OBJECT
public:
    //! Opens a URL in the user's browser; false when it could not.
    using UrlOpener = std::function<bool(const QUrl &)>;

    explicit SignInPage(QNetworkAccessManager *nam, QWidget *parent = nullptr);
    ~SignInPage() override;

    //! Replaces how the SSO page is opened (tests: a function that does what a browser does).
    void setUrlOpener(UrlOpener opener);
    //! How long to wait for the browser to come back; 5 minutes by default.
    void setSsoTimeout(int ms);
    //! The single sign-on's loopback listener (tests: its port and state).
    SsoRedirectListener *ssoListener() const;

    void setUserId(const QString &userId);
    void setHomeserver(const QString &homeserver);
    //! A note above the form, e.g. that no keychain is available and what to do instead;
    //! empty hides it.
    void setBanner(const QString &text);
    //! Shows the Back button (an account is signed in already: back to it), or hides it.
    void setBackVisible(bool visible);
    QString errorText() const;
    bool isBusy() const;

public Q_SLOTS:
    void signIn();
    //! Asks the server named by the homeserver field (else the user ID's server part) how it
    //! signs in, and shows the SSO buttons it offers. Quiet about errors: the password sign-in
    //! says them.
    void lookUpSignInMethods();
    //! Single sign-on with the identity provider \a idpId (empty: the server's choice).
    void signInWithSso(const QString &idpId = {});
    //! Ends a single sign-on that waits for the browser.
    void cancelSso();

Q_SIGNALS:
    //! The server accepted the password. \a homeserver is the base URL to use from now on.
    void signedIn(const QUrl &homeserver, const MatrixUpload::LoginResult &login);
    //! A sign-in attempt ended with an error (errorText() says which).
    void failed();
    //! lookUpSignInMethods() got the server's answer; the SSO buttons (if any) are shown.
    void signInMethodsKnown(const MatrixUpload::LoginFlows &flows);
    //! The Back button was pressed: no sign-in after all.
    void backRequested();

private:
    void setBusy(bool busy, const QString &status = {});
    void showError(const QString &message);
    void login(const QUrl &base, const QString &user, const QString &password);
    void loginWithToken(const QUrl &base, const QString &token);
    void finishLogin(const QUrl &base, ApiCall<LoginResult> *call, bool sso);
    void showSignInMethods(const QUrl &base, const LoginFlows &flows);
    static QString describeServerError(const QString &server, const MatrixError &error);

    std::unique_ptr<MediaApi> m_api;
    std::unique_ptr<MediaApi> m_lookupApi; // asks for the login flows
    QLineEdit *m_user;
    QLineEdit *m_homeserver;
    QLineEdit *m_password;
    QPushButton *m_signIn;
    QLabel *m_banner;
    QLabel *m_error;
    QLabel *m_status;
    QFormLayout *m_form;
    QWidget *m_ssoButtons;
    QPushButton *m_cancel;
    QPushButton *m_back;
    SsoRedirectListener *m_listener;
    UrlOpener m_openUrl;
    int m_ssoTimeoutMs = 5 * 60 * 1000;
    bool m_busy = false;
    QUrl m_ssoBase; //!< the server the SSO buttons are for
    QUrl m_ssoPending; //!< the server of the single sign-on that waits for the browser
    QString m_lookedUp; //!< what the shown sign-in methods were looked up for
    QPointer<ApiCallBase> m_call;
    QPointer<ApiCallBase> m_lookup;
};

} // namespace MatrixUpload::App
