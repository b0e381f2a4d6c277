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
 */
#ifndef CLUSSVC_SVC_OPS_H
#define CLUSSVC_SVC_OPS_H

#include <stdint.h>

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

#endif
