// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the HTTP client for upload URLs and for the Matrix API, libcurl driven by the
// Qt event loop.
//
// Why not QNetworkAccessManager, which only the host's own requests still use:
// - Upload URLs (issue 15): QtNetwork sends a request body from its own HTTP thread in 16 KiB
//   pieces, each piece handed over from the caller's thread with a cross-thread wake-up.
//   Measured against nginx on loopback, a 512 MiB PUT took 3.5-4x as long as curl's, with most
//   of the client's CPU time in the kernel. libcurl in the same event loop, reading the file in
//   1 MiB pieces, runs at curl's speed (bench/client.sh).
// - API calls and downloads (issue 14, issue 15 item 4): Qt 6.4 reports no progress for a
//   chunked answer while its HTTP thread takes it in, so the 4 MiB answer limit
//   (api/networkreply_p.h) could not see an endless chunked answer; and it read small answers
//   a byte per read() with a cross-thread hop per request (bench/manyfiles.sh). Here every piece
//   is reported as it arrives, in the caller's thread.
//
// What callers need from it stays as QtNetwork gave it: the answer comes as a QNetworkReply
// (the protocols in transfer/, MediaApi's transport and the answer limits do not change), the
// proxy is the one the given QNetworkAccessManager would choose, the request's inactivity
// timeout ends it as Qt's does (OperationCanceledError), abort() stops it at once, and finished()
// never fires before the caller could connect to it. One multi handle per manager keeps
// connections alive from request to request. TLS uses libcurl's system CA store.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>

class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace MatrixUpload {

//! What a request sent with sendCurlRequest() may do beyond the plain request.
struct CurlRequestOptions
{
    //! Refuse a connection to a link-local address (checkUploadHostAddresses(), also for a name
    //! that resolves differently at connect time than when the job checked it): upload URLs.
    //! Off for the homeserver, which may well sit on a LAN address.
    bool refuseLinkLocal = true;
    //! Redirects followed by libcurl, at most (0: none, the 3xx is the answer). Followed
    //! redirects never leave https for http, and such a request is sent without any
    //! Authorization or Cookie header (and without the jar's cookies).
    int maxRedirects = 0;
    //! Largest answer body kept, as sent (nothing is decompressed); a larger one fails the request
    //! (UnknownContentError). -1: no bound (a download, which its caller bounds).
    qint64 maxBodyBytes = 64 * 1024 * 1024;
    //! Send the cookies of the manager's jar and store those the server sets (the homeserver,
    //! as QtNetwork did for it); never for an upload URL or a CDN.
    bool useCookieJar = false;
    //! The body starts at the device's current position, not at 0 (a caller's device).
    bool bodyFromCurrentPosition = false;
};

//! Sends \a method to the request's URL through libcurl, in the calling thread's event loop,
//! with the request's raw headers (its Content-Length excepted), its inactivity timeout and
//! the proxy \a nam would use; GET and HEAD send no body, any other method sends the \a length
//! bytes read from \a body (opened for reading; may be null when \a length is 0) with an exact
//! Content-Length. No cookie is stored or sent unless \a options say so; redirects and
//! link-local addresses as \a options say.
//!
//! The reply belongs to the caller (delete it, or deleteLater() it once finished); it reads
//! from \a body until it finishes, so \a body must outlive it (give it the reply as parent).
//! It emits metaDataChanged(), readyRead(), uploadProgress(), downloadProgress(),
//! errorOccurred() and finished() as a QNetworkReply from \a nam would, never from within
//! libcurl.
MATRIXUPLOAD_CORE_TESTS_EXPORT QNetworkReply *sendCurlRequest(QNetworkAccessManager *nam,
    const QNetworkRequest &request, const QByteArray &method, QIODevice *body, qint64 length,
    const CurlRequestOptions &options);

//! sendCurlRequest() to an upload URL: no redirect, no cookie, no link-local address, an answer
//! of at most 64 MiB.
inline QNetworkReply *sendUploadRequest(QNetworkAccessManager *nam, const QNetworkRequest &request,
    const QByteArray &method, QIODevice *body, qint64 length)
{
    return sendCurlRequest(nam, request, method, body, length, CurlRequestOptions {});
}

} // namespace MatrixUpload
