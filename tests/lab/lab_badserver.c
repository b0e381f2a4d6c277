/*
 * lab_badserver — the server half of the bad-input table: calls well-formed enough to reach
 * clussvc, which must refuse each with its Win32 code AND commit nothing. Around every row the
 * database version and hash of every node (NODE_INFO) are read; they must be the same after the
 * row as before it. scenario_bad_server.sh prepares the objects the rows name:
 *
 *   group g1: resources a, b (Generic Application; b depends on a), group g2: resource c,
 *   group g3: resource on (online).
 *
 *   lab_badserver HOST NODE...   (HOST: the node the handles talk to; NODE: every member)
 *
 * Prints one line per row ("ok WHAT: CODE" or "FAIL WHAT: ..."), then "result failed=N".
 * Exit: 0 every row refused with its code and nothing changed, 1 otherwise, 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "../bad_input.h"
#include "common/rpc_proto.h"
#include "lab_proplist.h"
#include "lab_watch.h"
#include "lib/lib.h"

#define MAX_NODES 16

static HCLUSTER cluster;
static HGROUP g1;
static HRESOURCE res_a, res_b, res_c, res_on;

/* ------------------------------------------------------------------------------------------ */
/* The rows                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static DWORD unknown_type(void)
{
    return gle_if_null(CreateClusterResource(g1, u"x1", u"No Such Type", 0));
}
static DWORD create_ex(const struct lab_pl *l)
{
    return gle_if_null(ClusapiCreateClusterResourceEx(g1, u"x1", u"Generic Application", 0,
                                                      l != NULL ? (void *)l->words : NULL,
                                                      l != NULL ? lab_pl_size(l) : 0, TRUE));
}
static DWORD missing_required(void) { return create_ex(NULL); }
static DWORD ill_typed(void)
{
    struct lab_pl l = {0};

    lab_pl_dword(&l, "CommandLine", 7);
    return create_ex(&l);
}
static DWORD cycle(void) { return AddClusterResourceDependency(res_a, res_b); }
static DWORD on_itself(void) { return AddClusterResourceDependency(res_a, res_a); }
static DWORD across_groups(void) { return AddClusterResourceDependency(res_a, res_c); }
static DWORD delete_provider(void) { return DeleteClusterResource(res_a); }
static DWORD delete_online(void) { return DeleteClusterResource(res_on); }
static DWORD delete_type_in_use(void)
{
    return DeleteClusterResourceType(cluster, u"Generic Application");
}
static DWORD nested_expression(void)
{
    return SetClusterResourceDependencyExpression(res_b, u"(([a]))");
}
static DWORD set_common(const struct lab_pl *l)
{
    DWORD n = 0;

    return ClusterResourceControl(res_a, NULL, CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES,
                                  (void *)l->words, lab_pl_size(l), NULL, 0, &n);
}
static DWORD restart_action_7(void)
{
    struct lab_pl l = {0};

    lab_pl_dword(&l, "RestartAction", 7);
    return set_common(&l);
}
static DWORD read_only_common(void)
{
    struct lab_pl l = {0};

    lab_pl_string(&l, "Type", "IP Address");
    return set_common(&l);
}
static DWORD expression_unknown_resource(void)
{
    return SetClusterResourceDependencyExpression(res_b, u"[nosuch]");
}

/* A short output buffer: ERROR_MORE_DATA, and *lpBytesReturned the size a full call returns. */
static DWORD short_buffer(DWORD (*call)(void *out, DWORD size, DWORD *returned), const char *what)
{
    static BYTE big[65536];
    BYTE small[8];
    DWORD full = 0, need = 0, status;

    if (call(big, sizeof(big), &full) != ERROR_SUCCESS || full <= sizeof(small)) {
        printf("  %s: the full call failed or fits %zu bytes (%u)\n", what, sizeof(small), full);
        SetLastError(0);
        return 0;
    }
    status = call(small, sizeof(small), &need);
    if (status == ERROR_MORE_DATA && need != full) {
        printf("  %s: %u bytes reported, %u needed\n", what, need, full);
        SetLastError(0);
        return 0;
    }
    return status;
}
static DWORD res_common(void *out, DWORD size, DWORD *returned)
{
    return ClusterResourceControl(res_a, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  out, size, returned);
}
static DWORD res_private(void *out, DWORD size, DWORD *returned)
{
    return ClusterResourceControl(res_a, NULL, CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, NULL, 0,
                                  out, size, returned);
}
static DWORD group_common(void *out, DWORD size, DWORD *returned)
{
    return ClusterGroupControl(g1, NULL, CLUSCTL_GROUP_GET_COMMON_PROPERTIES, NULL, 0, out, size,
                               returned);
}
static DWORD cluster_common(void *out, DWORD size, DWORD *returned)
{
    return ClusterControl(cluster, NULL, CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0, out,
                          size, returned);
}
static DWORD type_enum_private(void *out, DWORD size, DWORD *returned)
{
    return ClusterResourceTypeControl(cluster, u"Generic Application", NULL,
                                      CLUSCTL_RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES, NULL, 0,
                                      out, size, returned);
}
static DWORD short_res_common(void) { return short_buffer(res_common, "resource common"); }
static DWORD short_res_private(void) { return short_buffer(res_private, "resource private"); }
static DWORD short_group_common(void) { return short_buffer(group_common, "group common"); }
static DWORD short_cluster_common(void) { return short_buffer(cluster_common, "cluster common"); }
static DWORD short_type_enum(void) { return short_buffer(type_enum_private, "type enum"); }

static const struct bad_row rows[] = {
    {"CreateClusterResource, unknown type", unknown_type, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND},
    {"ClusapiCreateClusterResourceEx complete, no CommandLine", missing_required,
     ERROR_INVALID_PARAMETER},
    {"ClusapiCreateClusterResourceEx, CommandLine a DWORD", ill_typed, ERROR_INVALID_PARAMETER},
    {"AddClusterResourceDependency, closing a cycle", cycle, ERROR_CIRCULAR_DEPENDENCY},
    {"AddClusterResourceDependency, on itself", on_itself, ERROR_CIRCULAR_DEPENDENCY},
    {"AddClusterResourceDependency, across groups", across_groups, ERROR_INVALID_PARAMETER},
    {"DeleteClusterResource, another depends on it", delete_provider,
     ERROR_DEPENDENT_RESOURCE_EXISTS},
    {"DeleteClusterResource, online", delete_online, ERROR_INVALID_STATE},
    {"DeleteClusterResourceType, in use", delete_type_in_use, ERROR_DIR_NOT_EMPTY},
    {"SetClusterResourceDependencyExpression, (([a]))", nested_expression,
     ERROR_INVALID_PARAMETER},
    {"SetClusterResourceDependencyExpression, unknown resource", expression_unknown_resource,
     ERROR_RESOURCE_NOT_FOUND},
    {"SET_COMMON_PROPERTIES, RestartAction=7", restart_action_7, ERROR_INVALID_PARAMETER},
    {"SET_COMMON_PROPERTIES, read-only Type", read_only_common, ERROR_INVALID_PARAMETER},
    {"GET_COMMON_PROPERTIES (resource), 8-byte buffer", short_res_common, ERROR_MORE_DATA},
    {"GET_PRIVATE_PROPERTIES (resource), 8-byte buffer", short_res_private, ERROR_MORE_DATA},
    {"GET_COMMON_PROPERTIES (group), 8-byte buffer", short_group_common, ERROR_MORE_DATA},
    {"GET_COMMON_PROPERTIES (cluster), 8-byte buffer", short_cluster_common, ERROR_MORE_DATA},
    {"ENUM_PRIVATE_PROPERTIES (type), 8-byte buffer", short_type_enum, ERROR_MORE_DATA},
};

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                   */
/* ------------------------------------------------------------------------------------------ */

struct db_state {
    uint64_t version, hash;
};

/* The node's database version and hash; -1 if it did not answer. */
static int db_state(const char *host, struct db_state *s)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    int rv = -1;

    rpc_conn_init(&conn, host, lib_port());
    rpc_request(&w, RPC_OP_NODE_INFO);
    if (rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r) == 0 &&
        wire_get_u64(r.data, r.len, RPC_F_DB_VERSION, &s->version) == 0 &&
        wire_get_u64(r.data, r.len, RPC_F_DB_HASH, &s->hash) == 0)
        rv = 0;
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return rv;
}

/* Every node's state into s; false if one did not answer. */
static bool snapshot(char **nodes, int n, struct db_state *s)
{
    for (int i = 0; i < n; i++)
        if (db_state(nodes[i], &s[i]) < 0)
            return false;
    return true;
}

static HRESOURCE open_resource(const char16_t *name)
{
    return OpenClusterResource(cluster, name);
}

/* One row: its code, and the nodes' databases unchanged; prints its line; true if it passed. */
static bool run_row(const struct bad_row *row, char **nodes, int n)
{
    struct db_state before[MAX_NODES], after[MAX_NODES];
    DWORD got, last;
    bool same = true;

    if (!snapshot(nodes, n, before)) {
        printf("FAIL %s: a node did not answer before the row\n", row->what);
        return false;
    }
    SetLastError(0);
    got = row->call();
    last = GetLastError();
    if (!snapshot(nodes, n, after)) {
        printf("FAIL %s: a node did not answer after the row\n", row->what);
        return false;
    }
    for (int i = 0; i < n; i++)
        if (before[i].version != after[i].version || before[i].hash != after[i].hash) {
            printf("FAIL %s: %s's database changed: version %" PRIu64 " -> %" PRIu64 "\n",
                   row->what, nodes[i], before[i].version, after[i].version);
            same = false;
        }
    if (got != row->expected || last != row->expected) {
        printf("FAIL %s: got %u, last error %u, want %u (%s)\n", row->what, got, last,
               row->expected, ClusapiLastErrorText());
        return false;
    }
    if (same)
        printf("ok %s: %u (%s)\n", row->what, got, ClusapiLastErrorText());
    return same;
}

int main(int argc, char **argv)
{
    int n_nodes = argc - 2, failed = 0;
    char16_t *host;

    if (argc < 3 || n_nodes > MAX_NODES) {
        fprintf(stderr, "usage: lab_badserver HOST NODE...\n");
        return 2;
    }
    host = widen(argv[1]);
    cluster = host != NULL ? OpenCluster(host) : NULL;
    free(host);
    if (cluster != NULL) {
        g1 = OpenClusterGroup(cluster, u"g1");
        res_a = open_resource(u"a");
        res_b = open_resource(u"b");
        res_c = open_resource(u"c");
        res_on = open_resource(u"on");
    }
    if (!cluster || !g1 || !res_a || !res_b || !res_c || !res_on) {
        printf("FAIL cannot open the handles: %u %s\nresult failed=1\n", GetLastError(),
               ClusapiLastErrorText());
        return 1;
    }
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        failed += !run_row(&rows[i], argv + 2, n_nodes);
    CloseClusterResource(res_on);
    CloseClusterResource(res_c);
    CloseClusterResource(res_b);
    CloseClusterResource(res_a);
    CloseClusterGroup(g1);
    CloseCluster(cluster);
    printf("result failed=%d\n", failed);
    return failed != 0;
}
