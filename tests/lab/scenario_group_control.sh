#!/usr/bin/env bash
# scenario_group_control.sh — the group control API through clusctl, watched by a prober.
#
# Three nodes, the Cluster Group with one address; a prober in the client namespace records
# which node answers for it every 10 ms.  MoveClusterGroup to a named node and to the best node
# (NULL), to the owner itself (nothing happens), to an unknown node and to a paused node
# (refused, nothing changes); 20 moves in a row and two at once; Offline/OnlineClusterGroup;
# moving an offline group (its owner changes, it stays offline); PauseClusterNode of the owner
# (the group leaves it) and ResumeClusterNode; a move whose old owner is frozen (SIGSTOP) so it
# cannot let go: the address comes up on the target only once the old owner is fenced.
# Throughout, the prober must never see two nodes answering.
set -euo pipefail
source "$(dirname "$0")/lab.sh"
lab_require_clussvc
lab_init 3
lab_failover_cluster groupctl
lab_start_prober p "$LAB_FO_IP" 600
T0=$EPOCHREALTIME
ALL="1 2 3"

group_state() { # VIEWER — the Cluster Group's state as node VIEWER lists it
    lab_clusctl -c "$(lab_node_name "$1")" --json group list |
        grep -o '{"name":"Cluster Group"[^}]*}' | sed -n 's/.*"state":"\([^"]*\)".*/\1/p'
}
group_is() { # STATE OWNER — every node lists the group in STATE, owned by nOWNER
    local i
    for i in $ALL; do
        [[ $(group_state "$i") == "$1" && $(lab_group_owner "$i") == "n$2" ]] || return 1
    done
}
move() { # TARGET — clusctl group move to nTARGET (or "" for the best node)
    if [[ -n $1 ]]; then
        lab_clusctl -c n1 group move "Cluster Group" --node "n$1"
    else
        lab_clusctl -c n1 group move "Cluster Group"
    fi
}
# moved_to LABEL TARGET — a move to nTARGET has completed: settled there, answering, alone
moved_to() {
    lab_assert_within "$1: the group is online on n$2 on every node" 10 group_is Online "$2"
    lab_assert_within "$1: n$2 alone holds the address and it answers" 10 lab_fo_settled "$ALL"
    lab_assert -m "$1: the address is on n$2" test "$(lab_owner "$LAB_FO_IP")" = "$2"
}
# Planned moves are quicker than the prober's "returns" window (an A -> B -> A within 1 s counts
# there as a possible overlap, because two failovers cannot be that quick): here the overlap is
# what the broadcast probes show, two nodes answering the same probe slot.
# refused LABEL WHAT CLUSCTL-ARGS... — clusctl fails with exit 1, names WHAT (the Win32 error's
# name, or another word the message must hold) on stderr and prints nothing on stdout.
refused() {
    local label=$1 what=$2 rc=0
    shift 2
    lab_clusctl "$@" >"$LAB_DIR/bad.out" 2>"$LAB_DIR/bad.err" || rc=$?
    lab_assert -m "$label: exit 1 (got $rc)" test "$rc" = 1
    lab_assert -m "$label: stderr names $what" grep -q "$what" "$LAB_DIR/bad.err"
    lab_assert -m "$label: nothing on stdout" test ! -s "$LAB_DIR/bad.out"
}
held_elsewhere() { # I — one node other than nI holds the address
    local o
    o=$(lab_owner "$LAB_FO_IP") && [[ $o != "$1" ]]
}
not_owned_by() { # I — node 1 lists the group with an owner other than nI
    local o
    o=$(lab_group_owner 1) && [[ -n $o && $o != "n$1" ]]
}
no_overlap() {
    lab_assert -m "$1: the prober never saw two nodes answering" \
        lab_probe_is p overlap 0 --from "$T0" --window-ms 0
}

# --- a move to a named node, and back -----------------------------------------------------
old=$(lab_owner "$LAB_FO_IP")
target=$((old % 3 + 1))
t=$EPOCHREALTIME
lab_assert -m "move to n$target succeeds" move "$target"
moved_to "move to n$target" "$target"
lab_assert -m "the prober heard n$target after the move" \
    lab_probe_answered_by p "n$target" --from "$t"
printf 'move: n%s answered %s ms after the call\n' "$target" \
    "$(lab_probe_get p takeover_ms --from "$t" --old "n$old")"
no_overlap "move"

# --- to the owner itself: nothing happens ---------------------------------------------------
t=$EPOCHREALTIME
lab_assert -m "a move to the owner succeeds" move "$target"
lab_assert -m "a move to the owner leaves the address where it was" \
    test "$(lab_owner "$LAB_FO_IP")" = "$target"
lab_assert -m "a move to the owner: only n$target answered since" \
    test "$(lab_probe_get p sequence --from "$t")" = "n$target"

# --- to the best node (no --node) -----------------------------------------------------------
old=$target
lab_assert -m "a move to the best node succeeds" move ""
lab_assert_within "best node: the group left n$old" 10 not_owned_by "$old"
moved_to "best node" "$(lab_group_owner 1 | tr -d n)"
no_overlap "best node"

# --- refused moves change nothing -----------------------------------------------------------
owner=$(lab_owner "$LAB_FO_IP")
refused "a move to an unknown node" n9 -c n1 group move "Cluster Group" --node n9
refused "moving an unknown group" ERROR_GROUP_NOT_FOUND -c n1 group move "No Such Group" --node n1
lab_assert -m "refused moves left the address on n$owner" \
    test "$(lab_owner "$LAB_FO_IP")" = "$owner"

# --- 20 moves in a row ----------------------------------------------------------------------
t=$EPOCHREALTIME
for r in $(seq 1 20); do
    target=$(($(lab_owner "$LAB_FO_IP") % 3 + 1))
    lab_assert -m "move $r to n$target succeeds" move "$target"
    lab_assert -m "move $r: the address is on n$target when the call returns" \
        test "$(lab_owner "$LAB_FO_IP")" = "$target"
done
moved_to "20 moves" "$target"
no_overlap "20 moves"

# --- two moves at once, five times: both calls end, the group settles on one of the targets ---
for r in 1 2 3 4 5; do
    owner=$(lab_owner "$LAB_FO_IP")
    a=$((owner % 3 + 1)) b=$(((owner + 1) % 3 + 1))
    move "$a" >"$LAB_DIR/move-a.out" 2>&1 &
    pa=$!
    move "$b" >"$LAB_DIR/move-b.out" 2>&1 &
    pb=$!
    ra=0 rb=0
    wait "$pa" || ra=$?
    wait "$pb" || rb=$?
    lab_assert -m "concurrent moves $r: at least one succeeded ($ra, $rb)" \
        test "$ra" = 0 -o "$rb" = 0
    lab_assert_within "concurrent moves $r: one owner, named by every node, answering" 10 \
        lab_fo_settled "$ALL"
    final=$(lab_owner "$LAB_FO_IP")
    lab_assert -m "concurrent moves $r: the group ended on a target (n$final)" \
        test "$final" = "$a" -o "$final" = "$b"
    lab_assert_within "concurrent moves $r: every node lists it Online on n$final" 10 \
        group_is Online "$final"
    no_overlap "concurrent moves $r"
done

# --- offline, move while offline, online ----------------------------------------------------
owner=$(lab_owner "$LAB_FO_IP")
lab_assert -m "group offline succeeds" lab_clusctl -c n1 group offline "Cluster Group"
lab_assert_within "offline: no node holds the address" 10 lab_nobody_holds "$LAB_FO_IP"
lab_assert_within "offline: every node lists the group Offline" 10 group_is Offline "$owner"
refused "deleting a group with resources" ERROR_DIR_NOT_EMPTY -c n1 group delete "Cluster Group"
target=$((owner % 3 + 1))
lab_assert -m "moving the offline group succeeds" move "$target"
lab_assert_within "moved offline: every node lists it Offline on n$target" 10 \
    group_is Offline "$target"
lab_assert -m "moved offline: still nobody holds the address" lab_nobody_holds "$LAB_FO_IP"
lab_assert -m "group online succeeds" lab_clusctl -c n1 group online "Cluster Group"
moved_to "online after the offline move" "$target"
no_overlap "offline/online"

# --- pause the owner: the group leaves it; a move to it is refused; resume --------------------
owner=$(lab_owner "$LAB_FO_IP")
lab_assert -m "node pause n$owner succeeds" lab_clusctl -c n1 node pause "n$owner"
lab_assert_within "pause: every node lists n$owner Paused" 10 lab_node_state_is 1 "$owner" Paused
lab_assert_within "pause: the address left n$owner" 10 held_elsewhere "$owner"
moved_to "pause" "$(lab_owner "$LAB_FO_IP")"
refused "a move to the paused n$owner" ERROR_HOST_NODE_NOT_AVAILABLE \
    -c n1 group move "Cluster Group" --node "n$owner"
# A pause is the administrator's: it outlives a restart of the node's service.
lab_stop_node "$owner"
lab_start_node "$owner"
lab_assert_within "pause: n$owner rejoined after a restart" 30 \
    lab_rejoined "$owner" "$(lab_others "$owner")"
lab_assert -m "pause: n$owner is still Paused after its restart" \
    lab_node_state_is "$owner" "$owner" Paused
lab_assert -m "node resume n$owner succeeds" lab_clusctl -c n1 node resume "n$owner"
lab_assert_within "resume: n$owner is Up again" 10 lab_node_state_is 1 "$owner" Up
lab_assert -m "a move to the resumed n$owner succeeds" move "$owner"
moved_to "after resume" "$owner"
no_overlap "pause/resume"

# --- an empty group: create, online, delete ---------------------------------------------------
web_state() { # VIEWER — group "web" as node VIEWER lists it: its state, or "absent"
    local out
    out=$(lab_clusctl -c "$(lab_node_name "$1")" --json group list) || return 1
    grep -o '{"name":"web"[^}]*}' <<<"$out" | sed -n 's/.*"state":"\([^"]*\)".*/\1/p' |
        grep . || echo absent
}
web_is() { # STATE — every node lists group web in STATE
    local i
    for i in $ALL; do [[ $(web_state "$i") == "$1" ]] || return 1; done
}
lab_assert -m "group create web succeeds" lab_clusctl -c n2 group create web
lab_assert_within "create: every node lists web Offline" 10 web_is Offline
refused "creating it again (other case)" ERROR_OBJECT_ALREADY_EXISTS -c n3 group create WEB
lab_assert -m "group online web succeeds" lab_clusctl -c n1 group online web
lab_assert_within "online: every node lists web Online" 10 web_is Online
refused "deleting an online group" ERROR_INVALID_STATE -c n1 group delete web
lab_assert -m "group offline web succeeds" lab_clusctl -c n1 group offline web
lab_assert -m "group delete web succeeds" lab_clusctl -c n1 group delete web
lab_assert_within "delete: no node lists web" 10 web_is absent
lab_assert -m "the Cluster Group was not disturbed" lab_fo_settled "$ALL"
no_overlap "create/delete"

# --- heartbeat properties changed live, then a failover at the new setting -----------------
prop_is() { # NAME VALUE — every node reports the cluster property NAME = VALUE
    local i
    for i in $ALL; do
        [[ $(lab_clusctl -c "n$i" property get "$1") == "$1"*" $2" ]] || return 1
    done
}
lab_assert -m "property list shows the defaults" \
    grep -q "SameSubnetDelay *250" <<<"$(lab_clusctl -c n1 property list)"
refused "SameSubnetDelay below Windows' bound" ERROR_INVALID_PARAMETER \
    -c n1 property set SameSubnetDelay 249
refused "SameSubnetThreshold above Windows' bound" ERROR_INVALID_PARAMETER \
    -c n1 property set SameSubnetThreshold 121
refused "a property that cannot be set" ERROR_INVALID_PARAMETER -c n1 property set ClusterName x
lab_assert -m "refused settings changed nothing" prop_is SameSubnetDelay 250
lab_assert -m "property set SameSubnetDelay 500" \
    lab_clusctl -c n2 property set samesubnetdelay 500
lab_assert_within "every node has SameSubnetDelay 500" 10 prop_is SameSubnetDelay 500
# Every node votes again (dynamic quorum gives back the votes of the restart above one change at
# a time): a kill before that could leave the survivors without a majority.
lab_assert_within "every node votes" 15 lab_all_vote "$ALL"
owner=$(lab_owner "$LAB_FO_IP")
lab_wait_for "slow: the prober hears n$owner" 3 lab_probe_answered_by p "n$owner"
t=$EPOCHREALTIME
lab_kill_node "$owner"
lab_assert_takeover "kill -9 at SameSubnetDelay 500" p "$owner" "$t"
printf 'SameSubnetDelay 500: a survivor answered %s ms after kill -9 of n%s\n' \
    "$LAB_TAKEOVER_MS" "$owner"
lab_start_node "$owner"
lab_assert_within "slow: n$owner rejoined" 30 lab_rejoined "$owner" "$(lab_others "$owner")"
lab_assert -m "property set SameSubnetDelay 250 again" \
    lab_clusctl -c n1 property set SameSubnetDelay 250
lab_assert_within "every node has SameSubnetDelay 250 again" 10 prop_is SameSubnetDelay 250
lab_assert_within "slow: one owner, named by every node, answering" 20 lab_fo_settled "$ALL"
no_overlap "live heartbeat settings"

# --- the owner's service stopped cleanly: it hands its groups over before it goes --------------
owner=$(lab_owner "$LAB_FO_IP")
lab_wait_for "stop: the prober hears n$owner" 3 lab_probe_answered_by p "n$owner"
t=$EPOCHREALTIME
lab_assert -m "stop: n$owner's clussvc stops on SIGTERM" lab_stop_node "$owner"
lab_assert -m "stop: n$owner handed its groups over before it stopped" \
    grep -q "groups handed over: leaving" "$LAB_DIR/n$owner/clussvc.log"
lab_wait_for "stop: another node answers" 5 \
    lab_probe_answered_by p "$(lab_names "$(lab_others "$owner")")" --from "$t"
printf 'clean stop: %s answered %s ms after SIGTERM to n%s\n' \
    "$(lab_probe_get p takeover_node --from "$t" --old "n$owner")" \
    "$(lab_probe_get p takeover_ms --from "$t" --old "n$owner")" "$owner"
lab_assert -m "stop: n$owner no longer holds the address" \
    lab_not grep -qx "$owner" <<<"$(lab_ip_owners "$LAB_FO_IP")"
lab_start_node "$owner"
lab_assert_within "stop: n$owner rejoined" 30 lab_rejoined "$owner" "$(lab_others "$owner")"
lab_assert_within "stop: one owner, named by every node, answering" 20 lab_fo_settled "$ALL"
lab_assert -m "stop: n$owner never answered after the takeover" \
    lab_probe_is p old_after_takeover 0 --from "$t" --old "n$owner"
no_overlap "clean stop"

# --- the old owner frozen: it cannot let go, so the target waits for its fence ----------------
# The owner must not lead (the move has to commit before the frozen owner is found Down).
leader=$(lab_wait_for "frozen: a leader" 10 lab_leader "$ALL" >/dev/null; lab_leader "$ALL")
owner=$(lab_owner "$LAB_FO_IP")
if [[ $owner == "$leader" ]]; then
    owner=$((leader % 3 + 1))
    lab_assert -m "frozen: move off the leader to n$owner" move "$owner"
    moved_to "frozen: off the leader" "$owner"
fi
target=$(lab_others "$owner" | cut -d' ' -f1)
lab_wait_for "frozen: the prober hears n$owner" 3 lab_probe_answered_by p "n$owner"
t=$EPOCHREALTIME
lab_pause_node "$owner"
rc=0
lab_clusctl -c "n$target" group move "Cluster Group" --node "n$target" >"$LAB_DIR/frozen.out" \
    2>&1 || rc=$?
lab_assert -m "frozen: the move call ends (exit $rc: $(tail -n 1 "$LAB_DIR/frozen.out"))" \
    test "$rc" = 0
lab_wait_for "frozen: n$target answers" 10 lab_probe_answered_by p "n$target" --from "$t"
printf 'frozen owner: n%s answered %s ms after n%s froze\n' "$target" \
    "$(lab_probe_get p takeover_ms --from "$t" --old "n$owner")" "$owner"
lab_assert -m "frozen: n$owner no longer holds the address" \
    lab_not grep -qx "$owner" <<<"$(lab_ip_owners "$LAB_FO_IP")"
lab_resume_node "$owner"
lab_assert_within "frozen: n$owner rejoined" 30 lab_rejoined "$owner" "$(lab_others "$owner")"
lab_assert_within "frozen: one owner, named by every node, answering" 20 lab_fo_settled "$ALL"
lab_assert -m "frozen: the address stayed on n$target" \
    test "$(lab_owner "$LAB_FO_IP")" = "$target"
lab_assert -m "frozen: n$owner never answered after n$target did" \
    lab_probe_is p old_after_takeover 0 --from "$t" --old "n$owner"
no_overlap "frozen owner"

lab_pass "group_control"
