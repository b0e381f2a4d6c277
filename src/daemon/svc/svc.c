/*
 * svc — the node service's lifecycle: start-up from the state directory, consensus with the
 * cluster database as its state machine, the setup claim and its lease, wiping back to
 * NotConfigured, and shutdown.
 */
#include "daemon/svc/svc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "daemon/base/log.h"
#include "daemon/rm/rhs.h"

#define TICK_MS 100
#define COMMITTED_PROP "SetupCommitted"

uint64_t svc_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint32_t svc_node_cluster_state(const struct svc *s)
{
    if (!s->configured)
        return ClusterStateNotConfigured;
    return s->consensus != NULL ? ClusterStateRunning : ClusterStateNotRunning;
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
    rv = consensus_start(s->loop, dir, &s->conf, &s->keys, &s->opts.timing, &fsm,
                         consensus_changed, s, &s->consensus, errmsg);
    if (rv < 0)
        return rv;
    LOGI("svc", "consensus started: cluster %s, node id %llu", s->conf.cluster_name,
         (unsigned long long)s->conf.node_id);
    rv = svc_health_start(s);
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
        s->conf.committed = true;
        if (node_conf_save(s->opts.state_dir, &s->conf) < 0)
            LOGE("svc", "cannot record the committed configuration");
        else
            LOGI("svc", "cluster %s committed", s->conf.cluster_name);
        s->claim.session = 0;
    }
    free(value);
}

static void drain_check(struct svc *s);

static void sync_done(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    (void)errmsg;
    s->sync_in_flight = false;
    /* Committed, and applied here: a leader applies on commit, a follower's callback waits for
     * its own copy (but not forever, hence the version check). */
    s->synced = rv == 0 && status == 0 && s->db != NULL &&
                (consensus_role(s->consensus) == CONSENSUS_LEADER ||
                 cdb_version(s->db) >= s->leader_version_seen);
    s->props_known |= s->synced;
}

/* Keeps s->synced: false without a leader, else proven by a SYNC this node committed. */
static void sync_check(struct svc *s)
{
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;

    if (s->consensus == NULL || s->db == NULL || s->wiping ||
        consensus_leader(s->consensus) == 0) {
        s->synced = false;
        return;
    }
    if (s->synced || s->sync_in_flight)
        return;
    wire_writer_init(&w);
    cdb_cmd_sync(&w);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return;
    s->sync_in_flight = true;
    svc_submit(s, cmd, len, sync_done, NULL);
    free(cmd);
}

static void reconcile_cb(uv_timer_t *t)
{
    struct svc *s = t->data;

    if (s->stopping || s->wiping)
        return;
    check_committed(s);
    sync_check(s);
    svc_health_sync(s);
    rgm_reconcile(s);
    svc_waits_check(s);
    svc_submit_check_deferred(s);
    drain_check(s);
}

void svc_kick(struct svc *s)
{
    if (!uv_is_active((uv_handle_t *)&s->reconcile))
        uv_timer_start(&s->reconcile, reconcile_cb, 0, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* The setup lease                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void lease_wiped(struct svc *s, int rv, void *arg)
{
    (void)arg;
    LOGI("svc", "back to NotConfigured after an abandoned setup (%s)",
         rv == 0 ? "clean" : strerror(-rv));
}

static void tick_cb(uv_timer_t *t)
{
    struct svc *s = t->data;

    svc_waits_check(s);
    svc_submit_check_deferred(s);
    drain_check(s);
    if (!s->stopping)
        sync_check(s);
    svc_orphan_tick(s);
    /* Raft's configuration (who votes) changes without a database command: follow it. */
    if (s->consensus != NULL && !s->wiping) {
        svc_health_sync(s);
        rgm_monitor(s);
    }
    if (s->claim.session == 0 || svc_now_ms() < s->claim.deadline || s->wiping)
        return;
    LOGW("svc", "setup %016llx stopped renewing its claim", (unsigned long long)s->claim.session);
    s->claim.session = 0;
    /* A configuration whose setup never committed must not outlive that setup. */
    if (s->configured && !s->conf.committed)
        svc_wipe(s, "abandoned setup", lease_wiped, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Wipe                                                                                        */
/* ------------------------------------------------------------------------------------------ */

struct wipe {
    struct svc *s;
    void (*cb)(struct svc *s, int rv, void *arg);
    void *arg;
};

static void wipe_finish(struct svc *s, void *arg)
{
    struct wipe *w = arg;
    int rv = node_conf_wipe(s->opts.state_dir);

    cdb_free(s->db);
    s->db = NULL;
    svc_forward_reset(s);
    memset(&s->conf, 0, sizeof(s->conf));
    s->configured = false;
    svc_keys_clear(s);
    s->reported_up = false;
    s->props_known = false;
    s->claim.session = 0;
    s->wiping = false;
    LOGI("svc", "node wiped: NotConfigured");
    w->cb(s, rv, w->arg);
    free(w);
}

static void wipe_consensus_stopped(void *arg)
{
    struct wipe *w = arg;

    w->s->consensus = NULL;
    rgm_terminate_all(w->s, wipe_finish, w);
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
    svc_health_stop(s);
    svc_waits_cancel(s, ERROR_CLUSTER_SHUTTING_DOWN, "the node is leaving the cluster");
    consensus_stop(s->consensus, wipe_consensus_stopped, w);
}

/* ------------------------------------------------------------------------------------------ */
/* Start and stop                                                                              */
/* ------------------------------------------------------------------------------------------ */

static int load_state(struct svc *s)
{
    char errmsg[CONSENSUS_ERRMSG_SIZE];
    int rv = node_conf_load(s->opts.state_dir, &s->conf);

    if (rv < 0) {
        LOGE("svc", "%s/cluster.conf is damaged: %s", s->opts.state_dir, strerror(-rv));
        return rv;
    }
    if (rv == 0) {
        LOGI("svc", "NotConfigured");
        return 0;
    }
    s->configured = true;
    svc_keys_load(s);
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
        rgm_lost_all(s);
}

static void signal_cb(uv_signal_t *sig, int signum)
{
    struct svc *s = sig->data;

    LOGI("svc", "signal %d: stopping", signum);
    svc_shutdown(s);
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
    rv = svc_admin_init(s);
    if (rv < 0)
        return rv;
    uv_timer_init(loop, &s->tick);
    uv_timer_init(loop, &s->reconcile);
    s->tick.data = s->reconcile.data = s;
    rv = load_state(s);
    if (rv < 0)
        return rv;
    rv = rpc_server_start(loop, opts->listen, opts->port, svc_key_lookup, s, svc_rpc_dispatch,
                          svc_rpc_on_loop, s, &s->rpc);
    if (rv < 0) {
        LOGE("svc", "cannot listen on %s port %u: %s", opts->listen ? opts->listen : "*",
             opts->port, strerror(-rv));
        return rv;
    }
    rv = name_responder_start(loop, &s->names);
    if (rv < 0) /* Network Names then fail here and come online on another node */
        LOGW("svc", "cluster names will not resolve by LLMNR: %s", strerror(-rv));
    uv_timer_start(&s->tick, tick_cb, TICK_MS, TICK_MS);
    uv_poll_init(loop, &s->rhs_poll, rhs_fd());
    s->rhs_poll.data = s;
    uv_poll_start(&s->rhs_poll, UV_READABLE, rhs_cb);
    uv_signal_init(loop, &s->sigterm);
    uv_signal_init(loop, &s->sigint);
    s->sigterm.data = s->sigint.data = s;
    uv_signal_start(&s->sigterm, signal_cb, SIGTERM);
    uv_signal_start(&s->sigint, signal_cb, SIGINT);
    LOGI("svc", "node %s serving on %s port %u", opts->name, opts->listen ? opts->listen : "*",
         opts->port);
    return 0;
}

static void shutdown_consensus_stopped(void *arg)
{
    struct svc *s = arg;

    s->consensus = NULL;
    cdb_free(s->db);
    s->db = NULL;
    name_responder_stop(s->names);
    s->names = NULL;
    uv_close((uv_handle_t *)&s->tick, NULL);
    uv_close((uv_handle_t *)&s->reconcile, NULL);
    uv_close((uv_handle_t *)&s->sigterm, NULL);
    uv_close((uv_handle_t *)&s->sigint, NULL);
    uv_close((uv_handle_t *)&s->rhs_poll, NULL);
}

static void shutdown_resources_offline(struct svc *s, void *arg)
{
    (void)arg;
    consensus_stop(s->consensus, shutdown_consensus_stopped, s);
}

#define DRAIN_MS 3000 /* how long a stopping node waits for its groups to be taken over */

static void finish_shutdown(struct svc *s)
{
    s->draining = false;
    s->stopping = true;
    svc_health_stop(s);
    svc_waits_cancel(s, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
    rpc_server_stop(s->rpc);
    s->rpc = NULL;
    /* A stopped service must not keep answering for cluster addresses: take them offline. */
    rgm_terminate_all(s, shutdown_resources_offline, NULL);
}

/* While draining: stops once everything was handed over, or when the time is up. */
static void drain_check(struct svc *s)
{
    if (!s->draining)
        return;
    if (rgm_holds_nothing(s) || svc_now_ms() >= s->drain_deadline ||
        (s->drain_pending == 0 && s->drain_failed)) {
        LOGI("svc", "groups %s: stopping", rgm_holds_nothing(s) ? "handed over" : "not all taken");
        finish_shutdown(s);
    }
}

/* Like Windows stopping its cluster service, a node hands its groups over before it goes. */
void svc_shutdown(struct svc *s)
{
    if (s->stopping)
        return;
    if (!s->draining && s->consensus != NULL && s->db != NULL && !s->wiping &&
        consensus_leader(s->consensus) != 0 && consensus_caught_up(s->consensus) &&
        rgm_drain(s) > 0) {
        s->draining = true;
        s->drain_deadline = svc_now_ms() + DRAIN_MS;
        return;
    }
    finish_shutdown(s);
}
