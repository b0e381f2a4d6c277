/*
 * rpc_client — requests to one node's clussvc over an authenticated channel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rpc_msg.h"
#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "lib/lib.h"

#define DEFAULT_AUTHKEY "/etc/clusapi/authkey"

uint32_t lib_admin_key(struct channel_key *ret, char *errmsg)
{
    const char *path = getenv("CLUSAPI_AUTHKEY");

    if (path == NULL || *path == '\0')
        path = DEFAULT_AUTHKEY;
    return lib_load_key(path, ret, errmsg);
}

uint32_t lib_load_key(const char *path, struct channel_key *ret, char *errmsg)
{
    int rv = channel_key_load(path, ret);

    if (rv == -EPERM) {
        snprintf(errmsg, LIB_ERRMSG_SIZE,
                 "cannot use the admin key %s: group or others may read it, or it is not a "
                 "regular file (chmod 600 it)", path);
        return ERROR_ACCESS_DENIED;
    }
    if (rv < 0) {
        snprintf(errmsg, LIB_ERRMSG_SIZE, "cannot read the admin key %s: %s", path,
                 rv == -EINVAL ? "not a clusapi key" : strerror(-rv));
        return rv == -EINVAL ? ERROR_INVALID_DATA : win32_from_errno(rv);
    }
    return 0;
}

uint16_t lib_port(void)
{
    const char *s = getenv("CLUSAPI_PORT");
    long v = s ? strtol(s, NULL, 10) : 0;

    return v > 0 && v < 65536 ? (uint16_t)v : RPC_DEFAULT_PORT;
}

void rpc_conn_init(struct rpc_conn *c, const char *host, uint16_t port)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->host, sizeof(c->host), "%s", host);
    c->port = port;
}

void rpc_conn_close(struct rpc_conn *c)
{
    channel_close(c->ch);
    c->ch = NULL;
}

void rpc_reply_done(struct rpc_reply *r)
{
    free(r->data);
    r->data = NULL;
    r->len = 0;
}

void rpc_request(struct wire_writer *w, uint32_t op)
{
    wire_writer_init(w);
    wire_put_u32(w, RPC_F_OP, op);
}

static uint32_t transport_status(int rv)
{
    switch (rv) {
    case -EACCES:
        return ERROR_ACCESS_DENIED;
    case -ETIMEDOUT:
        return ERROR_TIMEOUT;
    case -ECONNREFUSED:
    case -EHOSTUNREACH:
    case -ENETUNREACH:
    case -ECONNRESET:
        return ERROR_CLUSTER_NODE_UNREACHABLE;
    default:
        return win32_from_errno(rv);
    }
}

static int connect_conn(struct rpc_conn *c, char *errmsg)
{
    struct channel_key key;
    uint32_t status = 0;
    int rv;

    if (c->key != NULL)
        key = *c->key;
    else
        status = lib_admin_key(&key, errmsg);
    if (status != 0)
        return -ENOKEY;
    rv = channel_connect(c->host, c->port, &key, LIB_CONNECT_TIMEOUT_MS, &c->ch, errmsg);
    memset(&key, 0, sizeof(key));
    return rv;
}

/* One round trip on an open channel. */
static int exchange(struct rpc_conn *c, const uint8_t *req, size_t len, int timeout_ms,
                    struct rpc_reply *ret)
{
    int rv = channel_send(c->ch, req, len);

    ret->sent = true; /* even a failed send may have delivered part of it, or all */
    if (rv == 0)
        rv = channel_recv(c->ch, timeout_ms, (void **)&ret->data, &ret->len);
    if (rv < 0)
        rpc_conn_close(c);
    return rv;
}

static void parse_status(struct rpc_reply *ret)
{
    if (rpc_reply_parse(ret->data, ret->len, &ret->status, ret->errmsg, sizeof(ret->errmsg)) < 0) {
        ret->status = ERROR_INVALID_DATA;
        snprintf(ret->errmsg, sizeof(ret->errmsg), "malformed reply");
    }
}

uint32_t rpc_call(struct rpc_conn *c, struct wire_writer *req, int timeout_ms,
                  struct rpc_reply *ret)
{
    uint8_t *msg;
    size_t len;
    int rv = -ENOTCONN;

    memset(ret, 0, sizeof(*ret));
    msg = wire_writer_take(req, &len);
    if (msg == NULL) {
        snprintf(ret->errmsg, sizeof(ret->errmsg), "out of memory");
        return ret->status = ERROR_NOT_ENOUGH_MEMORY;
    }
    /* A kept connection the node has closed meanwhile is replaced before the request; once
     * sent, a request is never sent again (it may have been carried out). */
    if (c->ch != NULL && !channel_idle_usable(c->ch)) {
        channel_close(c->ch);
        c->ch = NULL;
    }
    if (c->ch != NULL || (rv = connect_conn(c, ret->errmsg)) == 0)
        rv = exchange(c, msg, len, timeout_ms, ret);
    free(msg);
    if (rv == -ENOKEY)
        return ret->status = ERROR_ACCESS_DENIED;
    if (rv < 0) {
        if (ret->errmsg[0] == '\0')
            snprintf(ret->errmsg, sizeof(ret->errmsg), "%s port %u: %s", c->host, c->port,
                     strerror(-rv));
        return ret->status = transport_status(rv);
    }
    parse_status(ret);
    return ret->status;
}
