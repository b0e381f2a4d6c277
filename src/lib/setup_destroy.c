/*
 * setup_destroy — DestroyCluster, in REFERENCE §7.6's order: 403 OfflineGroup per group →
 * 401 DeleteGroup per non-core group → 406 CoreGroupCleanup → 402 CleanupCOs (when asked) →
 * 404 EvictNode per node but the last → 405 CleanupNode per node. It goes on past failures,
 * reports nodes it cannot reach with a Warning (they clean themselves when they return), ignores
 * a FALSE from the callback (a teardown stopped halfway would leave nodes neither clustered nor
 * clean), and returns the last failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi_ext.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "lib/cluster_ops.h"
#include "lib/evict.h"
#include "lib/setup.h"

struct destroy {
    struct cluster_handle *cluster;
    struct reporter rep;
    char cluster_id[40];
    struct cluster_node *nodes;
    size_t n_nodes;
    struct cluster_group *groups;
    size_t n_groups;
    const struct cluster_node *last; /* the node the handle talks to: cleaned at the very end */
    DWORD last_error;
    char last_text[300];
};

/* Records a step's outcome as a Continue and remembers a failure. */
static void outcome(struct destroy *d, const char *object, DWORD status)
{
    if (status != 0) {
        d->last_error = status;
        snprintf(d->last_text, sizeof(d->last_text), "%s: %s", object, ClusapiLastErrorText());
    }
    phase_continue(&d->rep, object,
                   status ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational, status);
}

/* Runs fn for each item of a phase: Start names the first item, a Continue reports each. */
static void per_item(struct destroy *d, CLUSTER_SETUP_PHASE phase, const char *first_object,
                     size_t n, const char *(*object)(struct destroy *, size_t),
                     DWORD (*fn)(struct destroy *, size_t), bool final)
{
    bool warned = false;

    phase_start(&d->rep, phase, first_object);
    for (size_t i = 0; i < n; i++) {
        const char *name = object(d, i);
        DWORD status;

        if (name == NULL)
            continue;
        status = fn(d, i);
        warned |= status != 0;
        outcome(d, name, status);
        reporter_step(&d->rep);
    }
    if (final) /* the last End of DestroyCluster carries 100, whatever failed (§7.6) */
        phase_end_final(&d->rep);
    else
        phase_end(&d->rep, warned ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational, 0);
}

static const struct cluster_node *node_by_id(struct destroy *d, uint64_t id)
{
    for (size_t i = 0; i < d->n_nodes; i++)
        if (d->nodes[i].id == id)
            return &d->nodes[i];
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Groups                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static const char *any_group(struct destroy *d, size_t i)
{
    return d->groups[i].name;
}

static const char *noncore_group(struct destroy *d, size_t i)
{
    return d->groups[i].core ? NULL : d->groups[i].name;
}

static const char *core_group(struct destroy *d, size_t i)
{
    return d->groups[i].core ? d->groups[i].name : NULL;
}

static DWORD offline_group(struct destroy *d, size_t i)
{
    const struct cluster_group *g = &d->groups[i];
    const struct cluster_node *owner = node_by_id(d, g->owner);

    /* An owner that is not Up cannot run the offline: record it offline without it. */
    return cluster_group_offline(d->cluster, g->name, owner != NULL &&
                                                          owner->state != ClusterNodeUp,
                                 CLUSTER_GROUP_TIMEOUT_MS);
}

static DWORD delete_group(struct destroy *d, size_t i)
{
    return cluster_request(d->cluster, RPC_OP_GROUP_DELETE, d->groups[i].name, 0, true, NULL);
}

/* 402: the cluster's identity leaves the database; the credential goes with each node's wipe. */
static DWORD cleanup_identity(struct destroy *d)
{
    struct wire_writer cmd, w;
    struct rpc_reply r;
    uint8_t *bytes;
    size_t len;
    DWORD status;

    wire_writer_init(&cmd);
    cdb_cmd_set_prop(&cmd, "Id", NULL);
    bytes = wire_writer_take(&cmd, &len);
    if (bytes == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    rpc_request(&w, RPC_OP_APPLY);
    wire_put_blob(&w, RPC_F_COMMAND, bytes, len);
    free(bytes);
    status = cluster_call(d->cluster, &w, LIB_RPC_TIMEOUT_MS, &r);
    rpc_reply_done(&r);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Nodes                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Eviction order: nodes that are down first (quorum is counted on the ones that are up), the
 * node the handle talks to never (it is the last one). */
static const char *evictable(struct destroy *d, size_t i)
{
    return &d->nodes[i] == d->last ? NULL : d->nodes[i].name;
}

static const char *first_evictable(struct destroy *d)
{
    for (size_t i = 0; i < d->n_nodes; i++)
        if (evictable(d, i) != NULL)
            return d->nodes[i].name;
    return d->cluster->name;
}

static DWORD evict_one(struct destroy *d, size_t i)
{
    char errmsg[LIB_ERRMSG_SIZE];
    DWORD status = evict_member(d->cluster, &d->nodes[i]);

    /* Wiped now if it answers; otherwise it finds out when it returns. */
    if (status == 0 && d->nodes[i].state == ClusterNodeUp) {
        status = cluster_clean_node(d->nodes[i].address, d->nodes[i].port, d->cluster_id,
                                    errmsg);
        if (status != 0)
            lib_fail_text(status, "%s", errmsg);
    }
    return status;
}

static const char *any_node(struct destroy *d, size_t i)
{
    return d->nodes[i].name;
}

static DWORD clean_one(struct destroy *d, size_t i)
{
    char errmsg[LIB_ERRMSG_SIZE];
    DWORD status = cluster_clean_node(d->nodes[i].address, d->nodes[i].port, d->cluster_id,
                                      errmsg);

    if (status != 0)
        lib_fail_text(status, "%s", errmsg);
    return status;
}

static int down_first(const void *a, const void *b)
{
    const struct cluster_node *x = a, *y = b;
    int xu = x->state == ClusterNodeUp, yu = y->state == ClusterNodeUp;

    return xu != yu ? xu - yu : (x->id > y->id) - (x->id < y->id);
}

static DWORD load(struct destroy *d)
{
    char self[64];
    DWORD status = cluster_whoami(d->cluster, d->cluster_id, self);

    if (status == 0)
        status = cluster_nodes(d->cluster, &d->nodes, &d->n_nodes);
    if (status == 0)
        status = cluster_groups(d->cluster, &d->groups, &d->n_groups);
    if (status != 0)
        return status;
    qsort(d->nodes, d->n_nodes, sizeof(*d->nodes), down_first);
    for (size_t i = 0; i < d->n_nodes; i++)
        if (strcasecmp(d->nodes[i].name, self) == 0)
            d->last = &d->nodes[i];
    if (d->last == NULL && d->n_nodes > 0)
        d->last = &d->nodes[d->n_nodes - 1];
    return 0;
}

CLUSAPI_API DWORD CLUSAPI_CALL DestroyCluster(HCLUSTER hCluster,
                                              PCLUSTER_SETUP_PROGRESS_CALLBACK pfnProgressCallback,
                                              PVOID pvCallbackArg,
                                              BOOL fdeleteVirtualComputerObjects)
{
    struct destroy d;
    DWORD status;
    size_t steps;

    memset(&d, 0, sizeof(d));
    lib_clear_error();
    d.cluster = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    if (d.cluster == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    status = load(&d);
    if (status != 0) {
        free(d.nodes);
        free(d.groups);
        return status;
    }
    steps = 3 + (fdeleteVirtualComputerObjects ? 1 : 0) + 2 * d.n_nodes;
    reporter_init(&d.rep, pfnProgressCallback, pvCallbackArg, (uint32_t)steps);
    d.rep.cancel_ignored = true;
    per_item(&d, ClusterSetupPhaseOfflineGroup, d.n_groups ? d.groups[0].name : d.cluster->name,
             d.n_groups, any_group, offline_group, false);
    per_item(&d, ClusterSetupPhaseDeleteGroup, d.cluster->name, d.n_groups, noncore_group,
             delete_group, false);
    per_item(&d, ClusterSetupPhaseCoreGroupCleanup, "Cluster Group", d.n_groups, core_group,
             delete_group, false);
    if (fdeleteVirtualComputerObjects) {
        phase_start(&d.rep, ClusterSetupPhaseCleanupCOs, d.cluster->name);
        outcome(&d, d.cluster->name, cleanup_identity(&d));
        phase_end(&d.rep, ClusterSetupPhaseInformational, 0);
    }
    per_item(&d, ClusterSetupPhaseEvictNode, first_evictable(&d), d.n_nodes, evictable,
             evict_one, false);
    per_item(&d, ClusterSetupPhaseCleanupNode, d.n_nodes ? d.nodes[0].name : d.cluster->name,
             d.n_nodes, any_node, clean_one, true);
    rpc_conn_close(&d.cluster->conn); /* its node is NotConfigured now */
    free(d.nodes);
    free(d.groups);
    if (d.last_error != 0)
        lib_fail_text(d.last_error, "%s", d.last_text);
    return d.last_error;
}
