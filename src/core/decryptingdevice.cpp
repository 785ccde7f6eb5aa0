// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "decryptingdevice.h"

#include "attachmentcrypto_p.h"

namespace MatrixUpload {

DecryptingDevice::DecryptingDevice(const EncryptedFile &file, QIODevice *target, QObject *parent)
    : QIODevice(parent)
    , m_sink(std::make_unique<DecryptingSink>(file, target))
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

DecryptingDevice::~DecryptingDevice() = default;

qint64 DecryptingDevice::written() const
{
    return m_sink->written();
}

bool DecryptingDevice::finish()
{
    const bool ok = m_sink->finish();
    if (!ok)
        setErrorString(m_sink->errorString());
    return ok;
}

qint64 DecryptingDevice::writeData(const char *data, qint64 size)
{
    const qint64 n = m_sink->write(data, size);
    if (n != size)
        setErrorString(m_sink->errorString());
    return n;
}

} // namespace MatrixUpload
