#!/bin/bash
# scenario_failover_partition.sh — network partitions, watched from the client.
#
# lab_partition cuts node-to-node traffic only, so the prober (in the client namespace, probing
# as a client and by Ethernet broadcast) still reaches every side and sees whoever holds the
# address; lab_link_down cuts a node off from everyone.
#   2|1, a non-owner alone: the majority, owner included, keeps the address the whole time;
#        the isolated node never answers.  Heal: it rejoins; one owner.
#   2|1, the owner alone: the majority answers within 3 s; the old owner, still reachable from
#        the client, never answers again after that.  Heal: one owner, no overlap.
#   1|1|1 by cutting all three links: no namespace holds the address 1 s after the cut, nor
#        for 2 s after; the prober hears nothing after 1 s.  Heal: exactly one owner again.
#   1|1|1 by partition, every node still reachable from the client: the prober hears nobody
#        after at most 1 s (the leases have run out), for 3 s; heal: exactly one owner again.
# And over the whole run: no overlap.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_setup_tools
lab_require_probe_tools

lab_init 3
lab_failover_cluster fopart
lab_start_prober p "$LAB_FO_IP" 110
ALL="1 2 3"

# Heals everything, waits until every node has rejoined and one owner answers, then watches
# 3 s; no overlap since T.
heal_and_settle() { # LABEL T
    local label=$1 t=$2 t2 i
    lab_heal
    for i in 1 2 3; do lab_link_up "$i"; done
    for i in 1 2 3; do
        lab_assert_within "$label, healed: n$i rejoined" 30 lab_rejoined "$i" "$(lab_others "$i")"
    done
    lab_assert_within "$label, healed: exactly one owner, named by every node, answering" 20 \
        lab_fo_settled "$ALL"
    t2=$EPOCHREALTIME
    lab_wait_for "$label, healed: the prober watched 3 s" 10 lab_probe_watched p "$t2" 3
    lab_assert -m "$label, healed: no overlap since the partition" \
        lab_probe_is p overlap 0 --from "$t"
    lab_assert -m "$label, healed: still exactly one owner" lab_ip_one_owner "$LAB_FO_IP"
}

# --- 2|1 with a non-owner alone ---------------------------------------------------------------
owner=$(lab_owner "$LAB_FO_IP") || lab_fail "2|1 non-owner: one owner before the partition"
read -r x y <<<"$(lab_others "$owner")"
lab_wait_for "2|1 non-owner: the prober hears n$owner" 3 lab_probe_answered_by p "n$owner"
t=$EPOCHREALTIME
lab_partition "$owner $y" "$x"
lab_assert_within "2|1 non-owner: n$owner sees n$x Down" 5 lab_node_state_is "$owner" "$x" Down
lab_wait_for "2|1 non-owner: the prober watched 2 s" 5 lab_probe_watched p "$t" 2
lab_assert -m "2|1 non-owner: only n$owner answered, all along" \
    lab_probe_is p sequence "n$owner" --from "$t"
lab_assert -m "2|1 non-owner: no probe went unanswered for 100 ms" \
    lab_probe_at_most p longest_gap_ms 100 --from "$t"
lab_assert -m "2|1 non-owner: n$owner alone holds the address" \
    test "$(lab_owner "$LAB_FO_IP")" = "$owner"
heal_and_settle "2|1 non-owner" "$t"

# --- 2|1 with the owner alone ---------------------------------------------------------------
old=$(lab_owner "$LAB_FO_IP")
lab_wait_for "2|1 owner: the prober hears n$old" 3 lab_probe_answered_by p "n$old"
t=$EPOCHREALTIME
lab_partition "$old" "$(lab_others "$old")"
lab_assert_takeover "2|1 owner" p "$old" "$t"
printf '2|1 owner: the majority answered %s ms after the partition\n' "$LAB_TAKEOVER_MS"
lab_wait_for "2|1 owner: the prober watched 2 s more" 5 lab_probe_watched p "$t" 3
lab_assert -m "2|1 owner: n$old, reachable from the client, never answered again" \
    lab_probe_is p old_after_takeover 0 --from "$t" --old "n$old"
lab_assert -m "2|1 owner: n$old does not hold the address" \
    lab_not grep -qx "$old" <<<"$(lab_ip_owners "$LAB_FO_IP")"
heal_and_settle "2|1 owner" "$t"

# --- 1|1|1 by cutting every link -------------------------------------------------------------
t=$EPOCHREALTIME
for i in 1 2 3; do lab_link_down "$i"; done
lab_assert_within "1|1|1 links: within 1 s nobody holds the address" 1 \
    lab_nobody_holds "$LAB_FO_IP"
lab_assert -m "1|1|1 links: and for 2 s nobody takes it" lab_holds 2 lab_nobody_holds "$LAB_FO_IP"
lab_assert -m "1|1|1 links: the prober heard no answer more than 1 s after the cut" \
    lab_probe_quiet_after p "$t" 1000
heal_and_settle "1|1|1 links" "$t"

# --- 1|1|1 by partition, in sight of the client ----------------------------------------------
t=$EPOCHREALTIME
lab_partition 1 2 3
lab_wait_for "1|1|1: the prober watched 3 s" 8 lab_probe_watched p "$t" 3
lab_assert -m "1|1|1: the prober heard no answer more than 1 s after the partition" \
    lab_probe_quiet_after p "$t" 1000
lab_assert -m "1|1|1: nobody holds the address" lab_nobody_holds "$LAB_FO_IP"
heal_and_settle "1|1|1" "$t"

lab_bg_stop p
lab_assert -m "whole run: no overlap" lab_probe_is p overlap 0
lab_pass "failover_partition"
