// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: reads what a media message needs from a file (sizes, duration, thumbnail,
// BlurHash) without holding up the UI and without decoding a huge picture whole.
#pragma once

#include <matrixupload/media/matrixupload_media_export.h>
#include <matrixupload/media/mediainfo.h>

#include <QObject>
#include <QString>

#include <memory>

class QIODevice;

namespace MatrixUpload {

class MediaInfoReaderPrivate;

//! Reads a MediaInfo from a file: its type and size; for images the width and height after the
//! EXIF orientation, a thumbnail and a BlurHash; for video the same from a frame about a second
//! in, and the duration; for audio the duration.
//!
//! Images are decoded on a thread of the global pool, scaled while decoding where the format
//! allows it (JPEG), and never decoded whole when that would take more than decodeBudget bytes:
//! such a picture gets its dimensions from the header and no thumbnail. Audio and video are
//! probed by QMediaPlayer, whose backend decodes on its own threads; the reader itself lives on
//! a thread with an event loop.
//!
//! With Qt before 6.5 the FFmpeg backend of QtMultimedia must be chosen before the first
//! player is made (`QT_MEDIA_BACKEND=ffmpeg`, as our programs do): Debian's GStreamer backend
//! has no H.264 or VP9 decoder unless its plug-ins are installed. Without a decoder a video
//! still gets its type and size, and MediaInfo::error says why the rest is missing.
//!
//! \code
//! auto *reader = new MediaInfoReader(this);
//! connect(reader, &MediaInfoReader::finished, this, [=](const MediaInfo &info) {
//!     content.insert(u"msgtype"_s, info.msgtype());
//!     content.insert(u"info"_s, info.toInfoJson());
//!     reader->deleteLater();
//! });
//! reader->start(path);
//! \endcode
class MATRIXUPLOAD_MEDIA_EXPORT MediaInfoReader : public QObject
{
    Q_OBJECT
public:
    //! The most memory a whole-picture decode may take (width x height x 4 bytes): 128 MiB.
    static constexpr qint64 decodeBudget = qint64(128) * 1024 * 1024;
    //! How long audio and video may take to report their duration and a frame: 20 s.
    static constexpr int mediaTimeoutMs = 20 * 1000;

    //! A reader with no file yet.
    explicit MediaInfoReader(QObject *parent = nullptr);
    ~MediaInfoReader() override;

    //! Starts reading \a path. finished() follows exactly once, never from inside this call. A
    //! reader reads one file: later calls are ignored.
    void start(const QString &path);
    //! Whether finished() was emitted.
    bool isFinished() const;
    //! What was read; complete once finished.
    MediaInfo info() const;

    //! Reads an image synchronously, on any thread: what start() does for images. \a mimeType
    //! empty: taken from the content and the file name.
    static MediaInfo readImage(const QString &path, const QString &mimeType = {});
    //! Reads an image from \a device (open for reading) synchronously, on any thread.
    static MediaInfo readImage(QIODevice *device, const QString &mimeType);

Q_SIGNALS:
    //! The file was read, as far as it could be (MediaInfo::error says what was not).
    void finished(const MatrixUpload::MediaInfo &info);

private:
    void readMedia();
    void finish();
    std::unique_ptr<MediaInfoReaderPrivate> d;
};

} // namespace MatrixUpload
