// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Plain request and result types of the Matrix media API (MediaApi), kept apart from the client
// so that jobs, stores and tests can use them without a network.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QHash>
#include <QIODevice>
#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace MatrixUpload {

//! The result of a call that returns nothing but success (logout).
struct MATRIXUPLOAD_CORE_EXPORT Done
{
};

//! An `mxc://server/mediaId` URI.
struct MATRIXUPLOAD_CORE_EXPORT MxcUri
{
    QString serverName;
    QString mediaId;

    //! Parses "mxc://server/id"; nothing when it is not one. The media ID must match
    //! `[A-Za-z0-9_-]+`, the spec's grammar, so it cannot smuggle path segments into a URL.
    static std::optional<MxcUri> parse(const QString &uri);
    QString toString() const;
    bool operator==(const MxcUri &) const = default;
};

//! What `GET /_matrix/client/versions` says, and what it means for media (protocol.md 1).
struct MATRIXUPLOAD_CORE_EXPORT ServerVersions
{
    QStringList versions; //!< as sent, e.g. "v1.11"
    QHash<QString, bool> unstableFeatures;

    static ServerVersions fromJson(const QJsonObject &json);

    //! Whether the server supports spec version \a major.\a minor or a later v1 one.
    bool supports(int major, int minor) const;
    bool hasFeature(const QString &name) const { return unstableFeatures.value(name); }

    //! MSC2246 async uploads, stable from v1.7.
    bool asyncUploadsStable() const { return supports(1, 7); }
    //! MSC2246 on the stable or the unstable (fi.mau.msc2246) paths.
    bool asyncUploads() const;
    //! MSC3870 upload URLs: com.beeper.msc3870, or the proposal text's misspelling ...msc3880.
    bool uploadUrls() const;
    //! Authenticated media (/_matrix/client/v1/media/...), from v1.11.
    bool authenticatedMedia() const { return supports(1, 11); }
};

//! Where a server name or a typed URL leads (spec "Server Discovery", protocol.md 1).
struct MATRIXUPLOAD_CORE_EXPORT DiscoveryResult
{
    QUrl baseUrl; //!< the homeserver's client-server API base, without a trailing slash
    bool fromWellKnown = false; //!< false: the typed URL itself, the server had no .well-known
    ServerVersions versions; //!< fetched to validate the base URL
};

//! `POST /_matrix/client/v3/login` with a password or a login token (SSO).
struct MATRIXUPLOAD_CORE_EXPORT LoginResult
{
    QString accessToken;
    QString userId;
    QString deviceId;
    QUrl wellKnownBaseUrl; //!< the server's hint where to talk from now on, if it gave one
    //! Spec v1.3: given when the login asked for one (MediaApi::setRequestRefreshToken()).
    QString refreshToken;
    //! Spec v1.3 `expires_in_ms`: the access token's lifetime; none: it does not expire.
    std::optional<qint64> expiresInMs;
};

//! An identity provider of the `m.login.sso` flow (spec "SSO client login",
//! definitions/sso_login_flow.yaml): one "Sign in with <name>" button each.
struct MATRIXUPLOAD_CORE_EXPORT IdentityProvider
{
    QString id; //!< opaque; goes into MediaApi::ssoRedirectUrl()
    QString name; //!< for the user, e.g. "GitHub"
    QString icon; //!< optional mxc:// URI of an icon
    QString brand; //!< optional UI hint from the spec's brand registry, e.g. "github"
};

//! Spec `GET /_matrix/client/v3/login`: how the server lets users sign in.
struct MATRIXUPLOAD_CORE_EXPORT LoginFlows
{
    QStringList types; //!< every flow's `type`, in the server's order
    //! The `identity_providers` of the `m.login.sso` flow; empty when it names none (one
    //! generic "Sign in with single sign-on" then).
    QList<IdentityProvider> identityProviders;

    //! Whether `m.login.password` is offered.
    bool hasPassword() const { return types.contains(QStringLiteral("m.login.password")); }
    //! Whether `m.login.sso` is offered.
    bool hasSso() const { return types.contains(QStringLiteral("m.login.sso")); }
    //! Reads the answer's `flows`; entries without a string `type`, and providers without an
    //! `id` or `name`, are left out.
    static LoginFlows fromJson(const QJsonObject &json);
};

//! Spec v1.3 `POST /_matrix/client/v3/refresh`.
struct MATRIXUPLOAD_CORE_EXPORT RefreshResult
{
    QString accessToken; //!< the new access token
    //! The refresh token to use next time: the new one, or the old one when the server gave
    //! none (it may be used again then).
    QString refreshToken;
    std::optional<qint64> expiresInMs; //!< none: the access token does not expire
};

//! `GET /_matrix/client/v1/media/config` (or the v3 path).
struct MATRIXUPLOAD_CORE_EXPORT MediaConfig
{
    std::optional<qint64> maxUploadSize; //!< m.upload.size: advisory, a proxy may be stricter
};

//! `POST /_matrix/media/v1/create` (MSC2246) with the MSC3870 fields.
struct MATRIXUPLOAD_CORE_EXPORT CreateResult
{
    MxcUri contentUri;
    std::optional<qint64> unusedExpiresAt; //!< ms since the epoch; the ID dies unused after it
    QUrl uploadUrl; //!< MSC3870: where to send the bytes; empty when the server offers none
    QByteArray uploadMethod = "PUT"; //!< MSC3870 upload_method
    QString uploadProtocol = QStringLiteral("put"); //!< this project's upload_protocol (4.2)
    //! Created on the unstable fi.mau.msc2246 path: the MSC2246 upload must use that prefix too.
    bool unstable = false;
    //! Beeper's create extension: `com.beeper.completed_at` says the server holds the content
    //! behind contentUri already, so there is nothing to upload (protocol.md 3).
    bool alreadyComplete = false;

    //! Reads a 200 answer of /create; nothing without a valid content_uri. An upload_url that
    //! is not an absolute URL (with a scheme) is dropped (the MSC2246 upload still works without
    //! it); whether the job may use one is checkUploadUrl()'s to decide.
    static std::optional<CreateResult> fromJson(const QJsonObject &json, bool unstable = false);
};

//! `POST .../upload/{serverName}/{mediaId}/complete` (MSC3870, protocol.md 4.6).
struct MATRIXUPLOAD_CORE_EXPORT CompleteResult
{
    //! The server detects completion on its own (both complete paths unrecognized, the first
    //! MSC3870 text): the upload is done, there is nothing to confirm.
    bool detectedByServer = false;
    QString contentUri; //!< as the server confirmed it; empty when detectedByServer
};

//! The body of an upload (protocol.md 6 and 7), streamed from a device, never read whole.
struct MATRIXUPLOAD_CORE_EXPORT UploadSource
{
    //! Open for reading and positioned at the first byte; it must give exactly \c size bytes
    //! and live until the call finishes. A sequential device is streamed unbuffered, so the
    //! request cannot be replayed by QtNetwork: a retry needs a new device.
    QPointer<QIODevice> device;
    qint64 size = 0; //!< sent as the exact Content-Length
    QByteArray contentType = "application/octet-stream";
    QString fileName; //!< optional `?filename=`
};

struct MATRIXUPLOAD_CORE_EXPORT DownloadOptions
{
    //! timeout_ms: how long the server may wait for media not yet uploaded; negative: the
    //! server's default (20 s). 0 asks for an immediate 504 M_NOT_YET_UPLOADED.
    qint64 timeoutMs = -1;
    QString fileName; //!< the optional trailing {fileName} path segment
    //! When set, the body is written here as it arrives and DownloadResult::data stays empty;
    //! the device must be open for writing. Only a 2xx body is written.
    QPointer<QIODevice> sink;
    //! Read no more of the content than this (the size the caller knows it to have): a longer
    //! one ends the download at once, with DownloadResult::longer (a server that sends on and
    //! on, or another file). Negative: no bound.
    qint64 maxBytes = -1;
};

struct MATRIXUPLOAD_CORE_EXPORT DownloadResult
{
    QByteArray data; //!< the content, unless DownloadOptions::sink took it
    qint64 size = 0; //!< bytes received
    QByteArray contentType;
    bool redirected = false; //!< the content came from a redirect target (a CDN)
    //! The content went on past DownloadOptions::maxBytes: the rest was not read, and data and
    //! size hold what came before the piece that went past it.
    bool longer = false;
};

} // namespace MatrixUpload
