// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "matroska_p.h"

#include <QtEndian>

#include <cmath>
#include <cstring>

namespace MatrixUpload::Matroska {
namespace {

// Element IDs (with their length marker, as the Matroska specification writes them).
constexpr quint64 ebmlHeaderId = 0x1A45DFA3;
constexpr quint64 segmentId = 0x18538067;
constexpr quint64 infoId = 0x1549A966;
constexpr quint64 clusterId = 0x1F43B675;
constexpr quint64 timestampScaleId = 0x2AD7B1;
constexpr quint64 durationId = 0x4489;
constexpr quint64 unknownSize = ~quint64(0);

// Reads an EBML variable-length integer at \a pos: an ID keeps its marker bit, a size loses it
// (and all ones means "unknown"). False at the end of the data or on a malformed first byte.
bool readVint(const QByteArray &data, qsizetype &pos, quint64 &value, bool isId)
{
    if (pos >= data.size())
        return false;
    const auto first = static_cast<quint8>(data[pos]);
    if (first == 0)
        return false;
    int length = 1;
    while (!(first & (0x80 >> (length - 1))))
        ++length;
    if ((isId && length > 4) || pos + length > data.size())
        return false;
    value = isId ? first : (first & (0xFF >> length));
    bool allOnes = value == quint64(0xFF >> length);
    for (int i = 1; i < length; ++i) {
        const auto byte = static_cast<quint8>(data[pos + i]);
        value = (value << 8) | byte;
        allOnes = allOnes && byte == 0xFF;
    }
    pos += length;
    if (!isId && allOnes)
        value = unknownSize;
    return true;
}

struct Element
{
    quint64 id = 0;
    quint64 size = 0;
    qsizetype body = 0; // where its content starts
};

bool readElement(const QByteArray &data, qsizetype &pos, Element &element)
{
    if (!readVint(data, pos, element.id, true) || !readVint(data, pos, element.size, false))
        return false;
    element.body = pos;
    return true;
}

} // namespace

std::optional<qint64> durationMs(const QByteArray &head)
{
    qsizetype pos = 0;
    Element element;
    if (!readElement(head, pos, element) || element.id != ebmlHeaderId
        || element.size == unknownSize || element.size > quint64(head.size()))
        return std::nullopt;
    pos = element.body + qsizetype(element.size);
    if (!readElement(head, pos, element) || element.id != segmentId)
        return std::nullopt;

    // The Segment's children, up to the first Cluster.
    while (readElement(head, pos, element)) {
        if (element.id == clusterId || element.size == unknownSize)
            return std::nullopt;
        if (element.size > quint64(head.size() - element.body))
            return std::nullopt; // runs past what was read
        const qsizetype end = element.body + qsizetype(element.size);
        if (element.id != infoId) {
            pos = end;
            continue;
        }
        quint64 scale = 1000000; // nanoseconds per tick, the default
        std::optional<double> duration;
        qsizetype inner = element.body;
        Element child;
        while (inner < end && readElement(head, inner, child)) {
            if (child.size > quint64(end - child.body))
                return std::nullopt;
            const char *bytes = head.constData() + child.body;
            if (child.id == timestampScaleId && child.size >= 1 && child.size <= 8) {
                scale = 0;
                for (quint64 i = 0; i < child.size; ++i)
                    scale = (scale << 8) | static_cast<quint8>(bytes[i]);
            } else if (child.id == durationId && child.size == 4) {
                const quint32 bits = qFromBigEndian<quint32>(bytes);
                float value;
                std::memcpy(&value, &bits, sizeof value);
                duration = value;
            } else if (child.id == durationId && child.size == 8) {
                const quint64 bits = qFromBigEndian<quint64>(bytes);
                double value;
                std::memcpy(&value, &bits, sizeof value);
                duration = value;
            }
            inner = child.body + qsizetype(child.size);
        }
        if (!duration || !std::isfinite(*duration) || *duration <= 0 || scale == 0)
            return std::nullopt;
        const double ms = *duration * double(scale) / 1e6;
        if (ms < 1 || ms > 1e12) // under a millisecond or over thirty years: not a real file
            return std::nullopt;
        return qint64(std::llround(ms));
    }
    return std::nullopt;
}

} // namespace MatrixUpload::Matroska
