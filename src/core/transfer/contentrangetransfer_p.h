// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the content-range upload protocol (protocol.md 4.4).
#pragma once

#include "transfer_p.h"

#include <optional>

namespace MatrixUpload {

//! protocol.md 4.4: chunked PUTs with Content-Range, Google Cloud Storage semantics.
class MATRIXUPLOAD_CORE_TESTS_EXPORT ContentRangeTransfer final : public Transfer
{
    Q_OBJECT
public:
    using Transfer::Transfer;
    QString protocol() const override { return QStringLiteral("content-range"); }
    bool isResumable() const override { return true; }
    void start() override;

private:
    void queryStatus();
    void sendChunk();
    //! One PUT: bytes [first, first + length), or the status query when \a first is negative.
    void putRange(qint64 first, qint64 length);
    //! Reads a 308's Range header; nothing when it is malformed.
    std::optional<qint64> heldBytes(QNetworkReply *reply) const;
    //! Why a 200/201 \a body contradicts the file (its `size` or `sha256`), or an empty string.
    //! With \a sizeRequired a body without `size` contradicts too.
    QString contradiction(const QByteArray &body, bool sizeRequired);
    //! 200/201 answers to chunks that were not the last, per start; past this: Gone.
    static constexpr int maxPrematureCompletions = 3;
    int m_stalledRounds = 0;
    int m_prematureCompletions = 0;
};

} // namespace MatrixUpload
