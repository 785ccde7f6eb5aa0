// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Encrypted attachments (issue 13): AES-256-CTR from any offset against NIST's vectors, a
// keystream built block by block with AES-ECB and WebCrypto in Node.js; the encrypting body,
// the ciphertext hash across re-reads and resumes, decryption with its hash check, one upload
// and download through QtNetwork and the test server, and the EncryptedFile's JSON.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/attachmentcrypto_p.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/testserver/mediatestserver.h>
#include <matrixupload/transfer/encryptingdevice_p.h>
#include <matrixupload/transfer/filewindowdevice_p.h>

#include <QBuffer>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <openssl/evp.h>

#include <functional>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MU_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MU_TEST_ASAN 1
#endif
#if defined(__GLIBC__) && !defined(MU_TEST_ASAN)
#include <malloc.h>
#if __GLIBC__ > 2 || __GLIBC_MINOR__ >= 33
#define MU_TEST_MALLINFO2 1
#endif
#endif

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

using JsonEdit = std::function<void(QJsonObject &)>;
Q_DECLARE_METATYPE(JsonEdit)

namespace {

// NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt.
const QByteArray nistKey
    = QByteArray::fromHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const QByteArray nistCounter = QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
const QByteArray nistPlaintext = QByteArray::fromHex("6bc1bee22e409f96e93d7e117393172a"
                                                     "ae2d8a571e03ac9c9eb76fac45af8e51"
                                                     "30c81c46a35ce411e5fbc1191a0a52ef"
                                                     "f69f2445df4f9b17ad2b417be66c3710");
const QByteArray nistCiphertext = QByteArray::fromHex("601ec313775789a5b7a7f504bbf3d228"
                                                      "f443e3ca4d62b59aca84e990cacaf5c5"
                                                      "2b0930daa23de94ce87017ba2d84988d"
                                                      "dfc9c58db67aada613c2dd08457941a6");

AttachmentKey makeKey(const QByteArray &key, const QByteArray &iv)
{
    AttachmentKey k;
    k.key = key;
    k.iv = iv;
    return k;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    return bytes;
}

// A fixed key whose IV counts in its last 8 bytes from \a counter.
AttachmentKey testKey(quint64 counter = 0)
{
    QByteArray iv = QByteArray::fromHex("8a3b5c7d9e0f1a2b") + QByteArray(8, '\0');
    qToBigEndian(counter, iv.data() + 8);
    return makeKey(
        QByteArray::fromHex("c0ffee00112233445566778899aabbccddeeff0123456789abcdef0011223344"),
        iv);
}

// The ciphertext of \a plaintext at stream offset \a offset, built independently of
// AesCtrCipher: each counter block (nonce, low 64 bits + block index modulo 2^64) is encrypted
// with AES-256-ECB and XORed in.
QByteArray referenceCtr(const AttachmentKey &key, const QByteArray &plaintext, qint64 offset = 0)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), nullptr,
        reinterpret_cast<const unsigned char *>(key.key.constData()), nullptr);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    const quint64 nonce = qFromBigEndian<quint64>(key.iv.constData());
    const quint64 counter0 = qFromBigEndian<quint64>(key.iv.constData() + 8);
    QByteArray out = plaintext;
    unsigned char stream[16] = {};
    qint64 block = -1;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const qint64 at = offset + i;
        if (at / 16 != block) {
            block = at / 16;
            unsigned char counterBlock[16];
            qToBigEndian(nonce, counterBlock);
            qToBigEndian(quint64(counter0 + quint64(block)), counterBlock + 8);
            int n = 0;
            EVP_EncryptUpdate(ctx, stream, &n, counterBlock, 16);
        }
        out[i] = char(out[i] ^ stream[at % 16]);
    }
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

QByteArray encryptAll(const AttachmentKey &key, QByteArray data, qint64 offset = 0)
{
    AesCtrCipher cipher(key);
    if (!cipher.seek(offset) || !cipher.process(data.data(), data.size()))
        return {};
    return data;
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

template<class T> ApiResult<T> await(ApiCall<T> *call)
{
    const std::unique_ptr<ApiCall<T>> owner(call);
    QSignalSpy finished(call, &ApiCallBase::finished);
    if (!call->isFinished() && !finished.wait(60'000))
        return MatrixError::local(u"test: the call did not finish"_s);
    return call->result();
}

// Reads a device to its end in chunks of the given sizes, in turn.
QByteArray readInChunks(QIODevice &device, const QList<qint64> &sizes)
{
    QByteArray all;
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (int i = 0;; ++i) {
        const qint64 n = device.read(buffer.data(), sizes[i % sizes.size()]);
        if (n <= 0)
            break;
        all.append(buffer.constData(), n);
    }
    return all;
}

// A seekable source of a given size whose bytes are computed from their offset: a large
// plaintext that is nowhere in memory.
class PatternDevice final : public QIODevice
{
public:
    explicit PatternDevice(qint64 size)
        : m_size(size)
    { }
    static char byteAt(qint64 at) { return char((at * 131) ^ (at >> 9) ^ (at >> 17)); }
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }
    bool open(OpenMode mode) override { return QIODevice::open(mode | Unbuffered); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, m_size - pos());
        if (n <= 0)
            return -1;
        for (qint64 i = 0; i < n; ++i)
            data[i] = byteAt(pos() + i);
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_size;
};

// Encrypts each {key, iv, data} (hex) of a JSON array on stdin with WebCrypto's AES-CTR as
// matrix-encrypt-attachment calls it, and exports the key as a JWK.
const char webCryptoScript[]
    = "const { subtle } = require('crypto').webcrypto;\n"
      "let input = '';\n"
      "process.stdin.on('data', (d) => { input += d; });\n"
      "process.stdin.on('end', async () => {\n"
      "const out = [];\n"
      "for (const c of JSON.parse(input)) {\n"
      "const key = await subtle.importKey('raw', Buffer.from(c.key, 'hex'),\n"
      "'AES-CTR', true, ['encrypt', 'decrypt']);\n"
      "const ct = await subtle.encrypt(\n"
      "{ name: 'AES-CTR', counter: Buffer.from(c.iv, 'hex'), length: 64 },\n"
      "key, Buffer.from(c.data, 'hex'));\n"
      "out.push({ ciphertext: Buffer.from(ct).toString('hex'),\n"
      "jwk: await subtle.exportKey('jwk', key) });\n"
      "}\n"
      "process.stdout.write(JSON.stringify(out));\n"
      "});\n";

#ifdef MU_TEST_MALLINFO2
qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}
#endif

} // namespace

class tst_AttachmentCrypto final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_plain; // the file at m_path
    QByteArray m_cipher; // its ciphertext under testKey()

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"plain.bin"_s);
        m_plain = randomBytes(1'000'003, 13);
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(m_plain), m_plain.size());
        f.close();
        m_cipher = encryptAll(testKey(), m_plain);
        QCOMPARE(m_cipher.size(), m_plain.size());
    }

    // --- AES-256-CTR --------------------------------------------------------------------------

    void nistVector()
    {
        const AttachmentKey key = makeKey(nistKey, nistCounter);
        QCOMPARE(encryptAll(key, nistPlaintext).toHex(), nistCiphertext.toHex());
        // CTR is its own inverse.
        QCOMPARE(encryptAll(key, nistCiphertext).toHex(), nistPlaintext.toHex());
        // The block-by-block reference agrees, so it can judge what NIST does not cover.
        QCOMPARE(referenceCtr(key, nistPlaintext).toHex(), nistCiphertext.toHex());
    }

    void nistVectorFromEveryOffset()
    {
        const AttachmentKey key = makeKey(nistKey, nistCounter);
        for (qint64 offset = 0; offset <= nistPlaintext.size(); ++offset) {
            AesCtrCipher cipher(key);
            QVERIFY(cipher.seek(offset));
            QByteArray tail = nistPlaintext.mid(offset);
            QVERIFY(cipher.process(tail.data(), tail.size()));
            QCOMPARE(tail.toHex(), nistCiphertext.mid(offset).toHex());
            QCOMPARE(cipher.position(), nistPlaintext.size());
        }
    }

    void fromAnyOffset_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("length");
        QTest::addRow("start") << qint64(0) << qint64(100);
        QTest::addRow("7") << qint64(7) << qint64(50);
        QTest::addRow("15, across a block") << qint64(15) << qint64(2);
        QTest::addRow("16, aligned") << qint64(16) << qint64(16);
        QTest::addRow("17") << qint64(17) << qint64(31);
        QTest::addRow("33") << qint64(33) << qint64(1000);
        QTest::addRow("one byte at 65535") << qint64(65535) << qint64(1);
        QTest::addRow("262143, across a chunk") << qint64(262'143) << qint64(70'001);
        QTest::addRow("the last byte") << qint64(1'000'002) << qint64(1);
        QTest::addRow("the tail") << qint64(999'990) << qint64(13);
        QRandomGenerator generator(7);
        for (int i = 0; i < 20; ++i) {
            const qint64 offset = generator.bounded(1'000'003);
            const qint64 length = generator.bounded(qint64(1), qint64(1'000'003) - offset + 1);
            QTest::addRow("random %d", i) << offset << length;
        }
    }
    void fromAnyOffset()
    {
        QFETCH(qint64, offset);
        QFETCH(qint64, length);
        const QByteArray slice = m_plain.mid(offset, length);
        QCOMPARE(encryptAll(testKey(), slice, offset), m_cipher.mid(offset, length));
        QCOMPARE(referenceCtr(testKey(), slice, offset), m_cipher.mid(offset, length));
    }

    void processInPiecesAndSeekBack()
    {
        AesCtrCipher cipher(testKey());
        QByteArray out;
        const QList<qint64> sizes { 1, 15, 16, 17, 4093, 1, 65537 };
        for (int i = 0; out.size() < 300'000; ++i) {
            QByteArray piece = m_plain.mid(out.size(), sizes[i % sizes.size()]);
            QVERIFY(cipher.process(piece.data(), piece.size()));
            out += piece;
        }
        QCOMPARE(out, m_cipher.left(out.size()));
        QVERIFY(cipher.seek(5));
        QByteArray again = m_plain.mid(5, 100);
        QVERIFY(cipher.process(again.constData(), again.data(), again.size()));
        QCOMPARE(again, m_cipher.mid(5, 100));
        QVERIFY(!cipher.seek(-1));
    }

    // The spec's counter is the low 64 bits, which WebCrypto (length: 64) wraps without a carry
    // into the nonce; OpenSSL alone would carry. v2 IVs start at 0 and never get there.
    void counterWrapsInItsLow64Bits_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("length");
        QTest::addRow("through the wrap") << qint64(0) << qint64(80);
        QTest::addRow("from inside the last block") << qint64(37) << qint64(20);
        QTest::addRow("from the wrap") << qint64(48) << qint64(32);
        QTest::addRow("from after the wrap") << qint64(53) << qint64(11);
    }
    void counterWrapsInItsLow64Bits()
    {
        QFETCH(qint64, offset);
        QFETCH(qint64, length);
        const AttachmentKey key = testKey(~quint64(0) - 2); // wraps after 3 blocks
        const QByteArray plain = randomBytes(80, 3);
        const QByteArray whole = referenceCtr(key, plain);
        QCOMPARE(encryptAll(key, plain), whole);
        QCOMPARE(encryptAll(key, plain.mid(offset, length), offset), whole.mid(offset, length));
        // Byte 48 is block 3, which has the counter block (nonce, 0): the same keystream as
        // byte 0 of a key whose counter starts at 0.
        QCOMPARE(encryptAll(key, plain.mid(48, 16), 48), encryptAll(testKey(0), plain.mid(48, 16)));
    }

    void refusesBadKeys()
    {
        AesCtrCipher shortKey(makeKey(QByteArray(31, 'k'), QByteArray(16, 'i')));
        QVERIFY(!shortKey.isValid());
        char byte = 0;
        QVERIFY(!shortKey.process(&byte, 1));
        QVERIFY(!shortKey.seek(0));
        QVERIFY(!AesCtrCipher(makeKey(QByteArray(32, 'k'), QByteArray(15, 'i'))).isValid());
        QVERIFY(AesCtrCipher(testKey()).isValid());
    }

    // WebCrypto's AES-CTR in Node.js is what Element's matrix-encrypt-attachment calls, with
    // `length: 64`; it also exports the key as the JWK that goes into the event.
    void agreesWithWebCrypto()
    {
#ifndef MU_NODE_EXECUTABLE
        QSKIP("Node.js was not found when the build was configured (scripts/install-deps.sh)");
#else
        const QString node = QStringLiteral(MU_NODE_EXECUTABLE);
        const QByteArray plain = randomBytes(1000, 21);
        const AttachmentKey wrapping = testKey(~quint64(0) - 20);
        const auto caseObject = [](const AttachmentKey &key, const QByteArray &data) {
            return QJsonObject { { u"key"_s, QString::fromLatin1(key.key.toHex()) },
                { u"iv"_s, QString::fromLatin1(key.iv.toHex()) },
                { u"data"_s, QString::fromLatin1(data.toHex()) } };
        };
        const QJsonArray cases { caseObject(makeKey(nistKey, nistCounter), nistPlaintext),
            caseObject(testKey(), plain), caseObject(wrapping, plain) };

        QProcess process;
        process.start(node, { u"-e"_s, QString::fromLatin1(webCryptoScript) });
        QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
        process.write(QJsonDocument(cases).toJson(QJsonDocument::Compact));
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(60'000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QJsonArray results = QJsonDocument::fromJson(process.readAllStandardOutput()).array();
        QCOMPARE(results.size(), 3);

        QCOMPARE(results[0][u"ciphertext"_s].toString().toLatin1(), nistCiphertext.toHex());
        QCOMPARE(results[1][u"ciphertext"_s].toString().toLatin1(),
            encryptAll(testKey(), plain).toHex());
        QCOMPARE(
            results[2][u"ciphertext"_s].toString().toLatin1(), encryptAll(wrapping, plain).toHex());
        // From an offset past WebCrypto's wrap, too.
        QCOMPARE(results[2][u"ciphertext"_s].toString().toLatin1().mid(2 * 333),
            encryptAll(wrapping, plain.mid(333), 333).toHex());

        // The JWK of the event: WebCrypto's own export names the same key.
        EncryptedFile file;
        file.url = u"mxc://example.org/abc"_s;
        file.key = testKey();
        file.sha256 = sha256("x");
        const QJsonObject jwk = results[1][u"jwk"_s].toObject();
        const QJsonObject ours = file.toJson()[u"key"_s].toObject();
        for (const QString &field : { u"kty"_s, u"alg"_s, u"k"_s, u"ext"_s })
            QCOMPARE(ours[field], jwk[field]);
#endif
    }

    // --- the encrypting body ------------------------------------------------------------------

    void deviceReadsInOddChunks_data()
    {
        QTest::addColumn<QList<qint64>>("sizes");
        QTest::addRow("1 byte at a time for a while") << QList<qint64> { 1, 1, 1, 1, 1, 65536 };
        QTest::addRow("odd sizes") << QList<qint64> { 7, 4093, 17, 65537, 3 };
        QTest::addRow("QtNetwork's 16 KiB") << QList<qint64> { 16384 };
        QTest::addRow("all at once") << QList<qint64> { 1 << 20 };
    }
    void deviceReadsInOddChunks()
    {
        QFETCH(QList<qint64>, sizes);
        EncryptingDevice device(
            std::make_unique<FileWindowDevice>(m_path, 0, m_plain.size()), testKey());
        QVERIFY(device.open(QIODevice::ReadOnly));
        QVERIFY(device.openMode().testFlag(QIODevice::Unbuffered));
        QVERIFY(!device.isSequential());
        QCOMPARE(device.size(), m_plain.size());
        QCOMPARE(readInChunks(device, sizes), m_cipher);
        QVERIFY(device.atEnd());
    }

    void deviceSeeksBackAndForward()
    {
        EncryptingDevice device(
            std::make_unique<FileWindowDevice>(m_path, 0, m_plain.size()), testKey());
        QVERIFY(device.open(QIODevice::ReadOnly));
        QCOMPARE(device.read(1000), m_cipher.left(1000));
        QVERIFY(device.seek(123'457));
        QCOMPARE(device.read(999), m_cipher.mid(123'457, 999));
        QVERIFY(device.seek(5)); // back, unaligned
        QCOMPARE(device.read(30), m_cipher.mid(5, 30));
        QVERIFY(device.seek(900'016)); // forward, aligned
        QCOMPARE(device.read(20), m_cipher.mid(900'016, 20));
        QVERIFY(device.reset());
        QCOMPARE(readInChunks(device, { 4093 }), m_cipher);
        QVERIFY(!device.seek(m_plain.size() + 1));
        QVERIFY(!device.seek(-1));
    }

    // A chunk of a resumable upload: a window of the file, encrypted at its offset in the file.
    void deviceOverAWindow_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("length");
        QTest::addRow("an aligned chunk") << qint64(262'144) << qint64(262'144);
        QTest::addRow("an unaligned resume") << qint64(100'003) << qint64(300'000);
        QTest::addRow("the tail") << qint64(786'432) << qint64(213'571);
        QTest::addRow("empty") << qint64(5) << qint64(0);
    }
    void deviceOverAWindow()
    {
        QFETCH(qint64, offset);
        QFETCH(qint64, length);
        EncryptingDevice device(
            std::make_unique<FileWindowDevice>(m_path, offset, length), testKey(), offset);
        QVERIFY(device.open(QIODevice::ReadOnly));
        QCOMPARE(device.size(), length);
        QCOMPARE(device.streamOffset(), offset);
        QCOMPARE(readInChunks(device, { 7000, 3 }), m_cipher.mid(offset, length));
        QVERIFY(device.seek(length / 2));
        QCOMPARE(device.readAll(), m_cipher.mid(offset + length / 2, length - length / 2));
    }

    void deviceRefusesWhatItCannotDo()
    {
        EncryptingDevice writable(std::make_unique<FileWindowDevice>(m_path, 0, 10), testKey());
        QVERIFY(!writable.open(QIODevice::ReadWrite));
        EncryptingDevice badKey(std::make_unique<FileWindowDevice>(m_path, 0, 10),
            makeKey(QByteArray(5, 'k'), QByteArray(16, 'i')));
        QVERIFY(!badKey.open(QIODevice::ReadOnly));
        EncryptingDevice missing(
            std::make_unique<FileWindowDevice>(m_dir.filePath(u"none"_s), 0, 10), testKey());
        QVERIFY(!missing.open(QIODevice::ReadOnly));
        QVERIFY(!missing.errorString().isEmpty());
    }

    // 64 MiB through the body in QtNetwork's way: the heap does not grow with what was read,
    // and the streamed hash equals the one catchUp() computes on its own.
    void memoryStaysFlat()
    {
        constexpr qint64 size = 64 * 1024 * 1024;
        auto hash = std::make_shared<CiphertextHash>(testKey());
        EncryptingDevice device(std::make_unique<PatternDevice>(size), testKey());
        device.setCiphertextHash(hash);
        QVERIFY(device.open(QIODevice::ReadOnly));
        QVERIFY(device.openMode().testFlag(QIODevice::Unbuffered));
        QByteArray buffer(16384 + 7, Qt::Uninitialized);
#ifdef MU_TEST_MALLINFO2
        const qint64 before = heapInUse();
        qint64 peak = before;
#endif
        qint64 total = 0;
        while (true) {
            const qint64 n = device.read(buffer.data(), buffer.size());
            if (n <= 0)
                break;
            total += n;
#ifdef MU_TEST_MALLINFO2
            peak = std::max(peak, heapInUse());
#endif
        }
        QCOMPARE(total, size);
        QCOMPARE(hash->position(), size);
#ifdef MU_TEST_MALLINFO2
        QVERIFY2(peak - before < 256 * 1024,
            qPrintable(u"the heap grew by %1 bytes while 64 MiB were read"_s.arg(peak - before)));
#endif
        CiphertextHash rebuilt(testKey());
        PatternDevice source(size);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QVERIFY(rebuilt.catchUp(source, size));
        QCOMPARE(rebuilt.result().toHex(), hash->result().toHex());
    }

    // --- the ciphertext hash ------------------------------------------------------------------

    void hashOfOneStraightRead()
    {
        auto hash = std::make_shared<CiphertextHash>(testKey());
        EncryptingDevice device(
            std::make_unique<FileWindowDevice>(m_path, 0, m_plain.size()), testKey());
        device.setCiphertextHash(hash);
        QVERIFY(device.open(QIODevice::ReadOnly));
        readInChunks(device, { 16384 });
        QCOMPARE(hash->position(), m_plain.size());
        QCOMPARE(hash->result().toHex(), sha256(m_cipher).toHex());
    }

    // A body read, dropped and sent again from earlier offsets (a rewind for a re-send, a
    // resume from what the host confirmed) counts every byte once.
    void hashCountsReReadBytesOnce()
    {
        auto hash = std::make_shared<CiphertextHash>(testKey());
        {
            // The first chunk, read past what the host will confirm, then rewound and read again.
            EncryptingDevice chunk(
                std::make_unique<FileWindowDevice>(m_path, 0, 524'288), testKey(), 0);
            chunk.setCiphertextHash(hash);
            QVERIFY(chunk.open(QIODevice::ReadOnly));
            QCOMPARE(chunk.read(400'000).size(), 400'000);
            QVERIFY(chunk.reset());
            QCOMPARE(chunk.read(100'000).size(), 100'000);
        }
        QCOMPARE(hash->position(), 400'000);
        // The host confirmed 262144: the next chunk starts there, under what was hashed.
        EncryptingDevice rest(
            std::make_unique<FileWindowDevice>(m_path, 262'144, m_plain.size() - 262'144),
            testKey(), 262'144);
        rest.setCiphertextHash(hash);
        QVERIFY(rest.open(QIODevice::ReadOnly));
        QCOMPARE(readInChunks(rest, { 7001 }), m_cipher.mid(262'144));
        QCOMPARE(hash->position(), m_plain.size());
        QCOMPARE(hash->result().toHex(), sha256(m_cipher).toHex());
    }

    // After a restart the hash is rebuilt from the plaintext up to the host's offset, locally.
    void hashRebuiltAtAnOffset_data()
    {
        QTest::addColumn<qint64>("offset");
        for (const qint64 n : { 0, 1, 16, 33, 65'536, 262'144, 999'999, 1'000'003 })
            QTest::addRow("%lld", n) << n;
    }
    void hashRebuiltAtAnOffset()
    {
        QFETCH(qint64, offset);
        auto hash = std::make_shared<CiphertextHash>(testKey());
        FileWindowDevice whole(m_path, 0, m_plain.size());
        QVERIFY(whole.open(QIODevice::ReadOnly));
        QString error;
        QVERIFY2(hash->catchUp(whole, offset, &error), qPrintable(error));
        QCOMPARE(hash->position(), offset);
        QCOMPARE(hash->result().toHex(), sha256(m_cipher.left(offset)).toHex());
        EncryptingDevice rest(
            std::make_unique<FileWindowDevice>(m_path, offset, m_plain.size() - offset), testKey(),
            offset);
        rest.setCiphertextHash(hash);
        QVERIFY(rest.open(QIODevice::ReadOnly));
        readInChunks(rest, { 16384 });
        QCOMPARE(hash->result().toHex(), sha256(m_cipher).toHex());
    }

    void hashRefusesAGapAndCatchesUp()
    {
        CiphertextHash hash(testKey());
        QVERIFY(hash.add(0, QByteArrayView(m_cipher).first(100)));
        QVERIFY(!hash.add(200, QByteArrayView(m_cipher).sliced(200, 100)));
        QCOMPARE(hash.position(), 100);
        QVERIFY(!hash.add(-1, QByteArrayView(m_cipher).first(10)));
        // A result in between, and on: the stream goes on after it.
        QCOMPARE(hash.result(), sha256(m_cipher.left(100)));
        FileWindowDevice whole(m_path, 0, m_plain.size());
        QVERIFY(whole.open(QIODevice::ReadOnly));
        QVERIFY(hash.catchUp(whole, 200));
        QVERIFY(hash.catchUp(whole, 150)); // behind: nothing to do
        QVERIFY(hash.add(200, QByteArrayView(m_cipher).sliced(200, 100)));
        QVERIFY(hash.add(250, QByteArrayView(m_cipher).sliced(250)));
        QCOMPARE(hash.result().toHex(), sha256(m_cipher).toHex());
    }

    void catchUpFailsPastTheEnd()
    {
        CiphertextHash hash(testKey());
        FileWindowDevice whole(m_path, 0, m_plain.size());
        QVERIFY(whole.open(QIODevice::ReadOnly));
        QString error;
        QVERIFY(!hash.catchUp(whole, m_plain.size() + 10, &error));
        QVERIFY2(error.contains(u"ends at byte"_s), qPrintable(error));
        QBuffer closed;
        QVERIFY(!CiphertextHash(testKey()).catchUp(closed, 10, &error));
    }

    // --- decryption ---------------------------------------------------------------------------

    void roundTrip()
    {
        const auto key = AttachmentKey::generate();
        QVERIFY(key);
        EncryptingDevice device(
            std::make_unique<FileWindowDevice>(m_path, 0, m_plain.size()), *key);
        auto hash = std::make_shared<CiphertextHash>(*key);
        device.setCiphertextHash(hash);
        QVERIFY(device.open(QIODevice::ReadOnly));
        QByteArray ciphertext = readInChunks(device, { 9999 });
        QVERIFY(ciphertext != m_plain);
        EncryptedFile file { u"mxc://example.org/abc"_s, *key, hash->result() };

        // Through the JSON of the event, as a recipient gets it.
        const auto received = EncryptedFile::fromJson(file.toJson());
        QVERIFY(received);
        QBuffer in(&ciphertext);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray plain;
        QBuffer out(&plain);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QString error;
        QVERIFY2(decryptAttachment(*received, in, out, &error), qPrintable(error));
        QVERIFY(plain == m_plain);

        // As a download sink, written in odd pieces.
        QByteArray streamed;
        QBuffer target(&streamed);
        QVERIFY(target.open(QIODevice::WriteOnly));
        DecryptingSink sink(*received, &target);
        for (qsizetype at = 0, i = 0; at < ciphertext.size(); ++i) {
            const qsizetype n = std::min<qsizetype>(i % 3 ? 7 : 70'001, ciphertext.size() - at);
            QCOMPARE(sink.write(ciphertext.constData() + at, n), n);
            at += n;
        }
        QCOMPARE(sink.written(), ciphertext.size());
        QVERIFY2(sink.finish(), qPrintable(sink.errorString()));
        QVERIFY(streamed == m_plain);
    }

    void tamperedCiphertextFails_data()
    {
        QTest::addColumn<qsizetype>("flip");
        QTest::addRow("first byte") << qsizetype(0);
        QTest::addRow("middle") << qsizetype(500'000);
        QTest::addRow("last byte") << qsizetype(1'000'002);
        QTest::addRow("cut short") << qsizetype(-1);
    }
    void tamperedCiphertextFails()
    {
        QFETCH(qsizetype, flip);
        const EncryptedFile file { u"mxc://example.org/abc"_s, testKey(), sha256(m_cipher) };
        QByteArray tampered = m_cipher;
        if (flip < 0)
            tampered.chop(1);
        else
            tampered[flip] = char(tampered[flip] ^ 0x01);

        // Seekable: checked before anything is written.
        QBuffer in(&tampered);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray plain;
        QBuffer out(&plain);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QString error;
        QVERIFY(!decryptAttachment(file, in, out, &error));
        QVERIFY2(error.contains(u"SHA-256"_s), qPrintable(error));
        QVERIFY(plain.isEmpty());

        // Streamed: the sink says so at the end.
        QByteArray streamed;
        QBuffer target(&streamed);
        QVERIFY(target.open(QIODevice::WriteOnly));
        DecryptingSink sink(file, &target);
        QCOMPARE(sink.write(tampered), tampered.size());
        QVERIFY(!sink.finish());
        QVERIFY(sink.errorString().contains(u"SHA-256"_s));
    }

    void decryptRefusesABadKey()
    {
        EncryptedFile file { u"mxc://example.org/abc"_s,
            makeKey(QByteArray(16, 'k'), QByteArray(16, 'i')), sha256(m_cipher) };
        QBuffer in(&m_cipher);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QBuffer out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        QString error;
        QVERIFY(!decryptAttachment(file, in, out, &error));
        QVERIFY(error.contains(u"key"_s));
        DecryptingSink sink(file, &out);
        QCOMPARE(sink.write("abc"), -1);
        QVERIFY(!sink.finish());
    }

    // --- through QtNetwork ---------------------------------------------------------------------

    // The body as QtNetwork really reads it: a legacy upload that the test server cuts after
    // 300000 bytes, sent again from the start, then downloaded through a DecryptingSink. The
    // hash, fed by both bodies, is that of what the server stored.
    void uploadCutSentAgainAndDecrypted()
    {
        MediaTestServerConfig config;
        config.tokens.insert(u"TOKEN"_s, u"alice"_s);
        MediaTestServer server(config);
        QVERIFY2(server.listen(), qPrintable(server.errorString()));
        QString why;
        QVERIFY2(
            server.addFault(QJsonObject { { u"drop_after_bytes"_s, 300'000 }, { u"times"_s, 1 },
                                { u"path_prefix"_s, u"/_matrix/media/v3/upload"_s } },
                &why),
            qPrintable(why));
        QNetworkAccessManager nam;
        MediaApi api(&nam);
        api.setHomeserver(server.baseUrl());
        api.setAccessToken(u"TOKEN"_s);

        const auto key = AttachmentKey::generate();
        QVERIFY(key);
        auto hash = std::make_shared<CiphertextHash>(*key);
        const auto send = [&]() {
            auto *body = new EncryptingDevice(
                std::make_unique<FileWindowDevice>(m_path, 0, m_plain.size()), *key);
            body->setCiphertextHash(hash);
            body->open(QIODevice::ReadOnly);
            UploadSource source;
            source.device = body;
            source.size = m_plain.size();
            auto *call = api.uploadContent(source);
            body->setParent(call);
            return await(call);
        };
        // QtNetwork sends a cut request again by itself, rewinding the same body (Qt 6.4 does
        // here): then the first call succeeds. Either way the server saw a cut and the hash saw
        // bytes read twice.
        auto uri = send();
        if (!uri)
            uri = send();
        QVERIFY2(uri, qPrintable(uri ? QString() : uri.error().toString()));
        bool cut = false;
        for (const QJsonValue &request : server.requests())
            cut = cut || request[u"dropped"_s].toBool();
        QVERIFY(cut);

        const QByteArray stored = server.mediaContent(uri->toString());
        QVERIFY(stored == encryptAll(*key, m_plain));
        QCOMPARE(hash->position(), m_plain.size());
        QCOMPARE(hash->result().toHex(), sha256(stored).toHex());

        const EncryptedFile file { uri->toString(), *key, hash->result() };
        QByteArray plain;
        QBuffer out(&plain);
        QVERIFY(out.open(QIODevice::WriteOnly));
        DecryptingSink sink(file, &out);
        DownloadOptions options;
        options.sink = &sink;
        const auto downloaded = await(api.downloadContent(*uri, options));
        QVERIFY2(downloaded, qPrintable(downloaded ? QString() : downloaded.error().toString()));
        QVERIFY2(sink.finish(), qPrintable(sink.errorString()));
        QVERIFY(plain == m_plain);
    }

    // --- EncryptedFile ------------------------------------------------------------------------

    void generatesV2Keys()
    {
        const auto a = AttachmentKey::generate();
        const auto b = AttachmentKey::generate();
        QVERIFY(a && b);
        QVERIFY(a->isValid());
        QCOMPARE(a->key.size(), 32);
        QCOMPARE(a->iv.size(), 16);
        QCOMPARE(a->iv.mid(8), QByteArray(8, '\0')); // the counter starts at 0
        QVERIFY(a->key != b->key);
        QVERIFY(a->iv.left(8) != b->iv.left(8));
    }

    void jsonHasExactlyTheSpecsShape()
    {
        EncryptedFile file;
        file.url = u"mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"_s;
        file.key = makeKey(
            QByteArray::fromHex("fbffbf000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c"),
            QByteArray::fromHex("fbffbf01020304050000000000000000"));
        file.sha256 = sha256("ciphertext");
        const QJsonObject expected {
            { u"url"_s, u"mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"_s },
            { u"key"_s,
                QJsonObject {
                    { u"kty"_s, u"oct"_s },
                    { u"key_ops"_s, QJsonArray { u"encrypt"_s, u"decrypt"_s } },
                    { u"alg"_s, u"A256CTR"_s },
                    { u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw"_s },
                    { u"ext"_s, true },
                } },
            { u"iv"_s, u"+/+/AQIDBAUAAAAAAAAAAA"_s },
            { u"hashes"_s,
                QJsonObject { { u"sha256"_s, u"MFUx3MUOvKMc8dWzHp/HbtUfZrO23VoDDGU5rmUy+Xk"_s } } },
            { u"v"_s, u"v2"_s },
        };
        QVERIFY(!expected.isEmpty());
        QCOMPARE(file.toJson(), expected);
        const auto back = EncryptedFile::fromJson(expected);
        QVERIFY(back);
        QCOMPARE(*back, file);
    }

    void fromJsonAcceptsPaddingAndUnknownFields()
    {
        QJsonObject json = validJson();
        json[u"iv"_s] = QString(json[u"iv"_s].toString() + u"=="_s);
        QJsonObject key = json[u"key"_s].toObject();
        key[u"k"_s] = QString(key[u"k"_s].toString() + u"="_s);
        key[u"key_ops"_s] = QJsonArray { u"decrypt"_s, u"wrapKey"_s, u"encrypt"_s };
        key[u"use"_s] = u"enc"_s;
        json[u"key"_s] = key;
        QJsonObject hashes = json[u"hashes"_s].toObject();
        hashes[u"sha256"_s] = QString(hashes[u"sha256"_s].toString() + u"="_s);
        hashes[u"sha512"_s] = u"whatever"_s;
        json[u"hashes"_s] = hashes;
        json[u"mimetype"_s] = u"image/png"_s;
        QString error;
        const auto file = EncryptedFile::fromJson(json, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(file->toJson(), validJson());
    }

    void fromJsonRejects_data()
    {
        QTest::addColumn<JsonEdit>("edit");
        QTest::addColumn<QString>("reason");
        const auto set = [](const QString &name, const QJsonValue &value) {
            return JsonEdit([=](QJsonObject &j) {
                if (value.isUndefined())
                    j.remove(name);
                else
                    j[name] = value;
            });
        };
        const auto setIn = [](const QString &object, const QString &name, const QJsonValue &value) {
            return JsonEdit([=](QJsonObject &j) {
                QJsonObject o = j[object].toObject();
                if (value.isUndefined())
                    o.remove(name);
                else
                    o[name] = value;
                j[object] = o;
            });
        };
        const QJsonValue none(QJsonValue::Undefined);
        QTest::addRow("empty object")
            << JsonEdit([](QJsonObject &j) { j = {}; }) << u"v is missing"_s;
        QTest::addRow("v missing") << set(u"v"_s, none) << u"v is missing"_s;
        QTest::addRow("v1") << set(u"v"_s, u"v1"_s) << u"unsupported version \"v1\""_s;
        QTest::addRow("V2") << set(u"v"_s, u"V2"_s) << u"unsupported version"_s;
        QTest::addRow("v a number") << set(u"v"_s, 2) << u"v is not a string"_s;
        QTest::addRow("url missing") << set(u"url"_s, none) << u"url is missing"_s;
        QTest::addRow("url https")
            << set(u"url"_s, u"https://example.org/a"_s) << u"url is not an mxc"_s;
        QTest::addRow("url with a path")
            << set(u"url"_s, u"mxc://example.org/a/../b"_s) << u"url is not an mxc"_s;
        QTest::addRow("url null") << set(u"url"_s, QJsonValue::Null) << u"url is not a string"_s;
        QTest::addRow("key missing") << set(u"key"_s, none) << u"key is missing"_s;
        QTest::addRow("key a string") << set(u"key"_s, u"abc"_s) << u"key is not an object"_s;
        QTest::addRow("kty RSA") << setIn(u"key"_s, u"kty"_s, u"RSA"_s)
                                 << u"key.kty must be \"oct\""_s;
        QTest::addRow("kty missing") << setIn(u"key"_s, u"kty"_s, none) << u"key.kty is missing"_s;
        QTest::addRow("alg A128CTR")
            << setIn(u"key"_s, u"alg"_s, u"A128CTR"_s) << u"key.alg must be \"A256CTR\""_s;
        QTest::addRow("alg missing") << setIn(u"key"_s, u"alg"_s, none) << u"key.alg is missing"_s;
        QTest::addRow("ext false") << setIn(u"key"_s, u"ext"_s, false) << u"key.ext must be true"_s;
        QTest::addRow("ext a string")
            << setIn(u"key"_s, u"ext"_s, u"true"_s) << u"key.ext is not a boolean"_s;
        QTest::addRow("ext missing") << setIn(u"key"_s, u"ext"_s, none) << u"key.ext is missing"_s;
        QTest::addRow("key_ops without decrypt") << setIn(u"key"_s, u"key_ops"_s,
            QJsonArray { u"encrypt"_s }) << u"must contain \"encrypt\" and \"decrypt\""_s;
        QTest::addRow("key_ops a string") << setIn(u"key"_s, u"key_ops"_s, u"encrypt,decrypt"_s)
                                          << u"key.key_ops is not an array"_s;
        QTest::addRow("key_ops with a number")
            << setIn(u"key"_s, u"key_ops"_s, QJsonArray { u"encrypt"_s, u"decrypt"_s, 3 })
            << u"not a string"_s;
        QTest::addRow("key_ops missing")
            << setIn(u"key"_s, u"key_ops"_s, none) << u"key.key_ops is missing"_s;
        QTest::addRow("k missing") << setIn(u"key"_s, u"k"_s, none) << u"key.k is missing"_s;
        QTest::addRow("k standard base64")
            << setIn(u"key"_s, u"k"_s, u"+/+/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw"_s)
            << u"key.k is not URL-safe base64"_s;
        QTest::addRow("k of 30 bytes")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBka"_s)
            << u"key.k must be 32 bytes, not 30"_s;
        QTest::addRow("k of 33 bytes")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"_s)
            << u"key.k must be 32 bytes, not 33"_s;
        QTest::addRow("k not canonical")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxx"_s)
            << u"key.k is not canonical"_s;
        QTest::addRow("k a number") << setIn(u"key"_s, u"k"_s, 5) << u"key.k is not a string"_s;
        QTest::addRow("k not Latin-1")
            << setIn(u"key"_s, u"k"_s, u"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaG\u4e2d"_s)
            << u"key.k is not URL-safe base64"_s;
        QTest::addRow("iv missing") << set(u"iv"_s, none) << u"iv is missing"_s;
        QTest::addRow("iv of 15 bytes")
            << set(u"iv"_s, u"+/+/AQIDBAUAAAAAAAAA"_s) << u"iv must be 16 bytes, not 15"_s;
        QTest::addRow("iv URL-safe")
            << set(u"iv"_s, u"-_-_AQIDBAUAAAAAAAAAAA"_s) << u"iv is not base64"_s;
        QTest::addRow("iv with a space")
            << set(u"iv"_s, u"+/+/AQIDBAUAAAA AAAAAAA"_s) << u"iv is not base64"_s;
        QTest::addRow("iv wrongly padded")
            << set(u"iv"_s, u"+/+/AQIDBAUAAAAAAAAAAA="_s) << u"iv is not base64"_s;
        QTest::addRow("hashes missing") << set(u"hashes"_s, none) << u"hashes is missing"_s;
        QTest::addRow("hashes an array")
            << set(u"hashes"_s, QJsonArray {}) << u"hashes is not an object"_s;
        QTest::addRow("sha256 missing")
            << set(u"hashes"_s, QJsonObject {}) << u"hashes.sha256 is missing"_s;
        QTest::addRow("sha256 short")
            << setIn(u"hashes"_s, u"sha256"_s, u"MFUx3MUOvKMc8dWzHp/HbtUfZrO23VoDDGU5rmUy"_s)
            << u"hashes.sha256 must be 32 bytes, not 30"_s;
        QTest::addRow("sha256 hex") << setIn(u"hashes"_s, u"sha256"_s,
            u"305531dcc50ebca31cf1d5b31e9fc76ed51f66b3b6dd5a030c6539ae6532f979"_s)
                                    << u"hashes.sha256 must be 32 bytes"_s;
    }
    void fromJsonRejects()
    {
        QFETCH(JsonEdit, edit);
        QFETCH(QString, reason);
        QJsonObject json = validJson();
        QVERIFY(EncryptedFile::fromJson(json));
        edit(json);
        QString error;
        QVERIFY(!EncryptedFile::fromJson(json, &error));
        QVERIFY2(
            error.contains(reason), qPrintable(u"\"%1\" does not say \"%2\""_s.arg(error, reason)));
        QVERIFY(!error.contains(u"-_-_AAEC"_s)); // never the key
    }

    // Whatever arrives in an event: random values in every field never crash the parser.
    void fromJsonSurvivesHostileInput()
    {
        QRandomGenerator generator(99);
        const auto randomValue = [&](int depth, auto &self) -> QJsonValue {
            switch (generator.bounded(depth > 2 ? 6 : 8)) {
            case 0:
                return QJsonValue::Null;
            case 1:
                return generator.bounded(2) == 1;
            case 2:
                return generator.generateDouble() * 1e300;
            case 3:
                return QString::fromLatin1(randomBytes(generator.bounded(64), generator()));
            case 4:
                return QString::fromLatin1(
                    randomBytes(generator.bounded(48), generator()).toBase64());
            case 5:
                return QJsonValue::Undefined;
            case 6: {
                QJsonArray a;
                for (int i = generator.bounded(4); i > 0; --i)
                    a.append(self(depth + 1, self));
                return a;
            }
            default: {
                QJsonObject o;
                for (const QString &name :
                    { u"kty"_s, u"alg"_s, u"k"_s, u"ext"_s, u"key_ops"_s, u"sha256"_s })
                    if (generator.bounded(2))
                        o[name] = self(depth + 1, self);
                return o;
            }
            }
        };
        int accepted = 0;
        for (int round = 0; round < 3000; ++round) {
            QJsonObject json = validJson();
            for (const QString &name : { u"url"_s, u"key"_s, u"iv"_s, u"hashes"_s, u"v"_s }) {
                if (generator.bounded(3) == 0) {
                    const QJsonValue value = randomValue(0, randomValue);
                    if (value.isUndefined())
                        json.remove(name);
                    else
                        json[name] = value;
                }
            }
            QString error;
            const auto file = EncryptedFile::fromJson(json, &error);
            QCOMPARE(file.has_value(), error.isEmpty());
            if (file) {
                ++accepted;
                QVERIFY(file->key.isValid());
                QCOMPARE(file->sha256.size(), 32);
            }
        }
        QVERIFY(accepted > 0); // the untouched rounds
    }

    void debugOutputHidesTheKey()
    {
        EncryptedFile file;
        file.url = u"mxc://example.org/abc"_s;
        file.key = testKey();
        file.sha256 = sha256("x");
        QString text;
        QDebug(&text) << file << file.key;
        QVERIFY(text.contains(u"mxc://example.org/abc"_s));
        QVERIFY(text.contains(u"redacted"_s));
        const QJsonObject json = file.toJson();
        QVERIFY(!text.contains(json[u"key"_s][u"k"_s].toString()));
        QVERIFY(!text.contains(QString::fromLatin1(file.key.key.toHex())));
        QVERIFY(!text.contains(json[u"iv"_s].toString()));
    }

private:
    static QJsonObject validJson()
    {
        EncryptedFile file;
        file.url = u"mxc://example.org/FHyPlCeYUSFFxlgbQYZmoEoe"_s;
        file.key = makeKey(
            QByteArray::fromHex("fbffbf000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c"),
            QByteArray::fromHex("fbffbf01020304050000000000000000"));
        file.sha256 = sha256("ciphertext");
        return file.toJson();
    }
};

QTEST_GUILESS_MAIN(tst_AttachmentCrypto)
#include "tst_attachmentcrypto.moc"
