// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// MatrixError: parsing of Matrix error answers and the retry/wait rules of protocol.md 9.
#include <matrixupload/api/matrixerror.h>

#include "api/networkreply_p.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

namespace {
// A fixed clock, so HTTP-date waits are exact.
const QDateTime now(QDate(2026, 11, 26), QTime(12, 0, 0), QTimeZone::utc());

//! A loopback peer that takes connections and never answers: every request to it stalls.
class SilentPeer final : public QObject
{
public:
    SilentPeer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                s->setParent(this); // read nothing, answer nothing
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/stall"_s.arg(m_server.serverPort())); }

private:
    QTcpServer m_server;
};
} // namespace

class tst_MatrixError final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromHttp_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QString>("errcode");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("waitMs"); // -1: no wait given
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<bool>("unrecognized");
        QTest::addColumn<bool>("quota");
        QTest::addColumn<bool>("unauthorized");

        const QByteArray limited
            = R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000})"_ba;
        QTest::addRow("429 with Retry-After")
            << 429 << limited << "7"_ba << u"M_LIMIT_EXCEEDED"_s << u"Too many requests"_s
            << qint64(7000) << true << false << false << false;
        QTest::addRow("429 with HTTP-date Retry-After")
            << 429 << limited << "Thu, 26 Nov 2026 12:00:30 GMT"_ba << u"M_LIMIT_EXCEEDED"_s
            << u"Too many requests"_s << qint64(30000) << true << false << false << false;
        QTest::addRow("429 with RFC 2822 date and zone")
            << 429 << limited << "Thu, 26 Nov 2026 13:01:00 +0100"_ba << u"M_LIMIT_EXCEEDED"_s
            << u"Too many requests"_s << qint64(60000) << true << false << false << false;
        QTest::addRow("Retry-After date in the past")
            << 429 << limited << "Thu, 26 Nov 2026 11:00:00 GMT"_ba << u"M_LIMIT_EXCEEDED"_s
            << u"Too many requests"_s << qint64(0) << true << false << false << false;
        QTest::addRow("retry_after_ms without Retry-After")
            << 429 << limited << QByteArray() << u"M_LIMIT_EXCEEDED"_s << u"Too many requests"_s
            << qint64(2000) << true << false << false << false;
        QTest::addRow("garbage Retry-After falls back to retry_after_ms")
            << 429 << limited << "soon"_ba << u"M_LIMIT_EXCEEDED"_s << u"Too many requests"_s
            << qint64(2000) << true << false << false << false;
        QTest::addRow("503 with Retry-After, no body")
            << 503 << QByteArray() << "3"_ba << QString() << u"Service Unavailable"_s
            << qint64(3000) << true << false << false << false;
        QTest::addRow("non-JSON body")
            << 502 << "<html><body>Bad gateway</body></html>"_ba << QByteArray() << QString()
            << u"Bad Gateway"_s << qint64(-1) << true << false << false << false;
        QTest::addRow("JSON that is not an object")
            << 500 << "[1,2]"_ba << QByteArray() << QString() << u"Internal Server Error"_s
            << qint64(-1) << true << false << false << false;
        QTest::addRow("errcode trusted over a 5xx status")
            << 500 << R"({"errcode":"M_FORBIDDEN","error":"no"})"_ba << QByteArray()
            << u"M_FORBIDDEN"_s << u"no"_s << qint64(-1) << false << false << false << false;
        QTest::addRow("M_UNKNOWN leaves it to the status")
            << 503 << R"({"errcode":"M_UNKNOWN","error":"injected fault"})"_ba << QByteArray()
            << u"M_UNKNOWN"_s << u"injected fault"_s << qint64(-1) << true << false << false
            << false;
        QTest::addRow("404 M_UNRECOGNIZED")
            << 404 << R"({"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"})"_ba
            << QByteArray() << u"M_UNRECOGNIZED"_s << u"Unrecognized request"_s << qint64(-1)
            << false << true << false << false;
        QTest::addRow("400 M_UNRECOGNIZED")
            << 400 << R"({"errcode":"M_UNRECOGNIZED","error":"?"})"_ba << QByteArray()
            << u"M_UNRECOGNIZED"_s << u"?"_s << qint64(-1) << false << true << false << false;
        QTest::addRow("bare 405 from a proxy")
            << 405 << "Method Not Allowed"_ba << QByteArray() << QString()
            << u"Method Not Allowed"_s << qint64(-1) << false << true << false << false;
        QTest::addRow("404 M_NOT_FOUND is not unrecognized")
            << 404 << R"({"errcode":"M_NOT_FOUND","error":"Unknown media"})"_ba << QByteArray()
            << u"M_NOT_FOUND"_s << u"Unknown media"_s << qint64(-1) << false << false << false
            << false;
        QTest::addRow("403 M_FORBIDDEN")
            << 403 << R"({"errcode":"M_FORBIDDEN","error":"Invalid password"})"_ba << QByteArray()
            << u"M_FORBIDDEN"_s << u"Invalid password"_s << qint64(-1) << false << false << false
            << false;
        QTest::addRow("400 M_RESOURCE_LIMIT_EXCEEDED")
            << 400 << R"({"errcode":"M_RESOURCE_LIMIT_EXCEEDED","error":"quota"})"_ba
            << QByteArray() << u"M_RESOURCE_LIMIT_EXCEEDED"_s << u"quota"_s << qint64(-1) << false
            << false << true << false;
        QTest::addRow("403 M_USER_LIMIT_EXCEEDED")
            << 403
            << "{\"errcode\":\"M_USER_LIMIT_EXCEEDED\",\"error\":\"full\",\"info_uri\":\"https://x\"}"_ba
            << QByteArray() << u"M_USER_LIMIT_EXCEEDED"_s << u"full"_s << qint64(-1) << false
            << false << true << false;
        QTest::addRow("401 M_UNKNOWN_TOKEN")
            << 401 << R"({"errcode":"M_UNKNOWN_TOKEN","error":"gone","soft_logout":false})"_ba
            << QByteArray() << u"M_UNKNOWN_TOKEN"_s << u"gone"_s << qint64(-1) << false << false
            << false << true;
        QTest::addRow("bare 401") << 401 << QByteArray() << QByteArray() << QString()
                                  << u"Unauthorized"_s << qint64(-1) << false << false << false
                                  << true;
        QTest::addRow("504 M_NOT_YET_UPLOADED")
            << 504 << R"({"errcode":"M_NOT_YET_UPLOADED","error":"later"})"_ba << QByteArray()
            << u"M_NOT_YET_UPLOADED"_s << u"later"_s << qint64(-1) << true << false << false
            << false;
        QTest::addRow("408 without body")
            << 408 << QByteArray() << QByteArray() << QString() << u"Request Timeout"_s
            << qint64(-1) << true << false << false << false;
        QTest::addRow("413 M_TOO_LARGE")
            << 413 << R"({"errcode":"M_TOO_LARGE","error":"big"})"_ba << QByteArray()
            << u"M_TOO_LARGE"_s << u"big"_s << qint64(-1) << false << false << false << false;
        QTest::addRow("409 M_CANNOT_OVERWRITE_MEDIA")
            << 409 << R"({"errcode":"M_CANNOT_OVERWRITE_MEDIA","error":"taken"})"_ba << QByteArray()
            << u"M_CANNOT_OVERWRITE_MEDIA"_s << u"taken"_s << qint64(-1) << false << false << false
            << false;
    }

    void fromHttp()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QString, errcode);
        QFETCH(QString, message);
        QFETCH(qint64, waitMs);
        QFETCH(bool, retryable);
        QFETCH(bool, unrecognized);
        QFETCH(bool, quota);
        QFETCH(bool, unauthorized);

        const MatrixError e = MatrixError::fromHttp(status, body, retryAfter, now);
        QCOMPARE(e.kind(), MatrixError::Kind::Http);
        QCOMPARE(e.httpStatus(), status);
        QCOMPARE(e.errcode(), errcode);
        QCOMPARE(e.message(), message);
        QCOMPARE(e.retryAfterMs().value_or(-1), waitMs);
        QCOMPARE(e.isRetryable(), retryable);
        QCOMPARE(e.isUnrecognized(), unrecognized);
        QCOMPARE(e.isQuota(), quota);
        QCOMPARE(e.isUnauthorized(), unauthorized);
        QVERIFY(!e.isCancelled());
    }

    void extraFieldsKept()
    {
        // Not a raw string: moc 6.4 reads the "//" inside one as a comment and loses the class.
        const MatrixError e = MatrixError::fromHttp(403,
            "{\"errcode\":\"M_USER_LIMIT_EXCEEDED\",\"error\":\"full\",\"info_uri\":\"https://x/quota\"}"_ba);
        QCOMPARE(e.body().value(u"info_uri"_s).toString(), u"https://x/quota"_s);
    }

    void parseRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("waitMs"); // -1: not parsed
        QTest::addRow("seconds") << "120"_ba << qint64(120000);
        QTest::addRow("zero") << "0"_ba << qint64(0);
        QTest::addRow("padded") << " 5 "_ba << qint64(5000);
        QTest::addRow("IMF-fixdate") << "Thu, 26 Nov 2026 13:00:00 GMT"_ba << qint64(3600000);
        QTest::addRow("empty") << QByteArray() << qint64(-1);
        QTest::addRow("negative") << "-5"_ba << qint64(-1);
        QTest::addRow("fraction") << "1.5"_ba << qint64(-1);
        QTest::addRow("words") << "tomorrow"_ba << qint64(-1);
    }

    void parseRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, waitMs);
        QCOMPARE(MatrixError::parseRetryAfter(value, now).value_or(-1), waitMs);
    }

    void hugeRetryAfterDoesNotOverflow()
    {
        const auto wait = MatrixError::parseRetryAfter("99999999999999999999999"_ba, now);
        QVERIFY(wait.has_value());
        QVERIFY(*wait > 0);
    }

    void transportErrors()
    {
        const MatrixError refused
            = MatrixError::transport(QNetworkReply::ConnectionRefusedError, u"refused"_s);
        QCOMPARE(refused.kind(), MatrixError::Kind::Transport);
        QCOMPARE(refused.httpStatus(), 0);
        QVERIFY(refused.isRetryable());
        QVERIFY(!refused.isUnrecognized());

        const MatrixError cancelled = MatrixError::cancelled();
        QVERIFY(cancelled.isCancelled());
        QVERIFY(!cancelled.isRetryable());

        QVERIFY(!MatrixError::invalidResponse(u"no content_uri"_s, 200).isRetryable());
        QVERIFY(!MatrixError::local(u"bad input"_s).isRetryable());
    }

    void aStallIsATimeoutNotACancel()
    {
        // Issue 14, item 1: Qt ends a request whose bytes stopped for its transfer timeout with
        // OperationCanceledError, the code of a cancel. Read as a cancel, a stalled create,
        // upload, complete or download failed the job for good.
        SilentPeer peer;
        QNetworkAccessManager nam;
        QNetworkRequest request(peer.url());
        request.setTransferTimeout(200);
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError); // what Qt 6.4 says
        const MatrixError e = MatrixError::fromReply(reply);
        QCOMPARE(e.kind(), MatrixError::Kind::Transport);
        QCOMPARE(e.networkError(), QNetworkReply::TimeoutError);
        QVERIFY(!e.isCancelled());
        QVERIFY(e.isRetryable());
        QVERIFY2(e.toString().contains(u"inactivity"_s), qPrintable(e.toString()));
        delete reply;
    }

    void aReplyAbortedOnPurposeIsACancel()
    {
        SilentPeer peer;
        QNetworkAccessManager nam;
        QNetworkRequest request(peer.url());
        request.setTransferTimeout(60000);
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        abortReply(reply);
        QTRY_VERIFY(reply->isFinished());
        const MatrixError e = MatrixError::fromReply(reply);
        QVERIFY(e.isCancelled());
        QVERIFY(!e.isRetryable());
        delete reply;

        // Without a transfer timeout nothing can have timed out: a cancel too.
        QNetworkReply *plain = nam.get(QNetworkRequest(peer.url()));
        plain->abort();
        QVERIFY(MatrixError::fromReply(plain).isCancelled());
        delete plain;
    }

    void toStringNamesCodeAndStatus()
    {
        const MatrixError e
            = MatrixError::fromHttp(403, R"({"errcode":"M_FORBIDDEN","error":"Invalid"})"_ba);
        QCOMPARE(e.toString(), u"M_FORBIDDEN (HTTP 403): Invalid"_s);
        QCOMPARE(MatrixError::fromHttp(502, "x"_ba).toString(), u"HTTP 502: Bad Gateway"_s);
    }
};

QTEST_GUILESS_MAIN(tst_MatrixError)
#include "tst_matrixerror.moc"
