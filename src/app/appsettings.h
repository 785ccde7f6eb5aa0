// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: what the desktop app keeps in QSettings. Never a secret: the access token
// lives in the keychain (CredentialStore), or only in memory.
#pragma once

#include <matrixupload/roomposter.h>
#include <matrixupload/uploadjob.h>

#include <QString>
#include <QUrl>

namespace MatrixUpload::App {

//! The preferences of the settings dialog and the room last chosen.
struct AppSettings
{
    int parallelUploads = 3;
    int chunkSizeMiB = 0; //!< 0: sized to the link (UploadOptions::chunkSize)
    bool useUploadUrls = true;
    bool verifyAfterUpload = false;
    QString defaultRoomId; //!< empty: files are not posted
    QString defaultRoomName;
    RoomPoster::When postWhen = RoomPoster::When::ContentUriKnown;
    bool startInTray = false;
    //! The tray's messages, or desktop notifications where there is no tray.
    bool showNotifications = true;

    static AppSettings load();
    void save() const;

    //! The engine options these settings give.
    UploadOptions uploadOptions(const UploadOptions &base = {}) const;

    friend bool operator==(const AppSettings &, const AppSettings &) = default;
};

//! The account the app signs in to at start; the token is stored under it in the keychain.
struct SavedAccount
{
    QUrl homeserver;
    QString userId;

    bool isValid() const { return homeserver.isValid() && !userId.isEmpty(); }
    static SavedAccount load();
    void save() const;
    static void clear();
};

} // namespace MatrixUpload::App
