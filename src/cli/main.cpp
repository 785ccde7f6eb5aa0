// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader-cli: sign in, upload files (resumable, straight to the server's storage when
// it offers an upload URL), and continue interrupted uploads.
#include "downloadcommand.h"
#include "terminal.h"
#include "uploadcommand.h"

#include "devicename.h"
#include "programstartup.h"
#include "programtranslators.h"
#include "sizeargument.h"
#include "terminationsignals.h"
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/credentials.h>
#include <matrixupload/secretstore.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLocale>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSettings>

#include <cstdio>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;

using Cli::err;

namespace {
//! The account this program signed in with (never the token: that is in the keychain).
struct SavedAccount
{
    QUrl homeserver;
    QString userId;
};

SavedAccount savedAccount()
{
    QSettings settings;
    return { settings.value(u"account/homeserver"_s).toUrl(),
        settings.value(u"account/user_id"_s).toString() };
}

void saveAccount(const SavedAccount &account)
{
    QSettings settings;
    if (account.userId.isEmpty()) {
        settings.remove(u"account"_s);
    } else {
        settings.setValue(u"account/homeserver"_s, account.homeserver);
        settings.setValue(u"account/user_id"_s, account.userId);
    }
}

//! Finds the homeserver behind \a text (a server name or URL), then calls \a next with it.
template<class F> void discover(MediaApi &api, const QString &text, F &&next)
{
    api.discover(text)->then(&api,
        [text, next = std::forward<F>(next)](const ApiResult<DiscoveryResult> &found) mutable {
            if (!found) {
                err(QCoreApplication::translate(
                    "cli", "error: cannot find a Matrix server at %1: %2")
                        .arg(text, found.error().toString()));
                QCoreApplication::exit(1);
                return;
            }
            next(found->baseUrl);
        });
}

int usage(const QString &problem = {})
{
    if (!problem.isEmpty())
        err(u"matrix-uploader-cli: "_s + problem);
    err(QCoreApplication::translate("cli", R"(Usage:
  matrix-uploader-cli login --homeserver URL_OR_SERVER_NAME --user NAME
      (the password is read from the terminal, or from standard input)
  matrix-uploader-cli logout
  matrix-uploader-cli upload [--homeserver URL] [options] FILE...
  matrix-uploader-cli upload --resume [options]
  matrix-uploader-cli download [--homeserver URL] [MXC] -o OUT [--encrypted-file FILE.json]
Run "matrix-uploader-cli upload --help" (or download --help) for the options.
The access token comes from the keychain (after login) or from MATRIX_ACCESS_TOKEN.)"));
    return 2;
}

void login(QCommandLineParser &parser, MediaApi &api, CredentialStore &store)
{
    const QString user = parser.value(u"user"_s);
    discover(api, parser.value(u"homeserver"_s), [&api, &store, user](const QUrl &base) {
        api.setHomeserver(base);
        const auto password = Cli::readLine(
            QCoreApplication::translate("cli", "Password for %1: ").arg(user), true);
        if (!password || password->isEmpty()) {
            err(QCoreApplication::translate("cli", "error: no password given"));
            QCoreApplication::exit(2);
            return;
        }
        // Spec v1.3: a server whose tokens expire gives a refresh token to keep beside them.
        api.setRequestRefreshToken(true);
        api.loginWithPassword(user, *password, {}, programDeviceDisplayName())
            ->then(&api, [&api, &store, base](const ApiResult<LoginResult> &r) {
                if (!r) {
                    err(QCoreApplication::translate("cli", "error: sign-in refused: %1")
                            .arg(r.error().toString()));
                    QCoreApplication::exit(1);
                    return;
                }
                const CredentialAccount account { base, r->userId };
                store.save(account, { r->accessToken, r->deviceId, r->refreshToken })
                    ->then(&api, [&api, base, userId = r->userId](const CredentialJob &saved) {
                        if (saved.error()) {
                            err(QCoreApplication::translate("cli", "error: %1")
                                    .arg(saved.error()->message()));
                            // A token nobody can find again is only a risk: end that session.
                            api.logout()->then(
                                &api, [](const ApiResult<Done> &) { QCoreApplication::exit(1); });
                            return;
                        }
                        saveAccount({ base, userId });
                        std::printf("%s\n",
                            qPrintable(QCoreApplication::translate("cli", "Signed in as %1 on %2")
                                           .arg(userId, base.toString())));
                        QCoreApplication::exit(0);
                    });
            });
    });
}

void logout(MediaApi &api, CredentialStore &store)
{
    const SavedAccount saved = savedAccount();
    if (saved.userId.isEmpty()) {
        err(QCoreApplication::translate("cli", "Not signed in."));
        QCoreApplication::exit(0);
        return;
    }
    const CredentialAccount account { saved.homeserver, saved.userId };
    store.load(account)->then(&api, [&api, &store, account](const CredentialJob &loaded) {
        auto forgetLocally = [&store, account] {
            store.remove(account)->then(&store, [account](const CredentialJob &removed) {
                saveAccount({});
                if (removed.error())
                    err(QCoreApplication::translate("cli", "error: %1")
                            .arg(removed.error()->message()));
                else
                    std::printf("%s\n",
                        qPrintable(QCoreApplication::translate("cli", "Signed out %1.")
                                       .arg(account.userId)));
                QCoreApplication::exit(removed.error() ? 1 : 0);
            });
        };
        if (loaded.error()) {
            forgetLocally();
            return;
        }
        api.setHomeserver(account.homeserver);
        api.setAccessToken(loaded.credentials().accessToken);
        api.logout()->then(&api, [forgetLocally](const ApiResult<Done> &r) {
            if (!r && !r.error().isUnauthorized())
                err(QCoreApplication::translate(
                    "cli", "warning: the server did not confirm the sign-out: %1")
                        .arg(r.error().toString()));
            forgetLocally();
        });
    });
}

bool parseUploadOptions(QCommandLineParser &parser, Cli::UploadSettings &settings)
{
    settings.files = parser.positionalArguments();
    settings.resume = parser.isSet(u"resume"_s);
    settings.verify = parser.isSet(u"verify"_s);
    settings.options.checkHostHash = !parser.isSet(u"no-hash-check"_s);
    settings.json = parser.isSet(u"json"_s);
    settings.options.encrypt = parser.isSet(u"encrypt"_s);
    const QString protocol = parser.value(u"protocol"_s);
    static const QStringList protocols { u"auto"_s, u"put"_s, u"content-range"_s, u"tus"_s,
        u"async"_s, u"legacy"_s };
    if (!protocols.contains(protocol)) {
        usage(QCoreApplication::translate("cli", "--protocol takes one of %1")
                  .arg(protocols.join(u", "_s)));
        return false;
    }
    settings.options.forceProtocol = protocol == u"auto"_s ? QString() : protocol;
    settings.options.useUploadUrls = !parser.isSet(u"no-upload-url"_s);
    if (parser.isSet(u"chunk-size"_s)) {
        const qint64 chunk = parseSizeArgument(parser.value(u"chunk-size"_s));
        if (chunk <= 0 || chunk % (256 * 1024) != 0) {
            usage(QCoreApplication::translate(
                "cli", "--chunk-size takes a multiple of 256K, such as 8M"));
            return false;
        }
        settings.options.chunkSize = chunk;
    }
    bool ok = true;
    if (parser.isSet(u"inactivity-timeout"_s)) {
        const double seconds = parser.value(u"inactivity-timeout"_s).toDouble(&ok);
        if (!ok || seconds < 0.1 || seconds > 3600) {
            usage(QCoreApplication::translate(
                "cli", "--inactivity-timeout takes seconds, from 0.1 to 3600"));
            return false;
        }
        settings.options.inactivityTimeoutMs = int(seconds * 1000);
    }
    settings.parallel = parser.value(u"parallel"_s).toInt(&ok);
    if (!ok || settings.parallel < 1) {
        usage(QCoreApplication::translate("cli", "--parallel takes a count of 1 or more"));
        return false;
    }
    if (settings.files.isEmpty() && !settings.resume) {
        usage(QCoreApplication::translate("cli", "upload needs files, or --resume"));
        return false;
    }
    return true;
}

//! What runs once signed in: \a done(status) ends the program (after renewed tokens are saved).
using SessionStart = std::function<void(const QUrl &base,
    const std::optional<CredentialAccount> &account, std::function<void(int)> done)>;

//! Finds the homeserver and the access token (MATRIX_ACCESS_TOKEN, or the keychain after login),
//! sets them on \a api, then calls \a start.
void session(
    const QString &homeserverOption, MediaApi &api, CredentialStore &store, SessionStart start)
{
    // Refreshed tokens go to the keychain before the program ends: the server revokes the old
    // refresh token once the new access token is used, so the next run needs the new pair.
    auto pendingSaves = std::make_shared<int>(0);
    auto exitStatus = std::make_shared<std::optional<int>>();
    auto exitWhenSaved = [pendingSaves, exitStatus] {
        if (*pendingSaves == 0 && *exitStatus)
            QCoreApplication::exit(**exitStatus);
    };
    auto run = [&api, &store, start, pendingSaves, exitStatus, exitWhenSaved](const QUrl &base,
                   const Credentials &credentials,
                   const std::optional<CredentialAccount> &account) {
        api.setHomeserver(base);
        api.setAccessToken(credentials.accessToken);
        api.setRefreshToken(credentials.refreshToken);
        if (account)
            api.setUserId(account->userId); // resume records are matched by user (--resume)
        if (account) {
            QObject::connect(&api, &MediaApi::tokensRefreshed, qApp,
                [&store, account, deviceId = credentials.deviceId, pendingSaves, exitWhenSaved](
                    const QString &access, const QString &refresh) {
                    ++*pendingSaves;
                    store.save(*account, { access, deviceId, refresh })
                        ->then(qApp, [pendingSaves, exitWhenSaved](const CredentialJob &saved) {
                            if (saved.error())
                                err(QCoreApplication::translate("cli",
                                    "warning: the renewed sign-in could not be stored (%1); "
                                    "the next run may need \"matrix-uploader-cli login\".")
                                        .arg(saved.error()->message()));
                            --*pendingSaves;
                            exitWhenSaved();
                        });
                });
        }
        start(base, account, [exitStatus, exitWhenSaved](int status) {
            *exitStatus = status;
            exitWhenSaved();
        });
    };
    const QString envToken = accessTokenFromEnvironment();
    const SavedAccount saved = savedAccount();
    auto withBase = [&store, run, envToken, saved](const QUrl &base) {
        if (!envToken.isEmpty()) {
            run(base, { envToken, QString() }, std::nullopt);
            return;
        }
        if (saved.userId.isEmpty()
            || saved.homeserver.adjusted(QUrl::StripTrailingSlash)
                != base.adjusted(QUrl::StripTrailingSlash)) {
            err(QCoreApplication::translate("cli",
                "error: not signed in to %1. Run \"matrix-uploader-cli login\", or set "
                "MATRIX_ACCESS_TOKEN.")
                    .arg(base.toString()));
            QCoreApplication::exit(1);
            return;
        }
        const CredentialAccount account { base, saved.userId };
        store.load(account)->then(qApp, [run, base, account](const CredentialJob &loaded) {
            if (loaded.error()) {
                err(QCoreApplication::translate("cli", "error: %1").arg(loaded.error()->message()));
                QCoreApplication::exit(1);
                return;
            }
            run(base, loaded.credentials(), account);
        });
    };
    if (!homeserverOption.isEmpty())
        discover(api, homeserverOption, withBase);
    else if (!saved.homeserver.isEmpty())
        withBase(saved.homeserver);
    else {
        usage(QCoreApplication::translate(
            "cli", "this command needs --homeserver (or a login first)"));
        QCoreApplication::exit(2);
    }
}

//! The keychain for the keys of encrypted uploads, when one can keep them: entries scoped to the
//! homeserver, so `--resume` against the same homeserver finds them. Without one, a note: the
//! uploads work, but cannot continue after the program ends.
std::unique_ptr<SecretStore> secretStoreFor(const Cli::UploadSettings &settings, const QUrl &base)
{
    if (!settings.options.encrypt && !settings.resume)
        return nullptr;
    auto store = std::make_unique<KeychainSecretStore>(
        base.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveUserInfo).toString());
    // Only new encrypted uploads need to know now; a plain --resume must not touch (or unlock)
    // the keychain before a restored encrypted upload asks it for its key.
    if (!settings.options.encrypt || store->isAvailable())
        return store;
    err(QCoreApplication::translate("cli",
        "note: no keychain can keep the key (%1); an encrypted upload cannot resume after "
        "this program ends.")
            .arg(store->errorString()));
    return nullptr;
}

//! The command that runs, owned by main() so it goes before the MediaApi it uses, and what
//! Ctrl-C does to it.
struct Running
{
    std::unique_ptr<QObject> command;
    std::function<void()> interrupt;
};

void upload(const QString &homeserverOption, const Cli::UploadSettings &settings, MediaApi &api,
    CredentialStore &store, Running &running)
{
    session(homeserverOption, api, store,
        [&api, settings, &running](const QUrl &base, const std::optional<CredentialAccount> &,
            std::function<void(int)> done) {
            // Matrix API calls (create, complete, downloads) stall by the same measure as the
            // upload URL's requests.
            api.setTransferTimeout(settings.options.inactivityTimeoutMs);
            auto *command = new Cli::UploadCommand(&api, settings, secretStoreFor(settings, base));
            running.command.reset(command);
            running.interrupt = [command] { command->interrupt(); };
            QObject::connect(command, &Cli::UploadCommand::done, qApp, done);
            command->start();
        });
}

bool parseDownloadOptions(QCommandLineParser &parser, Cli::DownloadSettings &settings)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        usage(QCoreApplication::translate("cli", "download takes one content URI"));
        return false;
    }
    settings.output = parser.value(u"output"_s);
    if (settings.output.isEmpty()) {
        usage(QCoreApplication::translate("cli", "download needs -o OUT"));
        return false;
    }
    if (parser.isSet(u"encrypted-file"_s)) {
        QString why;
        settings.encryptedFile = Cli::readEncryptedFile(parser.value(u"encrypted-file"_s), &why);
        if (!settings.encryptedFile) {
            err(QCoreApplication::translate("cli", "error: %1").arg(why));
            return false;
        }
    }
    const QString uri = !positional.isEmpty()
        ? positional.first()
        : (settings.encryptedFile ? settings.encryptedFile->url : QString());
    if (uri.isEmpty()) {
        usage(QCoreApplication::translate(
            "cli", "download needs a content URI (mxc://server/id), or --encrypted-file"));
        return false;
    }
    const auto mxc = MxcUri::parse(uri);
    if (!mxc) {
        usage(
            QCoreApplication::translate("cli", "not a content URI (mxc://server/id): %1").arg(uri));
        return false;
    }
    // The key belongs to one ciphertext: another URI would only fail the hash, later.
    if (settings.encryptedFile && settings.encryptedFile->url != uri) {
        err(QCoreApplication::translate("cli", "error: %1 is the EncryptedFile of %2, not of %3")
                .arg(parser.value(u"encrypted-file"_s), settings.encryptedFile->url, uri));
        return false;
    }
    settings.contentUri = *mxc;
    return true;
}

void download(const QString &homeserverOption, const Cli::DownloadSettings &settings, MediaApi &api,
    CredentialStore &store, Running &running)
{
    session(homeserverOption, api, store,
        [&api, settings, &running](
            const QUrl &, const std::optional<CredentialAccount> &, std::function<void(int)> done) {
            auto *command = new Cli::DownloadCommand(&api, settings);
            running.command.reset(command);
            running.interrupt = [command] { command->interrupt(); };
            QObject::connect(command, &Cli::DownloadCommand::done, qApp, done);
            command->start();
        });
}
} // namespace

int main(int argc, char *argv[])
{
    preferFfmpegMediaBackend();
    QCoreApplication app(argc, argv);
    setProgramIdentity(u"matrix-uploader-cli"_s);
    installProgramTranslators(app);

    QStringList args = app.arguments();
    if (args.size() < 2 || args[1] == u"--help"_s || args[1] == u"-h"_s)
        return usage();
    const QString command = args.takeAt(1);

    QCommandLineParser parser;
    parser.addHelpOption();
    if (command == u"login"_s) {
        parser.addOption({ u"homeserver"_s,
            QCoreApplication::translate("cli", "Server name (example.org) or homeserver URL."),
            u"URL_OR_NAME"_s });
        parser.addOption({ u"user"_s,
            QCoreApplication::translate("cli", "User name or full user ID."), u"NAME"_s });
    } else if (command == u"upload"_s) {
        parser.setApplicationDescription(
            QCoreApplication::translate("cli", "Uploads files to a Matrix content repository."));
        parser.addPositionalArgument(
            u"files"_s, QCoreApplication::translate("cli", "Files to upload."), u"FILE..."_s);
        parser.addOption({ u"homeserver"_s,
            QCoreApplication::translate(
                "cli", "Homeserver URL or server name (default: the one signed in to)."),
            u"URL"_s });
        parser.addOption({ u"protocol"_s,
            QCoreApplication::translate("cli",
                "auto (default), or force a path for diagnosis: put, content-range, tus, async, "
                "legacy."),
            u"PROTOCOL"_s, u"auto"_s });
        parser.addOption({ u"no-upload-url"_s,
            QCoreApplication::translate("cli", "Never use the server's direct upload URL.") });
        parser.addOption({ u"chunk-size"_s,
            QCoreApplication::translate("cli",
                "Chunk size for resumable uploads, a multiple of 256K (default: sized to the "
                "link, from 8M up to 256M)."),
            u"SIZE"_s });
        parser.addOption({ u"parallel"_s,
            QCoreApplication::translate("cli", "Uploads at the same time (default 3)."), u"N"_s,
            u"3"_s });
        parser.addOption({ u"inactivity-timeout"_s,
            QCoreApplication::translate("cli",
                "Seconds a request may stay silent (no byte sent or received) before it counts as "
                "stalled and is tried again (default 60)."),
            u"SECONDS"_s });
        parser.addOption({ u"verify"_s,
            QCoreApplication::translate("cli", "Download each upload and compare its SHA-256.") });
        parser.addOption({ u"no-hash-check"_s,
            QCoreApplication::translate("cli",
                "Do not compare the SHA-256 an upload host names for its copy (content-range) "
                "with the bytes sent, and so do not hash them while they go (--json still hashes "
                "each file for its line): the size it names is still compared.") });
        parser.addOption({ u"json"_s,
            QCoreApplication::translate("cli",
                "One JSON object per file and line on standard output, with the 'msgtype' and "
                "'info' a message would post (sizes, duration, BlurHash, a thumbnail uploaded "
                "beside the file).") });
        parser.addOption({ u"resume"_s,
            QCoreApplication::translate(
                "cli", "Continue the unfinished uploads of earlier runs.") });
        parser.addOption({ u"encrypt"_s,
            QCoreApplication::translate("cli",
                "Upload encrypted attachments (AES-256-CTR, for encrypted rooms). The key is "
                "printed with the content URI; with --json, 'file' is the EncryptedFile for the "
                "event and "
                "'path' the local file. The key is kept in the keychain until the upload ends, so "
                "--resume can continue it.") });
        parser.addOption({ u"verbose"_s,
            QCoreApplication::translate("cli",
                "Log each upload's steps (never the token or an upload URL's signature).") });
    } else if (command == u"download"_s) {
        parser.setApplicationDescription(QCoreApplication::translate("cli",
            "Downloads a file from a Matrix content repository, decrypting an encrypted "
            "attachment. The file is written to OUT.part and renamed to OUT only when complete "
            "(and, when decrypted, its hashes.sha256 matched); on any failure no OUT is left "
            "and the exit status is 1."));
        parser.addPositionalArgument(u"mxc"_s,
            QCoreApplication::translate("cli",
                "The content URI, mxc://server/id. Optional with --encrypted-file, whose url is "
                "used; when both are given they must be the same."),
            u"[MXC]"_s);
        parser.addOption({ u"homeserver"_s,
            QCoreApplication::translate(
                "cli", "Homeserver URL or server name (default: the one signed in to)."),
            u"URL"_s });
        parser.addOption({ { u"o"_s, u"output"_s },
            QCoreApplication::translate("cli", "Where to write the file."), u"OUT"_s });
        parser.addOption({ u"encrypted-file"_s,
            QCoreApplication::translate("cli",
                "Decrypt with this EncryptedFile while downloading and check hashes.sha256. "
                "FILE.json is the EncryptedFile object, a line of 'upload --encrypt --json', or an "
                "event (or its content) with 'file'."),
            u"FILE.json"_s });
        parser.addOption({ u"verbose"_s,
            QCoreApplication::translate("cli", "Log the requests (never the token).") });
    } else if (command != u"logout"_s) {
        return usage(QCoreApplication::translate("cli", "unknown command \"%1\"").arg(command));
    }
    if (!parser.parse(args))
        return usage(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }

    // The engine logs its steps at info level; a command line shows them when asked to.
    if (!parser.isSet(u"verbose"_s) && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"matrixupload.*.info=false"_s);

    QNetworkAccessManager nam;
    MediaApi api(&nam);
    KeychainCredentialStore store;
    Running running;

    if (command == u"login"_s) {
        if (!parser.isSet(u"homeserver"_s) || !parser.isSet(u"user"_s))
            return usage(QCoreApplication::translate("cli", "login needs --homeserver and --user"));
        login(parser, api, store);
    } else if (command == u"logout"_s) {
        logout(api, store);
    } else if (command == u"download"_s) {
        Cli::DownloadSettings settings;
        if (!parseDownloadOptions(parser, settings))
            return 2;
        download(parser.value(u"homeserver"_s), settings, api, store, running);
    } else {
        Cli::UploadSettings settings;
        if (!parseUploadOptions(parser, settings))
            return 2;
        upload(parser.value(u"homeserver"_s), settings, api, store, running);
    }

    // Ctrl-C or SIGTERM: pause cleanly, keep the resume records, and say how to continue.
    onTerminationSignals(app, [&running] {
        if (running.interrupt)
            running.interrupt();
        else
            QCoreApplication::exit(130);
    });
    return app.exec();
}
