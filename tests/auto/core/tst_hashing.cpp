// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Hashing (issue 15, item 3): whole files are hashed off the event-loop thread, with the same
// results as QCryptographicHash.
#include <matrixupload/hashing_p.h>

#include <QCryptographicHash>
#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstring>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

namespace {
//! Writes a \a size-byte file of distinct blocks at \a path, block by block, and returns its
//! SHA-256 as QCryptographicHash computes it.
QByteArray writeFile(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(1024 * 1024 + 17, 'x'); // not a multiple of the reader's block size
    for (qint64 written = 0, index = 0; written < size; ++index) {
        std::memcpy(block.data(), &index, sizeof index);
        const qint64 n = std::min<qint64>(block.size(), size - written);
        if (file.write(block.constData(), n) != n)
            return {};
        hash.addData(QByteArrayView(block.constData(), n));
        written += n;
    }
    return hash.result();
}
} // namespace

class tst_Hashing final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void sameResultsAsQCryptographicHash_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addRow("empty") << qint64(0);
        QTest::addRow("one byte") << qint64(1);
        QTest::addRow("one block") << qint64(1024 * 1024);
        QTest::addRow("blocks and a tail") << qint64(5 * 1024 * 1024 + 3);
    }
    void sameResultsAsQCryptographicHash()
    {
        QFETCH(qint64, size);
        const QString path = m_dir.filePath(u"f%1.bin"_s.arg(size));
        const QByteArray expected = writeFile(path, size);
        QCOMPARE(expected.size(), 32);
        QCOMPARE(sha256OfFile(path), std::optional(expected));
        auto future = sha256OfFileAsync(path);
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result(), std::optional(expected));

        Sha256Sink sink;
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        while (!file.atEnd())
            QVERIFY(sink.write(file.read(300 * 1000)) >= 0);
        QCOMPARE(sink.result(), expected);
    }

    void unreadableFileGivesNothing()
    {
        const QString missing = m_dir.filePath(u"missing.bin"_s);
        QCOMPARE(sha256OfFile(missing), std::nullopt);
        auto future = sha256OfFileAsync(missing);
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result(), std::nullopt);
    }

    void eventLoopRunsWhileHashing()
    {
        // 256 MiB: hashing takes many event-loop turns' worth of time, during which a zero
        // timer fires, and sees the hash unfinished, only if the hashing runs on another thread.
        const QString path = m_dir.filePath(u"large.bin"_s);
        const QByteArray expected = writeFile(path, 256LL * 1024 * 1024);
        QVERIFY(!expected.isEmpty());
        QFuture<std::optional<QByteArray>> future = sha256OfFileAsync(path);
        int ticksWhileHashing = 0;
        QTimer timer;
        timer.setInterval(0);
        connect(&timer, &QTimer::timeout, this, [&] {
            if (!future.isFinished())
                ++ticksWhileHashing;
        });
        timer.start();
        std::optional<QByteArray> result;
        bool done = false;
        QObject context;
        future.then(&context, [&](const std::optional<QByteArray> &r) {
            result = r;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 120000);
        timer.stop();
        QCOMPARE(result, std::optional(expected));
        QVERIFY2(ticksWhileHashing > 0, "the event loop did not run while the file was hashed");
    }

    void aSetStopFlagGivesNoResult()
    {
        // A job that was paused or deleted sets the flag: the pool reads no further and gives
        // nothing, where an unset flag gives the hash.
        const QString path = m_dir.filePath(u"stopped.bin"_s);
        const QByteArray expected = writeFile(path, 3 * 1024 * 1024);
        QVERIFY(!expected.isEmpty());
        auto stop = std::make_shared<std::atomic_bool>(false);
        QFuture<std::optional<QByteArray>> running = sha256OfFileAsync(path, stop);
        running.waitForFinished();
        QCOMPARE(running.result(), std::optional(expected));
        stop->store(true);
        QFuture<std::optional<QByteArray>> stopped = sha256OfFileAsync(path, stop);
        stopped.waitForFinished();
        QCOMPARE(stopped.result(), std::nullopt);
    }

    void noResultAfterTheContextIsGone()
    {
        const QString path = m_dir.filePath(u"small.bin"_s);
        QVERIFY(!writeFile(path, 4096).isEmpty());
        bool called = false;
        auto context = std::make_unique<QObject>();
        auto *watcher = new QFutureWatcher<std::optional<QByteArray>>(context.get());
        QObject::connect(
            watcher, &QFutureWatcherBase::finished, context.get(), [&called] { called = true; });
        QFuture<std::optional<QByteArray>> future = sha256OfFileAsync(path);
        watcher->setFuture(future);
        context.reset(); // the watcher goes with it
        future.waitForFinished();
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(tst_Hashing)
#include "tst_hashing.moc"
