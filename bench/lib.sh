#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# What the bench scripts share: one matrix-media-testserver (user "bench", token BENCHTOKEN) on a
# free loopback port, and its upload URLs. Sourced by bench/run.sh and bench/testserver.sh after
# they set server_bin (the test server's program) and work (their temporary folder).

# shellcheck disable=SC2154 # work and server_bin: set by the sourcing script
: "${work:?}" "${server_bin:?}"
server_pid=""

# stop_server: stops the test server started last, if any.
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    fi
    server_pid=""
}

# start_server PROTOCOL MAX_BODY_MIB: a fresh test server with an empty --data folder, handing out
# PROTOCOL upload URLs and taking request bodies up to MAX_BODY_MIB; sets base (its URL) and
# server_pid. Stops the script with the server's output when it does not start.
start_server() {
    stop_server
    rm -rf "$work/data"
    "$server_bin" --port 0 --data "$work/data" --token bench:BENCHTOKEN --upload-url-protocol "$1" \
        --max-request-body "$2M" >"$work/server.out" 2>&1 &
    server_pid=$!
    base=""
    for _ in $(seq 100); do
        base=$(sed -n 's/^listening on //p' "$work/server.out")
        [ -n "$base" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$base" ]; then
        echo "bench: the test server did not start ($1):" >&2
        cat "$work/server.out" >&2
        exit 1
    fi
}

# create_url: a new content ID's upload URL from the running test server.
create_url() {
    curl -sS --fail -X POST -H "Authorization: Bearer BENCHTOKEN" "$base/_matrix/media/v1/create" -d '{}' \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["upload_url"])'
}
