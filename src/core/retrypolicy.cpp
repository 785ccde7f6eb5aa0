// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "retrypolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace MatrixUpload {

RetryPolicy::RetryPolicy()
    : RetryPolicy(Settings {})
{ }

RetryPolicy::RetryPolicy(const Settings &settings)
    : m_settings(settings)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{ }

std::optional<qint64> RetryPolicy::nextDelayMs(std::optional<qint64> serverWaitMs)
{
    if (m_attempts >= m_settings.maxAttempts)
        return std::nullopt;
    qint64 wait = 0;
    if (serverWaitMs && *serverWaitMs >= 0) {
        // The server knows best, but an hours-long wait is a refusal in all but name: let the
        // caller choose another path (protocol.md 3: fall back to the legacy upload).
        if (*serverWaitMs > m_settings.maxServerWaitMs)
            return std::nullopt;
        wait = *serverWaitMs;
    } else {
        const double step = double(m_settings.initialDelayMs) * std::pow(2.0, m_attempts);
        const double capped = std::min(step, double(m_settings.maxDelayMs));
        const double factor = 1.0 + m_settings.jitter * (2.0 * m_random() - 1.0);
        wait = std::max<qint64>(0, qint64(capped * factor));
    }
    if (m_totalWaitMs + wait > m_settings.maxTotalWaitMs)
        return std::nullopt;
    ++m_attempts;
    m_totalWaitMs += wait;
    return wait;
}

void RetryPolicy::recordProgress()
{
    m_attempts = 0;
    m_totalWaitMs = 0;
}

} // namespace MatrixUpload
