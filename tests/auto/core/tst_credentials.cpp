// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Credentials: the memory store, the keychain store for real against gnome-keyring over a private
// D-Bus session (run-with-keyring.sh), and the error a user gets where no keychain is reachable
// (this binary re-run with a D-Bus address that leads nowhere).
#include "fixtures.h"

#include <matrixupload/credentials.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using MatrixUpload::Testing::filesContaining;
using Kind = CredentialError::Kind;

namespace {
// Set by run-with-keyring.sh once a throwaway keyring runs under a temporary HOME. The keychain
// tests write only there: run straight from a desktop, they would write to the user's keyring.
constexpr char privateKeyringVariable[] = "MU_PRIVATE_KEYRING";
// Makes this binary the child of noKeychain(): try the keychain once and print what happened.
constexpr char childVariable[] = "MU_TST_CREDENTIALS_NO_KEYCHAIN_CHILD";
// Makes this binary the child of keychainAcrossProcesses(): load (or remove) alice's credentials
// with a store of its own, in a process of its own, and print what it found.
constexpr char readerVariable[] = "MU_TST_CREDENTIALS_READER_CHILD";

const CredentialAccount alice { QUrl(u"https://matrix.example.org"_s), u"@alice:example.org"_s };
const CredentialAccount bob { QUrl(u"https://matrix.example.org"_s), u"@bob:example.org"_s };
// Same user ID on another homeserver: a different account.
const CredentialAccount aliceElsewhere { QUrl(u"https://other.example.net"_s),
    u"@alice:example.org"_s };

// A macro, not a function: QSKIP returns from the test function it is written in.
#define REQUIRE_PRIVATE_KEYRING()                                                                  \
    if (!qEnvironmentVariableIsSet(privateKeyringVariable))                                        \
    QSKIP("needs the throwaway keyring of tests/run-with-keyring.sh (ctest runs it so); "          \
          "skipped rather than touching this user's own keyring")

using JobPtr = std::unique_ptr<CredentialJob>;

//! Waits for \a job to finish (it never has at the time the call returns) and hands it back.
JobPtr finish(CredentialJob *job)
{
    JobPtr owned(job);
    if (!job->isFinished()) {
        QSignalSpy spy(job, &CredentialJob::finished);
        // A keychain can take its time on a loaded machine; the answer comes well within this.
        if (!spy.wait(30000))
            qWarning("credential job did not finish");
    }
    return owned;
}

QString errorText(const JobPtr &job)
{
    return job->error() ? job->error()->message() : u"(no error)"_s;
}

// Collects every message logged while it exists, to show the token is never among them.
class MessageRecorder
{
public:
    MessageRecorder()
    {
        s_messages.clear();
        m_previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                                const QString &text) { s_messages.append(text); });
    }
    ~MessageRecorder() { qInstallMessageHandler(m_previous); }
    static QStringList messages() { return s_messages; }

private:
    static inline QStringList s_messages;
    QtMessageHandler m_previous = nullptr;
};

// The child: what each operation of a keychain store answers, one JSON object per line.
int runNoKeychainChild()
{
    KeychainCredentialStore store(u"Matrix Uploader test"_s);
    QTextStream out(stdout);
    const auto report = [&out](const char *operation, const JobPtr &job) {
        QJsonObject line { { u"operation"_s, QLatin1StringView(operation) },
            { u"finished"_s, job->isFinished() }, { u"error"_s, job->error().has_value() } };
        if (job->error()) {
            line.insert(u"kind"_s,
                QLatin1StringView(
                    QMetaEnum::fromType<Kind>().valueToKey(int(job->error()->kind()))));
            line.insert(u"message"_s, job->error()->message());
        }
        out << QJsonDocument(line).toJson(QJsonDocument::Compact) << '\n';
    };
    report("save", finish(store.save(alice, { u"syt_child_secret"_s, u"DEV"_s })));
    report("load", finish(store.load(alice)));
    report("remove", finish(store.remove(alice)));
    return 0;
}

// The child of keychainAcrossProcesses(): what a program started later finds in the keychain.
int runReaderChild(const QByteArray &operation)
{
    KeychainCredentialStore store;
    const JobPtr job = finish(operation == "remove" ? store.remove(alice) : store.load(alice));
    QTextStream out(stdout);
    if (job->error())
        out << "error " << QMetaEnum::fromType<Kind>().valueToKey(int(job->error()->kind()));
    else if (operation == "remove")
        out << "removed";
    else
        out << "found " << job->credentials().accessToken << ' ' << job->credentials().deviceId;
    return 0;
}
} // namespace

class tst_Credentials final : public QObject
{
    Q_OBJECT

    QStringList m_tokens; // every token a test stored, for the "never in a file or log" checks

private Q_SLOTS:
    void accountKey()
    {
        // Case of scheme and host, a trailing slash, user info and a query do not make another
        // account; the path does (a homeserver under a path on a shared host).
        const CredentialAccount variant { QUrl(u"HTTPS://user:pw@Matrix.Example.org/?x=1#f"_s),
            u"@alice:example.org"_s };
        QCOMPARE(variant.key(), alice.key());
        QCOMPARE(alice.key(), u"@alice:example.org on https://matrix.example.org"_s);
        QVERIFY(!variant.key().contains(u"pw"_s));
        QVERIFY(alice.key() != bob.key());
        QVERIFY(alice.key() != aliceElsewhere.key());
        const CredentialAccount withPath { QUrl(u"https://example.org/matrix/"_s),
            u"@alice:example.org"_s };
        QCOMPARE(withPath.key(), u"@alice:example.org on https://example.org/matrix"_s);
    }

    void accountValidity_data()
    {
        QTest::addColumn<QString>("homeserver");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<bool>("valid");
        QTest::addRow("https") << u"https://matrix.example.org"_s << u"@a:example.org"_s << true;
        QTest::addRow("http, port") << u"http://127.0.0.1:8008"_s << u"@a:localhost:8008"_s << true;
        QTest::addRow("no scheme") << u"matrix.example.org"_s << u"@a:example.org"_s << false;
        QTest::addRow("ftp") << u"ftp://matrix.example.org"_s << u"@a:example.org"_s << false;
        QTest::addRow("empty URL") << QString() << u"@a:example.org"_s << false;
        QTest::addRow("localpart only") << u"https://matrix.example.org"_s << u"alice"_s << false;
        QTest::addRow("no @") << u"https://matrix.example.org"_s << u"a:example.org"_s << false;
        QTest::addRow("empty user") << u"https://matrix.example.org"_s << QString() << false;
    }
    void accountValidity()
    {
        QFETCH(QString, homeserver);
        QFETCH(QString, userId);
        QFETCH(bool, valid);
        QCOMPARE((CredentialAccount { QUrl(homeserver), userId }.isValid()), valid);
    }

    void tokenFromEnvironment()
    {
        const QByteArray saved = qgetenv(accessTokenVariable);
        const bool wasSet = qEnvironmentVariableIsSet(accessTokenVariable);
        QCOMPARE(QByteArray(accessTokenVariable), "MATRIX_ACCESS_TOKEN"_ba);

        qputenv(accessTokenVariable, " syt_from_env\n"_ba); // as $(cat file) may leave it
        QCOMPARE(accessTokenFromEnvironment(), u"syt_from_env"_s);
        qputenv(accessTokenVariable, "  "_ba);
        QCOMPARE(accessTokenFromEnvironment(), QString());
        qunsetenv(accessTokenVariable);
        QCOMPARE(accessTokenFromEnvironment(), QString());

        if (wasSet)
            qputenv(accessTokenVariable, saved);
    }

    void debugOutputHidesToken()
    {
        QString text;
        QDebug(&text) << Credentials { u"syt_debug_secret"_s, u"DEVICEID"_s,
            u"syr_debug_secret"_s };
        QVERIFY2(!text.contains(u"syt_debug_secret"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"syr_debug_secret"_s), qPrintable(text));
        QVERIFY2(text.contains(u"<redacted>"_s) && text.contains(u"DEVICEID"_s), qPrintable(text));
        text.clear();
        QDebug(&text) << Credentials {};
        QVERIFY2(text.contains(u"<empty>"_s), qPrintable(text));
    }

    void noKeychainMessage()
    {
        const CredentialError e = CredentialError::noKeychain(u"the bus is gone"_s);
        QCOMPARE(e.kind(), Kind::NoKeychain);
        QVERIFY2(e.message().contains(u"No keychain is available"_s), qPrintable(e.message()));
        QVERIFY2(e.message().contains(u"the bus is gone"_s), qPrintable(e.message()));
        QVERIFY2(e.message().contains(u"MATRIX_ACCESS_TOKEN"_s), qPrintable(e.message()));
        QVERIFY2(e.message().contains(u"sign in each time"_s), qPrintable(e.message()));
    }

    // The contract both stores keep, run against each: a store a test can swap in must behave
    // like the real one.
    void store_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addRow("memory") << u"memory"_s;
        QTest::addRow("keychain") << u"keychain"_s;
    }
    void store()
    {
        QFETCH(QString, kind);
        std::unique_ptr<CredentialStore> store;
        if (kind == u"keychain"_s) {
            REQUIRE_PRIVATE_KEYRING();
            store = std::make_unique<KeychainCredentialStore>();
        } else {
            store = std::make_unique<MemoryCredentialStore>();
        }
        const MessageRecorder recorder;
        const QString token1 = u"syt_YWxpY2U_first_%1"_s.arg(kind);
        const QString token2 = u"syt_YWxpY2U_second_%1"_s.arg(kind);
        const QString tokenBob = u"syt_Ym9i_%1"_s.arg(kind);
        m_tokens << token1 << token2 << tokenBob;

        // Nothing there yet: a clear "not found", which callers tell apart from failures.
        JobPtr job = finish(store->load(alice));
        QVERIFY(job->isFinished());
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::NotFound);
        QVERIFY2(
            job->error()->message().contains(u"@alice:example.org"_s), qPrintable(errorText(job)));
        QCOMPARE(job->credentials(), Credentials {});

        // Save and load back.
        job = finish(store->save(alice, { token1, u"DEVICE1"_s }));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->operation(), CredentialJob::Operation::Save);
        job = finish(store->load(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->credentials(), (Credentials { token1, u"DEVICE1"_s }));
        QCOMPARE(job->account(), alice);

        // Overwrite: the second login's token and device replace the first's.
        job = finish(store->save(alice, { token2, u"DEVICE2"_s }));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        job = finish(store->load(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->credentials(), (Credentials { token2, u"DEVICE2"_s }));

        // With a refresh token (spec v1.3): kept beside the access token in the same entry, and
        // gone again when a login without one replaces it.
        const QString refresh = u"syr_YWxpY2U_refresh_%1"_s.arg(kind);
        const QString refreshed = u"syt_YWxpY2U_refreshed_%1"_s.arg(kind);
        m_tokens << refresh << refreshed;
        job = finish(store->save(alice, { refreshed, u"DEVICE2"_s, refresh }));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        job = finish(store->load(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->credentials(), (Credentials { refreshed, u"DEVICE2"_s, refresh }));
        job = finish(store->save(alice, { token2, u"DEVICE2"_s }));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        job = finish(store->load(alice));
        QCOMPARE(job->credentials().refreshToken, QString());

        // Two accounts are kept apart, also the same user ID on another homeserver.
        job = finish(store->save(bob, { tokenBob, QString() }));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        job = finish(store->load(bob));
        QCOMPARE(job->credentials(), (Credentials { tokenBob, QString() }));
        job = finish(store->load(alice));
        QCOMPARE(job->credentials(), (Credentials { token2, u"DEVICE2"_s }));
        job = finish(store->load(aliceElsewhere));
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::NotFound);

        // Remove one account: the other stays; removing again is no error.
        job = finish(store->remove(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        job = finish(store->load(alice));
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::NotFound);
        job = finish(store->remove(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        job = finish(store->load(bob));
        QCOMPARE(job->credentials(), (Credentials { tokenBob, QString() }));
        job = finish(store->remove(bob));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));

        // Refused before the keychain is asked.
        job = finish(store->save(alice, { QString(), u"DEVICE"_s }));
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::InvalidData);
        job = finish(store->load({ QUrl(u"matrix.example.org"_s), u"alice"_s }));
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::InvalidAccount);

        for (const QString &message : MessageRecorder::messages()) {
            for (const QString &token : std::as_const(m_tokens))
                QVERIFY2(!message.contains(token), qPrintable(u"token logged: "_s + message));
        }
    }

    void finishedIsNeverEmittedInsideTheCall()
    {
        MemoryCredentialStore store;
        int emitted = 0;
        CredentialJob *job = store.load(alice);
        connect(job, &CredentialJob::finished, this, [&emitted] { ++emitted; });
        QVERIFY(!job->isFinished());
        QCOMPARE(emitted, 0);
        JobPtr done = finish(job);
        QCOMPARE(emitted, 1);
        QVERIFY(done->error());
    }

    void thenDeletesTheJob()
    {
        MemoryCredentialStore store;
        QVERIFY(!finish(store.save(alice, { u"syt_then"_s, u"D"_s }))->error());
        QPointer<CredentialJob> job = store.load(alice);
        Credentials seen;
        QSignalSpy destroyed(job.get(), &QObject::destroyed);
        job->then(this, [&seen](const CredentialJob &j) { seen = j.credentials(); });
        QVERIFY(destroyed.wait()); // deleteLater() ran
        QVERIFY(job.isNull());
        QCOMPARE(seen, (Credentials { u"syt_then"_s, u"D"_s }));
    }

    void memoryStoreFailure()
    {
        MemoryCredentialStore store;
        QVERIFY(!finish(store.save(alice, { u"syt_kept"_s, u"D"_s }))->error());
        store.setFailure(CredentialError::noKeychain(u"simulated"_s));
        JobPtr job = finish(store.load(alice));
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::NoKeychain);
        QCOMPARE(job->credentials(), Credentials {});
        job = finish(store.remove(alice));
        QVERIFY(job->error());
        store.setFailure(std::nullopt);
        // The failed remove did not remove.
        job = finish(store.load(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->credentials().accessToken, u"syt_kept"_s);
    }

    void keychainSurvivesANewStore()
    {
        REQUIRE_PRIVATE_KEYRING();
        {
            KeychainCredentialStore first;
            JobPtr job = finish(first.save(alice, { u"syt_restart"_s, u"RESTART"_s }));
            QVERIFY2(!job->error(), qPrintable(errorText(job)));
        }
        // What a restarted program sees.
        KeychainCredentialStore second;
        QCOMPARE(second.service(), u"Matrix Uploader"_s);
        JobPtr job = finish(second.load(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->credentials(), (Credentials { u"syt_restart"_s, u"RESTART"_s }));
        m_tokens << u"syt_restart"_s;

        // Another service name is another namespace.
        KeychainCredentialStore other(u"Matrix Uploader test profile"_s);
        const JobPtr otherJob = finish(other.load(alice)); // after `other`: its child, freed first
        QVERIFY(otherJob->error());
        QCOMPARE(otherJob->error()->kind(), Kind::NotFound);

        QVERIFY(!finish(second.remove(alice))->error());
    }

    void keychainAcrossProcesses()
    {
        // Saved by this process, found by another (the Secret Service keeps it, not this
        // process), removed by a third, gone for this one.
        REQUIRE_PRIVATE_KEYRING();
        KeychainCredentialStore store;
        JobPtr job = finish(store.save(alice, { u"syt_across"_s, u"ACROSS"_s }));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        m_tokens << u"syt_across"_s;
        const auto child = [](const QString &operation) -> QString {
            QProcess process;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QString::fromLatin1(readerVariable), operation);
            process.setProcessEnvironment(env);
            process.start(QCoreApplication::applicationFilePath(), {});
            if (!process.waitForFinished(60000) || process.exitCode() != 0)
                return u"the child failed: "_s
                    + QString::fromLocal8Bit(process.readAllStandardError());
            return QString::fromUtf8(process.readAllStandardOutput());
        };
        QCOMPARE(child(u"load"_s), u"found syt_across ACROSS"_s);
        QCOMPARE(child(u"remove"_s), u"removed"_s);
        job = finish(store.load(alice));
        QVERIFY(job->error());
        QCOMPARE(job->error()->kind(), Kind::NotFound);
        QCOMPARE(child(u"load"_s), u"error NotFound"_s);
    }

    void keychainJobDroppedEarly()
    {
        REQUIRE_PRIVATE_KEYRING();
        KeychainCredentialStore store;
        // The caller loses interest before the keychain answers: the answer must land nowhere.
        delete store.save(alice, { u"syt_dropped"_s, u"D"_s });
        m_tokens << u"syt_dropped"_s;
        // QtKeychain runs jobs in order, so once this one is done the dropped one was too.
        JobPtr job = finish(store.load(alice));
        QVERIFY2(!job->error(), qPrintable(errorText(job)));
        QCOMPARE(job->credentials().accessToken, u"syt_dropped"_s);
        QVERIFY(!finish(store.remove(alice))->error());
    }

    // The errors a user without a usable keychain gets, from this binary re-run as a child
    // process: QtKeychain picks its backend once per process, so the environment must differ
    // from the start.
    void noKeychain_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QStringList>("kinds"); // what save, load and remove answer
        const QStringList allNoKeychain { u"NoKeychain"_s, u"NoKeychain"_s, u"NoKeychain"_s };
        // The socket the address names does not exist: nothing listens.
        QTest::addRow("bus address leads nowhere") << u"dead address"_s << allNoKeychain;
        // No address, no X11 to autolaunch a bus, an empty runtime dir: a headless box.
        QTest::addRow("no bus at all") << u"no bus"_s << allNoKeychain;
        // A session bus that knows no org.freedesktop.secrets: no keyring installed.
        QTest::addRow("bus without a Secret Service") << u"bare bus"_s << allNoKeychain;
        // gnome-keyring started on demand by the bus, its login keyring never created, no display
        // for the prompt that would create it. Reading finds nothing (true: nothing is stored)
        // and removing nothing succeeds, but saving fails, and must say why.
        // Qt without its GLib event loop never sees libsecret's answers: fail, do not hang.
        QTest::addRow("no GLib event loop") << u"no glib"_s << allNoKeychain;
        QTest::addRow("keyring never set up, no display")
            << u"activated keyring"_s << QStringList { u"NoKeychain"_s, u"NotFound"_s, QString() };
    }
    void noKeychain()
    {
        QFETCH(QString, setup);
        QFETCH(QStringList, kinds);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(childVariable), u"1"_s);
        env.remove(u"DISPLAY"_s);
        env.remove(u"WAYLAND_DISPLAY"_s);
        env.insert(u"XDG_RUNTIME_DIR"_s, dir.path());
        env.insert(u"HOME"_s, dir.path());
        env.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        QString program = QCoreApplication::applicationFilePath();
        QStringList arguments;
        if (setup == u"no glib"_s) {
            env.insert(u"QT_NO_GLIB"_s, u"1"_s);
            env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + dir.filePath(u"no-bus"_s));
        } else if (setup == u"dead address"_s) {
            env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + dir.filePath(u"no-bus"_s));
        } else if (setup == u"bare bus"_s || setup == u"activated keyring"_s) {
            arguments = QStringList { u"--"_s, program };
            if (setup == u"bare bus"_s) {
                // A session bus with no service folders: nothing can be activated.
                QFile config(dir.filePath(u"bus.conf"_s));
                QVERIFY(config.open(QIODevice::WriteOnly));
                // Plain literals: moc in Qt 6.4 loses track of the class after a raw string.
                config.write("<busconfig>\n"
                             "  <type>session</type>\n"
                             "  <listen>unix:dir="
                    + QFile::encodeName(dir.path())
                    + "</listen>\n"
                      "  <policy context=\"default\">\n"
                      "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                      "    <allow eavesdrop=\"true\"/>\n"
                      "    <allow own=\"*\"/>\n"
                      "  </policy>\n"
                      "</busconfig>\n");
                config.close();
                arguments.prepend(u"--config-file="_s + config.fileName());
            }
            program = u"dbus-run-session"_s;
        }

        QProcess child;
        child.setProcessEnvironment(env);
        child.start(program, arguments);
        QVERIFY2(child.waitForFinished(60000), qPrintable(child.errorString()));
        const QByteArray errors = child.readAllStandardError();
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
            errors.constData());

        const QList<QByteArray> lines = child.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QJsonObject r = QJsonDocument::fromJson(lines[i]).object();
            const QString message = r.value(u"message"_s).toString();
            QVERIFY2(r.value(u"finished"_s).toBool(), lines[i].constData());
            QCOMPARE(r.value(u"kind"_s).toString(), kinds[i]);
            QVERIFY2(!message.contains(u"syt_child_secret"_s), qPrintable(message));
            if (kinds[i] != u"NoKeychain"_s)
                continue;
            // Says what is wrong and what to do instead.
            QVERIFY2(message.startsWith(u"No keychain is available"_s), qPrintable(message));
            QVERIFY2(message.contains(u"Secret Service"_s), qPrintable(message));
            QVERIFY2(message.contains(u"MATRIX_ACCESS_TOKEN"_s), qPrintable(message));
            QVERIFY2(message.contains(u"sign in each time"_s), qPrintable(message));
            if (setup == u"no glib"_s)
                QVERIFY2(message.contains(u"QT_NO_GLIB"_s), qPrintable(message));
        }
        // Nothing fell back to a plain-text file either.
        const QStringList leaked = filesContaining(dir.path(), { "syt_child_secret"_ba });
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(u", "_s)));
    }

    // Last: every token the tests stored is nowhere in plain text under the (throwaway) home
    // folder: not in a settings file (QtKeychain's plain-text fallback would write one under the
    // config folder), and not in the keyring's own file either, which is encrypted.
    void tokensNeverInPlainFiles()
    {
        REQUIRE_PRIVATE_KEYRING();
        QVERIFY(!m_tokens.isEmpty());
        QList<QByteArray> tokens;
        for (const QString &token : std::as_const(m_tokens))
            tokens.append(token.toUtf8());
        int files = 0;
        const QStringList leaked = filesContaining(QDir::homePath(), tokens, &files);
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(u", "_s)));
        // The keyring's file at least was looked at, so the search covered something.
        QVERIFY(files > 0);
        QVERIFY(QFile::exists(QDir::home().filePath(u".local/share/keyrings/login.keyring"_s)));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(childVariable))
        return runNoKeychainChild();
    if (qEnvironmentVariableIsSet(readerVariable))
        return runReaderChild(qgetenv(readerVariable));
    tst_Credentials test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_credentials.moc"
