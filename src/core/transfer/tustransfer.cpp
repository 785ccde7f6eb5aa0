// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "tustransfer_p.h"

#include "httpheaders_p.h"

#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

void TusTransfer::start()
{
    m_conflicts = 0;
    m_stalledPatches = 0;
    head();
}

TransferOutcome TusTransfer::tusFailure(QNetworkReply *reply, const QString &what) const
{
    TransferOutcome o = failure(reply, what);
    // 423 Locked: the host still holds the lock of an earlier PATCH whose connection broke. 409:
    // the offsets disagree. Both pass with time and say nothing against this URL: wait and start
    // again (HEAD first), never fall back (issue 14).
    if (o.httpStatus == 423 || o.httpStatus == 409)
        o.kind = TransferOutcome::Kind::Retry;
    return o;
}

void TusTransfer::head()
{
    QNetworkReply *reply = send("HEAD", { { "Tus-Resumable", "1.0.0" } });
    if (!reply)
        return;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        const int status = statusOf(reply);
        if (status != 200 && status != 204) {
            finish(tusFailure(reply, u"tus offset query"_s));
            return;
        }
        const qint64 offset = parseTusNumber(reply->rawHeader("Upload-Offset")).value_or(-1);
        if (offset < 0 || offset > m_target.size) {
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                u"the tus server answered without a usable Upload-Offset"_s, -1, {} });
            return;
        }
        const QByteArray length = reply->rawHeader("Upload-Length");
        m_lengthKnown = !length.isEmpty();
        if (m_lengthKnown && parseTusNumber(length) != m_target.size) {
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                u"the tus upload was declared with another length"_s, -1, {} });
            return;
        }
        setConfirmed(offset);
        if (offset == m_target.size && m_lengthKnown) {
            completed(status, {});
            return;
        }
        patch();
    });
}

void TusTransfer::patch()
{
    const qint64 first = confirmedOffset();
    const qint64 length = chunkLength(first);
    QList<std::pair<QByteArray, QByteArray>> headers { { "Tus-Resumable", "1.0.0" },
        { "Upload-Offset", QByteArray::number(first) },
        { "Content-Type", "application/offset+octet-stream" } };
    if (!m_lengthKnown)
        headers.append({ "Upload-Length", QByteArray::number(m_target.size) });
    QNetworkReply *reply = send("PATCH", headers, first, length);
    if (!reply)
        return;
    connect(reply, &QNetworkReply::finished, this, [this, reply, first, length] {
        const int status = statusOf(reply);
        if (status == 413 && chunkRefused(length)) {
            patch(); // chunks grew past a limit on request bodies: smaller ones
            return;
        }
        if (status == 409 && ++m_conflicts <= 3) {
            head(); // offsets disagree: ask, then continue from the server's offset
            return;
        }
        if (status != 204 && status != 200) {
            finish(tusFailure(reply, u"tus upload"_s));
            return;
        }
        const qint64 offset = parseTusNumber(reply->rawHeader("Upload-Offset")).value_or(-1);
        if (offset < first || offset > m_target.size) {
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                u"the tus server answered with an unusable Upload-Offset"_s, -1, {} });
            return;
        }
        m_lengthKnown = true;
        setConfirmed(offset);
        if (offset == m_target.size) {
            completed(status, {});
            return;
        }
        if (offset > first) {
            m_stalledPatches = 0;
        } else if (++m_stalledPatches >= 3) {
            // Accepted, yet the offset did not move: sending the same bytes at once again would
            // loop without a pause. Wait and start again, as content-range does.
            finish({ TransferOutcome::Kind::Retry, status, QNetworkReply::NoError,
                u"the tus server keeps none of the bytes sent"_s, -1, {} });
            return;
        }
        patch();
    });
}

} // namespace MatrixUpload
