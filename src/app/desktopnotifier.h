// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: desktop notifications (org.freedesktop.Notifications) where there is no tray.
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QDBusPendingCallWatcher;

namespace MatrixUpload::App {

class TrayStatus;

//! Shows what the tray would show (TrayStatus::notify(): a batch done, a file failed) as a
//! desktop notification through the org.freedesktop.Notifications service, on desktops without a
//! tray (stock GNOME). The app's one notification is updated in place (replaces_id) rather than
//! piling up; its default action ("Open") emits activated().
//!
//! Every call is asynchronous: without the service (or without a bus) nothing waits and nothing
//! breaks; deliveryFailed() says why. A notification asked for while the previous one is still on
//! its way waits for its ID, so that it replaces it; only the newest such one is kept.
//!
//! \code
//! auto *notifier = new DesktopNotifier(QDBusConnection::sessionBus(), window);
//! notifier->watch(trayStatus);
//! connect(notifier, &DesktopNotifier::activated, window, &QWidget::show);
//! \endcode
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    //! Whether a tray shows the news itself (then no notification goes).
    using TrayCheck = std::function<bool()>;

    //! Talks to the notification service on \a bus.
    explicit DesktopNotifier(
        const QDBusConnection &bus = QDBusConnection::sessionBus(), QObject *parent = nullptr);

    //! Shows the news of \a status (its notify() signal).
    void watch(TrayStatus *status);
    //! Replaces the default check, QSystemTrayIcon::isSystemTrayAvailable(); asked at each
    //! notification, as a tray can come and go.
    void setTrayCheck(TrayCheck check);
    //! Off: nothing is shown (the "Show notifications" setting).
    void setEnabled(bool enabled);
    //! Whether notifications are shown at all (default: on).
    bool isEnabled() const { return m_enabled; }
    //! The ID the service gave the app's notification; 0 before the first or after it closed.
    uint notificationId() const { return m_id; }

    //! Shows \a summary and \a body unless disabled or a tray shows them. \a failure: a file
    //! needs attention, and the notification stays until dismissed.
    void show(const QString &summary, const QString &body, bool failure);

    //! The D-Bus name of the notification service, which is also its interface's.
    static QString serviceName();
    //! The object path of the notification service.
    static QString objectPath();

Q_SIGNALS:
    //! The user chose the notification's default action (clicked it): show the window.
    void activated();
    //! The service took a notification and gave it \a id.
    void delivered(uint id);
    //! A notification could not be shown: \a error is the D-Bus error name (for example
    //! org.freedesktop.DBus.Error.ServiceUnknown when no service runs).
    void deliveryFailed(const QString &error);

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    struct Note
    {
        QString summary;
        QString body;
        bool failure = false;
    };
    void send(const Note &note);
    void onReply(QDBusPendingCallWatcher *call);

    QDBusConnection m_bus;
    TrayCheck m_trayCheck;
    bool m_enabled = true;
    uint m_id = 0;
    bool m_inFlight = false;
    std::optional<Note> m_waiting; //!< asked for while a call was in flight
};

} // namespace MatrixUpload::App
