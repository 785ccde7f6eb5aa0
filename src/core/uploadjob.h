// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: one file's way into the content repository (design.md, "One upload").
#pragma once

#include "api/matrixerror.h"
#include "api/mediatypes.h"
#include "retrypolicy.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace MatrixUpload {

class ApiCallBase;
class UploadJobPrivate;
class MediaApi;
class ResumeStore;
class Transfer;
struct ResumeRecord;
struct TransferOutcome;

//! What every job of one account shares: the Matrix API client, a network manager for upload
//! URLs that carries no token and no cookies (uploadUrlNetworkManager()), and where resume
//! records go (may be null: no resume across restarts).
struct UploadContext
{
    MediaApi *api = nullptr;
    QNetworkAccessManager *uploadUrlNam = nullptr;
    ResumeStore *resumeStore = nullptr;
};

//! How a job may travel.
struct UploadOptions
{
    bool useUploadUrls = true; //!< false: always through the homeserver (MSC2246 PUT)
    //! Force one path, for diagnosis: put, content-range, tus (the upload URL's protocol is
    //! taken as that), async (MSC2246 PUT) or legacy (POST /upload). Empty: choose
    //! (protocol.md 4.2).
    QString forceProtocol;
    qint64 chunkSize = 8 * 1024 * 1024; //!< a multiple of 256 KiB
    int inactivityTimeoutMs = 60 * 1000;
    std::optional<qint64> maxUploadSize; //!< the server's m.upload.size, checked before any request
    //! After the server took the file, download it and compare SHA-256 with the local file
    //! before the job counts as Completed; a difference fails the job (Error::Server).
    bool verify = false;
    RetryPolicy::Settings retry;
};

//! One file's upload: preflight, create, transfer (upload URL, MSC2246 PUT or legacy POST, with
//! the fallbacks of protocol.md 5), complete. Verbs never block; the state changes in one place
//! and every terminal state (Completed, Failed, Cancelled) emits finished() once.
//!
//! \code
//! auto *job = new UploadJob(u"/home/alice/photo.jpg"_s, context, {}, this);
//! connect(job, &UploadJob::finished, this, [job] {
//!     if (job->state() == UploadJob::State::Completed)
//!         qInfo() << job->contentUri();
//!     else
//!         qWarning() << job->errorString();
//! });
//! job->start();
//! \endcode
class UploadJob : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Queued,
        Preparing,
        Creating,
        Uploading,
        Paused,
        WaitingToRetry,
        //! The server refused the access token and MediaApi could not refresh it
        //! (MediaApi::accessTokenRejected()): the job holds its place and what the server
        //! confirmed, and continues when the host gives a new token (MediaApi::setAccessToken()).
        WaitingForToken,
        Finalizing,
        Completed,
        Failed,
        Cancelled
    };
    Q_ENUM(State)

    //! How the bytes travel.
    enum class Route {
        Undecided,
        UploadUrl, //!< straight to the server's upload URL (MSC3870)
        ContentUri, //!< through the homeserver onto the created ID (MSC2246 PUT)
        Legacy, //!< through the homeserver, POST /upload
    };
    Q_ENUM(Route)

    enum class Error {
        None,
        FileMissing,
        FileUnreadable,
        NotAFile,
        TooLarge,
        FileChanged,
        Unauthorized, //!< not set by the job any more: a refused token is WaitingForToken
        Refused, //!< the server refused the content (403, quota, type)
        Network, //!< gave up after retries
        Server, //!< an answer this client cannot use
    };
    Q_ENUM(Error)

    UploadJob(const QString &filePath, const UploadContext &context, const UploadOptions &options,
        QObject *parent = nullptr);
    //! A job that continues an unfinished upload from an earlier run.
    UploadJob(const ResumeRecord &record, const UploadContext &context,
        const UploadOptions &options, QObject *parent = nullptr);
    ~UploadJob() override;

    QString id() const;
    QString filePath() const;
    QString fileName() const;
    QString mediaType() const;
    qint64 size() const; //!< -1 until known
    State state() const;
    bool isTerminal() const;
    bool isActive() const; //!< taking network or timer time now

    //! Bytes sent, counting those not yet confirmed (what a progress bar shows).
    qint64 bytesSent() const;
    //! Bytes the server confirmed holding.
    qint64 confirmedBytes() const;
    //! Recent speed in bytes per second, 0 while nothing moves.
    double bytesPerSecond() const;
    QString contentUri() const;
    //! Made from the resume record of an earlier run (and not started afresh since).
    bool isRestored() const;
    //! The server's copy was downloaded and matched the file (UploadOptions::verify).
    bool isVerified() const;
    Route route() const;
    //! put, content-range, tus, async or legacy; empty until chosen.
    QString protocol() const;
    //! Why the job left the direct path, for people ("direct upload refused (HTTP 403)").
    QString fallbackReason() const;
    Error error() const;
    QString errorString() const;
    //! The wait before the next try while WaitingToRetry, in ms.
    qint64 retryDelayMs() const;
    UploadOptions options() const;

    //! A line the program using the job adds for people, e.g. where the file was posted. The
    //! job itself never sets it; the list model shows it (UploadListModel::NoteRole).
    QString note() const;
    void setNote(const QString &note);
    void setOptions(const UploadOptions &options);

public Q_SLOTS:
    //! Starts a Queued job.
    void start();
    //! Stops moving bytes, keeping what the server holds; resume() continues from there.
    void pause();
    void resume();
    //! Ends the job for good. No request is made after this.
    void cancel();
    //! Starts a Failed job again (a changed file is read afresh).
    void retry();

Q_SIGNALS:
    void stateChanged(MatrixUpload::UploadJob::State state);
    void progressChanged(qint64 bytesSent, qint64 size);
    //! The content URI is known (or changed: an expired ID was created anew).
    void contentUriChanged(const QString &contentUri, const QString &previous);
    //! route(), protocol() or fallbackReason() changed.
    void routeChanged();
    void noteChanged();
    //! Completed, Failed or Cancelled was reached; once per time.
    void finished();

private:
    void setState(State state);
    void fail(Error error, const QString &message);
    void run();
    bool preflight();
    void create();
    void chooseRoute(const CreateResult &created);
    void startTransfer();
    void onTransferFinished(const TransferOutcome &outcome);
    void fallBack(const QString &reason);
    void uploadThroughHomeserver();
    void uploadLegacy();
    void complete();
    void verifyAfterConflict();
    void succeed();
    void verify();
    //! What downloading the content and hashing it against the file found.
    struct Comparison
    {
        std::optional<MatrixError> error; //!< the download failed
        QByteArray remote; //!< SHA-256 of what was downloaded
        std::optional<QByteArray> local; //!< SHA-256 of the file; none when unreadable
        bool same = false;
    };
    //! Downloads the content (\a timeoutMs as DownloadOptions::timeoutMs) and compares.
    void downloadAndCompare(qint64 timeoutMs, std::function<void(const Comparison &)> done);
    //! Waits with the retry policy, then calls \a again; fails when the policy gives up.
    //! With \a fallBackWhenGivingUp the upload URL is abandoned for the homeserver instead.
    void retryLater(std::optional<qint64> serverWaitMs, const QString &why,
        void (UploadJob::*again)(), bool fallBackWhenGivingUp = false);
    //! After a 401 that MediaApi could not cure: waits in WaitingForToken for a new token,
    //! then calls \a again. A refusal while the token is not (any more) rejected is retried.
    void waitForToken(const MatrixError &error, void (UploadJob::*again)());
    void stopActivity();
    void setProgress(qint64 sent);
    void setConfirmed(qint64 confirmed);
    void saveRecord();
    void dropRecord();
    void adoptCreated(const CreateResult &created);
    template<class Call, class F> void watch(Call *call, F &&onResult);

    std::unique_ptr<UploadJobPrivate> d;
};

} // namespace MatrixUpload
