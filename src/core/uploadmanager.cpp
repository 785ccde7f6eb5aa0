// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadmanager.h"

#include "api/mediaapi.h"
#include "logging_p.h"
#include "store/resumestore.h"
#include "transfer/transfer_p.h"

#include <QSet>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

class UploadManagerPrivate
{
public:
    MediaApi *api = nullptr;
    ResumeStore *store = nullptr;
    SecretStore *secrets = nullptr;
    UploadContext context() const { return { api, uploadNam, store, secrets }; }
    QNetworkAccessManager *uploadNam = nullptr;
    UploadOptions options;
    int maxParallel = 3;
    QList<UploadJob *> jobs;
    QSet<QString> held; //!< IDs of Queued jobs hold() keeps back
    enum class Config { Unknown, Fetching, Known } config = Config::Unknown;
    bool scheduling = false;
    QTimer *progressTotals = nullptr; //!< coalesces totalsChanged() for progress
    //! idle() was emitted and no job has been queued or active since: one signal per transition.
    bool idleSignalled = true;
};

UploadManager::UploadManager(MediaApi *api, ResumeStore *store, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<UploadManagerPrivate>())
{
    d->api = api;
    d->store = store;
    // Upload URLs go through the proxy the host set for its own requests.
    d->uploadNam = uploadUrlNetworkManager(this, api ? api->networkAccessManager() : nullptr);
    d->progressTotals = new QTimer(this);
    d->progressTotals->setSingleShot(true);
    d->progressTotals->setInterval(updateIntervalMs);
    connect(d->progressTotals, &QTimer::timeout, this, &UploadManager::totalsChanged);
}

UploadManager::~UploadManager()
{
    // Jobs stop where they are: their records stay, so a later run can resume them.
    for (UploadJob *job : std::as_const(d->jobs))
        job->disconnect(this);
    qDeleteAll(d->jobs);
}

MediaApi *UploadManager::api() const
{
    return d->api;
}

ResumeStore *UploadManager::resumeStore() const
{
    return d->store;
}

void UploadManager::setSecretStore(SecretStore *store)
{
    d->secrets = store;
}

SecretStore *UploadManager::secretStore() const
{
    return d->secrets;
}

void UploadManager::setOptions(const UploadOptions &options)
{
    d->options = options;
}

UploadOptions UploadManager::options() const
{
    return d->options;
}

int UploadManager::maxParallel() const
{
    return d->maxParallel;
}

QList<UploadJob *> UploadManager::jobs() const
{
    return d->jobs;
}

int UploadManager::count() const
{
    return int(d->jobs.size());
}

void UploadManager::setMaxParallel(int count)
{
    count = std::max(1, count);
    if (count == d->maxParallel)
        return;
    d->maxParallel = count;
    Q_EMIT maxParallelChanged();
    schedule();
}

QList<UploadJob *> UploadManager::enqueue(const QStringList &paths)
{
    QList<UploadJob *> added;
    for (const QString &path : paths)
        added.append(enqueue(path));
    return added;
}

UploadJob *UploadManager::enqueue(const QString &path)
{
    auto *job = new UploadJob(path, d->context(), d->options, this);
    adopt(job);
    return job;
}

UploadJob *UploadManager::enqueue(const QString &path, const UploadMetadata &metadata)
{
    auto *job = new UploadJob(path, metadata, d->context(), d->options, this);
    adopt(job);
    return job;
}

UploadJob *UploadManager::enqueue(
    QIODevice *device, const QString &fileName, const QString &mediaType)
{
    UploadMetadata metadata;
    metadata.fileName = fileName;
    metadata.mediaType = mediaType;
    return enqueue(device, metadata);
}

UploadJob *UploadManager::enqueue(QIODevice *device, const UploadMetadata &metadata)
{
    auto *job = new UploadJob(device, metadata, d->context(), d->options, this);
    adopt(job);
    return job;
}

UploadJob *UploadManager::enqueue(
    const QByteArray &data, const QString &fileName, const QString &mediaType)
{
    UploadMetadata metadata;
    metadata.fileName = fileName;
    metadata.mediaType = mediaType;
    return enqueue(data, metadata);
}

UploadJob *UploadManager::enqueue(const QByteArray &data, const UploadMetadata &metadata)
{
    auto *job = new UploadJob(data, metadata, d->context(), d->options, this);
    adopt(job);
    return job;
}

QList<UploadJob *> UploadManager::restore()
{
    QList<UploadJob *> restored;
    if (!d->store)
        return restored;
    const QUrl homeserver = d->api->homeserver();
    for (const ResumeRecord &record : d->store->loadAll()) {
        // Another account's or server's uploads are not ours to continue: a record names its
        // user unless it was made without knowing (an older one, or a bare access token).
        if (record.homeserver.adjusted(QUrl::StripTrailingSlash)
                != homeserver.adjusted(QUrl::StripTrailingSlash)
            || (!record.userId.isEmpty() && record.userId != d->api->userId()) || job(record.id))
            continue;
        auto *job = new UploadJob(record, d->context(), d->options, this);
        adopt(job);
        restored.append(job);
    }
    return restored;
}

void UploadManager::adopt(UploadJob *job)
{
    d->jobs.append(job);
    if (job->state() == UploadJob::State::Queued)
        d->idleSignalled = false;
    connect(job, &UploadJob::stateChanged, this, [this, job] {
        if (job->state() == UploadJob::State::Queued || job->isActive())
            d->idleSignalled = false;
        Q_EMIT totalsChanged();
        // Later, not inside the job's own state change: a slot may have come free.
        QTimer::singleShot(0, this, &UploadManager::schedule);
    });
    connect(job, &UploadJob::progressChanged, this, [this] {
        if (!d->progressTotals->isActive())
            d->progressTotals->start();
    });
    connect(job, &UploadJob::finished, this, [this, job] { Q_EMIT jobFinished(job); });
    Q_EMIT jobAdded(job);
    Q_EMIT totalsChanged();
    QTimer::singleShot(0, this, &UploadManager::schedule);
}

UploadJob *UploadManager::job(const QString &id) const
{
    for (UploadJob *job : d->jobs) {
        if (job->id() == id)
            return job;
    }
    return nullptr;
}

void UploadManager::schedule()
{
    if (d->scheduling)
        return;
    const bool anyQueued = std::any_of(d->jobs.cbegin(), d->jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Queued; });
    if (anyQueued && d->config == UploadManagerPrivate::Config::Unknown) {
        // m.upload.size once per manager, before the first file goes: preflight refuses a file
        // that is too large without sending a byte (protocol.md 2).
        d->config = UploadManagerPrivate::Config::Fetching;
        d->api->mediaConfig()->then(this, [this](const ApiResult<MediaConfig> &config) {
            if (config)
                d->options.maxUploadSize = config->maxUploadSize;
            else
                qCInfo(lcJob) << "no media config:" << config.error().toString();
            for (UploadJob *job : std::as_const(d->jobs)) {
                UploadOptions o = job->options();
                o.maxUploadSize = d->options.maxUploadSize;
                job->setOptions(o);
            }
            d->config = UploadManagerPrivate::Config::Known;
            schedule();
        });
        return;
    }
    if (d->config != UploadManagerPrivate::Config::Known)
        return;
    d->scheduling = true;
    int active = activeCount();
    for (UploadJob *job : std::as_const(d->jobs)) {
        if (active >= d->maxParallel)
            break;
        if (job->state() == UploadJob::State::Queued && !d->held.contains(job->id())) {
            job->start();
            if (job->isActive())
                ++active;
        }
    }
    d->scheduling = false;
    // Every state change schedules: without the flag, pausing or cancelling n jobs at once
    // would say idle() n times.
    if (!d->idleSignalled && isIdle()) {
        d->idleSignalled = true;
        Q_EMIT idle();
    }
}

void UploadManager::pause(const QString &id)
{
    if (UploadJob *j = job(id))
        j->pause();
}

void UploadManager::resume(const QString &id)
{
    if (UploadJob *j = job(id))
        j->resume();
}

void UploadManager::cancel(const QString &id)
{
    if (UploadJob *j = job(id))
        j->cancel();
}

void UploadManager::retry(const QString &id)
{
    if (UploadJob *j = job(id))
        j->retry();
}

void UploadManager::remove(const QString &id)
{
    UploadJob *j = job(id);
    if (!j)
        return;
    j->cancel();
    Q_EMIT jobAboutToBeRemoved(j);
    d->jobs.removeOne(j);
    d->held.remove(j->id());
    j->disconnect(this);
    j->deleteLater();
    Q_EMIT totalsChanged();
}

void UploadManager::pauseAll()
{
    // Queued ones first: pausing an active one frees a slot the next queued one would take.
    for (UploadJob *j : std::as_const(d->jobs)) {
        if (j->state() == UploadJob::State::Queued)
            j->pause();
    }
    for (UploadJob *j : std::as_const(d->jobs))
        j->pause();
}

void UploadManager::resumeAll()
{
    for (UploadJob *j : std::as_const(d->jobs))
        j->resume();
}

void UploadManager::cancelAll()
{
    for (UploadJob *j : std::as_const(d->jobs))
        j->cancel();
}

void UploadManager::clearFinished()
{
    const QList<UploadJob *> all = d->jobs;
    for (UploadJob *j : all) {
        if (j->state() == UploadJob::State::Completed || j->state() == UploadJob::State::Cancelled)
            remove(j->id());
    }
}

qint64 UploadManager::totalBytes() const
{
    qint64 total = 0;
    for (const UploadJob *j : d->jobs) {
        if (j->state() != UploadJob::State::Cancelled)
            total += std::max<qint64>(0, j->size()) + j->attachedBytes(); // and its thumbnail
    }
    return total;
}

qint64 UploadManager::sentBytes() const
{
    qint64 sent = 0;
    for (const UploadJob *j : d->jobs) {
        if (j->state() != UploadJob::State::Cancelled)
            sent += j->bytesSent() + j->attachedBytesSent();
    }
    return sent;
}

double UploadManager::bytesPerSecond() const
{
    double speed = 0;
    for (const UploadJob *j : d->jobs)
        speed += j->bytesPerSecond();
    return speed;
}

int UploadManager::activeCount() const
{
    return int(std::count_if(
        d->jobs.cbegin(), d->jobs.cend(), [](const UploadJob *j) { return j->isActive(); }));
}

int UploadManager::completedCount() const
{
    return int(std::count_if(d->jobs.cbegin(), d->jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Completed; }));
}

int UploadManager::failedCount() const
{
    return int(std::count_if(d->jobs.cbegin(), d->jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Failed; }));
}

void UploadManager::hold(const QString &jobId)
{
    d->held.insert(jobId);
}

void UploadManager::release(const QString &jobId)
{
    if (d->held.remove(jobId))
        QTimer::singleShot(0, this, &UploadManager::schedule);
}

bool UploadManager::isHeld(const QString &jobId) const
{
    return d->held.contains(jobId);
}

bool UploadManager::isIdle() const
{
    return std::none_of(d->jobs.cbegin(), d->jobs.cend(),
        [](const UploadJob *j) { return j->isActive() || j->state() == UploadJob::State::Queued; });
}

} // namespace MatrixUpload
