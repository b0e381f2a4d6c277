/*
 * svc_group_ops — what clients ask of groups, answered on the leader (the table relays them
 * there): placement (online, move, offline) by the group manager, and create, delete and the
 * preferred owners, whose database commands are composed here from the typed request.
 */
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

#define MAX_PREFERRED 64

/* The group a request names (RPC_F_NAME, at most 255 bytes); finishes the call if malformed. */
static bool group_name(struct rpc_call *call, char name[256])
{
    if (svc_req_str(call, RPC_F_NAME, name, 256))
        return true;
    rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed group name");
    return false;
}

/* GROUP_ONLINE and GROUP_MOVE: NAME and NODE_ID (0 = best), decided by the group manager. */
static void place(struct svc *s, struct rpc_call *call, bool move)
{
    char group[256], errmsg[256] = "";
    uint64_t node = 0;
    int32_t state = 0;
    uint32_t status;

    if (!group_name(call, group))
        return;
    wire_get_u64(call->req, call->req_len, RPC_F_NODE_ID, &node);
    if (!move) {
        status = rgm_group_online(&s->rgm, group, node, errmsg, sizeof(errmsg));
    } else {
        status = rgm_group_move(&s->rgm, group, &node, &state, errmsg, sizeof(errmsg));
        wire_put_u32(&call->reply, RPC_F_STATE, (uint32_t)state);
        wire_put_u64(&call->reply, RPC_F_NODE_ID, node);
    }
    rpc_call_finish(call, status, "%s", errmsg);
}

void svc_op_group_online(struct svc *s, struct rpc_call *call)
{
    place(s, call, false);
}

void svc_op_group_move(struct svc *s, struct rpc_call *call)
{
    place(s, call, true);
}

void svc_op_group_offline(struct svc *s, struct rpc_call *call)
{
    char group[256], errmsg[256] = "";
    uint32_t force = 0, status;

    if (!group_name(call, group))
        return;
    wire_get_u32(call->req, call->req_len, RPC_F_FORCE, &force);
    status = rgm_group_offline(&s->rgm, group, force != 0, errmsg, sizeof(errmsg));
    rpc_call_finish(call, status, "%s", errmsg);
}

static void group_deleted(void *arg, int rv, uint32_t status, const char *errmsg)
{
    rpc_call_finish(arg, rv < 0 ? ERROR_CLUSTER_NODE_DOWN : status, "%s", errmsg ? errmsg : "");
}

void svc_op_group_delete(struct svc *s, struct rpc_call *call)
{
    char group[256], errmsg[256] = "";
    uint32_t force = 0, status;

    if (!group_name(call, group))
        return;
    wire_get_u32(call->req, call->req_len, RPC_F_FORCE, &force);
    status = rgm_group_delete(&s->rgm, group, force != 0, group_deleted, call, errmsg,
                              sizeof(errmsg));
    if (status != ERROR_IO_PENDING)
        rpc_call_finish(call, status, "%s", errmsg);
}

/* A new group is empty, offline and never the core group; the database refuses a name taken. */
void svc_op_group_create(struct svc *s, struct rpc_call *call)
{
    struct wire_writer w;
    char group[256];

    if (!group_name(call, group))
        return;
    if (group[0] == '\0') {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "a group needs a name");
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_add_group(&w, group, false);
    svc_op_commit(s, call, &w);
}

/* The NODE_IDs of a request, in order: each a member, none twice, at most MAX_PREFERRED.
 * Returns how many, or finishes the call and returns -1. */
static int preferred_nodes(struct svc *s, struct rpc_call *call, uint64_t ids[MAX_PREFERRED])
{
    struct wire_reader r;
    struct wire_field f;
    struct cdb_node node;
    int n = 0, rv;

    wire_reader_init(&r, call->req, call->req_len);
    while ((rv = wire_next(&r, &f)) > 0) {
        if (f.tag != RPC_F_NODE_ID)
            continue;
        if (n == MAX_PREFERRED || wire_field_u64(&f, &ids[n]) < 0)
            break;
        for (int k = 0; k < n; k++)
            if (ids[k] == ids[n])
                goto malformed;
        if (cdb_node_by_id(s->db, ids[n], &node) < 0) {
            rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_FOUND, "no node %llu in this cluster",
                            (unsigned long long)ids[n]);
            return -1;
        }
        n++;
    }
    if (rv == 0)
        return n;
malformed:
    rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed node list (at most %d nodes, "
                    "each once)", MAX_PREFERRED);
    return -1;
}

/* SetClusterGroupNodeList: the group's preferred owners, replaced as a whole. */
void svc_op_group_set_owners(struct svc *s, struct rpc_call *call)
{
    uint64_t ids[MAX_PREFERRED];
    struct wire_writer w;
    struct cdb_group g;
    char group[256];
    int n;

    if (!group_name(call, group) || (n = preferred_nodes(s, call, ids)) < 0)
        return;
    if (cdb_group_by_name(s->db, group, &g) < 0) {
        rpc_call_finish(call, ERROR_GROUP_NOT_FOUND, "group %s not found", group);
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_set_preferred(&w, g.name, ids, (size_t)n);
    svc_op_commit(s, call, &w);
}
