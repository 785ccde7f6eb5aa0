// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Test media made at test time: photos with an EXIF orientation (Qt), video and audio (ffmpeg).
#pragma once

#include "../shared/programrun.h"

#include <QBuffer>
#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QJsonObject>
#include <QPainter>
#include <QSize>
#include <QString>
#include <QStringList>

namespace MatrixUpload::Testing {

//! A JPEG of \a stored pixels with a red square in its stored top-left corner, and an EXIF
//! block whose Orientation tag is \a orientation (1 to 8).
inline QByteArray photo(QSize stored, int orientation)
{
    QImage image(stored, QImage::Format_RGB32);
    image.fill(QColor(40, 90, 200));
    QPainter(&image).fillRect(0, 0, stored.width() / 6, stored.height() / 6, Qt::red);
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 90);

    // APP1 "Exif": a big-endian TIFF header and one IFD with one SHORT entry (0x0112).
    QByteArray tiff("MM\0\x2a\0\0\0\x08", 8);
    tiff += QByteArray("\0\x01", 2); // one entry
    tiff += QByteArray("\x01\x12\0\x03\0\0\0\x01", 8); // Orientation, SHORT, count 1
    tiff += char(0) + QByteArray(1, char(orientation)) + QByteArray(2, '\0');
    tiff += QByteArray(4, '\0'); // no next IFD
    const QByteArray payload = QByteArray("Exif\0\0", 6) + tiff;
    QByteArray app1("\xff\xe1", 2);
    const auto length = quint16(payload.size() + 2);
    app1 += char(length >> 8);
    app1 += char(length & 0xff);
    app1 += payload;
    return jpeg.left(2) + app1 + jpeg.mid(2); // right after SOI
}

//! Whether \a c is the red of photo()'s corner, after JPEG.
inline bool isRed(QColor c)
{
    return c.red() > 190 && c.green() < 80 && c.blue() < 80;
}

//! Runs ffmpeg with \a arguments, writing \a path; the error output when it fails, else empty.
inline QString runFfmpeg(const QStringList &arguments, const QString &path)
{
    const ProgramRun ffmpeg = runProgram(QStringLiteral("ffmpeg"),
        QStringList { QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
            QStringLiteral("error"), QStringLiteral("-y") }
            + arguments + QStringList { path },
        QProcessEnvironment::systemEnvironment(), 120 * 1000);
    if (!ffmpeg.finished)
        return QStringLiteral("ffmpeg did not finish");
    if (!ffmpeg.exitedWith(0))
        return QString::fromUtf8(ffmpeg.err);
    return {};
}

//! What is wrong with the spec's `info` of a 2 s, 320x240 H.264 clip in MP4 (as the tests make
//! with runFfmpeg()): its mimetype, w, h and a duration within 150 ms of 2000. Empty when
//! nothing is.
inline QString clipInfoMismatch(const QJsonObject &info)
{
    const QString mimetype = info.value(QStringLiteral("mimetype")).toString();
    const int w = info.value(QStringLiteral("w")).toInt();
    const int h = info.value(QStringLiteral("h")).toInt();
    const qint64 duration = info.value(QStringLiteral("duration")).toInteger();
    if (mimetype == QStringLiteral("video/mp4") && w == 320 && h == 240
        && qAbs(duration - 2000) <= 150)
        return {};
    return QStringLiteral("%1, %2x%3, %4 ms").arg(mimetype).arg(w).arg(h).arg(duration);
}

} // namespace MatrixUpload::Testing
