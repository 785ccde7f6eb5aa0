// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the headers an upload host answers with, read strictly. Pure functions, so
// the fuzzers (tests/fuzz) reach them without a network.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace MatrixUpload {

//! A content-range host's `Range: bytes=0-LAST` (protocol.md 4.4) as the number of bytes it
//! holds (LAST + 1), for an upload of \a size bytes. An empty value: 0 (it holds nothing).
//! Nothing when the value is anything else, or claims more than \a size bytes.
MATRIXUPLOAD_CORE_TESTS_EXPORT std::optional<qint64> parseHeldRange(
    QByteArrayView value, qint64 size);

//! A tus `Upload-Offset` (or `Upload-Length`): 1 to 18 decimal digits, nothing else (no sign,
//! no blanks); nothing otherwise.
MATRIXUPLOAD_CORE_TESTS_EXPORT std::optional<qint64> parseTusNumber(QByteArrayView value);

//! protocol.md 4.1: an upload URL must be https, or http when the homeserver itself is plain
//! http on a loopback or private address; never a link-local address (169.254.169.254 is where
//! cloud metadata services answer). Returns why a URL is refused, or an empty string.
MATRIXUPLOAD_CORE_TESTS_EXPORT QString checkUploadUrl(
    const QUrl &uploadUrl, const QUrl &homeserver);

//! The second half of checkUploadUrl() for an upload URL whose host is a name: \a addresses
//! are what \a host resolves to. Refused when any of them is link-local (a name in DNS that
//! leads to the cloud metadata service is no more an upload host than the literal address).
//! Returns why, or an empty string.
MATRIXUPLOAD_CORE_TESTS_EXPORT QString checkUploadHostAddresses(
    const QString &host, const QList<QHostAddress> &addresses);

} // namespace MatrixUpload
