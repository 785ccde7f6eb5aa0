#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# The seeded chaos soak (issue 14): real uploads with matrix-uploader-cli through
# matrix-media-testserver under random faults (/_test/faults: cuts mid-body, 5xx, 429 with
# Retry-After, short Range, latency, expired upload URLs, lost answers, answers cut short, stalls
# past the CLI's inactivity timeout), random restarts of the test server (same --data folder and
# port) and random SIGKILLs of the CLI followed by `upload --resume`, across the protocols put, content-range, tus,
# async and legacy. Every file's server copy is downloaded and compared by SHA-256 with the local
# file.
#
#     scripts/soak.sh [--seed N] [--files N] [--max-size BYTES] [--cli PATH] [--testserver PATH]
#
# The programs come from MU_BUILD_DIR (default build/ci, the folder scripts/test.sh builds) unless
# --cli and --testserver name them. Every decision (file sizes and contents, protocol, faults,
# when to kill the CLI or restart the server) comes from the seed; only the timing of the machine
# is not repeatable. The last line is
#
#     soak: N files, N verified, 0 corrupt, 0 lost, 0 hung, seed S
#
# with exit status 0, or the same counts followed by the file that broke and what happened, with
# exit status 1 (the work folder is kept then; MU_INTEROP_KEEP=1 keeps it always).
# corrupt: the server's copy differs from the file; lost: the file has no complete server copy
# after the run, a --resume and one more plain upload; hung: a CLI run went past its time bound.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

seed=1
nfiles=40
max_size=$((3 * 1024 * 1024))
cli_bin=
server_bin=
usage() {
    echo "usage: $0 [--seed N] [--files N] [--max-size BYTES] [--cli PATH] [--testserver PATH]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case "$1" in
        --seed) seed=$2 ;;
        --files) nfiles=$2 ;;
        --max-size) max_size=$2 ;;
        --cli) cli_bin=$2 ;;
        --testserver) server_bin=$2 ;;
        *) usage ;;
    esac
    shift 2
done
for n in "$seed" "$nfiles" "$max_size"; do
    [[ "$n" =~ ^[0-9]+$ ]] || usage
done
[ "$nfiles" -ge 1 ] || usage
build=${MU_BUILD_DIR:-$root/build/ci}
cli_bin=${cli_bin:-$build/src/cli/matrix-uploader-cli}
server_bin=${server_bin:-$build/src/testserver/matrix-media-testserver}

set -- "$cli_bin" "$server_bin"
# shellcheck source=tests/interop/lib.sh
source "$root/tests/interop/lib.sh" "$@"
TEST_NAME=soak

# Seconds a request may stay silent before the CLI retries it: the stalls below go past it.
inactivity_s=2
inactivity_ms=$((inactivity_s * 1000))
# How long one CLI run may take before it counts as hung.
run_limit_s=${MU_SOAK_RUN_LIMIT:-150}
chunk=$((256 * 1024))

# The PRNG: bash's own, seeded once, used only in this shell (a subshell's draws would not
# advance it). rnd N sets R to a number in [0, N).
RANDOM=$seed
rnd() { R=$((((RANDOM << 15) | RANDOM) % $1)); }

started=$SECONDS
mkdir -p "$WORK/files" "$WORK/got"
SOAK_LOG=$WORK/logs/soak.log
log() { echo "$*" >>"$SOAK_LOG"; }

# The server: started on one port for the whole run, so a restart keeps the URLs the CLI holds.
SERVER_PORT=$(free_port)
server_protocol=content-range
server_starts=0
server_start() {
    local attempt line
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        server_starts=$((server_starts + 1))
        start_bg "testserver-$server_starts" "$TESTSERVER" --host 127.0.0.1 --port "$SERVER_PORT" \
            --data "$WORK/hs" --server-name localhost --user alice:secret --token "alice:$TOKEN" \
            --enable-test-control --upload-url-protocol "$server_protocol"
        HS_PID=$BG_PID
        local logf=$WORK/logs/testserver-$server_starts.log deadline=$((SECONDS + MU_INTEROP_START_TIMEOUT))
        while ! line=$(grep -m1 -E '^listening on http://' "$logf" 2>/dev/null); do
            kill -0 "$HS_PID" 2>/dev/null || break
            [ "$SECONDS" -lt "$deadline" ] || fail "the test server did not start within ${MU_INTEROP_START_TIMEOUT}s"
            sleep 0.05
        done
        if [ -n "${line:-}" ]; then
            HS=${line#listening on }
            HS=${HS%%[[:space:]]*}
            return 0
        fi
        reap_bg "$HS_PID" || true
        # The port of the stopped server may still be held for a moment.
        grep -qi 'address' "$logf" || fail "the test server exited at start-up: $(tail -n 3 "$logf")"
        sleep 0.2
    done
    fail "the test server could not listen on port $SERVER_PORT again"
}
server_restart() {
    [ -n "${1:-}" ] && server_protocol=$1
    log "  restart the test server ($server_protocol)"
    stop_bg "$HS_PID" TERM
    server_start
}
mkdir -p "$WORK/hs"
server_start
note "test server at $HS, seed $seed, $nfiles files up to $max_size bytes"

control() { # METHOD PATH [JSON]: a test-control request; fails the soak when it is refused
    local args=(-sS -f --max-time 10 -X "$1" "$HS$2")
    [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
    curl "${args[@]}" >/dev/null || fail "test control $1 $2 ${3:-} failed"
}
request_count() { # sets N to the requests the server saw since the last DELETE (0 while down)
    N=$({ curl -s --max-time 2 "$HS/_test/requests" || true; } | { grep -o '"method"' || true; } | wc -l)
}

# The files: sizes from the seed, around chunk boundaries often, a few tiny or empty.
declare -a fpath fsize
for ((i = 1; i <= nfiles; i++)); do
    rnd 100
    if [ "$R" -lt 5 ]; then
        size=0
    elif [ "$R" -lt 15 ]; then
        rnd 2000 && size=$((R + 1))
    elif [ "$R" -lt 45 ]; then
        rnd $((max_size / chunk + 1)) && size=$((R * chunk))
        rnd 5 && size=$((size + R - 2))
        [ "$size" -ge 0 ] || size=0
    else
        rnd $((max_size + 1)) && size=$R
    fi
    [ "$size" -le "$max_size" ] || size=$max_size
    fpath[i]=$(printf '%s/files/f%04d.bin' "$WORK" "$i")
    fsize[i]=$size
done
# Contents: python's PRNG seeded from the soak's seed and the file's number.
python3 - "$seed" "$WORK/files" "${fsize[@]:1}" <<'PY'
import random, sys
seed, folder, sizes = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
for i, size in enumerate(sizes, start=1):
    with open(f"{folder}/f{i:04d}.bin", "wb") as f:
        f.write(random.Random(seed * 1000003 + i).randbytes(int(size)))
PY

declare -A uri_of=() error_of=()
verified=0 corrupt=0 lost=0 hung=0 done_files=0
kills=0 nfaults_total=0 cli_failures=0
report_and_exit() { # FILE-INDEX WHAT: the failure line, then exit 1 (the work folder is kept)
    local i=$1 what=$2
    log "FAILED: $what"
    echo "----- the round that broke (logs/soak.log) -----" >&2
    awk '/^round /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$SOAK_LOG" >&2
    export MU_INTEROP_KEEP=1
    echo "soak: $done_files files, $verified verified, $corrupt corrupt, $lost lost, $hung hung, seed $seed: file $(basename "${fpath[i]}") (${fsize[i]} bytes, round $round, protocol $protocol): $what"
    exit 1
}

# run_cli NAME KILL_AT RESTART_AT ARGS...: runs `upload ARGS` and waits for its end; at the
# KILL_AT-th request the server saw (0: never) the CLI gets SIGKILL, at the RESTART_AT-th the
# server restarts. Sets RUN_KILLED and RUN_HUNG, and takes the JSON lines into uri_of/error_of.
run_cli() {
    local name=$1 kill_at=$2 restart_at=$3
    shift 3
    RUN_KILLED=0 RUN_HUNG=0
    cli_bg "$name" upload --homeserver "$HS" --json --inactivity-timeout "$inactivity_s" "$@"
    local pid=$BG_PID deadline=$((SECONDS + run_limit_s))
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$kill_at" -gt 0 ] || [ "$restart_at" -gt 0 ]; then
            request_count
            if [ "$restart_at" -gt 0 ] && [ "$N" -ge "$restart_at" ]; then
                restart_at=0
                log "  server restart at request $N"
                server_restart
            elif [ "$kill_at" -gt 0 ] && [ "$N" -ge "$kill_at" ]; then
                log "  SIGKILL of the CLI at request $N"
                kill -KILL "$pid" 2>/dev/null || true
                RUN_KILLED=1
                kills=$((kills + 1))
                break
            fi
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "  the CLI ($name) still runs after ${run_limit_s}s: hung"
            kill -KILL "$pid" 2>/dev/null || true
            RUN_HUNG=1
            break
        fi
        sleep 0.05
    done
    local status=0
    reap_bg "$pid" || status=$?
    log "  $name: exit status $status"
    local file state uri error
    while IFS=$'\t' read -r file state uri error; do
        log "    $file: $state $uri $error"
        if [ "$state" = completed ] && [ -n "$uri" ]; then
            uri_of[$file]=$uri
        else
            error_of[$file]="$state: $error"
            if [ "$state" = failed ]; then
                # The CLI gave up on a file under a few faults: worth a look even when the next
                # try gets it through.
                cli_failures=$((cli_failures + 1))
                note "round $round: the CLI failed $(basename "$file"): $error"
            fi
        fi
    done < <(python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line:
        continue
    try:
        o = json.loads(line)
    except ValueError:  # cut off by a SIGKILL
        continue
    print("\t".join((o.get("path") or "", o.get("state") or "", o.get("content_uri") or "",
                     (o.get("error") or "").replace("\t", " ").replace("\n", " "))))' "$WORK/$name.out")
}

fault_json() { # PROTOCOL: one random fault for a round over PROTOCOL, in F
    local proto=$1 up route prefixes
    case "$proto" in
        put | content-range | tus) up=/_upload/ route=upload_url ;;
        async) up=/_matrix/media/v3/upload/ route=upload ;;
        *) up=/_matrix/media/v3/upload route=upload ;;
    esac
    prefixes=("$up" /_matrix/media/v1/create /_matrix/media/v1/upload/ /_matrix/client/v1/media/download/)
    local routes=("$route" "$route" create complete download)
    rnd 10
    case "$R" in
        0) rnd 200000 && F="{\"drop_after_bytes\": $((R + 1)), \"times\": 1, \"path_prefix\": \"$up\"}" ;;
        1)
            local statuses=(500 502 503 504)
            rnd 4 && local s=${statuses[R]}
            rnd 5 && local rc=${routes[R]}
            rnd 2 && F="{\"status\": $s, \"route\": \"$rc\", \"times\": $((R + 1))}"
            ;;
        2) rnd 5 && F="{\"status\": 429, \"retry_after\": 1, \"route\": \"${routes[R]}\", \"times\": 1}" ;;
        3) rnd 100000 && F="{\"short_range\": $((R + 1)), \"times\": 1}" ;;
        4)
            rnd 350 && local ms=$((R + 50))
            rnd 8 && F="{\"latency_ms\": $ms, \"times\": $((R + 2))}"
            ;;
        5) rnd 300 && F="{\"upload_url_expires_in_ms\": $R, \"times\": 1}" ;;
        6)
            # On the upload path, half of them skip status queries and hold a request with bytes.
            rnd 4 && local p=${prefixes[R]}
            rnd 2 && [ "$p" = "$up" ] || R=0
            F="{\"hold_answer\": true, \"times\": 1, \"path_prefix\": \"$p\", \"min_body\": $R}"
            ;;
        7) rnd 3 && F="{\"latency_ms\": $((inactivity_ms + 1000)), \"times\": 1, \"path_prefix\": \"${prefixes[R]}\"}" ;;
        8)
            # A short answer after the server did the work: the head cut, or the body.
            rnd 400 && local n=$((R + 1))
            rnd 4 && F="{\"cut_after_bytes\": $n, \"times\": 1, \"path_prefix\": \"${prefixes[R]}\"}"
            ;;
        *)
            rnd 2 && F="{\"drop_answer\": true, \"times\": 1, \"path_prefix\": \"${prefixes[R * 2]}\"}"
            ;;
    esac
}

protocols=(put content-range tus async legacy)
round=0
protocol=
next=1
while [ "$next" -le "$nfiles" ]; do
    round=$((round + 1))
    rnd 3 && k=$((R + 1))
    [ $((next + k - 1)) -le "$nfiles" ] || k=$((nfiles - next + 1))
    rnd 5 && protocol=${protocols[R]}
    files=()
    idx=()
    for ((i = next; i < next + k; i++)); do
        files+=("${fpath[i]}")
        idx+=("$i")
    done
    next=$((next + k))
    log "round $round: protocol $protocol, files $(for i in "${idx[@]}"; do printf '%s(%s) ' "$(basename "${fpath[i]}")" "${fsize[i]}"; done)"

    # The server speaks the URL protocol asked for; sometimes it restarts for no reason.
    rnd 100
    if [[ "$protocol" =~ ^(put|content-range|tus)$ ]] && [ "$protocol" != "$server_protocol" ]; then
        server_restart "$protocol"
    elif [ "$R" -lt 5 ]; then
        server_restart
    fi
    control DELETE /_test/faults
    control DELETE /_test/requests
    rnd 4 && nfaults=$R
    faults=
    for ((f = 0; f < nfaults; f++)); do
        fault_json "$protocol"
        faults+=${faults:+, }$F
        nfaults_total=$((nfaults_total + 1))
    done
    [ -z "$faults" ] || control POST /_test/faults "[$faults]"
    log "  faults: [${faults}]"

    opts=(--protocol "$protocol" --chunk-size 256K --parallel 2)
    rnd 2 && [ "$R" -eq 0 ] && opts+=(--verify)
    # Requests 1-4 are the CLI's discovery (.well-known, versions twice, media config).
    rnd 100 && kill_at=0 && [ "$R" -lt 30 ] && rnd 12 && kill_at=$((R + 4))
    rnd 100 && restart_at=0 && [ "$R" -lt 12 ] && rnd 12 && restart_at=$((R + 4))
    log "  options: ${opts[*]}; kill at request $kill_at, restart at request $restart_at"

    run_cli "round$round" "$kill_at" "$restart_at" "${opts[@]}" "${files[@]}"
    if [ "$RUN_HUNG" -eq 1 ]; then
        hung=$((hung + 1))
        report_and_exit "${idx[0]}" "the CLI did not end within ${run_limit_s}s (hung)"
    fi
    if [ "$RUN_KILLED" -eq 1 ]; then
        # What a user does after a crash.
        run_cli "round$round-resume" 0 0 "${opts[@]}" --resume
        if [ "$RUN_HUNG" -eq 1 ]; then
            hung=$((hung + 1))
            report_and_exit "${idx[0]}" "the CLI's --resume did not end within ${run_limit_s}s (hung)"
        fi
    fi
    # Files the killed run never created (no resume record) or that a fault failed for good:
    # uploaded once more, as a user would.
    again=()
    for f in "${files[@]}"; do
        [ -n "${uri_of[$f]:-}" ] || again+=("$f")
    done
    if [ "${#again[@]}" -gt 0 ]; then
        run_cli "round$round-again" 0 0 "${opts[@]}" "${again[@]}"
        [ "$RUN_HUNG" -eq 0 ] || {
            hung=$((hung + 1))
            report_and_exit "${idx[0]}" "the CLI did not end within ${run_limit_s}s (hung)"
        }
    fi

    # Every file's server copy, compared with the file.
    control DELETE /_test/faults
    for i in "${idx[@]}"; do
        f=${fpath[i]}
        done_files=$((done_files + 1))
        uri=${uri_of[$f]:-}
        if [ -z "$uri" ]; then
            lost=$((lost + 1))
            report_and_exit "$i" "never completed (${error_of[$f]:-no result line})"
        fi
        got=$WORK/got/$(basename "$f")
        : >"$got" # curl writes no file for an empty body
        if ! curl -sS -f --max-time 60 -H "Authorization: Bearer $TOKEN" -o "$got" \
            "$HS/_matrix/client/v1/media/download/${uri#mxc://}?timeout_ms=1000" 2>>"$SOAK_LOG"; then
            lost=$((lost + 1))
            report_and_exit "$i" "reported completed as $uri, but the server has no copy"
        fi
        if [ "$(sha256_of "$got")" != "$(sha256_of "$f")" ]; then
            corrupt=$((corrupt + 1))
            report_and_exit "$i" "the server's copy of $uri differs (SHA-256 $(sha256_of "$got"), file $(sha256_of "$f"))"
        fi
        verified=$((verified + 1))
        rm -f "$got"
    done
    note "round $round ($protocol): $done_files of $nfiles files verified ($((SECONDS - started))s)"
done

# Every upload ended: no resume record may be left behind.
run_cli "final-resume" 0 0 --resume
if [ "$RUN_HUNG" -eq 1 ]; then
    hung=$((hung + 1))
    report_and_exit "$nfiles" "the final --resume did not end within ${run_limit_s}s (hung)"
fi
leftover=$(grep -c . "$WORK/final-resume.out" || true)
if [ "$leftover" -ne 0 ]; then
    report_and_exit "$nfiles" "$leftover resume records were left after every upload ended: $(head -c 300 "$WORK/final-resume.out")"
fi
note "$round rounds, $nfaults_total faults, $kills SIGKILLs of the CLI, $cli_failures files the CLI gave up on (then uploaded again), $((server_starts - 1)) server restarts, $((SECONDS - started))s"
echo "soak: $done_files files, $verified verified, $corrupt corrupt, $lost lost, $hung hung, seed $seed"
