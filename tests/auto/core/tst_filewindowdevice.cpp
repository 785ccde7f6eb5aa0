// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// FileWindowDevice: exact windows, seeking, and a file that shrinks under it.
#include "fixtures.h"

#include <matrixupload/transfer/filewindowdevice_p.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

class tst_FileWindowDevice final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_bytes;

private Q_SLOTS:
    void init()
    {
        m_path = m_dir.filePath(u"data.bin"_s);
        m_bytes = MatrixUpload::Testing::content(1'000'003);
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(m_bytes), m_bytes.size());
    }

    void readsExactlyTheWindow_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("length");
        QTest::addRow("whole file") << qint64(0) << qint64(1'000'003);
        QTest::addRow("middle") << qint64(262'144) << qint64(262'144);
        QTest::addRow("tail") << qint64(786'432) << qint64(213'571);
        QTest::addRow("empty") << qint64(5) << qint64(0);
    }
    void readsExactlyTheWindow()
    {
        QFETCH(qint64, offset);
        QFETCH(qint64, length);
        FileWindowDevice device(m_path, offset, length);
        QVERIFY(device.open(QIODevice::ReadOnly));
        QCOMPARE(device.size(), length);
        QVERIFY(!device.isSequential());
        QByteArray read;
        char buffer[7000];
        qint64 n;
        while ((n = device.read(buffer, sizeof buffer)) > 0)
            read.append(buffer, n);
        QCOMPARE(read.size(), length);
        QCOMPARE(read, m_bytes.mid(offset, length));
        QVERIFY(device.atEnd());
    }

    void seeksAndRereads()
    {
        FileWindowDevice device(m_path, 1000, 50'000);
        QVERIFY(device.open(QIODevice::ReadOnly));
        const QByteArray first = device.read(20'000);
        QVERIFY(device.seek(10));
        QCOMPARE(device.read(100), m_bytes.mid(1010, 100));
        QVERIFY(device.reset());
        QCOMPARE(device.read(20'000), first);
        QVERIFY(!device.seek(50'001));
    }

    void refusesAWindowPastTheEnd()
    {
        FileWindowDevice device(m_path, 999'000, 10'000);
        QVERIFY(!device.open(QIODevice::ReadOnly));
        QVERIFY(device.errorString().contains(u"changed"_s));
    }

    void failsWhenTheFileShrinks()
    {
        FileWindowDevice device(m_path, 0, m_bytes.size());
        QVERIFY(device.open(QIODevice::ReadOnly));
        QCOMPARE(device.read(1000).size(), 1000);
        QVERIFY(QFile::resize(m_path, 5000));
        QByteArray rest;
        qint64 n;
        char buffer[4096];
        while ((n = device.read(buffer, sizeof buffer)) > 0)
            rest.append(buffer, n);
        QCOMPARE(n, qint64(-1));
        QVERIFY(rest.size() < m_bytes.size() - 1000);
        QVERIFY(!device.errorString().isEmpty());
    }

    void isReadOnly()
    {
        FileWindowDevice device(m_path, 0, 10);
        QVERIFY(!device.open(QIODevice::ReadWrite));
    }
};

QTEST_APPLESS_MAIN(tst_FileWindowDevice)
#include "tst_filewindowdevice.moc"
