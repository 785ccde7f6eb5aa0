// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "encryptingdevice_p.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

EncryptingDevice::EncryptingDevice(std::unique_ptr<QIODevice> plaintext, const AttachmentKey &key,
    qint64 streamOffset, QObject *parent)
    : QIODevice(parent)
    , m_plaintext(std::move(plaintext))
    , m_cipher(key)
    , m_streamOffset(streamOffset)
{ }

EncryptingDevice::~EncryptingDevice() = default;

bool EncryptingDevice::open(OpenMode mode)
{
    if ((mode & ReadWrite) != ReadOnly) {
        setErrorString(u"an encrypting device is read-only"_s);
        return false;
    }
    if (!m_cipher.isValid() || m_streamOffset < 0) {
        setErrorString(u"the attachment key is not valid"_s);
        return false;
    }
    if (!m_plaintext || m_plaintext->isSequential()) {
        setErrorString(u"the plaintext must be a seekable device"_s);
        return false;
    }
    if (!m_plaintext->isOpen() && !m_plaintext->open(QIODevice::ReadOnly)) {
        setErrorString(m_plaintext->errorString());
        return false;
    }
    if (!m_plaintext->isReadable()) {
        setErrorString(u"the plaintext is not open for reading"_s);
        return false;
    }
    // Unbuffered: QIODevice keeps no copy, and readData() always reads at pos().
    return QIODevice::open(mode | Unbuffered);
}

void EncryptingDevice::close()
{
    QIODevice::close();
    if (m_plaintext)
        m_plaintext->close();
}

qint64 EncryptingDevice::size() const
{
    return m_plaintext ? m_plaintext->size() : 0;
}

bool EncryptingDevice::seek(qint64 pos)
{
    // The cipher follows lazily, in readData(): seeking costs nothing until bytes are read.
    if (pos < 0 || pos > size())
        return false;
    return QIODevice::seek(pos);
}

bool EncryptingDevice::atEnd() const
{
    return QIODevice::atEnd() || pos() >= size();
}

qint64 EncryptingDevice::readData(char *data, qint64 maxSize)
{
    const qint64 left = size() - pos();
    if (left <= 0)
        return -1;
    if (m_plaintext->pos() != pos() && !m_plaintext->seek(pos())) {
        setErrorString(m_plaintext->errorString());
        return -1;
    }
    const qint64 n = m_plaintext->read(data, std::min(maxSize, left));
    if (n <= 0) {
        setErrorString(
            n == 0 ? u"the plaintext ended before its size"_s : m_plaintext->errorString());
        return -1;
    }
    const qint64 at = m_streamOffset + pos();
    if ((m_cipher.position() != at && !m_cipher.seek(at)) || !m_cipher.process(data, n)) {
        std::fill_n(data, n, '\0'); // plaintext must not be left where a body is read
        setErrorString(u"AES-256-CTR failed"_s);
        return -1;
    }
    if (m_hash)
        m_hash->add(at, QByteArrayView(data, n));
    return n;
}

} // namespace MatrixUpload
