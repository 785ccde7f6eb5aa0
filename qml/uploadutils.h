// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader QML module: the few things QML cannot do itself.
#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace MatrixUpload {
class UploadJob;
}

namespace MatrixUpload::Qml {

//! What QML reads of one job (UploadJob has getters, not properties): the value type
//! `uploadInfo` that UploadUtils.jobInfo() gives.
struct UploadInfo
{
    Q_GADGET
    QML_VALUE_TYPE(uploadInfo)
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString fileName MEMBER fileName)
    Q_PROPERTY(QString filePath MEMBER filePath)
    Q_PROPERTY(QString mediaType MEMBER mediaType)
    Q_PROPERTY(double size MEMBER size) //!< bytes, -1 until known (a double: files pass 2 GiB)
    Q_PROPERTY(int state MEMBER state) //!< UploadJob::State
    Q_PROPERTY(QString contentUri MEMBER contentUri)
    Q_PROPERTY(QString errorString MEMBER errorString)
public:
    QString id;
    QString fileName;
    QString filePath;
    QString mediaType;
    double size = -1;
    int state = 0;
    QString contentUri;
    QString errorString;
};

//! The singleton `UploadUtils`: local paths from dropped URLs, the clipboard, sizes and
//! durations in the user's locale, and a job's data for QML (jobInfo()).
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
    //! "1.5 MiB"; an empty string for a negative (unknown) size.
    Q_INVOKABLE QString formatSize(double bytes) const;
    //! "12 s", "3 min 20 s", "1 h 5 min"; an empty string for a negative (unknown) time.
    Q_INVOKABLE QString formatDuration(double seconds) const;
    //! The job's data as it is now; a default UploadInfo for null.
    Q_INVOKABLE MatrixUpload::Qml::UploadInfo jobInfo(MatrixUpload::UploadJob *job) const;
};

} // namespace MatrixUpload::Qml
