// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the tus upload protocol (protocol.md 4.5).
#pragma once

#include "transfer_p.h"

namespace MatrixUpload {

//! protocol.md 4.5: tus 1.0 core, HEAD then PATCH, with a deferred length.
class MATRIXUPLOAD_CORE_TESTS_EXPORT TusTransfer final : public Transfer
{
    Q_OBJECT
public:
    using Transfer::Transfer;
    QString protocol() const override { return QStringLiteral("tus"); }
    bool isResumable() const override { return true; }
    void start() override;

private:
    void head();
    void patch();
    //! failure(), with 423 Locked and 409 Conflict as Retry.
    TransferOutcome tusFailure(QNetworkReply *reply, const QString &what) const;
    bool m_lengthKnown = false;
    int m_conflicts = 0;
    int m_stalledPatches = 0; //!< PATCHes in a row that the offset did not move
};

} // namespace MatrixUpload
