#!/bin/bash
# scenario_already_member.sh — CreateCluster must not touch a node that is already in a cluster,
# nor reuse the name of a cluster that answers.  Cluster A on n1,n2; then B on n2,n3 fails with
# ERROR_CLUSTER_NODE_ALREADY_MEMBER (5065), A is untouched and n3 clean.  Then, with A's name
# resolving to A's cluster IP, a create of a cluster with A's name on n3 alone fails with
# ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME (5900) and n3 is clean.
#
# Guards a regression: phase 106 asks the name's address whether it is a cluster, which works
# only while clussvc serves the management port on every address, the cluster IP included.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=15
lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
ipa=$(lab_cluster_ip 0)
ipb=$(lab_cluster_ip 1)

create() { # NAME ARGS... — output in $LAB_DIR/NAME.out, exit status in RC
    local name=$1
    shift
    RC=0
    NRUN=$((NRUN + 1))
    OUT=$LAB_DIR/$name.$NRUN.out
    lab_create "$name" "$@" >"$OUT" 2>&1 || RC=$?
    grep -v '^cb ' "$OUT" | sed 's/^/    /' || true
}
NRUN=0

last_phase_is_999() {
    [[ $(grep '^cb ' "$OUT" | tail -n1 | cut -d' ' -f2,3) == "phase=999 type=3" ]]
}

# A is as it was: both nodes Running, committed, in A, with the database they had.
a_untouched() {
    lab_all_nodeinfo_is "1 2" state=19 committed=1 cluster=clua "db_hash=$hash_a" &&
        [[ $(lab_ip_owners "$ipa" | wc -l) == 1 ]] && [[ -z $(lab_ip_owners "$ipb") ]]
}

create clua --node n1 --node n2 --ip "$ipa/24"
lab_assert -m "A: created on n1, n2" test "$RC" = 0
# two nodes: dynamic quorum takes one vote and records it; the database is A's once that is done
lab_assert_within "A: the votes settled" "$T" lab_votes_settled "1 2"
lab_assert_within "A: n1, n2 agree on the database" "$T" lab_nodes_agree db_hash 1 2
hash_a=$(lab_nodeinfo 1 db_hash)
lab_assert_within "A: its address answers" "$T" lab_ip_answers "$ipa"

create club --node n2 --node n3 --ip "$ipb/24"
lab_assert -m "B on n2, n3: the create fails" test "$RC" = 1
lab_assert -m "B on n2, n3: result status=5065" grep -q '^result status=5065 ' "$OUT"
lab_assert -m "B on n2, n3: phase 100 ends Fatal with 5065, naming n2" \
    grep -qE '^cb phase=100 type=3 severity=3 percent=[0-9]+ object=n2 status=5065$' "$OUT"
lab_assert -m "B on n2, n3: FailureCleanup is the last phase" last_phase_is_999
lab_assert -m "B on n2, n3: A untouched (n1, n2 Running, same database, one owner)" a_untouched
lab_assert -m "B on n2, n3: n3 NotConfigured" lab_nodeinfo_is 3 state=1
lab_assert -m "B on n2, n3: n3 clean" lab_node_is_clean 3 "$ipa" "$ipb"
lab_assert -m "B on n2, n3: A still answers" lab_ip_answers "$ipa"

lab_hosts_add clua "$ipa"
lab_assert -m "A's name resolves to $ipa in the client" \
    test "$(lab_client getent hosts clua | awk '{print $1}')" = "$ipa"
create clua --node n3 --ip "$ipb/24"
lab_assert -m "A again on n3: the create fails [phase 106 reaches the cluster IP]" \
    test "$RC" = 1
lab_assert -m "A again on n3: result status=5900" grep -q '^result status=5900 ' "$OUT"
lab_assert -m "A again on n3: phase 106 ends Fatal with 5900" \
    grep -qE '^cb phase=106 type=3 severity=3 .* status=5900$' "$OUT"
lab_assert -m "A again on n3: FailureCleanup is the last phase" last_phase_is_999
lab_assert -m "A again on n3: n3 NotConfigured" lab_nodeinfo_is 3 state=1
lab_assert -m "A again on n3: n3 clean" lab_node_is_clean 3 "$ipa" "$ipb"
lab_assert -m "A again on n3: A untouched" a_untouched
lab_pass "already_member"
