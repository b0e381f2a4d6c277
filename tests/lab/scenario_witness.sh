#!/bin/bash
# scenario_witness.sh — a two-node cluster and its witness (clussvc --witness), set and removed
# with `clusctl quorum set`, through faults.
#
# n1 and n2 form cluster cw with an address; n3 and n4 each run `clussvc --witness` (in their
# own namespaces, as on third machines). The prober asks the address every 10 ms throughout.
#  - A witness named as a node of CreateCluster is refused and changes nothing.
#  - Bad input: a malformed HOST, a host nobody answers on, a port nothing listens on, and a
#    member that is no witness: each fails with a clear error and leaves the database as it was.
#  - `quorum set --witness n3`: n3 is a member, votes, owns no group and runs no resource host;
#    the Node Witness resource is online; `quorum show` lists it; the address never paused.
#  - kill -9 of the node that owns the core group: the other node takes the address over (the
#    witness keeps the majority), at most one node holds it; the node comes back. Twice more
#    with the raft leader as the owner: the witness may then lead for a moment, and hands the
#    leadership to the node.
#  - kill -9 and restart of the witness: the address stays where it is, without a gap, and the
#    witness rejoins, its resource online again; the witness does not stay raft leader.
#  - `quorum set --witness n4` replaces n3 (wiped back to NotConfigured), then
#    `quorum set --no-witness` removes n4: the address never pauses, nodes alone vote.
#  - One witness machine for two clusters: n3 serves cw again, a second clussvc --witness in
#    n3's namespace (its own port and state directory) serves cluster cx on n5; a witness that
#    serves one cluster is refused to the other. Each instance's memory is printed.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_clussvc
lab_require_probe_tools

T=20 # bound for anything that converges; every wait ends as soon as its condition holds
GAP_MS=1000 # the longest silence of the address a witness change may cause: none, in practice

lab_init 5
lab_start_node 1
lab_start_node 2
lab_start_witness 3
lab_start_witness 4
lab_start_node 5
LAB_FO_IP=$(lab_cluster_ip 0)
# A witness named as a node of a new cluster: refused, nothing changes on either.
lab_create cbad --node n5 --node n3 >"$LAB_DIR/create_bad.out" 2>&1 || true
lab_assert -m "create with a witness as a node: ERROR_NODE_CANNOT_BE_CLUSTERED" \
    test "$(lab_result_status "$LAB_DIR/create_bad.out")" = 5898
lab_assert -m "create with a witness as a node: the error names the witness" \
    grep -q "n3 runs clussvc --witness" "$LAB_DIR/create_bad.out"
lab_assert -m "create with a witness as a node: n5 is still NotConfigured" lab_nodeinfo_is 5 state=1
lab_assert -m "create with a witness as a node: n3 is still NotConfigured" lab_nodeinfo_is 3 state=1
lab_create cw --node n1 --node n2 --ip "$LAB_FO_IP/24" >"$LAB_DIR/create.out" 2>&1 || true
lab_assert -m "create: cluster cw on n1 and n2" \
    test "$(lab_result_status "$LAB_DIR/create.out")" = 0
lab_start_responder 1
lab_start_responder 2
lab_wait_for "the cluster IP answers" "$T" lab_ip_answers "$LAB_FO_IP"
lab_start_prober p "$LAB_FO_IP" 600

# Runs clusctl through n1 with ARGS: stdout to OUT, stderr to ERR, exit status to RC.
ctl() {
    RC=0
    lab_clusctl -c n1 "$@" >"$LAB_DIR/ctl.out" 2>"$LAB_DIR/ctl.err" || RC=$?
    OUT=$(<"$LAB_DIR/ctl.out")
    ERR=$(<"$LAB_DIR/ctl.err")
    sed 's/^/    /' "$LAB_DIR/ctl.out" "$LAB_DIR/ctl.err"
}

show_json() { lab_clusctl -c "n${1:-1}" --json quorum show; }

# quorum show (through node I) lists NAME as ROLE in STATE with VOTE.
member_is() { # I NAME ROLE STATE VOTE
    show_json "$1" | grep -qF "{\"name\":\"$2\",\"role\":\"$3\",\"state\":\"$4\",\"vote\":$5,\"storage_fault\":false}"
}

survives() { # I N
    show_json "$1" | grep -qF "\"survives\":$2,"
}

resource_state() { # NAME -> its state as n1 lists it
    lab_clusctl -c n1 --json resource list |
        grep -o "{\"name\":\"$1\"[^}]*}" | sed -n 's/.*"state":"\([^"]*\)".*/\1/p'
}

resource_is() { [[ $(resource_state "$1") == "$2" ]]; }
no_resource() { [[ -z $(resource_state "$1") ]]; }

# Nothing the cluster runs is owned by node NAME.
owns_nothing() { # NAME
    ! lab_clusctl -c n1 --json status | grep -qF "\"owner\":\"$1\""
}

# Node I's namespace holds one process: its clussvc, without a resource host.
only_clussvc() { [[ $(ip netns pids "$(lab_node_ns "$1")" | wc -l) == 1 ]]; }

owner() { lab_owner "$LAB_FO_IP"; }

# The nodes NODES (default all three) agree on a leader, and it is not node I.
leader_is_not() { # I [NODES]
    local l
    l=$(lab_leader "${2:-1 2 3}") || return 1
    [[ $l != "$1" ]]
}

# Since T the address answered from node nOWNER alone, never silent for more than GAP_MS.
steady_since() { # LABEL T OWNER
    lab_assert -m "$1: the address answered from n$3 alone" \
        lab_probe_is p sequence "n$3" --from "$2"
    lab_assert -m "$1: the address was never silent over ${GAP_MS} ms" \
        lab_probe_at_most p longest_gap_ms "$GAP_MS" --from "$2"
}

# --- before: two nodes, no witness --------------------------------------------------------------
# two nodes without a witness: dynamic quorum leaves one vote between them
lab_assert_within "no witness: the votes settled" 15 lab_votes_settled "1 2"
one_of_two_votes() {
    { member_is 1 n1 node Up 1 && member_is 1 n2 node Up 0; } ||
        { member_is 1 n1 node Up 0 && member_is 1 n2 node Up 1; }
}
lab_assert -m "no witness: exactly one of n1 and n2 votes" one_of_two_votes
lab_assert -m "no witness: the cluster survives no failure" survives 1 0
ctl quorum show
lab_assert -m "no witness: quorum show says what to do" grep -q "quorum set --witness" <<<"$OUT"

# --- bad input changes nothing ------------------------------------------------------------------
hash0=$(lab_nodeinfo 1 db_hash)
refused() { # LABEL WANT_RC PATTERN ARGS...
    local label=$1 want=$2 pattern=$3
    shift 3
    ctl quorum set --witness "$@"
    lab_assert -m "$label: refused (exit $want)" test "$RC" = "$want"
    lab_assert -m "$label: the error says why" grep -q -- "$pattern" <<<"$ERR"
}
refused "a malformed host" 2 "bad --witness 'bad_host'" bad_host
refused "a port of 0" 2 "bad --witness 'n3:0'" n3:0
refused "a host nobody answers on" 1 "the witness was not added" "$LAB_NET.9"
refused "a port nothing listens on" 1 "the witness was not added" n3:3400
refused "a member that is no witness" 1 "ERROR_NOT_QUORUM_CAPABLE" n2
lab_assert -m "bad input: the members are still n1 n2" lab_members_are 1 "n1 n2"
lab_assert -m "bad input: no witness resource is left" no_resource "Node Witness"
lab_assert -m "bad input: the database content is as before" \
    test "$(lab_nodeinfo 1 db_hash)" = "$hash0"
lab_assert -m "bad input: n3 is still NotConfigured" lab_nodeinfo_is 3 state=1

# --- set the witness -------------------------------------------------------------------------
first=$(owner)
t=$EPOCHREALTIME
ctl quorum set --witness n3
lab_assert -m "set: exit 0" test "$RC" = 0
lab_assert -m "set: the members are n1 n2 n3" lab_members_are 1 "n1 n2 n3"
lab_assert_within "set: quorum show lists n3 as the witness, Up, voting" "$T" \
    member_is 1 n3 witness Up 1
lab_assert_within "set: the votes settled: the cluster survives one failure" "$T" survives 1 1
lab_assert_within "set: the Node Witness resource is online" "$T" resource_is "Node Witness" Online
lab_assert -m "set: n3 owns no group or resource" owns_nothing n3
lab_assert -m "set: n3 runs no resource host" only_clussvc 3
lab_assert -m "set: the core group cannot be moved to the witness" \
    lab_not lab_clusctl -c n1 group move "Cluster Group" --node n3
lab_wait_for "set: the prober watched 1 s" 10 lab_probe_watched p "$t" 1
steady_since "set" "$t" "$first"

# --- kill -9 of the owner: the other node takes over --------------------------------------------
# kill -9 of the node that owns the core group, then its restart; LABEL names the round.
kill_owner() { # LABEL
    local label=$1 old other t
    old=$(owner) || lab_fail "$label: exactly one owner before the fault"
    other=$((3 - old))
    lab_wait_for "$label: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    lab_kill_node "$old"
    lab_assert_takeover "$label: kill n$old" p "$old" "$t"
    printf '%s: n%s answered %s ms after the kill of n%s\n' "$label" "$other" \
        "$LAB_TAKEOVER_MS" "$old"
    lab_assert -m "$label: n$other holds the address" test "$(owner)" = "$other"
    lab_assert_within "$label: quorum show through n$other: n$old Down, the witness Up" "$T" \
        member_is "$other" "n$old" node Down 1
    lab_assert -m "$label: one more failure would stop it" survives "$other" 0
    lab_assert_within "$label: the witness does not keep the leadership" "$T" \
        leader_is_not 3 "$other 3"
    lab_start_node "$old"
    lab_assert_within "$label: n$old rejoined" 30 lab_rejoined "$old" "$other 3"
    lab_assert_within "$label: one owner, named by every node, answering" "$T" \
        lab_fo_settled "1 2 3"
}

kill_owner "owner"
# The raft leader owns the group too: the witness may win the election that follows, run the
# takeover and hand leadership to the surviving node.
for r in 1 2; do
    lab_wait_for "leader round $r: a node leads" "$T" leader_is_not 3
    leader=$(lab_leader "1 2 3")
    if [[ $(owner) != "$leader" ]]; then
        lab_clusctl -c n1 group move "Cluster Group" --node "n$leader" >/dev/null
        lab_assert_within "leader round $r: n$leader owns the group" "$T" \
            lab_fo_settled "1 2 3"
        lab_assert -m "leader round $r: n$leader holds the address" test "$(owner)" = "$leader"
    fi
    kill_owner "leader round $r"
done

# --- the witness restarts: nothing moves -----------------------------------------------------
holder=$(owner)
lab_wait_for "witness restart: the prober hears n$holder" 3 lab_probe_answered_by p "n$holder"
t=$EPOCHREALTIME
lab_kill_node 3
lab_start_node 3
lab_assert_within "witness restart: n3 rejoined" 30 lab_rejoined 3 "1 2"
lab_assert -m "witness restart: n3 is a witness again, with no resource host" only_clussvc 3
lab_assert_within "witness restart: its resource is online again" 40 \
    resource_is "Node Witness" Online
lab_assert_within "witness restart: n3 does not lead the cluster" "$T" leader_is_not 3
steady_since "witness restart" "$t" "$holder"

# --- replace the witness, then remove it -----------------------------------------------------
t=$EPOCHREALTIME
ctl quorum set --witness n4
lab_assert -m "replace: exit 0" test "$RC" = 0
lab_assert -m "replace: the members are n1 n2 n4" lab_members_are 1 "n1 n2 n4"
lab_assert_within "replace: n4 is the witness" "$T" member_is 1 n4 witness Up 1
lab_assert_within "replace: its resource is online" "$T" resource_is "Node Witness 2" Online
lab_assert -m "replace: the former witness resource is gone" no_resource "Node Witness"
lab_assert_within "replace: n3 was wiped (NotConfigured)" "$T" lab_nodeinfo_is 3 state=1
ctl quorum set --no-witness
lab_assert -m "no witness: exit 0" test "$RC" = 0
lab_assert -m "no witness: the members are n1 n2" lab_members_are 1 "n1 n2"
lab_assert -m "no witness: the witness resource is gone" no_resource "Node Witness 2"
lab_assert -m "no witness: nodes alone vote again" survives 1 0
lab_assert_within "no witness: n4 was wiped (NotConfigured)" "$T" lab_nodeinfo_is 4 state=1
ctl quorum set --no-witness
lab_assert -m "no witness again: nothing to do, exit 0" test "$RC" = 0
lab_wait_for "no witness: the prober watched 1 s" 10 lab_probe_watched p "$t" 1
steady_since "replace and remove" "$t" "$holder"

lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0

# --- one witness machine, two clusters -------------------------------------------------------
W2_PORT=3353
rss() { awk '/^VmRSS|^RssAnon/ { printf "%s %s kB ", $1, $2 }' "/proc/$1/status"; }
ctl quorum set --witness n3
lab_assert -m "two clusters: cw's witness is n3 again" test "$RC" = 0
mkdir -m 0700 "$LAB_DIR/n3/state2"
lab_bg w2 3 "${BUILD_DIR:-$LAB_ROOT/build}/src/daemon/clussvc" --witness --name n3b \
    --state-dir "$LAB_DIR/n3/state2" --listen "$LAB_LISTEN" --port "$W2_PORT" \
    --authkey "$LAB_DIR/authkey"
lab_wait_for "two clusters: the second witness listens" "$T" \
    lab__listening "$(lab_node_ns 3)" "$W2_PORT"
lab_create cx --node n5 >"$LAB_DIR/create-cx.out" 2>&1 || true
lab_assert -m "two clusters: cluster cx on n5" \
    test "$(lab_result_status "$LAB_DIR/create-cx.out")" = 0
RC=0
lab_clusctl -c n5 quorum set --witness n3 >"$LAB_DIR/cx.out" 2>&1 || RC=$?
lab_assert -m "two clusters: cw's witness is refused to cx" test "$RC" = 1
lab_assert -m "two clusters: the refusal says to run an instance per cluster" \
    grep -q "ERROR_CLUSTER_NODE_ALREADY_MEMBER.*of its own" "$LAB_DIR/cx.out"
lab_clusctl -c n5 quorum set --witness "n3:$W2_PORT"
# one node votes alone: an odd count, so dynamic quorum gives the witness no vote (yet it is cx's)
lab_assert_within "two clusters: cx counts n3:$W2_PORT as its witness (no vote: one node)" "$T" \
    member_is 5 n3 witness Up 0
lab_assert_within "two clusters: cw still counts n3 as its witness" "$T" \
    member_is 1 n3 witness Up 1
lab_assert -m "two clusters: the databases are apart" \
    test "$(lab_nodeinfo 5 cluster)" = cx -a "$(lab_nodeinfo 1 cluster)" = cw
printf 'memory: witness of cw %s\n        witness of cx %s\n        node n1 of cw %s\n' \
    "$(rss "$(lab_node_pid 3)")" "$(rss "$(lab_bg_pid w2)")" "$(rss "$(lab_node_pid 1)")"
lab_pass "witness"
