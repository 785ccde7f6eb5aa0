// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The test fixture library's base, shared by every test that talks to the test server (Core,
// Widgets, QML, the apps, the CLI, the test server's own tests): the test bytes, the tokens and
// cookie the tests use, and the wire check every upload test ends with. Qt only, so that tests
// which do not link Core use it too. uploadbench.h (upload tests) and testserverbench.h (the
// test server's own tests) build on it.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QUrl>

namespace MatrixUpload::Testing {

//! The access token the upload tests' servers accept (user alice).
inline constexpr char testToken[] = "TOKEN";

//! The value of the cookie the upload tests store for the homeserver's host and the upload host.
inline constexpr char secretCookieValue[] = "COOKIE-SECRET-4711";

//! \a size bytes of a pattern that differs per \a seed and shows misplaced ranges.
inline QByteArray content(qint64 size, int seed = 1)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        data[i] = char((i * 131 + seed * 17) ^ (i >> 9));
    return data;
}

//! docs/protocol.md 4.1: what of a secret reached an upload URL in \a requests (the test
//! server's request record, MediaTestServer::requests()), or an empty string when nothing did.
//! Looked at: every request whose path starts with \a uploadPrefix; in it the path, the query
//! and every header value (an Authorization or a Cookie header is a leak whatever it holds).
//! The secrets: each of \a tokens and every token the record shows in an `Authorization:
//! Bearer` header (so tokens from a login or a refresh count without the test naming them), as
//! they are and percent-encoded, and secretCookieValue. A token shorter than 5 characters (the
//! test server's BOB) is not looked for: it would turn up by chance in random media IDs.
inline QString secretInUploadRequests(const QJsonArray &requests, const QStringList &tokens,
    const QString &uploadPrefix = QStringLiteral("/_upload/"))
{
    QStringList allTokens = tokens;
    for (const QJsonValue &v : requests) {
        const QString authorization = v.toObject()
                                          .value(QStringLiteral("headers"))
                                          .toObject()
                                          .value(QStringLiteral("authorization"))
                                          .toString();
        if (authorization.startsWith(QStringLiteral("Bearer "), Qt::CaseInsensitive))
            allTokens.append(authorization.mid(7).trimmed());
    }
    QList<QByteArray> secrets { QByteArray(secretCookieValue) };
    for (const QString &token : std::as_const(allTokens)) {
        if (token.size() >= 5)
            secrets << token.toUtf8() << QUrl::toPercentEncoding(token);
    }
    for (const QJsonValue &v : requests) {
        const QJsonObject r = v.toObject();
        const QString path = r.value(QStringLiteral("path")).toString();
        if (!path.startsWith(uploadPrefix))
            continue;
        const QString what
            = r.value(QStringLiteral("method")).toString() + u' ' + path + QStringLiteral(": ");
        const QJsonObject h = r.value(QStringLiteral("headers")).toObject();
        if (h.contains(QStringLiteral("authorization")))
            return what + QStringLiteral("an Authorization header");
        if (h.contains(QStringLiteral("cookie")))
            return what + QStringLiteral("a Cookie header");
        QList<QPair<QString, QString>> places {
            { QStringLiteral("the path"), path },
            { QStringLiteral("the query"), r.value(QStringLiteral("query")).toString() },
        };
        for (auto it = h.begin(); it != h.end(); ++it)
            places.append({ QStringLiteral("the header ") + it.key(), it.value().toString() });
        for (const auto &[place, text] : std::as_const(places)) {
            for (const QByteArray &secret : std::as_const(secrets)) {
                if (text.toUtf8().contains(secret))
                    return what + QStringLiteral("a secret in ") + place;
            }
        }
    }
    return {};
}

//! Fails the running test when one of \a tokens or the secret cookie reached an upload URL in
//! \a requests. Every upload test's cleanup() calls it (UploadBench::finishUploadTest() for the
//! in-process ones).
inline void verifyNothingSecretReachedUploadUrls(
    const QJsonArray &requests, const QStringList &tokens)
{
    const QString leak = secretInUploadRequests(requests, tokens);
    QVERIFY2(leak.isEmpty(), qPrintable(leak));
}

//! The files under \a folder (hidden ones and those in subfolders too) that hold one of
//! \a needles, by path: where a secret was written in clear. \a filesRead (if given) counts the
//! files that could be read, so that a test can tell an empty search from a clean one.
inline QStringList filesContaining(
    const QString &folder, const QList<QByteArray> &needles, int *filesRead = nullptr)
{
    QStringList found;
    int read = 0;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        ++read;
        const QByteArray bytes = f.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle)) {
                found.append(f.fileName());
                break;
            }
        }
    }
    if (filesRead)
        *filesRead = read;
    return found;
}

} // namespace MatrixUpload::Testing
