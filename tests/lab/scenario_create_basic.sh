#!/bin/bash
# scenario_create_basic.sh — CreateCluster end to end on one lab of 11 nodes, each cluster on
# nodes of its own: 1 node (n1), 3 nodes (n2-n4) and 5 nodes (n5-n9) with one cluster IP each,
# and an empty cluster (n10, n11) with none.  Checks the result, every node Running and
# committed, the database hashes agreeing, one owner of the address, the address answering,
# and that all five nodes of the 5-node cluster vote.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=15 # bound for anything that converges; every wait ends as soon as its condition holds

lab_init 11
for ((i = 1; i <= 11; i++)); do lab_start_node "$i"; done

# Runs lab_create with ARGS; its output goes to $LAB_DIR/NAME.out, its exit status to RC.
create() { # NAME ARGS...
    local name=$1
    shift
    RC=0
    lab_create "$name" "$@" >"$LAB_DIR/$name.out" 2>&1 || RC=$?
    sed 's/^/    /' "$LAB_DIR/$name.out" | grep -v '^    cb ' || true
}

node_args() { # I... — sets ARGS to --node nI ...
    local i
    ARGS=()
    for i in "$@"; do ARGS+=(--node "n$i"); done
}

owners_are_one() { # ADDR
    [[ $(lab_ip_owners "$1" | wc -l) == 1 ]]
}

# Node I's eth0 holds only its own two addresses.
only_own_addrs() { # I
    [[ $(lab_node_addrs "$1" | sort | tr '\n' ' ') == \
        "$(printf '%s\n' "$(lab_node_addr "$1")" "$(lab_node_addr6 "$1")" | sort | tr '\n' ' ')" ]]
}

# Checks a cluster created on nodes "I..." with ADDR (or none).
check_cluster() { # LABEL "I..." ADDR|-
    local label=$1 nodes=$2 addr=$3 i
    lab_assert -m "$label: every node Running and committed" \
        lab_all_nodeinfo_is "$nodes" state=19 committed=1 "cluster=$label"
    # shellcheck disable=SC2086 # a list of indexes
    lab_assert_within "$label: database hashes agree" "$T" lab_nodes_agree db_hash $nodes
    if [[ $addr == - ]]; then
        for i in $nodes; do
            lab_assert -m "$label: n$i holds no cluster address" only_own_addrs "$i"
        done
        return 0
    fi
    lab_assert -m "$label: exactly one node has $addr" owners_are_one "$addr"
    lab_assert -m "$label: the owner is a member" \
        grep -qw "$(lab_ip_owners "$addr")" <<<"$nodes"
    lab_assert_within "$label: $addr answers from the client" "$T" lab_ip_answers "$addr"
}

# --- 1 node -----------------------------------------------------------------------------------
ip1=$(lab_cluster_ip 1)
node_args 1
create one "${ARGS[@]}" --ip "$ip1/24"
lab_assert -m "one: lab_create exits 0" test "$RC" = 0
lab_assert -m "one: result status=0" grep -qx 'result status=0' "$LAB_DIR/one.out"
check_cluster one "1" "$ip1"
lab_assert -m "one: the other nodes are untouched" \
    lab_all_nodeinfo_is "2 3 4 5 6 7 8 9 10 11" state=1

# --- 3 nodes ----------------------------------------------------------------------------------
ip3=$(lab_cluster_ip 3)
node_args 2 3 4
create three "${ARGS[@]}" --ip "$ip3/24"
lab_assert -m "three: lab_create exits 0" test "$RC" = 0
check_cluster three "2 3 4" "$ip3"
lab_assert -m "three: one leader, the others follow it" \
    test "$(for i in 2 3 4; do lab_nodeinfo "$i" raft_role; done | sort | tr '\n' ' ')" = "1 1 3 "

# --- 5 nodes ----------------------------------------------------------------------------------
ip5=$(lab_cluster_ip 5)
node_args 5 6 7 8 9
create five "${ARGS[@]}" --ip "$ip5/24"
lab_assert -m "five: lab_create exits 0" test "$RC" = 0
check_cluster five "5 6 7 8 9" "$ip5"

# Every node of the five votes: with the leader and another of the first two stopped, the three
# left must still elect a leader, which takes three votes of five (with four voters or fewer,
# two of the three survivors could not make a majority).
leader_node() { # "I..." -> the index whose raft_role is 3
    local i
    for i in $1; do
        [[ $(lab_nodeinfo "$i" raft_role 2>/dev/null) == 3 ]] && { echo "$i"; return 0; }
    done
    return 1
}
new_leader_among() { # OLD_ID "I..." — one of them leads, the others follow it, not OLD_ID
    local old=$1 nodes=$2 l lid i
    l=$(leader_node "$nodes") || return 1
    lid=$(lab_nodeinfo "$l" node_id) || return 1
    [[ $lid != "$old" ]] || return 1
    for i in $nodes; do
        [[ $(lab_nodeinfo "$i" leader_id) == "$lid" ]] || return 1
    done
}
lab_wait_for "five: a leader" "$T" leader_node "5 6 7 8 9"
lead=$(leader_node "5 6 7 8 9")
old_id=$(lab_nodeinfo "$lead" node_id)
other=5
[[ $lead != 5 ]] || other=6
survivors=$(for i in 5 6 7 8 9; do [[ $i == "$lead" || $i == "$other" ]] || echo "$i"; done |
    tr '\n' ' ')
lab_kill_node "$lead"
lab_kill_node "$other"
lab_assert_within "five: n$lead (leader) and n$other down, the other three elect a leader" "$T" \
    new_leader_among "$old_id" "$survivors"
lab_start_node "$lead"
lab_start_node "$other"
lab_assert_within "five: the stopped two come back Running" "$T" \
    lab_all_nodeinfo_is "$lead $other" state=19 committed=1
lab_assert_within "five: database hashes agree again" "$T" lab_nodes_agree db_hash 5 6 7 8 9
# When the owner of the address was one of the two, the others took the group over; the old
# owner, restarted, must leave the address with the new one (see scenario_restart.sh).
lab_assert_within \
    "five: $ip5 still has exactly one owner" \
    "$T" owners_are_one "$ip5"
lab_assert_within "five: $ip5 still answers" "$T" lab_ip_answers "$ip5"

# --- empty, 2 nodes ---------------------------------------------------------------------------
node_args 10 11
create empty "${ARGS[@]}" --empty
lab_assert -m "empty: lab_create exits 0" test "$RC" = 0
check_cluster empty "10 11" -

# The clusters did not touch one another.
for a in "$ip1" "$ip3" "$ip5"; do
    lab_assert -m "all: $a has exactly one owner" owners_are_one "$a"
done
lab_assert -m "one: n1 still Running" lab_nodeinfo_is 1 state=19 committed=1 cluster=one
lab_pass "create_basic"
