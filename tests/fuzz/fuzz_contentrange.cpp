// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Content-Range as the test server reads a chunk's (bytes a-b/total, bytes */total, bytes a-b/*)
// and Range as the client reads a content-range host's 308 (bytes=0-LAST).
#include "fuzzcheck.h"

#include <matrixupload/testserver/httpparse_p.h>
#include <matrixupload/transfer/httpheaders_p.h>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value = fuzzBytes(data, size);

    if (const auto range = parseContentRange(value)) {
        FUZZ_CHECK(range->total >= -1);
        if (range->first < 0) { // a status query says its total
            FUZZ_CHECK(range->first == -1 && range->last == -1 && range->total >= 0);
        } else {
            FUZZ_CHECK(range->last >= range->first);
            FUZZ_CHECK(range->total < 0 || range->last < range->total);
        }
        // What it read, written again, reads the same.
        const QByteArray total
            = range->total < 0 ? QByteArray("*") : QByteArray::number(range->total);
        const QByteArray again = range->first < 0
            ? QByteArray("bytes */" + total)
            : QByteArray("bytes " + QByteArray::number(range->first) + '-'
                + QByteArray::number(range->last) + '/' + total);
        const auto reread = parseContentRange(again);
        FUZZ_CHECK(reread && reread->first == range->first && reread->last == range->last
            && reread->total == range->total);
    }

    // The size the client uploads: taken from the input's last bytes, so both paths get tried.
    qint64 uploadSize = 0;
    for (size_t i = size > 8 ? size - 8 : 0; i < size; ++i)
        uploadSize = (uploadSize << 8) | data[i];
    uploadSize &= (qint64(1) << 50) - 1;
    for (const qint64 total : { uploadSize, qint64(0), qint64(1), qint64(1) << 40 }) {
        if (const auto held = parseHeldRange(value, total)) {
            FUZZ_CHECK(*held >= 0 && *held <= total);
            // Held bytes come from "bytes=0-LAST" only (leading zeros allowed), or no value.
            FUZZ_CHECK(value.isEmpty() || value.startsWith("bytes=0-"));
        }
    }
    return 0;
}
