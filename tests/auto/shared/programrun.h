// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Runs a program to its end and keeps what it left: its exit and its output. For the tests that
// start one of ours (the CLI, the test server, a test binary again in another namespace) or a
// reference tool, and read what it printed. Qt only.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace MatrixUpload::Testing {

//! What a program run by runProgram() left.
struct ProgramRun
{
    //! False when it did not end within the time given (it was killed then).
    bool finished = false;
    //! QProcess::NormalExit when it returned from main() or called exit().
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    //! Its exit code (meaningful after a normal exit).
    int exitCode = -1;
    //! Its standard output (with QProcess::MergedChannels, both channels).
    QByteArray out;
    //! Its standard error (empty with QProcess::MergedChannels).
    QByteArray err;

    //! Whether it ended in time and normally, with \a code.
    bool exitedWith(int code) const
    {
        return finished && exitStatus == QProcess::NormalExit && exitCode == code;
    }
    //! Its standard output followed by its standard error, as text, for a failure message.
    QString output() const { return QString::fromUtf8(out) + QString::fromUtf8(err); }
};

//! Runs \a program with \a arguments in \a environment and waits up to \a timeoutMs for its end;
//! a program still running then is killed. \a channels MergedChannels puts its standard error
//! into ProgramRun::out, in the order written.
inline ProgramRun runProgram(const QString &program, const QStringList &arguments,
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 60000, QProcess::ProcessChannelMode channels = QProcess::SeparateChannels)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(channels);
    process.start(program, arguments);
    ProgramRun r;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return r;
    }
    r.finished = true;
    r.exitStatus = process.exitStatus();
    r.exitCode = process.exitCode();
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

} // namespace MatrixUpload::Testing
