// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// UploadListModel under QAbstractItemModelTester, fed by a real UploadManager uploading to the
// in-process test server: rows through adds, progress, removals and resets; every role; the
// route and state texts; and the coalescing of updates (about ten a second per row at most).
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include "uploadbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLocale>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;
using Role = UploadListModel::Role;

namespace {
constexpr int waitMs = 30000;

bool rowIn(const QModelIndex &topLeft, const QModelIndex &bottomRight, int row)
{
    return topLeft.row() <= row && row <= bottomRight.row();
}
} // namespace

class tst_UploadListModel final : public QObject, protected UploadBench
{
    Q_OBJECT

    std::unique_ptr<UploadManager> makeManager(
        const QString &forceProtocol = {}, qint64 chunkSize = chunk)
    {
        UploadOptions o;
        o.chunkSize = chunkSize;
        o.inactivityTimeoutMs = 20000;
        o.retry.initialDelayMs = 10;
        o.retry.maxDelayMs = 50;
        o.forceProtocol = forceProtocol;
        auto manager = std::make_unique<UploadManager>(m_api.get());
        manager->setOptions(o);
        return manager;
    }

    static bool waitIdle(const UploadManager &manager)
    {
        return QTest::qWaitFor([&] { return manager.isIdle(); }, waitMs);
    }

    //! The model shows the job's state (a flush has happened since its last change).
    static bool waitShown(const UploadListModel &model, const UploadJob *job)
    {
        return QTest::qWaitFor(
            [&] {
                const int row = model.rowOf(job);
                return row >= 0
                    && model.data(model.index(row), Role::StateRole).toInt() == int(job->state());
            },
            waitMs);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() { finishUploadTest(nullptr); }

    void underTheModelTester()
    {
        startServer();
        auto manager = makeManager();
        UploadJob *early = manager->enqueue(writeFile(u"early.bin"_s, content(1000)));

        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy countChanged(&model, &UploadListModel::countChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setManager(manager.get());
        QCOMPARE(model.manager(), manager.get());
        QCOMPARE(reset.size(), 1);
        QVERIFY(!countChanged.isEmpty());
        QCOMPARE(model.rowCount(), 1); // jobs the manager had already
        QCOMPARE(model.jobAt(0), early);

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const QList<UploadJob *> jobs
            = manager->enqueue({ writeFile(u"a.bin"_s, content(3 * chunk)),
                m_dir.filePath(u"missing.bin"_s), writeFile(u"c.bin"_s, content(5000)) });
        QCOMPARE(inserted.size(), 3);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.property("count").toInt(), 4);
        for (int i = 0; i < jobs.size(); ++i) {
            QCOMPARE(model.jobAt(i + 1), jobs.at(i));
            QCOMPARE(model.rowOf(jobs.at(i)), i + 1);
        }
        QCOMPARE(model.jobAt(4), nullptr);
        QCOMPARE(model.rowOf(nullptr), -1);

        QVERIFY(waitIdle(*manager));
        for (const UploadJob *job : manager->jobs())
            QVERIFY(waitShown(model, job));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.data(model.index(2), Role::StateRole).toInt(), int(State::Failed));

        manager->clearFinished(); // three completed go, the failure stays
        QCOMPARE(removed.size(), 3);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.jobAt(0), jobs.at(1));
        QCOMPARE(model.data(model.index(0), Role::JobIdRole).toString(), jobs.at(1)->id());

        manager->remove(jobs.at(1)->id());
        QCOMPARE(removed.size(), 4);
        QCOMPARE(model.rowCount(), 0);

        // Away from the manager in the middle of an upload: no rows, no more updates.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        UploadJob *late = manager->enqueue(writeFile(u"late.bin"_s, content(2 * chunk)));
        QCOMPARE(model.rowCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(late->bytesSent() > 0, waitMs);
        model.setManager(nullptr);
        QCOMPARE(reset.size(), 2);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.manager(), nullptr);
        QCOMPARE(model.jobAt(0), nullptr);
        changed.clear();
        inserted.clear();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QVERIFY(waitIdle(*manager));
        QCOMPARE(late->state(), State::Completed);
        // A witness model on the same manager: once its flush of the new job's changes came,
        // the detached model's would have come too (its timer would have started first).
        UploadListModel witness;
        witness.setManager(manager.get());
        UploadJob *unseen = nullptr;
        bool witnessedCompletion = false;
        connect(&witness, &QAbstractItemModel::dataChanged, this,
            [&] { witnessedCompletion = unseen && unseen->state() == State::Completed; });
        unseen = manager->enqueue(writeFile(u"unseen.bin"_s, content(10)));
        QTRY_VERIFY_WITH_TIMEOUT(witnessedCompletion, waitMs);
        QVERIFY(changed.isEmpty());
        QVERIFY(inserted.isEmpty());

        // And back: the manager's jobs come in one reset.
        model.setManager(manager.get());
        QCOMPARE(reset.size(), 3);
        QCOMPARE(model.rowCount(), manager->count());
    }

    void managerDestroyedEmptiesTheModel()
    {
        startServer();
        auto manager = makeManager();
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());
        manager->enqueue(
            { writeFile(u"a.bin"_s, content(100)), writeFile(u"b.bin"_s, content(10)) });
        QVERIFY(waitIdle(*manager));
        QCOMPARE(model.rowCount(), 2);
        QSignalSpy managerChanged(&model, &UploadListModel::managerChanged);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        manager.reset(); // deletes its jobs too
        QCOMPARE(model.manager(), nullptr);
        QCOMPARE(model.rowCount(), 0); // no row may point at a deleted job
        QCOMPARE(managerChanged.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        // A pending flush must not touch the deleted jobs. Waited for by an event, not for
        // nothing: the model's next flush, for the job of a new manager, reports that job's row
        // only (the old jobs' changes went with them).
        auto next = makeManager();
        model.setManager(next.get());
        next->enqueue({ writeFile(u"c.bin"_s, content(10, 3)) });
        QVERIFY(changed.wait(waitMs));
        QCOMPARE(model.rowCount(), 1);
        for (const QList<QVariant> &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).toModelIndex().row(), 0);
            QCOMPARE(args.at(1).toModelIndex().row(), 0);
        }
        QVERIFY(waitIdle(*next));
    }

    void everyRoleAnswersForALiveRow()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        auto manager = makeManager();
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());
        const QByteArray bytes = content(4 * chunk);
        UploadJob *job = manager->enqueue(writeFile(u"live.txt"_s, bytes));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == State::Uploading && job->bytesSent() > 0, waitMs);
        QVERIFY(waitShown(model, job));
        const QModelIndex index = model.index(0);

        const QHash<int, QByteArray> names = model.roleNames();
        const QRegularExpression camelCase(u"^[a-z][a-zA-Z0-9]*$"_s);
        QSet<QByteArray> seen;
        for (auto it = names.cbegin(); it != names.cend(); ++it) {
            const QString name = QString::fromLatin1(it.value());
            QVERIFY2(camelCase.match(name).hasMatch(), qPrintable(name));
            QVERIFY2(!seen.contains(it.value()), qPrintable(name));
            seen.insert(it.value());
            QVERIFY2(model.data(index, it.key()).isValid(), qPrintable(name));
        }
        // Every role of the enum has a name.
        const QMetaEnum roles = QMetaEnum::fromType<UploadListModel::Role>();
        for (int i = 0; i < roles.keyCount(); ++i)
            QVERIFY2(names.contains(roles.value(i)), roles.key(i));
        QVERIFY(names.contains(Qt::DisplayRole));

        auto value = [&](Role role) { return model.data(index, role); };
        QCOMPARE(value(Role::JobIdRole).toString(), job->id());
        QCOMPARE(value(Role::FileNameRole).toString(), u"live.txt"_s);
        QCOMPARE(value(Role::FilePathRole).toString(), m_dir.filePath(u"live.txt"_s));
        QCOMPARE(value(Role::MediaTypeRole).toString(), u"text/plain"_s);
        QCOMPARE(value(Role::SizeRole).toLongLong(), bytes.size());
        QCOMPARE(value(Role::StateRole).toInt(), int(State::Uploading));
        QCOMPARE(value(Role::StateTextRole).toString(), u"Uploading"_s);
        QVERIFY(value(Role::BytesSentRole).toLongLong() > 0);
        QCOMPARE(value(Role::ProtocolRole).toString(), u"content-range"_s);
        QCOMPARE(value(Role::RouteRole).toInt(), int(UploadJob::Route::UploadUrl));
        QVERIFY(value(Role::ContentUriRole).toString().startsWith(u"mxc://localhost/"_s));
        QCOMPARE(value(Role::ErrorRole).toInt(), int(UploadJob::Error::None));
        QCOMPARE(value(Role::CanPauseRole).toBool(), true);
        QCOMPARE(value(Role::CanResumeRole).toBool(), false);
        QCOMPARE(value(Role::CanRetryRole).toBool(), false);
        QCOMPARE(value(Role::CanCancelRole).toBool(), true);
        QVERIFY(value(Role::SpeedRole).canConvert<double>());
        QVERIFY(value(Role::TimeLeftRole).canConvert<qint64>());
        QVERIFY(model.data(index, Qt::ToolTipRole).toString().contains(u"Uploading"_s));
        QVERIFY(!model.data(model.index(1), Role::FileNameRole).isValid()); // no such row
        manager->cancelAll();
    }

    void encryptedRoleFollowsTheJob()
    {
        startServer();
        auto manager = makeManager();
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());
        UploadJob *job = manager->enqueue(writeFile(u"secret.txt"_s, content(1000)));
        manager->hold(job->id()); // still Queued: its encryption can be chosen
        QVERIFY(waitShown(model, job));
        QCOMPARE(model.data(model.index(0), Role::EncryptedRole).toBool(), false);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        UploadOptions options = job->options();
        options.encrypt = true;
        job->setOptions(options); // as RoomPoster does for an encrypted room
        QVERIFY(job->isEncrypted());
        QTRY_VERIFY(!changed.isEmpty());
        QCOMPARE(model.data(model.index(0), Role::EncryptedRole).toBool(), true);
        QCOMPARE(model.roleNames().value(Role::EncryptedRole), "encrypted"_ba);
        manager->release(job->id());
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Completed, waitMs);
        // Once started, the choice is what the server holds.
        options.encrypt = false;
        job->setOptions(options);
        QCOMPARE(model.data(model.index(0), Role::EncryptedRole).toBool(), true);
    }

    void displayRoleAndProgress()
    {
        startServer();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        auto manager = makeManager();
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());
        UploadJob *job = manager->enqueue(writeFile(u"ö display name.bin"_s, content(3 * chunk)));
        QCOMPARE(model.data(model.index(0), Qt::DisplayRole).toString(), u"ö display name.bin"_s);
        QList<double> progress { model.data(model.index(0), Role::ProgressRole).toDouble() };
        connect(&model, &QAbstractItemModel::dataChanged, this,
            [&](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                if (rowIn(topLeft, bottomRight, 0))
                    progress.append(model.data(model.index(0), Role::ProgressRole).toDouble());
            });
        QVERIFY(waitIdle(*manager));
        QCOMPARE(job->state(), State::Completed);
        QVERIFY(waitShown(model, job));
        QCOMPARE(progress.first(), 0.0);
        QCOMPARE(progress.last(), 1.0);
        for (qsizetype i = 1; i < progress.size(); ++i)
            QVERIFY2(progress.at(i) >= progress.at(i - 1),
                qPrintable(u"%1 after %2"_s.arg(progress.at(i)).arg(progress.at(i - 1))));
        QVERIFY2(std::any_of(progress.cbegin(), progress.cend(),
                     [](double p) { return p > 0.0 && p < 1.0; }),
            "no step between 0 and 1 was shown");
        QCOMPARE(model.data(model.index(0), Qt::DisplayRole).toString(), u"ö display name.bin"_s);
    }

    void routeText_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<QString>("force");
        QTest::addColumn<int>("route");
        QTest::addColumn<QString>("text"); // %1: the job's fallback reason
        QTest::addColumn<QString>("reasonContains");
        QTest::addRow("upload URL")
            << QJsonObject() << QString() << int(UploadJob::Route::UploadUrl)
            << u"direct to storage"_s << QString();
        QTest::addRow("tampered upload URL, fallback")
            << QJsonObject { { u"tamper_upload_url"_s, true } } << QString()
            << int(UploadJob::Route::ContentUri) << u"through the homeserver (%1)"_s << u"403"_s;
        QTest::addRow("forced legacy, no reason")
            << QJsonObject() << u"legacy"_s << int(UploadJob::Route::Legacy)
            << u"through the homeserver"_s << QString();
    }
    void routeText()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(QString, force);
        QFETCH(int, route);
        QFETCH(QString, text);
        QFETCH(QString, reasonContains);
        startServer();
        if (!fault.isEmpty())
            QVERIFY(m_server->addFault(fault));
        auto manager = makeManager(force);
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());
        UploadJob *job = manager->enqueue(writeFile(u"route.bin"_s, content(chunk + 1)));
        QCOMPARE(
            model.data(model.index(0), Role::RouteTextRole).toString(), QString()); // undecided
        QVERIFY(waitIdle(*manager));
        QCOMPARE(job->state(), State::Completed);
        QVERIFY(waitShown(model, job));
        const QModelIndex index = model.index(0);
        QCOMPARE(model.data(index, Role::RouteRole).toInt(), route);
        const QString reason = model.data(index, Role::FallbackReasonRole).toString();
        QCOMPARE(reason, job->fallbackReason());
        QVERIFY2(reason.contains(reasonContains), qPrintable(reason));
        const QString expected = text.contains(u"%1"_s) ? text.arg(reason) : text;
        QCOMPARE(model.data(index, Role::RouteTextRole).toString(), expected);
        QCOMPARE(model.data(index, Role::ProtocolRole).toString(), job->protocol());
        QVERIFY(model.data(index, Qt::ToolTipRole).toString().contains(expected));
    }

    void endStates_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("stateText");
        QTest::addColumn<bool>("canResume");
        QTest::addColumn<bool>("canRetry");
        QTest::addColumn<bool>("canCancel");
        QTest::addRow("completed")
            << u"complete"_s << int(State::Completed) << u"Done"_s << false << false << false;
        QTest::addRow("failed") << u"fail"_s << int(State::Failed) << u"Failed"_s << false << true
                                << false;
        QTest::addRow("paused") << u"pause"_s << int(State::Paused) << u"Paused"_s << true << false
                                << true;
        QTest::addRow("cancelled")
            << u"cancel"_s << int(State::Cancelled) << u"Cancelled"_s << false << false << false;
    }
    void endStates()
    {
        QFETCH(QString, how);
        QFETCH(int, state);
        QFETCH(QString, stateText);
        QFETCH(bool, canResume);
        QFETCH(bool, canRetry);
        QFETCH(bool, canCancel);
        startServer();
        auto manager = makeManager();
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());
        const QByteArray bytes = content(5000);
        const QString path
            = how == u"fail"_s ? m_dir.filePath(u"gone.bin"_s) : writeFile(u"end.bin"_s, bytes);
        UploadJob *job = manager->enqueue(path);
        const QModelIndex index = model.index(0);
        QCOMPARE(model.data(index, Role::StateTextRole).toString(), u"Waiting"_s);
        QCOMPARE(model.data(index, Role::ContentUriRole).toString(), QString());
        if (how == u"pause"_s)
            manager->pause(job->id());
        else if (how == u"cancel"_s)
            manager->cancel(job->id());
        QVERIFY(waitIdle(*manager));
        QCOMPARE(int(job->state()), state);
        QVERIFY(waitShown(model, job));

        QCOMPARE(model.data(index, Role::StateTextRole).toString(), stateText);
        QVERIFY(model.data(index, Qt::ToolTipRole).toString().contains(stateText));
        QCOMPARE(model.data(index, Role::CanResumeRole).toBool(), canResume);
        QCOMPARE(model.data(index, Role::CanRetryRole).toBool(), canRetry);
        QCOMPARE(model.data(index, Role::CanCancelRole).toBool(), canCancel);
        QCOMPARE(model.data(index, Role::CanPauseRole).toBool(), false);
        const QString uri = model.data(index, Role::ContentUriRole).toString();
        const QString error = model.data(index, Role::ErrorStringRole).toString();
        if (how == u"complete"_s) {
            QVERIFY(uri.startsWith(u"mxc://localhost/"_s));
            QCOMPARE(uri, job->contentUri());
            QCOMPARE(m_server->mediaContent(uri), bytes);
            QCOMPARE(model.data(index, Role::ProgressRole).toDouble(), 1.0);
            QCOMPARE(model.data(index, Role::BytesSentRole).toLongLong(), bytes.size());
        } else {
            QCOMPARE(uri, QString());
        }
        if (how == u"fail"_s) {
            QCOMPARE(error, job->errorString());
            QVERIFY2(error.contains(u"gone.bin"_s), qPrintable(error));
            QCOMPARE(
                model.data(index, Role::ErrorRole).toInt(), int(UploadJob::Error::FileMissing));
            QVERIFY(model.data(index, Qt::ToolTipRole).toString().contains(error));
            // What to do about it, worded once for every view.
            QCOMPARE(model.data(index, Role::AdviceRole).toString(),
                u"Check where the file went, then add it again."_s);
        } else {
            QCOMPARE(error, QString());
            QCOMPARE(model.data(index, Role::ErrorRole).toInt(), int(UploadJob::Error::None));
            QCOMPARE(model.data(index, Role::AdviceRole).toString(), QString());
        }
    }

    void sizesAndTimesInWords()
    {
        // One wording for every view and the CLI: SI units, seconds to hours.
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(UploadListModel::formatSize(-1), QString());
        QCOMPARE(UploadListModel::formatSize(0), u"0 bytes"_s);
        QCOMPARE(UploadListModel::formatSize(1500000), u"1.5 MB"_s);
        QCOMPARE(UploadListModel::formatSize(1048576), u"1.0 MB"_s); // not 1.00 MiB
        QCOMPARE(UploadListModel::formatDuration(-1), QString());
        QCOMPARE(UploadListModel::formatDuration(42), u"42 s"_s);
        QCOMPARE(UploadListModel::formatDuration(185), u"3 min 5 s"_s);
        QCOMPARE(UploadListModel::formatDuration(7800), u"2 h 10 min"_s);
        QLocale::setDefault(before);
    }

    void updatesAreCoalesced()
    {
        startServer();
        // Many small chunks, each a request whose end is a progress signal at least. The cap
        // keeps a fast machine busy for several flush intervals.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 4 * 1024 * 1024 } }));
        auto manager = makeManager();
        UploadListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setManager(manager.get());

        struct Row
        {
            int progressSignals = 0;
            int jobChanges = 0; // every signal of the job, progress included
            int modelChanges = 0;
            int lastJobChange = 0;
            int lastModelChange = 0;
        };
        QList<Row> rows(2);
        int sequence = 0;
        const QList<UploadJob *> jobs
            = manager->enqueue({ writeFile(u"c0.bin"_s, content(16 * chunk, 1)),
                writeFile(u"c1.bin"_s, content(12 * chunk, 2)) });
        for (int i = 0; i < jobs.size(); ++i) {
            UploadJob *job = jobs.at(i);
            Row *row = &rows[i];
            auto changed = [&sequence, row] {
                ++row->jobChanges;
                row->lastJobChange = ++sequence;
            };
            connect(job, &UploadJob::stateChanged, this, changed);
            connect(job, &UploadJob::contentUriChanged, this, changed);
            connect(job, &UploadJob::routeChanged, this, changed);
            connect(job, &UploadJob::protocolChanged, this, changed);
            connect(job, &UploadJob::fallbackReasonChanged, this, changed);
            connect(job, &UploadJob::progressChanged, this, [row, changed] {
                ++row->progressSignals;
                changed();
            });
        }
        connect(&model, &QAbstractItemModel::dataChanged, this,
            [&](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                for (int i = 0; i < rows.size(); ++i) {
                    if (rowIn(topLeft, bottomRight, i)) {
                        ++rows[i].modelChanges;
                        rows[i].lastModelChange = ++sequence;
                    }
                }
            });
        QVERIFY(waitIdle(*manager));
        // The final state reaches the model after the jobs' last change.
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(rows.cbegin(), rows.cend(),
                [](const Row &r) { return r.lastModelChange > r.lastJobChange; }),
            waitMs);

        for (int i = 0; i < rows.size(); ++i) {
            const Row &row = rows.at(i);
            const QString counts
                = u"row %1: %2 progress signals, %3 job signals, %4 dataChanged"_s.arg(i)
                      .arg(row.progressSignals)
                      .arg(row.jobChanges)
                      .arg(row.modelChanges);
            qInfo().noquote() << counts;
            // One at least per chunk: enough to coalesce. How many of them share a flush
            // depends on the machine's speed; the burst below shows the coalescing itself.
            QVERIFY2(row.progressSignals >= jobs.at(i)->size() / chunk, qPrintable(counts));
            const QModelIndex index = model.index(i);
            QCOMPARE(model.data(index, Role::StateRole).toInt(), int(State::Completed));
            QCOMPARE(model.data(index, Role::ProgressRole).toDouble(), 1.0);
            QCOMPARE(model.data(index, Role::BytesSentRole).toLongLong(), jobs.at(i)->size());
            QCOMPARE(model.data(index, Role::ContentUriRole).toString(), jobs.at(i)->contentUri());
        }

        // However fast a job's signals come (a loaded machine may space a real upload's out to
        // about one per flush), a burst becomes one update: 500 changes in one go, one dataChanged.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (int n = 1; n <= 500; ++n)
            Q_EMIT jobs.at(0)->progressChanged(jobs.at(0)->size(), jobs.at(0)->size());
        QVERIFY(changed.isEmpty()); // nothing at once
        QVERIFY(changed.wait(waitMs));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 0);
        // Nothing of the burst is left for a later flush: a change of the other row, made now,
        // is flushed on its own, and no update of row 0 comes before or with it.
        Q_EMIT jobs.at(1)->progressChanged(jobs.at(1)->size(), jobs.at(1)->size());
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() > 1, waitMs);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(1).at(1).toModelIndex().row(), 1);
    }

    // Issue 15, item 4: a flush says what changed in a few signals, however many rows changed:
    // one dataChanged() per run of neighbouring rows, and one span over them all when the runs
    // are many (a view repaints what it shows either way).
    void aFlushOfManyRowsIsAFewSignals()
    {
        startServer();
        auto manager = makeManager();
        UploadListModel model(manager.get());
        constexpr int files = 1000;
        QStringList paths;
        for (int i = 0; i < files; ++i)
            paths.append(writeFile(u"many/%1.bin"_s.arg(i), content(10, i)));
        const QList<UploadJob *> jobs = manager->enqueue(paths);
        QCOMPARE(model.rowCount(), files);
        const auto rows = [](const QList<QVariant> &signal) {
            return std::pair { signal.at(0).toModelIndex().row(),
                signal.at(1).toModelIndex().row() };
        };

        // Every row in one turn (none has started yet): one signal for all.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        manager->pauseAll();
        QVERIFY(changed.wait(waitMs));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(rows(changed.first()), std::pair(0, files - 1));

        // Two runs: two signals, each its rows only.
        changed.clear();
        for (int i = 10; i < 20; ++i)
            manager->cancel(jobs.at(i)->id());
        for (int i = 500; i < 600; ++i)
            manager->cancel(jobs.at(i)->id());
        QVERIFY(changed.wait(waitMs));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(rows(changed.at(0)), std::pair(10, 19));
        QCOMPARE(rows(changed.at(1)), std::pair(500, 599));

        // Every other row: 400 runs of one row, one signal over them.
        changed.clear();
        for (int i = 200; i < files; i += 2)
            manager->cancel(jobs.at(i)->id());
        QVERIFY(changed.wait(waitMs));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(rows(changed.first()), std::pair(200, files - 2));
        QCOMPARE(model.data(model.index(files - 3), Role::StateRole).toInt(), int(State::Paused));
        QCOMPARE(
            model.data(model.index(files - 2), Role::StateRole).toInt(), int(State::Cancelled));

        // Rows still find their jobs after removals before them.
        manager->remove(jobs.at(0)->id());
        manager->remove(jobs.at(5)->id());
        QCOMPARE(model.rowOf(jobs.at(1)), 0);
        QCOMPARE(model.rowOf(jobs.at(6)), 4);
        QCOMPARE(model.rowOf(jobs.last()), files - 3);
        QCOMPARE(model.jobAt(files - 3), jobs.last());

        // Hundreds of removals, from the front and from the middle, past the point where the
        // model renumbers its rows: every row still finds its job, and every job its row.
        for (int i = 1; i < 200; ++i)
            manager->remove(jobs.at(i == 5 ? 999 : i)->id());
        for (int i = 300; i < 700; i += 3)
            manager->remove(jobs.at(i)->id());
        const QList<UploadJob *> left = manager->jobs();
        QCOMPARE(model.rowCount(), left.size());
        for (int row = int(left.size()) - 1; row >= 0; --row) {
            QCOMPARE(model.rowOf(left.at(row)), row);
            QCOMPARE(model.jobAt(row), left.at(row));
        }
        manager->cancelAll();
    }
};

QTEST_GUILESS_MAIN(tst_UploadListModel)
#include "tst_uploadlistmodel.moc"
