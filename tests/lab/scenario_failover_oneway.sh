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

lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_oneway"
