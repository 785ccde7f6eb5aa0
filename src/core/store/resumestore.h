// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: what it takes to continue an upload after the program stopped.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include "filefingerprint.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace MatrixUpload {

class ResumeStorePrivate;
class MemoryResumeStorePrivate;
class JsonResumeStorePrivate;

//! One unfinished upload. The upload URL is a credential (protocol.md 4.1): records live in a
//! folder only the user can read, and the URL is never logged from here.
struct MATRIXUPLOAD_CORE_EXPORT ResumeRecord
{
    QString id; //!< the job's ID, stable across restarts
    //! Where the bytes came from: "file" (filePath), or "memory" or "device", which a later run
    //! cannot read again.
    QString source = QStringLiteral("file");
    QString filePath; //!< empty unless source is "file"
    QString fileName; //!< the name sent to the server
    bool sendFileName = true; //!< UploadMetadata::sendFileName
    QString mediaType;
    FileFingerprint fingerprint;
    QUrl homeserver;
    //! The account that made it (MediaApi::userId()); empty: not known (an older record, or
    //! a bare access token). Only that account continues it.
    QString userId;
    QString contentUri; //!< mxc://..., once created
    qint64 expiresAtMs = 0; //!< unused_expires_at; 0: unknown
    QUrl uploadUrl;
    QString uploadMethod;
    QString protocol; //!< put, content-range, tus, async, legacy
    //! The ID came from the unstable fi.mau.msc2246 create: its MSC2246 PUT goes there too.
    bool unstableAsync = false;
    qint64 confirmedOffset = 0; //!< bytes the server confirmed holding
    qint64 createdAtMs = 0;
    //! An encrypted upload: the ID of its key and IV in the SecretStore (never the key itself);
    //! empty for plaintext uploads.
    QString keyId;

    QJsonObject toJson() const;
    static std::optional<ResumeRecord> fromJson(const QJsonObject &json);
    friend bool operator==(const ResumeRecord &, const ResumeRecord &) = default;
};

//! Where resume records are kept: a JSON folder for programs, memory for tests and for clients
//! that keep their own state (the shape of qBittorrent's resume data storage).
//!
//! A program may implement its own store; the base keeps its data behind a pointer, so later
//! releases can add to it without changing the size of a subclass.
class MATRIXUPLOAD_CORE_EXPORT ResumeStore
{
public:
    ResumeStore();
    virtual ~ResumeStore();
    ResumeStore(const ResumeStore &) = delete;
    ResumeStore &operator=(const ResumeStore &) = delete;

    virtual QList<ResumeRecord> loadAll() = 0;
    virtual std::optional<ResumeRecord> load(const QString &id) = 0;
    //! Writes a record, replacing an older one with the same ID. False when it could not be
    //! written; the upload goes on, but could not be resumed after a crash.
    virtual bool store(const ResumeRecord &record) = 0;
    virtual void remove(const QString &id) = 0;

private:
    std::unique_ptr<ResumeStorePrivate> d;
};

class MATRIXUPLOAD_CORE_EXPORT MemoryResumeStore final : public ResumeStore
{
public:
    MemoryResumeStore();
    ~MemoryResumeStore() override;
    QList<ResumeRecord> loadAll() override;
    std::optional<ResumeRecord> load(const QString &id) override;
    bool store(const ResumeRecord &record) override;
    void remove(const QString &id) override;

private:
    std::unique_ptr<MemoryResumeStorePrivate> d;
};

//! One JSON file per record, written atomically with QSaveFile, readable by the user only.
//! loadAll() deletes the records it cannot use (unreadable, contradictory, or of an older
//! format), since they hold upload URLs; those of a newer format stay for the newer program.
//!
//! Each record has a lock file beside it (QLockFile, `ID.lock`), taken by the process that
//! stores or loads the record and held until remove() or until the store goes: loadAll() leaves
//! out the records another running process holds, so the CLI and the app never drive one
//! upload at the same time, and store() fails for them.
class MATRIXUPLOAD_CORE_EXPORT JsonResumeStore final : public ResumeStore
{
public:
    //! \a dir defaults to "uploads" under QStandardPaths::AppDataLocation.
    explicit JsonResumeStore(const QString &dir = {});
    ~JsonResumeStore() override;
    QString dir() const;

    QList<ResumeRecord> loadAll() override;
    std::optional<ResumeRecord> load(const QString &id) override;
    bool store(const ResumeRecord &record) override;
    void remove(const QString &id) override;

private:
    QString pathFor(const QString &id) const;
    QString lockPathFor(const QString &id) const;
    std::unique_ptr<JsonResumeStorePrivate> d;
};

} // namespace MatrixUpload
