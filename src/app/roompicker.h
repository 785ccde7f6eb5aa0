// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: choosing the room files are posted to.
#pragma once

#include <QDialog>
#include <QIcon>

class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;

namespace MatrixUpload {
class MediaApi;
}

namespace MatrixUpload::App {

//! The mark of an encrypted room: a lock from the icon theme (none without a theme; the text
//! says "(encrypted)" as well).
QIcon lockIcon();

//! Lists the user's joined rooms by name (`/joined_rooms`, then each room's m.room.name; a room
//! without a name shows its ID), with a search field that filters by name or ID, and "Do not
//! post" as the first choice. An encrypted room (m.room.encryption) shows a lock and
//! "(encrypted)": the app cannot post there (MainWindow refuses it).
//!
//! Object names: roomSearch, roomList, roomStatus.
class RoomPickerDialog : public QDialog
{
    Q_OBJECT
public:
    RoomPickerDialog(MediaApi *api, const QString &currentRoomId, QWidget *parent = nullptr);

    //! The chosen room; empty for "Do not post".
    QString roomId() const;
    QString roomName() const;
    //! How many rooms are listed (without "Do not post").
    int roomCount() const;
    //! Whether the listed room \a roomId is encrypted.
    bool isEncrypted(const QString &roomId) const;
    //! Selects the row with \a roomId (empty: "Do not post"); false when it is not listed.
    bool select(const QString &roomId);

Q_SIGNALS:
    //! Every room and its name are listed (or loading failed: the status says why).
    void loaded();

private:
    void load();
    void addRoom(const QString &roomId, const QString &name, bool encrypted);
    void finishOne();

    MediaApi *m_api;
    QString m_current;
    QStandardItemModel *m_rooms;
    QSortFilterProxyModel *m_filter;
    QLineEdit *m_search;
    QListView *m_list;
    QLabel *m_status;
    int m_pending = 0;
};

} // namespace MatrixUpload::App
