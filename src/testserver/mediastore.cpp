// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediastore_p.h"

#include "sha256_p.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include <cerrno>
#include <cstdio>

#ifdef Q_OS_LINUX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
//! Reads \a length bytes of \a in from its position (all that is left with -1), writing them
//! to \a out and feeding \a hash with them, each unless null. Returns how many it read, or -1
//! when reading fell short of \a length or a write failed.
qint64 copyRange(QFile &in, qint64 length, QFile *out, Sha256 *hash)
{
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    qint64 done = 0;
    while (length < 0 || done < length) {
        const qint64 want
            = length < 0 ? block.size() : std::min<qint64>(length - done, block.size());
        const qint64 n = in.read(block.data(), want);
        if (n < 0 || (n == 0 && length >= 0))
            return -1;
        if (n == 0)
            break;
        if (out && out->write(block.constData(), n) != n)
            return -1;
        if (hash)
            hash->addData(block.constData(), n);
        done += n;
    }
    return done;
}
} // namespace

QJsonObject MediaRecord::toJson() const
{
    return QJsonObject {
        { u"id"_s, id },
        { u"owner"_s, owner },
        { u"created_ms"_s, createdMs },
        { u"expires_ms"_s, expiresMs },
        { u"state"_s, state == State::Complete ? u"complete"_s : u"pending"_s },
        { u"url_protocol"_s, urlProtocol },
        { u"url_method"_s, QString::fromLatin1(urlMethod) },
        { u"via"_s, via },
        { u"external_url"_s, externalUrl },
        { u"content_type"_s, contentType },
        { u"file_name"_s, fileName },
        { u"stored"_s, stored },
        { u"total"_s, total },
        { u"sha256"_s, sha256 },
        { u"complete_called"_s, completeCalled },
    };
}

MediaRecord MediaRecord::fromJson(const QJsonObject &o)
{
    MediaRecord r;
    r.id = o.value(u"id"_s).toString();
    r.owner = o.value(u"owner"_s).toString();
    r.createdMs = o.value(u"created_ms"_s).toInteger();
    r.expiresMs = o.value(u"expires_ms"_s).toInteger();
    r.state = o.value(u"state"_s).toString() == u"complete"_s ? State::Complete : State::Pending;
    r.urlProtocol = o.value(u"url_protocol"_s).toString();
    r.urlMethod = o.value(u"url_method"_s).toString().toLatin1();
    r.via = o.value(u"via"_s).toString();
    r.externalUrl = o.value(u"external_url"_s).toString();
    r.contentType = o.value(u"content_type"_s).toString();
    r.fileName = o.value(u"file_name"_s).toString();
    r.stored = o.value(u"stored"_s).toInteger();
    r.total = o.value(u"total"_s).toInteger(-1);
    r.sha256 = o.value(u"sha256"_s).toString();
    r.completeCalled = o.value(u"complete_called"_s).toBool();
    return r;
}

bool MediaStore::open(const QString &dir, QString *error)
{
    m_dir = dir;
    m_records.clear();
    QDir media(dir + u"/media"_s);
    if (!media.mkpath(u"."_s)) {
        *error = u"cannot create %1"_s.arg(media.path());
        return false;
    }
    const QStringList names = media.entryList({ u"*.json"_s }, QDir::Files);
    for (const QString &name : names) {
        QFile f(media.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        MediaRecord r = MediaRecord::fromJson(o);
        if (r.id.isEmpty() || r.id + u".json"_s != name)
            continue;
        // The bytes file is the truth for how much arrived: a crash may have come between
        // writing the bytes and the record.
        const qint64 onDisk = QFileInfo(dataPath(r.id)).size();
        if (r.state == MediaRecord::State::Pending && onDisk < r.stored)
            r.stored = onDisk;
        m_records.insert(r.id, r);
    }
    return true;
}

MediaRecord *MediaStore::find(const QString &id)
{
    auto it = m_records.find(id);
    return it == m_records.end() ? nullptr : &it.value();
}

MediaRecord &MediaStore::insert(const MediaRecord &record)
{
    MediaRecord &r = m_records[record.id];
    r = record;
    save(r);
    return r;
}

bool MediaStore::save(const MediaRecord &record)
{
    QSaveFile f(m_dir + u"/media/"_s + record.id + u".json"_s);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact));
    return f.commit();
}

QString MediaStore::dataPath(const QString &id) const
{
    return m_dir + u"/media/"_s + id + u".bin"_s;
}

bool MediaStore::writeAt(MediaRecord &record, qint64 offset, const QByteArray &bytes)
{
    revokeDirect(record.id);
    m_knownSha256.remove(record.id);
    Sha256 *running = runningHashAt(record.id, offset);
    QFile f(dataPath(record.id));
    if (!f.open(QIODevice::ReadWrite))
        return false;
    if (!f.resize(offset) || !f.seek(offset) || f.write(bytes) != bytes.size()) {
        m_running.remove(record.id);
        return false;
    }
    f.close();
    if (running) {
        running->addData(bytes.constData(), bytes.size());
        RunningHash &entry = m_running[record.id];
        entry.length += bytes.size();
        entry.serial = ++m_lastSerial;
    }
    record.stored = offset + bytes.size();
    return save(record);
}

Sha256 *MediaStore::runningHashAt(const QString &id, qint64 offset)
{
    auto it = m_running.find(id);
    if (it != m_running.end() && it->length == offset)
        return it->hash.get();
    m_running.remove(id);
    if (offset != 0)
        return nullptr;
    setRunningHash(id, std::make_shared<Sha256>(), 0);
    return m_running[id].hash.get();
}

void MediaStore::setRunningHash(const QString &id, std::shared_ptr<Sha256> hash, qint64 length)
{
    m_running.insert(id, { length, std::move(hash), ++m_lastSerial });
}

ContinuedSha256 MediaStore::hashSeed(const QString &id, qint64 offset) const
{
    const auto it = m_running.constFind(id);
    if (offset <= 0 || it == m_running.cend() || it->length != offset)
        return {};
    return { it->hash->clone(), offset, it->serial };
}

std::shared_ptr<DirectBody> MediaStore::directBody(const QString &id, qint64 offset)
{
    const auto record = m_records.constFind(id);
    const auto running = m_running.constFind(id);
    if (offset <= 0 || record == m_records.cend() || record->state != MediaRecord::State::Pending
        || record->stored != offset || running == m_running.cend() || running->length != offset
        || !m_direct.value(id).expired())
        return {};
    auto body = std::make_shared<DirectBody>();
    body->offset = offset;
    body->file.setFileName(dataPath(id));
    // Read-write: a file opened write-only would be truncated.
    if (!body->file.open(QIODevice::ReadWrite | QIODevice::Unbuffered) || !body->file.seek(offset))
        return {};
    m_direct.insert(id, body);
    return body;
}

void MediaStore::revokeDirect(const QString &id)
{
    if (const std::shared_ptr<DirectBody> body = m_direct.take(id).lock())
        body->revoked = true;
}

bool MediaStore::takeDirect(
    MediaRecord &record, qint64 offset, const RequestBody &body, qint64 length)
{
    DirectBody &direct = *body.direct;
    const auto grant = m_direct.constFind(record.id);
    if (direct.revoked || grant == m_direct.cend() || grant->lock() != body.direct
        || direct.offset != offset || record.stored != offset)
        return false;
    m_direct.erase(grant);
    direct.revoked = true; // taken: nothing more may come through it
    m_knownSha256.remove(record.id);
    const auto running = m_running.constFind(record.id);
    if (body.hash.hash && length == body.size && body.hash.from == offset
        && running != m_running.cend() && running->length == offset
        && running->serial == body.hash.serial) {
        setRunningHash(record.id, body.hash.hash, offset + length);
    } else if (Sha256 *hash = runningHashAt(record.id, offset)) {
        // Part of the body (a short-range fault): hashed from the file, where it is already.
        QFile in(dataPath(record.id));
        if (!in.open(QIODevice::ReadOnly) || !in.seek(offset)
            || copyRange(in, length, nullptr, hash) != length) {
            m_running.remove(record.id);
            return false;
        }
        RunningHash &entry = m_running[record.id];
        entry.length += length;
        entry.serial = ++m_lastSerial;
    }
    record.stored = offset + length;
    return save(record);
}

namespace {

// Appends the first \a length bytes of \a in to \a out at its position; feeds \a hash with
// them unless it is null. Linux copies in the kernel when nothing needs the bytes here.
bool appendFile(QFile &in, QFile &out, qint64 length, Sha256 *hash)
{
#ifdef Q_OS_LINUX
    if (!hash && out.flush()) {
        loff_t from = 0;
        loff_t to = out.pos();
        while (length > 0) {
            const ssize_t n
                = ::copy_file_range(in.handle(), &from, out.handle(), &to, size_t(length), 0);
            if (n <= 0)
                break; // not on this file system, or an error: the plain way says which
            length -= n;
        }
        if (length == 0)
            return out.seek(to);
        if (!in.seek(from) || !out.seek(to))
            return false;
    }
#endif
    return copyRange(in, length, &out, hash) == length;
}

} // namespace

bool MediaStore::writeAt(MediaRecord &record, qint64 offset, const RequestBody &body, qint64 length)
{
    if (body.direct)
        return takeDirect(record, offset, body, length);
    if (body.file.isEmpty())
        return writeAt(record, offset, body.bytes.left(length));
    revokeDirect(record.id);
    m_knownSha256.remove(record.id);
    const QString target = dataPath(record.id);
    // The relay hashed the whole body on from the bytes before it: taken over as it is when the
    // body is stored whole where that hash left off.
    const auto running = m_running.constFind(record.id);
    const bool hashed = body.hash.hash && length == body.size && body.hash.from == offset
        && (offset == 0
            || (running != m_running.cend() && running->length == offset
                && running->serial == body.hash.serial));
    if (offset == 0) {
        // The relay spools under dir(), so the file is usually in this folder's file system: move
        // it. A spool folder on another file system (a mount or a link there) cannot be renamed
        // from (EXDEV): copy, then remove.
        if (length < body.size && !QFile::resize(body.file, length))
            return false;
        if (std::rename(
                QFile::encodeName(body.file).constData(), QFile::encodeName(target).constData())
            != 0) {
            if (errno != EXDEV)
                return false;
            QFile::remove(target);
            if (!QFile::copy(body.file, target)) {
                QFile::remove(target);
                return false;
            }
            QFile::remove(body.file);
        }
        if (length == body.size && !body.sha256.isEmpty())
            m_knownSha256.insert(record.id, { length, body.sha256 });
        m_running.remove(record.id);
        if (record.total < 0 || record.total > length) {
            // More pieces will follow: their running hash starts with this one's.
            if (hashed) {
                setRunningHash(record.id, body.hash.hash, length);
            } else {
                QFile first(target);
                if (!first.open(QIODevice::ReadOnly))
                    return false;
                setRunningHash(record.id, std::make_shared<Sha256>(), 0);
                RunningHash &entry = m_running[record.id];
                entry.length = copyRange(first, -1, nullptr, entry.hash.get());
                if (entry.length < 0) {
                    m_running.remove(record.id);
                    return false;
                }
            }
        }
    } else {
        Sha256 *hash = hashed ? nullptr : runningHashAt(record.id, offset);
        QFile in(body.file);
        QFile out(target);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::ReadWrite) || !out.resize(offset)
            || !out.seek(offset) || !appendFile(in, out, length, hash)) {
            m_running.remove(record.id);
            return false;
        }
        if (hashed) {
            setRunningHash(record.id, body.hash.hash, offset + length);
        } else if (hash) {
            RunningHash &entry = m_running[record.id];
            entry.length += length;
            entry.serial = ++m_lastSerial;
        }
    }
    record.stored = offset + length;
    return save(record);
}

bool MediaStore::finalize(MediaRecord &record)
{
    revokeDirect(record.id);
    QFile f(dataPath(record.id));
    if (!f.open(QIODevice::ReadWrite))
        return false;
    f.resize(record.stored);
    f.close();
    const auto known = m_knownSha256.take(record.id);
    const RunningHash running = m_running.take(record.id);
    const QByteArray sha256 = known.first == record.stored && !known.second.isEmpty() ? known.second
        : running.hash && running.length == record.stored
        ? running.hash->hexResult()
        : Sha256::ofFile(dataPath(record.id), record.stored);
    if (sha256.isEmpty())
        return false;
    record.sha256 = QString::fromLatin1(sha256);
    record.total = record.stored;
    record.state = MediaRecord::State::Complete;
    return save(record);
}

QByteArray MediaStore::read(const MediaRecord &record) const
{
    QFile f(dataPath(record.id));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(record.stored);
}

QJsonObject MediaStore::loadState() const
{
    QFile f(m_dir + u"/state.json"_s);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

bool MediaStore::saveState(const QJsonObject &state) const
{
    QSaveFile f(m_dir + u"/state.json"_s);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(state).toJson());
    return f.commit();
}

} // namespace MatrixUpload
