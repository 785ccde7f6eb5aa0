// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: what an UploadManager did, for the tests that bound its work (issue 15, item 4).
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QtGlobal>

namespace MatrixUpload {

class UploadManager;

//! Counts of the manager's own work since it was made: a test enqueues many jobs and checks that
//! the work grows with the jobs, not with their square.
struct UploadManagerWork
{
    //! Passes of the scheduler: at most one per turn of the event loop, however many jobs
    //! changed state in it (and one per direct call, e.g. setMaxParallel()).
    qint64 schedulePasses = 0;
    //! Jobs the scheduler looked at: only waiting ones, each started then (not every job on
    //! every pass).
    qint64 jobsVisited = 0;
};

//! The work \a manager did so far.
MATRIXUPLOAD_CORE_TESTS_EXPORT UploadManagerWork uploadManagerWork(const UploadManager *manager);

} // namespace MatrixUpload
