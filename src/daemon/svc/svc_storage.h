/*
 * svc_storage — the node watches its state directory (common/state_dir_check.h, "At run time")
 * and, while it is in a storage fault, stays out of what it cannot store:
 *
 *  - it says so: a log line at the change, and a SET_NODE_STORAGE report, so that the cluster
 *    records it (StatusInformation NodeStatusAvoidPlacement, `clusctl status`);
 *  - the leader then takes its vote (handing leadership over first if it is the leader) and
 *    parks it as a raft spare, which the log is no longer replicated to (common/quorum_votes.h);
 *  - its groups go to other nodes (rgm_drain), and placement gives it none while another node
 *    may host them (rgm_always_barred);
 *  - it answers reads from what it last applied, marked stale (common/read_gate.h), and relays
 *    changes to the leader without waiting to apply them itself.
 *
 * When the directory has room and is writable again the node reports that; the leader returns
 * it to the log, it catches up, and the votes and groups follow the usual rules. Nothing
 * restarts.
 */
#ifndef CLUSSVC_SVC_STORAGE_H
#define CLUSSVC_SVC_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "common/state_dir_check.h"
#include "daemon/cdb/cdb.h"

#define SVC_STORAGE_LOOK_MS 1000    /* how often the node looks at its state directory */
#define SVC_STORAGE_REPORT_MS 5000  /* a report not yet seen applied is sent again after this */
#define SVC_STORAGE_DRAIN_MS 5000   /* groups still here are sent away again after this */

struct svc_storage {
    bool fault;                           /* the state directory is in a storage fault */
    uint32_t status;                      /* what it means, a Win32 code; 0 without one */
    char why[CDB_STORAGE_FAULT_MAX + 1];  /* its reason, as reported; "" without one */
    uint64_t next_look;                   /* svc_now_ms() of the next look */
    bool looking;                         /* a look is under way on a worker: the probe file's
                                           * create and unlink may wait on the file system's
                                           * journal, which the loop must never do */
    uv_work_t work;
    struct state_dir_sample found;        /* the worker's, while it looks */
    struct state_dir_sample sample;       /* the last look's (loop) */
    bool reporting;                       /* a SET_NODE_STORAGE is on its way */
    bool told;                            /* one landed since the start */
    uint64_t next_report;                 /* no report goes before then */
    uint64_t next_drain;                  /* no drain starts before then */
};

struct svc;

/* A consensus just started: a failed write of its log begins a fault at once. */
void svc_storage_watch(struct svc *s);
/* Periodic: looks at the state directory when it is time, reports a change until the database
 * holds it, and sends groups away while in a fault. */
void svc_storage_check(struct svc *s);
/* A node parked out of raft's log hears from no leader, and one restarted after its log stopped
 * may not know it was parked: its reports go through another member, which relays them. That
 * member's management address and port (an Up one not in a fault, as this node's database
 * shows them, or one it was configured with); false if there is none. */
bool svc_storage_relay(struct svc *s, char *addr, size_t n, uint16_t *port);
/* Is this node in a storage fault? */
bool svc_storage_fault(const struct svc *s);
/* Is it out of raft's log: in a fault, or parked since one (until it applied the fault's end),
 * so that what its database holds may be stale? */
bool svc_storage_out_of_log(struct svc *s);
/* The reply to call says this node is in a storage fault (RPC_F_STORAGE_FAULT, its reason):
 * libclusapi then takes the call to another node if one answers. */
struct rpc_call;
void svc_storage_mark(struct svc *s, struct rpc_call *call);
/* Marks call so and finishes it with what the fault means (ERROR_DISK_FULL,
 * ERROR_WRITE_PROTECT, ERROR_WRITE_FAULT) and its reason, for a caller that needs what this node
 * cannot give: a change, or a current read. */
void svc_storage_refuse(struct svc *s, struct rpc_call *call, const char *what);

#endif
