#!/bin/bash
# scenario_no_quorum_reads.sh — reads without quorum (docs/architecture.md).  A 3-node cluster
# loses two nodes at once (kill -9 of both services): the survivor has no quorum.  Through it,
# `clusctl status`, `node list` and `group list` still exit 0 with the nodes and groups on
# stdout and, on stderr, nothing but the warning that the survivor has no quorum and shows its
# last applied state; `--json` says "stale":true and which node answered.  A change
# (`group create`) fails with ERROR_CLUSTER_NO_QUORUM (5925).  Once the two are back the answers
# are current again (no warning, no "stale") and changes work.
#
# Both nodes go down at the same moment and the survivor is checked right away: a cluster that
# loses them one at a time may adjust its votes in between (dynamic quorum) and keep a quorum.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=20
SURVIVOR=1
WARNING="clusctl: n$SURVIVOR has no quorum: this is its last applied state and may be out of date"
lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)

rc=0
lab_create nq --node n1 --node n2 --node n3 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 || rc=$?
lab_assert -m "the 3-node cluster is created" test "$rc" = 0
lab_assert_within "the cluster IP answers" "$T" lab_ip_answers "$ip"

# ctl NAME ARGS... — clusctl through the survivor: stdout, stderr and exit status in
# $LAB_DIR/NAME.{out,err,rc}.
ctl() {
    local name=$1 rc=0
    shift
    lab_clusctl -c "n$SURVIVOR" "$@" >"$LAB_DIR/$name.out" 2>"$LAB_DIR/$name.err" || rc=$?
    echo "$rc" >"$LAB_DIR/$name.rc"
}
# answered_stale NAME ARGS... — the command succeeds and its stderr is the warning alone.
answered_stale() {
    local name=$1
    ctl "$@"
    [[ $(<"$LAB_DIR/$name.rc") == 0 && $(<"$LAB_DIR/$name.err") == "$WARNING" ]]
}
# answered_current NAME ARGS... — the command succeeds with nothing on stderr.
answered_current() {
    local name=$1
    ctl "$@"
    [[ $(<"$LAB_DIR/$name.rc") == 0 && ! -s $LAB_DIR/$name.err ]]
}
lists() { # NAME REGEX — the command's stdout has a line matching REGEX
    grep -qE "$2" "$LAB_DIR/$1.out"
}
show() { # NAME — the command's output, for the log
    sed 's/^/    | /' "$LAB_DIR/$1.out" "$LAB_DIR/$1.err"
}

lab_assert_within "before: status through n$SURVIVOR is current" "$T" \
    answered_current status0 status

# Both at once: a single kill, then each reaped.
kill -KILL "$(lab_node_pid 2)" "$(lab_node_pid 3)"
lab_kill_node 2
lab_kill_node 3
lab_assert -m "n2 and n3 are gone" lab_not lab_node_running 2
lab_assert -m "n2 and n3 are gone, really" lab_not lab_node_running 3

# The survivor first waits out a possible election (a few seconds), then answers stale.
lab_assert_within "status through n$SURVIVOR exits 0 with the stale warning on stderr" "$T" \
    answered_stale status status
show status
lab_assert -m "status lists the cluster" lists status '^Cluster: nq$'
for i in 1 2 3; do
    lab_assert -m "status lists n$i" lists status "^  n$i +[A-Za-z]+$"
done
lab_assert -m "status shows n$SURVIVOR itself Up" lists status "^  n$SURVIVOR +Up$"
lab_assert -m "status lists the core group" lists status '^  Cluster Group +[A-Za-z]+'
lab_assert -m "node list exits 0 with the warning" answered_stale nodes node list
lab_assert -m "node list names the three nodes" test \
    "$(grep -cE '^n[123] ' "$LAB_DIR/nodes.out")" = 3
lab_assert -m "group list exits 0 with the warning" answered_stale groups group list
lab_assert -m "group list names the core group" lists groups '^Cluster Group '
lab_assert -m "node list --json exits 0 with the warning" answered_stale json --json node list
show json
lab_assert -m "--json says stale, answered by n$SURVIVOR" \
    lists json "^\\{\"ok\":true,\"stale\":true,\"stale_node\":\"n$SURVIVOR\",\"nodes\":\\["
lab_assert -m "--json shows n$SURVIVOR Up" lists json "\\{\"name\":\"n$SURVIVOR\",\"state\":\"Up\""

ctl create group create x
show create
lab_assert -m "group create fails (exit 1)" test "$(<"$LAB_DIR/create.rc")" = 1
lab_assert -m "group create fails with ERROR_CLUSTER_NO_QUORUM (5925)" \
    grep -q 'ERROR_CLUSTER_NO_QUORUM (5925)' "$LAB_DIR/create.err"
lab_assert -m "group list still answers, stale" answered_stale groups1 group list
lab_assert -m "group create left no group x behind" lab_not lists groups1 '^x '

lab_start_node 2
lab_start_node 3
lab_assert_within "back: status through n$SURVIVOR is current again" "$T" \
    answered_current status2 status
lab_assert -m "back: status lists no stale answer" lab_not grep -q 'no quorum' \
    "$LAB_DIR/status2.err"
lab_assert -m "back: node list --json is not stale" answered_current json2 --json node list
lab_assert -m "back: --json has no stale member" lab_not lists json2 '"stale"'
lab_assert -m "back: group create x succeeds" answered_current create2 group create x
lab_assert -m "back: group list shows x" answered_current groups2 group list
lab_assert -m "back: x is listed" lists groups2 '^x +Offline'
lab_pass "no_quorum_reads"
