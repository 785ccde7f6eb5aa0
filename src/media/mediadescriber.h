// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: describes every file an UploadManager takes, so that the messages a
// RoomPoster posts carry sizes, durations, a thumbnail and a BlurHash (issue 16).
#pragma once

#include <matrixupload/media/matrixupload_media_export.h>

#include <QObject>

namespace MatrixUpload {

class UploadJob;
class UploadManager;
struct MediaInfo;
struct MediaDescription;

//! Reads each file an UploadManager takes with MediaInfoReader and gives the job what it found
//! (UploadJob::setMediaDescription()): a RoomPoster on the same manager then posts `info` with
//! `w`, `h`, `duration`, the BlurHash and an uploaded thumbnail. Files added from memory or a
//! device are not described (there is no file to read again).
//!
//! Make it before the manager takes files (and before UploadManager::restore(), so restored
//! uploads are described too):
//!
//! \code
//! UploadManager manager(&api, &store);
//! MediaDescriber describer(&manager);
//! RoomPoster poster(&manager, stateFile);
//! manager.restore();
//! \endcode
class MATRIXUPLOAD_MEDIA_EXPORT MediaDescriber : public QObject
{
    Q_OBJECT
public:
    //! Describes the files \a manager takes from now on.
    explicit MediaDescriber(UploadManager *manager, QObject *parent = nullptr);
    ~MediaDescriber() override;

    //! What a MediaInfo gives a message: msgtype (left empty, so the media type decides, when
    //! the file could not be read as a picture, audio or video), `info` and the thumbnail.
    static MediaDescription describe(const MediaInfo &info);

Q_SIGNALS:
    //! \a job got its description.
    void described(MatrixUpload::UploadJob *job);

private:
    void take(UploadJob *job);
};

} // namespace MatrixUpload
