// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "faultplan_p.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
const QStringList routeClasses { u"upload_url"_s, u"create"_s, u"upload"_s, u"complete"_s,
    u"download"_s, u"send"_s, u"state"_s, u"any"_s };

//! Whether a request path (as it arrived, percent-encoded) is a send or redact of an event:
//! the relay knows paths, not route classes, and drop_answer {"route": "send"} names them.
bool isSendPath(const QByteArray &path)
{
    static const QRegularExpression re(u"^/_matrix/client/v3/rooms/[^/]+/(send|redact)/"_s);
    return re.match(QString::fromLatin1(path)).hasMatch();
}

bool isNonNegativeInt(const QJsonValue &v)
{
    // Range first: a double outside qint64's range cannot be converted (undefined behaviour).
    return v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 9007199254740992.0
        && v.toDouble() == double(qint64(v.toDouble()));
}

const QString byteCount = u"a byte count"_s;
const QString milliseconds = u"a number of milliseconds"_s;
constexpr bool Optional = true;

//! Why \a key of \a fault is no count (\a what, such as "a byte count"); empty when it is one,
//! or when it is \a optional and absent.
QString countProblem(
    const QJsonObject &fault, const QString &key, const QString &what, bool optional = false)
{
    if ((optional && !fault.contains(key)) || isNonNegativeInt(fault.value(key)))
        return {};
    return u"\"%1\" must be %2"_s.arg(key, what);
}

//! Why \a key of \a fault is not `true`; empty when it is.
QString trueProblem(const QJsonObject &fault, const QString &key)
{
    return fault.value(key) == QJsonValue(true) ? QString() : u"\"%1\" must be true"_s.arg(key);
}

//! Why the optional `path_prefix` of \a fault is no string; empty when it is one or absent.
QString prefixProblem(const QJsonObject &fault)
{
    return !fault.contains(u"path_prefix"_s) || fault.value(u"path_prefix"_s).isString()
        ? QString()
        : u"\"path_prefix\" must be a string"_s;
}

//! The first of \a problems that is not empty (each a check's answer, in order).
QString firstProblem(std::initializer_list<QString> problems)
{
    for (const QString &p : problems) {
        if (!p.isEmpty())
            return p;
    }
    return {};
}
} // namespace

QString FaultPlan::help()
{
    return uR"(Faults (POST /_test/faults with one JSON object, or an array of them; DELETE clears):
  {"drop_after_bytes": N, "times": K, "path_prefix": "/_upload/"}
      cut the connection after N body bytes of the next K requests (to upload URLs by default)
      whose body is longer than N
  {"drop_answer": true, "times": K, "path_prefix": "/_upload/", "min_body": N}
      let the next K requests under the prefix arrive and be handled, then cut the connection
      before the answer (a lost answer: the client cannot know the server stored the bytes);
      with "route": "send" instead of path_prefix, the next K sends and redacts of events;
      with min_body, only requests whose body has at least N bytes (not a status query)
  {"hold_answer": true, "times": K, "path_prefix": "/_upload/", "min_body": N}
      let the next K requests under the prefix (with min_body: whose body has at least N
      bytes) arrive and be handled, then never forward the answer, keeping the connection
      open and silent: a stall after the server did the work, which the client sees as its
      inactivity timeout (unlike a cut connection, which QtNetwork answers by sending the
      request again by itself)
  {"cut_after_bytes": N, "times": K, "path_prefix": "/_matrix/media/v1/create"}
      let the next K requests under the prefix (every path without one) be handled, then
      forward only the first N bytes of the answer (its head included) and cut the connection:
      a short answer, which the client must not take for a whole one
  {"hold_request": true, "times": K, "path_prefix": "/_matrix/media/v3/upload"}
      hold the next K requests (under the prefix, when one is given) back before they reach
      the server, until the test releases them (POST /_test/release, or
      MediaTestServer::releaseHeldRequests()); the client sees a slow server, the test decides
      when it answers instead of a latency guessed long enough
  {"status": 503, "retry_after": S, "errcode": "M_UNKNOWN", "route": "upload_url", "times": K}
      answer the next K requests of a route class (upload_url, create, upload, complete,
      download, send, state, any) with this status, the Matrix error JSON and, with
      retry_after, Retry-After and retry_after_ms; {"status": 429, "route": "create",
      "retry_after": 3600} is a long 429; "send" is PUT .../rooms/ROOM/send/... and
      .../redact/... (the event is not recorded); "state" is GET .../rooms/ROOM/state/...
  {"short_range": N, "times": K}
      persist N bytes fewer than the next K content-range chunks or tus PATCHes carried
  {"latency_ms": N, "times": K, "path_prefix": "/_matrix/media/v1/create"}
      delay the next K requests (every request without times), only those under the prefix
      when one is given; a delay past the client's inactivity timeout is a stalled request
      (the server never sees it: the client gives up before it is forwarded)
  {"bandwidth": B}                cap request bodies at B bytes per second (0 removes it)
  {"tamper_upload_url": true, "times": K}
      hand out upload URLs with a broken signature on the next K creates
  {"tamper_download": true, "times": K}
      flip the first byte of the next K downloads answered with stored bytes (a server
      copy that differs: what verification after upload must catch)
  {"misreport_sha256": true, "times": K}
      the next K content-range answers that say an upload is complete name the SHA-256 of
      other bytes (a host whose copy differs from what was sent: what the client's check of
      the host's hash must catch)
  {"upload_url_expires_in_ms": N, "times": K}
      the next K creates hand out upload URLs that expire after N ms (the ID lives on)
  {"create_completed": "MEDIA_ID" | "mxc://SERVER/MEDIA_ID", "times": K}
      answer the next K creates as a server that has the content already (Beeper's create
      extension): that complete ID's content_uri and com.beeper.completed_at, no upload URL
  {"expire": "MEDIA_ID" | "mxc://SERVER/MEDIA_ID" | "*"}
      expire an ID now (or every pending one): its upload URL and PUT answer as for a dead ID
  {"expire_token": "ACCESS_TOKEN" | "*"}
      expire an access token now (or every one): requests with it answer 401 M_UNKNOWN_TOKEN
      with soft_logout true, as after --token-lifetime-ms
GET /_test/faults lists the active faults; GET /_test/requests lists the requests seen (method,
path, query, headers, body_size, status, dropped, body_to); DELETE /_test/requests forgets them.
GET /_test/events lists the events sent to rooms; DELETE /_test/events forgets them.
)"_s;
}

bool FaultPlan::add(const QJsonObject &fault, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    Entry entry;
    entry.spec = fault;
    const auto times = fault.value(u"times"_s);
    if (!times.isUndefined() && !(isNonNegativeInt(times) || times.toInt() == -1))
        return fail(u"\"times\" must be a count (or -1 for until cleared)"_s);

    // Each kind's checks: the first problem found (an empty string for none) refuses the fault.
    QString problem;
    if (fault.contains(u"drop_after_bytes"_s)) {
        problem = firstProblem(
            { countProblem(fault, u"drop_after_bytes"_s, byteCount), prefixProblem(fault) });
        entry.kind = u"drop"_s;
    } else if (fault.contains(u"drop_answer"_s)) {
        problem = firstProblem({ trueProblem(fault, u"drop_answer"_s), prefixProblem(fault),
            fault.contains(u"route"_s)
                    && (fault.value(u"route"_s) != QJsonValue(u"send"_s)
                        || fault.contains(u"path_prefix"_s))
                ? u"\"route\" of drop_answer must be \"send\", without path_prefix"_s
                : QString(),
            countProblem(fault, u"min_body"_s, byteCount, Optional) });
        entry.kind = u"drop_answer"_s;
    } else if (fault.contains(u"hold_answer"_s)) {
        problem = firstProblem({ trueProblem(fault, u"hold_answer"_s), prefixProblem(fault),
            countProblem(fault, u"min_body"_s, byteCount, Optional) });
        entry.kind = u"hold_answer"_s;
    } else if (fault.contains(u"cut_after_bytes"_s)) {
        problem = firstProblem(
            { countProblem(fault, u"cut_after_bytes"_s, byteCount), prefixProblem(fault) });
        entry.kind = u"cut_answer"_s;
    } else if (fault.contains(u"hold_request"_s)) {
        problem = firstProblem({ trueProblem(fault, u"hold_request"_s), prefixProblem(fault) });
        entry.kind = u"hold_request"_s;
    } else if (fault.contains(u"status"_s)) {
        const int status = fault.value(u"status"_s).toInt();
        const QString route = fault.value(u"route"_s).toString(u"upload_url"_s);
        problem = firstProblem(
            { status < 400 || status > 599 ? u"\"status\" must be an HTTP error status (400-599)"_s
                                           : QString(),
                routeClasses.contains(route)
                    ? QString()
                    : u"\"route\" must be one of "_s + routeClasses.join(u", "_s),
                countProblem(fault, u"retry_after"_s, u"a number of seconds"_s, Optional) });
        entry.kind = u"status"_s;
    } else if (fault.contains(u"short_range"_s)) {
        problem = countProblem(fault, u"short_range"_s, byteCount);
        entry.kind = u"short_range"_s;
    } else if (fault.contains(u"latency_ms"_s)) {
        problem = firstProblem(
            { countProblem(fault, u"latency_ms"_s, milliseconds), prefixProblem(fault) });
        entry.kind = u"latency"_s;
        if (times.isUndefined())
            entry.spec.insert(u"times"_s, -1);
    } else if (fault.contains(u"bandwidth"_s)) {
        if (const QString why = countProblem(fault, u"bandwidth"_s, u"bytes per second"_s);
            !why.isEmpty())
            return fail(why);
        // One cap at a time: the newest replaces the old one.
        m_entries.removeIf([](const Entry &e) { return e.kind == u"bandwidth"_s; });
        if (fault.value(u"bandwidth"_s).toInteger() == 0)
            return true;
        entry.kind = u"bandwidth"_s;
        entry.spec.insert(u"times"_s, -1);
    } else if (fault.contains(u"tamper_upload_url"_s)) {
        entry.kind = u"tamper"_s;
    } else if (fault.contains(u"tamper_download"_s)) {
        entry.kind = u"tamper_download"_s;
    } else if (fault.contains(u"misreport_sha256"_s)) {
        entry.kind = u"misreport_sha256"_s;
    } else if (fault.contains(u"upload_url_expires_in_ms"_s)) {
        problem = countProblem(fault, u"upload_url_expires_in_ms"_s, milliseconds);
        entry.kind = u"url_lifetime"_s;
    } else if (fault.contains(u"create_completed"_s)) {
        if (fault.value(u"create_completed"_s).toString().isEmpty())
            problem = u"\"create_completed\" must name a media ID"_s;
        entry.kind = u"create_completed"_s;
    } else {
        return fail(u"unknown fault; known: drop_after_bytes, drop_answer, cut_after_bytes, "
                    u"hold_answer, "
                    u"hold_request, status, "
                    u"short_range, "
                    u"latency_ms, "
                    "bandwidth, tamper_upload_url, tamper_download, misreport_sha256, "
                    "upload_url_expires_in_ms, "
                    "create_completed, expire, expire_token"_s);
    }
    if (!problem.isEmpty())
        return fail(problem);
    entry.timesLeft = int(entry.spec.value(u"times"_s).toInteger(1));
    if (entry.timesLeft == 0)
        return true;
    m_entries.append(entry);
    return true;
}

void FaultPlan::clear()
{
    m_entries.clear();
}

QJsonArray FaultPlan::describe() const
{
    QJsonArray out;
    for (const Entry &e : m_entries) {
        QJsonObject o = e.spec;
        o.insert(u"times_left"_s, e.timesLeft);
        out.append(o);
    }
    return out;
}

FaultPlan::Entry *FaultPlan::findUsable(
    const QString &kind, const std::function<bool(const Entry &)> &match)
{
    for (Entry &e : m_entries) {
        if (e.kind == kind && e.timesLeft != 0 && (!match || match(e)))
            return &e;
    }
    return nullptr;
}

void FaultPlan::consume(Entry *entry)
{
    if (entry->timesLeft > 0 && --entry->timesLeft == 0) {
        const auto it = std::find_if(
            m_entries.begin(), m_entries.end(), [entry](const Entry &e) { return &e == entry; });
        m_entries.erase(it);
    }
}

std::optional<QJsonObject> FaultPlan::take(
    const QString &kind, const std::function<bool(const Entry &)> &match)
{
    Entry *e = findUsable(kind, match);
    if (!e)
        return std::nullopt;
    const QJsonObject spec = e->spec;
    consume(e);
    return spec;
}

std::optional<QJsonObject> FaultPlan::takeForPath(const QString &kind, const QByteArray &path)
{
    return take(kind, [&](const Entry &x) {
        return path.startsWith(x.spec.value(u"path_prefix"_s).toString().toUtf8());
    });
}

qint64 FaultPlan::takeDropAfter(const QByteArray &path, qint64 contentLength)
{
    const auto spec = take(u"drop"_s, [&](const Entry &x) {
        const QByteArray prefix = x.spec.value(u"path_prefix"_s).toString(u"/_upload/"_s).toUtf8();
        return path.startsWith(prefix)
            && contentLength > x.spec.value(u"drop_after_bytes"_s).toInteger();
    });
    return spec ? spec->value(u"drop_after_bytes"_s).toInteger() : -1;
}

bool FaultPlan::takeDropAnswer(const QByteArray &path, qint64 contentLength)
{
    return take(u"drop_answer"_s, [&](const Entry &x) {
        if (contentLength < x.spec.value(u"min_body"_s).toInteger())
            return false;
        if (x.spec.contains(u"route"_s))
            return isSendPath(path);
        return path.startsWith(x.spec.value(u"path_prefix"_s).toString(u"/_upload/"_s).toUtf8());
    }).has_value();
}

bool FaultPlan::takeHoldAnswer(const QByteArray &path, qint64 contentLength)
{
    return take(u"hold_answer"_s, [&](const Entry &x) {
        return contentLength >= x.spec.value(u"min_body"_s).toInteger()
            && path.startsWith(x.spec.value(u"path_prefix"_s).toString(u"/_upload/"_s).toUtf8());
    }).has_value();
}

int FaultPlan::takeLatencyMs(const QByteArray &path)
{
    const auto spec = takeForPath(u"latency"_s, path);
    return spec ? spec->value(u"latency_ms"_s).toInt() : 0;
}

qint64 FaultPlan::takeCutAnswerAfter(const QByteArray &path)
{
    const auto spec = takeForPath(u"cut_answer"_s, path);
    return spec ? spec->value(u"cut_after_bytes"_s).toInteger() : -1;
}

bool FaultPlan::takeHoldRequest(const QByteArray &path)
{
    return takeForPath(u"hold_request"_s, path).has_value();
}

qint64 FaultPlan::bandwidth() const
{
    for (const Entry &e : m_entries) {
        if (e.kind == u"bandwidth"_s)
            return e.spec.value(u"bandwidth"_s).toInteger();
    }
    return 0;
}

std::optional<HttpFault> FaultPlan::takeHttpFault(const QString &routeClass)
{
    const auto spec = take(u"status"_s, [&](const Entry &x) {
        const QString route = x.spec.value(u"route"_s).toString(u"upload_url"_s);
        return route == routeClass || route == u"any"_s;
    });
    if (!spec)
        return std::nullopt;
    HttpFault f;
    f.status = spec->value(u"status"_s).toInt();
    f.retryAfterSeconds = spec->value(u"retry_after"_s).toInt(-1);
    f.errcode = spec->value(u"errcode"_s)
                    .toString(f.status == 429 ? u"M_LIMIT_EXCEEDED"_s : u"M_UNKNOWN"_s);
    return f;
}

qint64 FaultPlan::takeShortRange()
{
    const auto spec = take(u"short_range"_s);
    return spec ? spec->value(u"short_range"_s).toInteger() : 0;
}

bool FaultPlan::takeTamperDownload()
{
    return take(u"tamper_download"_s).has_value();
}

bool FaultPlan::takeMisreportSha256()
{
    return take(u"misreport_sha256"_s).has_value();
}

bool FaultPlan::takeTamperUploadUrl()
{
    return take(u"tamper"_s).has_value();
}

std::optional<qint64> FaultPlan::takeUploadUrlLifetime()
{
    const auto spec = take(u"url_lifetime"_s);
    if (!spec)
        return std::nullopt;
    return spec->value(u"upload_url_expires_in_ms"_s).toInteger();
}

QString FaultPlan::takeCreateCompleted()
{
    const auto spec = take(u"create_completed"_s);
    return spec ? spec->value(u"create_completed"_s).toString() : QString();
}

} // namespace MatrixUpload
