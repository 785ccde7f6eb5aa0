// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// BlurHash: the same strings as the reference encoder (npm blurhash, run by Node.js over the same
// RGBA pixels), for pictures of many kinds and sizes and every component count that matters.
#include <matrixupload/media/blurhash.h>

#include <QColor>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

namespace {

struct Vector
{
    QString name;
    QImage image;
    int x = 4;
    int y = 3;
};

QImage gradient(int w, int h)
{
    QImage image(w, h, QImage::Format_RGBA8888);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x)
            image.setPixelColor(
                x, y, QColor(255 * x / std::max(1, w - 1), 255 * y / std::max(1, h - 1), 128));
    }
    return image;
}

QImage noise(int w, int h, quint32 seed)
{
    QRandomGenerator random(seed);
    QImage image(w, h, QImage::Format_RGBA8888);
    for (int y = 0; y < h; ++y) {
        uchar *line = image.scanLine(y);
        for (int i = 0; i < w * 4; ++i)
            line[i] = uchar(random.bounded(256));
    }
    return image;
}

QImage scene(int w, int h)
{
    // Something like a photo: sky, ground, a sun, with a dark object whose components are
    // strongly negative (where the reference's signed maximum matters).
    QImage image(w, h, QImage::Format_RGBA8888);
    image.fill(QColor(90, 150, 230));
    QPainter painter(&image);
    painter.fillRect(0, h * 2 / 3, w, h - h * 2 / 3, QColor(60, 140, 40));
    painter.setBrush(QColor(250, 220, 60));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(QPoint(w * 3 / 4, h / 4), w / 8, w / 8);
    painter.fillRect(w / 6, h / 3, w / 5, h / 2, Qt::black);
    return image;
}

QImage solid(int w, int h, QColor color)
{
    QImage image(w, h, QImage::Format_RGBA8888);
    image.fill(color);
    return image;
}

} // namespace

class tst_BlurHash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTheReference();
    void solidColourHasOnlyItsMean();
    void lengthFollowsTheComponents();
    void refusesWhatItCannotEncode();
};

void tst_BlurHash::matchesTheReference()
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    QVERIFY2(!node.isEmpty(), "Node.js is missing (scripts/install-deps.sh installs it)");

    QList<Vector> vectors {
        { u"gradient 4x3"_s, gradient(64, 48) },
        { u"gradient 1x1 components"_s, gradient(32, 32), 1, 1 },
        { u"gradient 9x9"_s, gradient(30, 20), 9, 9 },
        { u"gradient 3x4 portrait"_s, gradient(48, 64), 3, 4 },
        { u"one pixel"_s, solid(1, 1, QColor(200, 10, 30)) },
        { u"odd sizes"_s, gradient(7, 13), 5, 2 },
        { u"scene 4x3"_s, scene(64, 48) },
        { u"scene 9x9"_s, scene(40, 30), 9, 9 },
        { u"dark"_s, solid(16, 16, QColor(3, 2, 1)) },
        { u"white"_s, solid(16, 16, Qt::white) },
    };
    for (quint32 seed = 1; seed <= 12; ++seed) {
        const int w = 8 + int(seed * 5 % 57);
        const int h = 8 + int(seed * 11 % 41);
        vectors.append({ u"noise seed %1"_s.arg(seed), noise(w, h, seed), 1 + int(seed % 9),
            1 + int(seed * 7 % 9) });
    }

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QJsonArray list;
    for (qsizetype i = 0; i < vectors.size(); ++i) {
        const QImage rgba = vectors[i].image.convertToFormat(QImage::Format_RGBA8888);
        const QString path = dir.filePath(u"%1.rgba"_s.arg(i));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int y = 0; y < rgba.height(); ++y)
            file.write(reinterpret_cast<const char *>(rgba.constScanLine(y)), rgba.width() * 4);
        file.close();
        list.append(QJsonObject { { u"file"_s, path }, { u"width"_s, rgba.width() },
            { u"height"_s, rgba.height() }, { u"x"_s, vectors[i].x }, { u"y"_s, vectors[i].y } });
    }
    QFile listFile(dir.filePath(u"list.json"_s));
    QVERIFY(listFile.open(QIODevice::WriteOnly));
    listFile.write(QJsonDocument(list).toJson());
    listFile.close();

    QProcess reference;
    reference.start(node, { QStringLiteral(MU_BLURHASH_REFERENCE), listFile.fileName() });
    QVERIFY(reference.waitForFinished(60 * 1000));
    QVERIFY2(reference.exitCode() == 0,
        qPrintable(u"the reference failed (npm ci in tests/auto/media/reference?): "_s
            + QString::fromUtf8(reference.readAllStandardError())));
    const QStringList expected
        = QString::fromUtf8(reference.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(expected.size(), vectors.size());

    for (qsizetype i = 0; i < vectors.size(); ++i) {
        const QString ours = BlurHash::encode(vectors[i].image, vectors[i].x, vectors[i].y);
        QVERIFY2(ours == expected[i],
            qPrintable(u"%1: ours %2, reference %3"_s.arg(vectors[i].name, ours, expected[i])));
    }
}

void tst_BlurHash::solidColourHasOnlyItsMean()
{
    // The DC component is the mean colour: for a flat picture, the colour itself.
    const QString digits
        = u"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"_s;
    for (const QRgb colour : { 0x123456u, 0xff0000u, 0x00ff80u, 0x000000u, 0xffffffu }) {
        const QString hash = BlurHash::encode(solid(20, 10, QColor::fromRgb(colour)), 4, 3);
        QCOMPARE(hash.size(), 4 + 2 * 4 * 3);
        QCOMPARE(hash.at(0), u'L'); // (4 - 1) + (3 - 1) * 9 = 21
        int dc = 0;
        for (int i = 2; i < 6; ++i)
            dc = dc * 83 + int(digits.indexOf(hash.at(i)));
        QCOMPARE(QRgb(dc), colour & 0xffffffu);
    }
}

void tst_BlurHash::lengthFollowsTheComponents()
{
    const QImage image = scene(40, 30);
    for (int x = 1; x <= 9; ++x) {
        for (int y = 1; y <= 9; y += 4)
            QCOMPARE(BlurHash::encode(image, x, y).size(), 4 + 2 * x * y);
    }
}

void tst_BlurHash::refusesWhatItCannotEncode()
{
    QVERIFY(BlurHash::encode(QImage()).isEmpty());
    QVERIFY(BlurHash::encode(scene(10, 10), 0, 3).isEmpty());
    QVERIFY(BlurHash::encode(scene(10, 10), 4, 10).isEmpty());
}

QTEST_MAIN(tst_BlurHash)
#include "tst_blurhash.moc"
