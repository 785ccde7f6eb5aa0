#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Every benchmark in one run (issue 15, item 6): runs the bench scripts one after the other,
# prints a table of the ratios against their references (curl, nginx, a single PUT, plain
# uploads, QCryptographicHash), and writes into docs/bench/ (or BENCH_OUT):
#   results.md              the table, with the date, the machine and the load
#   throughput-by-size.png  curl -T and the CLI, PUT to nginx, against the file size
#   throughput-by-chunk.png content-range over a far link against the chunk size, with the
#                           automatic sizing and a single PUT for comparison
#   all.log                 every script's whole output
# Not a test: run it on a quiet machine (other builds running halve some figures).
#   bench/all.sh [build dir]     (default build/release; needs gnuplot, scripts/install-deps.sh)
# Environment: BENCH_QUICK=1 runs smaller sizes (a few minutes less, noisier figures);
# BENCH_OUT=DIR writes elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
out=${BENCH_OUT:-docs/bench}
command -v gnuplot >/dev/null || { echo "bench: gnuplot is missing (scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$out"
log=$out/all.log
csv_dir=$(mktemp -d)
trap 'rm -rf "$csv_dir"' EXIT
: >"$log"

if [ -n "${BENCH_QUICK:-}" ]; then
    big=128 large=512 far=128 files=2000 rows=2000 sizes="4 16 64" chunks="1M 4M 16M 64M"
else
    # From 4 MiB: nginx times requests in milliseconds.
    big=512 large=2048 far=512 files=10000 rows=10000 sizes="4 16 64 256 1024"
    chunks="1M 4M 16M 64M 256M"
fi

# run NAME COMMAND...: the command's output goes to the log (and the terminal's stderr).
run() {
    echo "== bench/all.sh: $1" | tee -a "$log" >&2
    shift
    "$@" 2>&1 | tee -a "$log" >&2
}
# pick REGEX: the last line of the last step's output matching REGEX.
pick() { grep -E "$1" "$log" | tail -n1; }

start=$(date +%s)
run "client against curl, PUT to nginx" env BENCH_SIZE="$big" bench/client.sh "$build"
client_line=$(pick '^client/curl:')
run "test server against nginx" env BENCH_SIZE="$big" BENCH_LARGE="$large" bench/testserver.sh "$build"
server_line=$(pick '^test server/nginx:')
run "encrypted against plain, peak RSS" env BENCH_SMALL="$big" BENCH_LARGE="$large" bench/run.sh "$build"
enc_line=$(pick 'encrypted/plain throughput')
range_line=$(pick '^content-range +curl -T')
checked_line=$(pick 'cli/\(curl \+ sha256\) throughput')
range_cpu_line=$(pick 'cli/\(curl \+ sha256\) CPU')
nocheck_line=$(pick 'cli --no-hash-check/curl throughput')
rss_lines=$(grep -E 'MiB file(, encrypted)?: peak RSS' "$log" | paste -s -d ';' | sed 's/;/; /g')
run "far link: chunked against one PUT" env BENCH_SIZE="$far" BENCH_CHUNK_SIZES=8M bench/farlink.sh "$build"
far_cr=$(grep -E '^content-range +automatic' "$log" | tail -n1)
far_tus=$(grep -E '^tus +automatic' "$log" | tail -n1)
far_fixed=$(grep -E '^content-range +fixed-8M' "$log" | tail -n1)
run "many small files against curl --parallel" env BENCH_FILES="$files" bench/manyfiles.sh "$build"
files_line=$(pick '^cli/curl: files per second')
files_complete_line=$(pick '^cli/curl with complete: files per second')
run "hashing: OpenSSL against QCryptographicHash" bench/hashing.sh
hash_line=$(pick 'OpenSSL EVP')
run "the Widgets manager with many rows" env BENCH_ROWS="$rows" bench/manyrows.sh "$build"
paint_line=$(pick '^paint')
late_line=$(pick 'late|lateness' || true)

# Sweeps for the plots.
for size in $sizes; do
    run "size sweep: $size MiB" env BENCH_SIZE="$size" BENCH_REPEAT=2 bench/client.sh "$build"
    c=$(grep -E '^curl ' "$log" | tail -n1 | sed -E 's/.*\( *([0-9.]+) MiB\/s\).*/\1/')
    m=$(grep -E '^matrix-uploader-cli ' "$log" | tail -n1 | sed -E 's/.*\( *([0-9.]+) MiB\/s\).*/\1/')
    echo "$size $c $m" >>"$csv_dir/size.dat"
done
: >"$csv_dir/far.csv"
run "chunk sweep over the far link" env BENCH_SIZE=$((far / 2)) BENCH_PROTOCOLS=content-range \
    BENCH_CHUNK_SIZES="$chunks" BENCH_CSV="$csv_dir/far.csv" bench/farlink.sh "$build"

# ratio LINE: the first "N.NNx" in LINE; far_ratio LINE: farlink.sh's ratio, after the MiB/s.
ratio() { grep -oE '[0-9]+\.[0-9]{2}x' <<<"$1" | head -n1; }
second_ratio() { grep -oE '[0-9]+\.[0-9]{2}x' <<<"$1" | sed -n 2p; }
# nocheck_cpu LINE: the CPU ratio of the CLI with --no-hash-check in run.sh's CPU line.
nocheck_cpu() { grep -oE 'no-hash-check/curl CPU [0-9]+\.[0-9]{2}x' <<<"$1" | grep -oE '[0-9.]+x'; }
far_ratio() { grep -oE 'MiB/s +[0-9]+\.[0-9]{2}x' <<<"$1" | grep -oE '[0-9.]+x'; }
machine="$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
{
    echo "<!-- SPDX-FileCopyrightText: 2026 Matrix Uploader contributors -->"
    echo "<!-- SPDX-License-Identifier: MIT -->"
    echo
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/all.sh\` on $machine, in $(( $(date +%s) - start )) s;" \
        "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). The whole output is in"
    echo "\`all.log\` beside this file; bench/README.md says what each script measures."
    echo
    echo "| What | Reference | Ratio | Goal |"
    echo "|---|---|---|---|"
    echo "| CLI PUT of $big MiB to nginx: throughput | curl -T | $(ratio "$client_line") | >= 0.9x |"
    echo "| the same: CPU per byte | curl -T | $(second_ratio "$client_line") | <= 1.2x |"
    echo "| CLI content-range upload of $big MiB to the test server, the whole run, \`--no-hash-check\` (curl's work) | one curl -T with Content-Range | $(ratio "$nocheck_line") | >= 0.9x |"
    echo "| the same: CPU (user + system) | curl -T | $(nocheck_cpu "$range_cpu_line") | <= 1.2x |"
    echo "| the same upload checking the host's sha256 (the default) | that curl -T and openssl dgst -sha256 of the file at once | $(ratio "$checked_line") | >= 0.9x |"
    echo "| the same: CPU | curl -T and openssl dgst -sha256 | $(second_ratio "$range_cpu_line") | <= 1.2x |"
    echo "| the default (with the check) | curl -T alone | $(ratio "$range_line") | |"
    echo "| the same: CPU | curl -T alone | $(ratio "$range_cpu_line") | |"
    echo "| test server, curl -T of $big MiB | nginx | $(ratio "$server_line") | >= 0.5x |"
    echo "| encrypted upload, $big MiB content-range | plain upload | $(ratio "$enc_line") | >= 0.8x |"
    echo "| far link (1 Gbit/s, 100 ms), content-range $far MiB, automatic chunks | one PUT | $(far_ratio "$far_cr") | >= 0.9x |"
    echo "| the same, tus | one PUT | $(far_ratio "$far_tus") | >= 0.9x |"
    echo "| the same, content-range with fixed 8 MiB chunks | one PUT | $(far_ratio "$far_fixed") | (before) |"
    echo "| $files files of 1-64 KiB, 8 at a time: files per second | curl --parallel (create, PUT) | $(ratio "$files_line") | |"
    echo "| the same | curl --parallel (create, PUT, complete) | $(ratio "$files_complete_line") | |"
    echo "| SHA-256 (Core and the test server use OpenSSL) | QCryptographicHash | $(python3 -c 'import re,sys; m=re.findall(r"([0-9.]+) MiB/s", sys.argv[1]); print(f"{float(m[1])/float(m[0]):.2f}x" if len(m) == 2 else "?")' "$hash_line") | |"
    echo
    echo "Memory: $rss_lines. Widgets manager with $rows rows: $paint_line${late_line:+; $late_line}."
    echo
    echo "![Throughput against file size](throughput-by-size.png)"
    echo "![Throughput against chunk size over a far link](throughput-by-chunk.png)"
} >"$out/results.md"

gnuplot <<GP
set terminal pngcairo size 900,520 font "DejaVu Sans,10"
set output "$out/throughput-by-size.png"
set title "PUT to nginx (tmpfs) over loopback, best of 2\n$machine" noenhanced
set xlabel "file size (MiB)"
set ylabel "MiB/s (nginx's request time)"
set logscale x 2
set yrange [0:*]
set key bottom right
set grid
plot "$csv_dir/size.dat" using 1:2 with linespoints title "curl -T", \
     "$csv_dir/size.dat" using 1:3 with linespoints title "matrix-uploader-cli"
GP

# far.csv: protocol,chunking,seconds,requests; chunking is single, automatic or fixed-SIZE.
awk -F, -v size=$((far / 2)) '
    $2 ~ /^fixed-/ { print substr($2, 7) + 0, size / $3 > "'"$csv_dir"'/fixed.dat" }
    $2 == "automatic" { print size / $3 > "'"$csv_dir"'/auto.dat" }
    $2 == "single" { print size / $3 > "'"$csv_dir"'/single.dat" }' "$csv_dir/far.csv"
auto=$(cat "$csv_dir/auto.dat")
single=$(cat "$csv_dir/single.dat")
gnuplot <<GP
set terminal pngcairo size 900,520 font "DejaVu Sans,10"
set output "$out/throughput-by-chunk.png"
set title "content-range, $((far / 2)) MiB over a far link (test server: 1 Gbit/s, 100 ms per request)\n$machine" noenhanced
set xlabel "fixed chunk size (MiB)"
set ylabel "MiB/s (CLI wall time)"
set logscale x 2
set yrange [0:*]
set key bottom right
set grid
plot "$csv_dir/fixed.dat" using 1:2 with linespoints title "fixed chunks", \
     $auto with lines dashtype 2 title "automatic chunk size", \
     $single with lines dashtype 3 title "one PUT"
GP
cat "$out/results.md"
echo "bench/all.sh: wrote $out/results.md, $out/throughput-by-size.png, $out/throughput-by-chunk.png"
