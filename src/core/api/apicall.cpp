// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "apicall.h"

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
        m_reply->abort();
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
        reply->abort();
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
