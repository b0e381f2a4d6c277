/*
 * svc_node_ops — a node's common properties (ClusterNodeControl SET/VALIDATE_COMMON_PROPERTIES),
 * answered on the leader, and the checks the quorum's cluster properties need against the
 * members (LowerQuorumPriorityNodeId names one; WitnessDynamicWeight is read from them).
 *
 * Every property of a request is checked before anything is committed, so a refusal changes
 * nothing. What a new NodeWeight does to the votes is the leader's vote logic's business: it
 * reads cdb_node.weight, which this file only records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/cluster_props.h"
#include "common/common_props.h"
#include "common/control_map.h"
#include "common/rpc_proto.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

#define WHY_SIZE 256

/* The node a request names (RPC_F_NAME); finishes the call if there is none. */
static bool named_node(struct svc *s, struct rpc_call *call, struct cdb_node *ret)
{
    char name[256];

    if (!svc_req_str(call, RPC_F_NAME, name, sizeof(name))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "malformed node name");
        return false;
    }
    if (cdb_node_by_name(s->db, name, ret) < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_FOUND, "no node '%s' in this cluster", name);
        return false;
    }
    return true;
}

/*
 * The NodeWeight a checked request asks for (its last value; a property without a value goes
 * back to the default) into *ret; false when the request does not set it.
 */
static bool requested_weight(const struct svc_props *p, uint32_t *ret)
{
    bool found = false;

    for (size_t i = 0; i < p->n; i++)
        if (strcasecmp(p->items[i].name, CPROP_NODE_WEIGHT) == 0) {
            *ret = cprop_dword(CPROP_NODE, CPROP_NODE_WEIGHT, p->items[i].value);
            found = true;
        }
    return found;
}

/* ClusterNodeControl SET/VALIDATE_COMMON_PROPERTIES: NAME, PROP*, VALIDATE. */
void svc_op_node_set_props(struct svc *s, struct rpc_call *call)
{
    struct svc_props props = {NULL, 0};
    struct cdb_node node;
    struct wire_writer w;
    char why[WHY_SIZE];
    uint32_t validate = 0, weight = 0, st;

    if (!named_node(s, call, &node))
        return;
    wire_get_u32(call->req, call->req_len, RPC_F_VALIDATE, &validate);
    if ((st = svc_req_props(call, &props, why, sizeof(why))) == 0)
        st = cprop_check_all(CPROP_NODE, props.items, props.n, why, sizeof(why));
    if (st == 0 && node.witness && requested_weight(&props, &weight)) {
        st = ERROR_INVALID_OPERATION_ON_QUORUM;
        snprintf(why, sizeof(why), "node %s is the cluster's witness: it always votes, so it "
                 "has no NodeWeight to set (remove the witness instead)", node.name);
    }
    if (st != 0 || validate == 1 || !requested_weight(&props, &weight)) {
        rpc_call_finish(call, st, "%s", st ? why : "");
    } else {
        wire_writer_init(&w);
        cdb_cmd_set_node_weight(&w, node.id, weight);
        svc_op_commit(s, call, &w);
    }
    svc_props_done(&props);
}

uint32_t svc_check_cluster_prop(struct svc *s, const char *name, const char *value, char *why,
                                size_t n)
{
    struct cdb_node node;
    uint64_t id = cluster_prop_u32(name, value);

    if (!cluster_prop_names_node(name) || id == 0)
        return 0;
    if (cdb_node_by_id(s->db, id, &node) < 0) {
        snprintf(why, n, "%s: there is no node %llu in this cluster (0 for none)", name,
                 (unsigned long long)id);
        return ERROR_INVALID_PARAMETER;
    }
    if (node.witness) {
        snprintf(why, n, "%s: node %llu (%s) is the witness, whose vote dynamic quorum never "
                 "takes", name, (unsigned long long)id, node.name);
        return ERROR_INVALID_PARAMETER;
    }
    return 0;
}

int svc_witness_votes(struct svc *s, bool *ret)
{
    struct cdb_node *nodes;
    size_t n;
    int rv = cdb_nodes(s->db, &nodes, &n);

    if (rv < 0)
        return rv;
    *ret = false;
    for (size_t i = 0; i < n; i++)
        if (nodes[i].witness && nodes[i].role == CONTROL_ROLE_VOTER)
            *ret = true;
    free(nodes);
    return 0;
}
