#!/bin/bash
# scenario_storage_only_voter.sh — the disk of a one-node cluster's only voter fills up. Nobody
# can take its vote or its log, so it goes on committing into the segments raft prepared ahead.
# Its snapshots find what room the segments closed for them give back, or none (a full disk
# during a snapshot: the node says so, keeps its whole log and goes on). When the prepared room
# is used up its log stops, and the write that found no room is never acknowledged. Once the space is back the node stops with
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

# properties of 4000 bytes that do not compress, one per commit, until one finds no room
out=$(commit 20000 4000 each) || true
acked=$(sed -n 's/^committed=//p' <<<"$out")
lab_assert -m "a commit found no room ($out)" test -n "$acked"
lab_assert -m "commits went on in the prepared room ($acked acknowledged)" test "$acked" -gt 100
# Whether a snapshot found no room depends on what the segments raft closes for it give back
# (each snapshot closes the current one early and its unused preallocation is freed): said, not
# asserted; test_consensus_disk covers how a failed one is told.
if lab_logged_since 1 "raft could not write a snapshot into "; then
    echo "    a snapshot found no room (logged)"
else
    echo "    every snapshot found room in what raft's closed segments gave back"
fi
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
last=$((acked - 1))
holds() { [[ $(prop "BenchCommit$last") == "$last" ]] && [[ $(prop BenchCommit0) == 0 ]]; }
lab_assert_within "n1 holds every acknowledged commit" "$T" holds
snapshot() { compgen -G "$state/raft/snapshot-*.meta" >/dev/null; }
lab_assert_within "n1 writes its snapshot" "$T" snapshot
lab_assert -m "new commits go through" commit 20
lab_pass "storage_only_voter"
