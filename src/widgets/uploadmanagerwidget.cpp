// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadmanagerwidget.h"

#include "uploaditemdelegate_p.h"
#include "uploadviewmodel_p.h"

#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
using State = UploadJob::State;
// Totals and button states follow the model at most this often; the model itself coalesces
// row updates to about ten a second.
constexpr int refreshIntervalMs = 100;

QString plainText(QString text)
{
    text.remove(u'&');
    if (text.endsWith(u"…"_s))
        text.chop(1);
    return text;
}

QToolButton *buttonFor(QAction *action, const QString &objectName, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setObjectName(objectName);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    button->setAccessibleName(plainText(action->text()));
    button->setAccessibleDescription(action->toolTip());
    return button;
}
template<class F>
QAction *newAction(
    QWidget *owner, const QString &name, const QString &text, const QString &tip, F &&onTrigger)
{
    auto *action = new QAction(text, owner);
    action->setObjectName(name);
    action->setToolTip(tip);
    action->setStatusTip(tip);
    QObject::connect(action, &QAction::triggered, owner, std::forward<F>(onTrigger));
    return action;
}
} // namespace

UploadManagerWidget::UploadManagerWidget(UploadManager *manager, QWidget *parent)
    : QWidget(parent)
    , m_manager(manager)
    , m_model(new UploadListModel(manager, this))
    , m_viewModel(new UploadViewModel(this))
    , m_icons(new UploadIconCache(this))
    , m_view(new QListView(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyState(new QLabel(this))
    , m_totals(new QLabel(this))
    , m_totalProgress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_contextMenu(new QMenu(this))
    , m_refresh(new QTimer(this))
{
    setObjectName(u"uploadManager"_s);
    setAccessibleName(tr("Upload manager"));
    setAcceptDrops(true);
    setFocusPolicy(Qt::ClickFocus); // a click on the empty state is enough for Ctrl+V
    m_viewModel->setSourceModel(m_model);

    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    m_pasteFolder = appData.isEmpty() ? QDir::temp().filePath(u"matrixupload-pasted"_s)
                                      : QDir(appData).filePath(u"pasted"_s);
    m_folderQuestion = [](QWidget *parent, const QString &folder, int count) {
        return QMessageBox::question(parent, tr("Add a folder"),
                   tr("The folder %1 holds %2 files. Upload them all?")
                       .arg(QDir::toNativeSeparators(folder))
                       .arg(count),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    };
    m_filePicker = [](QWidget *parent) {
        return QFileDialog::getOpenFileNames(parent, tr("Add files to upload"));
    };

    // Verbs for the selected rows.
    m_pause = makeAction(u"pauseAction"_s, tr("&Pause"), tr("Pause the selected uploads"),
        &UploadManagerWidget::pauseSelected);
    m_resume = makeAction(u"resumeAction"_s, tr("&Resume"), tr("Resume the selected uploads"),
        &UploadManagerWidget::resumeSelected);
    m_togglePause = makeAction(u"togglePauseAction"_s, tr("Pause or resume"),
        tr("Pause the selected uploads, or resume them when paused"),
        &UploadManagerWidget::togglePauseSelected);
    m_cancel = makeAction(u"cancelAction"_s, tr("&Cancel"),
        tr("Stop the selected uploads for good"), &UploadManagerWidget::cancelSelected);
    m_retry = makeAction(u"retryAction"_s, tr("Re&try"), tr("Try the failed uploads again"),
        &UploadManagerWidget::retrySelected);
    m_remove = makeAction(u"removeAction"_s, tr("Re&move"),
        tr("Remove the selected rows, cancelling unfinished uploads"),
        &UploadManagerWidget::removeSelected);
    m_copyLink = makeAction(u"copyLinkAction"_s, tr("Copy &link"),
        tr("Copy the content URIs of the selected finished uploads"),
        &UploadManagerWidget::copyLinks);
    // Verbs for all rows, and adding.
    m_paste = makeAction(u"pasteAction"_s, tr("Pa&ste"),
        tr("Upload the files or the image on the clipboard"), &UploadManagerWidget::pasteAction);
    m_addFiles = makeAction(u"addFilesAction"_s, tr("&Add files…"), tr("Choose files to upload"),
        &UploadManagerWidget::addFilesAction);
    m_pauseAll
        = newAction(this, u"pauseAllAction"_s, tr("Pause all"), tr("Pause every upload"), [this] {
              if (m_manager)
                  m_manager->pauseAll();
          });
    m_resumeAll = newAction(
        this, u"resumeAllAction"_s, tr("Resume all"), tr("Resume every paused upload"), [this] {
            if (m_manager)
                m_manager->resumeAll();
        });
    m_cancelAll = newAction(
        this, u"cancelAllAction"_s, tr("Cancel all"), tr("Stop every unfinished upload"), [this] {
            if (m_manager)
                m_manager->cancelAll();
        });
    m_clearFinished = newAction(this, u"clearFinishedAction"_s, tr("Clear finished"),
        tr("Remove the rows of finished and cancelled uploads"), [this] {
            if (m_manager)
                m_manager->clearFinished();
        });

    QStyle *s = style();
    m_pause->setIcon(s->standardIcon(QStyle::SP_MediaPause));
    m_resume->setIcon(s->standardIcon(QStyle::SP_MediaPlay));
    m_cancel->setIcon(s->standardIcon(QStyle::SP_DialogCancelButton));
    m_retry->setIcon(s->standardIcon(QStyle::SP_BrowserReload));
    m_remove->setIcon(s->standardIcon(QStyle::SP_TrashIcon));
    m_addFiles->setIcon(s->standardIcon(QStyle::SP_FileDialogStart));
    m_pauseAll->setIcon(m_pause->icon());
    m_resumeAll->setIcon(m_resume->icon());
    m_cancelAll->setIcon(m_cancel->icon());
    m_clearFinished->setIcon(s->standardIcon(QStyle::SP_DialogResetButton));

    // Keyboard: the shortcuts work anywhere in the widget; Space only in the list, so a focused
    // button still presses with Space.
    m_remove->setShortcut(QKeySequence::Delete);
    m_copyLink->setShortcut(QKeySequence::Copy);
    m_paste->setShortcut(QKeySequence::Paste);
    for (QAction *a : { m_remove, m_copyLink, m_paste }) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    m_togglePause->setShortcut(Qt::Key_Space);
    m_togglePause->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(m_togglePause);

    // Header: the batch totals.
    m_totals->setObjectName(u"totals"_s);
    m_totals->setAccessibleName(tr("Totals"));
    m_totals->setTextFormat(Qt::PlainText);
    m_totalProgress->setObjectName(u"totalProgress"_s);
    m_totalProgress->setAccessibleName(tr("Overall progress"));
    m_totalProgress->setRange(0, 1000);
    m_totalProgress->setTextVisible(false);
    m_totalProgress->setMaximumHeight(fontMetrics().height() / 2 + 2);

    auto *global = new QHBoxLayout;
    global->addWidget(buttonFor(m_addFiles, u"addFilesButton"_s, this));
    global->addSpacing(fontMetrics().height());
    global->addWidget(buttonFor(m_pauseAll, u"pauseAllButton"_s, this));
    global->addWidget(buttonFor(m_resumeAll, u"resumeAllButton"_s, this));
    global->addWidget(buttonFor(m_cancelAll, u"cancelAllButton"_s, this));
    global->addWidget(buttonFor(m_clearFinished, u"clearFinishedButton"_s, this));
    global->addStretch();

    // The list, or what to do while it is empty.
    m_view->setObjectName(u"uploadList"_s);
    m_view->setAccessibleName(tr("Uploads"));
    m_view->setModel(m_viewModel);
    m_view->setItemDelegate(new UploadItemDelegate(m_icons, m_view));
    m_view->setUniformItemSizes(true); // one size hint for all rows: a thousand stay cheap
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setMouseTracking(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->viewport()->setAcceptDrops(false); // drops go to this widget, the drop zone
    m_emptyState->setObjectName(u"emptyState"_s);
    m_emptyState->setAccessibleName(tr("No uploads"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setTextFormat(Qt::PlainText);
    m_emptyState->setText(tr("No uploads yet.\n\nDrop files or folders here, paste them with "
                             "Ctrl+V, or choose Add files…"));
    m_emptyState->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_emptyState);
    m_stack->addWidget(m_view);

    auto *selection = new QHBoxLayout;
    selection->addWidget(buttonFor(m_pause, u"pauseButton"_s, this));
    selection->addWidget(buttonFor(m_resume, u"resumeButton"_s, this));
    selection->addWidget(buttonFor(m_cancel, u"cancelButton"_s, this));
    selection->addWidget(buttonFor(m_retry, u"retryButton"_s, this));
    selection->addWidget(buttonFor(m_remove, u"removeButton"_s, this));
    selection->addWidget(buttonFor(m_copyLink, u"copyLinkButton"_s, this));
    selection->addStretch();
    m_status->setObjectName(u"statusMessage"_s);
    m_status->setAccessibleName(tr("Status"));
    m_status->setTextFormat(Qt::PlainText);
    selection->addWidget(m_status);

    auto *layout = new QVBoxLayout(this);
    const int margin = fontMetrics().height() / 2; // room for the drop highlight around it all
    layout->setContentsMargins(margin, margin, margin, margin);
    layout->addWidget(m_totals);
    layout->addWidget(m_totalProgress);
    layout->addLayout(global);
    layout->addWidget(m_stack, 1);
    layout->addLayout(selection);

    m_contextMenu->setObjectName(u"uploadContextMenu"_s);
    m_contextMenu->setAccessibleName(tr("Upload actions"));
    m_contextMenu->addActions({ m_pause, m_resume, m_cancel, m_retry, m_remove, m_copyLink });
    m_contextMenu->addSeparator();
    m_contextMenu->addActions({ m_paste, m_addFiles });
    m_contextMenu->addSeparator();
    m_contextMenu->addActions({ m_pauseAll, m_resumeAll, m_cancelAll, m_clearFinished });
    connect(
        m_view, &QWidget::customContextMenuRequested, this, &UploadManagerWidget::showContextMenu);

    m_refresh->setSingleShot(true);
    m_refresh->setInterval(refreshIntervalMs);
    connect(m_refresh, &QTimer::timeout, this, &UploadManagerWidget::refresh);
    connect(m_manager, &UploadManager::totalsChanged, this, &UploadManagerWidget::scheduleRefresh);
    connect(m_manager, &QObject::destroyed, this, &UploadManagerWidget::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &UploadManagerWidget::scheduleRefresh);
    connect(
        m_model, &QAbstractItemModel::rowsInserted, this, &UploadManagerWidget::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &UploadManagerWidget::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UploadManagerWidget::scheduleRefresh);
    // The selection is the user's own action: its buttons follow at once.
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &UploadManagerWidget::updateActions);
    connect(m_icons, &UploadIconCache::thumbnailReady, m_view->viewport(),
        qOverload<>(&QWidget::update));
    refresh();
}

UploadManagerWidget::~UploadManagerWidget() = default;

QAction *UploadManagerWidget::makeAction(const QString &name, const QString &text,
    const QString &tip, void (UploadManagerWidget::*slot)())
{
    return newAction(this, name, text, tip, [this, slot] { (this->*slot)(); });
}

void UploadManagerWidget::setFolderQuestion(FolderQuestion question)
{
    m_folderQuestion = std::move(question);
}

void UploadManagerWidget::setFilePicker(FilePicker picker)
{
    m_filePicker = std::move(picker);
}

void UploadManagerWidget::setIconProvider(QAbstractFileIconProvider *provider)
{
    m_icons->setIconProvider(provider);
    m_view->viewport()->update();
}

// --- adding files ----------------------------------------------------------------------------

int UploadManagerWidget::addPaths(const QStringList &paths)
{
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isDir()) {
            // A missing or odd path is queued too: its row then says what is wrong with it.
            files.append(info.absoluteFilePath());
            continue;
        }
        QStringList inside;
        QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot,
            QDirIterator::Subdirectories);
        while (it.hasNext())
            inside.append(it.next());
        inside.sort();
        if (inside.isEmpty()) {
            showStatus(tr("The folder %1 holds no files.").arg(info.fileName()));
            continue;
        }
        if (inside.size() > m_folderThreshold && m_folderQuestion
            && !m_folderQuestion(this, info.absoluteFilePath(), int(inside.size()))) {
            showStatus(tr("Skipped the folder %1.").arg(info.fileName()));
            continue;
        }
        files.append(inside);
    }
    if (files.isEmpty() || !m_manager)
        return 0;
    m_manager->enqueue(files);
    showStatus(tr("Files added: %1").arg(files.size()));
    Q_EMIT filesAdded(files);
    return int(files.size());
}

int UploadManagerWidget::addUrls(const QList<QUrl> &urls)
{
    QStringList paths;
    int skipped = 0;
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
        else
            ++skipped;
    }
    const int added = addPaths(paths);
    if (skipped > 0)
        showStatus(
            tr("Only files on this computer can be uploaded; links skipped: %1").arg(skipped));
    return added;
}

QString UploadManagerWidget::savePastedImage(const QImage &image)
{
    QDir dir(m_pasteFolder);
    if (!dir.mkpath(u"."_s)) {
        showStatus(tr("Cannot save the pasted image: the folder %1 cannot be created.")
                       .arg(QDir::toNativeSeparators(m_pasteFolder)));
        return {};
    }
    const QString stem
        = u"pasted-image-"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s);
    QString path = dir.filePath(stem + u".png"_s);
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(stem + u'-' + QString::number(n) + u".png"_s);
    if (!image.save(path, "PNG")) {
        showStatus(tr("Cannot save the pasted image to %1.").arg(QDir::toNativeSeparators(path)));
        return {};
    }
    return path;
}

namespace {
bool hasLocalFiles(const QMimeData *mime)
{
    const QList<QUrl> urls = mime->hasUrls() ? mime->urls() : QList<QUrl>();
    return std::any_of(urls.cbegin(), urls.cend(), [](const QUrl &u) { return u.isLocalFile(); });
}
} // namespace

int UploadManagerWidget::addMimeData(const QMimeData *mime)
{
    if (!mime)
        return 0;
    if (hasLocalFiles(mime))
        return addUrls(mime->urls());
    if (mime->hasImage()) {
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (!image.isNull()) {
            const QString path = savePastedImage(image);
            return path.isEmpty() ? 0 : addPaths({ path });
        }
    }
    showStatus(tr("Nothing to upload: no files and no image."));
    return 0;
}

int UploadManagerWidget::paste()
{
    return addMimeData(QGuiApplication::clipboard()->mimeData());
}

int UploadManagerWidget::addFilesFromPicker()
{
    if (!m_filePicker)
        return 0;
    return addPaths(m_filePicker(this));
}

void UploadManagerWidget::pasteAction()
{
    paste();
}

void UploadManagerWidget::addFilesAction()
{
    addFilesFromPicker();
}

bool UploadManagerWidget::canAccept(const QMimeData *mime)
{
    return mime && (hasLocalFiles(mime) || mime->hasImage());
}

void UploadManagerWidget::dragEnterEvent(QDragEnterEvent *event)
{
    if (!canAccept(event->mimeData()))
        return;
    event->acceptProposedAction();
    m_dragActive = true;
    update();
}

void UploadManagerWidget::dragMoveEvent(QDragMoveEvent *event)
{
    if (canAccept(event->mimeData()))
        event->acceptProposedAction();
}

void UploadManagerWidget::dragLeaveEvent(QDragLeaveEvent *)
{
    m_dragActive = false;
    update();
}

void UploadManagerWidget::dropEvent(QDropEvent *event)
{
    m_dragActive = false;
    update();
    if (!canAccept(event->mimeData()))
        return;
    event->acceptProposedAction();
    addMimeData(event->mimeData());
}

void UploadManagerWidget::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    if (!m_dragActive)
        return;
    // The drop zone: a highlight around everything while files hover over it.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen(palette().color(QPalette::Highlight), 2, Qt::DashLine);
    painter.setPen(pen);
    const int radius = fontMetrics().height() / 3;
    painter.drawRoundedRect(QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5), radius, radius);
}

void UploadManagerWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Rows are sized from the font: a new font or style (or screen) lays them out again.
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        m_view->doItemsLayout();
}

// --- verbs -----------------------------------------------------------------------------------

QStringList UploadManagerWidget::selectedJobIds() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
        [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex &index : std::as_const(rows))
        ids.append(index.data(UploadListModel::JobIdRole).toString());
    return ids;
}

void UploadManagerWidget::forSelected(void (UploadManager::*verb)(const QString &), int canRole)
{
    if (!m_manager)
        return;
    // Ids first: a verb may change rows.
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        if (index.data(canRole).toBool())
            ids.append(index.data(UploadListModel::JobIdRole).toString());
    }
    for (const QString &id : std::as_const(ids))
        (m_manager.data()->*verb)(id);
    scheduleRefresh();
}

void UploadManagerWidget::pauseSelected()
{
    forSelected(&UploadManager::pause, UploadListModel::CanPauseRole);
}

void UploadManagerWidget::resumeSelected()
{
    forSelected(&UploadManager::resume, UploadListModel::CanResumeRole);
}

void UploadManagerWidget::togglePauseSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const bool anyToPause = std::any_of(rows.cbegin(), rows.cend(),
        [](const QModelIndex &i) { return i.data(UploadListModel::CanPauseRole).toBool(); });
    if (anyToPause)
        pauseSelected();
    else
        resumeSelected();
}

void UploadManagerWidget::cancelSelected()
{
    forSelected(&UploadManager::cancel, UploadListModel::CanCancelRole);
}

void UploadManagerWidget::retrySelected()
{
    forSelected(&UploadManager::retry, UploadListModel::CanRetryRole);
}

void UploadManagerWidget::removeSelected()
{
    const QStringList ids = selectedJobIds();
    if (!m_manager)
        return;
    for (const QString &id : ids)
        m_manager->remove(id);
    if (!ids.isEmpty())
        showStatus(tr("Uploads removed: %1").arg(ids.size()));
}

QString UploadManagerWidget::copySelectedLinks()
{
    QStringList links;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
        [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : std::as_const(rows)) {
        const QString uri = index.data(UploadListModel::ContentUriRole).toString();
        if (!uri.isEmpty()
            && index.data(UploadListModel::StateRole).toInt() == int(State::Completed))
            links.append(uri);
    }
    if (links.isEmpty()) {
        showStatus(tr("No finished upload is selected: there is no link to copy yet."));
        return {};
    }
    const QString text = links.join(u'\n');
    QGuiApplication::clipboard()->setText(text);
    showStatus(tr("Links copied: %1").arg(links.size()));
    return text;
}

void UploadManagerWidget::copyLinks()
{
    copySelectedLinks();
}

void UploadManagerWidget::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (index.isValid() && !m_view->selectionModel()->isSelected(index))
        m_view->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateActions();
    m_contextMenu->popup(m_view->viewport()->mapToGlobal(pos));
}

// --- state -----------------------------------------------------------------------------------

void UploadManagerWidget::showStatus(const QString &message)
{
    m_status->setText(message);
}

void UploadManagerWidget::scheduleRefresh()
{
    if (!m_refresh->isActive())
        m_refresh->start();
}

void UploadManagerWidget::refresh()
{
    m_stack->setCurrentWidget(
        m_model->rowCount() == 0 ? static_cast<QWidget *>(m_emptyState) : m_view);
    updateTotals();
    updateActions();
}

void UploadManagerWidget::updateActions()
{
    bool canPause = false, canResume = false, canCancel = false, canRetry = false, hasLink = false;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        canPause |= index.data(UploadListModel::CanPauseRole).toBool();
        canResume |= index.data(UploadListModel::CanResumeRole).toBool();
        canCancel |= index.data(UploadListModel::CanCancelRole).toBool();
        canRetry |= index.data(UploadListModel::CanRetryRole).toBool();
        hasLink |= index.data(UploadListModel::StateRole).toInt() == int(State::Completed);
    }
    m_pause->setEnabled(canPause);
    m_resume->setEnabled(canResume);
    m_togglePause->setEnabled(canPause || canResume);
    m_cancel->setEnabled(canCancel);
    m_retry->setEnabled(canRetry);
    m_remove->setEnabled(!rows.isEmpty());
    m_copyLink->setEnabled(hasLink);

    bool anyPausable = false, anyPaused = false, anyOpen = false, anyFinished = false;
    const QList<UploadJob *> jobs = m_manager ? m_manager->jobs() : QList<UploadJob *>();
    for (const UploadJob *job : jobs) {
        const State state = job->state();
        anyPausable |= job->isActive() || state == State::Queued;
        anyPaused |= state == State::Paused;
        anyOpen |= !job->isTerminal();
        anyFinished |= state == State::Completed || state == State::Cancelled;
    }
    m_pauseAll->setEnabled(anyPausable);
    m_resumeAll->setEnabled(anyPaused);
    m_cancelAll->setEnabled(anyOpen);
    m_clearFinished->setEnabled(anyFinished);
}

void UploadManagerWidget::updateTotals()
{
    const int count = m_manager ? m_manager->count() : 0;
    m_totalProgress->setVisible(count > 0);
    if (count == 0) {
        m_totals->setText(tr("No uploads"));
        m_totalProgress->setValue(0);
        return;
    }
    const qint64 total = m_manager->totalBytes();
    const qint64 sent = m_manager->sentBytes();
    const double speed = m_manager->bytesPerSecond();
    QStringList parts;
    parts << tr("%1 of %2 files done").arg(m_manager->completedCount()).arg(count);
    parts << tr("%1 of %2")
                 .arg(UploadViewModel::formatBytes(sent), UploadViewModel::formatBytes(total));
    if (speed > 0) {
        parts << tr("%1/s").arg(UploadViewModel::formatBytes(qint64(speed)));
        parts << tr("%1 left").arg(
            UploadViewModel::formatDuration(qint64(double(total - sent) / speed + 0.5)));
    }
    if (const int failed = m_manager->failedCount())
        parts << tr("%1 failed").arg(failed);
    const QString text = parts.join(u"  ·  "_s);
    m_totals->setText(text);
    m_totals->setAccessibleDescription(text);
    m_totalProgress->setValue(total > 0 ? int(double(sent) / double(total) * 1000) : 0);
}

} // namespace MatrixUpload
