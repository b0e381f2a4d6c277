/*
 * rpc_server — the management endpoint of clussvc: accepts TCP connections, authenticates each
 * with TLS-PSK (the admin key or the cluster credential), reads requests and writes replies.
 *
 * Why threads: TLS handshakes and blocking probes must never stall the event loop, and the
 * management connection count is small. Each connection has its own thread; a request that needs
 * the service's state is handed to the loop thread (uv_async) and the connection thread waits for
 * the loop to finish it, possibly much later (waits, raft commits).
 */
#ifndef CLUSSVC_RPC_SERVER_H
#define CLUSSVC_RPC_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "channel/channel.h"
#include "common/wire.h"

struct rpc_server;

struct rpc_call {
    uint32_t op;
    const uint8_t *req;
    size_t req_len;
    const char *peer_identity;
    struct wire_writer reply; /* the handler adds its reply fields here */
    /* internal */
    uint32_t status;
    char errmsg[256];
    bool done;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    struct rpc_call *next;
    struct rpc_server *server;
};

/* Runs on the connection thread; must end every call with rpc_call_finish (now or later, from
 * any thread) or hand it to the loop with rpc_call_to_loop. */
typedef void (*rpc_dispatch_fn)(void *arg, struct rpc_call *call);
/* Runs on the loop thread for calls handed over with rpc_call_to_loop. */
typedef void (*rpc_loop_fn)(void *arg, struct rpc_call *call);

/*
 * Starts listening on addr:port (addr NULL = all). 0 or negative errno. lookup gives the keys the
 * server accepts.
 */
int rpc_server_start(uv_loop_t *loop, const char *addr, uint16_t port, channel_key_lookup_fn lookup,
                     void *lookup_arg, rpc_dispatch_fn dispatch, rpc_loop_fn on_loop, void *arg,
                     struct rpc_server **ret);
/* Stops accepting, waits for connection threads to end. Calls still on the loop are finished with
 * ERROR_CLUSTER_SHUTTING_DOWN. */
void rpc_server_stop(struct rpc_server *s);

/*
 * How many requests the server has received over connections authenticated with the admin key
 * (the library and clusctl), counting the one being served. Lets a test prove that a call which
 * must fail on its arguments reached no node. Any thread.
 */
uint64_t rpc_server_admin_requests(struct rpc_server *s);

/* Hands the call to the loop thread and waits there for rpc_call_finish. */
void rpc_call_to_loop(struct rpc_call *call);
/* Completes a call with a Win32 status and, for a failure, a reason. Any thread. */
void rpc_call_finish(struct rpc_call *call, uint32_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
