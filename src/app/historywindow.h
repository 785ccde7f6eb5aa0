// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the window that lists the past uploads (View > History…).
#pragma once

#include <QDialog>
#include <QPointer>

class QAction;
class QLabel;
class QMessageBox;
class QTreeView;

namespace MatrixUpload::App {

class UploadHistory;

//! The past uploads of the signed-in account, newest first: copy a content URI or a matrix.to
//! link to the posted message, remove entries, clear the history (after a confirmation).
//! Closes when the history goes (the session ends).
//!
//! Object names: historyView, historyWarning, copyContentUriAction, copyLinkAction,
//! removeHistoryAction, clearHistoryAction, clearHistoryConfirmation.
class HistoryWindow : public QDialog
{
    Q_OBJECT
public:
    explicit HistoryWindow(UploadHistory *history, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    //! The history listed (null once it went).
    UploadHistory *history() const;
    //! The rows selected, in the order of the table.
    QList<int> selectedRows() const;

public Q_SLOTS:
    void copyContentUri();
    void copyLink();
    void removeSelected();
    //! Asks first; clears when the answer is yes.
    void clearHistory();

private:
    void updateActions();

    QPointer<UploadHistory> m_history;
    QTreeView *m_view;
    QLabel *m_warning;
    QAction *m_copyUri;
    QAction *m_copyLink;
    QAction *m_remove;
    QAction *m_clear;
    QPointer<QMessageBox> m_confirm;
};

} // namespace MatrixUpload::App
