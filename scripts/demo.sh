#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The main job against the bundled test server: install, build, start matrix-media-testserver in
# a temporary folder with a demo user and a demo room, then
# - with a display: open the desktop app matrix-uploader signed in to it, with sample files
#   uploading and posted to the demo room (drop more on the window; quit it to end the demo);
# - without one: upload the samples with matrix-uploader-cli, with a live progress display,
#   verified by download.
# Either way the bytes go straight to the server's resumable upload URL. The server is slowed to
# 40 MB/s so the progress is there to watch.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/release -DMU_BUILD_TESTS=OFF

work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

build/release/src/testserver/matrix-media-testserver --port 0 --data "$work/data" \
    --user demo:demo-password --room '!demo:localhost=Demo room' --enable-test-control \
    >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/server.out" | head -n1)
[ -n "$base" ] || { echo "demo: the test server did not start"; cat "$work/server.out"; exit 1; }
echo "== test server listening on $base (data in $work/data)"
curl -sS -X POST "$base/_test/faults" -d '{"bandwidth": 40000000}' >/dev/null

# Settings, keychain-free token and resume records of this demo only.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/share"
cli=build/release/src/cli/matrix-uploader-cli
MATRIX_ACCESS_TOKEN=$(curl -sS "$base/_matrix/client/v3/login" -d \
    '{"type":"m.login.password","identifier":{"type":"m.id.user","user":"demo"},"password":"demo-password"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export MATRIX_ACCESS_TOKEN
echo "== signed in as @demo:localhost (the token stays in this process's environment)"

mkdir "$work/samples"
# Real media, made here by ffmpeg: a 4000x3000 photo and a 20 s Full HD video (about 75 MiB,
# enough to watch it move), so the messages carry sizes, a duration, thumbnails and a BlurHash.
echo "== making the samples with ffmpeg"
ffmpeg -hide_banner -loglevel error -f lavfi -i 'testsrc2=size=4000x3000' -frames:v 1 -q:v 2 \
    "$work/samples/photo été.jpg"
ffmpeg -hide_banner -loglevel error -f lavfi -i 'testsrc2=size=1920x1080:rate=30:duration=20' \
    -c:v libx264 -preset ultrafast -crf 8 -pix_fmt yuv420p "$work/samples/holiday video.mp4"
printf 'Hello, Matrix!\n' >"$work/samples/note.txt"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "== opening matrix-uploader: the samples upload and are posted to \"Demo room\"."
    echo "   Drop more files on the window; quit it to end the demo."
    build/release/src/app/matrix-uploader --homeserver "$base" --room '!demo:localhost' \
        "$work/samples/"*
    echo "== the test server received these room events:"
    curl -sS "$base/_test/events" | python3 -c 'import json,sys
for e in json.load(sys.stdin)["events"]:
    c = e["content"]
    print("  ", e["type"], c.get("msgtype", ""), c.get("body", ""), c.get("url", ""))
    i = c.get("info", {})
    shown = {k: i[k] for k in ("w", "h", "duration", "thumbnail_url", "xyz.amorgan.blurhash") if k in i}
    if shown:
        print("      info:", json.dumps(shown, ensure_ascii=False))'
    exit 0
fi

echo "== no display (DISPLAY and WAYLAND_DISPLAY are unset): running the CLI demo instead of the app"
echo "== uploading 3 files (resumable content-range chunks, straight to the upload URL)"
"$cli" upload --homeserver "$base" --verify "$work/samples/"*
echo "== what a message about each sample carries (MatrixUpload::Media, examples/media-info):"
QT_QPA_PLATFORM=offscreen build/release/examples/media-info/media-info "$work/samples/"* 2>/dev/null
echo "== and once more as JSON, forcing the homeserver path for comparison"
"$cli" upload --homeserver "$base" --json --verify --protocol async "$work/samples/note.txt"
