// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader-cli: the upload command, from the options to the exit status.
#pragma once

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/secretstore.h>
#include <matrixupload/store/resumestore.h>
#include <matrixupload/uploadmanager.h>

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace MatrixUpload {
class MediaDescriber;
}

namespace MatrixUpload::Cli {

struct UploadSettings
{
    QStringList files;
    UploadOptions options;
    int parallel = 3;
    bool verify = false;
    bool json = false;
    bool resume = false;
};

//! Runs the uploads of one invocation and reports them: a live display on a terminal, plain
//! lines otherwise, or one JSON object per file. Emits done() with the exit status.
//!
//! With `--json` each file is described (MatrixUpload::Media's MediaDescriber) and its line
//! carries the `msgtype` and the `info` a message would post (RoomPoster::messageContent()):
//! the line of a completed upload waits for the description and for its thumbnail, uploaded
//! beside it (ThumbnailUpload; encrypted with a key of its own under `--encrypt`).
class UploadCommand : public QObject
{
    Q_OBJECT
public:
    //! \a secrets keeps the keys of encrypted uploads for `--resume` (null: none are kept).
    UploadCommand(MediaApi *api, const UploadSettings &settings,
        std::unique_ptr<SecretStore> secrets = {}, QObject *parent = nullptr);
    ~UploadCommand() override;
    void start();
    //! Ctrl-C: pause everything so that `--resume` continues, then finish.
    void interrupt();
    //! The server refused the token and it could not be renewed: pause everything (the resume
    //! records stay), say to sign in again, and finish with status 1.
    void tokenRejected(const MatrixUpload::MatrixError &error);

Q_SIGNALS:
    void done(int exitStatus);

private:
    struct Report
    {
        std::optional<bool> verified; //!< with --verify: the job downloaded and compared it
        QByteArray sha256; //!< hex, of the local file
    };
    void onJobFinished(UploadJob *job);
    //! With --json: the description of \a job, then its thumbnail, then its line.
    void describeThenPrint(UploadJob *job);
    void uploadThumbnail(UploadJob *job);
    void maybeFinish();
    void finish();
    void printResult(UploadJob *job);
    void redraw(bool final = false);

    UploadSettings m_settings;
    JsonResumeStore m_store;
    std::unique_ptr<SecretStore> m_secrets; //!< before m_manager: outlives its jobs
    UploadManager m_manager;
    QList<UploadJob *> m_jobs;
    QHash<UploadJob *, Report> m_reports;
    QList<UploadJob *> m_held; //!< results waiting for the live display's last frame
    //! With --json: describes each job's file (before the manager restores or takes any).
    std::unique_ptr<MediaDescriber> m_describer;
    //! Completed jobs whose line waits for their description or thumbnail.
    QSet<UploadJob *> m_describing;
    QSet<UploadJob *> m_thumbnailUploads; //!< jobs whose thumbnail upload started
    //! What each job's thumbnail upload gave `info` (empty when it failed), once tried.
    QHash<UploadJob *, QJsonObject> m_thumbnails;
    QTimer m_redraw;
    int m_drawnLines = 0;
    bool m_live = false;
    bool m_finishing = false;
    bool m_interrupted = false;
};

} // namespace MatrixUpload::Cli
