#!/bin/bash
# scenario_failover_flap.sh — the owner's link flaps: down for 600–1000 ms (longer than the
# lease, so each outage costs the node its lease) and up for 500–900 ms (long enough for its
# confirmation to commit), until the cluster has quarantined the node and 3 s more (30 s at
# most), watched from the client.
#
# Each time the owner's lease lapses (or the others fence it) it has left the cluster
# ungracefully; at the third such departure within the hour (QuarantineThreshold, Windows'
# default) the cluster quarantines it: its groups move to a stable node and stay there while the
# link goes on flapping, instead of following the node through one outage after another.
# Throughout: never two answerers. Afterwards the node is a member again, marked quarantined
# (clusctl node list; StatusInformation carries NodeStatusQuarantined), and hosts nothing; once
# resumed (ResumeClusterNode ends a quarantine early) it may host groups again.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
source "$(dirname "$0")/lab_app.sh"
lab_require_setup_tools
lab_require_probe_tools

FLAP_SECONDS=30

lab_init 3
lab_failover_cluster foflap
lab_start_prober p "$LAB_FO_IP" 300

# quarantined I [VIA] — node I is listed as quarantined (asked through node VIA, default 1).
quarantined() {
    lab_clusctl -c "n${2:-1}" node list | grep -q "^n$1 .*(quarantined)"
}

old=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner before the fault"
via=$(lab_others "$old" | cut -d' ' -f1)
lab_wait_for "the prober hears n$old" 3 lab_probe_answered_by p "n$old"
t=$EPOCHREALTIME
# The fault is a pattern in time: its pauses are the fault, not waits for a condition.
stop=$LAB_DIR/flap.stop
(
    end=$((SECONDS + FLAP_SECONDS))
    while ((SECONDS < end)) && [[ ! -e $stop ]]; do
        lab_link_down "$old"
        sleep "$(printf '0.%03d' $((600 + RANDOM % 400)))"
        lab_link_up "$old"
        sleep "$(printf '0.%03d' $((500 + RANDOM % 400)))"
    done
) &
flapper=$!
lab_assert_within "the flapping n$old is quarantined" "$FLAP_SECONDS" quarantined "$old" "$via"
printf 'n%s quarantined %s ms after its link began to flap\n' "$old" "$(lab_ms_since "$t")"
lab_assert_within "the group is on another node" 10 lab_not lab_probe_answered_by p "n$old"
lab_assert -m "while n$old flaps on, the group stays away from it" \
    lab_holds 3 lab_not lab_probe_answered_by p "n$old"
touch "$stop"
wait "$flapper"
lab_link_up "$old"
lab_assert_within "n$old rejoined (Running, committed, same database)" 30 \
    lab_rejoined "$old" "$(lab_others "$old")"
lab_assert_within "one owner, named by every node, answering" 20 lab_fo_settled "1 2 3"
lab_assert -m "n$old still hosts nothing" test "$(lab_owner "$LAB_FO_IP")" != "$old"
lab_assert -m "n$old is still quarantined" quarantined "$old" "$via"
lab_clusctl -c "n$via" node get "n$old" StatusInformation >"$LAB_DIR/status.out"
lab_assert -m "StatusInformation says NodeStatusQuarantined (2)" grep -qw 2 "$LAB_DIR/status.out"
lab_assert -m "no overlap while it flapped" lab_probe_is p overlap 0 --from "$t"
ms=$(lab_probe_get p longest_gap_ms --from "$t")
printf 'longest outage while n%s flapped: %s ms\n' "$old" "$ms"
lab_assert -m "no outage of more than 3 s while it flapped ($ms ms)" \
    lab_probe_at_most p longest_gap_ms 3000 --from "$t"

lab_clusctl -c "n$via" node resume "n$old" >/dev/null
lab_assert_within "resumed: n$old is no longer quarantined" 5 lab_not quarantined "$old" "$via"
lab_clusctl -c "n$via" group move "Cluster Group" --node "n$old" >/dev/null
lab_assert_within "resumed: n$old hosts the group again" 15 lab_fo_settled "1 2 3"
lab_assert -m "the group is on n$old" test "$(lab_owner "$LAB_FO_IP")" = "$old"
lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_flap"
