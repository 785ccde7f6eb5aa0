// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Encrypted attachments (issue 13): the EncryptedFile's JSON, exactly the spec's and strictly read,
// and its keys.
#include <matrixupload/encryptedfile.h>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>
#include <QtEndian>

#include <functional>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

using JsonEdit = std::function<void(QJsonObject &)>;
Q_DECLARE_METATYPE(JsonEdit)

namespace {

AttachmentKey makeKey(const QByteArray &key, const QByteArray &iv)
{
    AttachmentKey k;
    k.key = key;
    k.iv = iv;
    return k;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    return bytes;
}

// A fixed key whose IV counts in its last 8 bytes from \a counter.
AttachmentKey testKey(quint64 counter = 0)
{
    QByteArray iv = QByteArray::fromHex("8a3b5c7d9e0f1a2b") + QByteArray(8, '\0');
    qToBigEndian(counter, iv.data() + 8);
    return makeKey(
        QByteArray::fromHex("c0ffee00112233445566778899aabbccddeeff0123456789abcdef0011223344"),
        iv);
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

} // namespace

class tst_AttachmentCrypto final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatesV2Keys()
    {
        const auto a = AttachmentKey::generate();
        const auto b = AttachmentKey::generate();
        QVERIFY(a && b);
        QVERIFY(a->isValid());
        QCOMPARE(a->key.size(), 32);
        QCOMPARE(a->iv.size(), 16);
        QCOMPARE(a->iv.mid(8), QByteArray(8, '\0')); // the counter starts at 0
        QVERIFY(a->key != b->key);
        QVERIFY(a->iv.left(8) != b->iv.left(8));
    }

    void jsonHasExactlyTheSpecsShape()
    {
        EncryptedFile file;
        file.url = u"mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"_s;
        file.key = makeKey(
            QByteArray::fromHex("fbffbf000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c"),
            QByteArray::fromHex("fbffbf01020304050000000000000000"));
        file.sha256 = sha256("ciphertext");
        const QJsonObject expected {
            { u"url"_s, u"mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"_s },
            { u"key"_s,
                QJsonObject {
                    { u"kty"_s, u"oct"_s },
                    { u"key_ops"_s, QJsonArray { u"encrypt"_s, u"decrypt"_s } },
                    { u"alg"_s, u"A256CTR"_s },
                    { u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw"_s },
                    { u"ext"_s, true },
                } },
            { u"iv"_s, u"+/+/AQIDBAUAAAAAAAAAAA"_s },
            { u"hashes"_s,
                QJsonObject { { u"sha256"_s, u"MFUx3MUOvKMc8dWzHp/HbtUfZrO23VoDDGU5rmUy+Xk"_s } } },
            { u"v"_s, u"v2"_s },
        };
        QVERIFY(!expected.isEmpty());
        QCOMPARE(file.toJson(), expected);
        const auto back = EncryptedFile::fromJson(expected);
        QVERIFY(back);
        QCOMPARE(*back, file);
    }

    void fromJsonAcceptsPaddingAndUnknownFields()
    {
        QJsonObject json = validJson();
        json[u"iv"_s] = QString(json[u"iv"_s].toString() + u"=="_s);
        QJsonObject key = json[u"key"_s].toObject();
        key[u"k"_s] = QString(key[u"k"_s].toString() + u"="_s);
        key[u"key_ops"_s] = QJsonArray { u"decrypt"_s, u"wrapKey"_s, u"encrypt"_s };
        key[u"use"_s] = u"enc"_s;
        json[u"key"_s] = key;
        QJsonObject hashes = json[u"hashes"_s].toObject();
        hashes[u"sha256"_s] = QString(hashes[u"sha256"_s].toString() + u"="_s);
        hashes[u"sha512"_s] = u"whatever"_s;
        json[u"hashes"_s] = hashes;
        json[u"mimetype"_s] = u"image/png"_s;
        QString error;
        const auto file = EncryptedFile::fromJson(json, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(file->toJson(), validJson());
    }

    void fromJsonRejects_data()
    {
        QTest::addColumn<JsonEdit>("edit");
        QTest::addColumn<QString>("reason");
        const auto set = [](const QString &name, const QJsonValue &value) {
            return JsonEdit([=](QJsonObject &j) {
                if (value.isUndefined())
                    j.remove(name);
                else
                    j[name] = value;
            });
        };
        const auto setIn = [](const QString &object, const QString &name, const QJsonValue &value) {
            return JsonEdit([=](QJsonObject &j) {
                QJsonObject o = j[object].toObject();
                if (value.isUndefined())
                    o.remove(name);
                else
                    o[name] = value;
                j[object] = o;
            });
        };
        const QJsonValue none(QJsonValue::Undefined);
        QTest::addRow("empty object")
            << JsonEdit([](QJsonObject &j) { j = {}; }) << u"v is missing"_s;
        QTest::addRow("v missing") << set(u"v"_s, none) << u"v is missing"_s;
        QTest::addRow("v1") << set(u"v"_s, u"v1"_s) << u"unsupported version \"v1\""_s;
        QTest::addRow("V2") << set(u"v"_s, u"V2"_s) << u"unsupported version"_s;
        QTest::addRow("v a number") << set(u"v"_s, 2) << u"v is not a string"_s;
        QTest::addRow("url missing") << set(u"url"_s, none) << u"url is missing"_s;
        QTest::addRow("url https")
            << set(u"url"_s, u"https://example.org/a"_s) << u"url is not an mxc"_s;
        QTest::addRow("url with a path")
            << set(u"url"_s, u"mxc://example.org/a/../b"_s) << u"url is not an mxc"_s;
        QTest::addRow("url null") << set(u"url"_s, QJsonValue::Null) << u"url is not a string"_s;
        QTest::addRow("key missing") << set(u"key"_s, none) << u"key is missing"_s;
        QTest::addRow("key a string") << set(u"key"_s, u"abc"_s) << u"key is not an object"_s;
        QTest::addRow("kty RSA") << setIn(u"key"_s, u"kty"_s, u"RSA"_s)
                                 << u"key.kty must be \"oct\""_s;
        QTest::addRow("kty missing") << setIn(u"key"_s, u"kty"_s, none) << u"key.kty is missing"_s;
        QTest::addRow("alg A128CTR")
            << setIn(u"key"_s, u"alg"_s, u"A128CTR"_s) << u"key.alg must be \"A256CTR\""_s;
        QTest::addRow("alg missing") << setIn(u"key"_s, u"alg"_s, none) << u"key.alg is missing"_s;
        QTest::addRow("ext false") << setIn(u"key"_s, u"ext"_s, false) << u"key.ext must be true"_s;
        QTest::addRow("ext a string")
            << setIn(u"key"_s, u"ext"_s, u"true"_s) << u"key.ext is not a boolean"_s;
        QTest::addRow("ext missing") << setIn(u"key"_s, u"ext"_s, none) << u"key.ext is missing"_s;
        QTest::addRow("key_ops without decrypt") << setIn(u"key"_s, u"key_ops"_s,
            QJsonArray { u"encrypt"_s }) << u"must contain \"encrypt\" and \"decrypt\""_s;
        QTest::addRow("key_ops a string") << setIn(u"key"_s, u"key_ops"_s, u"encrypt,decrypt"_s)
                                          << u"key.key_ops is not an array"_s;
        QTest::addRow("key_ops with a number")
            << setIn(u"key"_s, u"key_ops"_s, QJsonArray { u"encrypt"_s, u"decrypt"_s, 3 })
            << u"not a string"_s;
        QTest::addRow("key_ops missing")
            << setIn(u"key"_s, u"key_ops"_s, none) << u"key.key_ops is missing"_s;
        QTest::addRow("k missing") << setIn(u"key"_s, u"k"_s, none) << u"key.k is missing"_s;
        QTest::addRow("k standard base64")
            << setIn(u"key"_s, u"k"_s, u"+/+/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw"_s)
            << u"key.k is not URL-safe base64"_s;
        QTest::addRow("k of 30 bytes")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBka"_s)
            << u"key.k must be 32 bytes, not 30"_s;
        QTest::addRow("k of 33 bytes")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"_s)
            << u"key.k must be 32 bytes, not 33"_s;
        QTest::addRow("k not canonical")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxx"_s)
            << u"key.k is not canonical"_s;
        QTest::addRow("k a number") << setIn(u"key"_s, u"k"_s, 5) << u"key.k is not a string"_s;
        QTest::addRow("k not Latin-1")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaG\u4e2d"_s)
            << u"key.k is not URL-safe base64"_s;
        QTest::addRow("iv missing") << set(u"iv"_s, none) << u"iv is missing"_s;
        QTest::addRow("iv of 15 bytes")
            << set(u"iv"_s, u"+/+/AQIDBAUAAAAAAAAA"_s) << u"iv must be 16 bytes, not 15"_s;
        QTest::addRow("iv URL-safe")
            << set(u"iv"_s, u"-_-_AQIDBAUAAAAAAAAAAA"_s) << u"iv is not base64"_s;
        QTest::addRow("iv with a space")
            << set(u"iv"_s, u"+/+/AQIDBAUAAAA AAAAAAA"_s) << u"iv is not base64"_s;
        QTest::addRow("iv wrongly padded")
            << set(u"iv"_s, u"+/+/AQIDBAUAAAAAAAAAAA="_s) << u"iv is not base64"_s;
        QTest::addRow("hashes missing") << set(u"hashes"_s, none) << u"hashes is missing"_s;
        QTest::addRow("hashes an array")
            << set(u"hashes"_s, QJsonArray {}) << u"hashes is not an object"_s;
        QTest::addRow("sha256 missing")
            << set(u"hashes"_s, QJsonObject {}) << u"hashes.sha256 is missing"_s;
        QTest::addRow("sha256 short")
            << setIn(u"hashes"_s, u"sha256"_s, u"MFUx3MUOvKMc8dWzHp/HbtUfZrO23VoDDGU5rmUy"_s)
            << u"hashes.sha256 must be 32 bytes, not 30"_s;
        QTest::addRow("sha256 hex") << setIn(u"hashes"_s, u"sha256"_s,
            u"305531dcc50ebca31cf1d5b31e9fc76ed51f66b3b6dd5a030c6539ae6532f979"_s)
                                    << u"hashes.sha256 must be 32 bytes"_s;
    }
    void fromJsonRejects()
    {
        QFETCH(JsonEdit, edit);
        QFETCH(QString, reason);
        QJsonObject json = validJson();
        QVERIFY(EncryptedFile::fromJson(json));
        edit(json);
        QString error;
        QVERIFY(!EncryptedFile::fromJson(json, &error));
        QVERIFY2(
            error.contains(reason), qPrintable(u"\"%1\" does not say \"%2\""_s.arg(error, reason)));
        QVERIFY(!error.contains(u"-_-_AAEC"_s)); // never the key
    }

    // Whatever arrives in an event: random values in every field never crash the parser.
    void fromJsonSurvivesHostileInput()
    {
        QRandomGenerator generator(99);
        const auto randomValue = [&](int depth, auto &self) -> QJsonValue {
            switch (generator.bounded(depth > 2 ? 6 : 8)) {
            case 0:
                return QJsonValue::Null;
            case 1:
                return generator.bounded(2) == 1;
            case 2:
                return generator.generateDouble() * 1e300;
            case 3:
                return QString::fromLatin1(randomBytes(generator.bounded(64), generator()));
            case 4:
                return QString::fromLatin1(
                    randomBytes(generator.bounded(48), generator()).toBase64());
            case 5:
                return QJsonValue::Undefined;
            case 6: {
                QJsonArray a;
                for (int i = generator.bounded(4); i > 0; --i)
                    a.append(self(depth + 1, self));
                return a;
            }
            default: {
                QJsonObject o;
                for (const QString &name :
                    { u"kty"_s, u"alg"_s, u"k"_s, u"ext"_s, u"key_ops"_s, u"sha256"_s })
                    if (generator.bounded(2))
                        o[name] = self(depth + 1, self);
                return o;
            }
            }
        };
        int accepted = 0;
        for (int round = 0; round < 3000; ++round) {
            QJsonObject json = validJson();
            for (const QString &name : { u"url"_s, u"key"_s, u"iv"_s, u"hashes"_s, u"v"_s }) {
                if (generator.bounded(3) == 0) {
                    const QJsonValue value = randomValue(0, randomValue);
                    if (value.isUndefined())
                        json.remove(name);
                    else
                        json[name] = value;
                }
            }
            QString error;
            const auto file = EncryptedFile::fromJson(json, &error);
            QCOMPARE(file.has_value(), error.isEmpty());
            if (file) {
                ++accepted;
                QVERIFY(file->key.isValid());
                QCOMPARE(file->sha256.size(), 32);
            }
        }
        QVERIFY(accepted > 0); // the untouched rounds
    }

    void debugOutputHidesTheKey()
    {
        EncryptedFile file;
        file.url = u"mxc://example.org/abc"_s;
        file.key = testKey();
        file.sha256 = sha256("x");
        QString text;
        QDebug(&text) << file << file.key;
        QVERIFY(text.contains(u"mxc://example.org/abc"_s));
        QVERIFY(text.contains(u"redacted"_s));
        const QJsonObject json = file.toJson();
        QVERIFY(!text.contains(json[u"key"_s][u"k"_s].toString()));
        QVERIFY(!text.contains(QString::fromLatin1(file.key.key.toHex())));
        QVERIFY(!text.contains(json[u"iv"_s].toString()));
    }

private:
    static QJsonObject validJson()
    {
        EncryptedFile file;
        file.url = u"mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"_s;
        file.key = makeKey(
            QByteArray::fromHex("fbffbf000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c"),
            QByteArray::fromHex("fbffbf01020304050000000000000000"));
        file.sha256 = sha256("ciphertext");
        return file.toJson();
    }
};

QTEST_GUILESS_MAIN(tst_AttachmentCrypto)
#include "tst_attachmentcrypto.moc"
