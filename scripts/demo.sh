#!/usr/bin/env bash
# The main job against the bundled test server: install, build, start matrix-media-testserver in
# a temporary folder and walk one file through the upload path the client will take
# (login, create, resumable content-range chunks to the upload URL, complete, download, verify).
# Until matrix-uploader-cli exists the requests are made with curl, so every step is visible.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/release

work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

build/release/src/testserver/matrix-media-testserver --port 0 --data "$work/data" \
    --user demo:demo-password >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/server.out" | head -n1)
[ -n "$base" ] || { echo "demo: the test server did not start"; cat "$work/server.out"; exit 1; }
echo "== test server listening on $base"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "== versions"
curl -sS "$base/_matrix/client/versions"; echo
token=$(curl -sS "$base/_matrix/client/v3/login" -d \
    '{"type":"m.login.password","identifier":{"type":"m.id.user","user":"demo"},"password":"demo-password"}' \
    | json '["access_token"]')
echo "== logged in as @demo (token not shown)"

sample="$work/sample.bin"
head -c $((3 * 1024 * 1024 + 12345)) /dev/urandom >"$sample"
size=$(stat -c %s "$sample")
created=$(curl -sS -X POST -H "Authorization: Bearer $token" "$base/_matrix/media/v1/create" -d '{}')
uri=$(echo "$created" | json '["content_uri"]')
url=$(echo "$created" | json '["upload_url"]')
echo "== created $uri; upload URL ${url%%\?*}?<redacted> ($(echo "$created" | json '["upload_protocol"]'))"

chunk=$((1024 * 1024))
offset=0
while [ "$offset" -lt "$size" ]; do
    len=$(( size - offset < chunk ? size - offset : chunk ))
    last=$((offset + len - 1))
    status=$(dd if="$sample" iflag=skip_bytes,count_bytes skip="$offset" count="$len" status=none \
        | curl -sS -o /dev/null -w '%{http_code}' \
        -X PUT -H "Content-Range: bytes $offset-$last/$size" -H 'Content-Type: application/octet-stream' \
        --data-binary @- "$url")
    echo "   PUT bytes $offset-$last/$size -> $status"
    offset=$((last + 1))
done
id=${uri##*/}
curl -sS -X POST -H "Authorization: Bearer $token" \
    "$base/_matrix/media/unstable/com.beeper.msc3870/upload/localhost/$id/complete?filename=sample.bin" -d '{}'; echo
want=$(sha256sum "$sample" | cut -d' ' -f1)
got=$(curl -sS -H "Authorization: Bearer $token" "$base/_matrix/client/v1/media/download/localhost/$id" | sha256sum | cut -d' ' -f1)
echo "== $uri: sent $want"
echo "== $uri: back $got"
[ "$want" = "$got" ] && echo "== verified: the stored media matches the file" || { echo "== MISMATCH"; exit 1; }
