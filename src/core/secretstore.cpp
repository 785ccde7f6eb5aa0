// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "secretstore.h"

#include <QHash>

namespace MatrixUpload {

class MemorySecretStorePrivate
{
public:
    QHash<QString, QByteArray> secrets;
};

SecretStore::~SecretStore() = default;

MemorySecretStore::MemorySecretStore()
    : d(std::make_unique<MemorySecretStorePrivate>())
{ }

MemorySecretStore::~MemorySecretStore() = default;

std::optional<QByteArray> MemorySecretStore::load(const QString &id)
{
    const auto it = d->secrets.constFind(id);
    if (it == d->secrets.cend())
        return std::nullopt;
    return *it;
}

bool MemorySecretStore::store(const QString &id, const QByteArray &secret)
{
    d->secrets.insert(id, secret);
    return true;
}

void MemorySecretStore::remove(const QString &id)
{
    d->secrets.remove(id);
}

int MemorySecretStore::count() const
{
    return int(d->secrets.size());
}

} // namespace MatrixUpload
