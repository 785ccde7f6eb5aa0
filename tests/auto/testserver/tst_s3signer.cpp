// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The SigV4 code of the test server's S3 mode against the examples AWS publishes in the S3 API
// reference: "Authenticating Requests: Using Query Parameters" (the presigned GET of
// examplebucket/test.txt) and "Authenticating Requests: Using the Authorization Header" (GET
// Object with a Range header). Both use AWS's documented example credentials.
#include <matrixupload/testserver/s3signer_p.h>

#include <QCryptographicHash>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

class tst_S3Signer final : public QObject
{
    Q_OBJECT

    static S3::Credentials awsExample()
    {
        S3::Credentials c;
        c.accessKey = "AKIAIOSFODNN7EXAMPLE";
        c.secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        c.region = "us-east-1";
        return c;
    }
    static QDateTime exampleTime() { return QDateTime::fromSecsSinceEpoch(1369353600, Qt::UTC); }

private Q_SLOTS:
    void exampleTimeIsTheDocumentedOne()
    {
        QCOMPARE(S3::amzDate(exampleTime()), "20130524T000000Z"_ba);
    }

    void presignedGetMatchesAwsExample()
    {
        const QUrl url = S3::presign(awsExample(), "GET",
            QUrl(u"https://examplebucket.s3.amazonaws.com/test.txt"_s), exampleTime(), 86400);
        QCOMPARE(url.toString(QUrl::FullyEncoded),
            u"https://examplebucket.s3.amazonaws.com/test.txt"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"_s);
    }

    void presignCanonicalRequestMatchesAwsExample()
    {
        const QUrl unsignedUrl(
            u"https://examplebucket.s3.amazonaws.com/test.txt"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
            "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
            "&X-Amz-SignedHeaders=host"_s);
        const QByteArray canonical
            = S3::canonicalRequest("GET", unsignedUrl, {}, S3::unsignedPayload);
        QCOMPARE(canonical,
            "GET\n/test.txt\n"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
            "&X-Amz-SignedHeaders=host\n"
            "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"_ba);
        QCOMPARE(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex(),
            "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"_ba);
    }

    void headerAuthMatchesAwsGetObjectExample()
    {
        const auto headers = S3::signHeaders(awsExample(), "GET",
            QUrl(u"https://examplebucket.s3.amazonaws.com/test.txt"_s), exampleTime(),
            { { "Range", "bytes=0-9" } }, S3::emptyPayloadHash());
        QByteArray authorization;
        for (const auto &[name, value] : headers)
            if (name == "Authorization")
                authorization = value;
        QCOMPARE(authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"_ba);
    }

    void signedContentTypeIsListed()
    {
        const QUrl url = S3::presign(awsExample(), "PUT", QUrl(u"http://127.0.0.1:7480/b/k"_s),
            exampleTime(), 60, { { "content-type", "image/png" } });
        QVERIFY(
            url.query(QUrl::FullyEncoded).contains(u"X-Amz-SignedHeaders=content-type%3Bhost"_s));
        QVERIFY(!url.query().contains(u"checksum"_s, Qt::CaseInsensitive));
        // Another Content-Type gives another signature: what makes S3 answer 403.
        const QUrl other = S3::presign(awsExample(), "PUT", QUrl(u"http://127.0.0.1:7480/b/k"_s),
            exampleTime(), 60, { { "content-type", "text/plain" } });
        QVERIFY(url != other);
    }

    void hostHeader_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QByteArray>("host");
        QTest::addRow("default https port")
            << u"https://s3.example.org/b/k"_s << "s3.example.org"_ba;
        QTest::addRow("explicit default port") << u"http://h:80/b"_s << "h"_ba;
        QTest::addRow("other port") << u"http://127.0.0.1:7480/b/k"_s << "127.0.0.1:7480"_ba;
        QTest::addRow("IPv6") << u"http://[::1]:9000/b"_s << "[::1]:9000"_ba;
    }
    void hostHeader()
    {
        QFETCH(QString, url);
        QFETCH(QByteArray, host);
        QCOMPARE(S3::hostHeader(QUrl(url)), host);
    }

    void uriEncode()
    {
        QCOMPARE(S3::uriEncode("a b+c/d~e_f.g-h%", true), "a%20b%2Bc%2Fd~e_f.g-h%25"_ba);
        QCOMPARE(S3::uriEncode("dir/\xc3\xbc.txt", false), "dir/%C3%BC.txt"_ba);
    }
};

QTEST_APPLESS_MAIN(tst_S3Signer)
#include "tst_s3signer.moc"
