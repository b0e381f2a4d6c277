#!/usr/bin/env bash
# bench/create — how long CreateCluster takes in the namespace lab, and what clussvc costs.
#
# For 1, 3 and 5 nodes, RUNS times each (default 7): a fresh CreateCluster with one cluster IP,
# timed from the call to its return in the client namespace (every node Up, the core group
# online, the setup committed), then the nodes are cleared for the next run. Prints the median
# and range per size, and clussvc's resident memory on each node after a 3-node create.
#
#   sudo bench/create.sh [RUNS]        (BUILD_DIR defaults to build/)
set -euo pipefail
RUNS=${1:-7}
source "$(dirname "$0")/../tests/lab/lab.sh"
LAB_CREATE=$BUILD_DIR/tests/lab/lab_create
LAB_NODEINFO=$BUILD_DIR/tests/lab/lab_nodeinfo

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

clear_nodes() {
    local i
    for ((i = 1; i <= $1; i++)); do
        lab_client "$LAB_NODEINFO" "n$i" --clear >/dev/null
    done
}

lab_init 5
for i in 1 2 3 4 5; do lab_start_node "$i"; done
ip=$(lab_cluster_ip)
printf '%-8s %10s %10s %10s   (ms, %d runs, CreateCluster with 1 IP)\n' nodes median min max "$RUNS"
for n in 1 3 5; do
    nodes=()
    for ((i = 1; i <= n; i++)); do nodes+=(--node "n$i"); done
    times=()
    for ((r = 0; r < RUNS; r++)); do
        t0=$EPOCHREALTIME
        lab_client "$LAB_CREATE" "bench$n" "${nodes[@]}" --ip "$ip/24" >"$LAB_DIR/create.out" ||
            { cat "$LAB_DIR/create.out"; lab_fail "create of $n nodes failed"; }
        t1=$EPOCHREALTIME
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) * 1000}')")
        if [[ $n == 3 && $r == 0 ]]; then
            rss=()
            for ((i = 1; i <= 3; i++)); do
                rss+=("$(awk '/VmRSS/ {print $2}' "/proc/$(lab_node_pid "$i")/status")")
            done
        fi
        clear_nodes "$n"
        lab_wait_for "cluster IP released" 10 lab_not lab_ip_answers "$ip"
    done
    printf '%-8s %10s %10s %10s\n' "$n" "$(printf '%s\n' "${times[@]}" | median)" \
        "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" \
        "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)"
done
printf 'clussvc RSS after a 3-node create (KiB): %s   median %s\n' "${rss[*]}" \
    "$(printf '%s\n' "${rss[@]}" | median)"
