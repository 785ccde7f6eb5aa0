// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadlistmodel.h"

#include "mediadescription.h"
#include "uploadjob.h"
#include "uploadmanager.h"

#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

class UploadListModelPrivate
{
public:
    QPointer<UploadManager> manager;
    QList<UploadJob *> jobs;
    //! Each job's row, so that finding one costs O(1): a flush looks up every changed job.
    //! Removing a row does not renumber every row after it at once (removing thousands of
    //! finished rows one by one would cost the square of their number): an entry may be up to
    //! `staleBy` too high, and rowOf() looks down from it. Renumbered in one pass when that
    //! search could grow long.
    mutable QHash<const UploadJob *, int> rows;
    mutable int staleBy = 0;
    static constexpr int maxStale = 64;
    void renumber() const
    {
        for (int i = 0; i < jobs.size(); ++i)
            rows[jobs.at(i)] = i;
        staleBy = 0;
    }
    QSet<UploadJob *> dirty;
    QTimer flush;

    //! A flush with more separate runs of changed rows than this says "rows first to last
    //! changed" once: a view repaints what it shows either way, and a listener pays per signal.
    static constexpr int maxRangesPerFlush = 8;
};

UploadListModel::UploadListModel(QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<UploadListModelPrivate>())
{
    d->flush.setInterval(UploadManager::updateIntervalMs); // per row, at most
    d->flush.setSingleShot(true);
    connect(&d->flush, &QTimer::timeout, this, &UploadListModel::flush);
}

UploadListModel::UploadListModel(UploadManager *manager, QObject *parent)
    : UploadListModel(parent)
{
    setManager(manager);
}

UploadListModel::~UploadListModel() = default;

UploadManager *UploadListModel::manager() const
{
    return d->manager;
}

void UploadListModel::setManager(UploadManager *manager)
{
    if (manager == d->manager)
        return;
    beginResetModel();
    if (d->manager)
        d->manager->disconnect(this);
    for (UploadJob *job : std::as_const(d->jobs))
        job->disconnect(this);
    d->jobs.clear();
    d->rows.clear();
    d->staleBy = 0;
    d->dirty.clear();
    d->manager = manager;
    if (d->manager) {
        for (UploadJob *job : d->manager->jobs())
            add(job);
        connect(d->manager, &UploadManager::jobAdded, this, [this](UploadJob *job) {
            beginInsertRows({}, int(d->jobs.size()), int(d->jobs.size()));
            add(job);
            endInsertRows();
            Q_EMIT countChanged();
        });
        connect(d->manager, &UploadManager::jobAboutToBeRemoved, this, [this](UploadJob *job) {
            const int row = rowOf(job);
            if (row < 0)
                return;
            beginRemoveRows({}, row, row);
            job->disconnect(this);
            d->jobs.removeAt(row);
            d->rows.remove(job);
            if (row < d->jobs.size() && ++d->staleBy > UploadListModelPrivate::maxStale)
                d->renumber();
            d->dirty.remove(job);
            endRemoveRows();
            Q_EMIT countChanged();
        });
        // Not setManager(nullptr): by now d->manager (a QPointer) is already null, so that would
        // return at once, and the manager has deleted its jobs, so they must not be touched.
        connect(d->manager, &QObject::destroyed, this, [this] {
            beginResetModel();
            d->jobs.clear();
            d->rows.clear();
            d->staleBy = 0;
            d->dirty.clear();
            d->manager = nullptr;
            endResetModel();
            Q_EMIT managerChanged();
            Q_EMIT countChanged();
        });
    }
    endResetModel();
    Q_EMIT managerChanged();
    Q_EMIT countChanged();
}

void UploadListModel::add(UploadJob *job)
{
    d->rows.insert(job, int(d->jobs.size()));
    d->jobs.append(job);
    auto dirty = [this, job] { markDirty(job); };
    // Every property whose value a role shows; progressChanged covers bytesSent and size.
    connect(job, &UploadJob::stateChanged, this, dirty);
    connect(job, &UploadJob::progressChanged, this, dirty);
    connect(job, &UploadJob::bytesPerSecondChanged, this, dirty);
    connect(job, &UploadJob::mediaTypeChanged, this, dirty);
    connect(job, &UploadJob::contentUriChanged, this, dirty);
    connect(job, &UploadJob::routeChanged, this, dirty);
    connect(job, &UploadJob::protocolChanged, this, dirty);
    connect(job, &UploadJob::fallbackReasonChanged, this, dirty);
    connect(job, &UploadJob::errorChanged, this, dirty);
    connect(job, &UploadJob::errorStringChanged, this, dirty);
    connect(job, &UploadJob::verifiedChanged, this, dirty);
    connect(job, &UploadJob::noteChanged, this, dirty);
    connect(job, &UploadJob::encryptedChanged, this, dirty);
    connect(job, &UploadJob::mediaDescriptionChanged, this, dirty);
}

void UploadListModel::markDirty(UploadJob *job)
{
    d->dirty.insert(job);
    if (!d->flush.isActive())
        d->flush.start();
}

void UploadListModel::flush()
{
    const QSet<UploadJob *> dirty = std::exchange(d->dirty, {});
    QList<int> rows;
    rows.reserve(dirty.size());
    for (UploadJob *job : dirty) {
        const int row = rowOf(job);
        if (row >= 0)
            rows.append(row);
    }
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    // Runs of neighbouring rows, each one dataChanged(): with thousands of small uploads, most
    // rows that change in one interval are neighbours (the queue moves down the list).
    QList<std::pair<int, int>> runs;
    for (const int row : std::as_const(rows)) {
        if (!runs.isEmpty() && runs.last().second + 1 == row)
            runs.last().second = row;
        else
            runs.append({ row, row });
    }
    if (runs.size() > UploadListModelPrivate::maxRangesPerFlush) {
        Q_EMIT dataChanged(index(runs.first().first), index(runs.last().second));
        return;
    }
    for (const auto &[first, last] : std::as_const(runs))
        Q_EMIT dataChanged(index(first), index(last));
}

UploadJob *UploadListModel::jobAt(int row) const
{
    return row >= 0 && row < d->jobs.size() ? d->jobs.at(row) : nullptr;
}

int UploadListModel::rowOf(const UploadJob *job) const
{
    const auto it = d->rows.find(job);
    if (it == d->rows.end())
        return -1;
    // The entry is the row, or at most staleBy above it (rows removed before it since).
    const int high = std::min(*it, int(d->jobs.size()) - 1);
    for (int row = high; row >= 0 && row >= *it - d->staleBy; --row) {
        if (d->jobs.at(row) == job) {
            *it = row;
            return row;
        }
    }
    d->renumber(); // not reached while the bound holds
    return d->rows.value(job, -1);
}

int UploadListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(d->jobs.size());
}

QString UploadListModel::stateText(const UploadJob *job)
{
    using State = UploadJob::State;
    switch (job->state()) {
    case State::Queued:
        return tr("Waiting");
    case State::Preparing:
        return tr("Checking the file");
    case State::Creating:
        return tr("Asking the server for an address");
    case State::Uploading:
        return tr("Uploading");
    case State::Paused:
        return tr("Paused");
    case State::WaitingToRetry:
        return tr("Retrying in %n s", nullptr, int((job->retryDelayMs() + 999) / 1000));
    case State::WaitingForToken:
        return tr("Waiting for sign-in");
    case State::Finalizing:
        return tr("Finishing");
    case State::Completed:
        return tr("Done");
    case State::Failed:
        return tr("Failed");
    case State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QString UploadListModel::routeText(const UploadJob *job)
{
    switch (job->route()) {
    case UploadJob::Route::UploadUrl:
        return tr("direct to storage");
    case UploadJob::Route::ContentUri:
    case UploadJob::Route::Legacy:
        return job->fallbackReason().isEmpty()
            ? tr("through the homeserver")
            : tr("through the homeserver (%1)").arg(job->fallbackReason());
    case UploadJob::Route::Undecided:
        break;
    }
    return {};
}

QVariant UploadListModel::data(const QModelIndex &index, int role) const
{
    const UploadJob *job = jobAt(index.row());
    if (!job || index.parent().isValid())
        return {};
    using State = UploadJob::State;
    switch (role) {
    case Qt::DisplayRole:
    case FileNameRole:
        return job->fileName();
    case Qt::ToolTipRole: {
        QString tip = job->filePath() + u"\n"_s + stateText(job);
        if (!job->errorString().isEmpty())
            tip += u"\n"_s + job->errorString();
        if (!routeText(job).isEmpty())
            tip += u"\n"_s + routeText(job);
        if (!job->note().isEmpty())
            tip += u"\n"_s + job->note();
        return tip;
    }
    case JobIdRole:
        return job->id();
    case FilePathRole:
        return job->filePath();
    case MediaTypeRole:
        return job->mediaType();
    case SizeRole:
        return job->size();
    case StateRole:
        return int(job->state());
    case StateTextRole:
        return stateText(job);
    case ProgressRole: {
        // The file and its thumbnail (UploadJob::setAttachedUpload()), a second upload tied
        // to it: the row is done once both are.
        const qint64 attached = job->attachedBytes();
        if (job->state() == State::Completed && job->attachedBytesSent() >= attached)
            return 1.0;
        const qint64 size = std::max<qint64>(0, job->size());
        const qint64 sent = (job->state() == State::Completed ? size : job->bytesSent())
            + job->attachedBytesSent();
        return size + attached > 0 ? double(sent) / double(size + attached) : 0.0;
    }
    case BytesSentRole:
        return job->bytesSent();
    case SpeedRole:
        return job->bytesPerSecond();
    case TimeLeftRole: {
        const double speed = job->bytesPerSecond();
        if (speed <= 0 || job->size() < 0)
            return -1;
        return qint64(double(job->size() - job->bytesSent()) / speed + 0.5);
    }
    case ProtocolRole:
        return job->protocol();
    case RouteRole:
        return int(job->route());
    case RouteTextRole:
        return routeText(job);
    case FallbackReasonRole:
        return job->fallbackReason();
    case ContentUriRole:
        return job->contentUri();
    case ErrorRole:
        return int(job->error());
    case ErrorStringRole:
        return job->errorString();
    case NoteRole:
        return job->note();
    case VerifiedRole:
        return job->isVerified();
    case EncryptedRole:
        return job->isEncrypted();
    case ThumbnailRole:
        return job->mediaDescription().thumbnail;
    case PictureUrlRole: {
        const MediaDescription description = job->mediaDescription();
        if (!description.thumbnail.isEmpty()) {
            // A few kilobytes (MediaInfoReader makes it): a URL QML's Image reads as it is.
            QUrl url;
            url.setScheme(u"data"_s);
            url.setPath(description.thumbnailMimeType + u";base64,"_s
                + QString::fromLatin1(description.thumbnail.toBase64()));
            return url;
        }
        if (job->mediaType().startsWith(u"image/"_s) && !job->filePath().isEmpty())
            return QUrl::fromLocalFile(job->filePath());
        return QUrl();
    }
    case AdviceRole:
        return job->state() == State::Failed ? advice(job->error()) : QString();
    case CanPauseRole:
        return job->isActive() || job->state() == State::Queued;
    case CanResumeRole:
        return job->state() == State::Paused;
    case CanRetryRole:
        return job->state() == State::Failed;
    case CanCancelRole:
        return !job->isTerminal();
    default:
        return {};
    }
}

QHash<int, QByteArray> UploadListModel::roleNames() const
{
    return {
        { Qt::DisplayRole, "display" },
        { Qt::ToolTipRole, "toolTip" },
        { JobIdRole, "jobId" },
        { FileNameRole, "fileName" },
        { FilePathRole, "filePath" },
        { MediaTypeRole, "mediaType" },
        { SizeRole, "size" },
        { StateRole, "state" },
        { StateTextRole, "stateText" },
        { ProgressRole, "progress" },
        { BytesSentRole, "bytesSent" },
        { SpeedRole, "speed" },
        { TimeLeftRole, "timeLeft" },
        { ProtocolRole, "protocol" },
        { RouteRole, "route" },
        { RouteTextRole, "routeText" },
        { FallbackReasonRole, "fallbackReason" },
        { ContentUriRole, "contentUri" },
        { ErrorRole, "error" },
        { ErrorStringRole, "errorString" },
        { CanPauseRole, "canPause" },
        { CanResumeRole, "canResume" },
        { CanRetryRole, "canRetry" },
        { CanCancelRole, "canCancel" },
        { NoteRole, "note" },
        { VerifiedRole, "verified" },
        { EncryptedRole, "encrypted" },
        { ThumbnailRole, "thumbnail" },
        { PictureUrlRole, "pictureUrl" },
        { AdviceRole, "advice" },
    };
}

QString UploadListModel::advice(UploadJob::Error error)
{
    using Error = UploadJob::Error;
    switch (error) {
    case Error::None:
        return {};
    case Error::FileMissing:
    case Error::NotAFile:
        return tr("Check where the file went, then add it again.");
    case Error::FileUnreadable:
        return tr("Make the file readable, then Retry.");
    case Error::TooLarge:
        return tr("Send a smaller file, or share this one another way.");
    case Error::FileChanged:
        return tr("Remove this row and add the file again.");
    case Error::Unauthorized:
        return tr("Sign in again, then Retry.");
    case Error::Refused:
        return tr("The server will not take this file; Remove it.");
    case Error::Network:
        // Gave up after retries with no answer at all (a server that answered stays Server).
        return tr("Check the connection, or wait a while, then Retry.");
    case Error::Server:
        return tr("Try again later with Retry.");
    case Error::SourceUnavailable:
        return tr("Remove this row and add the data again.");
    case Error::SizeUnknown:
        return tr("The program that added it has to give its size.");
    }
    return {};
}

QString UploadListModel::formatSize(qint64 bytes)
{
    if (bytes < 0)
        return {};
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString UploadListModel::formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace MatrixUpload
