// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: SHA-256 of files and of downloads, without holding either in memory, with
// OpenSSL's libcrypto (Sha256Stream): bench/hashing.sh measured it several times the speed of
// QCryptographicHash (Qt 6.4 has no SHA instructions). A whole file is hashed off the event-loop
// thread (sha256OfFileAsync), so a large file never stalls the jobs and the UI.
#pragma once

#include "attachmentcrypto_p.h"
#include "hashing.h"

#include <matrixupload/matrixupload_core_export.h>

#include <QFuture>
#include <QIODevice>

#include <atomic>
#include <memory>
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
    Sha256Stream m_hash;
};

//! sha256OfFile() (hashing.h), on a thread of QThreadPool::globalInstance(): the caller's event
//! loop runs on while the file is read. Take the result with a QFutureWatcher owned by the
//! receiver, which delivers on the receiver's thread and not at all once it is gone; not with
//! `.then(context, ...)`, which asserts in Qt 6.4 when the context dies first. Setting \a stop (or
//! cancelling the future) stops the reading between two 1 MiB blocks, and the result is then
//! nothing: a caller that no longer wants the hash (a paused or deleted job) sets \a stop, so a
//! quitting program does not wait for the pool to read a large file to the end. A flag rather than
//! QFuture::cancel(), which crashed in Qt 6.4 when called while the watcher was attached.
MATRIXUPLOAD_CORE_TESTS_EXPORT QFuture<std::optional<QByteArray>> sha256OfFileAsync(
    const QString &path, std::shared_ptr<std::atomic_bool> stop = {});

} // namespace MatrixUpload
