/*
 * lab_statuscmd — status commands (what only the cluster itself may record) sent to one node
 * through every operation that carries a database command, for scenario_status_commands.sh.
 *
 *   lab_statuscmd admin HOST
 *       with the admin key ($CLUSAPI_AUTHKEY): each status command through RPC_OP_APPLY, and
 *       a report through RPC_OP_MEMBER_REPORT (members only).
 *   lab_statuscmd member KEYFILE CLUSTER_ID HOST
 *       with the cluster credential in KEYFILE (cluster.key): each status command through
 *       RPC_OP_APPLY, and forged reports through RPC_OP_MEMBER_REPORT: about another node, about
 *       a group or resource the sender does not own, a handover, a batch, from a non-member.
 *   lab_statuscmd control KEYFILE CLUSTER_ID HOST
 *       what is allowed, so the refusals above are shown to be the service's doing: a SYNC
 *       reported by a member about itself, and a configuration command with the admin key.
 *
 * The sender of the member reports is a member that does not own the core group; "the other"
 * is the node that owns it (and its resources). Each attempt prints "refused WHAT (status N)" when
 * the node answered the expected refusal, else "ACCEPTED WHAT (status N: reason)" (for control,
 * "ok WHAT" or "FAILED WHAT"). Exit 0 if every attempt went as expected, 1 if not, 2 on errors.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "daemon/keys/cred_ring.h"
#include "lib/lib.h"

#define CALL_TIMEOUT_MS 10000
#define NOT_A_MEMBER 999999

/* What the attempts aim at, read from the node's database. */
struct view {
    uint64_t sender, other; /* a member that owns nothing of the core group; its owner */
    char group[256];
    char resource[256];     /* a resource of the core group, owned by other */
};

static struct rpc_conn conn;
static int failures;

/* One request (consumed); the node's status, its reason in errmsg. */
static uint32_t call(struct wire_writer *req, char *errmsg, size_t n)
{
    struct rpc_reply r;
    uint32_t status = rpc_call(&conn, req, CALL_TIMEOUT_MS, &r);

    snprintf(errmsg, n, "%s", r.errmsg);
    rpc_reply_done(&r);
    return status;
}

/* Sends cmd (built in w, consumed) through op, as node sender for MEMBER_REPORT; checks the
 * answer is want. */
static void attempt(uint32_t op, uint64_t sender, struct wire_writer *cmd, uint32_t want,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void attempt(uint32_t op, uint64_t sender, struct wire_writer *cmd, uint32_t want,
                    const char *fmt, ...)
{
    char what[256], errmsg[LIB_ERRMSG_SIZE];
    struct wire_writer req;
    size_t len;
    uint8_t *bytes = wire_writer_take(cmd, &len);
    uint32_t status;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (bytes == NULL) {
        fprintf(stderr, "lab_statuscmd: out of memory\n");
        exit(2);
    }
    rpc_request(&req, op);
    if (op == RPC_OP_MEMBER_REPORT)
        wire_put_u64(&req, RPC_F_NODE_ID, sender);
    wire_put_blob(&req, RPC_F_COMMAND, bytes, len);
    free(bytes);
    status = call(&req, errmsg, sizeof(errmsg));
    if (status == want) {
        printf("%s %s (status %u)\n", want ? "refused" : "ok", what, status);
        return;
    }
    printf("%s %s (status %u: %s)\n", want ? "ACCEPTED" : "FAILED", what, status, errmsg);
    failures++;
}

/* ------------------------------------------------------------------------------------------ */
/* The database as the node sees it                                                            */
/* ------------------------------------------------------------------------------------------ */

typedef void (*row_fn)(struct view *v, const struct wire_field *row);

static void query(struct view *v, uint32_t what, row_fn fn)
{
    char errmsg[LIB_ERRMSG_SIZE];
    struct wire_writer req;
    struct wire_reader rd;
    struct wire_field f;
    struct rpc_reply r;

    rpc_request(&req, RPC_OP_QUERY);
    wire_put_u32(&req, RPC_F_QUERY, what);
    if (rpc_call(&conn, &req, CALL_TIMEOUT_MS, &r) != 0) {
        snprintf(errmsg, sizeof(errmsg), "%s", r.errmsg);
        rpc_reply_done(&r);
        fprintf(stderr, "lab_statuscmd: query %u: %s\n", what, errmsg);
        exit(2);
    }
    wire_reader_init(&rd, r.data, r.len);
    while (wire_next(&rd, &f) > 0)
        if (f.tag == RPC_F_ITEM)
            fn(v, &f);
    rpc_reply_done(&r);
}

static void copy_str(const struct wire_field *row, uint16_t tag, char *buf, size_t n)
{
    char *s = NULL;

    if (wire_get_strdup(row->value, row->len, tag, &s) == 0)
        snprintf(buf, n, "%s", s);
    free(s);
}

/* The first core group that has an owner (Available Storage has none). */
static void core_group_row(struct view *v, const struct wire_field *row)
{
    uint64_t owner = 0;
    uint32_t core = 0;

    if (v->other == 0 && wire_get_u32(row->value, row->len, RPC_F_CORE, &core) == 0 && core &&
        wire_get_u64(row->value, row->len, RPC_F_OWNER, &owner) == 0 && owner != 0) {
        copy_str(row, RPC_F_NAME, v->group, sizeof(v->group));
        v->other = owner;
    }
}

static void node_row(struct view *v, const struct wire_field *row)
{
    uint64_t id = 0;

    wire_get_u64(row->value, row->len, RPC_F_NODE_ID, &id);
    if (v->sender == 0 && id != v->other)
        v->sender = id;
}

static void resource_row(struct view *v, const struct wire_field *row)
{
    char group[256] = "";
    uint64_t owner = 0;

    copy_str(row, RPC_F_GROUP, group, sizeof(group));
    wire_get_u64(row->value, row->len, RPC_F_OWNER, &owner);
    if (v->resource[0] == '\0' && strcmp(group, v->group) == 0 && owner == v->other)
        copy_str(row, RPC_F_NAME, v->resource, sizeof(v->resource));
}

static void read_view(struct view *v)
{
    memset(v, 0, sizeof(*v));
    query(v, RPC_QUERY_GROUPS, core_group_row);
    query(v, RPC_QUERY_NODES, node_row);
    query(v, RPC_QUERY_RESOURCES, resource_row);
    if (v->other == 0 || v->sender == 0 || v->resource[0] == '\0') {
        fprintf(stderr, "lab_statuscmd: no owned core group with a resource and another node "
                "(core group '%s' on node %" PRIu64 ", sender %" PRIu64 ", resource '%s')\n",
                v->group, v->other, v->sender, v->resource);
        exit(2);
    }
    printf("sender node %" PRIu64 ", other node %" PRIu64 " owns %s and %s\n", v->sender,
           v->other, v->group, v->resource);
}

/* ------------------------------------------------------------------------------------------ */
/* The attempts                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Each status command once, aimed as an administrator (or a member) would to do harm; the
 * sender, where a command names one, is v->sender. */
static void status_commands(const struct view *v, uint32_t op, const char *via)
{
    struct wire_writer w;
    size_t mark;

#define TRY(build, ...)                                                                         \
    do {                                                                                        \
        wire_writer_init(&w);                                                                   \
        build;                                                                                  \
        attempt(op, v->sender, &w, ERROR_ACCESS_DENIED, __VA_ARGS__);                           \
    } while (0)
    TRY(cdb_cmd_set_node_state(&w, v->other, ClusterNodeDown), "%s SET_NODE_STATE Down", via);
    TRY(cdb_cmd_set_group_state(&w, v->group, ClusterGroupOnline, v->sender),
        "%s SET_GROUP_STATE Online on the sender", via);
    TRY(cdb_cmd_set_resource_state(&w, v->resource, ClusterResourceOnline, v->sender),
        "%s SET_RESOURCE_STATE Online on the sender", via);
    TRY(cdb_cmd_release_resource(&w, v->resource, v->other), "%s RELEASE_RESOURCE", via);
    TRY(cdb_cmd_confirm_node(&w, v->other, 0), "%s CONFIRM_NODE", via);
    TRY(cdb_cmd_expect_node(&w, v->other, 0), "%s EXPECT_NODE", via);
    TRY(cdb_cmd_sync(&w), "%s SYNC", via);
    TRY(cdb_cmd_remove_node(&w, v->other), "%s REMOVE_NODE", via);
    TRY(cdb_cmd_set_node_role(&w, v->other, 0), "%s SET_NODE_ROLE", via);
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "smuggled", false);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_resource_state(&w, v->resource, ClusterResourceOffline, 0);
    cdb_cmd_batch_sub_end(&w, mark);
    attempt(op, v->sender, &w, ERROR_ACCESS_DENIED,
            "%s BATCH of ADD_GROUP and SET_RESOURCE_STATE Offline", via);
#undef TRY
}

/* Reports a member might forge through RPC_OP_MEMBER_REPORT, as v->sender. */
static void forged_reports(const struct view *v)
{
    const uint32_t op = RPC_OP_MEMBER_REPORT;
    struct wire_writer w;
    size_t mark;

#define FORGE(want, sender, build, ...)                                                         \
    do {                                                                                        \
        wire_writer_init(&w);                                                                   \
        build;                                                                                  \
        attempt(op, sender, &w, want, "report " __VA_ARGS__);                                  \
    } while (0)
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_set_node_state(&w, v->other, ClusterNodeDown),
          "SET_NODE_STATE of another node Down");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_set_node_state(&w, v->other, ClusterNodeUp),
          "SET_NODE_STATE of another node Up");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_set_node_state(&w, v->sender, ClusterNodeDown),
          "SET_NODE_STATE of itself Down");
    FORGE(ERROR_ACCESS_DENIED, v->sender,
          (cdb_cmd_set_group_state(&w, v->group, ClusterGroupOnline, v->sender),
           cdb_cmd_expect_owner(&w, v->other)),
          "SET_GROUP_STATE taking over another node's group");
    FORGE(ERROR_INVALID_STATE, v->sender,
          (cdb_cmd_set_group_state(&w, v->group, ClusterGroupFailed, v->sender),
           cdb_cmd_expect_owner(&w, v->sender)),
          "SET_GROUP_STATE of a group it does not own, as its owner");
    FORGE(ERROR_ACCESS_DENIED, v->sender,
          (cdb_cmd_set_resource_state(&w, v->resource, ClusterResourceOffline, 0),
           cdb_cmd_expect_owner(&w, v->other)),
          "SET_RESOURCE_STATE of another node's resource");
    FORGE(ERROR_INVALID_STATE, v->sender,
          (cdb_cmd_set_resource_state(&w, v->resource, ClusterResourceOnline, v->sender),
           cdb_cmd_expect_owner(&w, v->sender)),
          "SET_RESOURCE_STATE of a resource it does not own, as its owner");
    FORGE(ERROR_ACCESS_DENIED, v->sender,
          (cdb_cmd_set_resource_state(&w, v->resource, ClusterResourceOnlinePending, v->sender),
           cdb_cmd_expect_owner(&w, v->sender), cdb_cmd_hand_over(&w)),
          "SET_RESOURCE_STATE with a handover");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_release_resource(&w, v->resource, v->other),
          "RELEASE_RESOURCE for another node");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_confirm_node(&w, v->other, 0),
          "CONFIRM_NODE of another node");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_expect_node(&w, v->sender, 0),
          "EXPECT_NODE");
    FORGE(ERROR_ACCESS_DENIED, NOT_A_MEMBER, cdb_cmd_sync(&w), "SYNC from a non-member");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_remove_node(&w, v->other), "REMOVE_NODE");
    FORGE(ERROR_ACCESS_DENIED, v->sender, cdb_cmd_set_node_role(&w, v->sender, 0),
          "SET_NODE_ROLE");
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_set_node_state(&w, v->sender, ClusterNodeUp);
    cdb_cmd_batch_sub_end(&w, mark);
    attempt(op, v->sender, &w, ERROR_ACCESS_DENIED, "report BATCH holding SET_NODE_STATE Up");
#undef FORGE
}

/* ------------------------------------------------------------------------------------------ */
/* Main                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* The cluster credential in keyfile (cluster.key: identity line, then the key in hex). */
static void load_credential(const char *keyfile, const char *cluster_id, struct cred *ret)
{
    struct channel_key raw;
    FILE *f = fopen(keyfile, "re");
    char line[256];

    if (f == NULL || fgets(line, sizeof(line), f) == NULL || fgets(line, sizeof(line), f) == NULL ||
        channel_key_from_hex(line, &raw) < 0 || cred_make(cluster_id, raw.bytes, ret) < 0) {
        fprintf(stderr, "lab_statuscmd: cannot read a credential from %s\n", keyfile);
        exit(2);
    }
    fclose(f);
}

static void control(const struct view *v, const char *host)
{
    struct wire_writer w;

    wire_writer_init(&w);
    cdb_cmd_sync(&w);
    attempt(RPC_OP_MEMBER_REPORT, v->sender, &w, 0, "report SYNC of a member about itself");
    rpc_conn_close(&conn);
    rpc_conn_init(&conn, host, lib_port()); /* the admin key */
    wire_writer_init(&w);
    cdb_cmd_set_prop(&w, "StatusCommandsControl", "1");
    attempt(RPC_OP_APPLY, 0, &w, 0, "APPLY of a configuration command (SET_PROP)");
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    struct view v;
    struct cred c = {0};
    bool admin = strcmp(mode, "admin") == 0 && argc == 3;

    if (!admin && !(argc == 5 && (strcmp(mode, "member") == 0 || strcmp(mode, "control") == 0))) {
        fprintf(stderr, "usage: lab_statuscmd admin HOST | {member|control} KEYFILE CLUSTER_ID "
                "HOST\n");
        return 2;
    }
    rpc_conn_init(&conn, argv[argc - 1], lib_port());
    if (!admin) {
        load_credential(argv[2], argv[3], &c);
        conn.key = &c.key;
    }
    read_view(&v);
    if (admin) {
        struct wire_writer w;

        status_commands(&v, RPC_OP_APPLY, "admin APPLY");
        status_commands(&v, RPC_OP_MEMBER_REPORT, "admin MEMBER_REPORT");
        wire_writer_init(&w);
        cdb_cmd_sync(&w);
        attempt(RPC_OP_MEMBER_REPORT, v.sender, &w, ERROR_ACCESS_DENIED,
                "admin MEMBER_REPORT of a member's own SYNC");
    } else if (strcmp(mode, "member") == 0) {
        status_commands(&v, RPC_OP_APPLY, "member APPLY");
        forged_reports(&v);
    } else {
        control(&v, argv[argc - 1]);
    }
    rpc_conn_close(&conn);
    explicit_bzero(&c, sizeof(c));
    return failures == 0 ? 0 : 1;
}
