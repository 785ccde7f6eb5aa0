// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "sha256_p.h"

#include <QFile>

#include <openssl/evp.h>

namespace MatrixUpload {

struct Sha256::Context
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256()
    : d(std::make_unique<Context>())
{
    if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), nullptr) != 1)
        qFatal("Sha256: OpenSSL cannot start a SHA-256 digest");
}

Sha256::~Sha256() = default;

void Sha256::addData(const char *data, qint64 size)
{
    if (size > 0)
        EVP_DigestUpdate(d->ctx, data, size_t(size));
}

QByteArray Sha256::hexResult()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(d->ctx, digest, &length);
    EVP_DigestInit_ex(d->ctx, EVP_sha256(), nullptr);
    return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
}

QByteArray Sha256::hexSoFar() const
{
    return clone()->hexResult();
}

std::shared_ptr<Sha256> Sha256::clone() const
{
    auto copy = std::make_shared<Sha256>();
    if (EVP_MD_CTX_copy_ex(copy->d->ctx, d->ctx) != 1)
        qFatal("Sha256: OpenSSL cannot copy a SHA-256 digest");
    return copy;
}

QByteArray Sha256::ofFile(const QString &path, qint64 length)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    if (length < 0)
        length = f.size();
    Sha256 hash;
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    while (length > 0) {
        const qint64 n = f.read(block.data(), std::min<qint64>(length, block.size()));
        if (n <= 0)
            return {};
        hash.addData(block.constData(), n);
        length -= n;
    }
    return hash.hexResult();
}

} // namespace MatrixUpload
