// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: a bounded, seekable view of part of a file, as a request body.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QFile>
#include <QIODevice>

#include <memory>

namespace MatrixUpload {

class PrefixSha256;

//! Reads bytes [offset, offset + length) of a file and nothing else. Random access with a known
//! size, so QNetworkAccessManager streams it with an exact Content-Length and can rewind it
//! (redirects, re-sends) without buffering: memory stays at QFile's small buffer whatever the
//! file's size.
//!
//! A file that shrank under it makes reads fail instead of sending fewer bytes than promised.
class MATRIXUPLOAD_CORE_TESTS_EXPORT FileWindowDevice : public QIODevice
{
    Q_OBJECT
public:
    FileWindowDevice(const QString &path, qint64 offset, qint64 length, QObject *parent = nullptr);

    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 pos) override;
    bool atEnd() const override;

    qint64 windowOffset() const { return m_offset; }
    //! Offers every byte read to \a hash, at its offset in the file (PrefixSha256::add()).
    void setHash(std::shared_ptr<PrefixSha256> hash) { m_hash = std::move(hash); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_offset;
    qint64 m_length;
    std::shared_ptr<PrefixSha256> m_hash;
};

} // namespace MatrixUpload
