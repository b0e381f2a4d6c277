/*
 * lab_commit — commit latency as a client sees it: N commands (a cluster property write) sent
 * one at a time to a node (RPC_OP_APPLY on one kept connection) and timed from request to reply,
 * which the node sends once the command is committed through raft and applied. For
 * bench/commit.sh.
 *
 *   lab_commit HOST N     (key from $CLUSAPI_AUTHKEY, port from $CLUSAPI_PORT or 3343)
 *
 * Prints "commits=N median_ms=M p90_ms=P max_ms=X". Exit 0, or 1 if a commit failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
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
static uint32_t commit(struct rpc_conn *conn, int i)
{
    struct wire_writer cmd, w;
    struct rpc_reply r;
    char value[32];
    uint8_t *bytes;
    size_t len;
    uint32_t status;

    snprintf(value, sizeof(value), "%d", i);
    wire_writer_init(&cmd);
    cdb_cmd_set_prop(&cmd, "BenchCommit", value);
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

int main(int argc, char **argv)
{
    struct rpc_conn conn;
    int n = argc == 3 ? atoi(argv[2]) : 0;
    double *ms;
    uint32_t status = 0;

    if (n < 1) {
        fprintf(stderr, "usage: lab_commit HOST N\n");
        return 2;
    }
    ms = calloc((size_t)n, sizeof(*ms));
    if (ms == NULL)
        return 1;
    rpc_conn_init(&conn, argv[1], lib_port());
    status = commit(&conn, -1); /* connects: the handshake is not a commit's cost */
    for (int i = 0; i < n && status == 0; i++) {
        double t0 = now_ms();

        status = commit(&conn, i);
        ms[i] = now_ms() - t0;
    }
    rpc_conn_close(&conn);
    if (status == 0) {
        qsort(ms, (size_t)n, sizeof(*ms), by_value);
        printf("commits=%d median_ms=%.2f p90_ms=%.2f max_ms=%.2f\n", n, ms[n / 2],
               ms[n * 9 / 10], ms[n - 1]);
    }
    free(ms);
    return status == 0 ? 0 : 1;
}
