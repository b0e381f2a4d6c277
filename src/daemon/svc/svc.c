/*
 * svc — the node service's lifecycle: start-up from the state directory, consensus with the
 * cluster database as its state machine, the host its subsystems see, the pass that follows
 * every apply and the clock, the setup claim and its lease, and wiping back to NotConfigured.
 */
#include "daemon/svc/svc.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/mono_clock.h"
#include "daemon/base/log.h"
#include "daemon/rm/rhs.h"
#include "daemon/svc/svc_votes.h"

#define TICK_MS 100
#define COMMITTED_PROP "SetupCommitted"

uint64_t svc_now_ms(void)
{
    return mono_ms();
}

uint32_t svc_node_cluster_state(const struct svc *s)
{
    if (!s->configured)
        return ClusterStateNotConfigured;
    return s->consensus != NULL ? ClusterStateRunning : ClusterStateNotRunning;
}

/* ------------------------------------------------------------------------------------------ */
/* The host: what rgm and health see of the service                                            */
/* ------------------------------------------------------------------------------------------ */

static struct svc *host_svc(const struct host *h)
{
    return (struct svc *)((char *)h - offsetof(struct svc, host));
}

struct host_commit {
    host_commit_cb cb;
    void *arg;
};

static void host_committed(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct host_commit hc = *(struct host_commit *)arg;

    (void)s;
    free(arg);
    hc.cb(hc.arg, rv, status, errmsg);
}

static void host_submit(struct host *h, const void *cmd, size_t len, host_commit_cb cb,
                        void *arg)
{
    struct host_commit *hc = malloc(sizeof(*hc));

    if (hc == NULL) {
        cb(arg, -ENOMEM, 0, "out of memory");
        return;
    }
    *hc = (struct host_commit){.cb = cb, .arg = arg};
    svc_submit(host_svc(h), cmd, len, host_committed, hc);
}

static int host_ask_move(struct host *h, const char *group, uint64_t target, host_commit_cb cb,
                         void *arg)
{
    struct host_commit *hc = malloc(sizeof(*hc));
    int rv;

    if (hc == NULL)
        return -ENOMEM;
    *hc = (struct host_commit){.cb = cb, .arg = arg};
    rv = svc_ask_leader_move(host_svc(h), group, target, host_committed, hc);
    if (rv < 0)
        free(hc);
    return rv;
}

static void host_kick(struct host *h)
{
    svc_kick(host_svc(h));
}

static void host_kick_at(struct host *h, uint64_t at)
{
    svc_kick_at(host_svc(h), at);
}

static uint64_t host_now(const struct host *h)
{
    (void)h;
    return svc_now_ms();
}

void svc_host_update(struct svc *s)
{
    s->host.node_id = s->configured ? s->conf.node_id : 0;
    s->host.db = s->db;
    s->host.consensus = s->consensus;
    s->host.quiescing = s->wiping || s->shutdown.stopping;
}

static void host_init(struct svc *s)
{
    s->host = (struct host){.loop = s->loop, .submit = host_submit, .ask_move = host_ask_move,
                            .kick = host_kick, .kick_at = host_kick_at,
                            .now = host_now};
    svc_host_update(s);
    if (s->opts.witness)
        rgm_init(&s->rgm, &s->host, svc_witness_may_start, NULL);
    else
        rgm_init(&s->rgm, &s->host, health_may_start_resources, &s->health);
    health_init(&s->health, &s->host, &s->rgm, &s->conf, &s->keys.ring);
}

/* ------------------------------------------------------------------------------------------ */
/* The cluster database as raft's state machine                                                */
/* ------------------------------------------------------------------------------------------ */

static int fsm_apply(void *arg, const void *cmd, size_t len, uint32_t *ret_status)
{
    struct svc *s = arg;
    int rv = cdb_apply(s->db, cmd, len, ret_status);

    if (rv < 0)
        LOGE("cdb", "cannot apply a committed command: %s", strerror(-rv));
    else if (*ret_status != 0)
        LOGD("cdb", "command rejected (%u): %s", *ret_status, cdb_errmsg(s->db));
    svc_kick(s);
    return rv;
}

static int fsm_snapshot(void *arg, void **ret_buf, size_t *ret_len)
{
    struct svc *s = arg;

    return cdb_snapshot(s->db, ret_buf, ret_len);
}

static int fsm_restore(void *arg, const void *buf, size_t len)
{
    struct svc *s = arg;
    int rv = cdb_restore(s->db, buf, len);

    svc_kick(s);
    return rv;
}

static void consensus_changed(void *arg)
{
    svc_kick(arg);
}

int svc_start_consensus(struct svc *s, char *errmsg)
{
    static const struct consensus_fsm fsm_ops = {
        .apply = fsm_apply, .snapshot = fsm_snapshot, .restore = fsm_restore};
    struct consensus_fsm fsm = fsm_ops;
    char dir[4096];
    int rv;

    if (s->consensus != NULL)
        return 0;
    rv = node_conf_raft_dir(s->opts.state_dir, dir, sizeof(dir));
    if (rv < 0) {
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "cannot create the raft directory: %s",
                 strerror(-rv));
        return rv;
    }
    if (s->db == NULL && (rv = cdb_new(&s->db)) < 0) {
        snprintf(errmsg, CONSENSUS_ERRMSG_SIZE, "cannot create the cluster database");
        return rv;
    }
    fsm.arg = s;
    rv = consensus_start(s->loop, dir, &s->conf, &s->keys.ring, &s->opts.timing, &fsm,
                         consensus_changed, s, &s->consensus, errmsg);
    if (rv < 0)
        return rv;
    LOGI("svc", "consensus started: cluster %s, node id %llu", s->conf.cluster_name,
         (unsigned long long)s->conf.node_id);
    svc_storage_watch(s);
    svc_host_update(s);
    rv = health_start(&s->health, s->sync.props_known);
    if (rv < 0)
        LOGE("svc", "no heartbeats: %s", strerror(-rv));
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Reconcile: react to what was applied                                                        */
/* ------------------------------------------------------------------------------------------ */

/* A node marks its configuration committed once the setup's commit reached its database. */
static void check_committed(struct svc *s)
{
    char *value = NULL;

    if (!s->configured || s->conf.committed || s->db == NULL)
        return;
    if (cdb_get_prop(s->db, COMMITTED_PROP, &value) < 0)
        return;
    if (strcmp(value, "1") == 0) {
        int rv;

        s->conf.committed = true;
        rv = node_conf_save(s->opts.state_dir, &s->conf);
        if (rv < 0) /* the next start records it, once its database shows the commit again */
            LOGE("svc", "cannot record the committed configuration in %s/cluster.conf: %s",
                 s->opts.state_dir, strerror(-rv));
        else
            LOGI("svc", "cluster %s committed", s->conf.cluster_name);
        s->claim.session = 0;
    }
    free(value);
}

static void lease_wiped(struct svc *s, int rv, void *arg)
{
    (void)arg;
    LOGI("svc", "back to NotConfigured after an abandoned setup (%s)",
         rv == 0 ? "clean" : strerror(-rv));
}

/* An uncommitted setup whose caller stopped renewing its claim is undone. */
static void claim_check(struct svc *s)
{
    if (s->claim.session == 0 || svc_now_ms() < s->claim.deadline || s->wiping)
        return;
    LOGW("svc", "setup %016llx stopped renewing its claim", (unsigned long long)s->claim.session);
    s->claim.session = 0;
    /* A configuration whose setup never committed must not outlive that setup. */
    if (s->configured && !s->conf.committed)
        svc_wipe(s, "abandoned setup", lease_wiped, NULL);
}

/*
 * One pass over everything that follows the database and the clock: it runs on the next loop
 * turn after each apply (svc_kick) and every TICK_MS (periodic), which adds the duties that
 * follow the clock alone.
 */
static void pass(struct svc *s, bool periodic)
{
    assert(s->host.db == s->db && s->host.consensus == s->consensus);
    if (!s->shutdown.stopping)
        svc_sync_check(s);
    if (!s->shutdown.stopping && !s->wiping) {
        check_committed(s);
        health_sync(&s->health, s->sync.props_known);
        svc_witness_publish(s); /* before a Node Witness online that reconcile may start */
        rgm_reconcile(&s->rgm);
        svc_votes_check(s);
        if (periodic) {
            rgm_monitor(&s->rgm);
            svc_witness_tick(s);
            svc_storage_check(s);
        }
    }
    svc_waits_check(s);
    svc_submit_check_deferred(s);
    svc_shutdown_check(s);
    if (periodic) {
        svc_orphan_tick(s);
        claim_check(s);
    }
}

static void kick_cb(uv_timer_t *t)
{
    pass(t->data, false);
}

static void tick_cb(uv_timer_t *t)
{
    pass(t->data, true);
}

void svc_kick(struct svc *s)
{
    if (!uv_is_active((uv_handle_t *)&s->kick))
        uv_timer_start(&s->kick, kick_cb, 0, 0);
}

void svc_kick_at(struct svc *s, uint64_t at)
{
    uint64_t now = svc_now_ms();

    if (at <= now) {
        svc_kick(s);
    } else if (!uv_is_active((uv_handle_t *)&s->wake) || at < s->wake_at) {
        s->wake_at = at;
        uv_timer_start(&s->wake, kick_cb, at - now, 0);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Wipe                                                                                        */
/* ------------------------------------------------------------------------------------------ */

struct wipe {
    struct svc *s;
    void (*cb)(struct svc *s, int rv, void *arg);
    void *arg;
};

static void wipe_finish(void *arg)
{
    struct wipe *w = arg;
    struct svc *s = w->s;
    int rv = node_conf_wipe(s->opts.state_dir);

    cdb_free(s->db);
    s->db = NULL;
    svc_forward_reset(s);
    memset(&s->conf, 0, sizeof(s->conf));
    s->configured = false;
    keys_clear(&s->keys);
    health_forget(&s->health);
    s->sync.props_known = false;
    s->claim.session = 0;
    s->wiping = false;
    svc_host_update(s);
    LOGI("svc", "node wiped: NotConfigured");
    w->cb(s, rv, w->arg);
    free(w);
}

static void wipe_consensus_stopped(void *arg)
{
    struct wipe *w = arg;

    w->s->consensus = NULL;
    svc_host_update(w->s);
    rgm_terminate_all(&w->s->rgm, wipe_finish, w);
}

void svc_wipe(struct svc *s, const char *why, void (*cb)(struct svc *s, int rv, void *arg),
              void *arg)
{
    struct wipe *w = calloc(1, sizeof(*w));

    if (w == NULL) {
        cb(s, -ENOMEM, arg);
        return;
    }
    LOGI("svc", "wiping the cluster configuration: %s", why);
    *w = (struct wipe){.s = s, .cb = cb, .arg = arg};
    s->wiping = true;
    svc_host_update(s);
    health_stop(&s->health);
    svc_waits_cancel(s, ERROR_CLUSTER_SHUTTING_DOWN, "the node is leaving the cluster");
    consensus_stop(s->consensus, wipe_consensus_stopped, w);
}

/* ------------------------------------------------------------------------------------------ */
/* Start and stop                                                                              */
/* ------------------------------------------------------------------------------------------ */

static int load_state(struct svc *s)
{
    char errmsg[CONSENSUS_ERRMSG_SIZE];
    const char *file = NULL;
    int rv = node_conf_load(s->opts.state_dir, &s->conf);

    if (rv < 0) {
        LOGE("svc", "%s/cluster.conf is damaged: %s; the node does not start (restore the file, "
             "or evict the node and add it again)", s->opts.state_dir, strerror(-rv));
        return rv;
    }
    if (rv == 0) {
        LOGI("svc", "NotConfigured");
        return 0;
    }
    rv = keys_load(&s->keys, s->conf.cluster_id, &file);
    if (rv < 0) {
        LOGE("svc", "%s/%s is damaged: %s; the node does not start (restore the file, or evict "
             "the node and add it again)", s->opts.state_dir, file, strerror(-rv));
        return rv;
    }
    s->configured = true;
    if (!s->conf.committed) {
        /* The setup that wrote this may still be running: give it time to renew its claim. */
        s->claim.session = s->conf.setup_session;
        s->claim.deadline = svc_now_ms() + SVC_PENDING_GRACE_MS;
    }
    rv = svc_start_consensus(s, errmsg);
    if (rv < 0)
        LOGE("svc", "cannot rejoin cluster %s: %s", s->conf.cluster_name, errmsg);
    return rv;
}

static void rhs_cb(uv_poll_t *poll, int status, int events)
{
    struct svc *s = poll->data;

    (void)status;
    (void)events;
    if (rhs_read_dropped())
        rgm_lost_all(&s->rgm);
}

/*
 * Watches what the resource host says. A witness has no host: its handle then watches an
 * eventfd nobody writes, so that stopping closes it like any node's (svc_shutdown.c).
 */
static int rhs_poll_init(struct svc *s)
{
    int fd = rhs_fd() >= 0 ? rhs_fd() : eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int rv;

    assert(s->opts.witness == (rhs_fd() < 0));
    if (fd < 0)
        return uv_translate_sys_error(errno);
    rv = uv_poll_init(s->loop, &s->rhs_poll, fd);
    if (rv < 0)
        return rv;
    s->rhs_poll.data = s;
    return s->opts.witness ? 0 : uv_poll_start(&s->rhs_poll, UV_READABLE, rhs_cb);
}

int svc_init(struct svc *s, uv_loop_t *loop, const struct svc_options *opts)
{
    int rv;

    memset(s, 0, sizeof(*s));
    svc_submit_init(&s->submit);
    s->loop = loop;
    s->opts = *opts;
    rv = node_conf_prepare_dir(opts->state_dir);
    if (rv < 0) {
        LOGE("svc", "state directory %s is not usable: %s", opts->state_dir, strerror(-rv));
        return rv;
    }
    rv = keys_init(&s->keys, opts->state_dir, opts->authkey);
    if (rv < 0)
        return rv;
    uv_timer_init(loop, &s->tick);
    uv_timer_init(loop, &s->kick);
    uv_timer_init(loop, &s->wake);
    s->tick.data = s->kick.data = s->wake.data = s;
    host_init(s);
    rv = load_state(s);
    if (rv < 0)
        return rv;
    rv = rpc_server_start(loop, opts->listen, opts->port, keys_lookup, &s->keys,
                          svc_rpc_dispatch, svc_rpc_on_loop, s, &s->rpc);
    if (rv < 0) {
        LOGE("svc", "cannot listen on %s port %u: %s", opts->listen ? opts->listen : "*",
             opts->port, strerror(-rv));
        return rv;
    }
    rv = name_responder_start(loop, &s->names);
    if (rv < 0) /* Network Names then fail here and come online on another node */
        LOGW("svc", "cluster names will not resolve by LLMNR: %s", strerror(-rv));
    uv_timer_start(&s->tick, tick_cb, TICK_MS, TICK_MS);
    rv = rhs_poll_init(s);
    if (rv < 0) {
        LOGE("svc", "cannot watch the resource host: %s", uv_strerror(rv));
        return rv;
    }
    svc_shutdown_init(s);
    LOGI("svc", "node %s serving on %s port %u", opts->name, opts->listen ? opts->listen : "*",
         opts->port);
    return 0;
}
