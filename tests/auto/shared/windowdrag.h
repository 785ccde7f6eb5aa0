// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Drags from another program (a file manager, a browser) as the window system delivers them: to
// the top-level window, which hands each event to the widget under the point that accepts drops.
// Sent to a widget directly, the events would reach it even without setAcceptDrops(true).
#pragma once

#include <QCoreApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QTest>
#include <QWidget>
#include <QWindow>

namespace MatrixUpload::Testing {

//! \a mime entering \a target's window and moving to \a at (in \a target's coordinates; its
//! middle by default). Gives whether the move was accepted, that is whether a drop may follow.
inline bool dragOver(QWidget *target, QMimeData *mime, QPoint at = QPoint(-1, -1))
{
    QWidget *top = target->window();
    if (!top->isVisible()) {
        // Only a window on the screen (offscreen in the tests) receives drags.
        top->show();
        if (!QTest::qWaitForWindowExposed(top))
            return false;
    }
    QWindow *window = top->windowHandle();
    if (!window)
        return false;
    if (at == QPoint(-1, -1))
        at = target->rect().center();
    const QPoint inWindow = target->mapTo(target->window(), at);
    QDragEnterEvent enter(inWindow, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QCoreApplication::sendEvent(window, &enter);
    QDragMoveEvent move(inWindow, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    move.setAccepted(false);
    QCoreApplication::sendEvent(window, &move);
    return move.isAccepted();
}

//! dragOver() and, when the move was accepted, the drop. Gives whether the drop was accepted.
inline bool dropOn(QWidget *target, QMimeData *mime, QPoint at = QPoint(-1, -1))
{
    if (!dragOver(target, mime, at))
        return false;
    if (at == QPoint(-1, -1))
        at = target->rect().center();
    const QPoint inWindow = target->mapTo(target->window(), at);
    QDropEvent dropped(QPointF(inWindow), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    dropped.setAccepted(false);
    QCoreApplication::sendEvent(target->window()->windowHandle(), &dropped);
    return dropped.isAccepted();
}

} // namespace MatrixUpload::Testing
