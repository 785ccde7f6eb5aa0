// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "terminal.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace MatrixUpload::Cli {

bool stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO);
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO);
}

std::optional<QString> readLine(const QString &prompt, bool hidden)
{
    const bool terminal = stdinIsTerminal();
    if (terminal) {
        std::fputs(prompt.toLocal8Bit().constData(), stderr);
        std::fflush(stderr);
    }
    termios saved {};
    const bool noEcho = hidden && terminal && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (noEcho) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool ok = bool(std::getline(std::cin, line));
    if (noEcho) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputs("\n", stderr);
    }
    if (!ok)
        return std::nullopt;
    return QString::fromStdString(line);
}

int terminalWidth()
{
    winsize size {};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
        return size.ws_col;
    return 80;
}

void out(const QString &line)
{
    std::fputs((line + u'\n').toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

void err(const QString &line)
{
    std::fputs((line + u'\n').toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}

} // namespace MatrixUpload::Cli
