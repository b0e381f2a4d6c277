/*
 * admin_keys — the set of administrator keys a node accepts, and its file.
 *
 * A node normally accepts one admin key. During a rotation (`clusctl rekey`) it accepts the old
 * and the new one; each is told apart by its key id, carried in the PSK identity
 * (channel_key_set_admin_identity). The newest key is the one the node itself uses when it
 * talks to its peers as the administrator.
 *
 * The set is kept in <state dir>/admin.keys (mode 0600, one key of 64 hex digits per line,
 * oldest first) once the administrator has changed it; until then the node's --authkey file is
 * the set. The file outlives the cluster: destroy and evict leave it, since it records whom the
 * node trusts, not what cluster it is in.
 *
 * The set operations are pure; only admin_keys_load/save touch the disk.
 */
#ifndef CLUSSVC_ADMIN_KEYS_H
#define CLUSSVC_ADMIN_KEYS_H

#include <stddef.h>

#include "channel/channel.h"

#define ADMIN_KEYS_MAX 4 /* two during a rotation; room for a rotation left half done */
#define ADMIN_KEYS_FILE "admin.keys"

struct admin_keys {
    size_t n;
    struct channel_key keys[ADMIN_KEYS_MAX]; /* oldest first; identities are admin identities */
};

/* The key a client named by its PSK identity: 0 and *ret filled, or -ENOENT. */
int admin_keys_find(const struct admin_keys *set, const char *identity, struct channel_key *ret);
/* Adds key (its identity is set here). 0 if added, 1 if it was already there, -ENOSPC if the
 * set is full. */
int admin_keys_add(struct admin_keys *set, const struct channel_key *key);
/*
 * Removes the key with id remove_id. The key the caller proved (keep_id) is never removed, so a
 * node can never be left without a key its administrator holds: -EBUSY if remove_id is keep_id,
 * -ENOENT if remove_id is not in the set. 0 on success.
 */
int admin_keys_remove(struct admin_keys *set, const char *remove_id, const char *keep_id);
/* Removes every key but keep_id's. The number removed, or -ENOENT if keep_id is not held. */
int admin_keys_retain(struct admin_keys *set, const char *keep_id);
/* The newest key (the set is never empty once loaded). */
const struct channel_key *admin_keys_newest(const struct admin_keys *set);

/* The file's text for a set (NUL-terminated in buf of n bytes): its length or -ENOSPC. */
int admin_keys_format(const struct admin_keys *set, char *buf, size_t n);
/* Parses the file's text: 0, or -EINVAL (malformed, empty, too many or repeated keys). */
int admin_keys_parse(const char *text, struct admin_keys *ret);

/* Loads <state_dir>/admin.keys: 1 and *ret filled, 0 if there is none, negative errno (-EPERM:
 * group or others may read it; -EINVAL: malformed). */
int admin_keys_load(const char *state_dir, struct admin_keys *ret);
/* Saves the set to <state_dir>/admin.keys atomically, mode 0600. 0 or negative errno. */
int admin_keys_save(const char *state_dir, const struct admin_keys *set);

#endif
