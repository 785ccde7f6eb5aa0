// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: where the browser comes back to after single sign-on (spec "SSO client
// login"), a one-shot HTTP listener on the loopback interface.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace MatrixUpload::App {

//! Listens on 127.0.0.1 (a random free port) for the one request that ends a single sign-on:
//! the browser, sent back by the homeserver to redirectUrl() with `?loginToken=...`.
//!
//! The redirect URL's path carries a random state (`/sso/STATE`), made new by every listen():
//! a request with a login token but without that state (another page or program on this machine
//! guessing the port) is answered 403, reported with refused() and changes nothing. The first
//! request with the state and a token is answered with a small "you can close this tab" page,
//! then tokenReceived() fires and the listener stops. timedOut() fires when nothing came in
//! time; stop() (cancel) closes the port at once. A tiny own HTTP reader, not QHttpServer: the
//! app does not depend on QtHttpServer, and one GET request line is all there is to read.
class SsoRedirectListener : public QObject
{
    Q_OBJECT
public:
    explicit SsoRedirectListener(QObject *parent = nullptr);
    ~SsoRedirectListener() override;

    //! Starts listening with a new state; stops after \a timeoutMs without the callback. Gives
    //! the redirect URL, or an empty one when no port could be opened (errorString()).
    QUrl listen(int timeoutMs);
    //! Closes the port and forgets the state (cancel); no signal. Connections already accepted
    //! are closed too.
    void stop();
    bool isListening() const;
    //! The port listened on; 0 when not listening.
    quint16 port() const;
    //! The address listened on: the loopback address only, never every interface.
    QHostAddress address() const;
    //! Where the browser is to come back to: http://127.0.0.1:PORT/sso/STATE.
    QUrl redirectUrl() const;
    QString errorString() const;

Q_SIGNALS:
    //! The browser came back with \a loginToken; the listener has stopped.
    void tokenReceived(const QString &loginToken);
    //! A request carried a login token without the right state; it was answered 403.
    void refused();
    //! Nothing came back within the time listen() was given; the listener has stopped.
    void timedOut();

private:
    void accept();
    void read(QTcpSocket *socket);
    void answer(QTcpSocket *socket, int status, const QString &title, const QString &text);

    QTcpServer *m_server = nullptr;
    QTimer m_timeout;
    QString m_path;
    QString m_error;
};

} // namespace MatrixUpload::App
