#!/bin/bash
# scenario_membership_add.sh — AddClusterNode on one lab of 6 nodes: a cluster created on n1
# grows one node at a time to six (so nodes are added to a 1-node, a 3-node and a 5-node
# cluster; with five voters, n6 joins as a standby).  After each add: every member Running and
# committed, the database hashes agree, the cluster lists exactly its members, the cluster IP
# has one owner (a member) and answers.  Then: adding a member again fails with 5065; adding a
# node whose clussvc is down fails with 5051 and leaves the cluster and the node as they were;
# adding a node while a follower of a 3-node cluster is down succeeds.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_clussvc
lab_require_tool lab_op

T=15 # bound for anything that converges; every wait ends as soon as its condition holds

lab_init 6
for ((i = 1; i <= 6; i++)); do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)

# Runs lab_op with ARGS; output to $LAB_DIR/LABEL.out, exit status to RC, result status to ST.
op() { # LABEL ARGS...
    local label=$1
    shift
    RC=0
    lab_op "$@" >"$LAB_DIR/$label.out" 2>&1 || RC=$?
    ST=$(lab_result_status "$LAB_DIR/$label.out" || echo none)
    grep -v '^cb ' "$LAB_DIR/$label.out" | sed 's/^/    /' || true
}

names() { # I... -> "nI ..."
    local i
    for i in "$@"; do printf 'n%d ' "$i"; done | sed 's/ $//'
}

owner_is_member() { # ADDR "I..."
    local o
    o=$(lab_ip_owners "$1")
    [[ -n $o ]] && grep -qw "$o" <<<"$2"
}

# The invariants of a healthy cluster c1 whose nodes "I..." are up (MEMBERS: all of its nodes,
# up or not; default the same) with the cluster IP.
check_members() { # LABEL "I..." ["MEMBERS..."]
    local label=$1 nodes=$2 members=${3:-$2}
    lab_assert_within "$label: every member Running and committed" "$T" \
        lab_all_nodeinfo_is "$nodes" state=19 committed=1 cluster=c1
    # shellcheck disable=SC2086 # a list of indexes
    lab_assert_within "$label: database hashes agree" "$T" lab_nodes_agree db_hash $nodes
    # shellcheck disable=SC2086
    lab_assert -m "$label: the cluster lists exactly $(names $members)" \
        lab_members_are "${nodes%% *}" "$(names $members)"
    lab_assert_within "$label: $ip has exactly one owner" "$T" lab_ip_one_owner "$ip"
    lab_assert -m "$label: the owner of $ip is a member" owner_is_member "$ip" "$nodes"
    lab_assert_within "$label: $ip answers" "$T" lab_ip_answers "$ip"
}

# Adds node NEW through node VIA and checks the cluster "I..." (NEW included) afterwards.
add_ok() { # LABEL VIA NEW "I..."
    local label=$1 via=$2 new=$3 nodes=$4
    op "$label" add "n$via" "n$new"
    lab_assert -m "$label: lab_op exits 0" test "$RC" = 0
    lab_assert -m "$label: result status=0" test "$ST" = 0
    lab_assert -m "$label: the final End carries 100" \
        grep -q "^cb phase=302 type=3 severity=1 percent=100 object=n$new " "$LAB_DIR/$label.out"
    check_members "$label" "$nodes"
}

# --- grow from 1 to 6 -----------------------------------------------------------------------
lab_create c1 --node n1 --ip "$ip/24" >"$LAB_DIR/create1.out" 2>&1 || true
lab_assert -m "create: 1-node cluster c1 on n1" test "$(lab_result_status "$LAB_DIR/create1.out")" = 0
check_members "create" "1"

add_ok "add to 1 node" 1 2 "1 2"
lab_assert -m "add to 1 node: a Warning that one crash can stop two nodes without a witness" \
    grep -q "^cb phase=300 type=4 severity=2 .*object=One failure can stop this cluster" \
    "$LAB_DIR/add to 1 node.out"
add_ok "add to 2 nodes" 2 3 "1 2 3"
lab_assert -m "add to 2 nodes: no such Warning with three" \
    lab_not grep -q "One failure can stop" "$LAB_DIR/add to 2 nodes.out"
add_ok "add to 3 nodes" 3 4 "1 2 3 4"
add_ok "add to 4 nodes" 1 5 "1 2 3 4 5"
add_ok "add to 5 nodes" 1 6 "1 2 3 4 5 6"

standby_logged() { # NODE_ID
    grep -qx "<6>member: node $1 is a standby" "$LAB_DIR"/n*/clussvc.log
}
# A node joins as a voter when dynamic quorum gives it a vote at once, or as a standby that gets
# its vote with the next change (changes are spaced): what counts is the settled outcome, five
# voters of six, the sixth a standby.
id6=$(lab_nodeinfo 6 node_id)
lab_assert -m "add to 5 nodes: n6 (node $id6) joined as a standby (leader log)" \
    standby_logged "$id6"
lab_assert_within "add to 5 nodes: the votes settled" 20 lab_votes_settled "1 2 3 4 5 6"
five_vote() {
    local i
    for i in 1 2 3 4 5; do lab_nodeinfo_is "$i" member_role=1 || return 1; done
    lab_nodeinfo_is 6 member_role=0
}
lab_assert -m "add to 5 nodes: n1-n5 vote, n6 is a standby (at most five vote)" five_vote
lab_assert -m "add to 5 nodes: n6 is a follower" lab_nodeinfo_is 6 raft_role=1

# --- a member again: 5065 -------------------------------------------------------------------
hash_before=$(lab_nodeinfo 1 db_hash)
op dup add n1 n3
lab_assert -m "duplicate: lab_op exits 1 (failed, contract kept)" test "$RC" = 1
lab_assert -m "duplicate: status 5065 (ERROR_CLUSTER_NODE_ALREADY_MEMBER)" test "$ST" = 5065
lab_assert -m "duplicate: the failed phase ends Fatal with 5065" \
    grep -q '^cb phase=[0-9]* type=3 severity=3 .* status=5065$' "$LAB_DIR/dup.out"
lab_assert -m "duplicate: the database did not change" \
    test "$(lab_nodeinfo 1 db_hash)" = "$hash_before"
lab_assert -m "duplicate: n3 is still Running in c1" \
    lab_nodeinfo_is 3 state=19 committed=1 cluster=c1
check_members "duplicate" "1 2 3 4 5 6"

# --- a fresh 3-node cluster for the failure cases --------------------------------------------
for ((i = 1; i <= 6; i++)); do lab_client "$(lab__tool lab_nodeinfo)" "n$i" --clear >/dev/null; done
lab_assert_within "reset: every node NotConfigured" "$T" lab_all_nodeinfo_is "1 2 3 4 5 6" state=1
lab_assert_within "reset: $ip released" "$T" lab_not lab_ip_answers "$ip"
lab_create c1 --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create3.out" 2>&1 || true
lab_assert -m "reset: 3-node cluster c1 on n1-n3" \
    test "$(lab_result_status "$LAB_DIR/create3.out")" = 0
check_members "reset" "1 2 3"

# --- a node whose clussvc is down: 5051, nothing changes -------------------------------------
lab_stop_node 5
hash_before=$(lab_nodeinfo 1 db_hash)
op down add n1 n5
lab_assert -m "node down: lab_op exits 1" test "$RC" = 1
lab_assert -m "node down: status 5051 (ERROR_CLUSTER_NODE_UNREACHABLE)" test "$ST" = 5051
lab_assert -m "node down: FailureCleanup (999) ran" grep -q '^cb phase=999 type=3 ' "$LAB_DIR/down.out"
lab_assert -m "node down: the database did not change" \
    test "$(lab_nodeinfo 1 db_hash)" = "$hash_before"
check_members "node down" "1 2 3"
lab_start_node 5
lab_assert -m "node down: n5 NotConfigured once started" lab_nodeinfo_is 5 state=1
lab_assert -m "node down: n5 clean once started" lab_node_is_clean 5 "$ip"

# --- a follower down: the add still succeeds --------------------------------------------------
# Phase 102 asks the new node to reach a majority of the members; the one that is down only
# draws a Warning.
lead=$(lab_leader "1 2 3") || lab_fail "follower down: no leader among n1-n3"
victim=
for i in 1 2 3; do
    [[ $i == "$lead" || $i == "$(lab_ip_owners "$ip")" ]] || victim=$i
done
lab_kill_node "$victim"
up=$(for i in 1 2 3; do [[ $i == "$victim" ]] || printf '%d ' "$i"; done)
up=${up% }
op member-down add "n$lead" n4
lab_assert -m "follower n$victim down: add n4 returns 0" \
    test "$RC/$ST" = 0/0
check_members "follower n$victim down" "$up 4" "1 2 3 4"
lab_start_node "$victim"
check_members "follower n$victim back" "1 2 3 4"
lab_pass "membership_add"
