// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: posts each uploaded file to a room as an m.room.message, the reason most
// people upload at all.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

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
//! A job whose file is being described (UploadJob::expectMediaDescription(), e.g. by
//! MatrixUpload::Media's MediaDescriber) is posted once the description came: its `info` then
//! has what the describer read (sizes, duration, BlurHash), and its thumbnail is uploaded first
//! (ThumbnailUpload; encrypted when the file is) and named in `info` as `thumbnail_url` or
//! `thumbnail_file`. A thumbnail that fails to upload leaves it out; the message still goes.
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
//! **Encrypted rooms** (protocol.md 10): when a room is set it asks whether the room is
//! encrypted (`m.room.encryption` state). Never is a `url` sent into an encrypted room: files
//! added for one upload encrypted (UploadOptions::encrypt, set on the job before it starts), and
//! once an upload completed, its content with `file` (the EncryptedFile) instead of `url` goes
//! to the host through encryptedContentReady(), as encrypting the event (Megolm) is the host's
//! job; RoomPoster sends nothing to that room. Until the answer is known, files added for the
//! room wait in the queue (UploadManager::hold()) and nothing is posted there. When it cannot be
//! learnt (an error other than 404 M_NOT_FOUND, after the retries of setRetrySettings(); a
//! rejected token waits for the new one), the safe side: its posts fail with that error
//! (postFailed()) and the held files upload encrypted. An upload that sends plaintext (it started
//! before it was adopted, or an earlier run began it) is not posted into an encrypted room:
//! postFailed() and a note say why. An encrypted upload for a plain room (the host's
//! UploadOptions::encrypt) is posted with `file`.
//!
//! \code
//! RoomPoster poster(&manager, dataDir + u"/posts.json"_s);
//! poster.setRoom(u"!abc:example.org"_s, u"Holiday"_s);
//! poster.setImageSizeReader([](const QString &path) { return QImageReader(path).size(); });
//! manager.restore();
//! manager.enqueue(files); // each is posted to "Holiday"
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT RoomPoster : public QObject
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
        //! The room is encrypted: the content went to the host (encryptedContentReady()),
        //! which encrypts and sends it
        HandedToHost,
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
    //! Whether the room of setRoom() is known to be encrypted, or taken as such because its
    //! encryption could not be learnt; false while unknown (isRoomEncryptionKnown()).
    bool isRoomEncrypted() const;
    //! Whether the answer for the room of setRoom() arrived (roomEncryptionKnown()).
    bool isRoomEncryptionKnown() const;

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

    //! Posts a job again, to another room: for a file the host could not post where it was
    //! meant to go (HandedToHost, Failed, Dropped) and that is still uploading or completed.
    //! Returns false (and does nothing) when the job is gone, cancelled or failed, or is
    //! sending or posted already.
    bool postTo(UploadJob *job, const QString &roomId, const QString &name = {});

    //! What \a job's message says of the file (spec v1.10 media captions): \a fileName is the
    //! name it gives the file instead of UploadJob::fileName(), \a caption the text shown with
    //! it. With a caption, `body` is the caption and `filename` the name; without, `body` is
    //! the name. Empty strings: the file's own name, no caption. Kept with the post, also
    //! across restarts. Returns false (and changes nothing) when the job posts nowhere or its
    //! message was sent or handed to the host already.
    bool setMessageText(UploadJob *job, const QString &fileName, const QString &caption);
    //! The name given with setMessageText(); empty: the file's own.
    QString messageFileName(const QString &jobId) const;
    //! The caption given with setMessageText(); empty when none.
    QString caption(const QString &jobId) const;
    //! Keeps \a job's message back, even when its upload is ready, until releasePost(): e.g.
    //! while the user names it and writes its caption. With When::ContentUriKnown the messages
    //! behind it wait too (their order is kept). Not kept across restarts.
    void holdPost(UploadJob *job);
    //! Lets the message held by holdPost() go.
    void releasePost(UploadJob *job);
    //! Whether holdPost() keeps \a jobId's message back.
    bool isPostHeld(const QString &jobId) const;

    //! The `m.room.message` content for \a job: msgtype from the media type, `info` with
    //! `mimetype` (the file's own type, also when the bytes are encrypted), `size` and
    //! \a imageSize as `w`/`h` when valid; `url` the content URI, or for an encrypted upload
    //! `file`, its EncryptedFile (UploadJob::encryptedFile(), so only once it completed).
    //! The description's fields come first (UploadJob::messageInfo(), messageType());
    //! \a thumbnailFields (ThumbnailUpload::infoFields()) are added, and `thumbnail_info` is
    //! left out when there are none. \a fileName and \a caption are those of
    //! setMessageText(): `body` is the caption, and `filename` the name, when there is one.
    static QJsonObject messageContent(const UploadJob *job, QSize imageSize = {},
        const QJsonObject &thumbnailFields = {}, const QString &fileName = {},
        const QString &caption = {});
    //! m.image, m.video, m.audio or m.file.
    static QString msgtypeFor(const QString &mediaType);

Q_SIGNALS:
    void posted(MatrixUpload::UploadJob *job, const QString &eventId);
    void postFailed(MatrixUpload::UploadJob *job, const MatrixUpload::MatrixError &error);
    //! A message whose upload was cancelled was removed from the room.
    void redacted(MatrixUpload::UploadJob *job, const QString &eventId);
    //! The message for \a job into the encrypted room \a roomId: \a content is the
    //! `m.room.message` content with `file` (messageContent()). RoomPoster sent nothing; the host
    //! encrypts it with the room's Megolm session and sends it as `m.room.encrypted`
    //! (docs/embedding.md, "Encrypted rooms"). Emitted once per post; postState() is
    //! HandedToHost from here on.
    void encryptedContentReady(
        MatrixUpload::UploadJob *job, const QString &roomId, const QJsonObject &content);
    //! Whether \a roomId is encrypted is known (or, after errors, taken as encrypted).
    void roomEncryptionKnown(const QString &roomId, bool encrypted);

private:
    struct Post; // defined in the .cpp
    friend class RoomPosterPrivate;

    void adopt(UploadJob *job);
    void onJobChanged(UploadJob *job);
    void pump();
    void send(UploadJob *job);
    //! The width and height from setImageSizeReader() for an image without them in its
    //! description; invalid otherwise.
    QSize imageSizeOf(const UploadJob *job) const;
    //! Uploads the thumbnail of \a job's description before its message is sent.
    void uploadThumbnail(UploadJob *job);
    //! messageContent() with the job's thumbnail and the text of setMessageText().
    QJsonObject contentOf(const UploadJob *job, QSize imageSize) const;
    void redact(UploadJob *job);
    //! Whether \a post points at another content URI than \a job has now.
    bool needsReplacement(const UploadJob *job, const Post &post) const;
    //! Edits the posted message (m.replace) to point at the job's new content URI.
    void replace(UploadJob *job);
    void checkEncryption(const QString &roomId);
    void encryptionKnown(const QString &roomId, bool encrypted);
    void encryptionUnknown(const QString &roomId, const MatrixError &error);
    void releaseHeld(const QString &roomId, bool encrypt);
    void chooseEncryption(UploadJob *job, const Post &post);
    void handOver(UploadJob *job);
    void refuse(UploadJob *job, const QString &why);
    void retryLater(
        UploadJob *job, const MatrixError &error, void (RoomPoster::*again)(UploadJob *));
    void updateNote(UploadJob *job);
    void load();
    void save();
    QString roomLabel(const Post &post) const;

    std::unique_ptr<RoomPosterPrivate> d;
};

} // namespace MatrixUpload
