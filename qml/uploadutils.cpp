// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadutils.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLocale>

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
    if (bytes < 0)
        return {};
    return QLocale().formattedDataSize(qint64(bytes));
}

QString UploadUtils::formatDuration(double seconds) const
{
    if (seconds < 0)
        return {};
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace MatrixUpload::Qml
