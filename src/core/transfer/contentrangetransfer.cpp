// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "contentrangetransfer_p.h"

#include "attachmentcrypto_p.h" // PrefixSha256
#include "bodysource_p.h"
#include "hashing_p.h"
#include "httpheaders_p.h"
#include "logging_p.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

ContentRangeTransfer::~ContentRangeTransfer()
{
    if (m_hashStop)
        *m_hashStop = true;
}

void ContentRangeTransfer::abort()
{
    if (m_hashStop)
        *m_hashStop = true; // a paused upload reads no further
    m_fileHashStarted = false;
    Transfer::abort();
}

void ContentRangeTransfer::start()
{
    if (!m_sentHash && isPlainFile() && m_target.checkHostHash) {
        // A transfer starts once per run of the job (a pause or retry makes a new one, which
        // resumes from the host's offset and so hashes the file on a pool thread).
        m_sentHash = std::make_shared<PrefixSha256>();
        setBodyHash(m_sentHash);
    }
    m_stalledRounds = 0;
    m_prematureCompletions = 0;
    queryStatus();
}

QString ContentRangeTransfer::sizeContradiction(const QByteArray &body, bool sizeRequired) const
{
    const QJsonValue size = QJsonDocument::fromJson(body).object().value(u"size"_s);
    if (size.isUndefined() && sizeRequired)
        return u"the upload host said \"complete\" early and does not say how many bytes it "
               u"holds"_s;
    // Some hosts send the size as a string (Google Cloud Storage's object resource).
    const qint64 held = size.isString() ? size.toString().toLongLong(nullptr) : size.toInteger(-1);
    if (!size.isUndefined() && held != m_target.size)
        return u"the upload host holds %1 bytes, not %2"_s.arg(held).arg(m_target.size);
    return {};
}

QString ContentRangeTransfer::namedSha256(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(u"sha256"_s).toString();
}

QString ContentRangeTransfer::hashContradiction(
    const QString &sha256, const std::optional<QByteArray> &local)
{
    if (local && QString::fromLatin1(local->toHex()) != sha256.toLower())
        return u"the upload host's copy has another SHA-256 (%1...)"_s.arg(sha256.left(12));
    return {};
}

void ContentRangeTransfer::finishOnAnswer(int status, const QByteArray &body, bool sizeRequired)
{
    auto gone = [this, status](const QString &why) {
        finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError, why, -1, {} });
    };
    if (const QString why = sizeContradiction(body, sizeRequired); !why.isEmpty()) {
        gone(why);
        return;
    }
    const QString sha256 = m_target.checkHostHash ? namedSha256(body) : QString();
    if (sha256.isEmpty() || m_target.source->isEncrypted()) {
        // Nothing to compare (or not to be compared), or the host hashed the ciphertext, which
        // only the job can hash.
        if (m_hashStop)
            *m_hashStop = true; // the pool's hash, if one was started, is not needed
        completed(status, body);
        return;
    }
    if (!isPlainFile()) {
        // Bytes in memory or a device: hashed here (a file may be large: below).
        if (const QString why = hashContradiction(sha256, m_target.source->sha256());
            !why.isEmpty()) {
            gone(why);
            return;
        }
        completed(status, body);
        return;
    }
    // The hash of the bytes as they went out: the same file bytes, read once instead of twice.
    // (A resume past a gap started a pool hash; a later rewind may still have closed the gap.)
    if (m_sentHash && m_sentHash->position() == m_target.size) {
        if (m_hashStop)
            *m_hashStop = true;
        const std::optional<QByteArray> local
            = m_target.source->changed().isEmpty() && m_sentHash->isValid()
            ? std::optional(m_sentHash->result())
            : std::nullopt;
        if (const QString why = hashContradiction(sha256, local); !why.isEmpty()) {
            gone(why);
            return;
        }
        completed(status, body, local.value_or(QByteArray()));
        return;
    }
    // A whole file, which may have gigabytes: on a pool thread, so that other jobs and the UI
    // run on (issue 15, item 3), started when the first chunk past a gap went out. The watcher is
    // the transfer's: gone with it, and the reading stops (the destructor sets the flag).
    startFileHash();
    auto *watcher = new QFutureWatcher<std::optional<QByteArray>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, status, body, sha256] {
        watcher->deleteLater();
        if (isAborted())
            return;
        // The hash is of the file as it is now: if it changed after its bytes went out (its size
        // or time differs), it says nothing about what was sent, as before (BodySource::sha256()).
        const std::optional<QByteArray> local
            = m_target.source->changed().isEmpty() ? watcher->result() : std::nullopt;
        if (const QString why = hashContradiction(sha256, local); !why.isEmpty()) {
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError, why, -1, {} });
            return;
        }
        completed(status, body);
    });
    watcher->setFuture(m_fileHash);
}

bool ContentRangeTransfer::isPlainFile() const
{
    return !m_target.source->isEncrypted() && m_target.source->kind() == BodySource::Kind::File
        && !m_target.filePath.isEmpty();
}

void ContentRangeTransfer::startFileHash()
{
    if (m_fileHashStarted || !isPlainFile())
        return;
    m_fileHashStarted = true;
    m_hashStop = std::make_shared<std::atomic_bool>(false);
    m_fileHash = sha256OfFileAsync(m_target.filePath, m_hashStop);
}

std::optional<qint64> ContentRangeTransfer::heldBytes(QNetworkReply *reply) const
{
    return parseHeldRange(reply->rawHeader("Range"), m_target.size);
}

void ContentRangeTransfer::queryStatus()
{
    putRange(-1, 0);
}

void ContentRangeTransfer::sendChunk()
{
    const qint64 first = confirmedOffset();
    const qint64 length = chunkLength(first);
    if (length <= 0) {
        // The server holds everything yet did not say it is complete: ask again.
        queryStatus();
        return;
    }
    // The last chunk's answer may name a sha256 to check the file against. The bodies hash the
    // bytes they read (m_sentHash); when this chunk starts past what they hashed (a resume from
    // the host's offset), the file is hashed on a pool thread from now on instead, so that the
    // hash is ready when that answer comes: started with the last chunk, it kept the job waiting
    // for most of a large file's hash (issue 15). A host whose last answer names none stops it.
    if (m_sentHash && m_sentHash->position() < first)
        startFileHash();
    putRange(first, length);
}

void ContentRangeTransfer::putRange(qint64 first, qint64 length)
{
    const QByteArray total = QByteArray::number(m_target.size);
    const QByteArray range = first < 0 ? QByteArray("bytes */" + total)
                                       : QByteArray("bytes " + QByteArray::number(first) + '-'
                                           + QByteArray::number(first + length - 1) + '/' + total);
    QNetworkReply *reply = send("PUT",
        { { "Content-Range", range }, { "Content-Type", m_target.contentType.toUtf8() } },
        std::max<qint64>(first, 0), length);
    if (!reply)
        return;
    connect(reply, &QNetworkReply::finished, this, [this, reply, first, length] {
        const int status = statusOf(reply);
        if (status == 200 || status == 201) {
            const QByteArray body = reply->readAll();
            if (first >= 0 && first + length < m_target.size) {
                // "Done" before the last byte was sent: the host is wrong about one of them.
                // Only a status query that confirms the whole size may end the upload now
                // (protocol.md 4.4).
                qCWarning(lcTransfer) << "the upload host answered" << status
                                      << "to a chunk that was not the last; asking it";
                if (++m_prematureCompletions > maxPrematureCompletions) {
                    finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                        u"the upload host keeps answering \"complete\" before the last byte"_s, -1,
                        {} });
                    return;
                }
                queryStatus();
                return;
            }
            finishOnAnswer(status, body, first < 0 && m_prematureCompletions > 0);
            return;
        }
        if (status == 413 && first >= 0 && chunkRefused(length)) {
            qCWarning(lcTransfer) << "the upload host refused a chunk of" << length
                                  << "bytes as too large; sending smaller ones";
            sendChunk();
            return;
        }
        if (status != 308) {
            finish(failure(reply, first < 0 ? u"status query"_s : u"chunk upload"_s));
            return;
        }
        if (reply->rawHeader("Range").isEmpty() && reply->hasRawHeader("Location")) {
            // A redirect (308 Permanent Redirect), not "resume incomplete": upload URLs follow
            // none (protocol.md 4.1), and sending the file again from byte 0 would not reach
            // the place it names either.
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                u"the upload URL redirects elsewhere (HTTP 308 with Location)"_s, -1, {} });
            return;
        }
        const auto held = heldBytes(reply);
        if (!held) {
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                u"the upload URL answered with an unreadable Range"_s, -1, {} });
            return;
        }
        if (m_target.size == 0) {
            // The status query is the only request of an empty file, and so its last: a host
            // that answers it with 308 will not finish the upload, however often it is asked.
            finish({ TransferOutcome::Kind::Gone, status, QNetworkReply::NoError,
                u"the upload host did not complete an empty upload (HTTP 308)"_s, -1, {} });
            return;
        }
        // Continue from what the server says it holds, which may be less than was sent.
        setConfirmed(*held);
        if (*held == m_target.size) {
            // It holds every byte but did not say "complete": the answer to the last chunk was
            // lost, or the host says so with 308. Nothing is left to send; complete tells the
            // media server, which checks what arrived (protocol.md 4.4).
            completed(status, {});
            return;
        }
        if (first >= 0 && *held <= first) {
            if (++m_stalledRounds >= 3) {
                finish({ TransferOutcome::Kind::Retry, status, QNetworkReply::NoError,
                    u"the server keeps no bytes of the chunks sent"_s, -1, {} });
                return;
            }
        } else {
            m_stalledRounds = 0;
        }
        sendChunk();
    });
}

} // namespace MatrixUpload
