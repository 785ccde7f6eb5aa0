#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Interop with another Matrix client, matrix-js-sdk (Node.js 22): both clients agree on the bytes
# in the test media server. Our CLI uploads file A; matrix-js-sdk logs in with a password,
# uploads file B with uploadContent (the legacy POST /_matrix/media/v3/upload), downloads B back
# and downloads A through authenticated media (/_matrix/client/v1/media/download). We download B
# with curl and read the server's record. Every SHA-256 must match the file's.
# Usage: test_jssdk.sh MATRIX_UPLOADER_CLI MATRIX_MEDIA_TESTSERVER
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
need_node22
[ -f "$INTEROP_DIR/node_modules/matrix-js-sdk/package.json" ] \
    || fail "matrix-js-sdk is missing: run scripts/install-deps.sh (npm ci in tests/interop)"
note "Node.js $("$NODE22" --version), matrix-js-sdk $("$NODE22" -p "require('$INTEROP_DIR/node_modules/matrix-js-sdk/package.json').version")"

start_testserver --upload-url-protocol content-range
make_file "$WORK/ours.bin" 3
make_file "$WORK/theirs.bin" 2

# 1. Our CLI uploads A.
line=$(cli upload --homeserver "$HS" --json --verify "$WORK/ours.bin") || fail "the CLI upload failed"
expect_uploaded "$line" "$WORK/ours.bin" content-range
ours_mxc=$MXC
curl -sS -f -X DELETE "$HS/_test/requests" >/dev/null

# 2. matrix-js-sdk uploads B, downloads B back and downloads A.
result=$("$NODE22" "$INTEROP_DIR/jssdk.mjs" --homeserver "$HS" --user alice --password secret \
    --upload "$WORK/theirs.bin" --type application/x-interop --save-own "$WORK/theirs.jssdk" \
    --download "$ours_mxc" --save "$WORK/ours.jssdk" 2>"$WORK/logs/jssdk.log") \
    || fail "jssdk.mjs failed: $(cat "$WORK/logs/jssdk.log")"
note "matrix-js-sdk: $result"
theirs_mxc=$(
    python3 - "$result" "$ours_mxc" <<'PY'
import json, sys
r, ours = json.loads(sys.argv[1]), sys.argv[2]
assert r["user_id"] == "@alice:localhost", r["user_id"]
assert r["authenticated_media"] is True, "matrix-js-sdk did not see v1.11 (authenticated media)"
assert r["uploaded"]["content_uri"].startswith("mxc://localhost/"), r["uploaded"]
assert [d["content_uri"] for d in r["downloads"]] == [r["uploaded"]["content_uri"], ours], r["downloads"]
print(r["uploaded"]["content_uri"])
PY
) || fail "matrix-js-sdk's account of what it did is wrong: $result"

# 3. Both sides agree on the bytes.
ours_sha=$(sha256_of "$WORK/ours.bin")
theirs_sha=$(sha256_of "$WORK/theirs.bin")
expect_eq "A (our upload) downloaded by matrix-js-sdk" "$(sha256_of "$WORK/ours.jssdk")" "$ours_sha"
expect_eq "B (matrix-js-sdk's upload) downloaded by matrix-js-sdk" "$(sha256_of "$WORK/theirs.jssdk")" "$theirs_sha"
download "$theirs_mxc" "$WORK/theirs.curl"
expect_eq "B (matrix-js-sdk's upload) downloaded with curl" "$(sha256_of "$WORK/theirs.curl")" "$theirs_sha"

# 4. What the server saw: B came by the legacy upload with its name, type and exact length, and
# matrix-js-sdk downloaded with its own token, through the authenticated endpoint.
theirs_id=${theirs_mxc##*/}
ours_id=${ours_mxc##*/}
expect_record "$theirs_id" legacy "$theirs_sha"
declare -A record=()
json_load record "$(cat "$WORK/hs/media/$theirs_id.json")"
expect_eq "server record of B: file name" "${record[file_name]}" theirs.bin
expect_eq "server record of B: content type" "${record[content_type]}" application/x-interop
curl -sS -f "$HS/_test/requests" >"$WORK/requests.json"
python3 - "$WORK/requests.json" "$ours_id" "$theirs_id" "$(stat -c %s "$WORK/theirs.bin")" "$TOKEN" <<'PY' || fail "the server's request record does not show what matrix-js-sdk should have sent"
import json, sys
requests = json.load(open(sys.argv[1]))["requests"]
ours, theirs, size, cli_token = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def auth(r):
    return r["headers"].get("authorization", "")
uploads = [r for r in requests if r["method"] == "POST" and r["path"] == "/_matrix/media/v3/upload"]
assert len(uploads) == 1, f"expected one legacy upload, saw {len(uploads)}"
u = uploads[0]
assert u["status"] == 200, u
assert u["content_length"] == size and u["body_size"] == size, u
assert "filename=theirs.bin" in u["query"], u["query"]
assert "transfer-encoding" not in u["headers"], u["headers"]
assert auth(u).startswith("Bearer ") and auth(u) != "Bearer " + cli_token, "not matrix-js-sdk's own token"
for media in (ours, theirs):
    gets = [r for r in requests if r["method"] == "GET"
            and r["path"].startswith("/_matrix/client/v1/media/download/localhost/" + media)
            and auth(r) == auth(u)]
    assert gets and all(r["status"] == 200 for r in gets), f"no authenticated download of {media}: {gets}"
logouts = [r for r in requests if r["path"] == "/_matrix/client/v3/logout"]
assert len(logouts) == 1 and logouts[0]["status"] == 200, logouts
PY
note "PASS: matrix-js-sdk and matrix-uploader-cli agree on both files ($ours_sha, $theirs_sha)"
