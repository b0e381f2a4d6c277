/*
 * cred_ring — the cluster credentials a node holds, and which of them it sends with and accepts.
 *
 * Normally a node holds one credential: it proves it and accepts only it. Rotating the credential
 * (on demand, or when a node is evicted so that its copy stops working) goes through three steps
 * that every remaining member takes in the same order, driven by whoever rotates:
 *
 *   stage(new)   accept {old, new}, still prove old   — nobody proves new yet, so no one is refused
 *   switch(new)  accept {old, new}, prove new         — everyone already accepts new
 *   retire(new)  accept {new},      prove new         — everyone already proves new; old is dead
 *
 * so at every moment what any member proves is accepted by every other member, and raft and the
 * heartbeats never stop. abort(new) undoes a stage that could not finish everywhere.
 *
 * Each credential has a short public id (a hash of the key, not the key), carried in the TLS PSK
 * identity so the receiver picks the right key without trying each one. Pure: no I/O.
 */
#ifndef CLUSSVC_CRED_RING_H
#define CLUSSVC_CRED_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "channel/channel.h"

#define CRED_ID_BYTES 8
#define CRED_ID_HEX_SIZE (2 * CRED_ID_BYTES + 1)
#define CRED_RING_MAX 2

struct cred {
    struct channel_key key; /* key.identity: "cluster:<cluster id>:<id hex>" (management RPC) */
    uint8_t id[CRED_ID_BYTES];
};

struct cred_ring {
    struct cred creds[CRED_RING_MAX];
    size_t n;
    size_t send; /* index of the credential this node proves */
};

/* Makes a credential from key bytes: computes its id and its PSK identity for cluster_id.
 * 0 or negative errno. */
int cred_make(const char *cluster_id, const uint8_t bytes[CHANNEL_KEY_BYTES], struct cred *ret);
/* The id as 16 hex digits. */
void cred_id_hex(const uint8_t id[CRED_ID_BYTES], char hex[CRED_ID_HEX_SIZE]);
/* Parses 16 hex digits; 0 or -EINVAL. */
int cred_id_parse(const char *hex, uint8_t ret[CRED_ID_BYTES]);

/* A ring holding only c. */
void cred_ring_init(struct cred_ring *r, const struct cred *c);
bool cred_ring_empty(const struct cred_ring *r);
/* The credential to prove; NULL if the ring is empty. */
const struct cred *cred_ring_send(const struct cred_ring *r);
/* An accepted credential by id; NULL if none (unknown or retired). */
const struct cred *cred_ring_find(const struct cred_ring *r, const uint8_t id[CRED_ID_BYTES]);
/* The accepted credential other than the one proved (during a rotation); NULL if none. */
const struct cred *cred_ring_other(const struct cred_ring *r);

/*
 * The rotation steps. Each is idempotent (a repeated step is 0 and changes nothing) and leaves the
 * ring unchanged when it fails:
 *   stage:  -EBUSY if another rotation is in progress (a different second credential is held),
 *           -EINVAL on an empty ring;
 *   switch: -ENOENT if id is not held;
 *   retire: -ENOENT if id is not held, -EBUSY if it is held but not yet proved (switch first);
 *   abort:  -EBUSY if id is already proved (the switch happened: too late to abort); 0 if the id
 *           is not held.
 */
int cred_ring_stage(struct cred_ring *r, const struct cred *c);
int cred_ring_switch(struct cred_ring *r, const uint8_t id[CRED_ID_BYTES]);
int cred_ring_retire(struct cred_ring *r, const uint8_t id[CRED_ID_BYTES]);
int cred_ring_abort(struct cred_ring *r, const uint8_t id[CRED_ID_BYTES]);

/* Parses "cluster:<cluster id>:<id hex>" into the id; 0, or -EINVAL if identity is not a cluster
 * credential identity of cluster_id. */
int cred_identity_parse(const char *identity, const char *cluster_id,
                        uint8_t ret[CRED_ID_BYTES]);

#endif
