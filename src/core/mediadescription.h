// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: what a media message says about a file besides where it is (issue 16): the
// `info` a describer read from the file (MatrixUpload::Media's MediaDescriber, or the host's
// own), and a thumbnail to upload beside it.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <memory>

namespace MatrixUpload {

class MediaApi;
class ThumbnailUploadPrivate;

//! A file described for its message: set on an UploadJob with UploadJob::setMediaDescription().
//! Core reads no pictures or video itself (it has no QtGui): MatrixUpload::Media's MediaDescriber
//! fills this in from MediaInfoReader, or a host does it with its own code.
struct MATRIXUPLOAD_CORE_EXPORT MediaDescription
{
    //! m.image, m.video, m.audio or m.file; empty: from the media type alone.
    QString msgtype;
    //! The spec's `info` fields the file gave: `w`, `h`, `duration`, `thumbnail_info`,
    //! `xyz.amorgan.blurhash`. `mimetype` and `size` are the job's own and replace any here;
    //! `thumbnail_url` / `thumbnail_file` are added once the thumbnail is uploaded.
    QJsonObject info;
    QByteArray thumbnail; //!< an encoded picture to upload beside the file; empty: none
    QString thumbnailMimeType; //!< its type, e.g. image/jpeg

    //! m.image, m.video or m.audio by the top-level type of \a mediaType, else m.file: the
    //! msgtype of a file nobody described.
    static QString msgtypeFor(const QString &mediaType);

    //! Equal when every field is.
    friend bool operator==(const MediaDescription &, const MediaDescription &) = default;
};

//! Uploads one thumbnail (a few kilobytes, held in memory) with the spec's `POST /upload`, in
//! clear or, for the thumbnail of an encrypted attachment, encrypted with a key of its own. Gives
//! the field a message's `info` takes: `thumbnail_url`, or `thumbnail_file` (an EncryptedFile).
//!
//! \code
//! auto *upload = new ThumbnailUpload(api, bytes, u"image/jpeg"_s, job->isEncrypted(), this);
//! connect(upload, &ThumbnailUpload::finished, this, [=] {
//!     info = info; // add upload->infoFields(): empty when it failed (errorString())
//!     upload->deleteLater();
//! });
//! upload->start();
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT ThumbnailUpload : public QObject
{
    Q_OBJECT
public:
    //! Uploads \a data of type \a mimeType through \a api when start() is called; encrypted
    //! (application/octet-stream, AES-256-CTR with a fresh key and IV) when \a encrypt.
    ThumbnailUpload(MediaApi *api, const QByteArray &data, const QString &mimeType, bool encrypt,
        QObject *parent = nullptr);
    ~ThumbnailUpload() override;

    //! Sends the thumbnail. finished() follows once, never from inside this call.
    void start();
    //! `{"thumbnail_url": mxc}` or `{"thumbnail_file": EncryptedFile}` once finished; empty on
    //! failure.
    QJsonObject infoFields() const;
    //! Why it failed; empty on success.
    QString errorString() const;

Q_SIGNALS:
    //! The upload ended, successfully or not.
    void finished();

private:
    void done(const QJsonObject &fields, const QString &error);
    std::unique_ptr<ThumbnailUploadPrivate> d;
};

} // namespace MatrixUpload
