// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "historywindow.h"
#include "uploadhistory.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
//! The size, right-aligned, with some space before the room name that follows.
class SizeDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        QStyleOptionViewItem panel = option;
        initStyleOption(&panel, index);
        panel.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &panel, painter, widget);
        QStyleOptionViewItem inner = option;
        inner.rect.adjust(0, 0, -2 * style->pixelMetric(QStyle::PM_FocusFrameHMargin) - 6, 0);
        QStyledItemDelegate::paint(painter, inner, index);
    }
};
} // namespace

HistoryWindow::HistoryWindow(UploadHistory *history, QWidget *parent)
    : QDialog(parent)
    , m_history(history)
    , m_view(new QTreeView(this))
    , m_warning(new QLabel(this))
    , m_copyUri(new QAction(tr("Copy Content URI"), this))
    , m_copyLink(new QAction(tr("Copy Link"), this))
    , m_remove(new QAction(tr("Remove"), this))
    , m_clear(new QAction(tr("Clear History…"), this))
{
    setWindowTitle(tr("Upload History"));
    resize(720, 420);
    m_view->setObjectName(u"historyView"_s);
    m_view->setModel(history);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setSectionResizeMode(UploadHistory::FileColumn, QHeaderView::Stretch);
    m_view->header()->setStretchLastSection(false);
    m_view->setColumnWidth(UploadHistory::SizeColumn, 90);
    m_view->setItemDelegateForColumn(UploadHistory::SizeColumn, new SizeDelegate(m_view));
    m_view->setColumnWidth(UploadHistory::RoomColumn, 170);
    m_view->setColumnWidth(UploadHistory::DateColumn, 170);

    m_warning->setObjectName(u"historyWarning"_s);
    m_warning->setWordWrap(true);
    m_warning->setFrameShape(QFrame::StyledPanel);
    m_warning->setMargin(6);
    m_warning->setText(history->loadWarning());
    m_warning->setVisible(!history->loadWarning().isEmpty());

    m_copyUri->setObjectName(u"copyContentUriAction"_s);
    m_copyUri->setToolTip(tr("Copy the mxc:// URI of the file"));
    m_copyUri->setShortcut(QKeySequence::Copy);
    m_copyUri->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyLink->setObjectName(u"copyLinkAction"_s);
    m_copyLink->setToolTip(tr("Copy a matrix.to link to the message the file was posted in"));
    m_remove->setObjectName(u"removeHistoryAction"_s);
    m_remove->setToolTip(tr("Remove from the history (the file stays on the server)"));
    m_remove->setShortcut(QKeySequence::Delete);
    m_remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_clear->setObjectName(u"clearHistoryAction"_s);
    addActions({ m_copyUri, m_copyLink, m_remove });
    connect(m_copyUri, &QAction::triggered, this, &HistoryWindow::copyContentUri);
    connect(m_copyLink, &QAction::triggered, this, &HistoryWindow::copyLink);
    connect(m_remove, &QAction::triggered, this, &HistoryWindow::removeSelected);
    connect(m_clear, &QAction::triggered, this, &HistoryWindow::clearHistory);

    auto *menu = new QMenu(this);
    menu->addActions({ m_copyUri, m_copyLink });
    menu->addSeparator();
    menu->addAction(m_remove);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this, menu](const QPoint &at) {
        if (m_view->indexAt(at).isValid())
            menu->popup(m_view->viewport()->mapToGlobal(at));
    });

    auto *buttons = new QHBoxLayout;
    for (QAction *action : { m_copyUri, m_copyLink, m_remove, m_clear }) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_warning);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &HistoryWindow::updateActions);
    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
        connect(history, signal, this, &HistoryWindow::updateActions);
    connect(history, &QAbstractItemModel::modelReset, this, &HistoryWindow::updateActions);
    connect(history, &QAbstractItemModel::dataChanged, this, &HistoryWindow::updateActions);
    // The history is the session's: when the session ends, so does this window.
    connect(history, &QObject::destroyed, this, &QWidget::close);
    updateActions();
}

UploadHistory *HistoryWindow::history() const
{
    return m_history;
}

QList<int> HistoryWindow::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void HistoryWindow::updateActions()
{
    const QList<int> rows = m_history ? selectedRows() : QList<int>();
    bool links = !rows.isEmpty();
    for (int row : rows)
        links = links && !m_history->entry(row).link().isEmpty();
    m_copyUri->setEnabled(!rows.isEmpty());
    m_copyLink->setEnabled(links);
    m_remove->setEnabled(!rows.isEmpty());
    m_clear->setEnabled(m_history && m_history->rowCount() > 0);
}

void HistoryWindow::copyContentUri()
{
    QStringList uris;
    for (int row : selectedRows())
        uris.append(m_history->entry(row).contentUri);
    if (!uris.isEmpty())
        QGuiApplication::clipboard()->setText(uris.join(u'\n'));
}

void HistoryWindow::copyLink()
{
    QStringList links;
    for (int row : selectedRows()) {
        const QString link = m_history->entry(row).link();
        if (!link.isEmpty())
            links.append(link);
    }
    if (!links.isEmpty())
        QGuiApplication::clipboard()->setText(links.join(u'\n'));
}

void HistoryWindow::removeSelected()
{
    if (m_history)
        m_history->removeEntries(selectedRows());
}

void HistoryWindow::clearHistory()
{
    if (!m_history || m_history->rowCount() == 0 || m_confirm)
        return;
    m_confirm = new QMessageBox(QMessageBox::Question, tr("Clear History"),
        tr("Remove every upload from the history? The files stay on the server."),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirm->setObjectName(u"clearHistoryConfirmation"_s);
    m_confirm->setDefaultButton(QMessageBox::Cancel);
    m_confirm->button(QMessageBox::Yes)->setText(tr("Clear History"));
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    QMessageBox *box = m_confirm;
    // The button, not finished()'s result: what that is for a standard button changed in Qt 6.5.
    connect(box, &QMessageBox::finished, this, [this, box] {
        if (box->clickedButton() == box->button(QMessageBox::Yes) && m_history)
            m_history->clear();
    });
    m_confirm->open();
}

} // namespace MatrixUpload::App
