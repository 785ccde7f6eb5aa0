// Tests of the test media server itself, over real loopback sockets.
#include "mediatestserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

namespace {
struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;
};

//! One request, waited for on the event loop (no sleeps).
Reply send(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
    const QByteArray &body = {}, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request(url);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(20000);
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    r.error = reply->error();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        r.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return r;
}
} // namespace

class tst_MediaTestServer final : public QObject
{
    Q_OBJECT

    std::unique_ptr<MediaTestServer> m_server;
    QNetworkAccessManager m_nam;

    QUrl url(const QString &path) const
    {
        QUrl u = m_server->baseUrl();
        u.setPath(path);
        return u;
    }

private Q_SLOTS:
    void init()
    {
        MediaTestServerConfig config;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.tokens.insert(u"ALICE"_s, u"alice"_s);
        config.enableTestControl = true;
        m_server = std::make_unique<MediaTestServer>(config);
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    }

    void versions()
    {
        const Reply r = send(m_nam, "GET", url(u"/_matrix/client/versions"_s));
        QCOMPARE(r.status, 200);
        const QJsonArray versions = r.json.value(u"versions"_s).toArray();
        QVERIFY(versions.contains(u"v1.1"_s));
        QVERIFY(versions.contains(u"v1.11"_s));
        const QJsonObject flags = r.json.value(u"unstable_features"_s).toObject();
        QCOMPARE(flags.value(u"fi.mau.msc2246"_s).toBool(), true);
        QCOMPARE(flags.value(u"com.beeper.msc3870"_s).toBool(), true);
    }

    void unknownRoute()
    {
        const Reply r = send(m_nam, "GET", url(u"/_matrix/client/v3/nothing"_s));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json.value(u"errcode"_s).toString(), u"M_UNRECOGNIZED"_s);
    }

    void contentRangeUpload()
    {
        const QList<std::pair<QByteArray, QByteArray>> auth { { "Authorization", "Bearer ALICE" } };
        const Reply created = send(m_nam, "POST", url(u"/_matrix/media/v1/create"_s), "{}", auth);
        QCOMPARE(created.status, 200);
        const QUrl uploadUrl(created.json.value(u"upload_url"_s).toString());
        QCOMPARE(created.json.value(u"upload_protocol"_s).toString(), u"content-range"_s);

        QByteArray file(256 * 1024 + 1000, Qt::Uninitialized);
        for (qsizetype i = 0; i < file.size(); ++i)
            file[i] = char(i * 7);
        const Reply first = send(m_nam, "PUT", uploadUrl, file.left(256 * 1024),
            { { "Content-Range", "bytes 0-262143/" + QByteArray::number(file.size()) } });
        QCOMPARE(first.status, 308);
        QCOMPARE(first.header("Range"), "bytes=0-262143"_ba);
        const Reply last = send(m_nam, "PUT", uploadUrl, file.mid(256 * 1024),
            { { "Content-Range",
                "bytes 262144-" + QByteArray::number(file.size() - 1) + '/'
                    + QByteArray::number(file.size()) } });
        QCOMPARE(last.status, 200);
        const QString uri = created.json.value(u"content_uri"_s).toString();
        QCOMPARE(m_server->mediaContent(uri), file);

        const QJsonArray seen = m_server->requests();
        for (const QJsonValue &v : seen) {
            const QJsonObject req = v.toObject();
            if (req.value(u"path"_s).toString().startsWith(u"/_upload/"_s))
                QVERIFY(!req.value(u"headers"_s).toObject().contains(u"authorization"_s));
        }
    }
};

QTEST_GUILESS_MAIN(tst_MediaTestServer)
#include "tst_mediatestserver.moc"
