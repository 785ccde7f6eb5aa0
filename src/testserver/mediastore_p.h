// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: media records and their bytes, in a data folder.
#pragma once

#include "directbody_p.h"
#include "sha256_p.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <utility>

namespace MatrixUpload {

struct MediaRecord
{
    enum class State { Pending, Complete };

    QString id;
    QString owner; //!< user ID of the creator
    qint64 createdMs = 0;
    qint64 expiresMs = 0; //!< unused expiry; 0: none
    State state = State::Pending;
    QString
        urlProtocol; //!< protocol of the upload URL handed out: put, content-range, tus, or empty
    QByteArray urlMethod;
    QString via; //!< how the bytes arrived: put, content-range, tus, async, legacy, or (external
    //!< targets) put-endpoint, tus-endpoint, s3
    QString externalUrl; //!< external targets: where the object lives on the peer (unsigned)
    QString contentType;
    QString fileName;
    qint64 stored = 0; //!< bytes held
    qint64 total = -1; //!< declared length, -1 while unknown
    QString sha256; //!< hex, once complete
    bool completeCalled = false;

    bool isExpired(qint64 nowMs) const
    {
        return state == State::Pending && expiresMs > 0 && nowMs >= expiresMs;
    }
    QJsonObject toJson() const;
    static MediaRecord fromJson(const QJsonObject &o);
};

//! A request body as a route handler sees it: in memory (small requests), in a spool file
//! the relay streamed it to (the upload routes, see httprelay_p.h), or already in the upload's
//! bytes file (direct), with the SHA-256 the relay computed on the way.
struct RequestBody
{
    QByteArray bytes; //!< the body, when it is in memory
    QString file; //!< the spool file, when it is on disk
    qint64 size = 0;
    QByteArray sha256; //!< hex, of the whole spooled body; may be empty
    //! The relay's hash after the spooled body: of the upload's first `hash.from` bytes and then
    //! the whole body (HttpRelay::bodyHash()); may be none.
    ContinuedSha256 hash;
    //! The body the relay wrote into the upload's bytes file (MediaStore::directBody()); null
    //! for another body.
    std::shared_ptr<DirectBody> direct;

    bool isEmpty() const { return size == 0; }
};

//! Media records and their bytes under one folder: `media/ID.json` (written atomically) and
//! `media/ID.bin`. Reopening the folder brings back finished and half-finished uploads.
class MediaStore
{
public:
    bool open(const QString &dir, QString *error);
    QString dir() const { return m_dir; }

    MediaRecord *find(const QString &id);
    const QHash<QString, MediaRecord> &all() const { return m_records; }
    MediaRecord &insert(const MediaRecord &record);
    bool save(const MediaRecord &record);

    //! Writes \a bytes at \a offset, dropping anything held past it, and updates `stored`.
    bool writeAt(MediaRecord &record, qint64 offset, const QByteArray &bytes);
    //! Writes the first \a length bytes of \a body at \a offset, like writeAt(). A spooled body
    //! written at offset 0 becomes the record's bytes file (a rename, no copy); a direct body is
    //! there already, and is taken as it is when its grant still holds (false otherwise).
    bool writeAt(MediaRecord &record, qint64 offset, const RequestBody &body, qint64 length);
    //! A copy of the running hash of \a id's first \a offset bytes (offset > 0), for the relay
    //! to go on with over a body that is to be stored there; none when there is no such hash.
    ContinuedSha256 hashSeed(const QString &id, qint64 offset) const;
    //! Lets a body that is to be stored at \a offset be written straight into \a id's bytes
    //! file (see directbody_p.h): when the record is pending, holds exactly \a offset > 0
    //! bytes, has a running hash to seed the body's (hashSeed()), and no other body holds a
    //! grant. Null otherwise: the body is spooled and copied. Any other change to the record's
    //! bytes revokes the grant.
    std::shared_ptr<DirectBody> directBody(const QString &id, qint64 offset);
    //! Marks the record complete and computes its SHA-256 from the stored bytes.
    bool finalize(MediaRecord &record);
    QByteArray read(const MediaRecord &record) const;
    QString dataPath(const QString &id) const;

    //! Server-wide state (signing secret, tokens) beside the media.
    QJsonObject loadState() const;
    bool saveState(const QJsonObject &state) const;

private:
    QString m_dir;
    QHash<QString, MediaRecord> m_records;
    //! SHA-256 of records whose bytes came whole from one spooled body: id -> (length, hex),
    //! so that finalize() need not read them again.
    QHash<QString, std::pair<qint64, QByteArray>> m_knownSha256;
    //! SHA-256 of the bytes of records that arrive in pieces (content-range chunks, tus
    //! PATCHes), fed as each piece is written, so that finalize() need not read a large file
    //! again: what a chunked upload would otherwise wait for at its last chunk (issue 15).
    struct RunningHash
    {
        qint64 length = 0; //!< the first `length` stored bytes are hashed
        std::shared_ptr<Sha256> hash;
        quint64 serial = 0; //!< changes with every byte taken: a seed of another is stale
    };
    QHash<QString, RunningHash> m_running;
    //! The grant of a direct body per record, while the relay or a handler holds it.
    QHash<QString, std::weak_ptr<DirectBody>> m_direct;
    //! Revokes \a id's direct body, if one holds a grant: its bytes can no longer be stored.
    void revokeDirect(const QString &id);
    //! Takes the direct \a body's first \a length bytes at \a offset (writeAt()).
    bool takeDirect(MediaRecord &record, qint64 offset, const RequestBody &body, qint64 length);
    quint64 m_lastSerial = 0;
    //! Makes \a hash (of the first \a length bytes) the running hash of \a id.
    void setRunningHash(const QString &id, std::shared_ptr<Sha256> hash, qint64 length);
    //! The running hash of \a id if it covers exactly the bytes before \a offset; a new one at
    //! offset 0; otherwise none (a rewind, a restart of the server), and finalize() reads the file.
    Sha256 *runningHashAt(const QString &id, qint64 offset);
};

} // namespace MatrixUpload
