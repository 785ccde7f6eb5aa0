// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the test media server's faults, through the C++ API and through POST /_test/faults,
// and of the request record that tests assert the wire with.
#include "testserverbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUploadTest;

using Protocol = MediaTestServerConfig::UploadUrlProtocol;

class tst_Faults final : public QObject, protected TestServerBench
{
    Q_OBJECT

    bool restartWith(Protocol protocol)
    {
        MediaTestServerConfig config = defaultConfig();
        config.uploadUrlProtocol = protocol;
        return restart(config);
    }
    //! Adds \a fault the way the row asks: through the C++ API or POST /_test/faults.
    bool addFault(bool viaHttp, const QJsonObject &fault)
    {
        if (!viaHttp)
            return m_server->addFault(fault);
        const Reply r = send(*m_nam, "POST", url(u"/_test/faults"_s),
            QJsonDocument(fault).toJson(QJsonDocument::Compact));
        return r.status == 200;
    }
    QJsonArray activeFaults()
    {
        return send(*m_nam, "GET", url(u"/_test/faults"_s)).json.value(u"faults"_s).toArray();
    }

    static void addApiAndHttpRows(const char *name)
    {
        QTest::addRow("%s, C++ API", name) << false;
        QTest::addRow("%s, POST /_test/faults", name) << true;
    }

private Q_SLOTS:
    void init() { QVERIFY(restart(defaultConfig())); }
    void cleanup() { reset(); }

    void faultValidation_data()
    {
        QTest::addColumn<bool>("viaHttp");
        QTest::addColumn<QByteArray>("fault");
        const QList<std::pair<const char *, QByteArray>> faults {
            { "unknown fault", R"({"nothing": 1})"_ba },
            { "empty object", "{}"_ba },
            { "negative drop", R"({"drop_after_bytes": -1})"_ba },
            { "drop as text", R"({"drop_after_bytes": "10"})"_ba },
            { "fractional drop", R"({"drop_after_bytes": 2.5})"_ba },
            { "path_prefix not text", R"({"drop_after_bytes": 10, "path_prefix": 5})"_ba },
            { "status 200", R"({"status": 200})"_ba },
            { "status 600", R"({"status": 600})"_ba },
            { "status as text", R"({"status": "503"})"_ba },
            { "unknown route", R"({"status": 503, "route": "nowhere"})"_ba },
            { "negative retry_after", R"({"status": 503, "retry_after": -3})"_ba },
            { "times -2", R"({"status": 503, "times": -2})"_ba },
            { "fractional times", R"({"status": 503, "times": 1.5})"_ba },
            { "times as text", R"({"status": 503, "times": "x"})"_ba },
            { "fractional short_range", R"({"short_range": 1.5})"_ba },
            { "latency as text", R"({"latency_ms": "slow"})"_ba },
            { "hold_request not true", R"({"hold_request": 1})"_ba },
            { "cut_after_bytes as text", R"({"cut_after_bytes": "10"})"_ba },
            { "negative bandwidth", R"({"bandwidth": -1})"_ba },
            { "negative URL lifetime", R"({"upload_url_expires_in_ms": -5})"_ba },
            { "min_body as text", R"({"hold_answer": true, "min_body": "1"})"_ba },
            { "negative min_body", R"({"drop_answer": true, "min_body": -1})"_ba },
            { "expire an unknown ID", R"({"expire": "nosuchid"})"_ba },
            { "expire nothing pending", R"({"expire": "*"})"_ba },
        };
        for (const auto &[name, fault] : faults) {
            QTest::addRow("%s, C++ API", name) << false << fault;
            QTest::addRow("%s, POST /_test/faults", name) << true << fault;
        }
    }
    void faultValidation()
    {
        QFETCH(bool, viaHttp);
        QFETCH(QByteArray, fault);
        if (viaHttp) {
            const Reply r = send(*m_nam, "POST", url(u"/_test/faults"_s), fault);
            QCOMPARE(r.status, 400);
            QCOMPARE(r.errcode(), u"M_BAD_JSON"_s);
            QVERIFY(!r.json.value(u"error"_s).toString().isEmpty());
        } else {
            QString error;
            QVERIFY(!m_server->addFault(QJsonDocument::fromJson(fault).object(), &error));
            QVERIFY(!error.isEmpty());
        }
        QCOMPARE(activeFaults(), QJsonArray());
    }

    void faultEndpointBody_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errcode");
        QTest::addRow("not JSON") << "drop it"_ba << u"M_NOT_JSON"_s;
        QTest::addRow("cut short") << R"({"status": 5)"_ba << u"M_NOT_JSON"_s;
        QTest::addRow("empty") << QByteArray() << u"M_NOT_JSON"_s;
        QTest::addRow("array of numbers") << "[1]"_ba << u"M_BAD_JSON"_s;
        QTest::addRow("array, second one bad")
            << R"([{"status": 503}, {"status": 1}])"_ba << u"M_BAD_JSON"_s;
    }
    void faultEndpointBody()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errcode);
        const Reply r = send(*m_nam, "POST", url(u"/_test/faults"_s), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), errcode);
        // All or nothing: a refused request leaves no fault behind.
        QCOMPARE(activeFaults(), QJsonArray());
        QCOMPARE(createMedia().status, 200);
    }

    void faultList()
    {
        Reply r = send(*m_nam, "POST", url(u"/_test/faults"_s),
            R"([{"status": 503, "times": 2}, {"latency_ms": 5}, {"bandwidth": 1000000},
                {"short_range": 3, "times": 0}])"_ba);
        QCOMPARE(r.status, 200);
        const QJsonArray listed = r.json.value(u"faults"_s).toArray();
        QCOMPARE(listed, activeFaults());
        QCOMPARE(listed.size(), 3); // times 0 adds nothing
        QCOMPARE(listed[0].toObject().value(u"status"_s).toInt(), 503);
        QCOMPARE(listed[0].toObject().value(u"times_left"_s).toInt(), 2);
        QCOMPARE(listed[1].toObject().value(u"times_left"_s).toInt(), -1); // latency: until cleared
        QCOMPARE(listed[2].toObject().value(u"bandwidth"_s).toInt(), 1000000);

        // A second bandwidth replaces the first; 0 removes it.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 2000 } }));
        QCOMPARE(activeFaults().size(), 3);
        QCOMPARE(activeFaults()[2].toObject().value(u"bandwidth"_s).toInt(), 2000);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QCOMPARE(activeFaults().size(), 2);

        r = send(*m_nam, "DELETE", url(u"/_test/faults"_s));
        QCOMPARE(r.status, 200);
        QCOMPARE(activeFaults(), QJsonArray());
        QVERIFY(m_server->addFault({ { u"status"_s, 500 } }));
        QCOMPARE(activeFaults().size(), 1);
        m_server->clearFaults();
        QCOMPARE(activeFaults(), QJsonArray());

        r = send(*m_nam, "PUT", url(u"/_test/faults"_s), R"({"status": 503})"_ba);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
        QCOMPARE(send(*m_nam, "POST", url(u"/_test/requests"_s)).status, 405);
        QCOMPARE(activeFaults(), QJsonArray());
    }

    void dropAfterBytes_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("drop twice");
    }
    void dropAfterBytes()
    {
        QFETCH(bool, viaHttp);
        const Created c = createMedia();
        const QByteArray file = content(2 * chunk);
        QVERIFY(addFault(viaHttp, { { u"drop_after_bytes"_s, 1000 }, { u"times"_s, 2 } }));
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);
        const QByteArray request
            = rawPut(c.uploadUrl, file.left(chunk), "Content-Range: bytes 0-262143/524288\r\n"_ba);
        for (int i = 0; i < 2; ++i) {
            RawClient client(m_server->port());
            QVERIFY(client.waitConnected());
            client.write(request);
            QVERIFY(client.waitClosed());
            QCOMPARE(client.pending(), QByteArray()); // cut without an answer
        }
        QCOMPARE(stored(c.id), 0);
        QCOMPARE(activeFaults(), QJsonArray());

        // The third try goes through.
        const RawReply r = rawExchange(m_server->port(), request);
        QCOMPARE(r.status, 308);
        QCOMPARE(r.header("Range"), "bytes=0-262143"_ba);
        QCOMPARE(m_server->mediaContent(c.id), file.left(chunk));
        QCOMPARE(completed.size(), 0);

        const QJsonArray seen = recordsFor(m_server->requests(), c.uploadUrl.path());
        QCOMPARE(seen.size(), 3);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject o = seen[i].toObject();
            QCOMPARE(o.value(u"dropped"_s).toBool(), true);
            QCOMPARE(o.value(u"body_size"_s).toInteger(), 1000);
            QCOMPARE(o.value(u"content_length"_s).toInteger(), chunk);
            QCOMPARE(o.value(u"status"_s).toInt(), 0);
        }
        QCOMPARE(seen[2].toObject().value(u"dropped"_s).toBool(false), false);
        QCOMPARE(seen[2].toObject().value(u"body_size"_s).toInteger(), chunk);
        QCOMPARE(seen[2].toObject().value(u"status"_s).toInt(), 308);
    }

    void dropAnswer()
    {
        const Created c = createMedia();
        const QByteArray file = content(chunk);
        QVERIFY(m_server->addFault({ { u"drop_answer"_s, true } }));
        const QByteArray request
            = rawPut(c.uploadUrl, file, "Content-Range: bytes 0-262143/262144\r\n"_ba);
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write(request);
        QVERIFY(client.waitClosed());
        QCOMPARE(client.pending(), QByteArray()); // no answer reached the client...
        QCOMPARE(m_server->mediaContent(c.id), file); // ...yet the server stored the bytes
        const QJsonArray seen = recordsFor(m_server->requests(), c.uploadUrl.path());
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen[0].toObject().value(u"status"_s).toInt(), 200);
        QCOMPARE(seen[0].toObject().value(u"dropped"_s).toBool(), true);
        // Used up: the next request is answered.
        QCOMPARE(rawExchange(m_server->port(),
                     rawPut(c.uploadUrl, {}, "Content-Range: bytes */262144\r\n"_ba))
                     .status,
            200);
    }

    void dropOnlyLongerBodies()
    {
        const Created c = createMedia();
        QVERIFY(m_server->addFault({ { u"drop_after_bytes"_s, 1000 } }));
        // 1000 bytes is not longer than 1000: untouched, and the fault waits for a longer one.
        const RawReply r = rawExchange(m_server->port(),
            rawPut(c.uploadUrl, content(1000), "Content-Range: bytes 0-999/1000\r\n"_ba));
        QCOMPARE(r.status, 200);
        QCOMPARE(activeFaults().size(), 1);
        // Requests elsewhere than upload URLs are not cut either.
        const Reply legacy
            = send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), content(5000), auth());
        QCOMPARE(legacy.status, 200);
        QCOMPARE(activeFaults().size(), 1);
    }

    void dropPathPrefix()
    {
        QVERIFY(addFault(true,
            { { u"drop_after_bytes"_s, 10 },
                { u"path_prefix"_s, u"/_matrix/media/v3/upload"_s } }));
        const Created c = createMedia();
        // The upload URL is not under the prefix.
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(100), 100).status, 200);

        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                     "ALICE\r\nContent-Length: 100\r\n\r\n"_ba
            + content(100));
        QVERIFY(client.waitClosed());
        QCOMPARE(client.pending(), QByteArray());
        const QJsonObject o = findRecord(m_server->requests(), u"/_matrix/media/v3/upload"_s);
        QCOMPARE(o.value(u"dropped"_s).toBool(), true);
        QCOMPARE(o.value(u"body_size"_s).toInteger(), 10);
        QCOMPARE(activeFaults(), QJsonArray());
    }

    void httpStatus_data()
    {
        QTest::addColumn<bool>("viaHttp");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errcode");
        QTest::addColumn<int>("retryAfter");
        QTest::addColumn<int>("okStatus");
        const QList<std::tuple<const char *, QString, QJsonObject, int, QString, int, int>> rows {
            { "upload URL 503 with retry_after", u"upload_url"_s,
                { { u"status"_s, 503 }, { u"retry_after"_s, 7 } }, 503, u"M_UNKNOWN"_s, 7, 200 },
            { "upload URL 500, no retry_after", u"upload_url"_s,
                { { u"status"_s, 500 }, { u"route"_s, u"upload_url"_s } }, 500, u"M_UNKNOWN"_s, -1,
                200 },
            { "upload URL 429", u"upload_url"_s, { { u"status"_s, 429 }, { u"retry_after"_s, 0 } },
                429, u"M_LIMIT_EXCEEDED"_s, 0, 200 },
            { "long 429 on create", u"create"_s,
                { { u"status"_s, 429 }, { u"route"_s, u"create"_s }, { u"retry_after"_s, 3600 } },
                429, u"M_LIMIT_EXCEEDED"_s, 3600, 200 },
            { "403 on create with errcode", u"create"_s,
                { { u"status"_s, 403 }, { u"route"_s, u"create"_s },
                    { u"errcode"_s, u"M_FORBIDDEN"_s } },
                403, u"M_FORBIDDEN"_s, -1, 200 },
            { "MSC2246 PUT 502", u"async"_s, { { u"status"_s, 502 }, { u"route"_s, u"upload"_s } },
                502, u"M_UNKNOWN"_s, -1, 200 },
            { "legacy upload 400 quota", u"legacy"_s,
                { { u"status"_s, 400 }, { u"route"_s, u"upload"_s },
                    { u"errcode"_s, u"M_RESOURCE_LIMIT_EXCEEDED"_s } },
                400, u"M_RESOURCE_LIMIT_EXCEEDED"_s, -1, 200 },
            { "complete 500", u"complete"_s,
                { { u"status"_s, 500 }, { u"route"_s, u"complete"_s } }, 500, u"M_UNKNOWN"_s, -1,
                200 },
            { "download 503", u"download"_s,
                { { u"status"_s, 503 }, { u"route"_s, u"download"_s }, { u"retry_after"_s, 2 } },
                503, u"M_UNKNOWN"_s, 2, 200 },
            { "any route, on create", u"create"_s,
                { { u"status"_s, 504 }, { u"route"_s, u"any"_s } }, 504, u"M_UNKNOWN"_s, -1, 200 },
            { "any route, on an upload URL", u"upload_url"_s,
                { { u"status"_s, 504 }, { u"route"_s, u"any"_s } }, 504, u"M_UNKNOWN"_s, -1, 200 },
        };
        for (const auto &[name, action, fault, status, errcode, retryAfter, okStatus] : rows) {
            for (const bool viaHttp : { false, true })
                QTest::addRow("%s, %s", name, viaHttp ? "POST /_test/faults" : "C++ API")
                    << viaHttp << action << fault << status << errcode << retryAfter << okStatus;
        }
    }
    void httpStatus()
    {
        QFETCH(bool, viaHttp);
        QFETCH(QString, action);
        QFETCH(QJsonObject, fault);
        QFETCH(int, status);
        QFETCH(QString, errcode);
        QFETCH(int, retryAfter);
        QFETCH(int, okStatus);
        QVERIFY(restartWith(Protocol::Put));
        const Created c = createMedia();
        const QString id = c.id;
        if (action == u"complete"_s)
            QCOMPARE(send(*m_nam, "PUT", c.uploadUrl, "done"_ba).status, 200);
        if (action == u"download"_s)
            QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + id),
                         "done"_ba, auth())
                         .status,
                200);
        auto act = [&]() -> Reply {
            if (action == u"upload_url"_s)
                return send(*m_nam, "PUT", c.uploadUrl, "bytes"_ba);
            if (action == u"create"_s)
                return send(*m_nam, "POST", url(u"/_matrix/media/v1/create"_s), "{}"_ba, auth());
            if (action == u"async"_s)
                return send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + id),
                    "bytes"_ba, auth());
            if (action == u"legacy"_s)
                return send(*m_nam, "POST", url(u"/_matrix/media/v3/upload"_s), "bytes"_ba, auth());
            if (action == u"complete"_s)
                return send(*m_nam, "POST",
                    url(u"/_matrix/media/v1/upload/localhost/"_s + id + u"/complete"_s), "{}"_ba,
                    auth());
            return send(*m_nam, "GET", url(u"/_matrix/client/v1/media/download/localhost/"_s + id),
                {}, auth());
        };
        fault.insert(u"times"_s, 2);
        QVERIFY(addFault(viaHttp, fault));
        for (int i = 0; i < 2; ++i) {
            const Reply r = act();
            QCOMPARE(r.status, status);
            QCOMPARE(r.errcode(), errcode);
            QCOMPARE(r.json.value(u"error"_s).toString(), u"injected fault"_s);
            if (retryAfter < 0) {
                QVERIFY(!r.hasHeader("Retry-After"));
                QVERIFY(!r.json.contains(u"retry_after_ms"_s));
            } else {
                QCOMPARE(r.header("Retry-After"), QByteArray::number(retryAfter));
                QCOMPARE(r.json.value(u"retry_after_ms"_s).toInteger(), qint64(retryAfter) * 1000);
            }
        }
        QCOMPARE(activeFaults(), QJsonArray());
        QCOMPARE(act().status, okStatus);
    }

    void httpStatusOnlyItsRoute()
    {
        QVERIFY(restartWith(Protocol::Put));
        QVERIFY(m_server->addFault({ { u"status"_s, 503 }, { u"route"_s, u"download"_s } }));
        const Created c = createMedia();
        QCOMPARE(c.status, 200);
        QCOMPARE(send(*m_nam, "PUT", c.uploadUrl, "x"_ba).status, 200);
        QCOMPARE(activeFaults().size(), 1);
        QCOMPARE(send(*m_nam, "GET", url(u"/_matrix/client/v1/media/download/localhost/"_s + c.id),
                     {}, auth())
                     .status,
            503);
        // The default route is upload_url: create is untouched.
        QVERIFY(m_server->addFault({ { u"status"_s, 503 } }));
        QCOMPARE(createMedia().status, 200);
        QCOMPARE(activeFaults().size(), 1);
    }

    void shortRange_data()
    {
        QTest::addColumn<bool>("viaHttp");
        QTest::addColumn<Protocol>("protocol");
        for (const bool viaHttp : { false, true }) {
            const char *how = viaHttp ? "POST /_test/faults" : "C++ API";
            QTest::addRow("content-range, %s", how) << viaHttp << Protocol::ContentRange;
            QTest::addRow("tus, %s", how) << viaHttp << Protocol::Tus;
        }
    }
    void shortRange()
    {
        QFETCH(bool, viaHttp);
        QFETCH(Protocol, protocol);
        QVERIFY(restartWith(protocol));
        const Created c = createMedia();
        const QByteArray file = content(2 * chunk);
        QVERIFY(addFault(viaHttp, { { u"short_range"_s, 1000 } }));
        const qint64 held = chunk - 1000;
        if (protocol == Protocol::ContentRange) {
            Reply r = putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size());
            QCOMPARE(r.status, 308);
            QCOMPARE(r.header("Range"), "bytes=0-"_ba + QByteArray::number(held - 1));
            r = statusQuery(*m_nam, c.uploadUrl, file.size());
            QCOMPARE(r.header("Range"), "bytes=0-"_ba + QByteArray::number(held - 1));
            // Resume from what the server holds, not from what was sent.
            r = putRange(*m_nam, c.uploadUrl, held, file.mid(held), file.size());
            QCOMPARE(r.status, 200);
        } else {
            Reply r
                = send(*m_nam, "PATCH", c.uploadUrl, file.left(chunk), tusHeaders(0, file.size()));
            QCOMPARE(r.status, 204);
            QCOMPARE(r.header("Upload-Offset"), QByteArray::number(held));
            r = send(*m_nam, "HEAD", c.uploadUrl, {}, { { "Tus-Resumable"_ba, "1.0.0"_ba } });
            QCOMPARE(r.header("Upload-Offset"), QByteArray::number(held));
            r = send(*m_nam, "PATCH", c.uploadUrl, file.mid(held), tusHeaders(held));
            QCOMPARE(r.status, 204);
        }
        QCOMPARE(m_server->mediaContent(c.id), file);
        QCOMPARE(activeFaults(), QJsonArray());
    }

    void shortRangeLongerThanChunk()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        QVERIFY(m_server->addFault({ { u"short_range"_s, 10 * chunk } }));
        const Reply r = putRange(*m_nam, c.uploadUrl, 0, content(chunk), 2 * chunk);
        QCOMPARE(r.status, 308);
        QVERIFY(!r.hasHeader("Range")); // holds nothing
        QCOMPARE(stored(c.id), 0);
    }

    void latency_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("latency");
    }
    void latency()
    {
        QFETCH(bool, viaHttp);
        QVERIFY(addFault(viaHttp, { { u"latency_ms"_s, 800 }, { u"times"_s, 1 } }));
        // The first request is held back; one sent after it, on another connection, overtakes it.
        QNetworkReply *slow = start(*m_nam, "GET", url(u"/_matrix/client/versions"_s));
        QTRY_VERIFY(!findRecord(m_server->requests(), u"/_matrix/client/versions"_s).isEmpty());
        QCOMPARE(activeFaults(), QJsonArray()); // the held request took the fault
        const Reply fast = send(*m_nam, "GET", url(u"/.well-known/matrix/client"_s));
        QCOMPARE(fast.status, 200);
        QVERIFY(!slow->isFinished());
        QCOMPARE(findRecord(m_server->requests(), u"/_matrix/client/versions"_s)
                     .value(u"status"_s)
                     .toInt(),
            0);
        const Reply late = finish(slow);
        QCOMPARE(late.status, 200);
        const QJsonArray seen = m_server->requests();
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[0].toObject().value(u"path"_s).toString(), u"/_matrix/client/versions"_s);
        QCOMPARE(seen[0].toObject().value(u"status"_s).toInt(), 200);
    }

    void latencyCounts()
    {
        QVERIFY(addFault(true, { { u"latency_ms"_s, 1 }, { u"times"_s, 2 } }));
        QCOMPARE(activeFaults()[0].toObject().value(u"times_left"_s).toInt(), 2);
        // Test control requests neither wait nor use it up.
        QCOMPARE(activeFaults()[0].toObject().value(u"times_left"_s).toInt(), 2);
        QCOMPARE(send(*m_nam, "GET", url(u"/_matrix/client/versions"_s)).status, 200);
        QCOMPARE(activeFaults()[0].toObject().value(u"times_left"_s).toInt(), 1);
        QCOMPARE(send(*m_nam, "GET", url(u"/_matrix/client/versions"_s)).status, 200);
        QCOMPARE(activeFaults(), QJsonArray());

        // Without times, every request until cleared.
        QVERIFY(m_server->addFault({ { u"latency_ms"_s, 1 } }));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(send(*m_nam, "GET", url(u"/_matrix/client/versions"_s)).status, 200);
        QCOMPARE(activeFaults()[0].toObject().value(u"times_left"_s).toInt(), -1);
    }

    void latencyByPathPrefix()
    {
        // Issue 14: a stall of one endpoint (create, complete, a download) for the tests of
        // inactivity timeouts; requests to other paths pass and do not use the fault up.
        QVERIFY(m_server->addFault({ { u"latency_ms"_s, 60000 }, { u"times"_s, 1 },
            { u"path_prefix"_s, u"/_matrix/media/v1/create"_s } }));
        QCOMPARE(send(*m_nam, "GET", url(u"/_matrix/client/versions"_s)).status, 200);
        QCOMPARE(activeFaults()[0].toObject().value(u"times_left"_s).toInt(), 1);
        QNetworkRequest request(url(u"/_matrix/media/v1/create"_s));
        request.setRawHeader("Authorization", "Bearer ALICE");
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setTransferTimeout(300);
        QNetworkReply *stalled = m_nam->post(request, "{}");
        QSignalSpy done(stalled, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        QCOMPARE(stalled->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 0);
        QCOMPARE(activeFaults(), QJsonArray());
        // Held back until the client gave up: the server never handled it.
        QCOMPARE(findRecord(m_server->requests(), u"/_matrix/media/v1/create"_s)
                     .value(u"status"_s)
                     .toInt(),
            0);
        stalled->deleteLater();
        QVERIFY(!m_server->addFault({ { u"latency_ms"_s, 5 }, { u"path_prefix"_s, 5 } }));
    }

    void holdAnswer()
    {
        // The server handles the request; the client never hears of it, on a connection that
        // stays open (a stall after the work, not a cut that QtNetwork would paper over).
        QVERIFY(m_server->addFault(
            { { u"hold_answer"_s, true }, { u"path_prefix"_s, u"/_matrix/media/v1/create"_s } }));
        QNetworkRequest request(url(u"/_matrix/media/v1/create"_s));
        request.setRawHeader("Authorization", "Bearer ALICE");
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setTransferTimeout(300);
        QNetworkReply *held = m_nam->post(request, "{}");
        QSignalSpy done(held, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        QCOMPARE(held->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 0);
        QCOMPARE(held->error(), QNetworkReply::OperationCanceledError); // Qt's timeout
        const QJsonObject record = findRecord(m_server->requests(), u"/_matrix/media/v1/create"_s);
        QCOMPARE(record.value(u"status"_s).toInt(), 200); // handled
        QVERIFY(record.value(u"dropped"_s).toBool());
        QCOMPARE(m_server->requests().size(), 1); // not sent again
        QCOMPARE(activeFaults(), QJsonArray());
        held->deleteLater();
        // The next request is answered as usual.
        QCOMPARE(send(*m_nam, "GET", url(u"/_matrix/client/versions"_s)).status, 200);
    }

    void answerFaultsSkipShortBodies_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addRow("hold_answer") << u"hold_answer"_s;
        QTest::addRow("drop_answer") << u"drop_answer"_s;
    }
    void answerFaultsSkipShortBodies()
    {
        // A resumable upload asks for its status (no body) before its first chunk: min_body
        // lets the status query through and takes the chunk.
        QFETCH(QString, kind);
        const Created c = createMedia();
        QVERIFY(m_server->addFault({ { kind, true }, { u"min_body"_s, 1 } }));
        const RawReply status = rawExchange(
            m_server->port(), rawPut(c.uploadUrl, {}, "Content-Range: bytes */262144\r\n"_ba));
        QCOMPARE(status.status, 308);
        QCOMPARE(activeFaults().size(), 1);

        const QByteArray file = content(chunk);
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write(rawPut(c.uploadUrl, file, "Content-Range: bytes 0-262143/262144\r\n"_ba));
        // Handled, with no answer: held on an open connection, or the connection cut.
        QTRY_COMPARE(stored(c.id), chunk);
        if (kind == u"drop_answer"_s)
            QVERIFY(client.waitClosed());
        const auto chunkRecord = [&] {
            return recordsFor(m_server->requests(), c.uploadUrl.path()).last().toObject();
        };
        QTRY_VERIFY(chunkRecord().value(u"dropped"_s).toBool());
        QCOMPARE(chunkRecord().value(u"status"_s).toInt(), 200);
        QCOMPARE(recordsFor(m_server->requests(), c.uploadUrl.path()).size(), 2);
        QCOMPARE(client.pending(), QByteArray());
        QCOMPARE(activeFaults(), QJsonArray());
    }

    void latencyWithBody()
    {
        // A delayed head with a body behind it: the body must follow the head, whole.
        const Created c = createMedia();
        QVERIFY(m_server->addFault({ { u"latency_ms"_s, 50 }, { u"times"_s, 1 } }));
        const QByteArray file = content(chunk + 100);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file, file.size()).status, 200);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void bandwidth_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("bandwidth");
    }
    void bandwidth()
    {
        QFETCH(bool, viaHttp);
        const Created c = createMedia();
        QVERIFY(addFault(viaHttp, { { u"bandwidth"_s, 4 * 1024 * 1024 } }));
        QCOMPARE(activeFaults().size(), 1);
        const QByteArray file = content(2 * chunk + 100);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(2 * chunk), file.size()).status, 308);
        QCOMPARE(
            putRange(*m_nam, c.uploadUrl, 2 * chunk, file.mid(2 * chunk), file.size()).status, 200);
        QCOMPARE(m_server->mediaContent(c.id), file);
        const QJsonArray seen = recordsFor(m_server->requests(), c.uploadUrl.path());
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[0].toObject().value(u"body_size"_s).toInteger(), 2 * chunk);
        QCOMPARE(seen[1].toObject().value(u"body_size"_s).toInteger(), 100);
        // It stays until removed.
        QCOMPARE(activeFaults().size(), 1);
        QVERIFY(addFault(viaHttp, { { u"bandwidth"_s, 0 } }));
        QCOMPARE(activeFaults(), QJsonArray());
    }

    void holdRequestUntilReleased_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("release");
    }
    void holdRequestUntilReleased()
    {
        // A held request reaches the server only when the test releases it; others pass.
        QFETCH(bool, viaHttp);
        QVERIFY(addFault(viaHttp,
            { { u"hold_request"_s, true }, { u"path_prefix"_s, u"/_matrix/media/v1/create"_s } }));
        QNetworkReply *held
            = start(*m_nam, "POST", url(u"/_matrix/media/v1/create"_s), "{}"_ba, auth());
        QTRY_COMPARE(m_server->heldRequests(), 1);
        QCOMPARE(createMedia().status, 200); // the fault held one request (times 1)
        QVERIFY(!held->isFinished());
        QCOMPARE(findRecord(m_server->requests(), u"/_matrix/media/v1/create"_s)
                     .value(u"status"_s)
                     .toInt(),
            0); // not handled
        if (viaHttp) {
            const Reply r = send(*m_nam, "POST", url(u"/_test/release"_s));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.json.value(u"released"_s).toInt(), 1);
        } else {
            QCOMPARE(m_server->releaseHeldRequests(), 1);
        }
        const Reply answer = finish(held);
        QCOMPARE(answer.status, 200);
        QVERIFY(answer.json.value(u"content_uri"_s).toString().startsWith(u"mxc://"_s));
        QCOMPARE(m_server->heldRequests(), 0);
        QCOMPARE(m_server->releaseHeldRequests(), 0);
    }

    void cutAnswerAfterBytes_data()
    {
        QTest::addColumn<int>("cutAfter");
        QTest::addRow("in the head") << 20;
        QTest::addRow("in the body") << -30; // 30 bytes before the whole answer's end
    }
    void cutAnswerAfterBytes()
    {
        // The server handles the request; the client gets the first N bytes of the answer and
        // then the end of the connection.
        QFETCH(int, cutAfter);
        const QByteArray request = "POST /_matrix/media/v1/create HTTP/1.1\r\nHost: x\r\n"
                                   "Authorization: Bearer ALICE\r\nContent-Length: 2\r\n\r\n{}"_ba;
        auto wholeAnswer = [&] {
            RawClient client(m_server->port());
            client.waitConnected();
            client.write(request);
            const RawReply r = client.readResponse();
            return r.head.size() + 4 + r.body.size();
        };
        const qsizetype whole = wholeAnswer();
        QVERIFY(whole > 100);
        const qint64 n = cutAfter > 0 ? cutAfter : whole + cutAfter;
        QVERIFY(m_server->addFault({ { u"cut_after_bytes"_s, n },
            { u"path_prefix"_s, u"/_matrix/media/v1/create"_s }, { u"times"_s, 1 } }));
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write(request);
        QVERIFY(client.waitClosed());
        QCOMPARE(client.pending().size(), n);
        QVERIFY(client.pending().startsWith("HTTP/1.1 200"));
        const QJsonArray creates = recordsFor(m_server->requests(), u"/_matrix/media/v1/create"_s);
        QCOMPARE(creates.size(), 2);
        QCOMPARE(creates[1].toObject().value(u"status"_s).toInt(), 200); // handled
        QVERIFY(creates[1].toObject().value(u"dropped"_s).toBool());
        QCOMPARE(wholeAnswer(), whole); // used up: the next answer is whole
    }

    void bytesReceivedInFlight()
    {
        // With the bandwidth cap the relay reads a chunk slowly; what has arrived of it shows
        // in bytesReceived() and GET /_test/received/ID before the chunk is stored.
        const Created c = createMedia();
        const QByteArray file = content(3 * chunk, 6);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size()).status, 308);
        QCOMPARE(m_server->bytesReceived(c.id), chunk);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 128 * 1024 } }));
        QNetworkReply *reply = start(*m_nam, "PUT", c.uploadUrl, file.mid(chunk, chunk),
            { { "Content-Range"_ba, contentRange(chunk, chunk, file.size()) } });
        QTRY_VERIFY(m_server->bytesReceived(c.id) > chunk);
        const qint64 seen = m_server->bytesReceived(c.id);
        QVERIFY(seen < 2 * chunk);
        QCOMPARE(stored(c.id), chunk); // nothing of the second chunk is stored yet
        const Reply viaHttp = send(*m_nam, "GET", url(u"/_test/received/"_s + c.id));
        QCOMPARE(viaHttp.status, 200);
        QCOMPARE(viaHttp.json.value(u"id"_s).toString(), c.id);
        QCOMPARE(viaHttp.json.value(u"stored"_s).toInteger(), chunk);
        QVERIFY(viaHttp.json.value(u"received"_s).toInteger() >= seen);
        QVERIFY(viaHttp.json.value(u"received"_s).toInteger() <= 2 * chunk);
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QCOMPARE(finish(reply).status, 308);
        QCOMPARE(m_server->bytesReceived(c.id), 2 * chunk);
        QCOMPARE(m_server->bytesReceived(u"unknownId"_s), -1);
        QCOMPARE(send(*m_nam, "GET", url(u"/_test/received/unknownId"_s)).status, 404);
    }

    void tamperUploadUrl_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("tamper twice");
    }
    void tamperUploadUrl()
    {
        QFETCH(bool, viaHttp);
        QVERIFY(addFault(viaHttp, { { u"tamper_upload_url"_s, true }, { u"times"_s, 2 } }));
        for (int i = 0; i < 2; ++i) {
            const Created c = createMedia();
            QCOMPARE(c.status, 200);
            QVERIFY(QUrlQuery(c.uploadUrl).hasQueryItem(u"exp"_s));
            QCOMPARE(QUrlQuery(c.uploadUrl).queryItemValue(u"sig"_s).size(), 64);
            const Reply r = putRange(*m_nam, c.uploadUrl, 0, "data"_ba, 4);
            QCOMPARE(r.status, 403);
            QCOMPARE(r.errcode(), u"M_FORBIDDEN"_s);
            QCOMPARE(stored(c.id), 0);
            // The ID itself is fine: the MSC2246 fallback takes the bytes.
            QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id),
                         "data"_ba, auth())
                         .status,
                200);
        }
        const Created c = createMedia();
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, "data"_ba, 4).status, 200);
    }

    void misreportSha256_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("misreport one hash");
    }
    void misreportSha256()
    {
        QFETCH(bool, viaHttp);
        QVERIFY(addFault(viaHttp, { { u"misreport_sha256"_s, true } }));
        const QString real = QString::fromLatin1(
            QCryptographicHash::hash("data"_ba, QCryptographicHash::Sha256).toHex());
        auto named = [](const Reply &r) {
            return QJsonDocument::fromJson(r.body).object().value(u"sha256"_s).toString();
        };
        const Created c = createMedia();
        const Reply misreported = putRange(*m_nam, c.uploadUrl, 0, "data"_ba, 4);
        QCOMPARE(misreported.status, 200);
        QVERIFY(!named(misreported).isEmpty());
        QVERIFY(named(misreported) != real);
        QCOMPARE(m_server->mediaContent(c.id), "data"_ba); // the copy itself is right
        // One use: the next completed upload names its own hash.
        const Created d = createMedia();
        QCOMPARE(named(putRange(*m_nam, d.uploadUrl, 0, "data"_ba, 4)), real);
    }

    void tamperDownload_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("tamper one download");
    }
    void tamperDownload()
    {
        QFETCH(bool, viaHttp);
        const Created c = createMedia();
        QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id),
                     "data"_ba, auth())
                     .status,
            200);
        QVERIFY(addFault(viaHttp, { { u"tamper_download"_s, true } }));
        const QUrl download = url(u"/_matrix/client/v1/media/download/localhost/"_s + c.id);
        const Reply tampered = send(*m_nam, "GET", download, {}, auth());
        QCOMPARE(tampered.status, 200);
        QCOMPARE(tampered.body,
            QByteArray("\x9b"
                       "ata"));
        // One use: the next download is the stored bytes again.
        QCOMPARE(send(*m_nam, "GET", download, {}, auth()).body, "data"_ba);
        QCOMPARE(m_server->mediaContent(c.id), "data"_ba);
    }

    void uploadUrlExpires_data()
    {
        QTest::addColumn<bool>("viaHttp");
        addApiAndHttpRows("expires");
    }
    void uploadUrlExpires()
    {
        QFETCH(bool, viaHttp);
        QVERIFY(addFault(viaHttp, { { u"upload_url_expires_in_ms"_s, 0 } }));
        const Created dead = createMedia();
        const Reply r = putRange(*m_nam, dead.uploadUrl, 0, "data"_ba, 4);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errcode(), u"M_FORBIDDEN"_s);
        QVERIFY(r.json.value(u"error"_s).toString().contains(u"expired"_s));
        // The ID lives on (its unused expiry is a day away) and takes the MSC2246 fallback.
        QVERIFY(dead.json.value(u"unused_expires_at"_s).toInteger()
            > QDateTime::currentMSecsSinceEpoch() + 3600 * 1000);
        QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + dead.id),
                     "data"_ba, auth())
                     .status,
            200);

        // One use by default; a longer lifetime shows in the URL.
        QVERIFY(addFault(viaHttp, { { u"upload_url_expires_in_ms"_s, 60000 } }));
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const Created soon = createMedia();
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        const qint64 exp = QUrlQuery(soon.uploadUrl).queryItemValue(u"exp"_s).toLongLong();
        QVERIFY(exp >= before + 60000 && exp <= after + 60000);
        QCOMPARE(putRange(*m_nam, soon.uploadUrl, 0, "data"_ba, 4).status, 200);
        const Created normal = createMedia();
        QCOMPARE(QUrlQuery(normal.uploadUrl).queryItemValue(u"exp"_s).toLongLong(),
            normal.json.value(u"unused_expires_at"_s).toInteger());
    }

    void expire_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<bool>("all");
        QTest::addRow("expireMedia(ID)") << u"api-id"_s << false;
        QTest::addRow("expireMedia(mxc URI)") << u"api-uri"_s << false;
        QTest::addRow("expireMedia(*)") << u"api-all"_s << true;
        QTest::addRow("addFault expire") << u"addfault"_s << false;
        QTest::addRow("POST /_test/faults expire ID") << u"http-id"_s << false;
        QTest::addRow("POST /_test/faults expire mxc URI") << u"http-uri"_s << false;
        QTest::addRow("POST /_test/faults expire *") << u"http-all"_s << true;
    }
    void expire()
    {
        QFETCH(QString, how);
        QFETCH(bool, all);
        const Created c = createMedia();
        const Created other = createMedia();
        const Created done = createMedia();
        QCOMPARE(putRange(*m_nam, done.uploadUrl, 0, "done"_ba, 4).status, 200);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(chunk), 2 * chunk).status, 308);

        if (how == u"api-id"_s)
            QVERIFY(m_server->expireMedia(c.id));
        else if (how == u"api-uri"_s)
            QVERIFY(m_server->expireMedia(c.uri));
        else if (how == u"api-all"_s)
            QVERIFY(m_server->expireMedia(u"*"_s));
        else if (how == u"addfault"_s)
            QVERIFY(m_server->addFault({ { u"expire"_s, c.id } }));
        else if (how == u"http-id"_s)
            QVERIFY(addFault(true, { { u"expire"_s, c.id } }));
        else if (how == u"http-uri"_s)
            QVERIFY(addFault(true, { { u"expire"_s, c.uri } }));
        else
            QVERIFY(addFault(true, { { u"expire"_s, u"*"_s } }));

        // A dead ID: its upload URL answers 410, MSC2246 PUT, complete and download 404.
        Reply r = statusQuery(*m_nam, c.uploadUrl, 2 * chunk);
        QCOMPARE(r.status, 410);
        r = send(
            *m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id), "x"_ba, auth());
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        r = send(*m_nam, "POST",
            url(u"/_matrix/media/v1/upload/localhost/"_s + c.id + u"/complete"_s), "{}"_ba, auth());
        QCOMPARE(r.status, 404);
        r = send(*m_nam, "GET",
            url(u"/_matrix/client/v1/media/download/localhost/"_s + c.id, u"timeout_ms=0"_s), {},
            auth());
        QCOMPARE(r.status, 404);
        QCOMPARE(stored(c.id), chunk);

        // Only pending IDs expire; "*" takes every pending one.
        QCOMPARE(putRange(*m_nam, other.uploadUrl, 0, "data"_ba, 4).status, all ? 410 : 200);
        QCOMPARE(send(*m_nam, "GET",
                     url(u"/_matrix/client/v1/media/download/localhost/"_s + done.id), {}, auth())
                     .body,
            "done"_ba);
        QVERIFY(!m_server->expireMedia(done.id));
    }

    void testControlOff_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addRow("GET faults") << "GET"_ba << u"/_test/faults"_s;
        QTest::addRow("POST faults") << "POST"_ba << u"/_test/faults"_s;
        QTest::addRow("DELETE faults") << "DELETE"_ba << u"/_test/faults"_s;
        QTest::addRow("GET requests") << "GET"_ba << u"/_test/requests"_s;
        QTest::addRow("DELETE requests") << "DELETE"_ba << u"/_test/requests"_s;
    }
    void testControlOff()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        MediaTestServerConfig config = defaultConfig();
        config.enableTestControl = false;
        QVERIFY(restart(config));
        const Reply r = send(*m_nam, method, url(path),
            method == "POST" ? R"({"status": 503, "route": "create"})"_ba : QByteArray());
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
        QVERIFY(!r.body.contains("faults"));
        QVERIFY(!r.body.contains("requests"));
        // Nothing was added.
        QCOMPARE(createMedia().status, 200);
    }

    void requestRecord()
    {
        const Created c = createMedia();
        m_server->clearRequests();
        QCOMPARE(m_server->requests(), QJsonArray());

        const RawReply r = rawExchange(m_server->port(),
            rawPut(c.uploadUrl, "0123456789"_ba,
                "Content-Type: text/plain\r\nX-Custom: a\r\nx-custom: b\r\nCONTENT-RANGE: bytes "
                "0-9/10\r\n"_ba));
        QCOMPARE(r.status, 200);
        const QJsonArray seen = m_server->requests();
        QCOMPARE(seen.size(), 1);
        const QJsonObject o = seen[0].toObject();
        QCOMPARE(o.value(u"method"_s).toString(), u"PUT"_s);
        QCOMPARE(o.value(u"path"_s).toString(), c.uploadUrl.path());
        QCOMPARE(o.value(u"query"_s).toString(), c.uploadUrl.query(QUrl::FullyEncoded));
        QCOMPARE(o.value(u"content_length"_s).toInteger(), 10);
        QCOMPARE(o.value(u"body_size"_s).toInteger(), 10);
        QCOMPARE(o.value(u"status"_s).toInt(), 200);
        QCOMPARE(o.value(u"dropped"_s).toBool(false), false);
        const QJsonObject headers = o.value(u"headers"_s).toObject();
        QCOMPARE(headers.value(u"host"_s).toString(), u"127.0.0.1"_s);
        QCOMPARE(headers.value(u"content-type"_s).toString(), u"text/plain"_s);
        QCOMPARE(headers.value(u"content-range"_s).toString(), u"bytes 0-9/10"_s);
        QCOMPARE(headers.value(u"content-length"_s).toString(), u"10"_s);
        QCOMPARE(headers.value(u"x-custom"_s).toString(), u"a, b"_s);
        QVERIFY(!headers.contains(u"authorization"_s));
        for (auto it = headers.begin(); it != headers.end(); ++it)
            QCOMPARE(it.key(), it.key().toLower());

        // The Matrix routes are recorded with their token; test control requests are not recorded.
        QCOMPARE(
            send(*m_nam, "GET", url(u"/_matrix/client/v1/media/config"_s, u"x=1"_s), {}, auth())
                .status,
            200);
        const Reply listed = send(*m_nam, "GET", url(u"/_test/requests"_s));
        QCOMPARE(listed.status, 200);
        const QJsonArray all = listed.json.value(u"requests"_s).toArray();
        QCOMPARE(all, m_server->requests());
        QCOMPARE(all.size(), 2);
        const QJsonObject config = all[1].toObject();
        QCOMPARE(config.value(u"method"_s).toString(), u"GET"_s);
        QCOMPARE(config.value(u"path"_s).toString(), u"/_matrix/client/v1/media/config"_s);
        QCOMPARE(config.value(u"query"_s).toString(), u"x=1"_s);
        QCOMPARE(config.value(u"headers"_s).toObject().value(u"authorization"_s).toString(),
            u"Bearer ALICE"_s);
        QCOMPARE(config.value(u"body_size"_s).toInteger(), 0);
        QCOMPARE(config.value(u"status"_s).toInt(), 200);
        QVERIFY(all[0].toObject().value(u"id"_s).toInt() < config.value(u"id"_s).toInt());

        QCOMPARE(send(*m_nam, "DELETE", url(u"/_test/requests"_s)).status, 200);
        QCOMPARE(m_server->requests(), QJsonArray());
        QCOMPARE(send(*m_nam, "GET", url(u"/_test/requests"_s)).json.value(u"requests"_s).toArray(),
            QJsonArray());
    }

    void requestRecordOfRefusals()
    {
        // A request refused by the relay (413 before its body) is recorded with that status.
        MediaTestServerConfig config = defaultConfig();
        config.maxRequestBody = 1000;
        QVERIFY(restart(config));
        const RawReply r = rawExchange(m_server->port(),
            "POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n"_ba);
        QCOMPARE(r.status, 413);
        const QJsonObject o = findRecord(m_server->requests(), u"/_matrix/media/v3/upload"_s);
        QCOMPARE(o.value(u"status"_s).toInt(), 413);
        QCOMPARE(o.value(u"content_length"_s).toInteger(), 1001);
        QCOMPARE(o.value(u"body_size"_s).toInteger(), 0);
    }

    void requestRecordKeepAlive()
    {
        // Two requests on one connection, the second one malformed: the first one's record keeps
        // its own status.
        RawClient client(m_server->port());
        QVERIFY(client.waitConnected());
        client.write("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"_ba);
        QCOMPARE(client.readResponse().status, 200);
        client.write("GET /nothing HTTP/1.1\r\nbroken header\r\n\r\n"_ba);
        QCOMPARE(client.readResponse().status, 400);
        QVERIFY(client.waitClosed());
        const QJsonArray seen = m_server->requests();
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen[0].toObject().value(u"status"_s).toInt(), 200);
    }
};

QTEST_GUILESS_MAIN(tst_Faults)
#include "tst_faults.moc"
