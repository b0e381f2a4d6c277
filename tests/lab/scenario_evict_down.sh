#!/bin/bash
# scenario_evict_down.sh — EvictClusterNode of the owner the moment the others list it Down, with
# a lease longer than the Down verdict (QuorumLease 4000 ms: Down after 750 ms of silence, fenced
# only after ~4.4 s). The owner's link is cut, so it still holds the cluster IP, out of the
# client's sight, until its lease runs out; the eviction must not start the group elsewhere
# before then. Checked on the nodes' own logs (one clock: the lab's nodes share the machine):
# the new owner brings the address online no earlier than the old owner took it down. Then the
# eviction's result (5896 ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP: the node cannot be reached), the
# address answering from a member, and the evicted node wiping itself once its link is back.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools
lab_require_tool lab_op

export CLUSSVC_LOG_TIME=1 # wall-clock times in the logs, compared across nodes below
LEASE_MS=4000

lab_init 3
lab_failover_cluster foevict
lab_assert -m "QuorumLease $LEASE_MS" lab_clusctl -c n1 property set QuorumLease "$LEASE_MS"
old=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner before the fault"
others=$(lab_others "$old")
via=${others%% *}
# A node fences a peer by the lease that peer declares: wait until both others heard the owner
# declare the new one (each logs it).
old_id=$(lab_nodeinfo "$old" node_id)
heard_lease() { # I — node I heard the owner declare the new lease
    grep -q "hb: node $old_id declares a $LEASE_MS ms lease" "$LAB_DIR/n$1/clussvc.log"
}
for i in $others; do
    lab_assert_within "n$i heard n$old declare a $LEASE_MS ms lease" 10 heard_lease "$i"
done

# first_after FILE REGEX — the time ("SECONDS.MS") of the first line of node log FILE that
# matches REGEX and is logged at or after the cut (lines read "<P>SECONDS.MS text").
first_after() {
    awk -v t="$t" -v re="$2" '$0 ~ re { s = substr($1, 4); if (s + 0 >= t + 0) { print s; exit } }' "$1"
}

t=$EPOCHREALTIME
lab_link_down "$old"
lab_assert_within "n$via lists n$old Down" 5 lab_node_state_is "$via" "$old" Down
down_ms=$(lab_ms_since "$t")
printf 'n%s listed Down %s ms after its link was cut\n' "$old" "$down_ms"
lab_op evict "$(lab_node_addr "$via")" "n$old" 1000 >"$LAB_DIR/evict.out" 2>&1 || true
st=$(lab_result_status "$LAB_DIR/evict.out" || echo none)
lab_assert -m "evict n$old: 5896 (ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP), got $st" test "$st" = 5896
lab_assert_within "the address answers from a member" 15 lab_ip_answers "$LAB_FO_IP"
new=$(lab_owner "$LAB_FO_IP") || lab_fail "exactly one owner (the cut node's copy is gone)"
lab_assert -m "the new owner n$new is another node" test "$new" != "$old"

# The old owner's address goes when its lease does: removed by its resource host, or by its
# own terminate (logged once everything is offline), whichever comes first.
gone=$(first_after "$LAB_DIR/n$old/clussvc.log" \
    "rhs: removed $LAB_FO_IP|Cluster IP Address is offline|resources taken offline")
online=$(first_after "$LAB_DIR/n$new/clussvc.log" "rgm: Cluster IP Address is online")
lab_assert -m "n$old logged the address gone after the cut" test -n "$gone"
lab_assert -m "n$new logged the address online after the cut" test -n "$online"
printf 'cut %s; n%s dropped the address at +%s ms; n%s brought it online at +%s ms\n' "$t" \
    "$old" "$(awk -v a="$t" -v b="$gone" 'BEGIN { printf "%d", (b - a) * 1000 }')" "$new" \
    "$(awk -v a="$t" -v b="$online" 'BEGIN { printf "%d", (b - a) * 1000 }')"
lab_assert -m "n$new started the address no earlier than n$old dropped it" \
    awk -v a="$gone" -v b="$online" 'BEGIN { exit !(b >= a) }'

lab_link_up "$old"
lab_assert_within "n$old, back, wipes itself" 20 lab_nodeinfo_is "$old" state=1
lab_assert -m "n$old does not hold the address" \
    lab_not grep -qx "$old" <<<"$(lab_ip_owners "$LAB_FO_IP")"
lab_assert_within "the cluster lists only the others" 15 \
    lab_members_are "$via" "$(lab_names "$others")"
lab_assert -m "the address answers" lab_ip_answers "$LAB_FO_IP"
lab_pass "evict_down"
