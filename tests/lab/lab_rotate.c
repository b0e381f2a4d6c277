/*
 * lab_rotate — one step of a cluster credential rotation on one node (RPC_OP_ROTATE_CREDENTIAL),
 * so that a scenario can leave a rotation half done, as a rotating process that died would.
 *
 *   lab_rotate HOST stage KEY_HEX | switch KEY_ID | retire KEY_ID | abort KEY_ID | query
 *   (key from $CLUSAPI_AUTHKEY, port from $CLUSAPI_PORT or 3343)
 *
 * Prints the reply's key_id= (and other= for query). Exit 0, 1 if the node refused, 2 on usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rpc_proto.h"
#include "lib/lib.h"

static const char *const steps[] = {"", "stage", "switch", "retire", "abort", "query"};

int main(int argc, char **argv)
{
    struct rpc_conn conn;
    struct wire_writer w;
    struct rpc_reply r;
    uint32_t step = 0, status;
    char *v;

    for (uint32_t i = 1; argc >= 3 && i < sizeof(steps) / sizeof(steps[0]); i++)
        if (strcmp(argv[2], steps[i]) == 0)
            step = i;
    if (step == 0 || argc != (step == RPC_ROTATE_QUERY ? 3 : 4)) {
        fprintf(stderr, "usage: lab_rotate HOST stage KEY_HEX|switch ID|retire ID|abort ID|"
                        "query\n");
        return 2;
    }
    rpc_conn_init(&conn, argv[1], lib_port());
    rpc_request(&w, RPC_OP_ROTATE_CREDENTIAL);
    wire_put_u32(&w, RPC_F_ROTATE_STEP, step);
    if (argc == 4)
        wire_put_str(&w, step == RPC_ROTATE_STAGE ? RPC_F_KEY_HEX : RPC_F_KEY_ID, argv[3]);
    status = rpc_call(&conn, &w, 10000, &r);
    if (status != 0)
        fprintf(stderr, "lab_rotate: %s: status %u: %s\n", argv[1], status, r.errmsg);
    if (status == 0 && wire_get_strdup(r.data, r.len, RPC_F_KEY_ID, &v) == 0) {
        printf("key_id=%s\n", v);
        free(v);
    }
    if (status == 0 && wire_get_strdup(r.data, r.len, RPC_F_KEY_ID_OTHER, &v) == 0) {
        printf("other=%s\n", v);
        free(v);
    }
    rpc_reply_done(&r);
    rpc_conn_close(&conn);
    return status == 0 ? 0 : 1;
}
