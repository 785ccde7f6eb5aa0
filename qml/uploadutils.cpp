// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadutils.h"

#include <matrixupload/uploadlistmodel.h>

#include <QClipboard>
#include <QGuiApplication>

namespace MatrixUpload::Qml {

UploadUtils::UploadUtils(QObject *parent)
    : QObject(parent)
{ }

QStringList UploadUtils::localFiles(const QList<QUrl> &urls) const
{
    QStringList paths;
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

void UploadUtils::copyToClipboard(const QString &text) const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

QString UploadUtils::formatSize(double bytes) const
{
    return UploadListModel::formatSize(bytes < 0 ? -1 : qint64(bytes));
}

QString UploadUtils::formatDuration(double seconds) const
{
    return UploadListModel::formatDuration(seconds < 0 ? -1 : qint64(seconds + 0.5));
}

} // namespace MatrixUpload::Qml
