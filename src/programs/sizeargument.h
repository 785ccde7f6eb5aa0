// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader's programs: a size on the command line ("64K", "8M", "2G" or bytes), read the
// same way by the CLI (--chunk-size) and the test server (--max-upload-size, --max-request-body).
#pragma once

#include <QString>

namespace MatrixUpload {

//! "1048576", "64K", "8M", "2G" (binary units, any case, surrounding blanks allowed) -> bytes;
//! -1 when unreadable or negative. Each option decides whether 0 is allowed.
inline qint64 parseSizeArgument(const QString &text)
{
    static const QString units = QStringLiteral("KMG");
    QString digits = text.trimmed().toUpper();
    qint64 factor = 1;
    if (!digits.isEmpty() && units.contains(digits.back())) {
        factor = qint64(1) << (10 * (units.indexOf(digits.back()) + 1));
        digits.chop(1);
    }
    bool ok = false;
    const qint64 n = digits.toLongLong(&ok);
    return ok && n >= 0 ? n * factor : -1;
}

} // namespace MatrixUpload
