// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// What the upload tests of Core, Widgets share: an in-process test server with a token, a
// MediaApi signed in to it, test files, and views of the server's request record.
#pragma once

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/attachmentcrypto_p.h>
#include <matrixupload/encryptedfile.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/transfer/transfer_p.h>
#include <matrixupload/uploadjob.h>

#include <matrixupload/testserver/mediatestserver.h>

#include "fixtures.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

namespace MatrixUpload::Testing {

inline constexpr qint64 chunk = 256 * 1024;

//! Options for upload tests: small chunks (256 KiB), retries after 10-50 ms instead of seconds,
//! an inactivity timeout long enough for a loaded machine.
inline UploadOptions fastOptions()
{
    UploadOptions o;
    o.chunkSize = chunk;
    o.inactivityTimeoutMs = 20000;
    o.retry.initialDelayMs = 10;
    o.retry.maxDelayMs = 50;
    return o;
}

//! Test fixture members; a test class derives from QObject and from this.
class UploadBench
{
protected:
    QTemporaryDir m_dir;
    std::unique_ptr<MediaTestServer> m_server;
    QNetworkAccessManager m_nam;
    std::unique_ptr<MediaApi> m_api;

    //! A server that accepts the token TOKEN (user alice), and m_api signed in to it.
    void startServer(const MediaTestServerConfig &base = {})
    {
        MediaTestServerConfig config = base;
        config.tokens.insert(QString::fromLatin1(testToken), QStringLiteral("alice"));
        m_server = std::make_unique<MediaTestServer>(config);
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
        m_api = std::make_unique<MediaApi>(&m_nam);
        m_api->setHomeserver(m_server->baseUrl());
        m_api->setAccessToken(QString::fromLatin1(testToken));
        // The host's manager holds a cookie for every host the test talks to, so that
        // verifyNothingSecretReachedUploadUrls() sees one that leaks (issue 14, item 10).
        QList<QUrl> hosts { m_server->baseUrl() };
        if (!config.uploadUrlBase.isEmpty())
            hosts.append(config.uploadUrlBase);
        storeCookies(hosts);
    }

    //! Stores the secret cookie (secretCookieValue) in the host's manager for each of \a urls.
    void storeCookies(const QList<QUrl> &urls)
    {
        QNetworkCookieJar *jar = m_api->networkAccessManager()->cookieJar();
        QVERIFY(jar);
        for (const QUrl &url : urls) {
            QNetworkCookie cookie("session", secretCookieValue);
            cookie.setPath(QStringLiteral("/"));
            QVERIFY(jar->setCookiesFromUrl({ cookie }, url));
            QVERIFY(!jar->cookiesForUrl(url).isEmpty());
        }
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write the test file");
        return path;
    }

    //! The recorded requests under \a prefix, oldest first. Records are only appended (one cut
    //! short is marked dropped later, in place), so counts compare across time.
    QList<QJsonObject> requestsTo(const QString &prefix) const
    {
        QList<QJsonObject> out;
        for (const QJsonValue &v : m_server->requests()) {
            if (v.toObject().value(QStringLiteral("path")).toString().startsWith(prefix))
                out.append(v.toObject());
        }
        return out;
    }

    //! Waits (up to \a timeoutMs) until the server has answered or dropped every recorded
    //! request to an upload URL: after a pause, the chunk it cut may still be arriving, and one
    //! whose body arrived whole is stored, so only then is what the server holds final.
    bool awaitUploadRequestsEnded(int timeoutMs) const
    {
        return QTest::qWaitFor(
            [this] {
                const QList<QJsonObject> sent = requestsTo(QStringLiteral("/_upload/"));
                return std::all_of(sent.cbegin(), sent.cend(), [](const QJsonObject &r) {
                    return r.value(QStringLiteral("status")).toInt() != 0
                        || r.value(QStringLiteral("dropped")).toBool();
                });
            },
            timeoutMs);
    }

    //! Options for tests: fastOptions().
    static UploadOptions options() { return fastOptions(); }

    //! Runs a job to a terminal state; finished() must fire exactly once.
    static bool runToEnd(UploadJob &job)
    {
        QSignalSpy finished(&job, &UploadJob::finished);
        if (job.state() == UploadJob::State::Queued)
            job.start();
        if (finished.isEmpty() && !finished.wait(30000))
            return false;
        QCoreApplication::processEvents();
        return finished.size() == 1;
    }

    //! docs/protocol.md 4.1: what of the Matrix token or a cookie reached an upload URL (in the
    //! path, the query or any header), or an empty string when nothing did; see
    //! Testing::secretInUploadRequests().
    QString secretInUploadRequests() const
    {
        if (!m_server)
            return {};
        QStringList tokens { QString::fromLatin1(testToken) };
        if (m_api)
            tokens.append(m_api->accessToken());
        return Testing::secretInUploadRequests(m_server->requests(), tokens);
    }

    //! Fails the test when the Matrix token or a cookie reached an upload URL.
    void verifyNothingSecretReachedUploadUrls() const
    {
        const QString leak = secretInUploadRequests();
        QVERIFY2(leak.isEmpty(), qPrintable(leak));
    }

    //! The end of every upload test (its cleanup()): nothing secret reached an upload URL, then
    //! the server stops and \a store (if any) is emptied for the next test.
    void finishUploadTest(ResumeStore *store)
    {
        if (m_server)
            verifyNothingSecretReachedUploadUrls();
        m_api.reset();
        m_server.reset();
        if (store) {
            for (const ResumeRecord &r : store->loadAll())
                store->remove(r.id);
        }
    }

    //! \a ciphertext decrypted with the key of \a file once its `hashes.sha256` matched;
    //! nothing, with the reason in \a error, when it did not.
    static std::optional<QByteArray> decrypted(
        const EncryptedFile &file, QByteArray ciphertext, QString *error = nullptr)
    {
        QBuffer in(&ciphertext);
        in.open(QIODevice::ReadOnly);
        QByteArray plain;
        QBuffer out(&plain);
        out.open(QIODevice::WriteOnly);
        if (!decryptAttachment(file, in, out, error))
            return std::nullopt;
        return plain;
    }

    //! A request of the test's own, waited for: whatever the code under test had already set
    //! off reaches the server's record before this one does.
    void roundTrip()
    {
        QUrl url = m_server->baseUrl();
        url.setPath(QStringLiteral("/_matrix/client/versions"));
        QNetworkReply *reply = m_nam.get(QNetworkRequest(url));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        reply->deleteLater();
    }
};

//! UploadBench for the tests that run UploadJobs: the jobs' upload-URL network manager and their
//! resume store; a test class derives from QObject and from this.
class UploadJobBench : public UploadBench
{
protected:
    //! The jobs' manager for upload URLs (uploadUrlNetworkManager()); made by
    //! startUploadJobTests().
    QNetworkAccessManager *m_uploadNam = nullptr;
    //! The jobs' resume store; finishUploadJobTest() empties it after every test.
    MemoryResumeStore m_store;

    //! The start of the test class (its initTestCase()): the test folder exists and m_uploadNam
    //! is made, owned by \a owner (the test object).
    void startUploadJobTests(QObject *owner)
    {
        QVERIFY(m_dir.isValid());
        m_uploadNam = uploadUrlNetworkManager(owner);
    }

    //! The end of every test (its cleanup()): finishUploadTest() with m_store.
    void finishUploadJobTest() { finishUploadTest(&m_store); }
};

} // namespace MatrixUpload::Testing
