// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "ssoredirectlistener.h"

#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
// A browser's request head is a few hundred bytes; anything much larger is not one.
constexpr qint64 maxHeadSize = 16 * 1024;
constexpr int maxConnections = 16;
constexpr int connectionLifeMs = 10 * 1000;

QString randomState()
{
    // 24 random bytes (192 bits) as base64url: not guessable by another local program.
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
} // namespace

SsoRedirectListener::SsoRedirectListener(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        stop();
        Q_EMIT timedOut();
    });
    connect(m_server, &QTcpServer::newConnection, this, &SsoRedirectListener::accept);
}

SsoRedirectListener::~SsoRedirectListener() = default;

QUrl SsoRedirectListener::listen(int timeoutMs)
{
    stop();
    m_error.clear();
    // The loopback address only: nothing on the network can reach the port.
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        m_error = m_server->errorString();
        return {};
    }
    m_path = u"/sso/"_s + randomState();
    m_timeout.start(timeoutMs);
    return redirectUrl();
}

void SsoRedirectListener::stop()
{
    m_timeout.stop();
    m_server->close();
    m_path.clear();
    const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets) {
        socket->abort();
        socket->deleteLater();
    }
}

bool SsoRedirectListener::isListening() const
{
    return m_server->isListening();
}

quint16 SsoRedirectListener::port() const
{
    return m_server->isListening() ? m_server->serverPort() : 0;
}

QHostAddress SsoRedirectListener::address() const
{
    return m_server->serverAddress();
}

QUrl SsoRedirectListener::redirectUrl() const
{
    if (!m_server->isListening())
        return {};
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_server->serverPort());
    url.setPath(m_path);
    return url;
}

QString SsoRedirectListener::errorString() const
{
    return m_error;
}

void SsoRedirectListener::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // A browser opens a few connections ahead; a local program could open many and say
        // nothing. Bounded in number and in time: each socket gets a few seconds for its one
        // request and its page.
        if (findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly).size() >= maxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Owned here, not by the server: an answered socket outlives the closed port until its
        // page is written.
        socket->setParent(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        QTimer::singleShot(connectionLifeMs, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
    }
}

void SsoRedirectListener::read(QTcpSocket *socket)
{
    if (socket->property("answered").toBool())
        return;
    // Wait for the whole head (a GET has no body): closing with unread bytes would reset the
    // connection and the browser would show an error instead of the page.
    const QByteArray seen = socket->peek(maxHeadSize + 1);
    const qsizetype end = seen.indexOf("\r\n\r\n");
    if (end < 0) {
        if (seen.size() > maxHeadSize)
            answer(socket, 431, tr("Matrix Uploader"), tr("The request is too large."));
        return;
    }
    const QByteArray head = socket->read(end + 4);
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")
        || !requestLine[1].startsWith('/'))
        return answer(socket, 400, tr("Matrix Uploader"), tr("This is not a request."));
    if (requestLine[0] != "GET")
        return answer(socket, 405, tr("Matrix Uploader"), tr("Only GET is answered here."));
    const QUrl target = QUrl::fromEncoded(requestLine[1], QUrl::StrictMode);
    const QString token = QUrlQuery(target).queryItemValue(u"loginToken"_s, QUrl::FullyDecoded);
    const bool ours = !m_path.isEmpty() && target.path() == m_path;
    if (!ours) {
        // A token without the state: not the sign-in the app started (another page or program
        // guessing the port). Refused, and the real one can still come.
        answer(socket, token.isEmpty() ? 404 : 403, tr("Matrix Uploader"),
            tr("This is not the sign-in Matrix Uploader is waiting for."));
        if (!token.isEmpty())
            Q_EMIT refused();
        return;
    }
    if (token.isEmpty())
        return answer(socket, 400, tr("Sign-in failed"),
            tr("The server sent no login token back. Return to Matrix Uploader and try again."));
    answer(
        socket, 200, tr("Signed in"), tr("You can close this tab and return to Matrix Uploader."));
    // One sign-in per listen(): the port closes now; the socket finishes writing the page, the
    // others (a browser's spare connections) go.
    m_timeout.stop();
    m_server->close();
    m_path.clear();
    const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *other : sockets) {
        if (other != socket && !other->property("answered").toBool()) {
            other->abort();
            other->deleteLater();
        }
    }
    Q_EMIT tokenReceived(token);
}

void SsoRedirectListener::answer(
    QTcpSocket *socket, int status, const QString &title, const QString &text)
{
    socket->setProperty("answered", true);
    const QByteArray page
        = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>"
          "</head><body style=\"font-family: sans-serif; margin: 3em\">"
          "<h1>%1</h1><p>%2</p></body></html>\n"_s.arg(title.toHtmlEscaped(), text.toHtmlEscaped())
              .toUtf8();
    static const QHash<int, QByteArray> reasons { { 200, "OK" }, { 400, "Bad Request" },
        { 403, "Forbidden" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
        { 431, "Request Header Fields Too Large" } };
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasons.value(status)
        + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
        + QByteArray::number(page.size())
        + "\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
        + page;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace MatrixUpload::App
