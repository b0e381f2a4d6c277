#!/bin/bash
# scenario_restart.sh — a 3-node cluster survives its nodes' services restarting: each node in
# turn stopped (SIGTERM) and started, then each in turn killed (SIGKILL) and started.  After each
# restart the node is Running again with the same database as the others, and the cluster IP
# answers from the client with exactly one owner.  Last, the owner is killed and started only
# once another node has taken the address over: the address must stay with one node.
#
# Guards a regression (checks marked "takeover"): a node restarted after the others took its
# group over once acted on its database from before the restart and, failing to bring the IP
# online, recorded it Failed under itself, so the new owner took it offline and nobody held it.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=20
lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)

rc=0
lab_create rst --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 || rc=$?
lab_assert -m "the 3-node cluster is created" test "$rc" = 0
lab_assert_within "the cluster IP answers" "$T" lab_ip_answers "$ip"

one_owner() {
    [[ $(lab_ip_owners "$ip" | wc -l) == 1 ]]
}

# Exactly one owner, answering, several times in a row: an address that is about to move or to
# appear twice does not pass on one lucky look.
owner_stable() {
    local n
    for n in 1 2 3; do
        one_owner && lab_ip_answers "$ip" || return 1
    done
}

restart() { # HOW I
    local how=$1 i=$2 owner
    owner=$(lab_ip_owners "$ip" | tr '\n' ' ')
    owner=${owner% }
    if [[ $how == stop ]]; then lab_stop_node "$i"; else lab_kill_node "$i"; fi
    lab_assert -m "$how n$i (owner of the IP: n$owner): the service is gone" \
        lab_not lab_node_running "$i"
    if [[ $how == stop && $owner == "$i" ]]; then
        lab_assert -m "stop n$i: the owner released the IP on its way out" \
            lab_not grep -qx "$i" <<<"$(lab_ip_owners "$ip")"
    fi
    lab_start_node "$i"
    lab_assert_within "$how n$i: Running and committed again" "$T" \
        lab_nodeinfo_is "$i" state=19 committed=1 cluster=rst
    lab_assert_within "$how n$i: the three agree on the database" "$T" \
        lab_nodes_agree db_hash 1 2 3
    lab_assert_within "$how n$i: exactly one owner, and the IP answers" \
        "$T" owner_stable
    lab_assert -m "$how n$i: every node Running" lab_all_nodeinfo_is "1 2 3" state=19 committed=1
    # Dynamic quorum gives the votes back one change at a time: the next fault waits for it, or
    # it could meet two voters and stop the cluster.
    lab_assert_within "$how n$i: the votes settled" "$T" lab_votes_settled "1 2 3"
}

for how in stop kill; do
    for i in 1 2 3; do
        restart "$how" "$i"
    done
done

moved_from() { # I — another node has the address and it answers
    local w
    w=$(lab_ip_owners "$ip")
    [[ -n $w && $w != "$1" ]] && lab_ip_answers "$ip"
}
owner=$(lab_ip_owners "$ip")
lab_kill_node "$owner"
lab_assert_within "takeover: n$owner killed, another node answers for the IP" "$T" \
    moved_from "$owner"
lab_start_node "$owner"
lab_assert_within "takeover: n$owner Running and committed again" "$T" \
    lab_nodeinfo_is "$owner" state=19 committed=1 cluster=rst
lab_assert_within "takeover: the three agree on the database" "$T" lab_nodes_agree db_hash 1 2 3
lab_assert_within "takeover: exactly one owner, and the IP answers" "$T" \
    owner_stable
lab_pass "restart"
