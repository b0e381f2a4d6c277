#!/bin/bash
# scenario_last_man.sh — "last man standing": a 5-node cluster stopped gracefully one node at a
# time, always the node that holds the core group, down to a single node.
#
# First a node is paused and resumed: its vote goes and comes back.
# Dynamic quorum takes each stopping node's vote before it goes (and keeps the number of voters
# odd), so the nodes that stay always hold a majority: the group is handed over at every stop,
# the prober never sees two answerers, and the last node keeps the group online and commits
# alone.  Then the four are started again: each gets its vote back, and the cluster ends with
# five voters.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 5
lab_failover_cluster lastman
lab_start_prober p "$LAB_FO_IP" 300

voters() { # the number of running nodes that vote (member_role=1: RAFT_VOTER)
    local i n=0
    for i in $1; do
        lab_nodeinfo_is "$i" member_role=1 && n=$((n + 1))
    done
    echo "$n"
}
voters_are() { test "$(voters "$1")" = "$2"; }

running="1 2 3 4 5"
lab_assert_within "five voters" 15 voters_are "$running" 5

# A paused node's vote goes, and comes back when it is resumed: four node votes would be even,
# so one more goes meanwhile.
owner=$(lab_owner "$LAB_FO_IP") || lab_fail "pause: exactly one owner"
others=$(lab_others "$owner")
paused=${others%% *}
lab_assert -m "pause n$paused" lab_clusctl -c "n$owner" node pause "n$paused"
lab_assert_within "the paused n$paused no longer votes" 15 lab_nodeinfo_is "$paused" member_role=0
lab_assert_within "three of the four others vote" 15 voters_are "$running" 3
lab_assert -m "the group stayed on n$owner" test "$(lab_owner "$LAB_FO_IP")" = "$owner"
lab_assert -m "resume n$paused" lab_clusctl -c "n$owner" node resume "n$paused"
lab_assert_within "five voters again" 20 voters_are "$running" 5
for round in 1 2 3 4; do
    old=$(lab_owner "$LAB_FO_IP") || lab_fail "round $round: exactly one owner"
    lab_wait_for "round $round: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    lab_stop_node "$old"
    running=$(for i in $running; do [[ $i == "$old" ]] || printf '%s ' "$i"; done)
    running=${running% }
    lab_assert_takeover "round $round: graceful stop of n$old" p "$old" "$t"
    lab_assert -m "round $round: n$old gave its vote away before it stopped" \
        grep -q "no longer votes: stopping" "$LAB_DIR/n$old/clussvc.log"
    lab_assert_within "round $round: one owner among $running, answering" 20 \
        lab_fo_settled "$running"
    printf 'round %s: n%s stopped; n%s answered %s ms later; %s voters among %s\n' "$round" \
        "$old" "$(lab_owner "$LAB_FO_IP")" "$LAB_TAKEOVER_MS" "$(voters "$running")" "$running"
done
last=$running
lab_assert_within "n$last, the last node, votes" 10 lab_nodeinfo_is "$last" member_role=1
lab_assert -m "n$last commits alone (a group created through it)" \
    lab_clusctl -c "n$last" group create last-man
lab_assert -m "n$last still holds the address" test "$(lab_owner "$LAB_FO_IP")" = "$last"

for i in $(lab_others "$last"); do
    lab_start_node "$i"
done
for i in $(lab_others "$last"); do
    lab_assert_within "n$i rejoined" 30 lab_rejoined "$i" "$last"
done
lab_assert_within "every node votes again: five voters" 30 voters_are "1 2 3 4 5" 5
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "last_man"
