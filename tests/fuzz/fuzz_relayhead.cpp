// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The test server's relay: a request head from any client (request line and header fields).
#include "fuzzcheck.h"

#include <matrixupload/testserver/httpparse_p.h>

using namespace MatrixUpload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietQtMessages();
    static const QByteArray dropped("X-MatrixUpload-Relay-"); // HttpRelay::headerPrefix
    const RequestHead head = parseRequestHead(fuzzBytes(data, size), dropped);
    if (head.refuseStatus != 0) {
        FUZZ_CHECK(head.refuseStatus >= 400 && head.refuseStatus < 500);
        FUZZ_CHECK(!head.reason.isEmpty() && !head.error.isEmpty());
        return 0;
    }
    FUZZ_CHECK(!head.method.isEmpty());
    FUZZ_CHECK(head.target.startsWith('/') || head.target == "*");
    FUZZ_CHECK(head.contentLength >= 0);
    // What goes to QHttpServer: the request line first, whole lines, no header of the relay's
    // own, no bare CR or LF that would let a client split the head.
    FUZZ_CHECK(head.forwarded.startsWith(QByteArray(head.method + ' ' + head.target + ' ')));
    FUZZ_CHECK(head.forwarded.endsWith("\r\n"));
    const QList<QByteArray> lines = head.forwarded.chopped(2).split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray text = lines[i].endsWith('\r') ? lines[i].chopped(1) : lines[i];
        FUZZ_CHECK(!text.contains('\r') && !text.contains('\0'));
        if (i > 0) {
            const qsizetype colon = text.indexOf(':');
            FUZZ_CHECK(colon > 0);
            FUZZ_CHECK(!text.left(colon).trimmed().toLower().startsWith(dropped.toLower()));
        }
    }
    return 0;
}
