#!/bin/bash
# scenario_node_down.sh — CreateCluster on 3 nodes when some cannot be reached.  One node's
# service stopped: the create succeeds on the other two, phase 100 drops the third with a
# Warning, and the third is untouched once it runs again.  Two of three stopped: no majority,
# the create fails with ERROR_CLUSTER_NODE_UNREACHABLE (5051) and the one left is clean.  One
# node's link cut instead of its service stopped: as in the first case.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=15
NODES=(--node n1 --node n2 --node n3)

create() { # NAME ARGS... — output in $LAB_DIR/NAME.out, exit status in RC
    local name=$1
    shift
    RC=0
    lab_create "$name" "$@" >"$LAB_DIR/$name.out" 2>&1 || RC=$?
    grep -v '^cb ' "$LAB_DIR/$name.out" | sed 's/^/    /' || true
}

has_line() { # FILE REGEX
    grep -qE "$2" "$1"
}

nodes_clean() { # "I..." ADDR
    local i
    for i in $1; do lab_node_is_clean "$i" "$2" || return 1; done
}

owner_among() { # ADDR I... — exactly one node has ADDR, and it is one of I...
    local owners
    owners=$(lab_ip_owners "$1")
    shift
    [[ $(wc -l <<<"$owners") == 1 && " $* " == *" $owners "* ]]
}

# The create without n3 (stopped, or cut off by DOWN_HOW), checked.  Leaves n3 as it found it.
two_of_three() { # LABEL stop|link
    local label=$1 how=$2 ip
    ip=$(lab_cluster_ip 0)
    for i in 1 2 3; do lab_start_node "$i"; done
    if [[ $how == stop ]]; then lab_stop_node 3; else lab_link_down 3; fi
    create "$label" "${NODES[@]}" --ip "$ip/24"
    lab_assert -m "$label: the create succeeds" test "$RC" = 0
    lab_assert -m "$label: phase 100 has a Warning Continue for n3 with 5051" has_line \
        "$LAB_DIR/$label.out" \
        '^cb phase=100 type=2 severity=2 percent=[0-9]+ object=n3 status=5051$'
    lab_assert -m "$label: phase 100 ends with a Warning" has_line \
        "$LAB_DIR/$label.out" '^cb phase=100 type=3 severity=2 '
    lab_assert -m "$label: n3 is named in no phase after 100" lab_not has_line \
        "$LAB_DIR/$label.out" '^cb phase=(10[2-9]|2[0-9][0-9]) .* object=n3 '
    lab_assert -m "$label: n1 and n2 Running and committed" \
        lab_all_nodeinfo_is "1 2" state=19 committed=1 "cluster=$label"
    lab_assert_within "$label: n1 and n2 agree on the database" "$T" lab_nodes_agree db_hash 1 2
    lab_assert -m "$label: exactly one of n1, n2 has the cluster IP" owner_among "$ip" 1 2
    lab_assert_within "$label: the cluster IP answers" "$T" lab_ip_answers "$ip"
    if [[ $how == stop ]]; then lab_start_node 3; else lab_link_up 3; fi
    lab_assert_within "$label: n3 answers again, NotConfigured" "$T" lab_nodeinfo_is 3 state=1
    lab_assert -m "$label: n3 is clean" lab_node_is_clean 3 "$ip"
    lab_assert -m "$label: the cluster is unchanged" \
        lab_all_nodeinfo_is "1 2" state=19 committed=1 "cluster=$label"
}

one_of_three() {
    local ip
    ip=$(lab_cluster_ip 0)
    for i in 1 2 3; do lab_start_node "$i"; done
    lab_stop_node 2
    lab_stop_node 3
    create minority "${NODES[@]}" --ip "$ip/24"
    lab_assert -m "minority: the create fails" test "$RC" = 1
    lab_assert -m "minority: result status=5051" has_line "$LAB_DIR/minority.out" \
        '^result status=5051 '
    lab_assert -m "minority: phase 100 ends Fatal with 5051" has_line "$LAB_DIR/minority.out" \
        '^cb phase=100 type=3 severity=3 .* status=5051$'
    lab_assert -m "minority: FailureCleanup runs and is the last phase" test \
        "$(grep '^cb ' "$LAB_DIR/minority.out" | tail -n1 | cut -d' ' -f2,3)" = \
        "phase=999 type=3"
    lab_assert -m "minority: n1 NotConfigured" lab_nodeinfo_is 1 state=1
    lab_assert -m "minority: n1 clean" lab_node_is_clean 1 "$ip"
    lab_start_node 2
    lab_start_node 3
    lab_assert -m "minority: n2, n3 NotConfigured once started" lab_all_nodeinfo_is "2 3" state=1
    lab_assert -m "minority: n2, n3 clean" nodes_clean "2 3" "$ip"
}

lab_fresh 3 two_of_three stopped stop
lab_fresh 3 one_of_three
lab_fresh 3 two_of_three cut link
lab_pass "node_down"
