// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadjob.h"

#include "api/mediaapi.h"
#include "attachmentcrypto_p.h"
#include "encryptedfile.h"
#include "hashing_p.h"
#include "logging_p.h"
#include "secretstore.h"
#include "store/filefingerprint.h"
#include "store/resumestore.h"
#include "transfer/bodysource_p.h"
#include "transfer/contentrangetransfer_p.h"
#include "transfer/filewindowdevice_p.h"
#include "transfer/transfer_p.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHostAddress>
#include <QHostInfo>
#include <QLocale>
#include <QMimeDatabase>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <array>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

//! An ID this close to its unused expiry is not worth starting on.
constexpr qint64 expiryMarginMs = 30 * 1000;
constexpr int maxRecreates = 2;
constexpr qint64 speedWindowMs = 5000;
//! No bytes for this long: the speed is 0.
constexpr qint64 staleAfterMs = 3000;

const QString fileSource = QStringLiteral("file");

//! The kind a job fails with when its retries run out after \a last: an HTTP error status (a
//! 500 every time) or an unusable answer stays a server error, no answer at all is Network.
UploadJob::Error giveUpError(const MatrixError &last)
{
    return last.kind() == MatrixError::Kind::Transport ? UploadJob::Error::Network
                                                       : UploadJob::Error::Server;
}

UploadJob::Error giveUpError(const TransferOutcome &last)
{
    return last.httpStatus > 0 ? UploadJob::Error::Server : UploadJob::Error::Network;
}

bool isChunked(const QString &protocol)
{
    return protocol == u"content-range"_s || protocol == u"tus"_s;
}

QString sizeText(qint64 bytes)
{
    return QLocale::system().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

// The messages of job errors that several steps give, each worded once.
QString fileChangedText()
{
    return UploadJob::tr("The file changed since the upload began. Add it again.");
}

QString cannotReadText(const QString &path, const QString &why)
{
    return UploadJob::tr("Cannot read %1: %2").arg(path, why);
}

//! The refusal of an upload's body, for handleMatrixError(): "%1" is the error.
QString refusedFileText()
{
    return UploadJob::tr("The server refused the file: %1");
}

QString cannotCompareText()
{
    return UploadJob::tr("The file cannot be read any more to compare it with the server's copy.");
}

QString copyNotCheckedText(const MatrixError &error)
{
    return UploadJob::tr("the server's copy could not be checked: %1").arg(error.toString());
}

QString otherContentText(const QString &contentUri)
{
    return UploadJob::tr("The server already holds other content for %1.").arg(contentUri);
}

} // namespace

class UploadJobPrivate
{
public:
    UploadJobPrivate(const QString &path, const UploadContext &ctx, const UploadOptions &opts)
        : id(QUuid::createUuid().toString(QUuid::WithoutBraces))
        , filePath(path)
        , fileName(QFileInfo(path).fileName())
        , context(ctx)
        , options(opts)
        , retries { RetryPolicy(opts.retry), RetryPolicy(opts.retry), RetryPolicy(opts.retry) }
        , encrypted(opts.encrypt)
    { }

    //! Made by the job when the context has no upload-URL manager; a child of the job.
    QNetworkAccessManager *ownUploadUrlNam = nullptr;
    //! Set to stop the hashing of the file on the pool (sha256OfFileAsync()); null when none runs.
    std::shared_ptr<std::atomic_bool> hashStop;
    QString id;
    QString sourceKind = fileSource; //!< file, memory or device
    //! The bytes; for a file made afresh by every preflight, for memory and devices once. Null
    //! for memory and devices of an earlier run.
    std::shared_ptr<BodySource> source;
    bool sendFileName = true;
    QString filePath;
    QString fileName;
    QString mediaType;
    qint64 size = -1;
    qint64 mtimeMs = 0;
    QByteArray edges;
    UploadContext context;
    UploadOptions options;
    //! Retry budgets per phase (issue 14, item 8): the waits of create do not shorten the
    //! transfer's, nor the transfer's those of complete. The transfer's starts over when bytes
    //! are confirmed, all of them on resume(), retry() and a new token.
    enum Phase { CreatePhase, TransferPhase, CompletePhase, PhaseCount };
    std::array<RetryPolicy, PhaseCount> retries;
    void resetRetries()
    {
        for (RetryPolicy &r : retries)
            r.recordProgress();
    }

    UploadJob::State state = UploadJob::State::Queued;
    UploadJob::Route route = UploadJob::Route::Undecided;
    QString protocol;
    QString fallbackReason;
    QString note;
    UploadJob::Error error = UploadJob::Error::None;
    QString errorString;

    QString contentUri;
    std::optional<CreateResult> created;
    qint64 createdAtMs = 0;
    qint64 bytesSent = 0;
    qint64 confirmed = 0;
    bool verified = false;
    bool resumed = false; //!< continues a record from an earlier run
    int recreates = 0;
    //! A `complete` for the bytes at the upload URL went out (this run, or before a pause or
    //! restart): the server may have taken it, its answer lost. Cleared by a new transfer.
    bool completeSent = false;
    //! The upload URL's host name whose addresses were looked up and allowed (startTransfer()),
    //! and until when that holds: less than the minute Qt keeps a look-up in its cache.
    QString checkedUploadHost;
    qint64 checkedUploadHostUntilMs = 0;

    // Encrypted uploads (UploadOptions::encrypt): the key lives as long as the content ID.
    bool encrypted = false;
    std::optional<AttachmentKey> key;
    std::shared_ptr<CiphertextHash> hash; //!< shared with every body
    bool keyStored = false; //!< the key is in the context's SecretStore under the job's ID
    qint64 catchUpTarget = 0; //!< a restored record: hash this far before the first body
    QJsonObject encryptedFile;
    QByteArray sentSha256; //!< sentSha256()

    // What the message says about the file (issue 16).
    MediaDescription description;
    bool descriptionPending = false;
    qint64 attachedSent = 0; //!< of the thumbnail's upload (setAttachedUpload())
    qint64 attachedTotal = 0;

    quint64 generation = 0; //!< bumped by every stop: late answers of an old run are ignored
    QPointer<ApiCallBase> call;
    std::unique_ptr<Transfer> transfer;
    QMetaObject::Connection tokenWait; //!< to MediaApi::accessTokenChanged while WaitingForToken
    QTimer retryTimer;
    qint64 retryDelayMs = 0;

    // Speed: bytes over a short sliding window.
    QElapsedTimer clock;
    QList<std::pair<qint64, qint64>> samples; // (ms, bytesSent)
    double speed = 0; //!< bytesPerSecond(), updated with the samples and the state
    QTimer speedTimer; //!< fires once the last sample is stale
};

UploadJob::UploadJob(const QString &filePath, const UploadContext &context,
    const UploadOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<UploadJobPrivate>(filePath, context, options))
{
    d->retryTimer.setSingleShot(true);
    d->clock.start();
    d->speedTimer.setSingleShot(true);
    d->speedTimer.setInterval(int(staleAfterMs) + 100);
    connect(&d->speedTimer, &QTimer::timeout, this, &UploadJob::updateSpeed);
    // Known at once for the batch totals of a queue; preflight takes the fingerprint that counts.
    const QFileInfo info(filePath);
    if (info.isFile())
        d->size = info.size();
}

UploadJob::UploadJob(const QString &filePath, const UploadMetadata &metadata,
    const UploadContext &context, const UploadOptions &options, QObject *parent)
    : UploadJob(filePath, context, options, parent)
{
    init(fileSource, metadata);
}

UploadJob::UploadJob(QIODevice *device, const UploadMetadata &metadata,
    const UploadContext &context, const UploadOptions &options, QObject *parent)
    : UploadJob(QString(), context, options, parent)
{
    d->source = BodySource::fromDevice(device, metadata.size);
    init(u"device"_s, metadata);
}

UploadJob::UploadJob(const QByteArray &data, const UploadMetadata &metadata,
    const UploadContext &context, const UploadOptions &options, QObject *parent)
    : UploadJob(QString(), context, options, parent)
{
    d->source = BodySource::fromData(data);
    init(u"memory"_s, metadata);
}

void UploadJob::init(const QString &kind, const UploadMetadata &metadata)
{
    d->sourceKind = kind;
    if (!metadata.fileName.isEmpty())
        d->fileName = metadata.fileName;
    d->mediaType = metadata.mediaType; // empty: guessed by preflight()
    d->sendFileName = metadata.sendFileName;
    if (d->source)
        d->size = d->source->size();
}

UploadJob::UploadJob(const ResumeRecord &record, const UploadContext &context,
    const UploadOptions &options, QObject *parent)
    : UploadJob(record.source == fileSource ? record.filePath : QString(), context, options, parent)
{
    d->id = record.id;
    d->sourceKind = record.source;
    d->sendFileName = record.sendFileName;
    d->fileName = record.fileName.isEmpty() ? d->fileName : record.fileName;
    d->mediaType = record.mediaType;
    d->size = record.fingerprint.size;
    d->mtimeMs = record.fingerprint.mtimeMs;
    d->edges = record.fingerprint.edgesSha256;
    d->resumed = true;
    d->createdAtMs = record.createdAtMs;
    d->protocol = record.protocol;
    if (const auto uri = MxcUri::parse(record.contentUri)) {
        CreateResult created;
        created.contentUri = *uri;
        if (record.expiresAtMs > 0)
            created.unusedExpiresAt = record.expiresAtMs;
        created.uploadUrl = record.uploadUrl;
        created.uploadMethod = record.uploadMethod.toLatin1();
        created.uploadProtocol = record.protocol;
        created.unstable = record.unstableAsync;
        d->created = created;
        d->contentUri = record.contentUri;
        if (record.protocol == u"async"_s)
            d->route = Route::ContentUri;
        else if (!record.uploadUrl.isEmpty())
            d->route = Route::UploadUrl;
    }
    d->confirmed = record.confirmedOffset;
    d->bytesSent = record.confirmedOffset;
    if (!record.keyId.isEmpty()) {
        d->encrypted = true;
        const auto secret
            = context.secretStore ? context.secretStore->load(record.keyId) : std::nullopt;
        AttachmentKey key;
        if (secret && secret->size() == AttachmentKey::keySize + AttachmentKey::ivSize) {
            key.key = secret->left(AttachmentKey::keySize);
            key.iv = secret->mid(AttachmentKey::keySize);
        }
        if (key.isValid()) {
            d->key = key;
            d->keyStored = true;
            d->catchUpTarget = record.confirmedOffset;
        } else {
            // What the server holds was encrypted with a key this run does not have: start
            // over with a new key and a new ID (never the same key over other bytes).
            d->created.reset();
            d->contentUri.clear();
            d->protocol.clear();
            d->route = Route::Undecided;
            d->confirmed = 0;
            d->bytesSent = 0;
            d->note = tr("The key of this encrypted upload is gone from the keychain; it starts "
                         "over with a new key.");
        }
    }
    // Listed, ready to resume, but not restarted by itself (design.md).
    d->state = State::Paused;
    if (d->sourceKind != fileSource) {
        // The bytes were in this program's memory or came from a device of that run: nothing
        // here can give them again. Listed as failed, so people see what became of it.
        d->state = State::Failed;
        d->error = Error::SourceUnavailable;
        d->errorString = lostAfterRestart();
        if (context.resumeStore)
            context.resumeStore->remove(d->id);
    }
}

UploadJob::~UploadJob()
{
    stopActivity();
}

QString UploadJob::id() const
{
    return d->id;
}

QString UploadJob::filePath() const
{
    return d->filePath;
}

QString UploadJob::sourceKind() const
{
    return d->sourceKind;
}

bool UploadJob::sendsFileName() const
{
    return d->sendFileName;
}

QString UploadJob::displayName() const
{
    return d->fileName.isEmpty() ? tr("the upload") : d->fileName;
}

QString UploadJob::lostAfterRestart() const
{
    return d->sourceKind == u"memory"_s
        ? tr("%1 was uploaded from memory and cannot continue after a restart. Add it again.")
              .arg(displayName())
        : tr("%1 was uploaded from a device and cannot continue after a restart. Add it again.")
              .arg(displayName());
}

QString UploadJob::sentOnce(const QString &why) const
{
    return tr("%1 cannot be sent again: %2.").arg(displayName(), why);
}

QString UploadJob::fileName() const
{
    return d->fileName;
}

QString UploadJob::mediaType() const
{
    return d->mediaType;
}

qint64 UploadJob::size() const
{
    return d->size;
}

UploadJob::State UploadJob::state() const
{
    return d->state;
}

qint64 UploadJob::bytesSent() const
{
    return d->bytesSent;
}

qint64 UploadJob::confirmedBytes() const
{
    return d->confirmed;
}

QString UploadJob::contentUri() const
{
    return d->contentUri;
}

bool UploadJob::isRestored() const
{
    return d->resumed;
}

bool UploadJob::isVerified() const
{
    return d->verified;
}

QByteArray UploadJob::sentSha256() const
{
    return d->sentSha256;
}

UploadJob::Route UploadJob::route() const
{
    return d->route;
}

QString UploadJob::protocol() const
{
    return d->protocol;
}

QString UploadJob::fallbackReason() const
{
    return d->fallbackReason;
}

UploadJob::Error UploadJob::error() const
{
    return d->error;
}

QString UploadJob::errorString() const
{
    return d->errorString;
}

qint64 UploadJob::retryDelayMs() const
{
    return d->retryDelayMs;
}

UploadOptions UploadJob::options() const
{
    return d->options;
}

QString UploadJob::note() const
{
    return d->note;
}

void UploadJob::setOptions(const UploadOptions &options)
{
    d->options = options;
    // Whether the bytes are encrypted is chosen until the job has a key or a content URI
    // (RoomPoster does so for an encrypted room); after that it is what the server holds.
    if ((d->state == State::Queued || d->state == State::Paused) && !d->key
        && d->contentUri.isEmpty() && d->encrypted != options.encrypt) {
        d->encrypted = options.encrypt;
        Q_EMIT encryptedChanged();
    }
}

bool UploadJob::isTerminal() const
{
    return d->state == State::Completed || d->state == State::Failed
        || d->state == State::Cancelled;
}

bool UploadJob::isActive() const
{
    return d->state == State::Preparing || d->state == State::Creating
        || d->state == State::Uploading || d->state == State::WaitingToRetry
        || d->state == State::WaitingForToken || d->state == State::Finalizing;
}

double UploadJob::bytesPerSecond() const
{
    return d->speed;
}

// --- verbs ------------------------------------------------------------------------------------

void UploadJob::setNote(const QString &note)
{
    if (note == d->note)
        return;
    d->note = note;
    Q_EMIT noteChanged();
}

void UploadJob::start()
{
    if (d->state != State::Queued)
        return;
    run();
}

void UploadJob::pause()
{
    if (isTerminal() || d->state == State::Paused)
        return;
    stopActivity();
    setState(State::Paused);
}

void UploadJob::resume()
{
    if (d->state != State::Paused)
        return;
    d->resetRetries();
    setState(State::Queued);
}

void UploadJob::cancel()
{
    if (isTerminal())
        return;
    stopActivity();
    dropRecord();
    setState(State::Cancelled);
}

void UploadJob::retry()
{
    if (d->state != State::Failed)
        return;
    if (d->error == Error::FileChanged || d->error == Error::FileMissing) {
        // A changed file is a new upload: nothing the server holds belongs to it.
        d->edges.clear();
        d->created.reset();
        dropKey();
        setConfirmed(0);
        setRoute(Route::Undecided, {});
        setRestored(false);
    }
    setError(Error::None, {});
    d->resetRetries();
    setProgress(d->confirmed);
    setState(State::Queued);
}

// --- the run ----------------------------------------------------------------------------------

void UploadJob::setState(State state)
{
    if (d->state == state)
        return;
    qCDebug(lcJob) << d->id << d->state << "->" << state;
    d->state = state;
    Q_EMIT stateChanged(state);
    updateSpeed();
    if (isTerminal())
        Q_EMIT finished();
}

void UploadJob::fail(Error error, const QString &message)
{
    stopActivity();
    setError(error, message);
    qCInfo(lcJob) << d->id << "failed:" << message;
    // These failures can never be resumed: keeping their records would only offer them again.
    // Nor can an upload from memory or a device after a restart, whatever it failed on.
    if (error == Error::FileChanged || error == Error::FileMissing || error == Error::NotAFile
        || error == Error::TooLarge || error == Error::Refused || d->sourceKind != fileSource)
        dropRecord();
    setState(State::Failed);
}

void UploadJob::stopActivity()
{
    ++d->generation;
    d->checkedUploadHost.clear(); // a later run looks the upload host up again
    d->retryTimer.stop();
    d->retryTimer.disconnect(this);
    QObject::disconnect(d->tokenWait);
    if (d->hashStop) { // a file being hashed on the pool: read no further
        d->hashStop->store(true);
        d->hashStop.reset();
    }
    if (d->call) {
        ApiCallBase *call = d->call;
        d->call = nullptr;
        call->abort();
    }
    if (d->transfer) {
        d->transfer->disconnect(this);
        d->transfer->abort();
        d->transfer.release()->deleteLater();
    }
}

template<class Call, class F> void UploadJob::watch(Call *call, F &&onResult)
{
    d->call = call;
    const quint64 generation = d->generation;
    connect(call, &ApiCallBase::finished, this,
        [this, call, generation, onResult = std::forward<F>(onResult)]() mutable {
            call->deleteLater();
            if (generation != d->generation)
                return; // paused or cancelled meanwhile
            d->call = nullptr;
            onResult(call->result());
        });
}

void UploadJob::run()
{
    setError(Error::None, {});
    setState(State::Preparing);
    if (!preflight() || !prepareEncryption())
        return;
    proceed();
}

void UploadJob::proceed()
{
    if (d->hash && d->hash->position() < d->catchUpTarget) {
        catchUpSlice();
        return;
    }
    d->catchUpTarget = 0;
    if (d->options.forceProtocol == u"legacy"_s) {
        uploadLegacy();
        return;
    }
    const bool expired = d->created && d->created->unusedExpiresAt
        && nowMs() > *d->created->unusedExpiresAt - expiryMarginMs;
    if (!d->created || expired) {
        create();
        return;
    }
    if (d->route == Route::UploadUrl && (d->size == 0 || d->confirmed < d->size)) {
        // A restored record is checked as a new create answer is (issue 14, item 8): the URL's
        // scheme and host, a protocol this build speaks, the options of this run. A record
        // from another version or edited by hand must not crash the job or send bytes where a
        // new answer would not be allowed to.
        if (const QString why = uploadUrlRefusal(*d->created, d->protocol); !why.isEmpty()) {
            fallBack(why);
            return;
        }
    }
    if (d->route == Route::UploadUrl && d->size > 0 && d->confirmed >= d->size) {
        // Every byte is at the upload host (paused or restarted in Finalizing): tell the media
        // server, never send them again. An earlier complete may have gone through.
        d->completeSent = true;
        complete();
    } else if (d->route == Route::UploadUrl)
        startTransfer();
    else if (d->route == Route::ContentUri)
        uploadThroughHomeserver();
    else
        chooseRoute(*d->created);
}

bool UploadJob::preflight()
{
    if (d->sourceKind == fileSource ? !preflightFile() : !preflightSource())
        return false;
    if (d->options.maxUploadSize && d->size > *d->options.maxUploadSize) {
        QString limit = sizeText(*d->options.maxUploadSize);
        QString size = sizeText(d->size);
        if (limit == size) { // rounded alike: only the exact counts tell them apart
            limit = tr("%1 bytes").arg(QLocale::system().toString(*d->options.maxUploadSize));
            size = tr("%1 bytes").arg(QLocale::system().toString(d->size));
        }
        fail(Error::TooLarge,
            tr("The server refuses files over %1; this one is %2.").arg(limit, size));
        return false;
    }
    Q_EMIT progressChanged(d->bytesSent, d->size);
    return true;
}

bool UploadJob::preflightSource()
{
    if (!d->source) {
        fail(Error::SourceUnavailable, lostAfterRestart());
        return false;
    }
    if (const QString why = d->source->changed(); !why.isEmpty()) {
        fail(Error::SourceUnavailable, sentOnce(why));
        return false;
    }
    if (d->source->size() < 0) {
        fail(Error::SizeUnknown,
            tr("The size of %1 is not known in advance, and an upload needs it: the MSC2246 "
               "upload and upload URLs take an exact Content-Length, which a sequential device "
               "cannot tell. Give it as UploadMetadata::size.")
                .arg(displayName()));
        return false;
    }
    if (d->source->isSpent()) {
        fail(Error::SourceUnavailable,
            sentOnce(tr("this source cannot be rewound, and its bytes were read already")));
        return false;
    }
    if (!d->source->canRewind() && d->options.verify) {
        // Checked before any byte goes: afterwards nothing would be left to compare with.
        fail(Error::SourceUnavailable,
            tr("%1 cannot be read twice, so it cannot be verified after the upload: upload it "
               "without verification.")
                .arg(displayName()));
        return false;
    }
    if (!d->source->canRewind() && isChunked(d->options.forceProtocol)) {
        fail(Error::SourceUnavailable,
            tr("This source cannot be rewound, so %1 cannot resume it: use put, async or "
               "legacy.")
                .arg(d->options.forceProtocol));
        return false;
    }
    setSize(d->source->size());
    if (d->mediaType.isEmpty()) {
        setMediaType(d->fileName.isEmpty()
                ? u"application/octet-stream"_s
                : QMimeDatabase()
                      .mimeTypeForFile(d->fileName, QMimeDatabase::MatchExtension)
                      .name());
    }
    return true;
}

bool UploadJob::preflightFile()
{
    const QFileInfo info(d->filePath);
    if (!info.exists()) {
        fail(Error::FileMissing, tr("The file %1 does not exist (any more).").arg(d->filePath));
        return false;
    }
    if (!info.isFile()) {
        fail(Error::NotAFile, tr("%1 is not a file.").arg(d->filePath));
        return false;
    }
    QString why;
    QByteArray head;
    const auto fingerprint = FileFingerprint::of(d->filePath, &why, &head);
    if (!fingerprint) {
        fail(Error::FileUnreadable, cannotReadText(d->filePath, why));
        return false;
    }
    if (!d->edges.isEmpty() // the fingerprint of an earlier run or try
        && (fingerprint->size != d->size || fingerprint->mtimeMs != d->mtimeMs
            || fingerprint->edgesSha256 != d->edges)) {
        fail(Error::FileChanged, fileChangedText());
        return false;
    }
    setSize(fingerprint->size);
    d->mtimeMs = fingerprint->mtimeMs;
    d->edges = fingerprint->edgesSha256;
    d->source = BodySource::fromFile(d->filePath, d->size, d->mtimeMs);
    if (d->mediaType.isEmpty()) {
        // What QMimeDatabase::mimeTypeForFile() does for a file (the name first, the first
        // 16 KiB only where the name does not say), with the bytes the fingerprint just read
        // instead of opening and reading the file again (issue 15, item 4).
        setMediaType(QMimeDatabase().mimeTypeForFileNameAndData(d->filePath, head).name());
    }
    return true;
}

void UploadJob::create()
{
    setState(State::Creating);
    watch(d->context.api->createContent(), [this](const ApiResult<CreateResult> &result) {
        if (result && result->alreadyComplete && d->encrypted) {
            // A ciphertext made with a fresh key cannot be on the server yet: take no such ID.
            setFallbackReason(tr("the server claims to hold an encrypted upload already"));
            uploadLegacy();
            return;
        }
        if (result) {
            adoptCreated(*result);
            if (result->alreadyComplete) {
                // Beeper's create extension (protocol.md 3): the server has the content; with
                // UploadOptions::verify, succeed() still compares it by download.
                qCInfo(lcJob) << d->id << "the server holds the content already";
                setConfirmed(d->size);
                succeed();
                return;
            }
            chooseRoute(*result);
            return;
        }
        const MatrixError &e = result.error();
        if (e.isUnrecognized()) {
            setFallbackReason(tr("the server has no asynchronous uploads"));
            uploadLegacy();
        } else if (e.httpStatus() == 429
            && (!e.retryAfterMs() || *e.retryAfterMs() > d->options.retry.maxServerWaitMs)) {
            // Too many pending IDs: the wait can be hours (protocol.md 3). One request instead.
            setFallbackReason(tr("the server limits pending uploads"));
            uploadLegacy();
        } else {
            handleMatrixError(e, &UploadJob::create, tr("The server refused a new upload: %1"));
        }
    });
}

void UploadJob::adoptCreated(const CreateResult &created)
{
    d->created = created;
    d->createdAtMs = nowMs();
    setConfirmed(0);
    setRoute(Route::Undecided, d->protocol);
    setProgress(0);
    qCInfo(lcJob) << d->id << "created" << created.contentUri.toString();
    setContentUri(created.contentUri.toString());
    saveRecord();
}

QString UploadJob::uploadUrlRefusal(const CreateResult &created, const QString &protocol) const
{
    if (d->options.forceProtocol == u"async"_s)
        return tr("the homeserver path was asked for");
    if (!d->options.useUploadUrls)
        return tr("direct upload URLs are turned off");
    if (created.uploadUrl.isEmpty())
        return tr("the server offers no direct upload URL");
    if (const QString why = checkUploadUrl(created.uploadUrl, d->context.api->homeserver());
        !why.isEmpty())
        return why;
    if (!isSupportedUploadProtocol(protocol))
        return tr("the server's upload protocol \"%1\" is not supported").arg(protocol);
    // content-range and tus send the methods of their protocol (4.4, 4.5); a whole-file upload
    // sends upload_method, which may only be one that carries a body to be stored (4.3).
    const QByteArray method = created.uploadMethod;
    if ((protocol.isEmpty() || protocol == u"put"_s) && method != "PUT" && method != "POST")
        return tr("the upload URL asks for the method %1, which is not an upload")
            .arg(QString::fromLatin1(method.left(16)));
    if (d->source && !d->source->canRewind() && isChunked(protocol))
        return tr("this source cannot be rewound, so %1 cannot resume").arg(protocol);
    return {};
}

void UploadJob::chooseRoute(const CreateResult &created)
{
    const QString forced = d->options.forceProtocol;
    const QString protocol = forced.isEmpty() ? created.uploadProtocol : forced;
    const QString why = uploadUrlRefusal(created, protocol);
    if (!why.isEmpty()) {
        setFallbackReason(why);
        uploadThroughHomeserver();
        return;
    }
    setFallbackReason({});
    setRoute(Route::UploadUrl, protocol);
    saveRecord();
    startTransfer();
}

void UploadJob::startTransfer()
{
    setState(State::Uploading);
    const QString host = d->created->uploadUrl.host();
    if (QHostAddress(host).isNull()
        && !(host == d->checkedUploadHost && nowMs() < d->checkedUploadHostUntilMs)) {
        // A name: look at what it leads to before a byte goes there. checkUploadUrl() refuses
        // a literal link-local address; a name in DNS pointing at the cloud metadata service
        // (169.254.169.254) is refused here. Qt keeps this answer in its host cache for a
        // minute, and the connection takes it from there, so a name that changes its answer
        // right after this look-up (DNS rebinding) still leads to the checked address; a try
        // later than that looks the name up again.
        const quint64 generation = d->generation;
        QHostInfo::lookupHost(host, this, [this, generation, host](const QHostInfo &info) {
            if (generation != d->generation)
                return;
            if (const QString why = checkUploadHostAddresses(host, info.addresses());
                !why.isEmpty()) {
                fallBack(why);
                return;
            }
            // A failed look-up is the transfer's to meet (it retries, then falls back), and
            // counts for this try only: the connection looks the name up again.
            d->checkedUploadHost = host;
            d->checkedUploadHostUntilMs = info.addresses().isEmpty() ? 0 : nowMs() + 50000;
            sendToUploadUrl();
        });
        return;
    }
    sendToUploadUrl();
}

void UploadJob::sendToUploadUrl()
{
    d->completeSent = false;
    TransferTarget target;
    target.source = d->source;
    target.filePath = d->filePath;
    target.size = d->size;
    target.mtimeMs = d->mtimeMs;
    target.contentType = sentMediaType();
    target.url = d->created->uploadUrl;
    target.method = d->created->uploadMethod;
    if (d->options.chunkSize > 0) {
        target.chunkSize = d->options.chunkSize;
    } else {
        target.chunkSize = ChunkSizer::defaultStart;
        target.maxChunkSize = ChunkSizer::defaultMaximum;
    }
    target.inactivityTimeoutMs = d->options.inactivityTimeoutMs;
    target.checkHostHash = d->options.checkHostHash;
    QNetworkAccessManager *nam = d->context.uploadUrlNam;
    if (!nam) {
        if (!d->ownUploadUrlNam) {
            d->ownUploadUrlNam = uploadUrlNetworkManager(
                this, d->context.api ? d->context.api->networkAccessManager() : nullptr);
        }
        nam = d->ownUploadUrlNam;
    }
    d->transfer = makeTransfer(d->protocol, nam, target);
    if (!d->transfer) { // not reached: uploadUrlRefusal() refuses what makeTransfer() cannot make
        fallBack(tr("the upload protocol \"%1\" is not supported").arg(d->protocol));
        return;
    }
    qCInfo(lcJob) << d->id << "sending" << d->fileName << "to" << loggableUploadUrl(target.url)
                  << "with" << d->protocol;
    connect(
        d->transfer.get(), &Transfer::bytesSent, this, [this](qint64 sent) { setProgress(sent); });
    connect(d->transfer.get(), &Transfer::confirmed, this, [this](qint64 offset) {
        if (offset > d->confirmed)
            d->retries[UploadJobPrivate::TransferPhase].recordProgress(); // bytes moved: afresh
        setConfirmed(offset);
    });
    connect(d->transfer.get(), &Transfer::finished, this, &UploadJob::onTransferFinished);
    d->transfer->start();
}

void UploadJob::onTransferFinished(const TransferOutcome &outcome)
{
    // finished() may come from inside start(): delete the transfer only once back in the loop.
    if (d->transfer) {
        d->transfer->disconnect(this);
        d->transfer.release()->deleteLater();
    }
    using Kind = TransferOutcome::Kind;
    switch (outcome.kind) {
    case Kind::Completed:
        if (!hostHashAgrees(outcome.body))
            return;
        d->sentSha256 = outcome.sentSha256;
        setConfirmed(d->size);
        complete();
        return;
    case Kind::Retry:
        retryLater(
            outcome.retryAfterMs >= 0 ? std::optional<qint64>(outcome.retryAfterMs) : std::nullopt,
            outcome.message, &UploadJob::startTransfer, giveUpError(outcome), true);
        return;
    case Kind::Gone:
        fallBack(tr("direct upload refused (%1)").arg(outcome.message));
        return;
    case Kind::Failed:
        if (outcome.cannotRewind)
            fail(Error::SourceUnavailable, sentOnce(outcome.message));
        else if (outcome.fileChanged && d->sourceKind != fileSource)
            fail(Error::SourceUnavailable, sentOnce(outcome.message));
        else if (outcome.fileChanged)
            fail(Error::FileChanged, fileChangedText());
        else if (outcome.httpStatus == 413)
            fail(Error::TooLarge, tr("The server refuses a file this large."));
        else
            fail(Error::FileUnreadable, outcome.message);
        return;
    case Kind::Aborted:
        return;
    }
}

void UploadJob::fallBack(const QString &reason)
{
    qCInfo(lcJob) << d->id << "falling back to the homeserver:" << reason;
    setFallbackReason(reason);
    uploadThroughHomeserver();
}

void UploadJob::uploadThroughHomeserver()
{
    setState(State::Uploading);
    if (d->route != Route::ContentUri || d->protocol != u"async"_s) {
        setRoute(Route::ContentUri, u"async"_s);
        saveRecord();
    }
    QIODevice *device = openBody(Error::FileUnreadable);
    if (!device)
        return;
    setProgress(0);
    setConfirmed(0);
    UploadSource source { device, d->size, sentMediaType().toUtf8(), sentFileName() };
    auto *call
        = d->context.api->uploadToContentUri(d->created->contentUri, source, d->created->unstable);
    device->setParent(call);
    connect(call, &ApiCallBase::progress, this, [this](qint64 bytes) { setProgress(bytes); });
    watch(call, [this](const ApiResult<Done> &result) {
        if (result) {
            setConfirmed(d->size);
            succeed();
            return;
        }
        const MatrixError &e = result.error();
        if (e.httpStatus() == 409) {
            // The ID has content already: maybe ours, from a try whose answer was lost.
            verifyAfterConflict();
        } else if (e.httpStatus() == 405 || e.errcode() == u"M_UNRECOGNIZED"_s) {
            // The server does not know the PUT at all (a 404 M_UNRECOGNIZED is no expired ID):
            // a new ID would meet the same answer. One request without an ID instead.
            setFallbackReason(tr("the server takes no uploads onto a created ID"));
            uploadLegacy();
        } else if (e.httpStatus() == 404 && d->recreates < maxRecreates) {
            ++d->recreates;
            setFallbackReason(tr("the upload ID expired; a new one was created"));
            create();
        } else {
            handleMatrixError(e, &UploadJob::uploadThroughHomeserver, refusedFileText());
        }
    });
}

void UploadJob::downloadAndCompare(qint64 timeoutMs, std::function<void(const Comparison &)> done)
{
    const auto uri = MxcUri::parse(d->contentUri); // also after a legacy upload, without /create
    if (!uri) {
        Comparison c;
        c.error = MatrixError::invalidResponse(tr("the server gave no usable content URI"));
        done(c);
        return;
    }
    // The sink lives with the answer's handler: a pause or cancel that drops the answer frees it.
    auto sink = std::make_shared<Sha256Sink>();
    DownloadOptions options;
    options.timeoutMs = timeoutMs;
    options.sink = sink.get();
    options.maxBytes = d->size; // a longer content is another one: no need to read it all
    watch(d->context.api->downloadContent(*uri, options),
        [this, sink, done = std::move(done)](const ApiResult<DownloadResult> &result) {
            Comparison c;
            if (!result) {
                c.error = result.error();
                done(c);
                return;
            }
            c.remote = sink->result();
            const bool sizeMatches = result->size == d->size && !result->longer;
            if (!d->encrypted && d->sourceKind == fileSource) {
                // A whole file: hashed on a pool thread, so the event loop (other jobs, the UI)
                // runs on meanwhile. A pause or cancel meanwhile stops the reading (hashStop)
                // and drops the result.
                const quint64 generation = d->generation;
                // A watcher owned by the job, not QFuture::then(this, ...): Qt 6.4's then()
                // asserts (and in release builds misbehaves) when its context dies first.
                auto *watcher = new QFutureWatcher<std::optional<QByteArray>>(this);
                connect(watcher, &QFutureWatcherBase::finished, this,
                    [this, watcher, c, sizeMatches, generation, done]() mutable {
                        watcher->deleteLater();
                        if (generation != d->generation)
                            return;
                        c.local = watcher->result();
                        c.same = c.local && sizeMatches && *c.local == c.remote;
                        done(c);
                    });
                d->hashStop = std::make_shared<std::atomic_bool>(false);
                watcher->setFuture(sha256OfFileAsync(d->filePath, d->hashStop));
                return;
            }
            if (d->encrypted) // the server holds the ciphertext
                c.local = finishHash() ? std::optional(d->hash->result()) : std::nullopt;
            else
                c.local = d->source ? d->source->sha256() : std::nullopt;
            c.same = c.local && sizeMatches && *c.local == c.remote;
            done(c);
        });
}

void UploadJob::verifyAfterConflict()
{
    setState(State::Finalizing);
    downloadAndCompare(0, [this](const Comparison &c) {
        if (c.same) {
            qCInfo(lcJob) << d->id << "the server already held this file";
            setConfirmed(d->size);
            setVerified(true); // just compared: UploadOptions::verify need not download again
            succeed();
            return;
        }
        if (c.error) {
            // A download that fails says nothing about the content (issue 14): 504
            // M_NOT_YET_UPLOADED while another PUT of this ID still runs, a lost connection, a
            // 5xx. Ask again after a wait; a 404 (the ID unknown or expired after all) goes back
            // to the PUT, which creates a new ID on its own 404. The retry policy bounds both.
            if (c.error->isUnauthorized())
                return waitForToken(*c.error, &UploadJob::verifyAfterConflict);
            const bool gone = c.error->httpStatus() == 404;
            retryLater(c.error->retryAfterMs(), copyNotCheckedText(*c.error),
                gone ? &UploadJob::uploadThroughHomeserver : &UploadJob::verifyAfterConflict,
                giveUpError(*c.error));
            return;
        }
        if (!c.local) {
            if (d->sourceKind == fileSource)
                fail(Error::FileUnreadable, cannotCompareText());
            else
                fail(Error::SourceUnavailable,
                    sentOnce(tr("this source cannot be rewound, so it cannot be compared")));
            return;
        }
        // Only a download that arrived and differs ends the job this way.
        fail(Error::Refused, otherContentText(d->contentUri));
    });
}

void UploadJob::uploadLegacy()
{
    setState(State::Uploading);
    if (d->route != Route::Legacy)
        setRoute(Route::Legacy, u"legacy"_s);
    QIODevice *device = openBody(Error::FileChanged);
    if (!device)
        return;
    setProgress(0);
    UploadSource source { device, d->size, sentMediaType().toUtf8(), sentFileName() };
    auto *call = d->context.api->uploadContent(source);
    device->setParent(call);
    connect(call, &ApiCallBase::progress, this, [this](qint64 bytes) { setProgress(bytes); });
    watch(call, [this](const ApiResult<MxcUri> &result) {
        if (result) {
            setContentUri(result->toString());
            setConfirmed(d->size);
            succeed();
            return;
        }
        handleMatrixError(result.error(), &UploadJob::uploadLegacy, refusedFileText());
    });
}

QString UploadJob::sentFileName() const
{
    // An encrypted attachment's name is in the encrypted event only (protocol.md 10).
    return d->sendFileName && !d->encrypted ? d->fileName : QString();
}

QString UploadJob::sentMediaType() const
{
    return d->encrypted ? u"application/octet-stream"_s : d->mediaType;
}

bool UploadJob::prepareEncryption()
{
    if (!d->encrypted)
        return true;
    if (!d->key) {
        d->key = AttachmentKey::generate();
        if (!d->key) {
            fail(Error::Server, tr("No random key could be made for the encrypted upload."));
            return false;
        }
        d->hash.reset();
        d->keyStored = false;
    }
    if (!d->keyStored && d->context.secretStore) {
        d->keyStored = d->context.secretStore->store(d->id, d->key->key + d->key->iv);
        if (!d->keyStored)
            qCWarning(lcJob) << d->id << "cannot keep the key; a restart would begin anew";
    }
    if (!d->hash)
        d->hash = std::make_shared<CiphertextHash>(*d->key);
    d->source->setEncryption(*d->key, d->hash);
    return true;
}

void UploadJob::catchUpSlice()
{
    // A few MiB per turn of the event loop: the GUI stays responsive while a large prefix is
    // encrypted and hashed again.
    constexpr qint64 slice = 4 * 1024 * 1024;
    const qint64 target = std::min(d->hash->position() + slice, d->catchUpTarget);
    FileWindowDevice plaintext(d->filePath, 0, d->size);
    QString why;
    if (!plaintext.open(QIODevice::ReadOnly) || !d->hash->catchUp(plaintext, target, &why)) {
        fail(Error::FileUnreadable, cannotReadText(d->filePath, why));
        return;
    }
    const quint64 generation = d->generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation != d->generation)
            return;
        proceed();
    });
}

bool UploadJob::finishHash()
{
    if (d->hash->position() >= d->size)
        return true;
    QString why;
    std::unique_ptr<FileWindowDevice> file;
    if (d->sourceKind == fileSource) {
        file = std::make_unique<FileWindowDevice>(d->filePath, 0, d->size);
        if (file->open(QIODevice::ReadOnly) && d->hash->catchUp(*file, d->size, &why))
            return true;
    }
    fail(
        Error::FileUnreadable, tr("The encrypted upload cannot be hashed to its end: %1").arg(why));
    return false;
}

bool UploadJob::hostHashAgrees(const QByteArray &answer)
{
    if (!d->encrypted || !d->options.checkHostHash || d->protocol != u"content-range"_s)
        return true;
    const QString named = ContentRangeTransfer::namedSha256(answer);
    if (named.isEmpty())
        return true;
    if (!finishHash())
        return false;
    const QString why = ContentRangeTransfer::hashContradiction(named, d->hash->result());
    if (why.isEmpty())
        return true;
    fallBack(tr("direct upload refused (%1)").arg(why)); // as onTransferFinished() says it
    return false;
}

void UploadJob::dropKey()
{
    if (d->keyStored && d->context.secretStore)
        d->context.secretStore->remove(d->id);
    d->key.reset();
    d->hash.reset();
    d->keyStored = false;
    d->catchUpTarget = 0;
}

bool UploadJob::isEncrypted() const
{
    return d->encrypted;
}

QJsonObject UploadJob::encryptedFile() const
{
    return d->encryptedFile;
}

QIODevice *UploadJob::openBody(Error fileError)
{
    const bool file = d->sourceKind == fileSource;
    if (const QString why = d->source->changed(); !why.isEmpty()) {
        if (file)
            fail(Error::FileChanged, fileChangedText());
        else
            fail(Error::SourceUnavailable, sentOnce(why));
        return nullptr;
    }
    QString why;
    QIODevice *device = d->source->openWindow(0, d->size, &why, this);
    if (device)
        return device;
    if (!file)
        fail(Error::SourceUnavailable, sentOnce(why));
    else if (fileError == Error::FileChanged)
        fail(Error::FileChanged, fileChangedText());
    else
        fail(fileError, cannotReadText(d->filePath, why));
    return nullptr;
}

void UploadJob::complete()
{
    setState(State::Finalizing);
    const bool again = std::exchange(d->completeSent, true);
    watch(d->context.api->completeUpload(d->created->contentUri, sentFileName()),
        [this, again](const ApiResult<CompleteResult> &result) {
            if (result) {
                succeed();
                return;
            }
            const MatrixError &e = result.error();
            if (e.httpStatus() == 409 || (again && e.httpStatus() == 400)) {
                // A complete before may have been taken with its answer lost (before a pause or
                // restart, or sent again by QtNetwork itself after a cut connection), and a
                // server may refuse a second one: the content decides. A 400 to the first
                // complete is the server's refusal of what it got.
                qCInfo(lcJob) << d->id
                              << "complete again refused; checking by download:" << e.toString();
                verifyAfterComplete();
                return;
            }
            // The bytes arrived but the server will not take them (spam check, type): Refused.
            handleMatrixError(e, &UploadJob::complete, refusedFileText(), Error::Refused);
        });
}

void UploadJob::verifyAfterComplete()
{
    setState(State::Finalizing);
    downloadAndCompare(0, [this](const Comparison &c) {
        if (c.same) {
            qCInfo(lcJob) << d->id << "the server took the file at an earlier complete";
            setVerified(true); // just compared: UploadOptions::verify need not download again
            succeed();
            return;
        }
        if (c.error) {
            if (c.error->isUnauthorized())
                return waitForToken(*c.error, &UploadJob::verifyAfterComplete);
            // Not there (yet): the refusal was real; ask the upload host what it holds and
            // continue from there. Any other failure says nothing: check again later.
            const bool missing
                = c.error->httpStatus() == 404 || c.error->errcode() == u"M_NOT_YET_UPLOADED"_s;
            retryLater(c.error->retryAfterMs(), copyNotCheckedText(*c.error),
                missing ? &UploadJob::startTransfer : &UploadJob::verifyAfterComplete,
                giveUpError(*c.error));
            return;
        }
        if (!c.local) {
            fail(Error::FileUnreadable, cannotCompareText());
            return;
        }
        fail(Error::Refused, otherContentText(d->contentUri));
    });
}

void UploadJob::handleMatrixError(
    const MatrixError &error, void (UploadJob::*again)(), const QString &refusal, Error otherwise)
{
    if (error.isUnauthorized())
        waitForToken(error, again);
    else if (error.isRetryable())
        retryLater(error.retryAfterMs(), error.toString(), again, giveUpError(error));
    else if (error.httpStatus() == 413)
        fail(Error::TooLarge, tr("The server refuses a file this large: %1").arg(error.toString()));
    else if (error.httpStatus() == 403 || error.isQuota())
        fail(Error::Refused, refusal.arg(error.toString()));
    else
        fail(otherwise, refusal.arg(error.toString()));
}

void UploadJob::succeed()
{
    if (d->options.verify && !d->verified) {
        verify();
        return;
    }
    if (d->encrypted) {
        if (!finishHash())
            return;
        d->encryptedFile = EncryptedFile { d->contentUri, *d->key, d->hash->result() }.toJson();
    }
    setProgress(d->size);
    dropRecord();
    // The reason of a wait on the way is no error of the finished upload.
    setError(Error::None, {});
    qCInfo(lcJob) << d->id << "completed" << d->contentUri << "via" << d->protocol;
    setState(State::Completed);
    if (d->encrypted)
        Q_EMIT encryptedFileChanged();
}

void UploadJob::verify()
{
    setState(State::Finalizing);
    downloadAndCompare(-1, [this](const Comparison &c) {
        if (c.error) {
            if (c.error->isUnauthorized())
                waitForToken(*c.error, &UploadJob::verify);
            else if (c.error->isRetryable())
                retryLater(c.error->retryAfterMs(), c.error->toString(), &UploadJob::verify,
                    giveUpError(*c.error));
            else
                fail(Error::Server,
                    tr("Could not download the file to verify it: %1").arg(c.error->toString()));
            return;
        }
        if (!c.local) {
            fail(Error::FileUnreadable,
                d->sourceKind == fileSource
                    ? tr("The file cannot be read any more to verify it.")
                    : sentOnce(tr("this source cannot be rewound, so it cannot be verified")));
            return;
        }
        if (!c.same) {
            fail(Error::Server,
                tr("The server's copy differs from the file (SHA-256 %1 instead of %2).")
                    .arg(QString::fromLatin1(c.remote.toHex().left(12)),
                        QString::fromLatin1(c.local->toHex().left(12))));
            return;
        }
        setVerified(true);
        qCInfo(lcJob) << d->id << "verified";
        succeed();
    });
}

void UploadJob::retryLater(std::optional<qint64> serverWaitMs, const QString &why,
    void (UploadJob::*again)(), Error whenGivingUp, bool fallBackWhenGivingUp)
{
    const auto phase = again == &UploadJob::create ? UploadJobPrivate::CreatePhase
        : again == &UploadJob::complete || again == &UploadJob::verifyAfterComplete
            || again == &UploadJob::verify || again == &UploadJob::verifyAfterConflict
        ? UploadJobPrivate::CompletePhase
        : UploadJobPrivate::TransferPhase;
    RetryPolicy &retry = d->retries[phase];
    const auto delay = retry.nextDelayMs(serverWaitMs);
    if (!delay) {
        if (fallBackWhenGivingUp) {
            retry.recordProgress();
            fallBack(tr("the direct upload kept failing (%1)").arg(why));
        } else {
            fail(whenGivingUp,
                tr("Gave up after %n tries: %1", nullptr, retry.attempts() + 1).arg(why));
        }
        return;
    }
    qCInfo(lcJob) << d->id << "retrying in" << *delay << "ms:" << why;
    setRetryDelayMs(*delay);
    setErrorString(why);
    setState(State::WaitingToRetry);
    const quint64 generation = d->generation;
    d->retryTimer.disconnect(this);
    connect(&d->retryTimer, &QTimer::timeout, this, [this, again, generation] {
        if (generation == d->generation)
            (this->*again)();
    });
    d->retryTimer.start(int(std::min<qint64>(*delay, std::numeric_limits<int>::max())));
}

void UploadJob::waitForToken(const MatrixError &error, void (UploadJob::*again)())
{
    if (!d->context.api->isAccessTokenRejected()) {
        // MediaApi holds a token the server has not refused (a refresh or the host replaced it
        // after this request went out): an ordinary retry.
        retryLater(std::nullopt, error.toString(), again, giveUpError(error));
        return;
    }
    qCInfo(lcJob) << d->id << "waits for a new access token:" << error.toString();
    d->errorString = tr("The server no longer accepts the sign-in; waiting for a new one.");
    setState(State::WaitingForToken);
    const quint64 generation = d->generation;
    QObject::disconnect(d->tokenWait);
    d->tokenWait
        = connect(d->context.api, &MediaApi::accessTokenChanged, this, [this, again, generation] {
              QObject::disconnect(d->tokenWait);
              if (generation != d->generation || d->state != State::WaitingForToken)
                  return;
              qCInfo(lcJob) << d->id << "continues with the new access token";
              d->errorString.clear();
              d->resetRetries(); // a new token is a fresh start for the backoff
              (this->*again)();
          });
}

void UploadJob::setProgress(qint64 sent)
{
    const bool changed = sent != d->bytesSent;
    d->bytesSent = sent;
    d->samples.append({ d->clock.elapsed(), sent });
    while (
        d->samples.size() > 2 && d->samples.last().first - d->samples.first().first > speedWindowMs)
        d->samples.removeFirst();
    if (changed)
        Q_EMIT bytesSentChanged();
    Q_EMIT progressChanged(d->bytesSent, d->size);
    updateSpeed();
    // Once nothing moves for a while the speed drops to 0: say so then, not at the next read.
    d->speedTimer.start();
}

void UploadJob::setConfirmed(qint64 confirmed)
{
    if (confirmed == d->confirmed)
        return;
    d->confirmed = confirmed;
    Q_EMIT confirmedBytesChanged();
    saveRecord();
}

void UploadJob::setMediaType(const QString &mediaType)
{
    if (mediaType == d->mediaType)
        return;
    d->mediaType = mediaType;
    Q_EMIT mediaTypeChanged();
}

void UploadJob::setSize(qint64 size)
{
    if (size == d->size)
        return;
    d->size = size;
    Q_EMIT sizeChanged();
}

void UploadJob::setRoute(Route route, const QString &protocol)
{
    const bool routeChanges = route != d->route;
    const bool protocolChanges = protocol != d->protocol;
    d->route = route;
    d->protocol = protocol;
    if (routeChanges)
        Q_EMIT routeChanged();
    if (protocolChanges)
        Q_EMIT protocolChanged();
}

void UploadJob::setFallbackReason(const QString &reason)
{
    if (reason == d->fallbackReason)
        return;
    d->fallbackReason = reason;
    Q_EMIT fallbackReasonChanged();
}

void UploadJob::setError(Error error, const QString &errorString)
{
    const bool errorChanges = error != d->error;
    d->error = error;
    if (errorChanges)
        Q_EMIT errorChanged();
    setErrorString(errorString);
}

void UploadJob::setErrorString(const QString &errorString)
{
    if (errorString == d->errorString)
        return;
    d->errorString = errorString;
    Q_EMIT errorStringChanged();
}

void UploadJob::setVerified(bool verified)
{
    if (verified == d->verified)
        return;
    d->verified = verified;
    Q_EMIT verifiedChanged();
}

void UploadJob::setRestored(bool restored)
{
    if (restored == d->resumed)
        return;
    d->resumed = restored;
    Q_EMIT restoredChanged();
}

void UploadJob::setContentUri(const QString &contentUri)
{
    if (contentUri == d->contentUri)
        return;
    const QString previous = std::exchange(d->contentUri, contentUri);
    Q_EMIT contentUriChanged(d->contentUri, previous);
}

void UploadJob::setRetryDelayMs(qint64 ms)
{
    if (ms == d->retryDelayMs)
        return;
    d->retryDelayMs = ms;
    Q_EMIT retryDelayMsChanged();
}

void UploadJob::updateSpeed()
{
    double speed = 0;
    if (d->samples.size() >= 2 && d->state == State::Uploading) {
        const auto &[firstMs, firstBytes] = d->samples.first();
        const auto &[lastMs, lastBytes] = d->samples.last();
        if (d->clock.elapsed() - lastMs <= staleAfterMs && lastMs - firstMs >= 200)
            speed = double(lastBytes - firstBytes) * 1000.0 / double(lastMs - firstMs);
    }
    if (speed == d->speed)
        return;
    d->speed = speed;
    Q_EMIT bytesPerSecondChanged();
}

bool UploadJob::recordCanWait() const
{
    // Between /create's answer and the choice of a route: chooseRoute() (or the homeserver
    // route) follows in the same turn and writes the record with both, before any byte goes and
    // before anyone can have used the content URI (architecture.md, "Resume records").
    return d->route == Route::Undecided && d->confirmed < d->size
        && (d->state == State::Preparing || d->state == State::Creating);
}

void UploadJob::saveRecord()
{
    if (!d->context.resumeStore || !d->created || d->route == Route::Legacy)
        return;
    // An encrypted upload resumes after a restart only with its key, kept in the SecretStore.
    if (d->encrypted && !d->keyStored)
        return;
    if (recordCanWait())
        return;
    ResumeRecord record;
    record.id = d->id;
    record.source = d->sourceKind;
    if (d->sourceKind == fileSource)
        record.filePath = QFileInfo(d->filePath).absoluteFilePath();
    record.fileName = d->fileName;
    record.sendFileName = d->sendFileName;
    record.mediaType = d->mediaType;
    record.fingerprint = { d->size, d->mtimeMs, d->edges };
    record.homeserver = d->context.api->homeserver();
    record.userId = d->context.api->userId();
    record.contentUri = d->contentUri;
    record.expiresAtMs = d->created->unusedExpiresAt.value_or(0);
    record.uploadUrl = d->created->uploadUrl;
    record.uploadMethod = QString::fromLatin1(d->created->uploadMethod);
    record.protocol = d->protocol;
    record.unstableAsync = d->created->unstable;
    record.confirmedOffset = d->confirmed;
    record.createdAtMs = d->createdAtMs;
    if (d->encrypted)
        record.keyId = d->id; // the key itself is in the SecretStore under this ID
    if (!d->context.resumeStore->store(record))
        qCWarning(lcJob) << d->id << "cannot save the resume record; a restart would begin anew";
}

void UploadJob::dropRecord()
{
    if (d->context.resumeStore)
        d->context.resumeStore->remove(d->id);
    if (d->keyStored && d->context.secretStore) {
        d->context.secretStore->remove(d->id);
        d->keyStored = false;
    }
}

void UploadJob::expectMediaDescription()
{
    if (d->descriptionPending)
        return;
    d->descriptionPending = true;
    Q_EMIT mediaDescriptionChanged();
}

void UploadJob::setMediaDescription(const MediaDescription &description)
{
    d->description = description;
    d->descriptionPending = false;
    Q_EMIT mediaDescriptionChanged();
}

void UploadJob::setAttachedUpload(qint64 sent, qint64 total)
{
    total = std::max<qint64>(0, total);
    sent = std::clamp<qint64>(sent, 0, total);
    if (sent == d->attachedSent && total == d->attachedTotal)
        return;
    d->attachedSent = sent;
    d->attachedTotal = total;
    Q_EMIT progressChanged(d->bytesSent, d->size);
}

qint64 UploadJob::attachedBytes() const
{
    return d->attachedTotal;
}

qint64 UploadJob::attachedBytesSent() const
{
    return d->attachedSent;
}

bool UploadJob::isMediaDescriptionPending() const
{
    return d->descriptionPending;
}

MediaDescription UploadJob::mediaDescription() const
{
    return d->description;
}

QString UploadJob::messageType() const
{
    return d->description.msgtype.isEmpty() ? MediaDescription::msgtypeFor(d->mediaType)
                                            : d->description.msgtype;
}

QJsonObject UploadJob::messageInfo() const
{
    QJsonObject info = d->description.info;
    info.remove(u"thumbnail_url"_s);
    info.remove(u"thumbnail_file"_s);
    info.insert(
        u"mimetype"_s, d->mediaType.isEmpty() ? u"application/octet-stream"_s : d->mediaType);
    if (d->size >= 0)
        info.insert(u"size"_s, d->size);
    else
        info.remove(u"size"_s);
    return info;
}

} // namespace MatrixUpload
