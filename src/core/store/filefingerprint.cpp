// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "filefingerprint.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
constexpr qint64 edge = 64 * 1024;
}

std::optional<FileFingerprint> FileFingerprint::of(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    FileFingerprint fp;
    fp.size = file.size();
    fp.mtimeMs = QFileInfo(file).lastModified().toMSecsSinceEpoch();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // The two edges overlap for files under 128 KiB; hashing the size in keeps an appended byte
    // from going unnoticed even then.
    hash.addData(QByteArray::number(fp.size));
    const QByteArray head = file.read(edge);
    if (head.size() != std::min(edge, fp.size)) {
        if (error)
            *error = u"cannot read the file"_s;
        return std::nullopt;
    }
    hash.addData(head);
    if (fp.size > edge) {
        if (!file.seek(fp.size - edge)) {
            if (error)
                *error = file.errorString();
            return std::nullopt;
        }
        hash.addData(file.read(edge));
    }
    fp.edgesSha256 = hash.result().toHex();
    return fp;
}

} // namespace MatrixUpload
