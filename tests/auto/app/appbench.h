// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// What the app's tests share (tst_app, tst_accounts, tst_history): the app's catalogues, the
// throwaway keychain, a clean slate per test and a window signed in with a token.
#pragma once

#include "mainwindow.h"
#include "programtranslators.h"
#include "signinpage.h"
#include "uploadbench.h"

#include <matrixupload/credentials.h>

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>

#include <memory>

namespace MatrixUpload::Testing {

//! UploadBench with the app's parts; a test class derives from QObject and from this.
class AppBench : public UploadBench
{
protected:
    //! The keychain of the throwaway keyring (tests/run-with-keyring.sh, which ctest runs the
    //! app's tests with); null without it.
    std::unique_ptr<KeychainCredentialStore> m_keychain;

    //! For initTestCase(): English as main() installs it for an English locale (the plural
    //! forms of the catalogues: "1 upload paused", not "1 upload(s) paused"), and the keychain
    //! when the throwaway keyring is there. False when English did not load.
    bool setUpApp()
    {
        if (!installProgramTranslators(*qApp, QLocale(QLocale::English)))
            return false;
        if (!qEnvironmentVariableIsEmpty("MU_PRIVATE_KEYRING"))
            m_keychain
                = std::make_unique<KeychainCredentialStore>(QStringLiteral("Matrix Uploader test"));
        return true;
    }

    //! For init(): no settings and no data of an earlier test.
    static void clearAppState()
    {
        QSettings().clear();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    }

    //! Types \a user, \a homeserver and \a password into the sign-in page \a page.
    static void typeSignIn(App::SignInPage *page, const QString &user, const QString &homeserver,
        const QString &password)
    {
        page->findChild<QLineEdit *>(QStringLiteral("userId"))->setText(user);
        page->findChild<QLineEdit *>(QStringLiteral("homeserver"))->setText(homeserver);
        page->findChild<QLineEdit *>(QStringLiteral("password"))->setText(password);
    }

    //! A window signed in to the test server with the token "TOKEN" (as --homeserver and
    //! MATRIX_ACCESS_TOKEN give it), posting to \a room.
    std::unique_ptr<App::MainWindow> tokenWindow(const QString &room)
    {
        auto window = std::make_unique<App::MainWindow>(&m_nam, m_keychain.get());
        QSignalSpy in(window.get(), &App::MainWindow::signedIn);
        window->start({ m_server->baseUrl(), QStringLiteral("TOKEN"), room, {} });
        if (!window->isSignedIn())
            in.wait(5000);
        return window;
    }
};

} // namespace MatrixUpload::Testing

//! For the initTestCase() of a test class that needs the keychain: AppBench::setUpApp(), and the
//! class skipped, saying why, without the throwaway keyring.
#define SET_UP_APP_WITH_KEYCHAIN()                                                                 \
    do {                                                                                           \
        QVERIFY(setUpApp());                                                                       \
        if (!m_keychain)                                                                           \
            QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh (ctest runs it so)");  \
    } while (false)
