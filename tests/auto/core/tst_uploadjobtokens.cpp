// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Uploads whose access token expires on the way, against the in-process test server over
// loopback: with a refresh token they complete as if nothing happened; without one, or when the
// refresh is refused, the job waits in WaitingForToken and a new token continues it from what
// the server confirmed.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/transfer/transfer_p.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include "uploadbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;
using Protocol = MediaTestServerConfig::UploadUrlProtocol;

namespace {
constexpr int waitMs = 30000;
constexpr qint64 lifetimeMs = 1500;
} // namespace

class tst_UploadJobTokens final : public QObject, protected UploadJobBench
{
    Q_OBJECT

    //! A server whose tokens from login live \a lifetime ms, and m_api signed in to it as
    //! alice, with a refresh token when \a refresh.
    bool signIn(Protocol protocol, bool refresh, qint64 lifetime = lifetimeMs)
    {
        MediaTestServerConfig config;
        config.uploadUrlProtocol = protocol;
        config.passwords.insert(u"alice"_s, u"secret"_s);
        config.tokenLifetimeMs = lifetime;
        config.enableTestControl = true;
        m_server = std::make_unique<MediaTestServer>(config);
        if (!m_server->listen())
            return false;
        m_api = std::make_unique<MediaApi>(&m_nam);
        m_api->setHomeserver(m_server->baseUrl());
        m_api->setRequestRefreshToken(refresh);
        return bool(await(m_api->loginWithPassword(u"alice"_s, u"secret"_s, u"DEV"_s)));
    }

    //! What the host does after asking the user to sign in again: a new login, its token
    //! handed to the MediaApi the jobs use.
    QString freshToken()
    {
        MediaApi other(&m_nam);
        other.setHomeserver(m_server->baseUrl());
        const auto login = await(other.loginWithPassword(u"alice"_s, u"secret"_s, u"DEV"_s));
        return login ? login->accessToken : QString();
    }

    template<class T> static ApiResult<T> await(ApiCall<T> *call)
    {
        const std::unique_ptr<ApiCall<T>> owner(call);
        QSignalSpy finished(call, &ApiCallBase::finished);
        if (!call->isFinished() && !finished.wait(waitMs))
            return MatrixError::local(u"test: the call did not finish"_s);
        return call->result();
    }

    std::unique_ptr<UploadJob> makeJob(const QString &path, const UploadOptions &o)
    {
        return std::make_unique<UploadJob>(
            path, UploadContext { m_api.get(), m_uploadNam, &m_store }, o);
    }

    //! Body bytes that reached the server's upload URLs.
    qint64 bytesToUploadUrls() const
    {
        qint64 sum = 0;
        for (const QJsonObject &r : requestsTo(u"/_upload/"_s))
            sum += r.value(u"body_size"_s).toInteger();
        return sum;
    }
    //! How many recorded requests under \a prefix were answered \a status.
    qsizetype answered(const QString &prefix, int status) const
    {
        const auto all = requestsTo(prefix);
        return std::count_if(all.cbegin(), all.cend(),
            [status](const QJsonObject &r) { return r.value(u"status"_s).toInt() == status; });
    }

private Q_SLOTS:
    void initTestCase() { startUploadJobTests(this); }

    void cleanup() { finishUploadJobTest(); }

    void uploadOutlivesItsToken_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addColumn<bool>("verify");
        QTest::addColumn<QString>("afterUpload"); // the authenticated request after the bytes
        QTest::addRow("upload URL, then complete")
            << int(Protocol::ContentRange) << false << u"/_matrix/media/"_s;
        QTest::addRow("MSC2246 PUT, then the verifying download")
            << int(Protocol::None) << true << u"/_matrix/client/v1/media/download/"_s;
    }
    void uploadOutlivesItsToken()
    {
        QFETCH(int, serverProtocol);
        QFETCH(bool, verify);
        QFETCH(QString, afterUpload);
        QVERIFY(signIn(Protocol(serverProtocol), true));
        QSignalSpy refreshed(m_api.get(), &MediaApi::tokensRefreshed);
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        // About 3 s of bytes at this rate: twice the token's lifetime.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 700 * 1024 } }));
        const QByteArray bytes = content(8 * chunk + 123);
        UploadOptions o = options();
        o.verify = verify;
        auto job = makeJob(writeFile(u"long.bin"_s, bytes), o);
        QList<State> states;
        connect(job.get(), &UploadJob::stateChanged, this,
            [&states](State state) { states.append(state); });
        QElapsedTimer clock;
        clock.start();

        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Completed);
        QVERIFY2(clock.elapsed() > lifetimeMs, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(job->isVerified(), verify);
        // The token did run out (a request after the bytes was refused), MediaApi refreshed it
        // by itself, and the job saw none of it.
        QVERIFY(answered(afterUpload, 401) >= 1);
        QVERIFY(answered(u"/_matrix/client/v3/refresh"_s, 200) >= 1);
        QVERIFY(refreshed.count() >= 1);
        QCOMPARE(rejected.count(), 0);
        QVERIFY(!states.contains(State::WaitingForToken));
        QVERIFY(!states.contains(State::Failed));
        QVERIFY(!states.contains(State::WaitingToRetry));
        // Every byte went once.
        if (Protocol(serverProtocol) == Protocol::None) {
            const auto puts = requestsTo(u"/_matrix/media/v3/upload/"_s);
            QCOMPARE(puts.size(), 1);
            QCOMPARE(puts.first().value(u"body_size"_s).toInteger(), bytes.size());
        } else {
            QCOMPARE(bytesToUploadUrls(), bytes.size());
        }
    }

    void withoutRefreshTheJobWaitsForANewToken()
    {
        QVERIFY(signIn(Protocol::ContentRange, false, 3600 * 1000));
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        const QByteArray bytes = content(6 * chunk + 5);
        auto job = makeJob(writeFile(u"waits.bin"_s, bytes), options());
        QSignalSpy finished(job.get(), &UploadJob::finished);
        job->start();
        // The token expires while the bytes flow to the upload URL, which needs none.
        QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= chunk, waitMs);
        QVERIFY(m_server->expireAccessToken(u"*"_s));

        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::WaitingForToken, waitMs);
        QCOMPARE(rejected.count(), 1);
        QVERIFY(rejected.first().first().value<MatrixError>().isSoftLogout());
        QVERIFY(m_api->isAccessTokenRejected());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(job->error(), UploadJob::Error::None);
        QVERIFY(job->isActive()); // it keeps its place in a queue
        QCOMPARE(job->confirmedBytes(), bytes.size()); // every byte is on the server
        QCOMPARE(m_store.load(job->id())->confirmedOffset, bytes.size());
        QCOMPARE(UploadListModel::stateText(job.get()), u"Waiting for sign-in"_s);
        QCOMPARE(answered(u"/_matrix/media/"_s, 401), 1); // the complete, once: no loop
        QCOMPARE(requestsTo(u"/_matrix/client/v3/refresh"_s).size(), 0);

        // Waiting is not giving up: a pause and a resume wait again.
        job->pause();
        QCOMPARE(job->state(), State::Paused);
        job->resume();
        QVERIFY(job->state() == State::Queued);
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::WaitingForToken, waitMs);
        QCOMPARE(finished.count(), 0);

        // The host signs in again: the job continues from the server's offset, to Completed.
        const qint64 sentBefore = bytesToUploadUrls();
        m_api->setAccessToken(freshToken());
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Completed);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(bytesToUploadUrls(), sentBefore); // no confirmed byte was sent again
        QCOMPARE(bytesToUploadUrls(), bytes.size());
        QCOMPARE(answered(u"/_matrix/media/"_s, 200), 2); // the create and the complete
        QCOMPARE(rejected.count(), 1);
    }

    void waitingAtEachStep_data()
    {
        QTest::addColumn<int>("serverProtocol");
        QTest::addColumn<bool>("refreshRefused");
        QTest::addColumn<QString>("refused"); // the request the expired token met
        QTest::addRow("MSC2246 PUT")
            << int(Protocol::None) << false << u"/_matrix/media/v3/upload/"_s;
        QTest::addRow("MSC2246 PUT, refresh refused")
            << int(Protocol::None) << true << u"/_matrix/media/v3/upload/"_s;
        QTest::addRow("complete, refresh refused")
            << int(Protocol::ContentRange) << true << u"/_matrix/media/"_s;
    }
    void waitingAtEachStep()
    {
        QFETCH(int, serverProtocol);
        QFETCH(bool, refreshRefused);
        QFETCH(QString, refused);
        QVERIFY(signIn(Protocol(serverProtocol), refreshRefused, 3600 * 1000));
        if (refreshRefused)
            m_api->setRefreshToken(u"mur_spent-or-unknown"_s);
        QSignalSpy rejected(m_api.get(), &MediaApi::accessTokenRejected);
        const QByteArray bytes = content(3 * chunk + 1);
        auto job = makeJob(writeFile(u"step.bin"_s, bytes), options());
        // The token dies the moment the content URI is known, before the bytes go out.
        connect(job.get(), &UploadJob::contentUriChanged, this,
            [this] { QVERIFY(m_server->expireAccessToken(u"*"_s)); });
        QSignalSpy finished(job.get(), &UploadJob::finished);
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::WaitingForToken, waitMs);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(answered(refused, 401), 1);
        // A refused refresh is asked once, then the rejection stands: no loop.
        QCOMPARE(requestsTo(u"/_matrix/client/v3/refresh"_s).size(), refreshRefused ? 1 : 0);
        QVERIFY(m_api->refreshToken().isEmpty());

        m_api->setAccessToken(freshToken());
        QVERIFY(runToEnd(*job));
        QCOMPARE(job->state(), State::Completed);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(requestsTo(u"/_matrix/media/v1/create"_s).size(), 1); // the same content URI
    }

    void aWaitingJobKeepsItsSlot()
    {
        QVERIFY(signIn(Protocol::None, false, 3600 * 1000));
        UploadManager manager(m_api.get(), &m_store);
        manager.setOptions(options());
        manager.setMaxParallel(1);
        QVERIFY(m_server->expireAccessToken(u"*"_s));
        const QList<UploadJob *> jobs = manager.enqueue(
            { writeFile(u"a.bin"_s, content(1000, 1)), writeFile(u"b.bin"_s, content(2000, 2)) });
        QTRY_COMPARE_WITH_TIMEOUT(jobs[0]->state(), State::WaitingForToken, waitMs);
        // The second does not start into the same refusal; nothing failed.
        QCOMPARE(jobs[1]->state(), State::Queued);
        QCOMPARE(manager.failedCount(), 0);
        QCOMPARE(manager.activeCount(), 1);
        QVERIFY(!manager.isIdle());

        m_api->setAccessToken(freshToken());
        QTRY_COMPARE_WITH_TIMEOUT(manager.completedCount(), 2, waitMs);
        QCOMPARE(m_server->mediaContent(jobs[0]->contentUri()), content(1000, 1));
        QCOMPARE(m_server->mediaContent(jobs[1]->contentUri()), content(2000, 2));
    }
};

QTEST_GUILESS_MAIN(tst_UploadJobTokens)
#include "tst_uploadjobtokens.moc"
