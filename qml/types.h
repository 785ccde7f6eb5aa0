// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader QML module: Core's types as QML sees them. The declarations live here, in the
// QML module, so Core never links QtQml (docs/architecture.md, "Targets and headers").
#pragma once

#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include <QtQml/qqml.h>

namespace MatrixUpload::Qml {

//! `UploadManager`: handed over from C++ (a context property, a singleton, a property of the
//! client's own object). Not creatable in QML: a manager needs a signed-in MediaApi at
//! construction, and the account that gives one lives in the client's C++.
struct ForeignUploadManager
{
    Q_GADGET
    QML_FOREIGN(MatrixUpload::UploadManager)
    QML_NAMED_ELEMENT(UploadManager)
    QML_UNCREATABLE("An UploadManager needs a signed-in MediaApi: create it in C++")
};

//! `UploadListModel { manager: ... }`: creatable, the rows of one manager.
struct ForeignUploadListModel
{
    Q_GADGET
    QML_FOREIGN(MatrixUpload::UploadListModel)
    QML_NAMED_ELEMENT(UploadListModel)
};

//! `UploadJob`: its enums (`UploadJob.Completed`, `UploadJob.UploadUrl`, ...), its properties, and
//! the type of UploadManager.jobFinished's argument. Jobs come from a manager only.
struct ForeignUploadJob
{
    Q_GADGET
    QML_FOREIGN(MatrixUpload::UploadJob)
    QML_NAMED_ELEMENT(UploadJob)
    QML_UNCREATABLE("Jobs come from UploadManager.enqueue()")
};

} // namespace MatrixUpload::Qml
