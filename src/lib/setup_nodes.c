/*
 * setup_nodes — the nodes of one setup call: resolution, NODE_INFO, the setup claim and its
 * keepalive, calls run on all nodes at once, and FailureCleanup.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <clusapi_ext.h>

#include "common/rpc_proto.h"
#include "common/state_dir_check.h"
#include "lib/setup.h"

uint32_t setup_nodes_init(struct setup_nodes *ns, char *const *names, size_t n)
{
    memset(ns, 0, sizeof(*ns));
    ns->v = calloc(n, sizeof(*ns->v));
    if (ns->v == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    while (ns->session == 0)
        if (getrandom(&ns->session, sizeof(ns->session), 0) != sizeof(ns->session))
            return ERROR_GEN_FAILURE;
    ns->n = n;
    for (size_t i = 0; i < n; i++) {
        snprintf(ns->v[i].name, sizeof(ns->v[i].name), "%s", names[i]);
        ns->v[i].usable = true;
    }
    pthread_mutex_init(&ns->mu, NULL);
    pthread_cond_init(&ns->cond, NULL);
    return 0;
}

void setup_nodes_done(struct setup_nodes *ns)
{
    setup_keepalive_stop(ns);
    for (size_t i = 0; i < ns->n; i++)
        rpc_conn_close(&ns->v[i].conn);
    free(ns->v);
    pthread_mutex_destroy(&ns->mu);
    pthread_cond_destroy(&ns->cond);
    memset(ns, 0, sizeof(*ns));
}

uint16_t setup_node_port(const struct setup_node *node)
{
    return node->port != 0 ? node->port : lib_port();
}

size_t setup_nodes_usable(const struct setup_nodes *ns)
{
    size_t k = 0;

    for (size_t i = 0; i < ns->n; i++)
        k += ns->v[i].usable;
    return k;
}

uint32_t setup_node_call(struct setup_node *node, struct wire_writer *req, int timeout_ms,
                         struct rpc_reply *ret)
{
    struct rpc_reply r;

    node->status = rpc_call(&node->conn, req, timeout_ms, &r);
    snprintf(node->errmsg, sizeof(node->errmsg), "%s", r.errmsg);
    if (ret != NULL)
        *ret = r;
    else
        rpc_reply_done(&r);
    return node->status;
}

uint32_t setup_wait(struct setup_node *node, uint32_t kind, const char *name, int32_t state,
                    uint32_t timeout_ms)
{
    struct wire_writer w;

    rpc_request(&w, RPC_OP_WAIT);
    wire_put_u32(&w, RPC_F_WAIT_KIND, kind);
    wire_put_str(&w, RPC_F_NAME, name);
    wire_put_u32(&w, RPC_F_STATE, (uint32_t)state);
    wire_put_u32(&w, RPC_F_TIMEOUT_MS, timeout_ms);
    return setup_node_call(node, &w, (int)timeout_ms + LIB_RPC_TIMEOUT_MS, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Parallel calls                                                                              */
/* ------------------------------------------------------------------------------------------ */

struct job {
    pthread_t thread;
    struct setup_node *node;
    node_fn fn;
    void *arg;
    bool started;
};

static void *job_main(void *p)
{
    struct job *j = p;

    j->fn(j->node, j->arg);
    return NULL;
}

void setup_nodes_parallel(struct setup_nodes *ns, node_fn fn, void *arg)
{
    struct job *jobs = calloc(ns->n, sizeof(*jobs));

    for (size_t i = 0; i < ns->n; i++) {
        if (!ns->v[i].usable)
            continue;
        if (jobs == NULL) { /* no memory for threads: one after the other */
            fn(&ns->v[i], arg);
            continue;
        }
        jobs[i] = (struct job){.node = &ns->v[i], .fn = fn, .arg = arg};
        jobs[i].started = pthread_create(&jobs[i].thread, NULL, job_main, &jobs[i]) == 0;
        if (!jobs[i].started)
            fn(&ns->v[i], arg);
    }
    for (size_t i = 0; jobs != NULL && i < ns->n; i++)
        if (jobs[i].started)
            pthread_join(jobs[i].thread, NULL);
    free(jobs);
}

/* ------------------------------------------------------------------------------------------ */
/* Node information and claims                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* The node's numeric address, preferring IPv4: what its peers will use to reach it. */
static int resolve(struct setup_node *node)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
    struct addrinfo *res, *ai, *pick = NULL;
    int rv = getaddrinfo(node->name, NULL, &hints, &res);

    if (rv != 0) {
        snprintf(node->errmsg, sizeof(node->errmsg), "cannot resolve %s: %s", node->name,
                 gai_strerror(rv));
        return -EHOSTUNREACH;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next)
        if (pick == NULL || (ai->ai_family == AF_INET && pick->ai_family != AF_INET))
            pick = ai;
    if (pick->ai_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)pick->ai_addr)->sin_addr, node->address,
                  sizeof(node->address));
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)pick->ai_addr)->sin6_addr, node->address,
                  sizeof(node->address));
    freeaddrinfo(res);
    return 0;
}

static int64_t realtime_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void setup_node_info(struct setup_node *node, void *arg)
{
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t dir_ok = 0, witness = 0;
    int64_t clock_ms = 0, before;
    char *name = NULL;

    (void)arg;
    if (resolve(node) < 0) {
        node->status = ERROR_CLUSTER_NODE_UNREACHABLE;
        return;
    }
    rpc_conn_init(&node->conn, node->address, setup_node_port(node));
    rpc_request(&w, RPC_OP_NODE_INFO);
    before = realtime_ms();
    if (setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, &r) != 0) {
        rpc_reply_done(&r);
        return;
    }
    wire_get_u32(r.data, r.len, RPC_F_NODE_STATE, &node->cluster_state);
    wire_get_u32(r.data, r.len, RPC_F_VERSION_MAJOR, &node->version_major);
    wire_get_u32(r.data, r.len, RPC_F_RAFT_PORT, &node->raft_port);
    wire_get_u32(r.data, r.len, RPC_F_STATE_DIR_OK, &dir_ok);
    node->state_dir_errno = dir_ok != 0 ? 0 : EIO; /* an older node says only whether */
    wire_get_u32(r.data, r.len, RPC_F_STATE_DIR_ERRNO, &node->state_dir_errno);
    node->state_dir_free = STATE_DIR_FREE_UNKNOWN;
    wire_get_u64(r.data, r.len, RPC_F_STATE_DIR_FREE, &node->state_dir_free);
    wire_get_u32(r.data, r.len, RPC_F_WITNESS, &witness);
    node->witness = witness != 0;
    if (wire_get_u64(r.data, r.len, RPC_F_CLOCK_MS, (uint64_t *)&clock_ms) == 0)
        node->clock_skew_ms = clock_ms - (before + realtime_ms()) / 2;
    if (wire_get_strdup(r.data, r.len, RPC_F_CLUSTER_NAME, &name) == 0) {
        snprintf(node->cluster_name, sizeof(node->cluster_name), "%s", name);
        free(name);
    }
    rpc_reply_done(&r);
}

void setup_node_claim(struct setup_node *node, void *arg)
{
    const struct setup_nodes *ns = arg;
    struct wire_writer w;

    rpc_request(&w, RPC_OP_SETUP_BEGIN);
    wire_put_u64(&w, RPC_F_SESSION, ns->session);
    wire_put_u32(&w, RPC_F_LEASE_MS, SETUP_LEASE_MS);
    if (setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL) == 0)
        node->claimed = true;
}

/* ------------------------------------------------------------------------------------------ */
/* Keepalive                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* The keepalive thread has connections of its own: a channel serves one thread at a time. */
static void *keepalive_main(void *p)
{
    struct setup_nodes *ns = p;
    struct rpc_conn *conns = calloc(ns->n, sizeof(*conns));
    struct timespec deadline;

    for (size_t i = 0; conns != NULL && i < ns->n; i++)
        rpc_conn_init(&conns[i], ns->v[i].address, setup_node_port(&ns->v[i]));
    pthread_mutex_lock(&ns->mu);
    while (!ns->stop) {
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += SETUP_KEEPALIVE_MS / 1000;
        if (pthread_cond_timedwait(&ns->cond, &ns->mu, &deadline) != ETIMEDOUT || ns->stop)
            continue;
        pthread_mutex_unlock(&ns->mu);
        for (size_t i = 0; conns != NULL && i < ns->n; i++) {
            struct wire_writer w;
            struct rpc_reply r;

            if (!ns->v[i].claimed)
                continue;
            rpc_request(&w, RPC_OP_SETUP_KEEPALIVE);
            wire_put_u64(&w, RPC_F_SESSION, ns->session);
            wire_put_u32(&w, RPC_F_LEASE_MS, SETUP_LEASE_MS);
            rpc_call(&conns[i], &w, SETUP_KEEPALIVE_MS, &r);
            rpc_reply_done(&r);
        }
        pthread_mutex_lock(&ns->mu);
    }
    pthread_mutex_unlock(&ns->mu);
    for (size_t i = 0; conns != NULL && i < ns->n; i++)
        rpc_conn_close(&conns[i]);
    free(conns);
    return NULL;
}

void setup_keepalive_start(struct setup_nodes *ns)
{
    ns->stop = false;
    ns->keepalive_running = pthread_create(&ns->keepalive, NULL, keepalive_main, ns) == 0;
}

void setup_keepalive_stop(struct setup_nodes *ns)
{
    if (!ns->keepalive_running)
        return;
    pthread_mutex_lock(&ns->mu);
    ns->stop = true;
    pthread_cond_signal(&ns->cond);
    pthread_mutex_unlock(&ns->mu);
    pthread_join(ns->keepalive, NULL);
    ns->keepalive_running = false;
}

/* ------------------------------------------------------------------------------------------ */
/* FailureCleanup                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void cleanup_node(struct setup_node *node, void *arg)
{
    const struct setup_nodes *ns = arg;
    struct wire_writer w;

    rpc_request(&w, RPC_OP_CLEANUP);
    wire_put_u64(&w, RPC_F_SESSION, ns->session);
    if (setup_node_call(node, &w, LIB_RPC_TIMEOUT_MS, NULL) == 0)
        node->claimed = false;
}

void setup_failure_cleanup(struct reporter *r, struct setup_nodes *ns, const char *object,
                           setup_undo_fn undo, void *undo_arg)
{
    DWORD first_error = 0, code = GetLastError();
    bool saved = r->cancel_ignored;
    char text[512];

    snprintf(text, sizeof(text), "%s", ClusapiLastErrorText());
    r->cancel_ignored = true; /* a teardown stopped halfway would leave nodes half-clean */
    r->cancel_requested = false;
    phase_start(r, ClusterSetupPhaseFailureCleanup, object);
    if (undo != NULL)
        first_error = undo(r, undo_arg);
    /* Exactly the nodes this setup claimed are cleaned, all at once, then reported in order. */
    for (size_t i = 0; i < ns->n; i++) {
        ns->v[i].usable = ns->v[i].claimed;
        ns->v[i].status = 0;
    }
    setup_nodes_parallel(ns, cleanup_node, ns);
    for (size_t i = 0; i < ns->n; i++) {
        if (!ns->v[i].usable)
            continue;
        phase_continue(r, ns->v[i].name,
                       ns->v[i].status ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational,
                       ns->v[i].status);
        if (ns->v[i].status != 0 && first_error == 0)
            first_error = ns->v[i].status;
    }
    if (first_error != 0)
        phase_continue(r, object, ClusterSetupPhaseWarning, first_error);
    phase_end(r, first_error ? ClusterSetupPhaseWarning : ClusterSetupPhaseInformational, 0);
    r->cancel_ignored = saved;
    lib_fail_text(code, "%s", text); /* the call fails with the original error */
}
