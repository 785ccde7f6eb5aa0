// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The asynchronous result shape of every MediaApi call: an ApiCall<T> object that emits
// finished() once and then holds an ApiResult<T>, a value or a MatrixError (C++20 has no
// std::expected).
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include "matrixerror.h"

#include <QObject>
#include <QPointer>

#include <utility>
#include <variant>

namespace MatrixUpload {

//! A value of type T or the MatrixError that prevented it.
template<class T> class ApiResult
{
public:
    ApiResult(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    { }
    ApiResult(MatrixError error)
        : m_data(std::in_place_index<1>, std::move(error))
    { }

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }
    //! The value; only when hasValue().
    const T &value() const { return std::get<0>(m_data); }
    T &value() { return std::get<0>(m_data); }
    const T *operator->() const { return &value(); }
    const T &operator*() const { return value(); }
    //! The error; only when !hasValue().
    const MatrixError &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, MatrixError> m_data;
};

//! The untyped part of an ApiCall: the finished() signal, abort(), and the network reply in
//! flight, so abort() can reach it.
class MATRIXUPLOAD_CORE_EXPORT ApiCallBase : public QObject
{
    Q_OBJECT
public:
    ~ApiCallBase() override;

    bool isFinished() const { return m_finished; }
    //! Stops the call: the reply in flight is aborted and the result becomes
    //! MatrixError::cancelled(). Does nothing once finished.
    void abort();

Q_SIGNALS:
    //! Emitted exactly once, never from inside the call that created the ApiCall.
    void finished();
    //! Bytes of the body moved so far, for calls that move content: sent by uploads, received
    //! by downloads. \a total is -1 when unknown.
    void progress(qint64 bytes, qint64 total);

protected:
    explicit ApiCallBase(QObject *parent);
    virtual void resolveCancelled() = 0;
    void markFinished();

private:
    friend class MediaApi;
    friend class MediaApiPrivate;
    //! The reply in flight; replaced at each step of a call that takes several requests.
    void setReply(QNetworkReply *reply) { m_reply = reply; }
    QNetworkReply *reply() const { return m_reply; }

    QPointer<QNetworkReply> m_reply;
    bool m_finished = false;
};

//! One call in flight. It belongs to the MediaApi that made it until the caller takes it: delete
//! it (or deleteLater()) once done, or use then(), which does so.
//!
//! \code
//! api->mediaConfig()->then(this, [](const ApiResult<MediaConfig> &r) {
//!     if (r && r->maxUploadSize)
//!         qInfo() << "limit" << *r->maxUploadSize;
//! });
//! \endcode
template<class T> class ApiCall final : public ApiCallBase
{
public:
    explicit ApiCall(QObject *parent)
        : ApiCallBase(parent)
    { }

    //! The result; valid once isFinished().
    const ApiResult<T> &result() const { return m_result; }

    //! Calls \a f(result()) once finished, then deletes the call. \a context bounds the
    //! callback's lifetime as in QObject::connect. Attach it right after making the call (before
    //! returning to the event loop), as with any signal.
    template<class F> void then(QObject *context, F &&f)
    {
        QObject::connect(
            this, &ApiCallBase::finished, context, [this, f = std::forward<F>(f)]() mutable {
                f(m_result);
                deleteLater();
            });
    }

protected:
    void resolveCancelled() override { resolve(MatrixError::cancelled()); }

private:
    friend class MediaApi;
    friend class MediaApiPrivate;

    //! Sets the result and emits finished(), once.
    void resolve(ApiResult<T> result)
    {
        if (isFinished())
            return;
        m_result = std::move(result);
        markFinished();
    }

    ApiResult<T> m_result { MatrixError::local(QStringLiteral("the call has not finished")) };
};

} // namespace MatrixUpload
