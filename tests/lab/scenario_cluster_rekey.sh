#!/bin/bash
# scenario_cluster_rekey.sh — `clusctl rekey --cluster-credential` replaces the cluster credential with
# no downtime: three rotations in a row while a client commits through the leader the whole time;
# every commit succeeds, the leader and the owner of the cluster IP stay, no node goes down, the
# IP keeps answering, and every member ends on one new credential that differs from each earlier
# one.  A credential from before the rotations is refused afterwards.  A node restarted after the
# rotations rejoins (it stored the new credential); a node added afterwards joins with it.  With a
# member down the rotation is refused (5050 ERROR_CLUSTER_NODE_DOWN) and no credential changes.
# A rotation cut short in its switch round (as if the rotating process died) leaves the cluster
# working, and the next rekey settles it and ends with one credential everywhere.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_op lab_hostile lab_commit lab_rotate

T=15
RAFT_PORT=$((LAB_PORT + 1))
members="1 2 3"

lab_init 4
for i in 1 2 3 4; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
rc=0
lab_create rk --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 || rc=$?
lab_assert -m "create: lab_create exits 0" test "$rc" = 0
lab_assert_within "create: members Running and committed" "$T" \
    lab_all_nodeinfo_is "$members" state=19 committed=1 cluster=rk
lab_assert_within "create: database hashes agree" "$T" lab_nodes_agree db_hash 1 2 3
lab_assert_within "create: one leader" "$T" lab_leader "$members"
lab_assert_within "create: $ip answers" "$T" lab_ip_answers "$ip"

keys() { # the credential (second line of cluster.key) of every member, one a line
    local i
    for i in $members; do sed -n 2p "$LAB_DIR/n$i/state/cluster.key"; done
}
downs() { cat "$LAB_DIR"/n{1,2,3}/clussvc.log | grep -c 'health: node .* is down' || true; }
cid=$(lab_nodeinfo 1 cluster_id)
cp "$LAB_DIR/n1/state/cluster.key" "$LAB_DIR/first.key"
leader=$(lab_leader "$members")
owner=$(lab_ip_owners "$ip")
downs_before=$(downs)
seen="$(keys | sort -u)"

# --- three rotations while commits flow ------------------------------------------------------
lab_bg commits c "$(lab__tool lab_commit)" "$(lab_node_addr "$leader")" 3000
# Runs clusctl rekey through the leader; it must succeed and leave every member holding one and
# the same credential, and no second one.
rekey_ok() { # LABEL
    local rc=0 i
    lab_clusctl -c "n$leader" rekey --cluster-credential >"$LAB_DIR/$1.out" 2>&1 || rc=$?
    sed 's/^/    /' "$LAB_DIR/$1.out"
    lab_assert -m "$1: exits 0" test "$rc" = 0
    lab_assert -m "$1: every member holds one and the same credential" \
        test "$(keys | sort -u | wc -l)" = 1
    for i in $members; do
        lab_assert -m "$1: n$i holds no second credential" \
            test ! -e "$LAB_DIR/n$i/state/cluster.key.other"
    done
}
for r in 1 2 3; do
    rekey_ok "rekey $r"
    lab_assert -m "rekey $r: it is new" lab_not grep -qxF "$(keys | sed -n 1p)" <<<"$seen"
    seen+=$'\n'"$(keys | sed -n 1p)"
done
rc=0
lab_bg_wait commits 60 || rc=$?
sed 's/^/    /' "$LAB_DIR/bg/commits.log"
lab_assert -m "commits during the rotations: all 3000 succeeded" test "$rc" = 0
lab_assert -m "the leader did not change" test "$(lab_leader "$members")" = "$leader"
lab_assert -m "the owner of $ip did not change" test "$(lab_ip_owners "$ip")" = "$owner"
lab_assert -m "no node went down" test "$(downs)" = "$downs_before"
lab_assert -m "$ip answers" lab_ip_answers "$ip"
lab_assert_within "database hashes agree" "$T" lab_nodes_agree db_hash 1 2 3

# --- a rotation cut short in its switch round, then settled by the next rekey -----------------
rotate() { lab_client "$(lab__tool lab_rotate)" "$(lab_node_addr "$1")" "${@:2}"; }
half=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
for i in $members; do
    lab_assert -m "half rotation: n$i staged" rotate "$i" stage "$half"
done
half_id=$(rotate "$leader" query | sed -n 's/^other=//p')
lab_assert -m "half rotation: the leader switched" rotate "$leader" switch "$half_id"
for i in $members; do
    lab_assert -m "half rotation: n$i holds two credentials" \
        test -e "$LAB_DIR/n$i/state/cluster.key.other"
done
rc=0
lab_client "$(lab__tool lab_commit)" "$(lab_node_addr "$leader")" 50 >/dev/null || rc=$?
lab_assert -m "half rotation: commits still succeed" test "$rc" = 0
rekey_ok "rekey after the half rotation"
lab_assert -m "rekey after the half rotation: the leader did not change" \
    test "$(lab_leader "$members")" = "$leader"
lab_assert -m "rekey after the half rotation: no node went down" test "$(downs)" = "$downs_before"

# --- the first credential is refused now --------------------------------------------------------
ids=$(for i in $members; do lab_nodeinfo "$i" node_id; done | tr '\n' ' ')
for i in $members; do
    rc=0
    # shellcheck disable=SC2086 # a list of ids
    lab_client "$(lab__tool lab_hostile)" forge "$LAB_DIR/first.key" "$cid" \
        "$(lab_node_addr "$i")" "$RAFT_PORT" "$LAB_PORT" "$LAB_PORT" $ids \
        >"$LAB_DIR/first-n$i.out" 2>&1 || rc=$?
    sed 's/^/    /' "$LAB_DIR/first-n$i.out"
    lab_assert -m "n$i refuses the first credential everywhere" test "$rc" = 0
done
lab_assert -m "after the attempts: the leader did not change" \
    test "$(lab_leader "$members")" = "$leader"

# --- a restarted member and a new member use the new credential ---------------------------------
follower=$(for i in $members; do [[ $i == "$leader" ]] || echo "$i"; done | sed -n 1p)
lab_stop_node "$follower"
lab_start_node "$follower"
lab_assert_within "n$follower restarted: Running, committed, caught up" "$T" \
    lab_nodes_agree db_hash 1 2 3
lab_assert_within "n$follower restarted: one leader" "$T" lab_leader "$members"
rc=0
lab_op add "n$leader" n4 >"$LAB_DIR/add.out" 2>&1 || rc=$?
lab_assert -m "add n4 after the rotations returns 0" \
    test "$rc/$(lab_result_status "$LAB_DIR/add.out")" = 0/0
members="1 2 3 4"
lab_assert_within "n4 Running and committed" "$T" lab_nodeinfo_is 4 state=19 committed=1
lab_assert_within "with n4: database hashes agree" "$T" lab_nodes_agree db_hash 1 2 3 4
lab_assert -m "n4 holds the current credential" test "$(keys | sort -u | wc -l)" = 1

# --- with a member down, nothing changes ----------------------------------------------------
before=$(keys)
lab_kill_node 4
lab_wait_for "n4 seen down" "$T" grep -q 'health: node n4 is down' "$LAB_DIR/n$leader/clussvc.log"
rc=0
lab_clusctl -c "n$leader" rekey --cluster-credential >"$LAB_DIR/rekey-down.out" 2>&1 || rc=$?
sed 's/^/    /' "$LAB_DIR/rekey-down.out"
lab_assert -m "rekey with n4 down: exit 1" test "$rc" = 1
lab_assert -m "rekey with n4 down: ERROR_CLUSTER_NODE_DOWN" grep -q '(5050)' \
    "$LAB_DIR/rekey-down.out"
lab_assert -m "rekey with n4 down: no credential changed" test "$(keys)" = "$before"
