// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// MediaInfoReader on real files: photos with each EXIF orientation, pictures with and without
// alpha, pictures too large to decode whole, and video and audio that ffmpeg makes here.
#include <matrixupload/media/blurhash.h>
#include <matrixupload/media/mediainforeader.h>

#include "testmedia.h"

#include <matrixupload/media/matroska_p.h>

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sys/resource.h>
#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

namespace {

// The process's peak resident set so far, in MiB (Linux reports ru_maxrss in KiB).
qint64 peakRssMiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// A valid PNG of width x height grey pixels, written row by row: the test never holds the
// picture it asks the reader not to hold.
bool writeHugePng(const QString &path, quint32 width, quint32 height)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    auto chunk = [&file](const char *type, const QByteArray &data) {
        QByteArray be(4, '\0');
        qToBigEndian(quint32(data.size()), be.data());
        file.write(be);
        const QByteArray typed = QByteArray(type, 4) + data;
        file.write(typed);
        qToBigEndian(quint32(crc32(0, reinterpret_cast<const Bytef *>(typed.constData()),
                         uInt(typed.size()))),
            be.data());
        file.write(be);
    };
    file.write("\x89PNG\r\n\x1a\n", 8);
    QByteArray header(13, '\0');
    qToBigEndian(width, header.data());
    qToBigEndian(height, header.data() + 4);
    header[8] = 8; // bit depth
    header[9] = 0; // greyscale
    chunk("IHDR", header);

    z_stream z {};
    if (deflateInit(&z, Z_BEST_SPEED) != Z_OK)
        return false;
    QByteArray row(int(width) + 1, char(0x80));
    row[0] = 0; // filter: none
    QByteArray out(1 << 20, '\0');
    for (quint32 y = 0; y < height; ++y) {
        z.next_in = reinterpret_cast<Bytef *>(row.data());
        z.avail_in = uInt(row.size());
        const int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = reinterpret_cast<Bytef *>(out.data());
            z.avail_out = uInt(out.size());
            deflate(&z, flush);
            const int produced = out.size() - int(z.avail_out);
            if (produced > 0)
                chunk("IDAT", out.left(produced));
        } while (z.avail_out == 0 || (flush == Z_FINISH && z.avail_in > 0));
    }
    deflateEnd(&z);
    chunk("IEND", {});
    return true;
}

} // namespace

class tst_MediaInfoReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    // First, while the process's peak memory is still the tests' own.
    void largeJpegIsDecodedScaled();
    void hugePngIsNeverDecodedWhole();
    void exifOrientationTurnsSizeAndThumbnail_data();
    void exifOrientationTurnsSizeAndThumbnail();
    void thumbnailTypeFollowsAlpha();
    void smallPictureHasNoThumbnail();
    void video_data();
    void video();
    void turnedVideo_data();
    void turnedVideo();
    void audio();
    void matroskaDurationFromTheHeadOnly();
    void otherFilesAreFiles();
    void brokenAndMissingFilesSayWhy();

private:
    MediaInfo read(const QString &path);
    QString make(const QString &name, const QStringList &ffmpegArguments);
    QTemporaryDir m_dir;
};

void tst_MediaInfoReader::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(!QStandardPaths::findExecutable(u"ffmpeg"_s).isEmpty(),
        "ffmpeg is missing (scripts/install-deps.sh installs it)");
    // As our programs do on Qt 6.4: Debian's GStreamer backend has no H.264 or VP9 decoder.
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
}

MediaInfo tst_MediaInfoReader::read(const QString &path)
{
    MediaInfoReader reader;
    QSignalSpy finished(&reader, &MediaInfoReader::finished);
    reader.start(path);
    [&] { QVERIFY(finished.wait(MediaInfoReader::mediaTimeoutMs + 10 * 1000)); }();
    if (finished.size() != 1)
        return {};
    const MediaInfo info = finished.first().first().value<MediaInfo>();
    [&] { QVERIFY(reader.isFinished()); }();
    [&] { QCOMPARE(reader.info().toInfoJson(), info.toInfoJson()); }();
    return info;
}

QString tst_MediaInfoReader::make(const QString &name, const QStringList &ffmpegArguments)
{
    const QString path = m_dir.filePath(name);
    const QString error = runFfmpeg(ffmpegArguments, path);
    [&] { QVERIFY2(error.isEmpty(), qPrintable(error)); }();
    return path;
}

void tst_MediaInfoReader::largeJpegIsDecodedScaled()
{
    // 8000x6000 pixels are 183 MiB decoded, more than the budget: only a decode scaled to the
    // thumbnail's size gives a thumbnail, and the process never grows by the whole picture.
    const QString path = make(u"large.jpg"_s,
        { u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc=size=8000x6000"_s, u"-frames:v"_s, u"1"_s });
    if (QTest::currentTestFailed())
        return;
    const qint64 before = peakRssMiB();
    const MediaInfo info = read(path);
    QCOMPARE(info.dimensions, QSize(8000, 6000));
    QCOMPARE(info.thumbnail.image.size(), QSize(800, 600));
    QCOMPARE(info.thumbnail.mimeType, u"image/jpeg"_s);
    QVERIFY(!info.blurHash.isEmpty());
    QVERIFY2(peakRssMiB() - before < 100,
        qPrintable(u"peak RSS grew from %1 to %2 MiB"_s.arg(before).arg(peakRssMiB())));
}

void tst_MediaInfoReader::hugePngIsNeverDecodedWhole()
{
    // 20000x20000: 1.5 GiB as 32-bit pixels. The header gives the size; there is no thumbnail
    // and the reason says so, and memory stays small.
    const QString path = m_dir.filePath(u"huge.png"_s);
    QVERIFY(writeHugePng(path, 20000, 20000));
    const qint64 before = peakRssMiB();
    const MediaInfo info = read(path);
    QCOMPARE(info.mimeType, u"image/png"_s);
    QCOMPARE(info.dimensions, QSize(20000, 20000));
    QCOMPARE(info.msgtype(), u"m.image"_s);
    QVERIFY(!info.thumbnail.isValid());
    QVERIFY2(info.error.contains(u"too large"_s), qPrintable(info.error));
    QVERIFY2(peakRssMiB() - before < 100,
        qPrintable(u"peak RSS grew from %1 to %2 MiB"_s.arg(before).arg(peakRssMiB())));
}

void tst_MediaInfoReader::exifOrientationTurnsSizeAndThumbnail_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<QSize>("shown");
    // Where the stored top-left corner is seen: 0 top-left, 1 top-right, 2 bottom-right,
    // 3 bottom-left.
    QTest::addColumn<int>("corner");
    QTest::newRow("1 as stored") << 1 << QSize(1200, 800) << 0;
    QTest::newRow("2 mirrored") << 2 << QSize(1200, 800) << 1;
    QTest::newRow("3 half turn") << 3 << QSize(1200, 800) << 2;
    QTest::newRow("4 flipped") << 4 << QSize(1200, 800) << 3;
    QTest::newRow("5 transposed") << 5 << QSize(800, 1200) << 0;
    QTest::newRow("6 quarter clockwise") << 6 << QSize(800, 1200) << 1;
    QTest::newRow("7 transversed") << 7 << QSize(800, 1200) << 2;
    QTest::newRow("8 quarter anticlockwise") << 8 << QSize(800, 1200) << 3;
}

void tst_MediaInfoReader::exifOrientationTurnsSizeAndThumbnail()
{
    QFETCH(int, orientation);
    QFETCH(QSize, shown);
    QFETCH(int, corner);
    const QString path = m_dir.filePath(u"photo-%1.jpg"_s.arg(orientation));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(photo(QSize(1200, 800), orientation));
    file.close();

    const MediaInfo info = read(path);
    QCOMPARE(info.mimeType, u"image/jpeg"_s);
    QCOMPARE(info.msgtype(), u"m.image"_s);
    QCOMPARE(info.dimensions, shown);
    QCOMPARE(info.toInfoJson().value(u"w"_s).toInt(), shown.width());
    QCOMPARE(info.toInfoJson().value(u"h"_s).toInt(), shown.height());

    // The thumbnail is turned like the photo and fits 800x600.
    const QSize thumb = shown.scaled(Thumbnail::maximumSize, Qt::KeepAspectRatio);
    QVERIFY2(qAbs(info.thumbnail.image.width() - thumb.width()) <= 1
            && qAbs(info.thumbnail.image.height() - thumb.height()) <= 1,
        qPrintable(
            u"%1x%2"_s.arg(info.thumbnail.image.width()).arg(info.thumbnail.image.height())));
    const QImage &t = info.thumbnail.image;
    const int inset = 8;
    const QPoint corners[] = { { inset, inset }, { t.width() - inset, inset },
        { t.width() - inset, t.height() - inset }, { inset, t.height() - inset } };
    for (int c = 0; c < 4; ++c) {
        QVERIFY2(isRed(t.pixelColor(corners[c])) == (c == corner),
            qPrintable(u"corner %1 is %2"_s.arg(c).arg(t.pixelColor(corners[c]).name())));
    }
}

void tst_MediaInfoReader::thumbnailTypeFollowsAlpha()
{
    QImage clear(1000, 1000, QImage::Format_ARGB32);
    clear.fill(QColor(255, 0, 0, 100));
    const QString png = m_dir.filePath(u"alpha.png"_s);
    QVERIFY(clear.save(png));
    QImage opaque(1000, 1000, QImage::Format_RGB32);
    opaque.fill(Qt::darkGreen);
    const QString jpeg = m_dir.filePath(u"opaque.png"_s); // a PNG without alpha: JPEG thumbnail
    QVERIFY(opaque.save(jpeg));

    for (const auto &[path, type] :
        { std::pair { png, u"image/png"_s }, std::pair { jpeg, u"image/jpeg"_s } }) {
        const MediaInfo info = read(path);
        QCOMPARE(info.thumbnail.mimeType, type);
        QCOMPARE(info.thumbnail.image.size(), QSize(600, 600));
        const QImage decoded = QImage::fromData(info.thumbnail.data);
        QCOMPARE(decoded.size(), QSize(600, 600));
        const QJsonObject thumbnailInfo = info.toInfoJson().value(u"thumbnail_info"_s).toObject();
        QCOMPARE(thumbnailInfo.value(u"mimetype"_s).toString(), type);
        QCOMPARE(thumbnailInfo.value(u"size"_s).toInteger(), info.thumbnail.data.size());
        QCOMPARE(thumbnailInfo.value(u"w"_s).toInt(), 600);
        QCOMPARE(thumbnailInfo.value(u"h"_s).toInt(), 600);
    }
}

void tst_MediaInfoReader::smallPictureHasNoThumbnail()
{
    QImage image(400, 300, QImage::Format_RGB32);
    image.fill(QColor(0x12, 0x34, 0x56));
    const QString path = m_dir.filePath(u"small.png"_s);
    QVERIFY(image.save(path));
    const MediaInfo info = read(path);
    QCOMPARE(info.dimensions, QSize(400, 300));
    QCOMPARE(info.size, QFileInfo(path).size());
    QVERIFY(!info.thumbnail.isValid());
    QVERIFY(info.error.isEmpty());
    // The BlurHash of a small version: for a flat colour, the same hash as the picture's own.
    QCOMPARE(info.blurHash, BlurHash::encode(image.scaled(64, 48)));
    const QJsonObject json = info.toInfoJson();
    QVERIFY(!json.contains(u"thumbnail_info"_s));
    QCOMPARE(json.value(u"xyz.amorgan.blurhash"_s).toString(), info.blurHash);
    QCOMPARE(json.value(u"size"_s).toInteger(), info.size);
    QCOMPARE(json.value(u"mimetype"_s).toString(), u"image/png"_s);
}

void tst_MediaInfoReader::video_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("codec");
    QTest::addColumn<QString>("type");
    QTest::newRow("H.264 mp4") << u"clip.mp4"_s
                               << QStringList { u"-c:v"_s, u"libx264"_s, u"-pix_fmt"_s,
                                      u"yuv420p"_s }
                               << u"video/mp4"_s;
    QTest::newRow("VP9 webm") << u"clip.webm"_s
                              << QStringList { u"-c:v"_s, u"libvpx-vp9"_s, u"-pix_fmt"_s,
                                     u"yuv420p"_s, u"-deadline"_s, u"realtime"_s }
                              << u"video/webm"_s;
}

void tst_MediaInfoReader::video()
{
    QFETCH(QString, name);
    QFETCH(QStringList, codec);
    QFETCH(QString, type);
    // 3 s of a red picture that turns blue after 0.5 s: the frame taken about 1 s in is blue.
    const QString path = make(name,
        QStringList { u"-f"_s, u"lavfi"_s, u"-i"_s, u"color=c=red:size=640x360:rate=25:d=0.5"_s,
            u"-f"_s, u"lavfi"_s, u"-i"_s, u"color=c=blue:size=640x360:rate=25:d=2.5"_s,
            u"-filter_complex"_s, u"[0][1]concat=n=2:v=1"_s }
            + codec);
    if (QTest::currentTestFailed())
        return;
    const MediaInfo info = read(path);
    QVERIFY2(info.error.isEmpty(), qPrintable(info.error));
    QCOMPARE(info.mimeType, type);
    QCOMPARE(info.msgtype(), u"m.video"_s);
    QCOMPARE(info.dimensions, QSize(640, 360));
    QVERIFY(info.durationMs);
    QVERIFY2(qAbs(*info.durationMs - 3000) <= 150, qPrintable(QString::number(*info.durationMs)));
    QCOMPARE(info.thumbnail.mimeType, u"image/jpeg"_s);
    QCOMPARE(info.thumbnail.image.size(), QSize(640, 360));
    const QColor middle = info.thumbnail.image.pixelColor(320, 180);
    QVERIFY2(middle.blue() > 180 && middle.red() < 80, qPrintable(middle.name()));
    QVERIFY(!info.blurHash.isEmpty());
    QCOMPARE(info.toInfoJson().value(u"duration"_s).toInteger(), *info.durationMs);
}

void tst_MediaInfoReader::turnedVideo_data()
{
    // ffmpeg 5's `rotate` tag writes a display matrix that turns the picture that far
    // anticlockwise (ffprobe: "rotation=90"); a phone's portrait video is a quarter turn
    // clockwise (the tag 270 here).
    QTest::addColumn<int>("tag");
    QTest::addColumn<QSize>("shown");
    QTest::addColumn<QPoint>("redCorner"); // where the stored top-left corner is shown
    QTest::newRow("quarter turn clockwise") << 270 << QSize(240, 320) << QPoint(220, 20);
    QTest::newRow("quarter turn anticlockwise") << 90 << QSize(240, 320) << QPoint(20, 300);
    QTest::newRow("half turn") << 180 << QSize(320, 240) << QPoint(300, 220);
    QTest::newRow("no turn") << 0 << QSize(320, 240) << QPoint(20, 20);
}

void tst_MediaInfoReader::turnedVideo()
{
    QFETCH(int, tag);
    QFETCH(QSize, shown);
    QFETCH(QPoint, redCorner);
    // Stored 320x240, blue with a red top-left corner, then tagged without re-encoding.
    const QString stored = make(u"stored%1.mp4"_s.arg(tag),
        { u"-f"_s, u"lavfi"_s, u"-i"_s,
            u"color=c=blue:size=320x240:rate=25:d=2,drawbox=x=0:y=0:w=80:h=60:color=red:t=fill"_s,
            u"-c:v"_s, u"libx264"_s, u"-pix_fmt"_s, u"yuv420p"_s });
    if (QTest::currentTestFailed())
        return;
    const QString path = make(u"turned%1.mp4"_s.arg(tag),
        { u"-i"_s, stored, u"-c"_s, u"copy"_s, u"-metadata:s:v:0"_s, u"rotate=%1"_s.arg(tag) });
    if (QTest::currentTestFailed())
        return;
    const MediaInfo info = read(path);
    QVERIFY2(info.error.isEmpty(), qPrintable(info.error));
    QCOMPARE(info.dimensions, shown);
    QCOMPARE(info.thumbnail.image.size(), shown);
    QVERIFY2(isRed(info.thumbnail.image.pixelColor(redCorner)),
        qPrintable(info.thumbnail.image.pixelColor(redCorner).name()));
    // The opposite corner is blue.
    const QPoint opposite(shown.width() - 1 - redCorner.x(), shown.height() - 1 - redCorner.y());
    QVERIFY(info.thumbnail.image.pixelColor(opposite).blue() > 150);
    const QJsonObject json = info.toInfoJson();
    QCOMPARE(json.value(u"w"_s).toInt(), shown.width());
    QCOMPARE(json.value(u"h"_s).toInt(), shown.height());
}

void tst_MediaInfoReader::audio()
{
    const QString path = make(u"tone.opus"_s,
        { u"-f"_s, u"lavfi"_s, u"-i"_s, u"sine=frequency=440:duration=2.5"_s, u"-c:a"_s,
            u"libopus"_s });
    if (QTest::currentTestFailed())
        return;
    const MediaInfo info = read(path);
    QVERIFY2(info.error.isEmpty(), qPrintable(info.error));
    QVERIFY2(info.mimeType.startsWith(u"audio/"_s), qPrintable(info.mimeType));
    QCOMPARE(info.msgtype(), u"m.audio"_s);
    QVERIFY(info.durationMs);
    QVERIFY2(qAbs(*info.durationMs - 2500) <= 150, qPrintable(QString::number(*info.durationMs)));
    QVERIFY(!info.dimensions.isValid());
    QVERIFY(!info.thumbnail.isValid());
    const QJsonObject json = info.toInfoJson();
    QVERIFY(!json.contains(u"w"_s));
    QCOMPARE(json.value(u"duration"_s).toInteger(), *info.durationMs);
}

void tst_MediaInfoReader::matroskaDurationFromTheHeadOnly()
{
    const QString path = make(u"head.webm"_s,
        { u"-f"_s, u"lavfi"_s, u"-i"_s, u"color=c=green:size=160x120:rate=25:d=4.2"_s, u"-c:v"_s,
            u"libvpx-vp9"_s, u"-deadline"_s, u"realtime"_s });
    if (QTest::currentTestFailed())
        return;
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray head = file.read(Matroska::headLength);
    const std::optional<qint64> duration = Matroska::durationMs(head);
    QVERIFY(duration);
    QCOMPARE(*duration, 4200);

    // Every truncation and many corruptions of the head: a duration only where the Info
    // element is whole, and never a read outside the data (the sanitizer build checks that).
    for (qsizetype length = 0; length < std::min<qsizetype>(head.size(), 2048); ++length) {
        const std::optional<qint64> cut = Matroska::durationMs(head.left(length));
        QVERIFY(!cut || *cut == 4200);
    }
    QRandomGenerator random(20261205);
    for (int round = 0; round < 2000; ++round) {
        QByteArray mutated = head.left(1024);
        for (int flips = 1 + int(random.bounded(4)); flips > 0; --flips)
            mutated[int(random.bounded(mutated.size()))] = char(random.bounded(256));
        const std::optional<qint64> value = Matroska::durationMs(mutated);
        QVERIFY(!value || (*value > 0 && *value <= qint64(1e12)));
    }
    QVERIFY(!Matroska::durationMs(QByteArray("\x1a\x45\xdf\xa3\xff", 5)));
    QVERIFY(!Matroska::durationMs("not matroska at all"));
}

void tst_MediaInfoReader::otherFilesAreFiles()
{
    const QString path = m_dir.filePath(u"notes.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not media\n");
    file.close();
    const MediaInfo info = read(path);
    QCOMPARE(info.mimeType, u"text/plain"_s);
    QCOMPARE(info.msgtype(), u"m.file"_s);
    QCOMPARE(info.size, 10);
    QCOMPARE(
        info.toInfoJson(), QJsonObject({ { u"mimetype"_s, u"text/plain"_s }, { u"size"_s, 10 } }));
}

void tst_MediaInfoReader::brokenAndMissingFilesSayWhy()
{
    // A PNG signature and then nothing a decoder can use.
    const QString broken = m_dir.filePath(u"broken.png"_s);
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x89PNG\r\n\x1a\n garbage garbage garbage");
    file.close();
    MediaInfo info = read(broken);
    QCOMPARE(info.mimeType, u"image/png"_s);
    QCOMPARE(info.msgtype(), u"m.file"_s); // not shown as a picture nobody can open
    QVERIFY(!info.error.isEmpty());

    info = read(m_dir.filePath(u"gone.mp4"_s));
    QVERIFY2(info.error.contains(u"gone.mp4"_s), qPrintable(info.error));
    QCOMPARE(info.size, -1);
}

QTEST_MAIN(tst_MediaInfoReader)
#include "tst_mediainforeader.moc"
