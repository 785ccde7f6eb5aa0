// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "attachmentcrypto_p.h"

#include <QtEndian>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {

constexpr qint64 blockSize = 16;
// EVP_EncryptUpdate takes an int length.
constexpr qint64 maxUpdate = qint64(1) << 30;

const unsigned char *bytes(const char *p)
{
    return reinterpret_cast<const unsigned char *>(p);
}
unsigned char *bytes(char *p)
{
    return reinterpret_cast<unsigned char *>(p);
}

} // namespace

AesCtrCipher::AesCtrCipher(const AttachmentKey &key)
{
    if (!key.isValid())
        return;
    m_nonce = qFromBigEndian<quint64>(key.iv.constData());
    m_counter0 = qFromBigEndian<quint64>(key.iv.constData() + 8);
    m_ctx = EVP_CIPHER_CTX_new();
    if (!m_ctx
        || EVP_EncryptInit_ex(
               m_ctx, EVP_aes_256_ctr(), nullptr, bytes(key.key.constData()), nullptr)
            != 1
        || !initCounter()) {
        EVP_CIPHER_CTX_free(m_ctx);
        m_ctx = nullptr;
    }
}

AesCtrCipher::~AesCtrCipher()
{
    EVP_CIPHER_CTX_free(m_ctx); // clears the expanded key too
}

bool AesCtrCipher::initCounter()
{
    // Unsigned arithmetic wraps modulo 2^64: the spec's 64-bit counter.
    const quint64 counter = m_counter0 + quint64(m_position / blockSize);
    unsigned char block[blockSize];
    qToBigEndian(m_nonce, block);
    qToBigEndian(counter, block + 8);
    // A new IV (key and cipher kept) also starts a new block: OpenSSL resets its partial-block
    // position.
    if (EVP_EncryptInit_ex(m_ctx, nullptr, nullptr, nullptr, block) != 1)
        return false;
    const int skip = int(m_position % blockSize);
    if (skip == 0)
        return true;
    unsigned char scratch[blockSize] = {};
    int written = 0;
    const bool ok = EVP_EncryptUpdate(m_ctx, scratch, &written, scratch, skip) == 1;
    OPENSSL_cleanse(scratch, sizeof scratch); // keystream
    return ok && written == skip;
}

bool AesCtrCipher::seek(qint64 offset)
{
    if (!m_ctx || offset < 0)
        return false;
    m_position = offset;
    return initCounter();
}

bool AesCtrCipher::process(const char *in, char *out, qint64 size)
{
    if (!m_ctx || size < 0)
        return false;
    while (size > 0) {
        qint64 n = std::min(size, maxUpdate);
        // OpenSSL increments the whole 128-bit block; the spec's counter is its low 64 bits
        // alone. Stop where those wrap and start again at (nonce, 0), as WebCrypto does.
        bool wraps = false;
        const quint64 counter = m_counter0 + quint64(m_position / blockSize);
        const quint64 blocksLeft = quint64(0) - counter; // 2^64 - counter; 0 means 2^64
        if (blocksLeft != 0 && blocksLeft <= quint64(n / blockSize) + 1) {
            const qint64 bytesLeft = qint64(blocksLeft) * blockSize - m_position % blockSize;
            if (bytesLeft <= n) {
                n = bytesLeft;
                wraps = true;
            }
        }
        int written = 0;
        if (EVP_EncryptUpdate(m_ctx, bytes(out), &written, bytes(in), int(n)) != 1
            || written != n) {
            return false;
        }
        m_position += n;
        in += n;
        out += n;
        size -= n;
        if (wraps && !initCounter())
            return false;
    }
    return true;
}

Sha256Stream::Sha256Stream()
    : m_ctx(EVP_MD_CTX_new())
{
    if (m_ctx && EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(m_ctx);
        m_ctx = nullptr;
    }
}

Sha256Stream::~Sha256Stream()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256Stream::add(QByteArrayView data)
{
    if (m_ctx && !data.isEmpty()
        && EVP_DigestUpdate(m_ctx, data.data(), size_t(data.size())) != 1) {
        EVP_MD_CTX_free(m_ctx);
        m_ctx = nullptr;
    }
}

QByteArray Sha256Stream::result() const
{
    if (!m_ctx)
        return {};
    // Finishing ends a context: finish a copy, so the stream can go on.
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int size = 0;
    const bool ok = copy && EVP_MD_CTX_copy_ex(copy, m_ctx) == 1
        && EVP_DigestFinal_ex(copy, bytes(digest.data()), &size) == 1;
    EVP_MD_CTX_free(copy);
    if (!ok)
        return {};
    digest.resize(size);
    return digest;
}

CiphertextHash::CiphertextHash(const AttachmentKey &key)
    : m_key(key)
{ }

bool PrefixSha256::add(qint64 offset, QByteArrayView bytes)
{
    if (offset < 0 || offset > m_position)
        return false;
    const qint64 end = offset + bytes.size();
    if (end > m_position) {
        m_hash.add(bytes.sliced(m_position - offset));
        m_position = end;
    }
    return true;
}

bool CiphertextHash::catchUp(QIODevice &plaintext, qint64 target, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const qint64 from = position();
    if (target <= from)
        return true;
    AesCtrCipher cipher(m_key);
    if (!cipher.seek(from))
        return fail(u"the attachment key is not valid"_s);
    if (!plaintext.isOpen() || !plaintext.seek(from))
        return fail(
            u"cannot read the file at byte %1: %2"_s.arg(from).arg(plaintext.errorString()));
    QByteArray buffer(catchUpBufferSize, Qt::Uninitialized);
    while (position() < target) {
        const qint64 n
            = plaintext.read(buffer.data(), std::min(catchUpBufferSize, target - position()));
        if (n <= 0) {
            // A FileWindowDevice says -1 at its end: the end is what matters, not the number.
            return fail(n == 0 || plaintext.atEnd()
                    ? u"the file ends at byte %1, before byte %2"_s.arg(position()).arg(target)
                    : u"cannot read the file: %1"_s.arg(plaintext.errorString()));
        }
        if (!cipher.process(buffer.data(), n))
            return fail(u"AES-256-CTR failed"_s);
        m_hash.add(position(), QByteArrayView(buffer.constData(), n));
    }
    OPENSSL_cleanse(buffer.data(), size_t(buffer.size()));
    return true;
}

DecryptingSink::DecryptingSink(const EncryptedFile &file, QIODevice *target, QObject *parent)
    : QIODevice(parent)
    , m_expected(file.sha256)
    , m_cipher(file.key)
    , m_target(target)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    if (!m_cipher.isValid()) {
        m_failed = true;
        setErrorString(u"the attachment key is not valid"_s);
    } else if (!target || !target->isWritable()) {
        m_failed = true;
        setErrorString(u"the output is not open for writing"_s);
    }
}

qint64 DecryptingSink::writeData(const char *data, qint64 size)
{
    if (m_failed)
        return -1;
    if (!m_target) {
        m_failed = true;
        setErrorString(u"the output is gone"_s);
        return -1;
    }
    m_hash.add(QByteArrayView(data, size));
    if (m_buffer.isEmpty())
        m_buffer.resize(bufferSize);
    for (qint64 done = 0; done < size;) {
        const qint64 n = std::min(bufferSize, size - done);
        if (!m_cipher.process(data + done, m_buffer.data(), n)) {
            m_failed = true;
            setErrorString(u"AES-256-CTR failed"_s);
            return -1;
        }
        if (m_target->write(m_buffer.constData(), n) != n) {
            m_failed = true;
            setErrorString(u"cannot write the decrypted file: %1"_s.arg(m_target->errorString()));
            return -1;
        }
        done += n;
    }
    return size;
}

bool DecryptingSink::finish()
{
    if (m_failed)
        return false;
    const QByteArray actual = m_hash.result();
    if (actual.size() != m_expected.size()
        || CRYPTO_memcmp(actual.constData(), m_expected.constData(), size_t(actual.size())) != 0) {
        setErrorString(
            u"the SHA-256 of the ciphertext does not match: it was changed or damaged"_s);
        return false;
    }
    return true;
}

namespace {

//! Reads \a device to its end in bufferSize pieces; false with the reason when it fails.
template<class Piece> bool readAll(QIODevice &device, QByteArray &buffer, Piece piece, QString *why)
{
    while (true) {
        const qint64 n = device.read(buffer.data(), buffer.size());
        if (n < 0) {
            *why = u"cannot read the ciphertext: %1"_s.arg(device.errorString());
            return false;
        }
        if (n == 0) {
            if (!device.isSequential() || device.atEnd())
                return true;
            if (!device.waitForReadyRead(-1) && !device.atEnd()) {
                *why = u"cannot read the ciphertext: %1"_s.arg(device.errorString());
                return false;
            }
            continue;
        }
        if (!piece(QByteArrayView(buffer.constData(), n), why))
            return false;
    }
}

} // namespace

bool decryptAttachment(
    const EncryptedFile &file, QIODevice &ciphertext, QIODevice &plaintext, QString *error)
{
    QString why;
    const auto fail = [&]() {
        if (error)
            *error = why;
        return false;
    };
    if (!file.key.isValid()) {
        why = u"the attachment key is not valid"_s;
        return fail();
    }
    QByteArray buffer(DecryptingSink::bufferSize, Qt::Uninitialized);
    if (!ciphertext.isSequential()) {
        // Check first, so that a changed file yields no plaintext at all.
        const qint64 start = ciphertext.pos();
        Sha256Stream hash;
        if (!readAll(
                ciphertext, buffer,
                [&](QByteArrayView piece, QString *) {
                    hash.add(piece);
                    return true;
                },
                &why)) {
            return fail();
        }
        const QByteArray actual = hash.result();
        if (actual.size() != file.sha256.size()
            || CRYPTO_memcmp(actual.constData(), file.sha256.constData(), size_t(actual.size()))
                != 0) {
            why = u"the SHA-256 of the ciphertext does not match: it was changed or damaged"_s;
            return fail();
        }
        if (!ciphertext.seek(start)) {
            why = u"cannot read the ciphertext again: %1"_s.arg(ciphertext.errorString());
            return fail();
        }
    }
    DecryptingSink sink(file, &plaintext);
    if (!readAll(
            ciphertext, buffer,
            [&](QByteArrayView piece, QString *w) {
                if (sink.write(piece.data(), piece.size()) == piece.size())
                    return true;
                *w = sink.errorString();
                return false;
            },
            &why)) {
        return fail();
    }
    if (!sink.finish()) {
        why = sink.errorString();
        return fail();
    }
    return true;
}

} // namespace MatrixUpload
