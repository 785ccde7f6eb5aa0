// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader: where the bytes of one upload come from, handed out as request bodies.
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

class QIODevice;
class QObject;

namespace MatrixUpload {

struct AttachmentKey;
class CiphertextHash;

//! The bytes of one upload: a file, bytes in memory, or a device. Every request body is a window
//! of it, a device that gives exactly bytes [offset, offset + length) with an exact size, so
//! QtNetwork streams it with a true Content-Length and memory does not grow with the upload.
//!
//! - A file is opened afresh for each window (a FileWindowDevice), and every window first checks
//!   that its size and modification time are still those the upload began with.
//! - Memory and a seekable device can be rewound: windows may start anywhere, as often as
//!   needed, so resumable protocols continue from the server's offset and a PUT is sent again.
//! - A sequential device (a pipe, a QProcess, a socket) gives its bytes once: its one window
//!   must start at 0, and once it gave bytes the source is spent (a request refused before it
//!   read any leaves the source whole for the next try). A size is needed in advance (the
//!   exact Content-Length every upload path sends), since such a device cannot say it.
//!
//! Windows keep the source alive, so a reply that outlives the job still reads valid bytes.
class MATRIXUPLOAD_CORE_TESTS_EXPORT BodySource : public std::enable_shared_from_this<BodySource>
{
public:
    enum class Kind { File, Memory, Device };

    //! Bytes of the file at \a path, which must keep \a size and (unless 0) \a mtimeMs.
    static std::shared_ptr<BodySource> fromFile(
        const QString &path, qint64 size, qint64 mtimeMs = 0);
    static std::shared_ptr<BodySource> fromData(const QByteArray &data);
    //! Takes ownership of \a device (opened here for reading if it is not open yet). \a size:
    //! the bytes it gives; -1 takes a seekable device's size() from its position on, and leaves
    //! a sequential device's size unknown.
    static std::shared_ptr<BodySource> fromDevice(QIODevice *device, qint64 size = -1);

    ~BodySource();
    BodySource(const BodySource &) = delete;
    BodySource &operator=(const BodySource &) = delete;

    Kind kind() const;
    //! The bytes it gives; -1 when not known (a sequential device without a size).
    qint64 size() const;
    //! Windows may start anywhere and be opened again (files, memory, seekable devices).
    bool canRewind() const;
    //! A source that cannot be rewound whose one window was opened.
    bool isSpent() const;
    //! Why the bytes are no longer those the upload began with (a file changed, a device was
    //! closed); empty when they still are.
    QString changed() const;
    //! A device opened for reading that gives exactly bytes [offset, offset + length), owned
    //! by the caller; null, with the reason in \a why, when it cannot be had.
    QIODevice *openWindow(qint64 offset, qint64 length, QString *why, QObject *parent = nullptr);
    //! From now on every window is the AES-256-CTR ciphertext of its bytes under \a key (an
    //! EncryptingDevice at the window's offset), and what windows read is offered to \a hash.
    //! Before a window at an offset past what \a hash holds is opened, the gap is hashed
    //! (CiphertextHash::catchUp()) so that the hash covers every byte once.
    void setEncryption(const AttachmentKey &key, std::shared_ptr<CiphertextHash> hash);
    //! Whether setEncryption() was called.
    bool isEncrypted() const;
    //! The SHA-256 of all the plaintext bytes, read through a window; nothing when they cannot be
    //! read again (a sequential device) or not read at all.
    std::optional<QByteArray> sha256();

private:
    //! openWindow() without encryption.
    QIODevice *openPlainWindow(
        qint64 offset, qint64 length, QString *why, QObject *parent = nullptr);
    class Data;
    explicit BodySource(std::unique_ptr<Data> data);
    std::unique_ptr<Data> d;
};

} // namespace MatrixUpload
