// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A headless host of MatrixUpload::Core: uploads the files it is given and prints
// "NAME CONTENT_URI" for each. Exit status 0 when all arrived.
//
//   host --homeserver URL FILE...   (MATRIX_ACCESS_TOKEN set)
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>

#include <cstdio>

using namespace MatrixUpload;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption homeserver(QStringLiteral("homeserver"),
        QStringLiteral("The homeserver's base URL."), QStringLiteral("URL"));
    parser.addOption(homeserver);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Files to upload."));
    parser.process(app);

    QNetworkAccessManager nam;
    MediaApi api(&nam);
    api.setHomeserver(QUrl(parser.value(homeserver)));
    api.setAccessToken(qEnvironmentVariable("MATRIX_ACCESS_TOKEN"));
    UploadManager manager(&api);
    int failures = 0;
    QObject::connect(&manager, &UploadManager::jobFinished, &app, [&failures](UploadJob *job) {
        if (job->state() == UploadJob::State::Completed) {
            std::printf("%s %s\n", qPrintable(job->fileName()), qPrintable(job->contentUri()));
        } else {
            ++failures;
            std::fprintf(
                stderr, "%s: %s\n", qPrintable(job->fileName()), qPrintable(job->errorString()));
        }
    });
    QObject::connect(&manager, &UploadManager::idle, &app,
        [&app, &failures] { app.exit(failures == 0 ? 0 : 1); });
    if (manager.enqueue(parser.positionalArguments()).isEmpty())
        return 2;
    return app.exec();
}
