/*
 * svc_submit — committing cluster-database commands from any node (svc_submit.c): through raft
 * here when this node leads; otherwise a node's reports about itself (RPC_OP_MEMBER_REPORT) and
 * configuration (RPC_OP_APPLY) go to the leader over a channel authenticated with the cluster
 * credential, on a worker thread. What only the leader decides is never sent: a node that has
 * lost the lead is told so.
 */
#ifndef CLUSSVC_SVC_SUBMIT_H
#define CLUSSVC_SVC_SUBMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "channel/channel.h"

struct svc;
struct rpc_call;
struct submit; /* a command or a relayed request on its way through the leader */

#define SVC_FORWARD_POOL_SIZE 4

/* An idle channel to a leader, kept for the next forward. */
struct svc_pooled_channel {
    struct channel *ch;
    char host[64];
    uint16_t port;
    struct channel_key key;
};

struct svc_submit_state {
    struct submit *deferred; /* forwarded commits waiting for this node to apply them (loop) */
    /* Any worker thread takes and returns channels: under pool_mu. */
    pthread_mutex_t pool_mu;
    struct svc_pooled_channel pool[SVC_FORWARD_POOL_SIZE];
};

/* Sets up the state (once, before the loop runs). */
void svc_submit_init(struct svc_submit_state *st);

/* Called on the loop with the outcome: rv < 0 when the command could not be submitted or the
 * leader not reached, else status, the command's Win32 status (errmsg its reason). */
typedef void (*svc_submit_cb)(struct svc *s, void *arg, int rv, uint32_t status,
                              const char *errmsg);
/* Commits cmd (borrowed) through the leader; cb on the loop. On a node that does not lead, a
 * command that is neither this node's report about itself nor configuration is refused with
 * RPC_STATUS_NOT_LEADER without being sent. */
void svc_submit(struct svc *s, const void *cmd, size_t len, svc_submit_cb cb, void *arg);
/* svc_submit for a report about this node that must reach the leader although this node knows
 * none: raft's spares hear from no leader (svc_storage.h). It then goes through another member,
 * which relays it. */
void svc_submit_report(struct svc *s, const void *cmd, size_t len, svc_submit_cb cb, void *arg);
/* Runs the callbacks of forwarded commits this node has now applied itself. */
void svc_submit_check_deferred(struct svc *s);
/* A submit callback for commands whose outcome nobody waits for (failures are logged). */
void svc_submit_ignore(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg);
/* Closes the channels kept for forwarding (the cluster credential is going away). */
void svc_forward_reset(struct svc *s);
/* Relays a whole request to the leader and its reply back to the caller; a committed change is
 * answered once this node has applied it too. */
void svc_forward_call(struct svc *s, struct rpc_call *call);
/* Asks the leader to move group to node_id (RPC_OP_GROUP_MOVE), for a stopping node handing its
 * groups over; cb gets the leader's status (ERROR_IO_PENDING: the move is being committed).
 * 0, or negative errno and cb is not called. */
int svc_ask_leader_move(struct svc *s, const char *group, uint64_t node_id, svc_submit_cb cb,
                        void *arg);
/* The management address and port of the current leader; false if none is known. */
bool svc_leader_endpoint(struct svc *s, char *addr, size_t n, uint16_t *port);

#endif
