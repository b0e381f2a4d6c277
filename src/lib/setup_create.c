/*
 * setup_create — CreateCluster: the phases of DESIGN §6, each doing the work it names, with
 * FailureCleanup on any fatal step or cancel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <clusapi_ext.h>

#include <netdb.h>
#include <sys/socket.h>

#include "channel/resolve.h"
#include "common/address.h"
#include "common/create_config.h"
#include "common/rpc_proto.h"
#include "common/state_dir_check.h"
#include "common/cdb_cmd.h"
#include "common/quorum_votes.h"
#include "common/restypes.h"
#include "lib/setup.h"

#define CORE_GROUP "Cluster Group"
#define STORAGE_GROUP "Available Storage"
#define NETWORK_NAME_RESOURCE "Cluster Name"
#define MAX_VOTERS 5
#define MAX_CLOCK_SKEW_MS (5 * 60 * 1000)
#define FORM_TIMEOUT_MS 15000
#define ONLINE_TIMEOUT_MS 30000
#define MIN_NODE_MAJOR 8
#define NAME_PROBE_MS 150

struct create {
    struct create_plan plan;
    struct reporter rep;
    struct setup_nodes nodes;
    struct setup_node *anchor; /* the node the cluster-wide calls go to */
    char cluster_id[40];
    char key_hex[2 * CHANNEL_KEY_BYTES + 1];
    char (*ip_names)[64];
};

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Commits one database command through the anchor node. Win32 status. */
static uint32_t apply(struct create *c, struct wire_writer *cmd)
{
    struct wire_writer w;
    uint8_t *bytes;
    size_t len;

    bytes = wire_writer_take(cmd, &len);
    if (bytes == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    rpc_request(&w, RPC_OP_APPLY);
    wire_put_blob(&w, RPC_F_COMMAND, bytes, len);
    free(bytes);
    return setup_node_call(c->anchor, &w, LIB_RPC_TIMEOUT_MS, NULL);
}

static void uuid_text(char out[40])
{
    uint8_t b[16];

    if (getrandom(b, sizeof(b), 0) != sizeof(b))
        memset(b, 0x5a, sizeof(b)); /* only an identifier; uniqueness comes from the key too */
    b[6] = (uint8_t)((b[6] & 0x0F) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
    snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/*
 * The per-node phase shape: Start with the first node, a Continue for each further one, then
 * End. Nodes that failed are reported with their status; fatal decides whether a failure ends
 * the phase (true) or drops the node with a Warning (false).
 */
static bool report_nodes_need(struct create *c, CLUSTER_SETUP_PHASE phase, bool fatal,
                              bool count_steps, size_t need);

static bool report_nodes(struct create *c, CLUSTER_SETUP_PHASE phase, bool fatal,
                         bool count_steps)
{
    return report_nodes_need(c, phase, fatal, count_steps, 0);
}

/* As report_nodes; the phase fails unless at least need nodes remain usable (majority rule),
 * with the status of the first node that dropped out. */
static bool report_nodes_need(struct create *c, CLUSTER_SETUP_PHASE phase, bool fatal,
                              bool count_steps, size_t need)
{
    bool started = false, warned = false;

    for (size_t i = 0; i < c->nodes.n; i++) {
        struct setup_node *n = &c->nodes.v[i];
        CLUSTER_SETUP_PHASE_SEVERITY sev;

        if (!n->usable)
            continue;
        sev = n->status == 0 ? ClusterSetupPhaseInformational
                             : (fatal ? ClusterSetupPhaseFatal : ClusterSetupPhaseWarning);
        if (!started) {
            if (!phase_start(&c->rep, phase, n->name))
                return false;
            started = true;
            if (n->status != 0 && !phase_continue(&c->rep, n->name, sev, n->status))
                return false;
        } else if (!phase_continue(&c->rep, n->name, sev, n->status)) {
            return false;
        }
        if (n->status != 0 && fatal) {
            phase_fail(&c->rep, n->status, "node %s: %s", n->name, n->errmsg);
            return false;
        }
        if (n->status != 0) {
            n->usable = false; /* keeps its status: the majority rule names it */
            warned = true;
        } else if (count_steps) {
            reporter_step(&c->rep);
        }
    }
    if (!started && !phase_start(&c->rep, phase, c->plan.cluster_name))
        return false;
    if (setup_nodes_usable(&c->nodes) < need) {
        const struct setup_node *first = NULL;

        for (size_t i = 0; i < c->nodes.n && first == NULL; i++)
            if (c->nodes.v[i].status != 0)
                first = &c->nodes.v[i];
        phase_fail(&c->rep, first ? first->status : ERROR_CLUSTER_NODE_UNREACHABLE,
                   "only %zu of %zu nodes can be used, a majority is needed (%s: %s)",
                   setup_nodes_usable(&c->nodes), c->nodes.n, first ? first->name : "?",
                   first ? first->errmsg : "");
        return false;
    }
    return phase_end(&c->rep, warned ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational,
                     0);
}

/* ------------------------------------------------------------------------------------------ */
/* 1 Initialize and 100 ValidateNodeState                                                      */
/* ------------------------------------------------------------------------------------------ */

static bool phase_initialize(struct create *c)
{
    if (!phase_start(&c->rep, ClusterSetupPhaseInitialize, c->plan.cluster_name))
        return false;
    if (c->plan.mgmt_downgraded)
        phase_report(&c->rep, ClusterSetupPhaseWarning,
                     "Active Directory is not available on Linux: the cluster gets a "
                     "DNS-only management point",
                     0);
    if (c->rep.cancel_requested)
        return false;
    /* Resolve every node and ask it about itself, all at once. */
    setup_nodes_parallel(&c->nodes, setup_node_info, NULL);
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

/* Why a node cannot take part, or 0; *hard: the whole setup stops (see below). */
static uint32_t judge_node(struct setup_node *n, bool *hard)
{
    uint32_t status;

    *hard = false;
    if (n->status != 0)
        return n->status == ERROR_ACCESS_DENIED ? ERROR_ACCESS_DENIED
                                                : ERROR_CLUSTER_NODE_UNREACHABLE;
    if (n->cluster_state != ClusterStateNotConfigured)
        return ERROR_CLUSTER_NODE_ALREADY_MEMBER;
    if (n->version_major < MIN_NODE_MAJOR) {
        snprintf(n->errmsg, sizeof(n->errmsg), "cluster service version %u is too old",
                 n->version_major);
        return ERROR_CLUSTER_INCOMPATIBLE_VERSIONS;
    }
    if (llabs(n->clock_skew_ms) > MAX_CLOCK_SKEW_MS) {
        snprintf(n->errmsg, sizeof(n->errmsg), "clock differs by %lld s",
                 (long long)(n->clock_skew_ms / 1000));
        return ERROR_TIMEOUT;
    }
    status = state_dir_judge(n->state_dir_errno, n->state_dir_free, n->errmsg,
                             sizeof(n->errmsg));
    *hard = status != 0;
    if (status != 0)
        return status;
    if (n->witness) {
        snprintf(n->errmsg, sizeof(n->errmsg), "%s runs clussvc --witness: create the cluster "
                 "with its nodes, then make it the witness (clusctl quorum set --witness)",
                 n->name);
        return ERROR_NODE_CANNOT_BE_CLUSTERED;
    }
    return 0;
}

static bool phase_validate_nodes(struct create *c)
{
    size_t n = c->nodes.n;

    for (size_t i = 0; i < n; i++) {
        struct setup_node *node = &c->nodes.v[i];
        bool hard;

        node->status = judge_node(node, &hard);
        if (node->status == ERROR_CLUSTER_NODE_ALREADY_MEMBER)
            snprintf(node->errmsg, sizeof(node->errmsg), "%s is already in cluster %s",
                     node->name, node->cluster_name[0] ? node->cluster_name : "(unfinished)");
        /* A node already in a cluster, a witness, or one whose state directory cannot hold the
         * cluster is a hard stop: it was named on purpose, and fixing it is the administrator's
         * (a node that does not answer drops out: it may be down for a while). */
        if (node->status == ERROR_CLUSTER_NODE_ALREADY_MEMBER || node->witness || hard) {
            if (!phase_start(&c->rep, ClusterSetupPhaseValidateNodeState, node->name))
                return false;
            phase_fail(&c->rep, node->status, "%s", node->errmsg);
            return false;
        }
    }
    /* Claim the good ones for this setup; a node claimed by another setup drops out. */
    for (size_t i = 0; i < n; i++)
        c->nodes.v[i].usable = c->nodes.v[i].status == 0;
    setup_nodes_parallel(&c->nodes, setup_node_claim, &c->nodes);
    for (size_t i = 0; i < n; i++)
        c->nodes.v[i].usable = true;
    setup_keepalive_start(&c->nodes);
    if (!report_nodes_need(c, ClusterSetupPhaseValidateNodeState, false, true, n / 2 + 1))
        return false;
    for (size_t i = 0; i < n && c->anchor == NULL; i++)
        if (c->nodes.v[i].usable)
            c->anchor = &c->nodes.v[i];
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* 106–109: the cluster's identity and credential                                              */
/* ------------------------------------------------------------------------------------------ */

/* The name's first address, from the resolver or else from LLMNR (briefly: on a LAN the owner of
 * a name answers in well under a millisecond). */
static bool name_answers(const char *name, char *buf, size_t n)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
    struct net_addr addrs[4];
    size_t k = 0;

    if (getaddrinfo(name, NULL, &hints, &res) == 0) {
        bool ok = getnameinfo(res->ai_addr, res->ai_addrlen, buf, (socklen_t)n, NULL, 0,
                              NI_NUMERICHOST) == 0;

        freeaddrinfo(res);
        return ok;
    }
    return llmnr_resolve(name, AF_UNSPEC, NAME_PROBE_MS, addrs, 4, &k) == 0 && k > 0 &&
           addr_format(&addrs[0], buf, n) == 0;
}

/* 106: a cluster that already answers under this name? */
static bool phase_query_name(struct create *c)
{
    char address[64];
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    char *name = NULL;
    bool dup = false;

    if (!phase_start(&c->rep, ClusterSetupPhaseQueryClusterNameAccount, c->plan.cluster_name))
        return false;
    /* Does the name already answer, through DNS or a Network Name's LLMNR answer? */
    if (name_answers(c->plan.cluster_name, address, sizeof(address))) {
        rpc_conn_init(&conn, address, lib_port());
        rpc_request(&w, RPC_OP_NODE_INFO);
        if (rpc_call(&conn, &w, LIB_CONNECT_TIMEOUT_MS, &r) == 0 &&
            wire_get_strdup(r.data, r.len, RPC_F_CLUSTER_NAME, &name) == 0)
            dup = strcasecmp(name, c->plan.cluster_name) == 0;
        free(name);
        rpc_reply_done(&r);
        rpc_conn_close(&conn);
    }
    for (size_t i = 0; i < c->nodes.n && !dup; i++)
        dup = strcasecmp(c->nodes.v[i].cluster_name, c->plan.cluster_name) == 0;
    if (dup) {
        phase_fail(&c->rep, ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME,
                   "a cluster named %s already exists", c->plan.cluster_name);
        return false;
    }
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

/* 107: the name's rules were checked before any node was contacted; reported here. */
static bool phase_validate_name(struct create *c)
{
    if (!phase_start(&c->rep, ClusterSetupPhaseValidateClusterNameAccount, c->plan.cluster_name))
        return false;
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

/* 108: the cluster's identity (id) and its own secret, made here, held in memory only. */
static bool phase_create_account(struct create *c)
{
    struct channel_key key;

    if (!phase_start(&c->rep, ClusterSetupPhaseCreateClusterAccount, c->plan.cluster_name))
        return false;
    uuid_text(c->cluster_id);
    if (channel_key_random("cluster", &key) < 0) {
        phase_fail(&c->rep, ERROR_GEN_FAILURE, "no randomness for the cluster credential");
        return false;
    }
    channel_key_to_hex(&key, c->key_hex);
    memset(&key, 0, sizeof(key));
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

static void give_credential(struct setup_node *node, void *arg)
{
    const struct create *c = arg;
    struct wire_writer w;

    rpc_request(&w, RPC_OP_SET_CREDENTIAL);
    wire_put_u64(&w, RPC_F_SESSION, c->nodes.session);
    wire_put_str(&w, RPC_F_CLUSTER_ID, c->cluster_id);
    wire_put_str(&w, RPC_F_KEY_HEX, c->key_hex);
    setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL);
}

/* 109: every node receives the credential. */
static bool phase_configure_account(struct create *c)
{
    setup_nodes_parallel(&c->nodes, give_credential, c);
    return report_nodes(c, ClusterSetupPhaseConfigureClusterAccount, true, false);
}

/* ------------------------------------------------------------------------------------------ */
/* 102–105: networks, disks, configuration, start                                              */
/* ------------------------------------------------------------------------------------------ */

static void check_network(struct setup_node *node, void *arg)
{
    const struct create *c = arg;

    for (size_t i = 0; i < c->plan.n_ips; i++) {
        struct wire_writer w;

        rpc_request(&w, RPC_OP_CHECK_IP);
        wire_put_str(&w, RPC_F_ADDRESS, c->plan.ips[i].address);
        wire_put_u32(&w, RPC_F_PREFIX, c->plan.ips[i].prefix);
        if (setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL) != 0)
            return;
    }
    for (size_t i = 0; i < c->nodes.n; i++) {
        const struct setup_node *peer = &c->nodes.v[i];
        struct wire_writer w;

        if (peer == node || !peer->usable)
            continue;
        rpc_request(&w, RPC_OP_CHECK_PEER);
        wire_put_str(&w, RPC_F_ADDRESS, peer->address);
        wire_put_u32(&w, RPC_F_PORT, lib_port());
        if (setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL) != 0)
            return;
    }
    node->status = 0;
}

static bool phase_validate_netft(struct create *c)
{
    setup_nodes_parallel(&c->nodes, check_network, c);
    return report_nodes(c, ClusterSetupPhaseValidateNetft, true, false);
}

/* 103: no shared disks are requested through this API; each node is reported as checked. */
static void no_disks(struct setup_node *node, void *arg)
{
    (void)arg;
    node->status = 0;
}

static bool phase_validate_disks(struct create *c)
{
    setup_nodes_parallel(&c->nodes, no_disks, NULL);
    return report_nodes(c, ClusterSetupPhaseValidateClusDisk, true, false);
}

/* Ids in the order the caller named the nodes; the first five usable ones vote. */
static void assign_ids(struct create *c)
{
    uint64_t next = 1;

    for (size_t i = 0; i < c->nodes.n; i++)
        if (c->nodes.v[i].usable)
            c->nodes.v[i].id = next++;
}

static void put_peers(const struct create *c, struct wire_writer *w)
{
    unsigned voters = 0;

    for (size_t i = 0; i < c->nodes.n; i++) {
        const struct setup_node *n = &c->nodes.v[i];
        size_t mark;

        if (!n->usable)
            continue;
        mark = wire_begin(w, RPC_F_PEER);
        wire_put_u64(w, RPC_F_NODE_ID, n->id);
        wire_put_str(w, RPC_F_NODE_NAME, n->name);
        wire_put_str(w, RPC_F_ADDRESS, n->address);
        wire_put_u32(w, RPC_F_PORT, lib_port());
        wire_put_u32(w, RPC_F_RAFT_PORT, n->raft_port);
        wire_put_u32(w, RPC_F_ROLE, voters++ < MAX_VOTERS ? 1u : 0u); /* RAFT_VOTER : STANDBY */
        wire_end(w, mark);
    }
}

static void configure_node(struct setup_node *node, void *arg)
{
    const struct create *c = arg;
    struct wire_writer w;

    rpc_request(&w, RPC_OP_CONFIGURE);
    wire_put_u64(&w, RPC_F_SESSION, c->nodes.session);
    wire_put_str(&w, RPC_F_CLUSTER_ID, c->cluster_id);
    wire_put_str(&w, RPC_F_CLUSTER_NAME, c->plan.cluster_name);
    wire_put_u64(&w, RPC_F_NODE_ID, node->id);
    put_peers(c, &w);
    setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL);
}

static bool phase_configure(struct create *c)
{
    assign_ids(c);
    setup_nodes_parallel(&c->nodes, configure_node, c);
    return report_nodes(c, ClusterSetupPhaseConfigureClusSvc, true, true);
}

static void start_node(struct setup_node *node, void *arg)
{
    const struct create *c = arg;
    struct wire_writer w;

    rpc_request(&w, RPC_OP_START);
    wire_put_u64(&w, RPC_F_SESSION, c->nodes.session);
    setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL);
}

static bool phase_start_service(struct create *c)
{
    setup_nodes_parallel(&c->nodes, start_node, c);
    return report_nodes(c, ClusterSetupPhaseStartingClusSvc, true, true);
}

/* ------------------------------------------------------------------------------------------ */
/* 200–206: forming the cluster and its core group                                             */
/* ------------------------------------------------------------------------------------------ */

/* Ends the open phase as failed with the anchor's last status. */
static bool fail_anchor(struct create *c, const char *what)
{
    phase_fail(&c->rep, c->anchor->status, "%s: %s", what, c->anchor->errmsg);
    return false;
}

static bool phase_form(struct create *c)
{
    struct wire_writer cmd;

    if (!phase_start(&c->rep, ClusterSetupPhaseFormingCluster, c->plan.cluster_name))
        return false;
    if (setup_wait(c->anchor, RPC_WAIT_LEADER, NULL, 0, FORM_TIMEOUT_MS) != 0)
        return fail_anchor(c, "no leader was elected");
    /* Membership rows; each node then declares itself Up once it follows the leader. */
    wire_writer_init(&cmd);
    cdb_cmd_batch(&cmd);
    for (size_t i = 0; i < c->nodes.n; i++) {
        const struct setup_node *n = &c->nodes.v[i];
        size_t mark;

        if (!n->usable)
            continue;
        mark = cdb_cmd_batch_sub_begin(&cmd);
        cdb_cmd_add_node(&cmd, n->id, n->name, n->address, lib_port(), n->raft_port,
                         n->id <= MAX_VOTERS ? 1 : 0);
        cdb_cmd_batch_sub_end(&cmd, mark);
    }
    if (apply(c, &cmd) != 0)
        return fail_anchor(c, "cannot record the nodes");
    for (size_t i = 0; i < c->nodes.n; i++) {
        if (!c->nodes.v[i].usable)
            continue;
        if (setup_wait(c->anchor, RPC_WAIT_NODE_STATE, c->nodes.v[i].name, ClusterNodeUp,
                    FORM_TIMEOUT_MS) != 0) {
            phase_fail(&c->rep, ERROR_CLUSTER_NODE_DOWN, "node %s did not come up: %s",
                       c->nodes.v[i].name, c->anchor->errmsg);
            return false;
        }
    }
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

static void put_prop(struct wire_writer *cmd, const char *key, const char *value)
{
    size_t mark = cdb_cmd_batch_sub_begin(cmd);

    cdb_cmd_set_prop(cmd, key, value);
    cdb_cmd_batch_sub_end(cmd, mark);
}

static bool commit(struct create *c);

/* 201; for an empty cluster it is the last phase, so the setup commits inside it. */
static bool phase_properties(struct create *c)
{
    static const char *const mgmt[] = {"None", "CNO", "DnsOnly", "CnoOnly"};
    struct wire_writer cmd;

    if (!phase_start(&c->rep, ClusterSetupPhaseAddClusterProperties, c->plan.cluster_name))
        return false;
    wire_writer_init(&cmd);
    cdb_cmd_batch(&cmd);
    put_prop(&cmd, "Name", c->plan.cluster_name);
    put_prop(&cmd, "Id", c->cluster_id);
    put_prop(&cmd, "SameSubnetDelay", "250");
    put_prop(&cmd, "SameSubnetThreshold", "3");
    put_prop(&cmd, "QuorumLease", "0"); /* twice SameSubnetDelay */
    put_prop(&cmd, "QuorumType", "Majority");
    put_prop(&cmd, "AdministrativeAccessPoint", mgmt[c->plan.mgmt_type]);
    if (apply(c, &cmd) != 0)
        return fail_anchor(c, "cannot record the cluster properties");
    if (quorum_fragile(setup_nodes_usable(&c->nodes), false))
        phase_report(&c->rep, ClusterSetupPhaseWarning, QUORUM_FRAGILE_ADVICE, 0);
    if (!c->plan.empty)
        return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
    if (!commit(c))
        return false;
    phase_end_final(&c->rep);
    return true;
}

static bool phase_resource_types(struct create *c)
{
    struct wire_writer cmd;

    if (!phase_start(&c->rep, ClusterSetupPhaseCreateResourceTypes, c->plan.cluster_name))
        return false;
    wire_writer_init(&cmd);
    cdb_cmd_batch(&cmd);
    /* Every built-in type, so that resources of any of them can be created from the start. */
    for (size_t i = 0; i < restype_n_builtins; i++) {
        size_t mark = cdb_cmd_batch_sub_begin(&cmd);

        cdb_cmd_add_restype(&cmd, restype_builtins[i].type_name, restype_builtins[i].driver);
        cdb_cmd_batch_sub_end(&cmd, mark);
    }
    if (apply(c, &cmd) != 0)
        return fail_anchor(c, "cannot register the resource types");
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

static bool add_group(struct create *c, const char *name)
{
    struct wire_writer cmd;

    wire_writer_init(&cmd);
    cdb_cmd_add_group(&cmd, name, true);
    return apply(c, &cmd) == 0;
}

static bool phase_groups(struct create *c)
{
    if (!phase_start(&c->rep, ClusterSetupPhaseCreateGroups, CORE_GROUP))
        return false;
    if (!add_group(c, CORE_GROUP))
        return fail_anchor(c, "cannot create " CORE_GROUP);
    if (!phase_continue(&c->rep, STORAGE_GROUP, ClusterSetupPhaseInformational, 0))
        return false;
    if (!add_group(c, STORAGE_GROUP))
        return fail_anchor(c, "cannot create " STORAGE_GROUP);
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

/* 204: one IP Address resource per entry; Windows decorates the further ones with the address. */
static bool phase_ip_resources(struct create *c)
{
    c->ip_names = calloc(c->plan.n_ips, sizeof(*c->ip_names));
    if (c->ip_names == NULL) {
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
        return false;
    }
    for (size_t i = 0; i < c->plan.n_ips; i++) {
        const struct create_ip *ip = &c->plan.ips[i];
        char prefix[12];
        struct cdb_kv props[] = {{"Address", ip->address}, {"PrefixLength", prefix}};
        struct wire_writer cmd;
        bool go;

        snprintf(prefix, sizeof(prefix), "%u", ip->prefix);
        if (i == 0)
            snprintf(c->ip_names[i], sizeof(c->ip_names[i]), "Cluster IP Address");
        else
            snprintf(c->ip_names[i], sizeof(c->ip_names[i]), "Cluster IP Address %s",
                     ip->address);
        go = i == 0 ? phase_start(&c->rep, ClusterSetupPhaseCreateIPAddressResources,
                                  c->ip_names[i])
                    : phase_continue(&c->rep, c->ip_names[i], ClusterSetupPhaseInformational, 0);
        if (!go)
            return false;
        wire_writer_init(&cmd);
        cdb_cmd_add_resource(&cmd, c->ip_names[i], ip->ipv6 ? "IPv6 Address" : "IP Address",
                             CORE_GROUP, props, 2);
        if (apply(c, &cmd) != 0)
            return fail_anchor(c, "cannot create the IP Address resource");
    }
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

/* 205: the Network Name, online once any of the IP resources is ("[ip1] or [ip2]"). */
static bool phase_network_name(struct create *c)
{
    struct cdb_kv props[] = {{"Name", c->plan.cluster_name}, {"DnsName", c->plan.cluster_name}};
    struct wire_writer cmd;
    size_t mark;

    if (!phase_start(&c->rep, ClusterSetupPhaseCreateNetworkName, c->plan.cluster_name))
        return false;
    wire_writer_init(&cmd);
    cdb_cmd_batch(&cmd);
    mark = cdb_cmd_batch_sub_begin(&cmd);
    cdb_cmd_add_resource(&cmd, NETWORK_NAME_RESOURCE, "Network Name", CORE_GROUP, props, 2);
    cdb_cmd_batch_sub_end(&cmd, mark);
    for (size_t i = 0; i < c->plan.n_ips; i++) {
        mark = cdb_cmd_batch_sub_begin(&cmd);
        cdb_cmd_add_dependency(&cmd, NETWORK_NAME_RESOURCE, c->ip_names[i]);
        cdb_cmd_batch_sub_end(&cmd, mark);
    }
    if (apply(c, &cmd) != 0)
        return fail_anchor(c, "cannot create the Network Name resource");
    return phase_end(&c->rep, ClusterSetupPhaseInformational, 0);
}

/* The setup is complete: every node keeps its configuration from now on. */
static void commit_node(struct setup_node *node, void *arg)
{
    setup_wait(node, RPC_WAIT_COMMITTED, NULL, 0, FORM_TIMEOUT_MS);
    (void)arg;
}

static bool commit(struct create *c)
{
    struct wire_writer w;

    rpc_request(&w, RPC_OP_COMMIT_SETUP);
    wire_put_u64(&w, RPC_F_SESSION, c->nodes.session);
    if (setup_node_call(c->anchor, &w, LIB_RPC_TIMEOUT_MS, NULL) != 0)
        return fail_anchor(c, "cannot commit the cluster");
    setup_nodes_parallel(&c->nodes, commit_node, NULL);
    for (size_t i = 0; i < c->nodes.n; i++) {
        struct setup_node *n = &c->nodes.v[i];

        if (n->usable && n->status != 0) {
            phase_fail(&c->rep, n->status, "node %s did not commit: %s", n->name, n->errmsg);
            return false;
        }
    }
    return true;
}

/* 206: the core group comes online on one node and the address answers; then commit. */
static bool phase_group_online(struct create *c)
{
    struct wire_writer w;
    uint32_t status;

    if (!phase_start(&c->rep, ClusterSetupPhaseClusterGroupOnline, CORE_GROUP))
        return false;
    rpc_request(&w, RPC_OP_GROUP_ONLINE);
    wire_put_str(&w, RPC_F_NAME, CORE_GROUP);
    status = setup_node_call(c->anchor, &w, LIB_RPC_TIMEOUT_MS, NULL);
    if (status != 0 && status != ERROR_IO_PENDING)
        return fail_anchor(c, "cannot bring " CORE_GROUP " online");
    if (setup_wait(c->anchor, RPC_WAIT_GROUP_STATE, CORE_GROUP, ClusterGroupOnline,
                ONLINE_TIMEOUT_MS) != 0)
        return fail_anchor(c, CORE_GROUP " did not come online");
    if (c->rep.cancel_requested) {
        phase_fail(&c->rep, ERROR_CANCELLED, "cancelled by the progress callback");
        return false;
    }
    if (!commit(c))
        return false;
    phase_end_final(&c->rep);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* CreateCluster                                                                               */
/* ------------------------------------------------------------------------------------------ */

static bool run_phases(struct create *c)
{
    static bool (*const common[])(struct create *) = {
        phase_initialize,       phase_validate_nodes, phase_query_name,
        phase_validate_name,    phase_create_account, phase_configure_account,
        phase_validate_netft,   phase_validate_disks, phase_configure,
        phase_start_service,    phase_form,           phase_properties,
    };
    static bool (*const core[])(struct create *) = {
        phase_resource_types, phase_groups, phase_ip_resources, phase_network_name,
        phase_group_online,
    };

    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (!common[i](c))
            return false;
    if (c->plan.empty)
        return true;
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
        if (core[i] == phase_ip_resources && !create_plan_wants_ips(&c->plan))
            continue;
        if (core[i] == phase_network_name && !create_plan_wants_network_name(&c->plan))
            continue;
        if (!core[i](c))
            return false;
    }
    return true;
}

CLUSAPI_API HCLUSTER CLUSAPI_CALL CreateCluster(PCREATE_CLUSTER_CONFIG pConfig,
                                                PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
                                                PVOID pvCallbackArg)
{
    struct create c;
    struct cluster_handle *h = NULL;
    const char *reason = NULL;
    char errmsg[LIB_ERRMSG_SIZE] = "";
    uint32_t code;

    memset(&c, 0, sizeof(c));
    lib_clear_error();
    code = create_plan_build(pConfig, &c.plan, &reason);
    if (code != 0) {
        lib_fail_text(code, "%s", reason);
        return NULL;
    }
    reporter_init(&c.rep, pfnProgressCallback, pvCallbackArg, progress_total_create(&c.plan));
    code = setup_nodes_init(&c.nodes, c.plan.nodes, c.plan.n_nodes);
    if (code == 0 && !run_phases(&c))
        setup_failure_cleanup(&c.rep, &c.nodes, CORE_GROUP, NULL, NULL);
    else if (code == 0)
        code = cluster_open(c.anchor->address, &h, errmsg);
    if (code != 0)
        lib_fail_text(code, "%s", errmsg);
    setup_nodes_done(&c.nodes);
    create_plan_free(&c.plan);
    free(c.ip_names);
    memset(c.key_hex, 0, sizeof(c.key_hex));
    return (HCLUSTER)h;
}

CLUSAPI_API HCLUSTER CLUSAPI_CALL CreateClusterCNOless(PCREATE_CLUSTER_CONFIG pConfig,
                                                       PCLUSTER_SETUP_PROGRESS_CALLBACK cb,
                                                       PVOID arg)
{
    CREATE_CLUSTER_CONFIG copy;

    if (pConfig == NULL) {
        lib_fail(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* No Network Name and no IP resources: the NONE management point. */
    copy = *pConfig;
    /* A version older than any SDK's still fails (ERROR_NOT_SUPPORTED) in CreateCluster. */
    if (copy.dwVersion < CLUSAPI_VERSION_WINDOWSBLUE &&
        (copy.dwVersion & CREATE_CLUSTER_MAJOR_VERSION_MASK) >= CLUSAPI_VERSION_SERVER2008)
        copy.dwVersion = CLUSAPI_VERSION_WINDOWSBLUE;
    copy.managementPointType = CLUSTER_MGMT_POINT_TYPE_NONE;
    return CreateCluster(&copy, cb, arg);
}
