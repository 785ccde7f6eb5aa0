// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: sending a file's bytes to an upload URL (protocol.md 4): what the protocols
// share. Each protocol has its own file: puttransfer_p.h, contentrangetransfer_p.h,
// tustransfer_p.h.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include "chunksizer_p.h"
#include "httpheaders_p.h" // checkUploadUrl()

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace MatrixUpload {

class PrefixSha256;

class BodySource;

//! How one run of a transfer ended. The job decides what happens next.
struct MATRIXUPLOAD_CORE_TESTS_EXPORT TransferOutcome
{
    enum class Kind {
        Completed, //!< the server holds every byte
        Retry, //!< transient (network error, 408, 429, 5xx): wait, then start() again
        Gone, //!< the URL is dead (403, 404, 410, other 4xx): fall back to the homeserver
        Failed, //!< no path will help (the file changed, 413 too large)
        Aborted, //!< abort() was called
    };
    Kind kind = Kind::Failed;
    int httpStatus = 0; //!< 0: no HTTP answer
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString message; //!< for people; never contains the URL's query
    qint64 retryAfterMs = -1; //!< the server's wait, -1: none
    QByteArray body; //!< the final answer's body (Completed)
    //! Completed: the SHA-256 of the file's bytes as this transfer sent them, when it hashed
    //! every one of them (content-range checking the host's hash) and the file is unchanged;
    //! otherwise empty.
    QByteArray sentSha256 {};
    bool fileChanged = false; //!< Failed because the file is not what it was when the upload began
    //! Failed because the body would have to be read again from a source that cannot be
    //! rewound (a sequential device whose bytes were sent once already).
    bool cannotRewind = false;
};

//! What a transfer sends, and where.
struct MATRIXUPLOAD_CORE_TESTS_EXPORT TransferTarget
{
    //! Where the bytes come from. Null: the file at filePath, with size and mtimeMs.
    std::shared_ptr<BodySource> source;
    QString filePath;
    qint64 size = 0;
    qint64 mtimeMs = 0; //!< the file's modification time when the upload began; 0: not checked
    QString contentType = QStringLiteral("application/octet-stream");
    QUrl url; //!< a capability URL: never logged with its query
    QByteArray method = "PUT";
    //! content-range and tus; content-range needs 256 KiB multiples. 0 or less: the default.
    qint64 chunkSize = 8 * 1024 * 1024;
    //! Above chunkSize: chunks start at chunkSize and grow to fit the link, up to this many
    //! bytes (ChunkSizer). Otherwise every chunk has chunkSize bytes.
    qint64 maxChunkSize = 0;
    int inactivityTimeoutMs = 60 * 1000; //!< no byte moved for this long: the request fails
    //! Compare a `sha256` the host names for its copy with the bytes (UploadOptions).
    bool checkHostHash = true;
};

//! One protocol of protocol.md 4.3-4.5. Requests go through the QNetworkAccessManager given,
//! which must be one that carries no Matrix token and no cookies (see uploadUrlNetworkManager()).
//! Transfers never retry by themselves: they report, and the job's RetryPolicy decides.
class MATRIXUPLOAD_CORE_TESTS_EXPORT Transfer : public QObject
{
    Q_OBJECT
public:
    Transfer(QNetworkAccessManager *nam, const TransferTarget &target, QObject *parent = nullptr);
    ~Transfer() override;

    virtual QString protocol() const = 0;
    virtual bool isResumable() const = 0;
    //! Starts, or continues after a Retry outcome. Resumable protocols first ask the server what
    //! it holds and continue from there, never from what was sent before.
    virtual void start() = 0;
    //! Stops the running request (and any work of the protocol's); finished(Aborted) follows.
    virtual void abort();

    //! Bytes the server confirmed holding.
    qint64 confirmedOffset() const { return m_confirmed; }
    const TransferTarget &target() const { return m_target; }

Q_SIGNALS:
    //! Bytes sent so far, counting those not yet confirmed (for progress bars).
    void bytesSent(qint64 bytes, qint64 total);
    //! The server confirmed holding \a offset bytes: the moment to save the resume record.
    void confirmed(qint64 offset);
    void finished(const MatrixUpload::TransferOutcome &outcome);

protected:
    //! Sends one request to the upload URL, with only the headers given (protocol.md 4.1: an
    //! exact Content-Length, no custom headers), a body of bytes [offset, offset + length) of
    //! the file, and the inactivity timeout.
    QNetworkReply *send(const QByteArray &method,
        const QList<std::pair<QByteArray, QByteArray>> &headers, qint64 offset = 0,
        qint64 length = 0);
    //! The HTTP status of \a reply, 0 when there was no HTTP answer.
    static int statusOf(QNetworkReply *reply);
    //! Classifies a finished reply that was not a success answer of the protocol.
    TransferOutcome failure(QNetworkReply *reply, const QString &what) const;
    void setConfirmed(qint64 offset);
    //! The server holds every byte: confirmed, and finished(Completed) with \a sentSha256
    //! (TransferOutcome::sentSha256).
    void completed(int status, const QByteArray &body, const QByteArray &sentSha256 = {});
    void finish(TransferOutcome outcome);
    bool isAborted() const { return m_aborted; }
    //! The bytes of the next chunk starting at \a first (content-range, tus): sized by the
    //! ChunkSizer, which send() feeds with each chunk's timings.
    qint64 chunkLength(qint64 first) const;
    //! The host answered 413 to a chunk of \a length bytes: whether a smaller chunk may be tried
    //! at once (chunks grew past a limit on request bodies), or the file is the problem.
    bool chunkRefused(qint64 length) { return m_chunks.refused(length); }
    //! From now on the bodies send() reads from a plain file offer their bytes to \a hash
    //! (FileWindowDevice::setHash()).
    void setBodyHash(std::shared_ptr<PrefixSha256> hash) { m_bodyHash = std::move(hash); }

    QNetworkAccessManager *m_nam;
    TransferTarget m_target; //!< its source is never null

private:
    //! Feeds the ChunkSizer with the timings of \a reply, a chunk of \a length bytes.
    void measureChunk(QNetworkReply *reply, qint64 length);

    QPointer<QNetworkReply> m_reply;
    std::shared_ptr<PrefixSha256> m_bodyHash;
    ChunkSizer m_chunks;
    qint64 m_confirmed = 0;
    bool m_aborted = false;
};

//! The upload protocol named by a create answer's `upload_protocol` (absent: put), or nothing
//! for a name this client does not speak.
MATRIXUPLOAD_CORE_TESTS_EXPORT std::unique_ptr<Transfer> makeTransfer(const QString &protocol,
    QNetworkAccessManager *nam, const TransferTarget &target, QObject *parent = nullptr);

//! Whether makeTransfer() speaks \a protocol.
MATRIXUPLOAD_CORE_TESTS_EXPORT bool isSupportedUploadProtocol(const QString &protocol);

//! The proxies \a nam would use for \a query, as it decides: its factory, else its proxy, else
//! the application's. For the upload-URL requests, which libcurl sends (curlreply_p.h).
MATRIXUPLOAD_CORE_TESTS_EXPORT QList<QNetworkProxy> proxiesFor(
    QNetworkAccessManager *nam, const QNetworkProxyQuery &query);

//! A QNetworkAccessManager for upload URLs only: no cookie jar, no cache, no credentials, and
//! redirects handled by hand, so that neither the Matrix token nor a cookie can reach an upload
//! URL by accident (protocol.md 4.1). With \a proxySource (the manager the host gave MediaApi),
//! it uses the proxy that manager would use for each request (its proxy factory or proxy, read
//! at every request). A proxy that answers 407 is not supported: the requests reuse no
//! credentials (QNetworkRequest::AuthenticationReuseAttribute is Manual).
MATRIXUPLOAD_CORE_TESTS_EXPORT QNetworkAccessManager *uploadUrlNetworkManager(
    QObject *parent, QNetworkAccessManager *proxySource = nullptr);

} // namespace MatrixUpload
