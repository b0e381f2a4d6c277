# shellcheck shell=bash
# bench/appfailover_clusapi.sh — the clusapi side of bench/appfailover (sourced by it).
#
# A 3-node cluster made with lab_create (core address $(lab_cluster_ip 0)), every clussvc in its
# own mount namespace (bench/appfailover_node.sh clussvc: its nginx config at $APPFO_WEB), and a
# group "web" built with clusctl: an IP Address (the group address) and nginx depending on it,
# first as a Generic Application (nginx in the foreground), then as ocf:heartbeat:nginx.  All at
# the defaults; one extra row with the application's RestartDelay=0.

CLUSAPI_CLUSTER=n1 # clusctl -c: any node answers for the cluster
CLUSAPI_RESTART_THRESHOLD=1000

# clus ARGS... — clusctl in the client namespace, bounded to 30 s; a failure ends the bench
# with clusctl's own message.
clus() {
    local -a ctl
    local out rc=0
    lab__clusctl_cmd ctl
    out=$(CLUSAPI_AUTHKEY=$LAB_DIR/authkey timeout 30 ip netns exec "$(lab_client_ns)" \
        "${ctl[@]}" -c "$CLUSAPI_CLUSTER" "$@" 2>&1) || rc=$?
    ((rc == 0)) || appfo_die "clusctl $* failed (exit $rc): $out"
    printf '%s\n' "$out"
}

# Fails at once, before any cluster is built, if clusctl lacks the resource commands.
clusapi_preflight() {
    local -a ctl
    local help
    lab__clusctl_cmd ctl
    [[ -x ${ctl[0]} ]] || appfo_die "clusctl not built: ${ctl[0]} (set BUILD_DIR)"
    [[ -x $BUILD_DIR/src/daemon/clussvc ]] || appfo_die "clussvc not built (set BUILD_DIR)"
    help=$("${ctl[@]}" --help 2>&1 || true)
    local c
    for c in "resource create" "resource depend" "resource set" "group create" "group online"; do
        grep -q "^ *$c" <<<"$help" ||
            appfo_die "clusctl has no '$c' command yet (the clusctl resource commands of" \
                "issue 11); run the Pacemaker side alone with --peer-only"
    done
}

clusapi_settled() {
    local owner i all
    appfo_one_app_answering || return 1
    owner=$(lab_owner "$APPFO_IP") || return 1
    all=$(seq -s ' ' 1 "$LAB_NODES")
    # shellcheck disable=SC2086 # a list of indexes
    lab_nodes_agree db_hash $all || return 1
    for ((i = 1; i <= LAB_NODES; i++)); do
        lab_nodeinfo_is "$i" state=19 committed=1 >/dev/null 2>&1 || return 1
        [[ $(lab_group_owner "$i" web) == "n$owner" ]] || return 1
    done
    # Online in the database too: a restart answers HTTP a moment before its owner records it
    # and watches it again, and a crash in that moment would be seen only at the next poll.
    lab_app_is "$owner" resource web-app Online "$owner" 2>/dev/null
}

clusapi_restart_node() { # I
    appfo_reboot_clean "$1"
    lab_start_node "$1" >/dev/null || appfo_die "n$1: clussvc did not start again"
}

clusapi_cluster() {
    local i rc=0
    local -a args=()
    CLUSSVC="unshare -m -u --propagation private bash $APPFO_HOME/appfailover_node.sh clussvc"
    CLUSSVC+=" $LAB_DIR $APPFO_WEB ${CLUSSVC_BIN:-$BUILD_DIR/src/daemon/clussvc}"
    export CLUSSVC
    for ((i = 1; i <= LAB_NODES; i++)); do
        lab_start_node "$i" || appfo_die "n$i: clussvc did not start"
        args+=(--node "n$i")
    done
    lab_create appbench "${args[@]}" --ip "$(lab_cluster_ip 0)/24" >"$LAB_DIR/create.out" 2>&1 ||
        rc=$?
    ((rc == 0)) || appfo_die "create failed (exit $rc): $(tail -n 1 "$LAB_DIR/create.out")"
    clus group create web >/dev/null
    clus resource create web-ip --group web --type "IP Address" --prop "Address=$APPFO_IP" \
        --prop PrefixLength=24 >/dev/null
}

# The application resource VARIANT (generic, ocf) in group web, online.
clusapi_app() { # VARIANT
    if [[ $1 == generic ]]; then
        clus resource create web-app --group web --type "Generic Application" \
            --prop "CommandLine=/usr/sbin/nginx -e $APPFO_WEB/error.log -g 'daemon off;' -c $APPFO_WEB/nginx.conf" \
            >/dev/null
    else
        clus resource create web-app --group web --type ocf:heartbeat:nginx \
            --prop "configfile=$APPFO_WEB/nginx.conf" --prop httpd=/usr/sbin/nginx \
            --prop "options=-e $APPFO_WEB/error.log" --prop "status10url=$(appfo_status_url)" \
            >/dev/null
    fi
    clus resource depend web-app web-ip >/dev/null
    # Every app crash round a restart in place: at Windows' RestartThreshold 3 in RestartPeriod
    # 15 min, the 4th crash fails the group over, and after FailoverThreshold (nodes - 1 = 2)
    # such failovers the group stays Failed, as it should, and the bench ends.  The threshold
    # changes no timing of a restart.
    clus resource set web-app "RestartThreshold=$CLUSAPI_RESTART_THRESHOLD" >/dev/null
    clus group online web >/dev/null
    lab_wait_for "clusapi ($1): the group answers" 60 clusapi_settled
}

clusapi_run() {
    local r
    echo "appfailover: clusapi ..." >&2
    clusapi_cluster
    clusapi_app generic
    appfo_rounds clusapi "clusapi generic" clusapi_restart_node clusapi_settled
    clus resource set web-app RestartDelay=0 >/dev/null
    for ((r = 0; r < RUNS; r++)); do
        appfo_round "clusapi generic app crash, RestartDelay 0" app clusapi_restart_node \
            clusapi_settled
    done
    clus group offline web >/dev/null
    clus resource delete web-app >/dev/null
    clusapi_app ocf
    appfo_rounds clusapi "clusapi ocf" clusapi_restart_node clusapi_settled
    for ((r = 1; r <= LAB_NODES; r++)); do lab_stop_node "$r"; done
    for ((r = 1; r <= LAB_NODES; r++)); do bench_kill_all "$r"; done
    lab_wait_for "clusapi stopped: the group address released" 10 lab_nobody_holds "$APPFO_IP"
}
