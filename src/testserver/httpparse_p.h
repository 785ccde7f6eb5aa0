// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: what it reads from a client, as pure functions (the
// request head the relay parses, the Content-Range of a chunk), so the fuzzers (tests/fuzz)
// reach them without sockets.
#pragma once

#include <matrixupload/testserver/matrixupload_testserver_export.h>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace MatrixUpload {

//! A parsed `Content-Range: bytes a-b/total`, `bytes */total` or `bytes a-b/*`.
struct ContentRange
{
    qint64 first = -1; //!< -1 for a status query
    qint64 last = -1;
    qint64 total = -1; //!< -1 for `*`
};

//! Reads a request's Content-Range; nothing when it is none of the three forms, or a range
//! runs backwards or past the total.
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT std::optional<ContentRange> parseContentRange(
    const QByteArray &value);

//! One request head as the relay reads it (up to and without the blank line).
struct RequestHead
{
    //! 0: the head is good; else the status to refuse it with (400, 411, 417), \c reason the
    //! status text and \c error the message.
    int refuseStatus = 0;
    QByteArray reason;
    QString error;

    QByteArray method;
    QByteArray target; //!< origin-form path with its query, or "*"
    QJsonObject headers; //!< lower-case name -> value; repeated fields joined with ", "
    QByteArray forwarded; //!< the request line and the header lines passed on to QHttpServer
    qint64 contentLength = 0;
    bool expectContinue = false; //!< `Expect: 100-continue` (answered by the relay)
    bool close = false; //!< the connection closes after the answer
};

//! Parses \a head (request line and header lines, without the final CRLF CRLF). Header lines
//! whose name starts with \a droppedPrefix (the relay's own, compared case-insensitively) are
//! not forwarded.
MATRIXUPLOAD_TESTSERVER_TESTS_EXPORT RequestHead parseRequestHead(
    const QByteArray &head, const QByteArray &droppedPrefix);

} // namespace MatrixUpload
