// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader Widgets: the upload manager a Qt Widgets window embeds.
#pragma once

// Every host of the widget uses the manager it shows.
#include <matrixupload/uploadmanager.h>

#include <QStringList>
#include <QUrl>
#include <QWidget>

#include <functional>
#include <memory>

class QAbstractFileIconProvider;
class QAction;
class QLabel;
class QListView;
class QMenu;
class QMimeData;
class QProgressBar;
class QStackedWidget;
class QTimer;

namespace MatrixUpload {

class UploadIconCache;
class UploadListModel;
class UploadViewModel;
class UploadManagerWidgetPrivate;

//! Shows the uploads of an UploadManager and calls its verbs; it never talks to the network.
//!
//! One row per file (icon or thumbnail, name, size, state, progress, speed, time left, how the
//! bytes travel, the content URI once done, or what failed and what to do), a header with the
//! batch totals, buttons for the selected rows and for all, a context menu with the same verbs,
//! and keyboard shortcuts: Delete removes, Space pauses or resumes, Ctrl+C copies the selected
//! rows' links, Ctrl+V pastes files or an image. Files arrive by drag and drop (a folder adds the
//! files in it, asking first when there are many), by paste, or with "Add files…".
//!
//! \code
//! auto *manager = new MatrixUpload::UploadManager(api, resumeStore, this);
//! auto *uploads = new MatrixUpload::UploadManagerWidget(manager, this);
//! layout->addWidget(uploads);
//! connect(manager, &MatrixUpload::UploadManager::jobFinished, this, [](auto *job) {
//!     if (!job->contentUri().isEmpty())
//!         sendImageEvent(job->contentUri()); // the client posts the m.room.message
//! });
//! \endcode
//!
//! Child widgets and actions carry object names (addFilesButton, pauseButton, resumeButton,
//! cancelButton, retryButton, removeButton, copyLinkButton, pauseAllButton, resumeAllButton,
//! cancelAllButton, clearFinishedButton, uploadList, emptyState, totals, totalProgress,
//! statusMessage, uploadContextMenu) for tests and style sheets.
class UploadManagerWidget : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(
        int folderQuestionThreshold READ folderQuestionThreshold WRITE setFolderQuestionThreshold)
    Q_PROPERTY(QString pasteFolder READ pasteFolder WRITE setPasteFolder)
public:
    //! Asked before a folder with more than folderQuestionThreshold() files is added; true adds.
    using FolderQuestion
        = std::function<bool(QWidget *parent, const QString &folder, int fileCount)>;
    //! Picks files for "Add files…"; an empty list adds nothing.
    using FilePicker = std::function<QStringList(QWidget *parent)>;

    //! \a manager should outlive the widget; once it is gone the widget shows nothing.
    explicit UploadManagerWidget(UploadManager *manager, QWidget *parent = nullptr);
    ~UploadManagerWidget() override;

    UploadManager *manager() const;
    UploadListModel *model() const;
    QListView *view() const;

    //! Adds files and the files inside folders (asking first when a folder holds many).
    //! Returns how many files were queued.
    int addPaths(const QStringList &paths);
    //! Adds local file URLs; other URLs are skipped with a message.
    int addUrls(const QList<QUrl> &urls);
    //! Adds what a drop or the clipboard holds: file URLs, or image data saved as PNG into
    //! pasteFolder() first.
    int addMimeData(const QMimeData *mime);
    //! Ctrl+V.
    int paste();
    //! Whether addMimeData() would take anything from \a mime: local files, or an image.
    static bool canAccept(const QMimeData *mime);
    //! "Add files…": asks the file picker.
    int addFilesFromPicker();

    //! The selected rows' job ids, in row order.
    QStringList selectedJobIds() const;
    //! Ctrl+C: the selected rows' content URIs, one a line; returns what was copied.
    QString copySelectedLinks();

    int folderQuestionThreshold() const;
    void setFolderQuestionThreshold(int files);
    //! The default asks with a QMessageBox.
    void setFolderQuestion(FolderQuestion question);
    //! The default is QFileDialog::getOpenFileNames.
    void setFilePicker(FilePicker picker);
    //! Where pasted images are saved before they are uploaded. Default: "pasted" in the
    //! application's data folder, or the temporary folder.
    QString pasteFolder() const;
    void setPasteFolder(const QString &folder);
    //! Where file type icons come from (not owned); null: a QFileIconProvider.
    void setIconProvider(QAbstractFileIconProvider *provider);

    //! The context menu (shown by a right click or the menu key), with the verbs of the row
    //! under the cursor and of all rows.
    QMenu *contextMenu() const;

Q_SIGNALS:
    //! Files were queued from a drop, a paste or the picker.
    void filesAdded(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QAction *makeAction(const QString &name, const QString &text, const QString &tip,
        void (UploadManagerWidget::*slot)());
    void forSelected(void (UploadManager::*verb)(const QString &), int canRole);
    void pauseSelected();
    void resumeSelected();
    void togglePauseSelected();
    void cancelSelected();
    void retrySelected();
    void removeSelected();
    void copyLinks();
    void pasteAction();
    void addFilesAction();
    void showContextMenu(const QPoint &pos);
    void scheduleRefresh();
    void refresh();
    void updateActions();
    void updateTotals();
    void showStatus(const QString &message);
    QString savePastedImage(const QImage &image);

    std::unique_ptr<UploadManagerWidgetPrivate> d;
};

} // namespace MatrixUpload
