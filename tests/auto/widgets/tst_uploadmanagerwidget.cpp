// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// UploadManagerWidget driven like a user would, against the in-process test server over loopback
// sockets: drop, paste, the picker and folders; every button, context menu entry and shortcut;
// failure rows and Retry; a refused file; a thousand queued files.
#include <matrixupload/api/mediaapi.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include "uploadbench.h"
#include "uploadviewmodel_p.h"
#include "windowdrag.h"
#include <matrixupload/testserver/mediatestserver.h>

#include <QAbstractButton>
#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileIconProvider>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QListView>
#include <QLoggingCategory>
#include <QMenu>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;
using State = UploadJob::State;

namespace {
constexpr int waitMs = 20000;

//! Counts what the delegate asks for, to show that painting does not look icons up per row.
class CountingIconProvider final : public QFileIconProvider
{
public:
    using QFileIconProvider::icon;
    QIcon icon(const QFileInfo &info) const override
    {
        ++calls;
        return QFileIconProvider::icon(info);
    }
    mutable int calls = 0;
};
} // namespace

class tst_UploadManagerWidget final : public QObject, protected UploadBench
{
    Q_OBJECT

    std::unique_ptr<UploadManager> m_manager;
    std::unique_ptr<UploadManagerWidget> m_widget;
    QList<std::pair<QString, int>> m_questions; // folder questions asked: (folder, files)
    bool m_answer = false;
    QStringList m_picked;
    int m_pickerCalls = 0;
    int m_fileSeed = 0;

    void start(const MediaTestServerConfig &base = {}, int maxAttempts = 8)
    {
        startServer(base);
        m_manager = std::make_unique<UploadManager>(m_api.get());
        UploadOptions o = fastOptions();
        o.retry.maxAttempts = maxAttempts;
        m_manager->setOptions(o);
        m_widget = std::make_unique<UploadManagerWidget>(m_manager.get());
        // Never a real dialog in a test: the question and the picker answer from the fixture.
        m_widget->setFolderQuestion([this](QWidget *, const QString &folder, int files) {
            m_questions.append({ folder, files });
            return m_answer;
        });
        m_widget->setFilePicker([this](QWidget *) {
            ++m_pickerCalls;
            return m_picked;
        });
        m_widget->setPasteFolder(m_dir.filePath(u"pasted"_s));
        m_widget->resize(900, 600);
        m_widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_widget.get()));
    }

    QString uniqueName(const QString &stem)
    {
        return stem + QString::number(++m_fileSeed) + u".bin"_s;
    }

    QListView *view() const { return m_widget->view(); }
    QAbstractItemModel *rows() const { return view()->model(); }
    QString rowText(int row, int role) const { return rows()->index(row, 0).data(role).toString(); }
    UploadJob *jobAt(int row) const { return m_widget->model()->jobAt(row); }

    QToolButton *button(const QString &name) const
    {
        return m_widget->findChild<QToolButton *>(name);
    }

    //! Clicks a button once it is enabled (buttons follow the model a moment later).
    bool click(const QString &name) const
    {
        QToolButton *b = button(name);
        if (!b || !QTest::qWaitFor([b] { return b->isEnabled(); }, waitMs))
            return false;
        QTest::mouseClick(b, Qt::LeftButton);
        return true;
    }

    void clickRow(int row, Qt::KeyboardModifiers modifiers = {}) const
    {
        const QModelIndex index = rows()->index(row, 0);
        view()->scrollTo(index);
        QTest::mouseClick(
            view()->viewport(), Qt::LeftButton, modifiers, view()->visualRect(index).center());
    }

    //! A drag of \a urls from another program, dropped on the widget through its window.
    bool drop(const QList<QUrl> &urls) const
    {
        QMimeData mime;
        mime.setUrls(urls);
        return dropOn(m_widget.get(), &mime);
    }

    static QList<QUrl> fileUrls(const QStringList &paths)
    {
        QList<QUrl> urls;
        for (const QString &p : paths)
            urls.append(QUrl::fromLocalFile(p));
        return urls;
    }

    static QString mediaId(const UploadJob *job) { return job->contentUri().section(u'/', -1); }
    qint64 stored(const UploadJob *job) const
    {
        return m_server->mediaInfo(job->contentUri()).value(u"stored"_s).toInteger();
    }

    bool allIn(State state) const
    {
        const QList<UploadJob *> jobs = m_manager->jobs();
        return std::all_of(jobs.cbegin(), jobs.cend(),
            [state](const UploadJob *j) { return j->state() == state; });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The jobs' progress lines would drown the test's own output.
        QLoggingCategory::setFilterRules(u"matrixupload.*.info=false"_s);
    }

    void cleanup()
    {
        // The widget first, then what it shows, then the server (after the wire check).
        m_widget.reset();
        m_manager.reset();
        finishUploadTest(nullptr);
        m_questions.clear();
        m_answer = false;
        m_picked.clear();
        m_pickerCalls = 0;
        QGuiApplication::clipboard()->clear();
    }

    void emptyStateAndAccessibleNames()
    {
        start();
        auto *empty = m_widget->findChild<QLabel *>(u"emptyState"_s);
        QVERIFY(empty);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(u"Drop files"_s));
        QVERIFY(!view()->isVisible());
        QCOMPARE(m_widget->findChild<QLabel *>(u"totals"_s)->text(), u"No uploads"_s);
        // Every control has a name a screen reader can say.
        const QList<QWidget *> children = m_widget->findChildren<QWidget *>();
        int controls = 0;
        for (QWidget *w : children) {
            if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QAbstractItemView *>(w)
                || qobject_cast<QLabel *>(w) || qobject_cast<QMenu *>(w)) {
                ++controls;
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
            }
        }
        QVERIFY(controls >= 14);
        // Nothing to act on yet.
        for (const char *name : { "pauseButton", "resumeButton", "cancelButton", "retryButton",
                 "removeButton", "copyLinkButton", "pauseAllButton", "resumeAllButton",
                 "cancelAllButton", "clearFinishedButton" }) {
            QVERIFY2(button(QString::fromLatin1(name)), name);
            QVERIFY2(!button(QString::fromLatin1(name))->isEnabled(), name);
        }
        QVERIFY(button(u"addFilesButton"_s)->isEnabled());
    }

    void managerDeletedFirst()
    {
        start();
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"gone"_s), content(100)) })));
        QCOMPARE(rows()->rowCount(), 1);
        m_manager.reset();
        QCOMPARE(rows()->rowCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_widget->findChild<QLabel *>(u"emptyState"_s)->isVisible(), waitMs);
        QVERIFY(!button(u"cancelAllButton"_s)->isEnabled());
        // Adding does nothing now, and says nothing wrong.
        QCOMPARE(m_widget->addPaths({ writeFile(uniqueName(u"gone"_s), content(100)) }), 0);
        QCOMPARE(rows()->rowCount(), 0);
    }

    void dropUploadsShowsLinksAndCopies()
    {
        start();
        const QByteArray a = content(3 * chunk + 5, 1);
        const QByteArray b = content(1000, 2);
        const QString pa = writeFile(u"drop a.bin"_s, a);
        const QString pb = writeFile(u"drop b.txt"_s, b);
        QVERIFY(drop(fileUrls({ pa, pb })));
        QCOMPARE(rows()->rowCount(), 2);
        QCOMPARE(rowText(0, UploadListModel::FileNameRole), u"drop a.bin"_s);
        QTRY_VERIFY_WITH_TIMEOUT(view()->isVisible(), waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(allIn(State::Completed), waitMs);
        QCOMPARE(m_server->mediaContent(jobAt(0)->contentUri()), a);
        QCOMPARE(m_server->mediaContent(jobAt(1)->contentUri()), b);
        // The row shows the content URI and how it travelled.
        for (int row = 0; row < 2; ++row) {
            const QString uri = jobAt(row)->contentUri();
            QVERIFY(uri.startsWith(u"mxc://"_s));
            QTRY_VERIFY_WITH_TIMEOUT(
                rowText(row, UploadViewModel::DetailTextRole).contains(uri), waitMs);
            QVERIFY(rowText(row, UploadViewModel::DetailTextRole).contains(u"direct to storage"_s));
            QCOMPARE(rowText(row, Qt::AccessibleDescriptionRole),
                rowText(row, UploadViewModel::DetailTextRole));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            m_widget->findChild<QLabel *>(u"totals"_s)->text().startsWith(u"2 of 2 files done"_s),
            waitMs);

        // Ctrl+A, Ctrl+C: both links, one a line.
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(m_widget->selectedJobIds().size(), 2);
        QTest::keyClick(view(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(),
            jobAt(0)->contentUri() + u'\n' + jobAt(1)->contentUri());
        // The Copy link button, for the one selected row.
        QGuiApplication::clipboard()->clear();
        clickRow(1);
        QCOMPARE(m_widget->selectedJobIds(), QStringList { jobAt(1)->id() });
        QVERIFY(click(u"copyLinkButton"_s));
        QCOMPARE(QGuiApplication::clipboard()->text(), jobAt(1)->contentUri());
    }

    void pauseStopsBytesResumeContinues()
    {
        start();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        const QByteArray bytes = content(8 * chunk);
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"pause"_s), bytes) })));
        UploadJob *job = jobAt(0);
        QTRY_VERIFY_WITH_TIMEOUT(job->confirmedBytes() >= chunk, waitMs);
        clickRow(0);
        QVERIFY(!button(u"resumeButton"_s)->isEnabled());
        QVERIFY(click(u"pauseButton"_s));
        QCOMPARE(job->state(), State::Paused);
        QTRY_VERIFY_WITH_TIMEOUT(!button(u"pauseButton"_s)->isEnabled(), waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(rowText(0, UploadListModel::StateTextRole), u"Paused"_s, waitMs);
        // No byte moves while paused.
        roundTrip();
        const qint64 held = stored(job);
        const qsizetype seen = requestsTo(u"/_upload/"_s + mediaId(job)).size();
        roundTrip();
        roundTrip();
        QCOMPARE(stored(job), held);
        QCOMPARE(requestsTo(u"/_upload/"_s + mediaId(job)).size(), seen);
        QCOMPARE(job->state(), State::Paused);
        QVERIFY(held < bytes.size());

        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QVERIFY(click(u"resumeButton"_s));
        QVERIFY(job->state() != State::Paused);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Completed, waitMs);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QVERIFY(requestsTo(u"/_upload/"_s + mediaId(job)).size() > seen);
    }

    void cancelEndsWithNoMoreRequests()
    {
        start();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"cancel"_s), content(8 * chunk)) })));
        UploadJob *job = jobAt(0);
        QTRY_VERIFY_WITH_TIMEOUT(job->bytesSent() > 0, waitMs);
        clickRow(0);
        QVERIFY(click(u"cancelButton"_s));
        QCOMPARE(job->state(), State::Cancelled);
        // Whatever was on its way before the click has arrived after this; nothing after it.
        roundTrip();
        const qsizetype seen = requestsTo(u"/_upload/"_s + mediaId(job)).size();
        roundTrip();
        roundTrip();
        QCOMPARE(requestsTo(u"/_upload/"_s + mediaId(job)).size(), seen);
        QVERIFY(requestsTo(u"/_matrix/media/v1/upload/"_s).isEmpty()); // never completed
        QVERIFY(
            m_server->mediaInfo(job->contentUri()).value(u"state"_s).toString() != u"complete"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            rowText(0, UploadListModel::StateTextRole), u"Cancelled"_s, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!button(u"cancelButton"_s)->isEnabled(), waitMs);
        QVERIFY(!button(u"pauseButton"_s)->isEnabled());
        QVERIFY(!button(u"retryButton"_s)->isEnabled());
        QVERIFY(!button(u"copyLinkButton"_s)->isEnabled());
    }

    void failureRowThenRetryRecovers()
    {
        start({}, 1);
        QVERIFY(m_server->addFault(
            { { u"status"_s, 500 }, { u"route"_s, u"create"_s }, { u"times"_s, 50 } }));
        const QByteArray bytes = content(5000);
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"fault"_s), bytes) })));
        UploadJob *job = jobAt(0);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Failed, waitMs);
        QVERIFY(!job->errorString().isEmpty());
        // What happened, and what to do about it; the details in the tooltip.
        QTRY_VERIFY_WITH_TIMEOUT(
            rowText(0, UploadViewModel::DetailTextRole).contains(job->errorString()), waitMs);
        QVERIFY(rowText(0, UploadViewModel::DetailTextRole).contains(u"Retry"_s));
        QVERIFY(rowText(0, Qt::ToolTipRole).contains(job->errorString()));
        QVERIFY(rowText(0, Qt::ToolTipRole).contains(job->filePath()));
        QCOMPARE(rowText(0, UploadListModel::StateTextRole), u"Failed"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_widget->findChild<QLabel *>(u"totals"_s)->text().contains(u"1 failed"_s), waitMs);

        m_server->clearFaults();
        clickRow(0);
        QVERIFY(click(u"retryButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Completed, waitMs);
        QCOMPARE(m_server->mediaContent(job->contentUri()), bytes);
        QTRY_VERIFY_WITH_TIMEOUT(
            rowText(0, UploadViewModel::DetailTextRole).contains(job->contentUri()), waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!button(u"retryButton"_s)->isEnabled(), waitMs);
    }

    void anEncryptedRowSaysSo()
    {
        start();
        UploadOptions options = m_manager->options();
        options.encrypt = true;
        m_manager->setOptions(options);
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"sealed"_s), content(3000)) })));
        UploadJob *job = jobAt(0);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Completed, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            rowText(0, UploadViewModel::DetailTextRole).contains(job->contentUri()), waitMs);
        QVERIFY2(rowText(0, UploadViewModel::DetailTextRole).contains(u"encrypted"_s),
            qPrintable(rowText(0, UploadViewModel::DetailTextRole)));
        QVERIFY(rowText(0, Qt::AccessibleTextRole).endsWith(u", encrypted"_s));
        QVERIFY(rowText(0, UploadListModel::EncryptedRole) == u"true"_s);
    }

    void aRefusedSignInIsShownAsAWait()
    {
        start({}, 1);
        m_api->setAccessToken(u"WRONG"_s); // refused, and no refresh token to renew it
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"signin"_s), content(3000)) })));
        UploadJob *job = jobAt(0);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::WaitingForToken, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(
            rowText(0, UploadListModel::StateTextRole), u"Waiting for sign-in"_s, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(rowText(0, UploadViewModel::DetailTextRole)
                                     .contains(u"continues once you sign in again"_s),
            waitMs);
        QVERIFY(!rowText(0, UploadViewModel::DetailTextRole).contains(u"Retry"_s)); // no failure
        clickRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(button(u"pauseButton"_s)->isEnabled(), waitMs);
        QVERIFY(!button(u"retryButton"_s)->isEnabled());

        m_api->setAccessToken(u"TOKEN"_s);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Completed, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(rowText(0, UploadListModel::StateTextRole), u"Done"_s, waitMs);
    }

    void tooLargeIsShownBeforeAnyRequest()
    {
        MediaTestServerConfig config;
        config.maxUploadSize = 10000;
        start(config);
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"big"_s), content(20000)) })));
        UploadJob *job = jobAt(0);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Failed, waitMs);
        QCOMPARE(job->error(), UploadJob::Error::TooLarge);
        QTRY_VERIFY_WITH_TIMEOUT(rowText(0, UploadViewModel::DetailTextRole)
                                     .contains(u"The server refuses files over"_s),
            waitMs);
        QVERIFY(rowText(0, UploadViewModel::DetailTextRole).contains(u"smaller file"_s));
        roundTrip();
        QVERIFY(requestsTo(u"/_matrix/media/v1/create"_s).isEmpty());
        QVERIFY(requestsTo(u"/_matrix/media/v3/upload"_s).isEmpty());
        QVERIFY(requestsTo(u"/_upload/"_s).isEmpty());
    }

    void contextMenuEntries()
    {
        start();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 512 * 1024 } }));
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"menu"_s), content(8 * chunk)),
            writeFile(uniqueName(u"menu"_s), content(8 * chunk, 2)) })));
        UploadJob *first = jobAt(0);
        QTRY_VERIFY_WITH_TIMEOUT(first->bytesSent() > 0, waitMs);
        QMenu *menu = m_widget->contextMenu();
        QCOMPARE(menu->objectName(), u"uploadContextMenu"_s);
        for (const char *name : { "pauseAction", "resumeAction", "cancelAction", "retryAction",
                 "removeAction", "copyLinkAction", "pasteAction", "addFilesAction",
                 "pauseAllAction", "resumeAllAction", "cancelAllAction", "clearFinishedAction" }) {
            const QList<QAction *> actions = menu->actions();
            QVERIFY2(std::any_of(actions.cbegin(), actions.cend(),
                         [name](QAction *a) { return a->objectName() == QLatin1String(name); }),
                name);
        }

        // Right click on a row selects it and opens the menu; an entry clicked does its verb.
        auto choose = [&](int row, const QString &actionName) {
            const QModelIndex index = rows()->index(row, 0);
            const QPoint at = view()->visualRect(index).center();
            QContextMenuEvent event(
                QContextMenuEvent::Mouse, at, view()->viewport()->mapToGlobal(at));
            QCoreApplication::sendEvent(view()->viewport(), &event);
            if (!QTest::qWaitFor([menu] { return menu->isVisible(); }, waitMs))
                return false;
            QAction *action = menu->findChild<QAction *>(actionName);
            const QList<QAction *> actions = menu->actions();
            for (QAction *a : actions) {
                if (a->objectName() == actionName)
                    action = a;
            }
            if (!action || !action->isEnabled())
                return false;
            QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
            return QTest::qWaitFor([menu] { return !menu->isVisible(); }, waitMs);
        };
        QVERIFY(choose(0, u"pauseAction"_s));
        QCOMPARE(m_widget->selectedJobIds(), QStringList { first->id() });
        QCOMPARE(first->state(), State::Paused);
        QVERIFY(choose(0, u"resumeAction"_s));
        QVERIFY(first->state() != State::Paused);
        QVERIFY(choose(0, u"cancelAction"_s));
        QCOMPARE(first->state(), State::Cancelled);
        QVERIFY(choose(0, u"removeAction"_s));
        QCOMPARE(rows()->rowCount(), 1);
        QCOMPARE(m_manager->count(), 1);

        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        UploadJob *second = jobAt(0);
        QTRY_COMPARE_WITH_TIMEOUT(second->state(), State::Completed, waitMs);
        QVERIFY(choose(0, u"copyLinkAction"_s));
        QCOMPARE(QGuiApplication::clipboard()->text(), second->contentUri());
        QVERIFY(choose(0, u"clearFinishedAction"_s));
        QCOMPARE(rows()->rowCount(), 0);
    }

    void globalButtons()
    {
        start();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 1024 * 1024 } }));
        QStringList paths;
        QList<QByteArray> data;
        for (int i = 0; i < 3; ++i) {
            data.append(content(6 * chunk, i));
            paths.append(writeFile(uniqueName(u"all"_s), data.last()));
        }
        QVERIFY(drop(fileUrls(paths)));
        QTRY_VERIFY_WITH_TIMEOUT(m_manager->sentBytes() > 0, waitMs);

        QVERIFY(click(u"pauseAllButton"_s));
        QVERIFY(allIn(State::Paused));
        QCOMPARE(m_manager->activeCount(), 0);
        roundTrip();
        const qsizetype seen = requestsTo(u"/_upload/"_s).size();
        roundTrip();
        QCOMPARE(requestsTo(u"/_upload/"_s).size(), seen);

        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 0 } }));
        QVERIFY(click(u"resumeAllButton"_s));
        QVERIFY(std::none_of(m_manager->jobs().cbegin(), m_manager->jobs().cend(),
            [](const UploadJob *j) { return j->state() == State::Paused; }));
        QTRY_VERIFY_WITH_TIMEOUT(allIn(State::Completed), waitMs);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_server->mediaContent(jobAt(i)->contentUri()), data.at(i));

        QVERIFY(click(u"clearFinishedButton"_s));
        QCOMPARE(rows()->rowCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_widget->findChild<QLabel *>(u"emptyState"_s)->isVisible(), waitMs);

        // Cancel all ends every unfinished one; clear finished then takes the cancelled rows.
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        QVERIFY(drop(fileUrls({ writeFile(uniqueName(u"all"_s), content(8 * chunk)),
            writeFile(uniqueName(u"all"_s), content(8 * chunk, 3)) })));
        QVERIFY(click(u"cancelAllButton"_s));
        QVERIFY(allIn(State::Cancelled));
        QVERIFY(click(u"clearFinishedButton"_s));
        QCOMPARE(m_manager->count(), 0);
    }

    void keyboardShortcuts()
    {
        start();
        QVERIFY(m_server->addFault({ { u"bandwidth"_s, 256 * 1024 } }));
        const QString path = writeFile(uniqueName(u"keys"_s), content(8 * chunk));
        // Ctrl+V with file URLs on the clipboard, while the list is still empty.
        auto *mime = new QMimeData;
        mime->setUrls(fileUrls({ path }));
        QGuiApplication::clipboard()->setMimeData(mime);
        m_widget->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_widget.get()));
        m_widget->setFocus();
        QTest::keyClick(m_widget.get(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(rows()->rowCount(), 1);
        UploadJob *job = jobAt(0);
        QCOMPARE(job->filePath(), path);
        QTRY_VERIFY_WITH_TIMEOUT(view()->isVisible(), waitMs);

        clickRow(0);
        view()->setFocus();
        QTRY_VERIFY_WITH_TIMEOUT(job->isActive(), waitMs);
        QTest::keyClick(view(), Qt::Key_Space);
        QCOMPARE(job->state(), State::Paused);
        QTest::keyClick(view(), Qt::Key_Space);
        QVERIFY(job->state() != State::Paused);
        QCOMPARE(m_widget->selectedJobIds(), QStringList { job->id() }); // Space kept the row
        QTest::keyClick(view(), Qt::Key_Delete);
        QCOMPARE(m_manager->count(), 0);
        QCOMPARE(rows()->rowCount(), 0);
    }

    void pastedImageIsSavedAsPng()
    {
        start();
        QImage image(40, 30, QImage::Format_RGB32);
        image.fill(Qt::red);
        auto *mime = new QMimeData;
        mime->setImageData(image);
        QGuiApplication::clipboard()->setMimeData(mime);
        QCOMPARE(m_widget->paste(), 1);
        UploadJob *job = jobAt(0);
        QVERIFY(job->filePath().startsWith(m_dir.filePath(u"pasted"_s)));
        QVERIFY(job->fileName().endsWith(u".png"_s));
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), State::Completed, waitMs);
        const QImage uploaded = QImage::fromData(m_server->mediaContent(job->contentUri()), "PNG");
        QCOMPARE(uploaded.size(), QSize(40, 30));
        QCOMPARE(uploaded.pixelColor(3, 3), QColor(Qt::red));

        // A clipboard with nothing usable says so and adds nothing.
        auto *text = new QMimeData;
        text->setText(u"just words"_s);
        QGuiApplication::clipboard()->setMimeData(text);
        QCOMPARE(m_widget->paste(), 0);
        QCOMPARE(rows()->rowCount(), 1);
        QVERIFY(!m_widget->findChild<QLabel *>(u"statusMessage"_s)->text().isEmpty());
    }

    void droppedFolderAsksWhenMany()
    {
        start();
        const QString folder = m_dir.filePath(u"folder"_s);
        for (int i = 0; i < 4; ++i)
            writeFile(u"folder/f%1.bin"_s.arg(i), content(100 + i));
        writeFile(u"folder/sub/inner.bin"_s, content(50));
        m_widget->setFolderQuestionThreshold(3);

        m_answer = false;
        QVERIFY(drop(fileUrls({ folder })));
        QCOMPARE(m_questions.size(), 1);
        QCOMPARE(m_questions.at(0).first, folder);
        QCOMPARE(m_questions.at(0).second, 5);
        QCOMPARE(rows()->rowCount(), 0);

        m_answer = true;
        QVERIFY(drop(fileUrls({ folder })));
        QCOMPARE(m_questions.size(), 2);
        QCOMPARE(rows()->rowCount(), 5);
        QCOMPARE(rowText(4, UploadListModel::FileNameRole), u"inner.bin"_s);

        // Under the threshold nobody is asked.
        m_widget->setFolderQuestionThreshold(10);
        QVERIFY(drop(fileUrls({ folder })));
        QCOMPARE(m_questions.size(), 2);
        QCOMPARE(rows()->rowCount(), 10);
        QTRY_VERIFY_WITH_TIMEOUT(allIn(State::Completed), waitMs);

        // A drag without local files is refused.
        QMimeData remote;
        remote.setUrls({ QUrl(u"https://example.org/a.png"_s) });
        QVERIFY(!dragOver(m_widget.get(), &remote));
    }

    void addFilesButtonUsesThePicker()
    {
        start();
        m_picked = { writeFile(uniqueName(u"picked"_s), content(300)),
            writeFile(uniqueName(u"picked"_s), content(400)) };
        QVERIFY(click(u"addFilesButton"_s));
        QCOMPARE(m_pickerCalls, 1);
        QCOMPARE(rows()->rowCount(), 2);
        QCOMPARE(jobAt(1)->filePath(), m_picked.at(1));
        m_picked.clear(); // the picker was cancelled
        QVERIFY(click(u"addFilesButton"_s));
        QCOMPARE(m_pickerCalls, 2);
        QCOMPARE(rows()->rowCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(allIn(State::Completed), waitMs);
    }

    void aVideoRowShowsItsFrame()
    {
        // The description's thumbnail (MediaDescriber gives a video's frame) is the row's
        // picture, not only an image file's own pixels.
        start();
        UploadJob *job = m_manager->enqueue(writeFile(u"clip.mp4"_s, content(4000)));
        QCOMPARE(rows()->rowCount(), 1);
        // The left part of the row, where the picture goes.
        auto redPixels = [this] {
            const QRect row = view()->visualRect(rows()->index(0, 0));
            const QImage shot = view()->viewport()->grab().toImage();
            const qreal ratio = shot.devicePixelRatio();
            const QRect left
                = QRect(row.topLeft(), QSize(row.height(), row.height()))
                      .intersected(QRect(QPoint(), shot.deviceIndependentSize().toSize()));
            int n = 0;
            for (int y = left.top(); y <= left.bottom(); ++y) {
                for (int x = left.left(); x <= left.right(); ++x) {
                    const QColor c = shot.pixelColor(int(x * ratio), int(y * ratio));
                    n += c.red() > 200 && c.green() < 60 && c.blue() < 60;
                }
            }
            return n;
        };
        QTRY_VERIFY(!view()->visualRect(rows()->index(0, 0)).isEmpty());
        QCOMPARE(redPixels(), 0); // the type icon of a video file

        QImage frame(320, 240, QImage::Format_RGB32);
        frame.fill(Qt::red);
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(frame.save(&buffer, "JPEG"));
        MediaDescription description;
        description.msgtype = u"m.video"_s;
        description.thumbnail = jpeg;
        description.thumbnailMimeType = u"image/jpeg"_s;
        job->setMediaDescription(description);
        QCOMPARE(rows()->index(0, 0).data(UploadListModel::ThumbnailRole).toByteArray(), jpeg);
        // Decoded on a later turn, then painted: a picture of the frame's red.
        QTRY_VERIFY_WITH_TIMEOUT(redPixels() > 100, waitMs);
    }

    void thousandFilesStayBounded()
    {
        start();
        CountingIconProvider icons;
        m_widget->setIconProvider(&icons);
        m_manager->setMaxParallel(6);
        constexpr int files = 1000;
        constexpr int running = 60; // uploaded for real; the rest stay paused
        QStringList paths;
        for (int i = 0; i < files; ++i)
            paths.append(writeFile(
                u"many/file%1.bin"_s.arg(i, 4, 10, QLatin1Char('0')), content(64 + i % 7, i)));

        int jobSignals = 0;
        connect(m_manager.get(), &UploadManager::jobAdded, this, [&jobSignals](UploadJob *job) {
            connect(job, &UploadJob::stateChanged, job, [&jobSignals] { ++jobSignals; });
            connect(job, &UploadJob::progressChanged, job, [&jobSignals] { ++jobSignals; });
        });
        QSignalSpy rowChanges(m_widget->model(), &QAbstractItemModel::dataChanged);
        // The first uploads' creates wait at the server until Pause all: none has finished by
        // then, whatever the machine's speed (the counts below are known, not raced).
        QVERIFY(m_server->addFault({ { u"hold_request"_s, true },
            { u"path_prefix"_s, u"/_matrix/media/v1/create"_s }, { u"times"_s, 6 } }));
        QVERIFY(drop(fileUrls(paths)));
        QCOMPARE(rows()->rowCount(), files);
        QCOMPARE(m_manager->count(), files);

        // Responsive with a thousand rows: a click selects at once, the list scrolls and paints.
        clickRow(500);
        QCOMPARE(m_widget->selectedJobIds(), QStringList { jobAt(500)->id() });
        view()->scrollToBottom();
        QVERIFY(!view()->viewport()->grab().isNull());
        view()->scrollToTop();
        QVERIFY(!view()->viewport()->grab().isNull());

        // Pause all, with the button.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->heldRequests(), 6, waitMs); // six are running
        QCOMPARE(m_manager->completedCount(), 0);
        QVERIFY(click(u"pauseAllButton"_s));
        QCOMPARE(m_manager->activeCount(), 0);
        QCOMPARE(m_manager->completedCount(), 0);
        const int paused = int(std::count_if(m_manager->jobs().cbegin(), m_manager->jobs().cend(),
            [](const UploadJob *j) { return j->state() == State::Paused; }));
        QCOMPARE(paused, files - m_manager->completedCount());
        rowChanges.clear();
        QVERIFY(rowChanges.wait(waitMs)); // the pause reached the view

        // A burst of thousands of state changes within one event loop turn reaches the view as
        // one update per row.
        jobSignals = 0;
        rowChanges.clear();
        for (int i = 0; i < 3; ++i) {
            m_manager->resumeAll();
            m_manager->pauseAll();
        }
        QCOMPARE(jobSignals, 6 * paused);
        QVERIFY(rowChanges.wait(waitMs));
        // Every row shows its state, and the rows came in a few ranges (they are neighbours:
        // one), not one signal per row, let alone six.
        QSet<int> shown;
        for (const QList<QVariant> &change : std::as_const(rowChanges)) {
            const int last = change.at(1).toModelIndex().row();
            for (int row = change.at(0).toModelIndex().row(); row <= last; ++row)
                shown.insert(row);
        }
        QVERIFY(shown.size() >= paused);
        QVERIFY2(rowChanges.size() <= 8, qPrintable(QString::number(rowChanges.size())));

        // Resume the first ones only (a shift-click selects the range): each upload sends
        // about ten signals, the rows show a bounded few of them.
        const int done = m_manager->completedCount();
        clickRow(0);
        clickRow(running - 1, Qt::ShiftModifier);
        QCOMPARE(m_widget->selectedJobIds().size(), running);
        jobSignals = 0;
        rowChanges.clear();
        QVERIFY(click(u"resumeButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_manager->completedCount(), running, waitMs);
        QCOMPARE(jobAt(running)->state(), State::Paused);
        QTRY_VERIFY_WITH_TIMEOUT(m_widget->findChild<QLabel *>(u"totals"_s)
                                     ->text()
                                     .startsWith(u"%1 of %2 files done"_s.arg(running).arg(files)),
            waitMs);
        qInfo("%d uploads: %d job signals, %lld row updates", running - done, jobSignals,
            qlonglong(rowChanges.size()));
        QVERIFY(jobSignals >= 5 * (running - done));
        QVERIFY(rowChanges.size() < jobSignals);

        // One icon lookup per file type, not one per row or per paint.
        view()->scrollToBottom();
        QVERIFY(!view()->viewport()->grab().isNull());
        QVERIFY2(icons.calls >= 1 && icons.calls <= 2, qPrintable(QString::number(icons.calls)));

        // The rest ends with Cancel all; Clear finished empties the list.
        QVERIFY(click(u"cancelAllButton"_s));
        QCOMPARE(m_manager->completedCount(), running);
        QVERIFY(click(u"clearFinishedButton"_s));
        QCOMPARE(rows()->rowCount(), 0);
        QCOMPARE(m_manager->count(), 0);
    }
};

QTEST_MAIN(tst_UploadManagerWidget)
#include "tst_uploadmanagerwidget.moc"
