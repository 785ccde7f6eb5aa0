// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// SHA-256 of one file with QCryptographicHash and with OpenSSL's EVP, as Core and the test server
// would read it (1 MiB blocks); built and run by bench/hashing.sh. Prints seconds and MiB/s.
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>

#include <openssl/evp.h>

#include <cstdio>

namespace {
template<typename Add> double timed(const char *path, Add add)
{
    QFile file(QString::fromLocal8Bit(path));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    QElapsedTimer clock;
    clock.start();
    for (qint64 n; (n = file.read(block.data(), block.size())) > 0;)
        add(block.constData(), n);
    return double(clock.nsecsElapsed()) / 1e9;
}
} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: hashing FILE\n");
        return 2;
    }
    const double mib = double(QFile(QString::fromLocal8Bit(argv[1])).size()) / (1024 * 1024);
    QCryptographicHash qt(QCryptographicHash::Sha256);
    const double q
        = timed(argv[1], [&](const char *data, qint64 n) { qt.addData(QByteArrayView(data, n)); });
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    const double o = timed(
        argv[1], [&](const char *data, qint64 n) { EVP_DigestUpdate(ctx, data, size_t(n)); });
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx, digest, &size);
    EVP_MD_CTX_free(ctx);
    const bool same = QByteArray(reinterpret_cast<const char *>(digest), int(size)) == qt.result();
    std::printf("QCryptographicHash %6.3f s (%7.1f MiB/s)   OpenSSL EVP %6.3f s (%7.1f MiB/s)"
                "   OpenSSL/Qt %4.2fx%s\n",
        q, mib / q, o, mib / o, q / o, same ? "" : "   DIGESTS DIFFER");
    return same ? 0 : 1;
}
