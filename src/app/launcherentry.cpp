// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "launcherentry.h"
#include "trayicon.h"

#include <QDBusMessage>
#include <QEvent>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

LauncherEntry::LauncherEntry(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{ }

LauncherEntry::~LauncherEntry()
{
    // Quitting mid-upload: no bar left behind on a dock that does not watch the sender go.
    m_status = nullptr;
    m_urgent = false;
    update();
}

QString LauncherEntry::appUri()
{
    return u"application://io.github.matrixuploader.MatrixUploader.desktop"_s;
}

QString LauncherEntry::objectPath()
{
    return u"/io/github/matrixuploader/MatrixUploader/UnityLauncher"_s;
}

QString LauncherEntry::interfaceName()
{
    return u"com.canonical.Unity.LauncherEntry"_s;
}

void LauncherEntry::watch(TrayStatus *status)
{
    if (m_status)
        m_status->disconnect(this);
    m_status = status;
    if (status) {
        connect(status, &TrayStatus::changed, this, &LauncherEntry::update);
        connect(status, &TrayStatus::notify, this,
            [this](const QString &, const QString &, bool failure) {
                if (failure && !m_urgent) {
                    m_urgent = true;
                    update();
                }
            });
    }
    update();
}

void LauncherEntry::setAttentionWidget(QWidget *widget)
{
    widget->installEventFilter(this);
}

void LauncherEntry::acknowledge()
{
    if (!m_urgent)
        return;
    m_urgent = false;
    update();
}

bool LauncherEntry::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::WindowActivate)
        acknowledge();
    return QObject::eventFilter(watched, event);
}

void LauncherEntry::update()
{
    const int percent = m_status ? m_status->percent() : -1;
    const int count = percent >= 0 ? m_status->activeCount() : 0;
    QVariantMap properties;
    properties.insert(u"progress"_s, percent >= 0 ? percent / 100.0 : 0.0);
    properties.insert(u"progress-visible"_s, percent >= 0);
    properties.insert(u"count"_s, qint64(count)); // the specification's type: x
    properties.insert(u"count-visible"_s, count > 0);
    properties.insert(u"urgent"_s, m_urgent);
    // The first update of an idle app says nothing a dock does not assume already.
    if (properties == m_sent || (m_sent.isEmpty() && percent < 0 && !m_urgent))
        return;
    m_sent = properties;
    if (!m_bus.isConnected())
        return;
    QDBusMessage signal = QDBusMessage::createSignal(objectPath(), interfaceName(), u"Update"_s);
    signal << appUri() << properties;
    m_bus.send(signal);
}

} // namespace MatrixUpload::App
