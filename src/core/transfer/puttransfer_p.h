// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the put upload protocol (protocol.md 4.3).
#pragma once

#include "transfer_p.h"

namespace MatrixUpload {

//! protocol.md 4.3: one request with the whole file; a retry starts at byte 0.
class MATRIXUPLOAD_CORE_TESTS_EXPORT PutTransfer final : public Transfer
{
    Q_OBJECT
public:
    using Transfer::Transfer;
    QString protocol() const override { return QStringLiteral("put"); }
    bool isResumable() const override { return false; }
    void start() override;
};

} // namespace MatrixUpload
