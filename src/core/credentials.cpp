// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "credentials.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
constexpr int formatVersion = 1;

QUrl normalisedHomeserver(const QUrl &url)
{
    // QUrl already lower-cases scheme and host; the path keeps its case (a base path on a shared
    // host), only its trailing slash goes so that ".../" and "..." name the same account.
    QUrl u = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment
        | QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
    if (u.path() == u"/"_s)
        u.setPath(QString());
    return u;
}

QString accountText(const CredentialAccount &account)
{
    return account.userId + u" on "_s + normalisedHomeserver(account.homeserver).toString();
}

CredentialError invalidAccount(const CredentialAccount &account)
{
    return { CredentialError::Kind::InvalidAccount,
        QCoreApplication::translate("MatrixUpload::CredentialError",
            "Not a valid account: a homeserver URL (https://...) and a user ID "
            "(@name:server) are needed, got \"%1\" and \"%2\".")
            .arg(account.homeserver.toString(QUrl::RemoveUserInfo), account.userId) };
}

CredentialError emptyToken(const CredentialAccount &account)
{
    return { CredentialError::Kind::InvalidData,
        QCoreApplication::translate(
            "MatrixUpload::CredentialError", "Nothing to store for %1: the access token is empty.")
            .arg(accountText(account)) };
}

// libsecret reports a missing session bus or Secret Service as a generic GLib/GDBus error, which
// QtKeychain passes on as OtherError with GLib's text. These are the texts GLib and the bus use
// for "no bus" (no address, nothing listening, no X11 to autolaunch one, no machine ID) and
// "nobody provides org.freedesktop.secrets". Anything else, also other D-Bus errors, stays an
// ordinary error rather than being blamed on a missing keychain.
bool meansNoSecretService(const QString &message)
{
    static const QRegularExpression re(
        u"autolaunch|dbus-launch|machine-id|Could not connect|Cannot spawn a message bus|"
        u"The connection is closed|org\\.freedesktop\\.secrets was not provided|"
        u"org\\.freedesktop\\.DBus\\.Error\\.(ServiceUnknown|NoServer|NameHasNoOwner)"_s);
    return re.match(message).hasMatch();
}

// A Secret Service (gnome-keyring started on demand on a headless box) whose default keyring was
// never created: it needs a prompt to create one, cannot show it, and the write fails with
// "Object does not exist at path /org/freedesktop/secrets/collection/login". To the user that is
// no keychain, not a mysterious failure.
bool meansNoDefaultKeyring(const QString &message)
{
    return message.contains(u"/org/freedesktop/secrets/collection/"_s)
        && message.contains(u"does not exist"_s, Qt::CaseInsensitive);
}

CredentialError fromKeychain(
    QKeychain::Error code, const QString &message, const CredentialAccount &account)
{
    switch (code) {
    case QKeychain::EntryNotFound:
        return CredentialError::notFound(account);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return { CredentialError::Kind::AccessDenied,
            u"The keychain refused access to the access token of %1 (%2). Unlock the keychain "
            u"and try again, or put the token in the environment variable %3."_s.arg(
                accountText(account), message, QLatin1StringView(accessTokenVariable)) };
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return CredentialError::noKeychain(message);
    case QKeychain::OtherError:
        if (meansNoSecretService(message))
            return CredentialError::noKeychain(
                u"the Secret Service could not be reached over D-Bus: "_s + message);
        if (meansNoDefaultKeyring(message))
            return CredentialError::noKeychain(
                u"the Secret Service has no default keyring and could not ask to create one, "
                u"probably for lack of a display: "_s
                + message);
        break;
    case QKeychain::NoError:
    case QKeychain::CouldNotDeleteEntry:
        break;
    }
    return { CredentialError::Kind::Other,
        QCoreApplication::translate(
            "MatrixUpload::CredentialError", "The keychain failed for %1: %2")
            .arg(accountText(account), message) };
}
} // namespace

QString accessTokenFromEnvironment()
{
    return qEnvironmentVariable(accessTokenVariable).trimmed();
}

bool CredentialAccount::isValid() const
{
    static const QRegularExpression userIdRe(u"^@[^:\\s]+:\\S+$"_s);
    return homeserver.isValid() && !homeserver.host().isEmpty()
        && (homeserver.scheme() == u"https"_s || homeserver.scheme() == u"http"_s)
        && userIdRe.match(userId).hasMatch();
}

QString CredentialAccount::key() const
{
    return accountText(*this);
}

QDebug operator<<(QDebug debug, const Credentials &credentials)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "Credentials(accessToken="
                    << (credentials.accessToken.isEmpty() ? "<empty>" : "<redacted>")
                    << ", deviceId=" << credentials.deviceId << ", refreshToken="
                    << (credentials.refreshToken.isEmpty() ? "<empty>" : "<redacted>") << ')';
    return debug;
}

CredentialError CredentialError::notFound(const CredentialAccount &account)
{
    return { Kind::NotFound,
        QCoreApplication::translate(
            "MatrixUpload::CredentialError", "No access token is stored for %1; sign in first.")
            .arg(accountText(account)) };
}

CredentialError CredentialError::noKeychain(const QString &detail)
{
    return { Kind::NoKeychain,
        u"No keychain is available to keep the access token (%1). Instead, put the token in the "
        u"environment variable %2, or sign in each time."_s.arg(
            detail, QLatin1StringView(accessTokenVariable)) };
}

CredentialJob::CredentialJob(Operation operation, CredentialAccount account, QObject *parent)
    : QObject(parent)
    , m_operation(operation)
    , m_account(std::move(account))
{ }

void CredentialJob::finishLater(std::optional<CredentialError> error, Credentials credentials)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_error = std::move(error);
    m_credentials = std::move(credentials);
    // Queued even when the result is known at once, so that a caller always has the chance to
    // connect to finished() after making the call, whichever store it talks to.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_finished = true;
            Q_EMIT finished();
        },
        Qt::QueuedConnection);
}

// Memory

std::optional<CredentialError> MemoryCredentialStore::refusal(
    const CredentialAccount &account) const
{
    if (m_failure)
        return m_failure;
    if (!account.isValid())
        return invalidAccount(account);
    return std::nullopt;
}

CredentialJob *MemoryCredentialStore::load(const CredentialAccount &account)
{
    auto *job = new CredentialJob(CredentialJob::Operation::Load, account, this);
    const auto it = m_entries.constFind(account.key());
    if (auto error = refusal(account))
        job->finishLater(std::move(error));
    else if (it == m_entries.cend())
        job->finishLater(CredentialError::notFound(account));
    else
        job->finishLater(std::nullopt, *it);
    return job;
}

CredentialJob *MemoryCredentialStore::save(
    const CredentialAccount &account, const Credentials &credentials)
{
    auto *job = new CredentialJob(CredentialJob::Operation::Save, account, this);
    if (auto error = refusal(account)) {
        job->finishLater(std::move(error));
    } else if (credentials.accessToken.isEmpty()) {
        job->finishLater(emptyToken(account));
    } else {
        m_entries.insert(account.key(), credentials);
        job->finishLater(std::nullopt);
    }
    return job;
}

CredentialJob *MemoryCredentialStore::remove(const CredentialAccount &account)
{
    auto *job = new CredentialJob(CredentialJob::Operation::Remove, account, this);
    if (auto error = refusal(account)) {
        job->finishLater(std::move(error));
    } else {
        m_entries.remove(account.key());
        job->finishLater(std::nullopt);
    }
    return job;
}

// Keychain

QString KeychainCredentialStore::defaultService()
{
    return u"Matrix Uploader"_s;
}

KeychainCredentialStore::KeychainCredentialStore(QObject *parent)
    : KeychainCredentialStore(defaultService(), parent)
{ }

KeychainCredentialStore::KeychainCredentialStore(const QString &service, QObject *parent)
    : CredentialStore(parent)
    , m_service(service)
{ }

namespace {
// libsecret delivers its answers on GLib's default main context, which Qt iterates only through
// its GLib event dispatcher. Without it (QT_NO_GLIB=1, or a Qt built without GLib) every job
// would wait forever; say so at once instead. KWallet would not need GLib, but cannot be told
// apart from here, and a hang is the worse failure.
std::optional<CredentialError> eventLoopProblem()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (dispatcher && !dispatcher->inherits("QEventDispatcherGlib"))
        return CredentialError::noKeychain(
            u"the Secret Service answers through GLib's event loop, which this program does not "
            u"run: QT_NO_GLIB is set, or Qt was built without GLib"_s);
#endif
    return std::nullopt;
}

// Why an operation on \a account cannot reach the keychain at all, if it cannot.
std::optional<CredentialError> keychainRefusal(const CredentialAccount &account)
{
    if (!account.isValid())
        return invalidAccount(account);
    return eventLoopProblem();
}

// Prepares a QtKeychain job for \a job. The QtKeychain job has no parent and deletes itself when
// done: libsecret calls back into it, so it must outlive a CredentialJob the caller dropped early.
// QtKeychain runs its jobs one at a time in the order they were started, which gives the
// store's ordering guarantee.
template<class KeychainJob> KeychainJob *keychainJob(const QString &service, CredentialJob *job)
{
    auto *k = new KeychainJob(service);
    k->setAutoDelete(true);
    // The fallback would write the token in plain text to a QSettings file, which design.md
    // forbids: with no keychain the user gets the error and chooses an alternative.
    k->setInsecureFallback(false);
    k->setKey(job->account().key());
    return k;
}
} // namespace

CredentialJob *KeychainCredentialStore::load(const CredentialAccount &account)
{
    auto *job = new CredentialJob(CredentialJob::Operation::Load, account, this);
    if (auto error = keychainRefusal(account)) {
        job->finishLater(std::move(error));
        return job;
    }
    auto *k = keychainJob<QKeychain::ReadPasswordJob>(m_service, job);
    connect(k, &QKeychain::Job::finished, job, [job, k] {
        const CredentialAccount &account = job->account();
        if (k->error() != QKeychain::NoError) {
            job->finishLater(fromKeychain(k->error(), k->errorString(), account));
            return;
        }
        const QJsonObject json = QJsonDocument::fromJson(k->textData().toUtf8()).object();
        Credentials credentials { json.value(u"access_token"_s).toString(),
            json.value(u"device_id"_s).toString(), json.value(u"refresh_token"_s).toString() };
        if (json.value(u"version"_s).toInt() != formatVersion
            || credentials.accessToken.isEmpty()) {
            job->finishLater(CredentialError(CredentialError::Kind::InvalidData,
                u"The keychain entry for %1 is not one this version of Matrix Uploader can "
                u"read; sign in again to replace it."_s.arg(accountText(account))));
            return;
        }
        job->finishLater(std::nullopt, std::move(credentials));
    });
    k->start();
    return job;
}

CredentialJob *KeychainCredentialStore::save(
    const CredentialAccount &account, const Credentials &credentials)
{
    auto *job = new CredentialJob(CredentialJob::Operation::Save, account, this);
    if (auto error = keychainRefusal(account)) {
        job->finishLater(std::move(error));
        return job;
    }
    if (credentials.accessToken.isEmpty()) {
        job->finishLater(emptyToken(account));
        return job;
    }
    auto *k = keychainJob<QKeychain::WritePasswordJob>(m_service, job);
    // One entry holds both, so a token is never paired with another login's device ID.
    QJsonObject json { { u"version"_s, formatVersion },
        { u"access_token"_s, credentials.accessToken }, { u"device_id"_s, credentials.deviceId } };
    // The refresh token sits beside the access token it renews: both or neither are current.
    if (!credentials.refreshToken.isEmpty())
        json.insert(u"refresh_token"_s, credentials.refreshToken);
    k->setTextData(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
    connect(k, &QKeychain::Job::finished, job, [job, k] {
        if (k->error() != QKeychain::NoError)
            job->finishLater(fromKeychain(k->error(), k->errorString(), job->account()));
        else
            job->finishLater(std::nullopt);
    });
    k->start();
    return job;
}

CredentialJob *KeychainCredentialStore::remove(const CredentialAccount &account)
{
    auto *job = new CredentialJob(CredentialJob::Operation::Remove, account, this);
    if (auto error = keychainRefusal(account)) {
        job->finishLater(std::move(error));
        return job;
    }
    auto *k = keychainJob<QKeychain::DeletePasswordJob>(m_service, job);
    connect(k, &QKeychain::Job::finished, job, [job, k] {
        // Removing what is not there is what the caller wanted; some backends call it an error.
        if (k->error() != QKeychain::NoError && k->error() != QKeychain::EntryNotFound)
            job->finishLater(fromKeychain(k->error(), k->errorString(), job->account()));
        else
            job->finishLater(std::nullopt);
    });
    k->start();
    return job;
}

} // namespace MatrixUpload
