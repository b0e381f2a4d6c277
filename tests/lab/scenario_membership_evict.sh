#!/bin/bash
# scenario_membership_evict.sh — EvictClusterNodeEx on one cluster of six (n1-n5 created, n6
# added as a standby), shrunk one eviction at a time: a follower (the standby takes its vote),
# the leader (leadership moves first), the node that owns the cluster IP (the IP moves and keeps
# answering), a node that is down (5896 ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP at once; the node
# wipes itself within 15 s of coming back, the cluster undisturbed), a follower of two, and then
# the last node (5939 ERROR_CLUSTER_EVICT_INVALID_REQUEST).  After every eviction: the remaining
# members Running, committed, agreeing on the database and on the leader, listing exactly
# themselves; the evicted node NotConfigured and clean; the cluster IP on one member, answering.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_clussvc
lab_require_tool lab_op

T=15
SELF_CLEAN_S=15 # an evicted node that was down must wipe itself this soon after it starts

lab_init 6
for ((i = 1; i <= 6; i++)); do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
members="1 2 3 4 5 6"

op() { # LABEL ARGS...
    local label=$1
    shift
    RC=0
    lab_op "$@" >"$LAB_DIR/$label.out" 2>&1 || RC=$?
    ST=$(lab_result_status "$LAB_DIR/$label.out" || echo none)
    grep -v '^cb ' "$LAB_DIR/$label.out" | sed 's/^/    /' || true
}

owner_is_member() { # ADDR "I..."
    local o
    o=$(lab_ip_owners "$1")
    [[ -n $o ]] && grep -qw "$o" <<<"$2"
}

without() { # "I..." J -> the list without J
    local i out=
    for i in $1; do [[ $i == "$2" ]] || out+="$i "; done
    echo "${out% }"
}

check_cluster() { # LABEL "I..."
    local label=$1 nodes=$2 names
    names=$(for i in $nodes; do printf 'n%d ' "$i"; done)
    lab_assert_within "$label: members Running and committed" "$T" \
        lab_all_nodeinfo_is "$nodes" state=19 committed=1 cluster=c1
    # shellcheck disable=SC2086 # a list of indexes
    lab_assert_within "$label: database hashes agree" "$T" lab_nodes_agree db_hash $nodes
    lab_assert_within "$label: all members name the same leader" "$T" lab_leader "$nodes"
    lab_assert -m "$label: the cluster lists exactly ${names% }" \
        lab_members_are "${nodes%% *}" "${names% }"
    lab_assert_within "$label: $ip is on a member" "$T" owner_is_member "$ip" "$nodes"
    lab_assert -m "$label: $ip has exactly one owner" lab_ip_one_owner "$ip"
    lab_assert_within "$label: $ip answers" "$T" lab_ip_answers "$ip"
}

# Evicts node VICTIM through another member; checks the result, the victim and the cluster.
evict_ok() { # LABEL VICTIM
    local label=$1 victim=$2 via
    members=$(without "$members" "$victim")
    via=${members%% *}
    op "$label" evict "n$via" "n$victim"
    lab_assert -m "$label: evict n$victim through n$via returns 0" test "$RC/$ST" = 0/0
    lab_assert -m "$label: the cleanup HRESULT is S_OK" grep -qx 'cleanup hr=0x00000000' \
        "$LAB_DIR/$label.out"
    lab_assert -m "$label: n$victim NotConfigured" lab_nodeinfo_is "$victim" state=1
    lab_assert -m "$label: n$victim clean" lab_node_is_clean "$victim" "$ip"
    check_cluster "$label" "$members"
}

# A member that is neither the leader nor the owner of the cluster IP (nor in "SKIP...").
plain_follower() { # SKIP...
    local i lead owner
    lead=$(lab_leader "$members") || return 1
    owner=$(lab_ip_owners "$ip")
    for i in $members; do
        [[ $i == "$lead" || $i == "$owner" || " $* " == *" $i "* ]] || { echo "$i"; return 0; }
    done
    return 1
}

# --- six members: five voters and a standby ----------------------------------------------------
lab_create c1 --node n1 --node n2 --node n3 --node n4 --node n5 --ip "$ip/24" \
    >"$LAB_DIR/create.out" 2>&1 || true
lab_assert -m "create: 5-node cluster c1" test "$(lab_result_status "$LAB_DIR/create.out")" = 0
op add6 add n1 n6
lab_assert -m "create: add n6 (standby)" test "$RC/$ST" = 0/0
check_cluster "six" "$members"

# --- a follower; the standby takes its vote ----------------------------------------------------
f=$(plain_follower 6) || lab_fail "follower: no plain follower among $members"
evict_ok "follower n$f" "$f"
id6=$(lab_nodeinfo 6 node_id)
lab_assert_within "follower n$f: standby n6 (node $id6) got the vote (leader log)" "$T" \
    grep -q "^<6>quorum: node $id6 votes" "$LAB_DIR"/n*/clussvc.log

# --- the leader -------------------------------------------------------------------------------
lead=$(lab_leader "$members")
old_id=$(lab_nodeinfo "$lead" node_id)
evict_ok "leader n$lead" "$lead"
lab_assert -m "leader n$lead: the new leader is another node" \
    test "$(lab_nodeinfo "${members%% *}" leader_id)" != "$old_id"

# --- the owner of the cluster IP ----------------------------------------------------------------
owner=$(lab_ip_owners "$ip")
evict_ok "IP owner n$owner" "$owner"
lab_assert -m "IP owner n$owner: $ip moved to another member" \
    test "$(lab_ip_owners "$ip")" != "$owner"

# --- a node that is down ----------------------------------------------------------------------
d=$(plain_follower) || d=$(for i in $members; do
    [[ $i == "$(lab_leader "$members")" ]] || echo "$i"; done | head -1)
lead=$(lab_leader "$members")
lead_id=$(lab_nodeinfo "$lead" node_id)
lab_kill_node "$d"
members=$(without "$members" "$d")
t0=$EPOCHREALTIME
op "down n$d" evict "n${members%% *}" "n$d" 1000
ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
lab_assert -m "down n$d: status 5896 (ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP)" test "$ST" = 5896
lab_assert -m "down n$d: the cleanup HRESULT is 0x800713bb (node unreachable)" \
    grep -qx 'cleanup hr=0x800713bb' "$LAB_DIR/down n$d.out"
lab_assert -m "down n$d: returned in ${ms} ms with a 1000 ms timeout (< 5000)" test "$ms" -lt 5000
check_cluster "down n$d" "$members"
# What the eviction itself set off (the votes of those left) is done before the hash is taken.
lab_assert_within "down n$d: the votes settled" 15 lab_votes_settled "$members"
hash=$(lab_nodeinfo "$lead" db_hash)
lab_start_node "$d"
lab_assert_within "down n$d: back, it wipes itself within ${SELF_CLEAN_S}s" "$SELF_CLEAN_S" \
    lab_nodeinfo_is "$d" state=1
lab_assert -m "down n$d: clean" lab_node_is_clean "$d" "$ip"
check_cluster "down n$d back" "$members"
lab_assert -m "down n$d back: leader unchanged (n$lead)" \
    test "$(lab_leader "$members")" = "$lead"
lab_assert -m "down n$d back: leader node id unchanged" \
    lab_nodeinfo_is "${members%% *}" "leader_id=$lead_id"
lab_assert -m "down n$d back: the database did not change" \
    test "$(lab_nodeinfo "$lead" db_hash)" = "$hash"

# --- one of two, then the last -----------------------------------------------------------------
lead=$(lab_leader "$members")
evict_ok "one of two n$(without "$members" "$lead")" "$(without "$members" "$lead")"
last=$members
hash=$(lab_nodeinfo "$last" db_hash)
op last evict "n$last" "n$last"
lab_assert -m "last n$last: status 5939 (ERROR_CLUSTER_EVICT_INVALID_REQUEST)" test "$ST" = 5939
lab_assert -m "last n$last: still Running in c1" lab_nodeinfo_is "$last" state=19 committed=1 cluster=c1
lab_assert -m "last n$last: the database did not change" \
    test "$(lab_nodeinfo "$last" db_hash)" = "$hash"
check_cluster "last n$last" "$last"
lab_pass "membership_evict"
