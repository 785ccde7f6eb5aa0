// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the BlurHash of an image, the few characters other clients paint as a blurred
// placeholder while the media loads (`xyz.amorgan.blurhash` in a message's `info`).
#pragma once

#include <matrixupload/media/matrixupload_media_export.h>

#include <QString>

class QImage;

namespace MatrixUpload::BlurHash {

//! The default number of components across: four columns of cosines.
inline constexpr int defaultXComponents = 4;
//! The default number of components down: three rows.
inline constexpr int defaultYComponents = 3;

//! Encodes \a image as a BlurHash of \a xComponents by \a yComponents (each 1 to 9), the
//! algorithm of the BlurHash reference implementations. The alpha channel is ignored, as the
//! reference does. Work grows with the pixels times the components: pass a small version of the
//! picture (MediaInfoReader uses one of at most 64 pixels a side).
//!
//! The result is the same string as the TypeScript reference (npm `blurhash` 2.0.5, which
//! Element Web uses) gives for the same RGBA pixels; tests/auto/media compares the two. Like it,
//! the AC maximum is taken over the signed values.
//!
//! An empty string for a null image or component counts outside 1 to 9.
MATRIXUPLOAD_MEDIA_EXPORT QString encode(const QImage &image, int xComponents = defaultXComponents,
    int yComponents = defaultYComponents);

} // namespace MatrixUpload::BlurHash
