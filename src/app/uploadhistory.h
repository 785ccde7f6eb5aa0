// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the history of completed uploads of one account (issue 17).
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPointer>

#include <optional>

class QTimer;

namespace MatrixUpload {
class RoomPoster;
class UploadJob;
class UploadManager;
} // namespace MatrixUpload

namespace MatrixUpload::App {

//! One completed upload. Never a token, never the key of an encrypted upload: for those the
//! content URI only (the file cannot be read without the key, which stays in the keychain).
struct HistoryEntry
{
    QString jobId; //!< the upload's ID, to add the event ID when the post comes later
    QString fileName; //!< empty for data added without a name
    qint64 size = -1; //!< bytes; -1 when unknown
    QString mediaType; //!< the file's MIME type; empty when unknown
    QString roomId; //!< the room it was posted (or meant to be posted) to; empty: none
    QString roomName; //!< empty when unknown
    QDateTime date; //!< when the upload completed (UTC)
    QString contentUri; //!< `mxc://…`
    QString eventId; //!< the posted `m.room.message`; empty until (or unless) it was posted
    bool encrypted = false; //!< the bytes on the server are encrypted

    //! The entry as kept in the history file.
    QJsonObject toJson() const;
    //! An entry read back; nullopt without an `mxc://` content URI or a date.
    static std::optional<HistoryEntry> fromJson(const QJsonObject &json);
    //! The matrix.to link to the posted event (matrixToLink()); empty without an event ID.
    QString link() const;
};

//! The history of past uploads of one account, newest first, kept across restarts in a JSON
//! file (written beside and renamed over the old one) and bounded to maxEntries(). A table
//! model for the history window: columns file, size, room and date; the entry's fields through
//! the roles of Role.
//!
//! A file that cannot be read or parsed is moved aside (`FILE.corrupt`) and the history starts
//! empty, with loadWarning() saying so; when it cannot be moved aside, nothing is written over
//! it in this run.
//!
//! \code
//! UploadHistory history(dataDir + u"/history.json"_s);
//! history.watch(&manager, &poster); // each completed upload, then its event ID
//! \endcode
class UploadHistory : public QAbstractTableModel
{
    Q_OBJECT
public:
    //! The columns of the table.
    enum Column { FileColumn, SizeColumn, RoomColumn, DateColumn, ColumnCount };
    Q_ENUM(Column)
    //! The entry's fields, in every column.
    enum Role {
        ContentUriRole = Qt::UserRole + 1, //!< HistoryEntry::contentUri
        LinkRole, //!< HistoryEntry::link(); empty without an event ID
        EventIdRole, //!< HistoryEntry::eventId
        RoomIdRole, //!< HistoryEntry::roomId
        EncryptedRole, //!< HistoryEntry::encrypted
    };
    Q_ENUM(Role)

    //! Reads \a filePath (a missing file is an empty history).
    explicit UploadHistory(
        const QString &filePath, int maxEntries = 1000, QObject *parent = nullptr);
    //! Writes what is not written yet.
    ~UploadHistory() override;

    //! The file the history is kept in.
    QString filePath() const { return m_path; }
    //! How many entries are kept at most; older ones are dropped.
    int maxEntries() const { return m_max; }
    //! What went wrong reading the file at start; empty when nothing did.
    QString loadWarning() const { return m_warning; }
    //! The entries, newest first.
    const QList<HistoryEntry> &entries() const { return m_entries; }
    //! The entry of \a row; an empty entry outside the table.
    HistoryEntry entry(int row) const { return m_entries.value(row); }

    //! Adds \a entry as the newest (dropping the oldest beyond maxEntries()).
    void record(const HistoryEntry &entry);
    //! Adds the event ID of the upload \a jobId once its message was posted. Returns false
    //! when no entry has that upload.
    bool setPosted(const QString &jobId, const QString &roomId, const QString &roomName,
        const QString &eventId);
    //! Removes the entries of \a rows.
    void removeEntries(QList<int> rows);
    //! Removes every entry.
    void clear();
    //! Writes the history now (changes are otherwise written in the next turn of the event
    //! loop, a batch of uploads at once). Returns false when it could not be written.
    bool save();

    //! Records each upload of \a manager that completes, and the event ID \a poster posts for it.
    void watch(UploadManager *manager, RoomPoster *poster);

    //! The matrix.to link to event \a eventId in room \a roomId: both percent-encoded as
    //! matrix.to expects, with `?via=` the room ID's server when it names one.
    static QString matrixToLink(const QString &roomId, const QString &eventId);

    //! \cond internal
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    //! \endcond

private:
    void load();
    void changed();
    void recordJob(UploadJob *job);

    QString m_path;
    int m_max;
    QString m_warning;
    bool m_writable = true; //!< false: the file could not be read nor moved aside
    QList<HistoryEntry> m_entries;
    QTimer *m_saveTimer;
    QPointer<RoomPoster> m_poster;
};

} // namespace MatrixUpload::App
