// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the few room endpoints a client that posts its uploads
// needs (joined_rooms, the room name and encryption, send, redact), and the record of the events it
// sent. Kept apart from the media handlers, and free of QHttpServer: the dispatcher authenticates,
// injects faults and turns an Answer into the HTTP answer.
#pragma once

#include "mediatestserver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace MatrixUpload {

class RoomState
{
public:
    enum class Request {
        JoinedRooms, //!< no arguments
        State, //!< room ID, event type[, state key]
        Send, //!< room ID, event type, transaction ID
        Redact, //!< room ID, event ID, transaction ID
    };
    using Rooms = QMap<QString, MediaTestServerRoom>;

    //! The authenticated caller.
    struct Caller
    {
        QString localpart;
        QString userId; //!< "@localpart:server"
        QString token; //!< transaction IDs are scoped to it
    };

    //! What to answer: a status and a JSON body (the Matrix error JSON for errors), plus the
    //! event recorded by this request (empty unless a new one was).
    struct Answer
    {
        int status = 200;
        QJsonObject body;
        QJsonObject recorded;
    };

    //! Handles one request; \a args are the decoded path captures of the route.
    Answer handle(Request request, const QStringList &args, const Caller &caller,
        const Rooms &rooms, const QByteArray &body);

    //! The events received, oldest first.
    QJsonArray events() const;
    //! Forgets the events and the transaction IDs seen.
    void clear();

    static bool isMember(const Rooms &rooms, const QString &roomId, const QString &localpart);

private:
    Answer joinedRooms(const Caller &caller, const Rooms &rooms) const;
    Answer state(const QStringList &args, const Caller &caller, const Rooms &rooms) const;
    Answer send(Request request, const QStringList &args, const Caller &caller, const Rooms &rooms,
        const QByteArray &body);

    QList<QJsonObject> m_events;
    QHash<QString, QString> m_transactions; // token + request + path captures -> event ID
};

} // namespace MatrixUpload
