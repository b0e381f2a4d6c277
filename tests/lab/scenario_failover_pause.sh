#!/bin/bash
# scenario_failover_pause.sh — the owner's clussvc frozen (SIGSTOP), watched from the client.
#
# As scenario_failover_kill.sh, but the owner's clussvc is stopped, not killed: its resource
# host (a separate process, still running) must drop the address when the lease ends, and a
# survivor must answer within 3 s.  On SIGCONT the frozen service wakes up with a view of the
# cluster that is seconds old: it must not bring the address back, not even for a moment (the
# broadcast probes would see it).  It rejoins; exactly one owner; no overlap at any time.
# Twice, the second time on the new owner.
#
# Then 6 short pauses of the owner's clussvc, 500-750 ms, about one lease: it wakes with a
# fresh lease as the leader moves the address away; it must not bring the address back online
# (the broadcast probes would see two holders), and the cluster must end with one owner.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 3
lab_failover_cluster fopause
lab_start_prober p "$LAB_FO_IP" 100

lab_fo_fault "pause" p lab_pause_node lab_resume_node
first=$LAB_FO_OLD second=$LAB_FO_NEW
lab_fo_fault "pause again" p lab_pause_node lab_resume_node
third=$LAB_FO_NEW
lab_assert -m "both faults: n$first, n$second, n$third answered in turn, nothing else" \
    lab_probe_is p sequence "n$first,n$second,n$third" --to "$EPOCHREALTIME"

for r in 1 2 3 4 5 6; do
    lab_fo_blip "short pause $r" p lab_pause_node lab_resume_node 500 750
done
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_pause"
