# shellcheck shell=bash
# bench/pcmk_lab.sh — what the benches add to tests/lab/lab.sh to run a peer on the lab's nodes
# (sourced by bench/appfailover.sh and bench/failover2.sh, after lab.sh):
#
#   - a node's processes, and SIGKILL to all of them but the lab's responder;
#   - Debian's corosync 3 (knet, one shared authkey, each node its own corosync.conf) and
#     Pacemaker 2, each node in its own mount namespace (bench/appfailover_node.sh pcmk), started
#     without systemd;
#   - corosync-qnetd on a node of its own and corosync-qdevice (model net) on the cluster's
#     nodes, with the TLS certificates set up by the steps of corosync-qdevice-net-certutil(8)
#     and corosync-qnetd-certutil(8), the files carried between the namespaces' private
#     /etc/corosync through $LAB_DIR where a real setup copies them with scp (what
#     `corosync-qdevice-net-certutil -Q` does).
#
# Settings, read when a function runs:
#   PCMK_NODES    the indexes of the Pacemaker nodes ("1 2"); empty: every lab node
#   PCMK_CLUSTER  corosync's cluster_name (also the name the qnetd certificate is signed for)
#   PCMK_QUORUM   lines added to corosync.conf's quorum section (after the provider)
#   PCMK_WEB      the directory each node's NODE_DIR/web is bound over (appfailover's nginx
#                 config path); empty: $LAB_DIR/web

PCMK_LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PCMK_NODES=${PCMK_NODES:-}
PCMK_CLUSTER=${PCMK_CLUSTER:-bench}
PCMK_QUORUM=${PCMK_QUORUM:-}
PCMK_WEB=${PCMK_WEB:-}
QNETD_PORT=5403 # corosync-qnetd's default

# ------------------------------------------------------------------------------------------------
# A node's processes
# ------------------------------------------------------------------------------------------------

# bench_node_pids I — PIDs of node I's processes, but for the lab's responder.
bench_node_pids() {
    local pid keep
    keep=$(lab_bg_pid "responder-n$1" || true)
    for pid in $(ip netns pids "$(lab_node_ns "$1")" 2>/dev/null); do
        [[ $pid == "$keep" ]] || echo "$pid"
    done
}

# bench_no_pids I — true when node I runs nothing but the responder.
bench_no_pids() {
    [[ -z $(bench_node_pids "$1") ]]
}

# bench_kill_all I — SIGKILL to every process of node I but the responder, in one kill(1) call,
# then waits until none is left.
bench_kill_all() {
    local -a pids
    mapfile -t pids < <(bench_node_pids "$1")
    ((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
    lab_wait_for "n$1: every process gone" 10 bench_no_pids "$1"
}

# ------------------------------------------------------------------------------------------------
# corosync + Pacemaker
# ------------------------------------------------------------------------------------------------

pcmk_nodes() {
    if [[ -n $PCMK_NODES ]]; then echo "$PCMK_NODES"; else seq -s ' ' 1 "$LAB_NODES"; fi
}

pcmk_web() {
    echo "${PCMK_WEB:-$LAB_DIR/web}"
}

# pcmk_conf I — writes node I's corosync.conf ($LAB_DIR/nI/corosync.conf): the nodes of
# PCMK_NODES, votequorum with PCMK_QUORUM, logging to $LAB_DIR/nI/corosync.log; and the
# cluster's authkey ($LAB_DIR/pcmk-authkey) if there is none yet.
pcmk_conf() {
    local i=$1 j d=$LAB_DIR/n$1
    mkdir -p "$d"
    [[ -s $LAB_DIR/pcmk-authkey ]] ||
        (umask 077 && head -c 256 /dev/urandom >"$LAB_DIR/pcmk-authkey")
    {
        printf 'totem {\n    version: 2\n    cluster_name: %s\n    transport: knet\n' \
            "$PCMK_CLUSTER"
        printf '    crypto_cipher: aes256\n    crypto_hash: sha256\n'
        printf '    keyfile: %s\n}\n' "$LAB_DIR/pcmk-authkey"
        printf 'nodelist {\n'
        for j in $(pcmk_nodes); do
            printf '    node {\n        ring0_addr: %s\n        name: n%d\n' "$(lab_node_addr "$j")" "$j"
            printf '        nodeid: %d\n    }\n' "$j"
        done
        printf '}\nquorum {\n    provider: corosync_votequorum\n'
        [[ -z $PCMK_QUORUM ]] || printf '%s\n' "$PCMK_QUORUM"
        printf '}\nlogging {\n    to_logfile: yes\n    logfile: %s/corosync.log\n' "$d"
        printf '    to_stderr: no\n    to_syslog: no\n    timestamp: on\n}\n'
    } >"$d/corosync.conf"
}

# pcmk_start_node I — starts node I's stack in the background (lab_bg name pcmk-nI).
pcmk_start_node() {
    lab_bg "pcmk-n$1" "$1" unshare -m -u --propagation private \
        bash "$PCMK_LAB_HOME/appfailover_node.sh" pcmk "$LAB_DIR/n$1" "$(pcmk_web)"
}

# pcmk_exec I CMD... — CMD in node I's network namespace, with node I's private corosync and
# Pacemaker directories in place (the certificate tools write to compiled-in paths).
pcmk_exec() {
    local i=$1
    shift
    lab_node "$i" unshare -m -u --propagation private \
        bash "$PCMK_LAB_HOME/appfailover_node.sh" pcmk-exec "$LAB_DIR/n$i" "$(pcmk_web)" "$@"
}

# pcmk I ARGS... — a Pacemaker or corosync command-line tool run in node I's namespace (their
# IPC is there).
pcmk() {
    local i=$1
    shift
    lab_node "$i" "$@"
}

# pcmk_all_online I — true when node I's Pacemaker sees a DC and every node of PCMK_NODES
# online.
pcmk_all_online() {
    local xml n
    n=$(wc -w <<<"$(pcmk_nodes)")
    xml=$(pcmk "$1" crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    grep -q '<current_dc present="true"' <<<"$xml" &&
        [[ $(grep -c '<node name="n[0-9]*".* online="true"' <<<"$xml") == "$n" ]]
}

# pcmk_ipaddr2_xml ID ADDR — the CIB primitive of ocf:heartbeat:IPaddr2 ID for ADDR/24 on eth0,
# with the operations `pcs resource create` takes from the agent's meta-data (monitor every
# 10 s, timeout 20 s; start and stop timeouts 20 s).
pcmk_ipaddr2_xml() {
    cat <<EOF
  <primitive id="$1" class="ocf" provider="heartbeat" type="IPaddr2">
    <instance_attributes id="$1-ia">
      <nvpair id="$1-ip" name="ip" value="$2"/>
      <nvpair id="$1-cidr" name="cidr_netmask" value="24"/>
      <nvpair id="$1-nic" name="nic" value="eth0"/>
    </instance_attributes>
    <operations>
      <op id="$1-monitor" name="monitor" interval="10s" timeout="20s"/>
      <op id="$1-start" name="start" interval="0s" timeout="20s"/>
      <op id="$1-stop" name="stop" interval="0s" timeout="20s"/>
    </operations>
  </primitive>
EOF
}

# pcmk_total_votes I — the "Total votes" of node I's votequorum (corosync-quorumtool).
pcmk_total_votes() {
    pcmk "$1" corosync-quorumtool -s 2>/dev/null | awk -F: '/^Total votes/ { print $2 + 0 }'
}

# ------------------------------------------------------------------------------------------------
# corosync-qnetd and corosync-qdevice
# ------------------------------------------------------------------------------------------------

# qnetd_certs Q — the TLS setup of a qnetd on node Q for the cluster PCMK_CLUSTER of the nodes
# PCMK_NODES, in the order of corosync-qdevice-net-certutil -Q: the qnetd's CA and server
# certificate; each node's database with the CA; a certificate request from the first node,
# signed by the qnetd for the cluster's name; imported there, and its key and certificate
# (pk12) imported on every other node.  Output to $LAB_DIR/qnetd-certs.log.
qnetd_certs() {
    qnetd__cert_steps "$1" >>"$LAB_DIR/qnetd-certs.log" 2>&1
}

qnetd__cert_steps() { # Q
    local q=$1 first i
    local qdb=$LAB_DIR/n$q/pcmk/etc-corosync/qnetd/nssdb
    local ndb=pcmk/etc-corosync/qdevice/net/nssdb # below $LAB_DIR/nI
    read -r first _ <<<"$(pcmk_nodes)"
    pcmk_exec "$q" corosync-qnetd-certutil -i || return 1
    cp "$qdb/qnetd-cacert.crt" "$LAB_DIR/" || return 1
    for i in $(pcmk_nodes); do
        pcmk_exec "$i" corosync-qdevice-net-certutil -i -c "$LAB_DIR/qnetd-cacert.crt" ||
            return 1
    done
    pcmk_exec "$first" corosync-qdevice-net-certutil -r -n "$PCMK_CLUSTER" || return 1
    cp "$LAB_DIR/n$first/$ndb/qdevice-net-node.crq" "$LAB_DIR/" || return 1
    pcmk_exec "$q" corosync-qnetd-certutil -s -c "$LAB_DIR/qdevice-net-node.crq" \
        -n "$PCMK_CLUSTER" || return 1
    cp "$qdb/cluster-$PCMK_CLUSTER.crt" "$LAB_DIR/" || return 1
    pcmk_exec "$first" corosync-qdevice-net-certutil -M -c "$LAB_DIR/cluster-$PCMK_CLUSTER.crt" ||
        return 1
    cp "$LAB_DIR/n$first/$ndb/qdevice-net-node.p12" "$LAB_DIR/" || return 1
    for i in $(pcmk_nodes); do
        [[ $i == "$first" ]] && continue
        pcmk_exec "$i" corosync-qdevice-net-certutil -m -c "$LAB_DIR/qdevice-net-node.p12" ||
            return 1
    done
}

qnetd_listening() { # Q
    [[ -n $(ip netns exec "$(lab_node_ns "$1")" ss -ltnH "sport = :$QNETD_PORT" 2>/dev/null) ]]
}

# qnetd_start Q — corosync-qnetd in the foreground on node Q (lab_bg name qnetd-nQ), as root
# (the Debian unit runs it as coroqnetd; the namespace's private directories are root's), TLS
# as set up by qnetd_certs; waits until it listens.
qnetd_start() {
    lab_bg "qnetd-n$1" "$1" unshare -m -u --propagation private \
        bash "$PCMK_LAB_HOME/appfailover_node.sh" pcmk-exec "$LAB_DIR/n$1" "$(pcmk_web)" \
        corosync-qnetd -f || return 1
    lab_wait_for "corosync-qnetd on n$1 listens" 10 qnetd_listening "$1"
}

# qdevice_quorum Q — the quorum section's lines for a model-net quorum device served by the
# qnetd on node Q, algorithm ffsplit (its one vote to the larger half, or on a tie to one).
qdevice_quorum() {
    printf '    device {\n        votes: 1\n        model: net\n        net {\n'
    printf '            host: %s\n            algorithm: ffsplit\n        }\n    }' \
        "$(lab_node_addr "$1")"
}
