// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the content-range upload protocol (protocol.md 4.4).
#pragma once

#include "transfer_p.h"

#include <QFuture>

#include <atomic>
#include <memory>
#include <optional>

namespace MatrixUpload {

//! protocol.md 4.4: chunked PUTs with Content-Range, Google Cloud Storage semantics.
class MATRIXUPLOAD_CORE_TESTS_EXPORT ContentRangeTransfer final : public Transfer
{
    Q_OBJECT
public:
    using Transfer::Transfer;
    ~ContentRangeTransfer() override;
    QString protocol() const override { return QStringLiteral("content-range"); }
    bool isResumable() const override { return true; }
    void start() override;
    void abort() override;

    //! The `sha256` (hex) a final answer's \a body names for the host's copy, or empty.
    static QString namedSha256(const QByteArray &body);
    //! Why the host's \a sha256 (hex) is not \a local, the hash of what was sent, or an empty
    //! string (also when \a local is unknown). The job checks an encrypted upload's ciphertext
    //! with it.
    static QString hashContradiction(const QString &sha256, const std::optional<QByteArray> &local);

private:
    void queryStatus();
    void sendChunk();
    //! One PUT: bytes [first, first + length), or the status query when \a first is negative.
    void putRange(qint64 first, qint64 length);
    //! Reads a 308's Range header; nothing when it is malformed.
    std::optional<qint64> heldBytes(QNetworkReply *reply) const;
    //! Ends the transfer on a 200/201 \a body: Completed, or Gone when the body contradicts the
    //! file (its `size` or `sha256`). With \a sizeRequired a body without `size` contradicts too.
    //! When the host names a `sha256`, a file is checked against the hash of the bytes the bodies
    //! read, or when they did not read them all, against a hash made on a pool thread.
    void finishOnAnswer(int status, const QByteArray &body, bool sizeRequired);
    //! Why \a body's `size` contradicts the file, or an empty string.
    QString sizeContradiction(const QByteArray &body, bool sizeRequired) const;
    //! Whether the bytes are a file sent as it is (not encrypted): the final answer's `sha256`
    //! is then compared with the hash of the bytes as the bodies read them, or of the file on a
    //! pool thread; other sources are hashed when the answer comes.
    bool isPlainFile() const;
    //! Starts hashing the file on a pool thread, once: when a chunk goes out whose earlier bytes
    //! were not all read by this transfer's bodies (a resume), so that the hash is ready when
    //! the last chunk's answer comes.
    void startFileHash();
    //! The SHA-256 of the file's bytes as this transfer's bodies read them, in order: complete
    //! when every byte went out from here, and then no pool thread reads the file again.
    std::shared_ptr<PrefixSha256> m_sentHash;
    QFuture<std::optional<QByteArray>> m_fileHash;
    bool m_fileHashStarted = false;
    //! Stops the hashing when the transfer is gone.
    std::shared_ptr<std::atomic_bool> m_hashStop;
    //! 200/201 answers to chunks that were not the last, per start; past this: Gone.
    static constexpr int maxPrematureCompletions = 3;
    int m_stalledRounds = 0;
    int m_prematureCompletions = 0;
};

} // namespace MatrixUpload
