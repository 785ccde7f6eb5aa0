// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "appsettings.h"

#include <matrixupload/uploadjob.h>

#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
QString whenName(RoomPoster::When when)
{
    return when == RoomPoster::When::UploadCompleted ? u"completed"_s : u"content-uri"_s;
}
} // namespace

AppSettings AppSettings::load()
{
    QSettings settings;
    AppSettings s;
    s.parallelUploads = std::clamp(settings.value(u"uploads/parallel"_s, 3).toInt(), 1, 16);
    if (settings.contains(u"uploads/chunk_mib"_s)) {
        s.chunkSizeMiB = std::clamp(settings.value(u"uploads/chunk_mib"_s).toInt(), 0, 1024);
    } else {
        // The key before automatic sizing, always written, 8 unless changed: 8 is the old
        // default and becomes automatic; another size was chosen and stays.
        const int old = settings.value(u"uploads/chunk_size_mib"_s, 0).toInt();
        s.chunkSizeMiB = old == 8 ? 0 : std::clamp(old, 0, 1024);
    }
    s.useUploadUrls = settings.value(u"uploads/use_upload_urls"_s, true).toBool();
    s.verifyAfterUpload = settings.value(u"uploads/verify"_s, false).toBool();
    s.defaultRoomId = settings.value(u"rooms/default_id"_s).toString();
    s.defaultRoomName = settings.value(u"rooms/default_name"_s).toString();
    s.postWhen = settings.value(u"rooms/post_when"_s).toString() == u"completed"_s
        ? RoomPoster::When::UploadCompleted
        : RoomPoster::When::ContentUriKnown;
    s.startInTray = settings.value(u"app/start_in_tray"_s, false).toBool();
    s.showNotifications = settings.value(u"app/show_notifications"_s, true).toBool();
    return s;
}

void AppSettings::save() const
{
    QSettings settings;
    settings.setValue(u"uploads/parallel"_s, parallelUploads);
    settings.setValue(u"uploads/chunk_mib"_s, chunkSizeMiB);
    settings.remove(u"uploads/chunk_size_mib"_s);
    settings.setValue(u"uploads/use_upload_urls"_s, useUploadUrls);
    settings.setValue(u"uploads/verify"_s, verifyAfterUpload);
    settings.setValue(u"rooms/default_id"_s, defaultRoomId);
    settings.setValue(u"rooms/default_name"_s, defaultRoomName);
    settings.setValue(u"rooms/post_when"_s, whenName(postWhen));
    settings.setValue(u"app/start_in_tray"_s, startInTray);
    settings.setValue(u"app/show_notifications"_s, showNotifications);
}

UploadOptions AppSettings::uploadOptions(const UploadOptions &base) const
{
    UploadOptions options = base;
    options.useUploadUrls = useUploadUrls;
    options.verify = verifyAfterUpload;
    options.chunkSize = qint64(chunkSizeMiB) * 1024 * 1024;
    return options;
}

SavedAccount SavedAccount::load()
{
    QSettings settings;
    return { settings.value(u"account/homeserver"_s).toUrl(),
        settings.value(u"account/user_id"_s).toString(), {}, {} };
}

void SavedAccount::save() const
{
    QSettings settings;
    settings.setValue(u"account/homeserver"_s, homeserver);
    settings.setValue(u"account/user_id"_s, userId);
}

void SavedAccount::clear()
{
    QSettings settings;
    settings.remove(u"account"_s);
}

bool SavedAccount::isSameAccount(const SavedAccount &other) const
{
    return userId == other.userId
        && homeserver.adjusted(QUrl::StripTrailingSlash)
        == other.homeserver.adjusted(QUrl::StripTrailingSlash);
}

QList<SavedAccount> SavedAccount::loadAll()
{
    QSettings settings;
    QList<SavedAccount> accounts;
    const int size = settings.beginReadArray(u"accounts"_s);
    for (int i = 0; i < size; ++i) {
        settings.setArrayIndex(i);
        SavedAccount account { settings.value(u"homeserver"_s).toUrl(),
            settings.value(u"user_id"_s).toString(), settings.value(u"room_id"_s).toString(),
            settings.value(u"room_name"_s).toString() };
        if (account.isValid())
            accounts.append(account);
    }
    settings.endArray();
    if (size == 0) {
        // A settings file of the versions with one account: that account, with the room.
        SavedAccount old = load();
        if (old.isValid()) {
            old.roomId = settings.value(u"rooms/default_id"_s).toString();
            old.roomName = settings.value(u"rooms/default_name"_s).toString();
            accounts.append(old);
        }
    }
    return accounts;
}

void SavedAccount::saveAll(const QList<SavedAccount> &accounts)
{
    QSettings settings;
    settings.remove(u"accounts"_s);
    if (accounts.isEmpty()) {
        settings.remove(u"account"_s);
        return;
    }
    settings.beginWriteArray(u"accounts"_s, int(accounts.size()));
    for (int i = 0; i < accounts.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(u"homeserver"_s, accounts.at(i).homeserver);
        settings.setValue(u"user_id"_s, accounts.at(i).userId);
        settings.setValue(u"room_id"_s, accounts.at(i).roomId);
        settings.setValue(u"room_name"_s, accounts.at(i).roomName);
    }
    settings.endArray();
}

} // namespace MatrixUpload::App
