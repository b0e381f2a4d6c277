/*
 * svc_shutdown — stopping the service (svc_shutdown.h): hand the groups over, then terminate
 * what still runs here, stop serving and stop consensus.
 */
#include "daemon/svc/svc_shutdown.h"

#include <stdlib.h>

#include <raft.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"

#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

#define DRAIN_MS 3000 /* how long a stopping node waits for its groups to be taken over */
/* how long it waits for its vote to be taken: a vote given elsewhere, leadership handed over,
 * and its own taken, each after the change spacing (svc_votes.h) */
#define LEAVE_MS 5000

static void consensus_stopped(void *arg)
{
    struct svc *s = arg;

    s->consensus = NULL;
    cdb_free(s->db);
    s->db = NULL;
    svc_host_update(s);
    name_responder_stop(s->names);
    s->names = NULL;
    uv_close((uv_handle_t *)&s->tick, NULL);
    uv_close((uv_handle_t *)&s->kick, NULL);
    uv_close((uv_handle_t *)&s->wake, NULL);
    uv_close((uv_handle_t *)&s->shutdown.sigterm, NULL);
    uv_close((uv_handle_t *)&s->shutdown.sigint, NULL);
    uv_close((uv_handle_t *)&s->rhs_poll, NULL);
}

static void resources_offline(void *arg)
{
    struct svc *s = arg;

    consensus_stop(s->consensus, consensus_stopped, s);
}

static void finish(struct svc *s)
{
    s->shutdown.draining = false;
    s->shutdown.leaving = false;
    s->shutdown.stopping = true;
    svc_host_update(s);
    health_stop(&s->health);
    svc_waits_cancel(s, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
    rpc_server_stop(s->rpc);
    s->rpc = NULL;
    /* A stopped service must not keep answering for cluster addresses: take them offline. */
    rgm_terminate_all(&s->rgm, resources_offline, s);
}

/* Can this node still reach its cluster's leader with what it has to say? */
static bool in_cluster(struct svc *s)
{
    return s->consensus != NULL && s->db != NULL && !s->wiping &&
           consensus_leader(s->consensus) != 0 && consensus_caught_up(s->consensus);
}

static void left_recorded(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    (void)arg;
    if (rv < 0 || status != 0) {
        LOGW("svc", "cannot say this node leaves (%s): stopping with its vote",
             rv < 0 ? "no leader" : errmsg);
        if (s->shutdown.leaving)
            finish(s);
        return;
    }
    s->shutdown.left_committed = true;
    svc_kick(s);
}

/* Says the node leaves, so that dynamic quorum takes its vote before it goes. */
static void leave(struct svc *s)
{
    struct wire_writer w;
    struct cdb_node self;
    uint8_t *cmd;
    size_t len;

    s->shutdown.draining = false;
    if (!in_cluster(s) || cdb_node_by_id(s->db, s->conf.node_id, &self) < 0) {
        finish(s);
        return;
    }
    wire_writer_init(&w);
    /* in this incarnation only: should the commit land after a restart, it changes nothing */
    cdb_cmd_set_node_left(&w, s->conf.node_id, true, self.incarnation);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL) {
        finish(s);
        return;
    }
    s->shutdown.leaving = true;
    s->shutdown.left_committed = false;
    s->shutdown.leave_deadline = svc_now_ms() + LEAVE_MS;
    svc_submit(s, cmd, len, left_recorded, NULL);
    free(cmd);
}

void svc_shutdown_check(struct svc *s)
{
    const struct rgm *m = &s->rgm;
    struct svc_shutdown *sd = &s->shutdown;

    if (sd->draining && (rgm_holds_nothing(m) || svc_now_ms() >= sd->drain_deadline ||
                         (m->drain_pending == 0 && m->drain_failed))) {
        LOGI("svc", "groups %s: leaving", rgm_holds_nothing(m) ? "handed over" : "not all taken");
        leave(s);
    } else if (sd->leaving &&
               ((sd->left_committed && consensus_member_role(s->consensus, s->conf.node_id) !=
                                           RAFT_VOTER) ||
                svc_now_ms() >= sd->leave_deadline)) {
        LOGI("svc", "%s: stopping", svc_now_ms() >= sd->leave_deadline
                                        ? "the vote of this node was not taken in time"
                                        : "this node no longer votes");
        finish(s);
    }
}

/* Like Windows stopping its cluster service, a node hands its groups over before it goes. */
void svc_shutdown(struct svc *s)
{
    struct svc_shutdown *sd = &s->shutdown;

    if (sd->stopping)
        return;
    if (sd->draining || sd->leaving) {
        finish(s); /* a second signal */
        return;
    }
    if (in_cluster(s) && rgm_drain(&s->rgm, "stopping") > 0) {
        sd->draining = true;
        sd->drain_deadline = svc_now_ms() + DRAIN_MS;
        return;
    }
    leave(s);
}

static void signal_cb(uv_signal_t *sig, int signum)
{
    struct svc *s = sig->data;

    LOGI("svc", "signal %d: stopping", signum);
    svc_shutdown(s);
}

void svc_shutdown_init(struct svc *s)
{
    struct svc_shutdown *sd = &s->shutdown;

    uv_signal_init(s->loop, &sd->sigterm);
    uv_signal_init(s->loop, &sd->sigint);
    sd->sigterm.data = sd->sigint.data = s;
    uv_signal_start(&sd->sigterm, signal_cb, SIGTERM);
    uv_signal_start(&sd->sigint, signal_cb, SIGINT);
}
