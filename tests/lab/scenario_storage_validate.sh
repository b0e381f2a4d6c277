#!/bin/bash
# scenario_storage_validate.sh — a node whose state directory cannot hold a cluster is refused in
# ValidateNodeState (phase 100), before anything anywhere changes, with the Win32 code that says
# why: n1's state directory on a 3 MiB tmpfs (ERROR_DISK_FULL, 112), then on a read-only one
# (ERROR_WRITE_PROTECT, 19); each time the create ends in FailureCleanup and every node is
# NotConfigured and clean. With room again the same create succeeds. Then AddClusterNode of n4,
# whose state directory is a 3 MiB tmpfs: refused in its phase 100, the cluster untouched.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=15
lab_init 4
lab_state_tmpfs 1 3m
lab_state_tmpfs 4 3m
for i in 1 2 3 4; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)

create() { # LABEL — a create of n1..n3; output in $OUT, exit status in RC
    RC=0
    OUT=$LAB_DIR/create-$1.out
    lab_create stor --node n1 --node n2 --node n3 --ip "$ip/24" >"$OUT" 2>&1 || RC=$?
    grep -v '^cb ' "$OUT" | sed 's/^/    /' || true
}

only_validation() { ! grep '^cb phase=' "$OUT" | grep -qvE '^cb phase=(1|100|999) '; }

refused() { # LABEL STATUS REASON — the create failed in phase 100 on n1, and nothing changed
    local label=$1 status=$2 reason=$3 i
    lab_assert -m "$label: the create fails" test "$RC" = 1
    lab_assert -m "$label: result status=$status" \
        test "$(lab_result_status "$OUT")" = "$status"
    lab_assert -m "$label: phase 100 ends Fatal with $status, naming n1" \
        grep -qE "^cb phase=100 type=3 severity=3 percent=[0-9]+ object=n1 status=$status\$" \
        "$OUT"
    lab_assert -m "$label: the reason says '$reason'" grep -q "$reason" "$OUT"
    lab_assert -m "$label: FailureCleanup (999) ran" grep -q "^cb phase=999 type=3" "$OUT"
    lab_assert -m "$label: no phase but 1, 100 and the cleanup" only_validation
    for i in 1 2 3; do
        lab_assert -m "$label: n$i NotConfigured" lab_nodeinfo_is "$i" state=1
        lab_assert -m "$label: n$i clean" lab_node_is_clean "$i" "$ip"
    done
}

create small
refused "n1 with 3 MiB" 112 "MiB free; a node needs 32 MiB"

lab_state_remount 1 size=64m
lab_state_remount 1 ro
create readonly
refused "n1 read-only" 19 "read-only file system"

lab_state_remount 1 rw
create roomy
lab_assert -m "n1 with 64 MiB, writable: the create succeeds ($(tail -n 1 "$OUT"))" \
    test "$RC" = 0
lab_assert_within "every node Running in the cluster" "$T" \
    lab_all_nodeinfo_is "1 2 3" state=19 committed=1 cluster=stor
lab_assert_within "$ip answers" "$T" lab_ip_answers "$ip"
used=$(df -m --output=used "$LAB_DIR/n1/state" | tail -n 1 | tr -d ' ')
printf "n1's state directory holds %s MiB once the cluster is created\n" "$used"
lab_assert -m "that is within the 32 MiB a node is asked for ($used MiB)" test "$used" -le 32

rc=0
lab_op add n1 n4 >"$LAB_DIR/add.out" 2>&1 || rc=$?
lab_assert_setup_refused "add n4 with 3 MiB (ERROR_DISK_FULL)" "$LAB_DIR/add.out" "$rc" 100 112
lab_assert_within "the cluster still lists exactly n1 n2 n3" "$T" lab_members_are 1 "n1 n2 n3"
lab_assert -m "n4 NotConfigured" lab_nodeinfo_is 4 state=1
lab_assert -m "n4 clean" lab_node_is_clean 4 "$ip"
lab_assert_within "$ip still answers" "$T" lab_ip_answers "$ip"
lab_pass "storage_validate"
