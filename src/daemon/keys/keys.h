/*
 * keys — the keys a node holds: the administrator keys it accepts, and its cluster credentials
 * (a cred_ring: the one it proves and, during a rotation, one more it accepts).
 *
 * The admin set is read by connection threads during handshakes and changed by the rotation
 * operations, which also run on connection threads (they write a file, which the loop must not
 * wait for): admin_mu guards it. A change is saved to the state directory before it takes
 * effect, so a node that restarts accepts exactly the keys it last confirmed.
 *
 * The ring is written on the loop only. Connection threads read it through keys_lookup, so
 * writes and those reads hold ring_mu; the loop's own readers (raft's transport, heartbeats,
 * forwarding) need no lock.
 */
#ifndef CLUSSVC_KEYS_H
#define CLUSSVC_KEYS_H

#include <pthread.h>
#include <stdbool.h>

#include "channel/channel.h"
#include "daemon/keys/admin_keys.h"
#include "daemon/keys/cred_ring.h"

struct keys {
    const char *state_dir;
    pthread_mutex_t admin_mu;
    struct admin_keys admin;   /* under admin_mu */
    pthread_mutex_t ring_mu;
    struct cred_ring ring;     /* written on the loop, under ring_mu */
    bool storing;              /* a rotation step is being stored (loop only) */
};

/* Loads the accepted admin keys: the state directory's admin.keys, else the authkey file.
 * 0 or negative errno (logged). A struct keys lives as long as the process: connection threads
 * that outlive the loop may still look keys up in it. */
int keys_init(struct keys *k, const char *state_dir, const char *authkey);

/* The management server's PSK lookup (any thread; arg is the struct keys): the admin key or a
 * held cluster credential the identity names. 0 or -ENOENT. */
int keys_lookup(void *arg, const char *identity, struct channel_key *ret);
/* The newest accepted admin key, which this node uses towards its peers. Any thread. */
void keys_admin_newest(struct keys *k, struct channel_key *ret);
/* Accepts key too (saved first); key's identity is set to the admin identity it is known by.
 * 0, 1 if it was accepted already, -ENOSPC when the set is full, or the save's negative errno. */
int keys_admin_add(struct keys *k, struct channel_key *key);
/* Stops accepting admin key id, or (id NULL) every key but mine; mine always stays.
 * *ret_changed says whether the set changed. 0, -EBUSY (id is mine), -ENOENT, or the save's
 * negative errno. */
int keys_admin_remove(struct keys *k, const char *id, const char *mine, bool *ret_changed);

/* Does the node hold a cluster credential? Loop. */
bool keys_held(const struct keys *k);
/* The credential this node proves; NULL if it holds none. Loop. */
const struct channel_key *keys_send(const struct keys *k);
/* Stores ring next in state_dir (the proved credential last, so a crash in between leaves the
 * old one proved and both accepted). Any thread: it writes and syncs files. 0 or -errno. */
int keys_store(const char *state_dir, const struct cred_ring *next);
/* Makes a stored ring the node's own (loop). True when the credential it proves changed. */
bool keys_install(struct keys *k, const struct cred_ring *next);
/* Loads the stored credentials of cluster_id; none if there are none (0). A key file that is
 * there but damaged loads nothing: -EBADMSG or -EINVAL, with the file's name in ret_file. */
int keys_load(struct keys *k, const char *cluster_id, const char **ret_file);
void keys_clear(struct keys *k);

#endif
