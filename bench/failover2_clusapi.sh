# shellcheck shell=bash
# bench/failover2_clusapi.sh — the clusapi side of bench/failover2 (sourced by it).
#
# One cluster of n1 and n2 with the cluster address (lab_create), at the defaults.  First
# without a witness: under dynamic quorum exactly one of the two votes (nodeinfo member_role
# 1; the other 0), and every fault is made twice, on the owner as the node without the vote and
# as the node with it (the group moved there first with `clusctl group move`).  Then the
# witness: clussvc --witness on n3 (bench_start_witness), added to the running cluster with
# `clusctl quorum set --witness n3`; both nodes and the witness then vote, and the faults hit
# the owner whichever node it is.

# bench_start_witness I — starts node I's clussvc as a witness (it hosts nothing): through
# lab_start_witness I where tests/lab/lab.sh has it (it marks the node, so that a restart
# starts a witness again; lab.sh has it since the witness was merged), else `clussvc --witness`
# directly, enough because this bench never restarts the witness.
bench_start_witness() {
    if declare -F lab_start_witness >/dev/null; then
        lab_start_witness "$1"
    else
        lab_start_node "$1" --witness
    fi
}

# Prints why this build cannot run the witness rows; nothing when it can.  The help texts are
# read whole before they are searched: under pipefail, `--help | grep -q` fails whenever grep
# has its match and exits before the program has written the rest (SIGPIPE).
clusapi_witness_missing() {
    local -a svc ctl
    local help
    lab__clussvc_cmd svc
    lab__clusctl_cmd ctl
    help=$("${svc[@]}" --help 2>&1 || true)
    if [[ $help != *--witness* ]]; then
        echo "clussvc has no --witness"
        return 0
    fi
    help=$("${ctl[@]}" --help 2>&1 || true)
    [[ $help == *"quorum set"* ]] || echo "clusctl has no 'quorum set'"
}

clusapi_other() { # I — the other node of the two
    echo $((3 - $1))
}

# Prints the one node of n1 and n2 that votes; fails unless exactly one does.
clusapi_voter() {
    local i found=
    for i in $FO2_NODES; do
        if lab_nodeinfo_is "$i" member_role=1; then
            [[ -z $found ]] || return 1
            found=$i
        fi
    done
    [[ -n $found ]] && lab_nodeinfo_is "$(clusapi_other "$found")" member_role=0 && echo "$found"
}

clusapi_one_voter() {
    clusapi_voter >/dev/null
}

clusapi_owned_by() { # I
    [[ $(lab_owner "$LAB_FO_IP") == "$1" ]] && lab_fo_settled "$FO2_NODES"
}

# Moves the core group to node I unless it is there, and waits until I alone holds the address
# and both nodes name it.
clusapi_place() { # I
    clusapi_owned_by "$1" 2>/dev/null && return 0
    lab_clusctl -c "n$1" group move "Cluster Group" --node "n$1" >"$LAB_DIR/move.out" 2>&1 ||
        fo2_die "clusctl group move to n$1 failed: $(tail -n 1 "$LAB_DIR/move.out")"
    lab_wait_for "clusapi: the core group on n$1" 30 clusapi_owned_by "$1"
}

clusapi_place_vote() {
    lab_wait_for "clusapi: exactly one node votes" 30 clusapi_one_voter
    clusapi_place "$(clusapi_voter)"
}

clusapi_place_novote() {
    lab_wait_for "clusapi: exactly one node votes" 30 clusapi_one_voter
    clusapi_place "$(clusapi_other "$(clusapi_voter)")"
}

clusapi_restart() { # I
    lab_start_node "$1" >/dev/null || fo2_die "n$1: clussvc did not start again"
}

# The cluster whole again after a fault on node I: I rejoined, one owner that both nodes name
# and that answers.
clusapi_settle() { # I
    lab_wait_for "clusapi: n$1 rejoined" "$FO2_SETTLE" lab_rejoined "$1" "$(clusapi_other "$1")"
    lab_wait_for "clusapi: one owner answering" "$FO2_SETTLE" lab_fo_settled "$FO2_NODES"
}

clusapi_settle_one_voter() { # I
    clusapi_settle "$1"
    lab_wait_for "clusapi: exactly one node votes" 30 clusapi_one_voter
}

clusapi_no_witness_rows() {
    local f fault undo
    echo "failover2: clusapi, two nodes without a witness ($RUNS rounds each) ..." >&2
    lab_wait_for "clusapi: exactly one node votes" 30 clusapi_one_voter
    for f in "kill -9" "link cut"; do
        case $f in
        "kill -9") fault=lab_kill_node undo=clusapi_restart ;;
        "link cut") fault=lab_link_down undo=lab_link_up ;;
        esac
        fo2_rounds clusapi_place_novote fo2_round "clusapi no witness, $f, no vote" "$fault" \
            "$undo" clusapi_settle_one_voter
        fo2_rounds clusapi_place_vote fo2_no_takeover_round "clusapi no witness, $f, the vote" \
            "$fault" "$undo" clusapi_settle_one_voter
    done
    fo2_rounds clusapi_place_novote fo2_round "clusapi no witness, clean stop, no vote" \
        lab_stop_node clusapi_restart clusapi_settle_one_voter
    fo2_rounds clusapi_place_vote fo2_round "clusapi no witness, clean stop, the vote" \
        lab_stop_node clusapi_restart clusapi_settle_one_voter
}

# Both nodes and the witness vote (member_role 1: a voter in raft's configuration).
clusapi_all_vote() {
    lab_all_nodeinfo_is "$FO2_NODES $FO2_THIRD" member_role=1
}

# After a fault on node I with the witness: the cluster whole again and every vote back, so
# that the next fault never meets a cluster one vote short.
clusapi_settle_witness() { # I
    clusapi_settle "$1"
    lab_wait_for "clusapi: both nodes and the witness vote" 30 clusapi_all_vote
}

# The witness on FO2_THIRD, added to the running cluster; waits until it has the cluster's
# database and its vote is counted (`quorum set` returns before dynamic quorum gives it one).
clusapi_add_witness() {
    bench_start_witness "$FO2_THIRD" || fo2_die "n$FO2_THIRD: clussvc --witness did not start"
    lab_clusctl -c n1 quorum set --witness "n$FO2_THIRD" >"$LAB_DIR/quorum-set.out" 2>&1 ||
        fo2_die "clusctl quorum set --witness failed: $(tail -n 2 "$LAB_DIR/quorum-set.out")"
    lab_wait_for "clusapi: the witness joined" 30 lab_rejoined "$FO2_THIRD" "$FO2_NODES"
    lab_wait_for "clusapi: both nodes and the witness vote" 30 clusapi_all_vote
    lab_wait_for "clusapi: one owner answering" "$FO2_SETTLE" lab_fo_settled "$FO2_NODES"
}

clusapi_witness_rows() {
    echo "failover2: clusapi, two nodes and a witness ($RUNS rounds each) ..." >&2
    clusapi_add_witness
    fo2_rounds : fo2_round "clusapi witness, kill -9" lab_kill_node clusapi_restart \
        clusapi_settle_witness
    fo2_rounds : fo2_round "clusapi witness, link cut" lab_link_down lab_link_up \
        clusapi_settle_witness
    fo2_rounds : fo2_round "clusapi witness, clean stop" lab_stop_node clusapi_restart \
        clusapi_settle_witness
}

clusapi_run() {
    local i missing rc=0
    for i in $FO2_NODES; do
        lab_start_node "$i" >/dev/null || fo2_die "n$i: clussvc did not start"
    done
    lab_create fo2 --node n1 --node n2 --ip "$LAB_FO_IP/24" >"$LAB_DIR/create.out" 2>&1 || rc=$?
    ((rc == 0)) || fo2_die "create failed (exit $rc): $(tail -n 1 "$LAB_DIR/create.out")"
    lab_wait_for "clusapi: the cluster address answers" 30 lab_fo_settled "$FO2_NODES"
    lab_start_prober p "$LAB_FO_IP" 3600
    [[ " $TOPOLOGIES " != *" no-witness "* ]] || clusapi_no_witness_rows
    if [[ " $TOPOLOGIES " == *" witness "* ]]; then
        missing=$(clusapi_witness_missing)
        if [[ -z $missing ]]; then
            clusapi_witness_rows
        else
            NOTES+=("clusapi with a witness: not run, $missing (the witness of issue 12 is not in
this build); the rows appear once it is.")
            echo "failover2: clusapi witness rows left out: $missing" >&2
        fi
    fi
    lab_bg_stop p
    for i in $FO2_NODES $FO2_THIRD; do lab_stop_node "$i"; done
    lab_wait_for "clusapi stopped: the address released" 10 lab_nobody_holds "$LAB_FO_IP"
}
