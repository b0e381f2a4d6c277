/*
 * rpc_server — connection threads and the hand-off to the loop (see rpc_server.h).
 */
#include "daemon/rpc/rpc_server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <clusapi.h>

#include "common/rpc_msg.h"
#include "common/rpc_proto.h"
#include "daemon/base/log.h"

#define HANDSHAKE_TIMEOUT_MS 5000
#define IDLE_TIMEOUT_MS (10 * 60 * 1000)

struct rpc_server {
    int listen_fd;
    int wake[2]; /* a pipe that stops the accept thread */
    pthread_t accept_thread;
    channel_key_lookup_fn lookup;
    void *lookup_arg;
    rpc_dispatch_fn dispatch;
    rpc_loop_fn on_loop;
    void *arg;
    uv_async_t async;
    pthread_mutex_t mu;
    pthread_cond_t idle;
    struct rpc_call *queue; /* calls waiting for the loop */
    unsigned n_conns;
    bool stopping;
    uint64_t admin_requests;
};

struct conn {
    struct rpc_server *server;
    struct channel *channel;
};

/* ------------------------------------------------------------------------------------------ */
/* Calls                                                                                       */
/* ------------------------------------------------------------------------------------------ */

void rpc_call_finish(struct rpc_call *call, uint32_t status, const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(&call->mu);
    call->status = status;
    if (fmt != NULL) {
        va_start(ap, fmt);
        vsnprintf(call->errmsg, sizeof(call->errmsg), fmt, ap);
        va_end(ap);
    }
    call->done = true;
    pthread_cond_signal(&call->cond);
    pthread_mutex_unlock(&call->mu);
}

uint64_t rpc_server_admin_requests(struct rpc_server *s)
{
    return __atomic_load_n(&s->admin_requests, __ATOMIC_RELAXED);
}

void rpc_call_to_loop(struct rpc_call *call)
{
    struct rpc_server *s = call->server;

    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        rpc_call_finish(call, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
        return;
    }
    call->next = s->queue;
    s->queue = call;
    pthread_mutex_unlock(&s->mu);
    uv_async_send(&s->async);
}

static void async_cb(uv_async_t *a)
{
    struct rpc_server *s = a->data;
    struct rpc_call *calls, *next, *rev = NULL;

    pthread_mutex_lock(&s->mu);
    calls = s->queue;
    s->queue = NULL;
    pthread_mutex_unlock(&s->mu);
    for (; calls != NULL; calls = next) { /* reverse: the queue is LIFO */
        next = calls->next;
        calls->next = rev;
        rev = calls;
    }
    for (; rev != NULL; rev = next) {
        next = rev->next;
        s->on_loop(s->arg, rev);
    }
}

static void wait_done(struct rpc_call *call)
{
    pthread_mutex_lock(&call->mu);
    while (!call->done)
        pthread_cond_wait(&call->cond, &call->mu);
    pthread_mutex_unlock(&call->mu);
}

/* Builds the reply: status and message first, then the handler's fields. */
static int send_reply(struct channel *ch, struct rpc_call *call)
{
    struct wire_writer w;
    uint8_t *body, *msg;
    size_t body_len = 0, len;
    int rv;

    body = wire_writer_take(&call->reply, &body_len);
    wire_writer_init(&w);
    rpc_reply_build(&w, call->status, call->errmsg, body, body != NULL ? body_len : 0);
    free(body);
    msg = wire_writer_take(&w, &len);
    if (msg == NULL)
        return -ENOMEM;
    rv = channel_send(ch, msg, len);
    free(msg);
    return rv;
}

static void handle_one(struct conn *c, const uint8_t *req, size_t len)
{
    struct rpc_call call = {.req = req, .req_len = len, .server = c->server};

    pthread_mutex_init(&call.mu, NULL);
    pthread_cond_init(&call.cond, NULL);
    wire_writer_init(&call.reply);
    call.peer_identity = channel_peer_identity(c->channel);
    if (channel_admin_key_id(call.peer_identity) != NULL) /* "clusapi-admin:<key id>" */
        __atomic_add_fetch(&c->server->admin_requests, 1, __ATOMIC_RELAXED);
    if (rpc_request_parse(req, len, &call.op) < 0)
        rpc_call_finish(&call, ERROR_INVALID_PARAMETER, "malformed request");
    else
        c->server->dispatch(c->server->arg, &call);
    wait_done(&call);
    send_reply(c->channel, &call);
    wire_writer_done(&call.reply);
    pthread_cond_destroy(&call.cond);
    pthread_mutex_destroy(&call.mu);
}

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A connection's thread ends: the server counts it gone (rpc_server_stop waits for none). */
static void conn_gone(struct conn *c)
{
    struct rpc_server *s = c->server;

    free(c);
    pthread_mutex_lock(&s->mu);
    assert(s->n_conns > 0);
    s->n_conns--;
    pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->mu);
}

static void *conn_main(void *p)
{
    struct conn *c = p;

    for (;;) {
        void *req;
        size_t len;

        if (channel_recv(c->channel, IDLE_TIMEOUT_MS, &req, &len) < 0)
            break;
        handle_one(c, req, len);
        free(req);
    }
    channel_close(c->channel);
    conn_gone(c);
    return NULL;
}

/* The handshake runs on the connection's own thread so a slow or hostile peer blocks nobody. */
static void *handshake_main(void *p)
{
    struct conn *c = p;
    int fd = (int)(intptr_t)c->channel;
    int rv;

    c->channel = NULL;
    rv = channel_accept(fd, c->server->lookup, c->server->lookup_arg, HANDSHAKE_TIMEOUT_MS,
                        &c->channel);
    if (rv < 0) {
        if (rv == -EACCES)
            LOGW("rpc", "refused a connection: wrong or missing key");
        else
            LOGD("rpc", "connection closed during the handshake: %s", strerror(-rv));
        conn_gone(c);
        return NULL;
    }
    return conn_main(c);
}

static void spawn_conn(struct rpc_server *s, int fd)
{
    struct conn *c = calloc(1, sizeof(*c));
    pthread_attr_t attr;
    pthread_t t;

    if (c == NULL) {
        close(fd);
        return;
    }
    c->server = s;
    c->channel = (struct channel *)(intptr_t)fd; /* carried to the thread, replaced there */
    pthread_mutex_lock(&s->mu);
    s->n_conns++;
    pthread_mutex_unlock(&s->mu);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, handshake_main, c) != 0) {
        close(fd);
        free(c);
        pthread_mutex_lock(&s->mu);
        s->n_conns--;
        pthread_mutex_unlock(&s->mu);
    }
    pthread_attr_destroy(&attr);
}

static void *accept_main(void *p)
{
    struct rpc_server *s = p;
    struct pollfd pfd[2] = {{.fd = s->listen_fd, .events = POLLIN},
                            {.fd = s->wake[0], .events = POLLIN}};

    for (;;) {
        int fd;

        if (poll(pfd, 2, -1) < 0 && errno != EINTR)
            break;
        if (pfd[1].revents != 0)
            break;
        if (pfd[0].revents == 0)
            continue;
        fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0)
            spawn_conn(s, fd);
    }
    return NULL;
}

static int listen_socket(const char *addr, uint16_t port)
{
    struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_port = htons(port),
                               .sin6_addr = IN6ADDR_ANY_INIT};
    struct sockaddr_in sa4 = {.sin_family = AF_INET, .sin_port = htons(port)};
    struct sockaddr *sa = (struct sockaddr *)&sa6;
    socklen_t len = sizeof(sa6);
    int fd, one = 1, zero = 0;

    if (addr != NULL && inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
        sa = (struct sockaddr *)&sa4;
        len = sizeof(sa4);
    } else if (addr != NULL && inet_pton(AF_INET6, addr, &sa6.sin6_addr) != 1) {
        return -EINVAL;
    }
    fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (sa->sa_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
    if (bind(fd, sa, len) < 0 || listen(fd, 64) < 0) {
        int err = -errno;

        close(fd);
        return err;
    }
    return fd;
}

int rpc_server_start(uv_loop_t *loop, const char *addr, uint16_t port, channel_key_lookup_fn lookup,
                     void *lookup_arg, rpc_dispatch_fn dispatch, rpc_loop_fn on_loop, void *arg,
                     struct rpc_server **ret)
{
    struct rpc_server *s = calloc(1, sizeof(*s));
    int rv;

    if (s == NULL)
        return -ENOMEM;
    *s = (struct rpc_server){.lookup = lookup, .lookup_arg = lookup_arg, .dispatch = dispatch,
                             .on_loop = on_loop, .arg = arg};
    s->listen_fd = listen_socket(addr, port);
    if (s->listen_fd < 0) {
        rv = s->listen_fd;
        free(s);
        return rv;
    }
    if (pipe2(s->wake, O_CLOEXEC) < 0) {
        rv = -errno;
        close(s->listen_fd);
        free(s);
        return rv;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->idle, NULL);
    uv_async_init(loop, &s->async, async_cb);
    s->async.data = s;
    pthread_create(&s->accept_thread, NULL, accept_main, s);
    *ret = s;
    return 0;
}

/* A server stopped while connection threads still ran (see async_closed). Volatile: it is only
 * ever written, and an optimiser would drop the store, leaving the server unreachable. */
static struct rpc_server *volatile lingering;

static void async_closed(uv_handle_t *h)
{
    struct rpc_server *s = h->data;
    bool idle;

    pthread_mutex_lock(&s->mu);
    idle = s->n_conns == 0;
    pthread_mutex_unlock(&s->mu);
    /* A connection thread still running holds s; the process is exiting, so s stays, and
     * stays reachable (it is in use, not lost). */
    if (idle) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->idle);
        free(s);
    } else {
        lingering = s;
    }
}

void rpc_server_stop(struct rpc_server *s)
{
    struct rpc_call *calls, *next;

    if (s == NULL)
        return;
    if (write(s->wake[1], "x", 1) < 0)
        LOGW("rpc", "cannot wake the accept thread: %s", strerror(errno));
    pthread_join(s->accept_thread, NULL);
    close(s->listen_fd);
    close(s->wake[0]);
    close(s->wake[1]);
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    calls = s->queue;
    s->queue = NULL;
    pthread_mutex_unlock(&s->mu);
    for (; calls != NULL; calls = next) {
        next = calls->next;
        rpc_call_finish(calls, ERROR_CLUSTER_SHUTTING_DOWN, "the service is stopping");
    }
    /* Connection threads exit on their own once their peers go; the process exits after this,
     * so they are not joined (a hostile peer could hold one open). */
    uv_close((uv_handle_t *)&s->async, async_closed);
}
