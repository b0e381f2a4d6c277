/*
 * rgm — the resource group manager.
 *
 * The leader places groups: it commits "group G is Pending on node N, its resources
 * OnlinePending". Every node reconciles after each applied command: resources the database gives
 * to this node are brought online here (providers before the resources that depend on them), the
 * result is committed back, and resources this node holds but no longer owns are taken offline.
 * Driver calls block, so they run on worker threads; at most one runs per resource at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/cdb_cmd.h"
#include "daemon/base/log.h"
#include "daemon/rm/rm.h"
#include "daemon/svc/svc.h"

/* A resource this node has taken in hand. */
struct rgm_local {
    char name[CDB_NAME_MAX + 1];
    const struct rm_driver *driver;
    struct rm_resource res;
    struct rm_prop *props;
    size_t n_props;
    char *prop_block;
    bool online;    /* the driver brought it online here */
    bool busy;      /* a driver call is running */
    bool reporting; /* a state report is being committed */
    bool reported;  /* the database knows the outcome of the last call */
    int last_rv;
    uint64_t handoff_from;  /* the member this node waits for to let go of it, 0 for none */
    uint64_t next_check;    /* when looks-alive runs next */
    uint64_t restart_window; /* start of the current restart period */
    unsigned restarts;      /* local restarts within it */
    struct rgm_local *next;
};

/* Health checks, in the shape of Windows' LooksAlivePollInterval and RestartThreshold /
 * RestartPeriod: a resource that fails its check is restarted here once within the period,
 * then reported Failed so that the group manager moves its group elsewhere. */
#define LOOKS_ALIVE_MS 1000
#define RESTART_THRESHOLD 1
#define RESTART_PERIOD_MS (15 * 60 * 1000)

struct driver_op {
    uv_work_t work;
    struct svc *s;
    struct rgm_local *l;
    bool online;
    bool check;     /* a looks-alive check rather than online/offline */
    bool report;    /* this node owns the resource: record the outcome */
    int rv;
};

/* ------------------------------------------------------------------------------------------ */
/* Local resource records                                                                      */
/* ------------------------------------------------------------------------------------------ */

static struct rgm_local *local_find(struct svc *s, const char *name)
{
    for (struct rgm_local *l = s->local; l != NULL; l = l->next)
        if (strcasecmp(l->name, name) == 0)
            return l;
    return NULL;
}

/*
 * The addresses a Network Name publishes: those of the IP Address resources it depends on,
 * comma-separated (its "Addresses" property, computed here rather than stored).
 */
static void provider_addresses(struct svc *s, const char *name, char *buf, size_t n)
{
    char **providers;
    size_t k, used = 0;

    buf[0] = '\0';
    if (cdb_dependencies(s->db, name, &providers, &k) < 0)
        return;
    for (size_t i = 0; i < k; i++) {
        struct cdb_prop *props;
        size_t np;

        if (cdb_resource_props(s->db, providers[i], &props, &np) < 0)
            continue;
        for (size_t j = 0; j < np; j++)
            if (strcasecmp(props[j].key, "Address") == 0 && used + strlen(props[j].value) + 2 < n)
                used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "," : "",
                                         props[j].value);
        free(props);
    }
    free(providers);
}

/* Copies the resource's properties out of the database so the worker thread owns its input. */
static int local_load_props(struct svc *s, struct rgm_local *l)
{
    struct cdb_prop *props;
    char addresses[1024];
    size_t n, size = 0;
    char *p;
    int rv = cdb_resource_props(s->db, l->name, &props, &n);

    if (rv < 0)
        return rv;
    provider_addresses(s, l->name, addresses, sizeof(addresses));
    size += sizeof("Addresses") + strlen(addresses) + 1;
    for (size_t i = 0; i < n; i++)
        size += strlen(props[i].key) + strlen(props[i].value) + 2;
    free(l->props);
    free(l->prop_block);
    l->props = calloc(n + 1, sizeof(*l->props));
    l->prop_block = malloc(size ? size : 1);
    if (l->props == NULL || l->prop_block == NULL) {
        free(props);
        return -ENOMEM;
    }
    p = l->prop_block;
    for (size_t i = 0; i < n; i++) {
        l->props[i].key = strcpy(p, props[i].key);
        p += strlen(p) + 1;
        l->props[i].value = strcpy(p, props[i].value);
        p += strlen(p) + 1;
    }
    if (addresses[0] != '\0') {
        l->props[n].key = strcpy(p, "Addresses");
        p += strlen(p) + 1;
        l->props[n++].value = strcpy(p, addresses);
    }
    l->n_props = n;
    l->res.props = l->props;
    l->res.n_props = n;
    free(props);
    return 0;
}

static bool local_listed(struct svc *s, const struct rgm_local *l)
{
    for (struct rgm_local *p = s->local; p != NULL; p = p->next)
        if (p == l)
            return true;
    return false;
}

static struct rgm_local *local_get(struct svc *s, const struct cdb_resource *r)
{
    struct rgm_local *l = local_find(s, r->name);
    const struct rm_driver *driver;

    if (l != NULL)
        return l;
    driver = rm_driver_find(r->type);
    if (driver == NULL)
        return NULL;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        return NULL;
    snprintf(l->name, sizeof(l->name), "%s", r->name);
    l->driver = driver;
    l->res.name = l->name;
    l->res.type = driver->type_name;
    if (local_load_props(s, l) < 0) {
        free(l);
        return NULL;
    }
    l->next = s->local;
    s->local = l;
    return l;
}

static void local_free(struct svc *s, struct rgm_local *l)
{
    struct rgm_local **pp = &s->local;

    while (*pp != l)
        pp = &(*pp)->next;
    *pp = l->next;
    free(l->props);
    free(l->prop_block);
    free(l);
}

/* ------------------------------------------------------------------------------------------ */
/* Driver calls on worker threads                                                              */
/* ------------------------------------------------------------------------------------------ */

static void driver_work(uv_work_t *work)
{
    struct driver_op *op = work->data;
    struct rgm_local *l = op->l;

    l->res.errmsg[0] = '\0';
    if (op->check) {
        op->rv = l->driver->looks_alive(&l->res);
        if (op->rv < 0) /* whatever is left of it goes before a restart or a failover */
            l->driver->terminate(&l->res);
    }
    else
        op->rv = op->online ? l->driver->online(&l->res) : l->driver->offline(&l->res);
    if (!op->check && !op->online && op->rv < 0) /* offline is offline: a failed one forces it */
        l->driver->terminate(&l->res);
}

static void report_done(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct rgm_local *l = arg;

    if (s->terminate_cb != NULL || !local_listed(s, l))
        return; /* the record went with a terminate */
    l->reporting = false;
    if (status == ERROR_INVALID_STATE) /* it moved meanwhile; the database decides */
        l->reported = true;
    else if (rv < 0 || status != 0)
        LOGW("rgm", "cannot record the state of %s: %s", l->name, errmsg ? errmsg : "");
    else
        l->reported = true;
    if (!l->online && !l->busy && l->reported)
        local_free(s, l);
    else
        svc_kick(s);
}

/* Commits what this node says about resource l (built in w, consumed); one at a time. */
static void submit_report(struct svc *s, struct rgm_local *l, struct wire_writer *w)
{
    size_t len;
    uint8_t *cmd = wire_writer_take(w, &len);

    if (cmd == NULL)
        return;
    l->reported = false;
    l->reporting = true;
    svc_submit(s, cmd, len, report_done, l);
    free(cmd);
}

static void report_state(struct svc *s, struct rgm_local *l, int32_t state)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_set_resource_state(&w, l->name, state, state == ClusterResourceOffline ? 0 : s->conf.node_id);
    cdb_cmd_expect_owner(&w, s->conf.node_id); /* a stale owner's report changes nothing */
    submit_report(s, l, &w);
}

/* A failed looks-alive: restart here while the restart budget lasts, else report Failed. */
static void check_failed(struct svc *s, struct rgm_local *l, int rv)
{
    uint64_t now = svc_now_ms();

    LOGW("rgm", "%s failed its health check: %s", l->name, l->res.errmsg);
    if (now - l->restart_window > RESTART_PERIOD_MS) {
        l->restart_window = now;
        l->restarts = 0;
    }
    l->online = false;
    if (l->restarts++ < RESTART_THRESHOLD) {
        l->last_rv = 0; /* the reconcile brings it online again */
        return;
    }
    l->last_rv = rv;
    if (s->terminate_cb == NULL)
        report_state(s, l, ClusterResourceFailed);
}

static void driver_done(uv_work_t *work, int status)
{
    struct driver_op *op = work->data;
    struct rgm_local *l = op->l;
    struct svc *s = op->s;

    (void)status;
    l->busy = false;
    if (op->check) {
        if (op->rv < 0 && l->online)
            check_failed(s, l, op->rv);
        free(op);
        if (s->terminate_cb != NULL)
            rgm_terminate_all(s, s->terminate_cb, s->terminate_arg);
        else
            svc_kick(s);
        return;
    }
    l->last_rv = op->rv;
    if (op->online) {
        l->online = op->rv == 0;
        if (op->rv == 0) {
            LOGI("rgm", "%s is online", l->name);
            svc_kick(s); /* its dependents may start at once */
        }
        else
            LOGW("rgm", "%s failed to come online: %s", l->name, l->res.errmsg);
        if (s->terminate_cb == NULL && op->report)
            report_state(s, l, op->rv == 0 ? ClusterResourceOnline : ClusterResourceFailed);
    } else {
        l->online = false;
        LOGI("rgm", "%s is offline", l->name);
        if (s->terminate_cb == NULL && op->report)
            report_state(s, l, ClusterResourceOffline);
        else if (s->terminate_cb == NULL)
            local_free(s, l); /* no longer ours: nothing to record */
    }
    free(op);
    if (s->terminate_cb != NULL)
        rgm_terminate_all(s, s->terminate_cb, s->terminate_arg);
    else
        svc_kick(s);
}

/* Runs one driver call (online, offline or a check, as in tmpl) for l on a worker thread. */
static void driver_queue(struct svc *s, struct rgm_local *l, struct driver_op tmpl)
{
    struct driver_op *op = calloc(1, sizeof(*op));

    if (op == NULL)
        return;
    *op = tmpl;
    op->s = s;
    op->l = l;
    op->work.data = op;
    l->busy = true;
    if (uv_queue_work(s->loop, &op->work, driver_work, driver_done) != 0) {
        l->busy = false;
        free(op);
    }
}

static void driver_call(struct svc *s, struct rgm_local *l, bool online, bool report)
{
    driver_queue(s, l, (struct driver_op){.online = online, .report = report});
}

/* ------------------------------------------------------------------------------------------ */
/* Reconcile                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static bool node_is_up(struct svc *s, uint64_t id);

/* A resource may start once one of its providers (alternatives, OR) is online, or it has none.
 * A provider this node has just brought online counts before the database records it. */
static bool providers_ready(struct svc *s, const char *name)
{
    char **providers;
    size_t n;
    bool ready;

    if (cdb_dependencies(s->db, name, &providers, &n) < 0)
        return false;
    ready = n == 0;
    for (size_t i = 0; i < n; i++) {
        struct rgm_local *l = local_find(s, providers[i]);
        struct cdb_resource p;

        if (!ready && ((l != NULL && l->online && !l->busy) ||
                       (cdb_resource_by_name(s->db, providers[i], &p) == 0 &&
                        p.state == ClusterResourceOnline)))
            ready = true;
    }
    free(providers);
    return ready;
}

/* A resource may stop once every resource depending on it is offline (or failed). */
static bool dependents_offline(struct svc *s, const struct cdb_resource *all, size_t n,
                               const char *name)
{
    for (size_t i = 0; i < n; i++) {
        char **providers;
        size_t k;
        bool depends = false;

        if (all[i].state == ClusterResourceOffline || all[i].state == ClusterResourceFailed)
            continue;
        if (cdb_dependencies(s->db, all[i].name, &providers, &k) < 0)
            return false;
        for (size_t j = 0; j < k; j++)
            depends |= strcasecmp(providers[j], name) == 0;
        free(providers);
        if (depends)
            return false;
    }
    return true;
}

static void bring_online(struct svc *s, const struct cdb_resource *r, struct rgm_local *l)
{
    if (r->handoff != 0) { /* its previous holder has not let go yet */
        l = l != NULL ? l : local_get(s, r);
        if (l != NULL)
            l->handoff_from = r->handoff;
        return;
    }
    if (!svc_may_start_resources(s)) {
        LOGD("rgm", "%s waits: this node holds no quorum lease", r->name);
        return; /* without a quorum lease nothing comes online here */
    }
    if (r->state == ClusterResourceOnlinePending && !providers_ready(s, r->name))
        return;
    if (l != NULL && l->last_rv < 0 && r->state != ClusterResourceOnlinePending)
        return; /* failed and reported: wait for a new request */
    l = local_get(s, r);
    if (l == NULL) {
        LOGE("rgm", "no driver for %s (type %s)", r->name, r->type);
        return;
    }
    /* Handed over by a member that is still Up: it let go of the resource a moment ago, so
     * there is nothing to probe for. After a failover (the holder fenced, released on its
     * behalf) the driver checks as always. */
    l->res.handed_over = l->handoff_from != 0 && node_is_up(s, l->handoff_from);
    l->handoff_from = 0;
    driver_call(s, l, true, true);
}

static void take_offline(struct svc *s, const struct cdb_resource *all, size_t n,
                         const struct cdb_resource *r, struct rgm_local *l)
{
    if (!dependents_offline(s, all, n, r->name))
        return;
    /* Also when the lease took it down: the driver still holds its state (res.priv), which
     * only its offline frees, and the record is freed once the state is recorded. */
    if (l != NULL && (l->online || l->res.priv != NULL)) {
        driver_call(s, l, false, true);
        return;
    }
    /* Nothing runs here: record it offline straight away. */
    l = l != NULL ? l : local_get(s, r);
    if (l != NULL && !l->reporting)
        report_state(s, l, ClusterResourceOffline);
}

/* This node has let go of a resource it was handing over: the new owner may start it. */
static void release(struct svc *s, const struct cdb_resource *r, struct rgm_local *l)
{
    struct wire_writer w;

    l = l != NULL ? l : local_get(s, r);
    if (l == NULL)
        return;
    wire_writer_init(&w);
    cdb_cmd_release_resource(&w, r->name, s->conf.node_id);
    submit_report(s, l, &w);
}

static void reconcile_resource(struct svc *s, const struct cdb_resource *all, size_t n,
                               const struct cdb_resource *r)
{
    bool mine = r->owner == s->conf.node_id;
    bool handing = r->handoff == s->conf.node_id && !mine;
    struct rgm_local *l = local_find(s, r->name);
    bool here = l != NULL && l->online;

    if (l != NULL && (l->busy || l->reporting))
        return;
    if (mine && (r->state == ClusterResourceOnlinePending || r->state == ClusterResourceOnline) && !here)
        bring_online(s, r, l);
    else if (mine && r->state == ClusterResourceOnlinePending && here)
        report_state(s, l, ClusterResourceOnline); /* handed back to the node that still held it */
    else if (mine && r->state == ClusterResourceOfflinePending)
        take_offline(s, all, n, r, l);
    else if (here && (!mine || r->state == ClusterResourceOffline || r->state == ClusterResourceFailed))
        driver_call(s, l, false, mine); /* moved away or stopped: stop it here */
    else if (handing)
        release(s, r, l);
    else if (l != NULL && !mine)
        local_free(s, l); /* a handover this node waited for went elsewhere */
}

/* The group's state as its resources make it. */
static int32_t derive_group_state(const struct cdb_resource *res, size_t n)
{
    size_t online = 0, offline = 0, failed = 0;

    for (size_t i = 0; i < n; i++) {
        online += res[i].state == ClusterResourceOnline;
        offline += res[i].state == ClusterResourceOffline;
        failed += res[i].state == ClusterResourceFailed;
    }
    if (failed > 0)
        return ClusterGroupFailed;
    if (online == n)
        return ClusterGroupOnline;
    if (offline == n)
        return ClusterGroupOffline;
    if (online + offline == n)
        return ClusterGroupPartialOnline;
    return ClusterGroupPending;
}

static void group_reported(struct svc *s, void *arg, int rv, uint32_t status,
                           const char *errmsg)
{
    (void)arg;
    (void)status;
    if (rv < 0)
        LOGW("rgm", "cannot record a group state: %s", errmsg ? errmsg : "");
    svc_kick(s);
}

/* The owner records its group's state once its resources settle (a pending group), or once a
 * resource of an online group has failed for good, so that the group manager moves it. */
static void reconcile_group(struct svc *s, const struct cdb_group *g)
{
    struct cdb_resource *res;
    struct wire_writer w;
    uint8_t *cmd;
    size_t n, len;
    int32_t state;

    if (g->owner != s->conf.node_id ||
        (g->state != ClusterGroupPending && g->state != ClusterGroupOnline))
        return;
    if (cdb_resources(s->db, g->name, &res, &n) < 0)
        return;
    state = derive_group_state(res, n);
    free(res);
    if (state == ClusterGroupPending || (g->state == ClusterGroupOnline && state != ClusterGroupFailed))
        return;
    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, g->name, state, g->owner); /* an offline group keeps its node */
    cdb_cmd_expect_owner(&w, g->owner);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return;
    svc_submit(s, cmd, len, group_reported, NULL);
    free(cmd);
}

static void node_reported(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    (void)errmsg;
    s->reported_up = rv == 0 && status == 0;
    if (!s->reported_up)
        svc_kick(s);
}

/* Until heartbeats decide node states, a node that follows a leader declares itself Up, once:
 * not when it is Up already, and never over the administrator's pause. */
static void report_node_up(struct svc *s)
{
    struct cdb_node me;
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    if (s->reported_up || consensus_leader(s->consensus) == 0 ||
        cdb_node_by_id(s->db, s->conf.node_id, &me) < 0)
        return;
    if (me.state == ClusterNodeUp || me.state == ClusterNodePaused) {
        s->reported_up = true;
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_set_node_state(&w, s->conf.node_id, ClusterNodeUp);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return;
    s->reported_up = true; /* in flight; cleared again if it fails */
    svc_submit(s, cmd, len, node_reported, NULL);
    free(cmd);
}

void rgm_reconcile(struct svc *s)
{
    struct cdb_resource *res;
    struct cdb_group *groups;
    size_t n;

    if (s->db == NULL || s->consensus == NULL)
        return;
    report_node_up(s);
    /* A node that restarts holds the database as it was: acting on it could start what the
     * cluster moved elsewhere meanwhile. Resources wait until this node has caught up. */
    if (!consensus_caught_up(s->consensus))
        return;
    if (cdb_resources(s->db, NULL, &res, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            reconcile_resource(s, res, n, &res[i]);
        free(res);
    }
    /* Resources held here that the database no longer has. */
    for (struct rgm_local *l = s->local; l != NULL; l = l->next) {
        struct cdb_resource r;

        if (!l->busy && l->online && cdb_resource_by_name(s->db, l->name, &r) == -ENOENT)
            driver_call(s, l, false, false);
    }
    if (cdb_groups(s->db, &groups, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            reconcile_group(s, &groups[i]);
        free(groups);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Placement (leader)                                                                          */
/* ------------------------------------------------------------------------------------------ */

static bool node_is_up(struct svc *s, uint64_t id)
{
    struct cdb_node n;

    return cdb_node_by_id(s->db, id, &n) == 0 && n.state == ClusterNodeUp;
}

/*
 * Preferred owners first; then any Up node but the leader (so that losing one node never costs
 * an election and a failover at once), by id; the leader last. exclude is never chosen.
 */
static uint64_t choose_owner(struct svc *s, const char *group, uint64_t exclude)
{
    uint64_t *pref, owner = 0;
    struct cdb_node *nodes;
    size_t n;

    if (cdb_preferred(s->db, group, &pref, &n) == 0) {
        for (size_t i = 0; i < n && owner == 0; i++)
            if (pref[i] != exclude && node_is_up(s, pref[i]))
                owner = pref[i];
        free(pref);
    }
    if (owner == 0 && cdb_nodes(s->db, &nodes, &n) == 0) {
        for (size_t i = 0; i < n && owner == 0; i++)
            if (nodes[i].state == ClusterNodeUp && nodes[i].id != exclude &&
                nodes[i].id != s->conf.node_id)
                owner = nodes[i].id;
        free(nodes);
    }
    if (owner == 0 && s->conf.node_id != exclude && node_is_up(s, s->conf.node_id))
        owner = s->conf.node_id;
    return owner;
}

static void placed(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    if (rv < 0 || status != 0)
        LOGW("rgm", "cannot place a group: %s", errmsg ? errmsg : "");
    svc_kick(s);
}

/* How commit_group treats the group's resources. */
enum {
    ONLY_ACTIVE = 1, /* leave the resources that are offline as they are */
    HAND_OVER = 2,   /* whichever node holds each resource hands it over to owner */
};

/* Starts a batch; with gone, one that is refused should that node have come back with a new
 * lease since the caller saw it (its incarnation moved on: cdb_cmd.h, EXPECT_NODE). */
static void batch_begin(struct wire_writer *w, const struct cdb_node *gone)
{
    cdb_cmd_batch(w);
    if (gone != NULL) {
        size_t mark = cdb_cmd_batch_sub_begin(w);

        cdb_cmd_expect_node(w, gone->id, gone->incarnation);
        cdb_cmd_batch_sub_end(w, mark);
    }
}

/* Commits the same state change for a group and each of its resources (one batch; see
 * batch_begin for gone). */
static uint32_t commit_group(struct svc *s, const char *group, int32_t group_state,
                             uint64_t owner, int32_t res_state, unsigned flags,
                             const struct cdb_node *gone, svc_submit_cb done, void *arg)
{
    struct cdb_resource *res;
    struct wire_writer w;
    uint8_t *cmd;
    size_t n_res, len, mark;

    if (cdb_resources(s->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    wire_writer_init(&w);
    batch_begin(&w, gone);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_group_state(&w, group, group_state, owner);
    cdb_cmd_batch_sub_end(&w, mark);
    for (size_t i = 0; i < n_res; i++) {
        if ((flags & ONLY_ACTIVE) && res[i].state == ClusterResourceOffline)
            continue;
        mark = cdb_cmd_batch_sub_begin(&w);
        cdb_cmd_set_resource_state(&w, res[i].name, res_state,
                                   res_state == ClusterResourceOffline ? 0 : owner);
        if (flags & HAND_OVER)
            cdb_cmd_hand_over(&w);
        cdb_cmd_batch_sub_end(&w, mark);
    }
    free(res);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    svc_submit(s, cmd, len, done, arg);
    free(cmd);
    return ERROR_IO_PENDING;
}

uint32_t rgm_group_online(struct svc *s, const char *group, uint64_t node_id, char *errmsg,
                          size_t n)
{
    struct cdb_group g;
    uint64_t owner;

    if (consensus_role(s->consensus) != CONSENSUS_LEADER) {
        snprintf(errmsg, n, "this node does not lead the cluster");
        return RPC_STATUS_NOT_LEADER;
    }
    if (cdb_group_by_name(s->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state == ClusterGroupOnline)
        return 0;
    /* No node named: where it is (an offline group keeps its owner), else the best node. */
    owner = node_id != 0 ? node_id : g.owner != 0 && node_is_up(s, g.owner) ? g.owner
                                                                         : choose_owner(s, group, 0);
    if (owner == 0 || !node_is_up(s, owner)) {
        snprintf(errmsg, n, "no node is available to host %s", group);
        return ERROR_HOST_NODE_NOT_AVAILABLE;
    }
    return commit_group(s, group, ClusterGroupPending, owner, ClusterResourceOnlinePending, 0, NULL, placed,
                        NULL);
}

/* One batch: the group Pending on target, each active resource OnlinePending there, handed
 * over by whichever node holds it when the batch is applied. */
static uint32_t commit_move(struct svc *s, const char *group, uint64_t target, svc_submit_cb done)
{
    return commit_group(s, group, ClusterGroupPending, target, ClusterResourceOnlinePending,
                        ONLY_ACTIVE | HAND_OVER, NULL, done, NULL);
}

uint32_t rgm_group_move(struct svc *s, const char *group, uint64_t *node_id, int32_t *state,
                        char *errmsg, size_t n)
{
    struct cdb_group g;
    uint64_t target;

    if (cdb_group_by_name(s->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    target = *node_id != 0 ? *node_id : choose_owner(s, group, g.owner);
    if (target == 0 || !node_is_up(s, target)) {
        snprintf(errmsg, n, "no node is available to host %s", group);
        return ERROR_HOST_NODE_NOT_AVAILABLE;
    }
    *node_id = target;
    *state = g.state == ClusterGroupOffline ? ClusterGroupOffline : ClusterGroupOnline;
    if (g.owner == target && (g.state == ClusterGroupOnline || g.state == ClusterGroupOffline))
        return 0;
    if (g.state == ClusterGroupOffline)
        return commit_group(s, group, ClusterGroupOffline, target, ClusterResourceOffline, 0, NULL, placed,
                            NULL);
    return commit_move(s, group, target, placed);
}

static void failed_over(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    s->health_busy = false;
    if (rv < 0 || status != 0)
        LOGW("rgm", "cannot move a group: %s", errmsg ? errmsg : "");
    svc_kick(s);
}

uint32_t rgm_fail_over(struct svc *s, const char *group, uint64_t old_owner,
                       const struct cdb_node *gone, char *errmsg, size_t n)
{
    uint64_t owner = choose_owner(s, group, old_owner);

    if (owner == 0) {
        snprintf(errmsg, n, "no node is available to host %s", group);
        return ERROR_HOST_NODE_NOT_AVAILABLE;
    }
    LOGI("rgm", "group %s goes to node %llu", group, (unsigned long long)owner);
    return commit_group(s, group, ClusterGroupPending, owner, ClusterResourceOnlinePending, 0, gone, failed_over,
                        NULL);
}

uint32_t rgm_group_offline(struct svc *s, const char *group, bool force, char *errmsg, size_t n)
{
    struct cdb_resource *res;
    struct cdb_group g;
    size_t n_res;

    if (cdb_group_by_name(s->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state == ClusterGroupOffline)
        return 0;
    if (cdb_resources(s->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    free(res);
    /* Without its owner (or without resources) nothing has to run: record it offline now;
     * force is the caller vouching that the owner is gone. */
    if (force || n_res == 0 || g.owner == 0 || !node_is_up(s, g.owner))
        return commit_group(s, group, ClusterGroupOffline, 0, ClusterResourceOffline, 0, NULL, placed, NULL);
    return commit_group(s, group, ClusterGroupPending, g.owner, ClusterResourceOfflinePending, ONLY_ACTIVE, NULL,
                        placed, NULL);
}

static void group_deleted(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)s;
    rpc_call_finish(arg, rv < 0 ? ERROR_CLUSTER_NODE_DOWN : status, "%s", errmsg ? errmsg : "");
}

uint32_t rgm_group_delete(struct svc *s, const char *group, bool with_resources,
                          struct rpc_call *call, char *errmsg, size_t n)
{
    struct cdb_resource *res;
    size_t n_res = 0;
    struct cdb_group g;
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    if (cdb_group_by_name(s->db, group, &g) < 0) {
        snprintf(errmsg, n, "group %s not found", group);
        return ERROR_GROUP_NOT_FOUND;
    }
    if (g.state != ClusterGroupOffline) {
        snprintf(errmsg, n, "group %s is not offline", group);
        return ERROR_INVALID_STATE;
    }
    if (cdb_resources(s->db, group, &res, &n_res) < 0)
        return ERROR_NOT_ENOUGH_MEMORY;
    free(res);
    if (n_res > 0 && !with_resources) {
        snprintf(errmsg, n, "group %s still has %zu resource(s)", group, n_res);
        return ERROR_DIR_NOT_EMPTY; /* as DeleteClusterGroup on Windows */
    }
    wire_writer_init(&w);
    cdb_cmd_delete_group(&w, group);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    svc_submit(s, cmd, len, group_deleted, call);
    free(cmd);
    return ERROR_IO_PENDING;
}

void rgm_monitor(struct svc *s)
{
    uint64_t now = svc_now_ms();

    if (s->terminate_cb != NULL || s->wiping || s->stopping)
        return;
    for (struct rgm_local *l = s->local; l != NULL; l = l->next) {
        if (!l->online || l->busy || l->reporting || now < l->next_check)
            continue;
        l->next_check = now + LOOKS_ALIVE_MS;
        driver_queue(s, l, (struct driver_op){.check = true});
    }
}

/* A handover committed here, or accepted by the leader (ERROR_IO_PENDING: being committed). */
static void drain_moved(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    s->drain_pending--;
    if (rv < 0 || (status != 0 && status != ERROR_IO_PENDING)) {
        LOGW("rgm", "stopping: a group could not be handed over: %s", errmsg ? errmsg : "");
        s->drain_failed = true;
    }
    svc_kick(s);
}

size_t rgm_drain(struct svc *s)
{
    struct cdb_group *groups;
    size_t n, moved = 0;

    if (cdb_groups(s->db, &groups, &n) < 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t target;

        if (groups[i].owner != s->conf.node_id || groups[i].state == ClusterGroupOffline)
            continue;
        target = choose_owner(s, groups[i].name, s->conf.node_id);
        if (target == 0)
            continue; /* nowhere to go: it stops with this node */
        LOGI("rgm", "stopping: group %s goes to node %llu", groups[i].name,
             (unsigned long long)target);
        /* A follower asks the leader, which alone commits moves. */
        if (consensus_role(s->consensus) == CONSENSUS_LEADER)
            moved += commit_move(s, groups[i].name, target, drain_moved) == ERROR_IO_PENDING;
        else
            moved += svc_ask_leader_move(s, groups[i].name, target, drain_moved, NULL) == 0;
    }
    free(groups);
    s->drain_pending = moved;
    return moved;
}

bool rgm_holds_nothing(const struct svc *s)
{
    for (const struct rgm_local *l = s->local; l != NULL; l = l->next)
        if (l->online || l->busy || l->reporting)
            return false;
    return true;
}

void rgm_lost_all(struct svc *s)
{
    for (struct rgm_local *l = s->local; l != NULL; l = l->next) {
        if (!l->online || l->busy)
            continue;
        LOGW("rgm", "%s went offline with the lease; it returns with the lease", l->name);
        l->online = false;
        l->last_rv = 0;
    }
    svc_kick(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Terminate                                                                                   */
/* ------------------------------------------------------------------------------------------ */

struct terminate {
    uv_work_t work;
    struct svc *s;
    struct rgm_local *list;
    void (*cb)(struct svc *s, void *arg);
    void *arg;
};

static void terminate_work(uv_work_t *work)
{
    struct terminate *t = work->data;

    /* A record the lease took down is not online but may still hold driver state. */
    for (struct rgm_local *l = t->list; l != NULL; l = l->next)
        if (l->online || l->res.priv != NULL)
            l->driver->terminate(&l->res);
}

static void terminate_done(uv_work_t *work, int status)
{
    struct terminate *t = work->data;

    (void)status;
    while (t->list != NULL) {
        struct rgm_local *l = t->list;

        t->list = l->next;
        free(l->props);
        free(l->prop_block);
        free(l);
    }
    t->cb(t->s, t->arg);
    free(t);
}

void rgm_terminate_all(struct svc *s, void (*cb)(struct svc *s, void *arg), void *arg)
{
    struct terminate *t;

    /* A driver call still running owns its record: wait for it, then terminate everything. */
    s->terminate_cb = cb;
    s->terminate_arg = arg;
    for (struct rgm_local *l = s->local; l != NULL; l = l->next)
        if (l->busy)
            return;
    s->terminate_cb = NULL;
    t = calloc(1, sizeof(*t));
    if (t == NULL) {
        cb(s, arg);
        return;
    }
    *t = (struct terminate){.s = s, .list = s->local, .cb = cb, .arg = arg};
    s->local = NULL;
    for (struct rgm_local *l = t->list; l != NULL; l = l->next)
        l->online = true; /* terminate unconditionally: it is idempotent */
    t->work.data = t;
    if (uv_queue_work(s->loop, &t->work, terminate_work, terminate_done) != 0)
        terminate_done(&t->work, 0);
}
