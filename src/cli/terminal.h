// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader-cli: the few things it asks of a terminal.
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

} // namespace MatrixUpload::Cli
