#!/bin/bash
# scenario_bad_input.sh — malformed arguments against a live cluster touch no node. On a
# two-node cluster: lab_badinput gives every handle call of the API one malformed argument
# (NULL, not terminated, invalid UTF-16, closed or wrong-type handles, huge counts, duplicate
# nodes, malformed property lists of the control calls, short output buffers the handle can
# answer; the rows that must reach clussvc are scenario_bad_server.sh's) and checks each code;
# then clusctl runs the same kinds of mistakes, each of which must
# exit with its status, say why on stderr and print nothing on stdout. Each node counts the
# requests it receives with the admin key (NODE_INFO admin_requests): across either table the
# count may grow only by the one reading that closes it. The cluster is unchanged at the end.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_tool lab_badinput

lab_init 2
for i in 1 2; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
lab_create badin --node n1 --node n2 --ip "$ip/24" >"$LAB_DIR/create.out" 2>&1 ||
    lab_fail "create: $(tail -n 1 "$LAB_DIR/create.out")"
lab_wait_for "the cluster IP answers" 15 lab_ip_answers "$ip"

# The API table (the driver reads the counters itself, right around the table).
rc=0
lab_client "$(lab__tool lab_badinput)" n1 n1 n2 >"$LAB_DIR/api.out" 2>&1 || rc=$?
grep -v '^ok ' "$LAB_DIR/api.out" | sed 's/^/    /' || true
lab_assert -m "API table: $(grep -c '^ok ' "$LAB_DIR/api.out") rows and 2 counters ok" \
    test "$rc" = 0
lab_assert -m "API table: nothing failed" grep -qx 'result failed=0' "$LAB_DIR/api.out"

# The clusctl table: label | exit status | a part of stderr | arguments (as bash words).
long=$(printf 'a%.0s' {1..300})
many=
for i in $(seq 65); do many+=" --node m$i"; done
cases=(
    "create: prefix 0|2|prefix length must be at least 1|create c2 --node n1 --ip $ip/0"
    "create: IPv4 prefix 33|2|bad --ip|create c2 --node n1 --ip $ip/33"
    "create: IPv6 prefix 129|2|bad --ip|create c2 --node n1 --ip fd00::5/129"
    "create: IPv6 link-local|1|ERROR_INVALID_CLUSTER_IPV6_ADDRESS (5911)|create c2 --node n1 --ip fe80::5/64"
    "create: 16-character name|1|(5917)|create abcdefghijklmnop --node n1 --ip $ip/24"
    "create: '_' in the name|1|(5917)|create c_2 --node n1 --ip $ip/24"
    "create: all-digit name|1|(5917)|create 12345 --node n1 --ip $ip/24"
    "create: name not UTF-8|2|UTF-8|create \$'c\\xff' --node n1"
    "create: node not UTF-8|2|UTF-8|create c2 --node \$'n\\xff'"
    "create: node of 300|1|(5917)|create c2 --node $long --ip $ip/24"
    "create: a node twice|2|given twice|create c2 --node n1 --node N1 --ip $ip/24"
    "create: node named like the cluster|1|(87)|create n1 --node n1 --ip $ip/24"
    "create: 65 nodes|1|ERROR_CLUSTER_TOO_MANY_NODES (5935)|create c2 $many --ip $ip/24"
    "create: no node|2|--node|create c2"
    "create: unknown --mgmt|2|--mgmt|create c2 --node n1 --mgmt cno"
    "add-node: '_' in the name|2|bad NODE|-c n1 add-node n_9"
    "add-node: name of 300|2|bad NODE|-c n1 add-node $long"
    "add-node: not UTF-8|2|UTF-8|-c n1 add-node \$'\\xff'"
    "add-node: none|2|needs a NODE|-c n1 add-node"
    "--cluster: '*' in the name|2|bad --cluster|-c 'n*1' status"
    "--cluster: empty|2|--cluster|-c '' status"
    "evict: empty node|2|non-empty|-c n1 evict ''"
    "evict: bad timeout|2|--timeout|-c n1 evict n2 --timeout -5"
    "node pause: none|2|needs a NODE|-c n1 node pause"
    "node clear: space in the name|2|bad NODE|node clear 'n 2'"
    "group move: no group|2|needs a GROUP|-c n1 group move"
    "group create: no group|2|GROUP|-c n1 group create"
    "group create: not UTF-8|2|UTF-8|-c n1 group create \$'g\\xff'"
    "group create: name of 300|2|at most 255 bytes|-c n1 group create $long"
    "group delete: empty group|2|non-empty|-c n1 group delete ''"
    "group move: empty --node|2|--node|-c n1 group move 'Cluster Group' --node ''"
    "group online: two --node|2|one --node|-c n1 group online 'Cluster Group' --node n1 --node n2"
    "destroy: no terminal, no --yes|2|--yes|-c n1 destroy"
    "events: interval 1 ms|2|--interval|-c n1 events --interval 1"
    "unknown command|2|unknown command|-c n1 frobnicate"
)

counter() { # I — node I's count of admin-key requests
    lab_nodeinfo "$1" admin_requests
}

declare -A before
for i in 1 2; do before[$i]=$(counter "$i"); done
n=0
for c in "${cases[@]}"; do
    IFS='|' read -r label want_rc want_err args <<<"$c"
    eval "argv=($args)"
    out=$LAB_DIR/cli.$((++n))
    rc=0
    lab_clusctl "${argv[@]}" >"$out.stdout" 2>"$out.stderr" </dev/null || rc=$?
    lab_assert -m "clusctl $label: exit $want_rc (got $rc: $(head -n 1 "$out.stderr"))" \
        test "$rc" = "$want_rc"
    lab_assert -m "clusctl $label: stderr says '$want_err'" grep -qF -- "$want_err" "$out.stderr"
    lab_assert -m "clusctl $label: nothing on stdout" test ! -s "$out.stdout"
done
for i in 1 2; do
    after=$(counter "$i")
    lab_assert -m "clusctl table: n$i got no request (admin requests ${before[$i]} -> $after)" \
        test "$after" = $((before[$i] + 1))
done

lab_assert -m "the cluster still lists n1 n2" lab_members_are 1 "n1 n2"
lab_assert -m "$ip has one owner" lab_ip_one_owner "$ip"
lab_assert -m "n1, n2 Running" lab_all_nodeinfo_is "1 2" state=19
lab_pass "bad_input"
