#!/bin/bash
# scenario_failover_kill.sh — kill -9 of the owner's clussvc, watched from the client.
#
# A 3-node cluster holds its address on one node; every node runs a responder that answers with
# its name, and the prober (tests/lab/prober) asks the address every 10 ms, as a client and by
# Ethernet broadcast (which any node holding the address answers).  SIGKILL to the owner's
# clussvc: its resource host must drop the address when the lease ends, and a survivor must
# answer within 3 s, with no overlap.  The killed node is then started again: it rejoins, and
# for 3 s more the prober must see exactly one owner, the survivor, and no overlap at any time.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

T=20
lab_init 3
lab_failover_cluster fokill
lab_start_prober p "$LAB_FO_IP" 100

old=$(lab_owner "$LAB_FO_IP") || lab_fail "kill: one owner before the fault"
lab_wait_for "kill: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
lab_assert -m "kill: before the fault only n$old answers" lab_probe_is p sequence "n$old"

t=$EPOCHREALTIME
lab_kill_node "$old"
lab_assert_takeover "kill n$old" p "$old" "$t"
new=$(lab_owner "$LAB_FO_IP")
printf 'kill: n%s took over %s ms after the kill\n' "$new" "$LAB_TAKEOVER_MS"

lab_start_node "$old"
lab_assert_within "kill: n$old rejoined (Running, committed, same database)" "$T" \
    lab_rejoined "$old" "$(lab_others "$old")"
t2=$EPOCHREALTIME
lab_assert_within "kill: one owner, agreed by every node, answering" "$T" lab_fo_settled "1 2 3"
lab_wait_for "kill: the prober watched 3 s after the rejoin" 10 lab_probe_watched p "$t2" 3
lab_bg_stop p

lab_assert -m "kill: whole run: no overlap" lab_probe_is p overlap 0
lab_assert -m "kill: whole run: n$old, then n$new, and nothing else" \
    lab_probe_is p sequence "n$old,n$new"
lab_assert -m "kill: n$old never answered after n$new did" \
    lab_probe_is p old_after_takeover 0 --from "$t" --old "n$old"
lab_assert -m "kill: after the rejoin exactly one owner, still n$new" \
    test "$(lab_owner "$LAB_FO_IP")" = "$new"
lab_pass "failover_kill"
