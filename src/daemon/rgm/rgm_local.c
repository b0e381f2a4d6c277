/*
 * rgm_local — the resources this node has taken in hand: their records (driver, properties), the
 * driver calls on worker threads (online, offline, looks-alive), the reports of each outcome, and
 * terminate, which takes everything down at once (lease lost, wipe, shutdown).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "daemon/base/log.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

/* Health checks, in the shape of Windows' LooksAlivePollInterval; what a failed check leads to
 * is rgm_restart_allowed()'s (RestartThreshold / RestartPeriod). */
#define LOOKS_ALIVE_MS 1000

struct driver_op {
    uv_work_t work;
    struct rgm *m;
    struct rgm_local *l;
    bool online;
    bool check;     /* a looks-alive check rather than online/offline */
    bool report;    /* this node owns the resource: record the outcome */
    int rv;
};

/* ------------------------------------------------------------------------------------------ */
/* Local resource records                                                                      */
/* ------------------------------------------------------------------------------------------ */

struct rgm_local *rgm_local_find(struct rgm *m, const char *name)
{
    for (struct rgm_local *l = m->local; l != NULL; l = l->next)
        if (strcasecmp(l->name, name) == 0)
            return l;
    return NULL;
}

/*
 * The addresses a Network Name publishes: those of the IP Address resources it depends on,
 * comma-separated (its "Addresses" property, computed here rather than stored).
 */
static void provider_addresses(struct rgm *m, const char *name, char *buf, size_t n)
{
    char **providers;
    size_t k, used = 0;

    buf[0] = '\0';
    if (cdb_dependencies(m->host->db, name, &providers, &k) < 0)
        return;
    for (size_t i = 0; i < k; i++) {
        struct cdb_prop *props;
        size_t np;

        if (cdb_resource_props(m->host->db, providers[i], &props, &np) < 0)
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
static int local_load_props(struct rgm *m, struct rgm_local *l)
{
    struct cdb_prop *props;
    char addresses[1024];
    size_t n, size = 0;
    char *p;
    int rv = cdb_resource_props(m->host->db, l->name, &props, &n);

    if (rv < 0)
        return rv;
    provider_addresses(m, l->name, addresses, sizeof(addresses));
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

static bool local_listed(struct rgm *m, const struct rgm_local *l)
{
    for (struct rgm_local *p = m->local; p != NULL; p = p->next)
        if (p == l)
            return true;
    return false;
}

struct rgm_local *rgm_local_get(struct rgm *m, const struct cdb_resource *r)
{
    struct rgm_local *l = rgm_local_find(m, r->name);
    const struct rm_driver *driver;
    struct cdb_restype type;

    if (l != NULL)
        return l;
    if (cdb_restype_by_name(m->host->db, r->type, &type) < 0)
        return NULL;
    driver = rm_driver_find(type.driver);
    if (driver == NULL)
        return NULL;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        return NULL;
    snprintf(l->name, sizeof(l->name), "%s", r->name);
    snprintf(l->type, sizeof(l->type), "%s", type.name);
    snprintf(l->driver_arg, sizeof(l->driver_arg), "%s", type.driver);
    l->driver = driver;
    l->res.name = l->name;
    l->res.type = l->type;
    l->res.driver_arg = l->driver_arg;
    if (local_load_props(m, l) < 0) {
        free(l);
        return NULL;
    }
    l->next = m->local;
    m->local = l;
    return l;
}

void rgm_local_free(struct rgm *m, struct rgm_local *l)
{
    struct rgm_local **pp = &m->local;

    while (*pp != l) {
        assert(*pp != NULL); /* only a listed record is freed */
        pp = &(*pp)->next;
    }
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
            rm_terminate(l->driver, &l->res);
    }
    else
        op->rv = op->online ? l->driver->online(&l->res) : l->driver->offline(&l->res);
    if (!op->check && !op->online && op->rv < 0) /* offline is offline: a failed one forces it */
        rm_terminate(l->driver, &l->res);
}

/* A report on its way: the record may be gone (a terminate) before its outcome comes. */
struct report {
    struct rgm *m;
    struct rgm_local *l;
};

static void report_done(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct report *rp = arg;
    struct rgm *m = rp->m;
    struct rgm_local *l = rp->l;

    free(rp);
    if (m->terminate_cb != NULL || !local_listed(m, l))
        return; /* the record went with a terminate */
    l->reporting = false;
    if (status == ERROR_INVALID_STATE) /* it moved meanwhile; the database decides */
        l->reported = true;
    else if (rv < 0 || status != 0)
        LOGW("rgm", "cannot record the state of %s: %s", l->name, errmsg ? errmsg : "");
    else
        l->reported = true;
    if (!l->online && !l->busy && l->reported)
        rgm_local_free(m, l);
    else
        m->host->kick(m->host);
}

/* Commits what this node says about resource l (built in w, consumed); one at a time. */
void rgm_submit_report(struct rgm *m, struct rgm_local *l, struct wire_writer *w)
{
    struct report *rp = malloc(sizeof(*rp));

    assert(!l->reporting);
    if (rp == NULL) {
        wire_writer_done(w);
        return;
    }
    *rp = (struct report){.m = m, .l = l};
    l->reported = false;
    l->reporting = true;
    if (!host_submit_writer(m->host, w, report_done, rp)) {
        l->reporting = false;
        free(rp);
    }
}

void rgm_report_state(struct rgm *m, struct rgm_local *l, int32_t state)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_set_resource_state(&w, l->name, state,
                               state == ClusterResourceOffline ? 0 : m->host->node_id);
    cdb_cmd_expect_owner(&w, m->host->node_id); /* a stale owner's report changes nothing */
    rgm_submit_report(m, l, &w);
}

/* A failed looks-alive: restart here while the restart budget lasts, else report Failed. */
static void check_failed(struct rgm *m, struct rgm_local *l, int rv)
{
    uint64_t now = m->host->now(m->host);

    LOGW("rgm", "%s failed its health check: %s", l->name, l->res.errmsg);
    l->online = false;
    if (rgm_restart_allowed(&l->restarts, now)) {
        l->last_rv = 0; /* the reconcile brings it online again */
        return;
    }
    l->last_rv = rv;
    if (m->terminate_cb == NULL)
        rgm_report_state(m, l, ClusterResourceFailed);
}

static void driver_done(uv_work_t *work, int status)
{
    struct driver_op *op = work->data;
    struct rgm_local *l = op->l;
    struct rgm *m = op->m;

    (void)status;
    l->busy = false;
    if (op->check) {
        if (op->rv < 0 && l->online)
            check_failed(m, l, op->rv);
        free(op);
        if (m->terminate_cb != NULL)
            rgm_terminate_all(m, m->terminate_cb, m->terminate_arg);
        else
            m->host->kick(m->host);
        return;
    }
    l->last_rv = op->rv;
    if (op->online) {
        l->online = op->rv == 0;
        if (op->rv == 0) {
            LOGI("rgm", "%s is online", l->name);
            m->host->kick(m->host); /* its dependents may start at once */
        }
        else
            LOGW("rgm", "%s failed to come online: %s", l->name, l->res.errmsg);
        if (m->terminate_cb == NULL && op->report)
            rgm_report_state(m, l, op->rv == 0 ? ClusterResourceOnline : ClusterResourceFailed);
    } else {
        l->online = false;
        LOGI("rgm", "%s is offline", l->name);
        if (m->terminate_cb == NULL && op->report)
            rgm_report_state(m, l, ClusterResourceOffline);
        else if (m->terminate_cb == NULL)
            rgm_local_free(m, l); /* no longer ours: nothing to record */
    }
    free(op);
    if (m->terminate_cb != NULL)
        rgm_terminate_all(m, m->terminate_cb, m->terminate_arg);
    else
        m->host->kick(m->host);
}

/* Runs one driver call (online, offline or a check, as in tmpl) for l on a worker thread. */
static void driver_queue(struct rgm *m, struct rgm_local *l, struct driver_op tmpl)
{
    struct driver_op *op = calloc(1, sizeof(*op));

    if (op == NULL)
        return;
    *op = tmpl;
    op->m = m;
    op->l = l;
    op->work.data = op;
    l->busy = true;
    if (uv_queue_work(m->host->loop, &op->work, driver_work, driver_done) != 0) {
        l->busy = false;
        free(op);
    }
}

void rgm_driver_call(struct rgm *m, struct rgm_local *l, bool online, bool report)
{
    driver_queue(m, l, (struct driver_op){.online = online, .report = report});
}

void rgm_init(struct rgm *m, struct host *host, bool (*may_start)(void *arg), void *arg)
{
    *m = (struct rgm){.host = host, .may_start = may_start, .may_start_arg = arg};
}

void rgm_monitor(struct rgm *m)
{
    uint64_t now = m->host->now(m->host);

    if (m->terminate_cb != NULL || m->host->quiescing)
        return;
    for (struct rgm_local *l = m->local; l != NULL; l = l->next) {
        if (!l->online || l->busy || l->reporting || now < l->next_check)
            continue;
        l->next_check = now + LOOKS_ALIVE_MS;
        driver_queue(m, l, (struct driver_op){.check = true});
    }
}

bool rgm_terminating(const struct rgm *m)
{
    return m->terminate_cb != NULL;
}

bool rgm_empty(const struct rgm *m)
{
    return m->local == NULL;
}

bool rgm_holds_nothing(const struct rgm *m)
{
    for (const struct rgm_local *l = m->local; l != NULL; l = l->next)
        if (l->online || l->busy || l->reporting)
            return false;
    return true;
}

void rgm_lost_all(struct rgm *m)
{
    for (struct rgm_local *l = m->local; l != NULL; l = l->next) {
        if (!l->online || l->busy)
            continue;
        LOGW("rgm", "%s went offline with the lease; it returns with the lease", l->name);
        l->online = false;
        l->last_rv = 0;
    }
    m->host->kick(m->host);
}

/* ------------------------------------------------------------------------------------------ */
/* Terminate                                                                                   */
/* ------------------------------------------------------------------------------------------ */

struct terminate {
    uv_work_t work;
    struct rgm *m;
    struct rgm_local *list;
    void (*cb)(void *arg);
    void *arg;
};

static void terminate_work(uv_work_t *work)
{
    struct terminate *t = work->data;

    /* A record the lease took down is not online but may still hold driver state. */
    for (struct rgm_local *l = t->list; l != NULL; l = l->next)
        if (l->online || l->res.priv != NULL)
            rm_terminate(l->driver, &l->res);
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
    t->cb(t->arg);
    free(t);
}

void rgm_terminate_all(struct rgm *m, void (*cb)(void *arg), void *arg)
{
    struct terminate *t;

    /* A driver call still running owns its record: wait for it, then terminate everything. */
    m->terminate_cb = cb;
    m->terminate_arg = arg;
    for (struct rgm_local *l = m->local; l != NULL; l = l->next)
        if (l->busy)
            return;
    m->terminate_cb = NULL;
    t = calloc(1, sizeof(*t));
    if (t == NULL) {
        cb(arg);
        return;
    }
    *t = (struct terminate){.m = m, .list = m->local, .cb = cb, .arg = arg};
    m->local = NULL;
    for (struct rgm_local *l = t->list; l != NULL; l = l->next)
        l->online = true; /* terminate unconditionally: it is idempotent */
    t->work.data = t;
    if (uv_queue_work(m->host->loop, &t->work, terminate_work, terminate_done) != 0)
        terminate_done(&t->work, 0);
}

