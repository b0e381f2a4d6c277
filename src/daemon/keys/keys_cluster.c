/*
 * svc_keys — the node's cluster credentials (a cred_ring): loading and storing them, the PSK
 * lookup of the management server, and the rotation steps an administrator's tool drives on every
 * member in turn (RPC_OP_ROTATE_CREDENTIAL; the order and why it never interrupts raft or the
 * heartbeats are in cred_ring.h).
 *
 * The ring is written on the loop only. The management server's connection threads read it
 * through svc_key_lookup, so writes and those reads hold keys_lock; the loop's own readers (raft's
 * transport, heartbeats, forwarding) need no lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "common/wire.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

int svc_key_lookup(void *arg, const char *identity, struct channel_key *ret)
{
    struct svc *s = arg;
    int rv = -ENOENT;

    if (channel_admin_key_id(identity) != NULL) /* the admin keys have a lock of their own */
        return svc_admin_lookup(s, identity, ret);
    pthread_mutex_lock(&keys_lock);
    for (size_t i = 0; i < s->keys.n; i++)
        if (strcmp(identity, s->keys.creds[i].key.identity) == 0) {
            *ret = s->keys.creds[i].key;
            rv = 0;
        }
    pthread_mutex_unlock(&keys_lock);
    return rv;
}

bool svc_keys_held(const struct svc *s)
{
    return !cred_ring_empty(&s->keys);
}

const struct channel_key *svc_keys_send(const struct svc *s)
{
    const struct cred *c = cred_ring_send(&s->keys);

    return c == NULL ? NULL : &c->key;
}

/* Stores next (the proved credential last, so a crash in between leaves the old one proved and
 * both accepted). Any thread: it writes and syncs files. */
static int keys_store(const char *state_dir, const struct cred_ring *next)
{
    const struct cred *send = cred_ring_send(next), *other = cred_ring_other(next);
    int rv = node_conf_save_other_key(state_dir, other ? &other->key : NULL);

    return rv < 0 ? rv : node_conf_save_key(state_dir, &send->key);
}

/* Makes a stored ring the node's own (loop); connections whose credential left it close. */
static void keys_install(struct svc *s, const struct cred_ring *next)
{
    bool send_changed = !cred_ring_empty(&s->keys) &&
                        memcmp(cred_ring_send(&s->keys)->id, cred_ring_send(next)->id,
                               CRED_ID_BYTES) != 0;

    pthread_mutex_lock(&keys_lock);
    s->keys = *next;
    pthread_mutex_unlock(&keys_lock);
    if (send_changed)
        svc_forward_reset(s); /* pooled channels still prove the old credential */
    if (s->consensus != NULL)
        consensus_keys_changed(s->consensus);
}

static int keys_commit(struct svc *s, const struct cred_ring *next)
{
    int rv = keys_store(s->opts.state_dir, next);

    if (rv == 0)
        keys_install(s, next);
    return rv;
}

int svc_keys_set(struct svc *s, const char *cluster_id, const struct channel_key *key)
{
    struct cred_ring next;
    struct cred c;
    int rv = cred_make(cluster_id, key->bytes, &c);

    if (rv < 0)
        return rv;
    cred_ring_init(&next, &c);
    return keys_commit(s, &next);
}

void svc_keys_load(struct svc *s)
{
    struct channel_key key, other;
    struct cred c, o;
    struct cred_ring ring;

    if (node_conf_load_key(s->opts.state_dir, &key) < 0 ||
        cred_make(s->conf.cluster_id, key.bytes, &c) < 0)
        return;
    cred_ring_init(&ring, &c);
    /* A rotation was under way: keep accepting the other credential until it ends. */
    if (node_conf_load_other_key(s->opts.state_dir, &other) == 0 &&
        cred_make(s->conf.cluster_id, other.bytes, &o) == 0)
        cred_ring_stage(&ring, &o);
    pthread_mutex_lock(&keys_lock);
    s->keys = ring;
    pthread_mutex_unlock(&keys_lock);
}

void svc_keys_clear(struct svc *s)
{
    pthread_mutex_lock(&keys_lock);
    memset(&s->keys, 0, sizeof(s->keys));
    pthread_mutex_unlock(&keys_lock);
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

    *next = s->keys;
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
    const struct cred *other = cred_ring_other(&s->keys);
    char hex[CRED_ID_HEX_SIZE];

    cred_id_hex(cred_ring_send(&s->keys)->id, hex);
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

static bool keys_storing; /* one step at a time (loop only) */

static void rotate_finish(struct svc *s, struct rpc_call *call, uint32_t step,
                          const uint8_t id[CRED_ID_BYTES], int rv)
{
    char hex[CRED_ID_HEX_SIZE];

    (void)s;
    cred_id_hex(id, hex);
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

    keys_storing = false;
    if (status == 0 && st->rv == 0 && st->s->configured)
        keys_install(st->s, &st->next);
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

    if (!s->configured || !svc_keys_held(s)) {
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
    if (keys_storing) {
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
        keys_storing = true;
        return;
    }
    rotate_finish(s, call, step, st->id, rv < 0 ? rv : -EIO);
    explicit_bzero(st, sizeof(*st));
    free(st);
}
