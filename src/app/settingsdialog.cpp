// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

SettingsDialog::SettingsDialog(const AppSettings &settings, RoomChooser pickRoom, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_pickRoom(std::move(pickRoom))
    , m_parallel(new QSpinBox(this))
    , m_chunk(new QSpinBox(this))
    , m_uploadUrls(
          new QCheckBox(tr("Upload straight to the server's storage when it offers it"), this))
    , m_verify(new QCheckBox(tr("Download each file again and compare after the upload"), this))
    , m_when(new QComboBox(this))
    , m_tray(new QCheckBox(tr("Start in the tray, without a window"), this))
    , m_notifications(new QCheckBox(tr("Show notifications"), this))
    , m_room(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    m_parallel->setObjectName(u"parallelUploads"_s);
    m_parallel->setRange(1, 16);
    m_parallel->setValue(settings.parallelUploads);
    m_chunk->setObjectName(u"chunkSize"_s);
    m_chunk->setRange(0, 1024);
    m_chunk->setSuffix(tr(" MiB"));
    m_chunk->setSpecialValueText(tr("Automatic"));
    m_chunk->setValue(settings.chunkSizeMiB);
    m_chunk->setToolTip(tr("How much is sent in one request of a resumable upload: after a lost "
                           "connection at most this much is sent again. Automatic: from 8 MiB, "
                           "larger on a link with long round trips."));
    m_uploadUrls->setObjectName(u"useUploadUrls"_s);
    m_uploadUrls->setChecked(settings.useUploadUrls);
    m_uploadUrls->setToolTip(tr("Off: every file goes through the homeserver."));
    m_verify->setObjectName(u"verifyAfterUpload"_s);
    m_verify->setChecked(settings.verifyAfterUpload);
    m_when->setObjectName(u"postWhen"_s);
    m_when->addItem(tr("As soon as the upload starts (keeps the order)"),
        int(RoomPoster::When::ContentUriKnown));
    m_when->addItem(tr("When the upload is complete"), int(RoomPoster::When::UploadCompleted));
    m_when->setCurrentIndex(m_when->findData(int(settings.postWhen)));
    m_tray->setObjectName(u"startInTray"_s);
    m_tray->setChecked(settings.startInTray);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->setToolTip(tr("This desktop shows no tray: the window opens anyway."));
    m_notifications->setObjectName(u"showNotifications"_s);
    m_notifications->setChecked(settings.showNotifications);
    m_notifications->setToolTip(
        tr("When all uploads are done, and when a file fails: in the tray, or where there is none "
           "as a desktop notification."));
    m_room->setObjectName(u"defaultRoom"_s);
    m_room->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *choose = new QPushButton(tr("Choose…"), this);
    choose->setObjectName(u"chooseRoomButton"_s);
    choose->setEnabled(bool(m_pickRoom));
    showRoom();

    auto *roomRow = new QHBoxLayout;
    roomRow->addWidget(m_room, 1);
    roomRow->addWidget(choose);
    auto *form = new QFormLayout;
    form->addRow(tr("Uploads at once:"), m_parallel);
    form->addRow(tr("Chunk size:"), m_chunk);
    form->addRow(QString(), m_uploadUrls);
    form->addRow(QString(), m_verify);
    form->addRow(tr("Post files to:"), roomRow);
    form->addRow(tr("Post when:"), m_when);
    form->addRow(QString(), m_tray);
    form->addRow(QString(), m_notifications);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(choose, &QPushButton::clicked, this, [this] {
        if (const auto room = m_pickRoom(this)) {
            m_settings.defaultRoomId = room->first;
            m_settings.defaultRoomName = room->second;
            showRoom();
        }
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void SettingsDialog::showRoom()
{
    if (m_settings.defaultRoomId.isEmpty())
        m_room->setText(tr("No room (files are only uploaded)"));
    else
        m_room->setText(m_settings.defaultRoomName.isEmpty() ? m_settings.defaultRoomId
                                                             : m_settings.defaultRoomName);
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s = m_settings;
    s.parallelUploads = m_parallel->value();
    s.chunkSizeMiB = m_chunk->value();
    s.useUploadUrls = m_uploadUrls->isChecked();
    s.verifyAfterUpload = m_verify->isChecked();
    s.postWhen = RoomPoster::When(m_when->currentData().toInt());
    s.startInTray = m_tray->isChecked();
    s.showNotifications = m_notifications->isChecked();
    return s;
}

} // namespace MatrixUpload::App
