#!/usr/bin/env bash
# bench/appfailover_node.sh — one node of bench/appfailover or bench/failover2 in its own mount
# (and UTS) namespace.  Run as:
#   unshare -m -u --propagation private bench/appfailover_node.sh MODE ...
#
#   exec NODE_DIR WEB_DIR CMD...   binds NODE_DIR/web over WEB_DIR (so the one nginx config path
#                                  that a cluster-wide resource names holds this node's own
#                                  config), sets the hostname to NODE_DIR's name, then execs CMD;
#                                  with APPFO_EXEC_STAMP set, writes $EPOCHREALTIME to that file
#                                  just before the exec;
#   clussvc LAB_DIR WEB_DIR CMD... the same with NODE_DIR = LAB_DIR/NAME, NAME the value of
#                                  CMD's --name: as CLUSSVC for lab_start_node, clussvc then
#                                  keeps the PID that lab_start_node recorded;
#   pcmk NODE_DIR WEB_DIR          the same binds, plus private copies of every directory that
#                                  corosync and Pacemaker have compiled in (/var/lib/pacemaker,
#                                  /var/lib/corosync, /var/log/pacemaker, /etc/corosync, /run),
#                                  then starts corosync -f with NODE_DIR/corosync.conf and, once
#                                  its IPC answers, pacemakerd -f, and corosync-qdevice -f if the
#                                  config has a quorum device.  Their PIDs go to
#                                  NODE_DIR/corosync.pid, pacemakerd.pid (and qdevice.pid); it
#                                  waits for any to end, and on SIGTERM stops pacemakerd, then
#                                  corosync-qdevice, then corosync (systemd's order);
#   pcmk-exec NODE_DIR WEB_DIR CMD...  the binds of pcmk, then execs CMD: the certificate tools
#                                  and corosync-qnetd, whose paths are compiled in too.
#
# Their sockets to one another are abstract Unix sockets (libqb), which a network namespace
# keeps apart, so three such nodes on one machine do not see each other's daemons.
set -euo pipefail
mode=$1 node_dir=$2 web_dir=$3
shift 3
if [[ $mode == clussvc ]]; then
    args=("$@")
    for ((i = 0; i + 1 < ${#args[@]}; i++)); do
        [[ ${args[i]} != --name ]] || node_dir=$node_dir/${args[i + 1]}
    done
    mode="exec"
fi
name=$(basename "$node_dir")

bind_private() { # SRC DST
    mkdir -p "$1" "$2"
    mount --bind "$1" "$2"
}

bind_private "$node_dir/web" "$web_dir"
hostname "$name"

if [[ $mode == exec ]]; then
    [[ -z ${APPFO_EXEC_STAMP:-} ]] || echo "$EPOCHREALTIME" >"$APPFO_EXEC_STAMP"
    exec "$@"
fi
[[ $mode == pcmk || $mode == pcmk-exec ]] ||
    { echo "appfailover_node: unknown mode $mode" >&2; exit 2; }

p=$node_dir/pcmk
mkdir -p "$p/lib-pacemaker"/{cib,pengine,blackbox,cores} "$p/lib-pacemaker/lrm" \
    "$p/lib-corosync" "$p/log-pacemaker" "$p/etc-corosync" "$p/run/resource-agents" \
    "$p/run/lock" "$p/run/corosync-qdevice" "$p/run/corosync-qnetd"
chown -R hacluster:haclient "$p/lib-pacemaker" "$p/log-pacemaker"
chmod 0750 "$p/lib-pacemaker"/{cib,pengine,blackbox,cores}
bind_private "$p/lib-pacemaker" /var/lib/pacemaker
bind_private "$p/lib-corosync" /var/lib/corosync
bind_private "$p/log-pacemaker" /var/log/pacemaker
bind_private "$p/etc-corosync" /etc/corosync
bind_private "$p/run" /run

[[ $mode == pcmk ]] || exec "$@"

export PCMK_logfile=$p/pacemaker.log PCMK_logfacility=none PCMK_blackbox=no

cs_pid="" pm_pid="" qd_pid=""
stop_pid() { # PID
    if [[ -n $1 ]] && kill -TERM "$1" 2>/dev/null; then
        wait "$1" 2>/dev/null || true
    fi
}
stop_all() {
    trap - TERM INT
    # pacemakerd stops its resources, then its daemons; bounded by bench's LAB_STOP_TIMEOUT
    stop_pid "$pm_pid"
    stop_pid "$qd_pid"
    stop_pid "$cs_pid"
    exit 0
}
trap stop_all TERM INT

corosync -f -c "$node_dir/corosync.conf" >>"$p/corosync.out" 2>&1 &
cs_pid=$!
echo "$cs_pid" >"$node_dir/corosync.pid"
for ((i = 0; i < 500; i++)); do
    corosync-cmapctl -g totem.cluster_name >/dev/null 2>&1 && break
    kill -0 "$cs_pid" 2>/dev/null || { echo "appfailover_node: corosync exited" >&2; exit 1; }
    sleep 0.02 # polling corosync's IPC until it answers; no event to wait on
done
pacemakerd -f >>"$p/pacemakerd.out" 2>&1 &
pm_pid=$!
echo "$pm_pid" >"$node_dir/pacemakerd.pid"
if grep -q '^ *device {' "$node_dir/corosync.conf"; then
    corosync-qdevice -f >>"$p/qdevice.out" 2>&1 &
    qd_pid=$!
    echo "$qd_pid" >"$node_dir/qdevice.pid"
fi
# Any daemon ending (killed by the bench's fault) ends the node; the rest is the bench's.
# shellcheck disable=SC2086 # qd_pid is empty without a quorum device
wait -n "$cs_pid" "$pm_pid" $qd_pid || true
stop_all
