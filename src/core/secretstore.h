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

} // namespace MatrixUpload
