// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploaditemdelegate_p.h"

#include "uploadviewmodel_p.h"

#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>

#include <QApplication>
#include <QBuffer>
#include <QFileIconProvider>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionProgressBar>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
constexpr int thumbnailsPerTurn = 2; // keeps one event loop turn short however many rows appear
constexpr qint64 maxThumbnailSource = 64LL * 1024 * 1024; // larger images keep their type icon
constexpr int thumbnailCacheKb = 32 * 1024;
} // namespace

UploadIconCache::UploadIconCache(QObject *parent)
    : QObject(parent)
    , m_thumbnails(thumbnailCacheKb)
{
    m_loader.setInterval(0);
    connect(&m_loader, &QTimer::timeout, this, &UploadIconCache::loadSome);
}

UploadIconCache::~UploadIconCache() = default;

void UploadIconCache::setIconProvider(QAbstractFileIconProvider *provider)
{
    m_provider = provider;
    m_typeIcons.clear();
}

QAbstractFileIconProvider *UploadIconCache::iconProvider() const
{
    return m_provider ? m_provider : m_ownProvider.get();
}

QIcon UploadIconCache::typeIcon(const QString &path, const QString &mediaType)
{
    const QString key = mediaType.isEmpty() ? u"suffix:"_s + QFileInfo(path).suffix() : mediaType;
    auto it = m_typeIcons.constFind(key);
    if (it != m_typeIcons.cend())
        return *it;
    if (!m_provider && !m_ownProvider)
        m_ownProvider = std::make_unique<QFileIconProvider>();
    QAbstractFileIconProvider *provider = iconProvider();
    QIcon icon = provider->icon(QFileInfo(path));
    if (icon.isNull())
        icon = provider->icon(QAbstractFileIconProvider::File);
    m_typeIcons.insert(key, icon);
    return icon;
}

QIcon UploadIconCache::icon(const QString &path, const QString &mediaType, int extent,
    qreal devicePixelRatio, const QByteArray &picture, const QString &pictureKey)
{
    if (!picture.isEmpty()) {
        // The description's picture (a video's frame, a photo's thumbnail): decoded later too.
        const int pixels = int(extent * devicePixelRatio);
        const QString key = u"%1:picture:%2:%3"_s.arg(pixels).arg(pictureKey).arg(picture.size());
        if (const QPixmap *thumbnail = m_thumbnails.object(key))
            return QIcon(*thumbnail);
        if (!m_noThumbnail.contains(key)) {
            if (!m_pendingPaths.contains(key)) {
                m_pendingPaths.insert(key);
                m_pending.append({ pictureKey, key, pixels, devicePixelRatio, picture });
                if (!m_loader.isActive())
                    m_loader.start();
            }
            // Until then an image file's own pixels may already be there.
        }
    }
    if (mediaType.startsWith(u"image/"_s) && !m_noThumbnail.contains(path)) {
        // Per size in device pixels: a screen with another ratio gets its own.
        const int pixels = int(extent * devicePixelRatio);
        const QString key = QString::number(pixels) + u':' + path;
        if (const QPixmap *thumbnail = m_thumbnails.object(key))
            return QIcon(*thumbnail);
        if (!m_pendingPaths.contains(key)) {
            m_pendingPaths.insert(key);
            m_pending.append({ path, key, pixels, devicePixelRatio, {} });
            if (!m_loader.isActive())
                m_loader.start();
        }
    }
    return typeIcon(path, mediaType);
}

void UploadIconCache::loadSome()
{
    for (int i = 0; i < thumbnailsPerTurn && !m_pending.isEmpty(); ++i) {
        Request request = m_pending.takeFirst();
        m_pendingPaths.remove(request.key);
        QImage image;
        if (!request.picture.isEmpty()) {
            QBuffer buffer(&request.picture);
            buffer.open(QIODevice::ReadOnly);
            QImageReader reader(&buffer);
            const QSize size = reader.size();
            if (size.isValid())
                reader.setScaledSize(
                    size.scaled(request.pixels, request.pixels, Qt::KeepAspectRatio));
            image = reader.read();
            if (image.isNull())
                m_noThumbnail.insert(request.key);
        } else if (QFileInfo(request.path).size() <= maxThumbnailSource) {
            QImageReader reader(request.path);
            reader.setAutoTransform(true);
            const QSize size = reader.size();
            if (size.isValid())
                reader.setScaledSize(
                    size.scaled(request.pixels, request.pixels, Qt::KeepAspectRatio));
            image = reader.read();
        }
        if (image.isNull()) {
            if (request.picture.isEmpty())
                m_noThumbnail.insert(request.path);
        } else {
            auto *pixmap = new QPixmap(QPixmap::fromImage(image));
            pixmap->setDevicePixelRatio(request.ratio);
            m_thumbnails.insert(
                request.key, pixmap, std::max<qsizetype>(1, image.sizeInBytes() / 1024));
        }
        Q_EMIT thumbnailReady(request.path);
    }
    if (m_pending.isEmpty())
        m_loader.stop();
}

// ---------------------------------------------------------------------------------------------

UploadItemDelegate::UploadItemDelegate(UploadIconCache *icons, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_icons(icons)
{ }

QSize UploadItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const int line = option.fontMetrics.lineSpacing();
    const int pad = line / 2;
    const int gap = std::max(2, line / 4);
    return { 24 * line, 2 * pad + 3 * line + 2 * gap };
}

void UploadItemDelegate::paintLock(QPainter *painter, const QRect &rect, const QColor &color)
{
    // Drawn, not taken from an icon theme: it must show on every platform and in screenshots.
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal w = rect.width() * 0.7;
    const qreal left = rect.left() + (rect.width() - w) / 2;
    const QRectF body(left, rect.top() + rect.height() * 0.45, w, rect.height() * 0.5);
    const qreal shackle = w * 0.62;
    QPen pen(color, std::max(1.5, rect.width() / 9.0));
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    const QRectF arc(
        left + (w - shackle) / 2, rect.top() + rect.height() * 0.08, shackle, rect.height() * 0.7);
    painter->drawArc(arc, 0, 180 * 16);
    painter->drawLine(QPointF(arc.left(), arc.center().y()), QPointF(arc.left(), body.top()));
    painter->drawLine(QPointF(arc.right(), arc.center().y()), QPointF(arc.right(), body.top()));
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(body, 1.5, 1.5);
    painter->restore();
}

void UploadItemDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using State = UploadJob::State;
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // The item panel only: selection and hover as the style draws them.
    opt.text.clear();
    opt.icon = QIcon();
    opt.features &= ~(QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    painter->save();
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active)                                ? QPalette::Normal
                                                                            : QPalette::Inactive;
    const QColor text
        = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.72f);

    const QFontMetrics &fm = opt.fontMetrics;
    const int line = fm.lineSpacing();
    const int pad = line / 2;
    const int gap = std::max(2, line / 4);
    const QRect area = opt.rect.adjusted(pad, pad, -pad, -pad);
    const bool rtl = opt.direction == Qt::RightToLeft;

    // Icon: the type icon or, once read, the description's picture (a video's frame) or an
    // image's own thumbnail.
    const int iconExtent = 2 * line + gap;
    QRect iconRect(
        area.left(), area.top() + (area.height() - iconExtent) / 2, iconExtent, iconExtent);
    iconRect = QStyle::visualRect(opt.direction, area, iconRect);
    const qreal ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    m_icons
        ->icon(index.data(UploadListModel::FilePathRole).toString(),
            index.data(UploadListModel::MediaTypeRole).toString(), iconExtent, ratio,
            index.data(UploadListModel::ThumbnailRole).toByteArray(),
            index.data(UploadListModel::JobIdRole).toString())
        .paint(painter, iconRect, Qt::AlignCenter, selected ? QIcon::Selected : QIcon::Normal);

    QRect content = area.adjusted(iconExtent + pad, 0, 0, 0);
    content = QStyle::visualRect(opt.direction, area, content);
    const auto state = State(index.data(UploadListModel::StateRole).toInt());

    // Line 1: the name, and the state in words at the far end.
    const QRect line1(content.left(), content.top(), content.width(), line);
    const QString stateText = index.data(UploadListModel::StateTextRole).toString();
    // An encrypted upload: a lock before the state (the details say "encrypted" in words).
    const bool encrypted = index.data(UploadListModel::EncryptedRole).toBool();
    const int lockExtent = encrypted ? fm.height() : 0;
    const int stateWidth = fm.horizontalAdvance(stateText) + (encrypted ? lockExtent + gap : 0);
    QFont bold = opt.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(text);
    const QFontMetrics boldMetrics(bold);
    const QString name
        = boldMetrics.elidedText(index.data(UploadListModel::FileNameRole).toString(),
            Qt::ElideMiddle, std::max(0, line1.width() - stateWidth - pad));
    painter->drawText(line1, Qt::AlignVCenter | (rtl ? Qt::AlignRight : Qt::AlignLeft), name);
    painter->setFont(opt.font);
    painter->setPen(state == State::Failed ? text : dim);
    painter->drawText(line1, Qt::AlignVCenter | (rtl ? Qt::AlignLeft : Qt::AlignRight), stateText);
    if (encrypted) {
        QRect lock(line1.right() - stateWidth + 1, line1.top() + (line - lockExtent) / 2,
            lockExtent, lockExtent);
        lock = QStyle::visualRect(opt.direction, line1, lock);
        paintLock(painter, lock, dim);
    }

    // Line 2: the progress bar, drawn by the style so it follows the palette and the theme.
    QStyleOptionProgressBar bar;
    bar.rect = QRect(content.left(), line1.bottom() + 1 + gap, content.width(), line);
    bar.palette = opt.palette;
    // The groove in the window colour: on the view's base colour (as most styles draw it) an
    // empty bar would vanish in dark palettes.
    bar.palette.setColor(QPalette::Base, opt.palette.color(group, QPalette::Window));
    bar.fontMetrics = fm;
    bar.direction = opt.direction;
    bar.state = (opt.state & QStyle::State_Enabled) | QStyle::State_Horizontal;
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = int(index.data(UploadListModel::ProgressRole).toDouble() * 1000);
    bar.text = index.data(UploadViewModel::ProgressTextRole).toString();
    bar.textVisible = !bar.text.isEmpty();
    bar.textAlignment = Qt::AlignCenter;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);

    // Line 3: details; a failure gets the style's warning sign in front.
    QRect line3(content.left(), bar.rect.bottom() + 1 + gap, content.width(), line);
    if (state == State::Failed) {
        const int extent = fm.height();
        QRect sign(line3.left(), line3.top() + (line - extent) / 2, extent, extent);
        sign = QStyle::visualRect(opt.direction, line3, sign);
        style->standardIcon(QStyle::SP_MessageBoxWarning, &opt, widget).paint(painter, sign);
        line3 = QStyle::visualRect(opt.direction, line3, line3.adjusted(extent + gap, 0, 0, 0));
    }
    painter->setPen(state == State::Failed ? text : dim);
    painter->drawText(line3, Qt::AlignVCenter | (rtl ? Qt::AlignRight : Qt::AlignLeft),
        fm.elidedText(
            index.data(UploadViewModel::DetailTextRole).toString(), Qt::ElideRight, line3.width()));
    painter->restore();
}

} // namespace MatrixUpload
