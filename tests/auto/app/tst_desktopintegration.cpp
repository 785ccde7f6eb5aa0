// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader's desktop integration: notifications (org.freedesktop.Notifications) where
// there is no tray, the taskbar progress (com.canonical.Unity.LauncherEntry), and the About
// dialog. All on a private D-Bus daemon the test starts with a minimal configuration (no
// service activation, so no installed notification daemon can answer); the user's bus is never
// used: main() points DBUS_SESSION_BUS_ADDRESS at the private one before anything connects.
#include "aboutdialog.h"
#include "desktopnotifier.h"
#include "launcherentry.h"
#include "mainwindow.h"
#include "programtranslators.h"
#include "settingsdialog.h"
#include "trayicon.h"
#include "uploadbench.h"

#include <matrixupload/credentials.h>
#include <matrixupload/translations.h>
#include <matrixupload/uploadmanager.h>

#include <QApplication>
#include <QCheckBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::App;
using namespace MatrixUpload::Testing;

namespace {

QString privateBusAddress; //!< set by main()

//! A dbus-daemon of the test's own: listens in a temporary folder, activates nothing.
class PrivateBus
{
public:
    bool start()
    {
        if (!m_dir.isValid())
            return false;
        const QString config = m_dir.filePath(u"bus.conf"_s);
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(u"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
                   "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                   "<busconfig><type>session</type><listen>unix:dir=%1</listen>"
                   "<auth>EXTERNAL</auth><policy context=\"default\">"
                   "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
                   "<allow own=\"*\"/></policy></busconfig>\n"_s.arg(m_dir.path())
                       .toUtf8());
        file.close();
        m_daemon.start(u"dbus-daemon"_s,
            { u"--config-file="_s + config, u"--nofork"_s, u"--print-address"_s });
        if (!m_daemon.waitForStarted(10000))
            return false;
        // The address is its first line; the daemon writes it once it listens.
        while (!m_daemon.canReadLine()) {
            if (!m_daemon.waitForReadyRead(30000))
                return false;
        }
        m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        return !m_address.isEmpty();
    }
    ~PrivateBus()
    {
        if (m_daemon.state() != QProcess::NotRunning) {
            m_daemon.terminate();
            m_daemon.waitForFinished(10000);
        }
    }
    QString address() const { return m_address; }
    QString error() const { return m_daemon.errorString(); }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
};

} // namespace

//! Stands in for the desktop's notification daemon: records Notify calls, answers with IDs.
class NotificationsStub : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString appName;
        uint replacesId = 0;
        QString appIcon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
        const QString &summary, const QString &body, const QStringList &actions,
        const QVariantMap &hints, int timeout)
    {
        calls.append({ appName, replacesId, appIcon, summary, body, actions, hints, timeout });
        Q_EMIT notified();
        return replacesId != 0 ? replacesId : m_next++;
    }
    QStringList GetCapabilities() { return { u"actions"_s, u"body"_s, u"body-markup"_s }; }

Q_SIGNALS:
    void notified();
    void ActionInvoked(uint id, const QString &actionKey);

private:
    uint m_next = 41;
};

//! Records the LauncherEntry Update signals.
class LauncherReceiver : public QObject
{
    Q_OBJECT
public:
    QList<std::pair<QString, QVariantMap>> updates;

public Q_SLOTS:
    void Update(const QString &appUri, const QVariantMap &properties)
    {
        updates.append({ appUri, properties });
        Q_EMIT received();
    }

Q_SIGNALS:
    void received();
};

class tst_DesktopIntegration final : public QObject, public UploadBench
{
    Q_OBJECT

    std::unique_ptr<QDBusConnection> m_appBus;
    std::unique_ptr<QDBusConnection> m_stubBus;
    std::unique_ptr<NotificationsStub> m_stub;
    std::unique_ptr<LauncherReceiver> m_launcher;
    std::unique_ptr<UploadManager> m_manager;
    std::unique_ptr<TrayStatus> m_status;

    bool registerStub()
    {
        return m_stubBus->registerObject(DesktopNotifier::objectPath(), m_stub.get(),
                   QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals)
            && m_stubBus->registerService(DesktopNotifier::serviceName());
    }

    //! Uploads \a files as one batch and waits for its end (the manager idle again).
    void uploadBatch(const QList<std::pair<QString, QByteArray>> &files)
    {
        QSignalSpy idle(m_manager.get(), &UploadManager::idle);
        for (const auto &[name, bytes] : files)
            m_manager->enqueue(writeFile(name, bytes));
        QVERIFY(idle.wait(15000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(installProgramTranslators(*qApp, QLocale(QLocale::English)));
        const QString address = privateBusAddress;
        QVERIFY(!address.isEmpty());
        QCOMPARE(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"), address);
        m_appBus
            = std::make_unique<QDBusConnection>(QDBusConnection::connectToBus(address, u"app"_s));
        m_stubBus
            = std::make_unique<QDBusConnection>(QDBusConnection::connectToBus(address, u"stub"_s));
        QVERIFY2(m_appBus->isConnected(), qPrintable(m_appBus->lastError().message()));
        QVERIFY(m_stubBus->isConnected());
    }

    void init()
    {
        QVERIFY(m_dir.isValid());
        QSettings().clear();
        startServer();
        m_manager = std::make_unique<UploadManager>(m_api.get());
        m_manager->setOptions(options());
        m_status = std::make_unique<TrayStatus>();
        m_status->setManager(m_manager.get());
        m_stub = std::make_unique<NotificationsStub>();
        QVERIFY(registerStub());
        m_launcher = std::make_unique<LauncherReceiver>();
        QVERIFY(m_stubBus->connect(QString(), LauncherEntry::objectPath(),
            LauncherEntry::interfaceName(), u"Update"_s, m_launcher.get(),
            SLOT(Update(QString, QVariantMap))));
    }

    void cleanup()
    {
        m_stubBus->disconnect(QString(), LauncherEntry::objectPath(),
            LauncherEntry::interfaceName(), u"Update"_s, m_launcher.get(),
            SLOT(Update(QString, QVariantMap)));
        m_stubBus->unregisterService(DesktopNotifier::serviceName());
        m_stubBus->unregisterObject(DesktopNotifier::objectPath());
        m_status.reset();
        m_manager.reset();
        finishUploadTest(nullptr);
    }

    void aFinishedBatchNotifiesOnceWithoutATray()
    {
        DesktopNotifier notifier(*m_appBus);
        notifier.setTrayCheck([] { return false; });
        notifier.watch(m_status.get());
        QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
        uploadBatch({ { u"a.bin"_s, content(1000) }, { u"b <&> c.bin"_s, content(2000) } });
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 10000);
        QCOMPARE(m_stub->calls.size(), 1);
        const NotificationsStub::Call call = m_stub->calls.first();
        QCOMPARE(call.summary, u"Uploads complete"_s);
        QCOMPARE(call.body, u"2 files uploaded"_s);
        QCOMPARE(call.appIcon, u"io.github.matrixuploader.MatrixUploader"_s);
        QCOMPARE(call.appName, QGuiApplication::applicationDisplayName());
        QCOMPARE(call.replacesId, 0u);
        QVERIFY(call.timeout > 0);
        QCOMPARE(call.actions.value(0), u"default"_s);
        QCOMPARE(call.hints.value(u"desktop-entry"_s).toString(),
            u"io.github.matrixuploader.MatrixUploader"_s);
        QCOMPARE(notifier.notificationId(), delivered.first().at(0).toUInt());

        // The next batch updates that notification instead of adding one.
        uploadBatch({ { u"c.bin"_s, content(500) } });
        QTRY_COMPARE_WITH_TIMEOUT(m_stub->calls.size(), 2, 10000);
        QCOMPARE(m_stub->calls.at(1).replacesId, notifier.notificationId());
        QCOMPARE(m_stub->calls.at(1).body, u"1 file uploaded"_s);

        // Clicking it shows the window.
        QSignalSpy activated(&notifier, &DesktopNotifier::activated);
        Q_EMIT m_stub->ActionInvoked(notifier.notificationId(), u"default"_s);
        QVERIFY(activated.wait(10000));
    }

    void aFailureNotifiesAndItsBodyIsEscaped()
    {
        DesktopNotifier notifier(*m_appBus);
        notifier.setTrayCheck([] { return false; });
        notifier.watch(m_status.get());
        QSignalSpy delivered(&notifier, &DesktopNotifier::delivered);
        const QString gone = writeFile(u"gone.bin"_s, content(10));
        QFile::remove(gone);
        QSignalSpy idle(m_manager.get(), &UploadManager::idle);
        m_manager->enqueue(gone);
        QVERIFY(idle.wait(15000));
        // The failure, then the batch's end, which replaces it (asked for while the first was
        // on its way: it waits for the first's ID).
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 10000);
        QCOMPARE(m_stub->calls.size(), 2);
        QCOMPARE(m_stub->calls.at(0).summary, u"Upload failed: gone.bin"_s);
        QCOMPARE(m_stub->calls.at(0).timeout, 0); // stays until dismissed
        QCOMPARE(m_stub->calls.at(0).hints.value(u"category"_s).toString(), u"transfer.error"_s);
        QCOMPARE(m_stub->calls.at(1).summary, u"Uploads finished"_s);
        QCOMPARE(m_stub->calls.at(1).body, u"0 files uploaded, 1 failed"_s);
        QCOMPARE(m_stub->calls.at(1).replacesId, delivered.first().at(0).toUInt());

        // Markup characters reach the service escaped (GNOME reads the body as markup).
        notifier.show(u"A & B"_s, u"<b>x</b> & y"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(m_stub->calls.size(), 3, 10000);
        QCOMPARE(m_stub->calls.at(2).summary, u"A & B"_s);
        QCOMPARE(m_stub->calls.at(2).body, u"&lt;b&gt;x&lt;/b&gt; &amp; y"_s);
    }

    void noNotificationWithATrayOrWhenSwitchedOff()
    {
        DesktopNotifier notifier(*m_appBus);
        bool tray = true;
        notifier.setTrayCheck([&tray] { return tray; });
        notifier.watch(m_status.get());
        uploadBatch({ { u"a.bin"_s, content(1000) } });
        notifier.setEnabled(false);
        tray = false;
        uploadBatch({ { u"b.bin"_s, content(1000) } });
        // A marker after both: calls arrive in order, so had either batch sent one, it would
        // be recorded before the marker.
        notifier.setEnabled(true);
        notifier.show(u"marker"_s, QString(), false);
        QTRY_COMPARE_WITH_TIMEOUT(m_stub->calls.size(), 1, 10000);
        QCOMPARE(m_stub->calls.first().summary, u"marker"_s);
    }

    void noServiceNoHang()
    {
        m_stubBus->unregisterService(DesktopNotifier::serviceName());
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_appBus->interface()->isServiceRegistered(DesktopNotifier::serviceName()), 10000);
        DesktopNotifier notifier(*m_appBus);
        notifier.setTrayCheck([] { return false; });
        notifier.watch(m_status.get());
        QSignalSpy failed(&notifier, &DesktopNotifier::deliveryFailed);
        uploadBatch({ { u"a.bin"_s, content(1000) } }); // returns: nothing waited on the bus
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.first().at(0).toString(), u"org.freedesktop.DBus.Error.ServiceUnknown"_s);
        QCOMPARE(notifier.notificationId(), 0u);
        QVERIFY(m_stub->calls.isEmpty());

        // Without any bus: the same, at once.
        DesktopNotifier offline(QDBusConnection(u"not connected"_s));
        offline.setTrayCheck([] { return false; });
        QSignalSpy offlineFailed(&offline, &DesktopNotifier::deliveryFailed);
        offline.show(u"x"_s, u"y"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(offlineFailed.size(), 1, 10000);
    }

    void launcherEntryShowsProgressThenClears()
    {
        LauncherEntry entry(*m_appBus);
        entry.watch(m_status.get());
        // The second file's create waits at the server while the first completes, so the
        // progress is known to be past 0 and short of 1 at that point, on any machine.
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true },
            { u"path_prefix"_s, u"/_matrix/media/v1/create"_s }, { u"times"_s, 1 } }));
        QSignalSpy idle(m_manager.get(), &UploadManager::idle);
        UploadJob *held = m_manager->enqueue(writeFile(u"held.bin"_s, content(300 * 1024)));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->heldRequests(), 1, 10000);
        UploadJob *first = m_manager->enqueue(writeFile(u"first.bin"_s, content(300 * 1024)));
        QTRY_COMPARE_WITH_TIMEOUT(first->state(), UploadJob::State::Completed, 15000);
        // The totals follow the first file's completion a moment later (they are throttled):
        // wait for the update that counts one file left.
        const auto last = [this] {
            return m_launcher->updates.isEmpty() ? QVariantMap()
                                                 : m_launcher->updates.last().second;
        };
        QTRY_VERIFY_WITH_TIMEOUT(last().value(u"count"_s).toLongLong() == 1
                && last().value(u"progress"_s).toDouble() >= 0.49,
            10000);
        const QVariantMap running = last();
        QVERIFY(running.value(u"progress"_s).toDouble() < 1.0);
        QCOMPARE(m_launcher->updates.last().first,
            u"application://io.github.matrixuploader.MatrixUploader.desktop"_s);
        QCOMPARE(running.value(u"progress-visible"_s).toBool(), true);
        QCOMPARE(running.value(u"count-visible"_s).toBool(), true);
        QCOMPARE(running.value(u"urgent"_s).toBool(), false);
        QCOMPARE(m_server->releaseHeldRequests(), 1);
        QVERIFY(idle.wait(15000));
        QCOMPARE(held->state(), UploadJob::State::Completed);

        QTRY_VERIFY_WITH_TIMEOUT(
            !m_launcher->updates.last().second.value(u"progress-visible"_s).toBool(), 10000);
        QCOMPARE(m_launcher->updates.last().second.value(u"count-visible"_s).toBool(), false);
        // Progress only went up while visible.
        double previous = 0;
        for (const auto &[uri, properties] : std::as_const(m_launcher->updates)) {
            if (!properties.value(u"progress-visible"_s).toBool())
                continue;
            const double p = properties.value(u"progress"_s).toDouble();
            QVERIFY2(p >= previous, qPrintable(u"%1 after %2"_s.arg(p).arg(previous)));
            previous = p;
        }
        QCOMPARE(entry.properties(), m_launcher->updates.last().second);
    }

    void launcherEntryIsUrgentAfterAFailure()
    {
        LauncherEntry entry(*m_appBus);
        entry.watch(m_status.get());
        const QString gone = writeFile(u"gone.bin"_s, content(10));
        QFile::remove(gone);
        QSignalSpy idle(m_manager.get(), &UploadManager::idle);
        m_manager->enqueue(gone);
        QVERIFY(idle.wait(15000));
        QTRY_VERIFY_WITH_TIMEOUT(!m_launcher->updates.isEmpty()
                && m_launcher->updates.last().second.value(u"urgent"_s).toBool()
                && !m_launcher->updates.last().second.value(u"progress-visible"_s).toBool(),
            10000);
        entry.acknowledge();
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_launcher->updates.last().second.value(u"urgent"_s).toBool(), 10000);
    }

    void theWindowNotifiesWithoutATrayAndKeepsTheSwitch()
    {
        // The window on the offscreen platform: no tray, so its news go to the session bus,
        // which main() made the private one.
        QVERIFY(QDBusConnection::sessionBus().isConnected());
        QVERIFY(QDBusConnection::sessionBus().registerObject(DesktopNotifier::objectPath(),
            m_stub.get(), QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
        m_stubBus->unregisterService(DesktopNotifier::serviceName());
        QVERIFY(QDBusConnection::sessionBus().registerService(DesktopNotifier::serviceName()));
        MemoryCredentialStore credentials;
        auto window = std::make_unique<MainWindow>(&m_nam, &credentials);
        QSignalSpy in(window.get(), &MainWindow::signedIn);
        window->start({ m_server->baseUrl(), QString::fromLatin1(testToken), QString(), {} });
        QVERIFY(window->isSignedIn() || in.wait(10000));
        QSignalSpy delivered(window->desktopNotifier(), &DesktopNotifier::delivered);
        window->addFiles({ writeFile(u"w.bin"_s, content(1000)) });
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 15000);
        QCOMPARE(m_stub->calls.size(), 1);
        QCOMPARE(m_stub->calls.first().summary, u"Uploads complete"_s);
        QVERIFY(!window->launcherEntry()->properties().isEmpty());

        // The settings switch turns them off, and is kept.
        SettingsDialog dialog(window->settings(), {});
        auto *box = dialog.findChild<QCheckBox *>(u"showNotifications"_s);
        QVERIFY(box && box->isChecked());
        box->setChecked(false);
        window->applySettings(dialog.settings());
        QVERIFY(!window->desktopNotifier()->isEnabled());
        QVERIFY(!AppSettings::load().showNotifications);
        window.reset();
        QDBusConnection::sessionBus().unregisterService(DesktopNotifier::serviceName());
        QDBusConnection::sessionBus().unregisterObject(DesktopNotifier::objectPath());
        MainWindow again(&m_nam, &credentials);
        QVERIFY(!again.desktopNotifier()->isEnabled());
    }

    void aboutShowsTheVersionFromTheHelpMenu()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&m_nam, &credentials);
        window.show();
        auto *action = window.findChild<QAction *>(u"aboutAction"_s);
        QVERIFY(action);
        // It is in the menu bar's Help menu.
        bool inMenu = false;
        for (QAction *top : window.menuBar()->actions()) {
            if (top->menu() && top->menu()->actions().contains(action))
                inMenu = true;
        }
        QVERIFY(inMenu);
        action->trigger();
        auto *about = window.findChild<AboutDialog *>(u"aboutDialog"_s);
        QVERIFY(about);
        QTRY_VERIFY(about->isVisible());
        QCOMPARE(about->findChild<QLabel *>(u"aboutVersion"_s)->text(),
            u"Version "_s + QStringLiteral(MU_EXPECTED_VERSION));
        QVERIFY(about->findChild<QLabel *>(u"aboutUrl"_s)
                    ->text()
                    .contains(u"https://github.com/matrixuploader/matrix-uploader"_s));
        QVERIFY(about->findChild<QLabel *>(u"aboutQtVersion"_s)
                    ->text()
                    .contains(QString::fromLatin1(qVersion())));
        QVERIFY(about->findChild<QLabel *>(u"aboutLicense"_s)->text().contains(u"MIT"_s));
        auto *license = about->findChild<QPlainTextEdit *>(u"licenseText"_s);
        QVERIFY(!license->isVisible());
        about->findChild<QPushButton *>(u"licenseButton"_s)->click();
        QVERIFY(license->isVisible());
        QVERIFY(license->toPlainText().startsWith(u"MIT License"_s));
        QVERIFY(license->toPlainText().contains(u"2026 Matrix Uploader contributors"_s));
        QVERIFY(about->findChild<QPushButton *>(u"aboutQtButton"_s));
        // Asked again, the same dialog comes up rather than a second one.
        action->trigger();
        QCOMPARE(window.findChildren<AboutDialog *>().size(), 1);

        // With MU_SCREENSHOT_DIR set (docs/screenshots), the dialog as it is now.
        const QString shots = qEnvironmentVariable("MU_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            about->findChild<QPushButton *>(u"licenseButton"_s)->click();
            about->adjustSize();
            QVERIFY(about->grab().save(shots + u"/app-about.png"_s));
        }
    }
};

int main(int argc, char *argv[])
{
    // Before anything connects: the session bus is the test's own, never the user's.
    PrivateBus bus;
    if (!bus.start()) {
        qCritical("tst_desktopintegration: cannot start dbus-daemon: %s", qPrintable(bus.error()));
        return 1;
    }
    privateBusAddress = bus.address();
    qputenv("DBUS_SESSION_BUS_ADDRESS", bus.address().toUtf8());
    // Settings and upload records in a throwaway home, not the user's.
    QTemporaryDir home;
    if (!home.isValid())
        return 1;
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    qputenv("XDG_CACHE_HOME", home.filePath(u"cache"_s).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"MatrixUploaderTest"_s);
    QApplication::setApplicationName(u"matrix-uploader-desktop-test"_s);
    tst_DesktopIntegration test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_desktopintegration.moc"
