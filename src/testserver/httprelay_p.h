// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the TCP relay in front of QHttpServer.
//
// QHttpServer (6.4) hands a handler the request only once the whole body is in memory, so the
// faults that act while bytes flow (cut after N bytes, a bandwidth cap, latency) and the request
// size limit live here, where the bytes pass one by one. The relay also records every request
// it sees, answers `Expect: 100-continue` (QHttpServer 6.4 does not), and keeps the connection
// to QHttpServer open until its answers are out, so a handler that answers later never writes
// to a socket whose client has gone.
#pragma once

#include <QHostAddress>
#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <memory>

class QTcpSocket;
class QTimer;

namespace MatrixUpload {

class FaultPlan;

class HttpRelay : public QObject
{
    Q_OBJECT
public:
    //! The header the relay adds to every head it forwards: when the request reached the
    //! server (ms since the epoch), before its body. A client's header of that name is dropped.
    static constexpr char arrivalHeader[] = "X-MatrixUpload-Relay-Arrival-Ms";

    HttpRelay(FaultPlan *faults, quint16 backendPort, QObject *parent = nullptr);
    ~HttpRelay() override;

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QString errorString() const;

    //! Request bodies above this are refused with 413 before a byte of them is buffered.
    void setMaxRequestBody(qint64 bytes) { m_maxRequestBody = bytes; }

    QJsonArray requests() const { return m_requests; }
    void clearRequests() { m_requests = {}; }

private:
    struct Connection;
    void onNewConnection();
    void processClient(Connection *c);
    void processUpstream(Connection *c);
    bool parseRequestHead(Connection *c);
    //! Answers \a status and closes, or with \a close false leaves the closing to the caller.
    void refuse(Connection *c, int status, const QByteArray &reason, const QByteArray &errcode,
        const QString &message, bool close = true);
    void closeAfterAnswer(Connection *c);
    void closeConnection(Connection *c);
    void onUpstreamGone(Connection *c);
    void destroy(Connection *c);
    void finishRecord(Connection *c, int recordIndex, int status, bool dropped);

    FaultPlan *m_faults;
    quint16 m_backendPort;
    QTcpServer m_server;
    qint64 m_maxRequestBody = 64 * 1024 * 1024;
    QList<Connection *> m_connections;
    QJsonArray m_requests;
};

} // namespace MatrixUpload
