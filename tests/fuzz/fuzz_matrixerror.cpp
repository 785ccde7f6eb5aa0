// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A Matrix error answer: status, Retry-After and the error JSON (any Content-Type, protocol.md 9).
// Input: two bytes of status, then the Retry-After value up to the first newline, then the body.
#include "fuzzcheck.h"

#include <matrixupload/api/matrixerror.h>

#include <QDateTime>
#include <QTimeZone>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietQtMessages();
    if (size < 2)
        return 0;
    const int status = 100 + (data[0] << 8 | data[1]) % 500;
    const QByteArray rest = fuzzBytes(data + 2, size - 2);
    const qsizetype newline = rest.indexOf('\n');
    const QByteArray retryAfter = newline < 0 ? QByteArray() : rest.left(newline);
    const QByteArray body = newline < 0 ? rest : rest.mid(newline + 1);
    static const QDateTime now(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());

    const MatrixError e = MatrixError::fromHttp(status, body, retryAfter, now);
    FUZZ_CHECK(e.kind() == MatrixError::Kind::Http);
    FUZZ_CHECK(e.httpStatus() == status);
    FUZZ_CHECK(!e.message().isEmpty());
    if (e.retryAfterMs())
        FUZZ_CHECK(*e.retryAfterMs() >= 0);
    FUZZ_CHECK(!e.toString().isEmpty());
    (void)e.isRetryable();
    (void)e.isQuota();
    (void)e.isUnrecognized();
    (void)e.isUnauthorized();
    (void)e.isSoftLogout();
    return 0;
}
