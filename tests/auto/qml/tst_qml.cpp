// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The QML module against a live UploadManager and the in-process test server: the setup below
// starts both and hands them to tst_*.qml as the context property `fixture`.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>

#include <matrixupload/testserver/mediatestserver.h>

#include "uploadbench.h"

#include <QBuffer>
#include <QClipboard>
#include <QColor>
#include <QDropEvent>
#include <QFile>
#include <QGuiApplication>
#include <QHash>
#include <QImage>
#include <QLocale>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QUrl>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include <memory>

#ifdef MU_QML_STATIC
Q_IMPORT_QML_PLUGIN(MatrixUploadPlugin)
#endif

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

//! What the QML tests reach as `fixture`: a fresh manager per test, test files, server faults.
class Fixture : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MatrixUpload::UploadManager *manager READ manager NOTIFY managerChanged)
    //! For an UploadSession made in QML: the server, and a token it accepts.
    Q_PROPERTY(QUrl homeserver READ homeserver CONSTANT)
    Q_PROPERTY(QString token READ token CONSTANT)
public:
    Fixture()
    {
        if (!m_dir.isValid())
            qFatal("no temporary folder");
        MediaTestServerConfig config;
        config.tokens.insert(token(), u"alice"_s);
        m_server = std::make_unique<MediaTestServer>(config);
        if (!m_server->listen())
            qFatal("test server: %s", qPrintable(m_server->errorString()));
        m_api = std::make_unique<MediaApi>(&m_nam);
        m_api->setHomeserver(m_server->baseUrl());
        m_api->setAccessToken(token());
        // A cookie for the host, which must never reach an upload URL.
        QNetworkCookie cookie("session", Testing::secretCookieValue);
        cookie.setPath(u"/"_s);
        if (!m_nam.cookieJar()->setCookiesFromUrl({ cookie }, m_server->baseUrl()))
            qFatal("cannot store the test cookie");
    }
    ~Fixture() override
    {
        // Jobs first: they talk to the API and the server.
        m_manager.reset();
    }

    UploadManager *manager() const { return m_manager.get(); }
    QUrl homeserver() const { return m_server->baseUrl(); }
    QString token() const { return QString::fromLatin1(Testing::testToken); }

    //! The wire check of every upload test (tests/auto/shared/fixtures.h): what of the token or
    //! the cookie reached an upload URL so far, or an empty string. The QML
    //! test's cleanup() compares it with "".
    Q_INVOKABLE QString secretInUploadRequests() const
    {
        return Testing::secretInUploadRequests(m_server->requests(), { token() });
    }

    //! A new manager (the old one and its jobs go), no faults, retries that give up fast.
    Q_INVOKABLE void reset(int maxAttempts = 5)
    {
        m_manager.reset();
        m_server->clearFaults();
        m_manager = std::make_unique<UploadManager>(m_api.get());
        UploadOptions o = Testing::fastOptions();
        o.retry.maxAttempts = maxAttempts;
        m_manager->setOptions(o);
        Q_EMIT managerChanged();
    }

    //! Whether the manager's next jobs upload encrypted (UploadOptions::encrypt).
    Q_INVOKABLE void setEncrypt(bool encrypt)
    {
        UploadOptions o = m_manager->options();
        o.encrypt = encrypt;
        m_manager->setOptions(o);
    }

    //! Writes \a size bytes into a new file \a name; gives its file:// URL.
    Q_INVOKABLE QUrl writeFile(const QString &name, int size)
    {
        QByteArray bytes(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            bytes[i] = char('a' + (i * 7 + i / 251) % 26);
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write the test file");
        m_written.insert(path, bytes);
        return QUrl::fromLocalFile(path);
    }

    //! The server holds exactly the bytes written to \a fileUrl under \a contentUri.
    Q_INVOKABLE bool serverHolds(const QString &contentUri, const QUrl &fileUrl) const
    {
        const auto it = m_written.constFind(fileUrl.toLocalFile());
        return it != m_written.cend() && !contentUri.isEmpty()
            && m_server->mediaContent(contentUri) == *it;
    }

    //! Upload bytes trickle at \a bytesPerSecond (0: full speed again).
    Q_INVOKABLE bool setBandwidth(int bytesPerSecond)
    {
        return m_server->addFault({ { u"bandwidth"_s, bytesPerSecond } });
    }
    //! The next \a times requests to \a route answer \a status.
    Q_INVOKABLE bool failRequests(const QString &route, int status, int times)
    {
        return m_server->addFault(
            { { u"status"_s, status }, { u"route"_s, route }, { u"times"_s, times } });
    }
    Q_INVOKABLE void clearFaults() { m_server->clearFaults(); }

    //! Describes the job \a jobId as MediaDescriber does a video: its thumbnail a 64x48 JPEG
    //! frame of \a color. Gives whether the job was there.
    Q_INVOKABLE bool describeWithFrame(const QString &jobId, const QColor &color)
    {
        UploadJob *job = m_manager ? m_manager->job(jobId) : nullptr;
        if (!job)
            return false;
        QImage frame(64, 48, QImage::Format_RGB32);
        frame.fill(color);
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        frame.save(&buffer, "JPEG");
        MediaDescription description;
        description.msgtype = u"m.video"_s;
        description.thumbnail = jpeg;
        description.thumbnailMimeType = u"image/jpeg"_s;
        job->setMediaDescription(description);
        return true;
    }

    //! Drags \a urls from outside the application over the middle of \a item, as a file manager
    //! does: the window gets the drag events a platform drag brings (Qt Quick's internal drags
    //! carry no MIME data in 6.4). Without \a urls the drag carries \a text instead. Gives
    //! whether the item accepted the drag.
    Q_INVOKABLE bool dragEnter(
        QQuickItem *item, const QList<QUrl> &urls, const QString &text = QString())
    {
        m_mime = std::make_unique<QMimeData>();
        if (urls.isEmpty())
            m_mime->setText(text);
        else
            m_mime->setUrls(urls);
        QDragEnterEvent enter(dropPoint(item), Qt::CopyAction, m_mime.get(), Qt::LeftButton, {});
        QCoreApplication::sendEvent(item->window(), &enter);
        QDragMoveEvent move(dropPoint(item), Qt::CopyAction, m_mime.get(), Qt::LeftButton, {});
        QCoreApplication::sendEvent(item->window(), &move);
        return move.isAccepted();
    }
    //! Drops what dragEnter() brought; gives whether the drop was accepted.
    Q_INVOKABLE bool drop(QQuickItem *item)
    {
        if (!m_mime)
            return false;
        QDropEvent drop(dropPoint(item), Qt::CopyAction, m_mime.get(), Qt::LeftButton, {});
        QCoreApplication::sendEvent(item->window(), &drop);
        m_mime.reset();
        return drop.isAccepted();
    }
    Q_INVOKABLE QString clipboardText() const { return QGuiApplication::clipboard()->text(); }

Q_SIGNALS:
    void managerChanged();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MediaTestServer> m_server;
    QNetworkAccessManager m_nam;
    std::unique_ptr<MediaApi> m_api;
    std::unique_ptr<UploadManager> m_manager;
    QHash<QString, QByteArray> m_written;
    std::unique_ptr<QMimeData> m_mime;

    static QPoint dropPoint(QQuickItem *item)
    {
        return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
    }
};

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // Sizes and times as the tests expect them, whatever the machine's locale.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
#ifdef MU_QML_STATIC
        // Qt 6.4 does not search the module's resource prefix by itself (6.5 does).
        engine->addImportPath(u"qrc:/qt/qml"_s);
#else
        // The shared module with its plugin, found by import path as a host finds it.
        engine->addImportPath(QStringLiteral(MU_QML_IMPORT_DIR));
#endif
        m_fixture = std::make_unique<Fixture>();
        m_fixture->reset();
        engine->rootContext()->setContextProperty(u"fixture"_s, m_fixture.get());
    }
    void cleanupTestCase()
    {
        m_fixture.reset();
    }

private:
    std::unique_ptr<Fixture> m_fixture;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_qml, Setup)

#include "tst_qml.moc"
