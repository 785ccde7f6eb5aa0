#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
# SPDX-License-Identifier: MIT
# A single-node Ceph with the RADOS Gateway (S3) on 127.0.0.1, for the interop tests: one
# monitor, one memstore OSD (data in RAM), one radosgw with the beast frontend, and an S3 user
# with known keys. Everything lives in the folder given as argument (tests/interop/README.md).
#
#   ceph.sh start DIR [RGW_PORT]   start (DIR must not exist or be empty); prints the env lines
#   ceph.sh env DIR                S3_ENDPOINT=..., S3_ACCESS_KEY=..., S3_SECRET_KEY=..., S3_REGION=...
#   ceph.sh stop DIR               stop the daemons started by `start DIR` and remove DIR
#
# Needs the Debian packages radosgw ceph-mon ceph-osd (no ceph-mgr). Start-up takes ~15 s.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR [RGW_PORT] | env DIR | stop DIR" >&2
    exit 2
}
[[ $# -ge 2 ]] || usage
cmd=$1
dir=$2

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Runs "$@" until it succeeds, at most $1 times, 0.25 s apart (a bounded readiness poll).
poll() {
    local tries=$1
    shift
    local i
    for ((i = 0; i < tries; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    return 1
}

# Starts a daemon in the foreground of a background job and records its PID for stop.
daemon() {
    local name=$1
    shift
    "$@" >>"$dir/log/$name.out" 2>&1 &
    echo $! >>"$dir/pids"
    echo $!
}

alive() { kill -0 "$1" 2>/dev/null; }

fail() {
    echo "ceph.sh: $*" >&2
    for f in "$dir"/log/*.log "$dir"/log/*.out; do
        [[ -f $f ]] && { echo "--- $f (tail)" >&2; tail -n 15 "$f" >&2; }
    done
    exit 1
}

stop() {
    [[ -d $dir ]] || return 0
    if [[ -f $dir/pids ]]; then
        local pid
        while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$dir/pids"
        # Bounded wait for them to go, then make sure.
        local i
        for ((i = 0; i < 40; i++)); do
            local any=0
            while read -r pid; do alive "$pid" && any=1; done <"$dir/pids"
            [[ $any == 0 ]] && break
            sleep 0.25
        done
        while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$dir/pids"
    fi
    rm -rf "$dir"
}

case $cmd in
start)
    for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
        command -v "$tool" >/dev/null || { echo "ceph.sh: $tool missing (apt-get install radosgw ceph-mon ceph-osd)" >&2; exit 3; }
    done
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ -z $(ls -A "$dir") ]] || { echo "ceph.sh: $dir is not empty" >&2; exit 2; }
    mkdir -p "$dir"/{mon,osd,run,log,rgw}
    rgw_port=${3:-$(free_port)}
    mon_port=$(free_port)
    fsid=$(cat /proc/sys/kernel/random/uuid)
    access_key=$(python3 -c 'import secrets; print("MUTEST" + secrets.token_hex(7).upper())')
    secret_key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(30))')
    conf=$dir/ceph.conf
    cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms bind ipv6 = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool size one = true
mon allow pool delete = true
osd crush chooseleaf type = 0
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
keyring = $dir/keyring
[mon.a]
mon data = $dir/mon
[osd]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = 1073741824
osd memory target = 268435456
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
EOF
    : >"$dir/keyring"
    trap 'fail "start failed"' ERR
    export CEPH_CONF=$conf
    monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
    ceph-mon --mkfs -i a --monmap "$dir/monmap" -c "$conf" >>"$dir/log/mkfs.out" 2>&1
    daemon mon ceph-mon -f -i a -c "$conf" >/dev/null
    poll 120 timeout 5 ceph -c "$conf" --connect-timeout 3 mon stat || fail "the monitor does not answer"

    # An OSD started before the monitor settled can die with "wrong fsid": make it again.
    osd_uuid=$(cat /proc/sys/kernel/random/uuid)
    # Right after start-up the monitor may still refuse commands ("handle_command on fsid
    # 0000... != ..."): ask again, bounded.
    osd_id=
    for ((i = 0; i < 80; i++)); do
        if osd_id=$(timeout 10 ceph -c "$conf" --connect-timeout 3 osd new "$osd_uuid" 2>>"$dir/log/mkfs.out"); then break; fi
        osd_id=
        sleep 0.25
    done
    [[ -n $osd_id ]] || fail "the monitor refuses 'osd new'"
    up=0
    for attempt in 1 2 3; do
        rm -rf "$dir/osd" && mkdir -p "$dir/osd"
        ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >>"$dir/log/mkfs.out" 2>&1
        osd_pid=$(daemon osd ceph-osd -f -i "$osd_id" -c "$conf")
        for ((i = 0; i < 120; i++)); do
            if ceph -c "$conf" osd stat 2>/dev/null | grep -q ' 1 up'; then up=1; break; fi
            alive "$osd_pid" || break
            sleep 0.25
        done
        [[ $up == 1 ]] && break
        kill -KILL "$osd_pid" 2>/dev/null || true
        echo "ceph.sh: OSD start attempt $attempt failed, retrying" >&2
    done
    [[ $up == 1 ]] || fail "the OSD does not come up"

    daemon rgw radosgw -f -n client.rgw.a -c "$conf" >/dev/null
    poll 240 curl -sf -o /dev/null "http://127.0.0.1:$rgw_port/" || fail "radosgw does not answer"
    radosgw-admin -c "$conf" user create --uid=test --display-name=test \
        --access-key="$access_key" --secret-key="$secret_key" >>"$dir/log/admin.out" 2>&1
    trap - ERR
    cat >"$dir/env" <<EOF
S3_ENDPOINT=http://127.0.0.1:$rgw_port
S3_ACCESS_KEY=$access_key
S3_SECRET_KEY=$secret_key
S3_REGION=us-east-1
EOF
    cat "$dir/env"
    ;;
env)
    cat "$dir/env"
    ;;
stop)
    stop
    ;;
*)
    usage
    ;;
esac
