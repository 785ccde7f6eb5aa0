#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# Benchmarks of matrix-uploader-cli against curl on loopback, in one run against the same test
# server, and of encrypted against plain uploads. Not a test: it prints figures and ratios; the goals are in bench/README.md.
#   bench/run.sh [build dir]      (default build/release; run scripts/demo.sh or build.sh first)
# Environment: BENCH_SMALL=256 (MiB, the throughput file), BENCH_LARGE=2048 (MiB, RSS only),
# BENCH_REPEAT=3 (runs per figure, the best is kept), BENCH_TMP=/dev/shm (tmpfs for the files and
# the server's data: on this machine's disk, writeback throttled the third 512 MiB upload to a
# third of its speed).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_build "${1:-}" --cli
need_files "Debian package time" /usr/bin/time
small=${BENCH_SMALL:-256}
large=${BENCH_LARGE:-2048}
repeat=${BENCH_REPEAT:-3}

work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/mu-bench.XXXXXX")
trap 'stop_server; rm -rf "$work"' EXIT

# Wall-clock seconds from bash itself: no process start-up inside a timed span.
seconds() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.6f\n", b - a }'; }

# The throughput file: random bytes. The RSS file: sparse, so making it costs nothing.
head -c $((small * 1024 * 1024)) /dev/urandom >"$work/small.bin"
truncate -s $((large * 1024 * 1024)) "$work/large.bin"
export MATRIX_ACCESS_TOKEN=BENCHTOKEN XDG_DATA_HOME="$work/xdg" XDG_CONFIG_HOME="$work/xdg"

# timed_cpu FILE COMMAND...: runs COMMAND, writing its CPU seconds (user, system) to FILE;
# cpu_of FILE...: the sum of those seconds over the FILEs.
timed_cpu() {
    local out=$1
    shift
    /usr/bin/time -f '%U %S' -o "$out" "$@"
}
cpu_of() { cat "$@" | awk '{ s += $1 + $2 } END { printf "%.2f\n", s }'; }

# forget_media: removes the bytes the test server holds, so that every upload starts with the
# same memory in use (on this virtual machine, uploads that ran while earlier ones still filled
# the tmpfs took up to twice as long).
forget_media() { rm -f "$work"/data/media/*.bin; }

echo "== throughput, ${small} MiB over loopback, best of $repeat (curl $(curl --version | head -n1 | cut -d' ' -f2), $(openssl version | cut -d' ' -f1-2))"
for protocol in put content-range; do
    start_server "$protocol" $((small + 64))
    curl_times=() checked_times=() cli_times=() curl_cpu=() checked_cpu=() cli_cpu=()
    nocheck_times=() nocheck_cpu=()
    for round in $(seq "$repeat"); do
        extra=()
        [ "$protocol" = content-range ] && extra=(-H "Content-Range: bytes 0-$((small * 1024 * 1024 - 1))/$((small * 1024 * 1024))")
        url=$(create_url)
        t0=$(seconds)
        timed_cpu "$work/cpu.curl" curl -sS -o /dev/null -T "$work/small.bin" -H 'Expect:' "${extra[@]}" "$url"
        curl_times+=("$(since "$t0")")
        curl_cpu+=("$(cpu_of "$work/cpu.curl")")
        forget_media
        if [ "$protocol" = content-range ]; then
            # The same work as the CLI's: its check of the host's sha256 hashes the file too.
            url=$(create_url)
            t0=$(seconds)
            timed_cpu "$work/cpu.curl" curl -sS -o /dev/null -T "$work/small.bin" -H 'Expect:' "${extra[@]}" "$url" &
            timed_cpu "$work/cpu.sha" openssl dgst -sha256 "$work/small.bin" >/dev/null
            wait $!
            checked_times+=("$(since "$t0")")
            checked_cpu+=("$(cpu_of "$work/cpu.curl" "$work/cpu.sha")")
            forget_media
        fi
        # The CLI as it is and, for content-range, without its check of the host's sha256 (the
        # same work as curl's), in turns: either may go first.
        variants=(default)
        [ "$protocol" = content-range ] && variants=(default no-hash-check)
        [ $((round % 2)) = 0 ] && [ ${#variants[@]} = 2 ] && variants=(no-hash-check default)
        for variant in "${variants[@]}"; do
            flags=()
            [ "$variant" = no-hash-check ] && flags=(--no-hash-check)
            t0=$(seconds)
            timed_cpu "$work/cpu.cli" "$cli" upload "${flags[@]}" --homeserver "$base" "$work/small.bin" >/dev/null
            if [ "$variant" = default ]; then
                cli_times+=("$(since "$t0")")
                cli_cpu+=("$(cpu_of "$work/cpu.cli")")
            else
                nocheck_times+=("$(since "$t0")")
                nocheck_cpu+=("$(cpu_of "$work/cpu.cli")")
            fi
            forget_media
        done
    done
    c=$(printf '%s\n' "${curl_times[@]}" | best)
    m=$(printf '%s\n' "${cli_times[@]}" | best)
    python3 - "$protocol" "$c" "$m" "$small" <<'PY'
import sys
protocol, c, m, size = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"{protocol:14} curl -T {c:6.2f} s ({size / c:7.1f} MiB/s)   cli {m:6.2f} s ({size / m:7.1f} MiB/s)"
      f"   cli/curl throughput {c / m:4.2f}x")
PY
    if [ ${#checked_times[@]} -gt 0 ]; then
        k=$(printf '%s\n' "${checked_times[@]}" | best)
        python3 - "$k" "$m" "$small" <<'PY'
import sys
k, m, size = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"{'':14} curl -T with openssl dgst -sha256 of the file beside it {k:6.2f} s ({size / k:7.1f} MiB/s)"
      f"   cli/(curl + sha256) throughput {k / m:4.2f}x")
PY
        n=$(printf '%s\n' "${nocheck_times[@]}" | best)
        python3 - "$c" "$n" "$small" <<'PY'
import sys
c, n, size = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"{'':14} cli --no-hash-check {n:6.2f} s ({size / n:7.1f} MiB/s)   cli --no-hash-check/curl throughput {c / n:4.2f}x")
PY
    fi
    cc=$(printf '%s\n' "${curl_cpu[@]}" | best)
    mc=$(printf '%s\n' "${cli_cpu[@]}" | best)
    kc=$(printf '%s\n' "${checked_cpu[@]:-0}" | best)
    nc=$(printf '%s\n' "${nocheck_cpu[@]:-0}" | best)
    python3 - "$cc" "$mc" "$kc" "$nc" <<'PY'
import sys
cc, mc, kc, nc = (float(a) for a in sys.argv[1:])
line = f"{'':14} CPU (user + system), the least of each: curl {cc:4.2f} s, cli {mc:4.2f} s: cli/curl CPU {mc / max(cc, 0.01):4.2f}x"
if kc > 0:
    line += f"; curl + sha256 {kc:4.2f} s: cli/(curl + sha256) CPU {mc / kc:4.2f}x"
if nc > 0:
    line += f"; cli --no-hash-check {nc:4.2f} s: cli --no-hash-check/curl CPU {nc / max(cc, 0.01):4.2f}x"
print(line)
PY
done

# Encrypted uploads (issue 13) need no keychain here: a bus address that leads nowhere keeps the
# user's keyring out of it (the CLI notes that such an upload cannot resume after a restart).
encrypted_cli() { DBUS_SESSION_BUS_ADDRESS=unix:path="$work/no-bus" "$cli" "$@" 2>>"$work/encrypted.err"; }

echo "== encrypted (AES-256-CTR + SHA-256 of the ciphertext) against plain, ${small} MiB, content-range, best of $repeat"
start_server content-range $((small + 64))
plain_times=() enc_times=()
for _ in $(seq "$repeat"); do
    t0=$(seconds)
    "$cli" upload --homeserver "$base" "$work/small.bin" >/dev/null
    plain_times+=("$(since "$t0")")
    forget_media
    t0=$(seconds)
    encrypted_cli upload --encrypt --homeserver "$base" "$work/small.bin" >/dev/null
    enc_times+=("$(since "$t0")")
    forget_media
done
p=$(printf '%s\n' "${plain_times[@]}" | best)
e=$(printf '%s\n' "${enc_times[@]}" | best)
python3 - "$p" "$e" "$small" <<'PY'
import sys
p, e, size = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"plain {p:6.2f} s ({size / p:7.1f} MiB/s)   encrypted {e:6.2f} s ({size / e:7.1f} MiB/s)"
      f"   encrypted/plain throughput {p / e:4.2f}x")
PY

echo "== peak RSS of the CLI (content-range, automatic chunks)"
start_server content-range $((small + 64))
for f in small large; do
    size=$(stat -c %s "$work/$f.bin")
    /usr/bin/time -f '%M' -o "$work/rss" "$cli" upload --homeserver "$base" "$work/$f.bin" >/dev/null
    echo "$(( size / 1024 / 1024 )) MiB file: peak RSS $(( $(cat "$work/rss") / 1024 )) MiB"
    forget_media
done
size=$(stat -c %s "$work/large.bin")
/usr/bin/time -f '%M' -o "$work/rss" \
    env DBUS_SESSION_BUS_ADDRESS=unix:path="$work/no-bus" \
    "$cli" upload --encrypt --homeserver "$base" "$work/large.bin" >/dev/null 2>>"$work/encrypted.err"
echo "$(( size / 1024 / 1024 )) MiB file, encrypted: peak RSS $(( $(cat "$work/rss") / 1024 )) MiB"
