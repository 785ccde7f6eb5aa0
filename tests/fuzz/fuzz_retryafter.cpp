// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Retry-After: delay-seconds or an HTTP-date, from any server the client talks to.
#include "fuzzcheck.h"

#include <matrixupload/api/matrixerror.h>

#include <QDateTime>
#include <QTimeZone>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietQtMessages();
    static const QDateTime now(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());
    const QByteArray value = fuzzBytes(data, size);
    if (const auto ms = MatrixError::parseRetryAfter(value, now))
        FUZZ_CHECK(*ms >= 0);
    return 0;
}
