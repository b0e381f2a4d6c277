/*
 * rpc_msg — request and reply envelopes (see rpc_msg.h).
 */
#include "common/rpc_msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <clusapi_wintypes.h>

#include "common/rpc_proto.h"

int rpc_request_parse(const void *req, size_t len, uint32_t *ret_op)
{
    if (wire_validate(req, len) < 0 || wire_get_u32(req, len, RPC_F_OP, ret_op) < 0)
        return -EBADMSG;
    return 0;
}

void rpc_reply_build(struct wire_writer *w, uint32_t status, const char *errmsg,
                     const void *body, size_t body_len)
{
    wire_put_u32(w, RPC_F_STATUS, status);
    if (status != 0 && errmsg != NULL && errmsg[0] != '\0')
        wire_put_str(w, RPC_F_ERRMSG, errmsg);
    if (status == 0 && body_len > 0)
        wire_put_raw(w, body, body_len);
}

int rpc_reply_parse(const void *reply, size_t len, uint32_t *ret_status, char *errmsg,
                    size_t errmsg_size)
{
    uint32_t status;
    char *msg;

    if (wire_validate(reply, len) < 0 || wire_get_u32(reply, len, RPC_F_STATUS, &status) < 0)
        return -EBADMSG;
    *ret_status = status;
    if (errmsg_size == 0)
        return 0;
    errmsg[0] = '\0';
    if (wire_get_strdup(reply, len, RPC_F_ERRMSG, &msg) == 0) {
        snprintf(errmsg, errmsg_size, "%s", msg);
        free(msg);
    }
    return 0;
}

bool rpc_may_resend(uint32_t op, uint32_t status, bool sent)
{
    bool read_only = op == RPC_OP_QUERY || op == RPC_OP_NODE_INFO || op == RPC_OP_WAIT;

    /* refused before anything was done: not a member, or in a storage fault */
    if (status == ERROR_CLUSTER_NODE_NOT_MEMBER || status == ERROR_DISK_FULL ||
        status == ERROR_WRITE_PROTECT || status == ERROR_WRITE_FAULT)
        return true;
    return (status == ERROR_CLUSTER_NODE_UNREACHABLE || status == ERROR_TIMEOUT) &&
           (!sent || read_only);
}
