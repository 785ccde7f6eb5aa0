// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Takes files dropped onto it and hands their local paths to an UploadManager. Place it over (or
// around) any part of a page; it draws a frame while files hover over it.
import QtQuick
import QtQuick.Controls
import MatrixUpload

DropArea {
    id: root

    //! Where dropped files go.
    property UploadManager manager
    //! Shown in the middle while nothing hovers; empty: nothing is drawn until files hover.
    property string hint: ""

    //! Local paths handed to the manager by a drop; remote URLs are left out.
    signal filesAdded(var paths)

    //! Enqueues the local files among \a urls (file:// URLs); what a drop calls. Returns how
    //! many files were added.
    function addUrls(urls) {
        const paths = UploadUtils.localFiles(urls);
        if (paths.length === 0 || !root.manager)
            return 0;
        root.manager.enqueue(paths);
        root.filesAdded(paths);
        return paths.length;
    }

    keys: ["text/uri-list"]
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Drop files here to upload them")

    onEntered: (drag) => {
        drag.accepted = drag.hasUrls;
        if (drag.accepted)
            drag.acceptProposedAction();
    }
    onDropped: (drop) => {
        if (root.addUrls(drop.urls) > 0)
            drop.acceptProposedAction();
    }

    Rectangle {
        objectName: "dropHighlight"
        anchors.fill: parent
        visible: root.containsDrag
        color: Qt.rgba(hintLabel.palette.highlight.r, hintLabel.palette.highlight.g,
                       hintLabel.palette.highlight.b, 0.15)
        border.color: hintLabel.palette.highlight
        border.width: 2
        radius: 4
    }

    Label {
        id: hintLabel
        anchors.centerIn: parent
        width: Math.min(implicitWidth, parent.width - 16)
        visible: root.containsDrag || root.hint.length > 0
        text: root.containsDrag ? qsTr("Drop to upload") : root.hint
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        opacity: root.containsDrag ? 1 : 0.6
    }
}
