#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Many small files (issue 15, item 4): BENCH_FILES files of 1-64 KiB uploaded at once by
# `matrix-uploader-cli upload --parallel 8` and, as the reference, by curl (for each file a
# /create and a PUT to its upload URL, eight transfers at a time: `curl --parallel`; then also the
# `complete` that MSC3870 asks for and the CLI sends), against one test server with `put` upload
# URLs, in one run. Prints files per second of each and the ratios. Not a test.
#   bench/manyfiles.sh [build dir]     (default build/release)
# Environment: BENCH_FILES=10000, BENCH_TMP=/dev/shm.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_build "${1:-}" --cli
files=${BENCH_FILES:-10000}
work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/mu-bench.XXXXXX")
trap bench_cleanup EXIT

small_files "$work/files" "$files"
total_kib=$(du -sk "$work/files" | cut -f1)

now() { date +%s.%N; }
machine_line
echo "== $files files of 1-64 KiB ($((total_kib / 1024)) MiB on disk), put upload URLs, 8 at a time"

start_server put 64
# The curl way, in two curl processes (no process per file): every /create, then every PUT to
# the upload URL each answer names, eight transfers at a time, over reused connections.
mkdir -p "$work/create"
python3 - "$work" "$base" "$files" <<'PY'
import os, sys
work, base, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(os.path.join(work, "create.cfg"), "w") as cfg:
    cfg.write("next\n".join(
        f'url = "{base}/_matrix/media/v1/create"\nrequest = "POST"\n'
        f'header = "Authorization: Bearer BENCHTOKEN"\ndata = "{{}}"\n'
        f'output = "{work}/create/{i:05d}.json"\n' for i in range(count)))
PY
put_config() {
    python3 - "$work" "$files" <<'PY'
import json, os, sys
work, count = sys.argv[1], int(sys.argv[2])
def put(i):
    with open(os.path.join(work, "create", f"{i:05d}.json")) as answer:
        url = json.load(answer)["upload_url"]
    return (f'url = "{url}"\nupload-file = "{work}/files/f{i:05d}.bin"\n'
            f'header = "Expect:"\noutput = "/dev/null"\nwrite-out = "%{{http_code}}\\n"\n')
with open(os.path.join(work, "put.cfg"), "w") as cfg:
    cfg.write("next\n".join(put(i) for i in range(count)))
PY
}
# Only curl's two runs are timed, not the making of the second one's list.
t0=$(now)
# (curl draws its parallel progress meter despite -s: its stderr goes to a file.)
curl -sS --fail --parallel --parallel-max 8 -K "$work/create.cfg" 2>"$work/curl.err" \
    || { cat "$work/curl.err" >&2; exit 1; }
t1=$(now)
put_config
t2=$(now)
curl -sS --parallel --parallel-max 8 -K "$work/put.cfg" >"$work/put.codes" 2>"$work/curl.err"
t3=$(now)
curl_s=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN { printf "%.2f", (b - a) + (d - c) }')
stored=$(grep -c '^20[01]$' "$work/put.codes" || true)
# The third request MSC3870 asks for, which the CLI sends (protocol.md 4.6): complete, for the
# same work on both sides.
python3 - "$work" "$base" "$files" <<'PY'
import json, os, sys
work, base, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
def complete(i):
    with open(os.path.join(work, "create", f"{i:05d}.json")) as answer:
        server, media = json.load(answer)["content_uri"][len("mxc://"):].split("/", 1)
    return (f'url = "{base}/_matrix/media/v1/upload/{server}/{media}/complete"\nrequest = "POST"\n'
            f'header = "Authorization: Bearer BENCHTOKEN"\ndata = "{{}}"\noutput = "/dev/null"\n'
            f'write-out = "%{{http_code}}\\n"\n')
with open(os.path.join(work, "complete.cfg"), "w") as cfg:
    cfg.write("next\n".join(complete(i) for i in range(count)))
PY
t4=$(now)
curl -sS --parallel --parallel-max 8 -K "$work/complete.cfg" >"$work/complete.codes" 2>"$work/curl.err"
complete_s=$(awk -v s="$curl_s" -v a="$t4" -v b="$(now)" 'BEGIN { printf "%.2f", s + (b - a) }')
completed=$(grep -c '^200$' "$work/complete.codes" || true)

start_server put 64
t0=$(now)
XDG_CONFIG_HOME="$work/cli/config" XDG_DATA_HOME="$work/cli/data" MATRIX_ACCESS_TOKEN=BENCHTOKEN \
    "$cli" upload --homeserver "$base" --parallel 8 "$work"/files/*.bin >"$work/cli.out"
cli_s=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
uploaded=$(grep -c '^mxc://' "$work/cli.out" || true)
if [ "$stored" -ne "$files" ] || [ "$completed" -ne "$files" ] || [ "$uploaded" -ne "$files" ]; then
    echo "bench: not every file arrived (curl $stored, completed $completed, CLI $uploaded of $files): no figures" >&2
    exit 1
fi

awk -v c="$curl_s" -v k="$complete_s" -v m="$cli_s" -v n="$files" -v cs="$stored" -v mu="$uploaded" 'BEGIN {
    printf "curl --parallel-max 8     %7.2f s %7.1f files/s (%d stored; create and PUT)\n", c, n / c, cs
    printf "  with complete           %7.2f s %7.1f files/s (create, PUT and complete)\n", k, n / k
    printf "matrix-uploader-cli -P 8  %7.2f s %7.1f files/s (%d uploaded)\n", m, n / m, mu
    printf "cli/curl: files per second %4.2fx\n", c / m
    printf "cli/curl with complete: files per second %4.2fx\n", k / m }'
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
