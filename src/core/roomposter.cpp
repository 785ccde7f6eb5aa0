// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "roomposter.h"

#include "api/mediaapi.h"
#include "logging_p.h"
#include "store/resumestore.h"
#include "uploadjob.h"
#include "uploadmanager.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>

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
    };
    return names;
}
} // namespace

QJsonObject RoomPoster::Post::toJson() const
{
    QJsonObject json { { u"room_id"_s, roomId }, { u"room_name"_s, roomName },
        { u"txn_id"_s, txnId }, { u"state"_s, stateNames().value(state) } };
    if (!eventId.isEmpty())
        json.insert(u"event_id"_s, eventId);
    if (!redactTxnId.isEmpty())
        json.insert(u"redact_txn_id"_s, redactTxnId);
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
    post.state = stateNames().key(json.value(u"state"_s).toString(), PostState::None);
    if (!post.roomId.startsWith(u'!') || post.txnId.isEmpty()
        || (post.state == PostState::Posted && post.eventId.isEmpty()))
        post.state = PostState::None;
    return post;
}

RoomPoster::RoomPoster(UploadManager *manager, const QString &stateFile, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_stateFile(stateFile)
{
    m_retrySettings.maxAttempts = 6;
    m_retrySettings.maxTotalWaitMs = 5 * 60 * 1000;
    load();
    for (UploadJob *job : manager->jobs())
        adopt(job);
    connect(manager, &UploadManager::jobAdded, this, &RoomPoster::adopt);
    connect(manager, &UploadManager::jobAboutToBeRemoved, this, [this](UploadJob *job) {
        // remove() cancels first, so a sent message is being redacted by now.
        m_order.removeAll(job->id());
        save();
    });
}

RoomPoster::~RoomPoster() = default;

void RoomPoster::setRoom(const QString &roomId, const QString &name)
{
    m_roomId = roomId;
    m_roomName = name;
    if (name.isEmpty())
        return;
    // The name arrived after the files (it is asked for while they start): notes use it.
    for (auto it = m_posts.begin(); it != m_posts.end(); ++it) {
        if (it->roomId != roomId || it->roomName == name)
            continue;
        it->roomName = name;
        if (UploadJob *job = m_manager->job(it.key()))
            updateNote(job);
    }
}

RoomPoster::PostState RoomPoster::postState(const QString &jobId) const
{
    return m_posts.value(jobId).state;
}

QString RoomPoster::eventId(const QString &jobId) const
{
    return m_posts.value(jobId).eventId;
}

QString RoomPoster::roomOf(const QString &jobId) const
{
    return m_posts.value(jobId).roomId;
}

QString RoomPoster::msgtypeFor(const QString &mediaType)
{
    if (mediaType.startsWith(u"image/"_s))
        return u"m.image"_s;
    if (mediaType.startsWith(u"video/"_s))
        return u"m.video"_s;
    if (mediaType.startsWith(u"audio/"_s))
        return u"m.audio"_s;
    return u"m.file"_s;
}

QJsonObject RoomPoster::messageContent(const UploadJob *job, QSize imageSize)
{
    const QString type
        = job->mediaType().isEmpty() ? u"application/octet-stream"_s : job->mediaType();
    QJsonObject info { { u"mimetype"_s, type } };
    if (job->size() >= 0)
        info.insert(u"size"_s, job->size());
    const QString msgtype = msgtypeFor(type);
    if (msgtype == u"m.image"_s && imageSize.isValid() && !imageSize.isEmpty()) {
        info.insert(u"w"_s, imageSize.width());
        info.insert(u"h"_s, imageSize.height());
    }
    return { { u"msgtype"_s, msgtype }, { u"body"_s, job->fileName() },
        { u"url"_s, job->contentUri() }, { u"info"_s, info } };
}

void RoomPoster::adopt(UploadJob *job)
{
    Post post;
    if (m_stored.contains(job->id())) {
        post = m_stored.take(job->id()); // a restored job: its post as the last run left it
    } else if (!m_roomId.isEmpty() && !job->isRestored()) {
        // Only files added now: an upload of an earlier run that posted nowhere stays so.
        post.roomId = m_roomId;
        post.roomName = m_roomName;
        post.txnId = MediaApi::newTransactionId();
        post.state = PostState::Waiting;
    }
    if (post.state == PostState::None)
        return;
    m_posts.insert(job->id(), post);
    if (post.state == PostState::Waiting)
        m_order.append(job->id());
    connect(job, &UploadJob::stateChanged, this, [this, job] { onJobChanged(job); });
    connect(job, &UploadJob::contentUriChanged, this, [this, job] { onJobChanged(job); });
    updateNote(job);
    save();
    onJobChanged(job);
}

void RoomPoster::onJobChanged(UploadJob *job)
{
    auto it = m_posts.find(job->id());
    if (it == m_posts.end())
        return;
    Post &post = *it;
    if (job->state() == UploadJob::State::Cancelled) {
        switch (post.state) {
        case PostState::Waiting:
            post.state = PostState::Dropped;
            m_order.removeAll(job->id());
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
    } else if (post.state == PostState::Waiting && !m_order.contains(job->id())) {
        m_order.append(job->id()); // a failed job that was retried
    }
    updateNote(job);
    save();
    if (!m_pumpQueued) {
        m_pumpQueued = true;
        QTimer::singleShot(0, this, &RoomPoster::pump);
    }
}

void RoomPoster::pump()
{
    m_pumpQueued = false;
    if (!m_sending.isEmpty())
        return;
    for (qsizetype i = 0; i < m_order.size();) {
        const QString id = m_order.at(i);
        UploadJob *job = m_manager->job(id);
        if (!job || m_posts.value(id).state != PostState::Waiting) {
            m_order.removeAt(i);
            continue;
        }
        const auto state = job->state();
        const bool ready = m_when == When::ContentUriKnown
            ? !job->contentUri().isEmpty() && state != UploadJob::State::Cancelled
            : state == UploadJob::State::Completed;
        if (ready) {
            send(job);
            return;
        }
        // Messages go out in the order the files were added: a file whose upload has no
        // content URI yet holds back the ones behind it, unless it failed (Retry queues it
        // again) or the order is the order of completion.
        if (m_when == When::ContentUriKnown && state != UploadJob::State::Failed)
            return;
        ++i;
    }
}

void RoomPoster::send(UploadJob *job)
{
    Post &post = m_posts[job->id()];
    post.state = PostState::Sending;
    m_sending = job->id();
    updateNote(job);
    const QSize imageSize = m_imageSize && msgtypeFor(job->mediaType()) == u"m.image"_s
        ? m_imageSize(job->filePath())
        : QSize();
    const QString id = job->id();
    QPointer<UploadJob> guard(job);
    m_manager->api()
        ->sendEvent(post.roomId, u"m.room.message"_s, post.txnId, messageContent(job, imageSize))
        ->then(this, [this, id, guard](const ApiResult<QString> &result) {
            m_sending.clear();
            auto it = m_posts.find(id);
            if (it == m_posts.end() || !guard)
                return pump();
            Post &post = *it;
            UploadJob *job = guard.data();
            if (!result) {
                retryLater(job, result.error(), &RoomPoster::send);
                return;
            }
            post.state = PostState::Posted;
            post.eventId = *result;
            m_retries.remove(id);
            m_errors.remove(id);
            qCInfo(lcJob).noquote() << job->fileName() << "posted to" << post.roomId;
            const QString eventId = post.eventId;
            if (post.redactWhenSent || job->state() == UploadJob::State::Cancelled)
                redact(job);
            updateNote(job);
            save();
            // Last: a slot may add files, and with them posts (post would dangle).
            Q_EMIT posted(job, eventId);
            pump();
        });
}

void RoomPoster::redact(UploadJob *job)
{
    Post &post = m_posts[job->id()];
    if (post.redactTxnId.isEmpty())
        post.redactTxnId = MediaApi::newTransactionId();
    const QString id = job->id();
    QPointer<UploadJob> guard(job);
    m_manager->api()
        ->redactEvent(post.roomId, post.eventId, post.redactTxnId, tr("The upload was cancelled"))
        ->then(this, [this, id, guard](const ApiResult<QString> &result) {
            auto it = m_posts.find(id);
            if (it == m_posts.end() || !guard)
                return;
            if (!result) {
                retryLater(guard, result.error(), &RoomPoster::redact);
                return;
            }
            it->state = PostState::Redacted;
            m_retries.remove(id);
            m_errors.remove(id);
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
    auto policy = m_retries.find(id);
    if (policy == m_retries.end())
        policy = m_retries.insert(id, RetryPolicy(m_retrySettings));
    const std::optional<qint64> delay
        = error.isRetryable() ? policy->nextDelayMs(error.retryAfterMs()) : std::nullopt;
    m_errors.insert(id, error.toString());
    if (!delay) {
        qCWarning(lcJob).noquote() << job->fileName() << "not posted:" << error.toString();
        m_retries.remove(id);
        if (again == &RoomPoster::send) {
            m_posts[id].state = PostState::Failed;
            m_sending.clear();
            Q_EMIT postFailed(job, error);
        }
        updateNote(job);
        save();
        pump();
        return;
    }
    if (again == &RoomPoster::send)
        m_sending = id; // holds the order while it waits
    updateNote(job);
    QPointer<UploadJob> guard(job);
    QTimer::singleShot(*delay, this, [this, guard, again] {
        if (!guard) {
            m_sending.clear();
            return pump();
        }
        if (again == &RoomPoster::send && guard->state() == UploadJob::State::Cancelled) {
            // Cancelled while the send waited to be tried again: it never went out.
            m_sending.clear();
            m_posts[guard->id()].state = PostState::Dropped;
            m_retries.remove(guard->id());
            updateNote(guard);
            save();
            return pump();
        }
        (this->*again)(guard);
    });
}

QString RoomPoster::roomLabel(const Post &post) const
{
    return post.roomName.isEmpty() ? post.roomId : post.roomName;
}

void RoomPoster::updateNote(UploadJob *job)
{
    const Post post = m_posts.value(job->id());
    const QString room = roomLabel(post);
    QString note;
    switch (post.state) {
    case PostState::None:
        break;
    case PostState::Waiting:
        note = m_when == When::UploadCompleted
            ? tr("Will be posted to %1 when the upload completes").arg(room)
            : tr("Will be posted to %1").arg(room);
        break;
    case PostState::Sending:
        note = m_errors.contains(job->id())
            ? tr("Posting to %1, trying again (%2)").arg(room, m_errors.value(job->id()))
            : tr("Posting to %1…").arg(room);
        break;
    case PostState::Posted:
        note = job->state() == UploadJob::State::Failed
            ? tr("Posted to %1 before the upload failed: the message shows no file until Retry "
                 "finishes the upload")
                  .arg(room)
            : tr("Posted to %1").arg(room);
        if (job->state() == UploadJob::State::Cancelled) {
            note = m_errors.contains(job->id())
                ? tr("Posted to %1; the upload was cancelled but the message could not be "
                     "removed (%2)")
                      .arg(room, m_errors.value(job->id()))
                : tr("Posted to %1; removing the message, the upload was cancelled").arg(room);
        }
        break;
    case PostState::Failed:
        note = tr("Not posted to %1: %2").arg(room, m_errors.value(job->id()));
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
    if (m_stateFile.isEmpty())
        return;
    QFile file(m_stateFile);
    if (!file.open(QIODevice::ReadOnly))
        return;
    m_saved = file.readAll();
    const QJsonObject all = QJsonDocument::fromJson(m_saved).object();
    // Only posts whose upload can still be resumed; the others ended with their run.
    ResumeStore *records = m_manager->resumeStore();
    for (auto it = all.begin(); it != all.end(); ++it) {
        const Post post = Post::fromJson(it.value().toObject());
        if (post.state != PostState::None && records && records->load(it.key()))
            m_stored.insert(it.key(), post);
    }
}

void RoomPoster::save()
{
    if (m_stateFile.isEmpty())
        return;
    // Only what a later run needs: the posts of uploads that can still be resumed.
    QJsonObject all;
    for (auto it = m_posts.cbegin(); it != m_posts.cend(); ++it) {
        const UploadJob *job = m_manager->job(it.key());
        if (job && !job->isTerminal())
            all.insert(it.key(), it->toJson());
    }
    for (auto it = m_stored.cbegin(); it != m_stored.cend(); ++it)
        all.insert(it.key(), it->toJson()); // not restored (yet): kept for a later run
    const QByteArray bytes = QJsonDocument(all).toJson(QJsonDocument::Compact);
    if (bytes == m_saved)
        return; // most state changes of a job change nothing here
    QDir().mkpath(QFileInfo(m_stateFile).absolutePath());
    QSaveFile file(m_stateFile);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcJob) << "cannot keep the posts to rooms:" << file.errorString();
        return;
    }
    file.write(bytes);
    if (file.commit())
        m_saved = bytes;
    else
        qCWarning(lcJob) << "cannot keep the posts to rooms:" << file.errorString();
}

} // namespace MatrixUpload
