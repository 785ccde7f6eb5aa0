// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadjob.h"

#include "api/mediaapi.h"
#include "hashing.h"
#include "logging_p.h"
#include "store/filefingerprint.h"
#include "store/resumestore.h"
#include "transfer/filewindowdevice.h"
#include "transfer/transfer.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMimeDatabase>
#include <QUuid>

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

QString sizeText(qint64 bytes)
{
    return QLocale::system().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace

UploadJob::UploadJob(const QString &filePath, const UploadContext &context,
    const UploadOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_filePath(filePath)
    , m_fileName(QFileInfo(filePath).fileName())
    , m_context(context)
    , m_options(options)
    , m_retry(options.retry)
{
    m_retryTimer.setSingleShot(true);
    m_clock.start();
    // Known at once for the batch totals of a queue; preflight takes the fingerprint that counts.
    const QFileInfo info(filePath);
    if (info.isFile())
        m_size = info.size();
}

UploadJob::UploadJob(const ResumeRecord &record, const UploadContext &context,
    const UploadOptions &options, QObject *parent)
    : UploadJob(record.filePath, context, options, parent)
{
    m_id = record.id;
    m_fileName = record.fileName.isEmpty() ? m_fileName : record.fileName;
    m_mediaType = record.mediaType;
    m_size = record.fingerprint.size;
    m_mtimeMs = record.fingerprint.mtimeMs;
    m_edges = record.fingerprint.edgesSha256;
    m_resumed = true;
    m_createdAtMs = record.createdAtMs;
    m_protocol = record.protocol;
    if (const auto uri = MxcUri::parse(record.contentUri)) {
        CreateResult created;
        created.contentUri = *uri;
        if (record.expiresAtMs > 0)
            created.unusedExpiresAt = record.expiresAtMs;
        created.uploadUrl = record.uploadUrl;
        created.uploadMethod = record.uploadMethod.toLatin1();
        created.uploadProtocol = record.protocol;
        created.unstable = record.unstableAsync;
        m_created = created;
        m_contentUri = record.contentUri;
        if (record.protocol == u"async"_s)
            m_route = Route::ContentUri;
        else if (!record.uploadUrl.isEmpty())
            m_route = Route::UploadUrl;
    }
    m_confirmed = record.confirmedOffset;
    m_bytesSent = record.confirmedOffset;
    // Listed, ready to resume, but not restarted by itself (design.md).
    m_state = State::Paused;
}

UploadJob::~UploadJob()
{
    stopActivity();
}

bool UploadJob::isTerminal() const
{
    return m_state == State::Completed || m_state == State::Failed || m_state == State::Cancelled;
}

bool UploadJob::isActive() const
{
    return m_state == State::Preparing || m_state == State::Creating || m_state == State::Uploading
        || m_state == State::WaitingToRetry || m_state == State::Finalizing;
}

double UploadJob::bytesPerSecond() const
{
    if (m_samples.size() < 2 || m_state != State::Uploading)
        return 0;
    const auto &[firstMs, firstBytes] = m_samples.first();
    const auto &[lastMs, lastBytes] = m_samples.last();
    if (m_clock.elapsed() - lastMs > 3000 || lastMs - firstMs < 200)
        return 0;
    return double(lastBytes - firstBytes) * 1000.0 / double(lastMs - firstMs);
}

// --- verbs ------------------------------------------------------------------------------------

void UploadJob::setNote(const QString &note)
{
    if (note == m_note)
        return;
    m_note = note;
    Q_EMIT noteChanged();
}

void UploadJob::start()
{
    if (m_state != State::Queued)
        return;
    run();
}

void UploadJob::pause()
{
    if (isTerminal() || m_state == State::Paused)
        return;
    stopActivity();
    setState(State::Paused);
}

void UploadJob::resume()
{
    if (m_state != State::Paused)
        return;
    m_retry.recordProgress();
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
    if (m_state != State::Failed)
        return;
    if (m_error == Error::FileChanged || m_error == Error::FileMissing) {
        // A changed file is a new upload: nothing the server holds belongs to it.
        m_edges.clear();
        m_created.reset();
        m_confirmed = 0;
        m_route = Route::Undecided;
        m_protocol.clear();
        m_resumed = false;
    }
    m_error = Error::None;
    m_errorString.clear();
    m_retry.recordProgress();
    setProgress(m_confirmed);
    setState(State::Queued);
}

// --- the run ----------------------------------------------------------------------------------

void UploadJob::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcJob) << m_id << m_state << "->" << state;
    m_state = state;
    Q_EMIT stateChanged(state);
    if (isTerminal())
        Q_EMIT finished();
}

void UploadJob::fail(Error error, const QString &message)
{
    stopActivity();
    m_error = error;
    m_errorString = message;
    qCInfo(lcJob) << m_id << "failed:" << message;
    // These failures can never be resumed: keeping their records would only offer them again.
    if (error == Error::FileChanged || error == Error::FileMissing || error == Error::NotAFile
        || error == Error::TooLarge || error == Error::Refused)
        dropRecord();
    setState(State::Failed);
}

void UploadJob::stopActivity()
{
    ++m_generation;
    m_retryTimer.stop();
    m_retryTimer.disconnect(this);
    if (m_call) {
        ApiCallBase *call = m_call;
        m_call = nullptr;
        call->abort();
    }
    if (m_transfer) {
        m_transfer->disconnect(this);
        m_transfer->abort();
        m_transfer.release()->deleteLater();
    }
}

template<class Call, class F> void UploadJob::watch(Call *call, F &&onResult)
{
    m_call = call;
    const quint64 generation = m_generation;
    connect(call, &ApiCallBase::finished, this,
        [this, call, generation, onResult = std::forward<F>(onResult)]() mutable {
            call->deleteLater();
            if (generation != m_generation)
                return; // paused or cancelled meanwhile
            m_call = nullptr;
            onResult(call->result());
        });
}

void UploadJob::run()
{
    m_error = Error::None;
    m_errorString.clear();
    setState(State::Preparing);
    if (!preflight())
        return;
    if (m_options.forceProtocol == u"legacy"_s) {
        uploadLegacy();
        return;
    }
    const bool expired = m_created && m_created->unusedExpiresAt
        && nowMs() > *m_created->unusedExpiresAt - expiryMarginMs;
    if (!m_created || expired) {
        create();
        return;
    }
    if (m_route == Route::UploadUrl)
        startTransfer();
    else if (m_route == Route::ContentUri)
        uploadThroughHomeserver();
    else
        chooseRoute(*m_created);
}

bool UploadJob::preflight()
{
    const QFileInfo info(m_filePath);
    if (!info.exists()) {
        fail(Error::FileMissing, tr("The file %1 does not exist (any more).").arg(m_filePath));
        return false;
    }
    if (!info.isFile()) {
        fail(Error::NotAFile, tr("%1 is not a file.").arg(m_filePath));
        return false;
    }
    QString why;
    const auto fingerprint = FileFingerprint::of(m_filePath, &why);
    if (!fingerprint) {
        fail(Error::FileUnreadable, tr("Cannot read %1: %2").arg(m_filePath, why));
        return false;
    }
    if (!m_edges.isEmpty() // the fingerprint of an earlier run or try
        && (fingerprint->size != m_size || fingerprint->mtimeMs != m_mtimeMs
            || fingerprint->edgesSha256 != m_edges)) {
        fail(Error::FileChanged, tr("The file changed since the upload began. Add it again."));
        return false;
    }
    m_size = fingerprint->size;
    m_mtimeMs = fingerprint->mtimeMs;
    m_edges = fingerprint->edgesSha256;
    if (m_mediaType.isEmpty())
        m_mediaType = QMimeDatabase().mimeTypeForFile(info).name();
    if (m_options.maxUploadSize && m_size > *m_options.maxUploadSize) {
        QString limit = sizeText(*m_options.maxUploadSize);
        QString size = sizeText(m_size);
        if (limit == size) { // rounded alike: only the exact counts tell them apart
            limit = tr("%1 bytes").arg(QLocale::system().toString(*m_options.maxUploadSize));
            size = tr("%1 bytes").arg(QLocale::system().toString(m_size));
        }
        fail(Error::TooLarge,
            tr("The server refuses files over %1; this one is %2.").arg(limit, size));
        return false;
    }
    Q_EMIT progressChanged(m_bytesSent, m_size);
    return true;
}

void UploadJob::create()
{
    setState(State::Creating);
    watch(m_context.api->createContent(), [this](const ApiResult<CreateResult> &result) {
        if (result) {
            adoptCreated(*result);
            chooseRoute(*result);
            return;
        }
        const MatrixError &e = result.error();
        if (e.isUnrecognized()) {
            m_fallbackReason = tr("the server has no asynchronous uploads");
            uploadLegacy();
        } else if (e.httpStatus() == 429
            && (!e.retryAfterMs() || *e.retryAfterMs() > m_retry.settings().maxServerWaitMs)) {
            // Too many pending IDs: the wait can be hours (protocol.md 3). One request instead.
            m_fallbackReason = tr("the server limits pending uploads");
            uploadLegacy();
        } else if (e.isUnauthorized()) {
            fail(Error::Unauthorized,
                tr("The server no longer accepts the sign-in. Sign in again."));
        } else if (e.isRetryable()) {
            retryLater(e.retryAfterMs(), e.toString(), &UploadJob::create);
        } else {
            fail(e.httpStatus() == 403 || e.isQuota() ? Error::Refused : Error::Server,
                tr("The server refused a new upload: %1").arg(e.toString()));
        }
    });
}

void UploadJob::adoptCreated(const CreateResult &created)
{
    const QString previous = m_contentUri;
    m_created = created;
    m_contentUri = created.contentUri.toString();
    m_createdAtMs = nowMs();
    m_confirmed = 0;
    m_route = Route::Undecided;
    setProgress(0);
    qCInfo(lcJob) << m_id << "created" << m_contentUri;
    Q_EMIT contentUriChanged(m_contentUri, previous);
    saveRecord();
}

void UploadJob::chooseRoute(const CreateResult &created)
{
    const QString forced = m_options.forceProtocol;
    QString why;
    if (forced == u"async"_s)
        why = tr("the homeserver path was asked for");
    else if (!m_options.useUploadUrls)
        why = tr("direct upload URLs are turned off");
    else if (created.uploadUrl.isEmpty())
        why = tr("the server offers no direct upload URL");
    else
        why = checkUploadUrl(created.uploadUrl, m_context.api->homeserver());
    const QString protocol = forced.isEmpty() ? created.uploadProtocol : forced;
    if (why.isEmpty() && !isSupportedUploadProtocol(protocol))
        why = tr("the server's upload protocol \"%1\" is not supported").arg(protocol);
    if (!why.isEmpty()) {
        m_fallbackReason = why;
        uploadThroughHomeserver();
        return;
    }
    m_route = Route::UploadUrl;
    m_protocol = protocol;
    m_fallbackReason.clear();
    Q_EMIT routeChanged();
    saveRecord();
    startTransfer();
}

void UploadJob::startTransfer()
{
    setState(State::Uploading);
    TransferTarget target;
    target.filePath = m_filePath;
    target.size = m_size;
    target.mtimeMs = m_mtimeMs;
    target.contentType = m_mediaType;
    target.url = m_created->uploadUrl;
    target.method = m_created->uploadMethod;
    target.chunkSize = m_options.chunkSize;
    target.inactivityTimeoutMs = m_options.inactivityTimeoutMs;
    m_transfer = makeTransfer(m_protocol, m_context.uploadUrlNam, target);
    qCInfo(lcJob) << m_id << "sending" << m_fileName << "to" << loggableUrl(target.url) << "with"
                  << m_protocol;
    connect(
        m_transfer.get(), &Transfer::bytesSent, this, [this](qint64 sent) { setProgress(sent); });
    connect(m_transfer.get(), &Transfer::confirmed, this, [this](qint64 offset) {
        if (offset > m_confirmed)
            m_retry.recordProgress(); // bytes moved: the next failure starts the backoff afresh
        setConfirmed(offset);
    });
    connect(m_transfer.get(), &Transfer::finished, this, &UploadJob::onTransferFinished);
    m_transfer->start();
}

void UploadJob::onTransferFinished(const TransferOutcome &outcome)
{
    // finished() may come from inside start(): delete the transfer only once back in the loop.
    if (m_transfer) {
        m_transfer->disconnect(this);
        m_transfer.release()->deleteLater();
    }
    using Kind = TransferOutcome::Kind;
    switch (outcome.kind) {
    case Kind::Completed:
        setConfirmed(m_size);
        complete();
        return;
    case Kind::Retry:
        retryLater(
            outcome.retryAfterMs >= 0 ? std::optional<qint64>(outcome.retryAfterMs) : std::nullopt,
            outcome.message, &UploadJob::startTransfer, true);
        return;
    case Kind::Gone:
        fallBack(tr("direct upload refused (%1)").arg(outcome.message));
        return;
    case Kind::Failed:
        if (outcome.fileChanged)
            fail(Error::FileChanged, tr("The file changed since the upload began. Add it again."));
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
    qCInfo(lcJob) << m_id << "falling back to the homeserver:" << reason;
    m_fallbackReason = reason;
    uploadThroughHomeserver();
}

void UploadJob::uploadThroughHomeserver()
{
    setState(State::Uploading);
    if (m_route != Route::ContentUri || m_protocol != u"async"_s) {
        m_route = Route::ContentUri;
        m_protocol = u"async"_s;
        Q_EMIT routeChanged();
        saveRecord();
    }
    if (QFileInfo(m_filePath).size() != m_size) {
        fail(Error::FileChanged, tr("The file changed since the upload began. Add it again."));
        return;
    }
    auto *device = new FileWindowDevice(m_filePath, 0, m_size, this);
    if (!device->open(QIODevice::ReadOnly)) {
        fail(
            Error::FileUnreadable, tr("Cannot read %1: %2").arg(m_filePath, device->errorString()));
        delete device;
        return;
    }
    setProgress(0);
    setConfirmed(0);
    UploadSource source { device, m_size, m_mediaType.toUtf8(), m_fileName };
    auto *call
        = m_context.api->uploadToContentUri(m_created->contentUri, source, m_created->unstable);
    device->setParent(call);
    connect(call, &ApiCallBase::progress, this, [this](qint64 bytes) { setProgress(bytes); });
    watch(call, [this](const ApiResult<Done> &result) {
        if (result) {
            setConfirmed(m_size);
            succeed();
            return;
        }
        const MatrixError &e = result.error();
        if (e.httpStatus() == 409) {
            // The ID has content already: maybe ours, from a try whose answer was lost.
            verifyAfterConflict();
        } else if (e.httpStatus() == 404 && m_recreates < maxRecreates) {
            ++m_recreates;
            m_fallbackReason = tr("the upload ID expired; a new one was created");
            create();
        } else if (e.httpStatus() == 413) {
            fail(Error::TooLarge, tr("The server refuses a file this large: %1").arg(e.toString()));
        } else if (e.isUnauthorized()) {
            fail(Error::Unauthorized,
                tr("The server no longer accepts the sign-in. Sign in again."));
        } else if (e.isRetryable()) {
            retryLater(e.retryAfterMs(), e.toString(), &UploadJob::uploadThroughHomeserver);
        } else {
            fail(e.httpStatus() == 403 || e.isQuota() ? Error::Refused : Error::Server,
                tr("The server refused the file: %1").arg(e.toString()));
        }
    });
}

void UploadJob::downloadAndCompare(qint64 timeoutMs, std::function<void(const Comparison &)> done)
{
    const auto uri = MxcUri::parse(m_contentUri); // also after a legacy upload, without /create
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
    watch(m_context.api->downloadContent(*uri, options),
        [this, sink, done = std::move(done)](const ApiResult<DownloadResult> &result) {
            Comparison c;
            if (!result) {
                c.error = result.error();
            } else {
                c.remote = sink->result();
                c.local = sha256OfFile(m_filePath);
                c.same = c.local && result->size == m_size && *c.local == c.remote;
            }
            done(c);
        });
}

void UploadJob::verifyAfterConflict()
{
    setState(State::Finalizing);
    downloadAndCompare(0, [this](const Comparison &c) {
        if (c.same) {
            qCInfo(lcJob) << m_id << "the server already held this file";
            setConfirmed(m_size);
            m_verified = true; // just compared: UploadOptions::verify need not download again
            succeed();
            return;
        }
        fail(
            Error::Refused, tr("The server already holds other content for %1.").arg(m_contentUri));
    });
}

void UploadJob::uploadLegacy()
{
    setState(State::Uploading);
    if (m_route != Route::Legacy) {
        m_route = Route::Legacy;
        m_protocol = u"legacy"_s;
        Q_EMIT routeChanged();
    }
    auto *device = new FileWindowDevice(m_filePath, 0, m_size, this);
    if (QFileInfo(m_filePath).size() != m_size || !device->open(QIODevice::ReadOnly)) {
        delete device;
        fail(Error::FileChanged, tr("The file changed since the upload began. Add it again."));
        return;
    }
    setProgress(0);
    UploadSource source { device, m_size, m_mediaType.toUtf8(), m_fileName };
    auto *call = m_context.api->uploadContent(source);
    device->setParent(call);
    connect(call, &ApiCallBase::progress, this, [this](qint64 bytes) { setProgress(bytes); });
    watch(call, [this](const ApiResult<MxcUri> &result) {
        if (result) {
            const QString previous = m_contentUri;
            m_contentUri = result->toString();
            Q_EMIT contentUriChanged(m_contentUri, previous);
            setConfirmed(m_size);
            succeed();
            return;
        }
        const MatrixError &e = result.error();
        if (e.httpStatus() == 413)
            fail(Error::TooLarge, tr("The server refuses a file this large: %1").arg(e.toString()));
        else if (e.isUnauthorized())
            fail(Error::Unauthorized,
                tr("The server no longer accepts the sign-in. Sign in again."));
        else if (e.isRetryable())
            retryLater(e.retryAfterMs(), e.toString(), &UploadJob::uploadLegacy);
        else
            fail(e.httpStatus() == 403 || e.isQuota() ? Error::Refused : Error::Server,
                tr("The server refused the file: %1").arg(e.toString()));
    });
}

void UploadJob::complete()
{
    setState(State::Finalizing);
    watch(m_context.api->completeUpload(m_created->contentUri, m_fileName),
        [this](const ApiResult<CompleteResult> &result) {
            if (result) {
                succeed();
                return;
            }
            const MatrixError &e = result.error();
            if (e.isUnauthorized())
                fail(Error::Unauthorized,
                    tr("The server no longer accepts the sign-in. Sign in again."));
            else if (e.isRetryable())
                retryLater(e.retryAfterMs(), e.toString(), &UploadJob::complete);
            else
                // The bytes arrived but the server will not take them (spam check, type).
                fail(Error::Refused, tr("The server refused the file: %1").arg(e.toString()));
        });
}

void UploadJob::succeed()
{
    if (m_options.verify && !m_verified) {
        verify();
        return;
    }
    setProgress(m_size);
    dropRecord();
    // The reason of a wait on the way is no error of the finished upload.
    m_error = Error::None;
    m_errorString.clear();
    qCInfo(lcJob) << m_id << "completed" << m_contentUri << "via" << m_protocol;
    setState(State::Completed);
}

void UploadJob::verify()
{
    setState(State::Finalizing);
    downloadAndCompare(-1, [this](const Comparison &c) {
        if (c.error) {
            if (c.error->isRetryable())
                retryLater(c.error->retryAfterMs(), c.error->toString(), &UploadJob::verify);
            else
                fail(Error::Server,
                    tr("Could not download the file to verify it: %1").arg(c.error->toString()));
            return;
        }
        if (!c.local) {
            fail(Error::FileUnreadable, tr("The file cannot be read any more to verify it."));
            return;
        }
        if (!c.same) {
            fail(Error::Server,
                tr("The server's copy differs from the file (SHA-256 %1 instead of %2).")
                    .arg(QString::fromLatin1(c.remote.toHex().left(12)),
                        QString::fromLatin1(c.local->toHex().left(12))));
            return;
        }
        m_verified = true;
        qCInfo(lcJob) << m_id << "verified";
        succeed();
    });
}

void UploadJob::retryLater(std::optional<qint64> serverWaitMs, const QString &why,
    void (UploadJob::*again)(), bool fallBackWhenGivingUp)
{
    const auto delay = m_retry.nextDelayMs(serverWaitMs);
    if (!delay) {
        if (fallBackWhenGivingUp) {
            m_retry.recordProgress();
            fallBack(tr("the direct upload kept failing (%1)").arg(why));
        } else {
            fail(Error::Network,
                tr("Gave up after %n tries: %1", nullptr, m_retry.attempts() + 1).arg(why));
        }
        return;
    }
    qCInfo(lcJob) << m_id << "retrying in" << *delay << "ms:" << why;
    m_retryDelayMs = *delay;
    m_errorString = why;
    setState(State::WaitingToRetry);
    const quint64 generation = m_generation;
    m_retryTimer.disconnect(this);
    connect(&m_retryTimer, &QTimer::timeout, this, [this, again, generation] {
        if (generation == m_generation)
            (this->*again)();
    });
    m_retryTimer.start(int(std::min<qint64>(*delay, std::numeric_limits<int>::max())));
}

void UploadJob::setProgress(qint64 sent)
{
    m_bytesSent = sent;
    m_samples.append({ m_clock.elapsed(), sent });
    while (m_samples.size() > 2 && m_samples.last().first - m_samples.first().first > speedWindowMs)
        m_samples.removeFirst();
    Q_EMIT progressChanged(m_bytesSent, m_size);
}

void UploadJob::setConfirmed(qint64 confirmed)
{
    if (confirmed == m_confirmed)
        return;
    m_confirmed = confirmed;
    saveRecord();
}

void UploadJob::saveRecord()
{
    if (!m_context.resumeStore || !m_created || m_route == Route::Legacy)
        return;
    ResumeRecord record;
    record.id = m_id;
    record.filePath = QFileInfo(m_filePath).absoluteFilePath();
    record.fileName = m_fileName;
    record.mediaType = m_mediaType;
    record.fingerprint = { m_size, m_mtimeMs, m_edges };
    record.homeserver = m_context.api->homeserver();
    record.contentUri = m_contentUri;
    record.expiresAtMs = m_created->unusedExpiresAt.value_or(0);
    record.uploadUrl = m_created->uploadUrl;
    record.uploadMethod = QString::fromLatin1(m_created->uploadMethod);
    record.protocol = m_protocol;
    record.unstableAsync = m_created->unstable;
    record.confirmedOffset = m_confirmed;
    record.createdAtMs = m_createdAtMs;
    if (!m_context.resumeStore->store(record))
        qCWarning(lcJob) << m_id << "cannot save the resume record; a restart would begin anew";
}

void UploadJob::dropRecord()
{
    if (m_context.resumeStore)
        m_context.resumeStore->remove(m_id);
}

} // namespace MatrixUpload
