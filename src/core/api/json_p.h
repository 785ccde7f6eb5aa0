// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Reading numbers from a server's JSON. JSON numbers are doubles: converting one outside
// qint64's range to qint64 is undefined behaviour (the fuzzers found `"retry_after_ms": 1e300`).
#pragma once

#include <QJsonValue>

#include <algorithm>
#include <optional>

namespace MatrixUpload {

//! A non-negative JSON number (a size, a duration, a time in ms) as qint64, capped at 2^53 (the
//! last integer a double holds exactly, 285,000 years in ms); nothing for anything else.
inline std::optional<qint64> jsonNonNegative(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!(d >= 0)) // also NaN
        return std::nullopt;
    constexpr double cap = 9007199254740992.0; // 2^53
    return qint64(std::min(d, cap));
}

} // namespace MatrixUpload
