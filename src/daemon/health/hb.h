/*
 * hb — heartbeats on the wire: a UDP socket on the node's address and management port, a
 * heartbeat to every member each interval (SameSubnetDelay, or less for a short QuorumLease),
 * an immediate acknowledgement of each one received, every datagram authenticated with the cluster credential and checked against replay.
 * What the heartbeats tell is kept in an hb_track (pure); this module only moves bytes.
 * Runs on the event loop.
 */
#ifndef CLUSSVC_HB_H
#define CLUSSVC_HB_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "daemon/keys/cred_ring.h"
#include "daemon/health/hb_track.h"

struct hb;

struct hb_member {
    uint64_t id;
    char address[64];
    uint16_t port;
};

/* Called on the loop after heartbeats were sent or received, so the caller can re-evaluate
 * node states, its lease and fencing. */
typedef void (*hb_tick_cb)(void *arg);
/* The voter configuration raft holds now: its voters in ids[0..cap) (the count returned) and its
 * fingerprint in *ret_fp (0: none yet). Read before every datagram is sent or handled and before
 * every tick, so heartbeats always name the configuration the node is in (hb_track.h). */
typedef size_t (*hb_voters_fn)(void *arg, uint64_t *ids, size_t cap, uint64_t *ret_fp);

/* keys is read for every datagram (it must outlive h): heartbeats are sent with the credential it
 * proves and accepted with any it holds. */
int hb_start(uv_loop_t *loop, const char *address, uint16_t port, const struct cred_ring *keys,
             uint64_t self, const struct hb_config *cfg, hb_tick_cb tick, hb_voters_fn voters,
             void *arg, struct hb **ret);
/* Replaces the member list (self may be included; it is skipped when sending). */
void hb_set_members(struct hb *h, const struct hb_member *members, size_t n);
/* Heartbeats go out on the next loop turn, and the interval starts again from then. */
void hb_send_now(struct hb *h);
/* Changes the interval and threshold (the cluster properties changed). */
void hb_set_config(struct hb *h, const struct hb_config *cfg);
const struct hb_track *hb_tracker(const struct hb *h);
/* hb_track_note_incarnation on the tracker. */
void hb_note_incarnation(struct hb *h, uint64_t id, uint64_t incarnation);
/* Since when (mono_ms) this node has run nothing for want of a lease (health_lease_idle_since;
 * 0: not so): its heartbeats say so of its incarnation as noted when since took this value, so
 * that a lapse said of one incarnation never counts against the next. */
void hb_set_idle(struct hb *h, uint64_t since);
/* Stops and frees; NULL-safe. */
void hb_stop(struct hb *h);

#endif
