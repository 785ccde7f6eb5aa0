// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "matrixerror.h"

#include "json_p.h"
#include "logging_p.h"
#include "networkreply_p.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
bool allDigits(QByteArrayView s)
{
    return !s.isEmpty()
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

QString statusText(int status)
{
    switch (status) {
    case 400:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Bad Request");
    case 401:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Unauthorized");
    case 403:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Forbidden");
    case 404:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Not Found");
    case 405:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Method Not Allowed");
    case 408:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Request Timeout");
    case 409:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Conflict");
    case 413:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Content Too Large");
    case 429:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Too Many Requests");
    case 500:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Internal Server Error");
    case 502:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Bad Gateway");
    case 503:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Service Unavailable");
    case 504:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "Gateway Timeout");
    default:
        return QCoreApplication::translate("MatrixUpload::MatrixError", "HTTP error");
    }
}
} // namespace

MatrixError MatrixError::fromHttp(
    int status, const QByteArray &body, const QByteArray &retryAfter, const QDateTime &now)
{
    MatrixError e;
    e.m_kind = Kind::Http;
    e.m_status = status;
    // Proxies and some servers send the Matrix error JSON as text/plain or without a type, so
    // the body is tried as JSON whatever the header says (protocol.md 9).
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        e.m_body = doc.object();
        e.m_errcode = e.m_body.value(u"errcode"_s).toString();
        e.m_message = e.m_body.value(u"error"_s).toString();
    }
    if (e.m_message.isEmpty())
        e.m_message = statusText(status);
    e.m_retryAfterMs = parseRetryAfter(retryAfter, now);
    if (!e.m_retryAfterMs) {
        // Deprecated since v1.10, still the only hint some servers give.
        const QJsonValue ms = e.m_body.value(u"retry_after_ms"_s);
        e.m_retryAfterMs = jsonNonNegative(ms);
    }
    return e;
}

MatrixError MatrixError::fromReply(QNetworkReply *reply)
{
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (const QString why = answerLimitReason(reply); !why.isEmpty()) {
        // Stopped by limitAnswer(): an answer that trickles is retried like a stall; one that
        // does not end is the server's fault and not retried.
        if (answerTooSlow(reply))
            return transport(QNetworkReply::TimeoutError, why);
        return invalidResponse(why, status.toInt());
    }
    // A 2xx whose body broke off (a stall, a reset) is a transport error, not the server's word.
    const bool success = status.toInt() >= 200 && status.toInt() < 300;
    if (status.isValid() && status.toInt() > 0
        && !(success && reply->error() != QNetworkReply::NoError))
        return fromHttp(status.toInt(), reply->readAll(), reply->rawHeader("Retry-After"_ba));
    if (timedOut(reply)) {
        // Qt's inactivity timeout aborts the reply (OperationCanceledError, "Operation
        // canceled"); nobody cancelled: the request stalled, and a stall is retried like a
        // dropped connection (protocol.md 9).
        return transport(QNetworkReply::TimeoutError,
            u"no data moved for %1 s (inactivity timeout)"_s.arg(
                QLocale::c().toString(transferTimeoutOf(reply) / 1000.0, 'g', 3)));
    }
    // Qt's error strings can quote the whole URL; a signed URL's query is a credential.
    QString message = reply->errorString();
    const QUrl url = reply->request().url();
    message.replace(url.toString(), loggableUrl(url));
    message.replace(url.toDisplayString(), loggableUrl(url));
    return transport(reply->error(), message);
}

MatrixError MatrixError::transport(QNetworkReply::NetworkError error, const QString &message)
{
    MatrixError e;
    e.m_kind = Kind::Transport;
    e.m_networkError = error;
    e.m_message = message;
    return e;
}

MatrixError MatrixError::invalidResponse(const QString &message, int status)
{
    MatrixError e;
    e.m_kind = Kind::InvalidResponse;
    e.m_status = status;
    e.m_message = message;
    return e;
}

MatrixError MatrixError::local(const QString &message)
{
    MatrixError e;
    e.m_kind = Kind::Local;
    e.m_message = message;
    return e;
}

MatrixError MatrixError::cancelled()
{
    return transport(QNetworkReply::OperationCanceledError, u"Cancelled"_s);
}

std::optional<qint64> MatrixError::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    if (allDigits(v)) {
        // More than 10 digits of seconds is centuries: clamp rather than overflow.
        if (v.size() > 10)
            return std::numeric_limits<qint64>::max() / 2;
        return v.toLongLong() * 1000;
    }
    const QString text = QString::fromLatin1(v);
    // IMF-fixdate, the form RFC 9110 requires senders to use: "Sun, 06 Nov 1994 08:49:37 GMT".
    // QDateTime's RFC 2822 parser does not take "GMT", so it gets its own format.
    QDateTime when = QLocale::c().toDateTime(text, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (when.isValid())
        when.setTimeZone(QTimeZone::utc());
    else
        when = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return std::max<qint64>(0, now.msecsTo(when));
}

QString MatrixError::specificErrcode() const
{
    return m_errcode == u"M_UNKNOWN"_s ? QString() : m_errcode;
}

bool MatrixError::isRetryable() const
{
    switch (m_kind) {
    case Kind::Transport:
        return m_networkError != QNetworkReply::OperationCanceledError;
    case Kind::InvalidResponse:
    case Kind::Local:
        return false;
    case Kind::Http:
        break;
    }
    const QString code = specificErrcode();
    if (code == u"M_LIMIT_EXCEEDED"_s || code == u"M_NOT_YET_UPLOADED"_s)
        return true;
    // Any other specific errcode names a refusal that retrying the same request will not fix,
    // even behind a 5xx; only the status of a generic error decides.
    if (!code.isEmpty())
        return false;
    switch (m_status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return true;
    default:
        return false;
    }
}

bool MatrixError::isQuota() const
{
    return m_kind == Kind::Http
        && (m_errcode == u"M_RESOURCE_LIMIT_EXCEEDED"_s || m_errcode == u"M_USER_LIMIT_EXCEEDED"_s);
}

bool MatrixError::isUnrecognized() const
{
    if (m_kind != Kind::Http)
        return false;
    const QString code = specificErrcode();
    if (!code.isEmpty())
        return code == u"M_UNRECOGNIZED"_s;
    // A server or proxy that has never heard of the path often answers a bare 404 or 405.
    return m_status == 404 || m_status == 405;
}

bool MatrixError::isUnauthorized() const
{
    if (m_kind != Kind::Http)
        return false;
    const QString code = specificErrcode();
    if (!code.isEmpty())
        return code == u"M_MISSING_TOKEN"_s || code == u"M_UNKNOWN_TOKEN"_s;
    return m_status == 401;
}

bool MatrixError::isSoftLogout() const
{
    return isUnauthorized() && m_body.value(u"soft_logout"_s).toBool();
}

bool MatrixError::isCancelled() const
{
    return m_kind == Kind::Transport && m_networkError == QNetworkReply::OperationCanceledError;
}

QString MatrixError::toString() const
{
    switch (m_kind) {
    case Kind::Http:
        return (m_errcode.isEmpty() ? u"HTTP %1: "_s : m_errcode + u" (HTTP %1): "_s).arg(m_status)
            + m_message;
    case Kind::Transport:
        return u"network error: "_s + m_message;
    case Kind::InvalidResponse:
        return u"invalid server response: "_s + m_message;
    case Kind::Local:
        break;
    }
    return m_message;
}

} // namespace MatrixUpload
