#!/bin/bash
# selftest.sh — tests the lab harness itself, with fake_clussvc.py standing in for clussvc.
# Needs root.  Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lab.sh
source "$here/lab.sh"

py=/usr/bin/python3
[[ -x $py ]] || py=$(command -v python3) || lab_skip "selftest needs python3"
export CLUSSVC="$py $here/fake_clussvc.py"
# Bound for anything that takes time.  Generous: the machine may be busy, and every wait ends
# as soon as its condition holds.  Reachability is asserted through lab_poll for the same reason;
# checks that something must NOT answer are single tries (load cannot make them pass wrongly).
T=10

pings() { # NODE ADDR
    lab_node "$1" ping -n -q -c1 -W1 "$2" >/dev/null 2>&1
}

resolves_to() { # NS-RUNNER... NAME ADDR, e.g. resolves_to lab_client n2 10.x.y.12
    local want=${*: -1} name=${*: -2:1} got
    got=$("${@:1:$#-2}" getent hosts "$name" | awk '{print $1; exit}') || return 1
    [[ $got == "$want" ]]
}

tcp_connects() { # ADDR PORT, from the client
    # shellcheck disable=SC2016 # expanded by the inner shell
    lab_client bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

proc_state_is() { # PID STATE — a function, so that each poll reads the state anew
    lab__proc_stat "$1" && [[ ${REPLY%% *} == "$2" ]]
}

is_gone() { [[ ! -e /proc/$1 ]]; }

file_is() { [[ -f $1 && $(<"$1") == "$2" ]]; }

no_netns_with() { ! grep -q "^$1" <<<"$(ip netns list 2>/dev/null)"; }

no_etc_netns_with() { ! compgen -G "/etc/netns/$1*" >/dev/null; }

# ------------------------------------------------------------------------------- build the lab
lab_init 3
lab_assert -m "ids are short enough for interface names" test ${#LAB_ID} -le 11
for i in 1 2 3; do
    lab_start_node "$i"
done
for i in 1 2 3; do
    lab_assert -m "n$i stand-in running" lab_node_running "$i"
done
lab_assert -m "authkey is one line of 64 hex chars" grep -qxE '[0-9a-f]{64}' "$LAB_DIR/authkey"
lab_assert -m "authkey mode 0600" test "$(stat -c %a "$LAB_DIR/authkey")" = 600
lab_assert -m "CLUSAPI_AUTHKEY exported" test "$CLUSAPI_AUTHKEY" = "$LAB_DIR/authkey"
lab_assert -m "n1 has its addresses" test "$(lab_node_addrs 1 | sort | tr '\n' ' ')" = \
    "$(printf '%s\n' "$(lab_node_addr 1)" "$(lab_node_addr6 1)" | sort | tr '\n' ' ')"
lab_assert -m "no default route in a node" test -z "$(lab_node 1 ip route show default)"

# ------------------------------------------------------------------------------- reachability
for i in 1 2 3; do
    for j in 1 2 3; do
        ((i != j)) || continue
        lab_assert -m "n$i pings n$j (IPv4)" lab_poll "$T" pings "$i" "$(lab_node_addr "$j")"
        lab_assert -m "n$i pings n$j (IPv6)" lab_poll "$T" pings "$i" "$(lab_node_addr6 "$j")"
    done
    lab_assert -m "client reaches n$i (IPv4, ping+arping)" \
        lab_poll "$T" lab_ip_answers "$(lab_node_addr "$i")"
    lab_assert -m "client reaches n$i (IPv6)" lab_poll "$T" lab_ip_answers "$(lab_node_addr6 "$i")"
    lab_assert -m "client connects to n$i:$LAB_PORT" \
        lab_poll "$T" tcp_connects "$(lab_node_addr "$i")" "$LAB_PORT"
done

# ------------------------------------------------------------------------------- names
lab_assert -m "client resolves n2" resolves_to lab_client n2 "$(lab_node_addr 2)"
lab_assert -m "n1 resolves n3" resolves_to lab_node 1 n3 "$(lab_node_addr 3)"
lab_assert -m "client resolves n2-v6" resolves_to lab_client n2-v6 "$(lab_node_addr6 2)"
lab_assert -m "host's /etc/hosts untouched" lab_not grep -q "$LAB_ID" /etc/hosts
cip=$(lab_cluster_ip 0)
cip6=$(lab_cluster_ip6 1)
lab_hosts_add labclu "$cip"
lab_assert -m "hosts_add: client resolves labclu" resolves_to lab_client labclu "$cip"
lab_assert -m "hosts_add: n3 resolves labclu" resolves_to lab_node 3 labclu "$cip"

# ------------------------------------------------------------------------------- cluster IPs
lab_assert -m "cluster IP silent before it is added" lab_not lab_ip_answers "$cip"
lab_assert -m "no owner before" test -z "$(lab_ip_owners "$cip")"
lab_node 2 ip addr add "$cip/24" dev eth0
lab_node 2 ip addr add "$cip6/64" dev eth0 nodad
lab_wait_for "cluster IP answers" "$T" lab_ip_answers "$cip"
lab_wait_for "cluster IPv6 answers" "$T" lab_ip_answers "$cip6"
lab_assert -m "n2 owns the cluster IP" test "$(lab_ip_owners "$cip")" = 2
lab_assert -m "n2 owns the cluster IPv6 (non-canonical spelling)" \
    test "$(lab_ip_owners "${cip6/::/:0::}")" = 2
lab_assert -m "n2 with cluster IP is not clean" lab_not lab_node_is_clean 2 "$cip"
lab_node 2 ip addr del "$cip/24" dev eth0
lab_node 2 ip addr del "$cip6/64" dev eth0
lab_assert -m "n2 clean again" lab_node_is_clean 2 "$cip" "$cip6"

# ------------------------------------------------------------------------------- clean state
: >"$LAB_DIR/n1/state/node.id"
lab_assert -m "node.id alone is clean" lab_node_is_clean 1
mkdir "$LAB_DIR/n1/state/raft"
: >"$LAB_DIR/n1/state/raft/1-2"
lab_assert -m "raft data is not clean" lab_not lab_node_is_clean 1
rm -r "$LAB_DIR/n1/state/raft"
# shellcheck disable=SC2016 # expanded by the inner shell
lab_assert -m "LAB_CLEAN_ALLOWED is honoured" \
    env LAB_CLEAN_ALLOWED=none bash -c 'source "$1"; LAB_DIR=$2 LAB_ID=$3 LAB_NODES=3;
        ! lab_node_is_clean 1 2>/dev/null' _ "$here/lab.sh" "$LAB_DIR" "$LAB_ID"
ip netns exec "$(lab_node_ns 3)" tail -f /dev/null </dev/null >/dev/null 2>&1 &
stray=$!
lab_wait_for "stray process in n3" "$T" lab_not lab_node_is_clean 3

# ------------------------------------------------------------------------------- links
lab_link_down 3
lab_wait_for "n3 unreachable after link_down" "$T" lab_not lab_ip_answers "$(lab_node_addr 3)"
lab_assert -m "n1 cannot ping n3 while its link is down" lab_not pings 1 "$(lab_node_addr 3)"
lab_link_up 3
lab_wait_for "n3 answers after link_up" "$T" lab_ip_answers "$(lab_node_addr 3)"
lab_wait_for "n3 answers IPv6 after link_up" "$T" lab_ip_answers "$(lab_node_addr6 3)"
lab_link_down c
lab_wait_for "client cut off" "$T" lab_not lab_ip_answers "$(lab_node_addr 1)"
lab_link_up c
lab_wait_for "client back" "$T" lab_ip_answers "$(lab_node_addr 1)"

# ------------------------------------------------------------------------------- processes
pid1=$(lab_node_pid 1)
lab_pause_node 1
lab_wait_for "n1 stopped (state T)" "$T" proc_state_is "$pid1" T
lab_assert -m "paused node still counts as running" lab_node_running 1
lab_resume_node 1
lab_wait_for "n1 resumed" "$T" lab_not proc_state_is "$pid1" T

pid2=$(lab_node_pid 2)
lab_kill_node 2
lab_assert -m "killed node not running" lab_not lab_node_running 2
lab_assert -m "killed process gone (reaped)" is_gone "$pid2"
lab_assert -m "kill status 137" file_is "$LAB_DIR/n2/exit" 137

lab_stop_node 1
lab_assert -m "stopped process gone" is_gone "$pid1"
lab_assert -m "stop status 0" file_is "$LAB_DIR/n1/exit" 0
lab_start_node 1
lab_assert -m "n1 restarted with a new pid" test "$(lab_node_pid 1)" != "$pid1"
lab_assert -m "restarted n1 reachable" lab_poll "$T" tcp_connects "$(lab_node_addr 1)" "$LAB_PORT"

lab_start_node 2 --ignore-term
LAB_STOP_TIMEOUT=0.3 lab_stop_node 2
lab_assert -m "SIGTERM-deaf node is SIGKILLed" file_is "$LAB_DIR/n2/exit" 137

rc=0
CLUSSVC=false lab_start_node 2 2>/dev/null || rc=$?
lab_assert -m "start fails when the service exits" test "$rc" = 1
rc=0
LAB_START_TIMEOUT=0.3 lab_start_node 2 --port 1 2>/dev/null || rc=$?
lab_assert -m "start fails when the port never listens" test "$rc" = 1
lab_stop_node 2

# ------------------------------------------------------------------------------- reporting
rc=0
out=$(lab_wait_for "never true" 0.1 false 2>&1) || rc=$?
lab_assert -m "wait_for timeout fails the test" test "$rc" = 1
lab_assert -m "wait_for timeout says why" grep -q '^FAIL never true: timed out' <<<"$out"
lab_assert -m "wait_for timeout shows node logs" grep -q -- '--- n1: ' <<<"$out"
rc=0
out=$(lab_assert -m "doomed" false 2>&1) || rc=$?
lab_assert -m "failed assert exits 1 with FAIL line" test "$rc:$(head -n1 <<<"$out")" = \
    "1:FAIL doomed: command failed (exit 1): false"

# ------------------------------------------------------------------------------- other runs
# Child labs run beside this one: one interrupted (its trap must clean up), one killed outright
# (lab_recover must clean up after it).
kids=$LAB_DIR/kids
mkdir -p "$kids"
cat >"$kids/child.sh" <<'EOF'
set -euo pipefail
source "$1"
lab_init 1
lab_start_node 1
echo "$LAB_ID $LAB_DIR $(lab_node_pid 1)" >"$2.tmp"
mv "$2.tmp" "$2"
wait "$(lab_node_pid 1)"
EOF

run_child() { # INFO-FILE; sets child pid, id, dir, npid
    rm -f "$1"
    TMPDIR=$kids LAB_REGISTRY=$kids/registry bash "$kids/child.sh" "$here/lab.sh" "$1" \
        >"$1.log" 2>&1 &
    child=$!
    lab_wait_for "child lab up (see $1.log)" "$T" test -s "$1"
    read -r id dir npid <"$1"
}

lab_gone() { # ID DIR NODE-PID
    no_netns_with "$1" && no_etc_netns_with "$1" && test ! -e "$2/active" &&
        lab_poll "$T" is_gone "$3" # an orphan's zombie is reaped by init, a moment later
}

run_child "$kids/a"
lab_assert -m "parallel lab has its own id" test "$id" != "$LAB_ID"
lab_assert -m "child lab exists" lab_not no_netns_with "$id"
kill -TERM "$child"
rc=0
wait "$child" || rc=$?
lab_assert -m "interrupted child exits 143" test "$rc" = 143
lab_assert -m "interrupted child cleaned up" lab_gone "$id" "$dir" "$npid"
lab_assert -m "interrupted child kept its dir" test -d "$dir"

run_child "$kids/b"
{ kill -KILL "$child" && wait "$child"; } 2>/dev/null || true
lab_assert -m "killed child left its lab" lab_not no_netns_with "$id"
lab_recover "$kids/registry" 2>/dev/null
lab_assert -m "lab_recover cleaned up after the killed child" lab_gone "$id" "$dir" "$npid"

# A lab_init that fails half-way (node 2's link) must leave nothing behind either.
cat >"$kids/halfway.sh" <<'EOF'
set -euo pipefail
source "$1"
eval "$(declare -f lab__add_host | sed '1s/lab__add_host/lab__real_add_host/')"
lab__add_host() { [[ $2 != n2 ]] && lab__real_add_host "$@"; }
lab_init 3
EOF
rc=0
TMPDIR=$kids LAB_REGISTRY=$kids/registry2 bash "$kids/halfway.sh" "$here/lab.sh" \
    >"$kids/halfway.log" 2>&1 || rc=$?
lab_assert -m "half-way lab_init fails" test "$rc" = 1
dir=$(tail -n1 "$kids/registry2")
id=$(<"$dir/id")
lab_assert -m "half-way lab_init had created n1" grep -qx "${id}n1" "$dir/netns"
lab_assert -m "half-way lab_init cleaned up" lab_gone "$id" "$dir" 0

# A sanitizer report written where ASAN_OPTIONS sends it fails a scenario that passed, and is
# printed.
cat >"$kids/sanitizer.sh" <<'EOF'
set -euo pipefail
source "$1"
lab_init 1
echo "==999==ERROR: LeakSanitizer: detected memory leaks" >"${ASAN_OPTIONS##*log_path=}.999"
lab_pass "scenario body"
EOF
rc=0
TMPDIR=$kids bash "$kids/sanitizer.sh" "$here/lab.sh" >"$kids/sanitizer.log" 2>&1 || rc=$?
lab_assert -m "a sanitizer report fails the scenario" test "$rc" = 1
lab_assert -m "the report is printed" grep -q '^==999==ERROR: LeakSanitizer' "$kids/sanitizer.log"
lab_assert -m "the failure is named" grep -q '^FAIL a sanitizer reported' "$kids/sanitizer.log"
lab_assert -m "its lab dir is kept" grep -q '^lab: kept ' "$kids/sanitizer.log"

# ------------------------------------------------------------------------------- teardown
id=$LAB_ID
dir=$LAB_DIR
pids=("$stray")
for i in 1 2 3; do
    if lab_node_running "$i"; then
        pids+=("$(lab_node_pid "$i")")
    fi
done
lab_assert -m "nodes 1 and 3 and the stray are alive before teardown" test ${#pids[@]} = 3
lab_teardown 2>/dev/null
lab_teardown # idempotent
lab_assert -m "no namespace of the run left" no_netns_with "$id"
lab_assert -m "no /etc/netns entry of the run left" no_etc_netns_with "$id"
for pid in "${pids[@]}"; do
    lab_assert -m "process $pid gone" is_gone "$pid"
done
lab_assert -m "lab dir removed" test ! -e "$dir"
lab_pass "harness selftest"
