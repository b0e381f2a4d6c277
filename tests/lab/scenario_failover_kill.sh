#!/bin/bash
# scenario_failover_kill.sh — kill -9 of the owner's clussvc, watched from the client.
#
# A 3-node cluster holds its address on one node; every node runs a responder that answers with
# its name, and the prober (tests/lab/prober) asks the address every 10 ms, as a client and by
# Ethernet broadcast (which any node holding the address answers).  SIGKILL to the owner's
# clussvc: its resource host must drop the address when the lease ends, and a survivor must
# answer within 3 s, with no overlap.  The killed node is then started again: it rejoins, and
# for 3 s more the prober must see exactly one owner, the survivor, and no overlap.  Then the
# same once more on the new owner, and the whole run is checked again.
#
# Then 6 short faults: the owner's clussvc killed and started again 50-450 ms later, within its
# lease: the new process finds the address still held for the old one, and the old resource
# host removes it when that lease ends; every time the cluster must end with one owner that
# answers, and the prober must see no overlap.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 3
lab_failover_cluster fokill
lab_start_prober p "$LAB_FO_IP" 100

lab_fo_fault "kill" p lab_kill_node lab_start_node
first=$LAB_FO_OLD second=$LAB_FO_NEW
lab_fo_fault "kill again" p lab_kill_node lab_start_node
third=$LAB_FO_NEW
lab_assert -m "both faults: n$first, n$second, n$third answered in turn, nothing else" \
    lab_probe_is p sequence "n$first,n$second,n$third" --to "$EPOCHREALTIME"

for r in 1 2 3 4 5 6; do
    lab_fo_blip "short kill $r" p lab_kill_node lab_start_node 50 450
done
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_kill"
