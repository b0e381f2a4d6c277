#!/bin/bash
# scenario_storage_runtime.sh — a node whose state directory fills up at run time, on 64 MiB
# tmpfs state directories: first the node that holds the group, then the leader. Each time the
# node says so (its log, NODE_INFO, StatusInformation NodeStatusAvoidPlacement in `clusctl node
# list`, a line of `clusctl events`), the cluster takes its vote and parks it out of raft's log
# (a leader hands leadership over first), the group moves off it with no overlap, the others keep
# committing, changes and reads sent through the faulted node are answered (it refuses changes
# and answers reads stale, and libclusapi takes both to another node), and it neither dies nor
# reports a sanitizer error (lab_storage_fault_holds). Once the space is freed it returns on its
# own, without a restart: its fault ends, it holds every commit made meanwhile, and the votes
# settle.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

T=30
lab_storage_lab storrt tmpfs
lab__clusctl_cmd clusctl
lab_bg events c env CLUSAPI_AUTHKEY="$LAB_DIR/authkey" "${clusctl[@]}" events --interval 200 \
    -c "$(lab_node_addr 1)"
events_say() { grep -qF -- "$1" "$LAB_DIR/bg/events.log"; }

# round LABEL I — fills node I's state directory to 8 MiB free (a node needs 16), then frees it.
round() {
    local label=$1 v=$2 pid free
    pid=$(lab_node_pid "$v")
    lab_log_mark
    free=$(df -B1 --output=avail "$LAB_DIR/n$v/state" | tail -n 1 | tr -d ' ')
    fallocate -l $((free - 8 * 1024 * 1024)) "$LAB_DIR/n$v/state/filler"
    lab_assert_within "$label: n$v logs its storage fault" 10 \
        lab_logged_since "$v" "storage fault: its state directory has"
    lab_storage_fault_holds "$label" "$v" "$T"
    lab_assert_within "$label: clusctl events shows it" "$T" \
        events_say "node n$v Up (storage fault) (was Up)"

    rm -f "$LAB_DIR/n$v/state/filler"
    lab_assert_within "$label: n$v's fault ends" "$T" lab_logged_since "$v" "storage fault over"
    lab_assert_within "$label: no fault listed" "$T" lab_not lab_storage_faulted "$v" "$v"
    lab_assert -m "$label: n$v says it is in none" lab_not lab_says_storage_fault "$v"
    lab_assert_within "$label: n$v holds what was committed meanwhile" "$T" \
        lab_group_listed "$v" "$label-a"
    lab_assert_within "$label: n$v rejoined, the votes settled" "$T" \
        lab_rejoined "$v" "$(lab_others "$v")"
    lab_assert -m "$label: n$v was not restarted" test "$(lab_node_pid "$v")" = "$pid"
    lab_assert_within "$label: clusctl events shows its end" "$T" \
        events_say "node n$v Up (was Up (storage fault))"
}

lab_storage_rounds round
lab_bg_stop events
lab_pass "storage_runtime"
