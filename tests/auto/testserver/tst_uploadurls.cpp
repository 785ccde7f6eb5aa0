// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Tests of the test media server's upload URLs (MSC3870): the `put`, `content-range` and `tus`
// protocols of protocol.md 4.3-4.5, their signatures, and that an ID takes content once.
#include "testserverbench.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QCryptographicHash>
#include <QDateTime>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUploadTest;

using Protocol = MediaTestServerConfig::UploadUrlProtocol;
Q_DECLARE_METATYPE(MediaTestServerConfig::UploadUrlProtocol)

namespace {
QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

//! \a url with one query item replaced (or removed, with a null \a value).
QUrl withQueryItem(const QUrl &url, const QString &key, const QString &value)
{
    QUrlQuery query(url);
    query.removeAllQueryItems(key);
    if (!value.isNull())
        query.addQueryItem(key, value);
    QUrl out = url;
    out.setQuery(query);
    return out;
}
} // namespace

class tst_UploadUrls final : public QObject, protected TestServerBench
{
    Q_OBJECT

    bool restartWith(
        Protocol protocol, qint64 maxUploadSize = 0, const QByteArray &putMethod = "PUT"_ba)
    {
        MediaTestServerConfig config = defaultConfig();
        config.uploadUrlProtocol = protocol;
        config.maxUploadSize = maxUploadSize;
        config.putMethod = putMethod;
        return restart(config);
    }
    QString state(const QString &id) const
    {
        return m_server->mediaInfo(id).value(u"state"_s).toString();
    }
    Reply asyncPut(const QString &id, const QByteArray &bytes)
    {
        return send(*m_nam, "PUT",
            endpoint(m_server->baseUrl(), u"/_matrix/media/v3/upload/localhost/"_s + id), bytes,
            auth());
    }

private Q_SLOTS:
    void cleanup() { reset(); }

    // -- put ------------------------------------------------------------------------------------

    void putUpload_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<qsizetype>("size");
        QTest::addRow("PUT") << "PUT"_ba << qsizetype(3 * chunk + 17);
        QTest::addRow("POST") << "POST"_ba << qsizetype(1000);
        QTest::addRow("PUT, empty file") << "PUT"_ba << qsizetype(0);
    }
    void putUpload()
    {
        QFETCH(QByteArray, method);
        QFETCH(qsizetype, size);
        QVERIFY(restartWith(Protocol::Put, 0, method));
        const Created c = createMedia();
        QCOMPARE(c.json.value(u"upload_method"_s).toString(), QString::fromLatin1(method));
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);

        const QByteArray file = content(size);
        const Reply r
            = send(*m_nam, method, c.uploadUrl, file, { { "Content-Type"_ba, "video/mp4"_ba } });
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"size"_s).toInteger(), size);
        QCOMPARE(r.json.value(u"sha256"_s).toString(), sha256Hex(file));
        QCOMPARE(r.header("ETag"), '"' + sha256Hex(file).toLatin1() + '"');
        QCOMPARE(completed.size(), 1);
        QCOMPARE(completed.first().first().toString(), c.uri);
        QCOMPARE(m_server->mediaContent(c.id), file);
        const QJsonObject info = m_server->mediaInfo(c.id);
        QCOMPARE(info.value(u"state"_s).toString(), u"complete"_s);
        QCOMPARE(info.value(u"via"_s).toString(), u"put"_s);
        QCOMPARE(info.value(u"content_type"_s).toString(), u"video/mp4"_s);
        QCOMPARE(info.value(u"total"_s).toInteger(), size);
    }

    void putRefusesContentRange()
    {
        QVERIFY(restartWith(Protocol::Put));
        const Created c = createMedia();
        const Reply r = putRange(*m_nam, c.uploadUrl, 0, content(chunk), 2 * chunk);
        QCOMPARE(r.status, 501);
        QCOMPARE(r.errcode(), u"M_UNRECOGNIZED"_s);
        QCOMPARE(stored(c.id), 0);
        QCOMPARE(state(c.id), u"pending"_s);
        // A status query is a Content-Range request too.
        QCOMPARE(statusQuery(*m_nam, c.uploadUrl, 100).status, 501);
    }

    void putErrors()
    {
        QVERIFY(restartWith(Protocol::Put, 1000));
        const Created c = createMedia();
        Reply r = send(*m_nam, "PUT", c.uploadUrl, content(1001));
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
        QCOMPARE(state(c.id), u"pending"_s);
        QCOMPARE(send(*m_nam, "PUT", c.uploadUrl, content(1000)).status, 200);
        r = send(*m_nam, "PUT", c.uploadUrl, "second"_ba);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errcode(), u"M_CANNOT_OVERWRITE_MEDIA"_s);
        QCOMPARE(m_server->mediaContent(c.id), content(1000));
    }

    // -- content-range --------------------------------------------------------------------------

    void contentRangeUpload()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        QCOMPARE(c.json.value(u"upload_protocol"_s).toString(), u"content-range"_s);
        QCOMPARE(c.json.value(u"upload_method"_s).toString(), u"PUT"_s);
        const QByteArray file = content(2 * chunk + 1000);
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);

        Reply r = putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size());
        QCOMPARE(r.status, 308);
        QCOMPARE(r.header("Range"), "bytes=0-262143"_ba);
        r = putRange(*m_nam, c.uploadUrl, chunk, file.mid(chunk, chunk), file.size());
        QCOMPARE(r.status, 308);
        QCOMPARE(r.header("Range"), "bytes=0-524287"_ba);
        QCOMPARE(completed.size(), 0);
        QCOMPARE(state(c.id), u"pending"_s);
        r = putRange(*m_nam, c.uploadUrl, 2 * chunk, file.mid(2 * chunk), file.size());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"size"_s).toInteger(), file.size());
        QCOMPARE(r.json.value(u"sha256"_s).toString(), sha256Hex(file));
        QCOMPARE(completed.size(), 1);
        QCOMPARE(m_server->mediaContent(c.uri), file);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"via"_s).toString(), u"content-range"_s);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"content_type"_s).toString(),
            u"application/octet-stream"_s);

        // A status query after the end answers like the final chunk did.
        r = statusQuery(*m_nam, c.uploadUrl, file.size());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"sha256"_s).toString(), sha256Hex(file));
        // More bytes are refused.
        r = putRange(*m_nam, c.uploadUrl, 2 * chunk, file.mid(2 * chunk), file.size());
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errcode(), u"M_CANNOT_OVERWRITE_MEDIA"_s);
        QCOMPARE(m_server->mediaContent(c.uri), file);

        // No request to the upload URL carried the Matrix token.
        const QJsonArray seen = m_server->requests();
        int toUploadUrl = 0;
        for (const QJsonValue &v : seen) {
            const QJsonObject req = v.toObject();
            if (!req.value(u"path"_s).toString().startsWith(u"/_upload/"_s))
                continue;
            ++toUploadUrl;
            QVERIFY(!req.value(u"headers"_s).toObject().contains(u"authorization"_s));
        }
        QCOMPARE(toUploadUrl, 5);
    }

    void contentRangeStatusQuery()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(2 * chunk);
        Reply r = statusQuery(*m_nam, c.uploadUrl, file.size());
        QCOMPARE(r.status, 308);
        QVERIFY(!r.hasHeader("Range")); // holds nothing yet
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size()).status, 308);
        r = statusQuery(*m_nam, c.uploadUrl, file.size());
        QCOMPARE(r.status, 308);
        QCOMPARE(r.header("Range"), "bytes=0-262143"_ba);
        // With an unknown total, too.
        QCOMPARE(statusQuery(*m_nam, c.uploadUrl, -1).status, 400); // "bytes */*" says nothing
        // A status query carries no body.
        r = send(
            *m_nam, "PUT", c.uploadUrl, "x"_ba, { { "Content-Range"_ba, "bytes */524288"_ba } });
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        QCOMPARE(stored(c.id), chunk);
    }

    void contentRangeUnknownTotal()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(chunk + 10);
        Reply r = putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), -1);
        QCOMPARE(r.status, 308);
        QCOMPARE(r.header("Range"), "bytes=0-262143"_ba);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"total"_s).toInteger(), -1);
        r = putRange(*m_nam, c.uploadUrl, chunk, file.mid(chunk), file.size());
        QCOMPARE(r.status, 200);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void contentRangeTotalBelowHeldBytes_data()
    {
        QTest::addColumn<qint64>("total");
        QTest::addRow("empty") << qint64(0);
        QTest::addRow("100 bytes") << qint64(100);
        QTest::addRow("one byte short") << chunk - 1;
    }
    void contentRangeTotalBelowHeldBytes()
    {
        // The total was left open ("*"); a status query then declares fewer bytes than the server
        // holds. Refused, and the held bytes stay.
        QFETCH(qint64, total);
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(2 * chunk);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), -1).status, 308);
        const Reply r = statusQuery(*m_nam, c.uploadUrl, total);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        QCOMPARE(state(c.id), u"pending"_s);
        QCOMPARE(m_server->mediaContent(c.id), file.left(chunk));
        QCOMPARE(putRange(*m_nam, c.uploadUrl, chunk, file.mid(chunk), file.size()).status, 200);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void contentRangeFinishUnknownTotal()
    {
        // Chunks sent with a "*" total, the last one a whole 256 KiB: "bytes */N" with N the
        // bytes held finishes the upload (Google Cloud Storage's way), keeping every byte.
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(2 * chunk);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), -1).status, 308);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, chunk, file.mid(chunk), -1).status, 308);
        QCOMPARE(state(c.id), u"pending"_s);
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);
        const Reply r = statusQuery(*m_nam, c.uploadUrl, file.size());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"size"_s).toInteger(), file.size());
        QCOMPARE(r.json.value(u"sha256"_s).toString(), sha256Hex(file));
        QCOMPARE(completed.size(), 1);
        QCOMPARE(m_server->mediaContent(c.id), file);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"content_type"_s).toString(),
            u"application/octet-stream"_s);
    }

    void contentRangeEmptyFile()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const Reply r = statusQuery(*m_nam, c.uploadUrl, 0);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"size"_s).toInteger(), 0);
        QCOMPARE(r.json.value(u"sha256"_s).toString(), sha256Hex({}));
        QCOMPARE(state(c.id), u"complete"_s);
    }

    void contentRangeGapAndRewind_data()
    {
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("size");
        QTest::addRow("gap") << 2 * chunk << chunk;
        QTest::addRow("gap of one byte") << chunk + 1 << chunk;
        QTest::addRow("rewind to 0") << qint64(0) << chunk;
        QTest::addRow("rewind into the held bytes") << chunk / 2 << chunk;
        QTest::addRow("rewind, overlapping the end") << chunk - 10 << chunk;
    }
    void contentRangeGapAndRewind()
    {
        QFETCH(qint64, first);
        QFETCH(qint64, size);
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(4 * chunk, 1);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size()).status, 308);

        // Other bytes than the file's at that place: if any were stored, the content would show.
        const Reply r = putRange(*m_nam, c.uploadUrl, first, content(size, 2), file.size());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        QCOMPARE(r.header("Range"), "bytes=0-262143"_ba);
        QCOMPARE(stored(c.id), chunk);
        QCOMPARE(m_server->mediaContent(c.id), file.left(chunk));

        // The upload goes on from what the server holds.
        QCOMPARE(
            statusQuery(*m_nam, c.uploadUrl, file.size()).header("Range"), "bytes=0-262143"_ba);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, chunk, file.mid(chunk), file.size()).status, 200);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void contentRangeGapBeforeAnything()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const Reply r = putRange(*m_nam, c.uploadUrl, chunk, content(chunk), 2 * chunk);
        QCOMPARE(r.status, 400);
        QVERIFY(!r.hasHeader("Range"));
        QCOMPARE(stored(c.id), 0);
    }

    void contentRangeChunkGranularity_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("total");
        QTest::addRow("1000 bytes of more") << qint64(1000) << 2 * chunk;
        QTest::addRow("one byte short of 256 KiB") << chunk - 1 << 2 * chunk;
        QTest::addRow("one byte over 256 KiB") << chunk + 1 << 2 * chunk;
        QTest::addRow("1000 bytes, total unknown") << qint64(1000) << qint64(-1);
    }
    void contentRangeChunkGranularity()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, total);
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const Reply r = putRange(*m_nam, c.uploadUrl, 0, content(size), total);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        QVERIFY(r.json.value(u"error"_s).toString().contains(u"262144"_s));
        QCOMPARE(stored(c.id), 0);
        // The last chunk may be any length.
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(1000), 1000).status, 200);
    }

    void badContentRange_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("body");
        const QByteArray ten = "0123456789"_ba;
        QTest::addRow("missing") << QByteArray() << ten;
        QTest::addRow("no unit") << "0-9/10"_ba << ten;
        QTest::addRow("other unit") << "items 0-9/10"_ba << ten;
        QTest::addRow("equals sign") << "bytes=0-9/10"_ba << ten;
        QTest::addRow("no total") << "bytes 0-9"_ba << ten;
        QTest::addRow("no dash") << "bytes 09/10"_ba << ten;
        QTest::addRow("last before first") << "bytes 9-0/10"_ba << ten;
        QTest::addRow("last past total") << "bytes 0-10/10"_ba
                                         << "0123456789A"_ba;
        QTest::addRow("negative first") << "bytes -1-8/10"_ba << ten;
        QTest::addRow("letters") << "bytes a-j/10"_ba << ten;
        QTest::addRow("total not a number") << "bytes 0-9/ten"_ba << ten;
        QTest::addRow("hex total") << "bytes 0-9/0xa"_ba << ten;
        QTest::addRow("spaces inside") << "bytes 0 - 9/10"_ba << ten;
        QTest::addRow("two ranges") << "bytes 0-4,5-9/10"_ba << ten;
        QTest::addRow("huge numbers") << "bytes 0-9/99999999999999999999999"_ba << ten;
        QTest::addRow("star star") << "bytes */*"_ba << QByteArray();
        QTest::addRow("body shorter than range") << "bytes 0-9/10"_ba
                                                 << "01234"_ba;
        QTest::addRow("body longer than range") << "bytes 0-4/10"_ba << ten;
        QTest::addRow("empty body for a range") << "bytes 0-9/10"_ba << QByteArray();
    }
    void badContentRange()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, body);
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        Headers headers;
        if (!header.isNull())
            headers.append({ "Content-Range"_ba, header });
        const Reply r = send(*m_nam, "PUT", c.uploadUrl, body, headers);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        QCOMPARE(stored(c.id), 0);
        QCOMPARE(state(c.id), u"pending"_s);
    }

    void contentRangeTotalChanges()
    {
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(3 * chunk);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, file.left(chunk), file.size()).status, 308);
        Reply r = putRange(*m_nam, c.uploadUrl, chunk, file.mid(chunk, chunk), 2 * chunk);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errcode(), u"M_INVALID_PARAM"_s);
        r = statusQuery(*m_nam, c.uploadUrl, 5 * chunk);
        QCOMPARE(r.status, 400);
        QCOMPARE(stored(c.id), chunk);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"total"_s).toInteger(), file.size());
    }

    void contentRangeTooLarge()
    {
        QVERIFY(restartWith(Protocol::ContentRange, 2 * chunk));
        const Created c = createMedia();
        Reply r = statusQuery(*m_nam, c.uploadUrl, 2 * chunk + 1);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
        r = putRange(*m_nam, c.uploadUrl, 0, content(chunk), 2 * chunk + 1);
        QCOMPARE(r.status, 413);
        // With the total unknown, the chunk that goes past the limit is refused.
        QCOMPARE(putRange(*m_nam, c.uploadUrl, 0, content(chunk), -1).status, 308);
        QCOMPARE(putRange(*m_nam, c.uploadUrl, chunk, content(chunk), -1).status, 308);
        r = putRange(*m_nam, c.uploadUrl, 2 * chunk, content(chunk), -1);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errcode(), u"M_TOO_LARGE"_s);
        QCOMPARE(stored(c.id), 2 * chunk);
    }

    // -- tus ------------------------------------------------------------------------------------

    void tusUpload()
    {
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        QCOMPARE(c.json.value(u"upload_protocol"_s).toString(), u"tus"_s);
        QCOMPARE(c.json.value(u"upload_method"_s).toString(), u"PATCH"_s);
        const QByteArray file = content(chunk + 5000);
        QSignalSpy completed(m_server.get(), &MediaTestServer::mediaCompleted);

        Reply r = send(*m_nam, "HEAD", c.uploadUrl, {}, { { "Tus-Resumable"_ba, "1.0.0"_ba } });
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Upload-Offset"), "0"_ba);
        QCOMPARE(r.header("Upload-Defer-Length"), "1"_ba);
        QVERIFY(!r.hasHeader("Upload-Length"));
        QCOMPARE(r.header("Tus-Resumable"), "1.0.0"_ba);
        QCOMPARE(r.header("Cache-Control"), "no-store"_ba);
        QVERIFY(r.body.isEmpty());

        r = send(*m_nam, "PATCH", c.uploadUrl, file.left(chunk), tusHeaders(0, file.size()));
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Upload-Offset"), QByteArray::number(chunk));
        QCOMPARE(r.header("Tus-Resumable"), "1.0.0"_ba);

        r = send(*m_nam, "HEAD", c.uploadUrl, {}, { { "Tus-Resumable"_ba, "1.0.0"_ba } });
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Upload-Offset"), QByteArray::number(chunk));
        QCOMPARE(r.header("Upload-Length"), QByteArray::number(file.size()));
        QVERIFY(!r.hasHeader("Upload-Defer-Length"));
        QCOMPARE(completed.size(), 0);

        // Any PATCH length is fine for tus (no 256 KiB rule).
        r = send(*m_nam, "PATCH", c.uploadUrl, file.mid(chunk, 1000), tusHeaders(chunk));
        QCOMPARE(r.status, 204);
        r = send(*m_nam, "PATCH", c.uploadUrl, file.mid(chunk + 1000), tusHeaders(chunk + 1000));
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Upload-Offset"), QByteArray::number(file.size()));
        QCOMPARE(completed.size(), 1);
        QCOMPARE(m_server->mediaContent(c.id), file);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"via"_s).toString(), u"tus"_s);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"sha256"_s).toString(), sha256Hex(file));

        // Done: HEAD still answers, a PATCH is refused.
        r = send(*m_nam, "HEAD", c.uploadUrl, {}, { { "Tus-Resumable"_ba, "1.0.0"_ba } });
        QCOMPARE(r.header("Upload-Offset"), QByteArray::number(file.size()));
        r = send(*m_nam, "PATCH", c.uploadUrl, "x"_ba, tusHeaders(file.size()));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errcode(), u"M_CANNOT_OVERWRITE_MEDIA"_s);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void tusDeferredLength()
    {
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        const QByteArray file = content(3000);
        Reply r = send(*m_nam, "PATCH", c.uploadUrl, file.left(1000), tusHeaders(0));
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Upload-Offset"), "1000"_ba);
        r = send(*m_nam, "PATCH", c.uploadUrl, file.mid(1000, 1000), tusHeaders(1000));
        QCOMPARE(r.status, 204);
        r = send(*m_nam, "HEAD", c.uploadUrl, {}, { { "Tus-Resumable"_ba, "1.0.0"_ba } });
        QCOMPARE(r.header("Upload-Defer-Length"), "1"_ba);
        QCOMPARE(r.header("Upload-Offset"), "2000"_ba);
        QCOMPARE(state(c.id), u"pending"_s);
        // The length arrives with the last PATCH.
        r = send(*m_nam, "PATCH", c.uploadUrl, file.mid(2000), tusHeaders(2000, file.size()));
        QCOMPARE(r.status, 204);
        QCOMPARE(state(c.id), u"complete"_s);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void tusFinishDeferredWithEmptyPatch()
    {
        // Bytes sent with the length deferred; the length then comes alone, with no body.
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        const QByteArray file = content(1500);
        QCOMPARE(send(*m_nam, "PATCH", c.uploadUrl, file, tusHeaders(0)).status, 204);
        QCOMPARE(state(c.id), u"pending"_s);
        const Reply r = send(*m_nam, "PATCH", c.uploadUrl, {}, tusHeaders(1500, 1500));
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Upload-Offset"), "1500"_ba);
        QCOMPARE(state(c.id), u"complete"_s);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void tusEmptyFile()
    {
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        const Reply r = send(*m_nam, "PATCH", c.uploadUrl, {}, tusHeaders(0, 0));
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Upload-Offset"), "0"_ba);
        QCOMPARE(state(c.id), u"complete"_s);
    }

    void tusOffsetMismatch_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addRow("ahead") << qint64(2000);
        QTest::addRow("one ahead") << qint64(1001);
        QTest::addRow("behind") << qint64(0);
        QTest::addRow("one behind") << qint64(999);
    }
    void tusOffsetMismatch()
    {
        QFETCH(qint64, offset);
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        const QByteArray file = content(3000, 1);
        QCOMPARE(
            send(*m_nam, "PATCH", c.uploadUrl, file.left(1000), tusHeaders(0, file.size())).status,
            204);
        const Reply r = send(*m_nam, "PATCH", c.uploadUrl, content(1000, 2), tusHeaders(offset));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.header("Upload-Offset"), "1000"_ba);
        QCOMPARE(r.header("Tus-Resumable"), "1.0.0"_ba);
        QCOMPARE(m_server->mediaContent(c.id), file.left(1000));
        // HEAD and continue.
        QCOMPARE(send(*m_nam, "HEAD", c.uploadUrl, {}, { { "Tus-Resumable"_ba, "1.0.0"_ba } })
                     .header("Upload-Offset"),
            "1000"_ba);
        QCOMPARE(send(*m_nam, "PATCH", c.uploadUrl, file.mid(1000), tusHeaders(1000)).status, 204);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

    void tusMissingResumable_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("value");
        QTest::addRow("HEAD without") << "HEAD"_ba << QByteArray();
        QTest::addRow("PATCH without") << "PATCH"_ba << QByteArray();
        QTest::addRow("PATCH, old version") << "PATCH"_ba
                                            << "0.2.2"_ba;
        QTest::addRow("HEAD, other version") << "HEAD"_ba
                                             << "2.0.0"_ba;
    }
    void tusMissingResumable()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, value);
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        Headers headers { { "Content-Type"_ba, "application/offset+octet-stream"_ba },
            { "Upload-Offset"_ba, "0"_ba } };
        if (!value.isNull())
            headers.append({ "Tus-Resumable"_ba, value });
        const Reply r = send(
            *m_nam, method, c.uploadUrl, method == "PATCH" ? "abc"_ba : QByteArray(), headers);
        QCOMPARE(r.status, 412);
        QCOMPARE(r.header("Tus-Version"), "1.0.0"_ba);
        QCOMPARE(stored(c.id), 0);
    }

    void tusWrongContentType_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addRow("none") << QByteArray();
        QTest::addRow("octet-stream") << "application/octet-stream"_ba;
        QTest::addRow("the file's type") << "image/png"_ba;
    }
    void tusWrongContentType()
    {
        QFETCH(QByteArray, contentType);
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        Headers headers { { "Tus-Resumable"_ba, "1.0.0"_ba }, { "Upload-Offset"_ba, "0"_ba } };
        if (!contentType.isNull())
            headers.append({ "Content-Type"_ba, contentType });
        const Reply r = send(*m_nam, "PATCH", c.uploadUrl, "abc"_ba, headers);
        QCOMPARE(r.status, 415);
        QCOMPARE(stored(c.id), 0);
    }

    void tusErrors_data()
    {
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        const Headers base { { "Tus-Resumable"_ba, "1.0.0"_ba },
            { "Content-Type"_ba, "application/offset+octet-stream"_ba } };
        QTest::addRow("no Upload-Offset") << base << "abc"_ba << 400;
        QTest::addRow("Upload-Offset not a number")
            << base + Headers { { "Upload-Offset"_ba, "zero"_ba } } << "abc"_ba << 400;
        QTest::addRow("negative Upload-Offset")
            << base + Headers { { "Upload-Offset"_ba, "-1"_ba } } << "abc"_ba << 400;
        QTest::addRow("Upload-Length not a number")
            << base + Headers { { "Upload-Offset"_ba, "0"_ba }, { "Upload-Length"_ba, "x"_ba } }
            << "abc"_ba << 400;
        QTest::addRow("body past Upload-Length")
            << base + Headers { { "Upload-Offset"_ba, "0"_ba }, { "Upload-Length"_ba, "2"_ba } }
            << "abc"_ba << 400;
        QTest::addRow("Upload-Length over the limit")
            << base + Headers { { "Upload-Offset"_ba, "0"_ba }, { "Upload-Length"_ba, "5001"_ba } }
            << "abc"_ba << 413;
        QTest::addRow("deferred body over the limit")
            << base + Headers { { "Upload-Offset"_ba, "0"_ba } } << content(5001) << 413;
    }
    void tusErrors()
    {
        QFETCH(Headers, headers);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QVERIFY(restartWith(Protocol::Tus, 5000));
        const Created c = createMedia();
        const Reply r = send(*m_nam, "PATCH", c.uploadUrl, body, headers);
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("Tus-Resumable"), "1.0.0"_ba);
        QCOMPARE(stored(c.id), 0);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"total"_s).toInteger(), -1);
    }

    void tusLengthCannotChange()
    {
        QVERIFY(restartWith(Protocol::Tus));
        const Created c = createMedia();
        QCOMPARE(send(*m_nam, "PATCH", c.uploadUrl, "abc"_ba, tusHeaders(0, 10)).status, 204);
        const Reply r = send(*m_nam, "PATCH", c.uploadUrl, "def"_ba, tusHeaders(3, 20));
        QCOMPARE(r.status, 400);
        QCOMPARE(m_server->mediaContent(c.id), "abc"_ba);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"total"_s).toInteger(), 10);
    }

    void options_data()
    {
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<qint64>("maxUploadSize");
        QTest::addColumn<QByteArray>("allow");
        QTest::addColumn<bool>("tus");
        QTest::addRow("tus") << Protocol::Tus << qint64(0) << "PATCH, HEAD, OPTIONS"_ba << true;
        QTest::addRow("tus, max size")
            << Protocol::Tus << qint64(12345) << "PATCH, HEAD, OPTIONS"_ba << true;
        QTest::addRow("content-range")
            << Protocol::ContentRange << qint64(0) << "PUT, OPTIONS"_ba << false;
        QTest::addRow("put") << Protocol::Put << qint64(0) << "PUT, OPTIONS"_ba << false;
    }
    void options()
    {
        QFETCH(Protocol, protocol);
        QFETCH(qint64, maxUploadSize);
        QFETCH(QByteArray, allow);
        QFETCH(bool, tus);
        QVERIFY(restartWith(protocol, maxUploadSize));
        const Created c = createMedia();
        // The probe of protocol.md 4.2: OPTIONS only, without any tus header.
        const Reply r = send(*m_nam, "OPTIONS", c.uploadUrl);
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Allow"), allow);
        QCOMPARE(r.hasHeader("Tus-Version"), tus);
        if (tus) {
            QCOMPARE(r.header("Tus-Version"), "1.0.0"_ba);
            QCOMPARE(r.header("Tus-Resumable"), "1.0.0"_ba);
            QCOMPARE(r.header("Tus-Extension"), "creation-defer-length"_ba);
            QCOMPARE(r.header("Tus-Max-Size"),
                maxUploadSize ? QByteArray::number(maxUploadSize) : QByteArray());
        }
        QCOMPARE(stored(c.id), 0);
        QCOMPARE(state(c.id), u"pending"_s);
    }

    // -- signatures, dead URLs -------------------------------------------------------------------

    void signatures_data()
    {
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<QString>("change");
        QTest::addColumn<QByteArray>("method");
        QTest::addRow("tampered signature") << Protocol::Put << u"tamper"_s << "PUT"_ba;
        QTest::addRow("signature upper-case") << Protocol::Put << u"upper"_s << "PUT"_ba;
        QTest::addRow("signature cut short") << Protocol::Put << u"short"_s << "PUT"_ba;
        QTest::addRow("no signature") << Protocol::Put << u"nosig"_s << "PUT"_ba;
        QTest::addRow("no expiry") << Protocol::Put << u"noexp"_s << "PUT"_ba;
        QTest::addRow("expiry moved later") << Protocol::Put << u"later"_s << "PUT"_ba;
        QTest::addRow("expiry not a number") << Protocol::Put << u"expword"_s << "PUT"_ba;
        QTest::addRow("expired") << Protocol::Put << u"expired"_s << "PUT"_ba;
        QTest::addRow("other media ID") << Protocol::Put << u"otherid"_s << "PUT"_ba;
        QTest::addRow("put URL, POST") << Protocol::Put << QString() << "POST"_ba;
        QTest::addRow("put URL, PATCH") << Protocol::Put << QString() << "PATCH"_ba;
        QTest::addRow("content-range URL, POST")
            << Protocol::ContentRange << QString() << "POST"_ba;
        QTest::addRow("content-range URL, HEAD")
            << Protocol::ContentRange << QString() << "HEAD"_ba;
        QTest::addRow("tus URL, PUT") << Protocol::Tus << QString() << "PUT"_ba;
        QTest::addRow("tus URL, tampered") << Protocol::Tus << u"tamper"_s << "PATCH"_ba;
        QTest::addRow("tus URL, other media ID") << Protocol::Tus << u"otherid"_s << "PATCH"_ba;
    }
    void signatures()
    {
        QFETCH(Protocol, protocol);
        QFETCH(QString, change);
        QFETCH(QByteArray, method);
        QVERIFY(restartWith(protocol));
        if (change == u"expired"_s)
            QVERIFY(m_server->addFault({ { u"upload_url_expires_in_ms"_s, 0 } }));
        const Created c = createMedia();
        const Created other = createMedia();
        QUrl target = c.uploadUrl;
        const QString sig = QUrlQuery(target).queryItemValue(u"sig"_s);
        const QString exp = QUrlQuery(target).queryItemValue(u"exp"_s);
        if (change == u"tamper"_s) {
            QString broken = sig;
            broken[10] = broken[10] == u'0' ? u'1' : u'0';
            target = withQueryItem(target, u"sig"_s, broken);
        } else if (change == u"upper"_s) {
            target = withQueryItem(target, u"sig"_s, sig.toUpper());
        } else if (change == u"short"_s) {
            target = withQueryItem(target, u"sig"_s, sig.left(63));
        } else if (change == u"nosig"_s) {
            target = withQueryItem(target, u"sig"_s, QString());
        } else if (change == u"noexp"_s) {
            target = withQueryItem(target, u"exp"_s, QString());
        } else if (change == u"later"_s) {
            target = withQueryItem(target, u"exp"_s, QString::number(exp.toLongLong() + 1));
        } else if (change == u"expword"_s) {
            target = withQueryItem(target, u"exp"_s, u"never"_s);
        } else if (change == u"otherid"_s) {
            // c's exp and sig on other's path.
            target.setPath(other.uploadUrl.path());
        }
        Headers headers;
        QByteArray body = "data"_ba;
        if (protocol == Protocol::Tus) {
            headers = tusHeaders(0, 4);
        } else if (method == "HEAD") {
            body.clear();
        }
        const Reply r = send(*m_nam, method, target, body, headers);
        QCOMPARE(r.status, 403);
        if (method != "HEAD")
            QCOMPARE(r.errcode(), u"M_FORBIDDEN"_s);
        QCOMPARE(stored(c.id), 0);
        QCOMPARE(stored(other.id), 0);
        QCOMPARE(state(c.id), u"pending"_s);
        QCOMPARE(state(other.id), u"pending"_s);
        if (change == u"expired"_s) {
            QVERIFY(r.json.value(u"error"_s).toString().contains(u"expired"_s));
        } else {
            // The real URL still works.
            const QByteArray realMethod = c.json.value(u"upload_method"_s).toString().toLatin1();
            const Headers realHeaders = protocol == Protocol::Tus ? tusHeaders(0, 4)
                : protocol == Protocol::ContentRange
                ? Headers { { "Content-Range"_ba, "bytes 0-3/4"_ba } }
                : Headers();
            const Reply real = send(*m_nam, realMethod, c.uploadUrl, "data"_ba, realHeaders);
            QVERIFY2(
                real.status == 200 || real.status == 204, qPrintable(QString::number(real.status)));
            QCOMPARE(m_server->mediaContent(c.id), "data"_ba);
        }
    }

    void unknownUploadUrl_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addRow("never created") << u"/_upload/neverCreatedId"_s;
        QTest::addRow("bad characters") << u"/_upload/a.b"_s;
        QTest::addRow("too long") << u"/_upload/"_s + QString(300, u'a');
        QTest::addRow("created without a URL") << u"/_upload/NOURL"_s;
    }
    void unknownUploadUrl()
    {
        QFETCH(QString, path);
        MediaTestServerConfig config = defaultConfig();
        config.uploadUrlProtocol = Protocol::None;
        QVERIFY(restart(config));
        const Created noUrl = createMedia();
        QVERIFY(!noUrl.json.contains(u"upload_url"_s));
        path.replace(u"NOURL"_s, noUrl.id);
        const Reply r = send(*m_nam, "PUT",
            endpoint(m_server->baseUrl(), path, u"exp=99999999999999&sig=00"_s), "data"_ba);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        QCOMPARE(stored(noUrl.id), 0);
    }

    void expiredUploadUrl_data()
    {
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("put") << Protocol::Put << "PUT"_ba << Headers() << "data"_ba;
        QTest::addRow("content-range chunk")
            << Protocol::ContentRange << "PUT"_ba
            << Headers { { "Content-Range"_ba, "bytes 0-3/4"_ba } } << "data"_ba;
        QTest::addRow("content-range status query")
            << Protocol::ContentRange << "PUT"_ba
            << Headers { { "Content-Range"_ba, "bytes */4"_ba } } << QByteArray();
        QTest::addRow("tus PATCH") << Protocol::Tus << "PATCH"_ba << tusHeaders(0, 4) << "data"_ba;
        QTest::addRow("tus HEAD") << Protocol::Tus << "HEAD"_ba
                                  << Headers { { "Tus-Resumable"_ba, "1.0.0"_ba } } << QByteArray();
    }
    void expiredUploadUrl()
    {
        QFETCH(Protocol, protocol);
        QFETCH(QByteArray, method);
        QFETCH(Headers, headers);
        QFETCH(QByteArray, body);
        QVERIFY(restartWith(protocol));
        const Created c = createMedia();
        QVERIFY(m_server->expireMedia(c.uri));
        const Reply r = send(*m_nam, method, c.uploadUrl, body, headers);
        QCOMPARE(r.status, 410);
        if (method != "HEAD")
            QCOMPARE(r.errcode(), u"M_NOT_FOUND"_s);
        QCOMPARE(stored(c.id), 0);
    }

    void idTakesContentOnce_data()
    {
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<bool>("firstViaUrl");
        QTest::addColumn<bool>("secondViaUrl");
        for (const auto &[name, protocol] : { std::pair { "put", Protocol::Put },
                 std::pair { "content-range", Protocol::ContentRange },
                 std::pair { "tus", Protocol::Tus } }) {
            QTest::addRow("%s: URL, then URL", name) << protocol << true << true;
            QTest::addRow("%s: URL, then MSC2246 PUT", name) << protocol << true << false;
            QTest::addRow("%s: MSC2246 PUT, then URL", name) << protocol << false << true;
        }
        QTest::addRow("MSC2246 PUT twice") << Protocol::None << false << false;
    }
    void idTakesContentOnce()
    {
        QFETCH(Protocol, protocol);
        QFETCH(bool, firstViaUrl);
        QFETCH(bool, secondViaUrl);
        QVERIFY(restartWith(protocol));
        const Created c = createMedia();
        auto viaUrl = [&](const QByteArray &bytes) {
            if (protocol == Protocol::Put)
                return send(*m_nam, "PUT", c.uploadUrl, bytes);
            if (protocol == Protocol::ContentRange)
                return putRange(*m_nam, c.uploadUrl, 0, bytes, bytes.size());
            return send(*m_nam, "PATCH", c.uploadUrl, bytes, tusHeaders(0, bytes.size()));
        };
        const QByteArray first = content(500, 1);
        const Reply r1 = firstViaUrl ? viaUrl(first) : asyncPut(c.id, first);
        QVERIFY2(r1.status == 200 || r1.status == 204, qPrintable(QString::number(r1.status)));
        QCOMPARE(state(c.id), u"complete"_s);

        const Reply r2 = secondViaUrl ? viaUrl(content(500, 2)) : asyncPut(c.id, content(500, 2));
        QCOMPARE(r2.status, 409);
        QCOMPARE(r2.errcode(), u"M_CANNOT_OVERWRITE_MEDIA"_s);
        QCOMPARE(m_server->mediaContent(c.id), first);
    }
    // -- the hash of an upload in pieces
    // -----------------------------------------------------------

    // The relay hashes each piece on from the upload's running hash as it streams in, and the
    // store takes that hash over only when the piece is stored whole where the hash left off.
    // Every other way a piece can go must still give the SHA-256 of the bytes held.
    void piecesHashedOnEveryPath_data()
    {
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<QString>("between");
        for (const auto &[name, protocol] : { std::pair { "content-range", Protocol::ContentRange },
                 std::pair { "tus", Protocol::Tus } }) {
            for (const char *between :
                { "nothing", "a refused piece", "a short piece", "a restart of the server" })
                QTest::addRow("%s, %s", name, between) << protocol << QString::fromLatin1(between);
        }
    }
    void piecesHashedOnEveryPath()
    {
        QFETCH(Protocol, protocol);
        QFETCH(QString, between);
        QVERIFY(restartWith(protocol));
        const Created c = createMedia();
        const QByteArray file = content(4 * chunk + 700, 3);
        auto piece = [&](qint64 from, qint64 length) {
            const QByteArray bytes = file.mid(from, length);
            const Reply r = protocol == Protocol::ContentRange
                ? putRange(*m_nam, c.uploadUrl, from, bytes, file.size())
                : send(*m_nam, "PATCH", c.uploadUrl, bytes, tusHeaders(from, file.size()));
            return r.status;
        };
        const int more = protocol == Protocol::ContentRange ? 308 : 204;
        QCOMPARE(piece(0, chunk), more);
        qint64 held = chunk;
        if (between == u"a refused piece"_s) {
            QVERIFY(piece(2 * chunk, chunk) >= 400); // past what the server holds
        } else if (between == u"a short piece"_s) {
            QVERIFY(m_server->addFault({ { u"short_range"_s, 1000 } }));
            QCOMPARE(piece(held, chunk), more);
            held = 2 * chunk - 1000;
            QCOMPARE(m_server->mediaInfo(c.id).value(u"stored"_s).toInteger(-1), held);
        } else if (between == u"a restart of the server"_s) {
            MediaTestServerConfig config = defaultConfig();
            config.uploadUrlProtocol = protocol;
            config.dataDir = dataDir();
            config.port = m_server->port();
            QVERIFY2(restart(config), qPrintable(m_server->errorString()));
        }
        QCOMPARE(piece(held, chunk), more);
        held += chunk;
        const int last = piece(held, file.size() - held);
        QCOMPARE(last, protocol == Protocol::ContentRange ? 200 : 204);
        QCOMPARE(m_server->mediaContent(c.id), file);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"sha256"_s).toString(), sha256Hex(file));
    }

    // A piece that starts where the held bytes end is written straight into the upload's bytes
    // file (docs/testserver.md). A second piece for the same place, while the first streams,
    // must not end up under the first one's late bytes; a piece cut short must not keep the
    // place taken.
    void aPieceWrittenInPlaceNeverOverwritesAnother_data()
    {
        QTest::addColumn<Protocol>("protocol");
        QTest::addColumn<QString>("meanwhile");
        for (const auto &[name, protocol] : { std::pair { "content-range", Protocol::ContentRange },
                 std::pair { "tus", Protocol::Tus } }) {
            for (const char *meanwhile :
                { "another piece", "the first piece cut", "a fallback upload of the whole file" })
                QTest::addRow("%s, %s", name, meanwhile)
                    << protocol << QString::fromLatin1(meanwhile);
        }
    }
    void aPieceWrittenInPlaceNeverOverwritesAnother()
    {
        QFETCH(Protocol, protocol);
        QFETCH(QString, meanwhile);
        const bool cut = meanwhile == u"the first piece cut"_s;
        const bool fallback = meanwhile.startsWith(u"a fallback"_s);
        QVERIFY(restartWith(protocol));
        const Created c = createMedia();
        const QByteArray file = content(3 * chunk, 5);
        const bool tus = protocol == Protocol::Tus;
        auto piece = [&](qint64 from, qint64 length) {
            return sendPiece(c.uploadUrl, tus, from, file.mid(from, length), file.size());
        };
        const int more = tus ? 204 : 308;
        auto last = [&](const QString &field) { return lastRecord(c.uploadUrl).value(field); };
        QCOMPARE(piece(0, chunk), more);

        // Other bytes for the second place, half of them sent.
        const QByteArray other = content(chunk, 6);
        QVERIFY(other != file.mid(chunk, chunk));
        const QByteArray request = rawPiece(c.uploadUrl, tus, chunk, other, file.size());
        const qint64 half = request.size() - chunk / 2;
        RawClient first(m_server->port());
        QVERIFY(first.waitConnected());
        first.write(request.left(half));
        QTRY_COMPARE(last(u"body_size"_s).toInteger(), chunk / 2);
        QCOMPARE(last(u"body_to"_s).toString(), u"direct"_s);
        if (cut) {
            first.close();
            QTRY_VERIFY(last(u"dropped"_s).toBool());
        }

        if (fallback) {
            // The homeserver upload to the same media ID (MSC2246) replaces whatever the upload
            // URL received; the first piece's rest then finds the upload complete.
            QCOMPARE(send(*m_nam, "PUT", url(u"/_matrix/media/v3/upload/localhost/"_s + c.id), file,
                         auth())
                         .status,
                200);
            first.write(request.mid(half));
            QCOMPARE(first.readResponse().status, 409);
            QCOMPARE(m_server->mediaContent(c.id), file);
            QCOMPARE(m_server->mediaInfo(c.id).value(u"sha256"_s).toString(), sha256Hex(file));
            return;
        }
        // The right bytes for the same place, while the first piece holds it (or after its cut).
        QCOMPARE(piece(chunk, chunk), more);
        QCOMPARE(last(u"body_to"_s).toString(), cut ? u"direct"_s : u"spool"_s);
        if (!cut) {
            // The first piece's rest arrives: too late, refused, and none of it lands.
            first.write(request.mid(half));
            const RawReply refused = first.readResponse();
            QCOMPARE(refused.status, tus ? 409 : 400);
        }
        QCOMPARE(m_server->mediaInfo(c.id).value(u"stored"_s).toInteger(-1), 2 * chunk);
        QCOMPARE(piece(2 * chunk, chunk), tus ? 204 : 200);
        QCOMPARE(last(u"body_to"_s).toString(), u"direct"_s); // no grant left behind
        QCOMPARE(m_server->mediaContent(c.id), file);
        QCOMPARE(m_server->mediaInfo(c.id).value(u"sha256"_s).toString(), sha256Hex(file));
    }

    void aPieceWithABadSignatureIsNotWrittenInPlace()
    {
        // Refused for its signature, its body would otherwise still have held the upload's one
        // grant while it streamed, and written into the upload's file.
        QVERIFY(restartWith(Protocol::ContentRange));
        const Created c = createMedia();
        const QByteArray file = content(3 * chunk, 7);
        QCOMPARE(sendPiece(c.uploadUrl, false, 0, file.left(chunk), file.size()), 308);
        QCOMPARE(rawExchange(m_server->port(),
                     rawPiece(withTamperedSignature(c.uploadUrl), false, chunk, content(chunk, 8),
                         file.size()))
                     .status,
            403);
        QCOMPARE(lastRecord(c.uploadUrl).value(u"body_to"_s).toString(), u"spool"_s);
        QCOMPARE(sendPiece(c.uploadUrl, false, chunk, file.mid(chunk), file.size()), 200);
        QCOMPARE(lastRecord(c.uploadUrl).value(u"body_to"_s).toString(), u"direct"_s);
        QCOMPARE(m_server->mediaContent(c.id), file);
    }

private:
    //! One content-range chunk or tus PATCH of \a bytes at \a from: the answer's status.
    int sendPiece(const QUrl &url, bool tus, qint64 from, const QByteArray &bytes, qint64 total)
    {
        return (tus ? send(*m_nam, "PATCH", url, bytes, tusHeaders(from, total))
                    : putRange(*m_nam, url, from, bytes, total))
            .status;
    }
    //! The same piece as raw request bytes, to be sent in parts.
    static QByteArray rawPiece(
        const QUrl &url, bool tus, qint64 from, const QByteArray &bytes, qint64 total)
    {
        QByteArray headers;
        if (tus) {
            for (const auto &[name, value] : tusHeaders(from, total))
                headers += name + ": " + value + "\r\n";
        } else {
            headers = "Content-Range: "_ba + contentRange(from, bytes.size(), total) + "\r\n"_ba;
        }
        return rawUpload(tus ? "PATCH"_ba : "PUT"_ba, url, bytes, headers);
    }
    //! The request log's last record of a request to \a url's path.
    QJsonObject lastRecord(const QUrl &url) const
    {
        return recordsFor(m_server->requests(), url.path()).last().toObject();
    }
};

QTEST_GUILESS_MAIN(tst_UploadUrls)
#include "tst_uploadurls.moc"
