// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Embeds the MatrixUpload QML module in a window.
//
//   matrixupload-qml-embed --homeserver https://matrix.example.org --token TOKEN [FILE...]
//   matrixupload-qml-embed [FILE...]   (no homeserver: an in-process test server, for trying it)
//   ... --quit-when-done FILE...      (prints each content URI, exits 0 when all arrived)
//
// The client's part is small: a signed-in MediaApi, an UploadManager on it, the manager handed to
// the QML root, and the installed module's folder on the QML import path (MU_QML_IMPORT_DIR
// here, from the CMake package's MatrixUpload_QML_IMPORT_DIR; QML_IMPORT_PATH works too). A
// static build of the project links the module instead and imports it with
// Q_IMPORT_QML_PLUGIN.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>

#include <matrixupload/testserver/mediatestserver.h>

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QNetworkAccessManager>
#include <QQmlApplicationEngine>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>

#ifdef MU_QML_STATIC
Q_IMPORT_QML_PLUGIN(MatrixUploadPlugin)
#endif

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Uploads files into a Matrix content repository."_s);
    parser.addHelpOption();
    const QCommandLineOption homeserver(
        u"homeserver"_s, u"Client-server API base URL (default: a test server)."_s, u"URL"_s);
    const QCommandLineOption token(u"token"_s, u"Access token."_s, u"TOKEN"_s);
    const QCommandLineOption quitWhenDone(u"quit-when-done"_s,
        u"Quit when every upload has finished: exit status 0 when all arrived, 1 otherwise."_s);
    parser.addOption(homeserver);
    parser.addOption(token);
    parser.addOption(quitWhenDone);
    parser.addPositionalArgument(u"files"_s, u"Files to upload right away."_s, u"[FILE...]"_s);
    parser.process(app);

    std::unique_ptr<MediaTestServer> server;
    QNetworkAccessManager nam;
    MediaApi api(&nam);
    if (parser.isSet(homeserver)) {
        api.setHomeserver(QUrl(parser.value(homeserver)));
        api.setAccessToken(parser.value(token));
    } else {
        MediaTestServerConfig config;
        config.tokens.insert(u"DEMO"_s, u"demo"_s);
        server = std::make_unique<MediaTestServer>(config);
        if (!server->listen())
            qFatal("test server: %s", qPrintable(server->errorString()));
        api.setHomeserver(server->baseUrl());
        api.setAccessToken(u"DEMO"_s);
    }
    UploadManager manager(&api);

    QQmlApplicationEngine engine;
    // Qt 6.4 does not search the modules' resource prefix by itself (6.5 does).
    engine.addImportPath(u"qrc:/qt/qml"_s);
#ifdef MU_QML_IMPORT_DIR
    engine.addImportPath(QStringLiteral(MU_QML_IMPORT_DIR));
#endif
    engine.setInitialProperties({ { u"manager"_s, QVariant::fromValue(&manager) } });
    engine.load(QUrl(u"qrc:/qt/qml/QmlEmbed/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    int failures = 0;
    QObject::connect(&manager, &UploadManager::jobFinished, &app, [&failures](UploadJob *job) {
        if (job->state() == UploadJob::State::Completed) {
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
    manager.enqueue(parser.positionalArguments());
    return app.exec();
}
