// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader test media server: the few QtHttpServer calls whose form changed after Qt 6.4.
#pragma once

#include <QtGlobal>
#include <QtHttpServer/QHttpServerResponder>
#include <QtHttpServer/QHttpServerResponse>

#include <utility>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QtNetwork/QHttpHeaders>
#endif

namespace MatrixUpload::TestServerCompat {

using HeaderPairs = QList<std::pair<QByteArray, QByteArray>>;

// Qt 6.8 replaced QHttpServerResponse's header setters with QHttpHeaders.
inline void addHeaders(QHttpServerResponse &response, const HeaderPairs &headers)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders all = response.headers();
    for (const auto &[name, value] : headers)
        all.append(name, value);
    response.setHeaders(std::move(all));
#else
    for (const auto &[name, value] : headers)
        response.addHeader(name, value);
#endif
}

// Sending a finished response: QHttpServerResponse::write() up to 6.7, sendResponse() later.
inline void send(QHttpServerResponder &responder, QHttpServerResponse &&response)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    responder.sendResponse(std::move(response));
#else
    response.write(std::move(responder));
#endif
}

// Route handlers take the responder by rvalue reference up to 6.7 and by lvalue reference later;
// both can be moved from to answer later.
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
using ResponderArg = QHttpServerResponder &;
#else
using ResponderArg = QHttpServerResponder &&;
#endif

} // namespace MatrixUpload::TestServerCompat
