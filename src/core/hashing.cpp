// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "hashing.h"

#include <QFile>

namespace MatrixUpload {

Sha256Sink::Sha256Sink(QObject *parent)
    : QIODevice(parent)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 Sha256Sink::writeData(const char *data, qint64 size)
{
    m_hash.addData(QByteArrayView(data, size));
    return size;
}

std::optional<QByteArray> sha256OfFile(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return std::nullopt;
    return hash.result();
}

} // namespace MatrixUpload
