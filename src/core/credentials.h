// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: where the access token of an account is kept between runs. The system keychain
// through QtKeychain for programs, memory for tests and for clients that keep their own; never a
// settings file and never a log line (design.md "Credentials").
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QDebug>
#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>

namespace MatrixUpload {

//! The environment variable that carries an access token where no keychain is available.
inline constexpr char accessTokenVariable[] = "MATRIX_ACCESS_TOKEN";

//! The access token from the environment variable MATRIX_ACCESS_TOKEN, without surrounding
//! whitespace (so `MATRIX_ACCESS_TOKEN=$(cat file)` works); empty when it is unset or blank.
MATRIXUPLOAD_CORE_EXPORT QString accessTokenFromEnvironment();

//! One Matrix account on one homeserver: the key its credentials are kept under.
//!
//! The homeserver is normalised (no user info, query, fragment or trailing slash; scheme and host
//! in lower case), so `https://Matrix.example.org/` and `https://matrix.example.org` are the
//! same account.
struct MATRIXUPLOAD_CORE_EXPORT CredentialAccount
{
    QUrl homeserver; //!< the client-server API base URL, e.g. https://matrix.example.org
    QString userId; //!< the full Matrix user ID, e.g. @alice:example.org

    //! An account needs an http(s) homeserver URL with a host and a user ID of the form
    //! @local:server.
    bool isValid() const;
    //! The text the account is stored under: "<user ID> on <homeserver>". Stable across versions:
    //! changing it would lose every stored token.
    QString key() const;

    friend bool operator==(const CredentialAccount &, const CredentialAccount &) = default;
};

//! What is stored for an account. Printing it with qDebug() shows only whether a token is set,
//! never the token: a stray debug line must not leak it.
struct MATRIXUPLOAD_CORE_EXPORT Credentials
{
    QString accessToken;
    QString deviceId; //!< may be empty when it is not known (a token from the environment)
    //! Spec v1.3: replaces the access token when it expires (MediaApi::setRefreshToken()); empty
    //! when the server gave none. Stored in the same keychain entry, never in a settings file.
    QString refreshToken = QString();

    friend bool operator==(const Credentials &, const Credentials &) = default;
};
MATRIXUPLOAD_CORE_EXPORT QDebug operator<<(QDebug debug, const Credentials &credentials);

//! Why a credential operation failed. The message is complete and meant for the user; it never
//! contains the secret.
class MATRIXUPLOAD_CORE_EXPORT CredentialError
{
    Q_GADGET
public:
    enum class Kind {
        NotFound, //!< nothing is stored for the account
        NoKeychain, //!< no keychain (Secret Service, KWallet, ...) can be reached
        AccessDenied, //!< the keychain is locked or the user refused access
        InvalidAccount, //!< the account is not valid (see CredentialAccount::isValid())
        InvalidData, //!< an entry exists but is not one this program wrote
        Other, //!< anything else the keychain reported
    };
    Q_ENUM(Kind)

    CredentialError() = default;
    CredentialError(Kind kind, QString message)
        : m_kind(kind)
        , m_message(std::move(message))
    { }

    static CredentialError notFound(const CredentialAccount &account);
    //! No keychain: \a detail is what the backend said. The message names the alternatives (the
    //! token in MATRIX_ACCESS_TOKEN, or signing in each time).
    static CredentialError noKeychain(const QString &detail);

    Kind kind() const { return m_kind; }
    QString message() const { return m_message; }

private:
    Kind m_kind = Kind::Other;
    QString m_message;
};

//! One credential operation in flight. finished() is emitted exactly once, never from inside the
//! call that created the job, so connecting right after the call is always in time.
//!
//! The job belongs to the store that made it until the caller takes it: delete it (or
//! deleteLater()) once finished, or use then(), which does so.
class MATRIXUPLOAD_CORE_EXPORT CredentialJob final : public QObject
{
    Q_OBJECT
public:
    enum class Operation { Load, Save, Remove };
    Q_ENUM(Operation)

    CredentialJob(Operation operation, CredentialAccount account, QObject *parent);

    Operation operation() const { return m_operation; }
    CredentialAccount account() const { return m_account; }
    bool isFinished() const { return m_finished; }
    //! The error; empty on success and while the job runs.
    const std::optional<CredentialError> &error() const { return m_error; }
    //! What a successful load found; empty for other operations and on failure.
    const Credentials &credentials() const { return m_credentials; }

    //! Calls \a f(job) once finished, then deletes the job. \a context bounds the callback's
    //! lifetime as in QObject::connect.
    template<class F> void then(QObject *context, F &&f)
    {
        QObject::connect(
            this, &CredentialJob::finished, context, [this, f = std::forward<F>(f)]() mutable {
                f(*this);
                deleteLater();
            });
    }

    //! For store implementations: records the outcome and emits finished() from the event loop.
    //! Later calls are ignored.
    void finishLater(std::optional<CredentialError> error, Credentials credentials = {});

Q_SIGNALS:
    void finished();

private:
    Operation m_operation;
    CredentialAccount m_account;
    std::optional<CredentialError> m_error;
    Credentials m_credentials;
    bool m_finished = false;
    bool m_finishing = false;
};

//! Where the access token and device ID of an account are kept. Operations are asynchronous
//! because keychains are (a desktop keychain may even ask the user to unlock it). Operations on
//! one store run in the order they were made.
//!
//! \code
//! KeychainCredentialStore store;
//! store.load({ QUrl(u"https://matrix.example.org"_s), u"@alice:example.org"_s })
//!     ->then(this, [this](const CredentialJob &job) {
//!         if (!job.error())
//!             startUploads(job.credentials().accessToken);
//!         else if (job.error()->kind() == CredentialError::Kind::NotFound)
//!             askToSignIn();
//!         else
//!             showError(job.error()->message()); // e.g. no keychain: names the alternatives
//!     });
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT CredentialStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    //! Reads the credentials of \a account; fails with NotFound when none are stored.
    virtual CredentialJob *load(const CredentialAccount &account) = 0;
    //! Stores \a credentials for \a account, replacing what was there. The access token must not
    //! be empty.
    virtual CredentialJob *save(const CredentialAccount &account, const Credentials &credentials)
        = 0;
    //! Forgets \a account; succeeds also when nothing was stored.
    virtual CredentialJob *remove(const CredentialAccount &account) = 0;
};

//! Credentials in memory, gone when the store is. For tests and for clients that persist their
//! own. setFailure() makes every later operation fail, to exercise callers' error paths.
class MATRIXUPLOAD_CORE_EXPORT MemoryCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    using CredentialStore::CredentialStore;

    CredentialJob *load(const CredentialAccount &account) override;
    CredentialJob *save(const CredentialAccount &account, const Credentials &credentials) override;
    CredentialJob *remove(const CredentialAccount &account) override;

    //! Every later operation fails with \a error (none: they work again).
    void setFailure(std::optional<CredentialError> error) { m_failure = std::move(error); }

private:
    //! Why an operation on \a account cannot run at all, if it cannot.
    std::optional<CredentialError> refusal(const CredentialAccount &account) const;

    QHash<QString, Credentials> m_entries;
    std::optional<CredentialError> m_failure;
};

//! Credentials in the system keychain through QtKeychain (the Secret Service on Linux, the
//! Keychain on macOS, the Credential Manager on Windows). One entry per account, keyed by
//! CredentialAccount::key() under the service \a service, holding a small JSON object with the
//! token and the device ID. QtKeychain's plain-text fallback stays off: without a keychain the
//! operations fail with CredentialError::Kind::NoKeychain.
//!
//! On Linux the Secret Service answers through GLib's event loop, which Qt runs by default; with
//! QT_NO_GLIB=1 the operations fail with NoKeychain rather than wait forever.
class MATRIXUPLOAD_CORE_EXPORT KeychainCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    //! The service name entries are stored under, as keychain tools show it.
    static QString defaultService();

    explicit KeychainCredentialStore(QObject *parent = nullptr);
    //! \a service other than defaultService() keeps entries apart, e.g. for a second profile.
    explicit KeychainCredentialStore(const QString &service, QObject *parent = nullptr);

    QString service() const { return m_service; }

    CredentialJob *load(const CredentialAccount &account) override;
    CredentialJob *save(const CredentialAccount &account, const Credentials &credentials) override;
    CredentialJob *remove(const CredentialAccount &account) override;

private:
    QString m_service;
};

} // namespace MatrixUpload

Q_DECLARE_METATYPE(MatrixUpload::CredentialError)
