// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A minimal Matrix client window that embeds the upload manager: a room's message log on one
// side, the uploads on the other. When an upload finishes the client would post an m.file
// message with the content URI; here it only logs the URI.
//
// Usage: widgets-embed --homeserver https://matrix.example.org   (MATRIX_ACCESS_TOKEN set)
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QMainWindow>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"widgets-embed"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Embeds the Matrix upload manager in a window."));
    parser.addHelpOption();
    const QCommandLineOption homeserverOption(u"homeserver"_s,
        QApplication::translate("main", "The homeserver's base URL (or MATRIX_HOMESERVER)."),
        u"url"_s, qEnvironmentVariable("MATRIX_HOMESERVER"));
    parser.addOption(homeserverOption);
    parser.process(app);

    const QUrl homeserver = QUrl::fromUserInput(parser.value(homeserverOption));
    const QString token = qEnvironmentVariable("MATRIX_ACCESS_TOKEN");

    QNetworkAccessManager nam;
    MediaApi api(&nam);
    api.setHomeserver(homeserver);
    api.setAccessToken(token);
    UploadManager manager(&api);

    QMainWindow window;
    window.setWindowTitle(QApplication::translate("main", "Matrix upload manager example"));
    auto *splitter = new QSplitter(&window);
    auto *log = new QPlainTextEdit(splitter);
    log->setReadOnly(true);
    log->setAccessibleName(QApplication::translate("main", "Room messages"));
    log->setPlaceholderText(
        QApplication::translate("main", "Finished uploads appear here as messages would."));
    auto *uploads = new UploadManagerWidget(&manager, splitter);
    splitter->addWidget(log);
    splitter->addWidget(uploads);
    splitter->setStretchFactor(1, 2);
    window.setCentralWidget(splitter);
    window.resize(1000, 600);

    QObject::connect(&manager, &UploadManager::jobFinished, log, [log](UploadJob *job) {
        if (job->state() == UploadJob::State::Completed)
            log->appendPlainText(QApplication::translate("main", "%1 sent as %2")
                                     .arg(job->fileName(), job->contentUri()));
    });
    window.show();

    if (homeserver.isEmpty() || token.isEmpty()) {
        window.statusBar()->showMessage(QApplication::translate("main",
            "Not signed in: pass --homeserver and set MATRIX_ACCESS_TOKEN, or uploads will "
            "fail."));
    }
    return app.exec();
}
