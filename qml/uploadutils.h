// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader QML module: the few things QML cannot do itself.
#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace MatrixUpload::Qml {

//! The singleton `UploadUtils`: local paths from dropped URLs, the clipboard, sizes and
//! durations in the user's locale. A job's data is read from its properties.
class UploadUtils : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    explicit UploadUtils(QObject *parent = nullptr);

    //! The local files among \a urls (file:// URLs), as paths; anything else is left out.
    Q_INVOKABLE QStringList localFiles(const QList<QUrl> &urls) const;
    Q_INVOKABLE void copyToClipboard(const QString &text) const;
    //! "1.5 MB" (UploadListModel::formatSize()); an empty string for a negative (unknown) size.
    Q_INVOKABLE QString formatSize(double bytes) const;
    //! "12 s", "3 min 20 s", "1 h 5 min" (UploadListModel::formatDuration()); an empty string
    //! for a negative (unknown) time.
    Q_INVOKABLE QString formatDuration(double seconds) const;
};

} // namespace MatrixUpload::Qml
