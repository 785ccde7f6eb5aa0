// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "transfer_p.h"

#include "curlreply_p.h"

#include "contentrangetransfer_p.h"
#include "puttransfer_p.h"
#include "tustransfer_p.h"

#include "api/matrixerror.h"
#include "api/networkreply_p.h"
#include "bodysource_p.h"
#include "filewindowdevice_p.h"
#include "httpheaders_p.h"
#include "logging_p.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkProxyFactory>
#include <QPointer>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
//! A jar that keeps nothing and hands out nothing.
class NoCookieJar final : public QNetworkCookieJar
{
public:
    using QNetworkCookieJar::QNetworkCookieJar;
    QList<QNetworkCookie> cookiesForUrl(const QUrl &) const override { return {}; }
    bool setCookiesFromUrl(const QList<QNetworkCookie> &, const QUrl &) override { return false; }
};

//! Asks the host's QNetworkAccessManager which proxy to use, request by request, as that
//! manager would decide (its factory, else its proxy, else the application's): upload URLs follow
//! the host's proxy settings, also when they change later, and share nothing else with it.
class HostProxyFactory final : public QNetworkProxyFactory
{
public:
    explicit HostProxyFactory(QNetworkAccessManager *host)
        : m_host(host)
    { }

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        return proxiesFor(m_host, query);
    }

private:
    QPointer<QNetworkAccessManager> m_host;
};

qint64 retryAfterMs(QNetworkReply *reply)
{
    if (const auto header = MatrixError::parseRetryAfter(
            reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc()))
        return *header;
    // A media server's own upload URL may answer with the Matrix error JSON only, which names
    // its wait in retry_after_ms (protocol.md 9). A header wins when both are there.
    const QJsonValue ms
        = QJsonDocument::fromJson(reply->peek(16 * 1024)).object().value(u"retry_after_ms"_s);
    if (ms.isDouble() && ms.toDouble() >= 0 && ms.toDouble() < 1e15)
        return qint64(ms.toDouble());
    return -1;
}

//! What an upload host says about a refusal, from the error body: S3's
//! `<Error><Code>SignatureDoesNotMatch</Code><Message>...</Message>`, or the Matrix error JSON
//! of a media server's own upload URL. Empty when the body names nothing. Kept short and on
//! one line; a presigned URL's query, should the host echo it, is cut out.
QString refusalReason(QNetworkReply *reply, const QUrl &url)
{
    const QByteArray body = reply->peek(16 * 1024);
    QString code;
    QString message;
    static const QRegularExpression s3Code(u"<Code>([^<]{1,64})</Code>"_s);
    static const QRegularExpression s3Message(u"<Message>([^<]{1,300})</Message>"_s);
    const QString text = QString::fromUtf8(body);
    if (const auto m = s3Code.match(text); m.hasMatch()) {
        code = m.captured(1);
        message = s3Message.match(text).captured(1);
    } else if (const QJsonObject json = QJsonDocument::fromJson(body).object();
               json.value(u"errcode"_s).isString()) {
        code = json.value(u"errcode"_s).toString().left(64);
        message = json.value(u"error"_s).toString().left(300);
    }
    QString reason = message.trimmed().isEmpty() ? code : code + u": "_s + message;
    // The signature in the query, or the capability in the path (tus), should the host echo it.
    if (url.hasQuery()) {
        reason.replace(url.query(QUrl::FullyEncoded), u"<redacted>"_s);
        reason.replace(url.query(QUrl::FullyDecoded), u"<redacted>"_s);
    }
    if (url.path().size() > 1) {
        reason.replace(url.path(QUrl::FullyEncoded), u"/<redacted>"_s);
        reason.replace(url.path(QUrl::FullyDecoded), u"/<redacted>"_s);
    }
    return reason.simplified();
}

//! \a target with its chunk size, when 0 or less, replaced by the default: a chunk of no bytes
//! never moves the offset, so the transfer would ask the host again and again. A library
//! caller's 0 or less means the default (issue 14).
TransferTarget withDefaultChunkSize(TransferTarget target)
{
    if (target.chunkSize <= 0)
        target.chunkSize = TransferTarget().chunkSize;
    return target;
}
} // namespace

int Transfer::statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

Transfer::Transfer(QNetworkAccessManager *nam, const TransferTarget &target, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_target(withDefaultChunkSize(target))
    , m_chunks(m_target.chunkSize, m_target.maxChunkSize)
{
    if (!m_target.source)
        m_target.source = BodySource::fromFile(m_target.filePath, m_target.size, m_target.mtimeMs);
}

Transfer::~Transfer()
{
    if (m_reply) {
        m_reply->disconnect(this);
        abortReply(m_reply);
    }
}

void Transfer::abort()
{
    m_aborted = true;
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        abortReply(reply);
        reply->deleteLater();
    }
    finish({ TransferOutcome::Kind::Aborted, 0, QNetworkReply::OperationCanceledError, u"stopped"_s,
        -1, {} });
}

QNetworkReply *Transfer::send(const QByteArray &method,
    const QList<std::pair<QByteArray, QByteArray>> &headers, qint64 offset, qint64 length)
{
    QNetworkRequest request(m_target.url);
    // Nothing but what the protocol needs: a presigned URL may sign headers.
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_target.inactivityTimeoutMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    request.setHeader(QNetworkRequest::ContentLengthHeader, length);

    QNetworkReply *reply = nullptr;
    // Checked before every request (a stat for a file): bytes that changed since the upload
    // began must not be sent on, or the server would hold a mix of old and new bytes.
    if (const QString why = m_target.source->changed(); !why.isEmpty()) {
        TransferOutcome changed { TransferOutcome::Kind::Failed, 0, QNetworkReply::NoError, why, -1,
            {} };
        changed.fileChanged = true;
        finish(changed);
        return nullptr;
    }
    if (length > 0) {
        if (!m_target.source->canRewind() && m_target.source->isSpent()) {
            TransferOutcome spent { TransferOutcome::Kind::Failed, 0, QNetworkReply::NoError,
                u"this source cannot be rewound, so %1 cannot send its bytes again"_s.arg(
                    protocol()),
                -1, {} };
            spent.cannotRewind = true;
            finish(spent);
            return nullptr;
        }
        QString why;
        QIODevice *body = m_target.source->openWindow(offset, length, &why);
        if (!body) {
            finish({ TransferOutcome::Kind::Failed, 0, QNetworkReply::NoError,
                u"cannot read the file: "_s + why, -1, {} });
            return nullptr;
        }
        if (auto *window = qobject_cast<FileWindowDevice *>(body); window && m_bodyHash)
            window->setHash(m_bodyHash);
        // libcurl, not QNetworkAccessManager: curlreply_p.h says why.
        reply = sendUploadRequest(m_nam, request, method, body, length);
        body->setParent(reply);
    } else {
        reply = sendUploadRequest(m_nam, request, method, nullptr, 0);
    }
    m_reply = reply;
    // Each chunk is a reply of its own (with its file window): gone once handled, not kept
    // until the transfer ends, or a long upload would hold a file handle per chunk.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    // An upload host answers in a few bytes: a body without end, or one that trickles in below
    // the inactivity timeout, ends the request (issue 14, "Hostile servers"). Connected before
    // the protocol's own handler, which then never sees the aborted reply.
    limitAnswer(reply, maxAnswerBytes, 2 * m_target.inactivityTimeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        const QString why = answerLimitReason(reply);
        if (why.isEmpty())
            return;
        reply->disconnect(this);
        // Too slow: retried like a stall. Too large: this host is broken, use the homeserver.
        const bool slow = answerTooSlow(reply);
        finish({ slow ? TransferOutcome::Kind::Retry : TransferOutcome::Kind::Gone, statusOf(reply),
            slow ? QNetworkReply::TimeoutError : QNetworkReply::UnknownContentError,
            protocol() + u": "_s + why, -1, {} });
    });
    qCDebug(lcTransfer) << method << loggableUploadUrl(m_target.url) << "bytes" << offset << "+"
                        << length;
    connect(reply, &QNetworkReply::uploadProgress, this, [this, offset](qint64 sent, qint64 total) {
        if (total > 0) // the last signal is a spurious (0, 0)
            Q_EMIT bytesSent(offset + sent, m_target.size);
    });
    if (length > 0 && m_chunks.isAdaptive())
        measureChunk(reply, length);
    return reply;
}

qint64 Transfer::chunkLength(qint64 first) const
{
    // nextFor() never goes past the end; the bound here keeps a body window inside the file.
    return std::min(m_chunks.nextFor(m_target.size - first), m_target.size - first);
}

void Transfer::measureChunk(QNetworkReply *reply, qint64 length)
{
    // Connected before the protocol's handler, which asks chunkLength() for the next chunk.
    struct Timing
    {
        QElapsedTimer clock;
        qint64 sentNs = -1; // when the last byte went to the connection
    };
    auto timing = std::make_shared<Timing>();
    timing->clock.start();
    connect(reply, &QNetworkReply::uploadProgress, this, [timing, length](qint64 sent, qint64) {
        if (sent >= length && timing->sentNs < 0)
            timing->sentNs = timing->clock.nsecsElapsed();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, timing, length] {
        const int status = statusOf(reply);
        if (status == 0 || status >= 500)
            m_chunks.reset(); // the link or the host is in trouble: small steps again
        else if (status < 400 && timing->sentNs >= 0) {
            const qint64 waitingNs = timing->clock.nsecsElapsed() - timing->sentNs;
            m_chunks.record(length, timing->sentNs, waitingNs);
            qCDebug(lcTransfer) << "chunk of" << length << "bytes: sent in"
                                << timing->sentNs / 1000000 << "ms, answered" << waitingNs / 1000000
                                << "ms later; next chunk" << m_chunks.next() << "bytes";
        }
    });
}

TransferOutcome Transfer::failure(QNetworkReply *reply, const QString &what) const
{
    TransferOutcome o;
    o.httpStatus = statusOf(reply);
    o.networkError = reply->error();
    o.retryAfterMs = retryAfterMs(reply);
    const int s = o.httpStatus;
    if (s == 0) {
        // A refused or reset connection, a TLS failure, a stall: a host restarting for a few
        // seconds (a CDN node, a tus server) is no reason to send everything through the
        // homeserver, whether or not it confirmed bytes yet. Retry; the job's retry policy
        // falls back when it gives up (issue 14). Only a name that does not resolve is Gone
        // at once, unless the host already holds bytes of a resumable upload.
        const bool unknownHost = reply->error() == QNetworkReply::HostNotFoundError;
        o.kind = unknownHost && !(isResumable() && m_confirmed > 0) ? TransferOutcome::Kind::Gone
                                                                    : TransferOutcome::Kind::Retry;
        if (timedOut(reply)) {
            // Qt reports its inactivity timeout as a cancel; it is a stall: Retry.
            o.networkError = QNetworkReply::TimeoutError;
            o.message = u"%1: no data moved for %2 ms (inactivity timeout)"_s.arg(what).arg(
                transferTimeoutOf(reply));
            return o;
        }
        // Qt's error strings quote the whole URL, signature included.
        QString why = reply->errorString();
        why.replace(m_target.url.toString(QUrl::FullyEncoded), loggableUploadUrl(m_target.url));
        why.replace(m_target.url.toString(), loggableUploadUrl(m_target.url));
        o.message = what + u": "_s + why;
        return o;
    }
    if (s == 408 || s == 429 || (s >= 500 && s != 501))
        o.kind = TransferOutcome::Kind::Retry;
    else if (s == 413)
        o.kind = TransferOutcome::Kind::Failed;
    else
        o.kind = TransferOutcome::Kind::Gone;
    o.message = u"%1: HTTP %2"_s.arg(what).arg(s);
    // "upload: HTTP 403 SignatureDoesNotMatch" tells a signed header the client did not match
    // apart from an expired URL ("AccessDenied") where the status alone cannot.
    if (const QString reason = refusalReason(reply, m_target.url); !reason.isEmpty())
        o.message += u' ' + reason;
    return o;
}

void Transfer::setConfirmed(qint64 offset)
{
    m_confirmed = offset;
    Q_EMIT confirmed(offset);
}

void Transfer::completed(int status, const QByteArray &body, const QByteArray &sentSha256)
{
    setConfirmed(m_target.size);
    TransferOutcome outcome { TransferOutcome::Kind::Completed, status, QNetworkReply::NoError, {},
        -1, body };
    outcome.sentSha256 = sentSha256;
    finish(outcome);
}

void Transfer::finish(TransferOutcome outcome)
{
    if (m_reply) {
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Q_EMIT finished(outcome);
}

bool isSupportedUploadProtocol(const QString &protocol)
{
    return protocol.isEmpty() || protocol == u"put"_s || protocol == u"content-range"_s
        || protocol == u"tus"_s;
}

std::unique_ptr<Transfer> makeTransfer(const QString &protocol, QNetworkAccessManager *nam,
    const TransferTarget &target, QObject *parent)
{
    if (protocol.isEmpty() || protocol == u"put"_s)
        return std::make_unique<PutTransfer>(nam, target, parent);
    if (protocol == u"content-range"_s)
        return std::make_unique<ContentRangeTransfer>(nam, target, parent);
    if (protocol == u"tus"_s)
        return std::make_unique<TusTransfer>(nam, target, parent);
    return nullptr;
}

QList<QNetworkProxy> proxiesFor(QNetworkAccessManager *nam, const QNetworkProxyQuery &query)
{
    if (nam) {
        if (QNetworkProxyFactory *factory = nam->proxyFactory())
            return factory->queryProxy(query);
        if (nam->proxy().type() != QNetworkProxy::DefaultProxy)
            return { nam->proxy() };
    }
    return QNetworkProxyFactory::proxyForQuery(query);
}

QNetworkAccessManager *uploadUrlNetworkManager(QObject *parent, QNetworkAccessManager *proxySource)
{
    auto *nam = new QNetworkAccessManager(parent);
    nam->setCookieJar(new NoCookieJar(nam));
    nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    nam->setCache(nullptr);
    if (proxySource)
        nam->setProxyFactory(new HostProxyFactory(proxySource));
    return nam;
}

} // namespace MatrixUpload
