// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the HTTP client for upload URLs, libcurl driven by the Qt event loop.
//
// Why not QNetworkAccessManager, which every other request uses: QtNetwork sends a request body
// from its own HTTP thread in 16 KiB pieces, each piece handed over from the caller's thread
// with a cross-thread wake-up. Measured against nginx on loopback (issue 15), a 512 MiB PUT
// took 3.5-4x as long as curl's, with most of the client's CPU time in the kernel. libcurl in
// the same event loop, reading the file in 1 MiB pieces, runs at curl's speed (bench/client.sh).
//
// What the upload URL path needs from it stays as it was: the answer comes as a QNetworkReply
// (the protocols in transfer/ and the answer limits in api/networkreply_p.h do not change), no
// cookies, no credentials and no redirects are followed, the proxy is the one the upload-URL
// QNetworkAccessManager would choose, the request's inactivity timeout ends it as Qt's does
// (OperationCanceledError), and abort() stops it at once.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>

class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace MatrixUpload {

//! Sends \a method to the request's URL through libcurl, in the calling thread's event loop,
//! with the request's raw headers (its Content-Length excepted), its inactivity timeout and
//! the proxy \a nam would use; HEAD sends no body, any other method sends the \a length bytes
//! read from \a body (opened for reading; may be null when \a length is 0) with an exact
//! Content-Length. Redirects are not followed, no cookie is stored or sent, and a connection
//! to a link-local address is refused (checkUploadHostAddresses(), also for a name that
//! resolves differently at connect time than when the job checked it).
//!
//! The reply belongs to the caller (delete it, or deleteLater() it once finished); it reads
//! from \a body until it finishes, so \a body must outlive it (give it the reply as parent).
//! It emits metaDataChanged(), readyRead(), uploadProgress(), downloadProgress(),
//! errorOccurred() and finished() as a QNetworkReply from \a nam would, never from within
//! libcurl.
MATRIXUPLOAD_CORE_TESTS_EXPORT QNetworkReply *sendUploadRequest(QNetworkAccessManager *nam,
    const QNetworkRequest &request, const QByteArray &method, QIODevice *body, qint64 length);

} // namespace MatrixUpload
