/*
 * consensus — the node's raft instance (libraft 0.15 on libuv), kept behind this one module so
 * that moving to another raft line later touches nothing else.
 *
 * The state machine is supplied by the caller as three functions over opaque command bytes.
 * Everything here runs on the event loop thread.
 */
#ifndef CLUSSVC_CONSENSUS_H
#define CLUSSVC_CONSENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "daemon/keys/cred_ring.h"
#include "daemon/base/node_conf.h"

#define CONSENSUS_ERRMSG_SIZE 512

struct consensus;

struct consensus_fsm {
    void *arg;
    /* Applies one committed command. 0 with *ret_status (a Win32 code) or negative errno. */
    int (*apply)(void *arg, const void *cmd, size_t len, uint32_t *ret_status);
    /* A malloc'd image of the whole state. */
    int (*snapshot)(void *arg, void **ret_buf, size_t *ret_len);
    /* Replaces the whole state with an image. */
    int (*restore)(void *arg, const void *buf, size_t len);
};

struct consensus_timing {
    unsigned heartbeat_ms;
    unsigned election_ms;
};

enum consensus_role { CONSENSUS_DOWN = 0, CONSENSUS_FOLLOWER, CONSENSUS_CANDIDATE, CONSENSUS_LEADER };

/* Called on the loop whenever the role or the known leader changes. */
typedef void (*consensus_change_cb)(void *arg);
typedef void (*consensus_apply_cb)(void *arg, int rv, uint32_t status);
typedef void (*consensus_stop_cb)(void *arg);

/*
 * Starts raft for node conf->node_id in dir, bootstrapping from conf's peers on first start
 * (every node bootstraps the same configuration: voters are the first five peers with the voter
 * role, the rest standbys). Raft traffic is authenticated and encrypted with the credentials in
 * keys (read on every new connection; it must outlive the consensus). 0, or negative errno with
 * a reason in errmsg.
 */
int consensus_start(uv_loop_t *loop, const char *dir, const struct node_conf *conf,
                    const struct cred_ring *keys, const struct consensus_timing *timing,
                    const struct consensus_fsm *fsm, consensus_change_cb on_change,
                    void *change_arg, struct consensus **ret, char *errmsg);
/* The credential ring changed: connections made with a credential it no longer holds, from nodes
 * that are not members, close. */
void consensus_keys_changed(struct consensus *c);
/* Commits cmd through raft (leader only: -ENOTCONN elsewhere); cb runs once applied here. */
int consensus_apply(struct consensus *c, const void *cmd, size_t len, consensus_apply_cb cb,
                    void *arg);
enum consensus_role consensus_role(struct consensus *c);
/* The leader's id, 0 if none is known. */
uint64_t consensus_leader(struct consensus *c);
uint64_t consensus_applied_index(struct consensus *c);
/* A leader is known and this node has applied everything it said was committed: the database is
 * current, not a view from before a restart. */
bool consensus_caught_up(struct consensus *c);
/* This node leads, or its leader's messages have come without a stall for a while
 * (consensus_link.h): what it commits now, it will soon learn was applied. */
bool consensus_leader_link_steady(struct consensus *c);
/*
 * Membership (leader only; one change at a time: -EBUSY while another runs). Each calls cb on the
 * loop with 0 or a negative errno once the change is committed (assign: once the server caught
 * up and the change committed). Roles are RAFT_VOTER, RAFT_STANDBY, RAFT_SPARE.
 */
typedef void (*consensus_change_done)(void *arg, int rv);
int consensus_add(struct consensus *c, uint64_t id, const char *address, uint16_t port,
                  consensus_change_done cb, void *arg);
int consensus_assign(struct consensus *c, uint64_t id, int role, consensus_change_done cb,
                     void *arg);
int consensus_remove(struct consensus *c, uint64_t id, consensus_change_done cb, void *arg);
/* Hands leadership to another voter (id 0: the most up-to-date one); cb when it moved or the
 * election timeout passed. */
int consensus_transfer(struct consensus *c, uint64_t id, consensus_change_done cb, void *arg);
/* The server's role in the current configuration, or -1 if it is not a member. */
int consensus_member_role(struct consensus *c, uint64_t id);
/* Number of voters in the current configuration. */
unsigned consensus_voters(struct consensus *c);
/*
 * The voters of the configuration in force (committed or not) into ids[0..cap), their count
 * returned, and in *ret_fp a fingerprint of the voter set (nonzero; 0 only while there is
 * none): what heartbeats name (health/hb_track.h).
 */
size_t consensus_voter_set(struct consensus *c, uint64_t *ids, size_t cap, uint64_t *ret_fp);
/*
 * When this node first saw the voters in force committed, on the caller's clock (now is the
 * time of this call); 0 while a configuration change is uncommitted. The leader spaces vote
 * changes by a lease bound and more from this moment (docs/failover.md, "Changing the voters"). Called
 * often: the first call that sees a new voter set committed records it.
 */
uint64_t consensus_settled_at(struct consensus *c, uint64_t now);
/*
 * A write of raft's log that fails stops the log for good (consensus_disk.h): this node then
 * acknowledges nothing more, and cb(arg, why) runs once, on the loop. consensus_disk_failure()
 * is why, or NULL while the log runs.
 */
void consensus_on_disk_failure(struct consensus *c, void (*cb)(void *arg, const char *why),
                               void *arg);
const char *consensus_disk_failure(const struct consensus *c);
/* Stops raft and releases everything; cb runs on the loop when done. NULL-safe. */
void consensus_stop(struct consensus *c, consensus_stop_cb cb, void *arg);

#endif
