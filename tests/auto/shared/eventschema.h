// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Checks m.room.message contents against the Matrix spec's event schemas with
// tests/schema/validate-events.mjs (Node.js and tests/schema's npm packages). A test that uses
// it defines MU_VALIDATE_EVENTS (the script) and MU_EVENT_SCHEMA_DIR (the spec's
// data/event-schemas/schema), as tests/auto/media/CMakeLists.txt does.
#pragma once

#include "programrun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace MatrixUpload::Testing {

//! Validates each content of \a contents by its msgtype; empty when all passed, else what the
//! validator said.
inline QString eventSchemaErrors(const QJsonArray &contents)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        return QStringLiteral("Node.js is missing (scripts/install-deps.sh installs it)");
    QTemporaryFile file;
    if (!file.open())
        return QStringLiteral("cannot write the contents to validate");
    file.write(QJsonDocument(contents).toJson());
    file.flush();
    const ProgramRun validator = runProgram(node,
        { QString::fromUtf8(MU_VALIDATE_EVENTS), file.fileName(),
            QString::fromUtf8(MU_EVENT_SCHEMA_DIR) });
    if (!validator.finished)
        return QStringLiteral("the validator did not finish");
    const QString expected = QStringLiteral("%1 passed, 0 failed").arg(contents.size());
    if (!validator.exitedWith(0) || !QString::fromUtf8(validator.out).contains(expected))
        return validator.output();
    return {};
}

} // namespace MatrixUpload::Testing
