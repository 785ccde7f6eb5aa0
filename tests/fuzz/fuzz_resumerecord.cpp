// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// A resume record as a later run reads it from its file: any bytes (a record cut short by a
// crash, edited by hand, written by another version).
#include "fuzzcheck.h"

#include <matrixupload/store/resumestore.h>

#include <QJsonDocument>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietQtMessages();
    const auto record
        = ResumeRecord::fromJson(QJsonDocument::fromJson(fuzzBytes(data, size)).object());
    if (!record)
        return 0;
    FUZZ_CHECK(!record->id.isEmpty());
    FUZZ_CHECK(record->confirmedOffset >= 0);
    FUZZ_CHECK(record->confirmedOffset <= record->fingerprint.size);
    // What the store would write back, read again, is the same record.
    const QByteArray written = QJsonDocument(record->toJson()).toJson(QJsonDocument::Compact);
    const auto reread = ResumeRecord::fromJson(QJsonDocument::fromJson(written).object());
    FUZZ_CHECK(reread);
    FUZZ_CHECK(*reread == *record);
    return 0;
}
