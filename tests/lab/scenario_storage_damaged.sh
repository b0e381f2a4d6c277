#!/bin/bash
# scenario_storage_damaged.sh — files of a stopped node's state directory damaged before it
# starts again: cluster.conf cut short or with a byte changed, a key file one byte longer, a
# closed raft segment (not the last: libraft takes a damaged last one for a torn write and sets
# it aside itself) with a byte changed or cut short, the newest snapshot with a byte changed, both
# raft metadata files changed. Each time the node refuses to start: it exits 1 (no crash, no sanitizer
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
f=$(oldest 'raft/0*-0*')
flip "$f" $(($(size "$f") / 2))
refused "a closed segment with a byte changed" "$f"
f=$(oldest 'raft/0*-0*')
truncate -s $(($(size "$f") - 100)) "$f"
refused "a closed segment cut short" "$f"
f=$(newest 'raft/snapshot-*[0-9]')
flip "$f" $(($(size "$f") / 2))
refused "a snapshot with a byte changed" "$f"
flip "$state/raft/metadata1" 0 # the format version: libraft's metadata has no checksum
flip "$state/raft/metadata2" 0
refused "both metadata files changed" "$state/raft/metadata1"

lab_assert -m "n$v starts with its files restored" lab_start_node "$v"
lab_assert_within "n$v rejoined" "$T" lab_rejoined "$v" "$(lab_others "$v")"
lab_pass "storage_damaged"
