// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadmanager.h"

#include "api/mediaapi.h"
#include "logging_p.h"
#include "store/resumestore.h"
#include "transfer/transfer_p.h"
#include "uploadmanager_p.h"

#include <QHash>
#include <QSet>
#include <QTimer>

#include <array>
#include <map>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

class UploadManagerPrivate
{
public:
    using State = UploadJob::State;
    static constexpr int stateCount = int(State::Cancelled) + 1;

    //! What the counters below hold of one job, as it was last counted: the difference to the
    //! job's values now is what a change adds, so each change costs O(1) (or O(log n) for the
    //! ordered sets), never a walk over every job.
    struct Entry
    {
        quint64 order = 0; //!< position in `jobs` (enqueue order), the key of the sets below
        State state = State::Queued;
        bool active = false;
        bool waiting = false; //!< in `waiting`
        bool moving = false; //!< in `moving`
        qint64 total = 0; //!< counted in totalBytes
        qint64 sent = 0; //!< counted in sentBytes
    };

    MediaApi *api = nullptr;
    ResumeStore *store = nullptr;
    SecretStore *secrets = nullptr;
    UploadContext context() const { return { api, uploadNam, store, secrets }; }
    QNetworkAccessManager *uploadNam = nullptr;
    UploadOptions options;
    int maxParallel = 3;
    QList<UploadJob *> jobs;
    QHash<const UploadJob *, Entry> entries;
    QHash<QString, UploadJob *> byId;
    //! Queued jobs that hold() does not keep back, in enqueue order: the ones schedule() starts.
    std::map<quint64, UploadJob *> waiting;
    //! Jobs whose speed is not 0, in enqueue order (as a sum over every job adds them).
    std::map<quint64, UploadJob *> moving;
    std::array<int, stateCount> counts {};
    int active = 0;
    qint64 totalBytes = 0;
    qint64 sentBytes = 0;
    quint64 nextOrder = 0;
    QSet<QString> held; //!< IDs of Queued jobs hold() keeps back
    enum class Config { Unknown, Fetching, Known } config = Config::Unknown;
    bool scheduling = false;
    bool schedulePosted = false; //!< a schedule() pass is on its way: one per turn of the loop
    QTimer *progressTotals = nullptr; //!< coalesces totalsChanged() for progress
    //! idle() was emitted and no job has been queued or active since: one signal per transition.
    bool idleSignalled = true;
    UploadManagerWork work;

    //! Starts counting \a job, just adopted.
    void add(UploadJob *job)
    {
        Entry entry;
        entry.order = nextOrder++;
        entry.state = job->state();
        entry.active = job->isActive();
        ++counts[int(entry.state)];
        active += entry.active ? 1 : 0;
        entries.insert(job, entry);
        const QString id = job->id();
        if (!byId.contains(id)) // unique: new ones are random, restore() skips known ones
            byId.insert(id, job);
        recount(job);
    }

    //! Brings the counts up to date with \a job's state, sizes and whether it is held.
    void recount(UploadJob *job)
    {
        const auto it = entries.find(job);
        if (it == entries.end())
            return;
        Entry &entry = *it;
        const State state = job->state();
        if (state != entry.state) {
            --counts[int(entry.state)];
            ++counts[int(state)];
            entry.state = state;
        }
        const bool isActive = job->isActive();
        if (isActive != entry.active) {
            active += isActive ? 1 : -1;
            entry.active = isActive;
        }
        // A cancelled job counts for nothing in the totals (its bytes are not wanted any more).
        const bool counted = state != State::Cancelled;
        const qint64 total = counted ? std::max<qint64>(0, job->size()) + job->attachedBytes() : 0;
        const qint64 sent = counted ? job->bytesSent() + job->attachedBytesSent() : 0;
        totalBytes += total - entry.total;
        sentBytes += sent - entry.sent;
        entry.total = total;
        entry.sent = sent;
        setMember(waiting, entry.waiting, entry.order, job,
            state == State::Queued && !held.contains(job->id()));
        setMember(moving, entry.moving, entry.order, job, job->bytesPerSecond() != 0);
    }

    //! Stops counting \a job, about to be forgotten.
    void drop(UploadJob *job)
    {
        const auto it = entries.find(job);
        if (it == entries.end())
            return;
        Entry &entry = *it;
        --counts[int(entry.state)];
        active -= entry.active ? 1 : 0;
        totalBytes -= entry.total;
        sentBytes -= entry.sent;
        setMember(waiting, entry.waiting, entry.order, job, false);
        setMember(moving, entry.moving, entry.order, job, false);
        entries.erase(it);
        const auto byIdIt = byId.find(job->id());
        if (byIdIt != byId.end() && *byIdIt == job)
            byId.erase(byIdIt);
    }

    static void setMember(std::map<quint64, UploadJob *> &set, bool &member, quint64 order,
        UploadJob *job, bool wanted)
    {
        if (member == wanted)
            return;
        if (wanted)
            set.emplace(order, job);
        else
            set.erase(order);
        member = wanted;
    }
};

UploadManagerWork uploadManagerWork(const UploadManager *manager)
{
    return manager->d->work;
}

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
    d->add(job);
    if (job->state() == UploadJob::State::Queued)
        d->idleSignalled = false;
    connect(job, &UploadJob::stateChanged, this, [this, job] {
        d->recount(job);
        if (job->state() == UploadJob::State::Queued || job->isActive())
            d->idleSignalled = false;
        Q_EMIT totalsChanged();
        // Later, not inside the job's own state change: a slot may have come free.
        postSchedule();
    });
    connect(job, &UploadJob::progressChanged, this, [this, job] {
        d->recount(job);
        if (!d->progressTotals->isActive())
            d->progressTotals->start();
    });
    // Not every change of a size comes with progressChanged(), nor of the speed with a state.
    for (const auto signal : { &UploadJob::sizeChanged, &UploadJob::bytesSentChanged,
             &UploadJob::bytesPerSecondChanged })
        connect(job, signal, this, [this, job] { d->recount(job); });
    connect(job, &UploadJob::finished, this, [this, job] { Q_EMIT jobFinished(job); });
    Q_EMIT jobAdded(job);
    Q_EMIT totalsChanged();
    postSchedule();
}

void UploadManager::postSchedule()
{
    // However many jobs change in one turn of the event loop, one pass follows.
    if (d->schedulePosted)
        return;
    d->schedulePosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            d->schedulePosted = false;
            schedule();
        },
        Qt::QueuedConnection);
}

UploadJob *UploadManager::job(const QString &id) const
{
    return d->byId.value(id);
}

void UploadManager::schedule()
{
    if (d->scheduling)
        return;
    ++d->work.schedulePasses;
    const bool anyQueued = d->counts[int(UploadJob::State::Queued)] > 0;
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
    // The oldest waiting jobs first, each at most once per pass. Starting one changes its state
    // at once (the counts follow through stateChanged()), and may change others'.
    auto next = d->waiting.begin();
    while (d->active < d->maxParallel && next != d->waiting.end()) {
        const quint64 order = next->first;
        ++d->work.jobsVisited;
        next->second->start();
        next = d->waiting.upper_bound(order);
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
    forget(j);
    d->jobs.removeOne(j);
    Q_EMIT totalsChanged();
}

void UploadManager::forget(UploadJob *j)
{
    j->cancel();
    Q_EMIT jobAboutToBeRemoved(j);
    d->drop(j);
    d->held.remove(j->id());
    j->disconnect(this);
    j->deleteLater();
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
    // One pass over the list, not a search of it per job: thousands of finished ones go at once.
    QSet<UploadJob *> gone;
    const QList<UploadJob *> all = d->jobs;
    for (UploadJob *j : all) {
        if (j->state() == UploadJob::State::Completed
            || j->state() == UploadJob::State::Cancelled) {
            forget(j);
            gone.insert(j);
        }
    }
    if (gone.isEmpty())
        return;
    d->jobs.removeIf([&gone](UploadJob *j) { return gone.contains(j); });
    Q_EMIT totalsChanged();
}

qint64 UploadManager::totalBytes() const
{
    return d->totalBytes;
}

qint64 UploadManager::sentBytes() const
{
    return d->sentBytes;
}

double UploadManager::bytesPerSecond() const
{
    // The same sum, in the same order, as one over every job: the others add 0.
    double speed = 0;
    for (const auto &[order, job] : d->moving)
        speed += job->bytesPerSecond();
    return speed;
}

int UploadManager::activeCount() const
{
    return d->active;
}

int UploadManager::completedCount() const
{
    return d->counts[int(UploadJob::State::Completed)];
}

int UploadManager::failedCount() const
{
    return d->counts[int(UploadJob::State::Failed)];
}

int UploadManager::stateCount(UploadJob::State state) const
{
    const int index = int(state);
    return index >= 0 && index < UploadManagerPrivate::stateCount ? d->counts[index] : 0;
}

void UploadManager::hold(const QString &jobId)
{
    d->held.insert(jobId);
    if (UploadJob *j = job(jobId))
        d->recount(j);
}

void UploadManager::release(const QString &jobId)
{
    if (!d->held.remove(jobId))
        return;
    if (UploadJob *j = job(jobId))
        d->recount(j);
    postSchedule();
}

bool UploadManager::isHeld(const QString &jobId) const
{
    return d->held.contains(jobId);
}

bool UploadManager::isIdle() const
{
    return d->active == 0 && d->counts[int(UploadJob::State::Queued)] == 0;
}

} // namespace MatrixUpload
