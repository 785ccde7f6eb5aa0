// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: SHA-256 through OpenSSL's libcrypto, which uses the CPU's
// SHA instructions where QCryptographicHash (Qt 6.4) does not; the relay hashes bodies as they
// stream in and the store hashes files at several hundred MiB per second this way.
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace MatrixUpload {

class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(const char *data, qint64 size);
    //! The digest as lower-case hex; the object starts over afterwards.
    QByteArray hexResult();

    //! The hex SHA-256 of the first \a length bytes of the file at \a path (all with -1), or an
    //! empty string when it cannot be read.
    static QByteArray ofFile(const QString &path, qint64 length = -1);

private:
    struct Context;
    std::unique_ptr<Context> d;
};

} // namespace MatrixUpload
