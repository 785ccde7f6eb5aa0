// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: the uploads of an UploadManager as a list model, for Widgets and QML alike.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include "uploadmanager.h"

#include <QAbstractListModel>

#include <memory>

namespace MatrixUpload {

class UploadJob;
class UploadListModelPrivate;

//! One row per job of an UploadManager. Progress updates are coalesced: a row changes at most
//! about ten times a second, however fast its bytes move, and the rows changed since the last
//! update come as one dataChanged() per run of neighbouring rows (one over them all when the runs
//! are many), so ten thousand uploads keep a view smooth. Qt::DisplayRole is the file name and
//! Qt::ToolTipRole the state with its reason, so a plain view already works.
class MATRIXUPLOAD_CORE_EXPORT UploadListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(
        MatrixUpload::UploadManager *manager READ manager WRITE setManager NOTIFY managerChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        FileNameRole,
        FilePathRole,
        MediaTypeRole,
        SizeRole, //!< bytes, -1 until known
        StateRole, //!< UploadJob::State as int
        StateTextRole, //!< the state in words
        ProgressRole, //!< 0..1, of the file and its thumbnail (UploadJob::setAttachedUpload())
        BytesSentRole,
        SpeedRole, //!< bytes per second
        TimeLeftRole, //!< seconds, -1 when unknown
        ProtocolRole, //!< put, content-range, tus, async, legacy
        RouteRole, //!< UploadJob::Route as int
        RouteTextRole, //!< "direct to storage", "through the homeserver"
        FallbackReasonRole,
        ContentUriRole,
        ErrorRole, //!< UploadJob::Error as int
        ErrorStringRole,
        CanPauseRole,
        CanResumeRole,
        CanRetryRole,
        CanCancelRole,
        NoteRole, //!< UploadJob::note(): what the program added, e.g. where the file was posted
        VerifiedRole, //!< UploadJob::isVerified()
        EncryptedRole, //!< UploadJob::isEncrypted(): the server holds ciphertext only
        //! The picture of the file's description (MediaDescription::thumbnail, e.g. a video's
        //! frame), encoded as JPEG or PNG; empty until described, and for files without one
        ThumbnailRole,
        //! What a row shows as its picture: the description's thumbnail as a `data:` URL, else
        //! for an image file the file itself; empty for other files (a QML Image's source)
        PictureUrlRole,
        //! What the user can do about a failure, in one sentence (advice()); empty otherwise
        AdviceRole,
    };
    Q_ENUM(Role)

    explicit UploadListModel(QObject *parent = nullptr);
    explicit UploadListModel(UploadManager *manager, QObject *parent = nullptr);
    ~UploadListModel() override;

    UploadManager *manager() const;
    void setManager(UploadManager *manager);
    UploadJob *jobAt(int row) const;
    int rowOf(const UploadJob *job) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! The state in words, as the views show it.
    static QString stateText(const UploadJob *job);
    static QString routeText(const UploadJob *job);
    //! What the user can do about \a error, in one sentence; empty for none. The views show it
    //! after the error (AdviceRole).
    static QString advice(UploadJob::Error error);
    //! \a bytes as every view and the CLI show a size, in SI units ("1.5 MB"); empty for a
    //! negative (unknown) size.
    static QString formatSize(qint64 bytes);
    //! \a seconds as the views show a time left: "42 s", "3 min 5 s", "2 h 10 min"; empty for a
    //! negative (unknown) one.
    static QString formatDuration(qint64 seconds);

Q_SIGNALS:
    void managerChanged();
    void countChanged();

private:
    void add(UploadJob *job);
    void markDirty(UploadJob *job);
    void flush();

    std::unique_ptr<UploadListModelPrivate> d;
};

} // namespace MatrixUpload
