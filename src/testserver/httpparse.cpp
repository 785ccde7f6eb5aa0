// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "httpparse_p.h"

#include <QList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
bool allDigits(QByteArrayView s)
{
    return !s.isEmpty()
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

RequestHead refused(int status, const QByteArray &reason, const QString &error)
{
    RequestHead h;
    h.refuseStatus = status;
    h.reason = reason;
    h.error = error;
    return h;
}
} // namespace

std::optional<ContentRange> parseContentRange(const QByteArray &value)
{
    if (!value.startsWith("bytes "))
        return std::nullopt;
    const QByteArray spec = value.mid(6);
    const qsizetype slash = spec.indexOf('/');
    if (slash < 0)
        return std::nullopt;
    const QByteArray range = spec.left(slash);
    const QByteArray total = spec.mid(slash + 1);
    ContentRange cr;
    if (total != "*") {
        if (!allDigits(total) || total.size() > 18)
            return std::nullopt;
        cr.total = total.toLongLong();
    }
    if (range == "*") {
        if (cr.total < 0)
            return std::nullopt; // "bytes */*" says nothing
        return cr;
    }
    const qsizetype dash = range.indexOf('-');
    if (dash < 0)
        return std::nullopt;
    const QByteArray a = range.left(dash);
    const QByteArray b = range.mid(dash + 1);
    if (!allDigits(a) || !allDigits(b) || a.size() > 18 || b.size() > 18)
        return std::nullopt;
    cr.first = a.toLongLong();
    cr.last = b.toLongLong();
    if (cr.last < cr.first || (cr.total >= 0 && cr.last >= cr.total))
        return std::nullopt;
    return cr;
}

RequestHead parseRequestHead(const QByteArray &head, const QByteArray &droppedPrefix)
{
    const QByteArray dropped = droppedPrefix.toLower();
    const QList<QByteArray> lines = head.split('\n');
    const QByteArray first = lines.first().trimmed();
    if (first.contains('\r') || first.contains('\0'))
        return refused(400, "Bad Request", u"malformed request line"_s);
    const QList<QByteArray> requestLine = first.split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || !requestLine[2].startsWith("HTTP/1.")
        || !(requestLine[1].startsWith('/') || requestLine[1] == "*"))
        return refused(400, "Bad Request", u"malformed request line"_s);

    RequestHead h;
    h.method = requestLine[0];
    h.target = requestLine[1];
    h.forwarded = first + "\r\n";
    bool haveLength = false;
    // HTTP/1.1 closes on "Connection: close", HTTP/1.0 unless it asks for keep-alive.
    h.close = requestLine[2] == "HTTP/1.0";
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        // A CR that ends no line, or a NUL: RFC 9112 lets a server refuse them, and passing them
        // on would let a client split what QHttpServer reads (found by fuzz_relayhead).
        if (line.contains('\r') || line.contains('\0'))
            return refused(400, "Bad Request", u"control character in a header line"_s);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refused(400, "Bad Request", u"malformed header line"_s);
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        const QString key = QString::fromLatin1(name);
        const QString prior = h.headers.value(key).toString();
        h.headers.insert(key,
            prior.isEmpty() ? QString::fromLatin1(value)
                            : prior + u", "_s + QString::fromLatin1(value));
        if (name == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || !allDigits(value) || (haveLength && n != h.contentLength))
                return refused(400, "Bad Request", u"invalid Content-Length"_s);
            h.contentLength = n;
            haveLength = true;
        } else if (name == "transfer-encoding") {
            // protocol.md 4.1: an exact Content-Length, never chunked bodies.
            return refused(411, "Length Required",
                u"chunked request bodies are refused: send Content-Length"_s);
        } else if (name == "connection") {
            const QByteArray options = value.toLower();
            if (options.contains("close"))
                h.close = true;
            else if (options.contains("keep-alive"))
                h.close = false;
        } else if (name == "expect") {
            if (value.toLower() != "100-continue")
                return refused(417, "Expectation Failed", u"unsupported Expect"_s);
            h.expectContinue = true;
            continue; // answered by the relay; QHttpServer 6.4 would not
        } else if (!dropped.isEmpty() && name.startsWith(dropped)) {
            continue; // only the relay says when a request arrived and where its body is
        }
        h.forwarded += line + "\r\n";
    }
    return h;
}

} // namespace MatrixUpload
