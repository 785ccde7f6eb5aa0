// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: a request body that the relay writes straight into an
// upload's bytes file, where the store will take it, instead of into a spool file that the store
// would then copy (issue 15: the copy of a 256 MiB chunk held its answer back by 80 ms).
#pragma once

#include <QFile>

namespace MatrixUpload {

//! One body being written into a media record's bytes file, at the end of the bytes the record
//! holds (MediaStore::directBody()). The store grants one at a time per record and keeps a weak
//! reference: the grant lasts as long as the relay or a handler holds the body. The bytes it
//! writes lie past the record's `stored` length until the store takes them, so a body that is
//! cut short or refused leaves nothing a download or the final hash could see.
struct DirectBody
{
    QFile file; //!< the record's bytes file, open for writing where the body's next byte goes
    qint64 offset = 0; //!< where the body's first byte goes
    //! The record's bytes changed in another way since the grant (another request stored a
    //! piece, the upload completed): the relay writes no more, and the body cannot be stored.
    bool revoked = false;
};

} // namespace MatrixUpload
