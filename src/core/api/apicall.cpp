// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "apicall.h"

#include "networkreply_p.h"

namespace MatrixUpload {

ApiCallBase::ApiCallBase(QObject *parent)
    : QObject(parent)
{ }

ApiCallBase::~ApiCallBase()
{
    // A call deleted while in flight takes its request with it rather than leaving a reply
    // that nobody reads.
    if (m_reply) {
        m_reply->disconnect(this);
        abortReply(m_reply);
        m_reply->deleteLater();
    }
}

void ApiCallBase::abort()
{
    if (m_finished)
        return;
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        abortReply(reply);
        reply->deleteLater();
    }
    resolveCancelled();
}

void ApiCallBase::markFinished()
{
    m_finished = true;
    m_reply = nullptr;
    Q_EMIT finished();
}

} // namespace MatrixUpload
