#!/bin/bash
# scenario_failover_lossy.sh — a lossy link at the owner: 10 %, 30 % and 50 % of the packets
# arriving at it dropped at random (nftables numgen), 8 s each, then the same on its output,
# watched from the client.
#
# Heartbeats go every SameSubnetDelay and each is acknowledged at once, and a lease needs one
# echo from a majority within two delays: light loss costs nothing, heavy loss makes the owner's
# lease lapse now and then, and the others fence and take over a node they stop hearing. What
# must hold at every rate: never two answerers and, once the loss ends, every node Up and one
# owner named by all, and no outage longer than OUTAGE_LIMIT_MS. The longest outage of each round
# is printed; docs/failover.md ("Lossy links") has what they measured.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools
lab_require_cmd nft

LOSS_SECONDS=8
# A lapse and the lease back, or a takeover (a node confirms only while its leader's messages
# come steadily: consensus_link.h): about twice the longest outage measured (0.73 s).
OUTAGE_LIMIT_MS=2000

lab_init 3
lab_failover_cluster folossy
lab_start_prober p "$LAB_FO_IP" 300

steady() { # I — node I is Up for every node and the group settled
    local v
    for v in 1 2 3; do lab_node_state_is "$v" "$1" Up || return 1; done
    lab_fo_settled "1 2 3"
}

lossy_round() { # DIRECTION PERCENT
    local label="$1 loss $2 %" owner t ms
    owner=$(lab_owner "$LAB_FO_IP") || lab_fail "$label: exactly one owner before the fault"
    lab_wait_for "$label: the prober hears n$owner" 3 lab_probe_answered_by p "n$owner"
    t=$EPOCHREALTIME
    "lab_lose_$1" "$owner" "$2"
    # the loss lasts a set time: its end is the fault's, not a wait for a condition
    sleep "$LOSS_SECONDS"
    lab_drop_none "$owner"
    lab_assert_within "$label: healed, every node Up, one owner named by all" 20 steady "$owner"
    ms=$(lab_probe_get p longest_gap_ms --from "$t")
    printf '%s on n%s: longest outage %s ms, the group now on n%s\n' "$label" "$owner" "$ms" \
        "$(lab_owner "$LAB_FO_IP")"
    lab_assert -m "$label: no outage longer than $OUTAGE_LIMIT_MS ms ($ms ms)" \
        lab_probe_at_most p longest_gap_ms "$OUTAGE_LIMIT_MS" --from "$t"
    lab_assert -m "$label: never two answerers" lab_probe_is p double_answers 0 --from "$t"
}

# Rounds add up to departures and failovers; quarantine (failover_flap) and FailoverThreshold
# (app_policy) have their own scenarios, so here they are out of the way and every round starts
# from the same rules.
lab_clusctl -c n1 property set QuarantineThreshold 0 >/dev/null
lab_clusctl -c n1 group set "Cluster Group" FailoverThreshold=100 >/dev/null
for pct in 10 30 50; do lossy_round input "$pct"; done
for pct in 10 30 50; do lossy_round output "$pct"; done
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_lossy"
