// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The logging categories of MatrixUpload::Core, all declared here so there is one list to
// enable or silence (QT_LOGGING_RULES="matrixupload.*.debug=true").
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QLoggingCategory>
#include <QUrl>

namespace MatrixUpload {

Q_DECLARE_LOGGING_CATEGORY(lcApi) // matrixupload.api: Matrix API requests and their answers
Q_DECLARE_LOGGING_CATEGORY(lcJob) // matrixupload.job: upload jobs, their states and fallbacks
Q_DECLARE_LOGGING_CATEGORY(lcTransfer) // matrixupload.transfer: requests to upload URLs

//! A URL fit for a log line: no query string (shown as "?<redacted>"), user info or fragment.
//! Upload URLs and CDN redirects carry their signature in the query, so the whole query goes rather
//! than a guess at which parameter is secret. Tokens never reach a URL at all (protocol.md 1).
MATRIXUPLOAD_CORE_TESTS_EXPORT QString loggableUrl(const QUrl &url);

//! An upload URL fit for a log line, an error or a fallback message: its scheme, host and port
//! only ("https://cdn.example.org/<redacted>"). A tus URL or a CDN's capability URL holds its
//! secret in the path, where loggableUrl() would show it (issue 14, item 8).
MATRIXUPLOAD_CORE_TESTS_EXPORT QString loggableUploadUrl(const QUrl &url);

} // namespace MatrixUpload
