// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: one running app per user, so two windows never resume the same uploads.
#pragma once

#include <QObject>
#include <QStringList>

class QLocalServer;

namespace MatrixUpload::App {

//! The first app of a user listens on a local socket; a later start (a file opened from the file
//! manager through the desktop file's %F) hands its files to it and ends, instead of opening a
//! second window on the same resume records.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    //! \a key names the socket; the default is per user.
    explicit SingleInstance(const QString &key = {}, QObject *parent = nullptr);
    ~SingleInstance() override;

    //! Gives \a files (absolute paths; may be empty: the window is raised) to the app already
    //! running. False when none answers: this one is the first.
    bool sendToRunning(const QStringList &files, int timeoutMs = 2000);
    //! Starts answering later starts. False when another app answers already (it started a
    //! moment ago: send to it) or the socket cannot be made (the app then runs on its own).
    bool listen();

    QString key() const { return m_key; }

Q_SIGNALS:
    //! A later start handed over files (empty: it only asked to be shown).
    void filesReceived(const QStringList &files);

private:
    QString m_key;
    QLocalServer *m_server = nullptr;
};

} // namespace MatrixUpload::App
