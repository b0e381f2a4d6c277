/*
 * lab_props — the property control codes of ClusterNodeControl and ClusterControl, driven the
 * way a Win32 program calls them, for lab scenarios:
 *
 *   lab_props HOST node NODE get|get-ro|enum        GET_COMMON / GET_RO_COMMON / ENUM_COMMON
 *   lab_props HOST node NODE set|validate NAME dword|sz VALUE
 *   lab_props HOST cluster get|get-ro|enum
 *   lab_props HOST cluster set|validate NAME dword|sz VALUE
 *   lab_props HOST rows                              the node query's rows, privately
 *
 * get prints one `NAME=VALUE` line per property (values in text form, DWORDs in decimal), enum
 * one name per line, rows `NAME role=R weight=W witness=X` per node (RPC_QUERY_NODES as clussvc
 * sends it: the facts the node properties are made of, to compare with what the API says);
 * every run ends with `result status=N text=...`. The output buffer starts
 * too small on purpose, so ERROR_MORE_DATA and the size it reports are exercised too.
 * Exit: 0 success, 1 the call failed, 2 usage, 3 the output broke the SDK's contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "common/prop.h"
#include "common/proplist.h"
#include "common/rpc_proto.h"
#include "common/utf16.h"
#include "lab_watch.h"
#include "lib/lib.h"

/* The object a run addresses: a node, or the cluster itself (node NULL). */
struct target {
    HCLUSTER cluster;
    HNODE node;
};

static DWORD control(const struct target *t, DWORD function, void *in, DWORD in_size,
                     void *out, DWORD out_size, DWORD *returned)
{
    if (t->node != NULL)
        return ClusterNodeControl(t->node, NULL, CLUSCTL_NODE_CODE(function), in, in_size, out,
                                  out_size, returned);
    return ClusterControl(t->cluster, NULL, CLUSCTL_CLUSTER_CODE(function), in, in_size, out,
                          out_size, returned);
}

static int usage(void)
{
    fprintf(stderr, "usage: lab_props HOST node NODE|cluster get|get-ro|enum|set|validate "
                    "[NAME dword|sz VALUE], lab_props HOST rows (see the source)\n");
    return 2;
}

/* Calls a GET code with a 4-byte buffer, then with the size that reported. *ret malloc'd. */
static DWORD get_output(const struct target *t, DWORD function, void **ret, DWORD *ret_size,
                        int *broken)
{
    DWORD need = 0, got = 0, status;
    char small[4];
    void *buf;

    status = control(t, function, NULL, 0, small, sizeof(small), &need);
    if (status == 0) { /* it fitted: nothing more to ask */
        *ret = malloc(need ? need : 1);
        if (*ret != NULL)
            memcpy(*ret, small, need);
        *ret_size = need;
        return *ret != NULL ? 0 : ERROR_NOT_ENOUGH_MEMORY;
    }
    if (status != ERROR_MORE_DATA)
        return status;
    if (need <= sizeof(small)) {
        printf("broken: ERROR_MORE_DATA reported %u bytes needed\n", (unsigned)need);
        *broken = 1;
    }
    if ((buf = malloc(need)) == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = control(t, function, NULL, 0, buf, need, &got);
    if (status == 0 && got != need) {
        printf("broken: %u bytes written after %u were asked for\n", (unsigned)got,
               (unsigned)need);
        *broken = 1;
    }
    if (status != 0) {
        free(buf);
        return status;
    }
    *ret = buf;
    *ret_size = got;
    return 0;
}

static DWORD print_list(const void *buf, DWORD size)
{
    struct prop *props;
    size_t n;
    DWORD status = proplist_decode(buf, size, &props, &n);

    if (status != 0) {
        printf("broken: the property list does not decode (%u)\n", (unsigned)status);
        return status;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s=%s\n", props[i].name, props[i].value);
    free(props);
    return 0;
}

/* The MULTI_SZ of names ENUM_COMMON_PROPERTIES returns, one per line. */
static DWORD print_names(const void *buf, DWORD size)
{
    size_t units = size / 2, at = 0;
    char16_t *u = malloc(size + 2);

    if (u == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    memcpy(u, buf, size);
    u[units] = 0;
    while (at < units && u[at] != 0) {
        char *name;

        if (utf16_to_utf8(u + at, units - at, &name) < 0) {
            free(u);
            return ERROR_INVALID_DATA;
        }
        printf("%s\n", name);
        free(name);
        at += utf16_len(u + at) + 1;
    }
    free(u);
    return 0;
}

static DWORD run_get(const struct target *t, const char *verb, int *broken)
{
    DWORD function = strcmp(verb, "get") == 0      ? CLCTL_GET_COMMON_PROPERTIES
                     : strcmp(verb, "get-ro") == 0 ? CLCTL_GET_RO_COMMON_PROPERTIES
                                                   : CLCTL_ENUM_COMMON_PROPERTIES;
    void *buf = NULL;
    DWORD size = 0, status = get_output(t, function, &buf, &size, broken);

    if (status == 0)
        status = function == CLCTL_ENUM_COMMON_PROPERTIES ? print_names(buf, size)
                                                          : print_list(buf, size);
    if (status == ERROR_INVALID_DATA)
        *broken = 1;
    free(buf);
    return status;
}

/* SET_ or VALIDATE_COMMON_PROPERTIES with one property, NAME of syntax dword|sz. */
static DWORD run_set(const struct target *t, const char *verb, char **args, int n_args)
{
    struct prop p;
    size_t size = 0;
    void *list;
    DWORD status;

    if (n_args != 3 || (strcmp(args[1], "dword") != 0 && strcmp(args[1], "sz") != 0))
        return ERROR_BAD_ARGUMENTS;
    p = (struct prop){args[0], strcmp(args[1], "dword") == 0 ? PROP_SYNTAX_DWORD : PROP_SYNTAX_SZ,
                      args[2]};
    if (proplist_encode(&p, 1, NULL, 0, &size) != ERROR_MORE_DATA)
        return ERROR_BAD_ARGUMENTS; /* a dword that is not one */
    if ((list = malloc(size)) == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    proplist_encode(&p, 1, list, size, &size);
    status = control(t, strcmp(verb, "set") == 0 ? CLCTL_SET_COMMON_PROPERTIES
                                                 : CLCTL_VALIDATE_COMMON_PROPERTIES,
                     list, (DWORD)size, NULL, 0, NULL);
    free(list);
    return status;
}

static DWORD print_node_rows(const char *host)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    DWORD status;

    rpc_conn_init(&conn, host, lib_port());
    rpc_request(&w, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, RPC_QUERY_NODES);
    status = rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r);
    wire_reader_init(&rd, r.data, r.len);
    while (status == 0 && wire_next(&rd, &f) > 0) {
        uint32_t role = 9, weight = 9, witness = 9;
        char *name = NULL;

        if (f.tag != RPC_F_ITEM)
            continue;
        wire_get_strdup(f.value, f.len, RPC_F_NAME, &name);
        wire_get_u32(f.value, f.len, RPC_F_ROLE, &role);
        wire_get_u32(f.value, f.len, RPC_F_WEIGHT, &weight);
        wire_get_u32(f.value, f.len, RPC_F_WITNESS, &witness);
        printf("%s role=%u weight=%u witness=%u\n", name ? name : "?", (unsigned)role,
               (unsigned)weight, (unsigned)witness);
        free(name);
    }
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return status;
}

int main(int argc, char **argv)
{
    struct target t = {NULL, NULL};
    int broken = 0, at;
    char16_t *w;
    DWORD status;

    if (argc == 3 && strcmp(argv[2], "rows") == 0) {
        status = print_node_rows(argv[1]);
        printf("result status=%u text=\n", (unsigned)status);
        return status != 0;
    }
    if (argc < 4 || (strcmp(argv[2], "node") == 0 && argc < 5))
        return usage();
    w = widen(argv[1]);
    t.cluster = OpenCluster(w);
    free(w);
    if (t.cluster == NULL) {
        printf("result status=%u text=cannot open the cluster: %s\n", GetLastError(),
               ClusapiLastErrorText());
        return 1;
    }
    at = 3;
    if (strcmp(argv[2], "node") == 0) {
        w = widen(argv[at++]);
        t.node = OpenClusterNode(t.cluster, w);
        free(w);
    }
    if (strcmp(argv[2], "node") == 0 && t.node == NULL)
        status = GetLastError();
    else if (strcmp(argv[at], "set") == 0 || strcmp(argv[at], "validate") == 0)
        status = run_set(&t, argv[at], argv + at + 1, argc - at - 1);
    else if (strcmp(argv[at], "get") == 0 || strcmp(argv[at], "get-ro") == 0 ||
             strcmp(argv[at], "enum") == 0)
        status = run_get(&t, argv[at], &broken);
    else
        status = ERROR_BAD_ARGUMENTS;
    if (t.node != NULL)
        CloseClusterNode(t.node);
    CloseCluster(t.cluster);
    if (status == ERROR_BAD_ARGUMENTS)
        return usage();
    printf("result status=%u text=%s\n", (unsigned)status, status ? ClusapiLastErrorText() : "");
    return broken ? 3 : status != 0;
}
