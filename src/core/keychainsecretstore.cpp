// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// KeychainSecretStore (secretstore.h): QtKeychain's asynchronous jobs behind the synchronous
// SecretStore interface, each waited for in a local event loop.
#include "secretstore.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <QUuid>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

class KeychainSecretStorePrivate
{
public:
    QString service;
    QString scope;
    int timeoutMs = 30000;
    QString error;

    QString entryKey(const QString &id) const { return scope.isEmpty() ? id : scope + u'/' + id; }
};

namespace {
// What one QtKeychain job answered, copied out of it inside finished(): the job deletes itself
// afterwards and is not touched again.
struct Answer
{
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;
};

// libsecret delivers its answers on GLib's default main context, which Qt iterates only through
// its GLib event dispatcher (credentials.cpp makes the same check): without it a job would never
// finish, so fail at once.
QString eventLoopProblem()
{
    if (!QCoreApplication::instance())
        return u"the keychain needs a QCoreApplication"_s;
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (dispatcher && !dispatcher->inherits("QEventDispatcherGlib"))
        return u"the Secret Service answers through GLib's event loop, which this program does "
               u"not run: QT_NO_GLIB is set, or Qt was built without GLib"_s;
#endif
    return {};
}

// Starts \a job and waits for it in a local event loop that takes no user input, at most
// \a timeoutMs. The job has no parent and deletes itself once done (also when this gives up
// waiting: libsecret calls back into it later). Plain-text fallback off: design.md forbids keys
// in clear.
Answer run(QKeychain::Job *job, int timeoutMs)
{
    Answer answer;
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&answer, &loop](QKeychain::Job *j) {
        answer.finished = true;
        answer.error = j->error();
        answer.errorString = j->errorString();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j))
            answer.text = read->textData();
        loop.quit();
    });
    job->start();
    if (!answer.finished) {
        timer.start(timeoutMs);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    if (!answer.finished) {
        // The job goes on and deletes itself; its answer must not reach this frame.
        QObject::disconnect(job, nullptr, &loop, nullptr);
        answer.error = QKeychain::OtherError;
        answer.errorString = u"the keychain did not answer within %1 ms"_s.arg(timeoutMs);
    }
    return answer;
}
} // namespace

QString KeychainSecretStore::defaultService()
{
    return u"Matrix Uploader attachment keys"_s;
}

KeychainSecretStore::KeychainSecretStore(const QString &scope, const QString &service)
    : d(std::make_unique<KeychainSecretStorePrivate>())
{
    d->service = service;
    d->scope = scope;
}

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::service() const
{
    return d->service;
}

QString KeychainSecretStore::scope() const
{
    return d->scope;
}

int KeychainSecretStore::timeoutMs() const
{
    return d->timeoutMs;
}

void KeychainSecretStore::setTimeoutMs(int ms)
{
    d->timeoutMs = std::max(1, ms);
}

QString KeychainSecretStore::errorString() const
{
    return d->error;
}

std::optional<QByteArray> KeychainSecretStore::load(const QString &id)
{
    d->error = eventLoopProblem();
    if (!d->error.isEmpty())
        return std::nullopt;
    auto *job = new QKeychain::ReadPasswordJob(d->service);
    job->setKey(d->entryKey(id));
    const Answer answer = run(job, d->timeoutMs);
    if (answer.error == QKeychain::EntryNotFound)
        return std::nullopt;
    if (answer.error != QKeychain::NoError) {
        d->error = answer.errorString;
        return std::nullopt;
    }
    const auto decoded = QByteArray::fromBase64Encoding(answer.text.toLatin1());
    if (!decoded || decoded.decoded.isEmpty()) {
        d->error = u"the keychain entry is not one this program wrote"_s;
        return std::nullopt;
    }
    return decoded.decoded;
}

bool KeychainSecretStore::store(const QString &id, const QByteArray &secret)
{
    d->error = eventLoopProblem();
    if (!d->error.isEmpty())
        return false;
    auto *job = new QKeychain::WritePasswordJob(d->service);
    job->setKey(d->entryKey(id));
    // Text, not binary data: every backend stores text alike.
    job->setTextData(QString::fromLatin1(secret.toBase64()));
    const Answer answer = run(job, d->timeoutMs);
    if (answer.error != QKeychain::NoError) {
        d->error = answer.errorString;
        return false;
    }
    return true;
}

void KeychainSecretStore::remove(const QString &id)
{
    d->error = eventLoopProblem();
    if (!d->error.isEmpty())
        return;
    auto *job = new QKeychain::DeletePasswordJob(d->service);
    job->setKey(d->entryKey(id));
    const Answer answer = run(job, d->timeoutMs);
    // Removing what is not there is what the caller wanted.
    if (answer.error != QKeychain::NoError && answer.error != QKeychain::EntryNotFound)
        d->error = answer.errorString;
}

bool KeychainSecretStore::isAvailable()
{
    const QString probe = u"probe-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!store(probe, QByteArrayLiteral("probe")))
        return false;
    remove(probe);
    return d->error.isEmpty();
}

} // namespace MatrixUpload
