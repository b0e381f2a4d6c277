# shellcheck shell=bash
# bench/failover2_pcmk.sh — the Pacemaker side of bench/failover2 (sourced by it).
#
# n1 and n2 run Debian's corosync 3 and Pacemaker 2 (bench/pcmk_lab.sh), a fresh cluster for
# each topology: votequorum with two_node: 1 (wait_for_all, which two_node turns on), then
# votequorum with a quorum device instead (corosync-qdevice on n1 and n2, model net, algorithm
# ffsplit, TLS with certificates signed by the qnetd; corosync-qnetd on n3).  two_node is left
# out with the device, as `pcs quorum device add` does: the device's vote breaks the tie.  The
# CIB: a group "failover" of one ocf:heartbeat:IPaddr2 for the cluster address, written with
# cibadmin; stonith-enabled=false (no fence device in the lab) and resource-stickiness=1 (what
# `pcs cluster setup` sets), everything else at Pacemaker's defaults (no-quorum-policy=stop).

PCMK_VOTES= # the total votes of the whole cluster: 2 with two_node, 3 with the quorum device

pcmk_fo_cib() {
    printf '<group id="failover">\n%s\n</group>\n' "$(pcmk_ipaddr2_xml cluster-ip "$LAB_FO_IP")"
}

# The cluster whole: one node holds the address and the prober's latest answer came from it,
# both nodes see a DC and each other online, and votequorum counts every vote.
pcmk_fo_settled() {
    local owner i
    owner=$(lab_owner "$LAB_FO_IP") || return 1
    for i in $PCMK_NODES; do
        pcmk_all_online "$i" || return 1
        [[ $(pcmk_total_votes "$i") == "$PCMK_VOTES" ]] || return 1
    done
    lab_probe_answered_by p "n$owner" --from "$(awk -v t="$EPOCHREALTIME" 'BEGIN {
        printf "%.6f", t - 0.2 }')"
}

pcmk_settle() { # I (the node the fault was on)
    lab_wait_for "Pacemaker: settled after the fault on n$1" "$FO2_SETTLE" pcmk_fo_settled
}

pcmk_restart() { # I
    pcmk_start_node "$1" || fo2_die "n$1: the Pacemaker stack did not start again"
}

# A clean stop: SIGTERM to node I's stack (bench/appfailover_node.sh stops pacemakerd, which
# stops the group here and lets the other node start it, then corosync-qdevice and corosync).
pcmk_stop() { # I
    lab_bg_signal "pcmk-n$1" TERM
}

pcmk_after_stop() { # I
    lab_bg_wait "pcmk-n$1" "$FO2_SETTLE" >/dev/null || true
    bench_kill_all "$1" # nothing, unless the stop hung
    pcmk_restart "$1"
}

# Node I's copy of every earlier Pacemaker cluster goes, as on a freshly installed machine.
pcmk_wipe() { # I
    rm -rf "$LAB_DIR/n$1/pcmk" "$LAB_DIR/n$1/corosync.conf" "$LAB_DIR/n$1"/*.pid
}

# A fresh two-node cluster of topology TOPO (two_node or qnetd), the group running.
pcmk_fo_setup() { # TOPO
    local i
    for i in $PCMK_NODES $FO2_THIRD; do pcmk_wipe "$i"; done
    if [[ $1 == qnetd ]]; then
        PCMK_QUORUM=$(qdevice_quorum "$FO2_THIRD")
        PCMK_VOTES=3
        qnetd_certs "$FO2_THIRD" ||
            fo2_die "the qnetd certificates: see $LAB_DIR/qnetd-certs.log"
        qnetd_start "$FO2_THIRD" || fo2_die "corosync-qnetd did not start"
    else
        PCMK_QUORUM='    two_node: 1'
        PCMK_VOTES=2
    fi
    for i in $PCMK_NODES; do
        pcmk_conf "$i"
        pcmk_start_node "$i" || fo2_die "n$i: the Pacemaker stack did not start"
    done
    lab_wait_for "Pacemaker ($1): a DC and both nodes online" 90 pcmk_all_online 1
    pcmk 1 crm_attribute --type crm_config --name stonith-enabled --update false
    pcmk 1 crm_attribute --type rsc_defaults --name resource-stickiness --update 1
    pcmk 1 cibadmin --create -o resources --xml-text "$(pcmk_fo_cib)"
    lab_wait_for "Pacemaker ($1): the address answers" "$FO2_SETTLE" pcmk_fo_settled
}

# Every daemon of the lab's Pacemaker cluster killed, the address removed.
pcmk_fo_teardown() {
    local i
    for i in $PCMK_NODES $FO2_THIRD; do bench_kill_all "$i"; done
    for i in $PCMK_NODES; do
        lab_bg_wait "pcmk-n$i" 5 >/dev/null || true
        ip -n "$(lab_node_ns "$i")" addr del "$LAB_FO_IP/24" dev eth0 2>/dev/null || true
    done
    [[ ! -e $LAB_DIR/bg/qnetd-n$FO2_THIRD.pid ]] ||
        lab_bg_wait "qnetd-n$FO2_THIRD" 5 >/dev/null || true
}

pcmk_topology() { # TOPO
    echo "failover2: Pacemaker, $1 ($RUNS rounds each) ..." >&2
    lab_start_prober p "$LAB_FO_IP" 3600
    pcmk_fo_setup "$1"
    fo2_rounds : fo2_round "Pacemaker $1 kill -9" bench_kill_all pcmk_restart pcmk_settle
    fo2_rounds : fo2_round "Pacemaker $1 link cut" lab_link_down lab_link_up pcmk_settle
    fo2_rounds : fo2_round "Pacemaker $1 clean stop" pcmk_stop pcmk_after_stop pcmk_settle
    pcmk_fo_teardown
    lab_bg_stop p
}

pcmk_run() {
    local t
    for t in corosync pacemakerd cibadmin crm_mon crm_attribute corosync-quorumtool unshare; do
        command -v "$t" >/dev/null || fo2_die "Pacemaker side: $t is not installed"
    done
    [[ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ]] ||
        fo2_die "Pacemaker side: resource-agents (IPaddr2) is not installed"
    PCMK_NODES=$FO2_NODES
    PCMK_CLUSTER=failover2
    echo "failover2: Pacemaker $(pacemakerd --version | head -n 1 | awk '{print $2}')," \
        "corosync $(corosync -v | sed -n "s/.*version '\\([^']*\\)'.*/\\1/p")" >&2
    [[ " $TOPOLOGIES " != *" no-witness "* ]] || pcmk_topology two_node
    if [[ " $TOPOLOGIES " == *" witness "* ]]; then
        for t in corosync-qnetd corosync-qdevice corosync-qnetd-certutil \
            corosync-qdevice-net-certutil; do
            command -v "$t" >/dev/null || fo2_die "Pacemaker side: $t is not installed"
        done
        pcmk_topology qnetd
    fi
}
