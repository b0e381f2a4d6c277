#!/bin/bash
# scenario_cancel.sh — a FALSE from the progress callback at every point of a 3-node
# CreateCluster.  A good create, in a lab of its own, gives the callback stream; then, on one
# lab whose nodes go back to NotConfigured after each try, a create is cancelled at the first
# callback of each (phase, type) pair the stream has, and at the 2nd Continue of each per-node
# phase.  Each must fail with ERROR_CANCELLED (1223): the cancelled phase ends Fatal with 1223
# (unless the FALSE came on an End), no phase but FailureCleanup (999) starts after the cancel,
# 999 is the last phase, and every node is back to NotConfigured and clean.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

NODES=(--node n1 --node n2 --node n3)

# The reference stream, from a lab of its own.  The FALSE returned at the very last callback
# (206 End, at 100 percent) comes once the call has done everything: it cannot be honoured, and
# the create succeeds.
record() { # STREAM_FILE
    local out=$LAB_DIR/good.out rc=0 i
    for i in 1 2 3; do lab_start_node "$i"; done
    lab_create good "${NODES[@]}" --ip "$(lab_cluster_ip 0)/24" --cancel-at 206:3 >"$out" 2>&1 ||
        rc=$?
    lab_assert -m "good: create succeeds; a FALSE at the final End is too late to cancel" \
        test "$rc" = 0
    lab_assert -m "good: every node Running and committed" \
        lab_all_nodeinfo_is "1 2 3" state=19 committed=1
    grep '^cb ' "$out" >"$1"
}

lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
stream=$LAB_DIR/good.stream
lab_fresh 3 record "$stream"

# Every distinct PHASE:TYPE in order of first appearance, then PHASE:2:2 for each phase with two
# Continues or more (the per-node phases).  206:3 is the final End, covered by the good run.
mapfile -t points < <(
    awk '{ split($2, p, "="); split($3, t, "="); k = p[2] ":" t[2]
           if (!(k in seen)) { seen[k] = 1; print k } }' "$stream"
    awk '$3 == "type=2" { split($2, p, "="); if (++n[p[2]] == 2) print p[2] ":2:2" }' "$stream"
)
lab_assert -m "good: the stream has every phase of a create with an IP" test \
    "$(printf '%s\n' "${points[@]}" | grep -c ':1$')" = 17
printf 'cancel points: %s\n' "${points[*]}"

# The checks on one cancelled run's output.
next_cb_is_fatal_end() { # OUT PHASE — the callback right after the cancel ends PHASE, 1223
    awk -v p="phase=$2" '/^cancelling at/ { c = 1; next }
        c && /^cb / { exit !($2 == p && $3 == "type=3" && $4 == "severity=3" &&
                             $NF == "status=1223") }' "$1"
}
first_start_after_cancel_is_999() { # OUT
    awk '/^cancelling at/ { c = 1; next }
        c && /^cb / && $3 == "type=1" { exit !($2 == "phase=999") } END { }' "$1" &&
        grep -A1000 '^cancelling at' "$1" | grep -q '^cb phase=999 type=1 '
}
cleanup_is_last() { # OUT — one 999 Start, and its End is the last callback
    [[ $(grep -c '^cb phase=999 type=1 ' "$1") == 1 ]] &&
        grep '^cb ' "$1" | tail -n1 | grep -q '^cb phase=999 type=3 '
}
all_clean() {
    local i
    for i in 1 2 3; do lab_node_is_clean "$i" "$ip" || return 1; done
}

for point in "${points[@]}"; do
    [[ $point != 206:3 ]] || continue
    phase=${point%%:*}
    type=${point#*:}
    type=${type%%:*}
    out=$LAB_DIR/cancel-$point.out
    rc=0
    lab_create "cx" "${NODES[@]}" --ip "$ip/24" --cancel-at "$point" >"$out" 2>&1 || rc=$?
    lab_assert -m "cancel $point: lab_create exits 1 (3 = contract broken)" test "$rc" = 1
    lab_assert -m "cancel $point: the callback was asked" grep -q '^cancelling at' "$out"
    lab_assert -m "cancel $point: result status=1223" grep -q '^result status=1223 ' "$out"
    if [[ $type != 3 ]]; then
        lab_assert -m "cancel $point: phase $phase ends Fatal with 1223" \
            next_cb_is_fatal_end "$out" "$phase"
    fi
    lab_assert -m "cancel $point: the next phase to start is 999" \
        first_start_after_cancel_is_999 "$out"
    lab_assert -m "cancel $point: 999 runs once and is the last phase" cleanup_is_last "$out"
    lab_assert -m "cancel $point: every node NotConfigured" lab_all_nodeinfo_is "1 2 3" state=1
    lab_assert -m "cancel $point: every node clean" all_clean
done
lab_pass "cancel (${#points[@]} points)"
