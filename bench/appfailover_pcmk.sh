# shellcheck shell=bash
# bench/appfailover_pcmk.sh — the Pacemaker side of bench/appfailover (sourced by it).
#
# Three nodes of Debian's corosync 3 (knet, one shared authkey, each its own corosync.conf)
# and Pacemaker 2, each node in its own mount namespace (bench/pcmk_lab.sh), and a group "web"
# of ocf:heartbeat:IPaddr2 (the group address) and ocf:heartbeat:nginx (the node's own nginx
# config at the one path $APPFO_WEB/nginx.conf), written into the CIB with cibadmin.
# Operations as `pcs resource create` sets them from the agents' meta-data: monitor every 10 s
# (timeout 20 s for IPaddr2, 30 s for nginx), start/stop timeouts 20/20 s and 40/60 s.  Cluster
# options at Pacemaker's defaults except stonith-enabled=false (no fence device exists in a
# namespace lab) and resource-stickiness=1 in rsc_defaults, which `pcs cluster setup` sets on a
# new cluster.  corosync at its defaults: token 3000 ms (+650 ms per node past two), consensus
# 1.2 x token.

PCMK_GROUP=web
PCMK_CLUSTER=appfailover

pcmk_cib() {
    cat <<EOF
<group id="$PCMK_GROUP">
$(pcmk_ipaddr2_xml web-ip "$APPFO_IP")
  <primitive id="web-app" class="ocf" provider="heartbeat" type="nginx">
    <instance_attributes id="web-app-ia">
      <nvpair id="web-app-conf" name="configfile" value="$APPFO_WEB/nginx.conf"/>
      <nvpair id="web-app-httpd" name="httpd" value="/usr/sbin/nginx"/>
      <nvpair id="web-app-options" name="options" value="-e $APPFO_WEB/error.log"/>
      <nvpair id="web-app-status" name="status10url" value="$(appfo_status_url)"/>
    </instance_attributes>
    <operations>
      <op id="web-app-monitor" name="monitor" interval="10s" timeout="30s"/>
      <op id="web-app-start" name="start" interval="0s" timeout="40s"/>
      <op id="web-app-stop" name="stop" interval="0s" timeout="60s"/>
    </operations>
  </primitive>
</group>
EOF
}

pcmk_setup() {
    local i
    for t in corosync pacemakerd cibadmin crm_mon crm_attribute unshare; do
        command -v "$t" >/dev/null || appfo_die "Pacemaker side: $t is not installed"
    done
    [[ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 && -x /usr/lib/ocf/resource.d/heartbeat/nginx ]] ||
        appfo_die "Pacemaker side: resource-agents (IPaddr2, nginx) is not installed"
    PCMK_WEB=$APPFO_WEB
    for ((i = 1; i <= LAB_NODES; i++)); do
        pcmk_conf "$i"
        pcmk_start_node "$i"
    done
    lab_wait_for "Pacemaker: a DC and every node online" 90 pcmk_all_online 1
    pcmk 1 crm_attribute --type crm_config --name stonith-enabled --update false
    pcmk 1 crm_attribute --type rsc_defaults --name resource-stickiness --update 1
    pcmk 1 cibadmin --create -o resources --xml-text "$(pcmk_cib)"
    lab_wait_for "Pacemaker: the group answers" 60 pcmk_settled
}

pcmk_settled() {
    local i
    appfo_one_app_answering || return 1
    for ((i = 1; i <= LAB_NODES; i++)); do
        pcmk_all_online "$i" || return 1
    done
}

# A crashed node comes back: no address left on it (a reboot clears it), link up, its stack
# started again.
pcmk_restart_node() { # I
    appfo_reboot_clean "$1"
    pcmk_start_node "$1"
}

# Every node as after a power cut: a clean Pacemaker shutdown takes longer than the whole bench
# needs (it stops the group, then each daemon in turn), and measures nothing.
pcmk_teardown() {
    local i
    for ((i = 1; i <= LAB_NODES; i++)); do bench_kill_all "$i"; done
    for ((i = 1; i <= LAB_NODES; i++)); do
        lab_bg_wait "pcmk-n$i" 5 >/dev/null || true
        ip -n "$(lab_node_ns "$i")" addr del "$APPFO_IP/24" dev eth0 2>/dev/null || true
    done
}

pcmk_run() {
    echo "appfailover: Pacemaker $(pacemakerd --version | head -n 1 | awk '{print $2}')," \
        "corosync $(corosync -v | sed -n "s/.*version '\\([^']*\\)'.*/\\1/p") ..." >&2
    pcmk_setup
    appfo_rounds pcmk "Pacemaker" pcmk_restart_node pcmk_settled
    pcmk_teardown
}
