// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: drop files on a window, and they go into Matrix: uploaded the fastest way the
// server allows, resumable, and posted to a room.
#include "mainwindow.h"
#include "singleinstance.h"

#include "programstartup.h"
#include "programtranslators.h"
#include <matrixupload/credentials.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

int main(int argc, char *argv[])
{
    preferFfmpegMediaBackend();
    QApplication app(argc, argv);
    setProgramIdentity(u"matrix-uploader"_s);
    QApplication::setApplicationDisplayName(u"Matrix Uploader"_s);
    QApplication::setDesktopFileName(u"io.github.matrixuploader.MatrixUploader"_s);
    installProgramTranslators(app);
    // Closing the window while the tray holds the uploads must not quit.
    QApplication::setQuitOnLastWindowClosed(!QSystemTrayIcon::isSystemTrayAvailable());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main",
        "Upload files to a Matrix server and post them to a room.\n\nScripted use: "
        "--homeserver URL with the access token in MATRIX_ACCESS_TOKEN skips the sign-in."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption homeserver(u"homeserver"_s,
        QApplication::translate("main", "The homeserver's base URL, with MATRIX_ACCESS_TOKEN."),
        u"url"_s);
    const QCommandLineOption room(u"room"_s,
        QApplication::translate("main", "Post the files of this run to this room ID."),
        u"room-id"_s);
    const QCommandLineOption hidden(
        u"tray"_s, QApplication::translate("main", "Start in the tray, without a window."));
    parser.addOptions({ homeserver, room, hidden });
    parser.addPositionalArgument(
        u"files"_s, QApplication::translate("main", "Files to upload."), u"[files...]"_s);
    parser.process(app);

    App::StartOptions options;
    if (parser.isSet(homeserver)) {
        options.homeserver = QUrl::fromUserInput(parser.value(homeserver));
        options.accessToken = accessTokenFromEnvironment();
        if (options.accessToken.isEmpty()) {
            qWarning("matrix-uploader: --homeserver needs the access token in %s; showing the "
                     "sign-in instead.",
                accessTokenVariable);
        }
    }
    options.roomId = parser.value(room);
    for (const QString &file : parser.positionalArguments())
        options.files.append(QFileInfo(file).absoluteFilePath());

    // One app per user: a second start (a file opened from the file manager) hands its files
    // to the first, which would otherwise resume the same uploads twice.
    App::SingleInstance instance;
    if (instance.sendToRunning(options.files))
        return 0;
    if (!instance.listen()) {
        // Another start won the race to listen: hand the files to it after all.
        if (instance.sendToRunning(options.files))
            return 0;
        qWarning("matrix-uploader: cannot listen for later starts; they will open new windows");
    }

    QNetworkAccessManager nam;
    KeychainCredentialStore credentials;
    App::MainWindow window(&nam, &credentials);
    window.start(options);
    QObject::connect(&instance, &App::SingleInstance::filesReceived, &window,
        [&window](const QStringList &files) {
            window.addFiles(files);
            window.show();
            window.raise();
            window.activateWindow();
        });
    const bool toTray = (parser.isSet(hidden) || window.settings().startInTray)
        && QSystemTrayIcon::isSystemTrayAvailable();
    if (!toTray)
        window.show();
    return app.exec();
}
