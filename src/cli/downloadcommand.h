// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader-cli: the download command, plain or decrypting an encrypted attachment while it
// streams, written to OUT.part and renamed to OUT only once complete (and its hash checked).
#pragma once

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/decryptingdevice.h>
#include <matrixupload/encryptedfile.h>

#include <QFile>
#include <QObject>

#include <memory>
#include <optional>

namespace MatrixUpload::Cli {

struct DownloadSettings
{
    MxcUri contentUri;
    QString output; //!< OUT: written only when everything checked out
    std::optional<EncryptedFile> encryptedFile; //!< --encrypted-file: decrypt and check
};

//! Reads the EncryptedFile from \a path: the object itself, or an object with it in `file` (a
//! `upload --encrypt --json` line, an event's content) or in `content.file` (a whole event).
//! Nothing, with the reason in \a error, when there is none or it is not valid.
std::optional<EncryptedFile> readEncryptedFile(const QString &path, QString *error);

//! Downloads one content URI to a file. Emits done() with the exit status.
class DownloadCommand : public QObject
{
    Q_OBJECT
public:
    DownloadCommand(MediaApi *api, DownloadSettings settings, QObject *parent = nullptr);
    ~DownloadCommand() override;
    void start();
    //! Ctrl-C: stop, leave no partial file, finish with 130.
    void interrupt();

Q_SIGNALS:
    void done(int exitStatus);

private:
    void fail(const QString &message, int status = 1);

    MediaApi *m_api;
    DownloadSettings m_settings;
    QFile m_part;
    std::unique_ptr<DecryptingDevice> m_decrypt;
    ApiCall<DownloadResult> *m_call = nullptr;
    bool m_done = false;
};

} // namespace MatrixUpload::Cli
