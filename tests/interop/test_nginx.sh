#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Interop with a plain PUT origin: nginx's dav module (dav_methods PUT). The test server hands
# out upload URLs on nginx (--put-endpoint, upload_protocol put); the CLI uploads a file of a few
# MiB with a chunk size smaller than the file. It must send the whole file in one PUT, to nginx,
# without Content-Range (nginx answers 501 to one), without chunked encoding and without the
# Matrix token or a cookie; nginx must hold the file's exact bytes, and the test server must
# have accepted them from nginx (record via put-endpoint), not through a fallback.
# Usage: test_nginx.sh MATRIX_UPLOADER_CLI MATRIX_MEDIA_TESTSERVER
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_nginx
start_testserver --put-endpoint "$NGINX_URL/media"
make_file "$WORK/file.bin" 6
size=$(stat -c %s "$WORK/file.bin")
sha=$(sha256_of "$WORK/file.bin")

line=$(cli upload --homeserver "$HS" --json --verify --chunk-size 1M "$WORK/file.bin") \
    || fail "the CLI upload failed: $(tail -n 5 "$WORK/logs/cli.log")"
note "CLI: $line"
expect_uploaded "$line" "$WORK/file.bin" put
id=$MEDIA_ID
mxc=$MXC

# What nginx stored: one file, named after the media ID, with the same bytes.
mapfile -t stored < <(find "$NGINX_DATA" -type f)
expect_eq "files nginx stored" "${#stored[@]}" 1
[[ "$(basename "${stored[0]}")" == "$id".* ]] || fail "nginx stored ${stored[0]}, not an object of media $id"
expect_eq "SHA-256 of the bytes nginx stored" "$(sha256_of "${stored[0]}")" "$sha"

# What nginx saw: exactly one PUT, of the whole file, answered 201; nothing ever carried a
# Content-Range, chunked encoding, an Authorization header or a cookie.
log=$NGINX_ACCESS_LOG
[ -s "$log" ] || fail "nginx logged no request"
puts=$(grep -c '^PUT ' "$log" || true)
expect_eq "PUT requests to nginx" "$puts" 1
grep -Eq "^PUT /media/$id\.[^ ]+ 201 cl=$size te=\"-\" " "$log" \
    || fail "no 201 PUT /media/$id.* with Content-Length $size in nginx's log: $(grep '^PUT ' "$log")"
if grep -v ' cr="-" ' "$log" >&2; then fail "a request to nginx carried Content-Range (above)"; fi
if grep -v ' auth="-" ' "$log" >&2; then fail "the Matrix token (Authorization) reached nginx (above)"; fi
if grep -v ' cookie="-" ' "$log" >&2; then fail "a cookie reached nginx (above)"; fi
if grep -v ' te="-" ' "$log" >&2; then fail "a request to nginx used Transfer-Encoding (above)"; fi
if grep -E '^[A-Z]+ [^ ]+ 501 ' "$log" >&2; then fail "nginx answered 501 (above)"; fi

# What the test server saw: no byte of the file came to it (no fallback), and it checked the
# object on nginx before it accepted it.
curl -sS -f "$HS/_test/requests" >"$WORK/requests.json"
python3 - "$WORK/requests.json" <<'PY' || fail "the file went through the homeserver, not nginx"
import json, sys
requests = json.load(open(sys.argv[1]))["requests"]
# Only small JSON bodies (create, complete) may come to the homeserver.
assert all(r["body_size"] <= 1024 for r in requests), [r for r in requests if r["body_size"] > 1024]
assert any(r["path"].endswith("/complete") and r["status"] == 200 for r in requests), "no complete"
PY
expect_record "$id" put-endpoint "$sha"

# A download through the test server is redirected to nginx and gives the same bytes.
download "$mxc" "$WORK/downloaded.bin"
expect_eq "SHA-256 downloaded through the test server" "$(sha256_of "$WORK/downloaded.bin")" "$sha"
note "PASS: one PUT of $size bytes to nginx, no Content-Range, no token; SHA-256 $sha"
