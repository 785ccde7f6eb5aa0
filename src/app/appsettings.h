// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: what the desktop app keeps in QSettings. Never a secret: the access token
// lives in the keychain (CredentialStore), or only in memory.
#pragma once

#include <matrixupload/roomposter.h>
#include <matrixupload/uploadjob.h>

#include <QList>
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

//! An account the app signs in to at start; its token is stored under it in the keychain.
//!
//! The settings file lists every account (`accounts`, an array of homeserver, user ID and room)
//! and names the active one under `account/`, the keys of the versions with one account: a file
//! of such a version loads as a list of that one account.
struct SavedAccount
{
    QUrl homeserver;
    QString userId;
    QString roomId; //!< the room this account's files are posted to; empty: not posted
    QString roomName; //!< its name as last seen

    bool isValid() const { return homeserver.isValid() && !userId.isEmpty(); }
    //! The same account: the same user on the same homeserver.
    bool isSameAccount(const SavedAccount &other) const;
    //! The active account (homeserver and user ID only).
    static SavedAccount load();
    //! Makes this the active account.
    void save() const;
    //! No active account (the list stays).
    static void clear();

    //! Every account, in the order they were added; the single account of an older settings
    //! file (with the room of its settings) when there is no list yet.
    static QList<SavedAccount> loadAll();
    //! Replaces the list with \a accounts; an empty list removes the active account too.
    static void saveAll(const QList<SavedAccount> &accounts);
};

} // namespace MatrixUpload::App
