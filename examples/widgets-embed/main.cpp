// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A minimal Matrix client window that embeds the upload manager: a room's message log on one
// side, the uploads on the other. When an upload finishes the client would post an m.file
// message with the content URI; here it only logs the URI.
//
// Usage: widgets-embed --homeserver https://matrix.example.org [FILE...]   (MATRIX_ACCESS_TOKEN
// set)
//        widgets-embed ... --quit-when-done FILE...   (prints each content URI, exits 0 when all
//                                                      arrived)
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

#include <cstdio>

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
    const QCommandLineOption quitWhenDone(u"quit-when-done"_s,
        QApplication::translate("main",
            "Quit when every upload has finished: exit status 0 when all arrived, 1 otherwise."));
    parser.addOption(quitWhenDone);
    parser.addPositionalArgument(
        u"files"_s, QApplication::translate("main", "Files to upload right away."), u"[FILE...]"_s);
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

    int failures = 0;
    QObject::connect(&manager, &UploadManager::jobFinished, log, [log, &failures](UploadJob *job) {
        if (job->state() == UploadJob::State::Completed) {
            log->appendPlainText(QApplication::translate("main", "%1 sent as %2")
                                     .arg(job->fileName(), job->contentUri()));
            std::printf("%s %s\n", qPrintable(job->fileName()), qPrintable(job->contentUri()));
        } else {
            ++failures;
            std::printf(
                "%s failed: %s\n", qPrintable(job->fileName()), qPrintable(job->errorString()));
        }
        std::fflush(stdout);
    });
    if (parser.isSet(quitWhenDone)) {
        QObject::connect(&manager, &UploadManager::idle, &app,
            [&app, &failures] { app.exit(failures == 0 ? 0 : 1); });
    }
    window.show();

    if (homeserver.isEmpty() || token.isEmpty()) {
        window.statusBar()->showMessage(QApplication::translate("main",
            "Not signed in: pass --homeserver and set MATRIX_ACCESS_TOKEN, or uploads will "
            "fail."));
    }
    manager.enqueue(parser.positionalArguments());
    return app.exec();
}
