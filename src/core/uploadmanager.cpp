// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadmanager.h"

#include "api/mediaapi.h"
#include "logging_p.h"
#include "store/resumestore.h"
#include "transfer/transfer.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

UploadManager::UploadManager(MediaApi *api, ResumeStore *store, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_store(store)
    , m_uploadNam(uploadUrlNetworkManager(this))
    , m_progressTotals(new QTimer(this))
{
    m_progressTotals->setSingleShot(true);
    m_progressTotals->setInterval(100);
    connect(m_progressTotals, &QTimer::timeout, this, &UploadManager::totalsChanged);
}

UploadManager::~UploadManager()
{
    // Jobs stop where they are: their records stay, so a later run can resume them.
    for (UploadJob *job : std::as_const(m_jobs))
        job->disconnect(this);
    qDeleteAll(m_jobs);
}

void UploadManager::setMaxParallel(int count)
{
    count = std::max(1, count);
    if (count == m_maxParallel)
        return;
    m_maxParallel = count;
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
    auto *job = new UploadJob(path, { m_api, m_uploadNam, m_store }, m_options, this);
    adopt(job);
    return job;
}

QList<UploadJob *> UploadManager::restore()
{
    QList<UploadJob *> restored;
    if (!m_store)
        return restored;
    const QUrl homeserver = m_api->homeserver();
    for (const ResumeRecord &record : m_store->loadAll()) {
        // Another account's or server's uploads are not ours to continue.
        if (record.homeserver.adjusted(QUrl::StripTrailingSlash)
                != homeserver.adjusted(QUrl::StripTrailingSlash)
            || job(record.id))
            continue;
        auto *job = new UploadJob(record, { m_api, m_uploadNam, m_store }, m_options, this);
        adopt(job);
        restored.append(job);
    }
    return restored;
}

void UploadManager::adopt(UploadJob *job)
{
    m_jobs.append(job);
    if (job->state() == UploadJob::State::Queued)
        m_idleSignalled = false;
    connect(job, &UploadJob::stateChanged, this, [this, job] {
        if (job->state() == UploadJob::State::Queued || job->isActive())
            m_idleSignalled = false;
        Q_EMIT totalsChanged();
        // Later, not inside the job's own state change: a slot may have come free.
        QTimer::singleShot(0, this, &UploadManager::schedule);
    });
    connect(job, &UploadJob::progressChanged, this, [this] {
        if (!m_progressTotals->isActive())
            m_progressTotals->start();
    });
    connect(job, &UploadJob::finished, this, [this, job] { Q_EMIT jobFinished(job); });
    Q_EMIT jobAdded(job);
    Q_EMIT totalsChanged();
    QTimer::singleShot(0, this, &UploadManager::schedule);
}

UploadJob *UploadManager::job(const QString &id) const
{
    for (UploadJob *job : m_jobs) {
        if (job->id() == id)
            return job;
    }
    return nullptr;
}

void UploadManager::schedule()
{
    if (m_scheduling)
        return;
    const bool anyQueued = std::any_of(m_jobs.cbegin(), m_jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Queued; });
    if (anyQueued && m_config == Config::Unknown) {
        // m.upload.size once per manager, before the first file goes: preflight refuses a file
        // that is too large without sending a byte (protocol.md 2).
        m_config = Config::Fetching;
        m_api->mediaConfig()->then(this, [this](const ApiResult<MediaConfig> &config) {
            if (config)
                m_options.maxUploadSize = config->maxUploadSize;
            else
                qCInfo(lcJob) << "no media config:" << config.error().toString();
            for (UploadJob *job : std::as_const(m_jobs)) {
                UploadOptions o = job->options();
                o.maxUploadSize = m_options.maxUploadSize;
                job->setOptions(o);
            }
            m_config = Config::Known;
            schedule();
        });
        return;
    }
    if (m_config != Config::Known)
        return;
    m_scheduling = true;
    int active = activeCount();
    for (UploadJob *job : std::as_const(m_jobs)) {
        if (active >= m_maxParallel)
            break;
        if (job->state() == UploadJob::State::Queued) {
            job->start();
            if (job->isActive())
                ++active;
        }
    }
    m_scheduling = false;
    // Every state change schedules: without the flag, pausing or cancelling n jobs at once
    // would say idle() n times.
    if (!m_idleSignalled && isIdle()) {
        m_idleSignalled = true;
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
    m_jobs.removeOne(j);
    j->disconnect(this);
    j->deleteLater();
    Q_EMIT totalsChanged();
}

void UploadManager::pauseAll()
{
    // Queued ones first: pausing an active one frees a slot the next queued one would take.
    for (UploadJob *j : std::as_const(m_jobs)) {
        if (j->state() == UploadJob::State::Queued)
            j->pause();
    }
    for (UploadJob *j : std::as_const(m_jobs))
        j->pause();
}

void UploadManager::resumeAll()
{
    for (UploadJob *j : std::as_const(m_jobs))
        j->resume();
}

void UploadManager::cancelAll()
{
    for (UploadJob *j : std::as_const(m_jobs))
        j->cancel();
}

void UploadManager::clearFinished()
{
    const QList<UploadJob *> all = m_jobs;
    for (UploadJob *j : all) {
        if (j->state() == UploadJob::State::Completed || j->state() == UploadJob::State::Cancelled)
            remove(j->id());
    }
}

qint64 UploadManager::totalBytes() const
{
    qint64 total = 0;
    for (const UploadJob *j : m_jobs) {
        if (j->state() != UploadJob::State::Cancelled)
            total += std::max<qint64>(0, j->size());
    }
    return total;
}

qint64 UploadManager::sentBytes() const
{
    qint64 sent = 0;
    for (const UploadJob *j : m_jobs) {
        if (j->state() != UploadJob::State::Cancelled)
            sent += j->bytesSent();
    }
    return sent;
}

double UploadManager::bytesPerSecond() const
{
    double speed = 0;
    for (const UploadJob *j : m_jobs)
        speed += j->bytesPerSecond();
    return speed;
}

int UploadManager::activeCount() const
{
    return int(std::count_if(
        m_jobs.cbegin(), m_jobs.cend(), [](const UploadJob *j) { return j->isActive(); }));
}

int UploadManager::completedCount() const
{
    return int(std::count_if(m_jobs.cbegin(), m_jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Completed; }));
}

int UploadManager::failedCount() const
{
    return int(std::count_if(m_jobs.cbegin(), m_jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Failed; }));
}

bool UploadManager::isIdle() const
{
    return std::none_of(m_jobs.cbegin(), m_jobs.cend(),
        [](const UploadJob *j) { return j->isActive() || j->state() == UploadJob::State::Queued; });
}

} // namespace MatrixUpload
