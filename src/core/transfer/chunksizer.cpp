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
// A chunk whose bytes took this long to send measured the link, not a burst into the socket's
// buffers or a timer's granularity: its size may grow further at once (issue 15, item 5).
constexpr qint64 longGrowth = 32;
constexpr qint64 longSendingNs = 20'000'000;
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
    const qint64 growth = sendingNs >= longSendingNs ? longGrowth : maxGrowth;
    m_ceiling = std::min(m_maximum, m_next * growth);
    const double ceiling = double(m_ceiling);
    m_next = std::clamp(granules(qint64(std::min(wanted, ceiling))), m_start, m_maximum);
}

qint64 ChunkSizer::nextFor(qint64 remaining) const
{
    if (remaining <= m_next)
        return std::max<qint64>(remaining, 0);
    // Only once the link made the chunks grow: a near host keeps the starting size.
    if (!isAdaptive() || m_next <= m_start)
        return m_next;
    // The rest takes this many requests at the sized chunks; one fewer when the maximum allows,
    // with the chunks a little larger (each one saves a round trip; the largest still waits
    // less than the sized one would).
    // The growth bound holds for these too.
    const qint64 limit = std::min(m_ceiling, m_maximum);
    const qint64 requests = (remaining + m_next - 1) / m_next;
    if (remaining > (requests - 1) * limit)
        return m_next;
    const qint64 even = (remaining + requests - 2) / (requests - 1);
    return std::max(m_next, std::min(limit, (even + granule - 1) / granule * granule));
}

} // namespace MatrixUpload
