// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "s3signer_p.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload::S3 {

namespace {
constexpr char algorithm[] = "AWS4-HMAC-SHA256";

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray scope(const Credentials &c, const QDateTime &time)
{
    return amzDate(time).left(8) + '/' + c.region + '/' + c.service + "/aws4_request";
}

//! Lower-case names, values trimmed with inner runs of spaces made one, sorted by name.
HeaderList canonicalHeaders(const QUrl &url, const HeaderList &headers)
{
    HeaderList all { { "host", hostHeader(url) } };
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower();
        if (lower != "host")
            all.append({ lower, value.simplified() });
    }
    std::sort(
        all.begin(), all.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return all;
}

QByteArray signedHeaderNames(const HeaderList &canonical)
{
    QByteArrayList names;
    for (const auto &header : canonical)
        names.append(header.first);
    return names.join(';');
}

//! The query as (encoded name, encoded value) pairs, sorted, for the canonical request.
QByteArray canonicalQuery(const QUrl &url)
{
    QList<std::pair<QByteArray, QByteArray>> pairs;
    const QByteArray query = url.query(QUrl::FullyEncoded).toLatin1();
    for (const QByteArray &item : query.split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        const QByteArray name = QByteArray::fromPercentEncoding(eq < 0 ? item : item.left(eq));
        const QByteArray value
            = eq < 0 ? QByteArray() : QByteArray::fromPercentEncoding(item.mid(eq + 1));
        pairs.append({ uriEncode(name, true), uriEncode(value, true) });
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArrayList parts;
    for (const auto &[name, value] : pairs)
        parts.append(name + '=' + value);
    return parts.join('&');
}

QByteArray canonicalUri(const QUrl &url)
{
    const QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (path.isEmpty())
        return "/";
    QByteArrayList segments;
    for (const QByteArray &segment : path.split('/'))
        segments.append(uriEncode(QByteArray::fromPercentEncoding(segment), true));
    return segments.join('/');
}
} // namespace

QByteArray emptyPayloadHash()
{
    return sha256Hex({});
}

QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_' || c == '~' || (c == '/' && !encodeSlash)) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 15]);
        }
    }
    return out;
}

QByteArray amzDate(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    const int port = url.port();
    const int defaultPort = url.scheme() == u"https"_s ? 443 : 80;
    if (port >= 0 && port != defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

QByteArray canonicalRequest(QByteArrayView method, const QUrl &url, const HeaderList &headers,
    const QByteArray &payloadHash)
{
    const HeaderList canonical = canonicalHeaders(url, headers);
    QByteArray lines;
    for (const auto &[name, value] : canonical)
        lines += name + ':' + value + '\n';
    return method.toByteArray() + '\n' + canonicalUri(url) + '\n' + canonicalQuery(url) + '\n'
        + lines + '\n' + signedHeaderNames(canonical) + '\n' + payloadHash;
}

QByteArray signature(
    const Credentials &credentials, const QDateTime &time, const QByteArray &canonicalRequest)
{
    const QByteArray stringToSign = QByteArray(algorithm) + '\n' + amzDate(time) + '\n'
        + scope(credentials, time) + '\n' + sha256Hex(canonicalRequest);
    QByteArray key = hmac("AWS4" + credentials.secretKey, amzDate(time).left(8));
    key = hmac(key, credentials.region);
    key = hmac(key, credentials.service);
    key = hmac(key, "aws4_request");
    return hmac(key, stringToSign).toHex();
}

QUrl presign(const Credentials &credentials, QByteArrayView method, const QUrl &url,
    const QDateTime &time, qint64 expiresSeconds, const HeaderList &signedHeaders)
{
    const HeaderList canonical = canonicalHeaders(url, signedHeaders);
    QByteArray query = url.query(QUrl::FullyEncoded).toLatin1();
    if (!query.isEmpty())
        query += '&';
    query += "X-Amz-Algorithm="_ba + algorithm;
    query += "&X-Amz-Credential="
        + uriEncode(QByteArray(credentials.accessKey + '/' + scope(credentials, time)), true);
    query += "&X-Amz-Date=" + amzDate(time);
    query += "&X-Amz-Expires=" + QByteArray::number(expiresSeconds);
    query += "&X-Amz-SignedHeaders=" + uriEncode(signedHeaderNames(canonical), true);
    QUrl out = url;
    out.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    const QByteArray sig = signature(
        credentials, time, canonicalRequest(method, out, signedHeaders, unsignedPayload));
    out.setQuery(QString::fromLatin1(query + "&X-Amz-Signature=" + sig), QUrl::StrictMode);
    return out;
}

HeaderList signHeaders(const Credentials &credentials, QByteArrayView method, const QUrl &url,
    const QDateTime &time, const HeaderList &headers, const QByteArray &payloadHash)
{
    HeaderList all = headers;
    all.append({ "x-amz-content-sha256", payloadHash });
    all.append({ "x-amz-date", amzDate(time) });
    const HeaderList canonical = canonicalHeaders(url, all);
    const QByteArray sig
        = signature(credentials, time, canonicalRequest(method, url, all, payloadHash));
    HeaderList out { { "x-amz-content-sha256", payloadHash }, { "x-amz-date", amzDate(time) } };
    out.append({ "Authorization",
        QByteArray(algorithm) + " Credential=" + credentials.accessKey + '/'
            + scope(credentials, time) + ",SignedHeaders=" + signedHeaderNames(canonical)
            + ",Signature=" + sig });
    return out;
}

} // namespace MatrixUpload::S3
