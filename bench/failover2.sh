#!/usr/bin/env bash
# bench/failover2 — two-node clusters: how fast the cluster address moves after a fault on its
# owner, clusapi with and without a witness beside Pacemaker + corosync with two_node and with
# corosync-qnetd, in one lab, watched by one prober.
#
# One 3-namespace lab (tests/lab/lab.sh): n1 and n2 are the cluster's nodes, n3 the third
# machine, which hosts nothing: clusapi's witness (clussvc --witness) or corosync-qnetd.  A
# responder on every node answers the prober (tests/lab/prober in the client namespace: a
# datagram to the address every 10 ms, as a client and by Ethernet broadcast, so that two
# holders are seen: the "overlap" column).  A time is from the fault (the moment before the
# command that makes it) to the first client reply from the other node.  Faults, on the node
# that holds the address, RUNS rounds each (env RUNS, default 5):
#   kill -9     clusapi: SIGKILL to clussvc (then started again).  Pacemaker: SIGKILL, in one
#               kill(1) call, to every cluster daemon of the node (corosync, pacemakerd and its
#               daemons, corosync-qdevice; then started again).  The address stays configured
#               where nothing is left to remove it.
#   link cut    the owner's switch port down, healed after the takeover.
#   clean stop  SIGTERM: clussvc hands its groups and its vote over, then exits; pacemakerd
#               stops its resources (they start on the other node) and its daemons, then
#               corosync-qdevice and corosync stop.  Started again afterwards.
# Topologies:
#   no witness  clusapi: two nodes under dynamic quorum, one of them votes.  The fault hits the
#               owner once as the node without the vote (the rows "no vote": a takeover) and
#               once as the node with it (the rows "the vote"): kill -9 and link cut of the
#               voter are no takeover by design (the cluster stops safely, or keeps the group
#               behind the cut); those rows time the watch window without a takeover and then
#               the service's return after the restart or the heal.  Pacemaker: corosync
#               votequorum two_node: 1 (wait_for_all, as it implies).
#   witness     clusapi: the same cluster with `clusctl quorum set --witness n3` (clussvc
#               --witness on n3), the owner hit whichever node it is.  Pacemaker: corosync-qdevice
#               (model net, algorithm ffsplit, TLS) on n1 and n2, corosync-qnetd on n3.
# Pacemaker's group holds only ocf:heartbeat:IPaddr2, with stonith-enabled=false (no fence
# device in a namespace lab) and resource-stickiness=1, as bench/appfailover.
#
#   sudo [RUNS=5] BUILD_DIR=build bench/failover2.sh [--clusapi-only | --peer-only]
#        [--topology witness | no-witness]
#
# A benchmark, not a test: it reports; it stops (exit 1, lab torn down) only when a cluster
# does not settle again within a minute.  Until clussvc has --witness and clusctl has `quorum
# set`, the clusapi witness rows are left out with a note.  The Pacemaker packages
# (BENCH_PACKAGES in scripts/install-deps.sh) are installed with apt-get when missing.
set -euo pipefail
FO2_HOME=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$(cd "$FO2_HOME/.." && pwd)/build}
export BUILD_DIR
RUNS=${RUNS:-5}
SIDES=both
TOPOLOGIES="no-witness witness"
FO2_ARGS=("$@")
usage() {
    echo "usage: bench/failover2.sh [--clusapi-only | --peer-only]" \
        "[--topology witness | no-witness]" >&2
    exit 2
}
while (($#)); do
    case $1 in
    --clusapi-only) SIDES=clusapi ;;
    --peer-only) SIDES=peer ;;
    --topology)
        [[ ${2:-} == witness || ${2:-} == no-witness ]] || usage
        TOPOLOGIES=$2
        shift
        ;;
    *) usage ;;
    esac
    shift
done
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 1)); then
    echo "failover2: RUNS must be >= 1" >&2
    exit 2
fi
((EUID == 0)) || { echo "failover2: needs root (network namespaces)" >&2; exit 2; }
# shellcheck source=../tests/lab/lab.sh
source "$FO2_HOME/../tests/lab/lab.sh"
# shellcheck source=pcmk_lab.sh
source "$FO2_HOME/pcmk_lab.sh"
# shellcheck source=failover2_clusapi.sh
source "$FO2_HOME/failover2_clusapi.sh"
# shellcheck source=failover2_pcmk.sh
source "$FO2_HOME/failover2_pcmk.sh"

fo2_die() {
    echo "failover2: $*" >&2
    exit 1
}

for t in lab_create lab_nodeinfo prober responder; do
    [[ -x $(lab__tool "$t") ]] || fo2_die "$(lab__tool "$t") not built (set BUILD_DIR)"
done
if [[ $SIDES != clusapi ]]; then
    # shellcheck source=../scripts/install-deps.sh
    BENCH_ONLY=1 source "$FO2_HOME/../scripts/install-deps.sh"
    install_bench_packages || fo2_die "could not install ${BENCH_PACKAGES[*]}"
fi

FO2_NODES="1 2" # the cluster's nodes
FO2_THIRD=3     # the witness, or corosync-qnetd
FO2_HOLD=5      # seconds watched for a takeover that must not come (> 3x any takeover seen)
FO2_SETTLE=60   # seconds a cluster has to settle after a round

# ------------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------------

declare -A TIMES OVERLAPS FAILS TAKEN WATCHED
ROWS=()
SAFE_ROWS=()
NOTES=()

median() {
    sort -n | awk '{ v[NR] = $1 }
        END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# One round of ROW, listed in the array named LIST at its first round: MS, or "-" for a round
# that did not end as it should; OVERLAP 1 if two nodes answered at once.
fo2_add() { # LIST ROW MS OVERLAP
    local -n list=$1
    [[ -n ${TIMES[$2]+x} || -n ${FAILS[$2]+x} ]] || list+=("$2")
    if [[ $3 == - ]]; then
        FAILS[$2]=$((${FAILS[$2]:-0} + 1))
    else
        TIMES[$2]+="$3 "
    fi
    OVERLAPS[$2]=$((${OVERLAPS[$2]:-0} + $4))
}

# record ROW MS OVERLAP — one round of a takeover row: MS, or "-" without a takeover.
record() {
    fo2_add ROWS "$@"
    printf 'failover2: %-40s %8s ms\n' "$1" "$2" >&2
}

# record_safe ROW MS OVERLAP TAKEN_BY — one round of a no-takeover row: MS from the restart or
# the heal to the first answer, TAKEN_BY the node that answered during the watch (empty: none).
record_safe() {
    fo2_add SAFE_ROWS "$1" "$2" "$3"
    [[ -z $4 ]] || TAKEN[$1]=$((${TAKEN[$1]:-0} + 1))
    WATCHED[$1]=$((${WATCHED[$1]:-0} + 1))
    printf 'failover2: %-40s %8s ms after the undo%s\n' "$1" "$2" "${4:+ (taken over by $4!)}" >&2
}

# ------------------------------------------------------------------------------------------------
# Rounds
# ------------------------------------------------------------------------------------------------

# True once a node other than nOLD has answered a client probe sent since T.
took_over() { # T OLD
    [[ -n $(lab_probe_get p takeover_node --from "$1" --old "n$2") ]]
}

answered_since() { # T
    [[ $(lab_probe_get p first_reply_ms --from "$1") != -1 ]]
}

# One round of row ROW on the owner: FAULT I at T, the takeover timed, UNDO I, then SETTLE I
# (a command that waits until the cluster is whole again, given the faulted node).
fo2_round() { # ROW FAULT UNDO SETTLE
    local old t ms=-
    old=$(lab_owner "$LAB_FO_IP") || fo2_die "$1: no single owner before the fault"
    lab_wait_for "$1: the prober hears n$old" 10 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    "$2" "$old"
    if lab_poll "$FO2_SETTLE" took_over "$t" "$old"; then
        ms=$(lab_probe_get p takeover_ms --from "$t" --old "n$old")
    else
        echo "failover2: $1: the other node did not answer within $FO2_SETTLE s" >&2
    fi
    "$3" "$old"
    "$4" "$old"
    record "$1" "$ms" "$(lab_probe_get p overlap --from "$t")"
}

# One round of a row where no takeover is the design: FAULT I on the owner at T, FO2_HOLD
# seconds watched (any answer from the other node is counted), UNDO I at T2, then the time from
# T2 to the first answer from any node; SETTLE I as in fo2_round.
fo2_no_takeover_round() { # ROW FAULT UNDO SETTLE
    local old t t2 ms=- taken
    old=$(lab_owner "$LAB_FO_IP") || fo2_die "$1: no single owner before the fault"
    lab_wait_for "$1: the prober hears n$old" 10 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    "$2" "$old"
    lab_wait_for "$1: watched for $FO2_HOLD s" $((FO2_HOLD + 10)) \
        lab_probe_watched p "$t" "$FO2_HOLD"
    t2=$EPOCHREALTIME
    taken=$(lab_probe_get p takeover_node --from "$t" --to "$t2" --old "n$old")
    "$3" "$old"
    if lab_poll "$FO2_SETTLE" answered_since "$t2"; then
        ms=$(lab_probe_get p first_reply_ms --from "$t2")
    else
        echo "failover2: $1: nothing answered within $FO2_SETTLE s of the undo" >&2
    fi
    "$4" "$old"
    record_safe "$1" "$ms" "$(lab_probe_get p overlap --from "$t")" "$taken"
}

# RUNS rounds of ROUND ROW ARGS..., each after PREPARE (a command run before every round).
fo2_rounds() { # PREPARE ROUND ROW ARGS...
    local prepare=$1 r
    shift
    for ((r = 0; r < RUNS; r++)); do
        "$prepare"
        "$@"
    done
}

# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------

med() { tr ' ' '\n' <<<"${TIMES[$1]:-}" | { grep . || true; } | median; }

fo2_row_line() { # ROW EXTRA
    local v n
    v=$(tr ' ' '\n' <<<"${TIMES[$1]:-}" | { grep . || true; })
    n=$(grep -c . <<<"$v" || true)
    if ((n)); then
        printf '%-40s %8s %8s %8s %7s %6s%s\n' "$1" "$(median <<<"$v")" \
            "$(sort -n <<<"$v" | head -n 1)" "$(sort -n <<<"$v" | tail -n 1)" \
            "${OVERLAPS[$1]:-0}/$((n + ${FAILS[$1]:-0}))" "${FAILS[$1]:-0}" "${2:-}"
    else
        printf '%-40s %8s %8s %8s %7s %6s%s\n' "$1" - - - \
            "${OVERLAPS[$1]:-0}/${FAILS[$1]:-0}" "${FAILS[$1]:-0}" "${2:-}"
    fi
}

# One ratio line: Pacemaker's row P over clusapi's row C (medians), when both ran.
fo2_ratio() { # LABEL P C
    local a b
    a=$(med "$2")
    b=$(med "$3")
    [[ -n $a && -n $b ]] || return 0
    printf '  %-44s %6.1f   (%s / %s ms)\n' "$1" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$a" "$b"
}

# True if any row ran whose name starts with PREFIX.
fo2_ran() { # PREFIX
    local row
    for row in "${ROWS[@]}" "${SAFE_ROWS[@]}"; do
        [[ $row != "$1"* ]] || return 0
    done
    return 1
}

fo2_report_rows() {
    local row
    printf 'fault -> the cluster address answers from the other node, as the client-side prober'
    printf ' saw it\n'
    printf '%-40s %8s %8s %8s %7s %6s\n' row median min max overlap failed
    for row in "${ROWS[@]}"; do fo2_row_line "$row"; done
    printf '(ms; %s rounds each; overlap = rounds in which two nodes answered for the address\n' \
        "$RUNS"
    printf ' from the fault until the cluster settled; failed = no takeover within %s s)\n' \
        "$FO2_SETTLE"
    ((${#SAFE_ROWS[@]})) || return 0
    printf '\nno takeover (safe stop), by design: two nodes without a witness, the node with'
    printf ' the vote\n'
    printf '%-40s %8s %8s %8s %7s %6s  %s\n' row median min max overlap failed \
        "taken over in ${FO2_HOLD} s"
    for row in "${SAFE_ROWS[@]}"; do
        fo2_row_line "$row" "  ${TAKEN[$row]:-0}/${WATCHED[$row]:-0}"
    done
    printf '(ms from the restart (kill -9) or the heal (link cut) to the first answer, after\n'
    printf ' %s s watched for an answer from the other node: none is the safe outcome)\n' \
        "$FO2_HOLD"
}

fo2_report_ratios() {
    local f
    printf '\nratios Pacemaker / clusapi (medians):\n'
    for f in "kill -9" "link cut" "clean stop"; do
        fo2_ratio "two_node / no witness (no vote), $f" "Pacemaker two_node $f" \
            "clusapi no witness, $f, no vote"
    done
    fo2_ratio "two_node / no witness (the vote), clean stop" "Pacemaker two_node clean stop" \
        "clusapi no witness, clean stop, the vote"
    for f in "kill -9" "link cut" "clean stop"; do
        fo2_ratio "qnetd / witness, $f" "Pacemaker qnetd $f" "clusapi witness, $f"
    done
}

fo2_report() {
    local note
    printf '\ncommand: RUNS=%s BUILD_DIR=%s bash %s%s\n' "$RUNS" "$BUILD_DIR" "$0" \
        "${FO2_ARGS[*]:+ ${FO2_ARGS[*]}}"
    fo2_report_rows
    if fo2_ran clusapi && fo2_ran Pacemaker; then fo2_report_ratios; fi
    for note in "${NOTES[@]}"; do printf '\n%s\n' "$note"; done
    if fo2_ran clusapi; then
        cat <<'EOF'

clusapi at its defaults: SameSubnetDelay 250 ms x SameSubnetThreshold 3, QuorumLease 500 ms,
DynamicQuorum 1 (without a witness one of the two nodes votes).  The resource host of a
clussvc killed or cut off from the majority removes the address when its lease runs out,
before another node may take it.
EOF
    fi
    if fo2_ran Pacemaker; then
        cat <<'EOF'

Pacemaker: fencing is off (stonith-enabled=false: no fence device in the lab), which
Pacemaker's documentation warns against, above all with two_node.  A node whose daemons were
killed keeps the address (nothing is left to remove it) until its stack is back and the
multiple-active recovery stops one copy; a cut-off node keeps it until it loses quorum (never
with two_node; with qnetd once its device's vote lapses) or the link heals.  corosync token
3000 ms, consensus 3600 ms; IPaddr2 monitor every 10 s; corosync-qdevice timeout 10000 ms.
EOF
    fi
}

# ------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------

lab_init 3
LAB_FO_IP=$(lab_cluster_ip 0)
lab_start_responders || fo2_die "the responders did not start"
if [[ $SIDES != peer ]]; then clusapi_run; fi
if [[ $SIDES != clusapi ]]; then pcmk_run; fi
fo2_report
