// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: when to try a failed request again (protocol.md 9).
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QtGlobal>

#include <functional>
#include <optional>

namespace MatrixUpload {

//! Exponential backoff with jitter, bounded in attempts and in time, that puts the server's own
//! wait (Retry-After, retry_after_ms) first and starts over once bytes made progress.
//!
//! \code
//! RetryPolicy retry;
//! // after a retryable failure:
//! if (const auto wait = retry.nextDelayMs(error.retryAfterMs)) QTimer::singleShot(*wait, ...);
//! else fail(error);
//! // after an acknowledged chunk:
//! retry.recordProgress();
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT RetryPolicy
{
public:
    struct Settings
    {
        int maxAttempts = 8; //!< retries since the last progress
        qint64 initialDelayMs = 500;
        qint64 maxDelayMs = 60 * 1000; //!< cap of one computed backoff step
        qint64 maxTotalWaitMs = 10 * 60 * 1000; //!< all waits since the last progress
        qint64 maxServerWaitMs = 5 * 60 * 1000; //!< a longer Retry-After gives up at once
        double jitter = 0.25; //!< each step is scaled by a random factor in [1-jitter, 1+jitter]
    };

    RetryPolicy();
    explicit RetryPolicy(const Settings &settings);

    //! The wait before the next try, or nothing when it is time to give up. \a serverWaitMs is
    //! the server's own wait, which wins over the computed backoff when present.
    std::optional<qint64> nextDelayMs(std::optional<qint64> serverWaitMs = std::nullopt);
    //! Bytes moved: the next failure starts from the first step again.
    void recordProgress();

    int attempts() const { return m_attempts; }
    qint64 totalWaitMs() const { return m_totalWaitMs; }
    const Settings &settings() const { return m_settings; }

    //! For tests: a source of numbers in [0, 1) in place of the system's random generator.
    void setRandomSource(std::function<double()> source) { m_random = std::move(source); }

private:
    Settings m_settings;
    int m_attempts = 0;
    qint64 m_totalWaitMs = 0;
    std::function<double()> m_random;
};

} // namespace MatrixUpload
