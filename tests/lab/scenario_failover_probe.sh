#!/bin/bash
# scenario_failover_probe.sh — the failover scenarios' eyes, checked: tests/lab/responder and
# tests/lab/prober without any clussvc, with the address placed by hand, so that a prober that
# could not see an overlap would fail here rather than pass everywhere else.
#   - the address on n1: every probe answered by n1, no overlap;
#   - the address on n1 and n2 at once: double answers (the broadcast probes reach both), overlap;
#   - n1 drops it, so n2 alone answers, and n2 hands it to n1 100 ms later: a "return" (n1, n2,
#     n1 within the window), overlap; no double answer there;
#   - nobody holds it: no reply, and the prober says so (last_reply_ms=-1).
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_probe_tools

lab_init 3
lab_start_responders
ip=$(lab_cluster_ip 0)
lab_start_prober p "$ip" 60

holds() { # I — node I has the address, and announces it
    lab_node "$1" ip addr add "$ip/24" dev eth0
    lab_node "$1" arping -q -U -c1 -w1 -I eth0 "$ip" >/dev/null 2>&1 || true
}
drops() { lab_node "$1" ip addr del "$ip/24" dev eth0; }

t=$EPOCHREALTIME
holds 1
lab_wait_for "probe: n1 answers" 3 lab_probe_answered_by p n1 --from "$t"
lab_wait_for "probe: 1 s watched" 3 lab_probe_watched p "$t" 1
t1=$EPOCHREALTIME
lab_assert -m "probe: alone, n1 answered" lab_probe_is p sequence n1 --from "$t"
lab_assert -m "probe: alone, no overlap" lab_probe_is p overlap 0 --from "$t"
lab_assert -m "probe: alone, not one probe unanswered since the first answer" \
    lab_probe_at_most p longest_gap_ms 50 --from "$t"

holds 2
lab_wait_for "probe: n2 answers too" 3 lab_probe_is p overlap 1 --from "$t1"
lab_wait_for "probe: 0.5 s watched" 3 lab_probe_watched p "$t1" 0.5
t2=$EPOCHREALTIME
lab_assert -m "probe: two holders: double answers seen" \
    lab_probe_nonzero p double_answers --from "$t1"
lab_assert -m "probe: two holders: both named" lab_probe_is p nodes n1,n2 --from "$t1"

drops 1
lab_wait_for "probe: n2 alone answers" 3 lab_probe_answered_by p n2 --from "$t2"
t3=$EPOCHREALTIME
lab_wait_for "probe: n2 answered" 3 lab_probe_is p last_node n2 --from "$t3"
drops 2
holds 1
lab_wait_for "probe: n1 answers again" 3 lab_probe_answered_by p n1 --from "$t3"
lab_wait_for "probe: 0.5 s watched" 3 lab_probe_watched p "$t3" 0.5
lab_assert -m "probe: n1, n2, n1 within the window: a return, so an overlap" \
    lab_probe_is p overlap 1 --from "$t2"
lab_assert -m "probe: ... counted as a return" lab_probe_nonzero p returns --from "$t2"
lab_assert -m "probe: ... and n1 answered after n2 took over" \
    lab_probe_nonzero p old_after_takeover --from "$t3" --old n1
lab_assert -m "probe: ... but never two holders at once" \
    lab_probe_is p double_answers 0 --from "$t3"

drops 1
t4=$EPOCHREALTIME
lab_wait_for "probe: 0.5 s watched with nobody" 3 lab_probe_watched p "$t4" 0.5
lab_assert -m "probe: nobody holds it: no reply after 50 ms" lab_probe_quiet_after p "$t4" 50
t5=$EPOCHREALTIME
lab_wait_for "probe: 0.3 s more" 3 lab_probe_watched p "$t5" 0.3
lab_assert -m "probe: no reply at all says last_reply_ms=-1" \
    lab_probe_is p last_reply_ms -1 --from "$t5"
lab_bg_stop p
lab_assert -m "probe: the prober ended on SIGTERM with its summary" \
    grep -q '^overlap=1$' "$LAB_DIR/bg/p.log"
lab_pass "failover_probe"
