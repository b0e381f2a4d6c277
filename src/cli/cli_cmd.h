/*
 * cli_cmd — clusctl's commands and the output helpers they share. Each command returns the
 * process exit code (enum cli_exit).
 */
#ifndef CLUSAPI_CLI_CMD_H
#define CLUSAPI_CLI_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include <clusapi.h>

#include "cli/cli_args.h"
#include "cli/cli_text.h"
#include "cli/cli_watch.h"

/* `clusctl create`: CreateCluster with a progress display (cli_create.c). */
int cli_cmd_create(const struct cli_args *a);
/* `clusctl status` and the `node|group|resource list` tables (cli_status.c). */
int cli_cmd_status(const struct cli_args *a);
/* `clusctl add-node`: AddClusterNode with a progress display (cli_membership.c). */
int cli_cmd_add_node(const struct cli_args *a);
/* `clusctl evict`: EvictClusterNodeEx (cli_membership.c). */
int cli_cmd_evict(const struct cli_args *a);
/* `clusctl destroy`: DestroyCluster with a progress display, after asking on the terminal when
 * ask is true (cli_membership.c). */
int cli_cmd_destroy(const struct cli_args *a, bool ask);
/* `clusctl node clear`: ClusapiClearNode (cli_membership.c). */
int cli_cmd_node_clear(const struct cli_args *a);
/* `clusctl group online|offline|move` (cli_group.c). */
int cli_cmd_group(const struct cli_args *a);
/* `clusctl property list|get|set`: the cluster's common properties (cli_prop.c). */
int cli_cmd_property(const struct cli_args *a);
/* `clusctl node pause|resume`: PauseClusterNode / ResumeClusterNode (cli_node.c). */
int cli_cmd_node(const struct cli_args *a);
/* `clusctl events`: polls the cluster and prints each change (cli_events.c). */
int cli_cmd_events(const struct cli_args *a);
/* `clusctl rekey --cluster-credential`: ClusapiRotateClusterCredential (cli_cluster_credential.c). */
int cli_cmd_rekey_cluster_credential(const struct cli_args *a);

/* `clusctl rekey --new-key FILE | --retire-old`: admin key rotation (cli_rekey.c). */
int cli_cmd_rekey(const struct cli_args *a);

/* The size of the detail buffers the helpers below fill with ClusapiLastErrorText(). */
#define CLI_DETAIL_SIZE 512

/* OpenCluster on -c's target, or on the local node. Returns 0 with the handle in *ret, or the
 * Win32 status with the library's reason in detail (CLI_DETAIL_SIZE bytes) (cli_status.c). */
uint32_t cli_open_cluster(const struct cli_args *a, HCLUSTER *ret, char *detail);
/* Reports a failed cli_open_cluster() as cli_fail() does; returns the exit code. */
int cli_fail_open(const struct cli_args *a, uint32_t status, const char *detail);
/* The cluster's name, malloc'd UTF-8 in *ret (caller frees). 0 or a Win32 status + detail. */
uint32_t cli_cluster_name(HCLUSTER h, char **ret, char *detail);
/* The number of nodes of the cluster in *ret. 0 or a Win32 status + detail. */
uint32_t cli_count_nodes(HCLUSTER h, uint32_t *ret, char *detail);
/*
 * Reads every node, group and resource with its state (and owner, and group) into *ret, sorted
 * for cli_snapshot_diff(); time_ms is left 0. An object that vanishes while it is read is left
 * out; one whose state cannot be read for another reason is kept with state -1. Returns 0, or
 * a Win32 status + detail (the cluster could not be reached, or out of memory); *ret is
 * untouched on failure. The caller frees it with cli_snapshot_done() (cli_status.c).
 */
uint32_t cli_read_snapshot(HCLUSTER h, struct cli_snapshot *ret, char *detail);

/*
 * Reports a failed operation: "clusctl: <what>: NAME (code): text (detail)" on stderr, and with
 * --json also {"ok":false,"status":...} on stdout. detail may be NULL. Returns the exit code
 * cli_exit_for_status() gives for status (clusctl.c).
 */
int cli_fail(const struct cli_args *a, const char *what, uint32_t status, const char *detail);

/* Writes the whole buffer to stdout and flushes it, so a reader sees each line as it comes.
 * Returns 0 or -EIO. */
int cli_flush_out(const struct cli_buf *b);

#endif
