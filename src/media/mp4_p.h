// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: how an MP4 or QuickTime video is meant to be turned when shown, from the
// display matrix of its video track (a phone's portrait video is stored landscape with a quarter
// turn there). Qt 6.4's FFmpeg backend neither turns the frames nor reports the turn.
#pragma once

#include <matrixupload/media/matrixupload_media_export.h>

#include <QtGlobal>

class QIODevice;

namespace MatrixUpload::Mp4 {

//! How much larger than its box headers a `moov` box may be before rotationDegrees() gives up
//! reading it (it holds the sample tables, a few MB even for hours of video).
inline constexpr qint64 maxMovieBox = 32LL * 1024 * 1024;

//! The clockwise quarter turn (0, 90, 180 or 270) that the `tkhd` display matrix of the first
//! video track (the first track with a width and height) of the MP4 or QuickTime file in
//! \a device gives: what a player turns the frames by. 0 when there is none, the matrix is not a
//! quarter turn, or the data is not MP4. Reads the top-level box headers (seeking past the
//! media data) and the `moov` box only; never reads past what the boxes declare.
MATRIXUPLOAD_MEDIA_TESTS_EXPORT int rotationDegrees(QIODevice *device);

} // namespace MatrixUpload::Mp4
