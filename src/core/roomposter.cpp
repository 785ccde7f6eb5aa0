// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "roomposter.h"

#include "api/mediaapi.h"
#include "logging_p.h"
#include "mediadescription.h"
#include "store/resumestore.h"
#include "uploadjob.h"
#include "uploadmanager.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>
#include <QSet>
#include <QTimer>

#include <utility>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
const QHash<RoomPoster::PostState, QString> &stateNames()
{
    static const QHash<RoomPoster::PostState, QString> names {
        { RoomPoster::PostState::None, u"none"_s },
        { RoomPoster::PostState::Waiting, u"waiting"_s },
        { RoomPoster::PostState::Sending, u"waiting"_s }, // a send cut short is sent again
        { RoomPoster::PostState::Posted, u"posted"_s },
        { RoomPoster::PostState::Failed, u"failed"_s },
        { RoomPoster::PostState::Dropped, u"dropped"_s },
        { RoomPoster::PostState::Redacted, u"redacted"_s },
        { RoomPoster::PostState::HandedToHost, u"handed"_s },
    };
    return names;
}
} // namespace

struct RoomPoster::Post
{
    QString roomId;
    QString roomName;
    QString txnId;
    QString eventId;
    QString redactTxnId;
    //! The content URI the posted message (or its latest replacement) points at.
    QString postedUri;
    QString replaceTxnId; //!< of the replacement under way, kept for its retries
    bool replacing = false; //!< a replacement is in flight or waits to be retried
    PostState state = PostState::None;
    bool redactWhenSent = false; //!< cancelled while the send was in flight
    QString fileName; //!< the name the message gives the file (setMessageText()); empty: own
    QString caption; //!< the message's caption (setMessageText()); empty: none
    QJsonObject toJson() const;
    static Post fromJson(const QJsonObject &json);
};

class RoomPosterPrivate
{
public:
    UploadManager *manager = nullptr;
    QPointer<UploadManager> managerGuard; //!< the manager may go first
    QString stateFile;
    QString roomId;
    QString roomName;
    RoomPoster::When when = RoomPoster::When::ContentUriKnown;
    std::function<QSize(const QString &)> imageSize;
    //! What each job's thumbnail upload gave `info` (thumbnail_url or thumbnail_file; empty
    //! when it failed), once tried. Never saved: thumbnail_file holds a key.
    QHash<QString, QJsonObject> thumbnails;
    RetryPolicy::Settings retrySettings;
    QHash<QString, RoomPoster::Post> posts; //!< by job ID
    QHash<QString, RoomPoster::Post> stored; //!< loaded from stateFile, not yet claimed by a job
    QStringList order; //!< job IDs with a waiting post, in the order they go out
    QHash<QString, RetryPolicy> retries; //!< of the sends and redactions that failed
    QHash<QString, QString> errors; //!< the last error of a send or redaction
    QString sending; //!< the job whose send is in flight (one at a time keeps the order)
    bool pumpQueued = false;
    QByteArray saved; //!< what stateFile holds, so unchanged state is not written again

    enum class Encryption { Unknown, Plain, Encrypted };
    QHash<QString, Encryption> encryption; //!< by room ID, as far as known
    QSet<QString> checking; //!< rooms whose m.room.encryption is asked for or waits for a retry
    QHash<QString, RetryPolicy> encryptionRetries; //!< by room ID
    QSet<QString> holding; //!< jobs kept Queued (UploadManager::hold()) until their room is known
    QSet<QString> heldPosts; //!< jobs whose message holdPost() keeps back

    Encryption encryptionOf(const QString &roomId) const
    {
        return encryption.value(roomId, Encryption::Unknown);
    }
};

QJsonObject RoomPoster::Post::toJson() const
{
    QJsonObject json { { u"room_id"_s, roomId }, { u"room_name"_s, roomName },
        { u"txn_id"_s, txnId }, { u"state"_s, stateNames().value(state) } };
    // The optional fields only when set.
    const std::pair<QString, const QString *> optional[]
        = { { u"event_id"_s, &eventId }, { u"redact_txn_id"_s, &redactTxnId },
              { u"posted_uri"_s, &postedUri }, { u"replace_txn_id"_s, &replaceTxnId },
              { u"file_name"_s, &fileName }, { u"caption"_s, &caption } };
    for (const auto &[key, value] : optional) {
        if (!value->isEmpty())
            json.insert(key, *value);
    }
    return json;
}

RoomPoster::Post RoomPoster::Post::fromJson(const QJsonObject &json)
{
    Post post;
    post.roomId = json.value(u"room_id"_s).toString();
    post.roomName = json.value(u"room_name"_s).toString();
    post.txnId = json.value(u"txn_id"_s).toString();
    post.eventId = json.value(u"event_id"_s).toString();
    post.redactTxnId = json.value(u"redact_txn_id"_s).toString();
    post.postedUri = json.value(u"posted_uri"_s).toString();
    post.replaceTxnId = json.value(u"replace_txn_id"_s).toString();
    post.fileName = json.value(u"file_name"_s).toString();
    post.caption = json.value(u"caption"_s).toString();
    post.state = stateNames().key(json.value(u"state"_s).toString(), PostState::None);
    if (!post.roomId.startsWith(u'!') || post.txnId.isEmpty()
        || (post.state == PostState::Posted && post.eventId.isEmpty()))
        post.state = PostState::None;
    return post;
}

RoomPoster::RoomPoster(UploadManager *manager, const QString &stateFile, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<RoomPosterPrivate>())
{
    d->manager = manager;
    d->managerGuard = manager;
    d->stateFile = stateFile;
    d->retrySettings.maxAttempts = 6;
    d->retrySettings.maxTotalWaitMs = 5 * 60 * 1000;
    load();
    for (UploadJob *job : manager->jobs())
        adopt(job);
    connect(manager, &UploadManager::jobAdded, this, &RoomPoster::adopt);
    connect(manager, &UploadManager::jobAboutToBeRemoved, this, [this](UploadJob *job) {
        // remove() cancels first, so a sent message is being redacted by now.
        d->order.removeAll(job->id());
        save();
    });
}

RoomPoster::~RoomPoster()
{
    // Files held for a room whose answer never came go on without the poster, encrypted:
    // the safe side, as when the question fails.
    if (!d->managerGuard)
        return;
    for (const QString &id : std::as_const(d->holding)) {
        if (UploadJob *job = d->manager->job(id)) {
            UploadOptions options = job->options();
            options.encrypt = true;
            job->setOptions(options);
        }
        d->manager->release(id);
    }
}

void RoomPoster::setRoom(const QString &roomId, const QString &name)
{
    d->roomId = roomId;
    d->roomName = name;
    checkEncryption(roomId);
    if (name.isEmpty())
        return;
    // The name arrived after the files (it is asked for while they start): notes use it.
    for (auto it = d->posts.begin(); it != d->posts.end(); ++it) {
        if (it->roomId != roomId || it->roomName == name)
            continue;
        it->roomName = name;
        if (UploadJob *job = d->manager->job(it.key()))
            updateNote(job);
    }
}

QString RoomPoster::roomId() const
{
    return d->roomId;
}

QString RoomPoster::roomName() const
{
    return d->roomName;
}

bool RoomPoster::isRoomEncrypted() const
{
    return d->encryptionOf(d->roomId) == RoomPosterPrivate::Encryption::Encrypted;
}

bool RoomPoster::isRoomEncryptionKnown() const
{
    return d->encryptionOf(d->roomId) != RoomPosterPrivate::Encryption::Unknown;
}

void RoomPoster::setWhen(When when)
{
    d->when = when;
}

RoomPoster::When RoomPoster::when() const
{
    return d->when;
}

void RoomPoster::setImageSizeReader(std::function<QSize(const QString &path)> reader)
{
    d->imageSize = std::move(reader);
}

void RoomPoster::setRetrySettings(const RetryPolicy::Settings &settings)
{
    d->retrySettings = settings;
}

RoomPoster::PostState RoomPoster::postState(const QString &jobId) const
{
    return d->posts.value(jobId).state;
}

QString RoomPoster::eventId(const QString &jobId) const
{
    return d->posts.value(jobId).eventId;
}

QString RoomPoster::roomOf(const QString &jobId) const
{
    return d->posts.value(jobId).roomId;
}

QString RoomPoster::msgtypeFor(const QString &mediaType)
{
    return MediaDescription::msgtypeFor(mediaType);
}

QJsonObject RoomPoster::messageContent(const UploadJob *job, QSize imageSize,
    const QJsonObject &thumbnailFields, const QString &fileName, const QString &caption)
{
    // The describer's info (MediaDescription), with the job's own type and size.
    QJsonObject info = job->messageInfo();
    const QString msgtype = job->messageType();
    if (msgtype == u"m.image"_s && !info.contains(u"w"_s) && imageSize.isValid()
        && !imageSize.isEmpty()) {
        info.insert(u"w"_s, imageSize.width());
        info.insert(u"h"_s, imageSize.height());
    }
    for (auto it = thumbnailFields.begin(); it != thumbnailFields.end(); ++it)
        info.insert(it.key(), it.value());
    // A thumbnail that was not uploaded is not described either.
    if (!info.contains(u"thumbnail_url"_s) && !info.contains(u"thumbnail_file"_s))
        info.remove(u"thumbnail_info"_s);
    // A name kept from the server (UploadMetadata::sendFileName) stays out of the room too,
    // unless the user gave one for the message.
    QString name = !fileName.isEmpty() ? fileName
        : job->sendsFileName()         ? job->fileName()
                                       : QString();
    QString body = name;
    if (body.isEmpty())
        body = msgtype == u"m.image"_s ? u"image"_s
            : msgtype == u"m.video"_s  ? u"video"_s
            : msgtype == u"m.audio"_s  ? u"audio"_s
                                       : u"file"_s;
    // Spec v1.10 media captions: with a caption, `body` is the caption and `filename` the name
    // (the generic one when the name stays out of the room: without `filename` a client would
    // take the caption for the file's name).
    const QString filename = body;
    if (!caption.isEmpty())
        body = caption;
    QJsonObject content { { u"msgtype"_s, msgtype }, { u"body"_s, body }, { u"info"_s, info } };
    if (!caption.isEmpty())
        content.insert(u"filename"_s, filename);
    // protocol.md 10: an encrypted attachment has `file` and never `url`.
    if (job->isEncrypted())
        content.insert(u"file"_s, job->encryptedFile());
    else
        content.insert(u"url"_s, job->contentUri());
    return content;
}

void RoomPoster::adopt(UploadJob *job)
{
    Post post;
    if (d->stored.contains(job->id())) {
        post = d->stored.take(job->id()); // a restored job: its post as the last run left it
    } else if (!d->roomId.isEmpty() && !job->isRestored()) {
        // Only files added now: an upload of an earlier run that posted nowhere stays so.
        post.roomId = d->roomId;
        post.roomName = d->roomName;
        post.txnId = MediaApi::newTransactionId();
        post.state = PostState::Waiting;
    }
    // Connected also when the job posts nowhere: postTo() may give it a post later.
    connect(job, &UploadJob::stateChanged, this, [this, job] { onJobChanged(job); });
    connect(job, &UploadJob::contentUriChanged, this, [this, job] { onJobChanged(job); });
    connect(job, &UploadJob::mediaDescriptionChanged, this, [this, job] { onJobChanged(job); });
    if (post.state == PostState::None)
        return;
    d->posts.insert(job->id(), post);
    if (post.state == PostState::Waiting)
        d->order.append(job->id());
    if (!job->isRestored())
        chooseEncryption(job, post);
    checkEncryption(post.roomId);
    updateNote(job);
    save();
    onJobChanged(job);
}

bool RoomPoster::postTo(UploadJob *job, const QString &roomId, const QString &name)
{
    if (!job || d->manager->job(job->id()) != job || !roomId.startsWith(u'!')
        || job->state() == UploadJob::State::Cancelled || job->state() == UploadJob::State::Failed)
        return false;
    const PostState state = d->posts.value(job->id()).state;
    if (state == PostState::Waiting || state == PostState::Sending || state == PostState::Posted
        || state == PostState::Redacted)
        return false;
    Post post;
    post.roomId = roomId;
    post.roomName = name;
    post.txnId = MediaApi::newTransactionId(); // a new event, never the one of another room
    // The name and caption the user gave go with the message wherever it goes.
    post.fileName = d->posts.value(job->id()).fileName;
    post.caption = d->posts.value(job->id()).caption;
    post.state = PostState::Waiting;
    d->posts.insert(job->id(), post);
    d->errors.remove(job->id());
    d->order.append(job->id());
    chooseEncryption(job, post);
    checkEncryption(roomId);
    onJobChanged(job);
    return true;
}

bool RoomPoster::setMessageText(UploadJob *job, const QString &fileName, const QString &caption)
{
    if (!job || !d->posts.contains(job->id()))
        return false;
    Post &post = d->posts[job->id()];
    if (post.state != PostState::Waiting && post.state != PostState::Failed
        && post.state != PostState::Dropped)
        return false;
    post.fileName = fileName.trimmed();
    post.caption = caption.trimmed();
    save();
    return true;
}

QString RoomPoster::messageFileName(const QString &jobId) const
{
    return d->posts.value(jobId).fileName;
}

QString RoomPoster::caption(const QString &jobId) const
{
    return d->posts.value(jobId).caption;
}

void RoomPoster::holdPost(UploadJob *job)
{
    if (job)
        d->heldPosts.insert(job->id());
}

void RoomPoster::releasePost(UploadJob *job)
{
    if (!job || !d->heldPosts.remove(job->id()))
        return;
    onJobChanged(job);
}

bool RoomPoster::isPostHeld(const QString &jobId) const
{
    return d->heldPosts.contains(jobId);
}

QJsonObject RoomPoster::contentOf(const UploadJob *job, QSize imageSize) const
{
    const Post post = d->posts.value(job->id());
    return messageContent(
        job, imageSize, d->thumbnails.value(job->id()), post.fileName, post.caption);
}

void RoomPoster::chooseEncryption(UploadJob *job, const Post &post)
{
    // Only a job that has not started can still choose; one that did keeps what it sends
    // (pump() refuses plaintext for an encrypted room).
    if (job->state() != UploadJob::State::Queued)
        return;
    switch (d->encryptionOf(post.roomId)) {
    case RoomPosterPrivate::Encryption::Plain:
        break;
    case RoomPosterPrivate::Encryption::Unknown:
        // Not a byte before the answer: then it goes encrypted or not (encryptionKnown()).
        d->manager->hold(job->id());
        d->holding.insert(job->id());
        break;
    case RoomPosterPrivate::Encryption::Encrypted:
        if (!job->isEncrypted()) {
            UploadOptions options = job->options();
            options.encrypt = true;
            job->setOptions(options);
        }
        break;
    }
}

void RoomPoster::releaseHeld(const QString &roomId, bool encrypt)
{
    for (auto it = d->posts.cbegin(); it != d->posts.cend(); ++it) {
        if (it->roomId != roomId || !d->holding.contains(it.key()))
            continue;
        d->holding.remove(it.key());
        UploadJob *job = d->manager->job(it.key());
        if (!job)
            continue;
        if (encrypt && !job->isEncrypted()) {
            UploadOptions options = job->options();
            options.encrypt = true;
            job->setOptions(options);
        }
        d->manager->release(job->id());
    }
}

void RoomPoster::checkEncryption(const QString &roomId)
{
    if (roomId.isEmpty() || d->encryptionOf(roomId) != RoomPosterPrivate::Encryption::Unknown
        || d->checking.contains(roomId))
        return;
    d->checking.insert(roomId);
    MediaApi *api = d->manager->api();
    api->roomEncrypted(roomId)->then(this, [this, roomId, api](const ApiResult<bool> &result) {
        if (result) {
            d->checking.remove(roomId);
            d->encryptionRetries.remove(roomId);
            return encryptionKnown(roomId, *result);
        }
        const MatrixError error = result.error();
        auto policy = d->encryptionRetries.find(roomId);
        if (policy == d->encryptionRetries.end())
            policy = d->encryptionRetries.insert(roomId, RetryPolicy(d->retrySettings));
        const bool waitForToken = error.isUnauthorized() && api->isAccessTokenRejected();
        const std::optional<qint64> delay
            = error.isRetryable() ? policy->nextDelayMs(error.retryAfterMs()) : std::nullopt;
        auto again = [this, roomId] {
            d->checking.remove(roomId);
            checkEncryption(roomId);
        };
        if (waitForToken) {
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection = connect(api, &MediaApi::accessTokenChanged, this, [connection, again] {
                QObject::disconnect(*connection);
                again();
            });
        } else if (delay) {
            QTimer::singleShot(*delay, this, again);
        } else {
            // The safe side: nothing is posted to a room that may be encrypted, and the files
            // held for it upload encrypted. It stays unknown: a later post asks again.
            qCWarning(lcJob).noquote()
                << "cannot learn whether" << roomId << "is encrypted:" << error.toString();
            d->checking.remove(roomId);
            d->encryptionRetries.remove(roomId);
            encryptionUnknown(roomId, error);
        }
    });
}

void RoomPoster::encryptionKnown(const QString &roomId, bool encrypted)
{
    d->encryption.insert(roomId,
        encrypted ? RoomPosterPrivate::Encryption::Encrypted
                  : RoomPosterPrivate::Encryption::Plain);
    releaseHeld(roomId, encrypted);
    for (auto it = d->posts.cbegin(); it != d->posts.cend(); ++it) {
        if (it->roomId != roomId)
            continue;
        if (UploadJob *job = d->manager->job(it.key()))
            updateNote(job);
    }
    Q_EMIT roomEncryptionKnown(roomId, encrypted);
    if (!d->pumpQueued) {
        d->pumpQueued = true;
        QTimer::singleShot(0, this, &RoomPoster::pump);
    }
}

void RoomPoster::encryptionUnknown(const QString &roomId, const MatrixError &error)
{
    releaseHeld(roomId, true);
    QList<QPointer<UploadJob>> refused;
    for (auto it = d->posts.begin(); it != d->posts.end(); ++it) {
        if (it->roomId != roomId || it->state != PostState::Waiting)
            continue;
        it->state = PostState::Failed;
        d->order.removeAll(it.key());
        d->errors.insert(it.key(), error.toString());
        if (UploadJob *job = d->manager->job(it.key())) {
            updateNote(job);
            refused.append(job);
        }
    }
    save();
    // Last: a slot may add files, and with them posts.
    for (const QPointer<UploadJob> &job : std::as_const(refused)) {
        if (job)
            Q_EMIT postFailed(job, error);
    }
}

void RoomPoster::handOver(UploadJob *job)
{
    Post &post = d->posts[job->id()];
    post.state = PostState::HandedToHost;
    d->order.removeAll(job->id());
    const QJsonObject content = contentOf(job, imageSizeOf(job));
    const QString roomId = post.roomId;
    // The content holds the key: it is never logged.
    qCInfo(lcJob).noquote() << job->fileName() << "handed to the host for the encrypted room"
                            << roomId;
    updateNote(job);
    save();
    Q_EMIT encryptedContentReady(job, roomId, content);
}

void RoomPoster::refuse(UploadJob *job, const QString &why)
{
    Post &post = d->posts[job->id()];
    post.state = PostState::Failed;
    d->order.removeAll(job->id());
    d->errors.insert(job->id(), why);
    qCWarning(lcJob).noquote() << job->fileName() << "not posted:" << why;
    updateNote(job);
    save();
    Q_EMIT postFailed(job, MatrixError::local(why));
}

void RoomPoster::onJobChanged(UploadJob *job)
{
    auto it = d->posts.find(job->id());
    if (it == d->posts.end())
        return;
    Post &post = *it;
    if (job->state() == UploadJob::State::Cancelled) {
        switch (post.state) {
        case PostState::Waiting:
            post.state = PostState::Dropped;
            d->order.removeAll(job->id());
            break;
        case PostState::Sending:
            post.redactWhenSent = true;
            break;
        case PostState::Posted:
            redact(job);
            break;
        default:
            break;
        }
    } else if (post.state == PostState::Waiting && !d->order.contains(job->id())) {
        d->order.append(job->id()); // a failed job that was retried
    } else if (needsReplacement(job, post)) {
        replace(job);
    }
    // The thumbnail is a second upload tied to the file: its bytes count in the job's progress
    // from the moment it is known to go.
    if (post.state == PostState::Waiting && !job->isMediaDescriptionPending()
        && !d->thumbnails.contains(job->id()) && job->attachedBytes() == 0)
        job->setAttachedUpload(0, job->mediaDescription().thumbnail.size());
    updateNote(job);
    save();
    if (!d->pumpQueued) {
        d->pumpQueued = true;
        QTimer::singleShot(0, this, &RoomPoster::pump);
    }
}

void RoomPoster::pump()
{
    d->pumpQueued = false;
    if (!d->sending.isEmpty())
        return;
    for (qsizetype i = 0; i < d->order.size();) {
        const QString id = d->order.at(i);
        UploadJob *job = d->manager->job(id);
        if (!job || d->posts.value(id).state != PostState::Waiting) {
            d->order.removeAt(i);
            continue;
        }
        const auto state = job->state();
        const auto encryption = d->encryptionOf(d->posts.value(id).roomId);
        using Encryption = RoomPosterPrivate::Encryption;
        if (encryption == Encryption::Encrypted && !job->isEncrypted()) {
            refuse(job,
                tr("the room is encrypted and this upload is not: a link to its plain bytes is "
                   "never posted there"));
            continue; // refuse() took it out of the order
        }
        // An encrypted upload's `file` needs the hash of all its bytes: at completion only.
        const bool ready = encryption == Encryption::Unknown ? false
            : d->when == When::ContentUriKnown && !job->isEncrypted()
            ? !job->contentUri().isEmpty() && state != UploadJob::State::Cancelled
            : state == UploadJob::State::Completed;
        // The message waits for what a describer reads from the file, then for its thumbnail,
        // and for the user who names it (holdPost()).
        if (ready && (job->isMediaDescriptionPending() || d->heldPosts.contains(id))) {
            if (d->when == When::ContentUriKnown)
                return; // the order of the messages is kept
            ++i;
            continue;
        }
        if (ready && !job->mediaDescription().thumbnail.isEmpty() && !d->thumbnails.contains(id)) {
            uploadThumbnail(job);
            return;
        }
        if (ready && encryption == Encryption::Encrypted) {
            handOver(job);
            // Later: a slot of encryptedContentReady() may have changed the order.
            if (!d->pumpQueued) {
                d->pumpQueued = true;
                QTimer::singleShot(0, this, &RoomPoster::pump);
            }
            return;
        }
        if (ready) {
            send(job);
            return;
        }
        // Messages go out in the order the files were added: a file whose upload has no
        // content URI yet holds back the ones behind it, unless it failed (Retry queues it
        // again) or the order is the order of completion.
        if (d->when == When::ContentUriKnown && state != UploadJob::State::Failed)
            return;
        ++i;
    }
}

QSize RoomPoster::imageSizeOf(const UploadJob *job) const
{
    // A description that has the size makes reading the file again unnecessary.
    if (!d->imageSize || job->messageType() != u"m.image"_s
        || job->mediaDescription().info.contains(u"w"_s))
        return {};
    return d->imageSize(job->filePath());
}

void RoomPoster::uploadThumbnail(UploadJob *job)
{
    const QString id = job->id();
    d->sending = id; // one request of the poster's at a time, as for sends
    const MediaDescription description = job->mediaDescription();
    auto *upload = new ThumbnailUpload(d->manager->api(), description.thumbnail,
        description.thumbnailMimeType, job->isEncrypted(), this);
    QPointer<UploadJob> guard(job);
    const qint64 bytes = description.thumbnail.size();
    job->setAttachedUpload(0, bytes);
    connect(upload, &ThumbnailUpload::finished, this, [this, id, upload, guard, bytes] {
        upload->deleteLater();
        d->sending.clear();
        // Sent: the job's progress is whole. Failed: it is no longer counted.
        if (guard)
            guard->setAttachedUpload(upload->errorString().isEmpty() ? bytes : 0,
                upload->errorString().isEmpty() ? bytes : 0);
        // A message without its thumbnail is better than none: a failure is not retried.
        if (!upload->errorString().isEmpty())
            qCWarning(lcJob).noquote()
                << "the thumbnail of" << id << "was not uploaded:" << upload->errorString();
        d->thumbnails.insert(id, upload->infoFields());
        pump();
    });
    upload->start();
}

void RoomPoster::send(UploadJob *job)
{
    Post &post = d->posts[job->id()];
    post.state = PostState::Sending;
    d->sending = job->id();
    updateNote(job);
    const QSize imageSize = imageSizeOf(job);
    const QString id = job->id();
    const QString uri = job->contentUri();
    QPointer<UploadJob> guard(job);
    d->manager->api()
        ->sendEvent(post.roomId, u"m.room.message"_s, post.txnId, contentOf(job, imageSize))
        ->then(this, [this, id, uri, guard](const ApiResult<QString> &result) {
            d->sending.clear();
            auto it = d->posts.find(id);
            if (it == d->posts.end() || !guard)
                return pump();
            Post &post = *it;
            UploadJob *job = guard.data();
            if (!result) {
                retryLater(job, result.error(), &RoomPoster::send);
                return;
            }
            post.state = PostState::Posted;
            post.eventId = *result;
            post.postedUri = job->isEncrypted() ? QString() : uri;
            d->retries.remove(id);
            d->errors.remove(id);
            qCInfo(lcJob).noquote() << job->fileName() << "posted to" << post.roomId;
            const QString eventId = post.eventId;
            if (post.redactWhenSent || job->state() == UploadJob::State::Cancelled)
                redact(job);
            else if (needsReplacement(job, post))
                replace(job); // the ID changed while the message was on its way
            updateNote(job);
            save();
            // Last: a slot may add files, and with them posts (post would dangle).
            Q_EMIT posted(job, eventId);
            pump();
        });
}

bool RoomPoster::needsReplacement(const UploadJob *job, const Post &post) const
{
    return post.state == PostState::Posted && !post.replacing && !post.postedUri.isEmpty()
        && !job->contentUri().isEmpty() && job->contentUri() != post.postedUri
        && job->state() != UploadJob::State::Cancelled;
}

void RoomPoster::replace(UploadJob *job)
{
    // The job got a new media ID after the message went out (the first expired, or the file
    // was retried): the message would point at a URI that never gets content. An edit
    // (m.replace, spec v1.4) points it at the new one; clients show the edited message.
    Post &post = d->posts[job->id()];
    if (job->state() == UploadJob::State::Cancelled || post.state != PostState::Posted) {
        post.replacing = false;
        return;
    }
    if (post.replaceTxnId.isEmpty())
        post.replaceTxnId = MediaApi::newTransactionId();
    post.replacing = true;
    const QJsonObject newContent = contentOf(job, imageSizeOf(job));
    QJsonObject content = newContent;
    content.insert(u"body"_s, QString(u"* "_s + newContent.value(u"body"_s).toString()));
    content.insert(u"m.new_content"_s, newContent);
    content.insert(u"m.relates_to"_s,
        QJsonObject { { u"rel_type"_s, u"m.replace"_s }, { u"event_id"_s, post.eventId } });
    const QString id = job->id();
    const QString uri = job->contentUri();
    QPointer<UploadJob> guard(job);
    qCInfo(lcJob).noquote() << job->fileName() << "has a new content URI; editing the message in"
                            << post.roomId;
    d->manager->api()
        ->sendEvent(post.roomId, u"m.room.message"_s, post.replaceTxnId, content)
        ->then(this, [this, id, uri, guard](const ApiResult<QString> &result) {
            auto it = d->posts.find(id);
            if (it == d->posts.end() || !guard)
                return;
            if (!result) {
                retryLater(guard, result.error(), &RoomPoster::replace);
                return;
            }
            it->postedUri = uri;
            it->replaceTxnId.clear();
            it->replacing = false;
            d->retries.remove(id);
            d->errors.remove(id);
            save();
            if (needsReplacement(guard, *it))
                replace(guard); // changed once more while this edit was on its way
        });
}

void RoomPoster::redact(UploadJob *job)
{
    Post &post = d->posts[job->id()];
    if (post.redactTxnId.isEmpty())
        post.redactTxnId = MediaApi::newTransactionId();
    const QString id = job->id();
    QPointer<UploadJob> guard(job);
    d->manager->api()
        ->redactEvent(post.roomId, post.eventId, post.redactTxnId, tr("The upload was cancelled"))
        ->then(this, [this, id, guard](const ApiResult<QString> &result) {
            auto it = d->posts.find(id);
            if (it == d->posts.end() || !guard)
                return;
            if (!result) {
                retryLater(guard, result.error(), &RoomPoster::redact);
                return;
            }
            it->state = PostState::Redacted;
            d->retries.remove(id);
            d->errors.remove(id);
            const QString eventId = it->eventId;
            updateNote(guard);
            save();
            Q_EMIT redacted(guard, eventId);
        });
}

void RoomPoster::retryLater(
    UploadJob *job, const MatrixError &error, void (RoomPoster::*again)(UploadJob *))
{
    const QString id = job->id();
    auto policy = d->retries.find(id);
    if (policy == d->retries.end())
        policy = d->retries.insert(id, RetryPolicy(d->retrySettings));
    // A refused sign-in is no reason to give the message up: it waits, with its transaction
    // ID, for the new token the host gets (MediaApi::accessTokenChanged), as the uploads do.
    MediaApi *api = d->manager->api();
    const bool waitForToken = error.isUnauthorized() && api->isAccessTokenRejected();
    const std::optional<qint64> delay
        = error.isRetryable() ? policy->nextDelayMs(error.retryAfterMs()) : std::nullopt;
    d->errors.insert(id, error.toString());
    if (!delay && !waitForToken) {
        qCWarning(lcJob).noquote() << job->fileName() << "not posted:" << error.toString();
        d->retries.remove(id);
        if (again == &RoomPoster::replace)
            d->posts[id].replacing = false; // the next content URI change tries again
        if (again == &RoomPoster::send) {
            d->posts[id].state = PostState::Failed;
            d->sending.clear();
            Q_EMIT postFailed(job, error);
        }
        updateNote(job);
        save();
        pump();
        return;
    }
    if (again == &RoomPoster::send)
        d->sending = id; // holds the order while it waits
    updateNote(job);
    QPointer<UploadJob> guard(job);
    auto tryAgain = [this, guard, again] {
        if (!guard) {
            d->sending.clear();
            return pump();
        }
        if (again == &RoomPoster::send && guard->state() == UploadJob::State::Cancelled) {
            // Cancelled while the send waited to be tried again: it never went out.
            d->sending.clear();
            d->posts[guard->id()].state = PostState::Dropped;
            d->retries.remove(guard->id());
            updateNote(guard);
            save();
            return pump();
        }
        (this->*again)(guard);
    };
    if (!waitForToken) {
        QTimer::singleShot(*delay, this, tryAgain);
        return;
    }
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(api, &MediaApi::accessTokenChanged, this, [connection, tryAgain] {
        QObject::disconnect(*connection);
        tryAgain();
    });
}

QString RoomPoster::roomLabel(const Post &post) const
{
    return post.roomName.isEmpty() ? post.roomId : post.roomName;
}

void RoomPoster::updateNote(UploadJob *job)
{
    const Post post = d->posts.value(job->id());
    // A post that ends without its thumbnail (refused, given up, dropped) no longer counts it
    // in the job's progress.
    if (post.state != PostState::Waiting && post.state != PostState::Sending
        && !d->thumbnails.contains(job->id()) && job->attachedBytesSent() == 0)
        job->setAttachedUpload(0, 0);
    const QString room = roomLabel(post);
    QString note;
    switch (post.state) {
    case PostState::None:
        break;
    case PostState::Waiting:
        switch (d->encryptionOf(post.roomId)) {
        case RoomPosterPrivate::Encryption::Unknown:
            note = tr("Will be posted to %1 (asking whether the room is encrypted)").arg(room);
            break;
        case RoomPosterPrivate::Encryption::Encrypted:
            note = tr("%1 is encrypted: the message goes to the client to encrypt when the upload "
                      "completes")
                       .arg(room);
            break;
        case RoomPosterPrivate::Encryption::Plain:
            note = d->when == When::UploadCompleted || job->isEncrypted()
                ? tr("Will be posted to %1 when the upload completes").arg(room)
                : tr("Will be posted to %1").arg(room);
            break;
        }
        break;
    case PostState::HandedToHost:
        note = tr("Handed to the client to encrypt and post to %1").arg(room);
        break;
    case PostState::Sending:
        note = d->errors.contains(job->id())
            ? tr("Posting to %1, trying again (%2)").arg(room, d->errors.value(job->id()))
            : tr("Posting to %1…").arg(room);
        break;
    case PostState::Posted:
        note = job->state() == UploadJob::State::Failed
            ? tr("Posted to %1 before the upload failed: the message shows no file until Retry "
                 "finishes the upload")
                  .arg(room)
            : tr("Posted to %1").arg(room);
        if (job->state() == UploadJob::State::Cancelled) {
            note = d->errors.contains(job->id())
                ? tr("Posted to %1; the upload was cancelled but the message could not be "
                     "removed (%2)")
                      .arg(room, d->errors.value(job->id()))
                : tr("Posted to %1; removing the message, the upload was cancelled").arg(room);
        }
        break;
    case PostState::Failed:
        note = tr("Not posted to %1: %2").arg(room, d->errors.value(job->id()));
        break;
    case PostState::Dropped:
        note = tr("Not posted: the upload was cancelled");
        break;
    case PostState::Redacted:
        note = tr("The message in %1 was removed: the upload was cancelled").arg(room);
        break;
    }
    job->setNote(note);
}

void RoomPoster::load()
{
    if (d->stateFile.isEmpty())
        return;
    QFile file(d->stateFile);
    if (!file.open(QIODevice::ReadOnly))
        return;
    d->saved = file.readAll();
    const QJsonObject all = QJsonDocument::fromJson(d->saved).object();
    // Only posts whose upload can still be resumed; the others ended with their run.
    ResumeStore *records = d->manager->resumeStore();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const Post post = Post::fromJson(it.value().toObject());
        if (post.state != PostState::None && records && records->load(it.key()))
            d->stored.insert(it.key(), post);
    }
}

void RoomPoster::save()
{
    if (d->stateFile.isEmpty())
        return;
    // Only what a later run needs: the posts of uploads that can still be resumed.
    QJsonObject all;
    for (auto it = d->posts.cbegin(); it != d->posts.cend(); ++it) {
        const UploadJob *job = d->manager->job(it.key());
        if (job && !job->isTerminal())
            all.insert(it.key(), it->toJson());
    }
    for (auto it = d->stored.cbegin(); it != d->stored.cend(); ++it)
        all.insert(it.key(), it->toJson()); // not restored (yet): kept for a later run
    const QByteArray bytes = QJsonDocument(all).toJson(QJsonDocument::Compact);
    if (bytes == d->saved)
        return; // most state changes of a job change nothing here
    QDir().mkpath(QFileInfo(d->stateFile).absolutePath());
    QSaveFile file(d->stateFile);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcJob) << "cannot keep the posts to rooms:" << file.errorString();
        return;
    }
    file.write(bytes);
    if (file.commit())
        d->saved = bytes;
    else
        qCWarning(lcJob) << "cannot keep the posts to rooms:" << file.errorString();
}

} // namespace MatrixUpload
