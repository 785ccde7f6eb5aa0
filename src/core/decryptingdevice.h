// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: decrypting an encrypted attachment while it downloads (issue 13,
// protocol.md 10), for programs: the public face of the internal DecryptingSink
// (attachmentcrypto_p.h).
#pragma once

#include <matrixupload/encryptedfile.h>
#include <matrixupload/matrixupload_core_export.h>

#include <QIODevice>

#include <memory>

namespace MatrixUpload {

class DecryptingSink;

//! A write-only device for MediaApi::downloadContent() (DownloadOptions::sink): the ciphertext
//! written to it is hashed, decrypted with the key of \a file and written on to \a target as it
//! arrives, in constant memory.
//!
//! The plaintext reaches \a target before the hash of the whole ciphertext is known: when
//! finish() fails, whatever was written there must be thrown away (write to a temporary file and
//! rename it only after finish() succeeded, as `matrix-uploader-cli download` does).
//!
//! \code
//! QFile part(out + u".part"_s);
//! part.open(QIODevice::WriteOnly);
//! auto *sink = new DecryptingDevice(file, &part, this);
//! DownloadOptions options;
//! options.sink = sink;
//! api->downloadContent(*MxcUri::parse(file.url), options)->then(this, [=](const auto &r) {
//!     if (r && sink->finish()) { part.rename(out); } else { part.remove(); }
//! });
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT DecryptingDevice final : public QIODevice
{
    Q_OBJECT
public:
    //! Opened for writing at once; \a target must be open for writing and outlive the writes.
    DecryptingDevice(const EncryptedFile &file, QIODevice *target, QObject *parent = nullptr);
    ~DecryptingDevice() override;

    //! Bytes of ciphertext written so far.
    qint64 written() const;
    //! Whether the ciphertext written so far has the SHA-256 of the EncryptedFile
    //! (`hashes.sha256`). False, with errorString(), also when a write failed or the key is not
    //! valid.
    bool finish();

protected:
    //! Write-only: nothing to read.
    qint64 readData(char *, qint64) override { return -1; }
    //! Hashes and decrypts the ciphertext and writes the plaintext to the target; -1 once
    //! anything failed.
    qint64 writeData(const char *data, qint64 size) override;

private:
    std::unique_ptr<DecryptingSink> m_sink;
};

} // namespace MatrixUpload
