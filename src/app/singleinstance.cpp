// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
QString defaultKey()
{
    // Per user: the home folder tells users apart on every platform.
    const QByteArray home = QDir::homePath().toUtf8();
    return u"matrix-uploader-"_s
        + QString::fromLatin1(
            QCryptographicHash::hash(home, QCryptographicHash::Sha256).toHex().left(12));
}
} // namespace

SingleInstance::SingleInstance(const QString &key, QObject *parent)
    : QObject(parent)
    , m_key(key.isEmpty() ? defaultKey() : key)
{ }

SingleInstance::~SingleInstance() = default;

bool SingleInstance::sendToRunning(const QStringList &files, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_key);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    QByteArray message;
    QDataStream out(&message, QIODevice::WriteOnly);
    out << files;
    socket.write(message);
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    // The first app answers once it took the files: then it is safe to end.
    return socket.waitForReadyRead(timeoutMs) && socket.read(1) == "k";
}

bool SingleInstance::listen()
{
    // Ask first: with access options set, QLocalServer moves its socket into place and would
    // silently replace that of an app that started a moment ago. Nobody answering means the
    // name is free, or left by an app that crashed: then it can go.
    QLocalSocket probe;
    probe.connectToServer(m_key);
    if (probe.waitForConnected(500))
        return false;
    QLocalServer::removeServer(m_key);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_key))
        return false;
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QLocalSocket::readyRead, this, [this, socket, buffer] {
                buffer->append(socket->readAll());
                QDataStream in(*buffer);
                in.startTransaction();
                QStringList files;
                in >> files;
                if (!in.commitTransaction())
                    return; // more to come
                socket->write("k");
                socket->flush();
                Q_EMIT filesReceived(files);
            });
        }
    });
    return true;
}

} // namespace MatrixUpload::App
