/*
 * api_cluster — cluster handles: OpenCluster(Ex), CloseCluster, GetClusterInformation, and
 * GetNodeClusterState, which asks a node about itself without a cluster handle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi_ext.h>

#include "common/names.h"
#include "common/rpc_msg.h"
#include "common/rpc_proto.h"
#include "common/utf16.h"
#include "lib/lib.h"

#define LOCAL_NODE "localhost"
#define NAME_MAX_UNITS 1024

char *lib_name_in(LPCWSTR name)
{
    char *utf8;
    int rv = utf16_to_utf8((const char16_t *)name, NAME_MAX_UNITS, &utf8);

    if (rv == 0)
        return utf8;
    if (rv == -ENAMETOOLONG)
        lib_fail(ERROR_CLUSTER_INVALID_STRING_TERMINATION);
    else if (rv == -ENOMEM)
        lib_fail(ERROR_NOT_ENOUGH_MEMORY);
    else
        lib_fail(ERROR_CLUSTER_INVALID_STRING_FORMAT);
    return NULL;
}

char *lib_host_in(LPCWSTR name)
{
    const char *reason = NULL;
    char *utf8 = lib_name_in(name);

    if (utf8 != NULL && name_check_host(utf8, &reason) < 0) {
        lib_fail_text(ERROR_CLUSTER_INVALID_STRING_FORMAT, "\"%.64s\" %s", utf8, reason);
        free(utf8);
        return NULL;
    }
    return utf8;
}

DWORD lib_copy_out(const char *utf8, LPWSTR buf, LPDWORD inout_cch)
{
    if (inout_cch == NULL)
        return buf == NULL ? 0 : ERROR_INVALID_PARAMETER;
    return utf16_copy_out(utf8, (char16_t *)buf, inout_cch);
}

/* The other nodes' addresses, so the handle survives the loss of the node it talks to. */
static void load_fallbacks(struct cluster_handle *c)
{
    struct wire_writer w;
    struct rpc_reply r;
    struct wire_reader rd;
    struct wire_field f;
    size_t n = 0;

    rpc_request(&w, RPC_OP_QUERY);
    wire_put_u32(&w, RPC_F_QUERY, RPC_QUERY_NODES);
    wire_put_u32(&w, RPC_F_STALE, 1); /* addresses to try: a node without quorum knows them too */
    if (rpc_call(&c->conn, &w, LIB_RPC_TIMEOUT_MS, &r) == 0) {
        wire_reader_init(&rd, r.data, r.len);
        while (wire_next(&rd, &f) > 0)
            n += f.tag == RPC_F_ITEM;
        c->fallbacks = calloc(n ? n : 1, sizeof(*c->fallbacks));
        wire_reader_init(&rd, r.data, r.len);
        while (c->fallbacks != NULL && wire_next(&rd, &f) > 0) {
            char *addr;

            if (f.tag == RPC_F_ITEM &&
                wire_get_strdup(f.value, f.len, RPC_F_ADDRESS, &addr) == 0) {
                snprintf(c->fallbacks[c->n_fallbacks++], sizeof(*c->fallbacks), "%s", addr);
                free(addr);
            }
        }
    }
    rpc_reply_done(&r);
}

uint32_t cluster_open(const char *target, struct cluster_handle **ret, char *errmsg)
{
    struct cluster_handle *c = calloc(1, sizeof(*c));
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t status, state = 0;
    char *name = NULL;

    if (c == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    c->h.type = HANDLE_CLUSTER;
    pthread_mutex_init(&c->mu, NULL);
    rpc_conn_init(&c->conn, target ? target : LOCAL_NODE, lib_port());
    rpc_request(&w, RPC_OP_NODE_INFO);
    status = rpc_call(&c->conn, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status == 0) {
        wire_get_u32(r.data, r.len, RPC_F_NODE_STATE, &state);
        wire_get_strdup(r.data, r.len, RPC_F_CLUSTER_NAME, &name);
        if (state != ClusterStateRunning || name == NULL) {
            status = ERROR_CLUSTER_NODE_NOT_MEMBER;
            snprintf(r.errmsg, sizeof(r.errmsg), "%s is not running a cluster", c->conn.host);
        } else {
            snprintf(c->name, sizeof(c->name), "%s", name);
        }
        free(name);
    }
    snprintf(errmsg, LIB_ERRMSG_SIZE, "%s", r.errmsg);
    rpc_reply_done(&r);
    if (status == 0)
        load_fallbacks(c);
    if (status != 0 || !handle_register(&c->h)) {
        handle_free(&c->h);
        return status ? status : ERROR_NOT_ENOUGH_MEMORY;
    }
    *ret = c;
    return 0;
}

/* Did the node say it is in a storage fault (RPC_F_STORAGE_FAULT)? */
static bool storage_faulted(const struct rpc_reply *r)
{
    return wire_has(r->data, r->len, RPC_F_STORAGE_FAULT);
}

/* Reconnects to the next node that answers and can store the cluster's log (the one the handle
 * talks to may be among the addresses, under another name); true if one did. Called with c->mu
 * held. */
static bool fail_over(struct cluster_handle *c)
{
    for (size_t i = 0; i < c->n_fallbacks; i++) {
        struct wire_writer w;
        struct rpc_reply r;
        struct rpc_conn next;
        uint32_t status;

        if (strcmp(c->fallbacks[i], c->conn.host) == 0)
            continue;
        rpc_conn_init(&next, c->fallbacks[i], c->conn.port);
        rpc_request(&w, RPC_OP_NODE_INFO);
        status = rpc_call(&next, &w, LIB_CONNECT_TIMEOUT_MS, &r);
        if (status == 0 && storage_faulted(&r))
            status = ERROR_DISK_FULL;
        rpc_reply_done(&r);
        if (status == 0) {
            rpc_conn_close(&c->conn);
            c->conn = next;
            return true;
        }
        rpc_conn_close(&next);
    }
    return false;
}

#define NOT_READY_RETRY_MS 50

/* Sends the request kept in copy once more (copy stays as it is). */
static uint32_t resend(struct cluster_handle *c, const struct wire_writer *copy, int timeout_ms,
                       struct rpc_reply *ret)
{
    struct wire_writer again;

    wire_writer_init(&again);
    wire_put_raw(&again, copy->data, copy->len);
    return rpc_call(&c->conn, &again, timeout_ms, ret);
}

void cluster_note_read(struct cluster_handle *c, uint32_t op, const struct rpc_reply *r)
{
    uint32_t stale = 0;
    char *node = NULL;

    if (op != RPC_OP_QUERY || r->status != 0)
        return;
    wire_get_u32(r->data, r->len, RPC_F_STALE, &stale);
    c->last_read_stale = stale == 1;
    if (!c->last_read_stale)
        return;
    c->stale_reads++;
    wire_get_strdup(r->data, r->len, RPC_F_NODE_NAME, &node);
    snprintf(c->stale_node, sizeof(c->stale_node), "%s", node ? node : c->conn.host);
    free(node);
}

uint32_t cluster_call(struct cluster_handle *c, struct wire_writer *req, int timeout_ms,
                      struct rpc_reply *ret)
{
    struct wire_writer copy;
    uint32_t status, op = 0;

    rpc_request_parse(req->data, req->len, &op);
    /* The Win32 read calls take an answer from a node without quorum rather than fail: such a
     * node answers only a request that accepts it, and marks the answer; the handle keeps which
     * answers were (ClusapiGetReadStaleness). */
    if (op == RPC_OP_QUERY)
        wire_put_u32(req, RPC_F_STALE, 1);
    /* Keep a copy of the request in case it must be sent again. */
    wire_writer_init(&copy);
    wire_put_raw(&copy, req->data, req->len);
    pthread_mutex_lock(&c->mu);
    status = rpc_call(&c->conn, req, timeout_ms, ret);
    /* A change sent to a node that then failed may have been carried out: it is not sent again
     * (the caller sees the timeout or the lost node), or it could be made twice. */
    /* So is a read a node in a storage fault answered from what it last applied: another node,
     * if one answers, does better. */
    if ((rpc_may_resend(op, status, ret->sent) || storage_faulted(ret)) && fail_over(c)) {
        rpc_reply_done(ret);
        status = resend(c, &copy, timeout_ms, ret);
    }
    /* A read on a node catching up with its cluster (just started, or its leader just went):
     * it answers once it has; reads change nothing, so asking again is safe. */
    for (int waited = 0; status == ERROR_CLUSTER_NODE_NOT_READY && waited < timeout_ms;
         waited += NOT_READY_RETRY_MS) {
        rpc_reply_done(ret);
        nanosleep(&(struct timespec){0, NOT_READY_RETRY_MS * 1000000L}, NULL);
        status = resend(c, &copy, timeout_ms, ret);
    }
    cluster_note_read(c, op, ret);
    pthread_mutex_unlock(&c->mu);
    wire_writer_done(&copy);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Public calls                                                                                */
/* ------------------------------------------------------------------------------------------ */

CLUSAPI_API HCLUSTER CLUSAPI_CALL OpenCluster(LPCWSTR lpszClusterName)
{
    struct cluster_handle *c;
    char errmsg[LIB_ERRMSG_SIZE] = "";
    char *target = NULL;
    uint32_t status;

    lib_clear_error();
    if (lpszClusterName != NULL && (target = lib_host_in(lpszClusterName)) == NULL)
        return NULL;
    status = cluster_open(target, &c, errmsg);
    free(target);
    if (status != 0) {
        lib_fail_text(status, "%s", errmsg);
        return NULL;
    }
    return (HCLUSTER)c;
}

CLUSAPI_API HCLUSTER CLUSAPI_CALL OpenClusterEx(LPCWSTR lpszClusterName, DWORD DesiredAccess,
                                                DWORD *GrantedAccess)
{
    const DWORD known = GENERIC_READ | GENERIC_ALL | MAXIMUM_ALLOWED;
    HCLUSTER h;

    if ((DesiredAccess & ~known) != 0) {
        lib_fail(ERROR_ACCESS_DENIED);
        return NULL;
    }
    h = OpenCluster(lpszClusterName);
    /* The admin key grants everything it is asked for. */
    if (h != NULL && GrantedAccess != NULL)
        *GrantedAccess = DesiredAccess & MAXIMUM_ALLOWED ? GENERIC_ALL : DesiredAccess;
    return h;
}

CLUSAPI_API BOOL CLUSAPI_CALL CloseCluster(HCLUSTER hCluster)
{
    return handle_close(hCluster, HANDLE_CLUSTER) == 0;
}

CLUSAPI_API DWORD CLUSAPI_CALL GetClusterInformation(HCLUSTER hCluster, LPWSTR lpszClusterName,
                                                     LPDWORD lpcchClusterName,
                                                     LPCLUSTERVERSIONINFO lpClusterInfo)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    DWORD status;

    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (lpcchClusterName == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if (lpClusterInfo != NULL) {
        static const char vendor[] = "clusapi";

        if (lpClusterInfo->dwVersionInfoSize < sizeof(CLUSTERVERSIONINFO))
            return lib_fail(ERROR_INVALID_PARAMETER);
        memset((char *)lpClusterInfo + sizeof(DWORD), 0,
               sizeof(CLUSTERVERSIONINFO) - sizeof(DWORD));
        lpClusterInfo->MajorVersion = 10;
        lpClusterInfo->MinorVersion = 0;
        lpClusterInfo->BuildNumber = 1;
        for (size_t i = 0; i < sizeof(vendor); i++)
            lpClusterInfo->szVendorId[i] = (WCHAR)vendor[i];
        lpClusterInfo->dwClusterHighestVersion = CLUSTER_MAKE_VERSION(10, 1);
        lpClusterInfo->dwClusterLowestVersion = CLUSTER_MAKE_VERSION(10, 1);
    }
    status = lib_copy_out(c->name, lpszClusterName, lpcchClusterName);
    return status ? lib_fail(status) : 0;
}

CLUSAPI_API DWORD CLUSAPI_CALL GetNodeClusterState(LPCWSTR lpszNodeName, LPDWORD pdwClusterState)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    char *node = NULL;
    uint32_t status, state = ClusterStateNotConfigured;

    lib_clear_error();
    if (pdwClusterState == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if (lpszNodeName != NULL && (node = lib_host_in(lpszNodeName)) == NULL)
        return GetLastError();
    rpc_conn_init(&conn, node ? node : LOCAL_NODE, lib_port());
    free(node);
    rpc_request(&w, RPC_OP_NODE_INFO);
    status = rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r);
    rpc_conn_close(&conn);
    if (status == 0)
        wire_get_u32(r.data, r.len, RPC_F_NODE_STATE, &state);
    else
        lib_fail_text(status, "%s", r.errmsg);
    rpc_reply_done(&r);
    if (status != 0)
        return status;
    *pdwClusterState = state;
    return 0;
}

CLUSAPI_API DWORD ClusapiClearNode(LPCWSTR lpszNodeName, BOOL fForce)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    char *node = NULL;
    uint32_t status;

    lib_clear_error();
    if (lpszNodeName != NULL && (node = lib_host_in(lpszNodeName)) == NULL)
        return GetLastError();
    rpc_conn_init(&conn, node ? node : LOCAL_NODE, lib_port());
    free(node);
    rpc_request(&w, RPC_OP_CLEAR);
    wire_put_u32(&w, RPC_F_FORCE, fForce ? 1 : 0);
    status = rpc_call(&conn, &w, LIB_RPC_TIMEOUT_MS, &r);
    rpc_conn_close(&conn);
    if (status != 0)
        lib_fail_text(status, "%s", r.errmsg);
    rpc_reply_done(&r);
    return status;
}

CLUSAPI_API DWORD ClusapiGetReadStaleness(HCLUSTER hCluster, BOOL *pfLastReadStale,
                                          LPDWORD lpdwStaleReads, LPWSTR lpszNodeName,
                                          LPDWORD lpcchNodeName)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    char node[sizeof(c->stale_node)];
    DWORD status;

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (pfLastReadStale == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    pthread_mutex_lock(&c->mu);
    *pfLastReadStale = c->last_read_stale;
    if (lpdwStaleReads != NULL)
        *lpdwStaleReads = c->stale_reads;
    memcpy(node, c->stale_node, sizeof(node));
    pthread_mutex_unlock(&c->mu);
    status = lib_copy_out(node, lpszNodeName, lpcchNodeName);
    return status ? lib_fail(status) : 0;
}
