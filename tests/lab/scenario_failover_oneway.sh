#!/bin/bash
# scenario_failover_oneway.sh — one-way faults: a node whose packets leave but none arrive (an
# nftables rule on its eth0's input), or the reverse, watched from the client.
#
#  1. The owner's input dropped: it loses its lease at once (no echo reaches it), and the others,
#     which still hear it, see from its heartbeats that it hears nobody: they stop counting it
#     as heard, fence it and take the group over, as from a silent node. Healed: it rejoins.
#  2. The owner's output dropped: a silent node to the others; taken over likewise.
#  3. A node that owns nothing, its input dropped: it turns Down for the others, the group stays
#     where it is, never paused; healed, it is Up again.
#  4. The raft leader, owning nothing (the group moved off it first if need be), its input
#     dropped: it hears no acknowledgement and steps down (raft's check-quorum); the others,
#     which still hear its messages until then, elect a leader among themselves (pre-vote keeps
#     the deaf node from deposing it) and go on committing: a group is created and deleted
#     through them. The address never pauses. Healed: the node rejoins with the same database.
# Each fault: a survivor answers within LAB_TAKEOVER_LIMIT, never two answerers; after the heal
# one owner named by every node, and the time from the heal to that steady state is printed.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools
lab_require_cmd nft

lab_init 3
lab_failover_cluster fooneway
lab_start_prober p "$LAB_FO_IP" 300

# fault_and_heal LABEL FAULT — FAULT on the owner, a takeover, then the heal (lab_fo_fault).
heal_timed() { # I — removes the rule and prints how long the steady state took to come back
    local t=$EPOCHREALTIME
    lab_drop_none "$1"
    lab_wait_for "heal of n$1: every node Up, one owner named by all" 20 steady "$1"
    printf 'n%s healed: steady again after %s ms\n' "$1" "$(lab_ms_since "$t")"
}
steady() { # I — node I is Up for every node and the group settled
    local v
    for v in 1 2 3; do lab_node_state_is "$v" "$1" Up || return 1; done
    lab_fo_settled "1 2 3"
}

lab_fo_fault "owner input dropped" p lab_drop_input heal_timed
lab_fo_fault "owner output dropped" p lab_drop_output heal_timed

owner=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner"
idle=$(lab_others "$owner")
idle=${idle%% *}
t=$EPOCHREALTIME
lab_drop_input "$idle"
for v in $(lab_others "$idle"); do
    lab_assert_within "n$idle input dropped: Down for n$v" 5 lab_node_state_is "$v" "$idle" Down
done
lab_assert -m "n$idle input dropped: the group stayed on n$owner" \
    test "$(lab_owner "$LAB_FO_IP")" = "$owner"
heal_timed "$idle"
lab_assert -m "n$idle input dropped: the address never paused" \
    lab_probe_at_most p longest_gap_ms 1000 --from "$t"
lab_assert -m "n$idle input dropped: only n$owner answered" \
    lab_probe_is p sequence "n$owner" --from "$t"

owner=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner"
lead=$(lab_leader "1 2 3") || lab_fail "one leader named by every node"
if [[ $lead == "$owner" ]]; then
    to=$(lab_others "$owner")
    to=${to%% *}
    lab_clusctl -c "n$to" group move "Cluster Group" --node "n$to" >/dev/null
    lab_assert_within "deaf leader: the group moved off the leader n$lead" 15 \
        eval '[[ $(lab_owner "$LAB_FO_IP") == "$to" ]] && lab_fo_settled "1 2 3"'
    owner=$to
fi
rest=$(lab_others "$lead")
via=${rest%% *}
t=$EPOCHREALTIME
lab_drop_input "$lead"
other_leader() { local l; l=$(lab_leader "$rest") && [[ $l != "$lead" ]]; }
lab_assert_within "deaf leader n$lead: the others ($rest) elect a leader among themselves" 10 \
    other_leader
printf 'deaf leader n%s: another leader after %s ms\n' "$lead" "$(lab_ms_since "$t")"
# A retry after an answer that was lost finds the change made: the list tells.
listed() { lab_clusctl -c "n$via" group list | grep -qw deaf-leader-check; }
created() { lab_clusctl -c "n$via" group create deaf-leader-check >/dev/null 2>&1; listed; }
deleted() {
    local out
    lab_clusctl -c "n$via" group delete deaf-leader-check >/dev/null 2>&1
    out=$(lab_clusctl -c "n$via" group list) && ! grep -qw deaf-leader-check <<<"$out"
}
lab_assert_within "deaf leader n$lead: a group is created through n$via" 10 created
lab_assert_within "deaf leader n$lead: and deleted" 10 deleted
lab_assert -m "deaf leader n$lead: the group stayed on n$owner" \
    test "$(lab_owner "$LAB_FO_IP")" = "$owner"
heal_timed "$lead"
lab_assert_within "deaf leader n$lead: rejoined (Running, committed, same database)" 30 \
    lab_rejoined "$lead" "$rest"
lab_assert -m "deaf leader n$lead: the address never paused" \
    lab_probe_at_most p longest_gap_ms 1000 --from "$t"
lab_assert -m "deaf leader n$lead: only n$owner answered" \
    lab_probe_is p sequence "n$owner" --from "$t"

lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_oneway"
