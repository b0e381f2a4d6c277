#!/usr/bin/env bash
# bench/commit — commit latency: a 3-node cluster in the namespace lab, then N cluster-database
# commands sent one at a time to the leader, each timed from request to the reply the leader
# sends once it is committed and applied (tests/lab/lab_commit). Raft traffic goes through TLS
# (src/daemon/consensus/consensus_tls.c over src/channel/tunnel.c); this shows what that costs a
# commit. Prints the median, p90 and max in ms (reported, not asserted: a benchmark is not a test).
#
#   sudo BUILD_DIR=build bench/commit.sh [N]
set -euo pipefail
N=${1:-100}
BUILD_DIR=${BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
export BUILD_DIR
source "$(dirname "$0")/../tests/lab/lab.sh"
lab_require_setup_tools
lab_require_tool lab_commit

lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
lab_create bench --node n1 --node n2 --node n3 --empty >"$LAB_DIR/create.out" 2>&1 ||
    { cat "$LAB_DIR/create.out"; exit 1; }
lab_wait_for "a leader" 15 lab_leader "1 2 3"
leader=$(lab_leader "1 2 3")
lab_client "$(lab__tool lab_commit)" "$(lab_node_addr "$leader")" "$N"
