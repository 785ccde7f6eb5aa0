#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# A far link (issue 15, item 5), the case upload URLs exist for: the test server plays a link of
# BENCH_LINK_BYTES per second (1 Gbit/s) whose every request to an upload URL waits
# BENCH_LATENCY_MS (100 ms) before the server reads it. The same file goes up as one PUT (the
# reference), as content-range and tus uploads with chunks sized to the link (the default), and
# with fixed 8 MiB chunks (what the client did before). Prints each one's time, its requests
# with a body, and its throughput against the single PUT; the goal is at least 0.9x for the
# chunked protocols with the default. Times are the CLI's wall time, process start and /create
# included (not delayed: only upload-URL requests are). Not a test.
#   bench/farlink.sh [build dir]     (default build/release)
# Environment: BENCH_SIZE=512 (MiB), BENCH_REPEAT=1 (runs per case, the best is kept),
# BENCH_LATENCY_MS=100, BENCH_LINK_BYTES=125000000, BENCH_TMP=/dev/shm,
# BENCH_PROTOCOLS="content-range tus", BENCH_CHUNK_SIZES="8M" (the fixed sizes beside automatic),
# BENCH_CSV (optional: a file that gets a line "protocol,chunking,seconds,requests" per case).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_build "${1:-}" --cli
size=${BENCH_SIZE:-512}
repeat=${BENCH_REPEAT:-1}
latency=${BENCH_LATENCY_MS:-100}
link=${BENCH_LINK_BYTES:-125000000}
limit=$((size + 64))

work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/mu-bench.XXXXXX")
trap bench_cleanup EXIT
head -c $((size * 1024 * 1024)) /dev/urandom >"$work/file.bin"

control() { # METHOD PATH [JSON]
    local args=(-sS --fail -o /dev/null -X "$1" "$base$2")
    [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
    curl "${args[@]}"
}
# upload_requests: requests with a body to upload URLs since the server started.
upload_requests() {
    curl -sS --fail "$base/_test/requests" | python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin)["requests"]
          if r.get("path", "").startswith("/_upload/") and r.get("body_size", 0) > 0))'
}
# run_case PROTOCOL CHUNKING [CLI OPTION...]: the best of $repeat uploads; sets s and n (seconds
# and requests of the best). Runs in this shell, not a subshell: the EXIT trap must see the server
# it started, and a failed upload must end the script.
run_case() {
    local protocol=$1 best="" requests=0
    for _ in $(seq "$repeat"); do
        start_server "$protocol" "$limit" --enable-test-control
        control POST /_test/faults "[{\"latency_ms\": $latency, \"path_prefix\": \"/_upload/\"}, {\"bandwidth\": $link}]"
        local t0 t1 seconds
        t0=$(date +%s.%N)
        env XDG_CONFIG_HOME="$work/cli/config" XDG_DATA_HOME="$work/cli/data" \
            XDG_CACHE_HOME="$work/cli/cache" MATRIX_ACCESS_TOKEN=BENCHTOKEN \
            "$cli" upload --homeserver "$base" --protocol "$protocol" "${@:3}" "$work/file.bin" \
            >"$work/cli.out" 2>&1 || { echo "bench: the upload failed:" >&2; cat "$work/cli.out" >&2; exit 1; }
        t1=$(date +%s.%N)
        seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
        if [ -z "$best" ] || awk -v s="$seconds" -v b="$best" 'BEGIN { exit !(s < b) }'; then
            best=$seconds
            requests=$(upload_requests)
        fi
        stop_server
    done
    s=$best n=$requests
}

machine_line
echo "== ${size} MiB over a link of $((link * 8 / 1000000)) Mbit/s with ${latency} ms per" \
    "upload-URL request (the test server's bandwidth and latency faults), best of $repeat"
run_case put single
put_s=$s put_n=$n
printf '%-14s %-22s %7.2f s %4d requests  %6.1f MiB/s  1.00x\n' put "one request" "$put_s" \
    "$put_n" "$(awk -v s="$size" -v t="$put_s" 'BEGIN { print s / t }')"
[ -z "${BENCH_CSV:-}" ] || echo "put,single,$put_s,$put_n" >>"$BENCH_CSV"
for protocol in ${BENCH_PROTOCOLS:-content-range tus}; do
    for chunking in automatic ${BENCH_CHUNK_SIZES:-8M}; do
        options=()
        [ "$chunking" = automatic ] || { options=(--chunk-size "$chunking"); chunking=fixed-$chunking; }
        run_case "$protocol" "$chunking" ${options[@]+"${options[@]}"}
        printf '%-14s %-22s %7.2f s %4d requests  %6.1f MiB/s  %4.2fx%s\n' "$protocol" \
            "$chunking chunks" "$s" "$n" "$(awk -v z="$size" -v t="$s" 'BEGIN { print z / t }')" \
            "$(awk -v p="$put_s" -v t="$s" 'BEGIN { print p / t }')" \
            "$([ "$chunking" = automatic ] && echo ' (goal >= 0.9x)')"
        [ -z "${BENCH_CSV:-}" ] || echo "$protocol,$chunking,$s,$n" >>"$BENCH_CSV"
    done
done
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
