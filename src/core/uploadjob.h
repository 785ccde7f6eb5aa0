// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: one file's way into the content repository (design.md, "One upload").
#pragma once

#include <matrixupload/matrixupload_core_export.h>
#include <matrixupload/mediadescription.h>

#include "api/matrixerror.h"
#include "api/mediatypes.h"
#include "retrypolicy.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QIODevice;
class QNetworkAccessManager;

namespace MatrixUpload {

class ApiCallBase;
class UploadJobPrivate;
class MediaApi;
class ResumeStore;
class SecretStore;
class Transfer;
struct ResumeRecord;
struct TransferOutcome;

//! What every job of one account shares: the Matrix API client, a network manager for upload
//! URLs that carries no token and no cookies, and where resume records go (may be null: no
//! resume across restarts).
struct MATRIXUPLOAD_CORE_EXPORT UploadContext
{
    MediaApi *api = nullptr; //!< the Matrix API client
    //! For upload URLs: no token, no cookies. Null: the job makes its own, with no cookie jar,
    //! cache or credentials and the proxy of the API's manager (UploadManager shares one among
    //! its jobs). Never the host's manager: its cookies must not reach an upload URL.
    QNetworkAccessManager *uploadUrlNam = nullptr;
    ResumeStore *resumeStore = nullptr; //!< null: no resume across restarts
    //! Where the keys of encrypted uploads are kept across restarts (the resume record holds
    //! only their ID). Null: an encrypted upload writes no resume record and cannot resume
    //! after a restart (it still resumes within the run).
    SecretStore *secretStore = nullptr;
};

//! How a job may travel.
struct MATRIXUPLOAD_CORE_EXPORT UploadOptions
{
    bool useUploadUrls = true; //!< false: always through the homeserver (MSC2246 PUT)
    //! Force one path, for diagnosis: put, content-range, tus (the upload URL's protocol is
    //! taken as that), async (MSC2246 PUT) or legacy (POST /upload). Empty: choose
    //! (protocol.md 4.2).
    QString forceProtocol;
    //! Bytes per request of content-range and tus, a multiple of 256 KiB, the same for every
    //! request. 0 or less: sized to the link, from 8 MiB up to 256 MiB, so that waiting for each
    //! answer costs at most a twentieth of the time on a link with long round trips (the case
    //! upload URLs exist for); on a near host the chunks stay small.
    qint64 chunkSize = 0;
    int inactivityTimeoutMs = 60 * 1000;
    std::optional<qint64> maxUploadSize; //!< the server's m.upload.size, checked before any request
    //! After the server took the file, download it and compare SHA-256 with the local file
    //! before the job counts as Completed; a difference fails the job (Error::Server).
    bool verify = false;
    //! Compare the SHA-256 an upload host names for its copy (the last answer of content-range;
    //! the test server names one, protocol.md 4.4) with the bytes sent. A difference ends that
    //! path as a dead URL does, and the job goes to the homeserver with the same ID (protocol.md
    //! 5). The cost: one SHA-256 pass over a plain file while it is sent (OpenSSL's: 0.3-0.45
    //! CPU seconds per 512 MiB with the CPU's SHA extensions), spent also with hosts that name
    //! no hash; none for an encrypted upload, whose ciphertext is hashed for its EncryptedFile
    //! anyway. false: only the size the host names is compared.
    bool checkHostHash = true;
    //! Upload an encrypted attachment (the spec's v2 EncryptedFile, protocol.md 10): a fresh
    //! AES-256 key and IV per upload, every body the ciphertext, sent as
    //! application/octet-stream with no file name. encryptedFile() gives what the event needs.
    bool encrypt = false;
    RetryPolicy::Settings retry;
};

//! What one upload tells the server about its bytes, over what its source says.
struct MATRIXUPLOAD_CORE_EXPORT UploadMetadata
{
    //! The name sent to the server (`filename`). Empty: a file's own name; bytes from memory or
    //! a device then have none.
    QString fileName;
    //! The Content-Type. Empty: guessed from the file (its name and content) or from fileName.
    QString mediaType;
    //! false: no `filename` reaches the server, not with the upload nor with complete.
    bool sendFileName = true;
    //! The bytes a sequential device (a pipe, a QProcess, a socket) will give: every upload
    //! path sends an exact Content-Length, which such a device cannot tell. -1: not known, and
    //! the job fails saying so. Ignored for files, memory and seekable devices.
    qint64 size = -1;
};

//! One file's upload: preflight, create, transfer (upload URL, MSC2246 PUT or legacy POST, with
//! the fallbacks of protocol.md 5), complete. Verbs never block; the state changes in one place
//! and every terminal state (Completed, Failed, Cancelled) emits finished() once.
//!
//! The bytes come from a file, from memory (a QByteArray) or from a device the job owns. A file,
//! memory and a seekable device resume from the offset the server confirmed, within the run
//! (memory and devices) or also after a restart (files). A sequential device (a pipe, a
//! QProcess, a socket) cannot be rewound: it is sent in one request (put, async or legacy); an
//! upload URL that speaks content-range or tus is left for the homeserver (fallbackReason()
//! says so), forcing either fails, and a try that has to read its bytes again (a retry after a
//! lost connection, a fallback after bytes went out, resume() after pause()) fails with
//! Error::SourceUnavailable. A restored record of memory or a device fails the same way: a
//! later run does not have those bytes.
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
//!
//! Every piece of state is a property with a change signal that fires when, and only when, its
//! value changes, so a QML delegate binds to a job directly (`job.bytesSent`, `job.state`).
class MATRIXUPLOAD_CORE_EXPORT UploadJob : public QObject
{
    Q_OBJECT
    //! A stable ID, kept in the resume record (id()).
    Q_PROPERTY(QString id READ id CONSTANT)
    //! The file uploaded; empty for memory and devices (filePath()).
    Q_PROPERTY(QString filePath READ filePath CONSTANT)
    //! The name shown and, unless UploadMetadata::sendFileName is false, sent (fileName()).
    Q_PROPERTY(QString fileName READ fileName CONSTANT)
    //! The Content-Type sent (mediaType()).
    Q_PROPERTY(QString mediaType READ mediaType NOTIFY mediaTypeChanged)
    //! The size in bytes, -1 until known (size()).
    Q_PROPERTY(qint64 size READ size NOTIFY sizeChanged)
    //! Where the job is (state()).
    Q_PROPERTY(MatrixUpload::UploadJob::State state READ state NOTIFY stateChanged)
    //! Bytes sent, counting those not yet confirmed (bytesSent()).
    Q_PROPERTY(qint64 bytesSent READ bytesSent NOTIFY bytesSentChanged)
    //! Bytes the server confirmed holding (confirmedBytes()).
    Q_PROPERTY(qint64 confirmedBytes READ confirmedBytes NOTIFY confirmedBytesChanged)
    //! Recent speed, 0 while nothing moves (bytesPerSecond()).
    Q_PROPERTY(double bytesPerSecond READ bytesPerSecond NOTIFY bytesPerSecondChanged)
    //! The `mxc://` URI, empty until created (contentUri()).
    Q_PROPERTY(QString contentUri READ contentUri NOTIFY contentUriChanged)
    //! Made from a resume record of an earlier run (isRestored()).
    Q_PROPERTY(bool restored READ isRestored NOTIFY restoredChanged)
    //! The server's copy matched (isVerified()).
    Q_PROPERTY(bool verified READ isVerified NOTIFY verifiedChanged)
    //! How the bytes travel (route()).
    Q_PROPERTY(MatrixUpload::UploadJob::Route route READ route NOTIFY routeChanged)
    //! put, content-range, tus, async or legacy; empty until chosen (protocol()).
    Q_PROPERTY(QString protocol READ protocol NOTIFY protocolChanged)
    //! Why the job left the direct path (fallbackReason()).
    Q_PROPERTY(QString fallbackReason READ fallbackReason NOTIFY fallbackReasonChanged)
    //! What went wrong, Error::None while nothing did (error()).
    Q_PROPERTY(MatrixUpload::UploadJob::Error error READ error NOTIFY errorChanged)
    //! The error in words (errorString()).
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    //! The wait before the next try, in ms (retryDelayMs()).
    Q_PROPERTY(qint64 retryDelayMs READ retryDelayMs NOTIFY retryDelayMsChanged)
    //! A line the host adds for people (note(), setNote()).
    Q_PROPERTY(QString note READ note WRITE setNote NOTIFY noteChanged)
    //! The bytes are encrypted (isEncrypted()).
    Q_PROPERTY(bool encrypted READ isEncrypted NOTIFY encryptedChanged)
    //! The EncryptedFile of an encrypted upload once Completed (encryptedFile()).
    Q_PROPERTY(QJsonObject encryptedFile READ encryptedFile NOTIFY encryptedFileChanged)
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
        Network, //!< gave up after retries whose last failure had no HTTP answer
        //! An answer this client cannot use, or retries given up after an HTTP error status
        //! (errorString() then has the status and the server's message).
        Server,
        //! The bytes cannot be read again: a sequential device already read, or memory or a
        //! device of an earlier run.
        SourceUnavailable,
        SizeUnknown, //!< a sequential device without UploadMetadata::size
    };
    Q_ENUM(Error)

    UploadJob(const QString &filePath, const UploadContext &context, const UploadOptions &options,
        QObject *parent = nullptr);
    //! A file, with its name, type or name sending overridden by \a metadata.
    UploadJob(const QString &filePath, const UploadMetadata &metadata, const UploadContext &context,
        const UploadOptions &options, QObject *parent = nullptr);
    //! The bytes \a device gives from its current position on; the job takes ownership of it
    //! (and opens it for reading if it is not open).
    UploadJob(QIODevice *device, const UploadMetadata &metadata, const UploadContext &context,
        const UploadOptions &options, QObject *parent = nullptr);
    //! Bytes in memory (implicitly shared, not copied).
    UploadJob(const QByteArray &data, const UploadMetadata &metadata, const UploadContext &context,
        const UploadOptions &options, QObject *parent = nullptr);
    //! A job that continues an unfinished upload from an earlier run.
    UploadJob(const ResumeRecord &record, const UploadContext &context,
        const UploadOptions &options, QObject *parent = nullptr);
    ~UploadJob() override;

    QString id() const;
    QString filePath() const; //!< empty for memory and devices
    //! Where the bytes come from: "file", "memory" or "device".
    QString sourceKind() const;
    //! UploadMetadata::sendFileName.
    bool sendsFileName() const;
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
    //! The SHA-256 of the file as it was sent, when the job made one on the way (a plain file's
    //! content-range upload whose host named a hash to check, every byte sent in one run, the
    //! file unchanged since), so that a caller who wants it need not read the file again;
    //! otherwise empty.
    QByteArray sentSha256() const;
    Error error() const;
    QString errorString() const;
    //! The wait before the next try while WaitingToRetry, in ms.
    qint64 retryDelayMs() const;
    UploadOptions options() const;

    //! A line the program using the job adds for people, e.g. where the file was posted. The
    //! job itself never sets it; the list model shows it (UploadListModel::NoteRole).
    QString note() const;
    void setNote(const QString &note);
    //! Takes effect from the next request on. UploadOptions::encrypt only counts while the job
    //! is Queued or Paused and has neither a key nor a content URI (encryptedChanged()); later
    //! the job keeps what the server already holds.
    void setOptions(const UploadOptions &options);
    //! Whether the upload is encrypted (UploadOptions::encrypt, or a restored encrypted record).
    bool isEncrypted() const;
    //! The EncryptedFile (EncryptedFile::toJson(), `url` the content URI) of an encrypted upload
    //! once Completed: what an event carries as `file`. Empty before, and for plaintext uploads.
    QJsonObject encryptedFile() const;

    //! Says that a describer reads the file (MatrixUpload::Media's MediaDescriber): a RoomPoster
    //! posts the job only once setMediaDescription() gave what it found.
    void expectMediaDescription();
    //! What the file's message says about it besides where it is (MediaDescription): sizes,
    //! duration, BlurHash, a thumbnail to upload. Ends isMediaDescriptionPending().
    void setMediaDescription(const MediaDescription &description);
    //! Whether expectMediaDescription() was called and no description has come yet.
    bool isMediaDescriptionPending() const;
    //! The description given with setMediaDescription(); empty (and default) before.
    MediaDescription mediaDescription() const;
    //! The message's `msgtype`: the description's, else from the media type (m.image, m.video,
    //! m.audio, m.file).
    QString messageType() const;
    //! The message's `info`: the description's fields, then `mimetype` (the file's own type,
    //! also when the bytes are encrypted) and `size` when known. Where a thumbnail went
    //! (`thumbnail_url` / `thumbnail_file`) is the poster's to add (ThumbnailUpload).
    QJsonObject messageInfo() const;
    //! An upload tied to this one, its thumbnail (ThumbnailUpload, sent by a RoomPoster or the
    //! CLI): \a total bytes, \a sent of them sent so far; (0, 0) when there is none or it was
    //! given up. Counted in the row's progress (UploadListModel::ProgressRole) and in the
    //! manager's totals, so a row reaches 100 % once its thumbnail is up too. Emits
    //! progressChanged().
    void setAttachedUpload(qint64 sent, qint64 total);
    //! The bytes of the tied upload (setAttachedUpload()); 0 when none.
    qint64 attachedBytes() const;
    //! Of attachedBytes(), those sent.
    qint64 attachedBytesSent() const;

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
    //! Bytes moved or the size became known: every progress report, also when neither value
    //! changed (bytesSentChanged() and sizeChanged() fire on changes only).
    void progressChanged(qint64 bytesSent, qint64 size);
    //! The content URI is known (or changed: an expired ID was created anew).
    void contentUriChanged(const QString &contentUri, const QString &previous);
    //! mediaType() changed.
    void mediaTypeChanged();
    //! size() changed.
    void sizeChanged();
    //! bytesSent() changed.
    void bytesSentChanged();
    //! confirmedBytes() changed.
    void confirmedBytesChanged();
    //! bytesPerSecond() changed.
    void bytesPerSecondChanged();
    //! isRestored() changed.
    void restoredChanged();
    //! isVerified() changed.
    void verifiedChanged();
    //! route() changed.
    void routeChanged();
    //! protocol() changed.
    void protocolChanged();
    //! fallbackReason() changed.
    void fallbackReasonChanged();
    //! error() changed.
    void errorChanged();
    //! errorString() changed.
    void errorStringChanged();
    //! retryDelayMs() changed.
    void retryDelayMsChanged();
    void noteChanged();
    //! encryptedFile() changed: the encrypted upload completed.
    void encryptedFileChanged();
    //! isEncrypted() changed: setOptions() chose it before the job started.
    void encryptedChanged();
    //! mediaDescription() or isMediaDescriptionPending() changed.
    void mediaDescriptionChanged();
    //! Completed, Failed or Cancelled was reached; once per time.
    void finished();

private:
    //! The constructors' common part; \a kind is what sourceKind() gives.
    void init(const QString &kind, const UploadMetadata &metadata);
    void setState(State state);
    void fail(Error error, const QString &message);
    void run();
    void proceed(); //!< run() after the preflight: create, or send on
    bool preflight();
    bool preflightFile();
    bool preflightSource(); //!< memory and devices
    QString displayName() const; //!< the file name, or words when there is none
    QString lostAfterRestart() const;
    QString sentOnce(const QString &why) const;
    QString sentFileName() const; //!< what reaches the server as `filename`
    QString sentMediaType() const; //!< the Content-Type sent: octet-stream when encrypted
    //! Encrypted uploads: a key (new, or restored), the hash, and the source set to encrypt.
    //! False after failing the job.
    bool prepareEncryption();
    //! Hashes the ciphertext up to the confirmed offset of a restored record in slices, one
    //! per turn of the event loop, then runs on.
    void catchUpSlice();
    //! Hashes whatever the bodies did not read, up to the size. False after failing the job.
    bool finishHash();
    //! Whether the `sha256` a content-range host named for its copy in \a answer, if any, is the
    //! ciphertext's (UploadOptions::checkHostHash; a plain file is the transfer's to check).
    //! False after falling back to the homeserver, or after failing the job.
    bool hostHashAgrees(const QByteArray &answer);
    //! Forgets the key: the next run starts over with a new key and a new ID.
    void dropKey();
    //! The whole body as a request's device, or null after failing the job (\a fileError for a
    //! file that cannot be opened).
    QIODevice *openBody(Error fileError);
    void create();
    void chooseRoute(const CreateResult &created);
    //! Why the upload URL of \a created cannot take this job's bytes with \a protocol (the
    //! options, protocol.md 4.1 to 4.3), or an empty string. Asked again of restored records.
    QString uploadUrlRefusal(const CreateResult &created, const QString &protocol) const;
    void startTransfer();
    void sendToUploadUrl(); //!< startTransfer() once the upload host was checked
    void onTransferFinished(const TransferOutcome &outcome);
    void fallBack(const QString &reason);
    void uploadThroughHomeserver();
    void uploadLegacy();
    void complete();
    void verifyAfterConflict();
    //! `complete` answered 409, or 400 to a second one: an earlier one may have gone through
    //! with its answer lost. Downloads and compares; content still missing goes back to the
    //! transfer.
    void verifyAfterComplete();
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
    //! Waits with the retry policy, then calls \a again; fails with \a whenGivingUp (the kind
    //! of this last failure: Server after an HTTP status, else Network) when the policy gives up.
    //! With \a fallBackWhenGivingUp the upload URL is abandoned for the homeserver instead.
    void retryLater(std::optional<qint64> serverWaitMs, const QString &why,
        void (UploadJob::*again)(), Error whenGivingUp, bool fallBackWhenGivingUp = false);
    //! After a 401 that MediaApi could not cure: waits in WaitingForToken for a new token,
    //! then calls \a again. A refusal while the token is not (any more) rejected is retried.
    void waitForToken(const MatrixError &error, void (UploadJob::*again)());
    //! What a step does with a Matrix error its own rules did not take: waits for a new token,
    //! retries \a again later, or fails: 413 as TooLarge, 403 and quota as Refused, anything
    //! else as \a otherwise, with \a refusal (a "%1" for the error) as the message.
    void handleMatrixError(const MatrixError &error, void (UploadJob::*again)(),
        const QString &refusal, Error otherwise = Error::Server);
    void stopActivity();
    void setProgress(qint64 sent);
    void setConfirmed(qint64 confirmed);
    // Setters of the properties: each emits its signal when the value changes.
    void setMediaType(const QString &mediaType);
    void setSize(qint64 size);
    void setRoute(Route route, const QString &protocol);
    void setFallbackReason(const QString &reason);
    void setError(Error error, const QString &errorString);
    void setErrorString(const QString &errorString);
    void setVerified(bool verified);
    void setRestored(bool restored);
    void setContentUri(const QString &contentUri);
    void setRetryDelayMs(qint64 ms);
    void updateSpeed();
    void saveRecord();
    bool recordCanWait() const;
    void dropRecord();
    void adoptCreated(const CreateResult &created);
    template<class Call, class F> void watch(Call *call, F &&onResult);

    std::unique_ptr<UploadJobPrivate> d;
};

} // namespace MatrixUpload
