// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the upload URLs that create hands out (docs/protocol.md,
// MSC3870) in their three protocols, put, content-range and tus, and the URL signing they share
// with signed downloads.
#include "httpparse_p.h"
#include "mediatestserver_p.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QUrlQuery>

namespace MatrixUpload {

QByteArray MediaTestServerPrivate::sign(
    const QByteArray &method, const QString &id, qint64 exp) const
{
    return QMessageAuthenticationCode::hash(
        method + '\n' + id.toUtf8() + '\n' + QByteArray::number(exp), secret,
        QCryptographicHash::Sha256)
        .toHex();
}

QUrl MediaTestServerPrivate::signedUrl(const QString &path, const QByteArray &method,
    const QString &id, qint64 exp, bool tamper, const QUrl &origin) const
{
    QByteArray sig = sign(method, id, exp);
    if (tamper)
        sig[0] = sig[0] == 'a' ? 'b' : 'a';
    QUrl url = origin;
    url.setPath(path + id);
    url.setQuery(u"exp=%1&sig=%2"_s.arg(exp).arg(QString::fromLatin1(sig)));
    return url;
}

std::optional<Response> MediaTestServerPrivate::checkSignedQuery(
    const QUrlQuery &query, const QByteArray &method, const QString &id) const
{
    const QByteArray exp = query.queryItemValue(u"exp"_s).toLatin1();
    const QByteArray sig = query.queryItemValue(u"sig"_s).toLatin1();
    if (!allDigits(exp) || exp.size() > 18 || sig.size() != 64)
        return matrixError(403, u"M_FORBIDDEN"_s, u"the upload URL is not signed"_s);
    if (!constantTimeEquals(sign(method, id, exp.toLongLong()), sig))
        return matrixError(403, u"M_FORBIDDEN"_s, u"the URL's signature does not match"_s);
    if (exp.toLongLong() <= nowMs())
        return matrixError(403, u"M_FORBIDDEN"_s, u"the URL has expired"_s);
    return std::nullopt;
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadUrl(
    const Request &r, const QString &id)
{
    if (!validMediaId(id))
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown upload"_s);
    MediaRecord *rec = store.find(id);
    if (!rec || rec->urlProtocol.isEmpty() || !rec->externalUrl.isEmpty())
        return matrixError(404, u"M_NOT_FOUND"_s, u"Unknown upload"_s);
    // The signature covers one method; a tus URL also answers HEAD, and every URL OPTIONS,
    // which read and never write.
    const bool readOnly
        = r.method == "OPTIONS" || (rec->urlProtocol == u"tus"_s && r.method == "HEAD");
    if (auto denied = checkSignature(r.http, readOnly ? rec->urlMethod : r.method, id))
        return denied;
    if (auto fault = injectedFault(u"upload_url"_s))
        return fault;
    if (rec->isExpired(nowMs()))
        return matrixError(410, u"M_NOT_FOUND"_s, u"The upload session has expired"_s);
    if (r.method == "OPTIONS") {
        HeaderPairs h { { "Allow"_ba,
            rec->urlMethod
                + (rec->urlProtocol == u"tus"_s ? ", HEAD, OPTIONS"_ba : ", OPTIONS"_ba) } };
        if (rec->urlProtocol == u"tus"_s) {
            h.append({ "Tus-Resumable"_ba, "1.0.0"_ba });
            h.append({ "Tus-Version"_ba, "1.0.0"_ba });
            h.append({ "Tus-Extension"_ba, "creation-defer-length"_ba });
            if (config.maxUploadSize > 0)
                h.append({ "Tus-Max-Size"_ba, QByteArray::number(config.maxUploadSize) });
        }
        return emptyResponse(204, h);
    }
    if (rec->urlProtocol == u"put"_s)
        return uploadPut(*rec, r);
    if (rec->urlProtocol == u"content-range"_s)
        return uploadContentRange(*rec, r);
    return uploadTus(*rec, r);
}

HttpRelay::BodyPlan MediaTestServerPrivate::bodyPlan(const QByteArray &method,
    const QByteArray &path, const QByteArray &query, const QJsonObject &headers)
{
    constexpr QByteArrayView prefix = "/_upload/";
    if (!path.startsWith(prefix))
        return {};
    const QString id = QUrl::fromPercentEncoding(path.mid(prefix.size()));
    const auto rec = store.all().constFind(id);
    if (rec == store.all().cend() || !rec->externalUrl.isEmpty())
        return {};
    qint64 offset = -1;
    if (method == "PUT" && rec->urlProtocol == u"content-range"_s) {
        const auto range
            = parseContentRange(headers.value(u"content-range"_s).toString().toLatin1());
        offset = range ? range->first : -1;
    } else if (method == "PATCH" && rec->urlProtocol == u"tus"_s) {
        const QByteArray value = headers.value(u"upload-offset"_s).toString().toLatin1();
        offset = allDigits(value) && value.size() <= 18 ? value.toLongLong() : -1;
    }
    HttpRelay::BodyPlan plan { store.hashSeed(id, offset), {} };
    // Only a request the handler may accept writes into the upload's file: one with a bad or
    // expired signature would otherwise hold the grant, and real pieces would be copied.
    if (plan.hash.hash && !checkSignedQuery(QUrlQuery(QString::fromLatin1(query)), method, id))
        plan.direct = store.directBody(id, offset);
    return plan;
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadPut(MediaRecord &rec, const Request &r)
{
    if (!r.http.value("Content-Range"_ba).isEmpty())
        // What a plain origin such as nginx does: a `put` URL takes whole bodies only.
        return matrixError(501, u"M_UNRECOGNIZED"_s, u"Content-Range is not supported here"_s);
    if (rec.state == MediaRecord::State::Complete)
        return matrixError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    const RequestBody body = requestBody(r.http);
    if (config.maxUploadSize > 0 && body.size > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec.via = u"put"_s;
    rec.total = body.size; // whole: the store need not prepare for more pieces
    if (!store.writeAt(rec, 0, body, body.size))
        return matrixError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    complete(rec);
    return jsonResponse(200, { { u"size"_s, rec.stored }, { u"sha256"_s, rec.sha256 } },
        { { "ETag"_ba, '"' + rec.sha256.toLatin1() + '"' } });
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadContentRange(
    MediaRecord &rec, const Request &r)
{
    auto progress = [&](int status) {
        HeaderPairs h;
        if (rec.stored > 0)
            h.append({ "Range"_ba, "bytes=0-"_ba + QByteArray::number(rec.stored - 1) });
        return emptyResponse(status, h);
    };
    auto finished = [&] {
        // misreport_sha256: the hash of a copy that differs from the bytes sent.
        const QString sha256 = faults.takeMisreportSha256()
            ? QString::fromLatin1(
                QCryptographicHash::hash(rec.sha256.toLatin1(), QCryptographicHash::Sha256).toHex())
            : rec.sha256;
        return jsonResponse(200, { { u"size"_s, rec.stored }, { u"sha256"_s, sha256 } });
    };
    const QByteArray header = r.http.value("Content-Range"_ba);
    const auto range = parseContentRange(header);
    if (!range)
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"Content-Range must be \"bytes FIRST-LAST/TOTAL\" or \"bytes */TOTAL\""_s);
    const RequestBody body = requestBody(r.http);
    if (range->total >= 0) {
        if (rec.total >= 0 && range->total != rec.total)
            return matrixError(400, u"M_INVALID_PARAM"_s,
                u"the total length changed from %1 to %2"_s.arg(rec.total).arg(range->total));
        // While the total was still "*": "bytes */0" would otherwise throw the held bytes away
        // and complete an empty file.
        if (range->total < rec.stored)
            return matrixError(400, u"M_INVALID_PARAM"_s,
                u"the total %1 is less than the %2 bytes the server holds"_s.arg(range->total)
                    .arg(rec.stored));
        if (config.maxUploadSize > 0 && range->total > config.maxUploadSize)
            return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    }
    if (range->first < 0) { // status query
        if (!body.isEmpty())
            return matrixError(400, u"M_INVALID_PARAM"_s, u"a status query carries no body"_s);
        if (rec.state == MediaRecord::State::Complete)
            return finished();
        if (range->total == rec.stored) {
            // The server holds every declared byte: an empty file, or (as in Google Cloud
            // Storage) an upload sent with a "*" total whose length is now known, which has no
            // chunk left to finish it with.
            rec.total = range->total;
            if (rec.stored == 0)
                rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
            rec.via = u"content-range"_s;
            store.writeAt(rec, rec.stored, {});
            complete(rec);
            return finished();
        }
        return progress(308);
    }
    if (rec.state == MediaRecord::State::Complete)
        return matrixError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    const qint64 length = range->last - range->first + 1;
    if (body.size != length)
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"Content-Range says %1 bytes, the body has %2"_s.arg(length).arg(body.size));
    // A body written in place whose grant another piece revoked (docs/testserver.md) started at
    // an offset the record has since left, even if it came back to the same number.
    const bool revoked = body.direct && body.direct->revoked;
    if (range->first != rec.stored || revoked) {
        // Gaps and rewinds are refused; the stored bytes stay as they are.
        HeaderPairs h;
        if (rec.stored > 0)
            h.append({ "Range"_ba, "bytes=0-"_ba + QByteArray::number(rec.stored - 1) });
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"the chunk starts at %1 but the server holds %2 bytes; query the status"_s
                .arg(range->first)
                .arg(rec.stored),
            {}, h);
    }
    const bool last = range->total >= 0 && range->last + 1 == range->total;
    if (!last && length % chunkGranularity != 0)
        return matrixError(400, u"M_INVALID_PARAM"_s,
            u"every chunk but the last must be a multiple of 262144 bytes"_s);
    if (config.maxUploadSize > 0 && range->last + 1 > config.maxUploadSize)
        return matrixError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);

    if (range->total >= 0)
        rec.total = range->total;
    rec.contentType = QString::fromUtf8(r.http.value("Content-Type"_ba));
    rec.via = u"content-range"_s;
    const qint64 keep = std::max<qint64>(0, length - faults.takeShortRange());
    if (!store.writeAt(rec, rec.stored, body, keep))
        return matrixError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    if (rec.total >= 0 && rec.stored == rec.total) {
        complete(rec);
        return finished();
    }
    return progress(308);
}

MediaTestServerPrivate::Result MediaTestServerPrivate::uploadTus(MediaRecord &rec, const Request &r)
{
    HeaderPairs h { { "Tus-Resumable"_ba, "1.0.0"_ba }, { "Cache-Control"_ba, "no-store"_ba } };
    auto tusError = [&](int status, const QString &errcode, const QString &message) {
        return matrixError(status, errcode, message, {}, h);
    };
    if (r.http.value("Tus-Resumable"_ba) != "1.0.0") {
        h.append({ "Tus-Version"_ba, "1.0.0"_ba });
        return tusError(412, u"M_UNKNOWN"_s, u"Tus-Resumable: 1.0.0 is required"_s);
    }
    if (r.method == "HEAD") {
        h.append({ "Upload-Offset"_ba, QByteArray::number(rec.stored) });
        if (rec.total >= 0)
            h.append({ "Upload-Length"_ba, QByteArray::number(rec.total) });
        else
            h.append({ "Upload-Defer-Length"_ba, "1"_ba });
        return emptyResponse(200, h);
    }
    if (rec.state == MediaRecord::State::Complete)
        return tusError(409, u"M_CANNOT_OVERWRITE_MEDIA"_s, u"Media already uploaded"_s);
    if (r.http.value("Content-Type"_ba) != "application/offset+octet-stream")
        return tusError(
            415, u"M_UNKNOWN"_s, u"Content-Type must be application/offset+octet-stream"_s);
    const QByteArray offsetHeader = r.http.value("Upload-Offset"_ba);
    if (!allDigits(offsetHeader) || offsetHeader.size() > 18)
        return tusError(400, u"M_INVALID_PARAM"_s, u"Upload-Offset is required"_s);
    const QByteArray lengthHeader = r.http.value("Upload-Length"_ba);
    if (!lengthHeader.isEmpty()) {
        if (!allDigits(lengthHeader) || lengthHeader.size() > 18)
            return tusError(400, u"M_INVALID_PARAM"_s, u"Upload-Length must be a number"_s);
        const qint64 length = lengthHeader.toLongLong();
        if (rec.total >= 0 && length != rec.total)
            return tusError(400, u"M_INVALID_PARAM"_s, u"Upload-Length cannot change"_s);
        if (config.maxUploadSize > 0 && length > config.maxUploadSize)
            return tusError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);
    }
    const qint64 offset = offsetHeader.toLongLong();
    const RequestBody body = requestBody(r.http);
    // As for content-range: a body written in place whose grant was revoked.
    if (offset != rec.stored || (body.direct && body.direct->revoked)) {
        h.append({ "Upload-Offset"_ba, QByteArray::number(rec.stored) });
        return tusError(409, u"M_INVALID_PARAM"_s,
            u"Upload-Offset %1 does not match the server's offset %2"_s.arg(offset).arg(
                rec.stored));
    }
    const qint64 total = lengthHeader.isEmpty() ? rec.total : lengthHeader.toLongLong();
    if (total >= 0 && offset + body.size > total)
        return tusError(400, u"M_INVALID_PARAM"_s, u"the body goes past Upload-Length"_s);
    if (config.maxUploadSize > 0 && offset + body.size > config.maxUploadSize)
        return tusError(413, u"M_TOO_LARGE"_s, u"File larger than the server allows"_s);

    rec.total = total;
    rec.via = u"tus"_s;
    const qint64 keep = std::max<qint64>(0, body.size - faults.takeShortRange());
    if (!store.writeAt(rec, rec.stored, body, keep))
        return tusError(500, u"M_UNKNOWN"_s, u"cannot store the media"_s);
    if (rec.total >= 0 && rec.stored == rec.total)
        complete(rec);
    h.append({ "Upload-Offset"_ba, QByteArray::number(rec.stored) });
    return emptyResponse(204, h);
}

} // namespace MatrixUpload
