// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the settings dialog.
#pragma once

#include "appsettings.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace MatrixUpload::App {

//! Edits AppSettings. The default room is chosen with \a pickRoom (the room picker; null when
//! not signed in, which disables the choice).
//!
//! Object names: parallelUploads, chunkSize, useUploadUrls, verifyAfterUpload, postWhen,
//! startInTray, showNotifications, defaultRoom, chooseRoomButton.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    //! Gives the chosen room ID and name, or nothing when the choice was cancelled.
    using RoomChooser = std::function<std::optional<std::pair<QString, QString>>(QWidget *parent)>;

    SettingsDialog(const AppSettings &settings, RoomChooser pickRoom, QWidget *parent = nullptr);

    AppSettings settings() const;

private:
    void showRoom();

    AppSettings m_settings;
    RoomChooser m_pickRoom;
    QSpinBox *m_parallel;
    QSpinBox *m_chunk;
    QCheckBox *m_uploadUrls;
    QCheckBox *m_verify;
    QComboBox *m_when;
    QCheckBox *m_tray;
    QCheckBox *m_notifications;
    QLabel *m_room;
};

} // namespace MatrixUpload::App
