/*
 * svc — the node service's state and the pieces that share it: the RPC operations (svc_ops.h
 * lists their files), submitting commands to the leader (svc_submit.c) and the group manager
 * and local resource control (rgm.c).
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
#include "daemon/keys/admin_keys.h"
#include "daemon/cdb/cdb.h"
#include "daemon/consensus/consensus.h"
#include "daemon/keys/cred_ring.h"
#include "daemon/health/hb.h"
#include "daemon/net/name_responder.h"
#include "daemon/base/node_conf.h"
#include "daemon/rpc/rpc_server.h"
#include "daemon/svc/svc_claim.h"
#include "daemon/svc/svc_cleanup.h"
#include "daemon/svc/svc_submit.h"
#include "daemon/svc/svc_wait.h"

#define SVC_VERSION_MAJOR 10 /* the cluster functional level we report (Windows Server 2016+) */
#define SVC_VERSION_MINOR 0
#define SVC_VERSION_BUILD 1
#define SVC_PENDING_GRACE_MS 30000 /* an uncommitted setup found at start-up gets this long */
/* Heartbeat defaults: 250 ms (Windows' minimum) × 3 missed = Down after 750 ms, about a second
 * of detection; the quorum lease is two intervals (500 ms), so a node that lost its majority
 * has dropped its resources before the others may take them over (docs/failover.md). */
#define SVC_DEFAULT_HB_DELAY_MS 250
#define SVC_DEFAULT_HB_THRESHOLD 3

struct svc_options {
    const char *state_dir;
    const char *name;
    const char *listen;     /* NULL: all addresses */
    uint16_t port;
    uint16_t raft_port;
    const char *authkey;
    struct consensus_timing timing;
    size_t max_nodes;       /* members this node's cluster may have (the leader's counts) */
};

#define SVC_MAX_FAILOVER_GROUPS 32
struct svc_failover { /* failovers of one group in the current FailoverPeriod (leader) */
    char group[256];
    uint64_t since;
    unsigned count;
};
struct rgm_local; /* resources this node has brought online */

struct svc {
    uv_loop_t *loop;
    struct svc_options opts;
    struct admin_keys admin;  /* the admin keys accepted; under admin_mu (keys/keys_admin.c) */
    pthread_mutex_t admin_mu;
    struct cred_ring keys;    /* the cluster credentials (keys/keys_cluster.c) */
    struct node_conf conf;
    bool configured;
    struct consensus *consensus;
    struct cdb *db;
    struct rpc_server *rpc;
    struct hb *hb;            /* heartbeats, while consensus runs */
    struct name_responder *names; /* answers LLMNR for Network Names online here */
    bool health_busy;         /* the leader has a node-state or takeover change in flight */
    uint64_t lease_sent;      /* the lease end last told to the resource host */
    struct svc_failover failovers[SVC_MAX_FAILOVER_GROUPS];
    bool lease_held;          /* the lease as of the last check */
    bool lease_confirmed;     /* this node applied its CONFIRM_NODE since it last had no lease */
    bool lease_confirming;
    uint64_t lease_lapses;    /* times the lease was lost: a confirmation counts for one lease */
    struct svc_claim claim;   /* the setup that has claimed this node, if any */
    bool wiping;
    struct svc_cleanup cleanup; /* callers waiting for the wipe to end */
    uv_timer_t tick;
    uv_timer_t reconcile;
    struct svc_waits waits;
    struct svc_submit_state submit; /* forwarding to the leader */
    struct rgm_local *local;
    void (*terminate_cb)(struct svc *s, void *arg); /* a terminate waiting for busy drivers */
    void *terminate_arg;
    bool reported_up;
    /* Reads are answered once this node holds all its cluster committed: after a start, and
     * again after it lost its leader; a SYNC command through the leader proves it. */
    bool synced;
    bool sync_in_flight;
    bool props_known;       /* synced once since the start: the cluster properties are current */
    uint64_t leader_version_seen; /* newest database version a leader's reply named */
    bool member_busy;       /* a raft membership change is running */
    bool orphan_checking;   /* peers are being asked whether this node still belongs */
    uint64_t leaderless_since;
    uint64_t orphan_next_check;
    bool stopping;
    bool draining;            /* stopping: handing its groups over first */
    uint64_t drain_deadline;
    size_t drain_pending;     /* handovers not yet committed */
    bool drain_failed;        /* one could not be: stop without waiting */
    uv_signal_t sigterm, sigint;
    uv_poll_t rhs_poll;       /* the resource host says it dropped our addresses */
};

uint64_t svc_now_ms(void);

/* Lifecycle (svc.c). */
int svc_init(struct svc *s, uv_loop_t *loop, const struct svc_options *opts);
int svc_start_consensus(struct svc *s, char *errmsg);
/* Stops consensus, takes local resources offline, deletes the cluster's files; then calls cb. */
void svc_wipe(struct svc *s, const char *why, void (*cb)(struct svc *s, int rv, void *arg),
              void *arg);
/* Asks for a reconcile pass (commit marker, waits, resources) on the next loop turn. */
void svc_kick(struct svc *s);
/* Stops the service: its groups are handed over to other nodes first (at most a few seconds),
 * then what still runs here is terminated. A second call skips the handover. */
void svc_shutdown(struct svc *s);
/* The NODE_CLUSTER_STATE value this node reports. */
uint32_t svc_node_cluster_state(const struct svc *s);

/* Admin keys (keys/keys_admin.c). Loads the accepted set: the state directory's admin.keys, else the
 * --authkey file. 0 or negative errno (logged). */
int svc_admin_init(struct svc *s);
/* The admin key a client's PSK identity names: 0 or -ENOENT. Any thread. */
int svc_admin_lookup(struct svc *s, const char *identity, struct channel_key *ret);
/* The newest accepted admin key, which this node uses towards its peers. Any thread. */
void svc_admin_current(struct svc *s, struct channel_key *ret);
/* RPC_OP_ADMIN_KEY_ADD / RPC_OP_ADMIN_KEY_REMOVE, on the connection thread. */
void svc_admin_op_add(struct svc *s, struct rpc_call *call);
void svc_admin_op_remove(struct svc *s, struct rpc_call *call);

/* Cluster credentials (keys/keys_cluster.c). */
/* The management server's PSK lookup (connection threads): the admin key or a held credential. */
int svc_key_lookup(void *arg, const char *identity, struct channel_key *ret);
bool svc_keys_held(const struct svc *s);
/* The credential this node proves; NULL if it holds none. */
const struct channel_key *svc_keys_send(const struct svc *s);
/* Stores key as the node's only credential (setup phase 109). 0 or negative errno. */
int svc_keys_set(struct svc *s, const char *cluster_id, const struct channel_key *key);
/* Loads the stored credentials (s->conf must be loaded); none if there are none. */
void svc_keys_load(struct svc *s);
void svc_keys_clear(struct svc *s);
/* RPC_OP_ROTATE_CREDENTIAL: one rotation step on this node. */
void svc_op_rotate_credential(struct svc *s, struct rpc_call *call);

/* Wipes a node whose cluster evicted it or no longer exists (svc_orphan.c); called each tick. */
void svc_orphan_tick(struct svc *s);
/* Clear-ClusterNode: wipes the node if its cluster let it go (or at once with force);
 * finishes call with 0, or 5065 if the node still belongs to a running cluster. */
void svc_orphan_clear(struct svc *s, struct rpc_call *call, bool force);

/* Heartbeats, leases and takeover (svc_health.c). */
int svc_health_start(struct svc *s);
void svc_health_stop(struct svc *s);
/* Brings the heartbeat members and settings in line with the database. */
void svc_health_sync(struct svc *s);
/* Does this node hold its quorum lease now (may it keep resources online)? */
bool svc_holds_lease(struct svc *s);
/* May it bring resources online: it holds the lease, and after a lapse the leader has recorded
 * it Up again (so no move of its groups can be pending). */
bool svc_may_start_resources(struct svc *s);

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
void svc_member_promoted(void *arg, int rv);

/* Groups and resources (rgm.c). */
void rgm_reconcile(struct svc *s);
/* Places a group and asks its owner to bring it online (leader only). Win32 status. */
uint32_t rgm_group_online(struct svc *s, const char *group, uint64_t node_id, char *errmsg,
                          size_t n);
/*
 * MoveClusterGroup, on the leader: the group goes to *node_id (0: the best other node, then
 * set to it) in one commit; resources that were active are handed over (the new owner starts
 * each once the old one has let go of it). *state is the group state to wait for with that
 * owner: Online, or Offline for a group that was offline (only its owner changes). 0 when it
 * is already there, ERROR_IO_PENDING when committing, else an error.
 */
uint32_t rgm_group_move(struct svc *s, const char *group, uint64_t *node_id, int32_t *state,
                        char *errmsg, size_t n);
/* Moves a group whose owner is gone or fenced to another node (leader only); with gone (the
 * fenced owner as the caller saw it), the move is refused should that node have come back with
 * a new lease meanwhile. 997 when the move was submitted (s->health_busy is cleared when it is
 * committed). */
uint32_t rgm_fail_over(struct svc *s, const char *group, uint64_t old_owner,
                       const struct cdb_node *gone, char *errmsg, size_t n);
/* Asks the owner to take a group offline (leader only); force records it offline at once when
 * the owner is gone. Win32 status (997 while it happens). */
uint32_t rgm_group_offline(struct svc *s, const char *group, bool force, char *errmsg, size_t n);
/* Deletes an offline group (leader only), with its resources only if with_resources (else a
 * group with resources is refused: ERROR_DIR_NOT_EMPTY); finishes call when committed and
 * returns 997, or returns the failure. */
uint32_t rgm_group_delete(struct svc *s, const char *group, bool with_resources,
                          struct rpc_call *call, char *errmsg, size_t n);
/* Runs the due health checks (looks-alive) of resources online here; called each tick. */
void rgm_monitor(struct svc *s);
/* The resource host removed every held address (the lease ran out): the local records no longer
 * hold anything; resources come online again once the lease is back. */
void rgm_lost_all(struct svc *s);
/* Shutdown: hands every group this node owns over to the best other node; returns how many. */
size_t rgm_drain(struct svc *s);
/* True once nothing runs here and nothing is being started, stopped or reported. */
bool rgm_holds_nothing(const struct svc *s);
/* Takes every local resource offline at once (wipe, shutdown); cb when done. */
void rgm_terminate_all(struct svc *s, void (*cb)(struct svc *s, void *arg), void *arg);

#endif
