// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Telling a reply that its caller stopped from one that Qt stopped because nothing moved for the
// inactivity timeout: Qt reports both as QNetworkReply::OperationCanceledError (its transfer
// timeout calls abort()), but only the first is a cancel; the second is a stall, retried like a
// dropped connection (protocol.md 9).
#pragma once

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

namespace MatrixUpload {

//! Set on a reply that this library aborted on purpose.
inline constexpr char abortedByCallerProperty[] = "_matrixupload_abortedByCaller";

//! Aborts \a reply on purpose: its OperationCanceledError is then a cancel, not a stall.
inline void abortReply(QNetworkReply *reply)
{
    reply->setProperty(abortedByCallerProperty, true);
    reply->abort();
}

//! The inactivity timeout that applied to \a reply, in ms; 0 when none did.
inline int transferTimeoutOf(const QNetworkReply *reply)
{
    const int own = reply->request().transferTimeout();
    if (own > 0)
        return own;
    return reply->manager() ? reply->manager()->transferTimeout() : 0;
}

//! Whether \a reply ended because no byte moved for its inactivity timeout: canceled, not by
//! abortReply(), with a timeout set.
inline bool timedOut(const QNetworkReply *reply)
{
    return reply->error() == QNetworkReply::OperationCanceledError
        && !reply->property(abortedByCallerProperty).toBool() && transferTimeoutOf(reply) > 0;
}

//! The largest answer body read from a server whose answers are small (API JSON, an error body,
//! an upload host's answer): a server that sends more is broken or hostile, and the client's
//! memory must not grow with it (issue 14, "Hostile servers").
//! 4 MiB: /joined_rooms of a user in 50,000 rooms still fits.
inline constexpr qint64 maxAnswerBytes = 4 * 1024 * 1024;

//! Set on a reply that limitAnswer() stopped: why, in one line.
inline constexpr char answerLimitProperty[] = "_matrixupload_answerLimit";
//! Set with answerLimitProperty: true when the answer was too slow, false when too large.
inline constexpr char answerLimitSlowProperty[] = "_matrixupload_answerLimitSlow";

//! Bounds what \a reply may take from the server, against an endless body or one that trickles
//! in a byte at a time (which Qt's inactivity timeout never ends):
//! - a body above \a maxBytes (announced by Content-Length, or as it arrives); with
//!   \a errorBodiesOnly, only the body of a non-2xx answer counts (a download's content does not);
//! - with \a deadlineMs > 0, an answer not complete \a deadlineMs after the last request byte
//!   went out (the clock restarts while the request body is sent).
//!
//! A reply that breaks a bound is marked (answerLimitProperty) and aborted with abortReply()
//! (so not taken for a stall), which emits its finished().
inline void limitAnswer(
    QNetworkReply *reply, qint64 maxBytes, int deadlineMs, bool errorBodiesOnly = false)
{
    auto stop = [reply](const QString &why, bool slow) {
        if (reply->isFinished() || reply->property(answerLimitProperty).isValid())
            return;
        reply->setProperty(answerLimitProperty, why);
        reply->setProperty(answerLimitSlowProperty, slow);
        abortReply(reply);
    };
    auto counts = [reply, errorBodiesOnly] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return !errorBodiesOnly || status < 200 || status >= 300;
    };
    const QString tooLarge
        = QStringLiteral("the server's answer is larger than %1 KiB, the limit for this request")
              .arg(maxBytes / 1024);
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [=] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > maxBytes && counts())
            stop(tooLarge, false);
    });
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [=](qint64 received, qint64) {
        if (received > maxBytes && counts())
            stop(tooLarge, false);
    });
    if (deadlineMs <= 0)
        return;
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, reply, [=] {
        stop(QStringLiteral("the server's answer did not arrive within %1 s")
                 .arg(deadlineMs / 1000.0),
            true);
    });
    QObject::connect(reply, &QNetworkReply::uploadProgress, deadline,
        [deadline, deadlineMs](qint64, qint64) { deadline->start(deadlineMs); });
    QObject::connect(reply, &QNetworkReply::finished, deadline, &QTimer::stop);
    deadline->start(deadlineMs);
}

//! Why limitAnswer() stopped \a reply; empty when it did not.
inline QString answerLimitReason(const QNetworkReply *reply)
{
    return reply->property(answerLimitProperty).toString();
}

//! Whether limitAnswer() stopped \a reply for being too slow (a timeout, retried like a stall)
//! rather than too large.
inline bool answerTooSlow(const QNetworkReply *reply)
{
    return reply->property(answerLimitSlowProperty).toBool();
}

} // namespace MatrixUpload
