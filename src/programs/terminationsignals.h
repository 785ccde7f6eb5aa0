// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader's programs: Ctrl-C and SIGTERM handled in the event loop, the same way by the
// CLI and the test server.
#pragma once

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <functional>
#include <unistd.h>

namespace MatrixUpload {

//! The pipe a signal handler writes to; the event loop reads it (the self-pipe trick: a signal
//! handler may do almost nothing else).
inline int terminationSignalPipe[2] = { -1, -1 };

//! The signal handler: one byte into terminationSignalPipe.
inline void writeTerminationSignalByte(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(terminationSignalPipe[1], &byte, 1);
}

//! Runs \a handler in \a app's event loop (never inside the signal handler) on each SIGINT and
//! SIGTERM. False when no pipe could be made: the signals then keep their default action.
inline bool onTerminationSignals(QCoreApplication &app, std::function<void()> handler)
{
    if (::pipe(terminationSignalPipe) != 0)
        return false;
    auto *notifier = new QSocketNotifier(terminationSignalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [handler = std::move(handler)] {
        char byte;
        [[maybe_unused]] const auto n = ::read(terminationSignalPipe[0], &byte, 1);
        handler();
    });
    std::signal(SIGINT, writeTerminationSignalByte);
    std::signal(SIGTERM, writeTerminationSignalByte);
    return true;
}

} // namespace MatrixUpload
