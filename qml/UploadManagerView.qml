// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The upload manager as one component: the list of uploads, the total over the batch, and the
// controls for all of them. Give it the client's UploadManager; it emits uploadFinished() for
// every upload that completes, with what a client needs to send the file to a room.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import MatrixUpload

Pane {
    id: root

    //! The manager to show and drive (created in C++, see the module's README).
    property UploadManager manager
    //! Files dropped anywhere on the view are uploaded.
    property bool acceptDrops: true
    //! The rows, for a client that wants to show them elsewhere too.
    readonly property UploadListModel model: listModel

    //! An upload completed: \a contentUri is its mxc:// URI; \a size in bytes (a real: files
    //! can exceed 2 GiB).
    signal uploadFinished(string contentUri, string fileName, string mediaType, real size)
    //! An upload failed; \a errorString says what happened and what the user can do.
    signal uploadFailed(string fileName, string errorString)

    padding: 8
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Uploads")

    UploadListModel {
        id: listModel
        manager: root.manager
    }

    Connections {
        target: root.manager
        // Untyped: qmllint 6.4 knows no type "qlonglong" (job.size, a qint64) and warns where
        // it can see one.
        function onJobFinished(job) {
            if (job.state === UploadJob.Completed)
                root.uploadFinished(job.contentUri, job.fileName, job.mediaType, job.size);
            else if (job.state === UploadJob.Failed)
                root.uploadFailed(job.fileName, job.errorString);
        }
    }

    // A child, not contentItem: ids inside a deferred contentItem defeat the deferral.
    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            Label {
                objectName: "totalLabel"
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: {
                    const m = root.manager;
                    if (!m || m.count === 0)
                        return qsTr("No uploads");
                    let t = qsTr("%1 of %2 files done · %3 of %4")
                        .arg(m.completedCount).arg(m.count)
                        .arg(UploadUtils.formatSize(m.sentBytes))
                        .arg(UploadUtils.formatSize(m.totalBytes));
                    if (m.bytesPerSecond > 0)
                        t += " · " + qsTr("%1/s").arg(UploadUtils.formatSize(m.bytesPerSecond));
                    if (m.failedCount > 0)
                        t += " · " + qsTr("%n failed", "", m.failedCount);
                    return t;
                }
            }
            Button {
                objectName: "pauseAllButton"
                text: qsTr("Pause all")
                enabled: (root.manager?.activeCount ?? 0) > 0
                Accessible.name: qsTr("Pause all uploads")
                onClicked: root.manager?.pauseAll()
            }
            Button {
                objectName: "resumeAllButton"
                text: qsTr("Resume all")
                enabled: (root.manager?.count ?? 0) > 0
                Accessible.name: qsTr("Resume all paused uploads")
                onClicked: root.manager?.resumeAll()
            }
            Button {
                objectName: "cancelAllButton"
                text: qsTr("Cancel all")
                enabled: (root.manager?.count ?? 0) > 0
                Accessible.name: qsTr("Cancel all unfinished uploads")
                onClicked: root.manager?.cancelAll()
            }
            Button {
                objectName: "clearFinishedButton"
                text: qsTr("Clear finished")
                enabled: (root.manager?.count ?? 0) > 0
                Accessible.name: qsTr("Remove finished uploads from the list")
                onClicked: root.manager?.clearFinished()
            }
        }

        ProgressBar {
            objectName: "totalProgressBar"
            Layout.fillWidth: true
            from: 0
            to: 1
            // A block, not an expression: qmllint 6.4 knows no type "qlonglong" (qint64) and
            // warns on a binding that reads one directly.
            value: {
                const m = root.manager;
                return m && m.totalBytes > 0 ? m.sentBytes / m.totalBytes : 0;
            }
            Accessible.name: qsTr("Progress of all uploads")
        }

        // The drop zone lies over the list (not inside it: a ListView's children scroll with
        // its content), so files can be dropped on the rows too.
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "uploadList"
                anchors.fill: parent
                clip: true
                spacing: 4
                model: listModel
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Uploads")
                ScrollBar.vertical: ScrollBar {}

                delegate: UploadDelegate {
                    width: ListView.view.width
                    // Through the model, not root.manager: qmllint 6.4 counts this file's ids
                    // as out of a delegate's reach (ComponentBehavior: Bound comes in 6.5).
                    manager: ListView.view.model.manager
                }
            }

            DropZone {
                objectName: "dropZone"
                anchors.fill: parent
                enabled: root.acceptDrops
                manager: root.manager
                hint: list.count === 0 ? qsTr("Drop files here to upload them") : ""
            }
        }
    }
}
