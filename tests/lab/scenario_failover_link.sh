#!/bin/bash
# scenario_failover_link.sh — the owner's link cut, watched from the client.
#
# As scenario_failover_kill.sh, but the fault is the owner's switch port going down: the owner
# still runs, cut off from the others and from the client.  Without heartbeat echoes its lease
# ends and it must drop the address by itself; a survivor must answer within 3 s.  By the time
# the survivor answers the cut node must no longer have the address configured (checked in its
# namespace, which the client cannot see).  The link is healed: the node rejoins, and the
# prober must see exactly one owner and no overlap at any time.  Twice, the second time on the
# new owner.
#
# Then 6 short cuts of the owner's link, 300-700 ms, about one lease: the owner may lose its
# lease and get it back while the others decide to move the address; every time the cluster
# must end with one owner that answers, and the prober must see no overlap.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 3
lab_failover_cluster folink
lab_start_prober p "$LAB_FO_IP" 100

lab_fo_fault "link" p lab_link_down lab_link_up
first=$LAB_FO_OLD second=$LAB_FO_NEW
lab_fo_fault "link again" p lab_link_down lab_link_up
third=$LAB_FO_NEW
lab_assert -m "both faults: n$first, n$second, n$third answered in turn, nothing else" \
    lab_probe_is p sequence "n$first,n$second,n$third" --to "$EPOCHREALTIME"

for r in 1 2 3 4 5 6; do
    lab_fo_blip "short link $r" p lab_link_down lab_link_up 300 700
done
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_link"
