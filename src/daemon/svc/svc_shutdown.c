/*
 * svc_shutdown — stopping the service (svc_shutdown.h): hand the groups over, then terminate
 * what still runs here, stop serving and stop consensus.
 */
#include "daemon/svc/svc_shutdown.h"

#include <clusapi.h>

#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

#define DRAIN_MS 3000 /* how long a stopping node waits for its groups to be taken over */

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
    s->shutdown.stopping = true;
    svc_host_update(s);
    health_stop(&s->health);
    svc_waits_cancel(s, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
    rpc_server_stop(s->rpc);
    s->rpc = NULL;
    /* A stopped service must not keep answering for cluster addresses: take them offline. */
    rgm_terminate_all(&s->rgm, resources_offline, s);
}

void svc_shutdown_check(struct svc *s)
{
    const struct rgm *m = &s->rgm;

    if (!s->shutdown.draining)
        return;
    if (rgm_holds_nothing(m) || svc_now_ms() >= s->shutdown.drain_deadline ||
        (m->drain_pending == 0 && m->drain_failed)) {
        LOGI("svc", "groups %s: stopping", rgm_holds_nothing(m) ? "handed over" : "not all taken");
        finish(s);
    }
}

/* Like Windows stopping its cluster service, a node hands its groups over before it goes. */
void svc_shutdown(struct svc *s)
{
    if (s->shutdown.stopping)
        return;
    if (!s->shutdown.draining && s->consensus != NULL && s->db != NULL && !s->wiping &&
        consensus_leader(s->consensus) != 0 && consensus_caught_up(s->consensus) &&
        rgm_drain(&s->rgm) > 0) {
        s->shutdown.draining = true;
        s->shutdown.drain_deadline = svc_now_ms() + DRAIN_MS;
        return;
    }
    finish(s);
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
