// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the test media server's room endpoints (joined_rooms, the room name, send, redact),
// the record of the events they received, and the `send` fault class.
#include "testserverbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUploadTest;

namespace {
const QString demo = u"!demo:localhost"_s; // every user joined, named "Demo"
const QString quiet = u"!quiet:localhost"_s; // every user joined, no m.room.name
const QString secret = u"!secret:localhost"_s; // alice only, named "Secret"
const QString vault = u"!vault:localhost"_s; // every user joined, named "Vault", encrypted

//! A room ID as it goes in a URL path segment.
QString encoded(const QString &roomId)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(roomId));
}

QString sendPath(
    const QString &roomId, const QString &txnId, const QString &eventType = u"m.room.message"_s)
{
    return u"/_matrix/client/v3/rooms/"_s + encoded(roomId) + u"/send/"_s + eventType + u"/"_s
        + txnId;
}

QString redactPath(const QString &roomId, const QString &eventId, const QString &txnId)
{
    return u"/_matrix/client/v3/rooms/"_s + encoded(roomId) + u"/redact/"_s + encoded(eventId)
        + u"/"_s + txnId;
}

QByteArray message(const QString &body)
{
    return QJsonDocument(QJsonObject { { u"msgtype"_s, u"m.text"_s }, { u"body"_s, body } })
        .toJson(QJsonDocument::Compact);
}

//! One request with the path exactly as given (QUrl is free to change the encoding of a path).
RawReply rawRequest(quint16 port, const QByteArray &method, const QByteArray &path,
    const QByteArray &body = {}, const QByteArray &token = "ALICE"_ba)
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"_ba;
    if (!token.isEmpty())
        request += "Authorization: Bearer "_ba + token + "\r\n"_ba;
    if (method == "PUT" || method == "POST")
        request += "Content-Type: application/json\r\nContent-Length: "_ba
            + QByteArray::number(body.size()) + "\r\n"_ba;
    return rawExchange(port, request + "\r\n"_ba + body);
}
} // namespace

class tst_Rooms final : public QObject, protected TestServerBench
{
    Q_OBJECT

    //! GET the state \a event (its type, then its state key if any) of \a roomId with \a token.
    RawReply getState(const QString &roomId, const QByteArray &event, const QByteArray &token)
    {
        const QByteArray path = "/_matrix/client/v3/rooms/"_ba + QUrl::toPercentEncoding(roomId)
            + "/state/"_ba + event;
        return rawRequest(m_server->port(), "GET", path, {}, token);
    }

    static MediaTestServerConfig roomConfig()
    {
        MediaTestServerConfig config = defaultConfig();
        // A second session of alice: transaction IDs are scoped to the access token.
        config.tokens.insert(u"ALICE2"_s, u"alice"_s);
        config.rooms.insert(demo, { u"Demo"_s, {} });
        config.rooms.insert(quiet, { QString(), {} });
        config.rooms.insert(secret, { u"Secret"_s, { u"alice"_s } });
        config.rooms.insert(vault, { u"Vault"_s, {}, true });
        return config;
    }
    QUrl url(const QString &path) const
    {
        // Not QUrl::setPath(), which takes the path decoded: the room IDs here are encoded.
        return QUrl::fromEncoded(
            m_server->baseUrl().toEncoded() + path.toLatin1(), QUrl::StrictMode);
    }
    Reply get(const QString &path, const QByteArray &token = "ALICE"_ba)
    {
        return send(*m_nam, "GET", url(path), {}, token.isEmpty() ? Headers() : auth(token));
    }
    Reply put(const QString &path, const QByteArray &body, const QByteArray &token = "ALICE"_ba)
    {
        return send(*m_nam, "PUT", url(path), body,
            auth(token) + Headers { { "Content-Type"_ba, "application/json"_ba } });
    }
    QJsonObject onlyEvent() const
    {
        const QJsonArray events = m_server->events();
        return events.size() == 1 ? events.first().toObject() : QJsonObject();
    }

private Q_SLOTS:
    void init() { QVERIFY2(restart(roomConfig()), qPrintable(m_server->errorString())); }
    void cleanup() { reset(); }

    void joinedRoomsPerUser()
    {
        const Reply alice = get(u"/_matrix/client/v3/joined_rooms"_s);
        QCOMPARE(alice.status, 200);
        QCOMPARE(alice.json.value(u"joined_rooms"_s).toArray(),
            (QJsonArray { demo, quiet, secret, vault }));
        // bob is not in the member list of the secret room.
        const Reply bob = get(u"/_matrix/client/v3/joined_rooms"_s, "BOB"_ba);
        QCOMPARE(bob.status, 200);
        QCOMPARE(bob.json.value(u"joined_rooms"_s).toArray(), (QJsonArray { demo, quiet, vault }));
        const Reply anonymous = get(u"/_matrix/client/v3/joined_rooms"_s, {});
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(anonymous.errcode(), u"M_MISSING_TOKEN"_s);
    }

    void noRooms()
    {
        QVERIFY(restart(defaultConfig()));
        const Reply r = get(u"/_matrix/client/v3/joined_rooms"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value(u"joined_rooms"_s).isArray());
        QCOMPARE(r.json.value(u"joined_rooms"_s).toArray().size(), 0);
    }

    void addRoomAtRuntime()
    {
        m_server->addRoom(u"!late:localhost"_s, u"Late"_s, { u"bob"_s });
        QVERIFY(m_server->config().rooms.contains(u"!late:localhost"_s));
        QVERIFY(get(u"/_matrix/client/v3/joined_rooms"_s, "BOB"_ba)
                    .json.value(u"joined_rooms"_s)
                    .toArray()
                    .contains(u"!late:localhost"_s));
        QVERIFY(!get(u"/_matrix/client/v3/joined_rooms"_s)
                     .json.value(u"joined_rooms"_s)
                     .toArray()
                     .contains(u"!late:localhost"_s));
        const Reply name
            = get(u"/_matrix/client/v3/rooms/!late:localhost/state/m.room.name"_s, "BOB"_ba);
        QCOMPARE(name.status, 200);
        QCOMPARE(name.json.value(u"name"_s).toString(), u"Late"_s);
    }

    void roomName_data()
    {
        QTest::addColumn<QString>("roomId");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addColumn<QString>("name");
        QTest::addRow("named") << demo << u""_s << "ALICE"_ba << 200 << u""_s << u"Demo"_s;
        QTest::addRow("empty state key, trailing slash")
            << demo << u"/"_s << "ALICE"_ba << 200 << u""_s << u"Demo"_s;
        QTest::addRow("member of a member list")
            << secret << u""_s << "ALICE"_ba << 200 << u""_s << u"Secret"_s;
        QTest::addRow("no name") << quiet << u""_s << "ALICE"_ba << 404 << u"M_NOT_FOUND"_s
                                 << u""_s;
        QTest::addRow("no name, trailing slash")
            << quiet << u"/"_s << "ALICE"_ba << 404 << u"M_NOT_FOUND"_s << u""_s;
        QTest::addRow("another state key")
            << demo << u"/other"_s << "ALICE"_ba << 404 << u"M_NOT_FOUND"_s << u""_s;
        QTest::addRow("not a member")
            << secret << u""_s << "BOB"_ba << 403 << u"M_FORBIDDEN"_s << u""_s;
        QTest::addRow("unknown room")
            << u"!nowhere:localhost"_s << u""_s << "ALICE"_ba << 403 << u"M_FORBIDDEN"_s << u""_s;
    }
    void roomName()
    {
        QFETCH(QString, roomId);
        QFETCH(QString, suffix);
        QFETCH(QByteArray, token);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        QFETCH(QString, name);
        const RawReply r = getState(roomId, "m.room.name"_ba + suffix.toLatin1(), token);
        QCOMPARE(r.status, status);
        QCOMPARE(r.errcode(), errcode);
        if (status == 200)
            QCOMPARE(r.json, (QJsonObject { { u"name"_s, name } }));
    }

    void encryption_data()
    {
        QTest::addColumn<QString>("roomId");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addRow("encrypted") << vault << u""_s << "ALICE"_ba << 200 << u""_s;
        QTest::addRow("encrypted, trailing slash") << vault << u"/"_s << "BOB"_ba << 200 << u""_s;
        QTest::addRow("encrypted, another state key")
            << vault << u"/other"_s << "ALICE"_ba << 404 << u"M_NOT_FOUND"_s;
        QTest::addRow("plain") << demo << u""_s << "ALICE"_ba << 404 << u"M_NOT_FOUND"_s;
        QTest::addRow("plain, no name") << quiet << u"/"_s << "ALICE"_ba << 404 << u"M_NOT_FOUND"_s;
        QTest::addRow("not a member") << secret << u""_s << "BOB"_ba << 403 << u"M_FORBIDDEN"_s;
        QTest::addRow("unknown room")
            << u"!nowhere:localhost"_s << u""_s << "ALICE"_ba << 403 << u"M_FORBIDDEN"_s;
    }
    void encryption()
    {
        QFETCH(QString, roomId);
        QFETCH(QString, suffix);
        QFETCH(QByteArray, token);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        const RawReply r = getState(roomId, "m.room.encryption"_ba + suffix.toLatin1(), token);
        QCOMPARE(r.status, status);
        QCOMPARE(r.errcode(), errcode);
        if (status == 200) // the content only, the spec's default format
            QCOMPARE(r.json, (QJsonObject { { u"algorithm"_s, u"m.megolm.v1.aes-sha2"_s } }));
    }

    void addEncryptedRoomAtRuntime()
    {
        MediaTestServerRoom room;
        room.name = u"Late"_s;
        room.encrypted = true;
        m_server->addRoom(u"!late:localhost"_s, room);
        QVERIFY(m_server->config().rooms.value(u"!late:localhost"_s).encrypted);
        QCOMPARE(
            get(u"/_matrix/client/v3/rooms/!late:localhost/state/m.room.encryption"_s).status, 200);
        // Replaced by a plain room of the same ID.
        m_server->addRoom(u"!late:localhost"_s, u"Late"_s);
        QCOMPARE(
            get(u"/_matrix/client/v3/rooms/!late:localhost/state/m.room.encryption"_s).status, 404);
    }

    void encryptedRoomMarksPlaintextMedia()
    {
        const QByteArray media
            = QJsonDocument(QJsonObject { { u"msgtype"_s, u"m.file"_s }, { u"body"_s, u"a.bin"_s },
                                { u"url"_s, u"mxc://localhost/abc"_s } })
                  .toJson(QJsonDocument::Compact);
        const QByteArray encryptedEvent = QJsonDocument(
            QJsonObject { { u"algorithm"_s, u"m.megolm.v1.aes-sha2"_s },
                { u"ciphertext"_s,
                    u"AwgA"_s } }).toJson(QJsonDocument::Compact);
        QCOMPARE(put(sendPath(vault, u"1"_s), media).status, 200); // accepted: it cannot tell
        QCOMPARE(put(sendPath(vault, u"2"_s), message(u"hi"_s)).status, 200);
        QCOMPARE(put(sendPath(vault, u"3"_s, u"m.room.encrypted"_s), encryptedEvent).status, 200);
        QCOMPARE(put(sendPath(demo, u"4"_s), media).status, 200);
        const QJsonArray events = m_server->events();
        QCOMPARE(events.size(), 4);
        const auto flags = [&](int i) {
            const QJsonObject e = events.at(i).toObject();
            return std::pair { e.value(u"room_encrypted"_s).toBool(),
                e.value(u"plaintext_media"_s).toBool() };
        };
        QCOMPARE(flags(0), std::pair(true, true)); // the leak a test looks for
        QCOMPARE(flags(1), std::pair(true, false)); // no url
        QCOMPARE(flags(2), std::pair(true, false)); // what a client with Megolm sends
        QCOMPARE(flags(3), std::pair(false, false)); // a plain room
        QVERIFY(!events.at(3).toObject().contains(u"room_encrypted"_s));
        QCOMPARE(events.at(0).toObject().value(u"content"_s).toObject().value(u"url"_s),
            u"mxc://localhost/abc"_s);
    }

    void stateFaultStatus()
    {
        QVERIFY(m_server->addFault(
            { { u"status"_s, 503 }, { u"route"_s, u"state"_s }, { u"times"_s, 1 } }));
        const QString path
            = u"/_matrix/client/v3/rooms/%21vault%3Alocalhost/state/m.room.encryption"_s;
        QCOMPARE(get(path).status, 503);
        QCOMPARE(get(path).status, 200); // once
        // Sends are another class.
        QVERIFY(m_server->addFault(
            { { u"status"_s, 503 }, { u"route"_s, u"state"_s }, { u"times"_s, 1 } }));
        QCOMPARE(put(sendPath(demo, u"s1"_s), message(u"hi"_s)).status, 200);
        QCOMPARE(get(path).status, 503);
    }

    void otherStateIsAbsent()
    {
        const RawReply r = rawRequest(m_server->port(), "GET",
            "/_matrix/client/v3/rooms/%21demo%3Alocalhost/state/m.room.topic"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
    }

    void encodedRoomIds_data()
    {
        QTest::addColumn<QByteArray>("room");
        QTest::addRow("encoded") << "%21demo%3Alocalhost"_ba;
        QTest::addRow("lower-case escapes") << "%21demo%3alocalhost"_ba;
        QTest::addRow("unencoded") << "!demo:localhost"_ba;
        QTest::addRow("partly encoded") << "!demo%3Alocalhost"_ba;
    }
    void encodedRoomIds()
    {
        QFETCH(QByteArray, room);
        const QByteArray rooms = "/_matrix/client/v3/rooms/"_ba;
        const RawReply name
            = rawRequest(m_server->port(), "GET", rooms + room + "/state/m.room.name/"_ba);
        QCOMPARE(name.status, 200);
        QCOMPARE(name.json.value(u"name"_s).toString(), u"Demo"_s);
        const RawReply sent = rawRequest(
            m_server->port(), "PUT", rooms + room + "/send/m.room.message/t1"_ba, message(u"hi"_s));
        QCOMPARE(sent.status, 200);
        QCOMPARE(onlyEvent().value(u"room_id"_s).toString(), demo);
        // Another spelling of the same room ID is the same transaction.
        const RawReply again = rawRequest(m_server->port(), "PUT",
            rooms + "%21demo%3Alocalhost/send/m.room.message/t1"_ba, message(u"hi"_s));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(u"event_id"_s), sent.json.value(u"event_id"_s));
        QCOMPARE(m_server->events().size(), 1);
    }

    void sendRecordsEvent()
    {
        QSignalSpy received(m_server.get(), &MediaTestServer::eventReceived);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const Reply r = put(sendPath(demo, u"txn-1"_s), message(u"hello.png"_s));
        QCOMPARE(r.status, 200);
        const QString eventId = r.json.value(u"event_id"_s).toString();
        QVERIFY2(eventId.startsWith(u'$') && eventId.size() > 10, qPrintable(eventId));
        const QJsonObject event = onlyEvent();
        QCOMPARE(event.value(u"event_id"_s).toString(), eventId);
        QCOMPARE(event.value(u"room_id"_s).toString(), demo);
        QCOMPARE(event.value(u"sender"_s).toString(), u"@alice:localhost"_s);
        QCOMPARE(event.value(u"type"_s).toString(), u"m.room.message"_s);
        QCOMPARE(event.value(u"content"_s).toObject(),
            (QJsonObject { { u"msgtype"_s, u"m.text"_s }, { u"body"_s, u"hello.png"_s } }));
        QCOMPARE(event.value(u"txn_id"_s).toString(), u"txn-1"_s);
        QVERIFY(event.value(u"origin_server_ts"_s).toInteger() >= before);
        QVERIFY(
            event.value(u"origin_server_ts"_s).toInteger() <= QDateTime::currentMSecsSinceEpoch());
        QVERIFY(!event.contains(u"redacts"_s));
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().first().toJsonObject(), event);

        // Events keep their order and their own IDs.
        const Reply second = put(sendPath(secret, u"txn-2"_s, u"org.example.custom"_s), "{}"_ba);
        QCOMPARE(second.status, 200);
        QVERIFY(second.json.value(u"event_id"_s).toString() != eventId);
        const QJsonArray events = m_server->events();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].toObject().value(u"event_id"_s).toString(), eventId);
        QCOMPARE(events[1].toObject().value(u"type"_s).toString(), u"org.example.custom"_s);
        QCOMPARE(events[1].toObject().value(u"room_id"_s).toString(), secret);
        QCOMPARE(received.size(), 2);

        m_server->clearEvents();
        QCOMPARE(m_server->events().size(), 0);
    }

    void sameTransactionTwice()
    {
        QSignalSpy received(m_server.get(), &MediaTestServer::eventReceived);
        const Reply first = put(sendPath(demo, u"42"_s), message(u"one"_s));
        QCOMPARE(first.status, 200);
        // A retry after a lost answer; even a changed body does not make it a new event.
        const Reply second = put(sendPath(demo, u"42"_s), message(u"two"_s));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json.value(u"event_id"_s), first.json.value(u"event_id"_s));
        QCOMPARE(m_server->events().size(), 1);
        QCOMPARE(onlyEvent().value(u"content"_s).toObject().value(u"body"_s).toString(), u"one"_s);
        QCOMPARE(received.size(), 1);
        // The same transaction ID in another room is another request.
        const Reply elsewhere = put(sendPath(quiet, u"42"_s), message(u"three"_s));
        QCOMPARE(elsewhere.status, 200);
        QVERIFY(elsewhere.json.value(u"event_id"_s) != first.json.value(u"event_id"_s));
        QCOMPARE(m_server->events().size(), 2);
    }

    void transactionsScopedToToken()
    {
        const Reply alice = put(sendPath(demo, u"7"_s), message(u"a"_s), "ALICE"_ba);
        const Reply aliceAgain = put(sendPath(demo, u"7"_s), message(u"b"_s), "ALICE2"_ba);
        const Reply bob = put(sendPath(demo, u"7"_s), message(u"c"_s), "BOB"_ba);
        QCOMPARE(alice.status, 200);
        QCOMPARE(aliceAgain.status, 200);
        QCOMPARE(bob.status, 200);
        QVERIFY(alice.json.value(u"event_id"_s) != aliceAgain.json.value(u"event_id"_s));
        QVERIFY(alice.json.value(u"event_id"_s) != bob.json.value(u"event_id"_s));
        const QJsonArray events = m_server->events();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events[0].toObject().value(u"sender"_s).toString(), u"@alice:localhost"_s);
        QCOMPARE(events[1].toObject().value(u"sender"_s).toString(), u"@alice:localhost"_s);
        QCOMPARE(events[2].toObject().value(u"sender"_s).toString(), u"@bob:localhost"_s);
    }

    void badBody_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errcode");
        QTest::addRow("empty") << QByteArray() << u"M_NOT_JSON"_s;
        QTest::addRow("not JSON") << "{\"body\": "_ba << u"M_NOT_JSON"_s;
        QTest::addRow("array") << "[{\"body\": \"x\"}]"_ba << u"M_BAD_JSON"_s;
        QTest::addRow("string") << "\"hello\""_ba << u"M_BAD_JSON"_s;
        QTest::addRow("number") << "5"_ba << u"M_BAD_JSON"_s;
    }
    void badBody()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errcode);
        const Reply r = put(sendPath(demo, u"bad"_s), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), errcode);
        QCOMPARE(m_server->events().size(), 0);
        // A refused request does not use up its transaction ID.
        const Reply fixed = put(sendPath(demo, u"bad"_s), message(u"ok"_s));
        QCOMPARE(fixed.status, 200);
        QCOMPARE(m_server->events().size(), 1);
    }

    void notMember_data()
    {
        QTest::addColumn<QString>("roomId");
        QTest::addColumn<QByteArray>("token");
        QTest::addRow("not in the member list") << secret << "BOB"_ba;
        QTest::addRow("unknown room") << u"!nowhere:localhost"_s << "ALICE"_ba;
    }
    void notMember()
    {
        QFETCH(QString, roomId);
        QFETCH(QByteArray, token);
        const Reply sent = put(sendPath(roomId, u"1"_s), message(u"x"_s), token);
        QCOMPARE(sent.status, 403);
        QCOMPARE(sent.errcode(), u"M_FORBIDDEN"_s);
        QCOMPARE(m_server->events().size(), 0);
    }

    void unauthenticated()
    {
        const RawReply r = rawRequest(
            m_server->port(), "PUT", sendPath(demo, u"1"_s).toLatin1(), message(u"x"_s), {});
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errcode(), u"M_MISSING_TOKEN"_s);
        QCOMPARE(put(sendPath(demo, u"1"_s), message(u"x"_s), "NOPE"_ba).status, 401);
        QCOMPARE(m_server->events().size(), 0);
    }

    void wrongMethod()
    {
        const RawReply r = rawRequest(m_server->port(), "GET", sendPath(demo, u"1"_s).toLatin1());
        QCOMPARE(r.status, 405);
        QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
    }

    void redact()
    {
        QSignalSpy received(m_server.get(), &MediaTestServer::eventReceived);
        const QString target
            = put(sendPath(demo, u"m1"_s), message(u"x"_s)).json.value(u"event_id"_s).toString();
        QVERIFY(target.startsWith(u'$'));
        const Reply r = put(redactPath(demo, target, u"r1"_s), R"({"reason":"wrong file"})"_ba);
        QCOMPARE(r.status, 200);
        const QString redactionId = r.json.value(u"event_id"_s).toString();
        QVERIFY(redactionId.startsWith(u'$'));
        QVERIFY(redactionId != target);
        QJsonArray events = m_server->events();
        QCOMPARE(events.size(), 2);
        const QJsonObject redaction = events[1].toObject();
        QCOMPARE(redaction.value(u"event_id"_s).toString(), redactionId);
        QCOMPARE(redaction.value(u"type"_s).toString(), u"m.room.redaction"_s);
        QCOMPARE(redaction.value(u"redacts"_s).toString(), target);
        QCOMPARE(redaction.value(u"room_id"_s).toString(), demo);
        QCOMPARE(redaction.value(u"sender"_s).toString(), u"@alice:localhost"_s);
        QCOMPARE(redaction.value(u"txn_id"_s).toString(), u"r1"_s);
        QCOMPARE(redaction.value(u"content"_s).toObject(),
            (QJsonObject { { u"reason"_s, u"wrong file"_s } }));
        QCOMPARE(received.size(), 2);

        // Idempotent like send.
        const Reply again = put(redactPath(demo, target, u"r1"_s), "{}"_ba);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(u"event_id"_s).toString(), redactionId);
        QCOMPARE(m_server->events().size(), 2);

        // Without a reason; the event ID unencoded in the path.
        const RawReply plain = rawRequest(m_server->port(), "PUT",
            "/_matrix/client/v3/rooms/!demo:localhost/redact/"_ba + target.toLatin1() + "/r2"_ba,
            "{}"_ba);
        QCOMPARE(plain.status, 200);
        events = m_server->events();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events[2].toObject().value(u"content"_s).toObject(), QJsonObject());
        QCOMPARE(events[2].toObject().value(u"redacts"_s).toString(), target);
    }

    void redactRefused()
    {
        const QString target
            = put(sendPath(demo, u"m1"_s), message(u"x"_s)).json.value(u"event_id"_s).toString();
        QVERIFY(target.startsWith(u'$'));
        const Reply unknown = put(redactPath(demo, u"$unknown"_s, u"r1"_s), "{}"_ba);
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.errcode(), u"M_NOT_FOUND"_s);
        // The event exists, in another room.
        const Reply otherRoom = put(redactPath(quiet, target, u"r2"_s), "{}"_ba);
        QCOMPARE(otherRoom.status, 404);
        QCOMPARE(otherRoom.errcode(), u"M_NOT_FOUND"_s);
        const Reply forbidden = put(redactPath(secret, target, u"r3"_s), "{}"_ba, "BOB"_ba);
        QCOMPARE(forbidden.status, 403);
        QCOMPARE(forbidden.errcode(), u"M_FORBIDDEN"_s);
        const Reply badReason = put(redactPath(demo, target, u"r4"_s), R"({"reason":5})"_ba);
        QCOMPARE(badReason.status, 400);
        QCOMPARE(badReason.errcode(), u"M_BAD_JSON"_s);
        QCOMPARE(m_server->events().size(), 1);
    }

    void sendFaultStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("redaction");
        QTest::addRow("500 on send") << 500 << false;
        QTest::addRow("429 on send") << 429 << false;
        QTest::addRow("500 on redact") << 500 << true;
    }
    void sendFaultStatus()
    {
        QFETCH(int, status);
        QFETCH(bool, redaction);
        const QString target
            = put(sendPath(demo, u"m1"_s), message(u"x"_s)).json.value(u"event_id"_s).toString();
        QVERIFY(target.startsWith(u'$'));
        QVERIFY(m_server->addFault(
            { { u"status"_s, status }, { u"route"_s, u"send"_s }, { u"retry_after"_s, 2 } }));
        // Other route classes are untouched by it.
        QCOMPARE(create(*m_nam, m_server->baseUrl()).status, 200);
        const QString path = redaction ? redactPath(demo, target, u"t"_s) : sendPath(demo, u"t"_s);
        const Reply faulted = put(path, "{}"_ba);
        QCOMPARE(faulted.status, status);
        QCOMPARE(faulted.header("Retry-After"), "2"_ba);
        QCOMPARE(faulted.errcode(), status == 429 ? u"M_LIMIT_EXCEEDED"_s : u"M_UNKNOWN"_s);
        QCOMPARE(m_server->events().size(), 1);
        // Used up: the retry with the same transaction ID goes through, once.
        const Reply retried = put(path, "{}"_ba);
        QCOMPARE(retried.status, 200);
        QCOMPARE(m_server->events().size(), 2);
    }

    void sendFaultDropAnswer()
    {
        QSignalSpy received(m_server.get(), &MediaTestServer::eventReceived);
        // Through the control endpoint, as a test of the desktop app would set it.
        const Reply fault = send(*m_nam, "POST", url(u"/_test/faults"_s),
            R"({"drop_answer": true, "route": "send"})"_ba);
        QCOMPARE(fault.status, 200);
        // Not a send: answered.
        QCOMPARE(get(u"/_matrix/client/v3/joined_rooms"_s).status, 200);

        const QByteArray path = sendPath(demo, u"lost"_s).toLatin1();
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("PUT "_ba + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ALICE\r\n"_ba
            + "Content-Length: "_ba + QByteArray::number(message(u"x"_s).size()) + "\r\n\r\n"_ba
            + message(u"x"_s));
        QVERIFY(client.waitClosed());
        QCOMPARE(client.pending(), QByteArray()); // no answer reached the client...
        QCOMPARE(m_server->events().size(), 1); // ...yet the server recorded the event
        const QString eventId = onlyEvent().value(u"event_id"_s).toString();

        // The client resends with the same transaction ID: the same event, recorded once.
        const RawReply resent = rawRequest(m_server->port(), "PUT", path, message(u"x"_s));
        QCOMPARE(resent.status, 200);
        QCOMPARE(resent.json.value(u"event_id"_s).toString(), eventId);
        QCOMPARE(m_server->events().size(), 1);
        QCOMPARE(received.size(), 1);
        const QJsonObject seen = findRecord(m_server->requests(), QString::fromLatin1(path));
        QCOMPARE(seen.value(u"dropped"_s).toBool(), true);
    }

    void dropAnswerRouteChecked()
    {
        QString why;
        QVERIFY(
            !m_server->addFault({ { u"drop_answer"_s, true }, { u"route"_s, u"create"_s } }, &why));
        QVERIFY(why.contains(u"send"_s));
        QVERIFY(!m_server->addFault({ { u"drop_answer"_s, true }, { u"route"_s, u"send"_s },
                                        { u"path_prefix"_s, u"/_upload/"_s } },
            &why));
        QVERIFY(!m_server->addFault({ { u"status"_s, 500 }, { u"route"_s, u"sending"_s } }, &why));
        QVERIFY(why.contains(u"send"_s));
    }

    void testEventsEndpoint()
    {
        QCOMPARE(put(sendPath(demo, u"1"_s), message(u"x"_s)).status, 200);
        const Reply listed = send(*m_nam, "GET", url(u"/_test/events"_s));
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json.value(u"events"_s).toArray(), m_server->events());
        QCOMPARE(listed.json.value(u"events"_s).toArray().size(), 1);
        QCOMPARE(send(*m_nam, "DELETE", url(u"/_test/events"_s)).status, 200);
        QCOMPARE(m_server->events().size(), 0);
        // The transaction IDs went with the events: the same request is a new event now.
        QCOMPARE(put(sendPath(demo, u"1"_s), message(u"x"_s)).status, 200);
        QCOMPARE(m_server->events().size(), 1);
        // The control requests are not in the request record.
        QVERIFY(findRecord(m_server->requests(), u"/_test/"_s).isEmpty());

        MediaTestServerConfig config = roomConfig();
        config.enableTestControl = false;
        QVERIFY(restart(config));
        QCOMPARE(send(*m_nam, "GET", url(u"/_test/events"_s)).status, 404);
    }
};

QTEST_GUILESS_MAIN(tst_Rooms)
#include "tst_rooms.moc"
