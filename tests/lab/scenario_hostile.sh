#!/bin/bash
# scenario_hostile.sh — a process without the cluster credential learns nothing and changes
# nothing on the raft and heartbeat ports, and an evicted node's credential is refused afterwards.
# The switch records the traffic of a cluster being created (raft handshakes and streams,
# heartbeats); from the client namespace a hostile program then replays it, sends garbage
# (random bytes, a plaintext raft handshake with a forged node id and a vote request with a huge
# term, a TLS handshake with a made-up key, junk and forged heartbeats), and, after n4 is added
# and evicted, uses n4's old credential as n4 and as the remaining members on raft, heartbeats
# and management.  Every attempt must be refused with no cluster name or group name in any
# answer; afterwards every node has the same database version and hash, the same leader, no node
# went down, and every node logged refusals.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_op lab_hostile

T=15
RAFT_PORT=$((LAB_PORT + 1))
NAME=hostilecluster

lab_init 4
for i in 1 2 3 4; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
hostile=$(lab__tool lab_hostile)
cap=$LAB_DIR/capture.bin

# --- record the traffic of a cluster coming up ---------------------------------------------
lab_bg capture sw "$hostile" capture 8 "$cap" "$RAFT_PORT" "$LAB_PORT"
lab_wait_for "the recorder is ready" 5 grep -q '^recording' "$LAB_DIR/bg/capture.log"
rc=0
lab_create "$NAME" --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 ||
    rc=$?
lab_assert -m "create: lab_create exits 0" test "$rc" = 0
rc=0
lab_bg_wait capture 20 || rc=$?
sed 's/^/    /' "$LAB_DIR/bg/capture.log"
lab_assert -m "capture: raft segments and heartbeats recorded" test "$rc" = 0
members="1 2 3"
lab_assert_within "create: members Running and committed" "$T" \
    lab_all_nodeinfo_is "$members" state=19 committed=1 cluster="$NAME"
lab_assert_within "create: database hashes agree" "$T" lab_nodes_agree db_hash 1 2 3

# What must not change, and what must not be said.
snapshot() { lab_db_snapshot "$members"; }
downs() { cat "$LAB_DIR"/n{1,2,3}/clussvc.log | grep -c 'health: node .* is down' || true; }
lab_assert_within "before: one leader, versions agree" "$T" \
    bash -c '[[ $(echo "$1" | tr " " "\n" | tail -n +2 | sort -u | wc -l) == 1 ]]' _ \
    "$(snapshot)"
before=$(snapshot)
downs_before=$(downs)
forbid=(--forbid "$NAME" --forbid "Cluster Group" --forbid "Cluster IP Address")

hostile() { # LABEL ARGS...: runs lab_hostile in the client namespace, shows and checks it
    lab_refusals "$1" "$hostile" "${@:2}"
}
unchanged() { # LABEL
    lab_assert -m "$1: leader, database versions and hashes unchanged" \
        test "$(snapshot)" = "$before"
    lab_assert -m "$1: no node went down" test "$(downs)" = "$downs_before"
    lab_assert -m "$1: members Running and committed" \
        lab_all_nodeinfo_is "$members" state=19 committed=1 cluster="$NAME"
}

# --- (a) replay, (b) garbage, (c) forged node id without the credential ---------------------
hostile replay replay "$cap" "$RAFT_PORT" "$LAB_PORT" "${forbid[@]}"
for i in $members; do
    hostile "garbage-n$i" garbage "$(lab_node_addr "$i")" "$RAFT_PORT" "$LAB_PORT" "${forbid[@]}"
done
unchanged "after replay and garbage"
for i in $members; do
    lab_assert -m "n$i logged refused raft connections" \
        grep -q 'consensus: refused a raft connection' "$LAB_DIR/n$i/clussvc.log"
    lab_assert -m "n$i logged refused heartbeats" \
        grep -q 'hb: refused a heartbeat' "$LAB_DIR/n$i/clussvc.log"
done

# --- (d) an evicted node's credential ----------------------------------------------------------
rc=0
lab_op add n1 n4 >"$LAB_DIR/add.out" 2>&1 || rc=$?
lab_assert -m "add n4 returns 0" test "$rc/$(lab_result_status "$LAB_DIR/add.out")" = 0/0
lab_assert_within "n4 Running and committed" "$T" lab_nodeinfo_is 4 state=19 committed=1
cp "$LAB_DIR/n4/state/cluster.key" "$LAB_DIR/old.key"
id4=$(lab_nodeinfo 4 node_id)
cid=$(lab_nodeinfo 1 cluster_id)
ids="$id4 $(for i in $members; do lab_nodeinfo "$i" node_id; done | tr '\n' ' ')"
rc=0
lab_op evict n1 n4 >"$LAB_DIR/evict.out" 2>&1 || rc=$?
lab_assert -m "evict n4 returns 0" test "$rc/$(lab_result_status "$LAB_DIR/evict.out")" = 0/0
for i in $members; do
    lab_assert -m "n$i moved to a new credential" grep -q 'rotation: retire' \
        "$LAB_DIR/n$i/clussvc.log"
done
lab_assert_within "after evict: members agree" "$T" lab_nodes_agree db_hash 1 2 3
lab_assert_within "after evict: one leader" "$T" lab_leader "$members"
before=$(snapshot)
downs_before=$(downs)
for i in $members; do
    # shellcheck disable=SC2086 # a list of ids
    hostile "old-credential-n$i" forge "$LAB_DIR/old.key" "$cid" "$(lab_node_addr "$i")" \
        "$RAFT_PORT" "$LAB_PORT" "$LAB_PORT" $ids
done
unchanged "after the old credential"

# --- control: the same attempts with the credential in use do get through the handshake -----
# (as the evicted id, which is no member: the connection is still refused after its hello, and
# the heartbeats are dropped, so this changes nothing), which shows the refusals above are the
# credential's doing and not a tool that cannot connect.
cur=$LAB_DIR/n1/state/cluster.key
rc=0
lab_client "$hostile" forge "$cur" "$cid" "$(lab_node_addr 1)" "$RAFT_PORT" "$LAB_PORT" \
    "$LAB_PORT" "$id4" >"$LAB_DIR/control.out" 2>&1 || rc=$?
sed 's/^/    /' "$LAB_DIR/control.out"
lab_assert -m "control: the current credential passes the raft TLS handshake" \
    grep -q '^ACCEPTED raft: TLS' "$LAB_DIR/control.out"
lab_assert -m "control: and the management handshake" \
    grep -q '^ACCEPTED management' "$LAB_DIR/control.out"
lab_assert -m "control: n1 refused the evicted id after the handshake" \
    grep -q "refused a raft connection .*node id $id4.*not a member" "$LAB_DIR/n1/clussvc.log"
unchanged "after the control"
