// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: how many bytes the next content-range chunk or tus PATCH carries.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QtGlobal>

namespace MatrixUpload {

//! Sizes the chunks of the chunked protocols (content-range, tus) to the link.
//!
//! Each chunk is one request, and between two of them the client sends nothing: it waits for the
//! answer, a round trip plus the host's work. With fixed 8 MiB chunks over a link of 1 Gbit/s and
//! 100 ms round trips, that wait comes every 70 ms of sending, and the upload runs at half the
//! link's speed. The sizer measures each chunk: how long its bytes took to send, and how long the
//! client then waited for the answer. It makes the next chunk large enough that the wait is at
//! most a twentieth of the time (a chunk that takes 19 times as long to send as the wait), within
//! bounds:
//! - never smaller than the starting size, and a multiple of 256 KiB (what content-range hosts
//!   such as Google Cloud Storage require);
//! - growing at most eightfold per chunk, so that one odd measurement does not jump to the top,
//!   or 32-fold after a chunk that took at least 20 ms to send (a measurement of the link, not of
//!   socket buffers filling): on a far fast link the second chunk has the size the link needs;
//! - at most the maximum: the bytes one failed request can cost, where a host keeps nothing of a
//!   chunk that did not arrive whole (the bodies stream from the file, so memory does not grow
//!   with the chunk).
//! Once the chunks grew, chunks may be up to twice the sized one (within the maximum and the
//! growth bound) when that sends the rest of the file in fewer requests (nextFor()): each request
//! saved is a round trip and the host's wait for the last bytes.
//! A failed chunk sends the next one at the starting size again, measured afresh. A chunk refused
//! as too large (a proxy's limit on request bodies) halves the maximum.
//!
//! With a maximum not above the starting size, chunks keep the starting size.
class MATRIXUPLOAD_CORE_TESTS_EXPORT ChunkSizer
{
public:
    //! Chunks may go up to this many bytes when a caller asks for automatic sizing.
    static constexpr qint64 defaultMaximum = 256 * 1024 * 1024;
    //! The size automatic sizing starts from.
    static constexpr qint64 defaultStart = 8 * 1024 * 1024;
    //! What a chunk size is rounded down to a multiple of.
    static constexpr qint64 granule = 256 * 1024;

    //! Chunks of \a start bytes that may grow to \a maximum. When they may, both are rounded
    //! down to 256 KiB multiples (at least one); when not, \a start is kept as it is.
    ChunkSizer(qint64 start, qint64 maximum);

    //! The size of the next chunk.
    qint64 next() const { return m_next; }
    bool isAdaptive() const { return m_maximum > m_start; }
    //! The size of the next chunk when \a remaining bytes are left to send: next() or less, or,
    //! once the chunks grew, up to twice next() when that sends the rest in fewer requests.
    qint64 nextFor(qint64 remaining) const;

    //! A chunk of \a bytes was accepted: its bytes took \a sendingNs from the request's start
    //! until the last one was handed to the connection, then the answer came \a waitingNs later.
    void record(qint64 bytes, qint64 sendingNs, qint64 waitingNs);
    //! A chunk failed: start again from the starting size.
    void reset() { m_next = m_start; }
    //! The host refused a chunk of \a bytes as too large (413), a limit on request bodies such
    //! as a proxy's: from now on chunks have at most half as many, never fewer than the starting
    //! size. False when \a bytes was not above the starting size: the limit is not the chunk's.
    bool refused(qint64 bytes);

private:
    qint64 m_start;
    qint64 m_maximum;
    qint64 m_next;
    //! What the last measurement let the next chunk grow to, before the wanted size.
    qint64 m_ceiling = 0;
};

} // namespace MatrixUpload
