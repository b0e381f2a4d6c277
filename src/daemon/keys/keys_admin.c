/*
 * svc_admin — the administrator keys this node accepts: which key a connecting client proved,
 * and the rotation operations (RPC_OP_ADMIN_KEY_ADD / _REMOVE) behind `clusctl rekey`.
 *
 * The set is read by connection threads during handshakes and changed by the rotation
 * operations, which also run on connection threads (they write a file, which the loop must not
 * wait for): s->admin_mu guards it. A change is saved to the state directory before it takes
 * effect, so a node that restarts accepts exactly the keys it last confirmed. Sessions already
 * open keep running when their key is removed; only new handshakes see the change.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <clusapi.h>

#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/base/log.h"
#include "daemon/svc/svc.h"

int svc_admin_init(struct svc *s)
{
    struct channel_key key;
    int rv;

    pthread_mutex_init(&s->admin_mu, NULL);
    rv = admin_keys_load(s->opts.state_dir, &s->admin);
    if (rv < 0) {
        LOGE("svc", "cannot read %s/%s: %s", s->opts.state_dir, ADMIN_KEYS_FILE,
             rv == -EINVAL  ? "malformed"
             : rv == -EPERM ? "group or others may read it (it must be mode 0600)"
                            : strerror(-rv));
        return rv;
    }
    if (rv == 1) {
        /* The administrator rotated keys: the set in the state directory is what this node
         * trusts; the --authkey file may still hold a retired key. */
        LOGI("svc", "accepting %zu admin key(s) from %s/%s", s->admin.n, s->opts.state_dir,
             ADMIN_KEYS_FILE);
        return 0;
    }
    rv = channel_key_load(s->opts.authkey, &key);
    if (rv < 0) {
        LOGE("svc", "cannot read the admin key %s: %s", s->opts.authkey,
             rv == -EINVAL  ? "malformed"
             : rv == -EPERM ? "group or others may read it, or it is not a regular file "
                              "(it must be mode 0600)"
                            : strerror(-rv));
        return rv;
    }
    admin_keys_add(&s->admin, &key);
    memset(&key, 0, sizeof(key));
    return 0;
}

int svc_admin_lookup(struct svc *s, const char *identity, struct channel_key *ret)
{
    int rv;

    pthread_mutex_lock(&s->admin_mu);
    rv = admin_keys_find(&s->admin, identity, ret);
    pthread_mutex_unlock(&s->admin_mu);
    return rv;
}

void svc_admin_current(struct svc *s, struct channel_key *ret)
{
    pthread_mutex_lock(&s->admin_mu);
    *ret = *admin_keys_newest(&s->admin);
    pthread_mutex_unlock(&s->admin_mu);
}

/* Saves next as the node's set and makes it current; the caller holds admin_mu. */
static int commit_set(struct svc *s, const struct admin_keys *next)
{
    int rv = admin_keys_save(s->opts.state_dir, next);

    if (rv == 0)
        s->admin = *next;
    return rv;
}

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
    struct admin_keys next;
    int rv;

    if (!svc_req_str(call, RPC_F_KEY_HEX, hex, sizeof(hex)) || channel_key_from_hex(hex, &key) < 0) {
        memset(hex, 0, sizeof(hex));
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed admin key");
        return;
    }
    memset(hex, 0, sizeof(hex));
    pthread_mutex_lock(&s->admin_mu);
    next = s->admin;
    rv = admin_keys_add(&next, &key);
    if (rv == 0)
        rv = commit_set(s, &next);
    channel_key_set_admin_identity(&key);
    pthread_mutex_unlock(&s->admin_mu);
    memset(&next, 0, sizeof(next));
    memset(key.bytes, 0, sizeof(key.bytes));
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
    struct admin_keys next;
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
    pthread_mutex_lock(&s->admin_mu);
    next = s->admin;
    rv = one ? admin_keys_remove(&next, id, mine) : admin_keys_retain(&next, mine);
    changed = rv >= 0 && next.n != s->admin.n;
    if (changed)
        rv = commit_set(s, &next);
    pthread_mutex_unlock(&s->admin_mu);
    memset(&next, 0, sizeof(next));
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
