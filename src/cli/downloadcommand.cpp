// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "downloadcommand.h"

#include "terminal.h"

#include <matrixupload/uploadlistmodel.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace MatrixUpload::Cli {

namespace {
// An EncryptedFile is a few hundred bytes; anything far larger is not one.
constexpr qint64 maxEncryptedFileJson = 1024 * 1024;
} // namespace

std::optional<EncryptedFile> readEncryptedFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error
            = QCoreApplication::translate("cli", "cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    if (f.size() > maxEncryptedFileJson) {
        *error = QCoreApplication::translate("cli", "%1 is too large to be an EncryptedFile")
                     .arg(path);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll().trimmed(), &parseError);
    if (!doc.isObject()) {
        *error = QCoreApplication::translate("cli", "%1 is not a JSON object: %2")
                     .arg(path, parseError.errorString());
        return std::nullopt;
    }
    QJsonObject json = doc.object();
    // A whole event: its content holds `file`.
    if (json.value(u"content"_s).isObject())
        json = json.value(u"content"_s).toObject();
    // An `upload --json` line or event content: `file` is the EncryptedFile.
    if (json.value(u"file"_s).isObject())
        json = json.value(u"file"_s).toObject();
    else if (json.contains(u"file"_s) && !json.contains(u"key"_s)) {
        *error = QCoreApplication::translate("cli",
            "%1 has no EncryptedFile in \"file\" (an upload that was not encrypted, or did not "
            "complete?)")
                     .arg(path);
        return std::nullopt;
    }
    QString why;
    auto file = EncryptedFile::fromJson(json, &why);
    if (!file)
        *error = QCoreApplication::translate("cli", "%1 is not a valid EncryptedFile: %2")
                     .arg(path, why);
    return file;
}

DownloadCommand::DownloadCommand(MediaApi *api, DownloadSettings settings, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_settings(std::move(settings))
    , m_part(m_settings.output + u".part"_s)
{ }

DownloadCommand::~DownloadCommand()
{
    if (m_call) {
        m_call->disconnect(this);
        m_call->abort();
    }
}

void DownloadCommand::start()
{
    if (!m_part.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        fail(tr("error: cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()));
        return;
    }
    DownloadOptions options;
    if (m_settings.encryptedFile) {
        m_decrypt = std::make_unique<DecryptingDevice>(*m_settings.encryptedFile, &m_part);
        options.sink = m_decrypt.get();
    } else {
        options.sink = &m_part;
    }
    m_call = m_api->downloadContent(m_settings.contentUri, options);
    m_call->then(this, [this](const ApiResult<DownloadResult> &r) {
        m_call = nullptr;
        if (!r) {
            fail(tr("error: cannot download %1: %2")
                     .arg(m_settings.contentUri.toString(), r.error().toString()));
            return;
        }
        if (m_decrypt && !m_decrypt->finish()) {
            fail(tr("error: %1 does not decrypt: %2. Nothing was written to %3.")
                     .arg(m_settings.contentUri.toString(), m_decrypt->errorString(),
                         m_settings.output));
            return;
        }
        if (!m_part.flush()) {
            fail(tr("error: cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()));
            return;
        }
        const qint64 size = m_part.size();
        m_part.close();
        // The finished file replaces OUT only now: a failure never leaves a partial OUT.
        if (QFileInfo::exists(m_settings.output) && !QFile::remove(m_settings.output)) {
            fail(tr("error: cannot replace %1").arg(m_settings.output));
            return;
        }
        if (!m_part.rename(m_settings.output)) {
            fail(tr("error: cannot rename %1 to %2: %3")
                     .arg(m_part.fileName(), m_settings.output, m_part.errorString()));
            return;
        }
        m_done = true;
        err(m_settings.encryptedFile
                ? tr("%1: %2 decrypted, hashes.sha256 matches")
                      .arg(m_settings.output, UploadListModel::formatSize(size))
                : tr("%1: %2").arg(m_settings.output, UploadListModel::formatSize(size)));
        Q_EMIT done(0);
    });
}

void DownloadCommand::interrupt()
{
    if (m_call) {
        auto *call = std::exchange(m_call, nullptr);
        call->disconnect(this);
        call->abort();
    }
    fail(tr("Interrupted; nothing was written to %1.").arg(m_settings.output), 130);
}

void DownloadCommand::fail(const QString &message, int status)
{
    if (m_done)
        return;
    m_done = true;
    err(message);
    if (m_part.isOpen())
        m_part.close();
    m_part.remove();
    Q_EMIT done(status);
}

} // namespace MatrixUpload::Cli
