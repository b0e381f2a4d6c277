/*
 * rpc_msg — the envelope of every management request and reply (see rpc_proto.h): a request is
 * a well-formed wire message carrying RPC_F_OP; a reply carries RPC_F_STATUS first, then, on
 * failure, RPC_F_ERRMSG, and on success the operation's own fields. Pure: no I/O.
 */
#ifndef CLUSAPI_RPC_MSG_H
#define CLUSAPI_RPC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/wire.h"

/* The operation of a request: 0 and *ret_op, or -EBADMSG (malformed, or no u32 op field). */
int rpc_request_parse(const void *req, size_t len, uint32_t *ret_op);

/*
 * Writes a reply into w: status, then errmsg when status is not 0 (errmsg NULL or "" omits it),
 * then body[0..body_len) (already encoded fields) when status is 0. Check
 * wire_writer_failed() after.
 */
void rpc_reply_build(struct wire_writer *w, uint32_t status, const char *errmsg,
                     const void *body, size_t body_len);

/*
 * Reads a reply's status and, when present and valid, its message (cut to errmsg_size bytes with
 * the NUL; "" when absent). 0, or -EBADMSG when the reply is malformed or has no u32 status; the
 * outputs are untouched then.
 */
int rpc_reply_parse(const void *reply, size_t len, uint32_t *ret_status, char *errmsg,
                    size_t errmsg_size);

/*
 * A call of operation op failed with status (a transport error, or the node's refusal); sent:
 * the request had left this side. May the same request go to another node? A node that refused
 * it (not a member, or in a storage fault: ERROR_DISK_FULL, ERROR_WRITE_PROTECT,
 * ERROR_WRITE_FAULT, daemon/svc/svc_storage.h) did nothing, and a request that never left did
 * nothing; a read is harmless
 * twice; but a change that left may have been carried out, so sending it again could make it
 * twice (a group "already existing" to the call that created it).
 */
bool rpc_may_resend(uint32_t op, uint32_t status, bool sent);

#endif
