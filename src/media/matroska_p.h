// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the length of a Matroska or WebM file from its Segment Info, for when the
// player does not report it (Qt 6.4's FFmpeg backend gives WebM no duration).
#pragma once

#include <matrixupload/media/matrixupload_media_export.h>

#include <QByteArray>

#include <optional>

namespace MatrixUpload::Matroska {

//! How much of the start of a file durationMs() looks at: Segment Info comes before the first
//! Cluster, within the first few kilobytes of what muxers write.
inline constexpr int headLength = 64 * 1024;

//! The duration in milliseconds that the Segment Info of the Matroska data \a head (the start of
//! the file) declares: Duration times TimestampScale. Nothing when \a head is not Matroska, has
//! no Duration before the first Cluster, or is malformed; never reads outside \a head.
MATRIXUPLOAD_MEDIA_TESTS_EXPORT std::optional<qint64> durationMs(const QByteArray &head);

} // namespace MatrixUpload::Matroska
