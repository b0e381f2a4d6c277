# shellcheck shell=bash
# bench/appfailover_pcmk.sh — the Pacemaker side of bench/appfailover (sourced by it).
#
# Three nodes of Debian's corosync 3 (knet, one shared authkey, each its own corosync.conf)
# and Pacemaker 2, each node in its own mount namespace (bench/appfailover_node.sh pcmk), and a
# group "web" of ocf:heartbeat:IPaddr2 (the group address) and ocf:heartbeat:nginx (the node's
# own nginx config at the one path $APPFO_WEB/nginx.conf), written into the CIB with cibadmin.
# Operations as `pcs resource create` sets them from the agents' meta-data: monitor every 10 s
# (timeout 20 s for IPaddr2, 30 s for nginx), start/stop timeouts 20/20 s and 40/60 s.  Cluster
# options at Pacemaker's defaults except stonith-enabled=false (no fence device exists in a
# namespace lab) and resource-stickiness=1 in rsc_defaults, which `pcs cluster setup` sets on a
# new cluster.  corosync at its defaults: token 3000 ms (+650 ms per node past two), consensus
# 1.2 x token.

PCMK_GROUP=web

pcmk_conf() { # I
    local i=$1 j d=$LAB_DIR/n$1
    mkdir -p "$d"
    {
        printf 'totem {\n    version: 2\n    cluster_name: appfailover\n    transport: knet\n'
        printf '    crypto_cipher: aes256\n    crypto_hash: sha256\n'
        printf '    keyfile: %s\n}\n' "$LAB_DIR/pcmk-authkey"
        printf 'nodelist {\n'
        for ((j = 1; j <= LAB_NODES; j++)); do
            printf '    node {\n        ring0_addr: %s\n        name: n%d\n        nodeid: %d\n    }\n' \
                "$(lab_node_addr "$j")" "$j" "$j"
        done
        printf '}\nquorum {\n    provider: corosync_votequorum\n}\n'
        printf 'logging {\n    to_logfile: yes\n    logfile: %s/corosync.log\n' "$d"
        printf '    to_stderr: no\n    to_syslog: no\n    timestamp: on\n}\n'
    } >"$d/corosync.conf"
}

pcmk_start_node() { # I
    lab_bg "pcmk-n$1" "$1" unshare -m -u --propagation private \
        bash "$APPFO_HOME/appfailover_node.sh" pcmk "$LAB_DIR/n$1" "$APPFO_WEB"
}

# pcmk I ARGS... — a Pacemaker command-line tool run in node I's namespace (its IPC is there).
pcmk() {
    local i=$1
    shift
    lab_node "$i" "$@"
}

# True when node I's Pacemaker sees a DC and every node online.
pcmk_all_online() { # I
    local xml
    xml=$(pcmk "$1" crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    grep -q '<current_dc present="true"' <<<"$xml" &&
        [[ $(grep -c '<node name="n[0-9]*".* online="true"' <<<"$xml") == "$LAB_NODES" ]]
}

pcmk_cib() {
    local ip=$APPFO_IP
    cat <<EOF
<group id="$PCMK_GROUP">
  <primitive id="web-ip" class="ocf" provider="heartbeat" type="IPaddr2">
    <instance_attributes id="web-ip-ia">
      <nvpair id="web-ip-ip" name="ip" value="$ip"/>
      <nvpair id="web-ip-cidr" name="cidr_netmask" value="24"/>
      <nvpair id="web-ip-nic" name="nic" value="eth0"/>
    </instance_attributes>
    <operations>
      <op id="web-ip-monitor" name="monitor" interval="10s" timeout="20s"/>
      <op id="web-ip-start" name="start" interval="0s" timeout="20s"/>
      <op id="web-ip-stop" name="stop" interval="0s" timeout="20s"/>
    </operations>
  </primitive>
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
    (umask 077 && head -c 256 /dev/urandom >"$LAB_DIR/pcmk-authkey")
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
    for ((i = 1; i <= LAB_NODES; i++)); do appfo_kill_all "$i"; done
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
