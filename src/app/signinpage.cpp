// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "signinpage.h"

#include "devicename.h"
#include "ssoredirectlistener.h"

#include <matrixupload/api/mediaapi.h>

#include <QDesktopServices>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

SignInPage::SignInPage(QNetworkAccessManager *nam, QWidget *parent)
    : QWidget(parent)
    , m_api(std::make_unique<MediaApi>(nam))
    , m_lookupApi(std::make_unique<MediaApi>(nam))
    , m_user(new QLineEdit(this))
    , m_homeserver(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_signIn(new QPushButton(tr("Sign in"), this))
    , m_banner(new QLabel(this))
    , m_error(new QLabel(this))
    , m_status(new QLabel(this))
    , m_form(new QFormLayout)
    , m_ssoButtons(new QWidget(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_back(new QPushButton(tr("Back"), this))
    , m_listener(new SsoRedirectListener(this))
    , m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    m_user->setObjectName(u"userId"_s);
    m_user->setPlaceholderText(tr("@alice:example.org"));
    m_homeserver->setObjectName(u"homeserver"_s);
    m_homeserver->setPlaceholderText(tr("Found from your user ID, or e.g. matrix.example.org"));
    m_password->setObjectName(u"password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_signIn->setObjectName(u"signInButton"_s);
    m_signIn->setDefault(true);
    m_banner->setObjectName(u"keychainBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setMargin(8);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    m_error->setObjectName(u"errorLabel"_s);
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_error->setPalette(errorPalette);
    m_error->hide();
    m_status->setObjectName(u"statusLabel"_s);

    auto *title = new QLabel(tr("<h2>Sign in to Matrix</h2>"), this);
    m_form->addRow(tr("&User ID:"), m_user);
    m_form->addRow(tr("Home&server:"), m_homeserver);
    m_form->addRow(tr("&Password:"), m_password);
    m_ssoButtons->setObjectName(u"ssoButtons"_s);
    auto *ssoLayout = new QVBoxLayout(m_ssoButtons);
    ssoLayout->setContentsMargins(0, 0, 0, 0);
    m_ssoButtons->hide();
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->hide();
    m_back->setObjectName(u"backButton"_s);
    m_back->setToolTip(tr("Back to the account signed in already"));
    m_back->hide();

    auto *box = new QWidget(this);
    box->setMaximumWidth(480);
    auto *inner = new QVBoxLayout(box);
    inner->addWidget(title);
    inner->addWidget(m_banner);
    inner->addLayout(m_form);
    inner->addWidget(m_error);
    inner->addWidget(m_status);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch();
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_signIn);
    inner->addLayout(buttons);
    inner->addWidget(m_ssoButtons);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch();
    outer->addWidget(box, 0, Qt::AlignHCenter);
    outer->addStretch(2);

    connect(m_signIn, &QPushButton::clicked, this, &SignInPage::signIn);
    connect(m_password, &QLineEdit::returnPressed, this, &SignInPage::signIn);
    connect(m_homeserver, &QLineEdit::editingFinished, this, &SignInPage::lookUpSignInMethods);
    connect(m_user, &QLineEdit::editingFinished, this, [this] {
        if (m_homeserver->text().trimmed().isEmpty())
            lookUpSignInMethods();
    });
    connect(m_cancel, &QPushButton::clicked, this, &SignInPage::cancelSso);
    connect(m_back, &QPushButton::clicked, this, [this] {
        cancelSso();
        Q_EMIT backRequested();
    });
    connect(m_listener, &SsoRedirectListener::tokenReceived, this, [this](const QString &token) {
        m_cancel->hide();
        loginWithToken(m_ssoPending, token);
    });
    connect(m_listener, &SsoRedirectListener::timedOut, this, [this] {
        m_cancel->hide();
        showError(tr("The browser did not come back in time, so the single sign-on was "
                     "stopped. Try again, and finish signing in there."));
    });
    setTabOrder(m_user, m_homeserver);
    setTabOrder(m_homeserver, m_password);
    setTabOrder(m_password, m_signIn);
}

SignInPage::~SignInPage()
{
    // abort() answers at once: not into this half-destroyed page.
    for (const QPointer<ApiCallBase> &call : { m_call, m_lookup }) {
        if (call) {
            call->disconnect(this);
            call->abort();
        }
    }
}

void SignInPage::setUrlOpener(UrlOpener opener)
{
    m_openUrl = std::move(opener);
}

void SignInPage::setSsoTimeout(int ms)
{
    m_ssoTimeoutMs = ms;
}

SsoRedirectListener *SignInPage::ssoListener() const
{
    return m_listener;
}

void SignInPage::setUserId(const QString &userId)
{
    m_user->setText(userId);
}

void SignInPage::setHomeserver(const QString &homeserver)
{
    m_homeserver->setText(homeserver);
    if (!homeserver.isEmpty())
        lookUpSignInMethods();
}

void SignInPage::setBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

void SignInPage::setBackVisible(bool visible)
{
    m_back->setVisible(visible);
}

QString SignInPage::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool SignInPage::isBusy() const
{
    return m_busy;
}

void SignInPage::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    m_signIn->setEnabled(!busy);
    m_user->setEnabled(!busy);
    m_homeserver->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_ssoButtons->setEnabled(!busy);
    if (!busy)
        m_back->setEnabled(true);
    m_status->setText(status);
}

void SignInPage::showError(const QString &message)
{
    setBusy(false);
    m_error->setText(message);
    m_error->show();
    m_password->setFocus();
    Q_EMIT failed();
}

QString SignInPage::describeServerError(const QString &server, const MatrixError &error)
{
    if (error.kind() == MatrixError::Kind::Transport) {
        switch (error.networkError()) {
        case QNetworkReply::HostNotFoundError:
            return tr("Unknown server: %1 cannot be found. Check the spelling of the user ID or "
                      "the homeserver.")
                .arg(server);
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
            return tr("%1 does not answer: the server may be down, or you are offline (%2).")
                .arg(server, error.message());
        case QNetworkReply::SslHandshakeFailedError:
            return tr("%1 cannot be trusted: its certificate is not valid (%2).")
                .arg(server, error.message());
        default:
            break;
        }
        return tr("Cannot reach %1: %2").arg(server, error.message());
    }
    if (error.httpStatus() >= 500)
        return tr("%1 has a problem right now (%2). Try again later.")
            .arg(server, error.toString());
    return tr("%1 is not a Matrix server, or not one this app can use (%2).")
        .arg(server, error.toString());
}

void SignInPage::signIn()
{
    if (isBusy())
        return;
    m_error->hide();
    QString user = m_user->text().trimmed();
    const QString password = m_password->text();
    QString server = m_homeserver->text().trimmed();
    if (user.isEmpty() || password.isEmpty())
        return showError(tr("Enter your user ID and password."));
    if (server.isEmpty()) {
        const qsizetype colon = user.indexOf(u':');
        if (!user.startsWith(u'@') || colon < 2 || colon == user.size() - 1)
            return showError(tr("Enter your full user ID (@name:server), or the homeserver."));
        server = user.mid(colon + 1);
    }
    setBusy(true, tr("Looking up %1…").arg(server));
    auto *call = m_api->discover(server);
    m_call = call;
    call->then(this, [this, server, user, password](const ApiResult<DiscoveryResult> &found) {
        if (!found)
            return showError(describeServerError(server, found.error()));
        login(found->baseUrl, user, password);
    });
}

void SignInPage::login(const QUrl &base, const QString &user, const QString &password)
{
    setBusy(true, tr("Signing in to %1…").arg(base.host()));
    m_back->setEnabled(false); // a login under way ends in an account, or an error
    m_api->setHomeserver(base);
    // Spec v1.3: where tokens expire, the session renews them (kept in the keychain).
    m_api->setRequestRefreshToken(true);
    finishLogin(
        base, m_api->loginWithPassword(user, password, {}, programDeviceDisplayName()), false);
}

void SignInPage::loginWithToken(const QUrl &base, const QString &token)
{
    setBusy(true, tr("Signing in to %1…").arg(base.host()));
    m_back->setEnabled(false);
    m_api->setHomeserver(base);
    m_api->setRequestRefreshToken(true);
    finishLogin(base, m_api->loginWithToken(token, programDeviceDisplayName()), true);
}

void SignInPage::finishLogin(const QUrl &base, ApiCall<LoginResult> *call, bool sso)
{
    m_call = call;
    call->then(this, [this, base, sso](const ApiResult<LoginResult> &login) {
        if (!login) {
            const MatrixError &e = login.error();
            if (e.httpStatus() == 403)
                return showError(sso ? tr("The server refused the single sign-on: its sign-in "
                                          "link was used already or has expired. Try again.")
                                     : tr("Wrong user ID or password."));
            if (e.httpStatus() == 429)
                return showError(tr("Too many sign-in attempts: wait a moment and try again."));
            if (e.kind() == MatrixError::Kind::Transport || e.httpStatus() >= 500)
                return showError(describeServerError(base.host(), e));
            return showError(tr("The server refused the sign-in: %1").arg(e.toString()));
        }
        setBusy(false, tr("Signed in."));
        m_password->clear();
        // The page's API client was only for this: the session makes its own.
        m_api->setAccessToken({});
        m_api->setRefreshToken({});
        const QUrl use = login->wellKnownBaseUrl.isValid() ? login->wellKnownBaseUrl : base;
        Q_EMIT signedIn(use, *login);
    });
}

void SignInPage::lookUpSignInMethods()
{
    QString server = m_homeserver->text().trimmed();
    if (server.isEmpty()) {
        const QString user = m_user->text().trimmed();
        const qsizetype colon = user.indexOf(u':');
        if (user.startsWith(u'@') && colon >= 2 && colon < user.size() - 1)
            server = user.mid(colon + 1);
    }
    if (server == m_lookedUp)
        return;
    m_lookedUp = server;
    showSignInMethods({}, {}); // what was shown belongs to another server
    if (m_lookup) {
        m_lookup->disconnect(this);
        m_lookup->abort();
    }
    if (server.isEmpty())
        return;
    // Its own client: the page's one may be signing in at another server meanwhile.
    auto *call = m_lookupApi->discover(server);
    m_lookup = call;
    call->then(this, [this](const ApiResult<DiscoveryResult> &found) {
        if (!found) {
            m_lookedUp.clear(); // try again when the field is left again
            return;
        }
        m_lookupApi->setHomeserver(found->baseUrl);
        auto *flows = m_lookupApi->loginFlows();
        m_lookup = flows;
        flows->then(this, [this, base = found->baseUrl](const ApiResult<LoginFlows> &flows) {
            if (!flows) {
                m_lookedUp.clear();
                return;
            }
            showSignInMethods(base, *flows);
            Q_EMIT signInMethodsKnown(*flows);
        });
    });
}

void SignInPage::showSignInMethods(const QUrl &base, const LoginFlows &flows)
{
    // Later, not now: the look-up may run from the server field's editingFinished, which a press
    // on one of these buttons sends as it takes the focus, before the press reaches the button.
    const auto old = m_ssoButtons->findChildren<QPushButton *>();
    for (QPushButton *button : old) {
        button->hide();
        button->setParent(nullptr);
        button->deleteLater();
    }
    m_ssoBase = flows.hasSso() ? base : QUrl();
    // A server without password login (SSO only) gets no password form.
    const bool password = !flows.hasSso() || flows.hasPassword();
    m_form->setRowVisible(m_password, password);
    m_signIn->setVisible(password);
    m_ssoButtons->setVisible(flows.hasSso());
    if (!flows.hasSso())
        return;
    auto add = [this](const QString &text, const QString &idpId) {
        auto *button = new QPushButton(text, m_ssoButtons);
        button->setObjectName(u"ssoButton"_s);
        button->setProperty("idpId", idpId);
        m_ssoButtons->layout()->addWidget(button);
        connect(button, &QPushButton::clicked, this, [this, idpId] { signInWithSso(idpId); });
    };
    if (flows.identityProviders.isEmpty())
        add(tr("Sign in with single sign-on"), QString());
    for (const IdentityProvider &idp : flows.identityProviders)
        add(tr("Sign in with %1").arg(idp.name), idp.id);
}

void SignInPage::signInWithSso(const QString &idpId)
{
    if (isBusy() || !m_ssoBase.isValid())
        return;
    m_error->hide();
    const QUrl redirect = m_listener->listen(m_ssoTimeoutMs);
    if (!redirect.isValid())
        return showError(
            tr("Cannot wait for the browser to come back: %1").arg(m_listener->errorString()));
    // The server this sign-in is at, whatever another look-up shows meanwhile.
    m_ssoPending = m_ssoBase;
    m_api->setHomeserver(m_ssoPending);
    const QUrl open = m_api->ssoRedirectUrl(redirect, idpId);
    setBusy(true, tr("Continue in your browser: sign in there, then come back here."));
    m_cancel->show();
    if (!m_openUrl(open)) {
        m_listener->stop();
        m_cancel->hide();
        return showError(tr("No web browser could be opened for the single sign-on."));
    }
}

void SignInPage::cancelSso()
{
    if (!m_listener->isListening())
        return;
    m_listener->stop();
    m_cancel->hide();
    setBusy(false, tr("Single sign-on cancelled."));
}

} // namespace MatrixUpload::App
