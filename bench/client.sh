#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The client against curl (issue 15, item 1): the same file PUT to nginx (`dav_methods PUT` on
# tmpfs) by `curl -T` and by matrix-uploader-cli, whose upload URLs point at that nginx (the test
# server's --put-endpoint), alternating, in one run. Each PUT is timed by nginx itself
# ($request_time: no process start-up, no /create), each client's CPU (user + system) by
# /usr/bin/time. On two or more CPUs nginx and the test server run on the first and each client on
# the second (taskset), so neither client is moved between CPUs or shares one with the server.
# Prints the best throughput and the least CPU of each and the ratios; the goals are a throughput
# of at least 0.9x curl's and at most 1.2x its CPU per byte. Not a test.
#   bench/client.sh [build dir]     (default build/release)
# Environment: BENCH_SIZE=512 (MiB), BENCH_REPEAT=5 (runs per client, the best is kept),
# BENCH_TMP=/dev/shm (tmpfs for the file and nginx), BENCH_PIN=1 (0: no taskset).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_build "${1:-}" --cli
need_files "Debian package time" /usr/bin/time
size=${BENCH_SIZE:-512}
repeat=${BENCH_REPEAT:-5}
client_cpu=()
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
    client_cpu=(taskset -c 1)
fi
limit=$((size + 64))

work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/mu-bench.XXXXXX")
trap bench_cleanup EXIT

start_nginx "$limit"
start_server put "$limit" --put-endpoint "http://127.0.0.1:$nginx_port/media"
if [ ${#client_cpu[@]} -gt 0 ]; then
    for pid in "$nginx_pid" "$nginx_worker" "$server_pid"; do
        taskset -a -p -c 0 "$pid" >/dev/null
    done
fi
head -c $((size * 1024 * 1024)) /dev/urandom >"$work/file.bin"

# The duration nginx logged for the last PUT, if it stored the file (the test server then reads
# it back to complete the upload: not counted).
last_put_seconds() {
    awk '$1 == "PUT" { line = $0 } END { split(line, f, " "); if (f[3] == 201 || f[3] == 204) print f[4] }' \
        "$nginx_log"
}
# "nginx-seconds cpu-seconds" of one PUT by the command given. The log starts empty, so a client
# that sends no PUT to nginx (it fell back to the homeserver) is caught, not timed by another's.
timed() {
    : >"$nginx_log"
    local cpu
    cpu=$(/usr/bin/time -f '%U %S' "${client_cpu[@]}" "$@" 2>&1 >/dev/null | tail -n1 | awk '{ printf "%.2f", $1 + $2 }')
    local wall
    wall=$(last_put_seconds)
    if [ -z "$wall" ]; then
        echo "bench: the PUT failed: $*" >&2
        tail -n3 "$nginx_log" >&2
        exit 1
    fi
    echo "$wall $cpu"
}
# least_each: the least of each column of "seconds cpu-seconds" lines (a run slowed by other
# work shows in one column or both, never in neither).
least_each() { awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 < c { c = $2 } END { print w, c }'; }

machine_line
pinned="not pinned"
[ ${#client_cpu[@]} -gt 0 ] && pinned="clients on CPU 1, servers on CPU 0"
echo "== PUT of ${size} MiB over loopback to nginx on tmpfs, best of $repeat, $pinned" \
    "($(tool_versions))"
curl_runs=() cli_runs=()
for i in $(seq "$repeat"); do
    curl_runs+=("$(timed curl -sS --fail -o /dev/null -H 'Expect:' -T "$work/file.bin" \
        "http://127.0.0.1:$nginx_port/media/curl$i.bin")")
    rm -f "$work/nginx/root/media/curl$i.bin"
    cli_runs+=("$(timed env XDG_CONFIG_HOME="$work/cli/config" XDG_DATA_HOME="$work/cli/data" \
        XDG_CACHE_HOME="$work/cli/cache" MATRIX_ACCESS_TOKEN=BENCHTOKEN \
        "$cli" upload --homeserver "$base" "$work/file.bin")")
    find "$work/nginx/root/media" -type f ! -name 'curl*' -delete
done
c=$(printf '%s\n' "${curl_runs[@]}" | least_each)
m=$(printf '%s\n' "${cli_runs[@]}" | least_each)
awk -v c="$c" -v m="$m" -v size="$size" 'BEGIN {
    split(c, a, " "); split(m, b, " ")
    printf "curl                %6.3f s (%7.1f MiB/s), client CPU %5.2f s\n", a[1], size / a[1], a[2]
    printf "matrix-uploader-cli %6.3f s (%7.1f MiB/s), client CPU %5.2f s\n", b[1], size / b[1], b[2]
    printf "client/curl: throughput %4.2fx (goal >= 0.9), CPU per byte %4.2fx (goal <= 1.2)\n",
        a[1] / b[1], b[2] / (a[2] > 0 ? a[2] : 0.01) }'
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
