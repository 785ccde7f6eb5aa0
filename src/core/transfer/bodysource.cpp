// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "bodysource_p.h"

#include "../attachmentcrypto_p.h" // Sha256Stream
#include "encryptingdevice_p.h"
#include "filewindowdevice_p.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QIODevice>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

class BodySource::Data
{
public:
    Kind kind = Kind::File;
    QString path; //!< Kind::File
    qint64 mtimeMs = 0; //!< Kind::File; 0: not checked
    qint64 size = -1;
    std::unique_ptr<QIODevice> device; //!< Kind::Memory (a QBuffer) and Kind::Device
    qint64 start = 0; //!< the device's position when it was handed over: byte 0 of the upload
    bool sequential = false;
    bool spent = false;
    bool ended = false; //!< the sequential device said its read channel finished
    std::optional<AttachmentKey> key; //!< set: windows give ciphertext
    std::shared_ptr<CiphertextHash> hash;
};

namespace {

//! Bytes [offset, offset + length) of a source's device. Seekable: it seeks the device before
//! each read, so windows of one source may follow each other in any order. Sequential: it reads
//! on, and passes the device's readyRead() on.
class DeviceWindowDevice final : public QIODevice
{
public:
    DeviceWindowDevice(std::shared_ptr<BodySource> source, QIODevice *device, qint64 start,
        qint64 offset, qint64 length, const bool *ended, bool *spent, QObject *parent)
        : QIODevice(parent)
        , m_source(std::move(source))
        , m_device(device)
        , m_start(start)
        , m_offset(offset)
        , m_length(length)
        , m_ended(ended)
        , m_spent(spent)
    {
        if (m_device->isSequential())
            connect(m_device, &QIODevice::readyRead, this, &QIODevice::readyRead);
    }

    bool open(OpenMode mode) override
    {
        if ((mode & ReadWrite) != ReadOnly) {
            setErrorString(u"an upload window is read-only"_s);
            return false;
        }
        return QIODevice::open(mode | Unbuffered);
    }
    bool isSequential() const override { return m_device->isSequential(); }
    qint64 size() const override { return m_length; }
    bool seek(qint64 pos) override
    {
        if (isSequential() || pos < 0 || pos > m_length)
            return false;
        return QIODevice::seek(pos);
    }
    bool atEnd() const override { return pos() >= m_length; }
    qint64 bytesAvailable() const override
    {
        const qint64 left = m_length - pos();
        if (!isSequential())
            return left;
        return std::min(left, m_device->bytesAvailable()) + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 left = m_length - pos();
        if (left <= 0)
            return -1;
        if (!isSequential()) {
            const qint64 at = m_start + m_offset + pos();
            if (m_device->pos() != at && !m_device->seek(at)) {
                setErrorString(u"cannot seek the upload's device: "_s + m_device->errorString());
                return -1;
            }
        }
        const qint64 n = m_device->read(data, std::min(maxSize, left));
        // A sequential device is spent once it gave bytes, not when a request that never read
        // (a refused connection) opened its window.
        if (n > 0 && isSequential())
            *m_spent = true;
        // A sequential device's atEnd() only says nothing is buffered now (a QProcess still
        // running): it has ended once its read channel finished or it was closed.
        if (n < 0 || (n == 0 && (!isSequential() || *m_ended || !m_device->isOpen()))) {
            // The device ended before the window did: it gave fewer bytes than it promised.
            setErrorString(u"the upload's device ended after %1 of %2 bytes"_s.arg(m_offset + pos())
                               .arg(m_offset + m_length));
            return -1;
        }
        return n; // 0: a sequential device has nothing yet; readyRead() follows
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    std::shared_ptr<BodySource> m_source; //!< keeps the device alive as long as the window
    QPointer<QIODevice> m_device;
    qint64 m_start;
    qint64 m_offset;
    qint64 m_length;
    const bool *m_ended;
    bool *m_spent;
};

} // namespace

BodySource::BodySource(std::unique_ptr<Data> data)
    : d(std::move(data))
{ }

BodySource::~BodySource() = default;

std::shared_ptr<BodySource> BodySource::fromFile(const QString &path, qint64 size, qint64 mtimeMs)
{
    auto data = std::make_unique<Data>();
    data->kind = Kind::File;
    data->path = path;
    data->size = size;
    data->mtimeMs = mtimeMs;
    return std::shared_ptr<BodySource>(new BodySource(std::move(data)));
}

std::shared_ptr<BodySource> BodySource::fromData(const QByteArray &bytes)
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(bytes); // implicitly shared: no copy of the bytes
    buffer->open(QIODevice::ReadOnly);
    auto data = std::make_unique<Data>();
    data->kind = Kind::Memory;
    data->size = bytes.size();
    data->device = std::move(buffer);
    return std::shared_ptr<BodySource>(new BodySource(std::move(data)));
}

std::shared_ptr<BodySource> BodySource::fromDevice(QIODevice *device, qint64 size)
{
    auto data = std::make_unique<Data>();
    data->kind = Kind::Device;
    data->device.reset(device);
    if (device) {
        device->setParent(nullptr); // owned here, not by a QObject parent
        if (!device->isOpen())
            device->open(QIODevice::ReadOnly);
        data->sequential = device->isSequential();
        data->start = data->sequential ? 0 : device->pos();
        data->size = size >= 0 ? size : data->sequential ? -1 : device->size() - device->pos();
        Data *raw = data.get();
        QObject::connect(
            device, &QIODevice::readChannelFinished, device, [raw] { raw->ended = true; });
    }
    return std::shared_ptr<BodySource>(new BodySource(std::move(data)));
}

BodySource::Kind BodySource::kind() const
{
    return d->kind;
}

qint64 BodySource::size() const
{
    return d->size;
}

bool BodySource::canRewind() const
{
    return !d->sequential;
}

bool BodySource::isSpent() const
{
    return d->spent;
}

QString BodySource::changed() const
{
    switch (d->kind) {
    case Kind::File: {
        // A stat per request: a file changed since the upload began must not be sent on, or the
        // server would hold a mix of old and new bytes.
        const QFileInfo info(d->path);
        if (info.size() != d->size
            || (d->mtimeMs && info.lastModified().toMSecsSinceEpoch() != d->mtimeMs))
            return u"the file changed since the upload began"_s;
        return {};
    }
    case Kind::Memory:
        return {};
    case Kind::Device:
        if (!d->device || !d->device->isOpen() || !d->device->isReadable())
            return u"the upload's device is closed"_s;
        if (!d->sequential && d->device->size() - d->start < d->size)
            return u"the upload's device holds fewer bytes than when the upload began"_s;
        return {};
    }
    return {};
}

void BodySource::setEncryption(const AttachmentKey &key, std::shared_ptr<CiphertextHash> hash)
{
    d->key = key;
    d->hash = std::move(hash);
}

bool BodySource::isEncrypted() const
{
    return d->key.has_value();
}

QIODevice *BodySource::openWindow(qint64 offset, qint64 length, QString *why, QObject *parent)
{
    if (!d->key)
        return openPlainWindow(offset, length, why, parent);
    if (d->hash && d->hash->position() < offset && !d->sequential) {
        // A resume past what the hash holds (after a restart): hash the gap first, locally.
        std::unique_ptr<QIODevice> plain(openPlainWindow(0, offset, why, nullptr));
        QString error;
        if (!plain || !d->hash->catchUp(*plain, offset, &error)) {
            if (plain && why)
                *why = error;
            return nullptr;
        }
    }
    std::unique_ptr<QIODevice> plain(openPlainWindow(offset, length, why, nullptr));
    if (!plain)
        return nullptr;
    auto *window = new EncryptingDevice(std::move(plain), *d->key, offset, parent);
    window->setCiphertextHash(d->hash);
    if (!window->open(QIODevice::ReadOnly)) {
        if (why)
            *why = window->errorString();
        delete window;
        return nullptr;
    }
    return window;
}

QIODevice *BodySource::openPlainWindow(qint64 offset, qint64 length, QString *why, QObject *parent)
{
    auto refuse = [why](const QString &reason) -> QIODevice * {
        if (why)
            *why = reason;
        return nullptr;
    };
    if (offset < 0 || length < 0 || (d->size >= 0 && offset + length > d->size))
        return refuse(u"invalid upload window"_s);
    if (d->kind == Kind::File) {
        auto *window = new FileWindowDevice(d->path, offset, length, parent);
        if (!window->open(QIODevice::ReadOnly)) {
            const QString reason = window->errorString();
            delete window;
            return refuse(reason);
        }
        return window;
    }
    if (const QString reason = changed(); !reason.isEmpty())
        return refuse(reason);
    if (d->sequential && (d->spent || offset != 0))
        return refuse(u"this source cannot be rewound, and its bytes were read already"_s);
    auto *window = new DeviceWindowDevice(shared_from_this(), d->device.get(), d->start, offset,
        length, &d->ended, &d->spent, parent);
    window->open(QIODevice::ReadOnly);
    return window;
}

std::optional<QByteArray> BodySource::sha256()
{
    if (d->sequential || d->size < 0)
        return std::nullopt;
    QString why;
    std::unique_ptr<QIODevice> window(openPlainWindow(0, d->size, &why));
    if (!window)
        return std::nullopt;
    // OpenSSL's SHA-256, several times QCryptographicHash's speed in Qt 6.4 (hashing_p.h).
    Sha256Stream hash;
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    for (qint64 n; (n = window->read(block.data(), block.size())) > 0; total += n)
        hash.add(QByteArrayView(block.constData(), n));
    if (!hash.isValid() || total != d->size)
        return std::nullopt;
    return hash.result();
}

} // namespace MatrixUpload
