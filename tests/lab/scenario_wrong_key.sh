#!/bin/bash
# scenario_wrong_key.sh — a client whose admin key is not the nodes' is refused.  With another
# well-formed key, CreateCluster and NODE_INFO both fail with ERROR_ACCESS_DENIED (5), every node
# stays NotConfigured and clean, and every node logs the refused connection.  With a key file
# group or others may read, a malformed one, or none, both fail with 5 and a message naming the
# key file, and no node hears of it; clussvc refuses to start with an open key file.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools

lab_init 3
for i in 1 2 3; do lab_start_node "$i"; done
ip=$(lab_cluster_ip 0)
wrong=$LAB_DIR/wrong.key
bad=$LAB_DIR/malformed.key
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$wrong" && echo >>"$wrong")
(umask 077 && echo 'this is not a key' >"$bad")
# shellcheck disable=SC2016 # expanded by the inner shell
lab_assert -m "the other key is well-formed and differs" \
    bash -c 'grep -qxE "[0-9a-f]{64}" "$1" && ! cmp -s "$1" "$2"' _ "$wrong" "$LAB_DIR/authkey"

all_clean() {
    local i
    for i in 1 2 3; do lab_node_is_clean "$i" "$ip" || return 1; done
}
refusals() { # I — how many refused connections node I has logged
    grep -c 'refused a connection: wrong or missing key' "$LAB_DIR/n$1/clussvc.log" || true
}

# Both tools with key file KEY: each fails with 5; the create's text matches REGEX.
try_key() { # LABEL KEY REGEX
    local label=$1 key=$2 re=$3 out=$LAB_DIR/$1.out err=$LAB_DIR/$1.info rc=0
    CLUSAPI_AUTHKEY=$key lab_create wk --node n1 --node n2 --node n3 --ip "$ip/24" \
        >"$out" 2>&1 || rc=$?
    grep -v '^cb ' "$out" | sed 's/^/    /' || true
    lab_assert -m "$label: lab_create exits 1" test "$rc" = 1
    lab_assert -m "$label: result status=5" grep -q '^result status=5 ' "$out"
    lab_assert -m "$label: the reason names the key" grep -qE "^result status=5 .*$re" "$out"
    lab_assert -m "$label: FailureCleanup is the last phase" \
        test "$(grep '^cb ' "$out" | tail -n1 | cut -d' ' -f2,3)" = "phase=999 type=3"
    rc=0
    CLUSAPI_AUTHKEY=$key lab_nodeinfo 1 >/dev/null 2>"$err" || rc=$?
    sed 's/^/    /' "$err"
    lab_assert -m "$label: lab_nodeinfo fails" test "$rc" = 1
    lab_assert -m "$label: lab_nodeinfo says status 5" grep -qE ": status 5: .*$re" "$err"
    lab_assert -m "$label: every node NotConfigured" lab_all_nodeinfo_is "1 2 3" state=1 \
        setup_session=0
    lab_assert -m "$label: every node clean" all_clean
}

try_key "wrong key" "$wrong" 'refused the connection.*key'
for i in 1 2 3; do
    lab_assert -m "wrong key: n$i logged a refused connection for a wrong key" \
        test "$(refusals "$i")" -ge 1
done
before=$(for i in 1 2 3; do refusals "$i"; done | tr '\n' ' ')
open=$LAB_DIR/open.key
cp "$LAB_DIR/authkey" "$open" && chmod 0644 "$open"
try_key "key file open to others" "$open" \
    "cannot use the admin key $open: group or others may read it"
try_key "malformed key" "$bad" "cannot read the admin key $bad: not a clusapi key"
try_key "no key file" "$LAB_DIR/absent.key" \
    "cannot read the admin key $LAB_DIR/absent.key: No such file"
lab_assert -m "open, malformed or missing key: no node was contacted" \
    test "$(for i in 1 2 3; do refusals "$i"; done | tr '\n' ' ')" = "$before"
lab_assert -m "the right key still works" lab_nodeinfo_is 1 state=1
lab__clussvc_cmd svc
rc=0
lab_node 1 "${svc[@]}" --state-dir "$LAB_DIR/open-state" --name nx --port 3999 \
    --authkey "$open" >"$LAB_DIR/open-svc.log" 2>&1 || rc=$?
lab_assert -m "clussvc will not start with an admin key file open to others" test "$rc" = 1
lab_assert -m "clussvc says why" grep -q "admin key $open: group or others may read it" \
    "$LAB_DIR/open-svc.log"
lab_pass "wrong_key"
