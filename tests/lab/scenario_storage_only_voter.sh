#!/bin/bash
# scenario_storage_only_voter.sh — the disk of a one-node cluster's only voter fills up. Nobody
# can take its vote or its log, so it goes on committing into the segments raft prepared ahead.
# The snapshot due at entry 1024 cannot be written (a full disk during a snapshot): the node
# says so, keeps its whole log and goes on. When the prepared room is used up its log stops, and
# the write that found no room is never acknowledged. Once the space is back the node stops with
# exit 75 (EX_TEMPFAIL, for its supervisor to start it again); started again it holds every
# acknowledged commit, writes its snapshot and takes new commits. No crash, no sanitizer report.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_commit

T=30
lab_init 1
lab_state_tmpfs 1 64m
lab_failover_cluster solo
state=$LAB_DIR/n1/state
commit() { lab_client "$(lab__tool lab_commit)" "$(lab_node_addr 1)" "$@"; }
lab_log_mark 1
# the whole file system taken: the 24 MiB raft prepared are all the room left
fallocate -l "$(df -B1 --output=avail "$state" | tail -n 1)" "$state/fill"
lab_assert_within "n1 says it is in a storage fault" "$T" lab_logged_since 1 "storage fault: "

# 1100 properties of 4000 bytes that do not compress: a snapshot of 4 MiB at entry 1024
lab_assert -m "commits go on past the snapshot threshold" commit 1100 4000 each
lab_assert -m "the snapshot that found no room is logged" \
    lab_logged_since 1 "raft could not write a snapshot into "
# then 60000 bytes at a time into one property, until the prepared room is used up
out=$(commit 1000 60000) || true
acked=$(sed -n 's/^committed=//p' <<<"$out")
lab_assert -m "a commit found no room ($out)" test -n "$acked"
lab_assert -m "the log stopped where the prepared room ended" \
    lab_logged_since 1 "raft could not write its log: no space left"
lab_assert -m "n1 runs still" lab_node_running 1

rm -f "$state/fill"
gone() { ! lab_node_running 1; }
lab_assert_within "with room again n1 stops by itself" "$T" gone
lab_stop_node 1 # reaps it
lab_assert -m "n1 exits 75 ($(cat "$LAB_DIR/n1/exit"))" test "$(cat "$LAB_DIR/n1/exit")" = 75
lab_assert -m "it says why" \
    lab_logged_since 1 "the service stops (exit 75) so that it is started again"

lab_log_mark 1
lab_assert -m "n1 starts again" lab_start_node 1
prop() { commit read "$1" 2>/dev/null; }
holds() { local v; v=$(prop BenchCommit) && ((v >= acked - 1)) && [[ $(prop BenchCommit1099) == 1099 ]]; }
lab_assert_within "n1 holds every acknowledged commit" "$T" holds
echo "    BenchCommit $(prop BenchCommit), $acked acknowledged"
snapshot() { compgen -G "$state/raft/snapshot-*.meta" >/dev/null; }
lab_assert_within "n1 writes its snapshot" "$T" snapshot
lab_assert -m "new commits go through" commit 20
lab_pass "storage_only_voter"
