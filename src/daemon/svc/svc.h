/*
 * svc — the node service: its lifecycle (svc.c), and the parts that take the whole service: the
 * RPC operations (svc_ops.c; svc_ops.h lists their files), submitting commands to the leader
 * (svc_submit.c), membership (svc_member.c), the read gate (svc_sync.c), orphan clean-up
 * (svc_orphan.c) and shutdown (svc_shutdown.c). The group manager (rgm/) and health (health/)
 * are subsystems of their own: they see the service only through its host (base/host.h).
 *
 * Everything in struct svc is owned by the loop thread. Connection threads reach it only through
 * rpc_call_to_loop().
 */
#ifndef CLUSSVC_SVC_H
#define CLUSSVC_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include <pthread.h>

#include "channel/channel.h"
#include "daemon/base/host.h"
#include "daemon/base/node_conf.h"
#include "daemon/cdb/cdb.h"
#include "daemon/consensus/consensus.h"
#include "daemon/health/health.h"
#include "daemon/keys/keys.h"
#include "daemon/net/name_responder.h"
#include "daemon/rgm/rgm.h"
#include "daemon/rpc/rpc_server.h"
#include "daemon/svc/svc_claim.h"
#include "daemon/svc/svc_cleanup.h"
#include "daemon/svc/svc_orphan.h"
#include "daemon/svc/svc_shutdown.h"
#include "daemon/svc/svc_storage.h"
#include "daemon/svc/svc_submit.h"
#include "daemon/svc/svc_sync.h"
#include "daemon/svc/svc_wait.h"

#define SVC_VERSION_MAJOR 10 /* the cluster functional level we report (Windows Server 2016+) */
#define SVC_VERSION_MINOR 0
#define SVC_VERSION_BUILD 1
#define SVC_PENDING_GRACE_MS 30000 /* an uncommitted setup found at start-up gets this long */

struct svc_options {
    const char *state_dir;
    const char *name;
    const char *listen;     /* NULL: all addresses */
    uint16_t port;
    uint16_t raft_port;
    const char *authkey;
    struct consensus_timing timing;
    size_t max_nodes;       /* members this node's cluster may have (the leader's counts) */
    bool witness;           /* --witness: votes, hosts nothing, no resource host */
};

/* What svc_witness.c keeps between passes. */
struct svc_witness {
    bool handing_over;          /* a leadership transfer is running */
    uint64_t target;            /* the node it goes to */
    uint64_t last_refused;      /* the last target that did not take it */
    uint64_t next_try;          /* svc_now_ms() before which no transfer starts */
    uint64_t published_version; /* the database version the Node Witness driver saw */
    bool mismatch_told;         /* logged that --witness disagrees with the node's row */
};

struct svc {
    uv_loop_t *loop;
    struct svc_options opts;
    struct keys keys;         /* the admin keys accepted, the cluster credentials */
    struct node_conf conf;
    bool configured;
    struct consensus *consensus;
    struct cdb *db;
    struct host host;         /* what rgm and health see of this service (svc_host_update) */
    struct rgm rgm;
    struct health health;
    struct rpc_server *rpc;
    struct name_responder *names; /* answers LLMNR for Network Names online here */
    struct svc_claim claim;   /* the setup that has claimed this node, if any */
    bool wiping;
    struct svc_cleanup cleanup; /* callers waiting for the wipe to end */
    uv_timer_t tick;          /* the periodic pass */
    uv_timer_t kick;          /* a pass on the next loop turn (svc_kick) */
    uv_timer_t wake;          /* a pass at a given time (svc_kick_at) */
    uint64_t wake_at;         /* when wake fires, while it is armed */
    struct svc_waits waits;
    struct svc_submit_state submit; /* forwarding to the leader */
    struct svc_sync sync;
    bool member_busy;       /* a raft membership change is running */
    bool votes_recording;   /* svc_votes is recording a role raft gave (SET_NODE_ROLE) */
    uint64_t votes_renew_at; /* svc_votes renewed this node's lease for a change then; 0: not */
    struct svc_orphan orphan;
    struct svc_shutdown shutdown;
    uv_poll_t rhs_poll;       /* the resource host says it dropped our addresses */
    struct svc_witness witness;
    struct svc_storage storage; /* the watch on the state directory */
    int exit_status;          /* what the process exits with once the loop ends */
};

#define SVC_EXIT_RESTART 75 /* EX_TEMPFAIL: stopped to be started again (svc_storage.c) */

uint64_t svc_now_ms(void);

/* Lifecycle (svc.c). */
int svc_init(struct svc *s, uv_loop_t *loop, const struct svc_options *opts);
int svc_start_consensus(struct svc *s, char *errmsg);
/* Stops consensus, takes local resources offline, deletes the cluster's files; then calls cb. */
void svc_wipe(struct svc *s, const char *why, void (*cb)(struct svc *s, int rv, void *arg),
              void *arg);
/* Asks for a pass (commit marker, waits, resources) on the next loop turn. */
void svc_kick(struct svc *s);
/* A pass at monotonic millisecond at, or on the next loop turn if it has passed; the earliest of
 * several asked for wins. */
void svc_kick_at(struct svc *s, uint64_t at);
/* Brings the host (what rgm and health see) in line with the service's state; called wherever
 * the database, consensus, the configuration or stopping/wiping change. */
void svc_host_update(struct svc *s);
/* The NODE_CLUSTER_STATE value this node reports. */
uint32_t svc_node_cluster_state(const struct svc *s);

/* Key operations (svc_keys.c); the keys themselves are keys/keys.h's. */
/* Makes a stored credential ring the node's own: forwarding and raft follow it. */
void svc_keys_install(struct svc *s, const struct cred_ring *next);
/* Stores key as the node's only credential (setup phase 109). 0 or negative errno. */
int svc_keys_set(struct svc *s, const char *cluster_id, const struct channel_key *key);
/* RPC_OP_ADMIN_KEY_ADD / RPC_OP_ADMIN_KEY_REMOVE, on the connection thread. */
void svc_admin_op_add(struct svc *s, struct rpc_call *call);
void svc_admin_op_remove(struct svc *s, struct rpc_call *call);
/* RPC_OP_ROTATE_CREDENTIAL: one rotation step on this node. */
void svc_op_rotate_credential(struct svc *s, struct rpc_call *call);

/* RPC (svc_ops.c; the operations are listed in svc_ops.h). */
/* A string field of a request copied into buf; false if missing, invalid or too long. */
bool svc_req_str(const struct rpc_call *call, uint16_t tag, char *buf, size_t n);
/* The management server's callbacks: on the connection thread, then on the loop. */
void svc_rpc_dispatch(void *arg, struct rpc_call *call);
void svc_rpc_on_loop(void *arg, struct rpc_call *call);

/* Reads of the cluster database (svc_query.c). */
void svc_op_query(struct svc *s, struct rpc_call *call);

/* Membership (svc_member.c), leader side; relayed to the leader from followers. */
void svc_op_member_add(struct svc *s, struct rpc_call *call);
void svc_op_member_promote(struct svc *s, struct rpc_call *call);
void svc_op_member_remove(struct svc *s, struct rpc_call *call);

/* The witness (svc_witness.c). */
/* The group manager's gate on a witness: never. */
bool svc_witness_may_start(void *arg);
/* Witness mode, periodic: a witness that leads hands leadership to a real voter that is Up. */
void svc_witness_tick(struct svc *s);
/* Any node, after applies: tells the Node Witness driver the witness members and their state
 * (when the database changed since it last did). */
void svc_witness_publish(struct svc *s);


#endif
