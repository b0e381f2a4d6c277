/*
 * keys — the admin keys and cluster credentials a node holds (keys.h).
 */
#include "daemon/keys/keys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/base/log.h"
#include "daemon/base/node_conf.h"

/* ------------------------------------------------------------------------------------------ */
/* Admin keys                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static const char *key_file_error(int rv, const char *eperm)
{
    return rv == -EINVAL ? "malformed" : rv == -EPERM ? eperm : strerror(-rv);
}

int keys_init(struct keys *k, const char *state_dir, const char *authkey)
{
    struct channel_key key;
    int rv;

    memset(k, 0, sizeof(*k));
    k->state_dir = state_dir;
    pthread_mutex_init(&k->admin_mu, NULL);
    pthread_mutex_init(&k->ring_mu, NULL);
    rv = admin_keys_load(state_dir, &k->admin);
    if (rv < 0) {
        LOGE("svc", "cannot read %s/%s: %s", state_dir, ADMIN_KEYS_FILE,
             key_file_error(rv, "group or others may read it (it must be mode 0600)"));
        return rv;
    }
    if (rv == 1) {
        /* The administrator rotated keys: the set in the state directory is what this node
         * trusts; the --authkey file may still hold a retired key. */
        LOGI("svc", "accepting %zu admin key(s) from %s/%s", k->admin.n, state_dir,
             ADMIN_KEYS_FILE);
        return 0;
    }
    rv = channel_key_load(authkey, &key);
    if (rv < 0) {
        LOGE("svc", "cannot read the admin key %s: %s", authkey,
             key_file_error(rv, "group or others may read it, or it is not a regular file "
                                "(it must be mode 0600)"));
        return rv;
    }
    admin_keys_add(&k->admin, &key);
    explicit_bzero(&key, sizeof(key));
    return 0;
}

int keys_lookup(void *arg, const char *identity, struct channel_key *ret)
{
    struct keys *k = arg;
    int rv = -ENOENT;

    if (channel_admin_key_id(identity) != NULL) {
        pthread_mutex_lock(&k->admin_mu);
        rv = admin_keys_find(&k->admin, identity, ret);
        pthread_mutex_unlock(&k->admin_mu);
        return rv;
    }
    pthread_mutex_lock(&k->ring_mu);
    for (size_t i = 0; i < k->ring.n; i++)
        if (strcmp(identity, k->ring.creds[i].key.identity) == 0) {
            *ret = k->ring.creds[i].key;
            rv = 0;
        }
    pthread_mutex_unlock(&k->ring_mu);
    return rv;
}

void keys_admin_newest(struct keys *k, struct channel_key *ret)
{
    pthread_mutex_lock(&k->admin_mu);
    *ret = *admin_keys_newest(&k->admin);
    pthread_mutex_unlock(&k->admin_mu);
}

/* Saves next as the node's set and makes it current; the caller holds admin_mu. */
static int admin_commit(struct keys *k, const struct admin_keys *next)
{
    int rv = admin_keys_save(k->state_dir, next);

    if (rv == 0)
        k->admin = *next;
    return rv;
}

int keys_admin_add(struct keys *k, struct channel_key *key)
{
    struct admin_keys next;
    int rv;

    pthread_mutex_lock(&k->admin_mu);
    next = k->admin;
    rv = admin_keys_add(&next, key);
    if (rv == 0)
        rv = admin_commit(k, &next);
    channel_key_set_admin_identity(key);
    pthread_mutex_unlock(&k->admin_mu);
    explicit_bzero(&next, sizeof(next));
    return rv;
}

int keys_admin_remove(struct keys *k, const char *id, const char *mine, bool *ret_changed)
{
    struct admin_keys next;
    int rv;

    pthread_mutex_lock(&k->admin_mu);
    next = k->admin;
    rv = id != NULL ? admin_keys_remove(&next, id, mine) : admin_keys_retain(&next, mine);
    *ret_changed = rv >= 0 && next.n != k->admin.n;
    if (*ret_changed)
        rv = admin_commit(k, &next);
    pthread_mutex_unlock(&k->admin_mu);
    explicit_bzero(&next, sizeof(next));
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* Cluster credentials                                                                         */
/* ------------------------------------------------------------------------------------------ */

bool keys_held(const struct keys *k)
{
    return !cred_ring_empty(&k->ring);
}

const struct channel_key *keys_send(const struct keys *k)
{
    const struct cred *c = cred_ring_send(&k->ring);

    return c == NULL ? NULL : &c->key;
}

int keys_store(const char *state_dir, const struct cred_ring *next)
{
    const struct cred *send = cred_ring_send(next), *other = cred_ring_other(next);
    int rv = node_conf_save_other_key(state_dir, other ? &other->key : NULL);

    return rv < 0 ? rv : node_conf_save_key(state_dir, &send->key);
}

/* Replaces the ring under its lock. */
static void ring_set(struct keys *k, const struct cred_ring *next)
{
    pthread_mutex_lock(&k->ring_mu);
    if (next != NULL)
        k->ring = *next;
    else
        explicit_bzero(&k->ring, sizeof(k->ring));
    pthread_mutex_unlock(&k->ring_mu);
}

bool keys_install(struct keys *k, const struct cred_ring *next)
{
    bool send_changed = keys_held(k) && memcmp(cred_ring_send(&k->ring)->id,
                                               cred_ring_send(next)->id, CRED_ID_BYTES) != 0;

    ring_set(k, next);
    return send_changed;
}

int keys_load(struct keys *k, const char *cluster_id, const char **ret_file)
{
    struct channel_key key, other;
    struct cred c, o;
    struct cred_ring ring;
    int rv;

    *ret_file = "cluster.key";
    rv = node_conf_load_key(k->state_dir, &key);
    if (rv == 0)
        rv = cred_make(cluster_id, key.bytes, &c);
    if (rv == 0) {
        cred_ring_init(&ring, &c);
        /* A rotation was under way: keep accepting the other credential until it ends. */
        *ret_file = "cluster.key.other";
        rv = node_conf_load_other_key(k->state_dir, &other);
        if (rv == 0)
            rv = cred_make(cluster_id, other.bytes, &o);
        if (rv == 0)
            cred_ring_stage(&ring, &o);
        if (rv == 0 || rv == -ENOENT) {
            ring_set(k, &ring);
            rv = 0;
        }
    }
    explicit_bzero(&key, sizeof(key));
    explicit_bzero(&other, sizeof(other));
    explicit_bzero(&c, sizeof(c));
    explicit_bzero(&o, sizeof(o));
    explicit_bzero(&ring, sizeof(ring));
    return rv == -ENOENT ? 0 : rv;
}

void keys_clear(struct keys *k)
{
    ring_set(k, NULL);
}
