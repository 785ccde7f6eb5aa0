// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Telling a reply that its caller stopped from one that Qt stopped because nothing moved for the
// inactivity timeout: Qt reports both as QNetworkReply::OperationCanceledError (its transfer
// timeout calls abort()), but only the first is a cancel; the second is a stall, retried like a
// dropped connection (protocol.md 9).
#pragma once

#include <QNetworkAccessManager>
#include <QNetworkReply>

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

} // namespace MatrixUpload
