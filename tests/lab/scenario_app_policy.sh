#!/usr/bin/env bash
# scenario_app_policy.sh — what the cluster does when an application fails, and that no process
# of a resource outlives the resource on any node.
#
# Three nodes; every application is a Generic Application running `sleep` with a number of its
# own (so each resource's process is told apart on every node; lab_app.sh).
#
# - Restarts, then failover, then Failed: group "pol" (FailoverThreshold=1) with "pol-app"
#   (RestartAction 2, the default; RestartThreshold=2, RestartPeriod=1 h).  Killed (SIGKILL)
#   twice, it is restarted in place each time (a new process on the same node); the third kill
#   exceeds the threshold and the group fails over to another node, where it runs alone.  There
#   two more kills restart it in place; the third would fail the group over again, which would
#   exceed FailoverThreshold, so the group stays Failed: for 3 s it stays Failed and the
#   application runs nowhere (no flapping).
# - RestartAction=0: group "keep" with "k-fail" (RestartAction=0) and "k-stay".  k-fail killed:
#   it is Failed and stays Failed, the group stays where it is, PartialOnline (one resource
#   Online, one Failed: Windows' meaning), and k-stay keeps running, the same process.
# - FailClusterResource (clusctl resource fail k-stay): k-stay is restarted in place.
# - A provider fails: group "dep" with "d-base" and "d-top", which depends on it.  d-base
#   killed: d-top is stopped (it must not run without its provider), d-base restarts in place
#   and d-top starts again after it; both new processes, on the same node, the group Online.
# - PendingTimeout: group "hang", a Generic Script whose Online runs `sleep` (RestartAction=0,
#   PendingTimeout=1500 ms): after the 1.5 s (and not before 1.4 s) the start is killed, with
#   the sleep it started, and the resource is Failed.
# - No process left: after `resource offline` (none of it on any node), `group move` (none on
#   the old node, all of the group on the new one), `evict` of the group's owner (none on the
#   evicted node, the group online on a member) and `destroy` (none on any node).
set -euo pipefail
source "$(dirname "$0")/lab.sh"
source "$(dirname "$0")/lab_app.sh"
lab_require_setup_tools
lab_require_cmd unshare

lab_init 3
lab_app_private_dirs
ALL="1 2 3"
for i in $ALL; do lab_start_node "$i" || lab_fail "n$i did not start"; done
lab_clusctl create apppol --node n1 --node n2 --node n3 --ip "$(lab_cluster_ip 0)/24" \
    >"$LAB_DIR/create.out" 2>&1 || lab_fail "create failed: $(tail -n 3 "$LAB_DIR/create.out")"

# app GROUP NAME N [KEY=VALUE...] — a Generic Application `sleep N` in GROUP, with properties.
app() {
    local group=$1 name=$2 n=$3
    shift 3
    lab_app_do 1 resource create "$name" --group "$group" --type "Generic Application" \
        --prop "CommandLine=/bin/sleep $n" >/dev/null
    (($# == 0)) || lab_app_do 1 resource set "$name" "$@" >/dev/null
}

# pid_on I N — the one PID of `sleep N` on node I (fails if none or several).
pid_on() {
    local pids
    pids=$(lab_app_pids "$1" "sleep $2")
    [[ -n $pids && $(wc -l <<<"$pids") == 1 ]] || return 1
    echo "$pids"
}

# running RES N I — RES Online on node I (as n1 sees it: n1 stays up throughout) and `sleep N`
# runs there, once, and on no other node.
running() {
    lab_app_is 1 resource "$1" Online "$3" && lab_app_runs_only "sleep $2" "$3" && pid_on "$3" "$2"
}

# restarted RES N I OLD_PID — running on I, by another process than OLD_PID.
restarted() {
    local pid
    pid=$(running "$1" "$2" "$3") || return 1
    [[ $pid != "$4" ]] || { lab__err "$1: still pid $pid"; return 1; }
}

# kill_app N I — SIGKILL to `sleep N` on node I; prints its PID.
kill_app() {
    local pid
    pid=$(pid_on "$2" "$1") || lab_fail "sleep $1 does not run on n$2 alone"
    kill -KILL "$pid"
    echo "$pid"
}

# stays_failed KIND NAME N — NAME is Failed and `sleep N` runs nowhere.
stays_failed() {
    lab_app_is 1 "$1" "$2" Failed && lab_app_runs_nowhere "sleep $3"
}

# --- restarts, failover, Failed -----------------------------------------------------------------
POL=86401
lab_app_do 1 group create pol >/dev/null
lab_app_do 1 group set pol FailoverThreshold=1 >/dev/null
app pol pol-app $POL RestartThreshold=2 RestartPeriod=3600000
lab_app_do 1 group online pol --node n2 >/dev/null
lab_assert_within "pol-app online on n2" 10 running pol-app $POL 2
# shellcheck disable=SC2086 # a list of indexes
lab_assert -m "every node runs resources in cgroup leaves" lab_app_cgroups $ALL
# RestartDelay 500 ms (the default) after the exit, seen at once: 3 s is ample.
for k in 1 2; do
    old=$(kill_app $POL 2)
    lab_assert_within "kill $k of pol-app on n2: restarted in place" 3 restarted pol-app $POL 2 "$old"
done
kill_app $POL 2 >/dev/null
lab_assert_within "kill 3 (threshold exceeded): the group failed over" 10 \
    lab_not lab_app_is 1 group pol Online 2
lab_assert_within "pol online on another node" 10 lab_app_is 1 group pol Online
second=$(lab_app_owner 1 group pol)
lab_assert -m "pol moved off n2 (to n$second)" test "$second" != 2
lab_assert_within "pol-app runs on n$second alone" 5 running pol-app $POL "$second"
for k in 1 2; do
    old=$(kill_app $POL "$second")
    lab_assert_within "kill $k on n$second: restarted in place" 3 restarted pol-app $POL \
        "$second" "$old"
done
kill_app $POL "$second" >/dev/null
lab_assert_within "kill 3 on n$second, FailoverThreshold 1 exceeded: pol Failed" 10 \
    stays_failed group pol $POL
lab_assert -m "pol stays Failed for 3 s, pol-app nowhere" lab_holds 3 stays_failed group pol $POL
lab_assert -m "pol-app is Failed" lab_app_is 1 resource pol-app Failed

# --- RestartAction=0 ----------------------------------------------------------------------------
FAIL=86402 STAY=86403
lab_app_do 1 group create keep >/dev/null
app keep k-fail $FAIL RestartAction=0
app keep k-stay $STAY
lab_app_do 1 group online keep --node n3 >/dev/null
lab_assert_within "keep online on n3" 10 lab_app_is 1 group keep Online 3
lab_assert_within "k-stay runs on n3 alone" 5 running k-stay $STAY 3
stay_pid=$(pid_on 3 $STAY)
kill_app $FAIL 3 >/dev/null
lab_assert_within "RestartAction=0: k-fail Failed" 5 stays_failed resource k-fail $FAIL
# keep_partial — the group PartialOnline on n3, k-fail Failed, k-stay the same process on n3.
keep_partial() {
    lab_app_is 1 group keep PartialOnline 3 && stays_failed resource k-fail $FAIL &&
        test "$(running k-stay $STAY 3)" = "$stay_pid"
}
lab_assert -m "for 3 s: keep PartialOnline on n3, k-fail Failed, k-stay untouched" \
    lab_holds 3 keep_partial

# --- FailClusterResource ------------------------------------------------------------------------
lab_app_do 1 resource fail k-stay >/dev/null
lab_assert_within "resource fail: k-stay restarted in place" 5 restarted k-stay $STAY 3 "$stay_pid"

# --- a provider fails ----------------------------------------------------------------------------
BASE=86405 TOP=86406
lab_app_do 1 group create dep >/dev/null
app dep d-base $BASE
app dep d-top $TOP
lab_app_do 1 resource depend d-top d-base >/dev/null
lab_app_do 1 group online dep --node n1 >/dev/null
lab_assert_within "dep online on n1" 10 lab_app_is 1 group dep Online 1
base_pid=$(pid_on 1 $BASE) top_pid=$(pid_on 1 $TOP)
kill -KILL "$base_pid"
both_back() {
    restarted d-base $BASE 1 "$base_pid" >/dev/null && restarted d-top $TOP 1 "$top_pid" >/dev/null
}
lab_assert_within "d-base killed: both restarted in place" 5 both_back
# start_tick PID — when PID started, in clock ticks since boot (proc(5), field 22).
start_tick() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat"; }
lab_assert -m "d-top started again after d-base" \
    test "$(start_tick "$(pid_on 1 $TOP)")" -ge "$(start_tick "$(pid_on 1 $BASE)")"
lab_assert -m "dep stayed Online on n1" lab_app_is 1 group dep Online 1

# --- PendingTimeout -----------------------------------------------------------------------------
HANG=86404
cat >"$LAB_DIR/hang.sh" <<EOF
#!/bin/sh
# Online never ends; every other entry point succeeds at once.
case "\$1" in
Online) echo "\$\$" >"$LAB_DIR/hang.started"; sleep $HANG ;;
esac
exit 0
EOF
chmod +x "$LAB_DIR/hang.sh"
lab_app_do 1 group create hang >/dev/null
lab_app_do 1 resource create h-script --group hang --type "Generic Script" \
    --prop "ScriptFilepath=$LAB_DIR/hang.sh" >/dev/null
lab_app_do 1 resource set h-script PendingTimeout=1500 RestartAction=0 >/dev/null
t=$EPOCHREALTIME
# group online waits for the group to settle: in the background, to watch the start hang
lab_app_ctl 1 group online hang --node n1 >"$LAB_DIR/hang.out" 2>&1 &
online_pid=$!
# The start's own mark, not a look at its sleep: a loaded machine may start it late enough
# that a watcher misses the 1.5 s it lives.
lab_assert_within "the hung Online started" 5 test -s "$LAB_DIR/hang.started"
lab_assert_within "past PendingTimeout: h-script Failed, its sleep gone" 5 \
    stays_failed resource h-script $HANG
ms=$(lab_ms_since "$t")
rc=0
wait "$online_pid" || rc=$?
lab_assert -m "group online hang was accepted (exit $rc: $(cat "$LAB_DIR/hang.out"))" test "$rc" = 0
lab_assert -m "the start was given its 1.5 s (Failed after $ms ms)" \
    awk -v ms="$ms" 'BEGIN { exit !(ms >= 1400) }'
lab_assert -m "h-script stays Failed for 2 s, nothing of it runs" \
    lab_holds 2 stays_failed resource h-script $HANG

# --- no process left ----------------------------------------------------------------------------
# Offline first: `resource online` of a Failed resource can read the state from before its own
# request (the request returns ERROR_IO_PENDING before the node it asked has applied the
# commit that makes the resource OnlinePending) and report the stale Failed as the outcome.
lab_app_do 1 resource offline k-fail >/dev/null
lab_app_do 1 resource online k-fail >/dev/null
lab_assert_within "k-fail online again" 5 running k-fail $FAIL 3
lab_app_do 1 resource offline k-stay >/dev/null
lab_assert -m "resource offline: k-stay Offline, its process gone from every node" \
    lab_app_is 1 resource k-stay Offline
lab_assert -m "resource offline: no sleep $STAY on any node" lab_app_runs_nowhere "sleep $STAY"
lab_app_do 1 resource online k-stay >/dev/null
lab_assert_within "k-stay online again" 5 running k-stay $STAY 3

lab_app_do 1 group move keep --node n2 >/dev/null
both_on() { running k-fail $FAIL "$1" >/dev/null && running k-stay $STAY "$1" >/dev/null; }
lab_assert_within "group move: keep runs on n2" 10 both_on 2
lab_assert -m "group move: n3 runs no process of a resource" lab_app_bare 3

lab_app_do 1 evict n2 >"$LAB_DIR/evict.out"
lab_assert -m "evict n2: clusctl warns that one crash can stop the two nodes left" \
    grep -q "^clusctl: warning: One failure can stop this cluster" "$LAB_DIR/evict.out"
lab_assert_within "evict n2: n2 runs no process of a resource" 10 lab_app_bare 2
evicted_moved() {
    local o
    o=$(lab_app_owner 1 group keep) && [[ $o != 2 ]] && both_on "$o"
}
lab_assert_within "evict n2: keep runs on a member" 15 evicted_moved

lab_app_do 1 destroy --yes >/dev/null
lab_assert_within "destroy: no process of a resource on any node" 10 lab_app_all_bare
lab_pass "app_policy"
