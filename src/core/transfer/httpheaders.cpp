// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "httpheaders_p.h"

#include <QHostAddress>
#include <QList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
//! 1 to 18 decimal digits (below 10^18, so no overflow), as a number.
std::optional<qint64> decimal(QByteArrayView digits)
{
    if (digits.isEmpty() || digits.size() > 18
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    qint64 n = 0;
    for (const char c : digits)
        n = n * 10 + (c - '0');
    return n;
}

bool isPrivateOrLoopback(const QString &host)
{
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    if (address.isNull())
        return false;
    // QHostAddress::isPrivateUse() needs Qt 6.6.
    static const QList<std::pair<QHostAddress, int>> privateNets {
        QHostAddress::parseSubnet(u"10.0.0.0/8"_s), QHostAddress::parseSubnet(u"172.16.0.0/12"_s),
        QHostAddress::parseSubnet(u"192.168.0.0/16"_s), QHostAddress::parseSubnet(u"fc00::/7"_s)
    };
    return address.isLoopback()
        || std::any_of(privateNets.begin(), privateNets.end(),
            [&](const auto &net) { return address.isInSubnet(net); });
}

//! A link-local address (169.254.0.0/16, fe80::/10, also as an IPv4-mapped IPv6
//! address): where cloud metadata services answer (169.254.169.254), never an upload host.
bool isLinkLocal(const QHostAddress &address)
{
    if (address.isNull())
        return false;
    bool v4 = false;
    const quint32 ip4 = address.toIPv4Address(&v4);
    if (v4)
        return QHostAddress(ip4).isLinkLocal();
    return address.isLinkLocal();
}
} // namespace

std::optional<qint64> parseHeldRange(QByteArrayView value, qint64 size)
{
    if (value.isEmpty())
        return 0; // a 308 without Range: the server holds nothing
    constexpr QByteArrayView prefix("bytes=0-");
    if (!value.startsWith(prefix))
        return std::nullopt;
    const auto last = decimal(value.sliced(prefix.size()));
    if (!last || *last >= size)
        return std::nullopt;
    return *last + 1;
}

std::optional<qint64> parseTusNumber(QByteArrayView value)
{
    return decimal(value);
}

QString checkUploadUrl(const QUrl &uploadUrl, const QUrl &homeserver)
{
    const QString scheme = uploadUrl.scheme().toLower();
    if (uploadUrl.isValid() && !scheme.isEmpty() && scheme != u"https"_s && scheme != u"http"_s)
        return u"the upload URL's scheme \"%1\" is not supported"_s.arg(scheme);
    if (!uploadUrl.isValid() || uploadUrl.host().isEmpty())
        return u"the server sent an unusable upload URL"_s;
    if (!uploadUrl.userInfo().isEmpty())
        return u"the upload URL carries credentials in its address"_s;
    if (isLinkLocal(QHostAddress(uploadUrl.host())))
        return u"the upload URL points at a link-local address (%1), not an upload host"_s.arg(
            uploadUrl.host());
    if (scheme == u"https"_s)
        return {};
    if (scheme == u"http"_s && homeserver.scheme().toLower() == u"http"_s
        && isPrivateOrLoopback(homeserver.host()) && isPrivateOrLoopback(uploadUrl.host()))
        return {}; // development: a plain-http homeserver on this machine or network
    return u"the server offered an unencrypted (http) upload URL"_s;
}

QString checkUploadHostAddresses(const QString &host, const QList<QHostAddress> &addresses)
{
    const auto linkLocal = std::find_if(addresses.begin(), addresses.end(),
        [](const QHostAddress &address) { return isLinkLocal(address); });
    if (linkLocal == addresses.end())
        return {};
    return u"the upload URL's host %1 resolves to a link-local address (%2), not an upload host"_s
        .arg(host.left(253), linkLocal->toString());
}

} // namespace MatrixUpload
