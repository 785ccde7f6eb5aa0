// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: upload URLs that point at a real third-party server (a
// plain PUT origin such as nginx, a tus server, an S3 store) instead of at this server. The
// create, complete and download handlers talk to the peer only through this interface.
#pragma once

#include "mediatestserver.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkReply;

namespace MatrixUpload {

class ExternalTarget
{
public:
    using Config = MediaTestServerConfig::ExternalTarget;

    //! What create hands out for one media ID.
    struct Upload
    {
        QUrl uploadUrl; //!< for the client: may be presigned (a credential) or tampered with
        QUrl location; //!< where the object lives, unsigned; the server keeps it in the record
        QString error; //!< non-empty: the peer refused, nothing to hand out
    };
    //! What the peer holds at a location.
    struct Object
    {
        qint64 size = -1;
        QString sha256; //!< hex
        QString contentType;
        QString error; //!< non-empty: no complete object there
    };

    //! The target for \a config, or nullptr for Kind::None.
    static std::unique_ptr<ExternalTarget> make(const Config &config);
    virtual ~ExternalTarget();

    //! The record's `via` once the bytes arrived at the peer: put-endpoint, tus-endpoint or s3.
    virtual QString via() const = 0;
    //! `upload_protocol` and `upload_method` of the URLs handed out.
    virtual QString protocol() const = 0;
    QByteArray method() const;

    //! Makes a place on the peer for media \a id. The URL handed out should stop working at
    //! \a urlExpiresMs (only S3 URLs carry an expiry the peer enforces); \a tamper gives a URL
    //! the peer refuses. \a done runs later, from the event loop, never inside this call.
    virtual void create(
        const QString &id, qint64 urlExpiresMs, bool tamper, std::function<void(Upload)> done)
        = 0;
    //! Bytes of the object as the GET of inspect() streams them; false stops the GET.
    using Sink = std::function<bool(const QByteArray &)>;
    //! Whether the peer holds a complete object at \a location: its size (HEAD) and its
    //! SHA-256 (a streamed GET, never held in memory; each piece also goes to \a sink when
    //! given).
    virtual void inspect(const QUrl &location, Sink sink, std::function<void(Object)> done) = 0;
    //! Whether the server keeps a copy of the bytes (fetched by inspect()) and serves downloads
    //! itself instead of redirecting them to downloadUrl().
    virtual bool keepsCopy() const { return false; }
    //! Where a download of the object is redirected to.
    virtual QUrl downloadUrl(const QUrl &location) const = 0;

protected:
    explicit ExternalTarget(const Config &config);

    //! A request that carries nothing but what the caller adds: no cookies, no cache, no
    //! redirects, and never the Matrix access token (the server has none to give).
    QNetworkRequest request(const QUrl &url) const;
    //! Runs \a done with the reply once it finished; the reply is deleted afterwards.
    void whenFinished(QNetworkReply *reply, std::function<void(QNetworkReply *)> done);
    //! "HTTP 403 SignatureDoesNotMatch" or the network error, with query strings redacted.
    static QString describe(QNetworkReply *reply);
    //! GETs \a get and hashes the body as it streams in; \a size (from a HEAD) must match.
    void hashObject(qint64 size, const QString &contentType, const QNetworkRequest &get, Sink sink,
        std::function<void(Object)> done);

    Config m_config;
    QNetworkAccessManager m_nam; //!< also the context of every callback: gone with the target
};

} // namespace MatrixUpload
