// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// UploadManager against the in-process test server over loopback sockets: the concurrency limit,
// m.upload.size checked before any request, the verbs per job and for all, totals and idle(),
// and restoring the unfinished uploads of an earlier manager.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/store/filefingerprint.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/uploadmanager_p.h>

#include "uploadbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;

namespace {
constexpr int waitMs = 30000;

QString mediaId(const UploadJob *job)
{
    return job->contentUri().section(u'/', -1);
}

//! What differs between the manager's counts and totals and a count over its jobs by the
//! definitions its getters document; empty when nothing does.
QString recountMismatch(const UploadManager &manager)
{
    const QList<UploadJob *> jobs = manager.jobs();
    int active = 0;
    qint64 total = 0;
    qint64 sent = 0;
    double speed = 0;
    QHash<State, int> inState;
    for (const UploadJob *j : jobs) {
        ++inState[j->state()];
        active += j->isActive() ? 1 : 0;
        if (j->state() != State::Cancelled) {
            total += std::max<qint64>(0, j->size()) + j->attachedBytes();
            sent += j->bytesSent() + j->attachedBytesSent();
        }
        speed += j->bytesPerSecond();
    }
    QStringList wrong;
    const auto expect = [&wrong](const char *what, auto counted, auto recounted) {
        if (counted != recounted)
            wrong
                << u"%1 %2, recount %3"_s.arg(QLatin1StringView(what)).arg(counted).arg(recounted);
    };
    expect("count", manager.count(), int(jobs.size()));
    expect("activeCount", manager.activeCount(), active);
    expect("completedCount", manager.completedCount(), inState.value(State::Completed));
    expect("failedCount", manager.failedCount(), inState.value(State::Failed));
    expect("totalBytes", manager.totalBytes(), total);
    expect("sentBytes", manager.sentBytes(), sent);
    expect("bytesPerSecond", manager.bytesPerSecond(), speed);
    expect("isIdle", manager.isIdle(), active == 0 && inState.value(State::Queued) == 0);
    const QMetaEnum states = QMetaEnum::fromType<State>();
    for (int i = 0; i < states.keyCount(); ++i) {
        const auto state = State(states.value(i));
        expect(states.key(i), manager.stateCount(state), inState.value(state));
    }
    for (const UploadJob *j : jobs) {
        if (manager.job(j->id()) != j)
            wrong << u"job(%1) is not its job"_s.arg(j->id());
    }
    return wrong.join(u"; "_s);
}
} // namespace

//! A memory store that counts what is written to it, per record ID.
class CountingResumeStore final : public ResumeStore
{
public:
    QHash<QString, int> writes;
    QHash<QString, ResumeRecord> records;
    QList<ResumeRecord> loadAll() override { return records.values(); }
    std::optional<ResumeRecord> load(const QString &id) override
    {
        const auto it = records.constFind(id);
        return it == records.cend() ? std::nullopt : std::optional<ResumeRecord>(*it);
    }
    bool store(const ResumeRecord &record) override
    {
        ++writes[record.id];
        records.insert(record.id, record);
        return true;
    }
    void remove(const QString &id) override { records.remove(id); }
};

class tst_UploadManager final : public QObject, protected UploadBench
{
    Q_OBJECT

    MemoryResumeStore m_store;

    std::unique_ptr<UploadManager> makeManager(ResumeStore *store)
    {
        auto manager = std::make_unique<UploadManager>(m_api.get(), store);
        manager->setOptions(options());
        return manager;
    }

    static bool waitIdle(const UploadManager &manager)
    {
        if (!QTest::qWaitFor([&] { return manager.isIdle(); }, waitMs))
            return false;
        // Let whatever the last state change set off (a deferred schedule) run.
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        return manager.isIdle();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() { finishUploadTest(&m_store); }

    void concurrencyLimit_data()
    {
        QTest::addColumn<int>("files");
        QTest::addColumn<int>("maxParallel"); // 0: the default
        QTest::addRow("7 files, 2 at once") << 7 << 2;
        QTest::addRow("2 files, one at a time") << 2 << 1;
        QTest::addRow("4 files, default 3") << 4 << 0;
    }
    void concurrencyLimit()
    {
        QFETCH(int, files);
        QFETCH(int, maxParallel);
        startServer();
        // Slow enough that every job is still busy when the next one could start.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        auto manager = makeManager(&m_store);
        QCOMPARE(manager->maxParallel(), 3);
        const int limit = maxParallel > 0 ? maxParallel : 3;
        if (maxParallel > 0)
            manager->setMaxParallel(maxParallel);
        QCOMPARE(manager->maxParallel(), limit);

        int maxActive = 0;
        int startsOverLimit = 0;
        QList<QByteArray> bytes;
        QStringList paths;
        for (int i = 0; i < files; ++i) {
            bytes.append(content(64 * 1024 + 1000 * i, i));
            paths.append(writeFile(u"file-%1.bin"_s.arg(i), bytes.last()));
        }
        connect(manager.get(), &UploadManager::jobAdded, this, [&](UploadJob *job) {
            connect(job, &UploadJob::stateChanged, this, [&, job](State state) {
                maxActive = std::max(maxActive, manager->activeCount());
                if (state == State::Preparing && manager->activeCount() > limit)
                    ++startsOverLimit;
                QVERIFY(job->state() == state);
            });
        });
        QSignalSpy finished(manager.get(), &UploadManager::jobFinished);
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QCOMPARE(jobs.size(), files);
        QVERIFY(waitIdle(*manager));

        QCOMPARE(startsOverLimit, 0);
        QCOMPARE(maxActive, limit); // reached, never exceeded
        QCOMPARE(finished.size(), files);
        QCOMPARE(manager->completedCount(), files);
        for (int i = 0; i < files; ++i) {
            QCOMPARE(jobs.at(i)->state(), State::Completed);
            QCOMPARE(m_server->mediaContent(jobs.at(i)->contentUri()), bytes.at(i));
        }
        QVERIFY(m_store.loadAll().isEmpty());
    }

    void enqueueAList()
    {
        startServer();
        auto manager = makeManager(&m_store);
        QSignalSpy added(manager.get(), &UploadManager::jobAdded);
        const QStringList paths { writeFile(u"a.txt"_s, "alpha"), writeFile(u"b c.txt"_s, "beta"),
            writeFile(u"ü.txt"_s, "gamma") };
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QCOMPARE(jobs.size(), 3);
        QCOMPARE(manager->count(), 3);
        QCOMPARE(manager->jobs(), jobs);
        QCOMPARE(added.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(jobs.at(i)->filePath(), paths.at(i));
            QCOMPARE(jobs.at(i)->state(), State::Queued); // started later, not inside enqueue
            QCOMPARE(added.at(i).first().value<UploadJob *>(), jobs.at(i));
            QCOMPARE(manager->job(jobs.at(i)->id()), jobs.at(i));
        }
        QCOMPARE(manager->job(u"no such id"_s), nullptr);
        QVERIFY(waitIdle(*manager));
        QCOMPARE(manager->completedCount(), 3);
        QCOMPARE(m_server->mediaContent(jobs.at(2)->contentUri()), "gamma"_ba);
    }

    void tooLargeIsRefusedBeforeAnyRequest_data()
    {
        QTest::addColumn<bool>("withASmallOne");
        QTest::addRow("alone") << false;
        QTest::addRow("beside a small file") << true;
    }
    void tooLargeIsRefusedBeforeAnyRequest()
    {
        QFETCH(bool, withASmallOne);
        MediaTestServerConfig c;
        c.maxUploadSize = 10000;
        startServer(c);
        auto manager = makeManager(&m_store);
        QStringList paths { writeFile(u"big.bin"_s, content(10001)) };
        if (withASmallOne)
            paths.append(writeFile(u"small.bin"_s, content(10000)));
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QVERIFY(waitIdle(*manager));

        QCOMPARE(jobs.first()->state(), State::Failed);
        QCOMPARE(jobs.first()->error(), UploadJob::Error::TooLarge);
        QCOMPARE(manager->failedCount(), 1);
        QCOMPARE(manager->completedCount(), withASmallOne ? 1 : 0);
        // The config came first; nothing of the big file reached the server: the only create
        // and the only bytes are the small file's.
        const QJsonArray requests = m_server->requests();
        QVERIFY(!requests.isEmpty());
        qsizetype firstConfig = -1;
        qsizetype firstCreate = -1;
        for (qsizetype i = 0; i < requests.size(); ++i) {
            const QString path = requests.at(i).toObject().value(u"path"_s).toString();
            QVERIFY2(requests.at(i).toObject().value(u"content_length"_s).toInteger() <= 10000,
                qPrintable(path));
            if (firstConfig < 0 && path.endsWith(u"/config"_s))
                firstConfig = i;
            if (firstCreate < 0 && path.endsWith(u"/create"_s))
                firstCreate = i;
        }
        QVERIFY(firstConfig >= 0);
        QCOMPARE(requestsTo(u"/_matrix/media/v1/create"_s).size(), withASmallOne ? 1 : 0);
        if (withASmallOne) {
            QVERIFY(firstConfig < firstCreate);
            QCOMPARE(jobs.at(1)->state(), State::Completed);
            QCOMPARE(m_server->mediaContent(jobs.at(1)->contentUri()), content(10000));
        }
    }

    void pauseAndResumeById()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        auto manager = makeManager(&m_store);
        const QByteArray a = content(3 * chunk, 1);
        const QByteArray b = content(3 * chunk, 2); // still busy when a is paused
        const QList<UploadJob *> jobs
            = manager->enqueue({ writeFile(u"a.bin"_s, a), writeFile(u"b.bin"_s, b) });
        UploadJob *ja = jobs.at(0);
        UploadJob *jb = jobs.at(1);
        QTRY_VERIFY_WITH_TIMEOUT(ja->confirmedBytes() >= chunk, waitMs);
        manager->pause(ja->id());
        QCOMPARE(ja->state(), State::Paused);
        QVERIFY(ja->confirmedBytes() < a.size());
        QVERIFY(jb->isActive()); // the others go on
        manager->pause(u"no such id"_s); // harmless
        QTRY_COMPARE_WITH_TIMEOUT(jb->state(), State::Completed, waitMs);
        QCOMPARE(ja->state(), State::Paused); // not restarted by the freed slot
        QVERIFY(manager->isIdle());

        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        manager->resume(ja->id());
        QCOMPARE(ja->state(), State::Queued);
        QVERIFY(waitIdle(*manager));
        QCOMPARE(ja->state(), State::Completed);
        QCOMPARE(m_server->mediaContent(ja->contentUri()), a);
        QCOMPARE(m_server->mediaContent(jb->contentUri()), b);
    }

    void cancelById()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        auto manager = makeManager(&m_store);
        const QByteArray b = content(chunk, 2);
        const QList<UploadJob *> jobs = manager->enqueue(
            { writeFile(u"a.bin"_s, content(8 * chunk)), writeFile(u"b.bin"_s, b) });
        UploadJob *ja = jobs.at(0);
        QSignalSpy finishedA(ja, &UploadJob::finished);
        QTRY_VERIFY_WITH_TIMEOUT(ja->bytesSent() > 0, waitMs);
        manager->cancel(ja->id());
        QCOMPARE(ja->state(), State::Cancelled);
        QCOMPARE(finishedA.size(), 1);
        QVERIFY(!m_store.load(ja->id()));
        // A chunk whose head left just before the cancel may reach the record a moment later:
        // one round trip lets everything already sent arrive, the second shows nothing new came.
        roundTrip();
        const qsizetype seen = requestsTo(u"/_upload/"_s + mediaId(ja)).size();
        roundTrip();
        QVERIFY(waitIdle(*manager));
        QCOMPARE(requestsTo(u"/_upload/"_s + mediaId(ja)).size(), seen);
        QVERIFY(
            m_server->mediaInfo(ja->contentUri()).value(u"state"_s).toString() != u"complete"_s);
        QCOMPARE(jobs.at(1)->state(), State::Completed);
        QCOMPARE(m_server->mediaContent(jobs.at(1)->contentUri()), b);
        QCOMPARE(manager->count(), 2); // cancelled, still listed
        manager->cancel(ja->id()); // a second cancel changes nothing
        QCOMPARE(finishedA.size(), 1);
    }

    void retryById()
    {
        startServer();
        QVERIFY(m_server->addFault(
            { { u"status"_s, 500 }, { u"route"_s, u"create"_s }, { u"times"_s, 50 } }));
        UploadOptions o = options();
        o.retry.maxAttempts = 2;
        auto manager = makeManager(&m_store);
        manager->setOptions(o);
        const QByteArray bytes = content(3000);
        UploadJob *job = manager->enqueue(writeFile(u"f.bin"_s, bytes));
        QVERIFY(waitIdle(*manager));
        QCOMPARE(job->state(), State::Failed);
        QCOMPARE(manager->failedCount(), 1);

        m_server->clearFaults();
        manager->retry(job->id());
        QCOMPARE(job->state(), State::Queued);
        QCOMPARE(manager->failedCount(), 0);
        QVERIFY(waitIdle(*manager));
        QCOMPARE(job->state(), State::Completed);
        QCOMPARE(manager->completedCount(), 1);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
    }

    void removeById_data()
    {
        QTest::addColumn<bool>("whileActive");
        QTest::addRow("while uploading") << true;
        QTest::addRow("once completed") << false;
    }
    void removeById()
    {
        QFETCH(bool, whileActive);
        startServer();
        if (whileActive)
            QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        auto manager = makeManager(&m_store);
        UploadJob *job
            = manager->enqueue(writeFile(u"a.bin"_s, content(whileActive ? 4 * chunk : 1000)));
        QPointer<UploadJob> watched = job;
        const QString id = job->id();
        if (whileActive)
            QTRY_VERIFY_WITH_TIMEOUT(job->bytesSent() > 0, waitMs);
        else
            QVERIFY(waitIdle(*manager));
        QSignalSpy aboutToBeRemoved(manager.get(), &UploadManager::jobAboutToBeRemoved);
        QSignalSpy totals(manager.get(), &UploadManager::totalsChanged);
        manager->remove(id);
        QCOMPARE(aboutToBeRemoved.size(), 1);
        QCOMPARE(aboutToBeRemoved.first().first().value<UploadJob *>(), job);
        QVERIFY(!totals.isEmpty());
        QCOMPARE(manager->count(), 0);
        QCOMPARE(manager->job(id), nullptr);
        QCOMPARE(manager->totalBytes(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(watched.isNull(), waitMs); // deleted
        QVERIFY(!m_store.load(id)); // nothing left to resume
        manager->remove(id); // again: nothing happens
        QCOMPARE(aboutToBeRemoved.size(), 1);
        QVERIFY(waitIdle(*manager));
    }

    void pauseAllStopsEveryByte()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        auto manager = makeManager(&m_store);
        manager->setMaxParallel(2);
        QList<QByteArray> bytes;
        QStringList paths;
        for (int i = 0; i < 4; ++i) {
            bytes.append(content(2 * chunk + i, i));
            paths.append(writeFile(u"f%1.bin"_s.arg(i), bytes.last()));
        }
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QTRY_VERIFY_WITH_TIMEOUT(
            jobs.at(0)->bytesSent() > 0 && jobs.at(1)->bytesSent() > 0, waitMs);
        QSignalSpy idle(manager.get(), &UploadManager::idle);

        manager->pauseAll();
        for (const UploadJob *job : jobs)
            QCOMPARE(job->state(), State::Paused);
        QCOMPARE(manager->activeCount(), 0);
        QVERIFY(manager->isIdle());
        // A round trip of our own: everything the jobs had set off has reached the record by
        // then; from there on no job moves a byte.
        roundTrip();
        const qsizetype seen = requestsTo(u"/_upload/"_s).size();
        const qint64 sent = manager->sentBytes();
        roundTrip();
        QCoreApplication::processEvents();
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), seen);
        QCOMPARE(manager->sentBytes(), sent);
        for (const UploadJob *job : jobs)
            QCOMPARE(job->state(), State::Paused); // the freed slots started nothing
        QCOMPARE(idle.size(), 1); // one transition, one signal

        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        manager->resumeAll();
        QVERIFY(!manager->isIdle());
        QVERIFY(waitIdle(*manager));
        QCOMPARE(idle.size(), 2);
        for (int i = 0; i < jobs.size(); ++i) {
            QCOMPARE(jobs.at(i)->state(), State::Completed);
            QCOMPARE(m_server->mediaContent(jobs.at(i)->contentUri()), bytes.at(i));
        }
    }

    void cancelAllEndsEveryJob()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        auto manager = makeManager(&m_store);
        manager->setMaxParallel(2);
        QStringList paths;
        for (int i = 0; i < 3; ++i)
            paths.append(writeFile(u"f%1.bin"_s.arg(i), content(4 * chunk, i)));
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QSignalSpy finished(manager.get(), &UploadManager::jobFinished);
        QTRY_VERIFY_WITH_TIMEOUT(jobs.at(0)->bytesSent() > 0, waitMs);
        QCOMPARE(jobs.at(2)->state(), State::Queued);
        manager->cancelAll();
        for (const UploadJob *job : jobs)
            QCOMPARE(job->state(), State::Cancelled);
        QCOMPARE(finished.size(), 3);
        QCOMPARE(manager->totalBytes(), 0); // cancelled files count for nothing
        QCOMPARE(manager->count(), 3);
        QVERIFY(m_store.loadAll().isEmpty());
        roundTrip();
        const qsizetype seen = requestsTo(u"/_upload/"_s).size();
        roundTrip();
        QVERIFY(waitIdle(*manager));
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), seen);
        QVERIFY(requestsTo(u"/_matrix/media/v1/upload/"_s).isEmpty()); // never completed
        for (const UploadJob *job : jobs)
            QCOMPARE(job->state(), State::Cancelled);
    }

    void clearFinishedKeepsFailures()
    {
        startServer();
        auto manager = makeManager(&m_store);
        const QList<UploadJob *> first = manager->enqueue(
            { writeFile(u"good.bin"_s, content(1000)), m_dir.filePath(u"missing.bin"_s) });
        QVERIFY(waitIdle(*manager));
        QCOMPARE(first.at(0)->state(), State::Completed);
        QCOMPARE(first.at(1)->state(), State::Failed);
        UploadJob *cancelled = manager->enqueue(writeFile(u"cancelled.bin"_s, content(10)));
        cancelled->cancel();
        UploadJob *paused = manager->enqueue(writeFile(u"paused.bin"_s, content(10)));
        manager->pause(paused->id());
        QCOMPARE(paused->state(), State::Paused);
        QCOMPARE(manager->count(), 4);

        QSignalSpy removed(manager.get(), &UploadManager::jobAboutToBeRemoved);
        manager->clearFinished();
        QCOMPARE(removed.size(), 2);
        const QList<UploadJob *> left { first.at(1), paused };
        QCOMPARE(manager->jobs(), left);
        QCOMPARE(manager->failedCount(), 1);
        QCOMPARE(manager->completedCount(), 0);
        manager->clearFinished(); // nothing more to clear
        QCOMPARE(removed.size(), 2);
    }

    void totalsAndIdle_data()
    {
        QTest::addColumn<bool>("withAMissingFile");
        QTest::addRow("all good") << false;
        QTest::addRow("one missing file") << true;
    }
    void totalsAndIdle()
    {
        QFETCH(bool, withAMissingFile);
        startServer();
        auto manager = makeManager(&m_store);
        QSignalSpy idle(manager.get(), &UploadManager::idle);
        QSignalSpy totals(manager.get(), &UploadManager::totalsChanged);
        const QList<qint64> sizes { chunk + 5, 1000, 0, 12345 };
        QStringList paths;
        for (int i = 0; i < sizes.size(); ++i)
            paths.append(writeFile(u"t%1.bin"_s.arg(i), content(sizes.at(i), i)));
        if (withAMissingFile)
            paths.append(m_dir.filePath(u"not-there.bin"_s));
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QCOMPARE(manager->count(), paths.size());
        QVERIFY(!manager->isIdle());
        QVERIFY(waitIdle(*manager));
        roundTrip(); // time for a stray second idle() to show

        const qint64 total = std::accumulate(sizes.cbegin(), sizes.cend(), qint64(0));
        QCOMPARE(idle.size(), 1);
        QVERIFY(totals.size() > paths.size());
        QCOMPARE(manager->count(), paths.size());
        QCOMPARE(manager->totalBytes(), total);
        QCOMPARE(manager->sentBytes(), manager->totalBytes());
        QCOMPARE(manager->completedCount(), sizes.size());
        QCOMPARE(manager->failedCount(), withAMissingFile ? 1 : 0);
        QCOMPARE(manager->activeCount(), 0);
        QCOMPARE(manager->bytesPerSecond(), 0.0);
    }

    // Issue 15, item 4: the counts and totals are kept as jobs change, not summed on each read.
    // After every signal of every job and every verb, in a seeded random order, they equal a
    // count over jobs() by the definitions the getters document.
    void countsEqualARecountThroughEveryChange()
    {
        startServer();
        // Slow enough that verbs meet jobs in every state; some creates fail for good.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 2 * 1024 * 1024 } }));
        QVERIFY(m_server->addFault(
            { { u"status"_s, 500 }, { u"route"_s, u"create"_s }, { u"times"_s, 6 } }));
        UploadOptions o = options();
        o.retry.maxAttempts = 1;
        auto manager = makeManager(&m_store);
        manager->setOptions(o);
        manager->setMaxParallel(4);
        QString firstMismatch;
        int checks = 0;
        const auto check = [&] {
            ++checks;
            const QString mismatch = recountMismatch(*manager);
            if (firstMismatch.isEmpty() && !mismatch.isEmpty())
                firstMismatch = mismatch;
        };
        const auto watch = [&](UploadJob *job) {
            for (const auto signal : { &UploadJob::bytesSentChanged, &UploadJob::sizeChanged,
                     &UploadJob::bytesPerSecondChanged })
                connect(job, signal, this, check);
            connect(job, &UploadJob::stateChanged, this, check);
            connect(job, &UploadJob::progressChanged, this, check);
        };
        connect(manager.get(), &UploadManager::jobAdded, this, watch);
        connect(manager.get(), &UploadManager::totalsChanged, this, check);

        QRandomGenerator random(15);
        int made = 0;
        const auto enqueueSome = [&] {
            const int n = 1 + int(random.bounded(4));
            for (int i = 0; i < n; ++i, ++made) {
                // Now and then a file that is not there: it fails at once.
                manager->enqueue(random.bounded(8) == 0
                        ? m_dir.filePath(u"missing-%1.bin"_s.arg(made))
                        : writeFile(
                            u"r%1.bin"_s.arg(made), content(1 + random.bounded(3 * chunk), made)));
            }
        };
        enqueueSome();
        for (int step = 0; step < 100; ++step) {
            const QList<UploadJob *> jobs = manager->jobs();
            UploadJob *job = jobs.isEmpty() ? nullptr : jobs.at(random.bounded(jobs.size()));
            const QString id = job ? job->id() : QString();
            switch (random.bounded(10)) {
            case 0:
                enqueueSome();
                break;
            case 1:
                manager->pause(id);
                break;
            case 2:
                manager->resume(id);
                break;
            case 3:
                manager->cancel(id);
                break;
            case 4:
                manager->retry(id);
                break;
            case 5:
                manager->remove(id);
                break;
            case 6:
                if (job && job->state() == State::Queued)
                    manager->hold(id);
                else
                    manager->release(id);
                break;
            case 7:
                if (job)
                    job->setAttachedUpload(random.bounded(1000), 1000); // a thumbnail
                break;
            case 8:
                random.bounded(2) ? manager->pauseAll() : manager->resumeAll();
                break;
            default:
                break; // the uploads move on
            }
            check();
            // The next thing that happens, whatever it is: a job's signal, or nothing to wait for
            // (no job active; held ones wait for release()).
            QCoreApplication::processEvents();
            QSignalSpy moved(manager.get(), &UploadManager::totalsChanged);
            if (manager->activeCount() > 0)
                moved.wait(waitMs);
        }
        // Everything left goes to its end.
        for (UploadJob *job : manager->jobs()) {
            manager->release(job->id());
            manager->retry(job->id());
        }
        m_server->clearFaults();
        manager->resumeAll();
        QVERIFY(waitIdle(*manager));
        check();
        QVERIFY2(firstMismatch.isEmpty(), qPrintable(firstMismatch));
        QVERIFY(checks > 200);
        QVERIFY(manager->completedCount() > 0);
        QCOMPARE(manager->stateCount(State::Queued), 0);
        QCOMPARE(manager->activeCount(), 0);
    }

    // Issue 15, item 4: the scheduler's work grows with the jobs, not with their square. Many
    // jobs added in one turn of the event loop are one scheduling pass, so are many changes of
    // state in one turn, and each pass looks only at the jobs it starts.
    void oneSchedulingPassPerTurn()
    {
        startServer();
        auto manager = makeManager(nullptr);
        manager->setMaxParallel(4);
        constexpr int files = 100;
        QStringList paths;
        for (int i = 0; i < files; ++i)
            paths.append(writeFile(u"s%1.bin"_s.arg(i), content(100 + i, i)));
        const qint64 passesBefore = uploadManagerWork(manager.get()).schedulePasses;
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QCOMPARE(uploadManagerWork(manager.get()).schedulePasses, passesBefore); // none at once
        QCoreApplication::sendPostedEvents(manager.get(), QEvent::MetaCall);
        QCOMPARE(uploadManagerWork(manager.get()).schedulePasses, passesBefore + 1);
        QVERIFY(waitIdle(*manager));
        QCOMPARE(manager->completedCount(), files);
        // Every job was started once; none was looked at without being started.
        QCOMPARE(uploadManagerWork(manager.get()).jobsVisited, qint64(files));

        // 100 changes of state in one call, then one pass.
        manager->enqueue(paths);
        manager->pauseAll();
        QCOMPARE(manager->stateCount(State::Paused), files);
        const qint64 passes = uploadManagerWork(manager.get()).schedulePasses;
        QCoreApplication::sendPostedEvents(manager.get(), QEvent::MetaCall);
        QCOMPARE(uploadManagerWork(manager.get()).schedulePasses, passes + 1);
        QCoreApplication::sendPostedEvents(manager.get(), QEvent::MetaCall);
        QCOMPARE(uploadManagerWork(manager.get()).schedulePasses, passes + 1);
        manager->cancelAll();
        QCOMPARE(manager->stateCount(State::Cancelled), files);
        // Cancelled jobs count for nothing in the totals.
        const qint64 completedBytes = std::accumulate(jobs.cbegin(), jobs.cend(), qint64(0),
            [](qint64 sum, const UploadJob *j) { return sum + j->size(); });
        QCOMPARE(manager->totalBytes(), completedBytes);
        QCOMPARE(manager->sentBytes(), completedBytes);
        QVERIFY(waitIdle(*manager));
        QCOMPARE(uploadManagerWork(manager.get()).jobsVisited, qint64(files));
    }

    // Issue 15, item 4: a file that goes up in one request writes its resume record twice: with
    // its content URI and route before its first byte (a crash then keeps the URI, which a
    // message may already name), and with every byte confirmed before complete (a restart then
    // calls complete at once). Not also once more between create and the route choice. Requests
    // stay create, PUT and complete per file: complete is the protocol's (protocol.md 4.6).
    void putUploadsWriteTheirRecordTwice()
    {
        MediaTestServerConfig config;
        config.uploadUrlProtocol = MediaTestServerConfig::UploadUrlProtocol::Put;
        startServer(config);
        CountingResumeStore store;
        auto manager = makeManager(&store);
        QStringList paths;
        for (int i = 0; i < 5; ++i)
            paths.append(writeFile(u"small%1.bin"_s.arg(i), content(1000 + 4096 * i, i)));
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QVERIFY(waitIdle(*manager));
        QCOMPARE(manager->completedCount(), 5);
        for (const UploadJob *job : jobs) {
            QCOMPARE(job->protocol(), u"put"_s);
            QCOMPARE(store.writes.value(job->id()), 2);
        }
        QVERIFY(store.records.isEmpty()); // dropped once done
        QCOMPARE(requestsTo(u"/_matrix/media/v1/create"_s).size(), 5);
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), 5);
        QCOMPARE(requestsTo(u"/_matrix/media/v1/upload/"_s).size()
                + requestsTo(u"/_matrix/media/unstable/com.beeper.msc3870/upload/"_s).size(),
            5);
    }

    // While the PUT of a small file is under way, its record is on disk with the content URI:
    // a crash now (the process killed) leaves the upload to --resume, not an ID a posted message
    // names and nothing will fill.
    void aPutUploadsRecordIsOnDiskBeforeItsFirstByte()
    {
        MediaTestServerConfig config;
        config.uploadUrlProtocol = MediaTestServerConfig::UploadUrlProtocol::Put;
        startServer(config);
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true },
            { u"path_prefix"_s, u"/_upload/"_s }, { u"times"_s, 1 } }));
        CountingResumeStore store;
        auto manager = makeManager(&store);
        UploadJob *job
            = manager->enqueue(QStringList { writeFile(u"held.bin"_s, content(5000)) }).value(0);
        QVERIFY(job);
        QTRY_VERIFY_WITH_TIMEOUT(!requestsTo(u"/_upload/"_s).isEmpty(), waitMs);
        QVERIFY(!job->contentUri().isEmpty());
        QCOMPARE(store.writes.value(job->id()), 1);
        const auto record = store.load(job->id());
        QVERIFY(record);
        QCOMPARE(record->contentUri, job->contentUri());
        QCOMPARE(record->protocol, u"put"_s);
        QCOMPARE(record->confirmedOffset, 0);
        manager->cancelAll();
    }

    void restore_data()
    {
        QTest::addColumn<bool>("json");
        QTest::addRow("memory store") << false;
        QTest::addRow("JSON store") << true;
    }
    void restore()
    {
        QFETCH(bool, json);
        startServer();
        QTemporaryDir storeDir;
        QVERIFY(storeDir.isValid());
        MemoryResumeStore memory;
        JsonResumeStore jsonStore(storeDir.path());
        ResumeStore *store = json ? static_cast<ResumeStore *>(&jsonStore) : &memory;

        // Another homeserver's unfinished upload, in the same store.
        const QString otherPath = writeFile(u"other.bin"_s, content(5000));
        ResumeRecord foreign;
        foreign.id = u"foreign"_s;
        foreign.filePath = otherPath;
        foreign.fingerprint = *FileFingerprint::of(otherPath);
        foreign.homeserver = QUrl(u"https://matrix.example.org"_s);
        foreign.contentUri = u"mxc://example.org/Elsewhere"_s;
        foreign.protocol = u"async"_s;
        QVERIFY(store->store(foreign));

        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        const QList<QByteArray> bytes { content(3 * chunk + 3, 1), content(3 * chunk, 2) };
        QHash<QString, qint64> confirmed;
        QHash<QString, QString> uris;
        {
            auto earlier = makeManager(store);
            QCOMPARE(earlier->restore().size(), 0); // the foreign record is not ours
            const QList<UploadJob *> jobs = earlier->enqueue(
                { writeFile(u"r0.bin"_s, bytes.at(0)), writeFile(u"r1.bin"_s, bytes.at(1)) });
            QTRY_VERIFY_WITH_TIMEOUT(
                jobs.at(0)->confirmedBytes() >= chunk && jobs.at(1)->confirmedBytes() >= chunk,
                waitMs);
            earlier->pauseAll();
            for (const UploadJob *job : jobs) {
                confirmed.insert(job->id(), job->confirmedBytes());
                uris.insert(job->id(), job->contentUri());
                QVERIFY(job->confirmedBytes() < job->size());
            }
        } // the program ends
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QCOMPARE(store->loadAll().size(), 3);

        auto manager = makeManager(store);
        QSignalSpy added(manager.get(), &UploadManager::jobAdded);
        const QList<UploadJob *> restored = manager->restore();
        QCOMPARE(restored.size(), 2);
        QCOMPARE(added.size(), 2);
        QCOMPARE(manager->count(), 2);
        QCOMPARE(manager->job(u"foreign"_s), nullptr);
        QCOMPARE(manager->restore().size(), 0); // twice does not list them twice
        QCOMPARE(manager->count(), 2);
        for (const UploadJob *job : restored) {
            QVERIFY2(confirmed.contains(job->id()), qPrintable(job->id()));
            QCOMPARE(job->state(), State::Paused);
            QCOMPARE(job->confirmedBytes(), confirmed.value(job->id()));
            QCOMPARE(job->contentUri(), uris.value(job->id()));
        }
        QVERIFY(manager->isIdle());
        QCoreApplication::processEvents();
        for (const UploadJob *job : restored)
            QCOMPARE(job->state(), State::Paused); // listed, not started by themselves

        manager->resumeAll();
        QVERIFY(waitIdle(*manager));
        for (const UploadJob *job : restored) {
            QCOMPARE(job->state(), State::Completed);
            QCOMPARE(job->contentUri(), uris.value(job->id()));
            const int which = job->fileName() == u"r0.bin"_s ? 0 : 1;
            QCOMPARE(m_server->mediaContent(job->contentUri()), bytes.at(which));
        }
        const QList<ResumeRecord> left = store->loadAll();
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().id, u"foreign"_s);
    }
    void restoreTakesOnlyThisUsersRecords()
    {
        // Issue 14, item 8: records were matched by homeserver only, so another account's
        // unfinished upload on the same server was continued with this account's token.
        startServer();
        m_api->setUserId(u"@alice:localhost"_s);
        MemoryResumeStore store;
        const QString path = writeFile(u"mine.bin"_s, content(5000));
        auto record = [&](const QString &id, const QString &user) {
            ResumeRecord r;
            r.id = id;
            r.filePath = path;
            r.fingerprint = *FileFingerprint::of(path);
            r.homeserver = m_server->baseUrl();
            r.userId = user;
            r.contentUri = u"mxc://localhost/Id"_s + id;
            r.protocol = u"async"_s;
            QVERIFY(store.store(r));
        };
        record(u"bobs"_s, u"@bob:localhost"_s);
        record(u"alices"_s, u"@alice:localhost"_s);
        record(u"unknown"_s, QString()); // an older record: it names no user
        auto manager = makeManager(&store);
        QStringList ids;
        for (const UploadJob *job : manager->restore())
            ids.append(job->id());
        ids.sort();
        QCOMPARE(ids, QStringList({ u"alices"_s, u"unknown"_s }));
        QCOMPARE(store.loadAll().size(), 3); // Bob's stays for Bob
        // A job's record names its user (held in Finalizing: complete stalls).
        QVERIFY(m_server->addFault({ { u"latency_ms"_s, 60000 }, { u"times"_s, 1 },
            { u"path_prefix"_s, u"/_matrix/media/unstable/com.beeper.msc3870/upload/"_s } }));
        MemoryResumeStore fresh;
        auto third = makeManager(&fresh);
        UploadJob *job = third->enqueue(writeFile(u"new.bin"_s, content(3 * chunk)));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == State::Finalizing, waitMs);
        QVERIFY(fresh.load(job->id()).has_value());
        QCOMPARE(fresh.load(job->id())->userId, u"@alice:localhost"_s);
        third->pauseAll();
    }
};

QTEST_GUILESS_MAIN(tst_UploadManager)
#include "tst_uploadmanager.moc"
