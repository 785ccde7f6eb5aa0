// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the TCP relay in front of QHttpServer.
//
// QHttpServer (6.4) hands a handler the request only once the whole body is in memory, so the
// faults that act while bytes flow (cut after N bytes, a bandwidth cap, latency) and the request
// size limit live here, where the bytes pass one by one. For the same reason the relay streams
// the bodies of the upload routes (upload URLs, MSC2246 and legacy uploads) to a spool file,
// hashing them on the way, and hands QHttpServer the head alone with the file's name once the
// whole body is there: QHttpServer never holds an upload body. The relay also records every request
// it sees, answers `Expect: 100-continue` (QHttpServer 6.4 does not), and keeps the connection
// to QHttpServer open until its answers are out, so a handler that answers later never writes
// to a socket whose client has gone.
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTcpServer>

#include <functional>
#include <memory>

#include "directbody_p.h"
#include "sha256_p.h"

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
    //! Added to the head of a request whose body was spooled: the spool file's path. The body
    //! QHttpServer sees is empty. Every client header that starts with "X-MatrixUpload-Relay-" is
    //! dropped, so only the relay names a file.
    static constexpr char bodyFileHeader[] = "X-MatrixUpload-Relay-Body-File";
    //! Instead of bodyFileHeader, for a body the relay wrote straight into an upload's bytes file
    //! (see setBodyPlanner()): the name it is known by (see directBody()). No file has it.
    static constexpr char bodyDirectHeader[] = "X-MatrixUpload-Relay-Body-Direct";
    //! With bodyFileHeader: the spooled body's SHA-256 (hex), unless the relay hashed it as the
    //! continuation of an upload's bytes (see setBodyPlanner()).
    static constexpr char bodySha256Header[] = "X-MatrixUpload-Relay-Body-Sha256";
    //! The headers' common prefix.
    static constexpr char headerPrefix[] = "X-MatrixUpload-Relay-";

    HttpRelay(FaultPlan *faults, quint16 backendPort, QObject *parent = nullptr);
    ~HttpRelay() override;

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QString errorString() const;

    //! Request bodies above this are refused with 413 before a byte of them is buffered.
    void setMaxRequestBody(qint64 bytes) { m_maxRequestBody = bytes; }

    //! The bandwidth fault changed: client connections with no request under way are closed,
    //! as a changed link would, so that the next requests come on connections whose receive
    //! window fits the new cap (a window that grew on a fast link cannot shrink without
    //! dropping what is in flight).
    void bandwidthChanged();

    //! Spools the bodies of upload requests to files in \a dir (created if needed); empty: none
    //! are spooled. The handler may move the file away; the relay removes what is left once the
    //! answer came.
    void setSpoolDir(const QString &dir);

    //! Whether \a path is a spool file the relay named in a head it forwarded, whose answer has
    //! not come yet: the only files a handler may take a body from.
    bool issuedSpoolFile(const QString &path) const;

    //! What the server wants done with an upload body whose head arrived.
    struct BodyPlan
    {
        //! The running hash of the upload's bytes up to where the body is to be stored, to go on
        //! with over the body; none: the body is hashed from scratch.
        ContinuedSha256 hash;
        //! Where to write the body instead of a spool file; null: a spool file.
        std::shared_ptr<DirectBody> direct;
    };
    //! Asked when the head of a body to be spooled arrives (method, path, query, headers by
    //! lower-case name).
    using BodyPlanner = std::function<BodyPlan(const QByteArray &method, const QByteArray &path,
        const QByteArray &query, const QJsonObject &headers)>;
    //! Lets a chunk's body be hashed on from the upload's running hash as it streams in, and
    //! written where the upload's bytes are, so that the store need not read or copy it again
    //! (issue 15).
    void setBodyPlanner(BodyPlanner planner) { m_bodyPlanner = std::move(planner); }
    //! The hash the relay ended with for the body in the spool file or direct body named \a
    //! path (see issuedSpoolFile() and directBody()): its seed (or a fresh hash) fed with the
    //! whole body; none for another name.
    ContinuedSha256 bodyHash(const QString &path) const;
    //! The body named \a name in a bodyDirectHeader the relay forwarded, whose answer has not
    //! come yet, and its length in \a size; null for another name.
    std::shared_ptr<DirectBody> directBody(const QString &name, qint64 *size) const;

    //! Lets every request the hold_request fault holds back go on to the server; returns how
    //! many there were.
    int releaseHeld();
    //! How many requests the hold_request fault holds back now.
    int heldCount() const;

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
    //! Whether the body of a request to \a path goes to a spool file.
    bool spools(const QByteArray &method, const QByteArray &path, qint64 contentLength) const;
    bool openSpool(Connection *c, const QByteArray &method, const QByteArray &target,
        const QJsonObject &headers);
    //! Writes the next bytes of a spooled or direct body; false when they could not be written.
    static bool writeSpooled(Connection *c, const QByteArray &bytes);
    void forwardSpooledHead(Connection *c);
    //! Removes a spool file (if the handler left it) and forgets that it was issued.
    void removeSpoolFile(const QString &path);
    //! Forgets the body being spooled or written directly (a cut or failed request), removing
    //! its spool file.
    static void dropSpool(Connection *c);

    FaultPlan *m_faults;
    quint16 m_backendPort;
    QTcpServer m_server;
    qint64 m_maxRequestBody = 64 * 1024 * 1024;
    QString m_spoolDir;
    quint64 m_spoolSerial = 0;
    struct Issued
    {
        ContinuedSha256 hash;
        std::shared_ptr<DirectBody> direct; // null: a spool file
        qint64 size = 0;
    };
    QHash<QString, Issued> m_issued; // spool files and direct bodies named in forwarded heads
                                     // (absolute paths), with the hash of each body
    BodyPlanner m_bodyPlanner;
    QList<Connection *> m_connections;
    QJsonArray m_requests;
};

} // namespace MatrixUpload
