// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "roomstate_p.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
RoomState::Answer error(int status, const QString &errcode, const QString &message)
{
    return { status, { { u"errcode"_s, errcode }, { u"error"_s, message } }, {} };
}

RoomState::Answer notMember()
{
    // One answer for an unknown room and a room the user is not in, as Synapse gives: the
    // client learns nothing about rooms it cannot see.
    return error(403, u"M_FORBIDDEN"_s, u"You are not joined to this room"_s);
}

//! An event ID as rooms from version 4 on have them: "$" and the URL-safe unpadded base64 of
//! a 32-byte hash (random here).
QString newEventId()
{
    QByteArray hash(32, Qt::Uninitialized);
    for (char &c : hash)
        c = char(QRandomGenerator::system()->bounded(256));
    return u"$"_s
        + QString::fromLatin1(
            hash.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
} // namespace

bool RoomState::isMember(const Rooms &rooms, const QString &roomId, const QString &localpart)
{
    const auto it = rooms.constFind(roomId);
    return it != rooms.cend() && (it->members.isEmpty() || it->members.contains(localpart));
}

RoomState::Answer RoomState::handle(Request request, const QStringList &args, const Caller &caller,
    const Rooms &rooms, const QByteArray &body)
{
    switch (request) {
    case Request::JoinedRooms:
        return joinedRooms(caller, rooms);
    case Request::State:
        return state(args, caller, rooms);
    case Request::Send:
    case Request::Redact:
        return send(request, args, caller, rooms, body);
    }
    return error(500, u"M_UNKNOWN"_s, u"unknown room request"_s);
}

QJsonArray RoomState::events() const
{
    QJsonArray out;
    for (const QJsonObject &event : m_events)
        out.append(event);
    return out;
}

void RoomState::clear()
{
    m_events.clear();
    m_transactions.clear();
}

RoomState::Answer RoomState::joinedRooms(const Caller &caller, const Rooms &rooms) const
{
    QJsonArray list;
    for (auto it = rooms.cbegin(); it != rooms.cend(); ++it) {
        if (isMember(rooms, it.key(), caller.localpart))
            list.append(it.key());
    }
    return { 200, { { u"joined_rooms"_s, list } }, {} };
}

RoomState::Answer RoomState::state(
    const QStringList &args, const Caller &caller, const Rooms &rooms) const
{
    const QString &roomId = args.at(0);
    if (!isMember(rooms, roomId, caller.localpart))
        return notMember();
    // The only state this server keeps is the name and the encryption; every other event type
    // and state key is state the room does not have. The answer is the content (the spec's
    // default `format`).
    const MediaTestServerRoom room = rooms.value(roomId);
    const QString &type = args.at(1);
    if (args.value(2).isEmpty()) {
        if (type == u"m.room.name"_s && !room.name.isEmpty())
            return { 200, { { u"name"_s, room.name } }, {} };
        if (type == u"m.room.encryption"_s && room.encrypted)
            return { 200, { { u"algorithm"_s, u"m.megolm.v1.aes-sha2"_s } }, {} };
    }
    return error(404, u"M_NOT_FOUND"_s, u"Event not found."_s);
}

RoomState::Answer RoomState::send(Request request, const QStringList &args, const Caller &caller,
    const Rooms &rooms, const QByteArray &body)
{
    const QString &roomId = args.at(0);
    const QString &target = args.at(1); // the event type to send, or the event to redact
    const QString &txnId = args.at(2);
    if (!isMember(rooms, roomId, caller.localpart))
        return notMember();
    if (target.isEmpty() || txnId.isEmpty())
        return error(400, u"M_INVALID_PARAM"_s,
            request == Request::Send ? u"the event type and the transaction ID must not be empty"_s
                                     : u"the transaction ID must not be empty"_s);

    // A repeated transaction is answered with the first event's ID and records nothing: that is
    // what makes a client's retry after a lost answer safe. The spec scopes transaction IDs to
    // the device (here: the access token) and the endpoint; like Synapse, the key holds the
    // whole path (decoded, so both spellings of a room ID are one transaction).
    const QString key
        = caller.token + u'\n' + QString::number(int(request)) + u'\n' + args.join(u'\n');
    if (const auto it = m_transactions.constFind(key); it != m_transactions.cend())
        return { 200, { { u"event_id"_s, it.value() } }, {} };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // QJsonDocument in Qt 6.4 refuses a scalar at the top; inside an array it tells JSON
        // that is not an object (M_BAD_JSON) from what is no JSON at all.
        QJsonParseError wrappedError;
        QJsonDocument::fromJson('[' + body + ']', &wrappedError);
        if (body.trimmed().isEmpty() || wrappedError.error != QJsonParseError::NoError)
            return error(400, u"M_NOT_JSON"_s, u"Content not JSON."_s);
    }
    if (!doc.isObject())
        return error(400, u"M_BAD_JSON"_s, u"The event content must be a JSON object"_s);
    const QJsonObject content = doc.object();

    QJsonObject event { { u"event_id"_s, newEventId() }, { u"room_id"_s, roomId },
        { u"sender"_s, caller.userId }, { u"txn_id"_s, txnId },
        { u"origin_server_ts"_s, QDateTime::currentMSecsSinceEpoch() } };
    if (request == Request::Send) {
        event.insert(u"type"_s, target);
        event.insert(u"content"_s, content);
        if (rooms.value(roomId).encrypted) {
            // Accepted, as a homeserver does (it cannot tell), but marked: a test asserts that a
            // client never sent a plaintext link to a file into an encrypted room.
            event.insert(u"room_encrypted"_s, true);
            if (target == u"m.room.message"_s && content.contains(u"url"_s))
                event.insert(u"plaintext_media"_s, true);
        }
    } else {
        if (content.contains(u"reason"_s) && !content.value(u"reason"_s).isString())
            return error(400, u"M_BAD_JSON"_s, u"\"reason\" must be a string"_s);
        const bool known = std::any_of(m_events.cbegin(), m_events.cend(), [&](const auto &e) {
            return e.value(u"event_id"_s).toString() == target
                && e.value(u"room_id"_s).toString() == roomId;
        });
        if (!known)
            return error(404, u"M_NOT_FOUND"_s, u"Event not found."_s);
        event.insert(u"type"_s, u"m.room.redaction"_s);
        event.insert(u"content"_s, content);
        event.insert(u"redacts"_s, target);
    }
    m_events.append(event);
    m_transactions.insert(key, event.value(u"event_id"_s).toString());
    return { 200, { { u"event_id"_s, event.value(u"event_id"_s) } }, event };
}

} // namespace MatrixUpload
