#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# What the bench scripts share: a check that the programs they run exist; one
# matrix-media-testserver (user "bench", token BENCHTOKEN) on a free loopback port, and its upload
# URLs; nginx as a plain PUT origin. Sourced by the bench scripts, which set server_bin (the test
# server's program) and work (their temporary folder) before they start a server.
# shellcheck disable=SC2154 # work and server_bin: set by the sourcing script before it calls these
server_pid=""

# bench_build DIR [--cli]: the build folder DIR (build/release when empty) whose programs the bench
# runs: sets build, server_bin (its test server) and cli (its CLI), and stops the script unless the
# test server, and with --cli the CLI too, were built.
bench_build() {
    build=${1:-build/release}
    server_bin=$build/src/testserver/matrix-media-testserver
    cli=$build/src/cli/matrix-uploader-cli
    local programs=("$server_bin")
    if [ "${2:-}" = --cli ]; then
        programs+=("$cli")
    fi
    need_files "scripts/build.sh $build" "${programs[@]}"
}

# best: the smallest of the numbers (first fields) read, one a line: the best run's line.
best() { sort -g | head -n1; }

# tool_versions: "curl X.Y.Z, nginx A.B.C", the reference programs a bench line names.
tool_versions() {
    echo "curl $(curl --version | head -n1 | cut -d' ' -f2), nginx $(nginx -v 2>&1 | cut -d/ -f2)"
}

# need_files HINT FILE...: stops the script unless every FILE exists (a program: is executable),
# naming the first one missing and HINT (how to get it).
need_files() {
    local file
    for file in "${@:2}"; do
        if [ ! -e "$file" ] || { [[ $file != *.so ]] && [ ! -x "$file" ]; }; then
            echo "bench: $file is missing ($1)" >&2
            exit 1
        fi
    done
}

# stop_server: stops the test server started last, if any.
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    fi
    server_pid=""
}

# start_server PROTOCOL MAX_BODY_MIB [OPTION...]: a fresh test server with an empty --data folder,
# handing out PROTOCOL upload URLs and taking request bodies up to MAX_BODY_MIB, with any further
# options of its own; sets base (its URL) and server_pid. Stops the script with the server's
# output when it does not start.
start_server() {
    stop_server
    rm -rf "${work:?}/data"
    "${server_bin:?}" --port 0 --data "$work/data" --token bench:BENCHTOKEN --upload-url-protocol "$1" \
        --max-request-body "$2M" "${@:3}" >"$work/server.out" 2>&1 &
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

nginx_pid=""
# stop_nginx: stops the nginx start_nginx started, if any.
stop_nginx() {
    if [ -n "$nginx_pid" ]; then
        kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    fi
    nginx_pid=""
}

# start_nginx MAX_BODY_MIB: nginx in the foreground as a plain PUT origin (`dav_methods PUT`)
# storing in $work/nginx/root, taking bodies up to MAX_BODY_MIB; each request's own duration
# ($request_time: from its first byte read to its answer) is logged to $nginx_log as
# "METHOD URI STATUS SECONDS". Sets nginx_port, nginx_pid and nginx_worker (the process that serves).
start_nginx() {
    if ! command -v nginx >/dev/null; then
        echo "bench: nginx is missing (Debian: apt-get install nginx)" >&2
        exit 1
    fi
    chmod 755 "$work" # nginx's worker runs as nobody
    mkdir -p "$work/nginx/root" "$work/nginx/tmp" "$work/nginx/logs"
    chmod -R a+rwx "$work/nginx"
    nginx_log=$work/nginx/logs/requests.log
    nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
    log_format timing '\$request_method \$uri \$status \$request_time';
    access_log $nginx_log timing;
    client_body_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            root $work/nginx/root;
            dav_methods PUT DELETE;
            create_full_put_path on;
            client_max_body_size ${1}m;
        }
    }
}
CONF
    nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
    nginx_pid=$!
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break
        kill -0 "$nginx_pid" 2>/dev/null || { echo "bench: nginx did not start" >&2; exit 1; }
        sleep 0.1
    done
    # shellcheck disable=SC2034 # for the sourcing script
    nginx_worker=$(pgrep -P "$nginx_pid" | head -n1)
}

# machine_line: the date and the machine, the first line of every bench's output.
machine_line() {
    echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs," \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
}

# bench_cleanup: stops what the script started and removes its folder (the scripts' EXIT trap).
bench_cleanup() {
    stop_server
    stop_nginx
    rm -rf "$work"
}

# small_files FOLDER COUNT: COUNT files f00000.bin... of 1-64 KiB of random bytes (the same for
# the same COUNT: a fixed seed).
small_files() {
    mkdir -p "$1"
    python3 - "$1" "$2" <<'PY'
import os, random, sys
folder, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(15)
for i in range(count):
    with open(os.path.join(folder, f"f{i:05d}.bin"), "wb") as f:
        f.write(rng.randbytes(rng.randint(1024, 64 * 1024)))
PY
}
