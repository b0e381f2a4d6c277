#!/bin/bash
# scenario_witness_partial.sh — two nodes and a witness under partial faults, watched from the
# client (scenario_witness_faults.sh has the whole-node ones).
#
# n1 and n2 form the cluster, n3 is its witness.  On the owner: its input dropped (an nftables
# rule on eth0: it hears nobody, the other node and the witness still hear it), its output
# dropped, the whole node frozen for FREEZE_SECONDS (every process stopped, as a paused VM);
# each answered by the other node taking the group over, a deaf owner within the failover
# target, a frozen one within its address's lifetime plus 1 s.  On the other node, then on the
# witness: input dropped, then frozen whole; the owner keeps serving throughout.  Last, 30 %
# of the owner's input lost for a while: never two answerers.  Every fault ends with its heal,
# and the time from the heal to the steady state (both nodes and the witness voting, one owner
# named by both nodes, answering) is printed.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools
lab_require_cmd nft

FREEZE_SECONDS=3
# RHS_LIFETIME_SEC (src/daemon/rm/rhs.h) + the kernel's whole-second expiry + the 1 s target
FREEZE_LIMIT_S=$((3 + 1 + 1))
LOSS_SECONDS=8
LOSS_OUTAGE_LIMIT_MS=4000

lab_init 3
lab_witness_cluster witpartial
W=$LAB_WITNESS

all_vote() { lab_all_vote "1 2 $W"; } # both nodes and the witness vote
steady() { all_vote && lab_fo_settled "1 2"; }
other() { [[ $1 == 1 ]] && echo 2 || echo 1; }
lab_assert_within "both nodes and the witness vote" 20 all_vote
lab_start_prober p "$LAB_FO_IP" 600

# heal LABEL UNDO I — UNDO on node I, then the steady state, timed.
heal() {
    local t=$EPOCHREALTIME
    "$2" "$3"
    lab_assert_within "$1: n$3 rejoined" 30 lab_rejoined "$3" "$(lab_others "$3")"
    lab_assert_within "$1: healed, three votes, one owner answering" 30 steady
    printf '%s: steady again %s ms after the heal\n' "$1" "$(lab_ms_since "$t")"
}

# The whole node stopped for FREEZE_SECONDS, then thawed; the thaw is the fault's end, which is
# a set time, not a condition to wait for.
freeze_for_a_while() { # I
    lab_freeze_node "$1"
    (sleep "$FREEZE_SECONDS" && lab_thaw_node "$1") &
    FREEZE_PID=$!
}
thawed() { wait "$FREEZE_PID"; }

# fault_on_owner LABEL FAULT UNDO LIMIT_S — FAULT on the owner: the other node answers within
# LIMIT_S, the old owner never after it; then the heal.
fault_on_owner() {
    local label=$1 old new t answers
    old=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before"
    new=$(other "$old")
    lab_wait_for "$label: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    "$2" "$old"
    LAB_TAKEOVER_LIMIT=$4 lab_assert_takeover "$label (n$old)" p "$old" "$t"
    printf '%s: n%s answered %s ms after the fault on n%s\n' "$label" "$new" "$LAB_TAKEOVER_MS" \
        "$old"
    heal "$label" "$3" "$old"
    answers=$(lab_probe_get p sequence --from "$t")
    lab_assert -m "$label: since the fault the answers came from n$old then n$new only ($answers)" \
        test "$answers" = "n$new" -o "$answers" = "n$old,n$new"
}

# fault_elsewhere LABEL VICTIM FAULT UNDO — FAULT on VICTIM, which owns nothing: the owner keeps
# serving, the address never pauses; then the heal.
fault_elsewhere() {
    local label=$1 owner t
    owner=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before"
    [[ $2 != "$owner" ]] || lab_fail "$label: n$2 owns the group"
    t=$EPOCHREALTIME
    "$3" "$2"
    lab_assert -m "$label (n$2): n$owner keeps serving" lab_holds 3 lab_fo_settled "$owner"
    heal "$label" "$4" "$2"
    lab_assert -m "$label: the address never paused" \
        lab_probe_at_most p longest_gap_ms 1000 --from "$t"
    lab_assert -m "$label: only n$owner answered" lab_probe_is p sequence "n$owner" --from "$t"
}

fault_on_owner "owner input dropped" lab_drop_input lab_drop_none "$LAB_TAKEOVER_LIMIT"
fault_on_owner "owner output dropped" lab_drop_output lab_drop_none "$LAB_TAKEOVER_LIMIT"
fault_on_owner "owner frozen ${FREEZE_SECONDS} s" freeze_for_a_while thawed "$FREEZE_LIMIT_S"

owner=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner"
fault_elsewhere "the other node's input dropped" "$(other "$owner")" lab_drop_input lab_drop_none
fault_elsewhere "the other node frozen ${FREEZE_SECONDS} s" "$(other "$owner")" \
    freeze_for_a_while thawed
fault_elsewhere "the witness's input dropped" "$W" lab_drop_input lab_drop_none
fault_elsewhere "the witness frozen ${FREEZE_SECONDS} s" "$W" freeze_for_a_while thawed

# --- loss at the owner -------------------------------------------------------------------------
owner=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner"
t=$EPOCHREALTIME
lab_lose_input "$owner" 30
# the loss lasts a set time: its end is the fault's, not a wait for a condition
sleep "$LOSS_SECONDS"
heal "owner input 30 % lost" lab_drop_none "$owner"
ms=$(lab_probe_get p longest_gap_ms --from "$t")
printf 'owner input 30 %% lost on n%s: longest outage %s ms\n' "$owner" "$ms"
lab_assert -m "owner input 30 % lost: no outage longer than $LOSS_OUTAGE_LIMIT_MS ms ($ms ms)" \
    lab_probe_at_most p longest_gap_ms "$LOSS_OUTAGE_LIMIT_MS" --from "$t"
lab_assert -m "owner input 30 % lost: never two answerers" \
    lab_probe_is p double_answers 0 --from "$t"

lab_assert -m "the witness never held the address" lab_not grep -qx "$W" \
    <<<"$(lab_ip_owners "$LAB_FO_IP")"
lab_assert -m "no node logged the core group out of failovers" \
    lab_not grep -q "it stays failed" "$LAB_DIR"/n[12]/clussvc.log
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "witness_partial"
