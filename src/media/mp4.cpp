// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mp4_p.h"

#include <QByteArray>
#include <QIODevice>
#include <QtEndian>

#include <cmath>
#include <numbers>
#include <optional>

namespace MatrixUpload::Mp4 {
namespace {

struct Box
{
    QByteArray type;
    qint64 payload = 0; //!< offset of the payload in the data
    qint64 end = 0; //!< offset just past the box
};

//! The box at \a pos of \a data (a box's payload), or nothing when it does not fit in \a end.
std::optional<Box> boxAt(const QByteArray &data, qint64 pos, qint64 end)
{
    if (pos + 8 > end)
        return std::nullopt;
    const char *p = data.constData() + pos;
    quint64 size = qFromBigEndian<quint32>(p);
    qint64 header = 8;
    if (size == 1) {
        if (pos + 16 > end)
            return std::nullopt;
        size = qFromBigEndian<quint64>(p + 8);
        header = 16;
    } else if (size == 0) {
        size = quint64(end - pos); // to the end of its parent
    }
    if (size < quint64(header) || size > quint64(end - pos))
        return std::nullopt;
    return Box { QByteArray(p + 4, 4), pos + header, pos + qint64(size) };
}

//! The first child of type \a type inside [\a begin, \a end) of \a data.
std::optional<Box> child(const QByteArray &data, qint64 begin, qint64 end, const char *type)
{
    for (qint64 pos = begin; pos < end;) {
        const std::optional<Box> box = boxAt(data, pos, end);
        if (!box)
            return std::nullopt;
        if (box->type == type)
            return box;
        pos = box->end;
    }
    return std::nullopt;
}

//! The quarter turn of a `tkhd` payload, when its track has a picture (a width and height).
std::optional<int> trackTurn(const QByteArray &data, const Box &tkhd)
{
    const qint64 length = tkhd.end - tkhd.payload;
    if (length < 4)
        return std::nullopt;
    const int version = quint8(data[tkhd.payload]);
    // Full box header, times, track ID, reserved, duration, reserved, layer, group, volume,
    // reserved: then the matrix (nine 32-bit numbers) and the width and height (16.16).
    const qint64 matrixAt
        = version == 1 ? 4 + 8 + 8 + 4 + 4 + 8 + 8 + 8 : 4 + 4 + 4 + 4 + 4 + 4 + 8 + 8;
    if (matrixAt + 36 + 8 > length)
        return std::nullopt;
    const char *m = data.constData() + tkhd.payload + matrixAt;
    const auto width = qFromBigEndian<quint32>(m + 36);
    const auto height = qFromBigEndian<quint32>(m + 40);
    if (width == 0 || height == 0)
        return std::nullopt; // audio, text
    // ISO/IEC 14496-12: a point (x, y) is shown at (a x + c y, b x + d y) (16.16 numbers),
    // y downwards: the direction of x, (a, b), says how far it turned clockwise.
    const auto a = qint32(qFromBigEndian<quint32>(m));
    const auto b = qint32(qFromBigEndian<quint32>(m + 4));
    if (a == 0 && b == 0)
        return 0;
    const double degrees = std::atan2(double(b), double(a)) * 180.0 / std::numbers::pi;
    const int turn = (int(std::lround(degrees / 90.0)) * 90 + 360) % 360;
    // Only quarter turns: a matrix at another angle is left alone.
    if (std::abs(degrees - std::round(degrees / 90.0) * 90.0) > 1.0)
        return 0;
    return turn;
}

} // namespace

int rotationDegrees(QIODevice *device)
{
    if (!device || !device->isOpen() || device->isSequential())
        return 0;
    const qint64 fileSize = device->size();
    qint64 pos = 0;
    while (pos + 8 <= fileSize) {
        if (!device->seek(pos))
            return 0;
        QByteArray header = device->read(16);
        if (header.size() < 8)
            return 0;
        // A box header alone: its size says where the next one starts.
        quint64 size = qFromBigEndian<quint32>(header.constData());
        qint64 headerLength = 8;
        if (size == 1) {
            if (header.size() < 16)
                return 0;
            size = qFromBigEndian<quint64>(header.constData() + 8);
            headerLength = 16;
        } else if (size == 0) {
            size = quint64(fileSize - pos);
        }
        if (size < quint64(headerLength) || size > quint64(fileSize - pos))
            return 0;
        const QByteArray type = header.mid(4, 4);
        if (pos == 0 && type != "ftyp" && type != "moov" && type != "wide" && type != "mdat"
            && type != "free" && type != "skip")
            return 0; // not MP4 or QuickTime
        if (type == "moov") {
            if (qint64(size) > maxMovieBox)
                return 0;
            if (!device->seek(pos))
                return 0;
            const QByteArray moov = device->read(qint64(size));
            if (moov.size() != qint64(size))
                return 0;
            for (qint64 at = headerLength; at < moov.size();) {
                const std::optional<Box> trak = boxAt(moov, at, moov.size());
                if (!trak)
                    return 0;
                at = trak->end;
                if (trak->type != "trak")
                    continue;
                if (const auto tkhd = child(moov, trak->payload, trak->end, "tkhd")) {
                    if (const auto turn = trackTurn(moov, *tkhd))
                        return *turn;
                }
            }
            return 0;
        }
        pos += qint64(size);
    }
    return 0;
}

} // namespace MatrixUpload::Mp4
