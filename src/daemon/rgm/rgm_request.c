/*
 * rgm_request — the leader's answers to requests about one resource (OnlineClusterResource,
 * OfflineClusterResource): which resources come with it (its providers, or its dependents), where
 * they run, and one commit of their states and their group's. The owner's reconcile then brings
 * them online providers first, or takes them offline dependents first.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"
#include "daemon/consensus/consensus.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

/* One request's view: the resource, its group's resources and their dependencies, and the
 * resources that come with it (the closure). */
struct request {
    struct cdb_resource r;
    struct cdb_resource *res;
    size_t n_res;
    struct rgm_deps deps;
    const char **names; /* the closure, r first */
    size_t n_names;
};

static void request_done(struct request *q)
{
    rgm_deps_done(&q->deps);
    free(q->names);
    free(q->res);
}

/* Reads q for resource name, with its providers (or dependents); 0 or a Win32 code (said in
 * errmsg). q needs request_done whatever it returns. */
static uint32_t request_read(struct rgm *m, const char *name, bool providers, struct request *q,
                             char *errmsg, size_t n)
{
    memset(q, 0, sizeof(*q));
    if (consensus_role(m->host->consensus) != CONSENSUS_LEADER) {
        snprintf(errmsg, n, "this node does not lead the cluster");
        return RPC_STATUS_NOT_LEADER;
    }
    if (cdb_resource_by_name(m->host->db, name, &q->r) < 0) {
        snprintf(errmsg, n, "resource %s not found", name);
        return ERROR_RESOURCE_NOT_FOUND;
    }
    /* Dependencies stay within a group, so the group's resources hold the whole closure. */
    if (cdb_resources(m->host->db, q->r.group, &q->res, &q->n_res) < 0 ||
        rgm_deps_read(m, q->res, q->n_res, &q->deps) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    q->names = calloc(q->deps.n + 1, sizeof(*q->names));
    if (q->names == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    q->n_names = rgm_closure(q->deps.deps, q->deps.n, q->r.name, providers, q->names);
    return 0;
}

/* The group's resource called name (one of the closure), or NULL. */
static struct cdb_resource *request_resource(struct request *q, const char *name)
{
    for (size_t i = 0; i < q->n_res; i++)
        if (strcasecmp(q->res[i].name, name) == 0)
            return &q->res[i];
    return NULL;
}

/* A request's commit on its way: the caller's callback runs once it is applied or refused. */
struct pending {
    struct rgm *m;
    host_commit_cb done;
    void *arg;
};

static void requested(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct pending *p = arg;
    struct rgm *m = p->m;

    if (rv < 0 || status != 0)
        LOGW("rgm", "cannot commit a resource request: %s", errmsg ? errmsg : "");
    p->done(p->arg, rv, status, errmsg);
    free(p);
    m->host->kick(m->host);
}

/* Writes SET_RESOURCE_STATE for one resource as a sub-command of the batch in w. */
static void batch_resource(struct wire_writer *w, const char *name, int32_t state,
                           uint64_t owner)
{
    size_t mark = cdb_cmd_batch_sub_begin(w);

    cdb_cmd_set_resource_state(w, name, state, owner);
    cdb_cmd_batch_sub_end(w, mark);
}

static void batch_group(struct wire_writer *w, const char *group, int32_t state, uint64_t owner)
{
    size_t mark = cdb_cmd_batch_sub_begin(w);

    cdb_cmd_set_group_state(w, group, state, owner);
    cdb_cmd_batch_sub_end(w, mark);
}

static uint32_t submit(struct rgm *m, struct wire_writer *w, host_commit_cb done, void *arg)
{
    struct pending *p = malloc(sizeof(*p));

    if (p == NULL) {
        wire_writer_done(w);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *p = (struct pending){m, done, arg};
    if (host_submit_writer(m->host, w, requested, p))
        return ERROR_IO_PENDING;
    free(p);
    return ERROR_NOT_ENOUGH_MEMORY;
}

/* The online of q's closure on owner: group Pending there, each of them not running (nor
 * starting) OnlinePending. */
static uint32_t commit_online(struct rgm *m, struct request *q, uint64_t owner,
                              host_commit_cb done, void *arg)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    batch_group(&w, q->r.group, ClusterGroupPending, owner);
    for (size_t i = 0; i < q->n_names; i++) {
        const struct cdb_resource *x = request_resource(q, q->names[i]);

        assert(x != NULL); /* the closure holds only the group's resources */
        if (x->state != ClusterResourceOnline && x->state != ClusterResourceOnlinePending)
            batch_resource(&w, x->name, ClusterResourceOnlinePending, owner);
    }
    return submit(m, &w, done, arg);
}

uint32_t rgm_resource_online(struct rgm *m, const char *name, host_commit_cb done, void *arg,
                             char *errmsg, size_t n)
{
    struct rgm_placement p = {0};
    struct request q;
    uint32_t status = request_read(m, name, true, &q, errmsg, n);
    uint64_t owner;

    if (status != 0 || q.r.state == ClusterResourceOnline)
        goto done;
    status = rgm_placement_read(m, q.r.group, &p, errmsg, n);
    if (status == 0 && rgm_placement_bar(m, &p, q.names, q.n_names) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status != 0)
        goto done;
    owner = rgm_resource_host(&p.members, &p.group, p.pref, p.n_pref);
    if (owner == 0) {
        snprintf(errmsg, n, "no node may host %s and what it depends on", q.r.name);
        status = ERROR_HOST_NODE_NOT_AVAILABLE;
        goto done;
    }
    LOGI("rgm", "%s and %zu provider(s) come online on node %llu", q.r.name, q.n_names - 1,
         (unsigned long long)owner);
    status = commit_online(m, &q, owner, done, arg);
done:
    rgm_placement_done(&p);
    request_done(&q);
    return status;
}

/*
 * The offline of q's closure: each by rgm_offline_state(). The group goes Pending on its owner
 * while one of them stops there; otherwise it takes at once the state its resources now make.
 */
static uint32_t commit_offline(struct rgm *m, struct request *q, const struct rgm_placement *p,
                               host_commit_cb done, void *arg)
{
    struct wire_writer w;
    bool stopping = false;

    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    for (size_t i = 0; i < q->n_names; i++) {
        struct cdb_resource *x = request_resource(q, q->names[i]);
        int32_t state;
        uint64_t owner;

        assert(x != NULL);
        if (!rgm_offline_state(&p->members, x, &state, &owner))
            continue;
        batch_resource(&w, x->name, state, owner);
        stopping |= state == ClusterResourceOfflinePending;
        x->state = state; /* for the group's state below */
    }
    /* An offline group keeps its node. */
    batch_group(&w, q->r.group, stopping ? ClusterGroupPending
                                         : rgm_group_state(q->res, q->n_res, NULL),
                p->group.owner);
    return submit(m, &w, done, arg);
}

uint32_t rgm_resource_offline(struct rgm *m, const char *name, host_commit_cb done, void *arg,
                              char *errmsg, size_t n)
{
    struct rgm_placement p = {0};
    struct request q;
    uint32_t status = request_read(m, name, false, &q, errmsg, n);

    if (status != 0 || q.r.state == ClusterResourceOffline)
        goto done;
    status = rgm_placement_read(m, q.r.group, &p, errmsg, n);
    if (status != 0)
        goto done;
    LOGI("rgm", "%s and %zu dependent(s) go offline", q.r.name, q.n_names - 1);
    status = commit_offline(m, &q, &p, done, arg);
done:
    rgm_placement_done(&p);
    request_done(&q);
    return status;
}
