#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Interop with a strict S3 implementation: Ceph's RADOS Gateway (ceph.sh: one monitor, one
# memstore OSD, radosgw). The test server hands out SigV4 presigned PUT URLs on it
# (--s3-endpoint, upload_protocol put) and checks the object with a signed HEAD at complete.
#  1. The create answer: a path-style URL on RGW, signed for host only, expiring with the ID, no
#     x-amz-checksum-* parameter; RGW refuses it for another method.
#  2. A plain upload goes to RGW through the presigned URL (no byte through the homeserver); the
#     download answers 307 to a presigned GET whose bytes have the file's SHA-256.
#  3. A tampered URL (fault tamper_upload_url) and an expired one (upload_url_expires_in_ms 0):
#     RGW answers 403, the CLI falls back to the homeserver upload, says why, and succeeds.
#  4. A URL that signs Content-Type (--s3-sign-content-type image/png): a file of another type
#     gets 403 SignatureDoesNotMatch, reported in the fallback reason; a PNG goes straight in.
# Usage: test_s3.sh MATRIX_UPLOADER_CLI MATRIX_MEDIA_TESTSERVER
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

CEPH_DIR=$WORK/ceph
BUCKET=mu-interop
# Stop Ceph (its daemons are not start_bg jobs) before lib.sh's own clean-up, which reads the
# exit status from $?: both branches call it, the failing one with $? = the test's status (a
# subshell such as "(exit $rc)" would keep _cleanup from seeing the background jobs).
_with_status() { return "$1"; }
# shellcheck disable=SC2154 # rc is assigned by the trap's first command
trap 'rc=$?; "$INTEROP_DIR/ceph.sh" stop "$CEPH_DIR" >/dev/null 2>&1 || true
      if _with_status $rc; then _cleanup; else _cleanup; fi' EXIT

"$INTEROP_DIR/ceph.sh" start "$CEPH_DIR" >"$WORK/logs/ceph-start.log" 2>&1 \
    || fail "Ceph did not start: $(tail -n 20 "$WORK/logs/ceph-start.log")"
# shellcheck source=/dev/null
source "$CEPH_DIR/env"
note "Ceph RGW $(radosgw --version | awk '{print $3}') at $S3_ENDPOINT"

S3_OPTIONS=(--s3-endpoint "$S3_ENDPOINT" --s3-bucket "$BUCKET" --s3-access-key "$S3_ACCESS_KEY"
    --s3-secret-key "$S3_SECRET_KEY")
start_testserver "${S3_OPTIONS[@]}"

# jget JSON KEY: one top-level field of a JSON object (null and missing as empty, booleans as
# true/false).
jget() {
    python3 -c 'import json, sys
v = json.loads(sys.argv[1]).get(sys.argv[2])
print("" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}

fault() { curl -sS -f -X POST -d "$1" "$HS/_test/faults" >/dev/null || fail "cannot add fault $1"; }

# upload FILE: the CLI's JSON line for one upload with --verify; fails unless it completed and
# verified with the file's SHA-256.
upload() {
    local line
    line=$(cli upload --homeserver "$HS" --json --verify "$1") \
        || fail "the CLI upload of $1 failed: $(tail -n 5 "$WORK/logs/cli.log")"
    expect_eq "upload state of $(basename "$1")" "$(jget "$line" state)" completed
    expect_eq "verified ($(basename "$1"))" "$(jget "$line" verified)" true
    expect_eq "CLI's SHA-256 ($(basename "$1"))" "$(jget "$line" sha256)" "$(sha256_of "$1")"
    printf '%s\n' "$line"
}

# uploaded_through_homeserver ID: whether a PUT with a body reached the test server for ID.
uploaded_through_homeserver() {
    curl -sS -f "$HS/_test/requests" >"$WORK/requests.json"
    python3 - "$WORK/requests.json" "$1" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["requests"]
sys.exit(0 if any(r["method"] == "PUT" and r["path"].endswith("/" + sys.argv[2]) and r["body_size"] > 0
                  and r["status"] == 200 for r in rs) else 1)
PY
}

# --- 1. the presigned URL create hands out ------------------------------------------------------
create=$(curl -sS -f -X POST -H "Authorization: Bearer $TOKEN" -d '{}' "$HS/_matrix/media/v1/create") \
    || fail "create failed"
python3 - "$create" "$S3_ENDPOINT/$BUCKET/" <<'PY' || fail "the create answer is not a presigned S3 PUT URL: $create"
import json, sys, time, urllib.parse
c, prefix = json.loads(sys.argv[1]), sys.argv[2]
url = c["upload_url"]
assert c["upload_protocol"] == "put" and c["upload_method"] == "PUT", c
assert c["com.beeper.msc3870.upload_url"] == url
media_id = c["content_uri"].rsplit("/", 1)[1]
assert url.startswith(prefix + media_id + "?"), url
q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
assert set(q) == {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                  "X-Amz-SignedHeaders", "X-Amz-Signature"}, sorted(q)  # no x-amz-checksum-*
assert q["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" and q["X-Amz-SignedHeaders"] == "host", q
assert q["X-Amz-Credential"].endswith("/us-east-1/s3/aws4_request"), q
signed = time.mktime(time.strptime(q["X-Amz-Date"], "%Y%m%dT%H%M%SZ")) - time.timezone
expiry = signed + int(q["X-Amz-Expires"])
# The URL dies with the unused media ID (whole seconds).
assert abs(expiry - c["unused_expires_at"] / 1000) <= 1, (expiry, c["unused_expires_at"])
PY
url=$(jget "$create" upload_url)
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
expect_eq "RGW's answer to a GET with the presigned PUT URL" "$code" 403
note "1. PASS: create hands out a presigned PUT URL signed for host, RGW refuses it for GET"

# --- 2. a plain upload through the presigned URL ------------------------------------------------
make_file "$WORK/file.bin" 3
sha=$(sha256_of "$WORK/file.bin")
line=$(upload "$WORK/file.bin")
note "2. CLI: $line"
expect_eq "protocol used" "$(jget "$line" protocol)" put
expect_eq "fallback" "$(jget "$line" fallback)" ""
mxc=$(jget "$line" content_uri)
id=${mxc##*/}
if uploaded_through_homeserver "$id"; then fail "the file went through the homeserver, not RGW"; fi
record=$(cat "$WORK/hs/media/$id.json")
expect_eq "server record: via" "$(jget "$record" via)" s3
expect_eq "server record: state" "$(jget "$record" state)" complete
expect_eq "server record: size (from RGW's HEAD)" "$(jget "$record" stored)" "$(stat -c %s "$WORK/file.bin")"
expect_eq "server record: sha256" "$(jget "$record" sha256)" "$sha"
# The download answers 307 to a presigned GET on RGW; followed without the token, it gives the
# file's bytes.
location=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H "Authorization: Bearer $TOKEN" \
    "$HS/_matrix/client/v1/media/download/localhost/$id")
expect_eq "download status" "${location%% *}" 307
location=${location#* }
[[ $location == "$S3_ENDPOINT/$BUCKET/$id?"*X-Amz-Signature=* ]] \
    || fail "the download does not redirect to a presigned GET on RGW: $location"
curl -sS -f -o "$WORK/downloaded.bin" "$location" || fail "the presigned GET failed"
expect_eq "SHA-256 of the presigned GET" "$(sha256_of "$WORK/downloaded.bin")" "$sha"
note "2. PASS: uploaded to RGW through the presigned URL, downloaded through a presigned GET"

# --- 3. a tampered and an expired URL: 403 from RGW, fallback, success --------------------------
check_fallback() { # LINE FILE REASON_REGEX
    local mxc
    expect_eq "protocol used ($2)" "$(jget "$1" protocol)" async
    [[ $(jget "$1" fallback) =~ $3 ]] || fail "fallback reason '$(jget "$1" fallback)' does not match '$3'"
    mxc=$(jget "$1" content_uri)
    uploaded_through_homeserver "${mxc##*/}" || fail "$2 did not go through the homeserver upload"
    expect_eq "server record: via ($2)" "$(jget "$(cat "$WORK/hs/media/${mxc##*/}.json")" via)" async
}
make_file "$WORK/tampered.bin" 1
fault '{"tamper_upload_url": true}'
line=$(upload "$WORK/tampered.bin")
note "3. tampered: $line"
check_fallback "$line" tampered.bin 'HTTP 403 SignatureDoesNotMatch'

make_file "$WORK/expired.bin" 1
fault '{"upload_url_expires_in_ms": 0}'
line=$(upload "$WORK/expired.bin")
note "3. expired: $line"
check_fallback "$line" expired.bin 'HTTP 403 AccessDenied'
note "3. PASS: RGW refused the tampered and the expired URL with 403; the CLI fell back and succeeded"

# --- 4. a signed Content-Type the client does not match ----------------------------------------
stop_bg "$HS_PID" || true
rm -rf "$WORK/hs"
start_testserver "${S3_OPTIONS[@]}" --s3-sign-content-type image/png
create=$(curl -sS -f -X POST -H "Authorization: Bearer $TOKEN" -d '{}' "$HS/_matrix/media/v1/create")
[[ $(jget "$create" upload_url) == *X-Amz-SignedHeaders=content-type%3Bhost* ]] \
    || fail "the URL does not sign content-type: $(jget "$create" upload_url)"
make_file "$WORK/other-type.bin" 1
line=$(upload "$WORK/other-type.bin")
note "4. octet-stream to a URL signed for image/png: $line"
check_fallback "$line" other-type.bin 'HTTP 403 SignatureDoesNotMatch'
make_file "$WORK/picture.png" 1
line=$(upload "$WORK/picture.png")
note "4. image/png: $line"
expect_eq "protocol used (picture.png)" "$(jget "$line" protocol)" put
expect_eq "fallback (picture.png)" "$(jget "$line" fallback)" ""
note "4. PASS: a Content-Type mismatch is reported as 'HTTP 403 SignatureDoesNotMatch'; a match goes to RGW"
