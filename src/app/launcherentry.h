// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: upload progress on the taskbar or dock (com.canonical.Unity.LauncherEntry).
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QPointer>
#include <QVariantMap>

namespace MatrixUpload::App {

class TrayStatus;

//! The overall upload progress of a TrayStatus on the app's taskbar or dock entry, through the
//! com.canonical.Unity.LauncherEntry Update signal that Plasma's task manager, Dash to Dock and
//! others read: a progress bar and the count of running uploads while uploads run, both hidden
//! when idle, and "urgent" after a failure until the window is activated (the attention widget)
//! or acknowledge() is called. Shown whether or not there is a tray. Nothing waits on the bus:
//! a signal goes out only when what it says changes.
//!
//! \code
//! auto *entry = new LauncherEntry(QDBusConnection::sessionBus(), window);
//! entry->watch(trayStatus);
//! entry->setAttentionWidget(window);
//! \endcode
class LauncherEntry : public QObject
{
    Q_OBJECT
public:
    //! Emits the Update signals on \a bus.
    explicit LauncherEntry(
        const QDBusConnection &bus = QDBusConnection::sessionBus(), QObject *parent = nullptr);
    //! Clears the entry (no progress, no count, not urgent).
    ~LauncherEntry() override;

    //! Shows the progress of \a status; a failure it reports makes the entry urgent.
    void watch(TrayStatus *status);
    //! Activating \a widget's window clears "urgent" (the user has seen it).
    void setAttentionWidget(QWidget *widget);
    //! Clears "urgent".
    void acknowledge();

    //! What the last Update signal said (empty before the first): progress, progress-visible,
    //! count, count-visible, urgent.
    QVariantMap properties() const { return m_sent; }

    //! The application:// URI of the desktop file, the first argument of Update.
    static QString appUri();
    //! The object path the signal comes from.
    static QString objectPath();
    //! The D-Bus interface of the signal.
    static QString interfaceName();

protected:
    //! Watches the attention widget for its window's activation.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update();

    QDBusConnection m_bus;
    QPointer<TrayStatus> m_status;
    bool m_urgent = false;
    QVariantMap m_sent;
};

} // namespace MatrixUpload::App
