// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "roompicker.h"

#include <matrixupload/api/mediaapi.h>

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
constexpr int RoomIdRole = Qt::UserRole + 1;
constexpr int RoomNameRole = Qt::UserRole + 2;
constexpr int SearchRole = Qt::UserRole + 3; //!< name and ID: a search matches either
constexpr int SortRole = Qt::UserRole + 4; //!< "Do not post" first, then rooms by what they show
constexpr int EncryptedRole = Qt::UserRole + 5;
} // namespace

QIcon lockIcon()
{
    // Freedesktop's name, then the one Breeze and Adwaita also have.
    QIcon icon = QIcon::fromTheme(u"object-locked"_s);
    return icon.isNull() ? QIcon::fromTheme(u"changes-prevent"_s) : icon;
}

RoomPickerDialog::RoomPickerDialog(MediaApi *api, const QString &currentRoomId, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_current(currentRoomId)
    , m_rooms(new QStandardItemModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_search(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_status(new QLabel(tr("Loading your rooms…"), this))
{
    setWindowTitle(tr("Post to a room"));
    m_search->setObjectName(u"roomSearch"_s);
    m_search->setPlaceholderText(tr("Search rooms by name"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(u"roomList"_s);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_status->setObjectName(u"roomStatus"_s);
    m_status->setWordWrap(true);

    m_filter->setSourceModel(m_rooms);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setSortLocaleAware(true);
    m_filter->setFilterRole(SearchRole);
    m_filter->setSortRole(SortRole);
    m_filter->sort(0); // and kept sorted as rooms arrive
    m_list->setModel(m_filter);

    auto *none = new QStandardItem(tr("Do not post (only upload)"));
    none->setData(QString(), RoomIdRole);
    none->setData(u""_s, SearchRole);
    none->setData(QString(), SortRole);
    m_rooms->appendRow(none);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(420, 420);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text);
        // "Do not post" stays reachable: its filter text is empty, so it only shows for an
        // empty search; select the first match so Enter takes it.
        if (m_filter->rowCount() > 0 && !m_list->currentIndex().isValid())
            m_list->setCurrentIndex(m_filter->index(0, 0));
    });
    connect(m_list, &QListView::doubleClicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    select(m_current);
    load();
}

QString RoomPickerDialog::roomId() const
{
    return m_list->currentIndex().data(RoomIdRole).toString();
}

QString RoomPickerDialog::roomName() const
{
    return m_list->currentIndex().data(RoomNameRole).toString();
}

bool RoomPickerDialog::isEncrypted(const QString &roomId) const
{
    for (int row = 0; row < m_rooms->rowCount(); ++row) {
        if (m_rooms->item(row)->data(RoomIdRole).toString() == roomId)
            return m_rooms->item(row)->data(EncryptedRole).toBool();
    }
    return false;
}

int RoomPickerDialog::roomCount() const
{
    return m_rooms->rowCount() - 1;
}

bool RoomPickerDialog::select(const QString &roomId)
{
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex index = m_filter->index(row, 0);
        if (index.data(RoomIdRole).toString() == roomId) {
            m_list->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

void RoomPickerDialog::load()
{
    m_api->joinedRooms()->then(this, [this](const ApiResult<QStringList> &rooms) {
        if (!rooms) {
            m_status->setText(
                tr("Your rooms could not be listed: %1").arg(rooms.error().toString()));
            Q_EMIT loaded();
            return;
        }
        if (rooms->isEmpty()) {
            m_status->setText(tr("You have not joined any room yet."));
            Q_EMIT loaded();
            return;
        }
        m_pending = int(rooms->size());
        for (const QString &id : *rooms) {
            m_api->roomName(id)->then(this, [this, id](const ApiResult<QString> &name) {
                // A room whose name cannot be read is still a room the user may pick.
                const QString shown = name ? *name : QString();
                m_api->roomEncrypted(id)->then(
                    this, [this, id, shown](const ApiResult<bool> &encrypted) {
                        // Unknown is not marked: RoomPoster asks again and posts nothing there
                        // until it knows.
                        addRoom(id, shown, encrypted && *encrypted);
                        finishOne();
                    });
            });
        }
    });
}

void RoomPickerDialog::addRoom(const QString &roomId, const QString &name, bool encrypted)
{
    const QString label = name.isEmpty() ? roomId : name;
    // The text says it too: for screen readers, and where the theme has no lock.
    auto *item = new QStandardItem(encrypted ? tr("%1 (encrypted)").arg(label) : label);
    if (encrypted)
        item->setIcon(lockIcon());
    item->setData(encrypted, EncryptedRole);
    item->setData(roomId, RoomIdRole);
    item->setData(name, RoomNameRole);
    item->setData(QString(name + u' ' + roomId), SearchRole);
    // Case-folded: locale-aware sorting ignores the proxy's case setting. The space puts every
    // room after the empty key of "Do not post".
    item->setData(QString(u' ' + label.toCaseFolded()), SortRole);
    item->setToolTip(encrypted
            ? tr("%1\nEncrypted: Matrix Uploader cannot post here, it cannot encrypt messages")
                  .arg(roomId)
            : roomId);
    m_rooms->appendRow(item);
}

void RoomPickerDialog::finishOne()
{
    if (--m_pending > 0)
        return;
    m_status->setText(tr("%n room(s)", nullptr, int(roomCount())));
    if (!select(m_current) && !m_current.isEmpty())
        m_status->setText(tr("You are no longer in the room chosen before."));
    Q_EMIT loaded();
}

} // namespace MatrixUpload::App
