#!/usr/bin/env bash
# scenario_bad_server.sh — the server half of the bad-input table: calls that reach clussvc and
# must be refused with their Win32 code and change nothing. On three nodes, clusctl prepares
# group g1 with Generic Applications a and b (b depends on a), g2 with c, g3 with "on" online;
# lab_badserver then runs each row (unknown type, a missing or ill-typed required property, a
# cycle, a dependency on itself or across groups, deleting a provider, an online resource or a
# type in use, a nested expression, RestartAction=7, a read-only property, short output buffers)
# and compares every node's database version and hash before and after each. The databases must
# also be the same at the end as before the table, and nothing of it exists.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_clussvc
lab_require_tool lab_badserver
lab_init 3
for i in 1 2 3; do lab_start_node "$i" || lab_fail "n$i did not start"; done
lab_create badsrv --node n1 --node n2 --node n3 >"$LAB_DIR/create.out" 2>&1 ||
    lab_fail "create failed: $(tail -n 1 "$LAB_DIR/create.out")"

ctl() { lab_clusctl -c n1 "$@"; }
app() { # NAME GROUP
    ctl resource create "$1" --group "$2" --type "Generic Application" \
        --prop "CommandLine=/bin/sleep 100$3"
}
for g in g1 g2 g3; do lab_assert -m "group $g" ctl group create "$g"; done
lab_assert -m "a" app a g1 1
lab_assert -m "b" app b g1 2
lab_assert -m "b depends on a" ctl resource depend b a
lab_assert -m "c" app c g2 3
lab_assert -m "on" app on g3 4
lab_assert -m "on online" ctl resource online on

lab_wait_for "every node has the same database" 10 lab_nodes_agree db_hash 1 2 3
before=$(lab_db_snapshot "1 2 3")
rc=0
lab_client "$(lab__tool lab_badserver)" n1 n1 n2 n3 >"$LAB_DIR/server.out" 2>&1 || rc=$?
sed 's/^/    /' "$LAB_DIR/server.out"
lab_assert -m "server table: $(grep -c '^ok ' "$LAB_DIR/server.out") rows ok" test "$rc" = 0
lab_assert -m "server table: nothing failed" grep -qx 'result failed=0' "$LAB_DIR/server.out"
lab_assert -m "nothing committed over the table" test "$(lab_db_snapshot "1 2 3")" = "$before"
lab_assert -m "no resource x1" lab_not grep -q '"name":"x1"' <<<"$(ctl --json resource list)"
lab_pass "bad input refused by the server, nothing changed"
