#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Interop of encrypted attachments (issue 13) with the two libraries Matrix clients decrypt and
# encrypt them with: matrix-encrypt-attachment 1.0.3 (Element Web) and the Rust SDK's Attachment
# (@matrix-org/matrix-sdk-crypto-wasm), both on Node.js 22 through attachments.mjs.
#  a. Our CLI uploads with --encrypt --json; the ciphertext downloaded from the test server (curl,
#     authenticated media) is not the plaintext, and both libraries decrypt it to the original.
#     The same after the CLI is killed (SIGKILL) mid-upload and finishes with --resume (the key
#     comes back from the keychain).
#  b. Each library encrypts a file; our CLI uploads the ciphertext as a plain file, and
#     `matrix-uploader-cli download --encrypted-file` gives the original back.
# The key of a killed upload lives in the keychain, so the test runs inside
# tests/run-with-keyring.sh (a private D-Bus session with a throwaway gnome-keyring).
# Usage: test_attachments.sh MATRIX_UPLOADER_CLI MATRIX_MEDIA_TESTSERVER
if [ -z "${MU_PRIVATE_KEYRING:-}" ]; then
    exec "$(cd "$(dirname "$0")" && pwd)/../run-with-keyring.sh" bash "$0" "$@"
fi
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
need_node22
for pkg in matrix-encrypt-attachment @matrix-org/matrix-sdk-crypto-wasm; do
    [ -f "$INTEROP_DIR/node_modules/$pkg/package.json" ] \
        || fail "$pkg is missing: run scripts/install-deps.sh (npm ci in tests/interop)"
    note "$pkg $("$NODE22" -p "require('$INTEROP_DIR/node_modules/$pkg/package.json').version")"
done
LIBS=(element rust)

fault() { curl -sS -f -X POST -d "$1" "$HS/_test/faults" >/dev/null || fail "cannot add fault $1"; }

# json_get JSON KEY: prints one top-level field (objects as JSON).
json_get() {
    python3 -c 'import json, sys
v = json.loads(sys.argv[1]).get(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list)) else ("" if v is None else v))' "$1" "$2"
}

# check_decrypts NAME LINE PLAINTEXT: LINE is the CLI's --json line of an encrypted upload of
# PLAINTEXT. The ciphertext on the server has the line's hashes.sha256 and is not the plaintext;
# both libraries decrypt it to PLAINTEXT.
check_decrypts() {
    local name=$1 line=$2 plain=$3 mxc info want lib
    mxc=$(json_get "$line" content_uri)
    [[ "$mxc" == mxc://localhost/?* ]] || fail "$name: no content URI in $line"
    info=$(json_get "$line" file)
    [ -n "$info" ] || fail "$name: no EncryptedFile (file) in $line"
    printf '%s' "$info" >"$WORK/$name.json"
    expect_eq "$name: EncryptedFile url" "$(json_get "$info" url)" "$mxc"
    download "$mxc" "$WORK/$name.enc"
    want=$(sha256_of "$plain")
    expect_eq "$name: ciphertext size" "$(stat -c %s "$WORK/$name.enc")" "$(stat -c %s "$plain")"
    [ "$(sha256_of "$WORK/$name.enc")" != "$want" ] || fail "$name: the server holds the plaintext"
    python3 - "$WORK/$name.json" "$WORK/$name.enc" <<'PY' || fail "$name: hashes.sha256 is not the SHA-256 of the ciphertext on the server"
import base64, hashlib, json, sys
info = json.load(open(sys.argv[1]))
digest = base64.b64encode(hashlib.sha256(open(sys.argv[2], "rb").read()).digest()).decode().rstrip("=")
assert info["hashes"]["sha256"] == digest, (info["hashes"], digest)
assert info["v"] == "v2" and info["key"]["alg"] == "A256CTR", info
PY
    for lib in "${LIBS[@]}"; do
        "$NODE22" "$INTEROP_DIR/attachments.mjs" decrypt "$lib" "$WORK/$name.json" \
            "$WORK/$name.enc" "$WORK/$name.$lib" 2>>"$WORK/logs/attachments.log" \
            || fail "$name: $lib cannot decrypt our upload: $(tail -n 3 "$WORK/logs/attachments.log")"
        expect_eq "$name: decrypted by $lib" "$(sha256_of "$WORK/$name.$lib")" "$want"
    done
    note "$name: both libraries decrypt our upload ($want)"
}

# upload_chunks_answered STATUS: how many requests to upload URLs the server answered STATUS.
upload_chunks_answered() {
    curl -sS -f "$HS/_test/requests" | python3 -c 'import json, sys
print(sum(1 for r in json.load(sys.stdin)["requests"]
          if r["path"].startswith("/_upload/") and r["status"] == int(sys.argv[1])))' "$1"
}

start_testserver --upload-url-protocol content-range

# --- a. we encrypt, they decrypt ----------------------------------------------------------------
make_file "$WORK/ours.bin" 3
line=$(cli upload --homeserver "$HS" --encrypt --json "$WORK/ours.bin") \
    || fail "the encrypted upload failed: $(tail -n 5 "$WORK/logs/cli.log")"
expect_eq "state" "$(json_get "$line" state)" completed
expect_eq "encrypted" "$(json_get "$line" encrypted)" True
check_decrypts ours "$line" "$WORK/ours.bin"

# Killed mid-upload: the bandwidth cap makes chunks of 256 KiB take 1/4 s each, so the kill lands
# after the server confirmed a few and long before the last.
make_file "$WORK/killed.bin" 4
fault '{"bandwidth": 1048576}'
curl -sS -f -X DELETE "$HS/_test/requests" >/dev/null
cli_bg killed upload --homeserver "$HS" --encrypt --chunk-size 256K "$WORK/killed.bin"
killed_pid=$BG_PID
deadline=$((SECONDS + 60))
while [ "$(upload_chunks_answered 308)" -lt 3 ]; do
    kill -0 "$killed_pid" 2>/dev/null || fail "the CLI ended before it was killed: $(cat "$WORK/logs/killed.log")"
    [ "$SECONDS" -lt "$deadline" ] || fail "no chunk was confirmed within 60 s"
    sleep 0.1
done
stop_bg "$killed_pid" KILL
# The media ID the killed run was uploading to: --resume must finish that one, not begin anew.
killed_mxc=mxc://localhost/$(curl -sS -f "$HS/_test/requests" | python3 -c 'import json, sys
print([r["path"] for r in json.load(sys.stdin)["requests"] if r["path"].startswith("/_upload/")][-1][9:])')
fault '{"bandwidth": 0}'
[ ! -s "$WORK/killed.out" ] || fail "the killed CLI finished the upload: $(cat "$WORK/killed.out")"
line=$(cli upload --homeserver "$HS" --resume --json) \
    || fail "upload --resume failed: $(tail -n 5 "$WORK/logs/cli.log")"
note "resumed: $(json_get "$line" content_uri)"
expect_eq "resumed content URI" "$(json_get "$line" content_uri)" "$killed_mxc"
grep -q "starts over" "$WORK/logs/cli.log" && fail "the resumed upload lost its key and started over"
expect_eq "resumed file" "$(json_get "$line" path)" "$WORK/killed.bin"
check_decrypts killed "$line" "$WORK/killed.bin"

# --- b. they encrypt, we decrypt ----------------------------------------------------------------
make_file "$WORK/theirs.bin" 2
want=$(sha256_of "$WORK/theirs.bin")
for lib in "${LIBS[@]}"; do
    "$NODE22" "$INTEROP_DIR/attachments.mjs" encrypt "$lib" "$WORK/theirs.bin" \
        "$WORK/theirs.$lib.enc" "$WORK/theirs.$lib.info" 2>>"$WORK/logs/attachments.log" \
        || fail "$lib cannot encrypt: $(tail -n 3 "$WORK/logs/attachments.log")"
    line=$(cli upload --homeserver "$HS" --json "$WORK/theirs.$lib.enc") \
        || fail "uploading $lib's ciphertext failed: $(tail -n 5 "$WORK/logs/cli.log")"
    mxc=$(json_get "$line" content_uri)
    # The EncryptedFile as the event would carry it: the library's info with the url.
    python3 - "$WORK/theirs.$lib.info" "$mxc" "$WORK/theirs.$lib.json" <<'PY'
import json, sys
info = json.load(open(sys.argv[1]))
info["url"] = sys.argv[2]
json.dump({"msgtype": "m.file", "body": "theirs.bin", "file": info}, open(sys.argv[3], "w"))
PY
    cli download --homeserver "$HS" --encrypted-file "$WORK/theirs.$lib.json" \
        -o "$WORK/theirs.$lib.out" || fail "we cannot decrypt $lib's attachment: $(tail -n 3 "$WORK/logs/cli.log")"
    expect_eq "$lib's attachment decrypted by the CLI" "$(sha256_of "$WORK/theirs.$lib.out")" "$want"
    note "$lib's attachment decrypts with matrix-uploader-cli download"
done
note "PASS: matrix-encrypt-attachment, the Rust SDK and matrix-uploader-cli read each other's attachments"
