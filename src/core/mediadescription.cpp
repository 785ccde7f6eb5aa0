// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediadescription.h"

#include "api/mediaapi.h"
#include "attachmentcrypto_p.h"
#include "encryptedfile.h"

#include <QBuffer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

QString MediaDescription::msgtypeFor(const QString &mediaType)
{
    if (mediaType.startsWith(u"image/"_s))
        return u"m.image"_s;
    if (mediaType.startsWith(u"video/"_s))
        return u"m.video"_s;
    if (mediaType.startsWith(u"audio/"_s))
        return u"m.audio"_s;
    return u"m.file"_s;
}

class ThumbnailUploadPrivate
{
public:
    MediaApi *api = nullptr;
    QByteArray body; //!< what is sent: the picture, or its ciphertext
    QString mimeType;
    std::optional<EncryptedFile> encrypted; //!< key and hash, the URL once uploaded
    QBuffer buffer;
    QJsonObject fields;
    QString error;
    bool started = false;
};

ThumbnailUpload::ThumbnailUpload(
    MediaApi *api, const QByteArray &data, const QString &mimeType, bool encrypt, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<ThumbnailUploadPrivate>())
{
    d->api = api;
    d->body = data;
    d->mimeType = mimeType;
    if (!encrypt)
        return;
    const std::optional<AttachmentKey> key = AttachmentKey::generate();
    if (!key) {
        d->error = tr("no random key for the thumbnail");
        d->body.clear();
        return;
    }
    AesCtrCipher cipher(*key);
    Sha256Stream hash;
    if (!cipher.isValid() || !cipher.process(d->body.data(), d->body.size()) || !hash.isValid()) {
        d->error = tr("cannot encrypt the thumbnail");
        d->body.clear();
        return;
    }
    hash.add(d->body);
    d->encrypted = EncryptedFile { QString(), *key, hash.result() };
}

ThumbnailUpload::~ThumbnailUpload() = default;

void ThumbnailUpload::start()
{
    if (d->started)
        return;
    d->started = true;
    if (d->body.isEmpty()) {
        const QString why = d->error.isEmpty() ? tr("the thumbnail is empty") : d->error;
        QTimer::singleShot(0, this, [this, why] { done({}, why); });
        return;
    }
    d->buffer.setData(d->body);
    d->buffer.open(QIODevice::ReadOnly);
    UploadSource source;
    source.device = &d->buffer;
    source.size = d->body.size();
    source.contentType
        = d->encrypted ? QByteArray("application/octet-stream") : d->mimeType.toUtf8();
    d->api->uploadContent(source)->then(this, [this](const ApiResult<MxcUri> &result) {
        if (!result) {
            done({}, result.error().message());
            return;
        }
        if (d->encrypted) {
            d->encrypted->url = result->toString();
            done({ { u"thumbnail_file"_s, d->encrypted->toJson() } }, {});
        } else {
            done({ { u"thumbnail_url"_s, result->toString() } }, {});
        }
    });
}

QJsonObject ThumbnailUpload::infoFields() const
{
    return d->fields;
}

QString ThumbnailUpload::errorString() const
{
    return d->error;
}

void ThumbnailUpload::done(const QJsonObject &fields, const QString &error)
{
    d->fields = fields;
    d->error = error;
    Q_EMIT finished();
}

} // namespace MatrixUpload
