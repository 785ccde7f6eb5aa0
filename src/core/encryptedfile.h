// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the EncryptedFile of an attachment in an encrypted room (the spec's "Sending
// encrypted attachments", version v2; protocol.md 10): the key and counter block a recipient
// needs, and the SHA-256 of the ciphertext it checks before it decrypts.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>
#include <QDebug>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace MatrixUpload {

//! The secret of one encrypted attachment: an AES-256 key and the initial 128-bit counter block
//! of AES-256-CTR. Printing it with qDebug() never shows the key.
//!
//! Version v2 of the spec's attachments counts in the low 64 bits of the block (its last 8
//! bytes, big-endian), which start at 0; the high 64 bits are random. A key and IV pair must
//! never encrypt two different files.
struct MATRIXUPLOAD_CORE_EXPORT AttachmentKey
{
    static constexpr int keySize = 32; //!< bytes of an AES-256 key
    static constexpr int ivSize = 16; //!< bytes of the AES-CTR counter block

    QByteArray key; //!< keySize bytes
    QByteArray iv; //!< ivSize bytes

    //! A fresh key and IV from OpenSSL's random generator (RAND_bytes): 32 random key bytes, an
    //! IV of 8 random bytes followed by a counter of 8 zero bytes. Nothing when the generator
    //! fails: never a weak key.
    static std::optional<AttachmentKey> generate();

    //! Whether both have their exact sizes.
    bool isValid() const { return key.size() == keySize && iv.size() == ivSize; }

    //! Equal when key and IV are (not constant-time: for tests and bookkeeping, not secrets
    //! from the network).
    friend bool operator==(const AttachmentKey &, const AttachmentKey &) = default;
};
//! Prints whether the key is valid, never its bytes.
MATRIXUPLOAD_CORE_EXPORT QDebug operator<<(QDebug debug, const AttachmentKey &key);

//! An encrypted attachment as an event carries it (`file`, `thumbnail_file`): where the
//! ciphertext is, how to decrypt it and the SHA-256 of the ciphertext.
//!
//! \code
//! const QJsonObject content {
//!     { u"msgtype"_s, u"m.file"_s }, { u"body"_s, name }, { u"file"_s, file.toJson() } };
//! \endcode
struct MATRIXUPLOAD_CORE_EXPORT EncryptedFile
{
    QString url; //!< the content URI of the ciphertext, mxc://server/mediaId
    AttachmentKey key; //!< the key and counter block
    QByteArray sha256; //!< the SHA-256 of the ciphertext, 32 bytes

    //! Exactly the spec's fields: `url`; `key`, a JSON Web Key (`kty` "oct", `key_ops`
    //! ["encrypt", "decrypt"], `alg` "A256CTR", `k` the key in URL-safe unpadded base64, `ext`
    //! true); `iv` in unpadded base64; `hashes` {`sha256`: unpadded base64}; `v` "v2".
    QJsonObject toJson() const;

    //! Reads an EncryptedFile from an event (or from another client), strictly: every required
    //! field present with its type; `url` an mxc URI; `kty` "oct", `alg` "A256CTR", `ext` true,
    //! `key_ops` containing "encrypt" and "decrypt"; `v` "v2"; `k` URL-safe base64 of 32 bytes,
    //! `iv` base64 of 16 bytes, `hashes.sha256` base64 of 32 bytes (with or without padding).
    //! Fields this version does not know are ignored. Nothing when the object is not valid, with
    //! the reason in \a error when it is given; the reason never contains key material.
    static std::optional<EncryptedFile> fromJson(const QJsonObject &json, QString *error = nullptr);

    //! Equal when every field is.
    friend bool operator==(const EncryptedFile &, const EncryptedFile &) = default;
};
//! Prints the URL and the hash, never the key.
MATRIXUPLOAD_CORE_EXPORT QDebug operator<<(QDebug debug, const EncryptedFile &file);

} // namespace MatrixUpload
