// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the cryptography of encrypted attachments (issue 13, protocol.md 10):
// AES-256-CTR that starts at any byte, the SHA-256 of a ciphertext that is sent in resumable
// pieces, and decryption with the hash check. OpenSSL 3's libcrypto stays behind this header.
#pragma once

#include "encryptedfile.h"

#include <matrixupload/matrixupload_core_export.h>

#include <QIODevice>
#include <QPointer>

#include <cstdint>
#include <memory>

// OpenSSL's EVP_CIPHER_CTX and EVP_MD_CTX, declared as OpenSSL does, so that its headers stay
// in the .cpp.
struct evp_cipher_ctx_st;
struct evp_md_ctx_st;

namespace MatrixUpload {

//! AES-256-CTR as the spec's v2 attachments use it, positioned at any byte of the stream.
//!
//! The counter block of byte `offset` is the IV with `offset / 16` added to its low 64 bits
//! (big-endian, wrapping within those 64 bits: WebCrypto's AES-CTR with `length: 64`, which
//! Element's matrix-encrypt-attachment uses); `offset % 16` bytes of that block's keystream
//! are skipped. The IVs of v2 start the counter at 0, so the wrap needs a file of 2^68 bytes and
//! every reading of the counter (OpenSSL's and the Rust SDK's carry into the high half) agrees;
//! an IV from elsewhere whose counter does wrap is decrypted as Element would.
//!
//! Encrypting and decrypting are the same operation. Not copyable; one thread at a time.
class MATRIXUPLOAD_CORE_TESTS_EXPORT AesCtrCipher
{
public:
    //! A cipher at offset 0; isValid() is false for a key or IV of the wrong size.
    explicit AesCtrCipher(const AttachmentKey &key);
    ~AesCtrCipher();
    AesCtrCipher(const AesCtrCipher &) = delete;
    AesCtrCipher &operator=(const AesCtrCipher &) = delete;

    //! False when the key or IV had the wrong size or OpenSSL failed; then nothing works.
    bool isValid() const { return m_ctx != nullptr; }
    //! The stream offset of the next byte process() transforms.
    qint64 position() const { return m_position; }
    //! Moves to the byte \a offset of the stream (0 or more).
    bool seek(qint64 offset);
    //! XORs the keystream into \a size bytes from \a in, writing to \a out (which may be \a in
    //! itself), and advances position(). False if OpenSSL fails or the cipher is not valid.
    bool process(const char *in, char *out, qint64 size);
    //! The same, in place.
    bool process(char *data, qint64 size) { return process(data, data, size); }

private:
    bool initCounter();

    ::evp_cipher_ctx_st *m_ctx = nullptr; // EVP_CIPHER_CTX
    std::uint64_t m_nonce = 0; // the high 64 bits of the IV: fixed
    std::uint64_t m_counter0 = 0; // the low 64 bits: the counter of offset 0
    qint64 m_position = 0;
};

//! SHA-256 through libcrypto, which uses the CPU's SHA extensions: several times the speed of
//! QCryptographicHash's portable code, and a hash runs over every byte an encrypted upload sends.
class MATRIXUPLOAD_CORE_TESTS_EXPORT Sha256Stream
{
public:
    //! An empty hash.
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream &) = delete;
    Sha256Stream &operator=(const Sha256Stream &) = delete;

    //! False once libcrypto failed; then result() is empty.
    bool isValid() const { return m_ctx != nullptr; }
    //! Hashes \a bytes after what came before.
    void add(QByteArrayView bytes);
    //! The hash of everything added so far; more may be added after it.
    QByteArray result() const;

private:
    ::evp_md_ctx_st *m_ctx = nullptr; // EVP_MD_CTX
};

//! The SHA-256 of bytes [0, position()) of a stream that request bodies read in pieces, which
//! may be read, dropped and read again: each byte is hashed exactly once, in order.
//!
//! add() takes what a body read at any stream offset and hashes only the part that extends the
//! prefix: bytes read again after a rewind or a resume from an earlier offset are skipped (they
//! are the same bytes while the source has not changed). A body that starts past position()
//! leaves a gap, which the owner fills another way (CiphertextHash::catchUp()) or gives up on.
class MATRIXUPLOAD_CORE_TESTS_EXPORT PrefixSha256
{
public:
    //! How many bytes, from the start, have been hashed.
    qint64 position() const { return m_position; }
    //! Hashes the part of \a bytes, which start at stream offset \a offset, that lies past
    //! position(). False, hashing nothing, when they start past position().
    bool add(qint64 offset, QByteArrayView bytes);
    //! The SHA-256 of bytes [0, position()); add() may go on.
    QByteArray result() const { return m_hash.result(); }
    //! False once libcrypto failed; then result() is empty.
    bool isValid() const { return m_hash.isValid(); }

private:
    Sha256Stream m_hash;
    qint64 m_position = 0;
};

//! The SHA-256 of the ciphertext of one attachment (`hashes.sha256`) while it is sent in pieces
//! that may be sent, dropped and sent again (a PrefixSha256 of the ciphertext).
//!
//! Ciphertext bytes [0, position()) have been hashed, each exactly once. add() takes what a
//! request body read at any stream offset and hashes only the part that extends that prefix:
//! bytes read again after a rewind or a resume from an earlier offset are the same bytes (the
//! same key, IV and plaintext give the same ciphertext) and are skipped. A prefix that is
//! missing, after a restart or a resume from an offset the hash has not reached, is filled by
//! catchUp(), which encrypts the plaintext again locally. So the hash never depends on the order
//! in which QtNetwork reads bodies; an upload only makes it faster to finish.
//!
//! How UploadJob is to use it (docs/architecture.md, "Encrypted attachments (in progress)"):
//! - a fresh upload makes one, shared by every body (EncryptingDevice::setCiphertextHash());
//! - a resume from the host's offset N in the same run needs nothing more: bodies from N re-read
//!   bytes the hash has and add() skips them;
//! - after a restart, a new one is brought to N with catchUp() over the whole file before the
//!   first body at N is sent;
//! - at the end, catchUp() to the size, then result() is `hashes.sha256`.
//! A new upload of a changed file takes a new key, hence a new hash.
class MATRIXUPLOAD_CORE_TESTS_EXPORT CiphertextHash
{
public:
    //! The buffer catchUp() reads the plaintext through: its whole memory cost.
    static constexpr qint64 catchUpBufferSize = 64 * 1024;

    //! An empty hash for the attachment encrypted with \a key; catchUp() encrypts with it.
    explicit CiphertextHash(const AttachmentKey &key);

    //! How many ciphertext bytes, from the start, have been hashed.
    qint64 position() const { return m_hash.position(); }
    //! Hashes the part of \a ciphertext, which starts at stream offset \a offset, that lies past
    //! position(). False, hashing nothing, when it starts past position(): the gap must be
    //! filled by catchUp() first.
    bool add(qint64 offset, QByteArrayView ciphertext) { return m_hash.add(offset, ciphertext); }
    //! Encrypts and hashes the plaintext from position() up to \a target, reading it from
    //! \a plaintext, a seekable device whose byte 0 is the attachment's first byte (a
    //! FileWindowDevice over the whole file), in catchUpBufferSize pieces. Nothing to do when
    //! position() is at or past \a target. A large gap can be filled in slices (growing
    //! targets) so that an event loop keeps running. False with \a error when the plaintext
    //! cannot be read up to \a target.
    bool catchUp(QIODevice &plaintext, qint64 target, QString *error = nullptr);
    //! The SHA-256 of bytes [0, position()); it stays usable (add() may go on).
    QByteArray result() const { return m_hash.result(); }

private:
    AttachmentKey m_key;
    PrefixSha256 m_hash;
};

//! A write-only device for a download (DownloadOptions::sink): the ciphertext written to it is
//! hashed, decrypted and written on to \a target.
//!
//! The plaintext reaches \a target before the hash of the whole ciphertext is known: when
//! finish() fails, whatever was written there must be thrown away (the CLI deletes its output).
//! decryptAttachment() checks first when it can read the ciphertext twice.
class MATRIXUPLOAD_CORE_TESTS_EXPORT DecryptingSink final : public QIODevice
{
    Q_OBJECT
public:
    //! The buffer plaintext passes through on its way to the target.
    static constexpr qint64 bufferSize = 64 * 1024;

    //! Opened for writing at once; \a target must be open for writing and outlive the writes.
    DecryptingSink(const EncryptedFile &file, QIODevice *target, QObject *parent = nullptr);

    //! Bytes of ciphertext written so far.
    qint64 written() const { return m_cipher.position(); }
    //! Whether the ciphertext written so far has the SHA-256 of the EncryptedFile. False, with
    //! errorString(), also when a write failed or the key is not valid.
    bool finish();

protected:
    //! Write-only: nothing to read.
    qint64 readData(char *, qint64) override { return -1; }
    //! Hashes the ciphertext, decrypts it and writes the plaintext to the target; -1 once
    //! anything failed.
    qint64 writeData(const char *data, qint64 size) override;

private:
    QByteArray m_expected;
    AesCtrCipher m_cipher;
    Sha256Stream m_hash;
    QPointer<QIODevice> m_target;
    QByteArray m_buffer; // bufferSize bytes, once the first bytes arrive
    bool m_failed = false;
};

//! Decrypts the attachment \a file from \a ciphertext (open for reading; its current position
//! is byte 0) into \a plaintext (open for writing). A seekable \a ciphertext is hashed before
//! any plaintext is written, so a mismatch writes nothing; a sequential one is decrypted in one
//! pass, and on a mismatch what was written must be discarded. It blocks until \a ciphertext
//! ends: meant for files and buffers (a download streams through a DecryptingSink instead).
//! False, with the reason in \a error, when the hash differs ("the SHA-256 of the ciphertext
//! does not match"), the key is not valid, or a device fails.
MATRIXUPLOAD_CORE_TESTS_EXPORT bool decryptAttachment(const EncryptedFile &file,
    QIODevice &ciphertext, QIODevice &plaintext, QString *error = nullptr);

} // namespace MatrixUpload
