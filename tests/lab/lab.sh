# shellcheck shell=bash
# lab.sh — network-namespace lab for multi-node clusapi tests.  Source it, then call lab_init.
#
# Topology (all of it inside namespaces this run creates; nothing touches the host's network):
#
#   ${LAB_ID}n1 eth0 ─┐                     node i: ${LAB_NET}.(10+i)   ${LAB_NET6}(10+i)
#   ${LAB_ID}n2 eth0 ─┼─ br0 in ${LAB_ID}sw  client: ${LAB_NET}.250     ${LAB_NET6}250
#   ${LAB_ID}c  eth0 ─┘                     cluster IPs: ${LAB_NET}.(100+k) / ${LAB_NET6}(100+k)
#
# The switch namespace has no link to the host, and no namespace has a default route, so test
# traffic cannot leave the lab.  Every function is prefixed lab_ (internal ones lab__) and is
# safe under `set -euo pipefail`.  State lives on disk in $LAB_DIR so that a run killed outright
# can still be torn down from outside (lab_recover, used by run.sh).
#
# Failure model: lab_fail / lab_assert / lab_wait_for end the scenario (exit 1) on failure; the
# EXIT trap installed by lab_init tears everything down.  lab_poll and the lab_node_* / lab_ip_*
# predicates only return a status, for use in conditions.

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ROOT=$(cd "$LAB_HOME/../.." && pwd)
LAB_PORT=${LAB_PORT:-3343}
# clussvc listens on every address of its namespace, so a cluster IP reaches it as on a real node
LAB_LISTEN=${LAB_LISTEN:-::}
LAB_POLL_INTERVAL=${LAB_POLL_INTERVAL:-0.02}
LAB_START_TIMEOUT=${LAB_START_TIMEOUT:-10}
LAB_STOP_TIMEOUT=${LAB_STOP_TIMEOUT:-10}
LAB_PING_WAIT=${LAB_PING_WAIT:-1} # seconds lab_ip_answers waits for each reply
LAB_LOCK=${LAB_LOCK:-/run/lock/clusapi-lab.lock}
# Glob patterns (relative to a node's state dir) that a NotConfigured node may keep.
LAB_CLEAN_ALLOWED=${LAB_CLEAN_ALLOWED:-node.id admin.keys}
LAB_MAX_NODES=64
# 1: clussvc, lab_create and lab_op run under valgrind memcheck (see lab__memcheck), with
# LAB_VALGRIND_ARGS added to valgrind's options.
LAB_VALGRIND=${LAB_VALGRIND:-0}

LAB_ID=
LAB_DIR=
LAB_NODES=0
LAB_FAILED=0
LAB__SANITIZER_FAILED=0
LAB__OWNER=
# The caller's sanitizer options; each lab adds its own report path to them.
LAB__ASAN_BASE=${ASAN_OPTIONS:-}
LAB__UBSAN_BASE=${UBSAN_OPTIONS:-}

# ---------------------------------------------------------------------------------------------
# Small internals
# ---------------------------------------------------------------------------------------------

lab__err() {
    printf 'lab: %s\n' "$*" >&2
}

# Sets REPLY to the current time in microseconds.
lab__now_us() {
    REPLY=${EPOCHREALTIME//[!0-9]/}
}

# Sets REPLY to seconds (integer or decimal, e.g. 1.5) converted to microseconds.
lab__to_us() {
    local s=$1 int frac=
    [[ $s =~ ^[0-9]+(\.[0-9]*)?$ ]] || { lab__err "not a duration: '$s'"; return 1; }
    int=${s%%.*}
    [[ $s == *.* ]] && frac=${s#*.}
    frac=${frac}000000
    REPLY=$((10#$int * 1000000 + 10#${frac:0:6}))
}

lab__check_node() {
    if ! [[ ${1:-} =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > LAB_NODES)); then
        lab__err "no node '${1:-}' (lab has $LAB_NODES nodes)"
        return 1
    fi
}

# Reads /proc/PID/stat; sets REPLY to "STATE STARTTIME".  Fails if there is no such process.
lab__proc_stat() {
    local line rest
    local -a f
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
    rest=${line##*) }
    read -ra f <<<"$rest"
    REPLY="${f[0]} ${f[19]}"
}

# True while PID is alive (not a zombie) and still the process that had STARTTIME: a PID we
# recorded is only ever signalled after this check, so a reused PID is never touched.
lab__proc_ours() {
    local pid=$1 start=$2
    lab__proc_stat "$pid" || return 1
    [[ ${REPLY#* } == "$start" && ${REPLY%% *} != [ZX] ]]
}

# Reaps PID if it is our child; records its exit status in FILE when known.
lab__reap() {
    local pid=$1 file=${2:-} rc=0
    wait "$pid" 2>/dev/null || rc=$?
    if ((rc != 127)) && [[ -n $file ]]; then
        echo "$rc" >"$file"
    fi
    return 0
}

# Signals PID (if still ours) with TERM, waits up to TIMEOUT s, then KILLs it.  Runs with
# stderr closed so that bash's "Killed"/"Terminated" job notices for our own kills stay quiet.
lab__stop_pid() {
    local pid=$1 start=$2 timeout=$3 exitfile=${4:-} note=
    lab__proc_ours "$pid" "$start" || { lab__reap "$pid" "$exitfile"; return 0; }
    {
        kill -TERM "$pid" || true
        kill -CONT "$pid" || true # a paused process would never see the TERM
        if ! lab__wait_gone "$pid" "$start" "$timeout"; then
            note="pid $pid ignored SIGTERM for ${timeout}s; sent SIGKILL"
            kill -KILL "$pid" || true
            lab__wait_gone "$pid" "$start" 5 || note+=", and it survived that"
        fi
        lab__reap "$pid" "$exitfile"
    } 2>/dev/null
    [[ -z $note ]] || lab__err "$note"
}

# Polls until PID (with STARTTIME) is gone or a zombie; fails after TIMEOUT s.
lab__wait_gone() {
    local pid=$1 start=$2 deadline
    lab__to_us "$3"
    deadline=$REPLY
    lab__now_us
    deadline=$((REPLY + deadline))
    while lab__proc_ours "$pid" "$start"; do
        lab__now_us
        ((REPLY < deadline)) || return 1
        sleep "$LAB_POLL_INTERVAL"
    done
}

# Splits a command given as a string ("python3 x.py") into the array named $1.
lab__split_cmd() {
    local -n out=$1
    read -ra out <<<"$2"
}

lab__clussvc_cmd() {
    local build=${BUILD_DIR:-$LAB_ROOT/build}
    lab__split_cmd "$1" "${CLUSSVC:-$(realpath -m "$build")/src/daemon/clussvc}"
}

lab__clusctl_cmd() {
    local build=${BUILD_DIR:-$LAB_ROOT/build}
    lab__split_cmd "$1" "${CLUSCTL:-$(realpath -m "$build")/src/cli/clusctl}"
}

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------

# lab_pass MSG — prints "PASS MSG".
lab_pass() {
    printf 'PASS %s\n' "$*"
}

# lab_fail MSG — prints "FAIL MSG" (MSG is "name: why"), the tail of every node log, and ends
# the scenario with exit 1 (the EXIT trap tears the lab down and keeps $LAB_DIR).
lab_fail() {
    LAB_FAILED=1
    printf 'FAIL %s\n' "$*"
    lab_log_tail 20 >&2 || true
    exit 1
}

# lab_skip MSG — prints "SKIP MSG" and ends the scenario with exit 77.
lab_skip() {
    printf 'SKIP %s\n' "$*"
    exit 77
}

# lab_assert [-m NAME] CMD... — runs CMD; PASS NAME if it succeeds, else FAIL (and exit).
# NAME defaults to the command text.
lab_assert() {
    local name='' rc=0
    if [[ ${1:-} == -m ]]; then
        name=$2
        shift 2
    fi
    (($#)) || lab_fail "lab_assert: no command given"
    [[ -n $name ]] || name="$*"
    "$@" || rc=$?
    if ((rc == 0)); then
        lab_pass "$name"
    else
        lab_fail "$name: command failed (exit $rc): $*"
    fi
}

# lab_not CMD... — inverts CMD's status (for lab_wait_for / lab_assert).
lab_not() {
    ! "$@"
}

# lab_require_cmd CMD... — skips the scenario unless every CMD is on PATH.
lab_require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || lab_skip "requires '$c' (see tests/lab/README.md)"
    done
}

# lab_require_clussvc — skips the scenario unless $CLUSSVC and $CLUSCTL are executable.
lab_require_clussvc() {
    local -a svc ctl
    lab__clussvc_cmd svc
    lab__clusctl_cmd ctl
    [[ -x ${svc[0]} ]] || command -v "${svc[0]}" >/dev/null ||
        lab_skip "clussvc not built: ${svc[0]} (set BUILD_DIR or CLUSSVC)"
    [[ -x ${ctl[0]} ]] || command -v "${ctl[0]}" >/dev/null ||
        lab_skip "clusctl not built: ${ctl[0]} (set BUILD_DIR or CLUSCTL)"
}

# lab_log_tail [LINES] — prints the last LINES (default 20) of every node's clussvc log.
lab_log_tail() {
    local lines=${1:-20} i log
    [[ -n $LAB_DIR && -d $LAB_DIR ]] || return 0
    for ((i = 1; i <= LAB_NODES; i++)); do
        log=$LAB_DIR/n$i/clussvc.log
        [[ -s $log ]] || continue
        printf -- '--- n%d: %s (last %d lines) ---\n' "$i" "$log" "$lines"
        tail -n "$lines" "$log"
    done
}

# ---------------------------------------------------------------------------------------------
# Waiting
# ---------------------------------------------------------------------------------------------

# lab_poll TIMEOUT_S CMD... — runs CMD (output discarded) every LAB_POLL_INTERVAL until it
# succeeds (returns 0) or TIMEOUT_S passes (returns 1).  CMD runs at least once.
lab_poll() {
    local deadline
    lab__to_us "$1" || return 2
    deadline=$REPLY
    shift
    lab__now_us
    deadline=$((REPLY + deadline))
    while :; do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        lab__now_us
        ((REPLY < deadline)) || return 1
        sleep "$LAB_POLL_INTERVAL"
    done
}

# lab_wait_for DESCRIPTION TIMEOUT_S CMD... — lab_poll, and on timeout a FAIL with CMD's last
# output and every node's log tail (exits the scenario).
lab_wait_for() {
    local desc=$1 timeout=$2 out rc=0
    shift 2
    lab_poll "$timeout" "$@" && return 0
    out=$("$@" 2>&1) || rc=$?
    ((rc != 0)) || return 0
    {
        printf 'lab: timed out after %ss waiting for: %s\n' "$timeout" "$desc"
        printf 'lab: last try: %s -> exit %d\n' "$*" "$rc"
        [[ -z $out ]] || printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
    } >&2
    lab_fail "$desc: timed out after ${timeout}s"
}

# ---------------------------------------------------------------------------------------------
# Names and addresses
# ---------------------------------------------------------------------------------------------

lab_node_name() { printf 'n%d\n' "$1"; }
lab_node_ns() { printf '%sn%d\n' "$LAB_ID" "$1"; }
lab_client_ns() { printf '%sc\n' "$LAB_ID"; }
lab_switch_ns() { printf '%ssw\n' "$LAB_ID"; }
lab_node_addr() { printf '%s.%d\n' "$LAB_NET" $((10 + $1)); }
lab_node_addr6() { printf '%s%d\n' "$LAB_NET6" $((10 + $1)); }
lab_client_addr() { printf '%s.250\n' "$LAB_NET"; }
lab_client_addr6() { printf '%s250\n' "$LAB_NET6"; }

# lab_cluster_ip [K] — the K-th (default 0) free IPv4 address for cluster resources (.100+K).
lab_cluster_ip() {
    local k=${1:-0}
    ((k >= 0 && k < 150)) || { lab__err "cluster ip index $k out of range"; return 1; }
    printf '%s.%d\n' "$LAB_NET" $((100 + k))
}

# lab_cluster_ip6 [K] — the IPv6 counterpart (${LAB_NET6}(100+K)).
lab_cluster_ip6() {
    local k=${1:-0}
    ((k >= 0 && k < 150)) || { lab__err "cluster ip index $k out of range"; return 1; }
    printf '%s%d\n' "$LAB_NET6" $((100 + k))
}

# lab_node_pid I — the PID recorded for node I's clussvc (fails if it never started).
lab_node_pid() {
    lab__check_node "$1" || return 1
    [[ -s $LAB_DIR/n$1/pid ]] || return 1
    cat "$LAB_DIR/n$1/pid"
}

# ---------------------------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------------------------

lab__record() {
    printf '%s\n' "$2" >>"$LAB_DIR/$1"
}

# Picks a fresh id and claims it by creating the switch namespace, under a lock so that two
# runs never share an id (teardown then deletes only names carrying our id).
lab__claim_id() {
    local hex
    for _ in 1 2 3 4 5 6 7 8; do
        hex=$(od -An -tx1 -N3 /dev/urandom | tr -d ' \n')
        LAB_ID=cl$hex
        if (
            flock -w 10 9 || exit 2
            # 2>/dev/null: a namespace another run is adding or deleting right now makes
            # `ip netns list` complain about it.
            grep -q "^$LAB_ID" <<<"$(ip netns list 2>/dev/null)" && exit 1
            [[ -e /etc/netns/${LAB_ID}sw ]] && exit 1
            ip netns add "${LAB_ID}sw"
        ) 9>>"$LAB_LOCK"; then
            echo "$LAB_ID" >"$LAB_DIR/id"
            lab__record netns "${LAB_ID}sw"
            LAB_NET=10.$((200 + 16#${hex:0:2} % 56)).$((16#${hex:2:2}))
            # Second group kept to 4 digits without a leading zero: the canonical spelling
            # that ip(8) prints, so addresses compare as strings.
            LAB_NET6=fd${hex:0:2}:$(printf '%x' $((0x1000 + 16#${hex:2:4} % 0xf000)))::
            return 0
        fi
    done
    lab__err "could not claim a lab id (lock $LAB_LOCK)"
    LAB_ID=
    return 1
}

lab__add_ns() {
    ip netns add "$1" || return 1
    lab__record netns "$1"
    ip -n "$1" link set lo up
}

# Creates namespace NS joined to the switch through veth (switch end PORT, NS end eth0).
lab__add_host() {
    local ns=$1 port=$2 addr=$3 addr6=$4 sw=${LAB_ID}sw
    lab__add_ns "$ns" || return 1
    ip -n "$sw" link add "$port" type veth peer name eth0 netns "$ns" || return 1
    ip -n "$sw" link set "$port" master br0 up || return 1
    # DAD would hold IPv6 addresses (ours and the cluster's) tentative for a second or more.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
        net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0 >/dev/null || return 1
    ip -n "$ns" addr add "$addr/24" dev eth0 || return 1
    ip -n "$ns" addr add "$addr6/64" dev eth0 nodad || return 1
    ip -n "$ns" link set eth0 up
}

lab__write_hosts() {
    local ns i
    local dir
    {
        printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
        printf '# clusapi lab %s\n' "$LAB_ID"
        for ((i = 1; i <= LAB_NODES; i++)); do
            printf '%s\t%s\n' "$(lab_node_addr "$i")" "$(lab_node_name "$i")"
        done
        for ((i = 1; i <= LAB_NODES; i++)); do
            printf '%s\t%s-v6\n' "$(lab_node_addr6 "$i")" "$(lab_node_name "$i")"
        done
        printf '%s\tclient\n%s\tclient-v6\n' "$(lab_client_addr)" "$(lab_client_addr6)"
    } >"$LAB_DIR/hosts"
    (
        flock -w 10 9 || exit 1
        # Which run made /etc/netns is shared knowledge: the last run out removes it.
        [[ -d /etc/netns ]] || { mkdir /etc/netns && : >"$LAB_LOCK.etc-netns"; }
    ) 9>>"$LAB_LOCK" || return 1
    while read -r ns; do
        dir=/etc/netns/$ns
        lab__record etcnetns "$dir"
        mkdir -p "$dir" || return 1
        cp "$LAB_DIR/hosts" "$dir/hosts" || return 1
        # Lookups that miss the hosts file go to loopback inside the namespace, never out.
        printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$dir/resolv.conf"
    done <"$LAB_DIR/netns"
}

lab__make_authkey() {
    local key=$LAB_DIR/authkey
    local -a ctl
    lab__clusctl_cmd ctl
    if [[ -x ${ctl[0]} ]]; then
        if "${ctl[@]}" keygen "$key" >"$LAB_DIR/keygen.log" 2>&1 && [[ -s $key ]]; then
            grep -qxE '[0-9a-f]{64}' "$key" ||
                lab__err "warning: '${ctl[*]} keygen' wrote an unexpected format to $key"
            return 0
        fi
        lab__err "warning: '${ctl[*]} keygen' failed ($(tail -n1 "$LAB_DIR/keygen.log")); using od"
        rm -f "$key"
    fi
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$key" && echo >>"$key")
}

# lab_init [N_NODES] — builds the lab (default 3 nodes) and installs the EXIT/INT/TERM trap
# that tears it down.  Skips (exit 77) when not root or a needed tool is missing.  Sets
# LAB_ID, LAB_DIR, LAB_NODES, LAB_NET (three octets), LAB_NET6 (prefix ending in "::") and
# exports CLUSAPI_AUTHKEY.
lab_init() {
    local n=${1:-3} i
    [[ -z $LAB_DIR ]] || { lab__err "lab_init called twice"; return 1; }
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > LAB_MAX_NODES)); then
        lab__err "lab_init: node count must be 1..$LAB_MAX_NODES"
        return 1
    fi
    ((EUID == 0)) || lab_skip "lab tests need root (network namespaces)"
    lab_require_cmd ip ss ping sysctl flock od realpath
    LAB__OWNER=$BASHPID
    trap 'lab__on_exit' EXIT
    trap 'lab__on_signal INT 130' INT
    trap 'lab__on_signal TERM 143' TERM
    LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/clusapi-lab.XXXXXX")
    : >"$LAB_DIR/active"
    : >"$LAB_DIR/netns"
    : >"$LAB_DIR/etcnetns"
    [[ -z ${LAB_REGISTRY:-} ]] || echo "$LAB_DIR" >>"$LAB_REGISTRY"
    lab__claim_id || return 1
    LAB_NODES=$n
    echo "$n" >"$LAB_DIR/nodes"
    lab__setup_switch || return 1
    for ((i = 1; i <= n; i++)); do
        mkdir -p "$LAB_DIR/n$i"
        lab__add_host "$(lab_node_ns "$i")" "n$i" "$(lab_node_addr "$i")" \
            "$(lab_node_addr6 "$i")" || { lab__err "lab_init: node $i setup failed"; return 1; }
    done
    lab__add_host "$(lab_client_ns)" c "$(lab_client_addr)" "$(lab_client_addr6)" ||
        { lab__err "lab_init: client setup failed"; return 1; }
    lab__write_hosts || { lab__err "lab_init: writing /etc/netns failed"; return 1; }
    lab__make_authkey || { lab__err "lab_init: authkey failed"; return 1; }
    export CLUSAPI_AUTHKEY=$LAB_DIR/authkey
    # where the host mounts cgroup2, for node_cgroup.sh to show it to each node's clussvc
    LAB_CGROUP2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
    export LAB_CGROUP2
    lab__sanitizer_env "$LAB_DIR"
    printf 'lab: %s: %d nodes on %s.0/24 and %s/64, state in %s\n' \
        "$LAB_ID" "$n" "$LAB_NET" "$LAB_NET6" "$LAB_DIR" >&2
}

# Every program of the lab built with AddressSanitizer or UndefinedBehaviorSanitizer (clussvc,
# clusctl, the C drivers) writes its reports to DIR/sanitizer.PID instead of its stderr, where
# a scenario would not look; teardown fails the scenario if any such file exists.
lab__sanitizer_env() {
    export ASAN_OPTIONS=${LAB__ASAN_BASE:+$LAB__ASAN_BASE:}log_path=$1/sanitizer
    export UBSAN_OPTIONS=${LAB__UBSAN_BASE:+$LAB__UBSAN_BASE:}print_stacktrace=1:log_path=$1/sanitizer
}

# lab__sanitizer_reports DIR — prints every sanitizer report left in DIR to stderr; returns 1 if
# there was one.
# lab__memcheck NAME — with LAB_VALGRIND=1, sets array NAME to the valgrind command a lab program
# is run under; else empty. Its report goes where the sanitizers' do ($LAB_DIR/sanitizer.*,
# empty when clean), so any memcheck error or definite or indirect leak fails the scenario.
lab__memcheck() {
    local -n lab__mc_out=$1
    lab__mc_out=()
    [[ $LAB_VALGRIND == 1 ]] || return 0
    lab__mc_out=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect
        --show-leak-kinds=definite,indirect
        "--suppressions=$LAB_ROOT/tests/valgrind/clusapi.supp"
        "--log-file=$LAB_DIR/sanitizer.valgrind.%p")
    # shellcheck disable=SC2206 # a list of arguments, e.g. "--track-origins=yes"
    lab__mc_out+=(${LAB_VALGRIND_ARGS:-})
}

lab__sanitizer_reports() {
    local f rc=0
    for f in "$1"/sanitizer.*; do
        [[ -s $f ]] || continue
        lab__err "sanitizer report $(basename "$f"):"
        cat "$f" >&2
        rc=1
    done
    return "$rc"
}

lab__setup_switch() {
    local sw=${LAB_ID}sw
    ip -n "$sw" link set lo up || return 1
    # No IPv6 on the switch's own ports: they would add RS/MLD chatter to every capture.
    ip netns exec "$sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 >/dev/null || return 1
    # STP off: ports forward at once.  Snooping off: ND multicast always floods.
    ip -n "$sw" link add br0 type bridge stp_state 0 mcast_snooping 0 || return 1
    ip -n "$sw" link set br0 up
}

# lab_hosts_add NAME ADDR — adds "ADDR NAME" to every namespace's hosts file.  Appends in place
# so that processes already running (their /etc/hosts is a bind mount) see it too.
lab_hosts_add() {
    local name=$1 addr=$2 dir
    [[ -n $name && -n $addr ]] || { lab__err "usage: lab_hosts_add NAME ADDR"; return 1; }
    printf '%s\t%s\n' "$addr" "$name" >>"$LAB_DIR/hosts"
    while read -r dir; do
        printf '%s\t%s\n' "$addr" "$name" >>"$dir/hosts" || return 1
    done <"$LAB_DIR/etcnetns"
}

# ---------------------------------------------------------------------------------------------
# Running commands and nodes
# ---------------------------------------------------------------------------------------------

# lab_node I CMD... — runs CMD in node I's namespace.
lab_node() {
    lab__check_node "$1" || return 1
    local ns
    ns=$(lab_node_ns "$1")
    shift
    ip netns exec "$ns" "$@"
}

# lab_client CMD... — runs CMD in the client's namespace.
lab_client() {
    ip netns exec "${LAB_ID}c" "$@"
}

# lab_db_snapshot "I…" — prints "LEADER VERSION:HASH…": the leader the nodes name and each
# node's database version and hash; equal snapshots mean nothing was committed in between.  It
# first waits (up to 5 s) until the nodes agree: a follower applies a commit a moment after the
# leader, and a snapshot taken in between would differ from the next one with nothing committed.
lab_db_snapshot() {
    local i out
    # shellcheck disable=SC2086 # a list of indexes
    lab_poll 5 lab_nodes_agree db_hash $1 || true
    out="$(lab_leader "$1")"
    for i in $1; do
        out+=" $(lab_nodeinfo "$i" db_version):$(lab_nodeinfo "$i" db_hash)"
    done
    echo "$out"
}

# lab_refusals LABEL PROGRAM ARGS... — runs an attacking lab program (lab_hostile,
# lab_statuscmd) in the client's namespace, shows its output (also in $LAB_DIR/LABEL.out) and
# asserts that it exited 0 (every attempt refused as it expects, its own checks passed) and that
# it made attempts at all (a "refused ..." line).
lab_refusals() {
    local label=$1 rc=0
    shift
    lab_client "$@" >"$LAB_DIR/$label.out" 2>&1 || rc=$?
    sed 's/^/    /' "$LAB_DIR/$label.out"
    lab_assert -m "$label: every attempt refused, the program's own checks passed" \
        test "$rc" = 0
    lab_assert -m "$label: it made its attempts" grep -q '^refused ' "$LAB_DIR/$label.out"
}

# lab_clusctl ARGS... — runs $CLUSCTL in the client namespace with CLUSAPI_AUTHKEY set.
lab_clusctl() {
    local -a ctl
    lab__clusctl_cmd ctl
    CLUSAPI_AUTHKEY=$LAB_DIR/authkey ip netns exec "${LAB_ID}c" "${ctl[@]}" "$@"
}

# lab_node_running I — true while node I's recorded clussvc is alive (paused counts as alive).
lab_node_running() {
    lab__check_node "$1" || return 1
    local d=$LAB_DIR/n$1
    [[ -s $d/pid && -s $d/pid.start ]] || return 1
    lab__proc_ours "$(<"$d/pid")" "$(<"$d/pid.start")"
}

lab__listening() {
    [[ -n $(ip netns exec "$1" ss -ltnH "sport = :$2" 2>/dev/null) ]]
}

# lab_start_node I [ARGS...] — starts $CLUSSVC for node I in its namespace (extra ARGS appended),
# log to $LAB_DIR/nI/clussvc.log (appended across restarts), PID in $LAB_DIR/nI/pid, then waits
# up to LAB_START_TIMEOUT s (0: no wait) until TCP LAB_PORT listens in the namespace.  Returns 1
# with the log tail if the process exits or the port never listens.
lab_start_node() {
    lab__check_node "$1" || return 1
    local i=$1 d=$LAB_DIR/n$1 ns pid deadline
    local -a svc mc
    shift
    if lab_node_running "$i"; then
        lab__err "n$i: clussvc already running (pid $(<"$d/pid"))"
        return 1
    fi
    ns=$(lab_node_ns "$i")
    lab__clussvc_cmd svc
    lab__memcheck mc
    svc=("${mc[@]}" "${svc[@]}")
    # Under memcheck every process runs many times slower: raft's default timeouts (30 ms
    # heartbeats, 400 ms elections) would then measure the instrumentation, and leaders would
    # come and go while a scenario runs. Ten times longer ones keep the cluster what it is.
    if [[ $LAB_VALGRIND == 1 && " $* " != *" --election-timeout "* ]]; then
        svc+=(--heartbeat 300 --election-timeout 4000)
    fi
    [[ -d $d/state ]] || mkdir -m 0700 "$d/state"
    [[ ! -e $d/witness ]] || set -- --witness "$@" # lab_start_witness made it one
    rm -f "$d/exit"
    printf '=== lab: start %s n%d at %s ===\n' "$LAB_ID" "$i" "$(date +%T.%N)" >>"$d/clussvc.log"
    ip netns exec "$ns" bash "$LAB_HOME/node_cgroup.sh" "${svc[@]}" --state-dir "$d/state" \
        --name "$(lab_node_name "$i")" \
        --listen "$LAB_LISTEN" --port "$LAB_PORT" --authkey "$LAB_DIR/authkey" "$@" \
        >>"$d/clussvc.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$d/pid"
    lab__proc_stat "$pid" && echo "${REPLY#* }" >"$d/pid.start"
    if [[ ! -s $d/pid.start ]]; then
        lab__reap "$pid" "$d/exit"
        lab__err "n$i: clussvc exited at once; log tail:"
        tail -n 20 "$d/clussvc.log" >&2
        return 1
    fi
    [[ $LAB_START_TIMEOUT != 0 ]] || return 0
    lab__to_us "$LAB_START_TIMEOUT"
    deadline=$REPLY
    lab__now_us
    deadline=$((REPLY + deadline))
    until lab__listening "$ns" "$LAB_PORT"; do
        if ! lab_node_running "$i"; then
            lab__reap "$pid" "$d/exit"
            lab__err "n$i: clussvc (pid $pid) exited during start (status $(cat "$d/exit" \
                2>/dev/null || echo '?')); log tail:"
            tail -n 20 "$d/clussvc.log" >&2
            return 1
        fi
        lab__now_us
        if ((REPLY >= deadline)); then
            lab__err "n$i: port $LAB_PORT not listening after ${LAB_START_TIMEOUT}s; log tail:"
            tail -n 20 "$d/clussvc.log" >&2
            return 1
        fi
        sleep "$LAB_POLL_INTERVAL"
    done
}

# lab_start_witness I [ARGS...] — starts node I as a witness (`clussvc --witness`, in its own
# namespace like any node); every later lab_start_node I (a restart) does so too.
lab_start_witness() {
    lab__check_node "$1" || return 1
    : >"$LAB_DIR/n$1/witness"
    lab_start_node "$@"
}

# lab_stop_node I — SIGTERM to node I's clussvc, bounded wait (LAB_STOP_TIMEOUT), then SIGKILL.
# The exit status, when known, is left in $LAB_DIR/nI/exit.
lab_stop_node() {
    lab__check_node "$1" || return 1
    local d=$LAB_DIR/n$1
    [[ -s $d/pid && -s $d/pid.start ]] || return 0
    lab__stop_pid "$(<"$d/pid")" "$(<"$d/pid.start")" "$LAB_STOP_TIMEOUT" "$d/exit"
}

# lab_kill_node I — SIGKILL to node I's clussvc; returns once it is gone.
lab_kill_node() {
    lab__check_node "$1" || return 1
    local d=$LAB_DIR/n$1 pid start
    [[ -s $d/pid && -s $d/pid.start ]] || return 0
    pid=$(<"$d/pid")
    start=$(<"$d/pid.start")
    lab__proc_ours "$pid" "$start" || return 0
    {
        kill -KILL "$pid" || true
        lab__wait_gone "$pid" "$start" 5 && lab__reap "$pid" "$d/exit"
    } 2>/dev/null || { lab__err "n$1: pid $pid survived SIGKILL"; return 1; }
}

lab__signal_node() {
    lab__check_node "$1" || return 1
    lab_node_running "$1" || { lab__err "n$1: clussvc not running"; return 1; }
    kill "-$2" "$(<"$LAB_DIR/n$1/pid")"
}

# lab_pause_node I / lab_resume_node I — SIGSTOP / SIGCONT to node I's clussvc.
lab_pause_node() { lab__signal_node "$1" STOP; }
lab_resume_node() { lab__signal_node "$1" CONT; }

# lab_freeze_node I / lab_thaw_node I — SIGSTOP / SIGCONT to every process of node I (all that
# run in its network namespace: clussvc, its resource host, what that runs, the responder), as
# when a VM is paused or a machine stalls whole. Only the kernel still answers for its addresses.
lab_freeze_node() { lab__signal_netns "$1" STOP; }
lab_thaw_node() { lab__signal_netns "$1" CONT; }

lab__signal_netns() {
    lab__check_node "$1" || return 1
    local pid
    for pid in $(ip netns pids "$(lab_node_ns "$1")"); do
        kill "-$2" "$pid" 2>/dev/null || true # it may have exited meanwhile
    done
}

# lab_drop_input I / lab_drop_output I — every packet arriving at (leaving) node I's eth0 is
# dropped by an nftables rule in its namespace: a failed receive (send) path, a half-broken NIC,
# a firewall mistake. lab_drop_none I removes the rule. Needs nft (lab_require_cmd nft).
lab_drop_input() { lab__drop "$1" input iifname; }
lab_drop_output() { lab__drop "$1" output oifname; }
# lab_state_tmpfs I SIZE — node I's state directory on a tmpfs of its own of SIZE (e.g. 3m): a
# small or full disk. Before the node starts; unmounted with the lab. lab_state_remount I OPTIONS
# remounts it (ro, rw, size=64m, ...).
lab_state_tmpfs() {
    lab__check_node "$1" || return 1
    local d=$LAB_DIR/n$1/state
    mkdir -p -m 0700 "$d" && mount -t tmpfs -o "size=$2,mode=0700" "lab$LAB_ID" "$d" &&
        echo "$d" >>"$LAB_DIR/mounts"
}
lab_state_remount() { mount -o "remount,$2" "$LAB_DIR/n$1/state"; }

# lab_state_loopfs I SIZE — node I's state directory on an ext2 file system of its own (an image
# in $LAB_DIR on a loop device) of SIZE, mounted errors=remount-ro. lab_state_fs_error I makes
# the kernel stop writing it, as after a disk error: writes fail with EROFS, statvfs still says
# read-write, and only an unmount ends it. lab_state_fs_repair I (with the node stopped)
# unmounts it, checks it with e2fsck and mounts it again. Before the node starts; unmounted
# with the lab. Skips the scenario where no loop device can be had.
lab_state_loopfs() {
    lab__check_node "$1" || return 1
    local d=$LAB_DIR/n$1/state img=$LAB_DIR/n$1.img
    lab_require_cmd mkfs.ext2 e2fsck findmnt
    truncate -s "$2" "$img" && mkfs.ext2 -q -F "$img" && mkdir -p -m 0700 "$d" || return 1
    lab__mount_ext2 "$img" "$d" || lab_skip "no loop device for an ext2 state directory"
    echo "$d" >>"$LAB_DIR/mounts"
}
lab__mount_ext2() { mount -t ext2 -o loop,errors=remount-ro "$1" "$2" && chmod 0700 "$2"; }
lab_state_fs_error() {
    local dev
    dev=$(findmnt -n -o SOURCE "$LAB_DIR/n$1/state") || return 1
    echo 1 >"/sys/fs/ext4/${dev##*/}/trigger_fs_error"
}
lab_state_fs_repair() {
    local d=$LAB_DIR/n$1/state img=$LAB_DIR/n$1.img rc=0
    umount "$d" || return 1
    e2fsck -fy "$img" >"$LAB_DIR/n$1/e2fsck.log" 2>&1 || rc=$?
    ((rc < 4)) || return 1
    # A namespace entered while it was mounted (a responder's) still holds the stopped mount,
    # and mount -o loop would attach that same loop device again: a copy gets its own.
    mv "$img" "$img.damaged" && cp --sparse=always "$img.damaged" "$img" && rm -f "$img.damaged" &&
        lab__mount_ext2 "$img" "$d"
}

# lab_lose_input I PERCENT / lab_lose_output I PERCENT — that share of the packets arriving at
# (leaving) node I's eth0 is dropped at random: a lossy link. lab_drop_none I removes it.
lab_lose_input() { lab__drop "$1" input iifname "numgen random mod 100 < $2"; }
lab_lose_output() { lab__drop "$1" output oifname "numgen random mod 100 < $2"; }
lab_drop_none() {
    lab__check_node "$1" || return 1
    ip netns exec "$(lab_node_ns "$1")" nft delete table inet labfault 2>/dev/null || true
}

lab__drop() { # I HOOK MATCH [CONDITION]
    lab__check_node "$1" || return 1
    lab_drop_none "$1"
    ip netns exec "$(lab_node_ns "$1")" nft -f - <<EOF
table inet labfault {
    chain $2 {
        type filter hook $2 priority 0; policy accept;
        $3 "eth0" ${4:-} drop
    }
}
EOF
}

# lab_link_down I / lab_link_up I — take node I's switch port down / up (I may be "c" for the
# client).  The node sees its eth0 lose carrier, as when a cable is pulled.
lab_link_down() { lab__link "$1" down; }
lab_link_up() { lab__link "$1" up; }

lab__link() {
    local port=c
    if [[ $1 != c ]]; then
        lab__check_node "$1" || return 1
        port=n$1
    fi
    ip -n "${LAB_ID}sw" link set "$port" "$2"
}

# ---------------------------------------------------------------------------------------------
# Observations
# ---------------------------------------------------------------------------------------------

# lab_node_addrs I — global addresses on node I's eth0, one per line, without prefix length.
lab_node_addrs() {
    lab__check_node "$1" || return 1
    ip -n "$(lab_node_ns "$1")" -o addr show dev eth0 scope global |
        awk '{sub("/.*", "", $4); print $4}'
}

lab__ns_has_addr() {
    [[ -n $(ip -n "$1" -o addr show to "$2" 2>/dev/null) ]]
}

# lab_ip_owners ADDR — prints the index of every node that has ADDR on any interface.
lab_ip_owners() {
    local i
    for ((i = 1; i <= LAB_NODES; i++)); do
        if lab__ns_has_addr "$(lab_node_ns "$i")" "$1"; then
            echo "$i"
        fi
    done
}

# lab_ip_answers ADDR — true if ADDR answers a ping from the client namespace and, for IPv4
# when arping is installed, an ARP request on the client's eth0 too.
lab_ip_answers() {
    local addr=$1
    lab_client ping -n -q -c1 -W"$LAB_PING_WAIT" "$addr" >/dev/null 2>&1 || return 1
    if [[ $addr != *:* ]] && command -v arping >/dev/null 2>&1; then
        lab_client arping -q -c1 -w"$LAB_PING_WAIT" -I eth0 "$addr" >/dev/null 2>&1 || return 1
    fi
}

# lab_node_is_clean I [CLUSTER_IP...] — true if node I is back to NotConfigured as far as can be
# seen from outside: its state dir holds nothing but LAB_CLEAN_ALLOWED, none of the given
# addresses is on any of its interfaces, and no process runs in its namespace except the
# clussvc we started (if it still runs).  Says why on stderr when it is not clean.
lab_node_is_clean() {
    lab__check_node "$1" || return 1
    local i=$1 d=$LAB_DIR/n$1 ns ok=0 f rel pat allowed addr pid ours=
    shift
    ns=$(lab_node_ns "$i")
    if [[ -d $d/state ]]; then
        while IFS= read -r -d '' f; do
            rel=${f#"$d/state/"}
            allowed=0
            for pat in $LAB_CLEAN_ALLOWED; do
                # shellcheck disable=SC2053 # pattern match is intended
                [[ $rel == $pat ]] && allowed=1
            done
            # A directory is only a leftover if nothing allowed lives in it.
            if ((!allowed)) && [[ -d $f ]]; then
                for pat in $LAB_CLEAN_ALLOWED; do
                    [[ $pat == "$rel"/* ]] && allowed=1
                done
            fi
            ((allowed)) || { lab__err "n$i not clean: state file $rel"; ok=1; }
        done < <(find "$d/state" -mindepth 1 -print0)
    fi
    for addr in "$@"; do
        if lab__ns_has_addr "$ns" "$addr"; then
            lab__err "n$i not clean: address $addr still configured"
            ok=1
        fi
    done
    lab_node_running "$i" && ours=$(<"$d/pid")
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
        [[ $pid == "$ours" ]] && continue
        # clussvc's own resource host (a child of our clussvc) belongs to it
        [[ -n $ours && $(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null) == "$ours" ]] && continue
        lab__err "n$i not clean: process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) in $ns"
        ok=1
    done
    return "$ok"
}

# ---------------------------------------------------------------------------------------------
# Teardown
# ---------------------------------------------------------------------------------------------

# Kills whatever still runs in namespace NS (by PID), TERM then KILL.
lab__kill_ns_pids() {
    local ns=$1 pid
    local -a left=()
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
        lab__proc_stat "$pid" || continue
        lab__err "teardown: stray process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) in $ns"
        left+=("$pid ${REPLY#* }")
    done
    for pid in "${left[@]}"; do
        lab__stop_pid "${pid% *}" "${pid#* }" 3
    done
}

# Tears down the lab whose state is in DIR.  Only names listed there and carrying its id are
# touched.
lab__teardown_dir() {
    local -
    set +e
    local dir=$1 id f ns etc
    [[ -n $dir && -f $dir/active ]] || return 0
    id=$(cat "$dir/id" 2>/dev/null)
    for f in "$dir"/n*/pid; do
        [[ -s $f && -s $f.start ]] || continue
        lab__stop_pid "$(<"$f")" "$(<"$f.start")" "$LAB_STOP_TIMEOUT" "${f%/pid}/exit"
    done
    if [[ -n $id ]]; then
        while read -r ns; do
            [[ $ns == "$id"* ]] || continue
            lab__kill_ns_pids "$ns"
            [[ -e /run/netns/$ns ]] || continue
            ip netns del "$ns" || lab__err "teardown: could not delete netns $ns"
        done <"$dir/netns"
        while read -r etc; do
            [[ $etc == "/etc/netns/$id"* && -d $etc ]] || continue
            rm -f "$etc/hosts" "$etc/resolv.conf"
            rmdir "$etc" 2>/dev/null || lab__err "teardown: $etc not empty, left in place"
        done <"$dir/etcnetns"
        (
            flock -w 10 9 || exit
            if [[ -e $LAB_LOCK.etc-netns ]] && rmdir /etc/netns 2>/dev/null; then
                rm -f "$LAB_LOCK.etc-netns"
            fi
        ) 9>>"$LAB_LOCK"
    fi
    if [[ -f $dir/mounts ]]; then # after the processes that used them
        while read -r f; do
            umount "$f" 2>/dev/null || umount -l "$f" || lab__err "teardown: $f stays mounted"
        done <"$dir/mounts"
        rm -f "$dir/mounts"
    fi
    rm -f "$dir/active"
}

# lab_teardown — stops every clussvc we started, kills what is left in our namespaces, deletes
# them and our /etc/netns entries, then removes $LAB_DIR unless LAB_KEEP=1 or the test failed
# (its path is printed).  Idempotent; safe after a half-finished lab_init.
lab_teardown() {
    local -
    set +e
    [[ -n $LAB_DIR && -d $LAB_DIR ]] || return 0
    [[ -z $LAB__OWNER || $LAB__OWNER == "$BASHPID" ]] || return 0
    lab__teardown_dir "$LAB_DIR"
    # Every process has stopped, so every leak report is written.
    lab__sanitizer_reports "$LAB_DIR" || { LAB_FAILED=1 && LAB__SANITIZER_FAILED=1; }
    if [[ ${LAB_KEEP:-0} == 1 || $LAB_FAILED != 0 ]]; then
        printf 'lab: kept %s\n' "$LAB_DIR" >&2
    else
        rm -rf "$LAB_DIR"
    fi
    return 0
}

lab__on_exit() {
    local rc=$?
    ((rc == 0 || rc == 77)) || LAB_FAILED=1
    lab_teardown
    if ((LAB__SANITIZER_FAILED && (rc == 0 || rc == 77))); then
        printf 'FAIL a sanitizer reported an error (above)\n'
        rc=1
    fi
    exit "$rc"
}

lab__on_signal() {
    lab__err "interrupted by SIG$1; tearing down"
    LAB_FAILED=1
    lab_teardown
    trap - EXIT
    exit "$2"
}

# lab_recover REGISTRY — tears down every lab listed in REGISTRY (one LAB_DIR per line, written
# by lab_init when LAB_REGISTRY is set) that was not torn down, e.g. because its scenario was
# killed.  Keeps those directories and prints their paths.
lab_recover() {
    local dir
    [[ -f $1 ]] || return 0
    while read -r dir; do
        [[ -f $dir/active ]] || continue
        lab__err "recovering lab left by a killed run: $dir"
        lab__teardown_dir "$dir"
        printf 'lab: kept %s\n' "$dir" >&2
    done <"$1"
    return 0
}

# ---------------------------------------------------------------------------------------------
# Setup-API tools: tests/lab/lab_create and lab_nodeinfo (built next to clussvc)
# ---------------------------------------------------------------------------------------------

lab__tool() {
    local build=${BUILD_DIR:-$LAB_ROOT/build}
    printf '%s/tests/lab/%s\n' "$(realpath -m "$build")" "$1"
}

# lab_require_setup_tools — skips the scenario unless $CLUSSVC, lab_create and lab_nodeinfo are
# built (clusctl is not needed: lab_init falls back to od for the key).
lab_require_setup_tools() {
    local -a svc
    local t
    lab__clussvc_cmd svc
    [[ -x ${svc[0]} ]] || command -v "${svc[0]}" >/dev/null ||
        lab_skip "clussvc not built: ${svc[0]} (set BUILD_DIR or CLUSSVC)"
    for t in lab_create lab_nodeinfo; do
        [[ -x $(lab__tool "$t") ]] || lab_skip "$t not built: $(lab__tool "$t") (set BUILD_DIR)"
    done
}

# lab_create ARGS... — runs tests/lab/lab_create in the client namespace (CLUSAPI_AUTHKEY as
# exported); its output and exit status pass through (0 created, 1 failed, 2 usage, 3 contract).
lab_create() {
    local -a mc
    lab__memcheck mc
    lab_client "${mc[@]}" "$(lab__tool lab_create)" "$@"
}

# lab_nodeinfo I [KEY] — node I's NODE_INFO as key=value lines, asked from the client namespace;
# with KEY, only that key's value.  Fails if the node does not answer or has no such key.
lab_nodeinfo() {
    lab__check_node "$1" || return 1
    local out
    out=$(lab_client "$(lab__tool lab_nodeinfo)" "$(lab_node_addr "$1")") || return 1
    if [[ -z ${2:-} ]]; then
        printf '%s\n' "$out"
        return 0
    fi
    awk -F= -v k="$2" '$1 == k { sub(/^[^=]*=/, ""); print; f = 1 } END { exit !f }' <<<"$out"
}

# lab_nodeinfo_is I KEY=VALUE... — true if node I answers and reports every KEY=VALUE given.
lab_nodeinfo_is() {
    local out kv
    out=$(lab_nodeinfo "$1") || return 1
    shift
    for kv in "$@"; do
        grep -qxF -- "$kv" <<<"$out" || return 1
    done
}

# lab_nodes_agree KEY I... — true if every node I reports the same, non-empty value for KEY.
lab_nodes_agree() {
    local key=$1 first='' v i
    shift
    for i in "$@"; do
        v=$(lab_nodeinfo "$i" "$key") || return 1
        [[ -n $v ]] || return 1
        if [[ -z $first ]]; then
            first=$v
        fi
        [[ $v == "$first" ]] || return 1
    done
}

# lab_all_nodeinfo_is "I..." KEY=VALUE... — lab_nodeinfo_is for every node in the list.
lab_all_nodeinfo_is() {
    local i nodes=$1
    shift
    for i in $nodes; do
        lab_nodeinfo_is "$i" "$@" || return 1
    done
}

# lab_fresh N CMD... — runs CMD in a subshell with a lab of its own (N nodes, built by lab_init
# there and torn down when CMD returns); the caller's lab, if any, is left alone.  A FAIL inside
# ends only the subshell: lab_fresh then returns 1 (and a plain call under set -e ends the
# scenario).  Use it for a step that needs nodes no earlier step has touched.
lab_fresh() {
    local n=$1
    shift
    (
        lab__forget_lab
        lab_init "$n"
        "$@"
    )
}

# Forgets the current lab (in a subshell, where the caller's lab stays as it is).
lab__forget_lab() {
    LAB_DIR=
    LAB_ID=
    LAB_NODES=0
    LAB_FAILED=0
    LAB__SANITIZER_FAILED=0
    LAB__OWNER=
}

# lab_assert_within NAME SECS CMD... — lab_wait_for, then "PASS NAME".
lab_assert_within() {
    local name=$1
    shift
    lab_wait_for "$name" "$@"
    lab_pass "$name"
}

# ---------------------------------------------------------------------------------------------
# Membership: tests/lab/lab_op, leaders, members, callback streams
# ---------------------------------------------------------------------------------------------

# lab_require_tool NAME... — skips the scenario unless every tests/lab/NAME is built.
lab_require_tool() {
    local t
    for t in "$@"; do
        [[ -x $(lab__tool "$t") ]] || lab_skip "$t not built: $(lab__tool "$t") (set BUILD_DIR)"
    done
}

# lab_op ARGS... — runs tests/lab/lab_op (add, evict, destroy, move; see its source) in the
# client namespace; its output and exit status pass through (0 success, 1 failed, 2 usage,
# 3 contract broken).
lab_op() {
    local -a mc
    lab__memcheck mc
    lab_client "${mc[@]}" "$(lab__tool lab_op)" "$@"
}

# lab_result_status FILE — the N of the `result status=N` line that lab_create / lab_op wrote.
lab_result_status() {
    sed -n 's/^result status=\([0-9]*\).*/\1/p' "$1" | tail -n 1 | grep .
}

# lab_assert_setup_refused LABEL OUT RC PHASE STATUS — a setup call (lab_op, lab_create) that wrote
# OUT and exited RC failed as it should: exit 1, result STATUS, phase PHASE ended Fatal with it,
# and FailureCleanup (999) ran.
lab_assert_setup_refused() {
    lab_assert -m "$1: exits 1" test "$3" = 1
    lab_assert -m "$1: result status $5" test "$(lab_result_status "$2")" = "$5"
    lab_assert -m "$1: phase $4 failed with $5" \
        grep -q "cb phase=$4 type=3 severity=3 .* status=$5" "$2"
    lab_assert -m "$1: FailureCleanup (999) ran" grep -q "cb phase=999 type=3" "$2"
}

# lab_phase_starts FILE — the phases that started, in order, on one line ("403 401 406 …"), from
# the `cb` lines lab_create / lab_op wrote.
lab_phase_starts() {
    sed -n 's/^cb phase=\([0-9]*\) type=1 .*/\1/p' "$1" | tr '\n' ' ' | sed 's/ $//'
}

# lab_phase_objects FILE PHASE — the objects of PHASE's Continue callbacks, in order, one a line.
lab_phase_objects() {
    sed -n "s/^cb phase=$2 type=2 .* object=\(.*\) status=[0-9]*\$/\1/p" "$1"
}

# lab_leader "I..." — prints the index, among nodes I..., of the leader that all of them name
# (every one answers and reports the same leader_id, and that node reports raft role 3).
lab_leader() {
    local i lid='' v found=''
    for i in $1; do
        v=$(lab_nodeinfo "$i" leader_id) || return 1
        [[ -n $v && $v != 0 ]] || return 1
        [[ -z $lid || $v == "$lid" ]] || return 1
        lid=$v
    done
    for i in $1; do
        [[ $(lab_nodeinfo "$i" node_id) == "$lid" ]] && found=$i
    done
    [[ -n $found ]] && lab_nodeinfo_is "$found" raft_role=3 || return 1
    echo "$found"
}

# lab__current JSON — true unless clusctl's JSON is a stale answer (a node without quorum showing
# its last applied state): what a node "lists" is what it holds as current.
lab__current() {
    [[ $1 != *'"stale":true'* ]]
}

# lab_members I — the names of the cluster's nodes as node I's clussvc lists them
# (`clusctl node list --json`), sorted, on one line ("n1 n2 n3").
lab_members() {
    local out
    lab__check_node "$1" || return 1
    out=$(lab_clusctl -c "$(lab_node_name "$1")" --json node list) || return 1
    lab__current "$out" || return 1
    grep -o '"name":"[^"]*"' <<<"$out" | sed 's/^"name":"//; s/"$//' | sort -V | tr '\n' ' ' |
        sed 's/ $//'
}

# lab_members_are I "NAME..." — true if node I lists exactly the members NAME... (any order).
lab_members_are() {
    [[ $(lab_members "$1") == "$(tr ' ' '\n' <<<"$2" | grep . | sort -V | tr '\n' ' ' |
        sed 's/ $//')" ]]
}

# lab_ip_one_owner ADDR — true if exactly one node has ADDR configured.
lab_ip_one_owner() {
    [[ $(lab_ip_owners "$1" | wc -l) == 1 ]]
}

# lab_ip_at_most_one_owner ADDR — no two nodes have ADDR configured.
lab_ip_at_most_one_owner() {
    (($(lab_ip_owners "$1" | wc -l) <= 1))
}

# ---------------------------------------------------------------------------------------------
# Background processes: responders, the prober, peer tools (tests/lab/responder.c, prober.c)
# ---------------------------------------------------------------------------------------------
#
# lab_bg starts a process in a namespace and records it like a node's clussvc ($LAB_DIR/bg/NAME
# .pid and .start), so that it is signalled only while it is still the process we started.  The
# first lab_bg wraps the traps lab_init installed: on exit or signal every such process is
# stopped (by PID) before the lab is torn down.  Call lab_bg from the scenario's own shell, not
# from a command substitution.

LAB_RESPONDER_PORT=${LAB_RESPONDER_PORT:-7}
LAB__BG_TRAPS=

lab__bg_on_exit() {
    local rc=$?
    set +e
    lab_bg_stop_all
    (exit "$rc")
    lab__on_exit
}

lab__bg_traps() {
    [[ $LAB__BG_TRAPS == "$BASHPID" ]] && return 0
    LAB__BG_TRAPS=$BASHPID
    trap 'lab__bg_on_exit' EXIT
    trap 'lab_bg_stop_all; lab__on_signal INT 130' INT
    trap 'lab_bg_stop_all; lab__on_signal TERM 143' TERM
}

lab__bg_ns() {
    if [[ $1 == c ]]; then
        lab_client_ns
    elif [[ $1 == sw ]]; then
        lab_switch_ns
    else
        lab__check_node "$1" && lab_node_ns "$1"
    fi
}

# lab_bg NAME WHERE CMD... — starts CMD in namespace WHERE (a node index, c for the client, sw for
# the switch)
# in the background, stdout and stderr to $LAB_DIR/bg/NAME.log, and records its PID.  Fails if
# a process of that NAME still runs or CMD exits at once.
lab_bg() {
    local name=$1 where=$2 ns pid d=$LAB_DIR/bg
    shift 2
    ns=$(lab__bg_ns "$where") || return 1
    mkdir -p "$d"
    if lab_bg_running "$name"; then
        lab__err "lab_bg: $name already runs (pid $(<"$d/$name.pid"))"
        return 1
    fi
    lab__bg_traps
    rm -f "$d/$name.exit" "$d/$name.start"
    ip netns exec "$ns" "$@" >"$d/$name.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$d/$name.pid"
    lab__proc_stat "$pid" && echo "${REPLY#* }" >"$d/$name.start"
    if [[ ! -s $d/$name.start ]]; then
        lab__reap "$pid" "$d/$name.exit"
        lab__err "lab_bg: $name exited at once: $(tail -n 3 "$d/$name.log")"
        return 1
    fi
}

# lab_bg_pid NAME — the PID lab_bg recorded for NAME.
lab_bg_pid() {
    [[ -s $LAB_DIR/bg/$1.pid ]] && cat "$LAB_DIR/bg/$1.pid"
}

# lab_bg_running NAME — true while the process lab_bg started as NAME is alive.
lab_bg_running() {
    local d=$LAB_DIR/bg
    [[ -s $d/$1.pid && -s $d/$1.start ]] || return 1
    lab__proc_ours "$(<"$d/$1.pid")" "$(<"$d/$1.start")"
}

# lab_bg_signal NAME SIG — sends SIG (STOP, CONT...) to NAME if it is still the process started.
lab_bg_signal() {
    lab_bg_running "$1" || { lab__err "lab_bg_signal: $1 is not running"; return 1; }
    kill -s "$2" "$(<"$LAB_DIR/bg/$1.pid")"
}

# lab_bg_stop NAME — SIGTERM (then SIGKILL after LAB_STOP_TIMEOUT) to NAME; exit status to
# $LAB_DIR/bg/NAME.exit.  Nothing to do if it already ended.
lab_bg_stop() {
    local d=$LAB_DIR/bg
    [[ -s $d/$1.pid && -s $d/$1.start ]] || return 0
    lab__stop_pid "$(<"$d/$1.pid")" "$(<"$d/$1.start")" "$LAB_STOP_TIMEOUT" "$d/$1.exit"
}

# lab_bg_kill NAME — SIGKILL to NAME; returns once it is gone.
lab_bg_kill() {
    local d=$LAB_DIR/bg pid start
    lab_bg_running "$1" || return 0
    pid=$(<"$d/$1.pid")
    start=$(<"$d/$1.start")
    {
        kill -KILL "$pid" || true
        lab__wait_gone "$pid" "$start" 5 && lab__reap "$pid" "$d/$1.exit"
    } 2>/dev/null || { lab__err "lab_bg_kill: $1 (pid $pid) survived SIGKILL"; return 1; }
}

# lab_bg_wait NAME SECS — waits up to SECS for NAME to end by itself; returns its exit status,
# or 124 if it still runs (it is left running).
lab_bg_wait() {
    local d=$LAB_DIR/bg
    lab_poll "$2" lab_not lab_bg_running "$1" || return 124
    [[ -e $d/$1.exit ]] || lab__reap "$(<"$d/$1.pid")" "$d/$1.exit"
    return "$(cat "$d/$1.exit" 2>/dev/null || echo 0)"
}

# lab_bg_stop_all — lab_bg_stop for every process lab_bg started.
lab_bg_stop_all() {
    local f
    [[ -n $LAB_DIR && -d $LAB_DIR/bg ]] || return 0
    for f in "$LAB_DIR"/bg/*.pid; do
        [[ -e $f ]] || continue
        f=${f##*/}
        lab_bg_stop "${f%.pid}"
    done
}

# lab_require_probe_tools — skips the scenario unless tests/lab/responder and prober are built.
lab_require_probe_tools() {
    lab_require_tool responder prober
}

# lab_start_responder I [PORT] — starts tests/lab/responder in node I's namespace (process name
# responder-nI), answering on UDP PORT (default LAB_RESPONDER_PORT) with the node's name, and
# waits until the port is bound.
lab_start_responder() {
    local i=$1 port=${2:-$LAB_RESPONDER_PORT}
    lab__check_node "$i" || return 1
    lab_bg "responder-n$i" "$i" "$(lab__tool responder)" "$(lab_node_name "$i")" --port "$port" ||
        return 1
    lab_poll 5 lab__udp_bound "$(lab_node_ns "$i")" "$port" ||
        { lab__err "responder n$i: UDP port $port not bound"; return 1; }
}

lab__udp_bound() {
    [[ -n $(ip netns exec "$1" ss -lunH "sport = :$2" 2>/dev/null) ]]
}

# lab_start_responders — lab_start_responder for every node.
lab_start_responders() {
    local i
    for ((i = 1; i <= LAB_NODES; i++)); do
        lab_start_responder "$i" || return 1
    done
}

# lab_start_prober NAME ADDR SECS [ARGS...] — runs tests/lab/prober in the client namespace
# against ADDR for SECS seconds (it then ends by itself), logging every probe and reply to
# $LAB_DIR/bg/NAME.probe; for an IPv4 ADDR it also sends the broadcast probes on eth0 (see
# prober.c).  Its final summary goes to $LAB_DIR/bg/NAME.log.
lab_start_prober() {
    local name=$1 addr=$2 secs=$3
    local -a extra=()
    shift 3
    [[ $addr == *:* ]] || extra=(--broadcast eth0)
    lab_bg "$name" c "$(lab__tool prober)" --target "$addr" --port "$LAB_RESPONDER_PORT" \
        --seconds "$secs" --log "$LAB_DIR/bg/$name.probe" "${extra[@]}" "$@" || return 1
    lab_poll 5 test -s "$LAB_DIR/bg/$name.probe"
}

# lab_probe_summary NAME [--from T] [--to T] [--old NODE] [--window-ms W] — the prober's
# key=value summary of what NAME's log holds so far (times T as $EPOCHREALTIME gives them).
lab_probe_summary() {
    local name=$1
    shift
    "$(lab__tool prober)" --analyze "$LAB_DIR/bg/$name.probe" "$@"
}

# lab_probe_get NAME KEY [ANALYZE ARGS...] — one key of lab_probe_summary (fails if missing).
lab_probe_get() {
    local name=$1 key=$2 out
    shift 2
    out=$(lab_probe_summary "$name" "$@") || return 1
    awk -F= -v k="$key" '$1 == k { sub(/^[^=]*=/, ""); print; f = 1 } END { exit !f }' <<<"$out"
}

# lab_probe_answered_by NAME NODES [ANALYZE ARGS...] — true if the latest probe answered in
# NAME's log (within the window given) was answered by one of NODES ("n2 n3").
lab_probe_answered_by() {
    local name=$1 nodes=$2 last
    shift 2
    last=$(lab_probe_get "$name" last_node "$@") || return 1
    [[ -n $last && " $nodes " == *" $last "* ]]
}

# ---------------------------------------------------------------------------------------------
# Partitions that the client still sees across
# ---------------------------------------------------------------------------------------------
#
# lab_link_down cuts a node off from everyone, the client included, so a client cannot tell
# what the cut-off node does.  lab_partition cuts only node-to-node traffic: in each node's
# namespace, the addresses of the nodes on the other sides are routed into a veth whose peer is
# down (packets vanish silently, as on a broken network), while every node still reaches the
# client and the client every node.  Cluster addresses are not touched.

# lab_partition "I..." "I..." [...] — splits the nodes into the sides given (every node listed
# at most once; nodes not listed keep talking to everyone).
lab_partition() {
    local side other i j
    local -a sides=("$@")
    (($# >= 2)) || { lab__err "usage: lab_partition \"I...\" \"I...\" [...]"; return 1; }
    for side in "${sides[@]}"; do
        for i in $side; do
            lab__cut_dev "$i" || return 1
            for other in "${sides[@]}"; do
                [[ $other == "$side" ]] && continue
                for j in $other; do
                    lab__check_node "$j" || return 1
                    lab_node "$i" ip route replace "$(lab_node_addr "$j")/32" dev labcut ||
                        return 1
                    lab_node "$i" ip -6 route replace "$(lab_node_addr6 "$j")/128" dev labcut ||
                        return 1
                done
            done
        done
    done
}

lab__cut_dev() {
    lab__check_node "$1" || return 1
    lab_node "$1" ip link show labcut >/dev/null 2>&1 && return 0
    lab_node "$1" ip link add labcut type veth peer name labcutp || return 1
    lab_node "$1" ip link set labcut arp off up
}

# lab_heal — undoes every lab_partition (the routes go with the device).
lab_heal() {
    local i
    for ((i = 1; i <= LAB_NODES; i++)); do
        if lab_node "$i" ip link show labcut >/dev/null 2>&1; then
            lab_node "$i" ip link del labcut || return 1
        fi
    done
}

# ---------------------------------------------------------------------------------------------
# Failover: a cluster with an address, responders, and the checks after a fault
# ---------------------------------------------------------------------------------------------

LAB_TAKEOVER_LIMIT=${LAB_TAKEOVER_LIMIT:-3} # seconds from a fault to a survivor answering
LAB_FO_IP=
LAB_WITNESS=
LAB_TAKEOVER_MS=
# set by lab_fo_fault for the scenario: the old and new owner and the time of the fault
export LAB_FO_OLD='' LAB_FO_NEW='' LAB_FO_T=''
LAB_FO_SVC_ARGS=${LAB_FO_SVC_ARGS:-} # extra clussvc arguments, e.g. "--log-level debug"

# lab_failover_cluster NAME — starts clussvc on every node, creates cluster NAME on all of them
# with the cluster address $(lab_cluster_ip 0) (left in LAB_FO_IP), starts a responder on every
# node and waits until the address answers from the client.  Fails the scenario otherwise.
lab_failover_cluster() {
    local name=$1 i rc=0
    local -a args=()
    LAB_FO_IP=$(lab_cluster_ip 0)
    for ((i = 1; i <= LAB_NODES; i++)); do
        # shellcheck disable=SC2086 # a list of arguments
        lab_start_node "$i" $LAB_FO_SVC_ARGS || lab_fail "$name: n$i did not start"
        args+=(--node "$(lab_node_name "$i")")
    done
    lab_create "$name" "${args[@]}" --ip "$LAB_FO_IP/24" >"$LAB_DIR/create.out" 2>&1 || rc=$?
    ((rc == 0)) || lab_fail "$name: create failed (exit $rc): $(tail -n 1 "$LAB_DIR/create.out")"
    lab_start_responders || lab_fail "$name: responders did not start"
    lab_wait_for "$name: the cluster IP answers" 15 lab_ip_answers "$LAB_FO_IP"
}

# lab_witness_cluster NAME — lab_failover_cluster with a witness: the last node of the lab runs
# `clussvc --witness` (left in LAB_WITNESS), the others form cluster NAME and set it as their
# witness with `clusctl quorum set --witness`; the responders start and the address answers.
lab_witness_cluster() {
    local name=$1 i rc=0
    local -a args=()
    LAB_FO_IP=$(lab_cluster_ip 0)
    LAB_WITNESS=$LAB_NODES
    for ((i = 1; i < LAB_NODES; i++)); do
        lab_start_node "$i" || lab_fail "$name: n$i did not start"
        args+=(--node "$(lab_node_name "$i")")
    done
    lab_start_witness "$LAB_WITNESS" || lab_fail "$name: the witness n$LAB_WITNESS did not start"
    lab_create "$name" "${args[@]}" --ip "$LAB_FO_IP/24" >"$LAB_DIR/create.out" 2>&1 || rc=$?
    ((rc == 0)) || lab_fail "$name: create failed (exit $rc): $(tail -n 1 "$LAB_DIR/create.out")"
    lab_assert -m "$name: the witness n$LAB_WITNESS set" \
        lab_clusctl -c n1 quorum set --witness "n$LAB_WITNESS"
    lab_start_responders || lab_fail "$name: responders did not start"
    lab_wait_for "$name: the cluster IP answers" 15 lab_ip_answers "$LAB_FO_IP"
}

# lab_all_vote "I..." — every node I... is a voter (member_role=1: RAFT_VOTER).
lab_all_vote() {
    local i
    for i in $1; do
        lab_nodeinfo_is "$i" member_role=1 || return 1
    done
}

# lab_group_owner VIEWER [GROUP] — the owner of GROUP (default "Cluster Group") as node VIEWER's
# clussvc reports it; prints nothing if the group has no owner.  Fails if VIEWER does not answer.
lab_group_owner() {
    local out group=${2:-Cluster Group}
    out=$(lab_clusctl -c "$(lab_node_name "$1")" --json group list) || return 1
    lab__current "$out" || return 1
    grep -o "{\"name\":\"$group\"[^}]*}" <<<"$out" | sed -n 's/.*"owner":"\([^"]*\)".*/\1/p'
}

# ---------------------------------------------------------------------------------------------
# Storage faults (scenario_storage_*)
# ---------------------------------------------------------------------------------------------

# lab__node_entry VIEWER NODE — NODE's object in `clusctl --json node list` through VIEWER.
lab__node_entry() {
    lab_clusctl -c "$(lab_node_name "$1")" --json node list |
        grep -o "{\"name\":\"$(lab_node_name "$2")\"[^}]*}"
}
# lab_storage_faulted VIEWER NODE — VIEWER lists NODE in a storage fault
# (StatusInformation NodeStatusAvoidPlacement).
lab_storage_faulted() { lab__node_entry "$1" "$2" | grep -q '"storage_fault":true'; }
# lab_voteless VIEWER NODE — VIEWER lists NODE with no vote (DynamicWeight 0).
lab_voteless() { lab__node_entry "$1" "$2" | grep -q '"dynamic_weight":0'; }
# lab_group_listed VIEWER GROUP — VIEWER's current (not stale) group list holds GROUP.
lab_group_listed() {
    local out
    out=$(lab_clusctl -c "$(lab_node_name "$1")" --json group list) && lab__current "$out" &&
        grep -q "\"name\":\"$2\"" <<<"$out"
}
# lab_says_storage_fault I — node I says it is in a storage fault (NODE_INFO).
lab_says_storage_fault() {
    local why
    why=$(lab_nodeinfo "$1" storage_fault) && [[ -n $why ]]
}

# lab_reads_current_via VIEWER — a group list asked of VIEWER is answered, and current: a node in
# a storage fault answers from what it last applied, marked so, and libclusapi then asks another.
lab_reads_current_via() {
    local out
    out=$(lab_clusctl -c "$(lab_node_name "$1")" --json group list) && lab__current "$out"
}
# lab_leader_other_than I — the other nodes name one leader, and it is not node I.
lab_leader_other_than() {
    local l
    l=$(lab_leader "$(lab_others "$1")") && [[ $l != "$1" ]]
}

# lab_log_mark — remembers how long every node's log is; lab_logged_since I TEXT is true when
# node I logged TEXT after that.
declare -A LAB__LOG_MARK
lab_log_mark() {
    local i
    for ((i = 1; i <= LAB_NODES; i++)); do
        LAB__LOG_MARK[$i]=$(wc -l <"$LAB_DIR/n$i/clussvc.log" 2>/dev/null || echo 0)
    done
}
lab_logged_since() {
    tail -n +$((${LAB__LOG_MARK[$1]:-0} + 1)) "$LAB_DIR/n$1/clussvc.log" | grep -q -- "$2"
}
# lab_parked_since I — a leader parked node I out of raft's log (a raft spare) since the mark.
lab_parked_since() {
    local i id
    id=$(lab_nodeinfo "$1" node_id) || return 1
    for i in $(lab_others "$1"); do
        lab_logged_since "$i" "node $id leaves the log until its storage fault ends" && return 0
    done
    return 1
}

# lab_storage_lab NAME KIND — three nodes whose state directories are each a 64 MiB file system
# of their own (KIND tmpfs: lab_state_tmpfs, or loopfs: lab_state_loopfs), in failover cluster
# NAME, with the prober p on LAB_FO_IP and all three voting.
lab_storage_lab() {
    local i
    lab_init 3
    for i in 1 2 3; do "lab_state_$2" "$i" 64m; done
    lab_failover_cluster "$1"
    lab_start_prober p "$LAB_FO_IP" 300
    lab_assert_within "three voters" 30 lab_all_vote "1 2 3"
}

# lab_storage_rounds ROUND — ROUND LABEL I on the node that holds the group ("owner"), then on
# the leader ("leader"); then the prober must never have heard two nodes at once.
lab_storage_rounds() {
    local n
    n=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner"
    "$1" owner "$n"
    n=$(lab_leader "1 2 3") || lab_fail "one leader"
    "$1" leader "$n"
    lab_bg_stop p
    lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
}

# lab__storage_change LABEL VIA GROUP — creating GROUP through node VIA succeeds.
lab__storage_change() {
    local out
    if out=$(lab_clusctl -c "n$2" group create "$3" 2>&1); then
        printf 'PASS %s: a change through n%s commits\n' "$1" "$2"
    else
        lab_fail "$1: a change through n$2 failed: $out"
    fi
}

# lab_storage_fault_holds LABEL I T — while node I is in a storage fault, within T s each: the
# others list it in one with no vote, it is parked, another node leads, the group at LAB_FO_IP
# left it; changes through another node and through it commit (groups LABEL-a, LABEL-b), it
# says it is in one, reads through it are answered and current, and it runs still (no crash).
lab_storage_fault_holds() {
    local label=$1 v=$2 t=$3 others healthy
    others=$(lab_others "$v")
    healthy=${others%% *}
    lab_assert_within "$label: n$healthy lists n$v in a storage fault" "$t" \
        lab_storage_faulted "$healthy" "$v"
    lab_assert_within "$label: n$v has no vote" "$t" lab_voteless "$healthy" "$v"
    lab_assert_within "$label: n$v is parked out of raft's log" "$t" lab_parked_since "$v"
    lab_assert_within "$label: another node leads" "$t" lab_leader_other_than "$v"
    lab_assert_within "$label: the group left n$v" "$t" lab_fo_settled "$others"
    lab__storage_change "$label" "$healthy" "$label-a"
    lab__storage_change "$label" "$v" "$label-b"
    lab_assert_within "$label: n$healthy lists both" "$t" lab_group_listed "$healthy" "$label-b"
    lab_assert -m "$label: n$v says it is in a storage fault" lab_says_storage_fault "$v"
    lab_assert -m "$label: reads through n$v answer, current" lab_reads_current_via "$v"
    lab_assert -m "$label: n$v runs still" lab_node_running "$v"
}

# lab_node_state VIEWER NODE — NODE's state (Up, Down, Paused, ...) as node VIEWER lists it.
lab_node_state() {
    local out
    out=$(lab_clusctl -c "$(lab_node_name "$1")" --json node list) || return 1
    lab__current "$out" || return 1
    grep -o "{\"name\":\"$(lab_node_name "$2")\"[^}]*}" <<<"$out" |
        sed -n 's/.*"state":"\([^"]*\)".*/\1/p' | grep .
}

# lab_node_state_is VIEWER NODE STATE — true if VIEWER lists NODE in STATE.
lab_node_state_is() {
    [[ $(lab_node_state "$1" "$2") == "$3" ]]
}

# lab_owner ADDR — prints the index of the one node that has ADDR; fails if none or several.
lab_owner() {
    local owners
    owners=$(lab_ip_owners "$1")
    [[ -n $owners && $(wc -l <<<"$owners") == 1 ]] || return 1
    echo "$owners"
}

# lab_others I — every node index but I, space-separated.
lab_others() {
    local i out=
    for ((i = 1; i <= LAB_NODES; i++)); do
        ((i == $1)) || out+="$i "
    done
    echo "${out% }"
}

# lab_names "I..." — the node names of indexes I... ("n1 n3").
lab_names() {
    local i out=
    for i in $1; do out+="$(lab_node_name "$i") "; done
    echo "${out% }"
}

# lab_ms_since T — milliseconds (one decimal) from T (an $EPOCHREALTIME value) to now.
lab_ms_since() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
}

# lab_probe_watched NAME T SECS — true once prober NAME (at its default 10 ms interval) has been
# probing for SECS seconds since T (use with lab_wait_for to watch what happens for a while).
lab_probe_watched() {
    local n
    n=$(lab_probe_get "$1" probes --from "$2") || return 1
    awk -v n="$n" -v s="$3" 'BEGIN { exit !(n * 0.010 >= s) }'
}

# lab_probe_is NAME KEY VALUE [ANALYZE ARGS...] — true if the summary has KEY=VALUE.
lab_probe_is() {
    local name=$1 key=$2 want=$3 v
    shift 3
    v=$(lab_probe_get "$name" "$key" "$@") || return 1
    [[ $v == "$want" ]] || { lab__err "prober $name: $key=$v, expected $want"; return 1; }
}

# lab_probe_nonzero NAME KEY [ANALYZE ARGS...] — true if the summary's KEY is a number above 0.
lab_probe_nonzero() {
    local name=$1 key=$2 v
    shift 2
    v=$(lab_probe_get "$name" "$key" "$@") || return 1
    awk -v v="$v" 'BEGIN { exit !(v + 0 > 0) }' ||
        { lab__err "prober $name: $key=$v, expected more than 0"; return 1; }
}

# lab_probe_at_most NAME KEY MAX [ANALYZE ARGS...] — true if the summary's KEY is a number <= MAX.
lab_probe_at_most() {
    local name=$1 key=$2 max=$3 v
    shift 3
    v=$(lab_probe_get "$name" "$key" "$@") || return 1
    awk -v v="$v" -v m="$max" 'BEGIN { exit !(v != "" && v + 0 >= 0 && v + 0 <= m + 0) }' ||
        { lab__err "prober $name: $key=$v, expected at most $max"; return 1; }
}

# lab_probe_quiet_after NAME T MS — true if prober NAME heard no reply later than MS ms after
# T (to probes sent since T), or none at all.
lab_probe_quiet_after() {
    local v
    v=$(lab_probe_get "$1" last_reply_ms --from "$2") || return 1
    awk -v v="$v" -v m="$3" 'BEGIN { exit !(v + 0 <= m + 0) }' ||
        { lab__err "prober $1: a reply came ${v} ms after $2"; return 1; }
}

# lab_assert_takeover LABEL PROBER OLD T — the checks after a fault at time T on nOLD, the
# owner of LAB_FO_IP: a survivor answers within LAB_TAKEOVER_LIMIT seconds (as the prober timed
# it), nOLD no longer holds the address by then, at most one node holds it, and the prober saw
# no overlap and no answer from nOLD after the survivor's first.  Sets LAB_TAKEOVER_MS to the
# takeover time the prober measured; fails the scenario otherwise.
lab_assert_takeover() {
    local label=$1 p=$2 old=$3 t=$4 survivors
    survivors=$(lab_names "$(lab_others "$old")")
    lab_wait_for "$label: a survivor ($survivors) answers" "$LAB_TAKEOVER_LIMIT" \
        lab_probe_answered_by "$p" "$survivors" --from "$t"
    lab_assert -m "$label: n$old no longer holds the address once a survivor answers" \
        lab_not grep -qx "$old" <<<"$(lab_ip_owners "$LAB_FO_IP")"
    # at most one: a survivor that answered may have lost its own lease again since (an election
    # after a fault on the raft leader); that it answers again is lab_fo_settled's to wait for
    lab_assert -m "$label: at most one node holds the address" lab_ip_at_most_one_owner \
        "$LAB_FO_IP"
    lab_assert -m "$label: the prober timed the takeover within ${LAB_TAKEOVER_LIMIT}s" \
        lab_probe_at_most "$p" takeover_ms $((LAB_TAKEOVER_LIMIT * 1000)) --from "$t" \
        --old "n$old"
    lab_assert -m "$label: no overlap since the fault" lab_probe_is "$p" overlap 0 --from "$t"
    lab_assert -m "$label: n$old did not answer after the takeover" \
        lab_probe_is "$p" old_after_takeover 0 --from "$t" --old "n$old"
    LAB_TAKEOVER_MS=$(lab_probe_get "$p" takeover_ms --from "$t" --old "n$old")
}

# lab_fo_settled "I..." — exactly one node holds LAB_FO_IP, each node I... reports that node as
# the Cluster Group's owner, and the address answers from the client.
lab_fo_settled() {
    local owner i
    owner=$(lab_owner "$LAB_FO_IP") || return 1
    for i in $1; do
        [[ $(lab_group_owner "$i") == "$(lab_node_name "$owner")" ]] || return 1
    done
    lab_ip_answers "$LAB_FO_IP"
}

# lab_votes_settled "I..." — the leader nodes I... name has no vote left to give or take: dynamic
# quorum has brought the voters back in line after a fault (a next fault could otherwise meet a
# cluster still one vote short).
lab_votes_settled() {
    local leader
    leader=$(lab_leader "$1") || return 1
    lab_nodeinfo_is "$leader" votes_pending=0
}

# lab_rejoined I "J..." — node I runs, is committed and has the same database as nodes J..., and
# the votes are settled.  On failure it says what it saw (each node's state, version and hash).
lab_rejoined() {
    local i
    # shellcheck disable=SC2086 # a list of indexes
    if lab_nodeinfo_is "$1" state=19 committed=1 && lab_nodes_agree db_hash "$1" $2 &&
        lab_votes_settled "$1 $2"; then
        return 0
    fi
    for i in $1 $2; do
        printf 'n%s: %s\n' "$i" "$(lab_nodeinfo "$i" 2>&1 |
            grep -E '^(state|committed|leader_id|db_(version|hash)|member_role|votes_pending)=' \
                -e 'rror' | tr '\n' ' ')"
    done
    return 1
}

# lab_fo_fault LABEL PROBER FAULT UNDO — one fault on the owner of LAB_FO_IP, watched by the
# running prober PROBER: FAULT I (a command given the owner's index, e.g. lab_kill_node) at
# time T, then lab_assert_takeover, then UNDO I (e.g. lab_start_node), then the node must
# rejoin, every node agree on one owner, and for 3 s more the prober must see no overlap and
# no answer from the old owner; the address stays with the new one.  Sets LAB_FO_OLD,
# LAB_FO_NEW, LAB_FO_T (T) and LAB_TAKEOVER_MS.
lab_fo_fault() {
    local label=$1 p=$2 fault=$3 undo=$4 old new t t2 answers all
    all=$(seq -s ' ' 1 "$LAB_NODES")
    old=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before the fault"
    lab_wait_for "$label: the prober hears n$old" 3 lab_probe_answered_by "$p" "n$old"
    t=$EPOCHREALTIME
    "$fault" "$old" || lab_fail "$label: $fault n$old failed"
    lab_assert_takeover "$label" "$p" "$old" "$t"
    new=$(lab_owner "$LAB_FO_IP")
    printf '%s: n%s answered %s ms after the fault on n%s\n' "$label" "$new" "$LAB_TAKEOVER_MS" \
        "$old"
    "$undo" "$old" || lab_fail "$label: $undo n$old failed"
    lab_assert_within "$label: n$old rejoined (Running, committed, same database)" 30 \
        lab_rejoined "$old" "$(lab_others "$old")"
    lab_assert_within "$label: one owner, named by every node, answering" 20 \
        lab_fo_settled "$all"
    t2=$EPOCHREALTIME
    lab_wait_for "$label: the prober watched 3 s after the rejoin" 10 \
        lab_probe_watched "$p" "$t2" 3
    lab_assert -m "$label: no overlap since the fault" lab_probe_is "$p" overlap 0 --from "$t"
    lab_assert -m "$label: n$old never answered after n$new did" \
        lab_probe_is "$p" old_after_takeover 0 --from "$t" --old "n$old"
    answers=$(lab_probe_get "$p" sequence --from "$t")
    lab_assert -m "$label: since the fault the answers came from n$old then n$new only ($answers)" \
        test "$answers" = "n$new" -o "$answers" = "n$old,n$new"
    lab_assert -m "$label: n$new still holds the address, alone" \
        test "$(lab_owner "$LAB_FO_IP")" = "$new"
    LAB_FO_OLD=$old LAB_FO_NEW=$new LAB_FO_T=$t
}

# lab_holds SECS CMD... — watches CMD for SECS seconds, running it every LAB_POLL_INTERVAL:
# true if it succeeded every time, false (with a note on stderr) at the first failure.  For
# "nothing happens for a while" checks; expanded once, as lab_poll.
lab_holds() {
    local deadline
    lab__to_us "$1" || return 2
    deadline=$REPLY
    shift
    lab__now_us
    deadline=$((REPLY + deadline))
    while :; do
        "$@" >/dev/null 2>&1 || { lab__err "lab_holds: stopped holding: $*"; return 1; }
        lab__now_us
        ((REPLY < deadline)) || return 0
        sleep "$LAB_POLL_INTERVAL"
    done
}

# lab_nobody_holds ADDR — true if no node has ADDR configured.
lab_nobody_holds() {
    [[ -z $(lab_ip_owners "$1") ]]
}

# lab_fo_blip LABEL PROBER FAULT UNDO MIN_MS MAX_MS — a short fault on the owner of LAB_FO_IP:
# FAULT I, a random MIN_MS..MAX_MS later UNDO I (a fault's length is the point here, so this
# one sleeps), then the node must rejoin and every node agree on one owner that answers; since
# the fault the prober must have seen no overlap, and the old owner no answer after another node
# answered (the address may stay or move: a fault near the lease's length is where a node that
# half-lost its lease comes back).  Prints what happened.
lab_fo_blip() {
    local label=$1 p=$2 fault=$3 undo=$4 min=$5 max=$6 old ms t all
    all=$(seq -s ' ' 1 "$LAB_NODES")
    old=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before the fault"
    ms=$((min + RANDOM % (max - min + 1)))
    label+=" (n$old for $ms ms)"
    lab_wait_for "$label: the prober hears n$old" 3 lab_probe_answered_by "$p" "n$old"
    t=$EPOCHREALTIME
    "$fault" "$old" || lab_fail "$label: $fault n$old failed"
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    "$undo" "$old" || lab_fail "$label: $undo n$old failed"
    lab_assert_within "$label: n$old rejoined" 30 lab_rejoined "$old" "$(lab_others "$old")"
    lab_assert_within "$label: one owner, named by every node, answering" 20 \
        lab_fo_settled "$all"
    lab_assert -m "$label: no overlap since the fault" lab_probe_is "$p" overlap 0 --from "$t"
    lab_assert -m "$label: n$old did not answer after another node did" \
        lab_probe_is "$p" old_after_takeover 0 --from "$t" --old "n$old"
    printf '%s: answers since the fault: %s\n' "$label" \
        "$(lab_probe_get "$p" sequence --from "$t")"
}
