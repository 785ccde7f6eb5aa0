// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A tus host's Upload-Offset and Upload-Length, as the client reads them.
#include "fuzzcheck.h"

#include <matrixupload/transfer/httpheaders_p.h>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value = fuzzBytes(data, size);
    if (const auto n = parseTusNumber(value)) {
        FUZZ_CHECK(*n >= 0);
        // Only digits: the value without its leading zeros is the number written out.
        qsizetype zeros = 0;
        while (zeros + 1 < value.size() && value[zeros] == '0')
            ++zeros;
        FUZZ_CHECK(value.mid(zeros) == QByteArray::number(*n));
    } else {
        // Refused: not 1 to 18 digits.
        bool digits = !value.isEmpty() && value.size() <= 18;
        for (const char c : value)
            digits = digits && c >= '0' && c <= '9';
        FUZZ_CHECK(!digits);
    }
    return 0;
}
