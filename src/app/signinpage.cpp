// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "signinpage.h"

#include <matrixupload/api/mediaapi.h>

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
    , m_user(new QLineEdit(this))
    , m_homeserver(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_signIn(new QPushButton(tr("Sign in"), this))
    , m_banner(new QLabel(this))
    , m_error(new QLabel(this))
    , m_status(new QLabel(this))
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
    auto *form = new QFormLayout;
    form->addRow(tr("&User ID:"), m_user);
    form->addRow(tr("Home&server:"), m_homeserver);
    form->addRow(tr("&Password:"), m_password);

    auto *box = new QWidget(this);
    box->setMaximumWidth(480);
    auto *inner = new QVBoxLayout(box);
    inner->addWidget(title);
    inner->addWidget(m_banner);
    inner->addLayout(form);
    inner->addWidget(m_error);
    inner->addWidget(m_status);
    inner->addWidget(m_signIn, 0, Qt::AlignRight);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch();
    outer->addWidget(box, 0, Qt::AlignHCenter);
    outer->addStretch(2);

    connect(m_signIn, &QPushButton::clicked, this, &SignInPage::signIn);
    connect(m_password, &QLineEdit::returnPressed, this, &SignInPage::signIn);
    setTabOrder(m_user, m_homeserver);
    setTabOrder(m_homeserver, m_password);
    setTabOrder(m_password, m_signIn);
}

SignInPage::~SignInPage()
{
    // abort() answers at once: not into this half-destroyed page.
    if (m_call) {
        m_call->disconnect(this);
        m_call->abort();
    }
}

void SignInPage::setUserId(const QString &userId)
{
    m_user->setText(userId);
}

void SignInPage::setHomeserver(const QString &homeserver)
{
    m_homeserver->setText(homeserver);
}

void SignInPage::setBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

QString SignInPage::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool SignInPage::isBusy() const
{
    return !m_signIn->isEnabled();
}

void SignInPage::setBusy(bool busy, const QString &status)
{
    m_signIn->setEnabled(!busy);
    m_user->setEnabled(!busy);
    m_homeserver->setEnabled(!busy);
    m_password->setEnabled(!busy);
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
    m_api->setHomeserver(base);
    // Spec v1.3: where tokens expire, the session renews them (kept in the keychain).
    m_api->setRequestRefreshToken(true);
    auto *call = m_api->loginWithPassword(user, password);
    m_call = call;
    call->then(this, [this, base](const ApiResult<LoginResult> &login) {
        if (!login) {
            const MatrixError &e = login.error();
            if (e.httpStatus() == 403)
                return showError(tr("Wrong user ID or password."));
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

} // namespace MatrixUpload::App
