#!/usr/bin/env bash
# scenario_chaos.sh — a randomized soak on five nodes while a client commits changes.
# CHAOS_TOPOLOGY=witness runs it on two nodes and a witness instead (scenario_chaos_witness.sh):
# faults then hit either node or the witness (never evict or move to the witness), and every
# check below covers the three.
#
# CHAOS_ROUNDS rounds (default 25; the long run: CHAOS_ROUNDS=200), each one fault on a random
# node (the cluster address's owner half of the time), undone before the next:
#   kill     kill -9 of its clussvc, then started again
#   link     its link cut for 0.5-2 s, then healed
#   pause    its clussvc frozen (SIGSTOP) for 0.5-2 s, then resumed
#   freeze   every process of the node frozen (a paused VM) for 0.5-2 s, then thawed
#   deaf     every packet arriving at it dropped for 0.5-2 s (it still sends), then healed
#   mute     every packet leaving it dropped for 0.5-2 s (it still hears), then healed
#   lossy    30-50 % of the packets arriving at it, or leaving it, lost for 1-4 s, then healed
#   flap     its link down and up, each for 100-500 ms, for 0.5-2 s, then up
#   full     its state directory (a 64 MiB tmpfs, as every node's here) filled to 8 MiB free
#            for 1-4 s (a storage fault: docs/failover.md), then freed
#   restart  its clussvc stopped cleanly, then started again
#   evict    evicted through another node (it wipes itself), then added back
#   move     the Cluster Group moved to it (or elsewhere if it owns it)
# After each round every node must be back (Running, committed, same database) and one owner
# must answer for the address; after a fault on the owner, the old owner must never answer once
# another node has.  Meanwhile tests/lab/lab_chaos_client creates groups through any node that
# answers, and deletes the oldest once 20 exist; every 4th change is instead a step in the life
# of an application (its own group, a Generic Application running /bin/sleep, online, offline,
# deleted, the group deleted).  At the end every node holds exactly the groups and applications
# the client saw created and not deleted, no process of an application that was taken offline or
# deleted runs on any node (nor one of any application twice), every node has the same database,
# and the prober never saw two nodes answer the same probe slot.
# CHAOS_SEED makes a run repeatable; CHAOS_LEASE sets QuorumLease first (150: the fastest
# failover, where a half-second fault already moves the group).  The long run:
#   CHAOS_ROUNDS=200 LAB_SCENARIO_TIMEOUT=1800 tests/lab/run.sh chaos
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_clussvc
lab_require_tool lab_chaos_client
lab_require_cmd nft

ROUNDS=${CHAOS_ROUNDS:-25}
SEED=${CHAOS_SEED:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$SEED
echo "chaos: $ROUNDS rounds, CHAOS_SEED=$SEED"
FAULTS=(kill link pause freeze deaf mute lossy flap full restart evict move)
TOPOLOGY=${CHAOS_TOPOLOGY:-five}

if [[ $TOPOLOGY == witness ]]; then
    lab_init 3
    for i in 1 2 3; do lab_state_tmpfs "$i" 64m; done
    NODES="1 2"
    lab_witness_cluster chaos
    W=$LAB_WITNESS
else
    lab_init 5
    W=
    NODES=$(seq -s ' ' 1 5)
    for i in $NODES; do lab_state_tmpfs "$i" 64m; done
    lab_failover_cluster chaos
fi
ALL=$(seq -s ' ' 1 "$LAB_NODES")
# The soak faults nodes at random and moves groups to any member: a node quarantined after its
# third fault within the hour would refuse those moves. Quarantine has its own scenario
# (failover_flap).
lab_assert -m "quarantine off (QuarantineThreshold 0)" \
    lab_clusctl -c n1 property set QuarantineThreshold 0
if [[ -n ${CHAOS_LEASE:-} ]]; then
    lab_assert -m "QuorumLease set to $CHAOS_LEASE" \
        lab_clusctl -c n1 property set QuorumLease "$CHAOS_LEASE"
fi
lab_start_prober p "$LAB_FO_IP" 3600
T0=$EPOCHREALTIME
hosts=()
for i in $NODES; do hosts+=("$(lab_node_addr "$i")"); done
lab_bg client c env CLUSAPI_AUTHKEY="$LAB_DIR/authkey" "$(lab__tool lab_chaos_client)" \
    --log "$LAB_DIR/client.log" --stop "$LAB_DIR/client.stop" --prefix chaos --keep 20 \
    --interval-ms 100 --apps 4 \
    "${hosts[@]}" ||
    lab_fail "the client did not start"

pick() { # N — a random number 1..N
    echo $((RANDOM % $1 + 1))
}

sleep_ms() { # MS — a fault's length is the point here, so this sleeps
    sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"
}

lose_for() { # I MS — a random 30-50 % of node I's input or output lost for twice MS
    local direction=input
    ((RANDOM % 2)) || direction=output
    "lab_lose_$direction" "$1" $((30 + RANDOM % 21)) && sleep_ms $((2 * $2)) && lab_drop_none "$1"
}

flap_for() { # I MS — node I's link down and up, each for 100-500 ms, for about MS; up at the end
    local end=$((${EPOCHREALTIME/./} / 1000 + $2))
    while ((${EPOCHREALTIME/./} / 1000 < end)); do
        lab_link_down "$1" && sleep_ms $((100 + RANDOM % 401)) &&
            lab_link_up "$1" && sleep_ms $((100 + RANDOM % 401)) || return 1
    done
}

fill_for() { # I MS — node I's state directory filled to 8 MiB free for twice MS, then freed
    local free filler=$LAB_DIR/n$1/state/filler
    free=$(df -B1 --output=avail "$LAB_DIR/n$1/state" | tail -n 1 | tr -d ' ')
    fallocate -l $((free - 8 * 1024 * 1024)) "$filler" && sleep_ms $((2 * $2)) && rm -f "$filler"
}

evict_and_add() { # I — evicts nI through another node, waits for it to wipe itself, adds it back
    local victim=$1 via out
    via=$(lab_others "$victim" | cut -d' ' -f1)
    out=$LAB_DIR/evict.out
    lab_op evict "$(lab_node_addr "$via")" "n$victim" >"$out" 2>&1 ||
        lab_fail "evict n$victim: $(tail -n 2 "$out")"
    lab_assert_within "evict: n$victim is NotConfigured" 30 lab_nodeinfo_is "$victim" state=1
    lab_assert -m "evict: n$victim does not hold the address" \
        lab_not grep -qx "$victim" <<<"$(lab_ip_owners "$LAB_FO_IP")"
    out=$LAB_DIR/add.out
    lab_op add "$(lab_node_addr "$via")" "n$victim" >"$out" 2>&1 ||
        lab_fail "add n$victim back: $(tail -n 2 "$out")"
}

declare -A count
for ((r = 1; r <= ROUNDS; r++)); do
    fault=${FAULTS[$((RANDOM % ${#FAULTS[@]}))]}
    owner=$(lab_owner "$LAB_FO_IP") || lab_fail "round $r: exactly one owner before the fault"
    if ((RANDOM % 2)); then node=$owner; else node=$(pick "$LAB_NODES"); fi
    if [[ $node == "$W" && ($fault == evict || $fault == move) ]]; then
        node=$owner # the witness is neither evicted here nor ever an owner
    fi
    ms=$((500 + RANDOM % 1501))
    count[$fault]=$((${count[$fault]:-0} + 1))
    label="round $r: $fault n$node"
    [[ $node != "$owner" ]] || label+=" (the owner)"
    echo "$label"
    lab_wait_for "$label: the prober hears n$owner" 5 lab_probe_answered_by p "n$owner"
    t=$EPOCHREALTIME
    case $fault in
    kill) lab_kill_node "$node" && lab_start_node "$node" ;;
    link) lab_link_down "$node" && sleep_ms "$ms" && lab_link_up "$node" ;;
    pause) lab_pause_node "$node" && sleep_ms "$ms" && lab_resume_node "$node" ;;
    freeze) lab_freeze_node "$node" && sleep_ms "$ms" && lab_thaw_node "$node" ;;
    deaf) lab_drop_input "$node" && sleep_ms "$ms" && lab_drop_none "$node" ;;
    mute) lab_drop_output "$node" && sleep_ms "$ms" && lab_drop_none "$node" ;;
    lossy) lose_for "$node" "$ms" ;;
    flap) flap_for "$node" "$ms" ;;
    full) fill_for "$node" "$ms" ;;
    restart) lab_stop_node "$node" && lab_start_node "$node" ;;
    evict) evict_and_add "$node" ;;
    move)
        target=$node
        if ((target == owner)); then
            read -ra others <<<"$(for i in $NODES; do ((i == owner)) || printf '%s ' "$i"; done)"
            target=${others[$((RANDOM % ${#others[@]}))]}
        fi
        lab_clusctl -c "n$target" group move "Cluster Group" --node "n$target" \
            >"$LAB_DIR/move.out" 2>&1 || lab_fail "$label: move: $(tail -n 1 "$LAB_DIR/move.out")"
        ;;
    esac || lab_fail "$label: the fault could not be made or undone"
    # The client holds still meanwhile: five nodes asked one after the other never agree on a
    # database that changes ten times a second.
    lab_bg_signal client STOP
    lab_assert_within "$label: n$node rejoined (Running, committed, same database)" 60 \
        lab_rejoined "$node" "$(lab_others "$node")"
    lab_bg_signal client CONT
    lab_assert_within "$label: one owner, named by every node, answering" 30 \
        lab_fo_settled "$ALL"
    if [[ $node == "$owner" && $fault != move ]]; then
        lab_assert -m "$label: n$owner did not answer after another node did" \
            lab_probe_is p old_after_takeover 0 --from "$t" --old "n$owner"
    fi
    lab_assert -m "$label: no two nodes answered at once" \
        lab_probe_is p overlap 0 --from "$t" --window-ms 0
done

touch "$LAB_DIR/client.stop"
lab_assert_within "the client stopped" 60 lab_not lab_bg_running client
created=$(grep -c '^ok \|^retried ' "$LAB_DIR/client.log" || true)
deleted=$(grep -c '^deleted ' "$LAB_DIR/client.log" || true)
echo "chaos: client: $(tail -n 1 "$LAB_DIR/bg/client.log"); $(grep -c '^retried ' \
    "$LAB_DIR/client.log" || true) creations settled after a retry"
lab_assert -m "the client committed changes ($created created, $deleted deleted)" \
    test "$created" -gt 0
lab_assert -m "no group existed before the client created it" \
    lab_not grep -q '^dup ' "$LAB_DIR/client.log"
# What must exist now: created, and not deleted since.
awk '$1 == "deleted" { gone[$2] = 1 } $1 == "ok" || $1 == "retried" || $1 == "dup" { made[$2] = 1 }
     END { for (g in made) if (!(g in gone)) print g }' "$LAB_DIR/client.log" |
    sort >"$LAB_DIR/expected"
for i in $ALL; do
    lab_clusctl -c "n$i" --json group list | grep -o '"name":"chaos-[0-9]*"' |
        sed 's/"name":"\(.*\)"/\1/' | sort >"$LAB_DIR/groups-n$i"
    missing=$(comm -23 "$LAB_DIR/expected" "$LAB_DIR/groups-n$i" | head -n 3 | tr '\n' ' ')
    extra=$(comm -13 "$LAB_DIR/expected" "$LAB_DIR/groups-n$i" | head -n 3 | tr '\n' ' ')
    lab_assert -m "n$i lost no committed group (missing: ${missing:-none})" test -z "$missing"
    lab_assert -m "n$i kept no deleted group (extra: ${extra:-none})" test -z "$extra"
done
# Applications: the last word the client logged for each is where it ended.
awk '$1 ~ /^app-/ { last[$2] = $1 } END { for (a in last) print a, last[a] }' \
    "$LAB_DIR/client.log" | sort >"$LAB_DIR/apps"
apps_made=$(grep -c '^app-created ' "$LAB_DIR/client.log" || true)
apps_gone=$(grep -c '^app-deleted ' "$LAB_DIR/client.log" || true)
lab_assert -m "the client created and deleted applications ($apps_made, $apps_gone)" \
    test "$apps_made" -gt 0 -a "$apps_gone" -gt 0
awk '$2 != "app-deleted" { print $1 }' "$LAB_DIR/apps" >"$LAB_DIR/apps-expected"
for i in $ALL; do
    # grep finds nothing when every application was deleted: that is no failure
    lab_clusctl -c "n$i" --json resource list |
        { grep -o '"name":"chaos-app-[0-9]*"' || true; } |
        sed 's/"name":"\(.*\)"/\1/' | sort >"$LAB_DIR/apps-n$i"
    lab_assert -m "n$i lists exactly the applications not deleted" \
        cmp -s "$LAB_DIR/apps-expected" "$LAB_DIR/apps-n$i"
done
# app_procs NAME — the pids of application NAME's process (its /bin/sleep 9NNNNNN), any node:
# the nodes' namespaces share the machine's pid namespace
app_procs() { pgrep -f "^/bin/sleep 9${1##*-}\$" || true; }
no_app_procs() { [[ -z $(app_procs "$1") ]]; }
while read -r app word; do
    if [[ $word == app-offline || $word == app-deleted ]]; then
        lab_assert_within "no process of $app ($word) on any node" 10 no_app_procs "$app"
    else
        n=$(app_procs "$app" | wc -l)
        lab_assert -m "$app ($word) runs at most once ($n)" test "$n" -le 1
    fi
done <"$LAB_DIR/apps"
# shellcheck disable=SC2086 # a list of indexes
lab_assert_within "every node has the same database" 30 lab_nodes_agree db_hash $ALL
lab_assert -m "over the whole run no two nodes answered the same probe" \
    lab_probe_is p overlap 0 --from "$T0" --window-ms 0
lab_assert -m "the address answers at the end" lab_ip_answers "$LAB_FO_IP"
printf 'chaos: %d rounds:' "$ROUNDS"
for f in "${FAULTS[@]}"; do printf ' %s %d' "$f" "${count[$f]:-0}"; done
printf '; %d groups created, %d deleted; %d applications created, %d deleted\n' \
    "$created" "$deleted" "$apps_made" "$apps_gone"
lab_pass "chaos"
