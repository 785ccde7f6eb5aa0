// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the queue of uploads of one account.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include "uploadjob.h"

#include <QList>
#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace MatrixUpload {

class MediaApi;
class ResumeStore;
class UploadManagerPrivate;
struct UploadManagerWork;

//! Runs upload jobs for one account: a queue with a limit on how many move bytes at once,
//! verbs per job and for all, totals, and the unfinished uploads of an earlier run. The UIs show
//! its UploadListModel and call these verbs; they never talk to the network.
//!
//! \code
//! UploadManager manager(&api, &resumeStore);
//! manager.restore();                       // last run's unfinished uploads, paused
//! manager.enqueue({ u"/tmp/a.png"_s, u"/tmp/b.mkv"_s });
//! connect(&manager, &UploadManager::jobFinished, [](UploadJob *job) { ... });
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT UploadManager : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int maxParallel READ maxParallel WRITE setMaxParallel NOTIFY maxParallelChanged)
    Q_PROPERTY(int count READ count NOTIFY totalsChanged)
    Q_PROPERTY(qint64 totalBytes READ totalBytes NOTIFY totalsChanged)
    Q_PROPERTY(qint64 sentBytes READ sentBytes NOTIFY totalsChanged)
    Q_PROPERTY(double bytesPerSecond READ bytesPerSecond NOTIFY totalsChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY totalsChanged)
    Q_PROPERTY(int completedCount READ completedCount NOTIFY totalsChanged)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY totalsChanged)
public:
    //! The one coalescing interval of the views' updates: the manager's totalsChanged() and
    //! UploadListModel's row updates come at most this often (about ten a second), however
    //! fast bytes move. Views follow those signals without a timer of their own.
    static constexpr int updateIntervalMs = 100;

    //! \a api must be signed in and outlive the manager. \a store may be null (no resume across
    //! restarts).
    explicit UploadManager(MediaApi *api, ResumeStore *store = nullptr, QObject *parent = nullptr);
    ~UploadManager() override;

    MediaApi *api() const;
    ResumeStore *resumeStore() const;
    //! Where jobs enqueued or restored from now on keep the keys of encrypted uploads
    //! (UploadContext::secretStore); it must outlive them. Null (the default): an encrypted upload
    //! writes no resume record, and restore() cannot continue one from an earlier run.
    void setSecretStore(SecretStore *store);
    //! The store setSecretStore() set, or null.
    SecretStore *secretStore() const;
    //! Options for jobs enqueued from now on (m.upload.size is filled in from the server).
    void setOptions(const UploadOptions &options);
    UploadOptions options() const;
    int maxParallel() const;
    void setMaxParallel(int count);

    //! Adds files; they start as soon as a slot is free.
    Q_INVOKABLE QList<MatrixUpload::UploadJob *> enqueue(const QStringList &paths);
    UploadJob *enqueue(const QString &path);
    //! A file, with its name, type or name sending overridden.
    UploadJob *enqueue(const QString &path, const UploadMetadata &metadata);
    //! The bytes \a device gives from its position on; the job takes ownership of the device.
    //! A sequential device (a pipe, a QProcess) goes in one request and needs its size: see
    //! UploadJob and UploadMetadata::size.
    UploadJob *enqueue(QIODevice *device, const QString &fileName, const QString &mediaType);
    //! A device, with its name, type, name sending or size (for a sequential one) given.
    UploadJob *enqueue(QIODevice *device, const UploadMetadata &metadata);
    //! Bytes in memory, e.g. a pasted image (implicitly shared, not copied).
    UploadJob *enqueue(const QByteArray &data, const QString &fileName, const QString &mediaType);
    //! Bytes in memory, with their name, type or name sending given.
    UploadJob *enqueue(const QByteArray &data, const UploadMetadata &metadata);
    //! Lists the unfinished uploads of an earlier run, paused: resume() continues them.
    QList<UploadJob *> restore();

    QList<UploadJob *> jobs() const;
    UploadJob *job(const QString &id) const;

    Q_INVOKABLE void pause(const QString &id);
    Q_INVOKABLE void resume(const QString &id);
    Q_INVOKABLE void cancel(const QString &id);
    Q_INVOKABLE void retry(const QString &id);
    //! Cancels the job if it is not finished and forgets it.
    Q_INVOKABLE void remove(const QString &id);
    Q_INVOKABLE void pauseAll();
    Q_INVOKABLE void resumeAll();
    Q_INVOKABLE void cancelAll();
    //! Forgets completed and cancelled jobs.
    Q_INVOKABLE void clearFinished();

    int count() const;
    qint64 totalBytes() const;
    qint64 sentBytes() const;
    double bytesPerSecond() const;
    int activeCount() const;
    int completedCount() const;
    int failedCount() const;
    //! How many jobs are in \a state now. Kept up to date as jobs change, like the other
    //! counts: reading it costs nothing, however many jobs there are.
    int stateCount(MatrixUpload::UploadJob::State state) const;
    //! No job is queued or moving bytes.
    bool isIdle() const;

    //! Keeps a Queued job from being started until release(): for a decision that has to come
    //! before its first byte (RoomPoster asks whether the room is encrypted). It stays Queued,
    //! so the manager is not idle meanwhile.
    void hold(const QString &jobId);
    //! Lets a held job start when a slot is free.
    void release(const QString &jobId);
    //! Whether hold() keeps the job back.
    bool isHeld(const QString &jobId) const;

Q_SIGNALS:
    void jobAdded(MatrixUpload::UploadJob *job);
    //! Just before the job is deleted.
    void jobAboutToBeRemoved(MatrixUpload::UploadJob *job);
    void jobFinished(MatrixUpload::UploadJob *job);
    //! Jobs came, went or changed state (at once), or bytes moved (at most every
    //! updateIntervalMs: the totals are sums over every job, and a tray or a label needs no
    //! more).
    void totalsChanged();
    void maxParallelChanged();
    //! Every job is completed, failed, cancelled or paused. Once per transition from busy.
    void idle();

private:
    void adopt(UploadJob *job);
    //! Everything of remove() but taking \a job out of the list: the caller does that.
    void forget(UploadJob *job);
    //! schedule() in the next turn of the event loop, unless a pass is on its way already.
    void postSchedule();
    void schedule();
    //! The tests' view of the work schedule() did (uploadmanager_p.h).
    friend UploadManagerWork uploadManagerWork(const UploadManager *manager);

    std::unique_ptr<UploadManagerPrivate> d;
};

} // namespace MatrixUpload
