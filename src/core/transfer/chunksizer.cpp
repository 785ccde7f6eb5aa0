// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "chunksizer_p.h"

#include <algorithm>

namespace MatrixUpload {

namespace {
qint64 granules(qint64 bytes)
{
    return std::max<qint64>(bytes / ChunkSizer::granule, 1) * ChunkSizer::granule;
}

// The wait may be at most 1/20 of a chunk's time: the chunk takes 19 times the wait to send.
constexpr double sendingPerWaiting = 19.0;
constexpr qint64 maxGrowth = 8;
// Below this, the sending time says more about timer resolution than about the link.
constexpr qint64 minMeasurableNs = 100'000;
} // namespace

ChunkSizer::ChunkSizer(qint64 start, qint64 maximum)
    : m_start(maximum > start ? granules(start) : start)
    , m_maximum(maximum > start ? std::max(granules(maximum), m_start) : m_start)
    , m_next(m_start)
{ }

bool ChunkSizer::refused(qint64 bytes)
{
    if (!isAdaptive() || bytes <= m_start)
        return false;
    m_maximum = std::max(m_start, granules(bytes / 2));
    m_next = std::min(m_next, m_maximum);
    return true;
}

void ChunkSizer::record(qint64 bytes, qint64 sendingNs, qint64 waitingNs)
{
    if (!isAdaptive() || bytes <= 0 || waitingNs < 0)
        return;
    const double bytesPerNs = double(bytes) / double(std::max(sendingNs, minMeasurableNs));
    const double wanted = bytesPerNs * double(waitingNs) * sendingPerWaiting;
    const double ceiling = double(std::min(m_maximum, m_next * maxGrowth));
    m_next = std::clamp(granules(qint64(std::min(wanted, ceiling))), m_start, m_maximum);
}

} // namespace MatrixUpload
