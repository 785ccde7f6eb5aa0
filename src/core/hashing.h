// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the SHA-256 of a file, as the jobs compute it to verify an upload (OpenSSL's
// libcrypto, read in pieces: a large file is never held in memory). Public for hosts that report
// or compare a file's checksum themselves, as the CLI's --json line does.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>
#include <QString>

#include <optional>

namespace MatrixUpload {

//! The SHA-256 (32 raw bytes) of the file at \a path, read in pieces on the calling thread;
//! nothing when the file cannot be opened or read.
MATRIXUPLOAD_CORE_EXPORT std::optional<QByteArray> sha256OfFile(const QString &path);

} // namespace MatrixUpload
