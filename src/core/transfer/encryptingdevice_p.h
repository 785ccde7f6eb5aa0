// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: a request body that is the AES-256-CTR ciphertext of another device, for
// encrypted attachments (issue 13).
#pragma once

#include "../attachmentcrypto_p.h"

#include <matrixupload/matrixupload_core_export.h>

#include <QIODevice>

#include <memory>

namespace MatrixUpload {

//! Reads as the ciphertext of a seekable plaintext device: same size (CTR adds nothing),
//! random access, so QtNetwork streams it with an exact Content-Length and rewinds it as it
//! does a FileWindowDevice.
//!
//! The plaintext's byte 0 is byte \a streamOffset of the attachment: a chunk of a resumable
//! upload is `EncryptingDevice(std::make_unique<FileWindowDevice>(path, offset, length), key,
//! offset)`, and its ciphertext is exactly the slice [offset, offset + length) of the
//! ciphertext of the whole file.
//!
//! Memory stays flat: the device is unbuffered and encrypts in place in the buffer of whoever
//! reads it; it holds no buffer of its own. What it reads is also given to
//! the CiphertextHash, if one is set, at its stream offset.
class MATRIXUPLOAD_CORE_TESTS_EXPORT EncryptingDevice : public QIODevice
{
    Q_OBJECT
public:
    EncryptingDevice(std::unique_ptr<QIODevice> plaintext, const AttachmentKey &key,
        qint64 streamOffset = 0, QObject *parent = nullptr);
    ~EncryptingDevice() override;

    //! Shares the hash of the upload: every byte read is offered to it (CiphertextHash::add()).
    //! Shared, because a body may outlive the job that made it (QtNetwork deletes it later).
    void setCiphertextHash(std::shared_ptr<CiphertextHash> hash) { m_hash = std::move(hash); }

    //! Opens the plaintext too, when it is not open yet. Read-only.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override;
    bool seek(qint64 pos) override;
    bool atEnd() const override;

    //! The attachment offset of this device's byte 0.
    qint64 streamOffset() const { return m_streamOffset; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    std::unique_ptr<QIODevice> m_plaintext;
    AesCtrCipher m_cipher;
    std::shared_ptr<CiphertextHash> m_hash;
    qint64 m_streamOffset;
};

} // namespace MatrixUpload
