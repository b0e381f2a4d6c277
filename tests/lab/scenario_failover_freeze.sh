#!/bin/bash
# scenario_failover_freeze.sh — the owner frozen whole (every process of the node stopped, as a
# paused VM), for 1, 3 and 10 s (FREEZE_SECONDS; the long run adds a minute:
# FREEZE_SECONDS="1 3 10 60" LAB_SCENARIO_TIMEOUT=600 tests/lab/run.sh failover_freeze),
# watched from the client.
#
# Its resource host is frozen too, so nothing removes the cluster IP from the frozen node: the
# kernel does, when the address's lifetime (renewed every 500 ms while leased) runs out. The
# leader fences the owner after a lease and moves the group; the new owner's conflict probe
# finds the frozen node's copy still answering and waits it out (a failover, not a failure: the
# group never turns Failed and no failover is counted against FailoverThreshold). Each round:
# a survivor answers within the address lifetime plus 1 s, never together with the frozen node;
# once thawed, the node finds itself fenced, stops what it held, rejoins; one owner, Online.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
source "$(dirname "$0")/lab_app.sh"
lab_require_setup_tools
lab_require_probe_tools

# RHS_LIFETIME_SEC (src/daemon/rm/rhs.h) + the kernel's whole-second expiry + the 1 s target
LIMIT_MS=$(((3 + 1 + 1) * 1000))

lab_init 3
lab_failover_cluster fofreeze
lab_start_prober p "$LAB_FO_IP" 300

freeze_round() { # SECONDS
    local secs=$1 label="freeze ${1} s" old survivors t thaw ms
    old=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before the fault"
    lab_wait_for "$label: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
    survivors=$(lab_names "$(lab_others "$old")")
    t=$EPOCHREALTIME
    lab_freeze_node "$old"
    # the fault lasts a set time: the thaw is its end, not a wait for a condition
    (sleep "$secs" && lab_thaw_node "$old") &
    thaw=$!
    lab_wait_for "$label: a survivor ($survivors) answers" $((LIMIT_MS / 1000 + 2)) \
        lab_probe_answered_by p "$survivors" --from "$t"
    ms=$(lab_probe_get p takeover_ms --from "$t" --old "n$old")
    printf '%s: a survivor answered %s ms after n%s froze\n' "$label" "$ms" "$old"
    lab_assert -m "$label: within the address lifetime + 1 s ($ms <= $LIMIT_MS ms)" \
        lab_probe_at_most p takeover_ms "$LIMIT_MS" --from "$t" --old "n$old"
    wait "$thaw"
    lab_assert_within "$label: n$old rejoined (Running, committed, same database)" 30 \
        lab_rejoined "$old" "$(lab_others "$old")"
    lab_assert_within "$label: one owner, named by every node, answering" 20 \
        lab_fo_settled "1 2 3"
    lab_assert -m "$label: the core group is Online (the wait failed nothing)" \
        lab_app_is 1 group "Cluster Group" Online
    lab_assert -m "$label: no overlap since the fault" lab_probe_is p overlap 0 --from "$t"
    lab_assert -m "$label: n$old never answered after a survivor did" \
        lab_probe_is p old_after_takeover 0 --from "$t" --old "n$old"
}

for secs in ${FREEZE_SECONDS:-1 3 10}; do
    freeze_round "$secs"
done
lab_assert -m "no node logged the core group out of failovers" \
    lab_not grep -q "it stays failed" "$LAB_DIR"/n[123]/clussvc.log
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_freeze"
