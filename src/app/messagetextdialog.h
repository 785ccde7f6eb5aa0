// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the sheet where the user names files and writes their captions before their
// messages are posted (issue 16; RoomPoster::setMessageText()).
#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QLineEdit;

namespace MatrixUpload::App {

//! One file of the sheet: the name its message gives it and its caption.
struct MessageText
{
    QString jobId;
    QString fileName;
    QString caption;
};

//! Edits the names and captions of files whose messages are about to be posted: a name field
//! and a caption field per file ("Post" keeps them; Cancel posts the files as they are).
//!
//! Object names: fileName0, caption0, fileName1, ... (in the order given), postButton.
class MessageTextDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MessageTextDialog(const QList<MessageText> &files, QWidget *parent = nullptr);

    //! The files with the names and captions as edited; an emptied name is the file's own.
    QList<MessageText> texts() const;

private:
    QList<MessageText> m_files;
    QList<QLineEdit *> m_names;
    QList<QLineEdit *> m_captions;
};

} // namespace MatrixUpload::App
