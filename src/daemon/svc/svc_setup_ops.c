/*
 * svc_setup_ops — what a setup asks of one node: its information, whether an address is free
 * and a peer reachable (on the connection thread: they block), the claim that reserves the node
 * for one setup, its configuration and start, the setup commit, and the cluster credential for
 * a node being added.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include <clusapi.h>

#include "common/address.h"
#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/base/log.h"
#include "daemon/net/net_addr.h"
#include "daemon/net/net_peer.h"
#include "daemon/net/net_probe.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_votes.h"
#include "daemon/svc/svc_ops.h"

#define PROBE_TIMEOUT_MS 100
#define PEER_TIMEOUT_MS 1000
#define MAX_LEASE_MS 120000

/* ------------------------------------------------------------------------------------------ */
/* Checks on the connection thread                                                             */
/* ------------------------------------------------------------------------------------------ */

void svc_op_check_ip(struct svc *s, struct rpc_call *call)
{
    char text[64], ifname[32] = "";
    struct net_addr a;
    uint32_t prefix;
    int ifindex, rv;

    (void)s;
    if (!svc_req_str(call, RPC_F_ADDRESS, text, sizeof(text)) || addr_parse(text, &a) < 0 ||
        wire_get_u32(call->req, call->req_len, RPC_F_PREFIX, &prefix) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed address");
        return;
    }
    rv = net_addr_find_ifindex(&a, prefix, &ifindex);
    if (rv < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NETWORK_NOT_FOUND,
                        "no interface of this node is in %s/%u",
                        text, prefix);
        return;
    }
    if (if_indextoname((unsigned)ifindex, ifname) == NULL)
        snprintf(ifname, sizeof(ifname), "if%d", ifindex);
    if (net_addr_present(&a, NULL) == 1) {
        rpc_call_finish(call, ERROR_CLUSTER_IPADDR_IN_USE,
                        "%s is already configured on this node", text);
        return;
    }
    rv = net_probe_in_use(ifindex, &a, PROBE_TIMEOUT_MS);
    if (rv == 1) {
        rpc_call_finish(call, ERROR_CLUSTER_IPADDR_IN_USE,
                        "%s already answers on %s", text, ifname);
        return;
    }
    if (rv < 0) {
        rpc_call_finish(call, win32_from_errno(rv), "cannot probe %s on %s: %s", text, ifname,
                        strerror(-rv));
        return;
    }
    wire_put_str(&call->reply, RPC_F_IFNAME, ifname);
    rpc_call_finish(call, 0, NULL);
}

void svc_op_check_peer(struct svc *s, struct rpc_call *call)
{
    char host[64];
    uint32_t port;
    int rv;

    (void)s;
    if (!svc_req_str(call, RPC_F_ADDRESS, host, sizeof(host)) ||
        wire_get_u32(call->req, call->req_len, RPC_F_PORT, &port) < 0 || port > 65535) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed peer");
        return;
    }
    rv = net_tcp_reachable(host, (uint16_t)port, PEER_TIMEOUT_MS);
    if (rv < 0)
        rpc_call_finish(call, ERROR_CLUSTER_NODE_UNREACHABLE,
                        "cannot reach %s port %u: %s", host, port,
                        strerror(-rv));
    else
        rpc_call_finish(call, 0, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Node information and the setup claim                                                        */
/* ------------------------------------------------------------------------------------------ */

/* Whether the state directory can be written (and if not, why), and the room it has: the setup
 * refuses a node that cannot hold a cluster before it changes anything (state_dir_check.h). */
/* The state directory as the setup judges it (common/state_dir_check.h). A node in a cluster
 * gives what its storage watch last found: a probe file made here, on the loop thread, could
 * wait on the file system's journal while heartbeats are due, and NODE_INFO comes often. */
static void put_state_dir(struct svc *s, struct wire_writer *w)
{
    const char *dir = s->opts.state_dir;
    int err = s->configured ? -(int)s->storage.sample.err : node_conf_prepare_dir(dir);
    struct statvfs sv;

    wire_put_u32(w, RPC_F_STATE_DIR_OK, err == 0);
    wire_put_u32(w, RPC_F_STATE_DIR_ERRNO, (uint32_t)-err);
    if (statvfs(dir, &sv) == 0)
        wire_put_u64(w, RPC_F_STATE_DIR_FREE, (uint64_t)sv.f_bavail * sv.f_frsize);
}

void svc_op_node_info(struct svc *s, struct rpc_call *call)
{
    struct wire_writer *w = &call->reply;
    struct timespec ts;
    char addr[64];
    uint16_t port;

    clock_gettime(CLOCK_REALTIME, &ts);
    wire_put_str(w, RPC_F_NODE_NAME, s->opts.name);
    wire_put_u32(w, RPC_F_NODE_STATE, svc_node_cluster_state(s));
    wire_put_u32(w, RPC_F_VERSION_MAJOR, SVC_VERSION_MAJOR);
    wire_put_u32(w, RPC_F_VERSION_MINOR, SVC_VERSION_MINOR);
    wire_put_u32(w, RPC_F_VERSION_BUILD, SVC_VERSION_BUILD);
    wire_put_i64(w, RPC_F_CLOCK_MS, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    put_state_dir(s, w);
    if (svc_storage_fault(s))
        wire_put_str(w, RPC_F_STORAGE_FAULT, s->storage.why);
    wire_put_u32(w, RPC_F_RAFT_PORT, s->opts.raft_port);
    wire_put_u64(w, RPC_F_SESSION, s->claim.session);
    wire_put_u32(w, RPC_F_MAX_NODES, (uint32_t)s->opts.max_nodes);
    wire_put_u64(w, RPC_F_ADMIN_REQUESTS, rpc_server_admin_requests(s->rpc));
    if (s->opts.witness) /* so that setup adds it as a witness, and only as one */
        wire_put_u32(w, RPC_F_WITNESS, 1);
    if (s->configured) {
        wire_put_str(w, RPC_F_CLUSTER_ID, s->conf.cluster_id);
        wire_put_str(w, RPC_F_CLUSTER_NAME, s->conf.cluster_name);
        wire_put_u64(w, RPC_F_NODE_ID, s->conf.node_id);
        wire_put_u32(w, RPC_F_COMMITTED, s->conf.committed);
    }
    if (s->consensus != NULL) {
        wire_put_u32(w, RPC_F_RAFT_STATE, consensus_role(s->consensus));
        wire_put_u64(w, RPC_F_LEADER_ID, consensus_leader(s->consensus));
        if (s->configured) /* the raft configuration's: RAFT_VOTER is a vote */
            wire_put_u32(w, RPC_F_ROLE,
                         (uint32_t)consensus_member_role(s->consensus, s->conf.node_id));
        if (consensus_role(s->consensus) == CONSENSUS_LEADER)
            wire_put_u32(w, RPC_F_VOTES_PENDING, svc_votes_pending(s));
        if (svc_leader_endpoint(s, addr, sizeof(addr), &port)) {
            wire_put_str(w, RPC_F_LEADER_ADDRESS, addr);
            wire_put_u32(w, RPC_F_LEADER_PORT, port);
        }
    }
    if (s->db != NULL) {
        uint64_t hash = 0;

        wire_put_u64(w, RPC_F_DB_VERSION, cdb_version(s->db));
        if (cdb_hash(s->db, &hash) == 0)
            wire_put_u64(w, RPC_F_DB_HASH, hash);
    }
    rpc_call_finish(call, 0, NULL);
}

void svc_op_setup_begin(struct svc *s, struct rpc_call *call)
{
    uint64_t session;
    uint32_t lease;

    if (wire_get_u64(call->req, call->req_len, RPC_F_SESSION, &session) < 0 || session == 0 ||
        wire_get_u32(call->req, call->req_len, RPC_F_LEASE_MS, &lease) < 0 || lease == 0 ||
        lease > MAX_LEASE_MS) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed setup claim");
        return;
    }
    if (s->configured && s->conf.committed) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER,
                        "node %s is already a member of cluster %s",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    if (s->wiping || (s->claim.session != 0 && s->claim.session != session)) {
        rpc_call_finish(call, ERROR_CLUSTER_JOIN_IN_PROGRESS,
                        "node %s is being set up by another caller",
                        s->opts.name);
        return;
    }
    if (s->configured && s->conf.setup_session != session) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER,
                        "node %s holds an unfinished cluster %s",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    s->claim.session = session;
    s->claim.deadline = svc_now_ms() + lease;
    rpc_call_finish(call, 0, NULL);
}

void svc_op_setup_keepalive(struct svc *s, struct rpc_call *call)
{
    uint32_t lease;

    if (wire_get_u32(call->req, call->req_len, RPC_F_LEASE_MS, &lease) < 0 || lease == 0 ||
        lease > MAX_LEASE_MS) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed lease");
        return;
    }
    s->claim.deadline = svc_now_ms() + lease;
    rpc_call_finish(call, 0, NULL);
}

void svc_op_set_credential(struct svc *s, struct rpc_call *call)
{
    char id[40], hex[2 * CHANNEL_KEY_BYTES + 1];
    struct channel_key key;
    int rv;

    if (!svc_req_str(call, RPC_F_CLUSTER_ID, id, sizeof(id)) ||
        !svc_req_str(call, RPC_F_KEY_HEX, hex, sizeof(hex)) ||
        channel_key_from_hex(hex, &key) < 0) {
        memset(hex, 0, sizeof(hex));
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed credential");
        return;
    }
    rv = svc_keys_set(s, id, &key);
    explicit_bzero(&key, sizeof(key));
    explicit_bzero(hex, sizeof(hex));
    if (rv < 0) {
        LOGE("svc", "cannot store the cluster credential in %s: %s", s->opts.state_dir,
             strerror(-rv));
        rpc_call_finish(call, win32_from_errno(rv), "cannot store the cluster credential: %s",
                        strerror(-rv));
        return;
    }
    rpc_call_finish(call, 0, NULL);
}

static int parse_configure(const struct rpc_call *call, struct node_conf *conf)
{
    struct wire_reader r;
    struct wire_field f;
    int rv;

    if (!svc_req_str(call, RPC_F_CLUSTER_ID, conf->cluster_id, sizeof(conf->cluster_id)) ||
        !svc_req_str(call, RPC_F_CLUSTER_NAME, conf->cluster_name, sizeof(conf->cluster_name)) ||
        wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &conf->node_id) < 0)
        return -EBADMSG;
    wire_reader_init(&r, call->req, call->req_len);
    while ((rv = wire_next(&r, &f)) > 0) {
        if (f.tag != RPC_F_PEER)
            continue;
        if (conf->n_peers == NODE_CONF_MAX_PEERS ||
            node_peer_parse(f.value, f.len, &conf->peers[conf->n_peers++]) < 0)
            return -EBADMSG;
    }
    if (rv < 0 || node_conf_peer(conf, conf->node_id) == NULL)
        return -EBADMSG;
    return 0;
}

void svc_op_configure(struct svc *s, struct rpc_call *call)
{
    struct node_conf *conf;
    uint32_t join = 0;
    int rv;

    if (s->configured) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "node %s is already configured",
                        s->opts.name);
        return;
    }
    conf = calloc(1, sizeof(*conf));
    if (conf == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    rv = parse_configure(call, conf);
    conf->setup_session = s->claim.session;
    wire_get_u32(call->req, call->req_len, RPC_F_JOIN, &join);
    conf->join = join != 0;
    if (rv == 0)
        rv = node_conf_save(s->opts.state_dir, conf);
    if (rv < 0 && rv != -EBADMSG)
        LOGE("svc", "cannot write %s/cluster.conf: %s", s->opts.state_dir, strerror(-rv));
    if (rv < 0) {
        rpc_call_finish(call, rv == -EBADMSG ? ERROR_INVALID_PARAMETER : win32_from_errno(rv),
                        "cannot write the node's configuration: %s", strerror(-rv));
    } else {
        s->conf = *conf;
        s->configured = true;
        LOGI("svc", "configured as node %llu of cluster %s",
             (unsigned long long)conf->node_id, conf->cluster_name);
        rpc_call_finish(call, 0, NULL);
    }
    free(conf);
}

void svc_op_start(struct svc *s, struct rpc_call *call)
{
    char errmsg[CONSENSUS_ERRMSG_SIZE] = "";
    int rv;

    if (!s->configured) {
        rpc_call_finish(call, ERROR_INVALID_STATE, "node %s is not configured", s->opts.name);
        return;
    }
    rv = svc_start_consensus(s, errmsg);
    if (rv < 0)
        rpc_call_finish(call, win32_from_errno(rv), "%s", errmsg);
    else
        rpc_call_finish(call, 0, NULL);
}

/* The setup is complete on every node: record it, and the claims become permanent. */
void svc_op_commit_setup(struct svc *s, struct rpc_call *call)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_set_prop(&w, "SetupCommitted", "1");
    svc_op_commit(s, call, &w);
}

void svc_op_get_credential(struct svc *s, struct rpc_call *call)
{
    char hex[2 * CHANNEL_KEY_BYTES + 1];

    if (!s->configured || !keys_held(&s->keys) || !s->conf.committed) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER, "node %s holds no cluster credential",
                        s->opts.name);
        return;
    }
    channel_key_to_hex(keys_send(&s->keys), hex);
    wire_put_str(&call->reply, RPC_F_CLUSTER_ID, s->conf.cluster_id);
    wire_put_str(&call->reply, RPC_F_KEY_HEX, hex);
    memset(hex, 0, sizeof(hex));
    rpc_call_finish(call, 0, NULL);
}
