// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// ChunkSizer (issue 15, item 5): chunks sized to the link's bandwidth-delay product, within the
// 256 KiB multiple, the eightfold growth per chunk and the maximum; fixed sizes stay fixed.
#include "transfer/chunksizer_p.h"

#include <QTest>

using namespace MatrixUpload;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;
constexpr qint64 ms = 1'000'000; // in ns
} // namespace

class tst_ChunkSizer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFixedSizeStaysAsGiven()
    {
        // Not a 256 KiB multiple: a tus caller may want that, and fixed means fixed.
        ChunkSizer sizer(300 * KiB + 7, 0);
        QVERIFY(!sizer.isAdaptive());
        QCOMPARE(sizer.next(), 300 * KiB + 7);
        sizer.record(300 * KiB, 1 * ms, 1000 * ms);
        QCOMPARE(sizer.next(), 300 * KiB + 7);
        // A maximum below the start is no room to grow.
        QVERIFY(!ChunkSizer(8 * MiB, 4 * MiB).isAdaptive());
    }

    void aFarLinkGrowsTheChunksToItsBandwidthDelayProduct()
    {
        // 1 Gbit/s (125 MB/s) with 100 ms round trips: 8 MiB take 67 ms to send, then the answer
        // takes 100 ms. Unchanged, 60% of the time would be spent waiting.
        ChunkSizer sizer(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
        QVERIFY(sizer.isAdaptive());
        QCOMPARE(sizer.next(), 8 * MiB);
        const auto sendingNs = [](qint64 bytes) { return bytes * 1000 / 125; }; // 125 B per us
        sizer.record(8 * MiB, sendingNs(8 * MiB), 100 * ms);
        // 19 times the wait at 125 MB/s: 237.5 MB, rounded down to 256 KiB, at once: the 67 ms
        // the first chunk took to send measured the link (thirty-twofold growth allowed).
        const qint64 expected = qint64(125'000'000 * 0.1 * 19) / (256 * KiB) * (256 * KiB);
        QCOMPARE(sizer.next(), expected);
        sizer.record(expected, sendingNs(expected), 100 * ms);
        QCOMPARE(sizer.next() % (256 * KiB), 0);
        // The wait now costs a twentieth of a chunk's time (a little more: rounded down).
        const double waitShare = 100.0 * ms / double(sendingNs(sizer.next()) + 100 * ms);
        QVERIFY2(waitShare > 0.049 && waitShare < 0.051, qPrintable(QString::number(waitShare)));
    }

    void aShortMeasurementGrowsEightfoldAtMost()
    {
        // 8 MiB "sent" in 5 ms (into socket buffers, or a coarse clock) then a long wait: one
        // such measurement does not jump to the top.
        ChunkSizer sizer(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
        sizer.record(8 * MiB, 5 * ms, 100 * ms);
        QCOMPARE(sizer.next(), 64 * MiB);
        sizer.record(64 * MiB, 19 * ms, 100 * ms);
        QCOMPARE(sizer.next(), 256 * MiB);
    }

    void aFarLinkSendsTheRestInOneRequestFewer()
    {
        // bench/farlink.sh's case: 512 MiB at 1 Gbit/s with 100 ms per request. Sized chunks of
        // 226.5 MiB would take 8 + 226.5 + 226.5 + 51 MiB, four requests; two of 252 MiB carry
        // the rest in one request fewer, within the 256 MiB maximum.
        ChunkSizer sizer(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
        const auto sendingNs = [](qint64 bytes) { return bytes * 1000 / 125; };
        const qint64 total = 512 * MiB;
        QList<qint64> chunks;
        for (qint64 sent = 0; sent < total;) {
            const qint64 length = sizer.nextFor(total - sent);
            QVERIFY(length > 0 && length <= ChunkSizer::defaultMaximum);
            chunks.append(length);
            sent += length;
            if (sent < total)
                QCOMPARE(length % ChunkSizer::granule, 0);
            sizer.record(length, sendingNs(length), 100 * ms);
        }
        QCOMPARE(chunks, (QList<qint64> { 8 * MiB, 252 * MiB, 252 * MiB }));

        // What bench/farlink.sh measured: the first 8 MiB "took" 100 ms to send (they waited in
        // the socket buffers while the host waited before reading) and were answered 105 ms
        // later. Sized, the next chunk would be 159.5 MiB and the rest four requests; chunks of
        // up to twice that carry it in two.
        ChunkSizer measured(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
        measured.record(8 * MiB, 100 * ms, 105 * ms);
        QCOMPARE(measured.next(), 159 * MiB + 512 * KiB);
        QCOMPARE(measured.nextFor(504 * MiB), 252 * MiB);
        // Mid-file, the chunks stay within twice the sized one.
        QCOMPARE(measured.nextFor(4096 * MiB), 256 * MiB);
        measured.record(252 * MiB, 2100 * ms, 20 * ms);
        QCOMPARE(measured.next(), 45 * MiB + 512 * KiB);
        const qint64 midFile = measured.nextFor(4096 * MiB);
        QVERIFY2(midFile > measured.next() && midFile <= 2 * measured.next(),
            qPrintable(QString::number(midFile)));
        QCOMPARE(midFile % ChunkSizer::granule, 0);
    }

    // Grown chunks split the rest evenly in whole granules, so every length but the last is a
    // multiple of 256 KiB and none goes past the end, whatever the file's size.
    void grownChunksNeverPassTheEnd_data()
    {
        QTest::addColumn<qint64>("total");
        QTest::addRow("512 MiB") << 512 * MiB;
        QTest::addRow("512 MiB + 1") << 512 * MiB + 1;
        QTest::addRow("512 MiB + 100 KiB") << 512 * MiB + 100 * KiB;
        QTest::addRow("300 MiB - 1") << 300 * MiB - 1;
        QTest::addRow("1000 MiB + 12345") << 1000 * MiB + 12345;
    }
    void grownChunksNeverPassTheEnd()
    {
        QFETCH(qint64, total);
        for (const qint64 sendMsPer8MiB : { 67, 100 }) { // 1 Gbit/s, and a burst-skewed first chunk
            ChunkSizer sizer(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
            qint64 sent = 0;
            while (sent < total) {
                const qint64 length = sizer.nextFor(total - sent);
                QVERIFY2(length > 0 && length <= total - sent,
                    qPrintable(u"%1 of %2 left"_s.arg(length).arg(total - sent)));
                QVERIFY(length <= ChunkSizer::defaultMaximum);
                sent += length;
                if (sent < total)
                    QCOMPARE(length % ChunkSizer::granule, 0);
                sizer.record(length, length * sendMsPer8MiB * ms / (8 * MiB) + 1, 100 * ms);
            }
            QCOMPARE(sent, total);
        }
    }

    void aNearHostKeepsItsChunksForTheRest()
    {
        // The chunks never grew: the rest goes in starting-size chunks, as before.
        ChunkSizer sizer(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
        QCOMPARE(sizer.nextFor(12 * MiB), 8 * MiB);
        sizer.record(8 * MiB, 8 * ms, ms / 5);
        QCOMPARE(sizer.nextFor(12 * MiB), 8 * MiB);
        QCOMPARE(sizer.nextFor(3 * MiB), 3 * MiB);
        QCOMPARE(sizer.nextFor(0), 0);
        // Fixed sizes stay fixed whatever is left.
        ChunkSizer fixed(300 * KiB + 7, 0);
        QCOMPARE(fixed.nextFor(500 * KiB), 300 * KiB + 7);
    }

    void theMaximumBounds()
    {
        ChunkSizer sizer(8 * MiB, 20 * MiB);
        sizer.record(8 * MiB, 1 * ms, 1000 * ms);
        QCOMPARE(sizer.next(), 20 * MiB);
        // Adaptive sizes are 256 KiB multiples, the maximum too.
        ChunkSizer odd(1 * MiB + 5, 3 * MiB + 5);
        QCOMPARE(odd.next(), 1 * MiB);
        odd.record(1 * MiB, 1 * ms, 1000 * ms);
        QCOMPARE(odd.next(), 3 * MiB);
    }

    void aNearHostKeepsTheStartingSize()
    {
        // Loopback: 8 MiB in 8 ms, answered 0.2 ms later: 19 times the wait is 3.8 MiB.
        ChunkSizer sizer(ChunkSizer::defaultStart, ChunkSizer::defaultMaximum);
        sizer.record(8 * MiB, 8 * ms, ms / 5);
        QCOMPARE(sizer.next(), 8 * MiB);
    }

    void shrinksBackWhenTheWaitsGetShort()
    {
        ChunkSizer sizer(1 * MiB, 64 * MiB);
        sizer.record(1 * MiB, 1 * ms, 100 * ms);
        QCOMPARE(sizer.next(), 8 * MiB);
        sizer.record(8 * MiB, 80 * ms, ms / 2); // 19 x 0.05 MiB: under the start
        QCOMPARE(sizer.next(), 1 * MiB);
    }

    void aFailedChunkStartsAgainSmall()
    {
        ChunkSizer sizer(1 * MiB, 64 * MiB);
        sizer.record(1 * MiB, 1 * ms, 100 * ms);
        QCOMPARE(sizer.next(), 8 * MiB);
        sizer.reset();
        QCOMPARE(sizer.next(), 1 * MiB);
    }

    void aChunkRefusedAsTooLargeHalvesTheMaximum()
    {
        // A proxy that takes bodies up to 100 MB in front of a far host: 256 MiB is refused.
        ChunkSizer sizer(8 * MiB, 1024 * MiB);
        sizer.record(8 * MiB, 1 * ms, 1000 * ms);
        sizer.record(64 * MiB, 1 * ms, 1000 * ms);
        QCOMPARE(sizer.next(), 512 * MiB);
        QVERIFY(sizer.refused(512 * MiB));
        QCOMPARE(sizer.next(), 256 * MiB);
        QVERIFY(sizer.refused(256 * MiB));
        QCOMPARE(sizer.next(), 128 * MiB);
        QVERIFY(sizer.refused(128 * MiB));
        QCOMPARE(sizer.next(), 64 * MiB);
        // Growth stays below the limit found.
        sizer.record(64 * MiB, 1 * ms, 1000 * ms);
        QCOMPARE(sizer.next(), 64 * MiB);
        // Down to the starting size, and no further: then the file is the problem, not the chunk.
        QVERIFY(sizer.refused(64 * MiB));
        QVERIFY(sizer.refused(32 * MiB));
        QVERIFY(sizer.refused(16 * MiB));
        QCOMPARE(sizer.next(), 8 * MiB);
        QVERIFY(!sizer.refused(8 * MiB));
        // Fixed sizes are the caller's: a 413 is not the sizer's to answer.
        QVERIFY(!ChunkSizer(8 * MiB, 0).refused(8 * MiB));
    }

    void measurementsBelowTheClockResolutionDoNotExplode()
    {
        // A chunk that fit into the socket buffers "took" no time to send: the growth bound
        // holds, and no division by zero happens.
        ChunkSizer sizer(1 * MiB, 1024 * MiB);
        sizer.record(1 * MiB, 0, 100 * ms);
        QCOMPARE(sizer.next(), 8 * MiB);
        sizer.record(8 * MiB, 0, 0);
        QCOMPARE(sizer.next(), 1 * MiB);
        sizer.record(1 * MiB, 10 * ms, -1); // nonsense is ignored
        QCOMPARE(sizer.next(), 1 * MiB);
    }
};

QTEST_GUILESS_MAIN(tst_ChunkSizer)
#include "tst_chunksizer.moc"
