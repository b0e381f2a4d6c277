/*
 * setup — what the setup calls (CreateCluster, and later AddClusterNode and DestroyCluster)
 * share: the progress reporter that keeps REFERENCE's phase contract, the per-node sessions
 * (claim, keepalive, cleanup), and parallel calls to the nodes.
 *
 * The callback always runs on the caller's thread, never while a lock is held; node calls may
 * run in parallel on helper threads, and their results are reported afterwards, in node order.
 */
#ifndef CLUSAPI_SETUP_H
#define CLUSAPI_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/progress.h"
#include "lib/lib.h"

#define SETUP_LEASE_MS 10000     /* a node forgets an abandoned setup this long after */
#define SETUP_KEEPALIVE_MS 2000

/* ------------------------------------------------------------------------------------------ */
/* Reporting                                                                                   */
/* ------------------------------------------------------------------------------------------ */

struct reporter {
    PCLUSTER_SETUP_PROGRESS_CALLBACK cb;
    PVOID arg;
    struct progress progress;
    bool cancel_requested;   /* the callback returned FALSE */
    bool cancel_ignored;     /* FailureCleanup and DestroyCluster run to the end */
    bool phase_open;
    CLUSTER_SETUP_PHASE phase;
    char object[256];        /* the object of the open phase's last report */
};

void reporter_init(struct reporter *r, PCLUSTER_SETUP_PROGRESS_CALLBACK cb, PVOID arg,
                   uint32_t total_steps);
/* Counts a completed step (a node done in a per-node phase). */
void reporter_step(struct reporter *r);
/* Start of a phase. false if the caller asked to cancel: the phase has then been ended with
 * Fatal + ERROR_CANCELLED and the setup must roll back. */
bool phase_start(struct reporter *r, CLUSTER_SETUP_PHASE phase, const char *object);
/* A further object within the open phase; same cancel rule. */
bool phase_continue(struct reporter *r, const char *object,
                    CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD status);
/* A free-form report inside the open phase (the message travels as the object name). */
void phase_report(struct reporter *r, CLUSTER_SETUP_PHASE_SEVERITY severity, const char *message,
                  DWORD status);
/* Ends the open phase. A successful End counts a step when the phase is one that counts.
 * Returns false if a cancel is pending (asked now or earlier). */
bool phase_end(struct reporter *r, CLUSTER_SETUP_PHASE_SEVERITY severity, DWORD status);
/* Ends the open phase as failed with status; the error text is set for the caller. */
void phase_fail(struct reporter *r, DWORD status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The last End of a successful call, at 100 percent. */
void phase_end_final(struct reporter *r);

/* ------------------------------------------------------------------------------------------ */
/* Nodes                                                                                       */
/* ------------------------------------------------------------------------------------------ */

struct setup_node {
    char name[256];          /* as the caller gave it */
    char address[64];        /* numeric, as resolved here */
    uint16_t port;           /* its management port; 0: lib_port() (setup_node_port) */
    struct rpc_conn conn;
    uint64_t id;             /* node id in the cluster */
    uint32_t raft_port;
    bool usable;             /* passed validation and still in the setup */
    bool claimed;            /* holds our setup session: must be cleaned on failure */
    /* the last call's outcome */
    uint32_t status;
    char errmsg[LIB_ERRMSG_SIZE];
    /* what NODE_INFO said */
    uint32_t cluster_state;
    uint32_t version_major;
    int64_t clock_skew_ms;
    uint32_t state_dir_errno;  /* why its state directory cannot be written; 0: it can */
    uint64_t state_dir_free;   /* bytes free there, or STATE_DIR_FREE_UNKNOWN */
    bool witness;            /* it runs clussvc --witness */
    char cluster_name[256];
};

struct setup_nodes {
    struct setup_node *v;
    size_t n;
    uint64_t session;
    /* keepalive thread */
    pthread_t keepalive;
    bool keepalive_running;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stop;
};

/* Work on one node, run on a helper thread; sets node->status and node->errmsg. */
typedef void (*node_fn)(struct setup_node *node, void *arg);

uint32_t setup_nodes_init(struct setup_nodes *ns, char *const *names, size_t n);
void setup_nodes_done(struct setup_nodes *ns);
/* Runs fn on every usable node at once and waits for all. */
void setup_nodes_parallel(struct setup_nodes *ns, node_fn fn, void *arg);
/* Resolves and asks every node about itself (usable ones only). */
void setup_node_info(struct setup_node *node, void *arg);
/* Claims every usable node for this session (SETUP_BEGIN). */
void setup_node_claim(struct setup_node *node, void *arg);
/* Keeps the claims alive from a thread of their own until stopped. */
void setup_keepalive_start(struct setup_nodes *ns);
void setup_keepalive_stop(struct setup_nodes *ns);
/* One request to a node; the status and reason land in node->status / node->errmsg, and the
 * reply in *ret when ret is not NULL (else it is freed). */
uint32_t setup_node_call(struct setup_node *node, struct wire_writer *req, int timeout_ms,
                         struct rpc_reply *ret);
/* Waits on the node for a condition (RPC_WAIT_*). Win32 status, also in node->status. */
uint32_t setup_wait(struct setup_node *node, uint32_t kind, const char *name, int32_t state,
                    uint32_t timeout_ms);
/* A node counts toward the majority rule. */
size_t setup_nodes_usable(const struct setup_nodes *ns);
/* The management port a node is reached on: its own, else lib_port(). */
uint16_t setup_node_port(const struct setup_node *node);

/* ------------------------------------------------------------------------------------------ */
/* Rollback                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* FailureCleanup (999): undo (if not NULL) runs first inside the phase and reports its own
 * Continues; then every claimed node is returned to NotConfigured, each reported. */
typedef DWORD (*setup_undo_fn)(struct reporter *r, void *arg);
void setup_failure_cleanup(struct reporter *r, struct setup_nodes *ns, const char *object,
                           setup_undo_fn undo, void *undo_arg);

/* ------------------------------------------------------------------------------------------ */
/* AddClusterNode                                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * AddClusterNode's phases for the node name (checked by the caller) on management port port (0:
 * lib_port()), progress to cb (NULL: none). With witness the node joins as the cluster's witness
 * and must run clussvc --witness (ERROR_NOT_QUORUM_CAPABLE otherwise); without, a node that
 * runs so is refused (ERROR_NODE_CANNOT_BE_CLUSTERED). On failure the node is evicted and wiped
 * again. Win32 status, the last error set on failure.
 */
DWORD setup_add_node(struct cluster_handle *c, const char *name, uint16_t port, bool witness,
                     PCLUSTER_SETUP_PROGRESS_CALLBACK cb, PVOID cb_arg);

#endif
