// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// UploadManagerView, UploadDelegate and DropZone driving a live UploadManager (`fixture`, set up
// in tst_qml.cpp) against the in-process test server.
import QtQuick
import QtTest
import MatrixUpload

TestCase {
    id: testCase
    name: "UploadManagerView"
    width: 800
    height: 600
    when: windowShown
    visible: true // TestCase is invisible by default; the buttons must be shown to be clicked

    Component {
        id: viewComponent
        UploadManagerView {
            width: 800
            height: 600
        }
    }

    Component {
        id: spyComponent
        SignalSpy {}
    }

    Component {
        id: sessionComponent
        UploadSession {}
    }

    // Bindings straight to a job's properties, as a client's own delegate would make them.
    Component {
        id: jobWatcherComponent
        QtObject {
            property var job: null
            readonly property int jobState: job ? job.state : -1
            readonly property real bytesSent: job ? job.bytesSent : -1
            readonly property real confirmedBytes: job ? job.confirmedBytes : -1
            readonly property real size: job ? job.size : -1
            readonly property string contentUri: job ? job.contentUri : ""
            readonly property string protocol: job ? job.protocol : ""
            readonly property int route: job ? job.route : -1
            property real fastest: 0
            onBytesSentChanged: fastest = Math.max(fastest, job ? job.bytesPerSecond : 0)
        }
    }

    property var view: null
    readonly property int waitMs: 20000

    function init() {
        fixture.reset();
        view = createTemporaryObject(viewComponent, testCase, { manager: fixture.manager });
        verify(view);
    }

    // Every upload test ends with the wire check (tests/auto/shared/fixtures.h).
    function cleanup() {
        compare(fixture.secretInUploadRequests(), "");
    }

    function delegateFor(fileName) {
        let row = null;
        tryVerify(() => (row = findChild(view, "upload_" + fileName)) !== null, waitMs,
                  "no row for " + fileName);
        return row;
    }

    function control(row, objectName) {
        const c = findChild(row, objectName);
        verify(c, objectName);
        return c;
    }

    function click(row, objectName) {
        const button = control(row, objectName);
        tryCompare(button, "visible", true, waitMs, objectName + " not shown");
        verify(button.enabled, objectName + " disabled");
        mouseClick(button);
    }

    function drop(urls) {
        return findChild(view, "dropZone").addUrls(urls);
    }

    function test_dragAndDropAddsRows() {
        const zone = findChild(view, "dropZone");
        verify(zone);
        verify(!findChild(zone, "dropHighlight").visible);
        const urls = [fixture.writeFile("dragged-a.txt", 1000),
                      fixture.writeFile("dragged-b.txt", 2000)];
        verify(fixture.dragEnter(zone, urls));
        compare(zone.containsDrag, true);
        verify(findChild(zone, "dropHighlight").visible);
        verify(fixture.drop(zone));
        compare(zone.containsDrag, false);
        compare(view.model.count, 2);
        compare(fixture.manager.count, 2);
        tryCompare(findChild(view, "uploadList"), "count", 2);
        verify(delegateFor("dragged-a.txt"));
        verify(delegateFor("dragged-b.txt"));
    }

    function test_jobPropertiesBindLive() {
        verify(fixture.setBandwidth(256 * 1024));
        const size = 4 * 256 * 1024;
        const url = fixture.writeFile("bound.bin", size);
        const jobs = fixture.manager.enqueue(UploadUtils.localFiles([url]));
        compare(jobs.length, 1);
        const w = createTemporaryObject(jobWatcherComponent, testCase, { job: jobs[0] });
        compare(w.jobState, UploadJob.Queued);
        compare(w.bytesSent, 0);
        compare(w.size, size);
        compare(w.contentUri, "");
        // Mid-way: the bindings follow the bytes as they move, not only the end.
        tryVerify(() => w.bytesSent > 0 && w.bytesSent < size, waitMs, "no live progress");
        compare(w.jobState, UploadJob.Uploading);
        verify(w.contentUri.startsWith("mxc://"), w.contentUri);
        compare(w.route, UploadJob.UploadUrl);
        compare(w.protocol, "content-range");
        tryCompare(w, "jobState", UploadJob.Completed, waitMs);
        compare(w.bytesSent, size);
        compare(w.confirmedBytes, size);
        verify(w.fastest > 0, "the speed never showed");
        verify(fixture.serverHolds(w.contentUri, url));
    }

    function test_dragOfTextIsRefused() {
        const zone = findChild(view, "dropZone");
        verify(!fixture.dragEnter(zone, [], "just some text"));
        compare(zone.containsDrag, false);
        verify(!fixture.drop(zone));
        compare(fixture.manager.count, 0);
    }

    function test_dropKeepsLocalFilesOnly() {
        const spy = createTemporaryObject(spyComponent, testCase,
                                          { target: findChild(view, "dropZone"),
                                            signalName: "filesAdded" });
        const a = fixture.writeFile("a.bin", 1000);
        const b = fixture.writeFile("b.bin", 3000);
        compare(drop([a, "https://example.org/c.bin", b]), 2);
        compare(spy.count, 1);
        compare(spy.signalArguments[0][0].length, 2);
        compare(view.model.count, 2);
        compare(drop(["https://example.org/c.bin"]), 0);
        compare(view.model.count, 2);
        tryCompare(findChild(view, "uploadList"), "count", 2);
        tryCompare(fixture.manager, "completedCount", 2, waitMs);
        tryVerify(() => findChild(view, "totalLabel").text.startsWith("2 of 2 files done"),
                  waitMs, findChild(view, "totalLabel").text);
        tryCompare(findChild(view, "totalProgressBar"), "value", 1, waitMs);
    }

    function test_progressPauseResume() {
        verify(fixture.setBandwidth(256 * 1024));
        const url = fixture.writeFile("big.bin", 4 * 256 * 1024);
        compare(drop([url]), 1);
        const row = delegateFor("big.bin");
        const bar = control(row, "progressBar");
        tryVerify(() => bar.value > 0, waitMs, "no progress");
        verify(bar.value < 1);
        tryVerify(() => control(row, "speedLabel").visible, waitMs, "no speed shown");
        verify(control(row, "timeLeftLabel").visible);
        verify(control(row, "timeLeftLabel").text.endsWith(" left"));
        // SI units, as in the Widgets manager and the CLI; the locale is pinned in tst_qml.cpp.
        compare(control(row, "sizeLabel").text, "1.0 MB");
        verify(control(row, "routeLabel").text.length > 0);

        click(row, "pauseButton");
        tryCompare(row, "jobState", UploadJob.Paused, waitMs);
        tryCompare(control(row, "resumeButton"), "visible", true, waitMs);
        compare(control(row, "pauseButton").visible, false);
        compare(control(row, "stateLabel").text, "Paused");
        const paused = bar.value;
        verify(paused < 1);

        verify(fixture.setBandwidth(0));
        click(row, "resumeButton");
        tryCompare(row, "jobState", UploadJob.Completed, waitMs);
        tryCompare(bar, "value", 1, waitMs);
        verify(bar.value > paused);
        tryVerify(() => control(row, "contentUriLabel").text.startsWith("mxc://"), waitMs);
        verify(fixture.serverHolds(control(row, "contentUriLabel").text, url));
    }

    function test_cancelAndRemove() {
        verify(fixture.setBandwidth(128 * 1024));
        const url = fixture.writeFile("cancelled.bin", 8 * 256 * 1024);
        drop([url]);
        const row = delegateFor("cancelled.bin");
        tryVerify(() => control(row, "progressBar").value > 0, waitMs, "no progress");
        click(row, "cancelButton");
        tryCompare(row, "jobState", UploadJob.Cancelled, waitMs);
        tryCompare(control(row, "cancelButton"), "visible", false, waitMs);
        compare(control(row, "pauseButton").visible, false);
        compare(control(row, "copyLinkButton").visible, false);
        compare(control(row, "contentUriLabel").visible, false);

        click(row, "removeButton");
        compare(fixture.manager.count, 0);
        tryCompare(findChild(view, "uploadList"), "count", 0);
        compare(findChild(view, "totalLabel").text, "No uploads");
    }

    function test_retryAfterFailure() {
        fixture.reset(2);
        view.manager = fixture.manager;
        verify(fixture.failRequests("create", 500, 50));
        const failed = createTemporaryObject(spyComponent, testCase,
                                             { target: view, signalName: "uploadFailed" });
        const url = fixture.writeFile("flaky.bin", 5000);
        drop([url]);
        const row = delegateFor("flaky.bin");
        failed.wait(waitMs);
        compare(failed.signalArguments[0][0], "flaky.bin");
        verify(failed.signalArguments[0][1].length > 0);
        tryCompare(row, "jobState", UploadJob.Failed, waitMs);
        tryCompare(control(row, "errorLabel"), "visible", true, waitMs);
        // What happened, then what to do about it (the model's advice for the job's error).
        verify(row.advice.length > 0);
        compare(control(row, "errorLabel").text, failed.signalArguments[0][1] + " " + row.advice);
        verify(findChild(view, "totalLabel").text.indexOf("1 failed") >= 0);

        fixture.clearFaults();
        click(row, "retryButton");
        tryCompare(row, "jobState", UploadJob.Completed, waitMs);
        compare(control(row, "retryButton").visible, false);
        compare(control(row, "errorLabel").visible, false);
        tryVerify(() => fixture.serverHolds(control(row, "contentUriLabel").text, url), waitMs);
    }

    function test_managerCreatedInQml() {
        const session = createTemporaryObject(sessionComponent, testCase,
                                              { homeserver: fixture.homeserver, accessToken: fixture.token });
        verify(session.manager);
        const own = createTemporaryObject(viewComponent, testCase, { manager: session.manager });
        const spy = createTemporaryObject(spyComponent, testCase,
                                          { target: own, signalName: "uploadFinished" });
        const url = fixture.writeFile("from-qml.bin", 3000);
        findChild(own, "dropZone").addUrls([url]);
        spy.wait(waitMs);
        compare(spy.count, 1);
        compare(spy.signalArguments[0][1], "from-qml.bin");
        verify(fixture.serverHolds(spy.signalArguments[0][0], url));
        compare(fixture.manager.count, 0); // the fixture's own manager saw nothing of it
    }

    function test_finishedSignalAndCopyLink() {
        const spy = createTemporaryObject(spyComponent, testCase,
                                          { target: view, signalName: "uploadFinished" });
        const url = fixture.writeFile("notes.txt", 1234);
        drop([url]);
        spy.wait(waitMs);
        compare(spy.count, 1);
        const [contentUri, fileName, mediaType, size] = spy.signalArguments[0];
        verify(contentUri.startsWith("mxc://localhost/"), contentUri);
        compare(fileName, "notes.txt");
        compare(mediaType, "text/plain");
        compare(size, 1234);
        verify(fixture.serverHolds(contentUri, url));

        const row = delegateFor("notes.txt");
        tryCompare(control(row, "contentUriLabel"), "text", contentUri, waitMs);
        verify(control(row, "contentUriLabel").visible);
        click(row, "copyLinkButton");
        compare(fixture.clipboardText(), contentUri);

        for (const name of ["pauseButton", "resumeButton", "retryButton", "cancelButton",
                            "copyLinkButton", "removeButton"])
            verify(control(row, name).Accessible.name.indexOf("notes.txt") >= 0, name);
        for (const name of ["pauseAllButton", "resumeAllButton", "cancelAllButton",
                            "clearFinishedButton"])
            verify(findChild(view, name).Accessible.name.length > 0, name);
    }

    function test_encryptedRowsAreMarked() {
        const plainUrl = fixture.writeFile("plain.txt", 1000);
        drop([plainUrl]);
        fixture.setEncrypt(true);
        const sealedUrl = fixture.writeFile("sealed.txt", 1000);
        drop([sealedUrl]);
        const sealed = delegateFor("sealed.txt");
        const plain = delegateFor("plain.txt");
        tryCompare(sealed, "completed", true, waitMs);
        tryCompare(plain, "completed", true, waitMs);
        verify(control(sealed, "encryptedLabel").visible);
        verify(control(sealed, "encryptedMark").visible);
        compare(control(sealed, "encryptedLabel").text, "encrypted");
        verify(sealed.Accessible.name.endsWith(", encrypted"), sealed.Accessible.name);
        verify(!control(plain, "encryptedLabel").visible);
        verify(!control(plain, "encryptedMark").visible);
        verify(plain.Accessible.name.indexOf("encrypted") < 0, plain.Accessible.name);
        // The server holds the ciphertext of the one, the bytes of the other.
        verify(fixture.serverHolds(plain.contentUri, plainUrl));
        verify(!fixture.serverHolds(sealed.contentUri, sealedUrl));
    }

    function test_aVideoRowShowsItsFrame() {
        // The description's thumbnail (MediaDescriber gives a video's frame) is the row's
        // picture; a file without one has none.
        drop([fixture.writeFile("clip.mp4", 3000)]);
        const row = delegateFor("clip.mp4");
        const picture = control(row, "rowPicture");
        verify(!picture.visible);
        verify(fixture.describeWithFrame(row.jobId, "red"));
        tryCompare(picture, "status", Image.Ready, waitMs);
        verify(picture.visible);
        verify(picture.source.toString().startsWith("data:image/jpeg;base64,"));
        tryVerify(() => picture.paintedWidth > 0 && picture.paintedHeight > 0, waitMs);
        // Painted as the red frame, where the row shows it (grabImage() of an item inside a
        // delegate grabs the wrong place in Qt 6.4: the view is grabbed instead).
        const at = picture.mapToItem(view, picture.width / 2, picture.height / 2);
        let c = null;
        tryVerify(() => {
            c = grabImage(view).pixel(at.x, at.y);
            return c.r > 0.8 && c.g < 0.25 && c.b < 0.25;
        }, waitMs, "the row's picture is not the red frame");
    }

    function test_globalControls() {
        verify(fixture.setBandwidth(128 * 1024));
        drop([fixture.writeFile("one.bin", 8 * 256 * 1024),
              fixture.writeFile("two.bin", 8 * 256 * 1024)]);
        const one = delegateFor("one.bin");
        const two = delegateFor("two.bin");
        tryVerify(() => fixture.manager.activeCount === 2, waitMs);
        tryCompare(findChild(view, "pauseAllButton"), "enabled", true);

        mouseClick(findChild(view, "pauseAllButton"));
        compare(fixture.manager.activeCount, 0);
        tryCompare(one, "jobState", UploadJob.Paused, waitMs);
        tryCompare(two, "jobState", UploadJob.Paused, waitMs);

        mouseClick(findChild(view, "resumeAllButton"));
        tryVerify(() => fixture.manager.activeCount > 0, waitMs);
        tryVerify(() => one.jobState !== UploadJob.Paused && two.jobState !== UploadJob.Paused,
                  waitMs);

        mouseClick(findChild(view, "cancelAllButton"));
        tryCompare(one, "jobState", UploadJob.Cancelled, waitMs);
        tryCompare(two, "jobState", UploadJob.Cancelled, waitMs);

        mouseClick(findChild(view, "clearFinishedButton"));
        compare(fixture.manager.count, 0);
        tryCompare(findChild(view, "uploadList"), "count", 0);
    }
}
