#!/bin/bash
# scenario_ip_in_use.sh — the cluster IP already answers on the network (the client holds it):
# CreateCluster fails in phase 102 with ERROR_CLUSTER_IPADDR_IN_USE (5057), every node is back
# to NotConfigured and clean, and the client still holds the address.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
out=$LAB_DIR/create.out

client_has_ip() {
    [[ -n $(lab_client ip -o addr show dev eth0 to "$ip") ]]
}
node_pings() { # I ADDR
    lab_node "$1" ping -n -q -c1 -W1 "$2" >/dev/null 2>&1
}
all_clean() {
    local i
    for i in 1 2 3; do lab_node_is_clean "$i" "$ip" || return 1; done
}

lab_client ip addr add "$ip/24" dev eth0
lab_assert_within "the client's $ip answers on the lab network" 10 node_pings 1 "$ip"

rc=0
lab_create inuse --node n1 --node n2 --node n3 --ip "$ip/24" >"$out" 2>&1 || rc=$?
grep -v '^cb ' "$out" | sed 's/^/    /' || true
lab_assert -m "the create fails" test "$rc" = 1
lab_assert -m "result status=5057" grep -q '^result status=5057 ' "$out"
lab_assert -m "phase 102 ends Fatal with 5057" \
    grep -qE '^cb phase=102 type=3 severity=3 .* status=5057$' "$out"
lab_assert -m "no phase after 102 but 999 starts" lab_not \
    grep -qE '^cb phase=(10[345]|2[0-9][0-9]) type=1 ' "$out"
lab_assert -m "FailureCleanup is the last phase" \
    test "$(grep '^cb ' "$out" | tail -n1 | cut -d' ' -f2,3)" = "phase=999 type=3"
lab_assert -m "every node NotConfigured" lab_all_nodeinfo_is "1 2 3" state=1
lab_assert -m "every node clean" all_clean
lab_assert -m "no node has $ip" test -z "$(lab_ip_owners "$ip")"
lab_assert -m "the client still holds $ip" client_has_ip
lab_assert -m "$ip still answers, from a node" node_pings 2 "$ip"
lab_pass "ip_in_use"
