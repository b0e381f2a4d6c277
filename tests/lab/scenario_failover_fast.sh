#!/bin/bash
# scenario_failover_fast.sh — the fastest settings: QuorumLease at its lower bound (150 ms).
#
# The lease is set live (clusctl property set) and read back from every node.  Heartbeats then go
# every 50 ms and a silent owner is fenced after about 176 ms, long before it counts as Down
# (750 ms): its groups move as soon as it is fenced.  With the prober watching the address:
# kill -9 of the owner's clussvc, the owner's link cut, the owner frozen (SIGSTOP) — each undone
# and rejoined — then short pauses of about one lease (120-250 ms, the owner wakes as the others
# move its group) and short kills.  No overlap at any time, one owner answering after each.
# Finally QuorumLease 0 restores the lease to twice SameSubnetDelay.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 3
lab_failover_cluster fofast
lab_start_prober p "$LAB_FO_IP" 100

lease_is() { # I VALUE
    [[ $(lab_clusctl -c "n$1" --json property get QuorumLease) == *"\"QuorumLease\":\"$2\""* ]]
}

lab_assert -m "QuorumLease is 0 (twice SameSubnetDelay) after create" lease_is 1 0
lab_assert -m "QuorumLease set to 150" lab_clusctl -c n1 property set QuorumLease 150
for i in 1 2 3; do
    lab_wait_for "n$i reads QuorumLease 150" 10 lease_is "$i" 150
done

lab_fo_fault "kill" p lab_kill_node lab_start_node
lab_fo_fault "link cut" p lab_link_down lab_link_up
lab_fo_fault "pause" p lab_pause_node lab_resume_node
for r in 1 2 3 4; do
    lab_fo_blip "short pause $r" p lab_pause_node lab_resume_node 120 250
done
for r in 1 2 3; do
    lab_fo_blip "short kill $r" p lab_kill_node lab_start_node 20 150
done

lab_assert -m "QuorumLease set back to 0" lab_clusctl -c n2 property set QuorumLease 0
lab_wait_for "n3 reads QuorumLease 0" 10 lease_is 3 0
lab_fo_fault "kill at the default lease" p lab_kill_node lab_start_node
lab_bg_stop p
# A genuine A -> B -> A takes two fencing delays, about 170 ms each here: so a return counts as
# an overlap only within 300 ms (prober.c, "Overlap"), not the 1 s that suits the default lease.
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0 --window-ms 300
lab_pass "failover_fast"
