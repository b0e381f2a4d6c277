#!/bin/bash
# scenario_caller_killed.sh — the process calling CreateCluster dies (kill -9) in the middle:
# as soon as its output shows the Start of phase 104, 105, 200 or 206 (one fresh lab each).
# The nodes must then settle within 30 s: all back to NotConfigured and clean (their setup
# lease runs out), or — only when the kill came in 206, where the setup commits — the cluster
# complete (all Running and committed).  A mix, or anything else, fails.  The time each took to
# settle is printed.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

SETTLE=30

all_clean() {
    local i
    lab_all_nodeinfo_is "1 2 3" state=1 || return 1
    for i in 1 2 3; do lab_node_is_clean "$i" "$IP" 2>/dev/null || return 1; done
}

all_complete() {
    lab_all_nodeinfo_is "1 2 3" state=19 committed=1 && lab_nodes_agree db_hash 1 2 3
}

# Sets OUTCOME once the nodes have settled one way or the other.
settled() {
    if all_clean; then
        OUTCOME=clean
    elif all_complete; then
        OUTCOME=complete
    else
        return 1
    fi
}

kill_at() { # PHASE
    local phase=$1 out pid t0 ms i line st
    IP=$(lab_cluster_ip 0)
    out=$LAB_DIR/create.out
    for i in 1 2 3; do lab_start_node "$i"; done
    # Its output comes through a FIFO read line by line here, so that the kill follows the
    # Start line within a read (polling a file would let whole phases pass).  Started directly,
    # with no subshell in between: `ip netns exec` execs lab_create, so $! is lab_create.
    mkfifo "$LAB_DIR/create.fifo"
    ip netns exec "$(lab_client_ns)" "$(lab__tool lab_create)" killed --node n1 --node n2 \
        --node n3 --ip "$IP/24" >"$LAB_DIR/create.fifo" 2>&1 &
    pid=$!
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$out"
        if [[ $line == "cb phase=$phase type=1 "* ]]; then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
    done <"$LAB_DIR/create.fifo"
    lab__now_us
    t0=$REPLY
    st=0
    { wait "$pid" || st=$?; } 2>/dev/null
    lab_assert -m "$phase: lab_create showed the Start of phase $phase" \
        grep -q "^cb phase=$phase type=1 " "$out"
    lab_assert -m "$phase: lab_create died of the SIGKILL (exit 137), before it returned" \
        test "$st" = 137
    OUTCOME=
    lab_wait_for "$phase: the nodes settle within ${SETTLE}s" "$SETTLE" settled
    lab__now_us
    ms=$(((REPLY - t0) / 1000))
    printf '    settled (%s) %d.%03d s after the kill at phase %s\n' "$OUTCOME" \
        $((ms / 1000)) $((ms % 1000)) "$phase"
    if [[ $phase != 206 ]]; then
        lab_assert -m "$phase: every node back to NotConfigured and clean" test "$OUTCOME" = clean
    else
        lab_pass "206: every node clean, or the cluster complete ($OUTCOME)"
    fi
    if [[ $OUTCOME == clean ]]; then
        lab_assert -m "$phase: nobody has the cluster IP" test -z "$(lab_ip_owners "$IP")"
    else
        lab_assert -m "$phase: exactly one node has the cluster IP" \
            test "$(lab_ip_owners "$IP" | wc -l)" = 1
    fi
}

for phase in 104 105 200 206; do
    lab_fresh 3 kill_at "$phase"
done
lab_pass "caller_killed"
