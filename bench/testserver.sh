#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The test server's upload path against a real one (issue 15, item 2): `curl -T` of the same file
# to a matrix-media-testserver `put` upload URL and to nginx (`dav_methods PUT`), both storing on
# tmpfs, in one run; then the test server's peak RSS (VmHWM) after a large PUT. Not a test: it
# prints figures and the ratio; the goal is a ratio of at least 0.5 and a peak RSS that does not
# grow with the file.
#   bench/testserver.sh [build dir]     (default build/release)
# Environment: BENCH_SIZE=512 (MiB, the throughput file), BENCH_LARGE=2048 (MiB, RSS only),
# BENCH_REPEAT=3 (runs per figure, the best is kept), BENCH_TMP=/dev/shm (tmpfs for both servers).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_build "${1:-}"
size=${BENCH_SIZE:-512}
large=${BENCH_LARGE:-2048}
repeat=${BENCH_REPEAT:-3}
limit=$(( (size > large ? size : large) + 64 )) # MiB, both servers' request size limit

work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/mu-bench.XXXXXX")
trap bench_cleanup EXIT

start_nginx "$limit"

# curl's own clock: the transfer, without any process start-up.
put_seconds() { # file url
    curl -sS --fail -o /dev/null -w '%{time_total}\n' -T "$1" -H 'Expect:' "$2"
}
# CPU seconds (user + system) a process has used so far.
cpu_seconds() { # pid
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat"
}
# One PUT: "wall-clock-seconds server-cpu-seconds".
timed_put() { # file url pid
    local c0 wall
    c0=$(cpu_seconds "$3")
    wall=$(put_seconds "$1" "$2")
    echo "$wall $(awk -v a="$c0" -v b="$(cpu_seconds "$3")" 'BEGIN { printf "%.2f", b - a }')"
}

head -c $((size * 1024 * 1024)) /dev/urandom >"$work/file.bin"
machine_line
echo "== curl -T of ${size} MiB over loopback to tmpfs, best of $repeat" \
    "($(tool_versions))"
start_server put "$limit"
nginx_runs=() server_runs=()
for i in $(seq "$repeat"); do
    nginx_runs+=("$(timed_put "$work/file.bin" "http://127.0.0.1:$nginx_port/f$i.bin" "$nginx_worker")")
    rm -f "$work/nginx/root/f$i.bin"
    server_runs+=("$(timed_put "$work/file.bin" "$(create_url)" "$server_pid")")
done
# The fastest run of each, with the CPU its server used in that run.
n=$(printf '%s\n' "${nginx_runs[@]}" | best)
t=$(printf '%s\n' "${server_runs[@]}" | best)
awk -v n="$n" -v t="$t" -v size="$size" 'BEGIN {
    split(n, a, " "); split(t, b, " ")
    printf "nginx       %6.3f s (%7.1f MiB/s), server CPU %5.2f s\n", a[1], size / a[1], a[2]
    printf "test server %6.3f s (%7.1f MiB/s), server CPU %5.2f s\n", b[1], size / b[1], b[2]
    printf "test server/nginx: throughput %4.2fx, CPU per byte %4.2fx\n", a[1] / b[1], b[2] / (a[2] > 0 ? a[2] : 0.01) }'
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== peak RSS (VmHWM) of the test server"
start_server put "$limit"
idle=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$server_pid/status")
truncate -s $((large * 1024 * 1024)) "$work/large.bin"
put_seconds "$work/large.bin" "$(create_url)" >/dev/null
after=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$server_pid/status")
echo "after start-up: $idle   after a ${large} MiB PUT: $after"
