#!/usr/bin/env bash
# scenario_quorum_props.sh — the properties of dynamic quorum, through the Win32 control calls
# (lab_props: ClusterControl, ClusterNodeControl) and through clusctl.
#
# Three nodes, no witness. Before anyone set them, DynamicQuorum and LowerQuorumPriorityNodeId
# show their defaults (1, 0) and WitnessDynamicWeight 0; each node's NodeWeight is 1, its
# DynamicWeight 0 or 1 as the node query's role says (a voter: 1), IsWitness 0, and `clusctl node
# list` shows the same. Refusals change nothing: NodeWeight 2, NodeWeight as a string,
# the read-only DynamicWeight and NodeName, an unknown property, an unknown node, DynamicQuorum
# 2 or a string, a LowerQuorumPriorityNodeId no node has, the read-only WitnessDynamicWeight;
# VALIDATE of a good value changes nothing either. Then NodeWeight 0 is set on n3 through
# ClusterNodeControl and back to 1 through `clusctl node set`, DynamicQuorum and
# LowerQuorumPriorityNodeId through ClusterControl and `clusctl property set`, each read back
# through both on another node. What a NodeWeight change does to the votes is not asserted here.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_clussvc
lab_require_tool lab_props
T=15
ALL="1 2 3"
lab_init 3
for i in $ALL; do lab_start_node "$i" || lab_fail "n$i did not start"; done
lab_create qpclu --node n1 --node n2 --node n3 >"$LAB_DIR/create.out" 2>&1 ||
    lab_fail "create failed: $(tail -n 1 "$LAB_DIR/create.out")"

ctl() { lab_clusctl -c n1 "$@"; }
api() { lab_client "$(lab__tool lab_props)" "$@"; } # HOST node NODE|cluster VERB ...
settled() { # every member at the same database version and hash
    [[ $(lab_db_snapshot "$ALL" | tr ' ' '\n' | tail -n +2 | sort -u | wc -l) == 1 ]]
}
# api_line LINE ARGS... — lab_props ARGS succeeds and prints LINE (a condition)
api_line() {
    local line=$1 out
    shift
    out=$(api "$@" 2>&1) && grep -qxF -- "$line" <<<"$out"
}
# api_has LABEL LINE ARGS... — the same, asserted
api_has() {
    local label=$1
    shift
    api_line "$@" || lab_fail "$label: no line '$1' from lab_props ${*:2}: $(api "${@:2}" 2>&1)"
    lab_pass "$label"
}
# is LABEL EXPECTED CLUSCTL-ARGS... — clusctl's stdout is EXPECTED
is() {
    local label=$1 expected=$2 out
    shift 2
    out=$(lab_clusctl "$@") || lab_fail "$label: clusctl $* failed"
    lab_assert -m "$label: '$out' = '$expected'" test "$out" = "$expected"
}
reads() { [[ $(lab_clusctl "${@:2}" 2>/dev/null) == "$1" ]]; } # EXPECTED CLUSCTL-ARGS...
# prop_is VIEWER NAME VALUE — `clusctl property get NAME` through nVIEWER shows VALUE
prop_is() { lab_clusctl -c "n$1" property get "$2" 2>/dev/null | grep -qE "^$2 +$3\$"; }
# Refusals are checked for changing nothing as a block: what every member says of the nodes
# (the node query's rows) and of the cluster's properties is the same after the last refusal as
# before the first. (Not the database version: a follower that loses sight of the leader for a
# moment on a loaded machine commits a SYNC when it finds it again, which changes nothing.)
state() {
    local i
    for i in $ALL; do
        api "n$i" rows | grep -v '^result'
        api "n$i" cluster get | grep -v '^result'
    done
}
# api_refused LABEL STATUS ARGS... — lab_props fails with STATUS
api_refused() {
    local label=$1 status=$2 out rc=0
    shift 2
    out=$(api "$@") || rc=$?
    printf '    %s: %s\n' "$label" "$(tail -n 1 <<<"$out")"
    lab_assert -m "$label: exit 1 (got $rc)" test "$rc" = 1
    lab_assert -m "$label: status $status" grep -q "^result status=$status " <<<"$out"
}
# refused LABEL WHAT CLUSCTL-ARGS... — exit 1, WHAT on stderr, nothing on stdout
refused() {
    local label=$1 what=$2 rc=0
    shift 2
    ctl "$@" >"$LAB_DIR/bad.out" 2>"$LAB_DIR/bad.err" || rc=$?
    cat "$LAB_DIR/bad.err"
    lab_assert -m "$label: exit 1 (got $rc)" test "$rc" = 1
    lab_assert -m "$label: stderr names $what" grep -qF -- "$what" "$LAB_DIR/bad.err"
    lab_assert -m "$label: nothing on stdout" test ! -s "$LAB_DIR/bad.out"
}
# On a loaded machine a node can miss a few heartbeats and be recorded Down and Up again, and
# lose its vote for it: a patient failure detector keeps the votes still while they are read.
lab_assert -m "heartbeat: 1000 ms" ctl property set SameSubnetDelay 1000
lab_assert -m "heartbeat: 20 missed before Down" ctl property set SameSubnetThreshold 20
lab_assert_within "the members agree on the database" "$T" settled

# --- what a cluster shows before anyone set anything ----------------------------------------
api_has "cluster GET_COMMON: DynamicQuorum's default" DynamicQuorum=1 n1 cluster get
api_has "cluster GET_COMMON: LowerQuorumPriorityNodeId's default" LowerQuorumPriorityNodeId=0 \
    n2 cluster get
api_has "cluster GET_RO_COMMON: no witness votes" WitnessDynamicWeight=0 n1 cluster get-ro
api_has "cluster ENUM_COMMON names DynamicQuorum" DynamicQuorum n1 cluster enum
lab_assert -m "property get DynamicQuorum" prop_is 1 DynamicQuorum 1
lab_assert -m "property get LowerQuorumPriorityNodeId" prop_is 3 LowerQuorumPriorityNodeId 0
lab_assert -m "property get WitnessDynamicWeight" prop_is 2 WitnessDynamicWeight 0
out=$(ctl property list)
printf '%s\n' "$out"
lab_assert -m "property list: DynamicQuorum" grep -qE '^DynamicQuorum +1$' <<<"$out"
lab_assert -m "property list: LowerQuorumPriorityNodeId" \
    grep -qE '^LowerQuorumPriorityNodeId +0$' <<<"$out"

# --- each node's properties, and the node query they come from ------------------------------
rows=$(api n1 rows) || lab_fail "the node query: $rows"
printf '%s\n' "$rows"
list=$(ctl node list)
printf '%s\n' "$list"
lab_assert -m "node list: the header" grep -qE '^NAME +STATE +ROLE +NODEWEIGHT +DYNAMICWEIGHT$' \
    <<<"$list"
for i in $ALL; do
    n=$(lab_node_name "$i")
    row=$(grep "^$n " <<<"$rows") || lab_fail "the node query has no row for $n"
    [[ $row =~ role=([0-9]+) ]] || lab_fail "no role in '$row'"
    vote=$((BASH_REMATCH[1] == 1 ? 1 : 0))
    api_has "$n: NodeWeight 1" NodeWeight=1 n1 node "$n" get
    api_has "$n: NodeName" "NodeName=$n" n2 node "$n" get-ro
    api_has "$n: DynamicWeight $vote, as its role" "DynamicWeight=$vote" n1 node "$n" get-ro
    api_has "$n: not the witness" IsWitness=0 n3 node "$n" get-ro
    is "$n: clusctl node get NodeWeight" 1 -c n1 node get "$n" NodeWeight
    is "$n: clusctl node get DynamicWeight" "$vote" -c n2 node get "$n" DynamicWeight
    lab_assert -m "$n: node list shows NodeWeight 1, DynamicWeight $vote" \
        grep -qE "^$n +Up +node +1 +$vote\$" <<<"$list"
done
json=$(ctl --json node list)
printf '%s\n' "$json"
lab_assert -m "node list --json" grep -qE \
    '^\{"ok":true,"nodes":\[\{"name":"n1","state":"Up","witness":false,"node_weight":1,"dynamic_weight":[01],"quarantined":false,"storage_fault":false\},' \
    <<<"$json"
names=$(api n1 node n2 enum)
lab_assert -m "node ENUM_COMMON" test "$(grep -v '^result' <<<"$names" | tr '\n' ' ')" = \
    "NodeName NodeWeight DynamicWeight IsWitness StatusInformation "
json=$(ctl --json node get n2)
lab_assert -m "node get --json" grep -qE \
    '^\{"ok":true,"action":"get","node":"n2","common":\{"NodeWeight":1,"NodeName":"n2","DynamicWeight":[01],"IsWitness":0,"StatusInformation":0\}\}$' \
    <<<"$json"

# --- refusals change nothing --------------------------------------------------------------------
lab_assert_within "before the refusals the members agree on the database" "$T" settled
before=$(state)
printf '%s\n' "$before"
api_refused "NodeWeight 2" 87 n1 node n2 set NodeWeight dword 2
api_refused "NodeWeight as a string" 87 n2 node n2 set NodeWeight sz one
api_refused "DynamicWeight is read-only" 87 n1 node n2 set DynamicWeight dword 0
api_refused "NodeName is read-only" 87 n3 node n2 set NodeName sz other
api_refused "an unknown node property" 87 n1 node n2 set Description sz x
api_refused "an unknown node" 5042 n1 node n9 get
api_has "VALIDATE NodeWeight 0 passes" "result status=0 text=" n1 node n2 validate NodeWeight \
    dword 0
api_has "after the refusals NodeWeight is still 1" NodeWeight=1 n1 node n2 get
refused "clusctl: NodeWeight=2" "NodeWeight: 2 is not in 0..1" node set n2 NodeWeight=2
refused "clusctl: NodeWeight=abc" "NodeWeight: 'abc' is not a DWORD" node set n2 NodeWeight=abc
refused "clusctl: DynamicWeight" "DynamicWeight is read-only" node set n2 DynamicWeight=0
refused "clusctl: an unknown node" ERROR_CLUSTER_NODE_NOT_FOUND node set n9 NodeWeight=0
refused "clusctl: get an unknown property" ERROR_NOT_FOUND node get n2 NoSuchProperty

api_refused "DynamicQuorum 2" 87 n1 cluster set DynamicQuorum dword 2
api_refused "DynamicQuorum as a string" 87 n2 cluster set DynamicQuorum sz yes
api_refused "LowerQuorumPriorityNodeId of no node" 87 n1 cluster set LowerQuorumPriorityNodeId \
    dword 99
api_refused "WitnessDynamicWeight is read-only" 87 n1 cluster set WitnessDynamicWeight dword 1
refused "clusctl: DynamicQuorum 2" "DynamicQuorum must be a whole number from 0 to 1" \
    property set DynamicQuorum 2
refused "clusctl: LowerQuorumPriorityNodeId 99" "there is no node 99" \
    property set LowerQuorumPriorityNodeId 99
refused "clusctl: WitnessDynamicWeight" "WitnessDynamicWeight is read-only" \
    property set WitnessDynamicWeight 1
lab_assert -m "the refusals and VALIDATE changed nothing" test "$(state)" = "$before"
lab_assert -m "after the refusals DynamicQuorum is still 1" prop_is 2 DynamicQuorum 1

# --- NodeWeight 0 through ClusterNodeControl, 1 again through clusctl ------------------------
api_has "set NodeWeight 0 on n3" "result status=0 text=" n1 node n3 set NodeWeight dword 0
api_has "n1 reads NodeWeight 0 at once" NodeWeight=0 n1 node n3 get
lab_assert_within "n2 reads NodeWeight 0 (ClusterNodeControl)" "$T" \
    api_line NodeWeight=0 n2 node n3 get
lab_assert_within "n3 reads NodeWeight 0 (clusctl)" "$T" reads 0 -c n3 node get n3 NodeWeight
lab_assert -m "the node query has weight 0" grep -qE '^n3 role=[0-9] weight=0 witness=0$' \
    <<<"$(api n1 rows)"
listed_weight() { ctl node list | grep -qE "^n3 +[A-Za-z]+ +node +$1 +[01]\$"; } # W
lab_assert_within "node list shows n3's NodeWeight 0" "$T" listed_weight 0
dw=$(lab_clusctl -c n1 node get n3 DynamicWeight)
lab_assert -m "DynamicWeight reads 0 or 1 (got $dw)" test "$dw" = 0 -o "$dw" = 1
out=$(ctl node set n3 NodeWeight=1)
lab_assert -m "clusctl node set reports it" test "$out" = "Set NodeWeight = 1"
api_has "n1 reads NodeWeight 1 again" NodeWeight=1 n1 node n3 get
lab_assert_within "n2 reads NodeWeight 1 again (ClusterNodeControl)" "$T" \
    api_line NodeWeight=1 n2 node n3 get
lab_assert_within "node list shows n3's NodeWeight 1" "$T" listed_weight 1
is "clusctl node set --json" '{"ok":true,"action":"set","node":"n3","common":{"NodeWeight":1}}' \
    -c n1 --json node set n3 NodeWeight=1

# --- DynamicQuorum and LowerQuorumPriorityNodeId ---------------------------------------------
api_has "set DynamicQuorum 0 (ClusterControl)" "result status=0 text=" n1 cluster set \
    DynamicQuorum dword 0
lab_assert_within "n3 reads DynamicQuorum 0 (clusctl)" "$T" prop_is 3 DynamicQuorum 0
lab_assert -m "clusctl property set DynamicQuorum 1" ctl property set DynamicQuorum 1
lab_assert_within "n2 reads DynamicQuorum 1 (ClusterControl)" "$T" \
    api_line DynamicQuorum=1 n2 cluster get
id2=$(lab_nodeinfo 2 node_id)
api_has "set LowerQuorumPriorityNodeId to n2's id $id2" "result status=0 text=" n1 cluster set \
    LowerQuorumPriorityNodeId dword "$id2"
lab_assert_within "n3 reads LowerQuorumPriorityNodeId $id2 (clusctl)" "$T" \
    prop_is 3 LowerQuorumPriorityNodeId "$id2"
lab_assert -m "clusctl property set LowerQuorumPriorityNodeId 0" \
    ctl property set LowerQuorumPriorityNodeId 0
lab_assert_within "n2 reads LowerQuorumPriorityNodeId 0 (ClusterControl)" "$T" \
    api_line LowerQuorumPriorityNodeId=0 n2 cluster get
lab_pass "quorum properties"
