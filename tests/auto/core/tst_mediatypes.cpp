// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The plain types of the media API: mxc:// URIs, what versions means, the create answer.
#include <matrixupload/api/mediatypes.h>

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

class tst_MediaTypes final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mxcUri_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("id");
        QTest::addRow("plain") << u"mxc://example.org/AbC_12-x"_s << true << u"example.org"_s
                               << u"AbC_12-x"_s;
        QTest::addRow("server with port")
            << u"mxc://localhost:8448/id"_s << true << u"localhost:8448"_s << u"id"_s;
        QTest::addRow("http scheme")
            << u"https://example.org/id"_s << false << QString() << QString();
        QTest::addRow("no media id") << u"mxc://example.org/"_s << false << QString() << QString();
        QTest::addRow("path in the id")
            << u"mxc://example.org/a/../b"_s << false << QString() << QString();
        QTest::addRow("query in the id")
            << u"mxc://example.org/id?x=1"_s << false << QString() << QString();
    }

    void mxcUri()
    {
        QFETCH(QString, uri);
        QFETCH(bool, valid);
        QFETCH(QString, server);
        QFETCH(QString, id);
        const auto parsed = MxcUri::parse(uri);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(parsed->serverName, server);
        QCOMPARE(parsed->mediaId, id);
        QCOMPARE(parsed->toString(), uri);
    }

    void capabilities_data()
    {
        QTest::addColumn<QStringList>("versions");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<bool>("asyncStable");
        QTest::addColumn<bool>("async");
        QTest::addColumn<bool>("uploadUrls");
        QTest::addColumn<bool>("authenticatedMedia");
        QTest::addRow("v1.11 compares as a number, not text")
            << QStringList { u"v1.1"_s, u"v1.11"_s } << QStringList {} << true << true << false
            << true;
        QTest::addRow("v1.7 only")
            << QStringList { u"v1.7"_s } << QStringList {} << true << true << false << false;
        QTest::addRow("v1.6 with fi.mau.msc2246")
            << QStringList { u"r0.6.1"_s, u"v1.6"_s } << QStringList { u"fi.mau.msc2246"_s }
            << false << true << false << false;
        QTest::addRow("com.beeper.msc3870")
            << QStringList { u"v1.11"_s } << QStringList { u"com.beeper.msc3870"_s } << true << true
            << true << true;
        QTest::addRow("misspelt com.beeper.msc3880")
            << QStringList { u"v1.11"_s } << QStringList { u"com.beeper.msc3880"_s } << true << true
            << true << true;
        QTest::addRow("a later major version")
            << QStringList { u"v2.0"_s } << QStringList {} << true << true << false << true;
        QTest::addRow("old r0 server")
            << QStringList { u"r0.6.1"_s } << QStringList {} << false << false << false << false;
    }

    void capabilities()
    {
        QFETCH(QStringList, versions);
        QFETCH(QStringList, flags);
        QFETCH(bool, asyncStable);
        QFETCH(bool, async);
        QFETCH(bool, uploadUrls);
        QFETCH(bool, authenticatedMedia);
        QJsonObject features;
        for (const QString &flag : std::as_const(flags))
            features.insert(flag, true);
        features.insert(u"org.example.off"_s, false);
        const ServerVersions v
            = ServerVersions::fromJson({ { u"versions"_s, QJsonArray::fromStringList(versions) },
                { u"unstable_features"_s, features } });
        QCOMPARE(v.versions, versions);
        QCOMPARE(v.asyncUploadsStable(), asyncStable);
        QCOMPARE(v.asyncUploads(), async);
        QCOMPARE(v.uploadUrls(), uploadUrls);
        QCOMPARE(v.authenticatedMedia(), authenticatedMedia);
        QVERIFY(!v.hasFeature(u"org.example.off"_s));
    }

    void createResult()
    {
        const auto full = CreateResult::fromJson(
            { { u"content_uri"_s, u"mxc://hs/abc"_s }, { u"unused_expires_at"_s, 1700000000000LL },
                { u"upload_url"_s, u"https://cdn.example/u/abc?sig=1"_s },
                { u"upload_method"_s, u"post"_s }, { u"upload_protocol"_s, u"TUS"_s } });
        QVERIFY(full);
        QCOMPARE(full->contentUri.toString(), u"mxc://hs/abc"_s);
        QCOMPARE(full->unusedExpiresAt.value_or(0), 1700000000000LL);
        QCOMPARE(full->uploadUrl, QUrl(u"https://cdn.example/u/abc?sig=1"_s));
        QCOMPARE(full->uploadMethod, "POST"_ba);
        QCOMPARE(full->uploadProtocol, u"tus"_s);
        QVERIFY(!full->unstable);
    }

    void createResultDefaults()
    {
        // Only the prefixed field, as deployed servers send it; no method or protocol.
        const auto deployed = CreateResult::fromJson(
            { { u"content_uri"_s, u"mxc://hs/abc"_s },
                { u"com.beeper.msc3870.upload_url"_s, u"https://cdn.example/u/abc"_s } },
            true);
        QVERIFY(deployed);
        QCOMPARE(deployed->uploadUrl, QUrl(u"https://cdn.example/u/abc"_s));
        QCOMPARE(deployed->uploadMethod, "PUT"_ba);
        QCOMPARE(deployed->uploadProtocol, u"put"_s);
        QVERIFY(!deployed->unusedExpiresAt);
        QVERIFY(deployed->unstable);

        const auto plain = CreateResult::fromJson({ { u"content_uri"_s, u"mxc://hs/abc"_s } });
        QVERIFY(plain);
        QVERIFY(plain->uploadUrl.isEmpty());
    }

    void createResultRejects()
    {
        QVERIFY(!CreateResult::fromJson({}));
        QVERIFY(!CreateResult::fromJson({ { u"content_uri"_s, u"https://hs/abc"_s } }));
        // A relative upload URL is dropped, the content URI stays usable.
        const auto relative = CreateResult::fromJson(
            { { u"content_uri"_s, u"mxc://hs/abc"_s }, { u"upload_url"_s, u"/u/abc"_s } });
        QVERIFY(relative);
        QVERIFY(relative->uploadUrl.isEmpty());
    }
};

QTEST_APPLESS_MAIN(tst_MediaTypes)
#include "tst_mediatypes.moc"
