/*
 * setup_add — AddClusterNode(Ex): 1 → 100 → 300 → 301 → 102 → 103 → 104 → 105 → 302
 * (DESIGN §6, REFERENCE §6.2). The node joins raft as a spare, is configured to join (no
 * bootstrap), starts, catches up and is promoted: a voter while the cluster has fewer than five,
 * a standby otherwise. On any failure or cancel, FailureCleanup evicts it again and wipes it.
 * A witness (SetClusterQuorumResource, api_quorum.c) joins by the same phases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi_ext.h>

#include "common/names.h"
#include "common/quorum_votes.h"
#include "common/rpc_proto.h"
#include "common/state_dir_check.h"
#include "lib/cluster_ops.h"
#include "lib/setup.h"

#define JOIN_TIMEOUT_MS 20000

struct add {
    struct cluster_handle *cluster;
    struct reporter rep;
    struct setup_nodes nodes;
    struct setup_node *node;
    char cluster_id[40];
    char key_hex[2 * CHANNEL_KEY_BYTES + 1];
    struct rpc_reply member;  /* MEMBER_ADD's reply: the id and the members */
    uint64_t id;              /* set once raft and the database know the node */
    bool witness;             /* the node joins as the cluster's witness */
};

static bool fail_node(struct add *a, const char *what)
{
    phase_fail(&a->rep, a->node->status, "%s: %s", what, a->node->errmsg);
    return false;
}

static bool fail_cluster(struct add *a, DWORD status, const char *what)
{
    phase_fail(&a->rep, status, "%s: %s", what, ClusapiLastErrorText());
    return false;
}

static bool phase_initialize(struct add *a)
{
    if (!phase_start(&a->rep, ClusterSetupPhaseInitialize, a->cluster->name))
        return false;
    setup_node_info(a->node, NULL);
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

static bool phase_validate_node(struct add *a)
{
    struct setup_node *n = a->node;

    if (!phase_start(&a->rep, ClusterSetupPhaseValidateNodeState, n->name))
        return false;
    if (n->status != 0)
        return fail_node(a, "the node cannot be reached");
    if (n->cluster_state != ClusterStateNotConfigured) {
        n->status = ERROR_CLUSTER_NODE_ALREADY_MEMBER;
        snprintf(n->errmsg, sizeof(n->errmsg), "it is already in cluster %s",
                 n->cluster_name[0] ? n->cluster_name : "(unfinished)");
        return fail_node(a, n->name);
    }
    if (n->version_major < 8) {
        n->status = ERROR_CLUSTER_INCOMPATIBLE_VERSIONS;
        return fail_node(a, n->name);
    }
    n->status = state_dir_judge(n->state_dir_errno, n->state_dir_free, n->errmsg,
                                sizeof(n->errmsg));
    if (n->status != 0)
        return fail_node(a, n->name);
    if (n->witness != a->witness) {
        /* A witness starts no resource host: as a member it would be given groups it never
         * runs; a member started as a node would host groups where a witness should not. */
        n->status = a->witness ? ERROR_NOT_QUORUM_CAPABLE : ERROR_NODE_CANNOT_BE_CLUSTERED;
        snprintf(n->errmsg, sizeof(n->errmsg), "%s",
                 a->witness ? "it is not a witness: start clussvc --witness there"
                            : "it runs clussvc --witness: make it the cluster's witness "
                              "(clusctl quorum set --witness) instead");
        return fail_node(a, n->name);
    }
    setup_node_claim(n, &a->nodes);
    if (n->status != 0)
        return fail_node(a, "cannot claim the node");
    setup_keepalive_start(&a->nodes);
    reporter_step(&a->rep);
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

/* 300: the members (no duplicate, room left) and the cluster's credential from an Up node. */
static bool phase_membership(struct add *a)
{
    struct cluster_node *nodes;
    struct rpc_reply r;
    size_t n;
    DWORD status;
    bool dup = false, has_witness = false;
    char *hex = NULL;

    if (!phase_start(&a->rep, ClusterSetupPhaseGettingCurrentMembership, a->cluster->name))
        return false;
    status = cluster_nodes(a->cluster, &nodes, &n);
    if (status != 0)
        return fail_cluster(a, status, "cannot read the members");
    for (size_t i = 0; i < n; i++) {
        dup |= strcasecmp(nodes[i].name, a->node->name) == 0 ||
               strcmp(nodes[i].address, a->node->address) == 0;
        has_witness |= nodes[i].witness;
    }
    /* A second node without a witness: only one of the two votes (docs/failover.md). */
    if (!a->witness && !dup && quorum_fragile(n - has_witness + 1, has_witness))
        phase_report(&a->rep, ClusterSetupPhaseWarning, QUORUM_FRAGILE_ADVICE, 0);
    free(nodes);
    if (dup) {
        phase_fail(&a->rep, ERROR_CLUSTER_NODE_ALREADY_MEMBER, "%s is already a member",
                   a->node->name);
        return false;
    }
    if (n >= cluster_max_nodes(a->cluster)) {
        phase_fail(&a->rep, ERROR_CLUSTER_MAX_NODES_IN_CLUSTER,
                   "the cluster has %zu nodes, its limit", n);
        return false;
    }
    status = cluster_request(a->cluster, RPC_OP_GET_CREDENTIAL, NULL, 0, false, &r);
    if (status == 0 &&
        (wire_get_strdup(r.data, r.len, RPC_F_KEY_HEX, &hex) < 0 ||
         strlen(hex) >= sizeof(a->key_hex)))
        status = ERROR_INVALID_DATA;
    if (status == 0) {
        snprintf(a->key_hex, sizeof(a->key_hex), "%s", hex);
        memset(hex, 0, strlen(hex));
    }
    free(hex);
    rpc_reply_done(&r);
    if (status == 0)
        status = cluster_identity(a->cluster, a->cluster_id);
    if (status != 0)
        return fail_cluster(a, status, "cannot get the cluster's credential");
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

/* 301: a database row and a raft spare; the leader picks the id. */
static bool phase_add_member(struct add *a)
{
    struct wire_writer w;
    DWORD status;

    if (!phase_start(&a->rep, ClusterSetupPhaseAddNodeToCluster, a->node->name))
        return false;
    rpc_request(&w, RPC_OP_MEMBER_ADD);
    wire_put_str(&w, RPC_F_NODE_NAME, a->node->name);
    wire_put_str(&w, RPC_F_ADDRESS, a->node->address);
    wire_put_u32(&w, RPC_F_PORT, setup_node_port(a->node));
    wire_put_u32(&w, RPC_F_RAFT_PORT, a->node->raft_port);
    if (a->witness)
        wire_put_u32(&w, RPC_F_WITNESS, 1);
    status = cluster_call(a->cluster, &w, LIB_RPC_TIMEOUT_MS, &a->member);
    if (status == 0 && wire_get_u64(a->member.data, a->member.len, RPC_F_NODE_ID, &a->id) < 0)
        status = ERROR_INVALID_DATA;
    if (status != 0) {
        phase_fail(&a->rep, status, "the cluster did not take %s: %s", a->node->name,
                   a->member.errmsg);
        return false;
    }
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

/* 102: the new node must reach a majority of the members; a member it cannot reach (down, or
 * just died) is reported with a Warning and reached once it returns. */
static bool phase_networks(struct add *a)
{
    struct cluster_node *nodes;
    size_t n, reached = 0, members = 0;
    bool warned = false;
    DWORD status;

    if (!phase_start(&a->rep, ClusterSetupPhaseValidateNetft, a->node->name))
        return false;
    status = cluster_nodes(a->cluster, &nodes, &n);
    if (status != 0)
        return fail_cluster(a, status, "cannot read the members");
    for (size_t i = 0; i < n; i++) {
        struct wire_writer w;

        if (nodes[i].id == a->id)
            continue;
        members++;
        status = ERROR_CLUSTER_NODE_DOWN;
        if (nodes[i].state == ClusterNodeUp || nodes[i].state == ClusterNodePaused) {
            rpc_request(&w, RPC_OP_CHECK_PEER);
            wire_put_str(&w, RPC_F_ADDRESS, nodes[i].address);
            wire_put_u32(&w, RPC_F_PORT, nodes[i].port);
            status = setup_node_call(a->node, &w, LIB_RPC_TIMEOUT_MS, NULL);
        }
        if (status == 0) {
            reached++;
            continue;
        }
        warned = true;
        if (!phase_continue(&a->rep, nodes[i].name, ClusterSetupPhaseWarning, status)) {
            free(nodes);
            return false;
        }
    }
    free(nodes);
    if (reached < members / 2 + 1)
        return fail_node(a, "the node cannot reach a majority of the cluster");
    if (!phase_end(&a->rep, warned ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational,
                   0))
        return false;
    /* 103: no shared disk is requested through this call. */
    if (!phase_start(&a->rep, ClusterSetupPhaseValidateClusDisk, a->node->name))
        return false;
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

static bool phase_configure(struct add *a)
{
    struct wire_writer w;
    struct wire_reader r;
    struct wire_field f;

    if (!phase_start(&a->rep, ClusterSetupPhaseConfigureClusSvc, a->node->name))
        return false;
    rpc_request(&w, RPC_OP_SET_CREDENTIAL);
    wire_put_u64(&w, RPC_F_SESSION, a->nodes.session);
    wire_put_str(&w, RPC_F_CLUSTER_ID, a->cluster_id);
    wire_put_str(&w, RPC_F_KEY_HEX, a->key_hex);
    if (setup_node_call(a->node, &w, LIB_RPC_TIMEOUT_MS, NULL) != 0)
        return fail_node(a, "cannot hand over the cluster's credential");
    rpc_request(&w, RPC_OP_CONFIGURE);
    wire_put_u64(&w, RPC_F_SESSION, a->nodes.session);
    wire_put_str(&w, RPC_F_CLUSTER_ID, a->cluster_id);
    wire_put_str(&w, RPC_F_CLUSTER_NAME, a->cluster->name);
    wire_put_u64(&w, RPC_F_NODE_ID, a->id);
    wire_put_u32(&w, RPC_F_JOIN, 1);
    wire_reader_init(&r, a->member.data, a->member.len);
    while (wire_next(&r, &f) > 0)
        if (f.tag == RPC_F_PEER)
            wire_put_blob(&w, RPC_F_PEER, f.value, f.len);
    if (setup_node_call(a->node, &w, LIB_RPC_TIMEOUT_MS, NULL) != 0)
        return fail_node(a, "cannot configure the node");
    reporter_step(&a->rep);
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

static bool phase_start_service(struct add *a)
{
    struct wire_writer w;

    if (!phase_start(&a->rep, ClusterSetupPhaseStartingClusSvc, a->node->name))
        return false;
    rpc_request(&w, RPC_OP_START);
    wire_put_u64(&w, RPC_F_SESSION, a->nodes.session);
    if (setup_node_call(a->node, &w, LIB_RPC_TIMEOUT_MS, NULL) != 0)
        return fail_node(a, "cannot start the cluster service");
    reporter_step(&a->rep);
    return phase_end(&a->rep, ClusterSetupPhaseInformational, 0);
}

/* 302: caught up, promoted, Up, and the node has applied the cluster's commit. */
static bool phase_node_up(struct add *a)
{
    struct wire_writer w;
    struct rpc_reply r;
    DWORD status;

    if (!phase_start(&a->rep, ClusterSetupPhaseNodeUp, a->node->name))
        return false;
    rpc_request(&w, RPC_OP_MEMBER_PROMOTE);
    wire_put_u64(&w, RPC_F_NODE_ID, a->id);
    status = cluster_call(a->cluster, &w, JOIN_TIMEOUT_MS, &r);
    if (status != 0) {
        phase_fail(&a->rep, status, "%s did not catch up: %s", a->node->name, r.errmsg);
        rpc_reply_done(&r);
        return false;
    }
    rpc_reply_done(&r);
    status = cluster_wait(a->cluster, RPC_WAIT_NODE_STATE, a->node->name, ClusterNodeUp,
                          JOIN_TIMEOUT_MS);
    if (status != 0)
        return fail_cluster(a, status, "the node did not come up");
    if (setup_wait(a->node, RPC_WAIT_COMMITTED, NULL, 0, JOIN_TIMEOUT_MS) != 0)
        return fail_node(a, "the node did not take the cluster's configuration");
    if (a->rep.cancel_requested) {
        phase_fail(&a->rep, ERROR_CANCELLED, "cancelled by the progress callback");
        return false;
    }
    phase_end_final(&a->rep);
    return true;
}

/* FailureCleanup's first step: the node leaves raft and the database again. */
static DWORD undo_member(struct reporter *r, void *arg)
{
    struct add *a = arg;
    struct wire_writer w;
    struct rpc_reply reply;
    DWORD status;

    if (a->id == 0)
        return 0;
    rpc_request(&w, RPC_OP_MEMBER_REMOVE);
    wire_put_u64(&w, RPC_F_NODE_ID, a->id);
    status = cluster_call(a->cluster, &w, JOIN_TIMEOUT_MS, &reply);
    rpc_reply_done(&reply);
    phase_continue(r, a->node->name,
                   status ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational, status);
    return status;
}

static bool run_phases(struct add *a)
{
    static bool (*const phases[])(struct add *) = {
        phase_initialize, phase_validate_node, phase_membership, phase_add_member,
        phase_networks,   phase_configure,     phase_start_service, phase_node_up,
    };

    for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
        if (!phases[i](a))
            return false;
    return true;
}

/* The arguments; a Win32 code, with the node's name in UTF-8 in *ret on success. */
static DWORD check_args(HCLUSTER hCluster, PCWSTR name, DWORD flags,
                        struct cluster_handle **ret_cluster, char **ret)
{
    const char *reason = NULL;
    char *utf8;

    *ret_cluster = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    if (*ret_cluster == NULL)
        return ERROR_INVALID_HANDLE;
    if (flags != 0) /* REFERENCE §7.4: no flag is defined yet */
        return ERROR_INVALID_PARAMETER;
    if (name == NULL || name[0] == 0)
        return ERROR_INVALID_PARAMETER;
    utf8 = lib_name_in(name);
    if (utf8 == NULL)
        return GetLastError();
    if (name_check_host(utf8, &reason) < 0 || name_equal(utf8, (*ret_cluster)->name)) {
        free(utf8);
        return ERROR_CLUSTER_INVALID_STRING_FORMAT;
    }
    *ret = utf8;
    return 0;
}

DWORD setup_add_node(struct cluster_handle *c, const char *name, uint16_t port, bool witness,
                     PCLUSTER_SETUP_PROGRESS_CALLBACK cb, PVOID cb_arg)
{
    struct add a;
    char *names[] = {(char *)name};
    DWORD status;

    memset(&a, 0, sizeof(a));
    a.cluster = c;
    a.witness = witness;
    status = setup_nodes_init(&a.nodes, names, 1);
    if (status != 0)
        return lib_fail(status);
    a.node = &a.nodes.v[0];
    a.node->port = port;
    reporter_init(&a.rep, cb, cb_arg, PROGRESS_TOTAL_ADD_NODE);
    if (!run_phases(&a)) {
        setup_failure_cleanup(&a.rep, &a.nodes, a.node->name, undo_member, &a);
        status = GetLastError();
        if (status == 0) /* every failed phase sets it; never report a failure as success */
            status = lib_fail(ERROR_GEN_FAILURE);
    }
    rpc_reply_done(&a.member);
    memset(a.key_hex, 0, sizeof(a.key_hex));
    setup_nodes_done(&a.nodes);
    return status;
}

CLUSAPI_API HNODE CLUSAPI_CALL AddClusterNodeEx(HCLUSTER hCluster, PCWSTR lpszNodeName,
                                                DWORD dwFlags,
                                                PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
                                                PVOID pvCallbackArg)
{
    struct cluster_handle *c;
    struct object_handle *h = NULL;
    char *name = NULL;
    DWORD status;

    lib_clear_error();
    status = check_args(hCluster, lpszNodeName, dwFlags, &c, &name);
    if (status != 0) {
        lib_fail(status);
        return NULL;
    }
    status = setup_add_node(c, name, 0, false, pfnProgressCallback, pvCallbackArg);
    if (status == 0 && (h = object_new(c, HANDLE_NODE, name)) == NULL)
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
    free(name);
    return (HNODE)h;
}

CLUSAPI_API HNODE CLUSAPI_CALL AddClusterNode(HCLUSTER hCluster, PCWSTR lpszNodeName,
                                              PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
                                              PVOID pvCallbackArg)
{
    return AddClusterNodeEx(hCluster, lpszNodeName, 0, pfnProgressCallback, pvCallbackArg);
}
