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
    //! The digest of what was added so far, as lower-case hex; the object goes on as it was.
    QByteArray hexSoFar() const;
    //! A second hash that goes on from what this one has taken.
    std::shared_ptr<Sha256> clone() const;

    //! The hex SHA-256 of the first \a length bytes of the file at \a path (all with -1), or an
    //! empty string when it cannot be read.
    static QByteArray ofFile(const QString &path, qint64 length = -1);

private:
    struct Context;
    std::unique_ptr<Context> d;
};

//! A running SHA-256 of an upload's bytes that the relay goes on with over a request body, so
//! that a chunk is hashed as it streams in and the store need not read it again
//! (HttpRelay::setBodyPlanner(), MediaStore::hashSeed()).
struct ContinuedSha256
{
    std::shared_ptr<Sha256> hash; //!< null: none
    qint64 from = 0; //!< how many of the upload's bytes it had taken before the body
    quint64 serial = 0; //!< the store's running hash it went on from (0: a fresh one)
};

} // namespace MatrixUpload
