#!/usr/bin/env bash
# bench/membership — how long the membership calls take in the namespace lab.
#
# RUNS times each (default 7, at least 5), each call timed from its start to its return in the
# client namespace:
#   add           AddClusterNode of n4 into a 3-node cluster (n1-n3) with one cluster IP: the
#                 node validated, configured, started, caught up and Up;
#   evict         EvictClusterNodeEx of that node again (a follower of the 4-node cluster),
#                 cleanup included;
#   destroy3/5    DestroyCluster of a freshly created 3-node / 5-node cluster with one cluster
#                 IP, through n1.
# Before every timed call the cluster has settled (database hashes agree, the cluster IP
# answers), so each run starts from the same state.  A call that fails is timed all the same,
# counted in the `failed` column with its status listed, and the nodes are reset before the
# next run.  Prints `name median min max failed` in ms and the targets (reported, not
# asserted: a benchmark is not a test).
#
#   sudo BUILD_DIR=build bench/membership.sh [RUNS]
set -euo pipefail
RUNS=${1:-7}
BUILD_DIR=${BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
source "$(dirname "$0")/../tests/lab/lab.sh"
LAB_CREATE=$BUILD_DIR/tests/lab/lab_create
LAB_OP=$BUILD_DIR/tests/lab/lab_op
LAB_NODEINFO=$BUILD_DIR/tests/lab/lab_nodeinfo

((RUNS >= 5)) || { echo "bench/membership: RUNS must be at least 5" >&2; exit 2; }
for t in "$LAB_CREATE" "$LAB_OP" "$LAB_NODEINFO"; do
    [[ -x $t ]] || { echo "bench/membership: $t not built (set BUILD_DIR)" >&2; exit 2; }
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", (b - a) * 1000}'; }

declare -A times fails

# Times lab_op ARGS into times[NAME]; a failed call is timed too, and its status kept in
# fails[NAME] (returns 1).
timed_op() { # NAME ARGS...
    local name=$1 t0 st
    shift
    t0=$EPOCHREALTIME
    if lab_client "$LAB_OP" "$@" >"$LAB_DIR/op.out" 2>&1; then
        times[$name]+="$(ms_since "$t0") "
        return 0
    fi
    times[$name]+="$(ms_since "$t0") "
    st=$(lab_result_status "$LAB_DIR/op.out" || echo "exit")
    fails[$name]+="$st "
    printf 'bench: %s failed: %s\n' "$name" "$(tail -n 1 "$LAB_DIR/op.out")" >&2
    return 1
}

# Returns nodes 1..N to NotConfigured (after a failed call) and waits for the cluster IP to go.
clear_all() { # N
    local i
    for ((i = 1; i <= $1; i++)); do
        lab_client "$LAB_NODEINFO" "n$i" --clear >/dev/null
    done
    lab_wait_for "cluster IP released" 15 lab_not lab_ip_answers "$ip"
}

# Creates cluster bench on nodes 1..N and waits until it has settled.
create() { # N
    local i
    local -a args=()
    for ((i = 1; i <= $1; i++)); do args+=(--node "n$i"); done
    lab_client "$LAB_CREATE" bench "${args[@]}" --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 ||
        { cat "$LAB_DIR/create.out"; lab_fail "create of $1 nodes failed"; }
    settle "$(seq -s ' ' 1 "$1")"
}

settle() { # "I..."
    # shellcheck disable=SC2086 # a list of indexes
    lab_wait_for "hashes agree" 15 lab_nodes_agree db_hash $1
    lab_wait_for "cluster IP answers" 15 lab_ip_answers "$ip"
}

report() { # NAME WHAT
    local v f
    v=$(tr ' ' '\n' <<<"${times[$1]}" | grep .)
    f=$(wc -w <<<"${fails[$1]:-}")
    printf '%-10s %8s %8s %8s %6s   %s\n' "$1" "$(median <<<"$v")" "$(sort -n <<<"$v" | head -1)" \
        "$(sort -n <<<"$v" | tail -1)" "$f/$(wc -l <<<"$v")" "$2"
    [[ $f == 0 ]] || printf '%-10s failures returned: %s\n' '' "${fails[$1]}"
}

lab_init 5
for i in 1 2 3 4 5; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)

create 3
for ((r = 0; r < RUNS; r++)); do
    if timed_op add add n1 n4; then
        settle "1 2 3 4"
        timed_op evict evict n1 n4 && lab_wait_for "n4 NotConfigured" 15 lab_nodeinfo_is 4 state=1 &&
            settle "1 2 3" && continue
    fi
    clear_all 4 # a failed add or evict: start again from a fresh 3-node cluster
    create 3
done
clear_all 4
for n in 3 5; do
    for ((r = 0; r < RUNS; r++)); do
        create "$n"
        timed_op "destroy$n" destroy n1 || true
        lab_poll 15 lab_all_nodeinfo_is "$(seq -s ' ' 1 "$n")" state=1 || clear_all "$n"
        lab_wait_for "cluster IP released" 15 lab_not lab_ip_answers "$ip"
    done
done

printf 'command: BUILD_DIR=%s %s %s\n' "$BUILD_DIR" "$0" "$*"
printf '%-10s %8s %8s %8s %6s   (ms, %d runs each)\n' name median min max failed "$RUNS"
report add "AddClusterNode n4 into a 3-node cluster (target <= 500)"
report evict "EvictClusterNodeEx of n4, a follower of 4 (cleanup included)"
report destroy3 "DestroyCluster of 3 nodes (target <= 500)"
report destroy5 "DestroyCluster of 5 nodes"
