// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadviewmodel_p.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {
using State = UploadJob::State;
const QString separator = u"  ·  "_s;
} // namespace

UploadViewModel::UploadViewModel(QObject *parent)
    : QIdentityProxyModel(parent)
{ }

QString UploadViewModel::detailText(const QModelIndex &index) const
{
    const auto state = State(index.data(UploadListModel::StateRole).toInt());
    const qint64 size = index.data(UploadListModel::SizeRole).toLongLong();
    const qint64 sent = index.data(UploadListModel::BytesSentRole).toLongLong();
    const QString route = index.data(UploadListModel::RouteTextRole).toString();
    const QString sizeText = size >= 0 ? UploadListModel::formatSize(size) : tr("size unknown");
    QStringList parts;
    switch (state) {
    case State::Queued:
        parts << sizeText << tr("waits for a free slot");
        break;
    case State::Preparing:
    case State::Creating:
        parts << sizeText;
        break;
    case State::Uploading:
    case State::WaitingToRetry:
    case State::Finalizing: {
        parts << tr("%1 of %2").arg(UploadListModel::formatSize(sent), sizeText);
        const double speed = index.data(UploadListModel::SpeedRole).toDouble();
        if (speed > 0)
            parts << tr("%1/s").arg(UploadListModel::formatSize(qint64(speed)));
        const qint64 left = index.data(UploadListModel::TimeLeftRole).toLongLong();
        if (left >= 0 && state == State::Uploading)
            parts << tr("%1 left").arg(UploadListModel::formatDuration(left));
        if (!route.isEmpty())
            parts << route;
        break;
    }
    case State::Paused:
        parts << tr("%1 of %2 sent").arg(UploadListModel::formatSize(sent), sizeText)
              << tr("Resume continues from there");
        break;
    case State::WaitingForToken:
        parts << tr("%1 of %2 sent").arg(UploadListModel::formatSize(sent), sizeText)
              << tr("continues once you sign in again");
        break;
    case State::Completed:
        parts << index.data(UploadListModel::ContentUriRole).toString() << sizeText;
        if (!route.isEmpty())
            parts << route;
        if (index.data(UploadListModel::VerifiedRole).toBool())
            parts << tr("verified");
        break;
    case State::Failed: {
        const QString what = index.data(UploadListModel::ErrorStringRole).toString();
        const QString todo = index.data(UploadListModel::AdviceRole).toString();
        const QString note = index.data(UploadListModel::NoteRole).toString();
        QString text = todo.isEmpty() ? what : what + u' ' + todo;
        return note.isEmpty() ? text : text + separator + note;
    }
    case State::Cancelled:
        parts << sizeText << tr("nothing more is sent");
        break;
    }
    // Painted and read out alike: the one place a row says its bytes are encrypted.
    if (index.data(UploadListModel::EncryptedRole).toBool())
        parts << tr("encrypted");
    const QString note = index.data(UploadListModel::NoteRole).toString();
    if (!note.isEmpty())
        parts << note;
    return parts.join(separator);
}

QString UploadViewModel::toolTip(const QModelIndex &index) const
{
    QStringList lines;
    lines << index.data(UploadListModel::FilePathRole).toString();
    lines << index.data(UploadListModel::StateTextRole).toString();
    // A line for each of these roles that has a text.
    const auto addLine = [&lines, &index](int role) {
        const QString text = index.data(role).toString();
        if (!text.isEmpty())
            lines << text;
        return !text.isEmpty();
    };
    if (addLine(UploadListModel::ErrorStringRole))
        addLine(UploadListModel::AdviceRole);
    addLine(UploadListModel::ContentUriRole);
    const QString route = index.data(UploadListModel::RouteTextRole).toString();
    const QString protocol = index.data(UploadListModel::ProtocolRole).toString();
    if (!route.isEmpty())
        lines << (protocol.isEmpty() ? route : tr("%1, protocol %2").arg(route, protocol));
    addLine(UploadListModel::MediaTypeRole);
    addLine(UploadListModel::NoteRole);
    return lines.join(u'\n');
}

QVariant UploadViewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    switch (role) {
    case DetailTextRole:
        return detailText(index);
    case ProgressTextRole: {
        const auto state = State(index.data(UploadListModel::StateRole).toInt());
        if (state == State::Queued || state == State::Cancelled)
            return QString();
        const double progress = index.data(UploadListModel::ProgressRole).toDouble();
        return tr("%1 %").arg(int(progress * 100));
    }
    case Qt::ToolTipRole:
        return toolTip(index);
    case Qt::AccessibleTextRole: {
        const QString text = tr("%1, %2").arg(index.data(UploadListModel::FileNameRole).toString(),
            index.data(UploadListModel::StateTextRole).toString());
        return index.data(UploadListModel::EncryptedRole).toBool() ? tr("%1, encrypted").arg(text)
                                                                   : text;
    }
    case Qt::AccessibleDescriptionRole:
        return detailText(index);
    default:
        return QIdentityProxyModel::data(index, role);
    }
}

} // namespace MatrixUpload
