// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: SHA-256 of files and of downloads, without holding either in memory.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QCryptographicHash>
#include <QIODevice>

#include <optional>

namespace MatrixUpload {

//! A write-only device that only hashes what is written to it: the sink of a download that is
//! compared, never kept (DownloadOptions::sink).
class MATRIXUPLOAD_CORE_TESTS_EXPORT Sha256Sink final : public QIODevice
{
    Q_OBJECT
public:
    explicit Sha256Sink(QObject *parent = nullptr);
    QByteArray result() const { return m_hash.result(); }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override;

private:
    QCryptographicHash m_hash { QCryptographicHash::Sha256 };
};

//! The SHA-256 of a file, read in pieces; nothing when it cannot be read.
MATRIXUPLOAD_CORE_TESTS_EXPORT std::optional<QByteArray> sha256OfFile(const QString &path);

} // namespace MatrixUpload
