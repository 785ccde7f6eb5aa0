// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The one error type of the Matrix API layer: what went wrong (transport, HTTP, a malformed
// answer, a local problem), the Matrix errcode and message, and how long the server asked us to
// wait. protocol.md 9 is the contract.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QNetworkReply>
#include <QString>

#include <optional>

namespace MatrixUpload {

//! An error from a Matrix API call.
//!
//! The errcode is trusted over the HTTP status; the status decides only when the errcode is
//! `M_UNKNOWN` or missing (protocol.md 9). The body is parsed whatever its `Content-Type`.
//!
//! \code
//! if (!result) {
//!     const MatrixError &e = result.error();
//!     if (e.isRetryable())
//!         retryIn(e.retryAfterMs().value_or(backoff.next()));
//!     else if (e.isQuota())
//!         showQuota(e.message());
//! }
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT MatrixError
{
    Q_GADGET
public:
    enum class Kind {
        Transport, //!< no HTTP answer: connection refused, reset, timeout, TLS, cancelled
        Http, //!< the server answered with an error status
        InvalidResponse, //!< a success status with a body we cannot use
        Local, //!< refused before sending (bad input) or a local I/O failure
    };
    Q_ENUM(Kind)

    MatrixError() = default;

    //! An HTTP error answer. \a retryAfter is the raw `Retry-After` header; \a now is the clock
    //! an HTTP-date in it is measured against.
    static MatrixError fromHttp(int status, const QByteArray &body,
        const QByteArray &retryAfter = {}, const QDateTime &now = QDateTime::currentDateTimeUtc());
    //! The error of a finished reply: HTTP when it has a status, else transport. A reply that
    //! Qt aborted because no byte moved for its transfer timeout (which Qt reports as
    //! OperationCanceledError) is a QNetworkReply::TimeoutError, retryable: only a reply that
    //! this library aborted on purpose is a cancellation.
    static MatrixError fromReply(QNetworkReply *reply);
    static MatrixError transport(QNetworkReply::NetworkError error, const QString &message);
    static MatrixError invalidResponse(const QString &message, int status = 0);
    static MatrixError local(const QString &message);
    static MatrixError cancelled();

    //! `Retry-After` as milliseconds from \a now: delay-seconds or an HTTP-date (IMF-fixdate, or
    //! RFC 2822 with a numeric zone). A date in the past gives 0; garbage gives nothing.
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);

    Kind kind() const { return m_kind; }
    int httpStatus() const { return m_status; } //!< 0 without an HTTP answer
    QString errcode() const { return m_errcode; } //!< empty when the body had none
    QString message() const { return m_message; }
    QNetworkReply::NetworkError networkError() const { return m_networkError; }
    //! How long to wait before trying again: `Retry-After` first, then `retry_after_ms`.
    std::optional<qint64> retryAfterMs() const { return m_retryAfterMs; }
    //! The whole error body, for fields such as `info_uri` or `soft_logout`.
    QJsonObject body() const { return m_body; }

    //! Worth retrying the same request later (protocol.md 9): transport errors except a
    //! cancellation, 408, 429, 500, 502, 503, 504, and M_LIMIT_EXCEEDED / M_NOT_YET_UPLOADED.
    bool isRetryable() const;
    //! A storage or account quota: M_RESOURCE_LIMIT_EXCEEDED or M_USER_LIMIT_EXCEEDED. A quota
    //! can also arrive as a bare 403 M_FORBIDDEN, which cannot be told apart from other refusals.
    bool isQuota() const;
    //! The server does not know the endpoint (404/405 M_UNRECOGNIZED, or 404/405 without a
    //! specific errcode): the signal to try another path.
    bool isUnrecognized() const;
    //! The access token is missing, unknown or expired (401).
    bool isUnauthorized() const;
    //! Spec "Soft logout": a 401 with `soft_logout: true`. The session lives on; a refresh or a
    //! new login of the same device continues it.
    bool isSoftLogout() const;
    bool isCancelled() const;

    //! One line for logs and messages, e.g. "M_FORBIDDEN (HTTP 403): Invalid password".
    QString toString() const;

private:
    //! The errcode that decides: empty when the server gave none or only M_UNKNOWN.
    QString specificErrcode() const;

    Kind m_kind = Kind::Local;
    int m_status = 0;
    QString m_errcode;
    QString m_message;
    QNetworkReply::NetworkError m_networkError = QNetworkReply::NoError;
    std::optional<qint64> m_retryAfterMs;
    QJsonObject m_body;
};

} // namespace MatrixUpload

Q_DECLARE_METATYPE(MatrixUpload::MatrixError)
