#!/bin/bash
# scenario_storage_damaged.sh — files of a stopped node's state directory damaged before it
# starts again: cluster.conf cut short or with a byte changed, a key file a byte longer or
# shorter, a closed raft segment (not the last: libraft takes a damaged last one for a torn
# write and sets it aside itself), the newest snapshot and its .meta, each with a byte changed at
# eight offsets and cut short at one to three, both raft metadata files changed or cut short.
# A damaged .meta with an older snapshot at hand is the one case that starts: from that one. Each time the node refuses to start: it exits 1 (no crash, no sanitizer
# report) and its log names the damaged file. With the files restored it starts and rejoins,
# holding everything the others committed meanwhile.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_commit

T=30
lab_init 3
lab_failover_cluster stordmg
leader=$(lab_leader "1 2 3") || lab_fail "one leader"
v=$(lab_others "$leader")
v=${v%% *}
# enough commits for a snapshot (every 1024 entries) and a closed segment after the restart
lab_assert -m "1200 commits" lab_client "$(lab__tool lab_commit)" "$(lab_node_addr "$leader")" \
    1200
lab_assert_within "n$v holds them" "$T" lab_rejoined "$v" "$(lab_others "$v")"
lab_stop_node "$v"
lab_start_node "$v" || lab_fail "n$v did not start again"
lab_assert_within "n$v rejoined" "$T" lab_rejoined "$v" "$(lab_others "$v")"
lab_stop_node "$v"
state=$LAB_DIR/n$v/state
ls -l "$state" "$state/raft"
cp -a "$state" "$LAB_DIR/state.good"

restore() { rm -rf "$state" && cp -a "$LAB_DIR/state.good" "$state"; }
flip() { # FILE OFFSET — inverts the byte at OFFSET of FILE
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
size() { stat -c %s "$1"; }
oldest() { # PATTERN — the first file, in name order, that PATTERN (a glob in state) names
    local f
    # shellcheck disable=SC2206 # the glob is the point
    f=($state/$1)
    [[ -e ${f[0]} ]] || lab_fail "no file $1 in $state"
    echo "${f[0]}"
}
newest() { # PATTERN — the last one
    local f
    # shellcheck disable=SC2206 # the glob is the point
    f=($state/$1)
    echo "${f[-1]}"
}

# libraft 0.15 leaks the buffers it was loading when it refuses a damaged file; the process
# exits right after. Only those starts are spared LeakSanitizer's report on libraft.
echo "leak:libraft.so" >"$LAB_DIR/lsan-libraft.supp"

# refused LABEL FILE — node v does not start, exits 1 and names FILE (its base name).
refused() {
    local label=$1 name marker
    name=$(basename "$2")
    marker=$(wc -l <"$LAB_DIR/n$v/clussvc.log")
    if LSAN_OPTIONS=suppressions=$LAB_DIR/lsan-libraft.supp:print_suppressions=0 \
        lab_start_node "$v" 2>/dev/null; then
        lab_fail "$label: n$v started"
    fi
    lab_assert -m "$label: n$v exits 1 ($(cat "$LAB_DIR/n$v/exit"))" \
        test "$(cat "$LAB_DIR/n$v/exit")" = 1
    lab_assert -m "$label: its log names $name" \
        grep -q -- "$name" <(tail -n +$((marker + 1)) "$LAB_DIR/n$v/clussvc.log")
    tail -n +$((marker + 1)) "$LAB_DIR/n$v/clussvc.log" | grep '^<3>' | sed 's/^/    /'
    restore
}

f=$state/cluster.conf
truncate -s $(($(size "$f") / 2)) "$f"
refused "cluster.conf cut in half" "$f"
flip "$f" $(($(size "$f") / 3))
refused "cluster.conf with a byte changed" "$f"
f=$state/cluster.key
printf 'x' >>"$f"
refused "cluster.key one byte longer" "$f"
truncate -s $(($(size "$f") - 1)) "$f"
refused "cluster.key one byte shorter" "$f"

# at SIZE LAST — the offsets damaged in each kind of raft file: its first bytes (the format
# version and, past it, a checksum), the middle of its header, points through its body and LAST
at() { local n=$1; echo 0 8 12 20 $((n / 4)) $((n / 2)) $((n * 3 / 4)) "$2"; }
f=$(oldest 'raft/0*-0*')
for o in $(at "$(size "$f")" $(($(size "$f") - 8))); do
    flip "$f" "$o"
    refused "a closed segment with byte $o changed" "$f"
done
for cut in 8 $(($(size "$f") / 2)) $(($(size "$f") - 100)); do
    truncate -s "$cut" "$f"
    refused "a closed segment cut to $cut bytes" "$f"
done
f=$(newest 'raft/snapshot-*[0-9]')
# (an LZ4 frame: its last 8 bytes, the end mark and a checksum, follow the data and are not
# read; the seal over the data stands for them)
for o in $(at "$(size "$f")" $(($(size "$f") - 9))); do
    flip "$f" "$o"
    refused "a snapshot with byte $o changed" "$f"
done
truncate -s $(($(size "$f") / 2)) "$f"
refused "a snapshot cut in half" "$f"
# A damaged .meta makes libraft pass over its snapshot for an older one; with the older one gone
# (as here) the log does not reach back far enough and the start is refused. libraft's messages
# about a .meta name no file; the node's add the newest snapshot's name.
snapshot=$f f=$f.meta
older() { local s; for s in "$state"/raft/snapshot-*[0-9]; do [[ $s == "$snapshot" ]] || echo "$s"; done; }
alone() { local s; for s in $(older); do rm -f "$s" "$s.meta"; done; }
# (its header: format, a 32-bit checksum in 8 bytes, the configuration's index and length)
for o in 0 8 16 24 32 $(($(size "$f") / 2)) $(($(size "$f") - 1)); do
    alone
    flip "$f" "$o"
    refused "a snapshot's .meta with byte $o changed" "$snapshot"
done
alone
truncate -s 16 "$f"
refused "a snapshot's .meta cut to 16 bytes" "$snapshot"
# with the older snapshot there, and the log from it, the node starts from that one
[[ -n $(older) ]] || lab_fail "no older snapshot in $state/raft"
flip "$f" 12
lab_assert -m "the newest .meta damaged, an older snapshot there: n$v starts" lab_start_node "$v"
lab_assert_within "n$v rejoined from the older snapshot and the log" "$T" lab_rejoined "$v" \
    "$(lab_others "$v")"
lab_stop_node "$v"
restore
flip "$state/raft/metadata1" 0 # the format version: libraft's metadata has no checksum
flip "$state/raft/metadata2" 0
refused "both metadata files changed" "$state/raft/metadata1"
truncate -s 8 "$state/raft/metadata1"
truncate -s 8 "$state/raft/metadata2"
refused "both metadata files cut short" "$state/raft/metadata1"

lab_assert -m "n$v starts with its files restored" lab_start_node "$v"
lab_assert_within "n$v rejoined" "$T" lab_rejoined "$v" "$(lab_others "$v")"
lab_pass "storage_damaged"
