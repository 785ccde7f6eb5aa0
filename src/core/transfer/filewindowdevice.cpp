// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "filewindowdevice_p.h"

#include "attachmentcrypto_p.h"

using namespace Qt::StringLiterals;

namespace MatrixUpload {

FileWindowDevice::FileWindowDevice(
    const QString &path, qint64 offset, qint64 length, QObject *parent)
    : QIODevice(parent)
    , m_file(path)
    , m_offset(offset)
    , m_length(length)
{ }

bool FileWindowDevice::open(OpenMode mode)
{
    if ((mode & ReadWrite) != ReadOnly) {
        setErrorString(u"a file window is read-only"_s);
        return false;
    }
    if (m_offset < 0 || m_length < 0) {
        setErrorString(u"invalid file window"_s);
        return false;
    }
    if (!m_file.open(QIODevice::ReadOnly)) {
        setErrorString(m_file.errorString());
        return false;
    }
    if (m_file.size() < m_offset + m_length) {
        setErrorString(u"the file is shorter than expected: it changed"_s);
        m_file.close();
        return false;
    }
    // Unbuffered: QFile buffers already, and readData() then always reads at pos().
    return QIODevice::open(mode | Unbuffered);
}

void FileWindowDevice::close()
{
    QIODevice::close();
    m_file.close();
}

bool FileWindowDevice::seek(qint64 pos)
{
    if (pos < 0 || pos > m_length)
        return false;
    return QIODevice::seek(pos);
}

bool FileWindowDevice::atEnd() const
{
    return QIODevice::atEnd() || pos() >= m_length;
}

qint64 FileWindowDevice::readData(char *data, qint64 maxSize)
{
    const qint64 left = m_length - pos();
    if (left <= 0)
        return -1;
    if (m_file.pos() != m_offset + pos() && !m_file.seek(m_offset + pos())) {
        setErrorString(m_file.errorString());
        return -1;
    }
    const qint64 n = m_file.read(data, std::min(maxSize, left));
    if (n <= 0) {
        // The file ended before the window did: it was truncated while we read it.
        setErrorString(
            n == 0 ? u"the file became shorter while it was read"_s : m_file.errorString());
        return -1;
    }
    if (m_hash)
        m_hash->add(m_offset + pos(), QByteArrayView(data, n));
    return n;
}

} // namespace MatrixUpload
