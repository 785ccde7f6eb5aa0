// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "uploadhistory.h"

#include <matrixupload/roomposter.h>
#include <matrixupload/uploadjob.h>
#include <matrixupload/uploadlistmodel.h>
#include <matrixupload/uploadmanager.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>
#include <QTimer>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

namespace {
constexpr int fileVersion = 1;
} // namespace

QJsonObject HistoryEntry::toJson() const
{
    // Field by field: nothing of the job (its upload URL, its key) can slip in.
    QJsonObject json {
        { u"job"_s, jobId },
        { u"file"_s, fileName },
        { u"size"_s, size },
        { u"date"_s, date.toUTC().toString(Qt::ISODateWithMs) },
        { u"uri"_s, contentUri },
    };
    if (!mediaType.isEmpty())
        json.insert(u"type"_s, mediaType);
    if (!roomId.isEmpty())
        json.insert(u"room"_s, roomId);
    if (!roomName.isEmpty())
        json.insert(u"roomName"_s, roomName);
    if (!eventId.isEmpty())
        json.insert(u"event"_s, eventId);
    if (encrypted)
        json.insert(u"encrypted"_s, true);
    return json;
}

std::optional<HistoryEntry> HistoryEntry::fromJson(const QJsonObject &json)
{
    HistoryEntry e;
    e.jobId = json.value(u"job"_s).toString();
    e.fileName = json.value(u"file"_s).toString();
    e.size = json.value(u"size"_s).toInteger(-1);
    e.mediaType = json.value(u"type"_s).toString();
    e.roomId = json.value(u"room"_s).toString();
    e.roomName = json.value(u"roomName"_s).toString();
    e.date = QDateTime::fromString(json.value(u"date"_s).toString(), Qt::ISODateWithMs);
    e.contentUri = json.value(u"uri"_s).toString();
    e.eventId = json.value(u"event"_s).toString();
    e.encrypted = json.value(u"encrypted"_s).toBool();
    if (!e.contentUri.startsWith(u"mxc://"_s) || !e.date.isValid())
        return std::nullopt;
    return e;
}

QString HistoryEntry::link() const
{
    return roomId.isEmpty() || eventId.isEmpty() ? QString()
                                                 : UploadHistory::matrixToLink(roomId, eventId);
}

QString UploadHistory::matrixToLink(const QString &roomId, const QString &eventId)
{
    // Each identifier percent-encoded on its own ('!' as %21, ':' as %3A, '$' as %24): a '/' or
    // '?' inside one would otherwise end it early.
    QString link = u"https://matrix.to/#/"_s + QString::fromLatin1(QUrl::toPercentEncoding(roomId))
        + u'/' + QString::fromLatin1(QUrl::toPercentEncoding(eventId));
    // A room ID alone routes nowhere: the server in it (when it has one) is one that knows it.
    const qsizetype colon = roomId.indexOf(u':');
    if (colon > 0 && colon + 1 < roomId.size())
        link += u"?via="_s + QString::fromLatin1(QUrl::toPercentEncoding(roomId.mid(colon + 1)));
    return link;
}

UploadHistory::UploadHistory(const QString &filePath, int maxEntries, QObject *parent)
    : QAbstractTableModel(parent)
    , m_path(filePath)
    , m_max(qMax(1, maxEntries))
    , m_saveTimer(new QTimer(this))
{
    // A batch of uploads completing together is written once.
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(0);
    connect(m_saveTimer, &QTimer::timeout, this, &UploadHistory::save);
    load();
}

UploadHistory::~UploadHistory()
{
    if (m_saveTimer->isActive())
        save();
}

void UploadHistory::load()
{
    QFile file(m_path);
    if (!file.exists())
        return;
    QString problem;
    QList<HistoryEntry> entries;
    int unreadable = 0; //!< entries left out, in a file otherwise read
    if (!file.open(QIODevice::ReadOnly)) {
        problem = file.errorString();
    } else {
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        file.close();
        const QJsonObject root = doc.object();
        const int version = root.value(u"version"_s).toInt();
        if (error.error != QJsonParseError::NoError) {
            problem = error.errorString();
        } else if (doc.isObject() && version > fileVersion) {
            // A newer version's (the app went back a version): its own, left alone.
            m_writable = false;
            m_warning = tr("The upload history was written by a newer version of Matrix "
                           "Uploader and is left as it is in %1: uploads of this run are not "
                           "kept in it.")
                            .arg(QDir::toNativeSeparators(m_path));
            qWarning("matrix-uploader: %s", qUtf8Printable(m_warning));
            return;
        } else if (!doc.isObject() || version != fileVersion) {
            problem = tr("not an upload history of this version");
        } else {
            for (const QJsonValue &v : root.value(u"entries"_s).toArray()) {
                if (const auto entry = HistoryEntry::fromJson(v.toObject()))
                    entries.append(*entry);
                else
                    ++unreadable;
            }
            if (unreadable > 0)
                problem = tr("an entry without a content URI or date");
        }
    }
    if (problem.isEmpty()) {
        m_entries = entries.mid(0, m_max);
        return;
    }
    // Never written over: moved aside for whoever wants to look; what could be read is kept.
    QString aside = m_path + u".corrupt"_s;
    for (int i = 2; QFile::exists(aside); ++i)
        aside = m_path + u".corrupt."_s + QString::number(i);
    if (QFile::rename(m_path, aside)) {
        m_entries = entries.mid(0, m_max);
        m_warning = unreadable > 0
            ? tr("Some entries of the upload history could not be read (%1). The file was "
                 "kept as %2, and the entries that could be read are listed.")
                  .arg(problem, QDir::toNativeSeparators(aside))
            : tr("The upload history could not be read (%1). It was moved to %2 and starts "
                 "empty.")
                  .arg(problem, QDir::toNativeSeparators(aside));
    } else {
        m_writable = false;
        m_warning = tr("The upload history could not be read (%1) and is left as it is in %2: "
                       "uploads of this run are not kept in it.")
                        .arg(problem, QDir::toNativeSeparators(m_path));
    }
    qWarning("matrix-uploader: %s", qUtf8Printable(m_warning));
}

bool UploadHistory::save()
{
    m_saveTimer->stop();
    if (!m_writable)
        return false;
    QJsonArray entries;
    for (const HistoryEntry &e : std::as_const(m_entries))
        entries.append(e.toJson());
    const QJsonObject root { { u"version"_s, fileVersion }, { u"entries"_s, entries } };
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return false;
    // Written beside and renamed over the old one: a crash never leaves half a history. It
    // names the files and rooms of the account: owner-only.
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        qWarning("matrix-uploader: cannot write the upload history %s: %s", qUtf8Printable(m_path),
            qUtf8Printable(file.errorString()));
        return false;
    }
    return true;
}

void UploadHistory::changed()
{
    m_saveTimer->start();
}

void UploadHistory::record(const HistoryEntry &entry)
{
    beginInsertRows({}, 0, 0);
    m_entries.prepend(entry);
    endInsertRows();
    if (m_entries.size() > m_max) {
        beginRemoveRows({}, m_max, int(m_entries.size()) - 1);
        m_entries.resize(m_max);
        endRemoveRows();
    }
    changed();
}

bool UploadHistory::setPosted(
    const QString &jobId, const QString &roomId, const QString &roomName, const QString &eventId)
{
    if (jobId.isEmpty())
        return false;
    for (int row = 0; row < m_entries.size(); ++row) {
        HistoryEntry &e = m_entries[row];
        if (e.jobId != jobId)
            continue;
        e.eventId = eventId;
        if (!roomId.isEmpty() && roomId != e.roomId) {
            e.roomId = roomId;
            e.roomName = roomName;
        } else if (!roomName.isEmpty()) {
            e.roomName = roomName;
        }
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        changed();
        return true;
    }
    return false;
}

void UploadHistory::removeEntries(QList<int> rows)
{
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    bool any = false;
    for (int row : std::as_const(rows)) {
        if (row < 0 || row >= m_entries.size())
            continue;
        beginRemoveRows({}, row, row);
        m_entries.removeAt(row);
        endRemoveRows();
        any = true;
    }
    if (any)
        changed();
}

void UploadHistory::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    changed();
}

void UploadHistory::watch(UploadManager *manager, RoomPoster *poster)
{
    m_poster = poster;
    connect(manager, &UploadManager::jobFinished, this, &UploadHistory::recordJob);
    if (!poster)
        return;
    // With "post as soon as the content URI exists" the message may go before the upload
    // completes: recordJob() takes its event ID then. Otherwise it comes here, later.
    connect(poster, &RoomPoster::posted, this, [this](UploadJob *job, const QString &eventId) {
        const QString room = m_poster->roomOf(job->id());
        setPosted(job->id(), room, room == m_poster->roomId() ? m_poster->roomName() : QString(),
            eventId);
    });
}

void UploadHistory::recordJob(UploadJob *job)
{
    if (job->state() != UploadJob::State::Completed || !job->contentUri().startsWith(u"mxc://"_s))
        return;
    HistoryEntry e;
    e.jobId = job->id();
    e.fileName = job->fileName();
    e.size = job->size();
    e.mediaType = job->mediaType();
    e.date = QDateTime::currentDateTimeUtc();
    e.contentUri = job->contentUri();
    e.encrypted = job->isEncrypted();
    if (m_poster) {
        e.roomId = m_poster->roomOf(e.jobId);
        if (!e.roomId.isEmpty() && e.roomId == m_poster->roomId())
            e.roomName = m_poster->roomName();
        if (m_poster->postState(e.jobId) == RoomPoster::PostState::Posted)
            e.eventId = m_poster->eventId(e.jobId);
    }
    record(e);
}

int UploadHistory::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int UploadHistory::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UploadHistory::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const HistoryEntry &e = m_entries.at(index.row());
    switch (role) {
    case ContentUriRole:
        return e.contentUri;
    case LinkRole:
        return e.link();
    case EventIdRole:
        return e.eventId;
    case RoomIdRole:
        return e.roomId;
    case EncryptedRole:
        return e.encrypted;
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case FileColumn:
            // Data added without a name (UploadManager::enqueue() of a device) has none.
            return e.fileName.isEmpty() ? tr("(no name)") : e.fileName;
        case SizeColumn:
            return UploadListModel::formatSize(e.size);
        case RoomColumn:
            if (e.roomId.isEmpty())
                return tr("Not posted");
            return e.roomName.isEmpty() ? e.roomId : e.roomName;
        case DateColumn:
            return QLocale().toString(e.date.toLocalTime(), QLocale::ShortFormat);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        switch (Column(index.column())) {
        case FileColumn:
            return e.encrypted ? tr("%1 (encrypted)").arg(e.contentUri) : e.contentUri;
        case RoomColumn:
            return e.eventId.isEmpty() ? e.roomId : tr("%1\nevent %2").arg(e.roomId, e.eventId);
        case DateColumn:
            return QLocale().toString(e.date.toLocalTime(), QLocale::LongFormat);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant UploadHistory::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == SizeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case FileColumn:
        return tr("File");
    case SizeColumn:
        return tr("Size");
    case RoomColumn:
        return tr("Room");
    case DateColumn:
        return tr("Date");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace MatrixUpload::App
