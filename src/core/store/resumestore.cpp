// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "resumestore.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QLockFile>
#include <QMutex>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <cstdio>
#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
constexpr int formatVersion = 1;

bool validId(const QString &id)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,128}$"_s);
    return re.match(id).hasMatch();
}

//! The record locks this process holds, by lock file path, with the stores that use them: one
//! process drives an upload, the CLI or the app, never both (issue 14, item 8). A lock lives
//! until its record is removed or the last store that took it goes; QLockFile sees the lock of
//! a process that died as stale and takes it over.
class RecordLocks
{
public:
    static RecordLocks &instance()
    {
        static RecordLocks locks;
        return locks;
    }
    //! Whether this process holds the lock at \a path for \a owner, taking it when it is free.
    bool take(const QString &path, const void *owner)
    {
        QMutexLocker locker(&m_mutex);
        auto it = m_held.find(path);
        if (it == m_held.end()) {
            auto lock = std::make_unique<QLockFile>(path);
            lock->setStaleLockTime(0); // stale only when its process is gone, never by age
            if (!lock->tryLock(0))
                return false;
            it = m_held.emplace(path, Held { std::move(lock), {} }).first;
        }
        it->second.owners.insert(owner);
        return true;
    }
    //! Unlocks \a path (and deletes the lock file): its record is gone.
    void release(const QString &path)
    {
        QMutexLocker locker(&m_mutex);
        m_held.erase(path);
    }
    //! Unlocks what only \a owner used.
    void releaseAll(const void *owner)
    {
        QMutexLocker locker(&m_mutex);
        for (auto it = m_held.begin(); it != m_held.end();) {
            it->second.owners.erase(owner);
            it = it->second.owners.empty() ? m_held.erase(it) : std::next(it);
        }
    }

private:
    struct Held
    {
        std::unique_ptr<QLockFile> lock;
        std::set<const void *> owners;
    };
    QMutex m_mutex;
    std::map<QString, Held> m_held;
};
} // namespace

QJsonObject ResumeRecord::toJson() const
{
    return {
        { u"version"_s, formatVersion },
        { u"id"_s, id },
        { u"source"_s, source },
        { u"file_path"_s, filePath },
        { u"file_name"_s, fileName },
        { u"send_file_name"_s, sendFileName },
        { u"media_type"_s, mediaType },
        { u"size"_s, fingerprint.size },
        { u"mtime_ms"_s, fingerprint.mtimeMs },
        { u"edges_sha256"_s, QString::fromLatin1(fingerprint.edgesSha256) },
        { u"homeserver"_s, homeserver.toString() },
        { u"user_id"_s, userId },
        { u"content_uri"_s, contentUri },
        { u"expires_at_ms"_s, expiresAtMs },
        { u"upload_url"_s, uploadUrl.toString(QUrl::FullyEncoded) },
        { u"upload_method"_s, uploadMethod },
        { u"protocol"_s, protocol },
        { u"unstable_async"_s, unstableAsync },
        { u"key_id"_s, keyId },
        { u"confirmed_offset"_s, confirmedOffset },
        { u"created_at_ms"_s, createdAtMs },
    };
}

std::optional<ResumeRecord> ResumeRecord::fromJson(const QJsonObject &json)
{
    if (json.value(u"version"_s).toInt() != formatVersion)
        return std::nullopt;
    ResumeRecord r;
    r.id = json.value(u"id"_s).toString();
    r.source = json.value(u"source"_s).toString(u"file"_s); // absent in older records
    r.filePath = json.value(u"file_path"_s).toString();
    r.fileName = json.value(u"file_name"_s).toString();
    r.sendFileName = json.value(u"send_file_name"_s).toBool(true);
    r.mediaType = json.value(u"media_type"_s).toString();
    r.fingerprint.size = json.value(u"size"_s).toInteger(-1);
    r.fingerprint.mtimeMs = json.value(u"mtime_ms"_s).toInteger();
    r.fingerprint.edgesSha256 = json.value(u"edges_sha256"_s).toString().toLatin1();
    const QString homeserver = json.value(u"homeserver"_s).toString();
    r.homeserver = QUrl(homeserver);
    r.userId = json.value(u"user_id"_s).toString(); // absent in older records
    r.contentUri = json.value(u"content_uri"_s).toString();
    r.expiresAtMs = json.value(u"expires_at_ms"_s).toInteger();
    const QString uploadUrl = json.value(u"upload_url"_s).toString();
    r.uploadUrl = QUrl(uploadUrl, QUrl::StrictMode);
    r.uploadMethod = json.value(u"upload_method"_s).toString();
    r.protocol = json.value(u"protocol"_s).toString();
    r.unstableAsync = json.value(u"unstable_async"_s).toBool(); // absent in older records
    r.keyId = json.value(u"key_id"_s).toString(); // absent: not encrypted
    r.confirmedOffset = json.value(u"confirmed_offset"_s).toInteger();
    r.createdAtMs = json.value(u"created_at_ms"_s).toInteger();
    // A record that contradicts itself is worth nothing: better start over than resume wrong.
    if (!validId(r.id) || (r.source == u"file"_s && r.filePath.isEmpty()) || r.fingerprint.size < 0
        || r.confirmedOffset < 0
        || r.confirmedOffset > r.fingerprint.size
        // An address that does not parse (a damaged file) would not be written back as it was
        // read, and would lead nowhere (found by tests/fuzz/fuzz_resumerecord).
        || (!homeserver.isEmpty() && !r.homeserver.isValid())
        // An upload URL is absolute, with a host and no fragment; anything else (a fragment of
        // '#'s, found by the fuzzer) would not read back as it was written.
        || (!uploadUrl.isEmpty()
            && (!r.uploadUrl.isValid() || r.uploadUrl.isRelative() || r.uploadUrl.host().isEmpty()
                || r.uploadUrl.hasFragment())))
        return std::nullopt;
    return r;
}

//! Empty for now: what a later release adds to every store goes here.
class ResumeStorePrivate
{
};

class MemoryResumeStorePrivate
{
public:
    QHash<QString, ResumeRecord> records;
};

class JsonResumeStorePrivate
{
public:
    QString dir;
};

ResumeStore::ResumeStore()
    : d(std::make_unique<ResumeStorePrivate>())
{ }

ResumeStore::~ResumeStore() = default;

MemoryResumeStore::MemoryResumeStore()
    : d(std::make_unique<MemoryResumeStorePrivate>())
{ }

MemoryResumeStore::~MemoryResumeStore() = default;

QList<ResumeRecord> MemoryResumeStore::loadAll()
{
    return d->records.values();
}

std::optional<ResumeRecord> MemoryResumeStore::load(const QString &id)
{
    const auto it = d->records.constFind(id);
    if (it == d->records.cend())
        return std::nullopt;
    return it.value();
}

bool MemoryResumeStore::store(const ResumeRecord &record)
{
    d->records.insert(record.id, record);
    return true;
}

void MemoryResumeStore::remove(const QString &id)
{
    d->records.remove(id);
}

JsonResumeStore::JsonResumeStore(const QString &dir)
    : d(std::make_unique<JsonResumeStorePrivate>())
{
    d->dir = dir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/uploads"_s
        : dir;
}

JsonResumeStore::~JsonResumeStore()
{
    RecordLocks::instance().releaseAll(this);
}

QString JsonResumeStore::dir() const
{
    return d->dir;
}

QString JsonResumeStore::pathFor(const QString &id) const
{
    return d->dir + u"/"_s + id + u".json"_s;
}

QList<ResumeRecord> JsonResumeStore::loadAll()
{
    QList<ResumeRecord> records;
    const QStringList names = QDir(d->dir).entryList({ u"*.json"_s }, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        if (auto record = load(name.chopped(5))) {
            // Another process (the app, a second CLI run) drives this upload: not ours.
            if (RecordLocks::instance().take(lockPathFor(record->id), this))
                records.append(*record);
            continue;
        }
        // A record this program cannot use still holds an upload URL, a credential: it goes,
        // unless a newer version of the program wrote it (issue 14, item 8).
        QFile file(d->dir + u"/"_s + name);
        if (file.open(QIODevice::ReadOnly)) {
            const QJsonObject json = QJsonDocument::fromJson(file.read(4 * 1024 * 1024)).object();
            file.close();
            if (json.value(u"version"_s).toInt() <= formatVersion)
                file.remove();
        }
    }
    return records;
}

std::optional<ResumeRecord> JsonResumeStore::load(const QString &id)
{
    if (!validId(id))
        return std::nullopt;
    QFile file(pathFor(id));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    auto record = ResumeRecord::fromJson(doc.object());
    if (!record || record->id != id)
        return std::nullopt;
    return record;
}

bool JsonResumeStore::store(const ResumeRecord &record)
{
    if (!validId(record.id) || !QDir().mkpath(d->dir))
        return false;
    // The job that writes a record drives its upload; another process's loadAll() skips it.
    if (!RecordLocks::instance().take(lockPathFor(record.id), this))
        return false;
    QFile::setPermissions(
        d->dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QByteArray json = QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact);
#ifdef Q_OS_UNIX
    // Written beside and renamed over the old one, as QSaveFile does, but without its fsync:
    // three records per file, each waiting for the disk, made 1,000 small files on ext4 take five
    // times as long (issue 15, item 4). A crash of the program still never leaves half a record
    // (the rename is atomic); after a power loss a record may be empty or missing, is skipped
    // as unreadable, and that file uploads from the start: a record is a cache of what the
    // server confirms, never the only copy of anything.
    const QString path = pathFor(record.id);
    const QString temporary = path + u".new"_s;
    QFile file(temporary);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    // The record holds the upload URL, a credential: owner-only, like the folder.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(json) != json.size() || !file.flush()) {
        file.close();
        QFile::remove(temporary);
        return false;
    }
    file.close();
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData())
        != 0) {
        QFile::remove(temporary);
        return false;
    }
    return true;
#else
    QSaveFile file(pathFor(record.id));
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(json);
    return file.commit();
#endif
}

void JsonResumeStore::remove(const QString &id)
{
    if (!validId(id))
        return;
    QFile::remove(pathFor(id));
    RecordLocks::instance().release(lockPathFor(id));
}

QString JsonResumeStore::lockPathFor(const QString &id) const
{
    return d->dir + u"/"_s + id + u".lock"_s;
}

} // namespace MatrixUpload
