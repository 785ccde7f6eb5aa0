// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A body for MediaApi's uploads that can be read only front to back, like a pipe or an
// encrypting stream, and the UploadSource of a device: for the MediaApi tests.
#pragma once

#include <matrixupload/api/mediaapi.h>

#include <QByteArray>
#include <QIODevice>

#include <algorithm>
#include <cstring>

namespace MatrixUpload::Testing {

//! A device read front to back only: it cannot be rewound for a second send.
class SequentialSource final : public QIODevice
{
public:
    //! Opened for reading, holding \a data.
    explicit SequentialSource(QByteArray data)
        : m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    //! Always true: no seek, no size.
    bool isSequential() const override { return true; }
    //! What is left of the data.
    qint64 bytesAvailable() const override
    {
        return m_data.size() - m_pos + QIODevice::bytesAvailable();
    }

protected:
    //! The next bytes, at most \a max; 0 at the end.
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = std::min<qint64>(max, m_data.size() - m_pos);
        std::memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    //! Refused: the device is read only.
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

//! The UploadSource of \a size bytes read from \a device.
inline UploadSource sourceOf(QIODevice *device, qint64 size)
{
    UploadSource source;
    source.device = device;
    source.size = size;
    return source;
}

} // namespace MatrixUpload::Testing
