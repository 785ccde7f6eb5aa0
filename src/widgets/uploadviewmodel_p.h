// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader Widgets: the texts a row shows, formatted once for painting, tooltips and
// screen readers alike.
#pragma once

#include <matrixupload/widgets/matrixupload_widgets_export.h>

#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>

#include <QIdentityProxyModel>

namespace MatrixUpload {

//! UploadListModel plus the words the widget shows: the delegate paints these roles, the same
//! strings are the rows' accessible text and description, and tests read them. Keeping the
//! formatting here keeps the delegate free of logic and what a screen reader says equal to what
//! is on screen.
class MATRIXUPLOAD_WIDGETS_TESTS_EXPORT UploadViewModel : public QIdentityProxyModel
{
    Q_OBJECT
public:
    enum Role {
        //! The third line: sizes, speed, time left, route; the content URI when done; the
        //! failure and what to do about it.
        DetailTextRole = UploadListModel::CanCancelRole + 100,
        //! "45 %" while moving, empty when there is nothing to show.
        ProgressTextRole,
    };

    explicit UploadViewModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role) const override;

private:
    QString detailText(const QModelIndex &index) const;
    QString toolTip(const QModelIndex &index) const;
};

} // namespace MatrixUpload
