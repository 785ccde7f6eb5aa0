// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// KeychainSecretStore (issue 13): the keys of encrypted uploads in a real gnome-keyring over a
// private D-Bus session (run-with-keyring.sh), and what a program without a keychain gets (this
// binary re-run in an environment with no usable keychain): failures, at once, never a hang.
#include "fixtures.h"

#include <matrixupload/credentials.h>
#include <matrixupload/secretstore.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using MatrixUpload::Testing::filesContaining;

namespace {
// Set by run-with-keyring.sh once a throwaway keyring runs under a temporary HOME.
constexpr char privateKeyringVariable[] = "MU_PRIVATE_KEYRING";
// Makes this binary the child of noKeychain(): use the store once and print what happened.
constexpr char childVariable[] = "MU_TST_SECRETSTORE_NO_KEYCHAIN_CHILD";

#define REQUIRE_PRIVATE_KEYRING()                                                                  \
    if (!qEnvironmentVariableIsSet(privateKeyringVariable))                                        \
    QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh (ctest runs it so); "          \
          "skipped rather than touching this user's own keyring")

// 48 bytes as UploadJob stores them (key and IV), with bytes a text path could mangle.
QByteArray secretBytes(char seed)
{
    QByteArray s(48, '\0');
    for (int i = 0; i < s.size(); ++i)
        s[i] = char(seed * 37 + i * 91);
    s[3] = '\0';
    s[4] = '\n';
    return s;
}

// The child: store, load, remove and isAvailable once each, one JSON line with the outcomes.
int runNoKeychainChild()
{
    KeychainSecretStore store(u"@child:example.org"_s);
    QJsonObject r;
    r.insert(u"stored"_s, store.store(u"job-1"_s, secretBytes(9)));
    r.insert(u"storeError"_s, store.errorString());
    r.insert(u"loaded"_s, store.load(u"job-1"_s).has_value());
    store.remove(u"job-1"_s);
    r.insert(u"available"_s, store.isAvailable());
    r.insert(u"availableError"_s, store.errorString());
    std::fputs(QJsonDocument(r).toJson(QJsonDocument::Compact).constData(), stdout);
    return 0;
}
} // namespace

class tst_KeychainSecretStore : public QObject
{
    Q_OBJECT
private:
    QList<QByteArray> m_secrets;

private Q_SLOTS:
    void names()
    {
        // Apart from the access tokens: a keychain tool tells the two kinds of entry apart.
        QVERIFY(KeychainSecretStore::defaultService() != KeychainCredentialStore::defaultService());
        KeychainSecretStore store(u"@alice:example.org on https://matrix.example.org"_s);
        QCOMPARE(store.service(), KeychainSecretStore::defaultService());
        QCOMPARE(store.scope(), u"@alice:example.org on https://matrix.example.org"_s);
        QCOMPARE(store.timeoutMs(), 30000);
        store.setTimeoutMs(0);
        QCOMPARE(store.timeoutMs(), 1);
    }

    void storeLoadRemove()
    {
        REQUIRE_PRIVATE_KEYRING();
        KeychainSecretStore store(u"@alice:example.org"_s);
        QVERIFY2(store.isAvailable(), qPrintable(store.errorString()));
        const QByteArray secret = secretBytes(1);
        m_secrets << secret;
        QVERIFY2(store.store(u"job-a"_s, secret), qPrintable(store.errorString()));
        QCOMPARE(store.load(u"job-a"_s), std::optional(secret));
        QVERIFY(store.errorString().isEmpty());
        // Replacing.
        const QByteArray other = secretBytes(2);
        m_secrets << other;
        QVERIFY(store.store(u"job-a"_s, other));
        QCOMPARE(store.load(u"job-a"_s), std::optional(other));
        store.remove(u"job-a"_s);
        QVERIFY2(store.errorString().isEmpty(), qPrintable(store.errorString()));
        QCOMPARE(store.load(u"job-a"_s), std::nullopt);
        // Removing what is not there is no error.
        store.remove(u"job-a"_s);
        QVERIFY(store.errorString().isEmpty());
    }

    void missingEntry()
    {
        REQUIRE_PRIVATE_KEYRING();
        KeychainSecretStore store;
        QCOMPARE(store.load(u"never-stored"_s), std::nullopt);
        // Nothing found is not a failure.
        QVERIFY2(store.errorString().isEmpty(), qPrintable(store.errorString()));
    }

    void survivesANewStore()
    {
        REQUIRE_PRIVATE_KEYRING();
        const QByteArray secret = secretBytes(3);
        m_secrets << secret;
        {
            KeychainSecretStore first(u"@bob:example.org"_s);
            QVERIFY2(first.store(u"job-b"_s, secret), qPrintable(first.errorString()));
        }
        // What a restarted program sees.
        KeychainSecretStore second(u"@bob:example.org"_s);
        QCOMPARE(second.load(u"job-b"_s), std::optional(secret));
        // Another scope, or another service, is another namespace.
        KeychainSecretStore otherScope(u"@carol:example.org"_s);
        QCOMPARE(otherScope.load(u"job-b"_s), std::nullopt);
        KeychainSecretStore otherService(u"@bob:example.org"_s, u"Matrix Uploader test"_s);
        QCOMPARE(otherService.load(u"job-b"_s), std::nullopt);
        // Nor is it among the access tokens.
        KeychainCredentialStore tokens;
        QVERIFY(tokens.service() != second.service());
        second.remove(u"job-b"_s);
        QCOMPARE(second.load(u"job-b"_s), std::nullopt);
    }

    void noKeychain_data()
    {
        QTest::addColumn<QString>("setup");
        // The socket the address names does not exist: nothing listens.
        QTest::addRow("bus address leads nowhere") << u"dead address"_s;
        // No address, an empty runtime dir: a headless box.
        QTest::addRow("no bus at all") << u"no bus"_s;
        // Qt without its GLib event loop never sees libsecret's answers: fail, do not hang.
        QTest::addRow("no GLib event loop") << u"no glib"_s;
    }
    void noKeychain()
    {
        QFETCH(QString, setup);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(childVariable), u"1"_s);
        env.remove(u"DISPLAY"_s);
        env.remove(u"WAYLAND_DISPLAY"_s);
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        env.insert(u"XDG_RUNTIME_DIR"_s, dir.path());
        env.insert(u"HOME"_s, dir.path());
        env.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        if (setup != u"no bus"_s)
            env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + dir.filePath(u"no-bus"_s));
        if (setup == u"no glib"_s)
            env.insert(u"QT_NO_GLIB"_s, u"1"_s);
        QProcess child;
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), QStringList());
        QVERIFY2(child.waitForFinished(60000), qPrintable(child.errorString()));
        const QByteArray errors = child.readAllStandardError();
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
            errors.constData());
        const QByteArray line = child.readAllStandardOutput().trimmed();
        const QJsonObject r = QJsonDocument::fromJson(line).object();
        QVERIFY2(!r.isEmpty(), line.constData());
        QCOMPARE(r.value(u"stored"_s).toBool(true), false);
        QCOMPARE(r.value(u"loaded"_s).toBool(true), false);
        QCOMPARE(r.value(u"available"_s).toBool(true), false);
        for (const QString &key : { u"storeError"_s, u"availableError"_s }) {
            const QString message = r.value(key).toString();
            QVERIFY2(!message.isEmpty(), line.constData());
            // A refusal, not the timeout: nothing waited for a keychain that cannot answer.
            QVERIFY2(!message.contains(u"did not answer"_s), qPrintable(message));
            if (setup == u"no glib"_s)
                QVERIFY2(message.contains(u"QT_NO_GLIB"_s), qPrintable(message));
        }
        // Nothing fell back to a plain-text file.
        const QStringList leaked = filesContaining(dir.path(), { secretBytes(9).toBase64() });
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(u", "_s)));
    }

    // Last: no secret the tests stored is in plain text (raw or base64) under the throwaway home.
    void secretsNeverInPlainFiles()
    {
        REQUIRE_PRIVATE_KEYRING();
        QVERIFY(!m_secrets.isEmpty());
        QList<QByteArray> secrets;
        for (const QByteArray &secret : std::as_const(m_secrets))
            secrets << secret << secret.toBase64();
        int files = 0;
        const QStringList leaked = filesContaining(QDir::homePath(), secrets, &files);
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(u", "_s)));
        QVERIFY(files > 0);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(childVariable))
        return runNoKeychainChild();
    tst_KeychainSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychainsecretstore.moc"
