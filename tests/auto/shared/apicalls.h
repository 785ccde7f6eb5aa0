// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Waiting for a MediaApi call in a test, and checking its result with the error in the message.
#pragma once

#include <matrixupload/api/apicall.h>

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace MatrixUpload::Testing {

//! Waits for \a call (at most 20 s) and returns its result; the call is deleted on return. A
//! call that finished already is taken as it is; one that finishes here must signal finished()
//! exactly once (a second one would arrive with the next events).
template<class T> ApiResult<T> await(ApiCall<T> *call)
{
    const std::unique_ptr<ApiCall<T>> owner(call);
    QSignalSpy finished(call, &ApiCallBase::finished);
    if (!call->isFinished() && !finished.wait(20000))
        return MatrixError::local(QStringLiteral("test: the call did not finish"));
    QCoreApplication::processEvents();
    if (finished.count() > 1)
        return MatrixError::local(
            QStringLiteral("test: finished() fired %1 times").arg(finished.count()));
    return call->result();
}

} // namespace MatrixUpload::Testing

//! QVERIFY on an ApiResult that shows the error. Evaluates \a expr once: it may start a call.
#define VERIFY_OK(expr)                                                                            \
    do {                                                                                           \
        const auto &verifyOk_ = (expr);                                                            \
        QVERIFY2(                                                                                  \
            bool(verifyOk_), qPrintable(verifyOk_ ? QString() : verifyOk_.error().toString()));    \
    } while (false)
