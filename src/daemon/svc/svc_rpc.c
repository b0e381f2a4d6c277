/*
 * svc_rpc — the management operations clussvc serves (the protocol is common/rpc_proto.h).
 *
 * Blocking checks (address probes, peer reachability) run on the connection thread; everything
 * that touches the service's state runs on the loop thread.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi.h>

#include "common/address.h"
#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/base/log.h"
#include "daemon/net/net_addr.h"
#include "daemon/net/net_peer.h"
#include "daemon/net/net_probe.h"
#include "common/cdb_cmd.h"
#include "daemon/svc/svc.h"

#define PROBE_TIMEOUT_MS 100
#define PEER_TIMEOUT_MS 1000
#define MAX_WAIT_MS 120000

struct svc_wait {
    struct rpc_call *call;
    uint32_t kind;
    char name[256];
    int32_t state;
    uint64_t owner; /* GROUP_STATE: and owned by this node (0: any) */
    uint64_t deadline;
    struct svc_wait *next;
};

bool svc_req_str(const struct rpc_call *call, uint16_t tag, char *buf, size_t n)
{
    char *v;

    if (wire_get_strdup(call->req, call->req_len, tag, &v) < 0)
        return false;
    if (strlen(v) >= n) {
        free(v);
        return false;
    }
    strcpy(buf, v);
    free(v);
    return true;
}

static bool is_admin(const struct rpc_call *call)
{
    return channel_admin_key_id(call->peer_identity) != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Checks on the connection thread                                                             */
/* ------------------------------------------------------------------------------------------ */

static void op_check_ip(struct rpc_call *call)
{
    char text[64], ifname[32] = "";
    struct net_addr a;
    uint32_t prefix;
    int ifindex, rv;

    if (!svc_req_str(call, RPC_F_ADDRESS, text, sizeof(text)) || addr_parse(text, &a) < 0 ||
        wire_get_u32(call->req, call->req_len, RPC_F_PREFIX, &prefix) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed address");
        return;
    }
    rv = net_addr_find_ifindex(&a, prefix, &ifindex);
    if (rv < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NETWORK_NOT_FOUND, "no interface of this node is in %s/%u",
                        text, prefix);
        return;
    }
    if (if_indextoname((unsigned)ifindex, ifname) == NULL)
        snprintf(ifname, sizeof(ifname), "if%d", ifindex);
    if (net_addr_present(&a, NULL) == 1) {
        rpc_call_finish(call, ERROR_CLUSTER_IPADDR_IN_USE, "%s is already configured on this node", text);
        return;
    }
    rv = net_probe_in_use(ifindex, &a, PROBE_TIMEOUT_MS);
    if (rv == 1) {
        rpc_call_finish(call, ERROR_CLUSTER_IPADDR_IN_USE, "%s already answers on %s", text, ifname);
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

static void op_check_peer(struct rpc_call *call)
{
    char host[64];
    uint32_t port;
    int rv;

    if (!svc_req_str(call, RPC_F_ADDRESS, host, sizeof(host)) ||
        wire_get_u32(call->req, call->req_len, RPC_F_PORT, &port) < 0 || port > 65535) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed peer");
        return;
    }
    rv = net_tcp_reachable(host, (uint16_t)port, PEER_TIMEOUT_MS);
    if (rv < 0)
        rpc_call_finish(call, ERROR_CLUSTER_NODE_UNREACHABLE, "cannot reach %s port %u: %s", host, port,
                        strerror(-rv));
    else
        rpc_call_finish(call, 0, NULL);
}

/* What the cluster credential allows: reads, and relaying what only the leader does. */
static bool member_may(uint32_t op)
{
    switch (op) {
    case RPC_OP_NODE_INFO:
    case RPC_OP_APPLY:
    case RPC_OP_QUERY:
    case RPC_OP_WAIT:
    case RPC_OP_GROUP_ONLINE:
    case RPC_OP_GROUP_OFFLINE:
    case RPC_OP_GROUP_MOVE:
    case RPC_OP_GROUP_DELETE:
    case RPC_OP_MEMBER_ADD:
    case RPC_OP_MEMBER_PROMOTE:
    case RPC_OP_MEMBER_REMOVE:
        return true;
    default:
        return false;
    }
}

void svc_rpc_dispatch(void *arg, struct rpc_call *call)
{
    struct svc *s = arg;
    struct channel_key key;

    /* A session stays open across requests: the credential it proved may have been retired
     * since (a rotation), and then it may do nothing more. */
    if (!is_admin(call) && svc_key_lookup(s, call->peer_identity, &key) < 0) {
        rpc_call_finish(call, ERROR_ACCESS_DENIED, "the cluster credential of this session was "
                        "retired");
        return;
    }
    explicit_bzero(&key, sizeof(key));
    if (!is_admin(call) && !member_may(call->op)) {
        rpc_call_finish(call, ERROR_ACCESS_DENIED, "this operation needs the admin key");
        return;
    }
    switch (call->op) {
    case RPC_OP_CHECK_IP:
        op_check_ip(call);
        break;
    case RPC_OP_CHECK_PEER:
        op_check_peer(call);
        break;
    case RPC_OP_ADMIN_KEY_ADD:
        svc_admin_op_add(s, call);
        break;
    case RPC_OP_ADMIN_KEY_REMOVE:
        svc_admin_op_remove(s, call);
        break;
    default:
        rpc_call_to_loop(call);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Node information and the setup claim                                                        */
/* ------------------------------------------------------------------------------------------ */

static void op_node_info(struct svc *s, struct rpc_call *call)
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
    wire_put_u32(w, RPC_F_STATE_DIR_OK, node_conf_prepare_dir(s->opts.state_dir) == 0);
    wire_put_u32(w, RPC_F_RAFT_PORT, s->opts.raft_port);
    wire_put_u64(w, RPC_F_SESSION, s->session);
    wire_put_u32(w, RPC_F_MAX_NODES, (uint32_t)s->opts.max_nodes);
    wire_put_u64(w, RPC_F_ADMIN_REQUESTS, rpc_server_admin_requests(s->rpc));
    if (s->configured) {
        wire_put_str(w, RPC_F_CLUSTER_ID, s->conf.cluster_id);
        wire_put_str(w, RPC_F_CLUSTER_NAME, s->conf.cluster_name);
        wire_put_u64(w, RPC_F_NODE_ID, s->conf.node_id);
        wire_put_u32(w, RPC_F_COMMITTED, s->conf.committed);
    }
    if (s->consensus != NULL) {
        wire_put_u32(w, RPC_F_RAFT_STATE, consensus_role(s->consensus));
        wire_put_u64(w, RPC_F_LEADER_ID, consensus_leader(s->consensus));
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

/* Does the request carry the session that holds this node? Finishes the call if not. */
static bool check_session(struct svc *s, struct rpc_call *call)
{
    uint64_t session;

    if (wire_get_u64(call->req, call->req_len, RPC_F_SESSION, &session) < 0 || session == 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no setup session");
        return false;
    }
    if (session != s->session) {
        rpc_call_finish(call, ERROR_CLUSTER_JOIN_IN_PROGRESS,
                        s->session ? "another setup holds this node" :
                                     "this setup no longer holds the node");
        return false;
    }
    return true;
}

static void op_setup_begin(struct svc *s, struct rpc_call *call)
{
    uint64_t session;
    uint32_t lease;

    if (wire_get_u64(call->req, call->req_len, RPC_F_SESSION, &session) < 0 || session == 0 ||
        wire_get_u32(call->req, call->req_len, RPC_F_LEASE_MS, &lease) < 0 || lease == 0 ||
        lease > MAX_WAIT_MS) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed setup claim");
        return;
    }
    if (s->configured && s->conf.committed) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "node %s is already a member of cluster %s",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    if (s->wiping || (s->session != 0 && s->session != session)) {
        rpc_call_finish(call, ERROR_CLUSTER_JOIN_IN_PROGRESS, "node %s is being set up by another caller",
                        s->opts.name);
        return;
    }
    if (s->configured && s->conf.setup_session != session) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "node %s holds an unfinished cluster %s",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    s->session = session;
    s->session_deadline = svc_now_ms() + lease;
    rpc_call_finish(call, 0, NULL);
}

static void op_setup_keepalive(struct svc *s, struct rpc_call *call)
{
    uint32_t lease;

    if (!check_session(s, call))
        return;
    if (wire_get_u32(call->req, call->req_len, RPC_F_LEASE_MS, &lease) < 0 || lease == 0 ||
        lease > MAX_WAIT_MS) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed lease");
        return;
    }
    s->session_deadline = svc_now_ms() + lease;
    rpc_call_finish(call, 0, NULL);
}

static void op_set_credential(struct svc *s, struct rpc_call *call)
{
    char id[40], hex[2 * CHANNEL_KEY_BYTES + 1];
    struct channel_key key;
    int rv;

    if (!check_session(s, call))
        return;
    if (!svc_req_str(call, RPC_F_CLUSTER_ID, id, sizeof(id)) ||
        !svc_req_str(call, RPC_F_KEY_HEX, hex, sizeof(hex)) || channel_key_from_hex(hex, &key) < 0) {
        memset(hex, 0, sizeof(hex));
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed credential");
        return;
    }
    rv = svc_keys_set(s, id, &key);
    explicit_bzero(&key, sizeof(key));
    explicit_bzero(hex, sizeof(hex));
    if (rv < 0) {
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

static void op_configure(struct svc *s, struct rpc_call *call)
{
    struct node_conf *conf;
    uint32_t join = 0;
    int rv;

    if (!check_session(s, call))
        return;
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
    conf->setup_session = s->session;
    wire_get_u32(call->req, call->req_len, RPC_F_JOIN, &join);
    conf->join = join != 0;
    if (rv == 0)
        rv = node_conf_save(s->opts.state_dir, conf);
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

static void op_start(struct svc *s, struct rpc_call *call)
{
    char errmsg[CONSENSUS_ERRMSG_SIZE] = "";
    int rv;

    if (!check_session(s, call))
        return;
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

/* ------------------------------------------------------------------------------------------ */
/* Commands and queries                                                                        */
/* ------------------------------------------------------------------------------------------ */

static void submitted(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rpc_call *call = arg;

    /* The version after the commit: a node that relays it waits until it has applied as much,
     * so a client reads its own writes from whichever node it asks next. */
    if (rv == 0 && status == 0 && s->db != NULL)
        wire_put_u64(&call->reply, RPC_F_DB_VERSION, cdb_version(s->db));
    if (rv < 0)
        rpc_call_finish(call, win32_from_errno(rv), "%s",
                        errmsg && *errmsg ? errmsg : "the cluster has no leader");
    else
        rpc_call_finish(call, status, "%s", errmsg ? errmsg : "");
}

static bool require_running(struct svc *s, struct rpc_call *call)
{
    if (s->consensus != NULL && s->db != NULL && !s->wiping)
        return true;
    rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER, "node %s is not running a cluster",
                    s->opts.name);
    return false;
}

static void op_apply(struct svc *s, struct rpc_call *call)
{
    struct wire_field f;

    if (!require_running(s, call))
        return;
    if (wire_find(call->req, call->req_len, RPC_F_COMMAND, &f) < 0) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no command");
        return;
    }
    svc_submit(s, f.value, f.len, submitted, call);
}

static void op_commit_setup(struct svc *s, struct rpc_call *call)
{
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    if (!check_session(s, call) || !require_running(s, call))
        return;
    wire_writer_init(&w);
    cdb_cmd_set_prop(&w, "SetupCommitted", "1");
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    svc_submit(s, cmd, len, submitted, call);
    free(cmd);
}

static void op_group_offline(struct svc *s, struct rpc_call *call)
{
    char group[256], errmsg[256] = "";
    uint32_t force = 0, status;

    if (!require_running(s, call))
        return;
    if (!svc_req_str(call, RPC_F_NAME, group, sizeof(group))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed group name");
        return;
    }
    wire_get_u32(call->req, call->req_len, RPC_F_FORCE, &force);
    if (consensus_role(s->consensus) != CONSENSUS_LEADER) {
        svc_forward_call(s, call);
        return;
    }
    status = rgm_group_offline(&s->rgm, group, force != 0, errmsg, sizeof(errmsg));
    rpc_call_finish(call, status, "%s", errmsg);
}

static void group_deleted(void *arg, int rv, uint32_t status, const char *errmsg)
{
    rpc_call_finish(arg, rv < 0 ? ERROR_CLUSTER_NODE_DOWN : status, "%s", errmsg ? errmsg : "");
}

static void op_group_delete(struct svc *s, struct rpc_call *call)
{
    char group[256], errmsg[256] = "";
    uint32_t force = 0, status;

    if (!require_running(s, call))
        return;
    if (!svc_req_str(call, RPC_F_NAME, group, sizeof(group))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed group name");
        return;
    }
    if (consensus_role(s->consensus) != CONSENSUS_LEADER) {
        svc_forward_call(s, call);
        return;
    }
    wire_get_u32(call->req, call->req_len, RPC_F_FORCE, &force);
    status = rgm_group_delete(&s->rgm, group, force != 0, group_deleted, call, errmsg,
                              sizeof(errmsg));
    if (status != ERROR_IO_PENDING)
        rpc_call_finish(call, status, "%s", errmsg);
}

/* GROUP_ONLINE and GROUP_MOVE: NAME and NODE_ID (0 = best), decided by the leader. */
static void op_group_place(struct svc *s, struct rpc_call *call, bool move)
{
    char group[256], errmsg[256] = "";
    uint64_t node = 0;
    int32_t state = 0;
    uint32_t status;

    if (!require_running(s, call))
        return;
    if (!svc_req_str(call, RPC_F_NAME, group, sizeof(group))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed group name");
        return;
    }
    wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &node);
    if (consensus_role(s->consensus) != CONSENSUS_LEADER) {
        svc_forward_call(s, call); /* placement is the leader's */
        return;
    }
    if (!move) {
        status = rgm_group_online(&s->rgm, group, node, errmsg, sizeof(errmsg));
    } else {
        status = rgm_group_move(&s->rgm, group, &node, &state, errmsg, sizeof(errmsg));
        wire_put_u32(&call->reply, RPC_F_STATE, (uint32_t)state);
        wire_put_u64(&call->reply, RPC_F_NODE_ID, node);
    }
    rpc_call_finish(call, status, "%s", errmsg);
}

/* ------------------------------------------------------------------------------------------ */
/* Cleanup                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void cleanup_done(struct svc *s, int rv, void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < s->n_wipe_waiters; i++)
        rpc_call_finish(s->wipe_waiters[i], win32_from_errno(rv), "%s",
                        rv < 0 ? strerror(-rv) : "");
    s->n_wipe_waiters = 0;
}

static void op_clear(struct svc *s, struct rpc_call *call)
{
    uint32_t force = 0;

    wire_get_u32(call->req, call->req_len, RPC_F_FORCE, &force);
    svc_orphan_clear(s, call, force != 0);
}

static void op_get_credential(struct svc *s, struct rpc_call *call)
{
    char hex[2 * CHANNEL_KEY_BYTES + 1];

    if (!s->configured || !svc_keys_held(s) || !s->conf.committed) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER, "node %s holds no cluster credential",
                        s->opts.name);
        return;
    }
    channel_key_to_hex(svc_keys_send(s), hex);
    wire_put_str(&call->reply, RPC_F_CLUSTER_ID, s->conf.cluster_id);
    wire_put_str(&call->reply, RPC_F_KEY_HEX, hex);
    memset(hex, 0, sizeof(hex));
    rpc_call_finish(call, 0, NULL);
}

static void op_cleanup(struct svc *s, struct rpc_call *call)
{
    uint64_t session = 0;
    char cluster_id[40];

    wire_get_u64(call->req, call->req_len, RPC_F_SESSION, &session);
    /* Evict and destroy name the cluster they clean: a node of another cluster is left alone. */
    if (svc_req_str(call, RPC_F_CLUSTER_ID, cluster_id, sizeof(cluster_id)) && s->configured &&
        strcmp(cluster_id, s->conf.cluster_id) != 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "node %s belongs to another cluster (%s)",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    /* A setup may undo only what it did itself: never a node of another cluster. */
    if (session != 0 && s->configured && s->conf.setup_session != session) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "node %s belongs to another cluster (%s)",
                        s->opts.name, s->conf.cluster_name);
        return;
    }
    if (session != 0 && s->session == session && !s->configured)
        s->session = 0;
    if (!s->configured && !s->wiping) {
        node_conf_wipe(s->opts.state_dir); /* credential written before the configuration */
        svc_keys_clear(s);
        rpc_call_finish(call, 0, NULL);
        return;
    }
    if (s->n_wipe_waiters == sizeof(s->wipe_waiters) / sizeof(s->wipe_waiters[0])) {
        rpc_call_finish(call, ERROR_BUSY, "too many cleanups at once");
        return;
    }
    s->wipe_waiters[s->n_wipe_waiters++] = call;
    if (!s->wiping)
        svc_wipe(s, "cleanup requested", cleanup_done, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Waits                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* 1 if the wait's condition holds, 0 if not yet, or a Win32 failure (> 1) ending the wait. */
static uint32_t wait_status(struct svc *s, const struct svc_wait *wt, bool *ret_done)
{
    struct cdb_group g;
    struct cdb_node n;

    *ret_done = false;
    switch (wt->kind) {
    case RPC_WAIT_LEADER:
        *ret_done = s->consensus != NULL && consensus_leader(s->consensus) != 0;
        return 0;
    case RPC_WAIT_COMMITTED:
        *ret_done = s->configured && s->conf.committed;
        return 0;
    case RPC_WAIT_NODE_STATE:
        *ret_done = s->db != NULL && cdb_node_by_name(s->db, wt->name, &n) == 0 &&
                    n.state == wt->state;
        return 0;
    case RPC_WAIT_GROUP_STATE:
        if (s->db == NULL || cdb_group_by_name(s->db, wt->name, &g) < 0)
            return 0;
        if (wt->owner != 0 && g.owner != wt->owner)
            return 0;
        *ret_done = g.state == wt->state;
        if (!*ret_done && g.state == ClusterGroupFailed && wt->state == 0) {
            *ret_done = true;
            return ERROR_GROUP_NOT_ONLINE;
        }
        return 0;
    }
    *ret_done = true;
    return ERROR_INVALID_PARAMETER;
}

void svc_waits_check(struct svc *s)
{
    struct svc_wait **pp = &s->waits;
    uint64_t now = svc_now_ms();

    while (*pp != NULL) {
        struct svc_wait *wt = *pp;
        bool done;
        uint32_t status = wait_status(s, wt, &done);

        if (!done && now < wt->deadline) {
            pp = &wt->next;
            continue;
        }
        *pp = wt->next;
        if (done)
            rpc_call_finish(wt->call, status, status ? "group %s failed to come online" : NULL,
                            wt->name);
        else
            rpc_call_finish(wt->call, ERROR_TIMEOUT, "timed out waiting");
        free(wt);
    }
}

void svc_waits_cancel(struct svc *s, uint32_t status, const char *why)
{
    while (s->waits != NULL) {
        struct svc_wait *wt = s->waits;

        s->waits = wt->next;
        rpc_call_finish(wt->call, status, "%s", why);
        free(wt);
    }
}

static void op_wait(struct svc *s, struct rpc_call *call)
{
    struct svc_wait *wt = calloc(1, sizeof(*wt));
    uint32_t timeout, state = 0;

    if (wt == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    wt->call = call;
    if (wire_get_u32(call->req, call->req_len, RPC_F_WAIT_KIND, &wt->kind) < 0 ||
        wire_get_u32(call->req, call->req_len, RPC_F_TIMEOUT_MS, &timeout) < 0 ||
        timeout > MAX_WAIT_MS) {
        free(wt);
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed wait");
        return;
    }
    svc_req_str(call, RPC_F_NAME, wt->name, sizeof(wt->name));
    wire_get_u32(call->req, call->req_len, RPC_F_STATE, &state);
    wt->state = (int32_t)state;
    wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &wt->owner);
    wt->deadline = svc_now_ms() + timeout;
    wt->next = s->waits;
    s->waits = wt;
    svc_waits_check(s);
}

void svc_rpc_on_loop(void *arg, struct rpc_call *call)
{
    struct svc *s = arg;

    if (s->shutdown.stopping) {
        rpc_call_finish(call, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
        return;
    }
    switch (call->op) {
    case RPC_OP_NODE_INFO: op_node_info(s, call); break;
    case RPC_OP_SETUP_BEGIN: op_setup_begin(s, call); break;
    case RPC_OP_SETUP_KEEPALIVE: op_setup_keepalive(s, call); break;
    case RPC_OP_SET_CREDENTIAL: op_set_credential(s, call); break;
    case RPC_OP_CONFIGURE: op_configure(s, call); break;
    case RPC_OP_START: op_start(s, call); break;
    case RPC_OP_APPLY: op_apply(s, call); break;
    case RPC_OP_QUERY: svc_op_query(s, call); break;
    case RPC_OP_WAIT: op_wait(s, call); break;
    case RPC_OP_COMMIT_SETUP: op_commit_setup(s, call); break;
    case RPC_OP_CLEANUP: op_cleanup(s, call); break;
    case RPC_OP_GET_CREDENTIAL: op_get_credential(s, call); break;
    case RPC_OP_CLEAR: op_clear(s, call); break;
    case RPC_OP_ROTATE_CREDENTIAL: svc_op_rotate_credential(s, call); break;
    case RPC_OP_GROUP_ONLINE: op_group_place(s, call, false); break;
    case RPC_OP_GROUP_MOVE: op_group_place(s, call, true); break;
    case RPC_OP_GROUP_OFFLINE: op_group_offline(s, call); break;
    case RPC_OP_GROUP_DELETE: op_group_delete(s, call); break;
    case RPC_OP_MEMBER_ADD: svc_op_member_add(s, call); break;
    case RPC_OP_MEMBER_PROMOTE: svc_op_member_promote(s, call); break;
    case RPC_OP_MEMBER_REMOVE: svc_op_member_remove(s, call); break;
    default:
        rpc_call_finish(call, ERROR_INVALID_FUNCTION, "unknown operation %u", call->op);
    }
}
