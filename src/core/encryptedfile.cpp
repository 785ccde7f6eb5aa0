// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "encryptedfile.h"

#include "api/mediatypes.h"

#include <QJsonArray>

#include <openssl/rand.h>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {

constexpr QByteArray::Base64Options unpadded = QByteArray::OmitTrailingEquals;
constexpr QByteArray::Base64Options urlUnpadded
    = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

//! Decodes base64 of exactly \a size bytes in one alphabet, with or without its padding, and
//! only in its canonical form: Qt alone would take unused trailing bits that are not zero, so
//! two different strings could name the same key.
std::optional<QByteArray> decodeExact(const QJsonValue &value, QByteArray::Base64Options alphabet,
    qsizetype size, const QString &field, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<QByteArray> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!value.isString())
        return fail(value.isUndefined() ? u"%1 is missing"_s.arg(field)
                                        : u"%1 is not a string"_s.arg(field));
    const QByteArray text = value.toString().toLatin1();
    // toLatin1() maps what is not Latin-1 to '?', which no base64 alphabet has.
    auto decoded
        = QByteArray::fromBase64Encoding(text, alphabet | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok) {
        return fail(u"%1 is not %2base64"_s.arg(
            field, alphabet & QByteArray::Base64UrlEncoding ? u"URL-safe "_s : QString()));
    }
    if (decoded.decoded.size() != size) {
        return fail(
            u"%1 must be %2 bytes, not %3"_s.arg(field).arg(size).arg(decoded.decoded.size()));
    }
    QByteArray bare = text;
    while (bare.endsWith('='))
        bare.chop(1);
    if (decoded.decoded.toBase64(alphabet | QByteArray::OmitTrailingEquals) != bare)
        return fail(u"%1 is not canonical base64"_s.arg(field));
    return decoded.decoded;
}

std::optional<QString> requireString(
    const QJsonObject &object, const QString &name, const QString &field, QString *error)
{
    const QJsonValue value = object.value(name);
    if (value.isString())
        return value.toString();
    if (error)
        *error = value.isUndefined() ? u"%1 is missing"_s.arg(field)
                                     : u"%1 is not a string"_s.arg(field);
    return std::nullopt;
}

} // namespace

std::optional<AttachmentKey> AttachmentKey::generate()
{
    AttachmentKey k;
    k.key.resize(keySize);
    k.iv.fill('\0', ivSize);
    // The spec's v2: a random 64-bit nonce, then a 64-bit counter that starts at 0.
    if (RAND_bytes(reinterpret_cast<unsigned char *>(k.key.data()), keySize) != 1
        || RAND_bytes(reinterpret_cast<unsigned char *>(k.iv.data()), ivSize / 2) != 1) {
        return std::nullopt;
    }
    return k;
}

QDebug operator<<(QDebug debug, const AttachmentKey &key)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "AttachmentKey(" << (key.isValid() ? "<redacted>" : "invalid") << ')';
    return debug;
}

QJsonObject EncryptedFile::toJson() const
{
    const QJsonObject jwk {
        { u"kty"_s, u"oct"_s },
        { u"key_ops"_s, QJsonArray { u"encrypt"_s, u"decrypt"_s } },
        { u"alg"_s, u"A256CTR"_s },
        { u"k"_s, QString::fromLatin1(key.key.toBase64(urlUnpadded)) },
        { u"ext"_s, true },
    };
    return {
        { u"url"_s, url },
        { u"key"_s, jwk },
        { u"iv"_s, QString::fromLatin1(key.iv.toBase64(unpadded)) },
        { u"hashes"_s,
            QJsonObject { { u"sha256"_s, QString::fromLatin1(sha256.toBase64(unpadded)) } } },
        { u"v"_s, u"v2"_s },
    };
}

std::optional<EncryptedFile> EncryptedFile::fromJson(const QJsonObject &json, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<EncryptedFile> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    // The version first: another one may be shaped differently, and saying so is clearer than
    // naming the first field it lacks.
    const auto v = requireString(json, u"v"_s, u"v"_s, error);
    if (!v)
        return std::nullopt;
    if (*v != u"v2")
        return fail(u"unsupported version \"%1\": only v2 is supported"_s.arg(v->left(16)));

    EncryptedFile file;
    const auto url = requireString(json, u"url"_s, u"url"_s, error);
    if (!url)
        return std::nullopt;
    if (!MxcUri::parse(*url))
        return fail(u"url is not an mxc:// URI"_s);
    file.url = *url;

    const QJsonValue keyValue = json.value(u"key"_s);
    if (!keyValue.isObject())
        return fail(keyValue.isUndefined() ? u"key is missing"_s : u"key is not an object"_s);
    const QJsonObject jwk = keyValue.toObject();
    const auto kty = requireString(jwk, u"kty"_s, u"key.kty"_s, error);
    if (!kty)
        return std::nullopt;
    if (*kty != u"oct")
        return fail(u"key.kty must be \"oct\", not \"%1\""_s.arg(kty->left(16)));
    const auto alg = requireString(jwk, u"alg"_s, u"key.alg"_s, error);
    if (!alg)
        return std::nullopt;
    if (*alg != u"A256CTR")
        return fail(u"key.alg must be \"A256CTR\", not \"%1\""_s.arg(alg->left(16)));
    const QJsonValue ext = jwk.value(u"ext"_s);
    if (!ext.isBool())
        return fail(ext.isUndefined() ? u"key.ext is missing"_s : u"key.ext is not a boolean"_s);
    if (!ext.toBool())
        return fail(u"key.ext must be true"_s);
    const QJsonValue ops = jwk.value(u"key_ops"_s);
    if (!ops.isArray())
        return fail(
            ops.isUndefined() ? u"key.key_ops is missing"_s : u"key.key_ops is not an array"_s);
    bool encrypt = false;
    bool decrypt = false;
    for (const QJsonValue &op : ops.toArray()) {
        if (!op.isString())
            return fail(u"key.key_ops holds something that is not a string"_s);
        encrypt = encrypt || op.toString() == u"encrypt";
        decrypt = decrypt || op.toString() == u"decrypt";
    }
    if (!encrypt || !decrypt)
        return fail(u"key.key_ops must contain \"encrypt\" and \"decrypt\""_s);
    const auto k = decodeExact(jwk.value(u"k"_s), QByteArray::Base64UrlEncoding,
        AttachmentKey::keySize, u"key.k"_s, error);
    if (!k)
        return std::nullopt;
    file.key.key = *k;

    const auto iv = decodeExact(
        json.value(u"iv"_s), QByteArray::Base64Encoding, AttachmentKey::ivSize, u"iv"_s, error);
    if (!iv)
        return std::nullopt;
    file.key.iv = *iv;

    const QJsonValue hashes = json.value(u"hashes"_s);
    if (!hashes.isObject())
        return fail(hashes.isUndefined() ? u"hashes is missing"_s : u"hashes is not an object"_s);
    const auto sha256 = decodeExact(hashes.toObject().value(u"sha256"_s),
        QByteArray::Base64Encoding, 32, u"hashes.sha256"_s, error);
    if (!sha256)
        return std::nullopt;
    file.sha256 = *sha256;
    return file;
}

QDebug operator<<(QDebug debug, const EncryptedFile &file)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "EncryptedFile(" << file.url << ", sha256 " << file.sha256.toBase64(unpadded)
                    << ", key " << (file.key.isValid() ? "<redacted>" : "invalid") << ')';
    return debug;
}

} // namespace MatrixUpload
