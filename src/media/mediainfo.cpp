// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediainfo.h"

using namespace Qt::StringLiterals;

namespace MatrixUpload {

QJsonObject Thumbnail::toInfoJson() const
{
    if (!isValid())
        return {};
    return { { u"w"_s, image.width() }, { u"h"_s, image.height() }, { u"mimetype"_s, mimeType },
        { u"size"_s, data.size() } };
}

QString MediaInfo::msgtype() const
{
    if (mimeType.startsWith(u"image/"_s) && dimensions.isValid())
        return u"m.image"_s;
    if (mimeType.startsWith(u"video/"_s) && (dimensions.isValid() || durationMs))
        return u"m.video"_s;
    if (mimeType.startsWith(u"audio/"_s) && durationMs)
        return u"m.audio"_s;
    return u"m.file"_s;
}

QJsonObject MediaInfo::toInfoJson() const
{
    QJsonObject info;
    if (!mimeType.isEmpty())
        info.insert(u"mimetype"_s, mimeType);
    if (size >= 0)
        info.insert(u"size"_s, size);
    if (dimensions.isValid() && !dimensions.isEmpty()) {
        info.insert(u"w"_s, dimensions.width());
        info.insert(u"h"_s, dimensions.height());
    }
    if (durationMs)
        info.insert(u"duration"_s, *durationMs);
    if (thumbnail.isValid())
        info.insert(u"thumbnail_info"_s, thumbnail.toInfoJson());
    if (!blurHash.isEmpty())
        info.insert(u"xyz.amorgan.blurhash"_s, blurHash);
    return info;
}

} // namespace MatrixUpload
