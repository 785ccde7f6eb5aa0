// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the faults a test asked for, consumed by the relay
// (transport faults) and by the request handlers (HTTP faults).
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace MatrixUpload {

//! A fault answered by a handler instead of the real answer.
struct HttpFault
{
    int status = 503;
    QString errcode;
    int retryAfterSeconds = -1; //!< -1: no Retry-After
};

class FaultPlan
{
public:
    //! Adds one fault object (see MediaTestServer::faultHelp()). Returns false with a reason
    //! for an unknown name or a bad value; nothing is added then.
    bool add(const QJsonObject &fault, QString *error);
    void clear();
    QJsonArray describe() const;

    // Transport faults (the relay).
    //! Bytes after which to cut the next request to \a path that carries more than that many,
    //! or -1. Consumes one use.
    qint64 takeDropAfter(const QByteArray &path, qint64 contentLength);
    //! Whether to cut the connection instead of forwarding the answer to the next request to
    //! \a path (drop_answer; by prefix, or any send/redact path) with a body of
    //! \a contentLength bytes (min_body). Consumes one use.
    bool takeDropAnswer(const QByteArray &path, qint64 contentLength);
    //! Whether to keep the answer to the next request to \a path with a body of
    //! \a contentLength bytes from the client, on a connection left open and silent
    //! (hold_answer, min_body). Consumes one use.
    bool takeHoldAnswer(const QByteArray &path, qint64 contentLength);
    //! Added latency for the next request to \a path, in ms (0: none). Consumes one use.
    int takeLatencyMs(const QByteArray &path);
    //! How many bytes of the answer (head and body) to the next request to \a path to forward
    //! before the connection is cut (cut_after_bytes), or -1. Consumes one use.
    qint64 takeCutAnswerAfter(const QByteArray &path);
    //! Whether to hold the next request to \a path back until the test releases it
    //! (hold_request). Consumes one use.
    bool takeHoldRequest(const QByteArray &path);
    //! Cap on request body bytes per second, 0 for none.
    qint64 bandwidth() const;

    // HTTP faults (the handlers). routeClass is one of upload_url, create, upload, complete,
    // download, send.
    std::optional<HttpFault> takeHttpFault(const QString &routeClass);
    qint64 takeShortRange();
    bool takeTamperUploadUrl();
    //! Whether to flip the first byte of the next download answered from the store.
    bool takeTamperDownload();
    //! Whether the next content-range answer that says the upload is complete names the
    //! SHA-256 of other bytes (misreport_sha256).
    bool takeMisreportSha256();
    std::optional<qint64> takeUploadUrlLifetime();
    //! The media ID (or mxc:// URI) the next create answers as already complete
    //! (create_completed), or an empty string. Consumes one use.
    QString takeCreateCompleted();

    //! Names every fault with its meaning, for --help and error messages.
    static QString help();

private:
    struct Entry
    {
        QString kind; // drop, drop_answer, cut_answer, hold_answer, hold_request, status,
                      // short_range,
                      // latency, bandwidth, tamper, url_lifetime, create_completed
        QJsonObject spec;
        int timesLeft = 1; // -1: until cleared
    };
    Entry *findUsable(const QString &kind, const std::function<bool(const Entry &)> &match = {});
    void consume(Entry *entry);
    //! The first usable fault of \a kind (that \a match accepts), consumed: its spec.
    std::optional<QJsonObject> take(
        const QString &kind, const std::function<bool(const Entry &)> &match = {});
    //! The first usable fault of \a kind whose `path_prefix` starts \a path, consumed: its spec.
    std::optional<QJsonObject> takeForPath(const QString &kind, const QByteArray &path);

    QList<Entry> m_entries;
};

} // namespace MatrixUpload
