/*
 * cli_cluster — what every clusctl command shares when it talks to a cluster: opening it (-c's
 * target or the local node), reporting a failure with the documented exit code, reading names,
 * nodes, groups and resources with their states, and whole snapshots for `clusctl events`.
 *
 * The functions that read return 0 or a Win32 status; on failure they leave the library's
 * reason (ClusapiLastErrorText()) in detail, a buffer of CLI_DETAIL_SIZE bytes.
 */
#ifndef CLUSAPI_CLI_CLUSTER_H
#define CLUSAPI_CLI_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <clusapi.h>

#include "cli/cli_args.h"
#include "cli/cli_text.h"
#include "cli/cli_watch.h"

/* The size of the detail buffers the functions below fill. */
#define CLI_DETAIL_SIZE 512

/* ------------------------------------------------------------------------------------------ */
/* Output and failures                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* Writes the whole buffer to stdout and flushes it, so a reader sees each line as it comes.
 * Returns 0 or -EIO. */
int cli_flush_out(const struct cli_buf *b);

/*
 * Reports a failed operation: "clusctl: <what>: NAME (code): text (detail)" on stderr, and with
 * --json also {"ok":false,"status":...} on stdout. detail may be NULL. Returns the exit code
 * cli_exit_for_status() gives for status.
 */
int cli_fail(const struct cli_args *a, const char *what, uint32_t status, const char *detail);

/* The calling thread's last error (fallback when it is 0, so a failure never reads as
 * success), with the library's reason copied into detail. */
uint32_t cli_last_failure(char *detail, uint32_t fallback);
/* status, the result of a library call; when it is a failure, the library's reason for it is
 * copied into detail. */
uint32_t cli_take_reason(uint32_t status, char *detail);

/* ------------------------------------------------------------------------------------------ */
/* The cluster                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* OpenCluster on -c's target, or on the local node. CLI_EXIT_OK with the handle in *ret (the
 * caller closes it with CloseCluster); otherwise the failure ("cannot open the cluster at ...")
 * is reported as cli_fail() does, and the exit code returned. */
int cli_open_cluster(const struct cli_args *a, HCLUSTER *ret);
/* The cluster's name, malloc'd UTF-8 in *ret (caller frees). 0 or a Win32 status + detail. */
uint32_t cli_cluster_name(HCLUSTER h, char **ret, char *detail);
/* The number of nodes of the cluster in *ret. 0 or a Win32 status + detail. */
uint32_t cli_count_nodes(HCLUSTER h, uint32_t *ret, char *detail);
/* Whether a read through h was answered from the last applied state of a node without quorum
 * (ClusapiGetReadStaleness): true, with that node's name in node (n bytes). */
bool cli_read_stale(HCLUSTER h, char *node, size_t n);
/* When a read through h was answered so, says on standard error that the output may be out of
 * date: "clusctl: n2 has no quorum: ...". */
void cli_warn_stale(HCLUSTER h);

/* ------------------------------------------------------------------------------------------ */
/* Nodes, groups and resources                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* One node, group or resource as read from the cluster. Strings are owned, UTF-8 but wname. */
struct cli_entry {
    WCHAR *wname;
    char *name;
    int state;      /* -1 until read, and when it could not be read */
    char *owner;    /* groups and resources; NULL when it has none */
    char *group;    /* resources */
    uint32_t error; /* why its state could not be read; 0 when it was */
    bool storage_fault; /* nodes: its state directory cannot take the cluster's log */
};

struct cli_entries {
    size_t n;
    struct cli_entry *v;
};

/* Lists the names of every object of kind k into *ret, in the cluster's order, states not yet
 * read. 0 or a Win32 status + detail; either way the caller frees *ret with
 * cli_entries_done(). */
uint32_t cli_list_entries(HCLUSTER h, enum cli_kind k, struct cli_entries *ret, char *detail);
/* Reads the state of e, an object of kind k, with its owner (groups and resources) and group
 * (resources). Sets e->error to 0, or to the Win32 status with detail filled (state -1). */
void cli_read_entry(HCLUSTER h, enum cli_kind k, struct cli_entry *e, char *detail);
/* Frees the entries; the list is empty afterwards. */
void cli_entries_done(struct cli_entries *l);

/*
 * Reads every node, group and resource with its state (and owner, and group) into *ret, sorted
 * for cli_snapshot_diff(); time_ms is left 0. An object that vanishes while it is read is left
 * out; one whose state cannot be read for another reason is kept with state -1. Returns 0, or
 * a Win32 status + detail (the cluster could not be reached, or out of memory); *ret is
 * untouched on failure. The caller frees it with cli_snapshot_done().
 */
uint32_t cli_read_snapshot(HCLUSTER h, struct cli_snapshot *ret, char *detail);

#endif
