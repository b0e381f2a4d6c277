#!/bin/bash
# scenario_failover_soak.sh — random faults, round after round, under one prober.
#
# A 3-node cluster holds its address; the prober (tests/lab/prober, as a client and by Ethernet
# broadcast) runs for the whole soak.  Each of SOAK_ROUNDS rounds (default 50) picks a node at
# random, owner or not, and a fault: kill -9 of its clussvc (undone by a restart), its link cut
# (undone by a heal) or its clussvc paused (undone by SIGCONT).  Most faults are held until the
# cluster has noticed — the address answers from a survivor when the node was the owner,
# otherwise the owner lists the node Down; one in four is held only a random 50-800 ms, which
# puts the undo near the lease's end, where a node that half-lost its lease comes back.  After
# the undo the round waits for the node to rejoin and for one owner that every node names and
# the client reaches; then since the fault: no overlap, and no answer from an owner that lost
# the address after its successor answered.  At the end: no overlap over the whole run, and the
# failover times seen (median, max).
#
#   SOAK_ROUNDS=500 SOAK_SEED=42 tests/lab/run.sh failover_soak   (LAB_SCENARIO_TIMEOUT to match)
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

ROUNDS=${SOAK_ROUNDS:-50}
SEED=${SOAK_SEED:-$((${EPOCHREALTIME//[!0-9]/} % 100000))}
RANDOM=$SEED
echo "soak: $ROUNDS rounds, seed $SEED (SOAK_SEED=$SEED reproduces the choices)"
ALL="1 2 3"
FAULTS=(kill link pause)

lab_init 3
lab_failover_cluster fosoak
# Every round faults the owner, whichever it is: quarantine (failover_flap) would soon bar a node
# the rounds expect to take the group over.
lab_assert -m "quarantine off (QuarantineThreshold 0)" \
    lab_clusctl -c n1 property set QuarantineThreshold 0
lab_start_prober p "$LAB_FO_IP" 3600

fault() { # KIND I
    case $1 in
    kill) lab_kill_node "$2" ;;
    link) lab_link_down "$2" ;;
    pause) lab_pause_node "$2" ;;
    esac
}

undo() { # KIND I
    case $1 in
    kill) lab_start_node "$2" ;;
    link) lab_link_up "$2" ;;
    pause) lab_resume_node "$2" ;;
    esac
}

declare -a times=()
declare -A count=()
for ((r = 1; r <= ROUNDS; r++)); do
    i=$((RANDOM % 3 + 1))
    kind=${FAULTS[RANDOM % 3]}
    brief=$((RANDOM % 4 == 0 ? 50 + RANDOM % 750 : 0))
    owner=$(lab_owner "$LAB_FO_IP") || lab_fail "round $r: one owner before the fault"
    label="round $r: $kind n$i"
    ((i != owner)) || label+=" (owner)"
    ((brief == 0)) || label+=" for $brief ms"
    count[$kind]=$((${count[$kind]:-0} + 1))
    t=$EPOCHREALTIME
    fault "$kind" "$i" || lab_fail "$label: the fault could not be made"
    if ((brief)); then
        sleep "0.$(printf '%03d' "$brief")" # the fault's length is the point: nothing to await
    elif ((i == owner)); then
        lab_assert_takeover "$label" p "$i" "$t"
        times+=("$LAB_TAKEOVER_MS")
    else
        lab_wait_for "$label: n$owner lists n$i Down" 5 lab_node_state_is "$owner" "$i" Down
    fi
    undo "$kind" "$i" || lab_fail "$label: the fault could not be undone"
    lab_wait_for "$label: n$i rejoined" 30 lab_rejoined "$i" "$(lab_others "$i")"
    lab_wait_for "$label: one owner, named by every node, answering" 20 lab_fo_settled "$ALL"
    lab_assert -m "$label: no overlap since the fault" lab_probe_is p overlap 0 --from "$t"
    lab_assert -m "$label: the previous owner n$owner never answered after its successor" \
        lab_probe_is p old_after_takeover 0 --from "$t" --old "n$owner"
done
lab_bg_stop p

lab_assert -m "soak: whole run ($ROUNDS rounds): no overlap" lab_probe_is p overlap 0
printf 'soak: faults: kill %d, link %d, pause %d; failovers timed: %d\n' "${count[kill]:-0}" \
    "${count[link]:-0}" "${count[pause]:-0}" "${#times[@]}"
if ((${#times[@]})); then
    printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "soak: failover (fault to a survivor answering): median %.1f ms, max %.1f ms\n", m, v[NR] }'
fi
lab_pass "failover_soak ($ROUNDS rounds, seed $SEED)"
