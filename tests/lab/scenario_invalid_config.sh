#!/bin/bash
# scenario_invalid_config.sh — a CREATE_CLUSTER_CONFIG that breaks the rules is refused before
# any node is contacted and before any callback.  With every node's service stopped, each bad
# config fails with its own code (87 or 5911), not with an unreachable-node error, and no
# callback is made; with the nodes running, the same configs fail the same way and change
# nothing (every node NotConfigured and clean).
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

lab_init 3
ip=$(lab_cluster_ip 0)

# label | expected status | lab_create arguments
cases=(
    "zero prefix|87|badpfx --node n1 --node n2 --node n3 --ip $ip/0"
    "a node named like the cluster|87|n1 --node n1 --node n2 --node n3 --ip $ip/24"
    "the same node twice|87|twice --node n1 --node n1 --node n2 --ip $ip/24"
    "an IPv6 link-local address|5911|ll6 --node n1 --node n2 --node n3 --ip fe80::100/64"
)

all_clean() {
    local i
    for i in 1 2 3; do lab_node_is_clean "$i" "$ip" || return 1; done
}

try_all() { # WHEN
    local when=$1 c label want args rc out n=0
    local -a argv
    for c in "${cases[@]}"; do
        IFS='|' read -r label want args <<<"$c"
        read -ra argv <<<"$args"
        out=$LAB_DIR/$when.$((++n)).out
        rc=0
        lab_create "${argv[@]}" >"$out" 2>&1 || rc=$?
        grep -v '^cb ' "$out" | sed 's/^/    /' || true
        lab_assert -m "$when, $label: lab_create exits 1" test "$rc" = 1
        lab_assert -m "$when, $label: result status=$want" grep -q "^result status=$want " "$out"
        lab_assert -m "$when, $label: no callback" lab_not grep -q '^cb ' "$out"
    done
}

try_all "nodes stopped"
for i in 1 2 3; do lab_start_node "$i"; done
try_all "nodes running"
lab_assert -m "nodes running: every node NotConfigured" lab_all_nodeinfo_is "1 2 3" state=1 \
    setup_session=0
lab_assert -m "nodes running: every node clean" all_clean
for i in 1 2 3; do
    lab_assert -m "nodes running: n$i logged no setup" \
        lab_not grep -qiE 'configured as|setup|claim' "$LAB_DIR/n$i/clussvc.log"
done
lab_pass "invalid_config"
