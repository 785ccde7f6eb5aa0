// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: where secrets that must survive a restart are kept by name, so that files
// such as resume records hold only the name (the keys of encrypted attachments, issue 13).

#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace MatrixUpload {

class MemorySecretStorePrivate;
class KeychainSecretStorePrivate;

//! A store of secrets by ID, for what must outlive the run but never be written in clear: a
//! resume record of an encrypted upload holds the ID of its key, and the key lives here.
//!
//! Calls are synchronous. A program backs it with its keychain; tests use MemorySecretStore.
class MATRIXUPLOAD_CORE_EXPORT SecretStore
{
public:
    SecretStore() = default;
    virtual ~SecretStore();
    SecretStore(const SecretStore &) = delete;
    SecretStore &operator=(const SecretStore &) = delete;

    //! The secret stored under \a id; nothing when there is none (or it cannot be read).
    virtual std::optional<QByteArray> load(const QString &id) = 0;
    //! Stores \a secret under \a id, replacing what was there. False when it could not be kept.
    virtual bool store(const QString &id, const QByteArray &secret) = 0;
    //! Forgets the secret under \a id, if any.
    virtual void remove(const QString &id) = 0;
};

//! Secrets in memory, for tests and for programs without a keychain: they last as long as the
//! store.
class MATRIXUPLOAD_CORE_EXPORT MemorySecretStore final : public SecretStore
{
public:
    MemorySecretStore();
    ~MemorySecretStore() override;

    std::optional<QByteArray> load(const QString &id) override;
    bool store(const QString &id, const QByteArray &secret) override;
    void remove(const QString &id) override;
    //! How many secrets it holds.
    int count() const;

private:
    std::unique_ptr<MemorySecretStorePrivate> d;
};

//! Secrets in the system keychain through QtKeychain, as KeychainCredentialStore keeps access
//! tokens: what a program passes as UploadContext::secretStore so that an encrypted upload
//! resumes after a restart.
//!
//! Entries live under their own service, defaultService() ("Matrix Uploader attachment keys"),
//! apart from the credentials' "Matrix Uploader", and their keys start with the \a scope given
//! (e.g. CredentialAccount::key(), so a keychain tool shows whose upload a key belongs to): the
//! entry of ID `id` is "<scope>/<id>", or "<id>" with no scope. A secret is stored as base64
//! text. QtKeychain's plain-text fallback stays off: without a keychain, store() returns false
//! and load() gives nothing, and nothing is written anywhere else.
//!
//! SecretStore is synchronous and QtKeychain is not: each call starts a QtKeychain job and waits
//! for it in a local QEventLoop that excludes user input (QEventLoop::ExcludeUserInputEvents).
//! Other events (timers, network replies, queued signals) are delivered while it waits, so a
//! caller must not hold state across the call that those could invalidate; UploadJob calls it
//! only when it starts, restores or ends an encrypted upload. A keychain that does not answer
//! within timeoutMs() counts as a failure. On Linux the Secret Service answers through GLib's
//! event loop: with QT_NO_GLIB=1 (or Qt without GLib) every call fails at once instead of
//! waiting. Use it from the thread the application's event loop runs in.
//!
//! \code
//! KeychainSecretStore secrets(account.key());
//! UploadManager manager(&api, &resumeStore);
//! manager.setSecretStore(secrets.isAvailable() ? &secrets : nullptr);
//! \endcode
class MATRIXUPLOAD_CORE_EXPORT KeychainSecretStore final : public SecretStore
{
public:
    //! The service name the entries are stored under, as keychain tools show it.
    static QString defaultService();

    //! Entries under \a service whose keys start with \a scope (none when empty).
    explicit KeychainSecretStore(
        const QString &scope = QString(), const QString &service = defaultService());
    ~KeychainSecretStore() override;

    //! The service name given to the constructor.
    QString service() const;
    //! The scope given to the constructor.
    QString scope() const;
    //! How long one call waits for the keychain, in milliseconds (default 30000).
    int timeoutMs() const;
    //! Sets how long one call waits for the keychain; at least 1 ms.
    void setTimeoutMs(int ms);

    //! Whether secrets can be kept: writes and removes a probe entry (holding no secret), so a
    //! keychain that can be read but not written (a Secret Service with no default keyring) counts
    //! as unavailable. Waits like store(). errorString() says why not.
    bool isAvailable();
    //! Why the last call failed, for the user (never key material); empty after a success and
    //! after a load() that found nothing.
    QString errorString() const;

    std::optional<QByteArray> load(const QString &id) override;
    bool store(const QString &id, const QByteArray &secret) override;
    void remove(const QString &id) override;

private:
    std::unique_ptr<KeychainSecretStorePrivate> d;
};

} // namespace MatrixUpload
