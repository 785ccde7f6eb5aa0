// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: posts each uploaded file to a room as an m.room.message, the reason most
// people upload at all.
#pragma once

#include "api/matrixerror.h"
#include "retrypolicy.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSize>
#include <QStringList>

#include <functional>
#include <memory>

class QTimer;

namespace MatrixUpload {

class UploadJob;
class UploadManager;
class RoomPosterPrivate;

//! Posts the files of an UploadManager to a room: one `m.room.message` per file, with the
//! msgtype from the media type, `body` the file name, `url` the content URI and `info` with
//! `mimetype`, `size` and, for images, `w` and `h`.
//!
//! When: as soon as the content URI exists (When::ContentUriKnown, the point of async uploads:
//! the messages go out in the order the files were added while the bytes still flow; a client
//! shows them as "uploading" until the media is there) or once the upload completed
//! (When::UploadCompleted, in the order they complete). Each event gets a transaction ID that is
//! kept (also across restarts, in \a stateFile) and reused for every retry of that send, so a
//! lost answer never posts twice.
//!
//! A cancelled upload never posts; if its message was already sent it is redacted. A failed
//! upload whose message was already sent says so in its note (UploadJob::note()), which is where
//! every outcome of posting is shown.
//!
//! Create it before UploadManager::restore(): it picks up the posts still due for restored jobs.
//!
//! \code
//! RoomPoster poster(&manager, dataDir + u"/posts.json"_s);
//! poster.setRoom(u"!abc:example.org"_s, u"Holiday"_s);
//! poster.setImageSizeReader([](const QString &path) { return QImageReader(path).size(); });
//! manager.restore();
//! manager.enqueue(files); // each is posted to "Holiday"
//! \endcode
class RoomPoster : public QObject
{
    Q_OBJECT
public:
    enum class When { ContentUriKnown, UploadCompleted };
    Q_ENUM(When)
    enum class PostState {
        None, //!< the job posts nowhere
        Waiting, //!< to be sent when the job gets there
        Sending,
        Posted,
        Failed, //!< gave up sending; the note says why
        Dropped, //!< never sent: the upload was cancelled or failed first
        Redacted, //!< sent, then removed because the upload was cancelled
    };
    Q_ENUM(PostState)

    //! \a stateFile keeps the posts of unfinished uploads across restarts (empty: memory only).
    explicit RoomPoster(
        UploadManager *manager, const QString &stateFile = {}, QObject *parent = nullptr);
    ~RoomPoster() override;

    //! The room the files added from now on are posted to; empty posts nothing. \a name is what
    //! notes call it (the ID when empty).
    void setRoom(const QString &roomId, const QString &name = {});
    QString roomId() const;
    QString roomName() const;

    void setWhen(When when);
    When when() const;

    //! Reads an image's width and height for `info` (Core has no QtGui; a program passes
    //! QImageReader). An invalid size leaves them out.
    void setImageSizeReader(std::function<QSize(const QString &path)> reader);

    //! Waits between tries of one send; the default gives up after a few minutes.
    void setRetrySettings(const RetryPolicy::Settings &settings);

    PostState postState(const QString &jobId) const;
    //! The posted event's ID; empty until it is posted.
    QString eventId(const QString &jobId) const;
    //! The room the job posts to; empty when none.
    QString roomOf(const QString &jobId) const;

    //! The `m.room.message` content for \a job: msgtype from the media type, `info` with
    //! `mimetype`, `size` and \a imageSize as `w`/`h` when valid.
    static QJsonObject messageContent(const UploadJob *job, QSize imageSize = {});
    //! m.image, m.video, m.audio or m.file.
    static QString msgtypeFor(const QString &mediaType);

Q_SIGNALS:
    void posted(MatrixUpload::UploadJob *job, const QString &eventId);
    void postFailed(MatrixUpload::UploadJob *job, const MatrixUpload::MatrixError &error);
    //! A message whose upload was cancelled was removed from the room.
    void redacted(MatrixUpload::UploadJob *job, const QString &eventId);

private:
    struct Post; // defined in the .cpp
    friend class RoomPosterPrivate;

    void adopt(UploadJob *job);
    void onJobChanged(UploadJob *job);
    void pump();
    void send(UploadJob *job);
    void redact(UploadJob *job);
    void retryLater(
        UploadJob *job, const MatrixError &error, void (RoomPoster::*again)(UploadJob *));
    void updateNote(UploadJob *job);
    void load();
    void save();
    QString roomLabel(const Post &post) const;

    std::unique_ptr<RoomPosterPrivate> d;
};

} // namespace MatrixUpload
