// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "trayicon.h"

#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>

#include <QGuiApplication>
#include <QPainter>
#include <QSystemTrayIcon>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

TrayStatus::TrayStatus(QObject *parent)
    : QObject(parent)
{
    update();
}

void TrayStatus::setManager(UploadManager *manager)
{
    if (m_manager)
        m_manager->disconnect(this);
    m_manager = manager;
    m_batchCompleted = m_batchFailed = 0;
    if (manager) {
        connect(manager, &UploadManager::totalsChanged, this, &TrayStatus::update);
        connect(manager, &UploadManager::jobFinished, this, &TrayStatus::onJobFinished);
        connect(manager, &UploadManager::idle, this, &TrayStatus::onIdle);
    }
    update();
}

void TrayStatus::setTrayIcon(QSystemTrayIcon *icon)
{
    m_tray = icon;
    update();
}

QIcon TrayStatus::appIcon()
{
    // The installed icon (hicolor, the package's), else the same SVG from the resources; Qt's
    // SVG icon engine (libqt6svg6) draws it at any size.
    return QIcon::fromTheme(u"io.github.matrixuploader.MatrixUploader"_s,
        QIcon(u":/icons/io.github.matrixuploader.MatrixUploader.svg"_s));
}

QIcon TrayStatus::icon(int percent)
{
    const QIcon app = appIcon();
    if (percent < 0)
        return app;
    QIcon icon;
    for (const int size : { 16, 22, 24, 32, 48, 64 }) {
        QPixmap pixmap = app.pixmap(size, size);
        if (pixmap.size() != QSize(size, size)) {
            QPixmap square(size, size);
            square.fill(Qt::transparent);
            QPainter copy(&square);
            copy.drawPixmap(QRect(0, 0, size, size), pixmap);
            copy.end();
            pixmap = square;
        }
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF box(0.5, 0.5, size - 1.0, size - 1.0);
        QPen ring(QColor(0xff, 0xff, 0xff, 230), qMax(1.5, size / 10.0));
        p.setPen(ring);
        p.setBrush(Qt::NoBrush);
        const QRectF arc = box.adjusted(size / 14.0, size / 14.0, -size / 14.0, -size / 14.0);
        p.drawArc(arc, 90 * 16, -int(percent * 360 * 16 / 100));
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

int TrayStatus::activeCount() const
{
    return m_manager ? m_manager->activeCount() : 0;
}

qsizetype TrayStatus::pausedCount() const
{
    const QList<UploadJob *> jobs = m_manager->jobs();
    return std::count_if(jobs.cbegin(), jobs.cend(),
        [](const UploadJob *j) { return j->state() == UploadJob::State::Paused; });
}

void TrayStatus::update()
{
    QString tip = QGuiApplication::applicationDisplayName();
    int percent = -1;
    if (!m_manager) {
        tip += u"\n"_s + tr("Not signed in");
    } else if (!m_manager->isIdle()) {
        const qint64 total = m_manager->totalBytes();
        percent = total > 0 ? int(m_manager->sentBytes() * 100 / total) : 0;
        tip += u"\n"_s
            + tr("Uploading %n file(s): %1 %", nullptr, int(m_manager->activeCount())).arg(percent);
    } else if (const qsizetype paused = pausedCount(); paused > 0) {
        tip += u"\n"_s + tr("%n upload(s) paused", nullptr, int(paused));
    } else if (m_manager->failedCount() > 0) {
        tip += u"\n"_s + tr("%n upload(s) failed", nullptr, int(m_manager->failedCount()));
    } else {
        tip += u"\n"_s + tr("Nothing to upload");
    }
    const bool iconChanged = percent != m_percent;
    if (tip == m_toolTip && !iconChanged)
        return;
    m_toolTip = tip;
    m_percent = percent;
    if (m_tray) {
        m_tray->setToolTip(tip);
        if (iconChanged)
            m_tray->setIcon(icon(percent));
    }
    Q_EMIT changed();
}

void TrayStatus::onJobFinished(UploadJob *job)
{
    if (job->state() == UploadJob::State::Completed) {
        ++m_batchCompleted;
    } else if (job->state() == UploadJob::State::Failed) {
        ++m_batchFailed;
        const QString title = tr("Upload failed: %1").arg(job->fileName());
        Q_EMIT notify(title, job->errorString(), true);
        if (m_messagesShown && m_tray && m_tray->isVisible())
            m_tray->showMessage(title, job->errorString(), QSystemTrayIcon::Warning);
    }
}

void TrayStatus::onIdle()
{
    if (m_batchCompleted == 0 && m_batchFailed == 0)
        return; // paused or cancelled: no news
    const QString title = m_batchFailed == 0 ? tr("Uploads complete") : tr("Uploads finished");
    // The English plural forms come from translations/matrix-uploader_en.ts.
    QString message = tr("%n file(s) uploaded", nullptr, int(m_batchCompleted));
    if (m_batchFailed > 0)
        message += u", "_s + tr("%n failed", nullptr, int(m_batchFailed));
    const bool failures = m_batchFailed > 0;
    m_batchCompleted = m_batchFailed = 0;
    Q_EMIT notify(title, message, failures);
    if (m_messagesShown && m_tray && m_tray->isVisible())
        m_tray->showMessage(
            title, message, failures ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    update();
}

} // namespace MatrixUpload::App
