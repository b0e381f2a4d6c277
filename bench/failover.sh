#!/usr/bin/env bash
# bench/failover — how fast the cluster address moves, clusapi beside keepalived, in one lab.
#
# One 3-node namespace lab, a responder on every node (tests/lab/responder: answers with the
# node's name) and one prober in the client namespace (tests/lab/prober: a datagram to the
# address every 10 ms, as a client and by Ethernet broadcast).  A time is from the fault (the
# moment before the command that makes it) to the first client reply from another node, as the
# prober saw it.  RUNS rounds each (default 7, at least 7):
#   clusapi, default settings:  kill -9 of the owner's clussvc (then restarted), the owner's
#                               link cut (then healed), the owner's clussvc stopped cleanly
#                               (SIGTERM: it hands its groups over first; then started again);
#                               a planned move (MoveClusterGroup to
#                               the next node, through tests/lab/lab_op) from the call to the
#                               target answering, and the call itself;
#   clusapi, partial faults (docs/failover.md), default settings: every packet arriving at the
#                               owner dropped (an nftables rule in its namespace: it still
#                               sends), every packet leaving it dropped, and the owner frozen
#                               whole (SIGSTOP of every process in its namespace, as a paused
#                               VM); each held until another node answers, then undone; for
#                               these also the undo to the settled cluster (every node rejoined,
#                               one owner named by all, answering: ": heal" rows, which include
#                               the polling of the nodes that the check takes);
#   clusapi, fastest settings (QuorumLease 150 ms, set live with clusctl): kill -9 and link cut;
#   keepalived, advert_int 1 and then 0.1 (VRRPv3, unicast peers, the same address, all BACKUP
#   with nopreempt, priorities 190/180/170): kill -9 of the MASTER's keepalived processes (VRRP
#   child first, then the parent; then restarted), the MASTER's link cut (then healed), and the
#   same three partial faults.  A fault no other node takes over within 15 s counts as failed.
# Each row also counts the rounds in which the prober saw an overlap (two nodes answering for the
# address: see tests/lab/prober.c) from the fault until the cluster had settled again.  Prints a
# table (median, min, max in ms) and the ratios keepalived / clusapi.  A benchmark, not a test:
# it reports, it does not judge; it only stops if a cluster does not recover at all.
#
#   sudo BUILD_DIR=build bench/failover.sh [RUNS]
#
# keepalived comes from Debian's keepalived package; the script installs it with apt-get when it
# is missing (and says so), and leaves the keepalived rows out if that fails.
set -euo pipefail
RUNS=${1:-7}
BUILD_DIR=${BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
source "$(dirname "$0")/../tests/lab/lab.sh"

((RUNS >= 7)) || { echo "bench/failover: RUNS must be at least 7" >&2; exit 2; }
FASTEST_LEASE=150 # QuorumLease's lower bound; SameSubnetDelay and SameSubnetThreshold too are
                  # at their lower bounds (250 ms, 3) by default
lab_require_cmd nft
for t in lab_create lab_nodeinfo prober responder; do
    [[ -x $BUILD_DIR/tests/lab/$t ]] ||
        { echo "bench/failover: $BUILD_DIR/tests/lab/$t not built (set BUILD_DIR)" >&2; exit 2; }
done
((EUID == 0)) || { echo "bench/failover: needs root (network namespaces)" >&2; exit 2; }

KA=1
if ! command -v keepalived >/dev/null 2>&1; then
    echo "bench/failover: keepalived is not installed; installing Debian's package:" \
        "apt-get install -y --no-install-recommends keepalived"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends keepalived \
        >/tmp/bench-failover-apt.log 2>&1; then
        echo "bench/failover: the install failed (see /tmp/bench-failover-apt.log):" \
            "keepalived rows left out"
        KA=0
    fi
fi

median() {
    sort -n | awk '{ v[NR] = $1 }
        END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

declare -A times overlaps fails NO_OVERLAP
ROWS=()

rounds() { # COMMAND... — RUNS times
    local i
    for ((i = 0; i < RUNS; i++)); do "$@"; done
}

# Adds one measurement (MS, or "-" for a round that never saw the takeover) to row NAME.
record() { # NAME MS OVERLAP
    [[ -n ${times[$1]+x} || -n ${fails[$1]+x} ]] || ROWS+=("$1")
    if [[ $2 == - ]]; then
        fails[$1]=$((${fails[$1]:-0} + 1))
    else
        times[$1]+="$2 "
    fi
    overlaps[$1]=$((${overlaps[$1]:-0} + $3))
}

# True once a node other than nOLD has answered a client probe sent since T.
took_over() { # T OLD
    [[ -n $(lab_probe_get p takeover_node --from "$1" --old "n$2") ]]
}

# Waits for the takeover after a fault at T on nOLD and records it in row NAME (overlap counted
# later, once the cluster has settled: see finish_round).
measure() { # NAME T OLD
    if lab_poll 15 took_over "$2" "$3"; then
        MS=$(lab_probe_get p takeover_ms --from "$2" --old "n$3")
    else
        MS=-
        echo "bench/failover: $1: no other node answered within 15 s" >&2
    fi
}

finish_round() { # NAME T
    record "$1" "$MS" "$(lab_probe_get p overlap --from "$2")"
}

# ------------------------------------------------------------------------------------------------
# clusapi
# ------------------------------------------------------------------------------------------------

settle_clusapi() {
    lab_wait_for "clusapi: every node rejoined" 30 lab_rejoined 1 "2 3"
    lab_wait_for "clusapi: one owner answering" 30 lab_fo_settled "1 2 3"
}

clusapi_round() { # NAME FAULT UNDO [heal] — with "heal", also the undo to the settled cluster
    local old t healed
    old=$(lab_owner "$LAB_FO_IP")
    lab_wait_for "clusapi: the prober hears n$old" 5 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    "$2" "$old"
    measure "$1" "$t" "$old"
    healed=$EPOCHREALTIME
    "$3" "$old"
    settle_clusapi
    if [[ ${4:-} == heal ]]; then
        record "$1: heal" "$(lab_ms_since "$healed")" 0
        NO_OVERLAP["$1: heal"]=1
    fi
    finish_round "$1" "$t"
}

clusapi_move() {
    local old target t call
    old=$(lab_owner "$LAB_FO_IP")
    target=$((old % 3 + 1))
    lab_wait_for "clusapi: the prober hears n$old" 5 lab_probe_answered_by p "n$old"
    lab_op move "$(lab_node_addr 1)" "Cluster Group" "n$target" >"$LAB_DIR/move.out" 2>&1 ||
        echo "bench/failover: move to n$target failed: $(tail -n 1 "$LAB_DIR/move.out")" >&2
    t=$(sed -n 's/^call start=\([0-9.]*\) .*/\1/p' "$LAB_DIR/move.out")
    call=$(sed -n 's/^call start=.* ms=\([0-9.]*\)$/\1/p' "$LAB_DIR/move.out")
    [[ -n $t && -n $call ]] || { echo "bench/failover: lab_op move printed no call time" >&2; exit 1; }
    measure "clusapi planned move" "$t" "$old"
    [[ $MS == - || $(lab_probe_get p takeover_node --from "$t" --old "n$old") == "n$target" ]] ||
        echo "bench/failover: the move to n$target landed elsewhere" >&2
    settle_clusapi
    finish_round "clusapi planned move" "$t"
    record "clusapi move call" "$call" 0
    NO_OVERLAP["clusapi move call"]=1
}

lab_init 3
lab_failover_cluster bench
# Every round makes the owner leave ungracefully: quarantine (docs/failover.md) would soon keep
# nodes from hosting, which is not what is measured here.
lab_clusctl -c n1 property set QuarantineThreshold 0 >/dev/null
lab_start_prober p "$LAB_FO_IP" 3600
echo "bench/failover: clusapi ($RUNS rounds each) ..." >&2
rounds clusapi_round "clusapi kill -9" lab_kill_node lab_start_node
rounds clusapi_round "clusapi link cut" lab_link_down lab_link_up
rounds clusapi_round "clusapi clean stop" lab_stop_node lab_start_node
rounds clusapi_move
rounds clusapi_round "clusapi input dropped" lab_drop_input lab_drop_none heal
rounds clusapi_round "clusapi output dropped" lab_drop_output lab_drop_none heal
rounds clusapi_round "clusapi frozen" lab_freeze_node lab_thaw_node heal
echo "bench/failover: clusapi at its fastest settings ($RUNS rounds each) ..." >&2
lab_clusctl -c n1 property set QuorumLease "$FASTEST_LEASE" >/dev/null
# Each node fences a peer by the longest lease that peer declared in the last 5 s
# (HB_LEASE_MEMORY_MS in src/daemon/health/hb_track.h): the 500 ms one counts until then.
sleep 5
rounds clusapi_round "clusapi fastest kill -9" lab_kill_node lab_start_node
rounds clusapi_round "clusapi fastest link cut" lab_link_down lab_link_up
for i in 1 2 3; do lab_stop_node "$i"; done
lab_wait_for "clusapi stopped: the address released" 10 lab_nobody_holds "$LAB_FO_IP"

# ------------------------------------------------------------------------------------------------
# keepalived
# ------------------------------------------------------------------------------------------------

ka_conf() { # I ADVERT
    local i=$1 j d=$LAB_DIR/ka/n$1
    mkdir -p "$d"
    {
        printf 'global_defs {\n    router_id n%d\n    vrrp_version 3\n' "$i"
        printf '    script_user root\n    enable_script_security\n}\n'
        printf 'vrrp_instance VI_1 {\n    state BACKUP\n    nopreempt\n    interface eth0\n'
        printf '    virtual_router_id 51\n    priority %d\n    advert_int %s\n' \
            $((200 - 10 * i)) "$2"
        printf '    unicast_src_ip %s\n    unicast_peer {\n' "$(lab_node_addr "$i")"
        for j in 1 2 3; do ((j == i)) || printf '        %s\n' "$(lab_node_addr "$j")"; done
        printf '    }\n    virtual_ipaddress {\n        %s/24 dev eth0\n    }\n}\n' "$LAB_FO_IP"
    } >"$d/keepalived.conf"
}

ka_start() { # I
    local d=$LAB_DIR/ka/n$1
    rm -f "$d/keepalived.pid" "$d/vrrp.pid"
    lab_bg "ka-n$1" "$1" keepalived -n -l -D -P -f "$d/keepalived.conf" -p "$d/keepalived.pid" \
        -r "$d/vrrp.pid"
    lab_wait_for "keepalived n$1 started" 10 \
        grep -q 'Entering BACKUP STATE\|Entering MASTER STATE' "$LAB_DIR/bg/ka-n$1.log"
}

# kill -9 of node I's keepalived: the VRRP child first (alone it would be restarted, and killed
# after its parent it would shut down cleanly, with a priority-0 advert that hastens the
# failover), then the parent, in one kill(1) call.
ka_kill() { # I
    local parent child=
    parent=$(lab_bg_pid "ka-n$1")
    [[ -s $LAB_DIR/ka/n$1/vrrp.pid ]] && child=$(<"$LAB_DIR/ka/n$1/vrrp.pid")
    {
        if [[ -n $child && $(awk '{ print $4 }' "/proc/$child/stat") == "$parent" ]]; then
            kill -KILL "$child" "$parent" || true
        fi
        lab_bg_kill "ka-n$1"
    } 2>/dev/null # no job notice for our own kill
}

ka_settled() {
    lab_ip_one_owner "$LAB_FO_IP" && lab_ip_answers "$LAB_FO_IP"
}

# One owner, answering, and still one owner for three advert intervals (two masters after a
# heal settle within one).
ka_settle() { # ADVERT
    local hold
    hold=$(awk -v a="$1" 'BEGIN { print a * 3 }')
    lab_wait_for "keepalived: one owner answering" 30 ka_settled
    lab_holds "$hold" lab_ip_one_owner "$LAB_FO_IP" 2>/dev/null ||
        lab_wait_for "keepalived: one owner again" 30 ka_settled
}

ka_round() { # NAME ADVERT FAULT UNDO
    local old t
    old=$(lab_owner "$LAB_FO_IP")
    lab_wait_for "keepalived: the prober hears n$old" 5 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    "$3" "$old"
    measure "$1" "$t" "$old"
    "$4" "$old"
    ka_settle "$2"
    finish_round "$1" "$t"
}

if ((KA)); then
    for advert in 1 0.1; do
        echo "bench/failover: keepalived, advert_int $advert ($RUNS rounds each) ..." >&2
        for i in 1 2 3; do ka_conf "$i" "$advert"; done
        for i in 1 2 3; do ka_start "$i"; done
        ka_settle "$advert"
        rounds ka_round "keepalived($advert) kill -9" "$advert" ka_kill ka_start
        rounds ka_round "keepalived($advert) link cut" "$advert" lab_link_down lab_link_up
        rounds ka_round "keepalived($advert) input dropped" "$advert" lab_drop_input lab_drop_none
        rounds ka_round "keepalived($advert) output dropped" "$advert" lab_drop_output lab_drop_none
        rounds ka_round "keepalived($advert) frozen" "$advert" lab_freeze_node lab_thaw_node
        for i in 1 2 3; do lab_bg_stop "ka-n$i"; done
        lab_wait_for "keepalived stopped: the address released" 10 lab_nobody_holds "$LAB_FO_IP"
    done
fi
lab_bg_stop p

# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------

med() { tr ' ' '\n' <<<"${times[$1]:-}" | { grep . || true; } | median; } # empty: no times

printf '\ncommand: BUILD_DIR=%s %s %s\n' "$BUILD_DIR" "$0" "$*"
printf 'fault -> the cluster address answers from another node, as the client-side prober saw it\n'
printf '%-34s %8s %8s %8s %8s %8s\n' name median min max overlap failed
for row in "${ROWS[@]}"; do
    v=$(tr ' ' '\n' <<<"${times[$row]:-}" | grep . || true)
    n=$(grep -c . <<<"$v" || true)
    ov="${overlaps[$row]:-0}/$((n + ${fails[$row]:-0}))"
    [[ -z ${NO_OVERLAP[$row]:-} ]] || ov=-
    if ((n)); then
        printf '%-34s %8s %8s %8s %8s %8s\n' "$row" "$(median <<<"$v")" \
            "$(sort -n <<<"$v" | head -n 1)" "$(sort -n <<<"$v" | tail -n 1)" "$ov" \
            "${fails[$row]:-0}"
    else
        printf '%-34s %8s %8s %8s %8s %8s\n' "$row" - - - "$ov" "${fails[$row]:-0}"
    fi
done
printf '(ms; %d rounds each; overlap = rounds in which two nodes answered for the address\n' "$RUNS"
printf ' between the fault and the settled cluster; "planned move" is from the MoveClusterGroup\n'
printf ' call (handles open) to the target answering, "move call" the call itself)\n'
if ((KA)); then
    printf '\nratios keepalived / clusapi (medians):\n'
    for advert in 1 0.1; do
        for f in "kill -9" "link cut" "input dropped" "output dropped" "frozen"; do
            for c in "" "fastest "; do
                a=$(med "keepalived($advert) $f")
                b=$(med "clusapi $c$f")
                [[ -n $a && -n $b ]] || continue
                printf '  %-40s %6.2f   (%s / %s ms)\n' \
                    "advert_int $advert / clusapi ${c:-default }$f" \
                    "$(awk -v a="$a" -v b="$b" 'BEGIN { print a / b }')" "$a" "$b"
            done
        done
    done
    printf '  (a ratio is left out where a side never took over)\n'
    printf '  keepalived kill -9 leaves the address on the killed node until keepalived starts\n'
    printf '  there again (it removes it at start-up); a cut MASTER keeps it until the heal.\n'
fi
printf '\nclusapi defaults: SameSubnetDelay=250 ms and SameSubnetThreshold=3 (Windows lower bounds:\n'
printf 'Down after 750 ms of silence), QuorumLease=0 (twice the delay: a 500 ms lease, fenced after\n'
printf '555 ms of silence).  Fastest: QuorumLease=%s (its lower bound: heartbeats every %s ms,\n' \
    "$FASTEST_LEASE" "$((FASTEST_LEASE / 3))"
printf 'fenced after %s ms of silence; Down still after 750 ms).  A group moves once its owner is\n' \
    "$((FASTEST_LEASE * 101 / 100 + 25))"
printf 'fenced.\n'

