#!/bin/bash
# scenario_witness_faults.sh — two nodes and a witness survive any single failure.
#
# n1 and n2 form the cluster; n3 runs `clussvc --witness` and is set as its witness with
# `clusctl quorum set --witness`: three votes, and the witness hosts nothing.  The prober watches
# the cluster address from the client throughout (never two answerers).  Each fault is followed
# by the repair and a wait until both nodes and the witness vote again:
#   kill -9 of the owner, its link cut, its clussvc frozen (SIGSTOP), each answered by the other
#   node taking the group over; the same three on the other node, which move nothing; the
#   witness killed and started again (the groups stay online); a cut
#   between the two nodes while both still reach the witness (never two owners, one answering);
#   and the witness lost, then the owner: the other node stops safely (nobody holds the address)
#   and serves again as soon as the witness is back.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 3
lab_witness_cluster witfaults
W=$LAB_WITNESS

all_vote() { lab_all_vote "1 2 $W"; } # both nodes and the witness vote
settled() { lab_fo_settled "1 2"; }
other() { [[ $1 == 1 ]] && echo 2 || echo 1; }
lab_assert_within "both nodes and the witness vote" 20 all_vote
lab_start_prober p "$LAB_FO_IP" 400

# fault_on_owner LABEL FAULT UNDO — FAULT on the owner; the other node answers within the
# failover target; UNDO; everything back, three votes.
fault_on_owner() {
    local label=$1 old t
    old=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before"
    lab_wait_for "$label: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    "$2" "$old"
    lab_assert_takeover "$label (n$old)" p "$old" "$t"
    printf '%s: n%s answered %s ms after the fault on n%s\n' "$label" "$(other "$old")" \
        "$LAB_TAKEOVER_MS" "$old"
    "$3" "$old"
    lab_assert_within "$label: n$old back" 30 lab_rejoined "$old" "$(other "$old") $W"
    lab_assert_within "$label: settled, three votes" 30 all_vote
    lab_assert_within "$label: one owner answering" 20 settled
}

fault_on_owner "kill -9 of the owner" lab_kill_node lab_start_node
fault_on_owner "link cut of the owner" lab_link_down lab_link_up
fault_on_owner "the owner's clussvc frozen" lab_pause_node lab_resume_node

# --- the node that does not own the group: killed, cut off, frozen; nothing moves ------------
# fault_on_other LABEL FAULT UNDO — FAULT on the node that does not own the group: the owner keeps
# serving throughout; UNDO; everything back, three votes.
fault_on_other() {
    local owner victim
    owner=$(lab_owner "$LAB_FO_IP") || lab_fail "$1: exactly one owner before"
    victim=$(other "$owner")
    "$2" "$victim"
    lab_assert -m "$1 (n$victim, not the owner): n$owner keeps serving" \
        lab_holds 3 lab_fo_settled "$owner"
    "$3" "$victim"
    lab_assert_within "$1: n$victim back" 30 lab_rejoined "$victim" "$owner $W"
    lab_assert_within "$1: three votes again" 30 all_vote
}
fault_on_other "kill -9 of the other node" lab_kill_node lab_start_node
fault_on_other "link cut of the other node" lab_link_down lab_link_up
fault_on_other "the other node's clussvc frozen" lab_pause_node lab_resume_node
owner=$(lab_owner "$LAB_FO_IP")

# --- the witness restarted: nothing moves ------------------------------------------------------
lab_kill_node "$W"
lab_assert -m "the witness killed: n$owner keeps serving" lab_holds 2 settled
lab_start_node "$W"
lab_assert_within "the witness back" 30 lab_rejoined "$W" "1 2"
lab_assert -m "the witness back: n$owner kept serving" settled
lab_assert_within "three votes again" 30 all_vote

# --- a cut between the nodes, the witness reaching both: one owner -----------------------------
t=$EPOCHREALTIME
lab_partition "1" "2"
lab_assert -m "nodes cut apart: never two owners" lab_holds 6 lab_ip_at_most_one_owner "$LAB_FO_IP"
lab_assert_within "nodes cut apart: one node serves" 10 lab_ip_answers "$LAB_FO_IP"
lab_heal
lab_assert_within "healed: three votes again" 30 all_vote
lab_assert_within "healed: one owner answering" 20 settled
lab_assert -m "the cut: no overlap" lab_probe_is p overlap 0 --from "$t"

# --- the witness lost, then the owner: a safe stop, and service back with the witness ---------
owner=$(lab_owner "$LAB_FO_IP")
survivor=$(other "$owner")
lab_kill_node "$W"
lab_kill_node "$owner"
lab_assert_within "witness and n$owner lost: n$survivor drops the address (no quorum)" 3 \
    lab_nobody_holds "$LAB_FO_IP"
lab_assert -m "witness and n$owner lost: nobody takes it" lab_holds 3 lab_nobody_holds \
    "$LAB_FO_IP"
lab_start_node "$W"
lab_assert_within "the witness back: n$survivor serves again" 20 lab_ip_answers "$LAB_FO_IP"
lab_assert_within "the witness back: n$survivor owns the group" 20 lab_fo_settled "$survivor"
lab_start_node "$owner"
lab_assert_within "n$owner back" 30 lab_rejoined "$owner" "$survivor $W"
lab_assert_within "three votes again" 30 all_vote

lab_assert -m "the witness never held the address" lab_not grep -qx "$W" \
    <<<"$(lab_ip_owners "$LAB_FO_IP")"
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "witness_faults"
