// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "externaltarget_p.h"

#include "s3signer_p.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
QString randomToken(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString s;
    for (int i = 0; i < length; ++i)
        s.append(
            QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))]));
    return s;
}

//! \a base with one more path segment.
QUrl child(const QUrl &base, const QString &name)
{
    QUrl url = base;
    QString path = base.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u'/' + name);
    url.setQuery(QString());
    return url;
}

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

//! Runs \a done from the event loop, never inside the caller.
template<typename T> void later(QObject *context, std::function<void(T)> done, T value)
{
    QTimer::singleShot(
        0, context, [done = std::move(done), value = std::move(value)] { done(value); });
}

// --- a plain PUT origin (nginx with dav_methods PUT) ------------------------------------------

class PutEndpoint final : public ExternalTarget
{
public:
    explicit PutEndpoint(const Config &config)
        : ExternalTarget(config)
    { }
    QString via() const override { return u"put-endpoint"_s; }
    QString protocol() const override { return u"put"_s; }

    void create(const QString &id, qint64, bool tamper, std::function<void(Upload)> done) override
    {
        // The media ID is public (it is in the mxc:// URI); the token makes the URL unguessable.
        Upload upload;
        upload.location = child(m_config.endpoint, id + u'.' + randomToken(32));
        upload.uploadUrl = upload.location;
        if (tamper) // a collection: nginx's dav module refuses a PUT to it with 409
            upload.uploadUrl.setPath(upload.location.path() + u'/');
        later(&m_nam, std::move(done), upload);
    }

    void inspect(const QUrl &location, Sink sink, std::function<void(Object)> done) override
    {
        QNetworkReply *head = m_nam.head(request(location));
        whenFinished(head, [this, location, sink, done](QNetworkReply *reply) {
            if (statusOf(reply) != 200)
                return done(
                    { -1, {}, {}, u"HEAD on the upload URL answered "_s + describe(reply) });
            const qint64 size = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
            hashObject(size, reply->header(QNetworkRequest::ContentTypeHeader).toString(),
                request(location), sink, done);
        });
    }

    QUrl downloadUrl(const QUrl &location) const override { return location; }
};

// --- a tus 1.0 server (@tus/server) ----------------------------------------------------------

class TusEndpoint final : public ExternalTarget
{
public:
    explicit TusEndpoint(const Config &config)
        : ExternalTarget(config)
    { }
    QString via() const override { return u"tus-endpoint"_s; }
    QString protocol() const override { return u"tus"_s; }

    void create(const QString &, qint64, bool tamper, std::function<void(Upload)> done) override
    {
        QNetworkRequest post = request(m_config.endpoint);
        post.setRawHeader("Tus-Resumable", "1.0.0");
        post.setRawHeader("Upload-Defer-Length", "1");
        post.setHeader(QNetworkRequest::ContentLengthHeader, 0);
        QNetworkReply *reply = m_nam.sendCustomRequest(post, "POST", QByteArray());
        whenFinished(reply, [this, tamper, done](QNetworkReply *r) {
            Upload upload;
            const QByteArray location = r->rawHeader("Location");
            if (statusOf(r) != 201 || location.isEmpty()) {
                upload.error = u"the tus server refused to create an upload: "_s + describe(r);
                return done(upload);
            }
            upload.location = m_config.endpoint.resolved(QUrl::fromEncoded(location));
            upload.uploadUrl = upload.location;
            if (tamper) // another upload ID: the tus server answers 404
                upload.uploadUrl.setPath(upload.location.path() + u"x"_s);
            done(upload);
        });
    }

    void inspect(const QUrl &location, Sink sink, std::function<void(Object)> done) override
    {
        QNetworkRequest head = request(location);
        head.setRawHeader("Tus-Resumable", "1.0.0");
        whenFinished(m_nam.head(head), [this, location, sink, done](QNetworkReply *reply) {
            if (statusOf(reply) != 200)
                return done(
                    { -1, {}, {}, u"HEAD on the tus upload answered "_s + describe(reply) });
            const QByteArray offset = reply->rawHeader("Upload-Offset");
            const QByteArray length = reply->rawHeader("Upload-Length");
            if (length.isEmpty() || offset != length)
                return done({ -1, {}, {},
                    u"the tus upload holds %1 of %2 bytes"_s.arg(QString::fromLatin1(offset),
                        length.isEmpty() ? u"a deferred length"_s : QString::fromLatin1(length)) });
            // @tus/server answers GET on a finished upload with its bytes.
            hashObject(length.toLongLong(), {}, request(location), sink, done);
        });
    }

    // @tus/server 2.4.5 on Node.js 22 can crash (ERR_INVALID_STATE "ReadableStream is already
    // closed") after serving a GET of a few MiB to a client that closes at once, as curl does:
    // fetch the bytes once at complete and serve downloads from here.
    bool keepsCopy() const override { return true; }
    QUrl downloadUrl(const QUrl &location) const override { return location; }
};

// --- S3 (Ceph RGW, AWS) -----------------------------------------------------------------------

class S3Endpoint final : public ExternalTarget
{
public:
    explicit S3Endpoint(const Config &config)
        : ExternalTarget(config)
    {
        m_credentials.accessKey = config.s3AccessKey.toUtf8();
        m_credentials.secretKey = config.s3SecretKey.toUtf8();
        m_credentials.region = config.s3Region.toUtf8();
    }
    QString via() const override { return u"s3"_s; }
    QString protocol() const override { return u"put"_s; }

    void create(const QString &id, qint64 urlExpiresMs, bool tamper,
        std::function<void(Upload)> done) override
    {
        ensureBucket([this, id, urlExpiresMs, tamper, done](const QString &error) {
            Upload upload;
            if (!error.isEmpty()) {
                upload.error = error;
                return done(upload);
            }
            upload.location = child(bucketUrl(), id);
            // Whole seconds: signed at T - E with X-Amz-Expires E, the URL dies at T, the
            // second boundary at or before urlExpiresMs (one already past for a lifetime < 1 s,
            // so that a test of an expired URL needs no wait). At most the 7 days SigV4 allows.
            const qint64 nowSec = QDateTime::currentSecsSinceEpoch();
            qint64 expirySec = urlExpiresMs / 1000;
            if (expirySec <= nowSec)
                expirySec = nowSec - 1;
            const qint64 signedSec = std::min(nowSec, expirySec - 1);
            const qint64 expires = std::clamp<qint64>(expirySec - signedSec, 1, 604800);
            S3::HeaderList signedHeaders;
            if (!m_config.s3SignContentType.isEmpty())
                signedHeaders.append({ "content-type", m_config.s3SignContentType.toUtf8() });
            upload.uploadUrl = S3::presign(m_credentials, "PUT", upload.location,
                QDateTime::fromSecsSinceEpoch(signedSec, Qt::UTC), expires, signedHeaders);
            if (tamper) {
                // X-Amz-Signature comes last: change its final hex digit.
                QString text = upload.uploadUrl.toString(QUrl::FullyEncoded);
                text.back() = text.back() == u'0' ? u'1' : u'0';
                upload.uploadUrl = QUrl(text, QUrl::StrictMode);
            }
            done(upload);
        });
    }

    void inspect(const QUrl &location, Sink sink, std::function<void(Object)> done) override
    {
        QNetworkRequest head = request(location);
        for (const auto &[name, value] : S3::signHeaders(m_credentials, "HEAD", location,
                 QDateTime::currentDateTimeUtc(), {}, S3::emptyPayloadHash()))
            head.setRawHeader(name, value);
        whenFinished(m_nam.head(head), [this, location, sink, done](QNetworkReply *reply) {
            if (statusOf(reply) != 200)
                return done({ -1, {}, {}, u"HEAD on the S3 object answered "_s + describe(reply) });
            const qint64 size = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
            hashObject(size, reply->header(QNetworkRequest::ContentTypeHeader).toString(),
                request(presignedGet(location, 300)), sink, done);
        });
    }

    QUrl downloadUrl(const QUrl &location) const override { return presignedGet(location, 3600); }

private:
    QUrl bucketUrl() const { return child(m_config.endpoint, m_config.s3Bucket); }

    QUrl presignedGet(const QUrl &location, qint64 seconds) const
    {
        return S3::presign(
            m_credentials, "GET", location, QDateTime::currentDateTimeUtc(), seconds);
    }

    //! Creates the bucket once (PUT bucket; "already yours" counts as done). A failure is
    //! reported to every waiting create, and the next create tries again.
    void ensureBucket(std::function<void(QString)> done)
    {
        if (m_bucketReady)
            return later<QString>(&m_nam, std::move(done), QString());
        m_bucketWaiters.append(std::move(done));
        if (m_bucketWaiters.size() > 1)
            return;
        const QUrl url = bucketUrl();
        QNetworkRequest put = request(url);
        for (const auto &[name, value] : S3::signHeaders(m_credentials, "PUT", url,
                 QDateTime::currentDateTimeUtc(), {}, S3::emptyPayloadHash()))
            put.setRawHeader(name, value);
        whenFinished(m_nam.put(put, QByteArray()), [this](QNetworkReply *reply) {
            const int status = statusOf(reply);
            const QByteArray body = reply->peek(64 * 1024);
            QString error;
            if (status == 200 || (status == 409 && body.contains("BucketAlreadyOwnedByYou")))
                m_bucketReady = true;
            else
                error = u"cannot create the S3 bucket %1: %2"_s.arg(
                    m_config.s3Bucket, describe(reply));
            const auto waiters = std::exchange(m_bucketWaiters, {});
            for (const auto &waiter : waiters)
                waiter(error);
        });
    }

    S3::Credentials m_credentials;
    bool m_bucketReady = false;
    QList<std::function<void(QString)>> m_bucketWaiters;
};
} // namespace

// --- common -----------------------------------------------------------------------------------

std::unique_ptr<ExternalTarget> ExternalTarget::make(const Config &config)
{
    switch (config.kind) {
    case Config::Kind::Put:
        return std::make_unique<PutEndpoint>(config);
    case Config::Kind::Tus:
        return std::make_unique<TusEndpoint>(config);
    case Config::Kind::S3:
        return std::make_unique<S3Endpoint>(config);
    case Config::Kind::None:
        break;
    }
    return nullptr;
}

ExternalTarget::ExternalTarget(const Config &config)
    : m_config(config)
{
    // No cookie jar state, no cache, no proxy surprises: each request stands alone.
    m_nam.setCookieJar(nullptr);
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

ExternalTarget::~ExternalTarget() = default;

QByteArray ExternalTarget::method() const
{
    return protocol() == u"tus"_s ? "PATCH"_ba : "PUT"_ba;
}

QNetworkRequest ExternalTarget::request(const QUrl &url) const
{
    QNetworkRequest request(url);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(30000);
    return request;
}

void ExternalTarget::whenFinished(QNetworkReply *reply, std::function<void(QNetworkReply *)> done)
{
    QObject::connect(reply, &QNetworkReply::finished, &m_nam, [reply, done = std::move(done)] {
        reply->deleteLater();
        done(reply);
    });
}

QString ExternalTarget::describe(QNetworkReply *reply)
{
    const int status = statusOf(reply);
    if (status > 0) {
        // S3 errors: <Error><Code>SignatureDoesNotMatch</Code>...; others: the status says it.
        static const QRegularExpression code(u"<Code>([A-Za-z0-9.]{1,64})</Code>"_s);
        const auto m = code.match(QString::fromUtf8(reply->peek(64 * 1024)));
        return m.hasMatch() ? u"HTTP %1 %2"_s.arg(status).arg(m.captured(1))
                            : u"HTTP %1"_s.arg(status);
    }
    // Qt's messages quote the whole URL, a presigned query included.
    QString why = reply->errorString();
    QUrl redacted = reply->url();
    if (redacted.hasQuery()) {
        why.replace(redacted.toString(), redacted.toString(QUrl::RemoveQuery) + u"?<redacted>"_s);
        why.replace(redacted.toString(QUrl::FullyEncoded),
            redacted.toString(QUrl::RemoveQuery) + u"?<redacted>"_s);
    }
    return why;
}

void ExternalTarget::hashObject(qint64 size, const QString &contentType, const QNetworkRequest &get,
    Sink sink, std::function<void(Object)> done)
{
    QNetworkReply *reply = m_nam.get(get);
    auto hash = std::make_shared<QCryptographicHash>(QCryptographicHash::Sha256);
    auto received = std::make_shared<qint64>(0);
    auto sinkFailed = std::make_shared<bool>(false);
    auto take = [reply, hash, received, sink, sinkFailed] {
        if (statusOf(reply) != 200 || *sinkFailed)
            return; // an error body stays for describe()
        const QByteArray bytes = reply->readAll();
        *received += bytes.size();
        hash->addData(bytes);
        if (sink && !bytes.isEmpty() && !sink(bytes)) {
            *sinkFailed = true;
            reply->abort();
        }
    };
    QObject::connect(reply, &QNetworkReply::readyRead, &m_nam, take);
    whenFinished(
        reply, [size, contentType, hash, received, take, sinkFailed, done](QNetworkReply *r) {
            if (*sinkFailed)
                return done({ -1, {}, {}, u"cannot store the object's bytes"_s });
            if (statusOf(r) != 200)
                return done({ -1, {}, {}, u"GET of the object answered "_s + describe(r) });
            take();
            if (size >= 0 && *received != size)
                return done({ -1, {}, {},
                    u"the object has %1 bytes, its HEAD said %2"_s.arg(*received).arg(size) });
            done({ *received, QString::fromLatin1(hash->result().toHex()), contentType, {} });
        });
}

} // namespace MatrixUpload
