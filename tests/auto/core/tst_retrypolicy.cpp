// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// RetryPolicy: backoff, jitter bounds, server waits first, limits, reset after progress.
#include <matrixupload/retrypolicy.h>

#include <QTest>

using namespace MatrixUpload;

class tst_RetryPolicy final : public QObject
{
    Q_OBJECT

    static RetryPolicy::Settings settings()
    {
        RetryPolicy::Settings s;
        s.maxAttempts = 5;
        s.initialDelayMs = 100;
        s.maxDelayMs = 1000;
        s.maxTotalWaitMs = 100000;
        s.maxServerWaitMs = 30000;
        s.jitter = 0.5;
        return s;
    }

private Q_SLOTS:
    void doublesUpToTheCap()
    {
        RetryPolicy retry(settings());
        retry.setRandomSource([] { return 0.5; }); // factor 1: no jitter
        QList<qint64> waits;
        while (const auto wait = retry.nextDelayMs())
            waits.append(*wait);
        QCOMPARE(waits, (QList<qint64> { 100, 200, 400, 800, 1000 }));
        QCOMPARE(retry.attempts(), 5);
        QCOMPARE(retry.totalWaitMs(), 2500);
    }

    void jitterStaysInBounds_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("lowest") << 0.0 << qint64(50);
        QTest::addRow("middle") << 0.5 << qint64(100);
        QTest::addRow("highest") << 0.999999 << qint64(149);
    }
    void jitterStaysInBounds()
    {
        QFETCH(double, random);
        QFETCH(qint64, expected);
        RetryPolicy retry(settings());
        retry.setRandomSource([random] { return random; });
        QCOMPARE(retry.nextDelayMs(), std::optional<qint64>(expected));
    }

    void serverWaitComesFirst()
    {
        RetryPolicy retry(settings());
        retry.setRandomSource([] { return 0.5; });
        QCOMPARE(retry.nextDelayMs(7000), std::optional<qint64>(7000));
        // Without a server wait the backoff goes on from the attempt count.
        QCOMPARE(retry.nextDelayMs(), std::optional<qint64>(200));
    }

    void longServerWaitGivesUp()
    {
        RetryPolicy retry(settings());
        QCOMPARE(retry.nextDelayMs(3600 * 1000), std::nullopt);
        QCOMPARE(retry.attempts(), 0);
    }

    void totalWaitIsBounded()
    {
        auto s = settings();
        s.maxTotalWaitMs = 25000;
        RetryPolicy retry(s);
        QCOMPARE(retry.nextDelayMs(20000), std::optional<qint64>(20000));
        QCOMPARE(retry.nextDelayMs(20000), std::nullopt);
    }

    void progressResets()
    {
        RetryPolicy retry(settings());
        retry.setRandomSource([] { return 0.5; });
        while (retry.nextDelayMs()) { }
        QCOMPARE(retry.nextDelayMs(), std::nullopt);
        retry.recordProgress();
        QCOMPARE(retry.attempts(), 0);
        QCOMPARE(retry.nextDelayMs(), std::optional<qint64>(100));
    }
};

QTEST_APPLESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
