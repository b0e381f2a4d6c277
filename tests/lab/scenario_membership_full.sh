#!/bin/bash
# scenario_membership_full.sh — a full cluster refuses another node: AddClusterNode fails with
# ERROR_CLUSTER_MAX_NODES_IN_CLUSTER (5934), the cluster keeps its members, and the node that was
# turned away is left as it was (NotConfigured, clean). The limit is lowered to 2 with clussvc's
# --max-nodes so that the lab need not start 65 nodes.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_op

T=15
lab_init 3
for i in 1 2 3; do lab_start_node "$i" --max-nodes 2; done
ip=$(lab_cluster_ip)

lab_create full --node n1 --node n2 --ip "$ip/24" >"$LAB_DIR/create.out" ||
    lab_fail "create of n1,n2: $(tail -n 1 "$LAB_DIR/create.out")"
lab_pass "a two-node cluster on n1, n2"

rc=0
lab_op add n1 n3 >"$LAB_DIR/add.out" || rc=$?
lab_assert_setup_refused "add n3 (ERROR_CLUSTER_MAX_NODES_IN_CLUSTER)" "$LAB_DIR/add.out" "$rc" \
    300 5934
lab_assert_within "the cluster still lists exactly n1 n2" "$T" lab_members_are 1 "n1 n2"
lab_assert -m "n3 NotConfigured" lab_nodeinfo_is 3 state=1
lab_assert -m "n3 clean" lab_node_is_clean 3 "$ip"
lab_assert_within "$ip still answers" "$T" lab_ip_answers "$ip"
