/*
 * svc_keys — the operations on a node's keys: the admin key rotation behind `clusctl rekey`
 * (RPC_OP_ADMIN_KEY_ADD / _REMOVE, on connection threads: they write a file), the cluster
 * credential's rotation steps an administrator's tool drives on every member in turn
 * (RPC_OP_ROTATE_CREDENTIAL; the order and why it never interrupts raft or the heartbeats are in
 * keys/cred_ring.h), and installing a new credential where raft and forwarding use it.
 * The keys themselves are keys/keys.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "common/wire.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

void svc_keys_install(struct svc *s, const struct cred_ring *next)
{
    if (keys_install(&s->keys, next))
        svc_forward_reset(s); /* pooled channels still prove the old credential */
    if (s->consensus != NULL)
        consensus_keys_changed(s->consensus);
}

int svc_keys_set(struct svc *s, const char *cluster_id, const struct channel_key *key)
{
    struct cred_ring next;
    struct cred c;
    int rv = cred_make(cluster_id, key->bytes, &c);

    if (rv < 0)
        return rv;
    cred_ring_init(&next, &c);
    rv = keys_store(s->opts.state_dir, &next);
    if (rv == 0)
        svc_keys_install(s, &next);
    explicit_bzero(&c, sizeof(c));
    explicit_bzero(&next, sizeof(next));
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* Admin keys                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* Ends a call whose change could not be saved (the set in memory is unchanged). The messages
 * leave out the node's name: the library puts it in front. */
static void fail_save(struct rpc_call *call, int rv)
{
    LOGE("svc", "cannot save the admin keys: %s", strerror(-rv));
    rpc_call_finish(call, win32_from_errno(rv), "cannot save its admin keys: %s",
                    strerror(-rv));
}

void svc_admin_op_add(struct svc *s, struct rpc_call *call)
{
    char hex[2 * CHANNEL_KEY_BYTES + 1];
    struct channel_key key;
    int rv;

    if (!svc_req_str(call, RPC_F_KEY_HEX, hex, sizeof(hex)) ||
        channel_key_from_hex(hex, &key) < 0) {
        memset(hex, 0, sizeof(hex));
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed admin key");
        return;
    }
    memset(hex, 0, sizeof(hex));
    rv = keys_admin_add(&s->keys, &key);
    explicit_bzero(key.bytes, sizeof(key.bytes));
    if (rv == -ENOSPC) {
        rpc_call_finish(call, ERROR_TOO_MANY_SECRETS,
                        "already accepts %d admin keys; retire the old ones first",
                        ADMIN_KEYS_MAX);
        return;
    }
    if (rv < 0) {
        fail_save(call, rv);
        return;
    }
    if (rv == 0)
        LOGI("svc", "now also accepting admin key %s", channel_admin_key_id(key.identity));
    wire_put_str(&call->reply, RPC_F_KEY_ID, channel_admin_key_id(key.identity));
    rpc_call_finish(call, 0, NULL);
}

void svc_admin_op_remove(struct svc *s, struct rpc_call *call)
{
    const char *mine = channel_admin_key_id(call->peer_identity);
    char id[CHANNEL_ADMIN_ID_CHARS + 2];
    struct wire_field field;
    bool one = wire_find(call->req, call->req_len, RPC_F_KEY_ID, &field) != -ENOENT, changed;
    int rv;

    /* A malformed id must fail, never fall back to "every key but the caller's". */
    if (one && !svc_req_str(call, RPC_F_KEY_ID, id, sizeof(id))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed admin key id");
        return;
    }
    if (mine == NULL) { /* only the administrator reaches here, and always with an id */
        rpc_call_finish(call, ERROR_ACCESS_DENIED, "this operation needs the admin key");
        return;
    }
    rv = keys_admin_remove(&s->keys, one ? id : NULL, mine, &changed);
    if (rv == -EBUSY) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER,
                        "admin key %s is the one this request came with; it stays", id);
        return;
    }
    if (rv == -ENOENT) {
        rpc_call_finish(call, ERROR_NOT_FOUND, "does not hold admin key %s", one ? id : mine);
        return;
    }
    if (rv < 0) {
        fail_save(call, rv);
        return;
    }
    if (changed)
        LOGI("svc", "admin keys: %s removed; %s remains", one ? id : "every key but the caller's",
             one ? "the rest" : mine);
    rpc_call_finish(call, 0, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Rotation                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static const char *const step_names[] = {"", "stage", "switch", "retire", "abort", "query"};

static uint32_t rotate_status(int rv)
{
    switch (rv) {
    case -EBUSY: return ERROR_INVALID_STATE;
    case -ENOENT: return ERROR_NOT_FOUND;
    default: return win32_from_errno(rv);
    }
}

/* Applies one step to a copy of the ring; 0 or the step's negative errno. */
static int rotate_step(struct svc *s, uint32_t step, const struct rpc_call *call,
                       struct cred_ring *next, uint8_t id[CRED_ID_BYTES])
{
    char text[2 * CHANNEL_KEY_BYTES + 1];
    struct channel_key key;
    struct cred c;
    int rv;

    *next = s->keys.ring;
    if (step == RPC_ROTATE_STAGE) {
        if (!svc_req_str(call, RPC_F_KEY_HEX, text, sizeof(text)) ||
            channel_key_from_hex(text, &key) < 0)
            return -EINVAL;
        explicit_bzero(text, sizeof(text));
        rv = cred_make(s->conf.cluster_id, key.bytes, &c);
        explicit_bzero(&key, sizeof(key));
        memcpy(id, c.id, CRED_ID_BYTES);
        return rv < 0 ? rv : cred_ring_stage(next, &c);
    }
    if (!svc_req_str(call, RPC_F_KEY_ID, text, sizeof(text)) || cred_id_parse(text, id) < 0)
        return -EINVAL;
    switch (step) {
    case RPC_ROTATE_SWITCH: return cred_ring_switch(next, id);
    case RPC_ROTATE_RETIRE: return cred_ring_retire(next, id);
    case RPC_ROTATE_ABORT: return cred_ring_abort(next, id);
    default: return -EINVAL;
    }
}

/* Which credentials this node holds (ids only): what a rotation left behind, if anything. */
static void rotate_query(struct svc *s, struct rpc_call *call)
{
    const struct cred *other = cred_ring_other(&s->keys.ring);
    char hex[CRED_ID_HEX_SIZE];

    cred_id_hex(cred_ring_send(&s->keys.ring)->id, hex);
    wire_put_str(&call->reply, RPC_F_KEY_ID, hex);
    if (other != NULL) {
        cred_id_hex(other->id, hex);
        wire_put_str(&call->reply, RPC_F_KEY_ID_OTHER, hex);
    }
    rpc_call_finish(call, 0, NULL);
}

/* One rotation step being stored: files are written and synced on the thread pool, since a sync
 * on a busy disk can stall the loop longer than an election timeout. */
struct rotate_store {
    uv_work_t work;
    struct svc *s;
    struct rpc_call *call;
    uint32_t step;
    struct cred_ring next;
    uint8_t id[CRED_ID_BYTES];
    int rv;
};

static void rotate_finish(struct svc *s, struct rpc_call *call, uint32_t step,
                          const uint8_t id[CRED_ID_BYTES], int rv)
{
    char hex[CRED_ID_HEX_SIZE];

    cred_id_hex(id, hex);
    if (rv < 0 && rv != -EBUSY && rv != -ENOENT && rv != -ECANCELED)
        LOGE("svc", "credential %s: cannot %s in %s: %s", hex, step_names[step],
             s->opts.state_dir, strerror(-rv));
    if (rv < 0) {
        rpc_call_finish(call, rotate_status(rv), "credential %s: cannot %s: %s", hex,
                        step_names[step],
                        rv == -EBUSY ? "another rotation is under way or the order is wrong"
                                     : strerror(-rv));
        return;
    }
    LOGI("svc", "cluster credential rotation: %s %s", step_names[step], hex);
    wire_put_str(&call->reply, RPC_F_KEY_ID, hex);
    rpc_call_finish(call, 0, NULL);
}

static void rotate_store_work(uv_work_t *w)
{
    struct rotate_store *st = w->data;

    st->rv = keys_store(st->s->opts.state_dir, &st->next);
}

static void rotate_store_done(uv_work_t *w, int status)
{
    struct rotate_store *st = w->data;

    st->s->keys.storing = false;
    if (status == 0 && st->rv == 0 && st->s->configured)
        svc_keys_install(st->s, &st->next);
    else if (!st->s->configured && !st->s->wiping)
        node_conf_wipe(st->s->opts.state_dir); /* wiped meanwhile: leave no credential behind */
    rotate_finish(st->s, st->call, st->step, st->id,
                  status < 0 ? -ECANCELED : !st->s->configured ? -ENOENT : st->rv);
    explicit_bzero(st, sizeof(*st));
    free(st);
}

void svc_op_rotate_credential(struct svc *s, struct rpc_call *call)
{
    struct rotate_store *st;
    uint32_t step = 0;
    int rv;

    if (!s->configured || !keys_held(&s->keys)) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER, "node %s holds no cluster credential",
                        s->opts.name);
        return;
    }
    wire_get_u32(call->req, call->req_len, RPC_F_ROTATE_STEP, &step);
    if (step == RPC_ROTATE_QUERY) {
        rotate_query(s, call);
        return;
    }
    if (step < RPC_ROTATE_STAGE || step > RPC_ROTATE_ABORT) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "unknown rotation step %u", step);
        return;
    }
    if (s->keys.storing) {
        rpc_call_finish(call, ERROR_INVALID_STATE, "the previous rotation step is still being "
                        "stored");
        return;
    }
    st = calloc(1, sizeof(*st));
    if (st == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    *st = (struct rotate_store){.s = s, .call = call, .step = step};
    rv = rotate_step(s, step, call, &st->next, st->id);
    if (rv == -EINVAL) {
        free(st);
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed %s request", step_names[step]);
        return;
    }
    st->work.data = st;
    if (rv == 0 && uv_queue_work(s->loop, &st->work, rotate_store_work, rotate_store_done) == 0) {
        s->keys.storing = true;
        return;
    }
    rotate_finish(s, call, step, st->id, rv < 0 ? rv : -EIO);
    explicit_bzero(st, sizeof(*st));
    free(st);
}
