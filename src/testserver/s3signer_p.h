// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: AWS Signature Version 4 for S3, as far as the S3 mode of
// the test server needs it (presigned URLs and header-signed requests). Written from the AWS S3
// API reference ("Authenticating Requests (AWS Signature Version 4)"); tested against its
// published examples in tests/auto/testserver/tst_s3signer.cpp.
#pragma once

#include <matrixupload/testserver/matrixupload_testserver_export.h>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QUrl>

#include <utility>

namespace MatrixUpload::S3 {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT Credentials
{
    QByteArray accessKey;
    QByteArray secretKey;
    QByteArray region = "us-east-1";
    QByteArray service = "s3";
};

//! "UNSIGNED-PAYLOAD": what a presigned URL signs instead of the body's hash.
inline constexpr char unsignedPayload[] = "UNSIGNED-PAYLOAD";
//! Hex SHA-256 of an empty body.
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QByteArray emptyPayloadHash();

//! S3's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex); "/" stays
//! when \a encodeSlash is false (object key paths).
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash);

//! 20130524T000000Z
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QByteArray amzDate(const QDateTime &time);

//! The Host header value a client sends for \a url: the host, with ":port" when the URL names
//! a port other than the scheme's default.
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QByteArray hostHeader(const QUrl &url);

//! A presigned URL (query-string authentication): X-Amz-Algorithm, -Credential, -Date,
//! -Expires, -SignedHeaders, -Signature added to \a url's own query. `host` is always signed;
//! \a signedHeaders adds more (name, value), e.g. {"content-type", "image/png"}, which the
//! request must then carry with exactly that value. The payload is UNSIGNED-PAYLOAD.
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QUrl presign(const Credentials &credentials,
    QByteArrayView method, const QUrl &url, const QDateTime &time, qint64 expiresSeconds,
    const HeaderList &signedHeaders = {});

//! Header authentication: the headers to add to a request (x-amz-date, x-amz-content-sha256,
//! Authorization). \a headers are further headers the request carries and the signature
//! covers (host is added). \a payloadHash is the hex SHA-256 of the body (or
//! UNSIGNED-PAYLOAD).
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT HeaderList signHeaders(const Credentials &credentials,
    QByteArrayView method, const QUrl &url, const QDateTime &time, const HeaderList &headers,
    const QByteArray &payloadHash);

//! The pieces, exposed for the tests.
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QByteArray canonicalRequest(QByteArrayView method,
    const QUrl &url, const HeaderList &headers, const QByteArray &payloadHash);
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT QByteArray signature(
    const Credentials &credentials, const QDateTime &time, const QByteArray &canonicalRequest);

} // namespace MatrixUpload::S3
