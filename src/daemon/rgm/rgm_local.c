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
#include <sys/stat.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "daemon/base/log.h"
#include "daemon/rgm/rgm_internal.h"
#include "daemon/rgm/rgm_policy.h"

/* What a driver call does. */
enum op_kind {
    OP_ONLINE,      /* validate (first time), then online */
    OP_OFFLINE,
    OP_LOOKS_ALIVE, /* LooksAlivePollInterval, or at once when its watch wakes */
    OP_IS_ALIVE,    /* IsAlivePollInterval */
    OP_FAIL,        /* FailClusterResource: terminate, then as a failed check */
    OP_TERMINATE,   /* the lease went: terminate, nothing more (it returns with the lease) */
    OP_STEP_DOWN,   /* a provider went down under it: offline, then back with the provider */
};

struct driver_op {
    uv_work_t work;
    struct rgm *m;
    struct rgm_local *l;
    enum op_kind kind;
    bool report;     /* online/offline: this node owns the resource: record the outcome */
    bool from_watch; /* a check its watch asked for */
    bool hard;       /* validate refused it: Failed at once, no restart, no retry */
    int rv;
    uint64_t queued_at; /* when the call was asked for: a failure a check finds dates from then */
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

static void watch_stop(struct rgm_local *l);

/* Frees an unlisted record, closing its watch. */
static void local_destroy(struct rgm_local *l)
{
    watch_stop(l);
    rm_type_info_free(l->type_info);
    free(l->props);
    free(l->prop_block);
    free(l);
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
    rgm_local_policy(m, l);
    /* Only a FAIL_RESOURCE after this moment is a request to this record. */
    if (cdb_resource_fail_count(m->host->db, l->name, &l->fail_count) < 0)
        l->fail_count = 0;
    l->next = m->local;
    m->local = l;
    return l;
}

int rgm_local_policy(struct rgm *m, struct rgm_local *l)
{
    struct cdb_prop *res = NULL, *type = NULL;
    size_t n_res = 0, n_type = 0;
    int rv = cdb_resource_common(m->host->db, l->name, &res, &n_res);
    int rv_type = cdb_restype_props(m->host->db, l->type, &type, &n_type);

    /* What cannot be read is left at Windows' defaults: the resource still runs. */
    rgm_res_policy_read(rv == 0 ? res : NULL, rv == 0 ? n_res : 0, rv_type == 0 ? type : NULL,
                        rv_type == 0 ? n_type : 0, &l->policy);
    free(res);
    free(type);
    return rv < 0 ? rv : rv_type;
}

void rgm_local_free(struct rgm *m, struct rgm_local *l)
{
    struct rgm_local **pp = &m->local;

    while (*pp != l) {
        assert(*pp != NULL); /* only a listed record is freed */
        pp = &(*pp)->next;
    }
    *pp = l->next;
    local_destroy(l);
}

/* ------------------------------------------------------------------------------------------ */
/* Watch descriptors                                                                           */
/* ------------------------------------------------------------------------------------------ */

static void driver_queue(struct rgm *m, struct rgm_local *l, enum op_kind kind, bool report);
static void queue_op(struct rgm *m, struct rgm_local *l, enum op_kind kind, bool report,
                     bool from_watch);

/* A uv_poll on a driver's watch descriptor; freed in its close callback. */
struct watch {
    uv_poll_t poll;
    struct rgm *m;
    struct rgm_local *l;
};

static void watch_closed(uv_handle_t *h)
{
    free(h->data);
}

/* Stops watching l's descriptor: before any driver call (which may close it), and before the
 * record goes. */
static void watch_stop(struct rgm_local *l)
{
    if (l->watch == NULL)
        return;
    uv_close((uv_handle_t *)l->watch, watch_closed);
    l->watch = NULL;
}

/* The descriptor signalled: the resource may have died; check it now, not at the next poll. */
static void watch_cb(uv_poll_t *poll, int status, int events)
{
    struct watch *w = poll->data;
    struct rgm_local *l = w->l;

    (void)events;
    watch_stop(l);
    if (status < 0 || l->busy || l->reporting || !l->online || w->m->terminate_cb != NULL)
        return;
    LOGI("rgm", "%s: its watch woke, checking it now", l->name);
    l->watch_quiet = true; /* a descriptor that stays readable must not spin the checks */
    queue_op(w->m, l, OP_LOOKS_ALIVE, false, true);
}

/*
 * The events that show a change on fd. A regular file (cgroup.events, a sysfs attribute) always
 * polls readable and signals a change as POLLPRI: waiting for readable would spin. Anything else
 * (a pidfd, an eventfd, a bus socket) signals by becoming readable.
 */
static int watch_events(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? UV_PRIORITIZED : UV_READABLE;
}

/* Watches l's descriptor while it is online here, if its driver gives one. */
static void watch_start(struct rgm *m, struct rgm_local *l)
{
    struct watch *w;
    int fd;

    if (l->watch != NULL || l->watch_quiet || !l->online || l->driver->watch_fd == NULL ||
        m->terminate_cb != NULL)
        return;
    fd = l->driver->watch_fd(&l->res);
    if (fd < 0)
        return;
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return; /* the polls still notice it */
    *w = (struct watch){.m = m, .l = l};
    w->poll.data = w;
    if (uv_poll_init(m->host->loop, &w->poll, fd) != 0) {
        free(w);
        return;
    }
    l->watch = &w->poll;
    if (uv_poll_start(&w->poll, watch_events(fd), watch_cb) != 0)
        watch_stop(l);
}

/* ------------------------------------------------------------------------------------------ */
/* Driver calls on worker threads                                                              */
/* ------------------------------------------------------------------------------------------ */

/* The bound of a call of kind for l: PendingTimeout, or the type's own if smaller. */
static uint32_t call_timeout(const struct rgm_local *l, enum op_kind kind)
{
    const struct rm_type_info *info = l->type_info;
    uint32_t type_ms = 0;

    if (info != NULL)
        type_ms = kind == OP_ONLINE ? info->start_ms : kind == OP_OFFLINE ? info->stop_ms
                                                                          : info->monitor_ms;
    return rgm_call_timeout(l->policy.pending_timeout_ms, type_ms);
}

/* Validate (once per record, before its first online here), then online. */
static int work_online(struct driver_op *op, struct rgm_local *l)
{
    int rv;

    if (!l->validated && l->driver->validate != NULL) {
        l->res.timeout_ms = rgm_call_timeout(l->policy.pending_timeout_ms,
                                             l->type_info ? l->type_info->validate_ms : 0);
        rv = l->driver->validate(&l->res);
        if (rv < 0) {
            op->hard = true; /* its configuration is wrong: restarting cannot help */
            return rv;
        }
    }
    l->validated = true;
    l->res.timeout_ms = call_timeout(l, OP_ONLINE);
    rv = l->driver->online(&l->res);
    if (rv == -ETIMEDOUT) /* a hung start: whatever it left goes */
        rm_terminate(l->driver, &l->res);
    return rv;
}

static void driver_work(uv_work_t *work)
{
    struct driver_op *op = work->data;
    struct rgm_local *l = op->l;

    l->res.errmsg[0] = '\0';
    /* Here, not on the loop: a type's information may take running an agent. */
    if (!l->type_info_tried) {
        l->type_info_tried = true;
        if (rm_type_info(l->driver_arg, &l->type_info) < 0)
            l->type_info = NULL;
    }
    switch (op->kind) {
    case OP_ONLINE:
        op->rv = work_online(op, l);
        return;
    case OP_OFFLINE:
    case OP_STEP_DOWN:
        l->res.timeout_ms = call_timeout(l, OP_OFFLINE);
        op->rv = l->driver->offline(&l->res);
        break;
    case OP_LOOKS_ALIVE:
    case OP_IS_ALIVE:
        l->res.timeout_ms = call_timeout(l, op->kind);
        op->rv = op->kind == OP_IS_ALIVE && l->driver->is_alive != NULL
                     ? l->driver->is_alive(&l->res)
                     : l->driver->looks_alive(&l->res);
        break;
    case OP_FAIL:
        op->rv = rm_fail(&l->res, -ECANCELED, "failed on request (FailClusterResource)");
        break;
    case OP_TERMINATE:
        op->rv = -ECANCELED;
        break;
    }
    /* Offline is offline: a failed (or timed-out) one forces it. What is left of a failed
     * resource goes before a restart or a failover. */
    if (op->rv < 0)
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
    /* A failed resource's record stays for its retry (and its restart budget). */
    if (!l->online && !l->busy && l->reported && l->retry_at == 0)
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

/* Records l Failed (rv the cause); it is tried again after its retry period unless hard. */
static void report_failed(struct rgm *m, struct rgm_local *l, int rv, bool hard)
{
    l->online = false;
    l->last_rv = rv < 0 ? rv : -EIO;
    l->retry_at = hard ? 0 : rgm_retry_at(&l->policy, m->host->now(m->host));
    if (m->terminate_cb == NULL)
        rgm_report_state(m, l, ClusterResourceFailed);
}

/*
 * l failed while online (a check, its watch, FailClusterResource); the check that found it was
 * asked for at noticed_at (for a watch, the moment the resource died). Its restart policy says
 * whether it restarts here after its delay or is reported Failed. The delay counts from then:
 * the check itself and the clean-up of what was left of the resource (an agent's monitor and
 * stop) run within it instead of before it. Its providers are waited for as for any start.
 */
static void resource_failed(struct rgm *m, struct rgm_local *l, int rv, uint64_t noticed_at)
{
    uint64_t now = m->host->now(m->host);

    LOGW("rgm", "%s failed: %s", l->name, l->res.errmsg);
    l->online = false;
    /* A policy set while it ran (RestartDelay, RestartThreshold ...) applies to this failure,
     * not only from its next start: a set common property reports no "stored until restart". */
    if (rgm_local_policy(m, l) < 0)
        LOGW("rgm", "%s: cannot read its policy: Windows' defaults apply", l->name);
    switch (rgm_failure_decide(&l->restarts, &l->policy, now)) {
    case RGM_FAILURE_RESTART:
        LOGI("rgm", "%s restarts here in %u ms", l->name, l->policy.restart_delay_ms);
        l->last_rv = 0; /* the reconcile brings it online again */
        l->not_before = noticed_at + l->policy.restart_delay_ms;
        return;
    case RGM_FAILURE_FAILED:
        LOGW("rgm", "%s stays failed; its group stays", l->name);
        break;
    case RGM_FAILURE_FAIL_GROUP:
        LOGW("rgm", "%s is out of restarts: its group fails over", l->name);
        break;
    }
    report_failed(m, l, rv, false);
}

/* An online call ended. */
static void online_done(struct rgm *m, struct rgm_local *l, const struct driver_op *op)
{
    uint64_t now = m->host->now(m->host);

    l->online = op->rv == 0;
    if (op->rv == 0) {
        LOGI("rgm", "%s is online", l->name);
        l->retry_at = 0;
        l->next_looks = now + l->policy.looks_alive_ms;
        l->next_is = now + l->policy.is_alive_ms;
        l->watch_quiet = false;
        watch_start(m, l);
        m->host->kick(m->host); /* its dependents may start at once */
        if (m->terminate_cb == NULL && op->report)
            rgm_report_state(m, l, ClusterResourceOnline);
        return;
    }
    LOGW("rgm", "%s failed to come online%s: %s", l->name,
         op->rv == -ETIMEDOUT ? " in its pending timeout" : op->hard ? " (validation)" : "",
         l->res.errmsg);
    if (op->report)
        report_failed(m, l, op->rv, op->hard);
}

static void driver_done(uv_work_t *work, int status)
{
    struct driver_op *op = work->data;
    struct rgm_local *l = op->l;
    struct rgm *m = op->m;

    (void)status;
    l->busy = false;
    switch (op->kind) {
    case OP_LOOKS_ALIVE:
    case OP_IS_ALIVE:
    case OP_FAIL:
        if (op->rv < 0 && l->online)
            resource_failed(m, l, op->rv, op->queued_at);
        else if (l->online) {
            l->watch_quiet = op->from_watch; /* woke for nothing: wait for the next poll */
            watch_start(m, l);
        }
        break;
    case OP_ONLINE:
        l->last_rv = op->rv;
        online_done(m, l, op);
        break;
    case OP_TERMINATE:
        break;
    case OP_STEP_DOWN: /* not a failure of its own: no restart counted, nothing recorded */
        l->online = false;
        l->last_rv = 0;
        LOGI("rgm", "%s is offline until its providers are back", l->name);
        break;
    case OP_OFFLINE:
        l->last_rv = op->rv;
        l->online = false;
        l->retry_at = 0; /* offline on request: no retry; the record goes once recorded */
        LOGI("rgm", "%s is offline%s", l->name,
             op->rv == -ETIMEDOUT ? " (terminated: its stop outlasted its pending timeout)" : "");
        if (m->terminate_cb == NULL && op->report)
            rgm_report_state(m, l, ClusterResourceOffline);
        else if (m->terminate_cb == NULL) {
            free(op);
            rgm_local_free(m, l); /* no longer ours: nothing to record */
            m->host->kick(m->host);
            return;
        }
        break;
    }
    free(op);
    if (m->terminate_cb != NULL)
        rgm_terminate_all(m, m->terminate_cb, m->terminate_arg);
    else
        m->host->kick(m->host);
}

/* Runs one driver call of kind for l on a worker thread; from_watch: the check its watch asked
 * for (a regular poll is not, even while the watch is quiet, so that it re-arms it). */
static void queue_op(struct rgm *m, struct rgm_local *l, enum op_kind kind, bool report,
                     bool from_watch)
{
    struct driver_op *op = calloc(1, sizeof(*op));

    if (op == NULL)
        return;
    *op = (struct driver_op){.m = m, .l = l, .kind = kind, .report = report,
                             .from_watch = from_watch, .queued_at = m->host->now(m->host)};
    op->work.data = op;
    watch_stop(l); /* the call may close the descriptor */
    l->busy = true;
    if (uv_queue_work(m->host->loop, &op->work, driver_work, driver_done) != 0) {
        l->busy = false;
        free(op);
        watch_start(m, l);
    }
}

static void driver_queue(struct rgm *m, struct rgm_local *l, enum op_kind kind, bool report)
{
    queue_op(m, l, kind, report, false);
}

void rgm_driver_call(struct rgm *m, struct rgm_local *l, bool online, bool report)
{
    driver_queue(m, l, online ? OP_ONLINE : OP_OFFLINE, report);
}

void rgm_driver_step_down(struct rgm *m, struct rgm_local *l)
{
    assert(l->online && !l->busy);
    driver_queue(m, l, OP_STEP_DOWN, false);
}

void rgm_driver_fail(struct rgm *m, struct rgm_local *l)
{
    assert(l->online && !l->busy);
    driver_queue(m, l, OP_FAIL, false);
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
        if (!l->online || l->busy || l->reporting)
            continue;
        /* A thorough check stands for a quick one too. */
        if (now >= l->next_is) {
            l->next_is = now + l->policy.is_alive_ms;
            l->next_looks = now + l->policy.looks_alive_ms;
            driver_queue(m, l, OP_IS_ALIVE, false);
        } else if (now >= l->next_looks) {
            l->next_looks = now + l->policy.looks_alive_ms;
            driver_queue(m, l, OP_LOOKS_ALIVE, false);
        }
    }
}

bool rgm_terminating(const struct rgm *m)
{
    return m->terminate_cb != NULL || m->terminations > 0;
}

bool rgm_empty(const struct rgm *m)
{
    return m->local == NULL;
}

bool rgm_runs_nothing(const struct rgm *m)
{
    if (rgm_terminating(m))
        return false;
    for (const struct rgm_local *l = m->local; l != NULL; l = l->next)
        if (l->online || l->busy)
            return false;
    return true;
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
        /* The resource host took down what it holds; whatever else of it runs (any driver)
         * goes too, so nothing of it outlives the lease. */
        driver_queue(m, l, OP_TERMINATE, false);
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
        local_destroy(l);
    }
    assert(t->m->terminations > 0);
    t->m->terminations--;
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
    m->terminations++;
    for (struct rgm_local *l = t->list; l != NULL; l = l->next) {
        watch_stop(l);    /* before terminate closes what it watches */
        l->online = true; /* terminate unconditionally, whatever the driver: it is idempotent */
    }
    t->work.data = t;
    if (uv_queue_work(m->host->loop, &t->work, terminate_work, terminate_done) != 0)
        terminate_done(&t->work, 0);
}

