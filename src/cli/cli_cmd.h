/*
 * cli_cmd — clusctl's commands, one file each (or one file for a family), called by clusctl.c's
 * dispatch. Each returns the process exit code (enum cli_exit). A command file uses only the
 * shared files (cli_cluster, cli_progress, cli_format and the rest of the pure library), never
 * another command's file.
 *
 * The commands that act on a cluster get it open in h: the dispatch opens it (reporting a failure
 * to) and closes it once the command returned. `events` opens its own, after it has set up its
 * signal handling.
 */
#ifndef CLUSAPI_CLI_CMD_H
#define CLUSAPI_CLI_CMD_H

#include <stdbool.h>

#include <clusapi.h>

#include "cli/cli_args.h"

/* `clusctl keygen FILE`: a fresh administrator key (cli_keygen.c). */
int cli_cmd_keygen(const struct cli_args *a);
/* `clusctl create`: CreateCluster with a progress display (cli_create.c). */
int cli_cmd_create(const struct cli_args *a);
/* `clusctl status` and the `group|resource list` tables (cli_status.c). */
int cli_cmd_status(const struct cli_args *a, HCLUSTER h);
/* `clusctl add-node`: AddClusterNode with a progress display (cli_membership.c). */
int cli_cmd_add_node(const struct cli_args *a, HCLUSTER h);
/* `clusctl evict`: EvictClusterNodeEx (cli_membership.c). */
int cli_cmd_evict(const struct cli_args *a, HCLUSTER h);
/* `clusctl destroy`: DestroyCluster with a progress display, after asking on the terminal when
 * ask is true (cli_membership.c). */
int cli_cmd_destroy(const struct cli_args *a, HCLUSTER h, bool ask);
/* `clusctl node clear`: ClusapiClearNode (cli_membership.c). */
int cli_cmd_node_clear(const struct cli_args *a);
/* `clusctl group online|offline|move` (cli_group.c). */
int cli_cmd_group(const struct cli_args *a, HCLUSTER h);
/* `clusctl property list|get|set`: the cluster's common properties (cli_prop.c). */
int cli_cmd_property(const struct cli_args *a, HCLUSTER h);
/* `clusctl node pause|resume`: PauseClusterNode / ResumeClusterNode (cli_node.c). */
int cli_cmd_node(const struct cli_args *a, HCLUSTER h);
/* `clusctl node list`: the nodes, their states and votes (cli_node.c). */
int cli_cmd_node_list(const struct cli_args *a, HCLUSTER h);
/* `clusctl events`: polls the cluster and prints each change (cli_events.c). */
int cli_cmd_events(const struct cli_args *a);
/* `clusctl rekey --cluster-credential`: ClusapiRotateClusterCredential
 * (cli_cluster_credential.c). */
int cli_cmd_rekey_cluster_credential(const struct cli_args *a, HCLUSTER h);
/* `clusctl resource create|delete|online|offline|fail|move-to-group|depend|undepend|owners|
 * show`, `resource list --group` and `resource type list` (cli_resource.c). */
int cli_cmd_resource(const struct cli_args *a, HCLUSTER h);
/* `clusctl resource set|get`, `resource type show`, `group set|get` and `node set|get`:
 * properties through the control calls (cli_resprops.c). */
int cli_cmd_props(const struct cli_args *a, HCLUSTER h);
/* `clusctl rekey --new-key FILE | --retire-old`: admin key rotation (cli_rekey.c). */
int cli_cmd_rekey(const struct cli_args *a, HCLUSTER h);
/* `clusctl quorum show|set`: the votes and the witness (cli_quorum.c). */
int cli_cmd_quorum(const struct cli_args *a, HCLUSTER h);

#endif
