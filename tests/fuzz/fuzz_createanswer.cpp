// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The homeserver's JSON answers the engine reads: /create (MSC2246 with the MSC3870 upload URL
// fields) and /versions.
#include "fuzzcheck.h"

#include <matrixupload/api/mediatypes.h>
#include <matrixupload/transfer/transfer_p.h>

#include <QJsonDocument>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietQtMessages();
    const QJsonObject json = QJsonDocument::fromJson(fuzzBytes(data, size)).object();
    for (const bool unstable : { false, true }) {
        const auto created = CreateResult::fromJson(json, unstable);
        if (!created)
            continue;
        FUZZ_CHECK(created->unstable == unstable);
        // The content URI was checked: it reads back as itself.
        const auto uri = MxcUri::parse(created->contentUri.toString());
        FUZZ_CHECK(uri && *uri == created->contentUri);
        FUZZ_CHECK(!created->contentUri.mediaId.contains(u'/'));
        if (!created->uploadUrl.isEmpty()) {
            FUZZ_CHECK(created->uploadUrl.isValid() && !created->uploadUrl.isRelative());
            // Whatever the URL, the check says yes or why not, and never yes to a scheme
            // other than http(s).
            const QString why
                = checkUploadUrl(created->uploadUrl, QUrl(QStringLiteral("https://hs.example")));
            const QString scheme = created->uploadUrl.scheme().toLower();
            FUZZ_CHECK(!why.isEmpty() || scheme == QStringLiteral("https"));
        }
    }
    const ServerVersions versions = ServerVersions::fromJson(json);
    (void)versions.asyncUploads();
    (void)versions.uploadUrls();
    (void)versions.authenticatedMedia();
    return 0;
}
