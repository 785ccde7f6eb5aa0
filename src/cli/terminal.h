// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader-cli: the few things it asks of a terminal, and its output lines.
#pragma once

#include <QString>

#include <optional>

namespace MatrixUpload::Cli {

bool stdinIsTerminal();
bool stderrIsTerminal();
//! Reads one line from standard input; with \a hidden and a terminal, without echoing it
//! (passwords). Nothing at end of input.
std::optional<QString> readLine(const QString &prompt, bool hidden);
//! Columns of the terminal on standard error, 80 when unknown.
int terminalWidth();
//! Writes \a line and a newline to standard output, in the locale's encoding, and flushes it.
void out(const QString &line);
//! Writes \a line and a newline to standard error, in the locale's encoding, and flushes it.
void err(const QString &line);

} // namespace MatrixUpload::Cli
