// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Prints what a Matrix client would post with each file besides its content URI: one JSON
// object per file and line, {"file", "msgtype", "info"}, with `info` as the spec has it (sizes,
// duration, thumbnail_info, the BlurHash). Reading problems go to standard error.
//
// Usage: media-info FILE...
#include <matrixupload/media/mediainforeader.h>

#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

int main(int argc, char *argv[])
{
    // Qt before 6.5 picks GStreamer, whose Debian build decodes no H.264 or VP9 by default.
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
    QGuiApplication app(argc, argv);
    QStringList files = app.arguments().mid(1);
    if (files.isEmpty()) {
        std::fprintf(stderr, "usage: media-info FILE...\n");
        return 2;
    }

    // One reader at a time, in order, so the lines come out in the order of the arguments.
    auto next = [&files](auto &self) -> void {
        if (files.isEmpty()) {
            QCoreApplication::quit();
            return;
        }
        const QString file = files.takeFirst();
        auto *reader = new MediaInfoReader(qApp);
        QObject::connect(
            reader, &MediaInfoReader::finished, qApp, [file, reader, self](const MediaInfo &info) {
                const QJsonObject line { { u"file"_s, file }, { u"msgtype"_s, info.msgtype() },
                    { u"info"_s, info.toInfoJson() } };
                std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
                std::fflush(stdout);
                if (!info.error.isEmpty())
                    std::fprintf(stderr, "%s: %s\n", qPrintable(file), qPrintable(info.error));
                reader->deleteLater();
                self(self);
            });
        reader->start(file);
    };
    next(next);
    return app.exec();
}
