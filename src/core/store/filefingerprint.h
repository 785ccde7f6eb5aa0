// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: recognising a file again (design.md, "Resume across restarts").
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>
#include <QString>

#include <optional>

namespace MatrixUpload {

//! Size, modification time and the SHA-256 of the first and last 64 KiB of a file: cheap to take
//! for any size, and enough to tell that a file changed since an upload began, so a resumed
//! upload never mixes old and new bytes.
struct MATRIXUPLOAD_CORE_EXPORT FileFingerprint
{
    qint64 size = -1;
    qint64 mtimeMs = 0;
    QByteArray edgesSha256; //!< hex

    //! Reads the file; nothing when it cannot be read.
    static std::optional<FileFingerprint> of(const QString &path, QString *error = nullptr);
    //! The same, and the first bytes of the file (up to 64 KiB) in \a head: what it read anyway,
    //! for a caller that looks into the file too (its media type), without reading it again.
    static std::optional<FileFingerprint> of(const QString &path, QString *error, QByteArray *head);

    friend bool operator==(const FileFingerprint &, const FileFingerprint &) = default;
};

} // namespace MatrixUpload
