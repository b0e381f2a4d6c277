/*
 * svc_resource_state_ops — what clients ask of one resource's state, answered on the leader (the
 * table relays them there): online and offline by the group manager (rgm_resource_online /
 * rgm_resource_offline: ERROR_IO_PENDING while it happens, answered once the request's commit
 * is applied here, with the database version it made, so the caller can wait on any node for
 * what follows without reading a state from before it), and
 * FailClusterResource, a FAIL_RESOURCE commit that the resource's owner takes as a failure.
 */
#include <stdlib.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

/* The resource a request names (RPC_F_NAME, at most 255 bytes); finishes the call if
 * malformed. */
static bool resource_name(struct rpc_call *call, char name[256])
{
    if (svc_req_str(call, RPC_F_NAME, name, 256) && name[0] != '\0')
        return true;
    rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed resource name");
    return false;
}

struct state_request {
    struct svc *s;
    struct rpc_call *call;
};

/* The request's commit is applied (or refused): still pending, as of this database version. */
static void state_committed(void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct state_request *q = arg;

    if (rv < 0 || status != 0) {
        rpc_call_finish(q->call, rv < 0 ? ERROR_CLUSTER_NODE_DOWN : status, "%s",
                        errmsg != NULL ? errmsg : "");
    } else {
        wire_put_u64(&q->call->reply, RPC_F_DB_VERSION, cdb_version(q->s->db));
        rpc_call_finish(q->call, ERROR_IO_PENDING, NULL);
    }
    free(q);
}

static void change_state(struct svc *s, struct rpc_call *call, bool online)
{
    char name[256], errmsg[256] = "";
    struct state_request *q;
    uint32_t status;

    if (!resource_name(call, name))
        return;
    q = malloc(sizeof(*q));
    if (q == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    *q = (struct state_request){s, call};
    status = online ? rgm_resource_online(&s->rgm, name, state_committed, q, errmsg,
                                          sizeof(errmsg))
                    : rgm_resource_offline(&s->rgm, name, state_committed, q, errmsg,
                                           sizeof(errmsg));
    if (status == ERROR_IO_PENDING)
        return; /* state_committed answers */
    free(q);
    rpc_call_finish(call, status, "%s", errmsg);
}

void svc_op_resource_online(struct svc *s, struct rpc_call *call)
{
    change_state(s, call, true);
}

void svc_op_resource_offline(struct svc *s, struct rpc_call *call)
{
    change_state(s, call, false);
}

/* Only an online resource can fail on request; its owner sees the fail count rise. */
void svc_op_resource_fail(struct svc *s, struct rpc_call *call)
{
    struct cdb_resource r;
    struct wire_writer w;
    char name[256];

    if (!resource_name(call, name))
        return;
    if (cdb_resource_by_name(s->db, name, &r) < 0) {
        rpc_call_finish(call, ERROR_RESOURCE_NOT_FOUND, "resource %s not found", name);
        return;
    }
    if (r.state != ClusterResourceOnline) {
        rpc_call_finish(call, ERROR_RESMON_INVALID_STATE, "resource %s is not online", r.name);
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_fail_resource(&w, r.name);
    svc_op_commit(s, call, &w);
}
