#!/usr/bin/env bash
# bench/appfailover — from a fault to the first HTTP 200 on a group's address: clusapi beside
# Pacemaker + corosync, the same nginx, the same lab, the same prober.
#
# One 3-node namespace lab (tests/lab/lab.sh).  Every node has its own nginx config, reached by
# every node at the one path $LAB_DIR/web/nginx.conf (bench/appfailover_node.sh binds the node's
# own copy there in its private mount namespace); it listens on the group address, port 80, and
# answers every request with a 200 naming the node.  The prober (tests/lab/prober --http 80) in
# the client namespace opens a new connection and sends GET / every 10 ms, and sends a UDP
# broadcast probe to the address in the same tick, which a responder on every node answers, so
# that two nodes holding the address at once show up (the "overlap" column).
#
# Faults, on the node that owns the group, RUNS rounds each (env RUNS, default 5):
#   node crash  the owner's link goes down and, right after, every process of the node but the
#               lab's responder gets SIGKILL in one kill(1) call: corosync, pacemakerd and its
#               daemons, nginx (Pacemaker side); clussvc, its resource host, nginx (clusapi
#               side).  Link first, so that no killed socket says goodbye.  As after a power cut,
#               the node comes back with no address configured, link up, its stack restarted.
#   link cut    the owner's link goes down (lab_link_down); healed after the takeover.
#   app crash   SIGKILL to every nginx process of the owner, master and worker in one call: the
#               workers of a killed master keep serving on the inherited socket, so killing the
#               master alone is no outage.
# A node fault is measured from the fault to the first 200 from another node (takeover_ms); an
# application crash from the fault to the first 200 after the first failed request
# (recovered_ms), from whichever node.  Separately, the application's own start time: nginx
# exec'd on a lone node that already holds the address, to its first 200 (1 ms probes).
#
# Sides (all in one run by default):
#   clusapi, group "web": IP Address + nginx as Generic Application (nginx -g 'daemon off;'),
#            then again with nginx as ocf:heartbeat:nginx, at the defaults; plus a row with
#            RestartDelay=0 for the application crash.  Needs the clusctl resource commands.
#   Pacemaker 2 + corosync 3 (bench/appfailover_pcmk.sh): ocf:heartbeat:IPaddr2 + the same
#            ocf:heartbeat:nginx at the defaults.  Fencing is off (stonith-enabled=false): no
#            fence device exists in the lab.  clusapi fences by its quorum lease instead.
#
#   sudo [RUNS=5] BUILD_DIR=build bench/appfailover.sh [--peer-only | --clusapi-only]
#
# A benchmark, not a test: it reports; it stops (exit 1, lab torn down) only if a cluster does
# not recover within a minute or a clusctl command fails.  The packages of the Pacemaker side
# (BENCH_PACKAGES in scripts/install-deps.sh) are installed with apt-get when missing.
set -euo pipefail
APPFO_HOME=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$(cd "$APPFO_HOME/.." && pwd)/build}
export BUILD_DIR
RUNS=${RUNS:-5}
SIDES=both
case ${1:-} in
'') ;;
--peer-only) SIDES=peer ;;
--clusapi-only) SIDES=clusapi ;;
*) echo "usage: bench/appfailover.sh [--peer-only | --clusapi-only]" >&2; exit 2 ;;
esac
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 1)); then
    echo "appfailover: RUNS must be >= 1" >&2
    exit 2
fi
((EUID == 0)) || { echo "appfailover: needs root (network namespaces)" >&2; exit 2; }
# shellcheck source=../tests/lab/lab.sh
source "$APPFO_HOME/../tests/lab/lab.sh"
# shellcheck source=../tests/lab/lab_app.sh
source "$APPFO_HOME/../tests/lab/lab_app.sh"
# shellcheck source=pcmk_lab.sh
source "$APPFO_HOME/pcmk_lab.sh"
# shellcheck source=appfailover_pcmk.sh
source "$APPFO_HOME/appfailover_pcmk.sh"
# shellcheck source=appfailover_clusapi.sh
source "$APPFO_HOME/appfailover_clusapi.sh"

appfo_die() {
    echo "appfailover: $*" >&2
    exit 1
}

for t in prober responder; do
    [[ -x $(lab__tool "$t") ]] || appfo_die "$(lab__tool "$t") not built (set BUILD_DIR)"
done
if [[ $SIDES != clusapi ]]; then
    # shellcheck source=../scripts/install-deps.sh
    BENCH_ONLY=1 source "$APPFO_HOME/../scripts/install-deps.sh"
    install_bench_packages || appfo_die "could not install ${BENCH_PACKAGES[*]}"
fi
command -v nginx >/dev/null || appfo_die "nginx is not installed (nginx-light)"
[[ $SIDES == peer ]] || clusapi_preflight

median() {
    sort -n | awk '{ v[NR] = $1 }
        END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# ------------------------------------------------------------------------------------------------
# The application and the faults
# ------------------------------------------------------------------------------------------------

# Node I's nginx config, at $LAB_DIR/nI/web/nginx.conf, seen by node I at $APPFO_WEB/nginx.conf.
appfo_web_conf() { # I
    local d=$LAB_DIR/n$1/web
    mkdir -p "$d/tmp"
    lab_app_nginx_conf "$APPFO_WEB" "$APPFO_IP:80" "n$1" >"$d/nginx.conf"
}

# status10url of ocf:heartbeat:nginx, the same on both sides.  Unset, the agent makes it from
# the config's listen address and the location of a stub_status, which the config lacks, and
# its validate-all refuses the result ("http://ADDR:80", no path).  Pacemaker never runs
# validate-all before a start, clusapi does; the monitor at depth 0 never reads the URL.
appfo_status_url() {
    echo "http://$APPFO_IP:80/"
}

# PIDs of node I's live nginx processes.  Not the zombies: a killed nginx daemonised by the OCF
# agent stays one until clussvc, its subreaper, reaps it before the agent's next action; taken
# for a running nginx it let a round count as settled before the restart, and the next round
# "kill" only what was already dead.
appfo_nginx_pids() { # I
    local pid stat
    for pid in $(ip netns pids "$(lab_node_ns "$1")" 2>/dev/null); do
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nginx ]] || continue
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        [[ ${stat%% *} != Z ]] && echo "$pid"
    done
    return 0
}

appfo_node_crash() { # I
    lab_link_down "$1"
    bench_kill_all "$1"
}

appfo_app_crash() { # I
    local -a pids
    mapfile -t pids < <(appfo_nginx_pids "$1")
    ((${#pids[@]})) || appfo_die "n$1 owns the group but runs no nginx"
    kill -KILL "${pids[@]}"
}

# Node I's nginx pid file goes, as /run's do at a reboot: ocf:heartbeat:nginx takes a live
# process of the stale pid (PIDs are reused fast here) for a running nginx and starts none.
appfo_forget_pid() { # I
    rm -f "$LAB_DIR/n$1/web/nginx.pid"
}

# After a crash, node I as after a reboot: processes gone, no group address, no pid file, link
# up.
appfo_reboot_clean() { # I
    lab_wait_for "n$1: every process gone" 10 bench_no_pids "$1"
    appfo_forget_pid "$1"
    ip -n "$(lab_node_ns "$1")" addr del "$APPFO_IP/24" dev eth0 2>/dev/null || true
    lab_link_up "$1"
}

# One node holds the address, runs nginx, no other node runs one, and the prober's latest
# answer came from it.
appfo_one_app_answering() {
    local owner i
    owner=$(lab_owner "$APPFO_IP") || return 1
    for ((i = 1; i <= LAB_NODES; i++)); do
        if ((i == owner)); then
            [[ -n $(appfo_nginx_pids "$i") ]] || return 1
        else
            [[ -z $(appfo_nginx_pids "$i") ]] || return 1
        fi
    done
    lab_probe_answered_by p "n$owner" --from "$(awk -v t="$EPOCHREALTIME" 'BEGIN {
        printf "%.6f", t - 0.2 }')"
}

# ------------------------------------------------------------------------------------------------
# Rounds and rows
# ------------------------------------------------------------------------------------------------

declare -A TIMES OVERLAPS FAILS NODES_SEEN
ROWS=()

record() { # ROW MS OVERLAP NODE
    [[ -n ${TIMES[$1]+x} || -n ${FAILS[$1]+x} ]] || ROWS+=("$1")
    if [[ $2 == - ]]; then
        FAILS[$1]=$((${FAILS[$1]:-0} + 1))
    else
        TIMES[$1]+="$2 "
    fi
    OVERLAPS[$1]=$((${OVERLAPS[$1]:-0} + $3))
    [[ -z $4 || " ${NODES_SEEN[$1]:-} " == *" $4 "* ]] || NODES_SEEN[$1]+="$4 "
}

# The prober's HTTP timeout (its default): a probe younger than that may still be answered.
APPFO_PROBE_TIMEOUT_S=2

# True once the fault at T on nOLD is over: KIND node (another node answers) or app (any
# node answers after the outage began).  For an application crash only probes sent at least
# the prober's timeout ago are judged: the probes overlap, and one still in flight (a loaded
# machine answers some in hundreds of ms) looked unanswered, with a later one answered before
# the kill taken for the recovery; the round then ended before the restart.
appfo_recovered() { # KIND T OLD
    local to
    if [[ $1 == node ]]; then
        [[ -n $(lab_probe_get p takeover_node --from "$2" --old "n$3") ]]
    else
        to=$(awk -v t="$EPOCHREALTIME" -v g="$APPFO_PROBE_TIMEOUT_S" 'BEGIN {
            printf "%.6f", t - g }')
        [[ $(lab_probe_get p recovered_ms --from "$2" --to "$to") != -1 &&
            $(lab_probe_get p outage --from "$2" --to "$to") == 1 ]]
    fi
}

# One round of FAULT (node, link, app) in row ROW; RESTART I brings a crashed node back and
# SETTLED tells when the cluster is whole again.
appfo_round() { # ROW FAULT RESTART SETTLED
    local old t kind=node ms node key=takeover_ms nkey=takeover_node
    old=$(lab_owner "$APPFO_IP") || appfo_die "$1: no single owner before the fault"
    lab_wait_for "$1: the prober hears n$old" 10 lab_probe_answered_by p "n$old"
    t=$EPOCHREALTIME
    case $2 in
    node) appfo_node_crash "$old" ;;
    link) lab_link_down "$old" ;;
    app) appfo_app_crash "$old"; kind=app key=recovered_ms nkey=recovered_node ;;
    esac
    if ! lab_poll 60 appfo_recovered "$kind" "$t" "$old"; then
        record "$1" - 0 ""
        appfo_die "$1: the application did not answer again within 60 s"
    fi
    case $2 in
    node) "$3" "$old" ;;
    link) lab_link_up "$old" ;;
    esac
    lab_wait_for "$1: settled again" 60 "$4"
    if [[ $kind == node ]]; then
        ms=$(lab_probe_get p "$key" --from "$t" --old "n$old")
        node=$(lab_probe_get p "$nkey" --from "$t" --old "n$old")
    else
        ms=$(lab_probe_get p "$key" --from "$t")
        node=$(lab_probe_get p "$nkey" --from "$t")
        [[ $node != "n$old" ]] || node="same"
    fi
    [[ $ms != -1 ]] || ms=- # no answer after the outage began: a failed round, not a time
    record "$1" "$ms" "$(lab_probe_get p overlap --from "$t")" "$node"
    printf 'appfailover: %-44s %8s ms\n' "$1" "$ms" >&2
}

# The three faults, RUNS rounds each, for side NAME (a row prefix).
appfo_rounds() { # SIDE NAME RESTART SETTLED
    local f r
    for f in node link app; do
        for ((r = 0; r < RUNS; r++)); do
            appfo_round "$2 $(appfo_fault_name "$f")" "$f" "$3" "$4"
        done
    done
}

appfo_fault_name() {
    case $1 in node) echo "node crash" ;; link) echo "link cut" ;; app) echo "app crash" ;; esac
}

# ------------------------------------------------------------------------------------------------
# The application's own start time
# ------------------------------------------------------------------------------------------------

# ROW: CMD... run on node 1 (its mount namespace), from its exec to the first 200.
appfo_start_once() { # ROW CMD...
    local t row=$1
    shift
    rm -f "$LAB_DIR/exec.stamp"
    APPFO_EXEC_STAMP=$LAB_DIR/exec.stamp lab_bg web-start 1 unshare -m -u --propagation private \
        bash "$APPFO_HOME/appfailover_node.sh" exec "$LAB_DIR/n1" "$APPFO_WEB" "$@"
    lab_wait_for "$row: started" 10 test -s "$LAB_DIR/exec.stamp"
    t=$(<"$LAB_DIR/exec.stamp")
    lab_wait_for "$row: answers" 20 appfo_answered_since s "$t"
    record "$row" "$(lab_probe_get s first_reply_ms --from "$t")" 0 ""
    lab_bg_stop web-start
    bench_kill_all 1 # the workers, should SIGTERM have been a SIGKILL
    appfo_forget_pid 1
}

# The agent as the OCF driver runs it before the group's nginx answers: validate-all, then
# start (Pacemaker runs the start alone).  Its parameters are those of both sides.
APPFO_OCF_AGENT=/usr/lib/ocf/resource.d/heartbeat/nginx
appfo_ocf_start_cmd() {
    APPFO_CMD=(env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=web-app
        "OCF_RESKEY_configfile=$APPFO_WEB/nginx.conf" OCF_RESKEY_httpd=/usr/sbin/nginx
        "OCF_RESKEY_options=-e $APPFO_WEB/error.log" "OCF_RESKEY_status10url=$(appfo_status_url)"
        bash -c '"$1" validate-all && "$1" start' agent "$APPFO_OCF_AGENT")
}

appfo_answered_since() { # PROBER T
    [[ $(lab_probe_get "$1" first_reply_ms --from "$2") != -1 ]]
}

appfo_start_time() {
    local r
    local -a APPFO_CMD
    echo "appfailover: the application's start time ($RUNS rounds) ..." >&2
    ip -n "$(lab_node_ns 1)" addr add "$APPFO_IP/24" dev eth0
    lab_bg s c "$(lab__tool prober)" --target "$APPFO_IP" --http 80 --interval-ms 1 \
        --http-timeout-ms 200 --seconds 3600 --log "$LAB_DIR/bg/s.probe"
    for ((r = 0; r < RUNS; r++)); do
        appfo_start_once "application start (nginx)" \
            nginx -e "$APPFO_WEB/error.log" -g 'daemon off;' -c "$APPFO_WEB/nginx.conf"
    done
    if [[ -x $APPFO_OCF_AGENT ]]; then
        appfo_ocf_start_cmd
        for ((r = 0; r < RUNS; r++)); do
            appfo_start_once "application start (ocf:heartbeat:nginx)" "${APPFO_CMD[@]}"
        done
    fi
    lab_bg_stop s
    ip -n "$(lab_node_ns 1)" addr del "$APPFO_IP/24" dev eth0
}

# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------

med() { tr ' ' '\n' <<<"${TIMES[$1]:-}" | { grep . || true; } | median; }

# One target line: ROW's median against LIMIT ms (what the limit is made of in WHY).
appfo_target() { # ROW LIMIT WHY
    local m
    m=$(med "$1")
    [[ -n $m ]] || return 0
    printf '  %-44s %8s <= %6s ms  %-6s  (%s)\n' "$1" "$m" "$2" \
        "$(awk -v m="$m" -v l="$2" 'BEGIN { print (m <= l ? "met" : "missed") }')" "$3"
}

# The issue's targets, against the medians: a node fault within 1 s plus the application's own
# start (for ocf:heartbeat:nginx the agent's validate-all and start), an application crash
# within 100 ms plus its start (at the defaults plus the 500 ms RestartDelay that Windows waits
# before a restart), and 5x Pacemaker.
appfo_targets() {
    local st c f p
    printf '\ntargets (medians against the limit):\n'
    for c in generic ocf; do
        if [[ $c == generic ]]; then
            st=$(med "application start (nginx)")
        else
            st=$(med "application start (ocf:heartbeat:nginx)")
        fi
        [[ -n $st ]] || continue
        for f in "node crash" "link cut"; do
            appfo_target "clusapi $c $f" "$(awk -v s="$st" 'BEGIN { print 1000 + s }')" \
                "1000 + start $st"
        done
        appfo_target "clusapi $c app crash" "$(awk -v s="$st" 'BEGIN { print 600 + s }')" \
            "RestartDelay 500 + 100 + start $st"
        [[ $c == ocf ]] || appfo_target "clusapi generic app crash, RestartDelay 0" \
            "$(awk -v s="$st" 'BEGIN { print 100 + s }')" "100 + start $st"
    done
    for f in "node crash" "link cut" "app crash"; do
        p=$(med "Pacemaker $f")
        [[ -n $p ]] || continue
        for c in "clusapi generic" "clusapi ocf"; do
            appfo_target "$c $f" "$(awk -v p="$p" 'BEGIN { print p / 5 }')" "Pacemaker $p / 5"
        done
    done
}

appfo_report() {
    local row v n a b f c
    printf '\ncommand: RUNS=%s BUILD_DIR=%s bash %s %s\n' "$RUNS" "$BUILD_DIR" "$0" "$*"
    printf 'fault -> first HTTP 200 on the group address, as the client-side prober saw it\n'
    printf '%-44s %8s %8s %8s %7s %6s  %s\n' row median min max overlap failed "answered by"
    for row in "${ROWS[@]}"; do
        v=$(tr ' ' '\n' <<<"${TIMES[$row]:-}" | grep . || true)
        n=$(grep -c . <<<"$v" || true)
        if ((n)); then
            printf '%-44s %8s %8s %8s %7s %6s  %s\n' "$row" "$(median <<<"$v")" \
                "$(sort -n <<<"$v" | head -n 1)" "$(sort -n <<<"$v" | tail -n 1)" \
                "${OVERLAPS[$row]:-0}/$((n + ${FAILS[$row]:-0}))" "${FAILS[$row]:-0}" \
                "${NODES_SEEN[$row]:-}"
        else
            printf '%-44s %8s %8s %8s %7s %6s\n' "$row" - - - - "${FAILS[$row]:-0}"
        fi
    done
    printf '(ms; %s rounds each; overlap = rounds in which two nodes answered for the address\n' \
        "$RUNS"
    printf ' from the fault until the cluster settled; "same" = restarted on the crashed node)\n'
    printf '\nratios Pacemaker / clusapi (medians):\n'
    for f in "node crash" "link cut" "app crash"; do
        for c in "clusapi generic" "clusapi ocf"; do
            a=$(med "Pacemaker $f")
            b=$(med "$c $f")
            [[ -n $a && -n $b ]] || continue
            printf '  %-34s %7.1f   (%s / %s ms)\n' "$f, ${c#clusapi }" \
                "$(awk -v a="$a" -v b="$b" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$a" "$b"
        done
    done
    appfo_targets
    printf '\nPacemaker: fencing is off (stonith-enabled=false; no fence device in the lab), so a\n'
    printf 'cut-off node is trusted to stop its own resources when it loses quorum\n'
    printf '(no-quorum-policy=stop); clusapi fences by its quorum lease.  Operations as pcs sets\n'
    printf 'them from the agents'"'"' meta-data: monitor every 10 s; corosync token 3000 ms.\n'
    printf 'clusapi at its defaults: SameSubnetDelay 250 ms x SameSubnetThreshold 3,\n'
    printf 'QuorumLease 500 ms, RestartAction 2, RestartDelay 500 ms (Windows'"'"' defaults);\n'
    printf 'RestartThreshold %s (default 3 in 15 min) so that every app crash round restarts\n' \
        "$CLUSAPI_RESTART_THRESHOLD"
    printf 'in place instead of failing the group over from the 4th round on.\n'
}

# ------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------

lab_init 3
APPFO_IP=$(lab_cluster_ip 1)
APPFO_WEB=$LAB_DIR/web
mkdir -p "$APPFO_WEB"
for ((i = 1; i <= LAB_NODES; i++)); do appfo_web_conf "$i"; done
lab_start_responders || appfo_die "the responders did not start"
appfo_start_time
lab_start_prober p "$APPFO_IP" 3600 --http 80
if [[ $SIDES != peer ]]; then clusapi_run; fi
if [[ $SIDES != clusapi ]]; then pcmk_run; fi
lab_bg_stop p
appfo_report "$@"
