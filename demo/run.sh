#!/usr/bin/env bash
# The clusapi demo: three nodes in network namespaces on this machine, a cluster created with
# `clusctl create` (live progress), its status, a request to the cluster IP from a client
# namespace, then the cluster taken apart and everything cleaned up. Run as root.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-deps.sh
[[ -d build ]] || meson setup build >/dev/null
ninja -C build >/dev/null

export BUILD_DIR=$ROOT/build
source tests/lab/lab.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Three nodes, each running clussvc in its own network namespace"
lab_init 3
for i in 1 2 3; do
    lab_start_node "$i" --listen ::  # all addresses: the cluster IP reaches clussvc too
    printf '  n%d  %s  clussvc pid %s\n' "$i" "$(lab_node_addr "$i")" "$(lab_node_pid "$i")"
done
ip=$(lab_cluster_ip)

step "clusctl create democlus --node n1 --node n2 --node n3 --ip $ip/24"
lab_clusctl create democlus --node n1 --node n2 --node n3 --ip "$ip/24"

step "clusctl -c n1 status"
lab_clusctl -c n1 status

step "From the client namespace: the cluster IP $ip answers"
lab_client ping -c 3 -i 0.2 "$ip"
echo
echo "  clussvc answers on the cluster IP too (clusctl -c $ip node list):"
lab_clusctl -c "$ip" node list

step "Tearing down: every node stopped, every namespace removed"
lab_teardown
echo "done."
