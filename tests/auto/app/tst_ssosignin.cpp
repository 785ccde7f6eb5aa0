// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader, single sign-on end to end: the sign-in page against the test server, whose
// identity provider approves at once, with the "open in the browser" hook replaced by what a
// browser does (a GET that follows the server's 302 to the app's loopback listener). Real HTTP
// everywhere. Also: forged callbacks, a reused login token, cancel, the timeout, a server
// without SSO, and the device display name of both sign-ins.
#include "devicename.h"
#include "mainwindow.h"
#include "session.h"
#include "signinpage.h"
#include "ssoredirectlistener.h"
#include "uploadbench.h"

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/credentials.h>

#include <QApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::App;
using namespace MatrixUpload::Testing;

class tst_SsoSignIn : public QObject, public UploadBench
{
    Q_OBJECT

    std::unique_ptr<KeychainCredentialStore> m_keychain;
    QNetworkAccessManager m_browserNam; // the "browser": no cookies or tokens of the app's
    QList<QUrl> m_opened; // what the page asked the browser to open

    struct Page
    {
        int status = 0;
        QByteArray body;
        QUrl url; // where the redirects ended
    };

    //! What a browser does with \a url: GET it, following redirects (Qt's default policy).
    Page browse(const QUrl &url)
    {
        std::unique_ptr<QNetworkReply> reply(m_browserNam.get(QNetworkRequest(url)));
        QSignalSpy done(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(10000))
            return {};
        return { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            reply->readAll(), reply->url() };
    }

    //! The loopback redirect URL inside the SSO URL the page opened.
    static QUrl redirectUrlOf(const QUrl &opened)
    {
        return QUrl(QUrlQuery(opened).queryItemValue(u"redirectUrl"_s, QUrl::FullyDecoded));
    }

    //! Whether a TCP connection to \a port on 127.0.0.1 is refused.
    static bool refusesConnections(quint16 port)
    {
        QTcpSocket socket;
        QSignalSpy error(&socket, &QTcpSocket::errorOccurred);
        QSignalSpy connected(&socket, &QTcpSocket::connected);
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!error.wait(5000) && connected.isEmpty())
            return false;
        return connected.isEmpty() && socket.error() == QAbstractSocket::ConnectionRefusedError;
    }

    //! A window showing its sign-in page with the homeserver typed in and its sign-in methods
    //! looked up; the browser hook records what it is asked to open.
    std::unique_ptr<MainWindow> signInWindow()
    {
        auto window = std::make_unique<MainWindow>(&m_nam, m_keychain.get());
        window->start();
        SignInPage *page = window->signInPage();
        page->setUrlOpener([this](const QUrl &url) {
            m_opened.append(url);
            return true;
        });
        QSignalSpy known(page, &SignInPage::signInMethodsKnown);
        auto *homeserver = page->findChild<QLineEdit *>(u"homeserver"_s);
        homeserver->setText(m_server->baseUrl().toString());
        Q_EMIT homeserver->editingFinished(); // as when the field is left
        if (!known.wait(10000))
            qWarning("the sign-in methods were not looked up");
        return window;
    }

    static QPushButton *ssoButton(SignInPage *page)
    {
        auto *box = page->findChild<QWidget *>(u"ssoButtons"_s);
        const auto buttons
            = box ? box->findChildren<QPushButton *>(u"ssoButton"_s) : QList<QPushButton *>();
        return buttons.size() == 1 ? buttons.first() : nullptr;
    }

    //! Sends \a request to 127.0.0.1:\a port as it is and gives the answer's status line.
    static QByteArray rawStatusLine(quint16 port, const QByteArray &request)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(5000))
            return "no connection";
        socket.write(request);
        QByteArray answer;
        QSignalSpy closed(&socket, &QTcpSocket::disconnected);
        while (socket.state() == QAbstractSocket::ConnectedState && closed.wait(5000)) { }
        answer = socket.readAll();
        return answer.left(answer.indexOf("\r\n"));
    }

    QJsonObject lastDevice() const { return m_server->devices().last().toObject(); }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("MU_PRIVATE_KEYRING"))
            QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh (ctest runs it so)");
        m_keychain = std::make_unique<KeychainCredentialStore>(u"Matrix Uploader test"_s);
    }

    void init()
    {
        QSettings().clear();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
        m_opened.clear();
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        startServer(config); // SSO on, signing in alice
    }

    void cleanup() { finishUploadTest(nullptr); }

    void theListenerTakesOnlyItsCallback()
    {
        SsoRedirectListener listener;
        QSignalSpy token(&listener, &SsoRedirectListener::tokenReceived);
        QSignalSpy refused(&listener, &SsoRedirectListener::refused);
        const QUrl back = listener.listen(60000);
        QVERIFY(back.isValid());
        QCOMPARE(back.host(), u"127.0.0.1"_s);
        // Bound to loopback alone: nothing on the network can reach the sign-in's callback.
        QCOMPARE(listener.address(), QHostAddress(QHostAddress::LocalHost));
        QVERIFY(back.path().startsWith(u"/sso/"_s));
        QVERIFY(back.path().size() > 30); // the state: 192 random bits
        const quint16 port = listener.port();
        const QByteArray path = back.path().toLatin1();
        QCOMPARE(rawStatusLine(port, "garbage\r\n\r\n"), "HTTP/1.1 400 Bad Request");
        QCOMPARE(rawStatusLine(port, "POST " + path + "?loginToken=t HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 405 Method Not Allowed");
        QCOMPARE(rawStatusLine(port, "GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 404 Not Found");
        QCOMPARE(rawStatusLine(port, "GET " + path + " HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 400 Bad Request"); // the state, but no token
        QCOMPARE(rawStatusLine(port, "GET " + path + "x?loginToken=t HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 403 Forbidden");
        QCOMPARE(refused.count(), 1);
        QCOMPARE(token.count(), 0);
        QVERIFY(listener.isListening());
        QCOMPARE(rawStatusLine(port, "GET " + path + "?loginToken=a%2Bb HTTP/1.1\r\n\r\n"),
            "HTTP/1.1 200 OK");
        QCOMPARE(token.count(), 1);
        QCOMPARE(token.first().first().toString(), u"a+b"_s);
        QVERIFY(!listener.isListening());
        // Every attempt gets a state of its own.
        const QUrl next = listener.listen(60000);
        QVERIFY(next.isValid());
        QVERIFY(next.path() != back.path());
        listener.stop();
        QVERIFY(!listener.isListening());
    }

    void signInWithSso()
    {
        auto window = signInWindow();
        SignInPage *page = window->signInPage();
        QPushButton *button = ssoButton(page);
        QVERIFY(button);
        QVERIFY(button->isVisibleTo(window.get()));
        QCOMPARE(button->text(), u"Sign in with Test Identity Provider"_s);
        QCOMPARE(button->property("idpId").toString(), u"test-idp"_s);

        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(m_opened.size(), 1);
        const QUrl opened = m_opened.first();
        QCOMPARE(opened.path(), u"/_matrix/client/v3/login/sso/redirect/test-idp"_s);
        SsoRedirectListener *listener = page->ssoListener();
        QVERIFY(listener->isListening());
        const QUrl back = redirectUrlOf(opened);
        QCOMPARE(back.host(), u"127.0.0.1"_s);
        QCOMPARE(back.port(), int(listener->port()));
        QVERIFY(page->isBusy());
        QVERIFY(page->findChild<QPushButton *>(u"cancelButton"_s)->isVisibleTo(window.get()));

        // Callbacks without the state are refused and change nothing: no path, a guessed one.
        QSignalSpy refused(listener, &SsoRedirectListener::refused);
        QUrl forged = back;
        forged.setPath(u"/"_s);
        forged.setQuery(u"loginToken=forged"_s);
        QCOMPARE(browse(forged).status, 403);
        forged.setPath(u"/sso/guessed"_s);
        QCOMPARE(browse(forged).status, 403);
        QCOMPARE(refused.count(), 2);
        QVERIFY(listener->isListening());
        QVERIFY(!window->isSignedIn());

        // The browser: the server's IdP approves at once and sends it back to the app.
        QSignalSpy in(window.get(), &MainWindow::signedIn);
        const Page done = browse(opened);
        QCOMPARE(done.status, 200);
        QVERIFY2(done.body.contains("You can close this tab"), done.body.constData());
        QCOMPARE(done.url.port(), back.port());
        QTRY_COMPARE_WITH_TIMEOUT(in.count(), 1, 10000); // may have come during browse()
        QVERIFY(window->isSignedIn());
        QCOMPARE(window->session()->userId(), u"@alice:localhost"_s);

        // The token is in the keychain and nowhere else, as after a password sign-in.
        const QString token = window->session()->api()->accessToken();
        QVERIFY(!token.isEmpty());
        auto *load = m_keychain->load({ m_server->baseUrl(), u"@alice:localhost"_s });
        QSignalSpy loaded(load, &CredentialJob::finished);
        QVERIFY(load->isFinished() || loaded.wait(10000));
        QVERIFY2(!load->error(), qPrintable(load->error() ? load->error()->message() : QString()));
        QCOMPARE(load->credentials().accessToken, token);
        delete load;
        QFile settingsFile(QSettings().fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains(token.toUtf8()));

        // The device is named, and the listener is gone.
        QCOMPARE(lastDevice().value(u"login_type"_s).toString(), u"m.login.token"_s);
        QCOMPARE(lastDevice().value(u"display_name"_s).toString(), programDeviceDisplayName());
        QCOMPARE(
            programDeviceDisplayName(), u"Matrix Uploader on "_s + QSysInfo::machineHostName());
        QVERIFY(!listener->isListening());
        QVERIFY(refusesConnections(back.port()));

        // The login token the browser brought back works once only.
        const QString used
            = QUrlQuery(done.url).queryItemValue(u"loginToken"_s, QUrl::FullyDecoded);
        QVERIFY(!used.isEmpty());
        MediaApi api(&m_nam);
        api.setHomeserver(m_server->baseUrl());
        auto *again = api.loginWithToken(used);
        QSignalSpy answered(again, &ApiCallBase::finished);
        QVERIFY(again->isFinished() || answered.wait(10000));
        QCOMPARE(again->result().error().httpStatus(), 403);
        QCOMPARE(again->result().error().errcode(), u"M_FORBIDDEN"_s);
        delete again;
    }

    void aReusedLoginTokenIsRefused()
    {
        // A first sign-in spends its token at the server.
        QString spent;
        {
            auto first = signInWindow();
            QTest::mouseClick(ssoButton(first->signInPage()), Qt::LeftButton);
            QSignalSpy in(first.get(), &MainWindow::signedIn);
            const Page done = browse(m_opened.takeFirst());
            QTRY_COMPARE_WITH_TIMEOUT(in.count(), 1, 10000);
            spent = QUrlQuery(done.url).queryItemValue(u"loginToken"_s, QUrl::FullyDecoded);
        }
        QSettings().clear();
        // The next sign-in's callback carries the right state but that spent token (a replayed
        // URL): the server refuses it and the page says so.
        auto window = signInWindow();
        SignInPage *page = window->signInPage();
        QTest::mouseClick(ssoButton(page), Qt::LeftButton);
        QUrl replay = redirectUrlOf(m_opened.takeFirst());
        replay.setQuery(u"loginToken="_s + spent);
        QSignalSpy failed(page, &SignInPage::failed);
        QCOMPARE(browse(replay).status, 200); // the listener takes it; the server decides
        // (The answer may have come while browse() waited.)
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY2(page->errorText().contains(u"used already"_s), qPrintable(page->errorText()));
        QVERIFY(!window->isSignedIn());
        QVERIFY(!page->isBusy());
    }

    void cancelStopsListening()
    {
        auto window = signInWindow();
        SignInPage *page = window->signInPage();
        QTest::mouseClick(ssoButton(page), Qt::LeftButton);
        SsoRedirectListener *listener = page->ssoListener();
        QVERIFY(listener->isListening());
        const quint16 port = listener->port();
        QVERIFY(!refusesConnections(port));
        auto *cancel = page->findChild<QPushButton *>(u"cancelButton"_s);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!listener->isListening());
        QVERIFY(refusesConnections(port));
        QVERIFY(!page->isBusy());
        QVERIFY(!cancel->isVisibleTo(window.get()));
        QVERIFY(page->findChild<QPushButton *>(u"signInButton"_s)->isEnabled());
        // Coming back late gets nowhere: the browser finds no one listening.
        const Page late = browse(m_opened.first());
        QVERIFY(late.status != 200);
        QVERIFY(!window->isSignedIn());
    }

    void aBrowserThatNeverComesBackTimesOut()
    {
        auto window = signInWindow();
        SignInPage *page = window->signInPage();
        page->setSsoTimeout(100);
        QSignalSpy failed(page, &SignInPage::failed);
        QTest::mouseClick(ssoButton(page), Qt::LeftButton);
        QVERIFY(failed.wait(10000));
        QVERIFY2(page->errorText().contains(u"did not come back in time"_s),
            qPrintable(page->errorText()));
        QVERIFY(!page->ssoListener()->isListening());
        QVERIFY(!page->isBusy());
    }

    void noBrowserSaysSo()
    {
        auto window = signInWindow();
        SignInPage *page = window->signInPage();
        page->setUrlOpener([](const QUrl &) { return false; });
        QTest::mouseClick(ssoButton(page), Qt::LeftButton);
        QVERIFY2(page->errorText().contains(u"No web browser"_s), qPrintable(page->errorText()));
        QVERIFY(!page->ssoListener()->isListening());
    }

    void aPasswordOnlyServerOffersNoSso()
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.sso = false;
        startServer(config);
        auto window = signInWindow();
        SignInPage *page = window->signInPage();
        QVERIFY(!ssoButton(page));
        QVERIFY(!page->findChild<QWidget *>(u"ssoButtons"_s)->isVisibleTo(window.get()));
        QVERIFY(page->findChild<QLineEdit *>(u"password"_s)->isVisibleTo(window.get()));

        // The password sign-in names the device too.
        page->findChild<QLineEdit *>(u"userId"_s)->setText(u"alice"_s);
        page->findChild<QLineEdit *>(u"password"_s)->setText(u"secret"_s);
        QSignalSpy in(window.get(), &MainWindow::signedIn);
        QTest::mouseClick(page->findChild<QPushButton *>(u"signInButton"_s), Qt::LeftButton);
        QVERIFY(in.wait(10000));
        QCOMPARE(lastDevice().value(u"login_type"_s).toString(), u"m.login.password"_s);
        QCOMPARE(lastDevice().value(u"display_name"_s).toString(),
            u"Matrix Uploader on "_s + QSysInfo::machineHostName());
    }
};

QTEST_MAIN(tst_SsoSignIn)
#include "tst_ssosignin.moc"
