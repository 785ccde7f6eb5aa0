// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: overall progress and notifications for the tray.
#pragma once

#include <matrixupload/uploadmanager.h>

#include <QIcon>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace MatrixUpload::App {

//! What the tray shows for an UploadManager: an icon with the overall progress drawn on it, a
//! tooltip in words, and a notification when a batch completes or a file fails. The texts are
//! worked out whether or not the platform has a tray (the notify() signal), so a window can show
//! them elsewhere and tests can read them; showMessage() reaches the tray only where there is one.
class TrayStatus : public QObject
{
    Q_OBJECT
public:
    explicit TrayStatus(QObject *parent = nullptr);

    //! The manager whose totals are shown; null shows the signed-out state.
    void setManager(UploadManager *manager);
    //! Shown through \a icon, when the platform has a tray (not owned).
    void setTrayIcon(QSystemTrayIcon *icon);

    QString toolTip() const { return m_toolTip; }
    //! 0..100, or -1 while nothing is uploading.
    int percent() const { return m_percent; }
    //! How many files are uploading now (UploadManager::activeCount(); queued ones not counted;
    //! 0 without a manager).
    int activeCount() const;
    //! Off: the tray shows no messages (the "Show notifications" setting); notify() still comes.
    void setMessagesShown(bool shown) { m_messagesShown = shown; }
    //! The app icon: io.github.matrixuploader.MatrixUploader from the icon theme, else the SVG
    //! in the resources (resources/icons/).
    static QIcon appIcon();
    //! The app icon, with a progress ring at \a percent (>= 0).
    static QIcon icon(int percent = -1);

Q_SIGNALS:
    //! A batch completed or a file failed. \a failure: an error rather than news.
    void notify(const QString &title, const QString &message, bool failure);
    void changed();

private:
    void update();
    qsizetype pausedCount() const;
    void onJobFinished(UploadJob *job);
    void onIdle();

    QPointer<UploadManager> m_manager;
    QPointer<QSystemTrayIcon> m_tray;
    QString m_toolTip;
    int m_percent = -1;
    int m_batchCompleted = 0;
    int m_batchFailed = 0;
    bool m_messagesShown = true;
};

} // namespace MatrixUpload::App
