// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "hashing_p.h"

#include <QFile>
#include <QPromise>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace MatrixUpload {

namespace {
constexpr qint64 blockSize = 1024 * 1024;

//! Hashes the file in blocks; gives up (nothing) when \a cancelled says so between blocks.
std::optional<QByteArray> hashFile(const QString &path, const std::function<bool()> &cancelled)
{
    QFile file(path);
    Sha256Stream hash;
    if (!file.open(QIODevice::ReadOnly) || !hash.isValid())
        return std::nullopt;
    QByteArray block(blockSize, Qt::Uninitialized);
    for (;;) {
        if (cancelled && cancelled())
            return std::nullopt;
        const qint64 n = file.read(block.data(), blockSize);
        if (n < 0)
            return std::nullopt;
        if (n == 0)
            break;
        hash.add(QByteArrayView(block.constData(), n));
    }
    QByteArray digest = hash.result();
    if (digest.isEmpty())
        return std::nullopt; // libcrypto failed
    return digest;
}
} // namespace

Sha256Sink::Sha256Sink(QObject *parent)
    : QIODevice(parent)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 Sha256Sink::writeData(const char *data, qint64 size)
{
    m_hash.add(QByteArrayView(data, size));
    return size;
}

std::optional<QByteArray> sha256OfFile(const QString &path)
{
    return hashFile(path, {});
}

QFuture<std::optional<QByteArray>> sha256OfFileAsync(
    const QString &path, std::shared_ptr<std::atomic_bool> stop)
{
    // std::function needs a copyable callable: the promise is shared with the task.
    auto promise = std::make_shared<QPromise<std::optional<QByteArray>>>();
    QFuture<std::optional<QByteArray>> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, path, stop] {
        promise->addResult(hashFile(
            path, [&promise, &stop] { return promise->isCanceled() || (stop && stop->load()); }));
        promise->finish();
    });
    return future;
}

} // namespace MatrixUpload
