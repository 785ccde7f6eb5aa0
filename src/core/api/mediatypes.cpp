// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "mediatypes.h"

#include "json_p.h"
#include "logging_p.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

std::optional<MxcUri> MxcUri::parse(const QString &uri)
{
    static const QRegularExpression re(u"^mxc://([^/?#]+)/([A-Za-z0-9_-]+)$"_s);
    const QRegularExpressionMatch m = re.match(uri);
    if (!m.hasMatch())
        return std::nullopt;
    return MxcUri { m.captured(1), m.captured(2) };
}

QString MxcUri::toString() const
{
    return u"mxc://"_s + serverName + u'/' + mediaId;
}

ServerVersions ServerVersions::fromJson(const QJsonObject &json)
{
    ServerVersions v;
    const QJsonArray list = json.value(u"versions"_s).toArray();
    for (const QJsonValue &item : list) {
        if (item.isString())
            v.versions.append(item.toString());
    }
    const QJsonObject flags = json.value(u"unstable_features"_s).toObject();
    for (auto it = flags.begin(); it != flags.end(); ++it)
        v.unstableFeatures.insert(it.key(), it.value().toBool());
    return v;
}

bool ServerVersions::supports(int major, int minor) const
{
    // "v1.11" is later than "v1.7": compare numbers, not strings. "r0.6.1" and other old forms
    // predate every feature asked about here.
    static const QRegularExpression re(u"^v(\\d+)\\.(\\d+)$"_s);
    for (const QString &version : versions) {
        const QRegularExpressionMatch m = re.match(version);
        if (!m.hasMatch())
            continue;
        const int ma = m.captured(1).toInt();
        const int mi = m.captured(2).toInt();
        if (ma > major || (ma == major && mi >= minor))
            return true;
    }
    return false;
}

bool ServerVersions::asyncUploads() const
{
    return asyncUploadsStable() || hasFeature(u"fi.mau.msc2246"_s);
}

bool ServerVersions::uploadUrls() const
{
    return hasFeature(u"com.beeper.msc3870"_s) || hasFeature(u"com.beeper.msc3880"_s);
}

LoginFlows LoginFlows::fromJson(const QJsonObject &json)
{
    LoginFlows result;
    for (const QJsonValue &value : json.value(u"flows"_s).toArray()) {
        const QJsonObject flow = value.toObject();
        const QJsonValue type = flow.value(u"type"_s);
        if (!type.isString() || type.toString().isEmpty())
            continue;
        result.types.append(type.toString());
        if (type.toString() != u"m.login.sso"_s)
            continue;
        for (const QJsonValue &entry : flow.value(u"identity_providers"_s).toArray()) {
            const QJsonObject idp = entry.toObject();
            IdentityProvider provider { idp.value(u"id"_s).toString(),
                idp.value(u"name"_s).toString(), idp.value(u"icon"_s).toString(),
                idp.value(u"brand"_s).toString() };
            if (!provider.id.isEmpty() && !provider.name.isEmpty())
                result.identityProviders.append(provider);
        }
    }
    return result;
}

std::optional<CreateResult> CreateResult::fromJson(const QJsonObject &json, bool unstable)
{
    CreateResult created;
    created.unstable = unstable;
    const auto uri = MxcUri::parse(json.value(u"content_uri"_s).toString());
    if (!uri)
        return std::nullopt;
    created.contentUri = *uri;
    const QJsonValue completedAt = json.value(u"com.beeper.completed_at"_s);
    created.alreadyComplete
        = !completedAt.isUndefined() && !completedAt.isNull() && completedAt != QJsonValue(false);
    const QJsonValue expires = json.value(u"unused_expires_at"_s);
    created.unusedExpiresAt = jsonNonNegative(expires);
    // The proposal names it upload_url; deployed servers (mautrix, Beeper) send the prefixed
    // name. Read both, the plain one first.
    QString uploadUrl = json.value(u"upload_url"_s).toString();
    if (uploadUrl.isEmpty())
        uploadUrl = json.value(u"com.beeper.msc3870.upload_url"_s).toString();
    if (!uploadUrl.isEmpty()) {
        const QUrl url(uploadUrl, QUrl::StrictMode);
        // Kept with any scheme (file:, data:): the job's checkUploadUrl() refuses it and says
        // why (protocol.md 4.1).
        if (url.isValid() && !url.isRelative())
            created.uploadUrl = url;
        else // Without a usable URL the MSC2246 upload to the same content URI still works.
            qCWarning(lcApi) << "ignoring an upload_url that is not an absolute URL";
    }
    const QString method = json.value(u"upload_method"_s).toString();
    if (!method.isEmpty())
        created.uploadMethod = method.toUpper().toLatin1();
    const QString protocol = json.value(u"upload_protocol"_s).toString();
    if (!protocol.isEmpty())
        created.uploadProtocol = protocol.toLower();
    return created;
}

} // namespace MatrixUpload
