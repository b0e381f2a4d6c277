#!/bin/bash
# scenario_rekey.sh — the administrator key is rotated on a running 3-node cluster without
# downtime (clusctl rekey --new-key, then --retire-old), and no secret reaches a log.
#
#   - a node whose admin key set is full refuses the new key: the rekey fails and the nodes
#     that took it give it back (none accepts the new key); --retire-old with the old key then
#     clears the extra keys;
#   - a member that is down stops the rekey before anything changes (decided: every member
#     must take part, docs/security.md);
#   - while a client calls `clusctl status` in a loop and a `clusctl events` session runs, the
#     new key is installed, the client moves to it, and the old key is retired: no call fails,
#     the session opened with the old key carries on, the old key is refused afterwards and the
#     new one works on every node;
#   - the nodes, restarted with their --authkey still the old file, accept only the new key;
#   - a destroy wipes the cluster from every node but leaves the admin keys it accepts;
#   - the state directories are 0700 and every file in them 0600; the clussvc logs, at debug
#     level, hold none of the keys or the cluster credential, in hex or base64.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

T=20
lab_init 3
old=$LAB_DIR/authkey
new=$LAB_DIR/new.key
client_key=$LAB_DIR/client.key
addr1=$(lab_node_addr 1)

# clusctl in the client namespace with the admin key file KEY.
ctl() { # KEY ARGS...
    local key=$1
    local -a c
    shift
    lab__clusctl_cmd c
    CLUSAPI_AUTHKEY=$key lab_client "${c[@]}" "$@"
}
accepted() { # KEY I — node I answers a client holding KEY
    CLUSAPI_AUTHKEY=$1 lab_nodeinfo_is "$2" state=19
}
refused() { # KEY I — node I refuses KEY: access denied (5)
    local err
    err=$(CLUSAPI_AUTHKEY=$1 lab_nodeinfo "$2" 2>&1 >/dev/null) && return 1
    grep -q ': status 5: ' <<<"$err"
}
all() { # PREDICATE KEY — the predicate holds for all three nodes
    local i
    for i in 1 2 3; do "$1" "$2" "$i" || return 1; done
}
random_hex() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
n3_up() { ctl "$old" node list -c "$addr1" | grep -qE '^n3 +Up\b'; }

# n3 starts with a full admin key set: the old key and three others.
mkdir -m 0700 "$LAB_DIR/n3/state"
(umask 077 && { cat "$old"; for _ in 1 2 3; do random_hex; echo; done; } \
    >"$LAB_DIR/n3/state/admin.keys")
for i in 1 2 3; do lab_start_node "$i" --log-level debug; done
rc=0
lab_create rk --node n1 --node n2 --node n3 --empty >"$LAB_DIR/create.out" 2>&1 || rc=$?
lab_assert -m "the 3-node cluster is created with the old key" test "$rc" = 0
lab_assert_within "every node Running" "$T" lab_all_nodeinfo_is "1 2 3" state=19 committed=1
ctl "$old" keygen "$new" >/dev/null
lab_assert -m "keygen wrote the new key 0600" test "$(stat -c %a "$new")" = 600

# --- A node that cannot take the key: the rekey fails and is rolled back. -------------------
rc=0
ctl "$old" rekey --new-key "$new" -c "$addr1" >"$LAB_DIR/full.out" 2>"$LAB_DIR/full.err" || rc=$?
sed 's/^/    /' "$LAB_DIR/full.err"
lab_assert -m "full key set on n3: rekey fails (exit 1)" test "$rc" = 1
lab_assert -m "full key set on n3: ERROR_TOO_MANY_SECRETS, and why" \
    grep -q 'ERROR_TOO_MANY_SECRETS (1381).*node n3: already accepts 4 admin keys' "$LAB_DIR/full.err"
lab_assert -m "full key set on n3: rolled back, no node accepts the new key" all refused "$new"
lab_assert -m "full key set on n3: the old key still works everywhere" all accepted "$old"
ctl "$old" rekey --retire-old -c "$addr1" >/dev/null
lab_assert -m "--retire-old with the old key leaves n3 one key" \
    test "$(wc -l <"$LAB_DIR/n3/state/admin.keys")" = 1
lab_assert -m "the old key still works everywhere" all accepted "$old"

# --- A member down: the rekey is refused before anything changes. ---------------------------
lab_stop_node 3
rc=0
ctl "$old" rekey --new-key "$new" -c "$addr1" >/dev/null 2>"$LAB_DIR/down.err" || rc=$?
sed 's/^/    /' "$LAB_DIR/down.err"
lab_assert -m "n3 down: rekey fails" test "$rc" != 0
lab_assert -m "n3 down: the error names n3 and says nothing changed" \
    grep -q 'n3.*nothing was changed' "$LAB_DIR/down.err"
lab_assert -m "n3 down: n1 refuses the new key" refused "$new" 1
lab_assert -m "n3 down: n2 refuses the new key" refused "$new" 2
lab_start_node 3 --log-level debug
lab_assert_within "n3 Running again and Up in the cluster" "$T" n3_up

# --- The rotation, under load. ---------------------------------------------------------------
cp "$old" "$client_key"
# The client: `clusctl status` again and again with whatever key $client_key holds, counting
# successes and failures (written whole, so a reader never sees half a line) until loop.stop.
# shellcheck disable=SC2016 # expanded by the inner shell
client_loop='ok=0 failed=0
read -ra ctl <<<"$1"
while [[ ! -e $4.stop ]]; do
    if CLUSAPI_AUTHKEY=$2 "${ctl[@]}" status -c "$3" >/dev/null 2>>"$4.err"; then ok=$((ok + 1))
    else failed=$((failed + 1)); fi
    echo "$ok $failed" >"$4.tmp" && mv "$4.tmp" "$4"
done'
lab__clusctl_cmd clusctl
lab_bg loop c bash -c "$client_loop" _ "${clusctl[*]}" "$client_key" "$addr1" "$LAB_DIR/loop.count"
lab_bg events c env CLUSAPI_AUTHKEY="$old" "${clusctl[@]}" events --interval 200 -c "$addr1"
calls() { local ok=0 _f; [[ -s $LAB_DIR/loop.count ]] && read -r ok _f <"$LAB_DIR/loop.count"; echo "$ok"; }
more_calls() { # N — the loop has made at least N successful calls
    (($(calls) >= $1))
}
lab_assert_within "the client loop is calling" "$T" more_calls 3

ctl "$old" rekey --new-key "$new" -c "$addr1" >"$LAB_DIR/step1.out"
sed 's/^/    /' "$LAB_DIR/step1.out"
lab_assert -m "step 1: every node accepts the new key" all accepted "$new"
lab_assert -m "step 1: every node still accepts the old key" all accepted "$old"
for i in 1 2 3; do
    lab_assert -m "step 1: n$i saved two keys, mode 0600" \
        test "$(stat -c %a "$LAB_DIR/n$i/state/admin.keys") $(wc -l <"$LAB_DIR/n$i/state/admin.keys")" = "600 2"
done
(umask 077 && cp "$new" "$client_key.tmp" && mv "$client_key.tmp" "$client_key")
base=$(calls)
lab_assert_within "the client loop calls with the new key" "$T" more_calls $((base + 3))

ctl "$new" rekey --retire-old -c "$addr1" >"$LAB_DIR/step2.out"
sed 's/^/    /' "$LAB_DIR/step2.out"
lab_assert -m "step 2: every node refuses the old key" all refused "$old"
lab_assert -m "step 2: every node accepts the new key" all accepted "$new"
base=$(calls)
lab_assert_within "the client loop keeps calling after the retirement" "$T" more_calls $((base + 3))
touch "$LAB_DIR/loop.count.stop"
lab_assert_within "the client loop ends" "$T" lab_not lab_bg_running loop
read -r ok failed <"$LAB_DIR/loop.count"
[[ ! -s $LAB_DIR/loop.count.err ]] || sed 's/^/    /' "$LAB_DIR/loop.count.err"
lab_assert -m "the client loop: $ok calls, none failed" test "$failed" = 0
lab_assert -m "the events session opened with the old key is still running" lab_bg_running events
lab_bg_stop events
rc=0
ctl "$old" status -c "$addr1" >/dev/null 2>"$LAB_DIR/oldstatus.err" || rc=$?
lab_assert -m "clusctl with the old key: access denied (exit 4)" test "$rc" = 4

# The cluster credential, to look for in the logs once destroy has deleted it.
cp "$LAB_DIR/n1/state/cluster.key" "$LAB_DIR/cluster.key.copy"

# --- Restarts: the saved set outranks --authkey (still the old file). ------------------------
for i in 1 2 3; do
    lab_stop_node "$i"
    lab_start_node "$i" --log-level debug
done
lab_assert_within "after the restarts every node answers the new key" "$T" all accepted "$new"
lab_assert -m "after the restarts every node refuses the old key" all refused "$old"
# Right after a restart of every node the database may still be empty on the node asked (it has
# not applied the log yet); wait for the three members to be listed again.
db_back() { [[ $(ctl "$new" node list -c "$addr1" | grep -cE '^n[123] +Up\b') == 3 ]]; }
lab_assert_within "after the restarts clusctl node list (new key) shows the three nodes Up" \
    "$T" db_back

# --- Permissions. ---------------------------------------------------------------------------
for i in 1 2 3; do
    s=$LAB_DIR/n$i/state
    lab_assert -m "n$i: state dir and raft dir 0700" \
        test "$(stat -c %a "$s" "$s/raft" | tr '\n' ' ')" = "700 700 "
    lab_assert -m "n$i: no file in the state dir is open to group or others" \
        test -z "$(find "$s" -maxdepth 1 -type f -perm /077)"
done

# --- Destroy: the node forgets the cluster, not whom it trusts. ------------------------------
ctl "$new" destroy --yes -c "$addr1" >"$LAB_DIR/destroy.out" 2>&1
not_configured() { CLUSAPI_AUTHKEY=$1 lab_all_nodeinfo_is "1 2 3" state=1; }
lab_assert_within "destroyed: every node NotConfigured (asked with the new key)" "$T" \
    not_configured "$new"
for i in 1 2 3; do
    lab_assert -m "destroyed: n$i clean but for its admin keys" lab_node_is_clean "$i"
done
lab_assert -m "destroyed: the nodes still refuse the old key" all refused "$old"

# --- Logs. ----------------------------------------------------------------------------------
secrets=("$(head -c 64 "$old")" "$(head -c 64 "$new")" "$(sed -n 2p "$LAB_DIR/cluster.key.copy")")
b64() { printf '%b' "$(sed 's/../\\x&/g' <<<"$1")" | base64 -w0; }
leaks=0
for s in "${secrets[@]}"; do
    [[ ${#s} == 64 ]] || lab_fail "a secret to look for is not 64 hex digits"
    for form in "$s" "${s^^}" "$(b64 "$s")"; do
        if grep -qF -- "$form" "$LAB_DIR"/n[123]/clussvc.log; then leaks=$((leaks + 1)); fi
    done
done
lines=$(cat "$LAB_DIR"/n[123]/clussvc.log | wc -l)
lab_assert -m "debug logs ($lines lines): no key or credential in hex or base64" \
    test "$leaks" = 0
lab_pass "rekey"
