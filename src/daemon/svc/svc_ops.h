/*
 * svc_ops — the management operations clussvc serves (the protocol is common/rpc_proto.h),
 * described by one table in svc_ops.c: for each operation its handler, the thread it runs on,
 * the key it needs and what must hold before it runs. The dispatcher reads the table; the
 * handlers, in the files below, find their preconditions checked.
 *
 *   svc_setup_ops.c   node information, address and peer checks, the setup claim, configure,
 *                     start, the setup commit, the credential hand-over
 *   svc_cleanup.c     back to NotConfigured (cleanup, clear)
 *   svc_wait.c        waits for a condition
 *   svc_group_ops.c   group placement, create, delete, preferred owners
 *   svc_change_ops.c  configuration commands (setup's APPLY), cluster properties, pause/resume
 *   svc_report.c      the reports members make about themselves
 *   svc_resource_ops.c  resources: create, delete, move, dependencies, possible owners,
 *                     properties; group properties
 *   svc_resource_state_ops.c  a resource's state: online, offline, fail
 *   svc_restype_ops.c resource types: create, delete, list, information; the worker that asks a
 *                     driver about a type off the loop
 *   svc_node_ops.c    a node's common properties (NodeWeight); the quorum properties' checks
 *                     against the members
 */
#ifndef CLUSSVC_SVC_OPS_H
#define CLUSSVC_SVC_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "common/prop.h"
#include "daemon/rpc/rpc_server.h"

struct svc;
struct wire_writer;

enum svc_op_thread {
    SVC_ON_LOOP,       /* touches the service's state */
    SVC_ON_CONNECTION, /* blocks (probes, peer checks) or keeps its own lock (admin keys) */
};

enum svc_op_key {
    SVC_KEY_ADMIN,  /* the admin key only */
    /* The admin key or the cluster credential: reads, and what runs on the leader, which a
     * follower relays there whole with the cluster credential (the relay vouches for its
     * client; what the request may change is checked on the leader either way). */
    SVC_KEY_ANY,
    SVC_KEY_MEMBER, /* the cluster credential only: what members say about themselves */
};

#define SVC_OP_SESSION 1u /* the request carries the setup session that holds this node */
#define SVC_OP_RUNNING 2u /* the node runs a cluster (consensus and database, not wiping) */
#define SVC_OP_LEADER 4u  /* runs on the leader; relayed there when this node does not lead */

struct svc_op {
    const char *name;
    void (*handler)(struct svc *s, struct rpc_call *call);
    enum svc_op_thread thread;
    enum svc_op_key key;
    unsigned flags;
};

/* The table's entry for op; NULL for an operation clussvc does not serve. */
const struct svc_op *svc_op_find(uint32_t op);

/* Commits the command built in w (consumed) through the leader and finishes call with its
 * status; on success the reply carries the database version it reached (RPC_F_DB_VERSION). */
void svc_op_commit(struct svc *s, struct rpc_call *call, struct wire_writer *w);
/* The same for an encoded command (borrowed). */
void svc_op_commit_bytes(struct svc *s, struct rpc_call *call, const void *cmd, size_t len);

/* svc_setup_ops.c */
void svc_op_node_info(struct svc *s, struct rpc_call *call);
void svc_op_check_ip(struct svc *s, struct rpc_call *call);
void svc_op_check_peer(struct svc *s, struct rpc_call *call);
void svc_op_setup_begin(struct svc *s, struct rpc_call *call);
void svc_op_setup_keepalive(struct svc *s, struct rpc_call *call);
void svc_op_set_credential(struct svc *s, struct rpc_call *call);
void svc_op_configure(struct svc *s, struct rpc_call *call);
void svc_op_start(struct svc *s, struct rpc_call *call);
void svc_op_commit_setup(struct svc *s, struct rpc_call *call);
void svc_op_get_credential(struct svc *s, struct rpc_call *call);

/* svc_cleanup.c */
void svc_op_cleanup(struct svc *s, struct rpc_call *call);
void svc_op_clear(struct svc *s, struct rpc_call *call);

/* svc_wait.c */
void svc_op_wait(struct svc *s, struct rpc_call *call);

/* svc_group_ops.c (on the leader) */
void svc_op_group_online(struct svc *s, struct rpc_call *call);
void svc_op_group_move(struct svc *s, struct rpc_call *call);
void svc_op_group_offline(struct svc *s, struct rpc_call *call);
void svc_op_group_delete(struct svc *s, struct rpc_call *call);
void svc_op_group_create(struct svc *s, struct rpc_call *call);
void svc_op_group_set_owners(struct svc *s, struct rpc_call *call);

/* svc_change_ops.c (on the leader) */
void svc_op_apply(struct svc *s, struct rpc_call *call);
void svc_op_set_property(struct svc *s, struct rpc_call *call);
void svc_op_node_pause(struct svc *s, struct rpc_call *call);
void svc_op_node_resume(struct svc *s, struct rpc_call *call);

/* svc_report.c (on the leader) */
void svc_op_member_report(struct svc *s, struct rpc_call *call);

/* The PROP fields of a request (NAME, SYNTAX, VALUE*: a MULTI_SZ's strings joined by '\n', no
 * VALUE: value NULL), in order; svc_props_done() frees them. */
struct svc_props {
    struct prop *items;
    size_t n;
};
/* 0, or a Win32 code with the reason in why (malformed, a name over 255 bytes, a repeat). */
uint32_t svc_req_props(const struct rpc_call *call, struct svc_props *ret, char *why, size_t n);
void svc_props_done(struct svc_props *p);

/* svc_resource_ops.c (on the leader) */
void svc_op_resource_create(struct svc *s, struct rpc_call *call);
void svc_op_resource_delete(struct svc *s, struct rpc_call *call);
void svc_op_resource_move(struct svc *s, struct rpc_call *call);
void svc_op_resource_depend(struct svc *s, struct rpc_call *call);
void svc_op_resource_undepend(struct svc *s, struct rpc_call *call);
void svc_op_resource_set_depexpr(struct svc *s, struct rpc_call *call);
void svc_op_resource_add_owner(struct svc *s, struct rpc_call *call);
void svc_op_resource_remove_owner(struct svc *s, struct rpc_call *call);
void svc_op_resource_set_props(struct svc *s, struct rpc_call *call);
void svc_op_group_set_props(struct svc *s, struct rpc_call *call);

/*
 * Asking a driver about a type (rm_type_info) may run an agent's meta-data, so it never runs on
 * the loop: a job is queued to libuv's worker pool and done() is called back on the loop with
 * info (NULL if rv < 0) and whether the OCF agent named driver is installed here. done() owns
 * the job's outcome and must finish the call; the job itself is freed after done() returns.
 */
struct svc_type_job {
    uv_work_t work;
    struct svc *s;
    struct rpc_call *call;
    char driver[256];
    bool check_agent;       /* also look for driver among the installed OCF agents */
    bool agent_installed;
    struct rm_type_info *info; /* freed after done() unless done() took it (set to NULL) */
    bool has_params;        /* the driver declares its parameters (type_info) */
    int rv;
    void (*done)(struct svc_type_job *job);
    void *arg;              /* the operation's own state, freed by done() */
};
/* Queues job (malloc'd by the caller, owned by the queue from here). */
void svc_type_job_start(struct svc_type_job *job);

/* svc_resource_state_ops.c (on the leader) */
void svc_op_resource_online(struct svc *s, struct rpc_call *call);
void svc_op_resource_offline(struct svc *s, struct rpc_call *call);
void svc_op_resource_fail(struct svc *s, struct rpc_call *call);

/* svc_node_ops.c */
void svc_op_node_set_props(struct svc *s, struct rpc_call *call); /* on the leader */
/*
 * What a cluster property's value must satisfy beyond its bounds (cluster_prop_check), against
 * the leader's members: LowerQuorumPriorityNodeId names a node that is not the witness (or is 0).
 * 0, or ERROR_INVALID_PARAMETER with the reason in why (n bytes).
 */
uint32_t svc_check_cluster_prop(struct svc *s, const char *name, const char *value, char *why,
                                size_t n);
/* WitnessDynamicWeight: whether the cluster's witness votes now (false without a witness).
 * 0 or the database's negative errno. */
int svc_witness_votes(struct svc *s, bool *ret);

/* svc_restype_ops.c */
void svc_op_restype_create(struct svc *s, struct rpc_call *call);
void svc_op_restype_delete(struct svc *s, struct rpc_call *call);
void svc_op_restype_list(struct svc *s, struct rpc_call *call);
void svc_op_restype_info(struct svc *s, struct rpc_call *call);

#endif
