// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The test fixture library's own test: the wire check every upload test ends with
// (fixtures.h) fails for each way a secret can reach an upload URL, fed recorded requests that
// carry one, and passes for a clean record; the same through the test server's real record.
#include "fixtures.h"
#include "testserverbench.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload::Testing;
using namespace MatrixUploadTest;

namespace {
//! A request as the test server records it (MediaTestServer::requests()).
QJsonObject record(const QString &path, const QString &query = {}, const QJsonObject &headers = {},
    const QString &method = u"PUT"_s)
{
    return { { u"method"_s, method }, { u"path"_s, path }, { u"query"_s, query },
        { u"headers"_s, headers } };
}

const QString upload = u"/_upload/abcdefghijklmnopqrstuvwx"_s;
const QString clean = u"exp=1700000000000&sig=00ff"_s;
} // namespace

class tst_Fixtures final : public QObject, protected TestServerBench
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { reset(); }

    void secretCheck_data()
    {
        QTest::addColumn<QJsonArray>("requests");
        QTest::addColumn<QString>("found"); // empty: the check passes
        const QJsonObject plain { { u"content-type"_s, u"application/octet-stream"_s } };
        QTest::addRow("clean") << QJsonArray { record(upload, clean, plain) } << QString();
        QTest::addRow("token in the path")
            << QJsonArray { record(upload + u"/SECRETTOKEN"_s, clean) } << u"the path"_s;
        QTest::addRow("token in the query")
            << QJsonArray { record(upload, u"access_token=SECRETTOKEN"_s) } << u"the query"_s;
        QTest::addRow("token percent-encoded in the query")
            << QJsonArray { record(upload, u"t=SECRET%2FTOKEN"_s) } << u"the query"_s;
        QTest::addRow("token in a header value") << QJsonArray {
            record(upload, clean, { { u"x-leak"_s, u"Bearer-ish SECRETTOKEN"_s } })
        } << u"the header x-leak"_s;
        QTest::addRow("Authorization header, whatever it holds")
            << QJsonArray { record(upload, clean, { { u"authorization"_s, u"Basic Zm9v"_s } }) }
            << u"an Authorization header"_s;
        QTest::addRow("Cookie header, whatever it holds")
            << QJsonArray { record(upload, clean, { { u"cookie"_s, u"a=b"_s } }) }
            << u"a Cookie header"_s;
        QTest::addRow("the secret cookie's value in another header") << QJsonArray {
            record(upload, clean, { { u"x-leak"_s, QString::fromLatin1(secretCookieValue) } })
        } << u"the header x-leak"_s;
        // A token the check was not told of, but the record shows in an Authorization header
        // on a Matrix route (a login's or a refresh's): a secret as well.
        QTest::addRow("token from the record")
            << QJsonArray { record(u"/_matrix/media/v1/create"_s, {},
                                { { u"authorization"_s, u"Bearer mut_FROMLOGIN"_s } }, u"POST"_s),
                   record(upload, u"x=mut_FROMLOGIN"_s) }
            << u"the query"_s;
        // Only upload URLs are looked at: the token belongs on the Matrix routes.
        QTest::addRow("token on a Matrix route")
            << QJsonArray { record(u"/_matrix/media/v1/create"_s, u"x=SECRETTOKEN"_s,
                   { { u"authorization"_s, u"Bearer SECRETTOKEN"_s } }, u"POST"_s) }
            << QString();
    }
    void secretCheck()
    {
        QFETCH(QJsonArray, requests);
        QFETCH(QString, found);
        const QString leak
            = secretInUploadRequests(requests, { u"SECRETTOKEN"_s, u"SECRET/TOKEN"_s });
        if (found.isEmpty())
            QCOMPARE(leak, QString());
        else
            QVERIFY2(leak.contains(found), qPrintable(leak));
    }

    void secretCheckOnTheServersRecord()
    {
        // The same through a real request and the server's own record.
        QVERIFY(restart(defaultConfig()));
        const Created c = createMedia();
        QCOMPARE(c.status, 200);
        QCOMPARE(secretInUploadRequests(m_server->requests(), {}), QString());
        QUrl leaking = c.uploadUrl;
        leaking.setQuery(leaking.query() + u"&access_token=ALICE"_s);
        putRange(*m_nam, leaking, 0, content(10), 10);
        const QString leak = secretInUploadRequests(m_server->requests(), {});
        QVERIFY2(
            leak.startsWith(u"PUT /_upload/"_s) && leak.contains(u"the query"_s), qPrintable(leak));
    }
};

QTEST_GUILESS_MAIN(tst_Fixtures)

#include "tst_fixtures.moc"
