// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "puttransfer_p.h"

#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

void PutTransfer::start()
{
    QNetworkReply *reply = send(
        m_target.method, { { "Content-Type", m_target.contentType.toUtf8() } }, 0, m_target.size);
    if (!reply)
        return;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        const int status = statusOf(reply);
        if (status >= 200 && status < 300) {
            // Any 2xx: S3 answers 200, others 201 or 204 (issue 14, item 8).
            completed(status, reply->readAll());
            return;
        }
        finish(failure(reply, u"upload"_s));
    });
}

} // namespace MatrixUpload
