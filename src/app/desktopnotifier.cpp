// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "desktopnotifier.h"
#include "trayicon.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>
#include <QSystemTrayIcon>
#include <QVariantMap>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
// The desktop file's name: the notification is grouped with the app and finds its icon.
const QString appId = u"io.github.matrixuploader.MatrixUploader"_s;
const QString defaultAction = u"default"_s;
// How long news of a finished batch stays; a failure stays until dismissed (0: never expires).
constexpr int newsTimeoutMs = 10000;
// A service that does not answer (hung) is given up on after this long; the app never waits.
constexpr int callTimeoutMs = 10000;

// Servers with the body-markup capability (GNOME, Plasma) read the body as a subset of XML: a
// file name with "<" or "&" would be cut or dropped. Servers without it show the text as it is
// after removing tags, which these entities are not; they are rare.
QString escapedBody(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'&')
            out += u"&amp;"_s;
        else if (c == u'<')
            out += u"&lt;"_s;
        else if (c == u'>')
            out += u"&gt;"_s;
        else
            out += c;
    }
    return out;
}
} // namespace

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_trayCheck([] { return QSystemTrayIcon::isSystemTrayAvailable(); })
{
    if (!m_bus.isConnected())
        return;
    m_bus.connect(serviceName(), objectPath(), serviceName(), u"ActionInvoked"_s, this,
        SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(serviceName(), objectPath(), serviceName(), u"NotificationClosed"_s, this,
        SLOT(onNotificationClosed(uint, uint)));
}

QString DesktopNotifier::serviceName()
{
    return u"org.freedesktop.Notifications"_s;
}

QString DesktopNotifier::objectPath()
{
    return u"/org/freedesktop/Notifications"_s;
}

void DesktopNotifier::watch(TrayStatus *status)
{
    connect(status, &TrayStatus::notify, this, &DesktopNotifier::show);
}

void DesktopNotifier::setTrayCheck(TrayCheck check)
{
    m_trayCheck = std::move(check);
}

void DesktopNotifier::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled)
        m_waiting.reset();
}

void DesktopNotifier::show(const QString &summary, const QString &body, bool failure)
{
    if (!m_enabled || (m_trayCheck && m_trayCheck()))
        return;
    const Note note { summary, body, failure };
    if (m_inFlight) {
        m_waiting = note; // sent with the ID of the one on its way, so that it replaces it
        return;
    }
    send(note);
}

void DesktopNotifier::send(const Note &note)
{
    if (!m_bus.isConnected()) {
        // No bus at all: QtDBus would hand back a call that never finishes.
        Q_EMIT deliveryFailed(u"org.freedesktop.DBus.Error.Disconnected"_s);
        return;
    }
    QDBusMessage call
        = QDBusMessage::createMethodCall(serviceName(), objectPath(), serviceName(), u"Notify"_s);
    QVariantMap hints;
    hints.insert(u"desktop-entry"_s, appId);
    hints.insert(u"category"_s, note.failure ? u"transfer.error"_s : u"transfer.complete"_s);
    hints.insert(u"urgency"_s, QVariant::fromValue(uchar(1))); // normal; critical would pin it
    call << QGuiApplication::applicationDisplayName() << m_id << appId << note.summary
         << escapedBody(note.body) << QStringList { defaultAction, tr("Open") } << hints
         << (note.failure ? 0 : newsTimeoutMs);
    m_inFlight = true;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, callTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, &DesktopNotifier::onReply);
}

void DesktopNotifier::onReply(QDBusPendingCallWatcher *call)
{
    call->deleteLater();
    m_inFlight = false;
    const QDBusPendingReply<uint> reply = *call;
    if (reply.isError()) {
        Q_EMIT deliveryFailed(reply.error().name());
    } else {
        m_id = reply.value();
        Q_EMIT delivered(m_id);
    }
    if (m_waiting) {
        const Note next = *m_waiting;
        m_waiting.reset();
        send(next);
    }
}

void DesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    if (id != 0 && id == m_id && actionKey == defaultAction)
        Q_EMIT activated();
}

void DesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    if (id == m_id)
        m_id = 0; // the next one is a new notification
}

} // namespace MatrixUpload::App
