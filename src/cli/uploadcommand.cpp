// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadcommand.h"

#include "terminal.h"

#include <matrixupload/credentials.h>
#include <matrixupload/hashing.h>
#include <matrixupload/media/mediadescriber.h>
#include <matrixupload/mediadescription.h>
#include <matrixupload/roomposter.h>
#include <matrixupload/uploadlistmodel.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

#include <optional>

namespace MatrixUpload::Cli {

namespace {

QString sizeText(double bytes)
{
    return UploadListModel::formatSize(qint64(bytes)); // as the managers show it
}

QString durationText(qint64 seconds)
{
    if (seconds < 0)
        return u"--:--"_s;
    if (seconds >= 3600)
        return u"%1:%2:%3"_s.arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QChar(u'0'))
            .arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
}

QString stateName(UploadJob::State state)
{
    using State = UploadJob::State;
    switch (state) {
    case State::Completed:
        return u"completed"_s;
    case State::Failed:
        return u"failed"_s;
    case State::Cancelled:
        return u"cancelled"_s;
    case State::Paused:
        return u"paused"_s;
    default:
        return u"unfinished"_s;
    }
}
} // namespace

UploadCommand::UploadCommand(MediaApi *api, const UploadSettings &settings,
    std::unique_ptr<SecretStore> secrets, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_secrets(std::move(secrets))
    , m_manager(api, &m_store)
{
    m_manager.setSecretStore(m_secrets.get());
    UploadOptions options = settings.options;
    // Each job downloads its content and compares it before it counts as completed; a
    // difference fails it.
    options.verify = settings.verify;
    m_manager.setOptions(options);
    m_manager.setMaxParallel(settings.parallel);
    m_live = stderrIsTerminal() && !settings.json;
    // The JSON line says what a message would post about the file (issue 16).
    if (settings.json)
        m_describer = std::make_unique<MediaDescriber>(&m_manager);
    m_redraw.setInterval(250);
    connect(&m_redraw, &QTimer::timeout, this, [this] { redraw(); });
}

UploadCommand::~UploadCommand() = default;

void UploadCommand::start()
{
    connect(&m_manager, &UploadManager::jobFinished, this, &UploadCommand::onJobFinished);
    connect(&m_manager, &UploadManager::idle, this, &UploadCommand::maybeFinish);
    // Queued: the jobs first take in the refusal that made MediaApi give up.
    connect(m_manager.api(), &MediaApi::accessTokenRejected, this, &UploadCommand::tokenRejected,
        Qt::QueuedConnection);
    if (m_settings.resume) {
        const QList<UploadJob *> restored = m_manager.restore();
        if (!m_settings.json)
            err(tr("Resuming %n unfinished upload(s).", nullptr, int(restored.size())));
        for (const UploadJob *job : restored) {
            // E.g. an encrypted upload whose key is gone from the keychain starts over.
            if (!job->note().isEmpty())
                err(tr("note: %1: %2").arg(job->fileName(), job->note()));
        }
        m_jobs += restored;
        m_manager.resumeAll();
    }
    for (const QString &file : std::as_const(m_settings.files))
        m_jobs.append(m_manager.enqueue(file));
    for (UploadJob *job : std::as_const(m_jobs)) {
        if (!m_live && !m_settings.json) {
            connect(job, &UploadJob::routeChanged, this, [job] {
                if (!job->fallbackReason().isEmpty() && job->route() != UploadJob::Route::Undecided)
                    err(tr("note: %1: %2").arg(job->fileName(), UploadListModel::routeText(job)));
            });
        }
    }
    if (m_jobs.isEmpty()) {
        err(m_settings.resume ? tr("Nothing to resume.") : tr("No files given."));
        Q_EMIT done(m_settings.resume ? 0 : 2);
        return;
    }
    if (m_live)
        m_redraw.start();
}

void UploadCommand::interrupt()
{
    if (m_interrupted)
        return;
    m_interrupted = true;
    m_manager.pauseAll();
    redraw(true);
    for (UploadJob *job : std::exchange(m_held, {}))
        printResult(job);
    const bool any = std::any_of(m_jobs.cbegin(), m_jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Paused; });
    if (any)
        err(tr("Paused. Run \"matrix-uploader-cli upload --resume\" to continue."));
    for (UploadJob *job : std::as_const(m_jobs)) {
        if (!m_reports.contains(job))
            printResult(job);
    }
    Q_EMIT done(130);
}

void UploadCommand::tokenRejected(const MatrixError &error)
{
    if (m_interrupted || m_finishing)
        return;
    m_interrupted = true; // nothing after this is reported as a job's own end
    m_manager.pauseAll();
    redraw(true);
    for (UploadJob *job : std::exchange(m_held, {}))
        printResult(job);
    for (UploadJob *job : std::as_const(m_jobs)) {
        if (!m_reports.contains(job))
            printResult(job);
    }
    err(tr("error: the server no longer accepts this sign-in (%1).").arg(error.toString()));
    err(tr("Sign in again with \"matrix-uploader-cli login\" (or set a new %1), then run "
           "\"matrix-uploader-cli upload --resume\" to continue from what the server holds.")
            .arg(QLatin1StringView(accessTokenVariable)));
    Q_EMIT done(1);
}

void UploadCommand::onJobFinished(UploadJob *job)
{
    if (m_interrupted)
        return;
    if (m_describer && job->state() == UploadJob::State::Completed) {
        describeThenPrint(job);
        return;
    }
    printResult(job);
}

void UploadCommand::describeThenPrint(UploadJob *job)
{
    if (m_interrupted || m_reports.contains(job))
        return;
    if (job->isMediaDescriptionPending()) {
        if (!m_describing.contains(job)) {
            m_describing.insert(job);
            connect(job, &UploadJob::mediaDescriptionChanged, this,
                [this, job] { describeThenPrint(job); });
        }
        return;
    }
    if (!job->mediaDescription().thumbnail.isEmpty() && !m_thumbnails.contains(job)) {
        m_describing.insert(job);
        if (!m_thumbnailUploads.contains(job)) {
            m_thumbnailUploads.insert(job);
            uploadThumbnail(job);
        }
        return;
    }
    disconnect(job, &UploadJob::mediaDescriptionChanged, this, nullptr);
    m_describing.remove(job);
    printResult(job);
    maybeFinish();
}

void UploadCommand::uploadThumbnail(UploadJob *job)
{
    const MediaDescription description = job->mediaDescription();
    // Encrypted with a key of its own when the file is: `thumbnail_file` then holds that key,
    // and like `file` it goes to standard output only.
    auto *upload = new ThumbnailUpload(m_manager.api(), description.thumbnail,
        description.thumbnailMimeType, job->isEncrypted(), this);
    // A second upload tied to the file: counted in its progress and the totals.
    const qint64 bytes = description.thumbnail.size();
    job->setAttachedUpload(0, bytes);
    connect(upload, &ThumbnailUpload::finished, this, [this, job, upload, bytes] {
        upload->deleteLater();
        const qint64 sent = upload->errorString().isEmpty() ? bytes : 0;
        job->setAttachedUpload(sent, sent);
        // The line without its thumbnail is better than none: a failure is not retried.
        if (!upload->errorString().isEmpty())
            err(tr("note: %1: the thumbnail was not uploaded: %2")
                    .arg(job->fileName(), upload->errorString()));
        m_thumbnails.insert(job, upload->infoFields());
        describeThenPrint(job);
    });
    upload->start();
}

void UploadCommand::maybeFinish()
{
    if (m_finishing || m_interrupted || !m_describing.isEmpty())
        return;
    if (!std::all_of(
            m_jobs.cbegin(), m_jobs.cend(), [](const UploadJob *j) { return j->isTerminal(); }))
        return;
    m_finishing = true;
    m_redraw.stop();
    redraw(true);
    finish();
}

void UploadCommand::printResult(UploadJob *job)
{
    if (m_live && !m_finishing && !m_interrupted) {
        // Lines under a live display would be drawn over: they come after its last frame.
        if (!m_held.contains(job))
            m_held.append(job);
        return;
    }
    Report &report = m_reports[job];
    if (m_settings.verify && job->state() == UploadJob::State::Completed)
        report.verified = job->isVerified();
    if (m_settings.json) {
        if (report.sha256.isEmpty() && job->state() != UploadJob::State::Failed) {
            // The hash of the bytes as they went out, when the job made one: not read again.
            report.sha256 = job->sentSha256().toHex();
            if (report.sha256.isEmpty()) {
                if (const auto local = sha256OfFile(job->filePath()))
                    report.sha256 = local->toHex();
            }
        }
        auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
        QJsonObject line {
            { u"file"_s, job->filePath() },
            { u"path"_s, job->filePath() },
            { u"encrypted"_s, job->isEncrypted() },
            { u"state"_s, stateName(job->state()) },
            { u"content_uri"_s, orNull(job->contentUri()) },
            { u"protocol"_s, orNull(job->protocol()) },
            { u"size"_s, job->size() >= 0 ? QJsonValue(job->size()) : QJsonValue() },
            { u"sha256"_s, orNull(QString::fromLatin1(report.sha256)) },
            { u"verified"_s, report.verified ? QJsonValue(*report.verified) : QJsonValue() },
            { u"fallback"_s, orNull(job->fallbackReason()) },
            { u"error"_s, orNull(job->errorString()) },
        };
        // An encrypted upload: `file` is the EncryptedFile an event carries (with the key), as
        // in the event content, so this line is what `download --encrypted-file` reads; the
        // local path stays in `path`.
        if (job->isEncrypted())
            line.insert(u"file"_s,
                job->state() == UploadJob::State::Completed ? QJsonValue(job->encryptedFile())
                                                            : QJsonValue());
        // What a message would post about it: exactly the `info` and `msgtype` of
        // RoomPoster's content, with the thumbnail when one was uploaded.
        const QJsonObject message = RoomPoster::messageContent(job, {}, m_thumbnails.value(job));
        line.insert(u"msgtype"_s, message.value(u"msgtype"_s));
        line.insert(u"info"_s, message.value(u"info"_s));
        out(QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact)));
        return;
    }
    switch (job->state()) {
    case UploadJob::State::Completed:
        if (job->isEncrypted()) {
            // The key is what makes the upload readable: it goes where the content URI goes
            // (standard output), never to a log.
            out(job->contentUri() + u'\t' + job->filePath() + u"\tencrypted\t"_s
                + QString::fromUtf8(
                    QJsonDocument(job->encryptedFile()).toJson(QJsonDocument::Compact)));
        } else {
            out(job->contentUri() + u'\t' + job->filePath());
        }
        if (report.verified.value_or(false))
            err(tr("verified: %1").arg(job->fileName()));
        break;
    case UploadJob::State::Failed:
        err(tr("error: %1: %2").arg(job->filePath(), job->errorString()));
        break;
    case UploadJob::State::Paused:
        err(tr("paused: %1 (%2 of %3 confirmed)")
                .arg(job->fileName(), sizeText(double(job->confirmedBytes())),
                    sizeText(double(job->size()))));
        break;
    default:
        err(tr("%1: %2").arg(job->fileName(), UploadListModel::stateText(job)));
    }
}

void UploadCommand::finish()
{
    for (UploadJob *job : std::exchange(m_held, {}))
        printResult(job);
    const bool allGood = std::all_of(m_jobs.cbegin(), m_jobs.cend(), [this](UploadJob *j) {
        return j->state() == UploadJob::State::Completed
            && m_reports.value(j).verified.value_or(true);
    });
    Q_EMIT done(allGood ? 0 : 1);
}

void UploadCommand::redraw(bool final)
{
    if (!m_live)
        return;
    const int width = terminalWidth();
    QStringList lines;
    // The active and the most recent: a thousand files must not scroll the terminal away.
    QList<UploadJob *> shown;
    for (UploadJob *job : std::as_const(m_jobs)) {
        if (job->isActive())
            shown.append(job);
    }
    for (qsizetype i = m_jobs.size() - 1; i >= 0 && shown.size() < 8; --i) {
        if (!shown.contains(m_jobs[i]) && m_jobs[i]->state() != UploadJob::State::Queued)
            shown.prepend(m_jobs[i]);
    }
    for (UploadJob *job : std::as_const(shown)) {
        const double fraction = job->size() > 0
            ? double(job->bytesSent()) / double(job->size())
            : (job->state() == UploadJob::State::Completed ? 1 : 0);
        const int barWidth = 16;
        const int filled = std::clamp(int(fraction * barWidth + 0.5), 0, barWidth);
        const double speed = job->bytesPerSecond();
        const qint64 left = speed > 0 ? qint64(double(job->size() - job->bytesSent()) / speed) : -1;
        QString line = u"%1 [%2%3] %4% %5 %6 %7"_s.arg(job->fileName().left(24), -24)
                           .arg(QString(filled, u'#'), QString(barWidth - filled, u'.'))
                           .arg(int(fraction * 100), 3)
                           .arg(speed > 0 ? sizeText(speed) + u"/s"_s : u"-"_s, 11)
                           .arg(durationText(left), 6)
                           .arg(UploadListModel::stateText(job));
        lines.append(line.left(width - 1));
    }
    const double total = double(m_manager.totalBytes());
    const double sent = double(m_manager.sentBytes());
    const double speed = m_manager.bytesPerSecond();
    lines.append(
        tr("Total: %1 of %2, %3 of %4 files done, %5/s, %6 left")
            .arg(sizeText(sent), sizeText(total))
            .arg(m_manager.completedCount())
            .arg(m_jobs.size())
            .arg(sizeText(speed), durationText(speed > 0 ? qint64((total - sent) / speed) : -1))
            .left(width - 1));
    QString text;
    if (m_drawnLines > 0)
        text += u"\x1b[%1A"_s.arg(m_drawnLines);
    for (const QString &line : std::as_const(lines))
        text += u"\x1b[2K"_s + line + u'\n';
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    m_drawnLines = final ? 0 : int(lines.size());
}

} // namespace MatrixUpload::Cli
