// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediainforeader.h"

#include "blurhash.h"
#include "matroska_p.h"
#include "mp4_p.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QImageReader>
#include <QMediaMetaData>
#include <QMediaPlayer>
#include <QMimeDatabase>
#include <QTimer>
#include <QTransform>
#include <QUrl>
#include <QVideoFrame>
#include <QVideoSink>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {
namespace {

// The BlurHash is computed from a picture of at most this many pixels a side: enough for 4x3
// components, and quick.
constexpr int blurHashSide = 64;
// Where a video's thumbnail frame is taken, or half its length when it is shorter.
constexpr qint64 frameAtMs = 1000;

Thumbnail makeThumbnail(const QImage &picture)
{
    Thumbnail thumbnail;
    if (picture.isNull())
        return thumbnail;
    QImage image = picture;
    if (image.width() > Thumbnail::maximumSize.width()
        || image.height() > Thumbnail::maximumSize.height())
        image = image.scaled(Thumbnail::maximumSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const bool alpha = image.hasAlphaChannel();
    QBuffer buffer(&thumbnail.data);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, alpha ? "PNG" : "JPEG", alpha ? -1 : 80)) {
        thumbnail.data.clear();
        return thumbnail;
    }
    thumbnail.image = image;
    thumbnail.mimeType = alpha ? u"image/png"_s : u"image/jpeg"_s;
    return thumbnail;
}

QString blurHashOf(const QImage &picture)
{
    if (picture.isNull())
        return {};
    const QImage small = picture.width() > blurHashSide || picture.height() > blurHashSide
        ? picture.scaled(blurHashSide, blurHashSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
        : picture;
    return BlurHash::encode(small);
}

//! \a frame as an opaque picture. QVideoFrame::toImage() needs a QGuiApplication (Qt 6.4
//! crashes without one, e.g. in matrix-uploader-cli): elsewhere the planar YUV and packed RGB
//! frames a software decoder gives are converted here, with the frame's colour matrix and range.
QImage frameToImage(QVideoFrame frame)
{
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return frame.toImage().convertToFormat(QImage::Format_RGB32);
    if (!frame.map(QVideoFrame::ReadOnly))
        return {};
    const QVideoFrameFormat format = frame.surfaceFormat();
    const QVideoFrameFormat::PixelFormat pixels = format.pixelFormat();
    const int w = frame.width();
    const int h = frame.height();
    QImage image;
    if (const QImage::Format packed = QVideoFrameFormat::imageFormatFromPixelFormat(pixels);
        packed != QImage::Format_Invalid) {
        // copy(): the QImage only borrows the mapped bits, and converting to the format it
        // already has would hand back that same borrowed image, dead after unmap() below.
        image = QImage(frame.bits(0), w, h, frame.bytesPerLine(0), packed)
                    .copy()
                    .convertToFormat(QImage::Format_RGB32);
    } else if (pixels == QVideoFrameFormat::Format_YUV420P
        || pixels == QVideoFrameFormat::Format_NV12) {
        // Y'CbCr to R'G'B': BT.709 for HD, else BT.601; limited range unless it says full.
        const bool bt709 = format.colorSpace() == QVideoFrameFormat::ColorSpace_BT709;
        const double kr = bt709 ? 0.2126 : 0.299;
        const double kb = bt709 ? 0.0722 : 0.114;
        const double kg = 1.0 - kr - kb;
        const bool full = format.colorRange() == QVideoFrameFormat::ColorRange_Full;
        const double yScale = full ? 1.0 : 255.0 / 219.0;
        const double cScale = full ? 1.0 : 255.0 / 224.0;
        const int yOffset = full ? 0 : 16;
        const bool nv12 = pixels == QVideoFrameFormat::Format_NV12;
        image = QImage(w, h, QImage::Format_RGB32);
        for (int y = 0; y < h; ++y) {
            const uchar *lumaRow = frame.bits(0) + qsizetype(y) * frame.bytesPerLine(0);
            const uchar *uRow = frame.bits(1) + qsizetype(y / 2) * frame.bytesPerLine(1);
            const uchar *vRow
                = nv12 ? uRow + 1 : frame.bits(2) + qsizetype(y / 2) * frame.bytesPerLine(2);
            auto *out = reinterpret_cast<QRgb *>(image.scanLine(y));
            for (int x = 0; x < w; ++x) {
                const int c = nv12 ? (x / 2) * 2 : x / 2;
                const double luma = (lumaRow[x] - yOffset) * yScale;
                const double cb = (uRow[c] - 128) * cScale;
                const double cr = (vRow[c] - 128) * cScale;
                const double r = luma + 2.0 * (1.0 - kr) * cr;
                const double b = luma + 2.0 * (1.0 - kb) * cb;
                const double g = (luma - kr * r - kb * b) / kg;
                out[x] = qRgb(std::clamp(int(r + 0.5), 0, 255), std::clamp(int(g + 0.5), 0, 255),
                    std::clamp(int(b + 0.5), 0, 255));
            }
        }
    }
    frame.unmap();
    return image;
}

QString detectType(const QString &path, QIODevice *device)
{
    QMimeDatabase db;
    if (device)
        return db.mimeTypeForFileNameAndData(path, device).name();
    return db.mimeTypeForFile(path).name();
}

} // namespace

class MediaInfoReaderPrivate
{
public:
    QString path;
    MediaInfo info;
    bool started = false;
    bool finished = false;
    QFutureWatcher<MediaInfo> *watcher = nullptr;
    QMediaPlayer *player = nullptr;
    QVideoSink *sink = nullptr;
    QTimer *timeout = nullptr;
    qint64 frameAt = 0;
    //! The clockwise turn a player gives the frames (an MP4's display matrix; Mp4).
    int turn = 0;
};

MediaInfo MediaInfoReader::readImage(const QString &path, const QString &mimeType)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        MediaInfo info;
        info.mimeType = mimeType.isEmpty() ? detectType(path, nullptr) : mimeType;
        info.error = u"cannot open %1: %2"_s.arg(QFileInfo(path).fileName(), file.errorString());
        return info;
    }
    return readImage(&file, mimeType.isEmpty() ? detectType(path, &file) : mimeType);
}

MediaInfo MediaInfoReader::readImage(QIODevice *device, const QString &mimeType)
{
    MediaInfo info;
    info.mimeType = mimeType;
    info.size = device->isSequential() ? -1 : device->size();

    QImageReader reader(device);
    reader.setAutoTransform(true);
    const QSize stored = reader.size();
    if (!reader.canRead() || !stored.isValid()) {
        info.error = u"not a picture Qt can read: %1"_s.arg(reader.errorString());
        return info;
    }
    // EXIF orientations 5 to 8 turn the picture a quarter: width and height swap.
    const bool quarterTurn
        = reader.transformation().testFlag(QImageIOHandler::TransformationRotate90);
    info.dimensions = quarterTurn ? stored.transposed() : stored;

    // Decode no larger than the thumbnail needs. Formats that scale while decoding (JPEG) never
    // hold the whole picture; for the others the whole picture must fit the budget.
    const QSize bound = quarterTurn ? Thumbnail::maximumSize.transposed() : Thumbnail::maximumSize;
    const bool larger = stored.width() > bound.width() || stored.height() > bound.height();
    const bool scalesWhileDecoding
        = reader.supportsOption(QImageIOHandler::ScaledSize) && reader.format() == "jpeg";
    if (!scalesWhileDecoding && qint64(stored.width()) * stored.height() * 4 > decodeBudget) {
        info.error = u"a %1x%2 picture is too large to decode for a thumbnail"_s.arg(stored.width())
                         .arg(stored.height());
        return info;
    }
    if (larger && scalesWhileDecoding)
        reader.setScaledSize(stored.scaled(bound, Qt::KeepAspectRatio));
    reader.setAllocationLimit(int(decodeBudget / (1024 * 1024)));
    const QImage picture = reader.read();
    if (picture.isNull()) {
        info.error = u"cannot decode the picture: %1"_s.arg(reader.errorString());
        return info;
    }
    if (larger)
        info.thumbnail = makeThumbnail(picture);
    info.blurHash = blurHashOf(picture);
    return info;
}

MediaInfoReader::MediaInfoReader(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<MediaInfoReaderPrivate>())
{ }

MediaInfoReader::~MediaInfoReader() = default;

bool MediaInfoReader::isFinished() const
{
    return d->finished;
}

MediaInfo MediaInfoReader::info() const
{
    return d->info;
}

void MediaInfoReader::start(const QString &path)
{
    if (d->started)
        return;
    d->started = true;
    d->path = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        d->info.error = u"cannot open %1: %2"_s.arg(QFileInfo(path).fileName(), file.errorString());
        QMetaObject::invokeMethod(this, &MediaInfoReader::finish, Qt::QueuedConnection);
        return;
    }
    d->info.mimeType = detectType(path, &file);
    d->info.size = file.size();
    if (d->info.mimeType.endsWith(u"/webm"_s) || d->info.mimeType.endsWith(u"/x-matroska"_s)) {
        // Qt 6.4's FFmpeg backend reports no duration for these; the player's own, when it
        // gives one, replaces this.
        d->info.durationMs = Matroska::durationMs(file.read(Matroska::headLength));
    }
    if (d->info.mimeType == u"video/mp4"_s || d->info.mimeType == u"video/quicktime"_s
        || d->info.mimeType.startsWith(u"video/3gpp"_s)) {
        // A phone's portrait video: stored landscape, turned when shown. Qt 6.4's player
        // gives the stored frames and size.
        d->turn = Mp4::rotationDegrees(&file);
    }
    file.close();

    if (d->info.mimeType.startsWith(u"image/"_s)) {
        d->watcher = new QFutureWatcher<MediaInfo>(this);
        connect(d->watcher, &QFutureWatcherBase::finished, this, [this] {
            d->info = d->watcher->result();
            finish();
        });
        d->watcher->setFuture(
            QtConcurrent::run([path, type = d->info.mimeType] { return readImage(path, type); }));
    } else if (d->info.mimeType.startsWith(u"video/"_s)
        || d->info.mimeType.startsWith(u"audio/"_s)) {
        readMedia();
    } else {
        QMetaObject::invokeMethod(this, &MediaInfoReader::finish, Qt::QueuedConnection);
    }
}

void MediaInfoReader::readMedia()
{
    d->player = new QMediaPlayer(this);
    d->sink = new QVideoSink(this);
    d->player->setVideoSink(d->sink); // and no audio output: probing is silent
    d->timeout = new QTimer(this);
    d->timeout->setSingleShot(true);
    connect(d->timeout, &QTimer::timeout, this, [this] {
        if (d->info.error.isEmpty())
            d->info.error = u"the media did not give a frame in time"_s;
        finish();
    });
    d->timeout->start(mediaTimeoutMs);

    connect(d->player, &QMediaPlayer::errorOccurred, this,
        [this](QMediaPlayer::Error, const QString &message) {
            d->info.error = u"cannot read the media: %1"_s.arg(message);
            finish();
        });
    // Some containers (WebM) give their length only after the media is loaded.
    connect(d->player, &QMediaPlayer::durationChanged, this, [this](qint64 duration) {
        if (duration > 0)
            d->info.durationMs = duration;
    });
    connect(d->player, &QMediaPlayer::mediaStatusChanged, this,
        [this](QMediaPlayer::MediaStatus status) {
            if (status == QMediaPlayer::InvalidMedia) {
                if (d->info.error.isEmpty())
                    d->info.error = u"not media the player can read"_s;
                finish();
                return;
            }
            if (status != QMediaPlayer::LoadedMedia || d->frameAt != 0 || d->finished)
                return;
            if (const qint64 fromPlayer = d->player->duration(); fromPlayer > 0)
                d->info.durationMs = fromPlayer;
            const qint64 duration = d->info.durationMs.value_or(0);
            const QSize resolution
                = d->player->metaData().value(QMediaMetaData::Resolution).toSize();
            if (resolution.isValid() && !resolution.isEmpty())
                d->info.dimensions = d->turn % 180 ? resolution.transposed() : resolution;
            if (!d->player->hasVideo()) {
                finish();
                return;
            }
            d->frameAt = duration > 0 ? std::min(frameAtMs, duration / 2) : 0;
            d->frameAt = std::max<qint64>(d->frameAt, 1); // 0 means "not asked yet"
            d->player->setPosition(d->frameAt);
            d->player->play();
        });
    connect(d->sink, &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame &frame) {
        if (d->finished || d->frameAt == 0 || !frame.isValid())
            return;
        // Frames before the one asked for may still arrive from the start of the stream.
        if (frame.endTime() >= 0 && frame.endTime() / 1000 < d->frameAt - 1)
            return;
        // A video frame has no transparency: an opaque picture (and a JPEG thumbnail).
        QImage picture = frameToImage(frame);
        if (picture.isNull())
            return;
        // As it is shown: w and h, the thumbnail and the BlurHash all of the turned frame.
        if (d->turn != 0)
            picture = picture.transformed(QTransform().rotate(d->turn));
        if (const qint64 duration = d->player->duration(); duration > 0)
            d->info.durationMs = duration;
        if (!d->info.dimensions.isValid() || d->info.dimensions.isEmpty())
            d->info.dimensions = picture.size();
        d->info.thumbnail = makeThumbnail(picture);
        d->info.blurHash = blurHashOf(picture);
        finish();
    });
    d->player->setSource(QUrl::fromLocalFile(d->path));
}

void MediaInfoReader::finish()
{
    if (d->finished)
        return;
    d->finished = true;
    if (d->timeout)
        d->timeout->stop();
    if (d->player) {
        d->player->disconnect(this);
        d->sink->disconnect(this);
        d->player->stop();
    }
    Q_EMIT finished(d->info);
}

} // namespace MatrixUpload
