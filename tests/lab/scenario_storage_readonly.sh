#!/bin/bash
# scenario_storage_readonly.sh — a node's state directory stops taking writes at run time, as an
# ext2 file system mounted errors=remount-ro does after a disk error: first on the node that
# holds the group, then on the leader. A change is made at once, so the node's next log write
# fails with EROFS: its log stops there (consensus_disk.h: nothing more is acknowledged, and
# raft never sees the failure; a leader hands leadership over, and libraft, unable to record
# the new term, then stops raft on that node), and the write probe of its storage watch finds
# the directory read-only. From there it is a storage fault like a full disk
# (lab_storage_fault_holds: no vote, parked, the group moves off with no overlap, the others
# commit, stale reads, no crash and no sanitizer report). Such a file system is written again
# only after an unmount: the node is stopped, its file system checked and mounted again, and
# the node started; it rejoins, holding everything committed meanwhile.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

T=30
lab_storage_lab storro loopfs

# round LABEL I — node I's file system stops writing; then it is repaired and I restarted.
round() {
    local label=$1 v=$2 others out
    others=$(lab_others "$v")
    lab_log_mark
    lab_state_fs_error "$v"
    # On a leader the change may be lost with its disk: its outcome is then open, as after any
    # leader's crash, and the cluster agrees on it either way (lab_rejoined compares databases).
    if out=$(lab_clusctl -c "n${others%% *}" group create "$label-now" 2>&1); then
        printf '%s: a change right after the fault committed\n' "$label"
    else
        printf '%s: a change right after the fault failed: %s\n' "$label" "$out"
    fi
    lab_assert_within "$label: n$v logs its storage fault" 10 \
        lab_logged_since "$v" "storage fault: its state directory is on a read-only file system"
    lab_storage_fault_holds "$label" "$v" "$T"

    lab_stop_node "$v"
    lab_assert -m "$label: n$v's file system repaired" lab_state_fs_repair "$v"
    lab_start_node "$v"
    lab_assert_within "$label: n$v rejoined, the votes settled" "$T" lab_rejoined "$v" "$others"
    lab_assert_within "$label: n$v holds what was committed meanwhile" "$T" \
        lab_group_listed "$v" "$label-a"
    lab_assert_within "$label: no fault listed" "$T" lab_not lab_storage_faulted "$v" "$v"
    lab_assert -m "$label: n$v says it is in none" lab_not lab_says_storage_fault "$v"
}

lab_storage_rounds round
lab_pass "storage_readonly"
