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
#include <QPointer>
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

class UploadManagerWidgetPrivate
{
public:
    QPointer<UploadManager> manager; //!< guarded: a sibling may be deleted first
    UploadListModel *model = nullptr;
    UploadViewModel *viewModel = nullptr;
    UploadIconCache *icons = nullptr;
    QListView *view = nullptr;
    QStackedWidget *stack = nullptr;
    QLabel *emptyState = nullptr;
    QLabel *totals = nullptr;
    QProgressBar *totalProgress = nullptr;
    QLabel *status = nullptr;
    QMenu *contextMenu = nullptr;
    QTimer *refresh = nullptr;

    QAction *pause = nullptr;
    QAction *resume = nullptr;
    QAction *togglePause = nullptr;
    QAction *cancel = nullptr;
    QAction *retry = nullptr;
    QAction *remove = nullptr;
    QAction *copyLink = nullptr;
    QAction *paste = nullptr;
    QAction *addFiles = nullptr;
    QAction *pauseAll = nullptr;
    QAction *resumeAll = nullptr;
    QAction *cancelAll = nullptr;
    QAction *clearFinished = nullptr;

    UploadManagerWidget::FolderQuestion folderQuestion;
    UploadManagerWidget::FilePicker filePicker;
    int folderThreshold = 50;
    QString pasteFolder;
    bool dragActive = false;
};

UploadManagerWidget::UploadManagerWidget(UploadManager *manager, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<UploadManagerWidgetPrivate>())
{
    d->manager = manager;
    d->model = new UploadListModel(manager, this);
    d->viewModel = new UploadViewModel(this);
    d->icons = new UploadIconCache(this);
    d->view = new QListView(this);
    d->stack = new QStackedWidget(this);
    d->emptyState = new QLabel(this);
    d->totals = new QLabel(this);
    d->totalProgress = new QProgressBar(this);
    d->status = new QLabel(this);
    d->contextMenu = new QMenu(this);
    d->refresh = new QTimer(this);
    setObjectName(u"uploadManager"_s);
    setAccessibleName(tr("Upload manager"));
    setAcceptDrops(true);
    setFocusPolicy(Qt::ClickFocus); // a click on the empty state is enough for Ctrl+V
    d->viewModel->setSourceModel(d->model);

    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    d->pasteFolder = appData.isEmpty() ? QDir::temp().filePath(u"matrixupload-pasted"_s)
                                       : QDir(appData).filePath(u"pasted"_s);
    d->folderQuestion = [](QWidget *parent, const QString &folder, int count) {
        return QMessageBox::question(parent, tr("Add a folder"),
                   tr("The folder %1 holds %n file(s). Upload them all?", nullptr, count)
                       .arg(QDir::toNativeSeparators(folder)),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    };
    d->filePicker = [](QWidget *parent) {
        return QFileDialog::getOpenFileNames(parent, tr("Add files to upload"));
    };

    // Verbs for the selected rows.
    d->pause = makeAction(u"pauseAction"_s, tr("&Pause"), tr("Pause the selected uploads"),
        &UploadManagerWidget::pauseSelected);
    d->resume = makeAction(u"resumeAction"_s, tr("&Resume"), tr("Resume the selected uploads"),
        &UploadManagerWidget::resumeSelected);
    d->togglePause = makeAction(u"togglePauseAction"_s, tr("Pause or resume"),
        tr("Pause the selected uploads, or resume them when paused"),
        &UploadManagerWidget::togglePauseSelected);
    d->cancel = makeAction(u"cancelAction"_s, tr("&Cancel"),
        tr("Stop the selected uploads for good"), &UploadManagerWidget::cancelSelected);
    d->retry = makeAction(u"retryAction"_s, tr("Re&try"), tr("Try the failed uploads again"),
        &UploadManagerWidget::retrySelected);
    d->remove = makeAction(u"removeAction"_s, tr("Re&move"),
        tr("Remove the selected rows, cancelling unfinished uploads"),
        &UploadManagerWidget::removeSelected);
    d->copyLink = makeAction(u"copyLinkAction"_s, tr("Copy &link"),
        tr("Copy the content URIs of the selected finished uploads"),
        &UploadManagerWidget::copyLinks);
    // Verbs for all rows, and adding.
    d->paste = makeAction(u"pasteAction"_s, tr("Pa&ste"),
        tr("Upload the files or the image on the clipboard"), &UploadManagerWidget::pasteAction);
    d->addFiles = makeAction(u"addFilesAction"_s, tr("&Add files…"), tr("Choose files to upload"),
        &UploadManagerWidget::addFilesAction);
    d->pauseAll
        = newAction(this, u"pauseAllAction"_s, tr("Pause all"), tr("Pause every upload"), [this] {
              if (d->manager)
                  d->manager->pauseAll();
          });
    d->resumeAll = newAction(
        this, u"resumeAllAction"_s, tr("Resume all"), tr("Resume every paused upload"), [this] {
            if (d->manager)
                d->manager->resumeAll();
        });
    d->cancelAll = newAction(
        this, u"cancelAllAction"_s, tr("Cancel all"), tr("Stop every unfinished upload"), [this] {
            if (d->manager)
                d->manager->cancelAll();
        });
    d->clearFinished = newAction(this, u"clearFinishedAction"_s, tr("Clear finished"),
        tr("Remove the rows of finished and cancelled uploads"), [this] {
            if (d->manager)
                d->manager->clearFinished();
        });

    QStyle *s = style();
    d->pause->setIcon(s->standardIcon(QStyle::SP_MediaPause));
    d->resume->setIcon(s->standardIcon(QStyle::SP_MediaPlay));
    d->cancel->setIcon(s->standardIcon(QStyle::SP_DialogCancelButton));
    d->retry->setIcon(s->standardIcon(QStyle::SP_BrowserReload));
    d->remove->setIcon(s->standardIcon(QStyle::SP_TrashIcon));
    d->addFiles->setIcon(s->standardIcon(QStyle::SP_FileDialogStart));
    d->pauseAll->setIcon(d->pause->icon());
    d->resumeAll->setIcon(d->resume->icon());
    d->cancelAll->setIcon(d->cancel->icon());
    d->clearFinished->setIcon(s->standardIcon(QStyle::SP_DialogResetButton));

    // Keyboard: the shortcuts work anywhere in the widget; Space only in the list, so a focused
    // button still presses with Space.
    d->remove->setShortcut(QKeySequence::Delete);
    d->copyLink->setShortcut(QKeySequence::Copy);
    d->paste->setShortcut(QKeySequence::Paste);
    for (QAction *a : { d->remove, d->copyLink, d->paste }) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    d->togglePause->setShortcut(Qt::Key_Space);
    d->togglePause->setShortcutContext(Qt::WidgetShortcut);
    d->view->addAction(d->togglePause);

    // Header: the batch totals.
    d->totals->setObjectName(u"totals"_s);
    d->totals->setAccessibleName(tr("Totals"));
    d->totals->setTextFormat(Qt::PlainText);
    d->totalProgress->setObjectName(u"totalProgress"_s);
    d->totalProgress->setAccessibleName(tr("Overall progress"));
    d->totalProgress->setRange(0, 1000);
    d->totalProgress->setTextVisible(false);
    d->totalProgress->setMaximumHeight(fontMetrics().height() / 2 + 2);

    auto *global = new QHBoxLayout;
    global->addWidget(buttonFor(d->addFiles, u"addFilesButton"_s, this));
    global->addSpacing(fontMetrics().height());
    global->addWidget(buttonFor(d->pauseAll, u"pauseAllButton"_s, this));
    global->addWidget(buttonFor(d->resumeAll, u"resumeAllButton"_s, this));
    global->addWidget(buttonFor(d->cancelAll, u"cancelAllButton"_s, this));
    global->addWidget(buttonFor(d->clearFinished, u"clearFinishedButton"_s, this));
    global->addStretch();

    // The list, or what to do while it is empty.
    d->view->setObjectName(u"uploadList"_s);
    d->view->setAccessibleName(tr("Uploads"));
    d->view->setModel(d->viewModel);
    d->view->setItemDelegate(new UploadItemDelegate(d->icons, d->view));
    d->view->setUniformItemSizes(true); // one size hint for all rows: a thousand stay cheap
    d->view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    d->view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    d->view->setMouseTracking(true);
    d->view->setContextMenuPolicy(Qt::CustomContextMenu);
    d->view->viewport()->setAcceptDrops(false); // drops go to this widget, the drop zone
    d->emptyState->setObjectName(u"emptyState"_s);
    d->emptyState->setAccessibleName(tr("No uploads"));
    d->emptyState->setAlignment(Qt::AlignCenter);
    d->emptyState->setWordWrap(true);
    d->emptyState->setTextFormat(Qt::PlainText);
    d->emptyState->setText(tr("No uploads yet.\n\nDrop files or folders here, paste them with "
                              "Ctrl+V, or choose Add files…"));
    d->emptyState->setForegroundRole(QPalette::PlaceholderText);
    d->stack->addWidget(d->emptyState);
    d->stack->addWidget(d->view);

    auto *selection = new QHBoxLayout;
    selection->addWidget(buttonFor(d->pause, u"pauseButton"_s, this));
    selection->addWidget(buttonFor(d->resume, u"resumeButton"_s, this));
    selection->addWidget(buttonFor(d->cancel, u"cancelButton"_s, this));
    selection->addWidget(buttonFor(d->retry, u"retryButton"_s, this));
    selection->addWidget(buttonFor(d->remove, u"removeButton"_s, this));
    selection->addWidget(buttonFor(d->copyLink, u"copyLinkButton"_s, this));
    selection->addStretch();
    d->status->setObjectName(u"statusMessage"_s);
    d->status->setAccessibleName(tr("Status"));
    d->status->setTextFormat(Qt::PlainText);
    selection->addWidget(d->status);

    auto *layout = new QVBoxLayout(this);
    const int margin = fontMetrics().height() / 2; // room for the drop highlight around it all
    layout->setContentsMargins(margin, margin, margin, margin);
    layout->addWidget(d->totals);
    layout->addWidget(d->totalProgress);
    layout->addLayout(global);
    layout->addWidget(d->stack, 1);
    layout->addLayout(selection);

    d->contextMenu->setObjectName(u"uploadContextMenu"_s);
    d->contextMenu->setAccessibleName(tr("Upload actions"));
    d->contextMenu->addActions(
        { d->pause, d->resume, d->cancel, d->retry, d->remove, d->copyLink });
    d->contextMenu->addSeparator();
    d->contextMenu->addActions({ d->paste, d->addFiles });
    d->contextMenu->addSeparator();
    d->contextMenu->addActions({ d->pauseAll, d->resumeAll, d->cancelAll, d->clearFinished });
    connect(
        d->view, &QWidget::customContextMenuRequested, this, &UploadManagerWidget::showContextMenu);

    // The model and the manager coalesce already (UploadManager::updateIntervalMs): the signals
    // of one of their updates become one refresh, in the next pass of the event loop.
    d->refresh->setSingleShot(true);
    d->refresh->setInterval(0);
    connect(d->refresh, &QTimer::timeout, this, &UploadManagerWidget::refresh);
    connect(d->manager, &UploadManager::totalsChanged, this, &UploadManagerWidget::scheduleRefresh);
    connect(d->manager, &QObject::destroyed, this, &UploadManagerWidget::scheduleRefresh);
    connect(
        d->model, &QAbstractItemModel::dataChanged, this, &UploadManagerWidget::scheduleRefresh);
    connect(
        d->model, &QAbstractItemModel::rowsInserted, this, &UploadManagerWidget::scheduleRefresh);
    connect(
        d->model, &QAbstractItemModel::rowsRemoved, this, &UploadManagerWidget::scheduleRefresh);
    connect(d->model, &QAbstractItemModel::modelReset, this, &UploadManagerWidget::scheduleRefresh);
    // The selection is the user's own action: its buttons follow at once.
    connect(d->view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &UploadManagerWidget::updateActions);
    connect(d->icons, &UploadIconCache::thumbnailReady, d->view->viewport(),
        qOverload<>(&QWidget::update));
    refresh();
}

UploadManagerWidget::~UploadManagerWidget()
{
    // ~QWidget deletes the children after d is gone: their last signals must not reach slots
    // that use it.
    const QList<QObject *> descendants = findChildren<QObject *>();
    for (QObject *object : descendants)
        object->disconnect(this);
    if (d->manager)
        d->manager->disconnect(this);
}

UploadManager *UploadManagerWidget::manager() const
{
    return d->manager;
}

UploadListModel *UploadManagerWidget::model() const
{
    return d->model;
}

QListView *UploadManagerWidget::view() const
{
    return d->view;
}

int UploadManagerWidget::folderQuestionThreshold() const
{
    return d->folderThreshold;
}

void UploadManagerWidget::setFolderQuestionThreshold(int files)
{
    d->folderThreshold = files;
}

QString UploadManagerWidget::pasteFolder() const
{
    return d->pasteFolder;
}

void UploadManagerWidget::setPasteFolder(const QString &folder)
{
    d->pasteFolder = folder;
}

QMenu *UploadManagerWidget::contextMenu() const
{
    return d->contextMenu;
}

QAction *UploadManagerWidget::makeAction(const QString &name, const QString &text,
    const QString &tip, void (UploadManagerWidget::*slot)())
{
    return newAction(this, name, text, tip, [this, slot] { (this->*slot)(); });
}

void UploadManagerWidget::setFolderQuestion(FolderQuestion question)
{
    d->folderQuestion = std::move(question);
}

void UploadManagerWidget::setFilePicker(FilePicker picker)
{
    d->filePicker = std::move(picker);
}

void UploadManagerWidget::setIconProvider(QAbstractFileIconProvider *provider)
{
    d->icons->setIconProvider(provider);
    d->view->viewport()->update();
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
        if (inside.size() > d->folderThreshold && d->folderQuestion
            && !d->folderQuestion(this, info.absoluteFilePath(), int(inside.size()))) {
            showStatus(tr("Skipped the folder %1.").arg(info.fileName()));
            continue;
        }
        files.append(inside);
    }
    if (files.isEmpty() || !d->manager)
        return 0;
    d->manager->enqueue(files);
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
    QDir dir(d->pasteFolder);
    if (!dir.mkpath(u"."_s)) {
        showStatus(tr("Cannot save the pasted image: the folder %1 cannot be created.")
                       .arg(QDir::toNativeSeparators(d->pasteFolder)));
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
    if (!d->filePicker)
        return 0;
    return addPaths(d->filePicker(this));
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
    d->dragActive = true;
    update();
}

void UploadManagerWidget::dragMoveEvent(QDragMoveEvent *event)
{
    if (canAccept(event->mimeData()))
        event->acceptProposedAction();
}

void UploadManagerWidget::dragLeaveEvent(QDragLeaveEvent *)
{
    d->dragActive = false;
    update();
}

void UploadManagerWidget::dropEvent(QDropEvent *event)
{
    d->dragActive = false;
    update();
    if (!canAccept(event->mimeData()))
        return;
    event->acceptProposedAction();
    addMimeData(event->mimeData());
}

void UploadManagerWidget::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    if (!d->dragActive)
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
        d->view->doItemsLayout();
}

// --- verbs -----------------------------------------------------------------------------------

QStringList UploadManagerWidget::selectedJobIds() const
{
    QModelIndexList rows = d->view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
        [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex &index : std::as_const(rows))
        ids.append(index.data(UploadListModel::JobIdRole).toString());
    return ids;
}

void UploadManagerWidget::forSelected(void (UploadManager::*verb)(const QString &), int canRole)
{
    if (!d->manager)
        return;
    // Ids first: a verb may change rows.
    QStringList ids;
    for (const QModelIndex &index : d->view->selectionModel()->selectedRows()) {
        if (index.data(canRole).toBool())
            ids.append(index.data(UploadListModel::JobIdRole).toString());
    }
    for (const QString &id : std::as_const(ids))
        (d->manager.data()->*verb)(id);
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
    const QModelIndexList rows = d->view->selectionModel()->selectedRows();
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
    if (!d->manager)
        return;
    for (const QString &id : ids)
        d->manager->remove(id);
    if (!ids.isEmpty())
        showStatus(tr("Uploads removed: %1").arg(ids.size()));
}

QString UploadManagerWidget::copySelectedLinks()
{
    QStringList links;
    QModelIndexList rows = d->view->selectionModel()->selectedRows();
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
    const QModelIndex index = d->view->indexAt(pos);
    if (index.isValid() && !d->view->selectionModel()->isSelected(index))
        d->view->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateActions();
    d->contextMenu->popup(d->view->viewport()->mapToGlobal(pos));
}

// --- state -----------------------------------------------------------------------------------

void UploadManagerWidget::showStatus(const QString &message)
{
    d->status->setText(message);
}

void UploadManagerWidget::scheduleRefresh()
{
    if (!d->refresh->isActive())
        d->refresh->start();
}

void UploadManagerWidget::refresh()
{
    d->stack->setCurrentWidget(
        d->model->rowCount() == 0 ? static_cast<QWidget *>(d->emptyState) : d->view);
    updateTotals();
    updateActions();
}

void UploadManagerWidget::updateActions()
{
    bool canPause = false, canResume = false, canCancel = false, canRetry = false, hasLink = false;
    const QModelIndexList rows = d->view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        canPause |= index.data(UploadListModel::CanPauseRole).toBool();
        canResume |= index.data(UploadListModel::CanResumeRole).toBool();
        canCancel |= index.data(UploadListModel::CanCancelRole).toBool();
        canRetry |= index.data(UploadListModel::CanRetryRole).toBool();
        hasLink |= index.data(UploadListModel::StateRole).toInt() == int(State::Completed);
    }
    d->pause->setEnabled(canPause);
    d->resume->setEnabled(canResume);
    d->togglePause->setEnabled(canPause || canResume);
    d->cancel->setEnabled(canCancel);
    d->retry->setEnabled(canRetry);
    d->remove->setEnabled(!rows.isEmpty());
    d->copyLink->setEnabled(hasLink);

    // From the manager's counts, not a walk over every job: this runs after every refresh.
    bool anyPausable = false, anyPaused = false, anyOpen = false, anyFinished = false;
    if (const UploadManager *manager = d->manager) {
        const int completed = manager->stateCount(State::Completed);
        const int cancelled = manager->stateCount(State::Cancelled);
        anyPausable = !manager->isIdle(); // a job active or queued
        anyPaused = manager->stateCount(State::Paused) > 0;
        anyOpen = manager->count() > completed + cancelled + manager->stateCount(State::Failed);
        anyFinished = completed + cancelled > 0;
    }
    d->pauseAll->setEnabled(anyPausable);
    d->resumeAll->setEnabled(anyPaused);
    d->cancelAll->setEnabled(anyOpen);
    d->clearFinished->setEnabled(anyFinished);
}

void UploadManagerWidget::updateTotals()
{
    const int count = d->manager ? d->manager->count() : 0;
    d->totalProgress->setVisible(count > 0);
    if (count == 0) {
        d->totals->setText(tr("No uploads"));
        d->totalProgress->setValue(0);
        return;
    }
    const qint64 total = d->manager->totalBytes();
    const qint64 sent = d->manager->sentBytes();
    const double speed = d->manager->bytesPerSecond();
    QStringList parts;
    parts << tr("%1 of %2 files done").arg(d->manager->completedCount()).arg(count);
    parts << tr("%1 of %2")
                 .arg(UploadListModel::formatSize(sent), UploadListModel::formatSize(total));
    if (speed > 0) {
        parts << tr("%1/s").arg(UploadListModel::formatSize(qint64(speed)));
        parts << tr("%1 left").arg(
            UploadListModel::formatDuration(qint64(double(total - sent) / speed + 0.5)));
    }
    if (const int failed = d->manager->failedCount())
        parts << tr("%1 failed").arg(failed);
    const QString text = parts.join(u"  ·  "_s);
    d->totals->setText(text);
    d->totals->setAccessibleDescription(text);
    d->totalProgress->setValue(total > 0 ? int(double(sent) / double(total) * 1000) : 0);
}

} // namespace MatrixUpload
