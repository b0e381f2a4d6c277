#!/bin/bash
# scenario_status_commands.sh — the cluster's status (node, group and resource states, releases,
# lease confirmations, membership) is recorded only by the service itself. On a three-node
# cluster, lab_statuscmd sends every status command (SET_NODE_STATE, SET_GROUP_STATE,
# SET_RESOURCE_STATE, RELEASE_RESOURCE, CONFIRM_NODE, EXPECT_NODE, SYNC, REMOVE_NODE,
# SET_NODE_ROLE, and a BATCH holding one) to each node in turn, the leader and the followers that
# relay to it: with the admin key through RPC_OP_APPLY and RPC_OP_MEMBER_REPORT, and with the
# cluster credential through RPC_OP_APPLY and as forged member reports (about another node, about
# a group or resource the sender does not own, a handover, a batch, from a non-member). Each
# must be refused, and afterwards every node has the same leader, database version and hash as
# before. A control then shows what is allowed does commit: a member's SYNC about itself and a
# configuration command with the admin key.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_statuscmd

T=15
NAME=statuscmds
members="1 2 3"

lab_init 3
for i in $members; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
lab_create "$NAME" --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 ||
    lab_fail "create: $(tail -n 1 "$LAB_DIR/create.out")"
lab_assert_within "create: members Running and committed" "$T" \
    lab_all_nodeinfo_is "$members" state=19 committed=1 cluster="$NAME"
lab_wait_for "the cluster IP answers" "$T" lab_ip_answers "$ip"

snapshot() { lab_db_snapshot "$members"; }
settled() { # every member at the same version and hash
    [[ $(snapshot | tr ' ' '\n' | tail -n +2 | sort -u | wc -l) == 1 ]]
}
lab_assert_within "before: one leader, every node at the same version and hash" "$T" settled
before=$(snapshot)
echo "    before: $before"

statuscmd() { # LABEL ARGS... — runs lab_statuscmd from the client, shows and checks it
    lab_refusals "$1" "$(lab__tool lab_statuscmd)" "${@:2}"
}
unchanged() { # LABEL
    lab_assert -m "$1: leader, database versions and hashes unchanged on every node" \
        test "$(snapshot)" = "$before"
}

cid=$(lab_nodeinfo 1 cluster_id)
for i in $members; do
    CLUSAPI_AUTHKEY=$LAB_DIR/authkey statuscmd "admin-n$i" admin "$(lab_node_addr "$i")"
    unchanged "admin key to n$i"
    statuscmd "member-n$i" member "$LAB_DIR/n$i/state/cluster.key" "$cid" "$(lab_node_addr "$i")"
    unchanged "cluster credential to n$i"
done
for label in admin member; do
    n=$(cat "$LAB_DIR/$label"-n*.out | grep -c '^refused ' || true)
    lab_pass "$label: $n attempts refused across the three nodes"
done
lab_assert -m "the leader logged the refusals" \
    grep -q 'refused a .* report from node' "$LAB_DIR"/n*/clussvc.log

# --- control: what is allowed commits, so the refusals were the service's doing --------------
rc=0
CLUSAPI_AUTHKEY=$LAB_DIR/authkey lab_client "$(lab__tool lab_statuscmd)" control \
    "$LAB_DIR/n2/state/cluster.key" "$cid" "$(lab_node_addr 2)" >"$LAB_DIR/control.out" 2>&1 ||
    rc=$?
sed 's/^/    /' "$LAB_DIR/control.out"
lab_assert -m "control: a member's own SYNC and a configuration command commit" test "$rc" = 0
lab_assert_within "control: every node moved on together" "$T" settled
lab_assert -m "control: the database moved on" test "$(snapshot)" != "$before"
lab_assert -m "the cluster still lists n1 n2 n3" lab_members_are 1 "n1 n2 n3"
lab_assert -m "$ip has one owner" lab_ip_one_owner "$ip"
lab_pass "status_commands"
