// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// One upload of an UploadListModel: what it is, how far it got, how it travels, where it ended
// up, and its controls. Used as the delegate of UploadManagerView; the roles arrive as required
// properties, so it also works in a client's own ListView over an UploadListModel.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import MatrixUpload

Pane {
    id: root

    //! The manager the row belongs to; the buttons call its verbs with jobId.
    property UploadManager manager

    required property int index
    required property var model
    required property string jobId
    required property string fileName
    required property string mediaType
    required property real size
    required property string stateText
    required property real progress
    required property real speed
    required property real timeLeft
    required property string protocol
    required property string routeText
    required property string contentUri
    required property string errorString
    required property string advice
    //! What the program added, e.g. where the file was posted (UploadJob::note).
    required property string note
    required property bool canPause
    required property bool canResume
    required property bool canRetry
    required property bool canCancel
    //! The server holds only the ciphertext (UploadJob::isEncrypted).
    required property bool encrypted
    //! The row's picture: the description's thumbnail (a video's frame) or an image file
    //! (UploadListModel::PictureUrlRole); empty for other files.
    required property url pictureUrl

    readonly property int jobState: root.model.state
    readonly property bool completed: root.jobState === UploadJob.Completed
    readonly property bool failed: root.jobState === UploadJob.Failed

    objectName: "upload_" + root.fileName
    padding: 8
    Accessible.role: Accessible.ListItem
    Accessible.name: root.encrypted
                     ? qsTr("%1, %2, encrypted").arg(root.fileName).arg(root.stateText)
                     : qsTr("%1, %2").arg(root.fileName).arg(root.stateText)

    contentItem: ColumnLayout {
        spacing: 4

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            // Decoded off the UI thread, at the size shown: never a whole large photo.
            Image {
                objectName: "rowPicture"
                visible: status !== Image.Null // no picture: no room taken
                source: root.pictureUrl
                asynchronous: true
                fillMode: Image.PreserveAspectFit
                sourceSize.width: 96
                sourceSize.height: 96
                Layout.preferredWidth: 48
                Layout.preferredHeight: 48
                Accessible.ignored: true
            }
            Label {
                objectName: "fileNameLabel"
                Layout.fillWidth: true
                text: root.fileName
                font.bold: true
                elide: Text.ElideMiddle
            }
            Label {
                objectName: "sizeLabel"
                text: UploadUtils.formatSize(root.size)
                opacity: 0.7
            }
        }

        ProgressBar {
            objectName: "progressBar"
            Layout.fillWidth: true
            from: 0
            to: 1
            value: root.progress
            Accessible.name: qsTr("Progress of %1").arg(root.fileName)
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            // The word, for who cannot see the padlock drawn before it (no icon theme needed;
            // no ids inside the deferred contentItem).
            Label {
                objectName: "encryptedLabel"
                visible: root.encrypted
                text: qsTr("encrypted")
                opacity: 0.7
                leftPadding: height * 0.9

                Item {
                    objectName: "encryptedMark"
                    width: parent.height * 0.7
                    height: parent.height
                    Accessible.ignored: true

                    Rectangle {
                        x: parent.width * 0.18
                        y: parent.height * 0.1
                        width: parent.width * 0.64
                        height: parent.height * 0.55
                        radius: width / 2
                        color: "transparent"
                        border.color: root.palette.windowText
                        border.width: Math.max(1.5, parent.width / 7)
                    }
                    Rectangle {
                        y: parent.height * 0.42
                        width: parent.width
                        height: parent.height * 0.48
                        radius: 1.5
                        color: root.palette.windowText
                    }
                }
            }
            Label {
                objectName: "stateLabel"
                text: root.stateText
            }
            Label {
                objectName: "speedLabel"
                visible: root.speed > 0 && !root.completed
                text: qsTr("%1/s").arg(UploadUtils.formatSize(root.speed))
                opacity: 0.7
            }
            Label {
                objectName: "timeLeftLabel"
                visible: root.timeLeft >= 0 && !root.completed
                text: qsTr("%1 left").arg(UploadUtils.formatDuration(root.timeLeft))
                opacity: 0.7
            }
            Item {
                Layout.fillWidth: true
            }
            Label {
                objectName: "routeLabel"
                visible: text.length > 0
                text: root.protocol.length > 0
                      ? qsTr("%1 · %2").arg(root.routeText).arg(root.protocol)
                      : root.routeText
                opacity: 0.7
                elide: Text.ElideRight
                Layout.maximumWidth: root.availableWidth / 2
            }
        }

        Label {
            objectName: "errorLabel"
            Layout.fillWidth: true
            visible: root.failed && root.errorString.length > 0
            // What happened, then what the user can do about it (UploadListModel::advice()).
            text: root.advice.length > 0 ? root.errorString + " " + root.advice : root.errorString
            color: root.palette.brightText
            wrapMode: Text.Wrap
            background: Rectangle {
                color: "#c0392b"
                radius: 2
            }
            padding: 4
        }

        Label {
            objectName: "noteLabel"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.note
            opacity: 0.7
            wrapMode: Text.Wrap
        }

        Label {
            objectName: "contentUriLabel"
            Layout.fillWidth: true
            visible: root.completed
            text: root.completed ? root.contentUri : ""
            elide: Text.ElideMiddle
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 4

            Item {
                Layout.fillWidth: true
            }
            Button {
                objectName: "pauseButton"
                visible: root.canPause
                text: qsTr("Pause")
                Accessible.name: qsTr("Pause the upload of %1").arg(root.fileName)
                onClicked: root.manager?.pause(root.jobId)
            }
            Button {
                objectName: "resumeButton"
                visible: root.canResume
                text: qsTr("Resume")
                Accessible.name: qsTr("Resume the upload of %1").arg(root.fileName)
                onClicked: root.manager?.resume(root.jobId)
            }
            Button {
                objectName: "retryButton"
                visible: root.canRetry
                text: qsTr("Retry")
                Accessible.name: qsTr("Retry the upload of %1").arg(root.fileName)
                onClicked: root.manager?.retry(root.jobId)
            }
            Button {
                objectName: "cancelButton"
                visible: root.canCancel
                text: qsTr("Cancel")
                Accessible.name: qsTr("Cancel the upload of %1").arg(root.fileName)
                onClicked: root.manager?.cancel(root.jobId)
            }
            Button {
                objectName: "copyLinkButton"
                visible: root.completed
                text: qsTr("Copy link")
                Accessible.name: qsTr("Copy the link to %1").arg(root.fileName)
                onClicked: UploadUtils.copyToClipboard(root.contentUri)
            }
            Button {
                objectName: "removeButton"
                text: qsTr("Remove")
                Accessible.name: qsTr("Remove %1 from the list").arg(root.fileName)
                onClicked: root.manager?.remove(root.jobId)
            }
        }
    }
}
