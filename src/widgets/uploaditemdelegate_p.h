// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader Widgets: how one upload row is painted, and the icons it shows.
#pragma once

#include <QCache>
#include <QHash>
#include <QIcon>
#include <QPixmap>
#include <QSet>
#include <QStringList>
#include <QStyledItemDelegate>
#include <QTimer>

class QAbstractFileIconProvider;

namespace MatrixUpload {

//! Icons for upload rows, so painting never touches the disk: file type icons are looked up once
//! per media type, and image thumbnails are read later, a few per event loop turn, only for rows
//! that were painted. Until a thumbnail is ready the row shows its type icon.
class UploadIconCache : public QObject
{
    Q_OBJECT
public:
    explicit UploadIconCache(QObject *parent = nullptr);
    ~UploadIconCache() override;

    //! Where type icons come from; null (the default) means a QFileIconProvider of our own.
    //! Not owned.
    void setIconProvider(QAbstractFileIconProvider *provider);
    QAbstractFileIconProvider *iconProvider() const;

    //! The icon to paint now for the file. \a extent is in device-independent pixels,
    //! \a devicePixelRatio that of the surface (thumbnails are made that sharp). \a picture is
    //! the description's thumbnail (UploadListModel::ThumbnailRole, e.g. a video's frame), known
    //! by \a pictureKey (the job's ID): shown when there is one, else an image file's own
    //! pixels.
    QIcon icon(const QString &path, const QString &mediaType, int extent, qreal devicePixelRatio,
        const QByteArray &picture = {}, const QString &pictureKey = {});

Q_SIGNALS:
    //! A thumbnail was read: rows showing \a path (or with that picture key) should be painted
    //! again.
    void thumbnailReady(const QString &path);

private:
    void loadSome();
    QIcon typeIcon(const QString &path, const QString &mediaType);

    QAbstractFileIconProvider *m_provider = nullptr;
    std::unique_ptr<QAbstractFileIconProvider> m_ownProvider;
    QHash<QString, QIcon> m_typeIcons; //!< media type (or suffix) -> icon
    QCache<QString, QPixmap> m_thumbnails; //!< "pixels:path" -> thumbnail, cost in kilobytes
    QSet<QString> m_noThumbnail; //!< paths that cannot have one (not an image, unreadable)
    struct Request
    {
        QString path;
        QString key; //!< pixels:path, or pixels:picture:key:bytes
        int pixels;
        qreal ratio;
        QByteArray picture; //!< decoded instead of the file when not empty
    };
    QList<Request> m_pending;
    QSet<QString> m_pendingPaths; //!< keys of m_pending
    QTimer m_loader;
};

//! Paints one upload: icon, name, state in words, a progress bar drawn by the style (so it
//! follows the palette), and a line of details (sizes, speed, time left, route; the content URI
//! when done; the failure and what to do). All texts come from UploadViewModel; sizes follow the
//! font, so HiDPI and large fonts scale.
class UploadItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit UploadItemDelegate(UploadIconCache *icons, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    //! A padlock in \a color filling \a rect: the mark of an encrypted upload.
    static void paintLock(QPainter *painter, const QRect &rect, const QColor &color);

private:
    UploadIconCache *m_icons;
};

} // namespace MatrixUpload
