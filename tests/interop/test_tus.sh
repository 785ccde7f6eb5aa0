#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Interop with the tus reference server (@tus/server + @tus/file-store on Node.js 22). The test
# server creates deferred-length uploads on it and hands their URLs out (--tus-endpoint,
# upload_protocol tus).
#  1. A plain upload: the bytes in the tus FileStore, and downloaded through the test server, are
#     the file's; PATCHes carry no token.
#  2. One of two tus server instances that share a port and a folder (SO_REUSEPORT, like a
#     deployment behind one address) crashes (SIGKILL) in the middle of a PATCH, and is
#     restarted: the running CLI asks for the offset (HEAD) and continues from the non-zero
#     offset the server reports; the bytes match.
#  3. The tus server freezes in the middle of a PATCH, then the CLI and the server are killed;
#     the server is restarted on the same port and folder: `upload --resume` asks first and
#     continues from the reported offset; the bytes match.
#  4. A hard restart of the only tus server (no shared port): it freezes in the middle of a
#     PATCH and is killed (SIGKILL) once its log shows that some MiB were confirmed, the running
#     CLI finds the port refusing connections and retries (no fallback), a new server starts on
#     the same port and folder, and the same CLI run asks for the offset (HEAD) and continues
#     from there; the bytes match.
# Usage: test_tus.sh MATRIX_UPLOADER_CLI MATRIX_MEDIA_TESTSERVER
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
need_node22
TUS_LOG=$WORK/logs/tus-requests.log
CRASH_AT=$((5 * 1024 * 1024))

start_tus
start_testserver --tus-endpoint "$TUS_URL"

# check_upload LINE FILE: the CLI's JSON line says FILE arrived over tus, verified, without a
# fallback; the tus FileStore and the test server hold its bytes. Prints the tus upload ID.
check_upload() {
    local line=$1 file=$2 sha tus_id
    sha=$(sha256_of "$file")
    expect_uploaded "$line" "$file" tus
    expect_record "$MEDIA_ID" tus-endpoint "$sha"
    # The tus upload that holds it: the one whose PATCHes went to the server last.
    tus_id=$(python3 -c 'import json, sys
ids = [json.loads(l).get("url", "") for l in open(sys.argv[1])]
print([u for u in ids if u.startswith("/files/")][-1].rsplit("/", 1)[1])' "$TUS_LOG")
    [ -f "$TUS_DIR/$tus_id" ] || fail "the tus FileStore has no file $tus_id"
    expect_eq "SHA-256 of the tus FileStore's bytes" "$(sha256_of "$TUS_DIR/$tus_id")" "$sha"
    download "$MXC" "$WORK/downloaded.bin"
    expect_eq "SHA-256 downloaded through the test server" "$(sha256_of "$WORK/downloaded.bin")" "$sha"
    printf '%s\n' "$tus_id"
}

# check_requests: no request to the tus server carried a token, a cookie or chunked encoding,
# and every PATCH had the tus content type.
check_requests() {
    python3 - "$TUS_LOG" <<'PY' || fail "a request to the tus server was not as tus 1.0 and protocol.md 4.1 want"
import json, sys
for e in map(json.loads, open(sys.argv[1])):
    if "method" not in e:
        continue
    assert not e["authorization"] and not e["cookie"], f"credentials reached the tus server: {e}"
    assert e["transfer_encoding"] is None, f"chunked request: {e}"
    if e["method"] == "PATCH":
        assert e["content_type"] == "application/offset+octet-stream", e
        assert e["content_length"] is not None, e
PY
}

# check_resumed TUS_ID SIZE: after the last crash, the CLI asked for the offset (HEAD) and got a
# non-zero one below SIZE, the next PATCH started exactly there, and the last PATCH completed the
# upload. Before that HEAD only stale PATCHes may come, refused with 409 (Qt sends a request
# again once by itself when its connection died; tus refuses the old offset). Prints the offset.
check_resumed() {
    python3 - "$TUS_LOG" "$1" "$2" <<'PY' || fail "the CLI did not resume from the offset the tus server reported"
import json, sys
log, tus_id, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
entries = [json.loads(l) for l in open(log)]
crash = max(i for i, e in enumerate(entries) if e.get("event") == "crash")
assert entries[crash]["id"] == tus_id, f"the crash hit upload {entries[crash]['id']}, not {tus_id}"
after = [e for e in entries[crash + 1:] if e.get("url") == "/files/" + tus_id]
heads = [i for i, e in enumerate(after) if e["method"] == "HEAD"]
assert heads, "no HEAD after the crash"
for e in after[:heads[0]]:
    assert e["method"] == "PATCH" and e["status"] == 409, f"before the HEAD: {e}"
head = after[heads[0]]
assert head["status"] == 200, head
offset = int(head["answered_offset"])
assert 0 < offset < size, f"HEAD reported offset {offset} of {size}"
assert offset <= entries[crash]["received"], f"offset {offset} above what arrived"
patches = [e for e in after[heads[0]:] if e["method"] == "PATCH"]
assert patches and int(patches[0]["upload_offset"]) == offset, \
    f"the first PATCH after the HEAD started at {patches and patches[0]['upload_offset']}, not {offset}"
assert all(p["status"] == 204 for p in patches), [p["status"] for p in patches]
assert int(patches[-1]["answered_offset"]) == size, patches[-1]
print(offset)
PY
}

# --- 1. a plain upload -------------------------------------------------------------------------
make_file "$WORK/small.bin" 3
line=$(cli upload --homeserver "$HS" --json --verify "$WORK/small.bin") \
    || fail "the CLI upload failed: $(tail -n 5 "$WORK/logs/cli.log")"
note "1. plain upload: $line"
check_upload "$line" "$WORK/small.bin" >/dev/null
check_requests
note "1. PASS: the tus server holds the file's bytes"

# --- 2. one instance crashes mid-PATCH; the running CLI continues ---------------------------
stop_tus_all
for _ in 1 2; do
    start_tus --port "$TUS_PORT" --reuse-port --crash-after "$CRASH_AT" --crash-marker "$WORK/crashed"
done
make_file "$WORK/big.bin" 12
size=$(stat -c %s "$WORK/big.bin")
cli_bg cli-crash upload --homeserver "$HS" --json --verify "$WORK/big.bin"
cli_pid=$BG_PID
crash=$(wait_line "$TUS_LOG" '"event":"crash"' "$cli_pid")
[[ "$crash" =~ \"pid\":([0-9]+) ]] || fail "no pid in the crash record: $crash"
reap_bg "${BASH_REMATCH[1]}" || true
start_tus --port "$TUS_PORT" --reuse-port
status=0
reap_bg "$cli_pid" || status=$?
expect_eq "CLI exit status after an instance crashed" "$status" 0
line=$(cat "$WORK/cli-crash.out")
note "2. after a crash: $line"
tus_id=$(check_upload "$line" "$WORK/big.bin")
offset=$(check_resumed "$tus_id" "$size")
check_requests
note "2. PASS: HEAD said $offset of $size bytes, the CLI continued from there"

# --- 3. the tus server freezes mid-PATCH; it and the CLI are killed; upload --resume ---------
stop_tus_all
start_tus --port "$TUS_PORT" --crash-after "$CRASH_AT" --crash-signal SIGSTOP
frozen=$TUS_PID
make_file "$WORK/big2.bin" 12
size=$(stat -c %s "$WORK/big2.bin")
cli_bg cli-killed upload --homeserver "$HS" --json "$WORK/big2.bin"
cli_pid=$BG_PID
wait_line "$TUS_LOG" '"signal":"SIGSTOP"' "$cli_pid" >/dev/null
stop_bg "$cli_pid" KILL
stop_bg "$frozen" KILL
start_tus --port "$TUS_PORT"
line=$(cli upload --resume --homeserver "$HS" --json --verify) \
    || fail "upload --resume failed: $(tail -n 5 "$WORK/logs/cli.log")"
note "3. resumed: $line"
tus_id=$(check_upload "$line" "$WORK/big2.bin")
offset=$(check_resumed "$tus_id" "$size")
check_requests
note "3. PASS: --resume asked first (HEAD: $offset of $size bytes) and continued from there"

# --- 4. hard restart of the only tus server; the running CLI retries and continues ------------
stop_tus_all
started=$SECONDS
# 1 MiB chunks: several are confirmed before the crash (in the 7th). The server freezes there
# (SIGSTOP, mid-PATCH) and is killed (SIGKILL) only once its log shows that the CLI had bytes
# confirmed: a PATCH of this upload that started past 0, at an offset the CLI took from an
# earlier answer. So the crash never comes first, however loaded the machine.
start_tus --port "$TUS_PORT" --crash-after $((6 * 1024 * 1024 + 512 * 1024)) --crash-signal SIGSTOP
crashing=$TUS_PID
# The log holds step 3's freeze already: this step waits for the next one.
frozen_before=$(grep -c '"signal":"SIGSTOP"' "$TUS_LOG" || true)
make_file "$WORK/big3.bin" 24
size=$(stat -c %s "$WORK/big3.bin")
cli_bg cli-restart upload --homeserver "$HS" --json --verify --verbose --chunk-size 1M "$WORK/big3.bin"
cli_pid=$BG_PID
wait_nth_line "$TUS_LOG" '"signal":"SIGSTOP"' $((frozen_before + 1)) "$cli_pid" >/dev/null
confirmed=$(python3 - "$TUS_LOG" <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
crash = max(i for i, e in enumerate(entries) if e.get("event") == "crash")
url = "/files/" + entries[crash]["id"]
starts = [int(e["upload_offset"]) for e in entries[:crash]
          if e.get("url") == url and e.get("method") == "PATCH" and e.get("status") == 204]
print(max(starts, default=0))
PY
) || fail "cannot read the tus server's log"
[ "$confirmed" -gt 0 ] || fail "the tus server froze before the CLI had any byte confirmed"
note "4. the CLI had at least $confirmed bytes confirmed when the tus server froze; killing it"
stop_bg "$crashing" KILL
# The port is free once the process is gone; nothing listens there until the restart.
for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$TUS_PORT") 2>/dev/null || break
    sleep 0.05
done
[ "$i" -lt 100 ] || fail "port $TUS_PORT still accepts connections after the tus server died"
# The CLI meets the refused port and schedules another try instead of falling back.
refused=$(wait_line "$WORK/logs/cli-restart.log" 'retrying in [0-9]+ ms:.*[Cc]onnection refused' "$cli_pid" 20) \
    || fail "the CLI did not retry the refused tus server; its output: $(cat "$WORK/cli-restart.out")"
note "4. while the tus server was down: retrying${refused#*retrying}"
start_tus --port "$TUS_PORT"
status=0
reap_bg "$cli_pid" || status=$?
line=$(cat "$WORK/cli-restart.out")
note "4. after a hard restart: $line"
expect_eq "CLI exit status after the tus server restarted" "$status" 0
tus_id=$(check_upload "$line" "$WORK/big3.bin")
offset=$(check_resumed "$tus_id" "$size")
check_requests
note "4. PASS in $((SECONDS - started)) s: HEAD said $offset of $size bytes after the restart, the same CLI run continued from there"
