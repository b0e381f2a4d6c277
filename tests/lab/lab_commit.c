/*
 * lab_commit — commit latency as a client sees it: N commands (a cluster property write) sent
 * one at a time to a node (RPC_OP_APPLY on one kept connection) and timed from request to reply,
 * which the node sends once the command is committed through raft and applied. For
 * bench/commit.sh.
 *
 *   lab_commit HOST N [BYTES [each]]   (key from $CLUSAPI_AUTHKEY, port from $CLUSAPI_PORT or 3343)
 *
 * Commit i sets the cluster property BenchCommit to "i", padded to BYTES with letters that do
 * not compress (a log, and with "each" a database and its snapshots, that fill fast); with
 * "each" it sets BenchCommit<i> instead.
 *
 *   lab_commit HOST read KEY   prints the number property KEY's value starts with (its i)
 *
 * Prints "commits=N median_ms=M p90_ms=P max_ms=X", exit 0; or, once a commit
 * failed, "committed=K" (the commits acknowledged before it), exit 1.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "common/utf16.h"
#include "lib/lib.h"

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* One property write through the node; Win32 status. */
static uint32_t commit(struct rpc_conn *conn, int i, char *value, size_t size, bool each)
{
    struct wire_writer cmd, w;
    struct rpc_reply r;
    uint8_t *bytes;
    size_t len, k;
    uint32_t status, x = (uint32_t)i * 2654435761u + 1;
    char key[32];

    k = (size_t)snprintf(value, size, "%dx", i);
    for (; k + 1 < size; k++) {
        x = x * 1103515245u + 12345u;
        value[k] = (char)('a' + (x >> 16) % 26);
    }
    value[k] = '\0';
    snprintf(key, sizeof(key), each ? "BenchCommit%d" : "BenchCommit", i);
    wire_writer_init(&cmd);
    cdb_cmd_set_prop(&cmd, key, value);
    bytes = wire_writer_take(&cmd, &len);
    if (bytes == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    rpc_request(&w, RPC_OP_APPLY);
    wire_put_blob(&w, RPC_F_COMMAND, bytes, len);
    free(bytes);
    status = rpc_call(conn, &w, 10000, &r);
    if (status != 0)
        fprintf(stderr, "lab_commit: commit %d: status %u: %s\n", i, status, r.errmsg);
    rpc_reply_done(&r);
    return status;
}

/* The i that property key's value starts with, read through OpenCluster(host); -1 if none. */
static long read_commit(const char *host, const char *key)
{
    DWORD cch = 2 * 1024 * 1024;
    WCHAR *value = calloc(cch, sizeof(*value));
    char16_t *whost = NULL, *wkey = NULL;
    HCLUSTER h = NULL;
    long i = -1;

    if (value != NULL && utf8_to_utf16(host, &whost) == 0 && utf8_to_utf16(key, &wkey) == 0 &&
        (h = OpenCluster(whost)) != NULL && ClusapiGetClusterProperty(h, wkey, value, &cch) == 0) {
        i = 0;
        for (size_t k = 0; value[k] >= u'0' && value[k] <= u'9'; k++)
            i = i * 10 + (value[k] - u'0');
    }
    if (h != NULL)
        CloseCluster(h);
    free(wkey);
    free(whost);
    free(value);
    return i;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[2], "read") == 0) {
        long i = read_commit(argv[1], argv[3]);

        if (i < 0)
            return 1;
        printf("%ld\n", i);
        return 0;
    }

    struct rpc_conn conn;
    int n = argc >= 3 && argc <= 5 ? atoi(argv[2]) : 0, done = 0;
    long bytes = argc >= 4 ? atol(argv[3]) : 16;
    bool each = argc == 5 && strcmp(argv[4], "each") == 0;
    double *ms;
    char *value;
    uint32_t status = 0;

    if (n < 1 || bytes < 16 || bytes > 1024 * 1024 || (argc == 5 && !each)) {
        fprintf(stderr, "usage: lab_commit HOST N [BYTES (16 to 1 MiB) [each]]\n");
        return 2;
    }
    ms = calloc((size_t)n, sizeof(*ms));
    value = malloc((size_t)bytes);
    if (ms == NULL || value == NULL)
        return 1;
    rpc_conn_init(&conn, argv[1], lib_port());
    status = commit(&conn, -1, value, (size_t)bytes, false); /* connects: not a commit's cost */
    for (; done < n && status == 0; done++) {
        double t0 = now_ms();

        status = commit(&conn, done, value, (size_t)bytes, each);
        ms[done] = now_ms() - t0;
    }
    rpc_conn_close(&conn);
    if (status == 0) {
        qsort(ms, (size_t)n, sizeof(*ms), by_value);
        printf("commits=%d median_ms=%.2f p90_ms=%.2f max_ms=%.2f\n", n, ms[n / 2],
               ms[n * 9 / 10], ms[n - 1]);
    } else {
        printf("committed=%d\n", done > 0 ? done - 1 : 0);
    }
    free(value);
    free(ms);
    return status == 0 ? 0 : 1;
}
