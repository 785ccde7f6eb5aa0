// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The whole client side of embedding: give the view a manager, react to finished uploads.
import QtQuick
import QtQuick.Controls
import MatrixUpload

ApplicationWindow {
    id: window

    required property UploadManager manager

    width: 720
    height: 480
    visible: true
    title: qsTr("Matrix uploads")

    UploadManagerView {
        anchors.fill: parent
        manager: window.manager
        onUploadFinished: (contentUri, fileName, mediaType, size) => {
            // A chat client would send an m.file / m.image event with these here.
            lastUpload.text = qsTr("%1 (%2, %3) is at %4").arg(fileName).arg(mediaType)
                              .arg(UploadUtils.formatSize(size)).arg(contentUri);
        }
        onUploadFailed: (fileName, errorString) => {
            lastUpload.text = qsTr("%1 failed: %2").arg(fileName).arg(errorString);
        }
    }

    footer: Label {
        id: lastUpload
        padding: 8
        text: qsTr("Drop files into the window to upload them.")
        elide: Text.ElideMiddle
    }
}
