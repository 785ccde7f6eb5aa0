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
    // Chunks up to twice the sized one, within the maximum and the growth bound, when that
    // sends the rest in fewer requests: each one saved is a round trip and the host's wait for
    // the last bytes, and a larger chunk only waits a smaller share of its time. The rest is
    // split evenly, so no small chunk pays a whole wait at the end.
    const qint64 limit = std::min({ m_ceiling, m_maximum, 2 * m_next });
    const qint64 sized = (remaining + m_next - 1) / m_next;
    const qint64 requests = (remaining + limit - 1) / limit;
    if (requests >= sized)
        return m_next;
    if (requests == 1)
        return remaining;
    // Rounded up to whole granules (every chunk but the last must be), so the last is the
    // smallest; never past the end.
    const qint64 even = (remaining + requests - 1) / requests;
    return std::min(std::clamp((even + granule - 1) / granule * granule, m_next, limit), remaining);
}

} // namespace MatrixUpload
