// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediadescriber.h"

#include "mediainforeader.h"

#include <matrixupload/mediadescription.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadmanager.h>

#include <QPointer>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

MediaDescriber::MediaDescriber(UploadManager *manager, QObject *parent)
    : QObject(parent)
{
    connect(manager, &UploadManager::jobAdded, this, &MediaDescriber::take);
}

MediaDescriber::~MediaDescriber() = default;

MediaDescription MediaDescriber::describe(const MediaInfo &info)
{
    MediaDescription description;
    // A file the reader could not open as media keeps the msgtype of its type (empty here):
    // without a decoder for it here, it may still play for the people in the room.
    if (const QString msgtype = info.msgtype(); msgtype != u"m.file"_s)
        description.msgtype = msgtype;
    description.info = info.toInfoJson();
    // The job's own type and size count (MediaDescription::info).
    description.info.remove(u"mimetype"_s);
    description.info.remove(u"size"_s);
    if (info.thumbnail.isValid()) {
        description.thumbnail = info.thumbnail.data;
        description.thumbnailMimeType = info.thumbnail.mimeType;
    }
    return description;
}

void MediaDescriber::take(UploadJob *job)
{
    if (job->filePath().isEmpty() || job->isMediaDescriptionPending())
        return;
    job->expectMediaDescription();
    auto *reader = new MediaInfoReader(this);
    QPointer<UploadJob> guard(job);
    connect(reader, &MediaInfoReader::finished, this, [this, reader, guard](const MediaInfo &info) {
        reader->deleteLater();
        if (!guard)
            return;
        guard->setMediaDescription(describe(info));
        Q_EMIT described(guard);
    });
    reader->start(job->filePath());
}

} // namespace MatrixUpload
