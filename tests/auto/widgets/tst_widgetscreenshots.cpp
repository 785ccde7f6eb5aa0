// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Screenshots of UploadManagerWidget in its main states (queued, uploading, paused, failed,
// done; and empty), in a light and a dark palette, against the in-process test server.
//
// MU_SCREENSHOT_DIR=docs/screenshots ctest -R tst_widgetscreenshots   writes the README's images;
// without it the PNGs go to a temporary folder and only the checks run.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <matrixupload/testserver/mediatestserver.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLinearGradient>
#include <QListView>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using State = UploadJob::State;

namespace {
constexpr int waitMs = 20000;

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

double meanLightness(const QImage &image)
{
    const QImage small = image.scaled(64, 64).convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int y = 0; y < small.height(); ++y) {
        for (int x = 0; x < small.width(); ++x)
            sum += QColor(small.pixel(x, y)).lightnessF();
    }
    return sum / (small.width() * small.height());
}
} // namespace

class tst_WidgetScreenshots final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_fallbackOut;
    QString m_out;
    std::unique_ptr<MediaTestServer> m_server;
    QNetworkAccessManager m_nam;
    std::unique_ptr<MediaApi> m_api;
    std::unique_ptr<UploadManager> m_manager;
    std::unique_ptr<UploadManagerWidget> m_widget;

    QString writeFile(const QString &name, qint64 size)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || !f.resize(size))
            qFatal("cannot write the test file");
        return path;
    }

    QString writeImage(const QString &name)
    {
        QImage image(320, 240, QImage::Format_RGB32);
        QPainter painter(&image);
        QLinearGradient sky(0, 0, 0, 240);
        sky.setColorAt(0, QColor(0x4a, 0x90, 0xe2));
        sky.setColorAt(1, QColor(0xf5, 0xd0, 0x8a));
        painter.fillRect(image.rect(), sky);
        painter.setBrush(QColor(0x3b, 0x7d, 0x3a));
        painter.setPen(Qt::NoPen);
        painter.drawEllipse(QPoint(160, 300), 260, 120);
        painter.end();
        const QString path = m_dir.filePath(name);
        if (!image.save(path, "PNG"))
            qFatal("cannot write the test image");
        return path;
    }

    bool save(const QString &name, QImage *shot = nullptr)
    {
        // Twice through the event loop: the totals and thumbnails follow a moment later.
        QCoreApplication::processEvents();
        const QImage image = m_widget->grab().toImage();
        if (shot)
            *shot = image;
        const QString path = QDir(m_out).filePath(name);
        if (!image.save(path, "PNG"))
            return false;
        qInfo("wrote %s", qPrintable(path));
        return !QImage(path).isNull();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        m_out = qEnvironmentVariable("MU_SCREENSHOT_DIR");
        if (m_out.isEmpty())
            m_out = m_fallbackOut.path();
        QVERIFY(QDir().mkpath(m_out));

        MediaTestServerConfig config;
        config.tokens.insert(u"TOKEN"_s, u"alice"_s);
        config.serverName = u"example.org"_s;
        m_server = std::make_unique<MediaTestServer>(config);
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
        m_api = std::make_unique<MediaApi>(&m_nam);
        m_api->setHomeserver(m_server->baseUrl());
        m_api->setAccessToken(u"TOKEN"_s);
        m_manager = std::make_unique<UploadManager>(m_api.get());
        m_widget = std::make_unique<UploadManagerWidget>(m_manager.get());
        m_widget->setWindowTitle(u"Uploads"_s);
        m_widget->resize(760, 560);
        m_widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_widget.get()));
    }

    void cleanupTestCase()
    {
        m_widget.reset();
        m_manager.reset();
        m_api.reset();
        m_server.reset();
    }

    void empty()
    {
        QImage light, dark;
        m_widget->setPalette(QApplication::style()->standardPalette());
        QVERIFY(save(u"widgets-empty-light.png"_s, &light));
        m_widget->setPalette(darkPalette());
        QVERIFY(save(u"widgets-empty-dark.png"_s, &dark));
        QVERIFY(meanLightness(dark) + 0.3 < meanLightness(light));
    }

    void mainStates()
    {
        // Done: an image (its thumbnail) and a document.
        m_widget->setPalette(QApplication::style()->standardPalette());
        m_manager->enqueue(
            { writeImage(u"holiday-photo.png"_s), writeFile(u"meeting-notes.pdf"_s, 180 * 1024) });
        QTRY_COMPARE_WITH_TIMEOUT(m_manager->completedCount(), 2, waitMs);

        // Failed, paused part way, uploading, queued.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 384 * 1024 } }));
        m_manager->setMaxParallel(2);
        const QList<UploadJob *> jobs = m_manager->enqueue({ m_dir.filePath(u"gone.mp4"_s),
            writeFile(u"backup-2026-11.tar.gz"_s, 24 * 1024 * 1024),
            writeFile(u"talk-recording.webm"_s, 32 * 1024 * 1024),
            writeFile(u"dataset.csv"_s, 6 * 1024 * 1024) });
        UploadJob *failed = jobs.at(0), *paused = jobs.at(1), *uploading = jobs.at(2);
        QTRY_COMPARE_WITH_TIMEOUT(failed->state(), State::Failed, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(paused->bytesSent() > 512 * 1024, waitMs);
        m_manager->setMaxParallel(1); // the freed slot stays free: dataset.csv stays queued
        m_manager->pause(paused->id());
        QTRY_VERIFY_WITH_TIMEOUT(
            uploading->bytesSent() > 512 * 1024 && uploading->bytesPerSecond() > 0, waitMs);
        QCOMPARE(paused->state(), State::Paused);
        QCOMPARE(jobs.at(3)->state(), State::Queued);
        QCOMPARE(uploading->state(), State::Uploading);

        // The photo's thumbnail is read after its first paint.
        m_widget->view()->selectionModel()->select(
            m_widget->view()->model()->index(2, 0), QItemSelectionModel::ClearAndSelect);
        QImage light, dark;
        QVERIFY(save(u"widgets-uploads-light.png"_s, &light));
        QVERIFY(save(u"widgets-uploads-light.png"_s, &light));
        m_widget->setPalette(darkPalette());
        QVERIFY(save(u"widgets-uploads-dark.png"_s, &dark));
        QVERIFY(meanLightness(dark) + 0.3 < meanLightness(light));
        QVERIFY(light != dark);

        // HiDPI: the same widget on a surface of device pixel ratio 2 is drawn at twice the
        // pixels, not scaled up, and the photo's thumbnail is read again that sharp.
        m_widget->setPalette(QApplication::style()->standardPalette());
        QImage hidpi(m_widget->size() * 2, QImage::Format_ARGB32_Premultiplied);
        hidpi.setDevicePixelRatio(2);
        hidpi.fill(Qt::transparent);
        m_widget->render(&hidpi);
        QCoreApplication::processEvents(); // the sharper thumbnail
        hidpi.fill(Qt::transparent);
        m_widget->render(&hidpi);
        QCOMPARE(hidpi.size(), m_widget->size() * 2);
        const QString path = QDir(m_out).filePath(u"widgets-uploads-light@2x.png"_s);
        QVERIFY(hidpi.save(path, "PNG"));
        // Scaled back down it looks like the 1x one: same layout, same colours.
        const QImage down
            = hidpi.scaled(light.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                  .convertToFormat(light.format());
        QVERIFY(std::abs(meanLightness(down) - meanLightness(light)) < 0.05);
    }

    void encryptedRow()
    {
        m_server->clearFaults();
        m_manager->cancelAll();
        m_manager->clearFinished();
        m_widget->setPalette(QApplication::style()->standardPalette());
        UploadOptions options = m_manager->options();
        options.encrypt = true;
        m_manager->setOptions(options);
        UploadJob *sealed = m_manager->enqueue(writeFile(u"medical-report.pdf"_s, 90 * 1024));
        options.encrypt = false;
        m_manager->setOptions(options);
        UploadJob *plain = m_manager->enqueue(writeFile(u"menu.pdf"_s, 40 * 1024));
        QTRY_COMPARE_WITH_TIMEOUT(sealed->state(), State::Completed, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(plain->state(), State::Completed, waitMs);
        QVERIFY(sealed->isEncrypted());
        QVERIFY(!plain->isEncrypted());
        QVERIFY(save(u"widgets-encrypted-light.png"_s));
    }
};

QTEST_MAIN(tst_WidgetScreenshots)
#include "tst_widgetscreenshots.moc"
