// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: what a media message says about its file besides the file itself (the `info`
// object of m.image, m.video, m.audio and m.file, docs/protocol.md 11).
#pragma once

#include <matrixupload/media/matrixupload_media_export.h>

#include <QByteArray>
#include <QImage>
#include <QJsonObject>
#include <QMetaType>
#include <QSize>
#include <QString>

#include <optional>

namespace MatrixUpload {

//! A thumbnail ready to upload: the encoded bytes, their type and the picture's size.
struct MATRIXUPLOAD_MEDIA_EXPORT Thumbnail
{
    //! The largest thumbnail: fitted inside this size, as Element and Nheko make them.
    static constexpr QSize maximumSize { 800, 600 };

    QImage image; //!< the picture, at most maximumSize
    QByteArray data; //!< image encoded: JPEG for opaque pictures, PNG where there is alpha
    QString mimeType; //!< image/jpeg or image/png

    //! Whether there is a thumbnail.
    bool isValid() const { return !data.isEmpty(); }
    //! The spec's `thumbnail_info`: `w`, `h`, `mimetype`, `size`.
    QJsonObject toInfoJson() const;
};

//! What MediaInfoReader found out about one file. Fields it could not learn stay empty; the
//! reason is in error.
struct MATRIXUPLOAD_MEDIA_EXPORT MediaInfo
{
    QString mimeType; //!< the Content-Type, from the content and the name (QMimeDatabase)
    qint64 size = -1; //!< bytes; -1 when unknown
    //! Width and height as the picture is shown: after the EXIF orientation of a photo. Invalid
    //! for audio and other files.
    QSize dimensions;
    std::optional<qint64> durationMs; //!< audio and video
    Thumbnail thumbnail; //!< images larger than Thumbnail::maximumSize, and a frame of a video
    QString blurHash; //!< a BlurHash of the picture (4 by 3 components); empty when none
    //! Why something could not be read, for the log; the fields that were read stay valid.
    QString error;

    //! m.image, m.video or m.audio by the type (and only when the file could be read as one),
    //! otherwise m.file.
    QString msgtype() const;
    //! The spec's `info`: `mimetype`, `size`, `w` and `h`, `duration` (milliseconds),
    //! `thumbnail_info`, and the BlurHash as `xyz.amorgan.blurhash`. Where the thumbnail went
    //! (`thumbnail_url` or `thumbnail_file`) is for the uploader to add.
    QJsonObject toInfoJson() const;
};

} // namespace MatrixUpload

Q_DECLARE_METATYPE(MatrixUpload::MediaInfo)
