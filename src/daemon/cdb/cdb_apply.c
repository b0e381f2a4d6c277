/*
 * cdb_apply — the cluster database's commands (see cdb_cmd.h): decoding each field of a command,
 * the checks and the change of one handler per command, and cdb_apply(), which runs them in one
 * transaction. Handlers return 0, a Win32 status (rejected: the transaction rolls back), or a
 * negative errno; they decide by explicit checks in a fixed order, reading only the database.
 */
#include "daemon/cdb/cdb_internal.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <clusapi.h>

#include "common/wire.h"
#include "common/cdb_cmd.h"
#include "common/cluster_props.h"
#include "common/quarantine.h"

/* Initial states (CLUSTER_NODE_STATE Down, CLUSTER_GROUP_STATE Offline, resource Offline). */
#define NODE_STATE_INITIAL 1
#define NODE_STATE_UP 0
#define NODE_STATE_DOWN 1
#define GROUP_STATE_INITIAL 1
#define RESOURCE_STATE_INITIAL 3
#define RESOURCE_STATE_FAILED 4

/* ---------------------------------------------------------------------------------------- */
/* Command arguments                                                                        */
/* ---------------------------------------------------------------------------------------- */

/* The field of a tag the handlers read (one of cdb_cmd.h's). */
const struct cdb_field *cdb_field_of(uint16_t tag)
{
    const struct cdb_field *f = cdb_cmd_field(tag);

    assert(f != NULL);
    return f;
}

/* A wire error on a field: -ENOMEM stays internal, anything else rejects the command. */
int cdb_bad_field(struct cdb *db, int r, uint16_t tag)
{
    if (r == -ENOMEM)
        return -ENOMEM;
    return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s' %s", cdb_field_of(tag)->name,
                      r == -ENOENT ? "missing" : "malformed");
}

/* A string field of at most max bytes (non-empty unless ARG_EMPTY_OK), malloc'd. */
int cdb_arg_str(struct cdb *db, const struct msg *m, uint16_t tag, size_t max, unsigned flags,
                   char **ret)
{
    char *s;
    size_t n;
    int r = wire_get_strdup(m->data, m->len, tag, &s);

    if (r == -ENOENT && (flags & ARG_OPTIONAL)) {
        *ret = NULL;
        return 0;
    }
    if (r < 0)
        return cdb_bad_field(db, r, tag);
    n = strlen(s);
    if ((n == 0 && !(flags & ARG_EMPTY_OK)) || n > max) {
        free(s);
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s': length %zu not in 1..%zu",
                          cdb_field_of(tag)->name, n, max);
    }
    *ret = s;
    return 0;
}

/* An integer field, at the width cdb_cmd_field() gives its tag, in min..max. */
int cdb_arg_int(struct cdb *db, const struct msg *m, uint16_t tag, int64_t min, int64_t max,
                   int64_t *ret)
{
    const struct cdb_field *fd = cdb_field_of(tag);
    struct wire_field f;
    uint64_t v;
    int r = wire_find(m->data, m->len, tag, &f);

    assert(fd->width != 0 && (fd->is_signed || min >= 0));
    if (r == 0 && f.len != fd->width)
        r = -EBADMSG;
    if (r < 0)
        return cdb_bad_field(db, r, tag);
    v = wire_le_get(f.value, fd->width);
    if (fd->is_signed && ((int64_t)v < min || (int64_t)v > max))
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s': %lld out of range", fd->name,
                          (long long)v);
    if (!fd->is_signed && (v < (uint64_t)min || v > (uint64_t)max))
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "field '%s': %llu out of range", fd->name,
                          (unsigned long long)v);
    *ret = (int64_t)v;
    return 0;
}

static int arg_node_id(struct cdb *db, const struct msg *m, uint16_t tag, int64_t *ret)
{
    return cdb_arg_int(db, m, tag, 1, INT64_MAX, ret);
}

/* An owner: a node id or 0 for none. */
static int arg_owner(struct cdb *db, const struct msg *m, int64_t *ret)
{
    return cdb_arg_int(db, m, CDB_TAG_OWNER, 0, INT64_MAX, ret);
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups used by the handlers: 0, the "not found" status, or a negative errno             */
/* ---------------------------------------------------------------------------------------- */

int cdb_need_node(struct cdb *db, int64_t id)
{
    int r = cdb_sql_int(db, NULL, "SELECT 1 FROM node WHERE id = ?", "i", id);

    if (r == -ENOENT)
        return cdb_reject(db, ERROR_CLUSTER_NODE_NOT_FOUND, "node %lld not found", (long long)id);
    return r;
}

/* The ID field of a node command: a node that exists. */
static int arg_known_node(struct cdb *db, const struct msg *m, int64_t *ret)
{
    int r = arg_node_id(db, m, CDB_TAG_ID, ret);

    return r != 0 ? r : cdb_need_node(db, *ret);
}

/* An owner of 0 means "none" and always exists. */
static int need_owner(struct cdb *db, int64_t owner)
{
    return owner == 0 ? 0 : cdb_need_node(db, owner);
}

/* r, the result of looking up something by name, with -ENOENT turned into the rejection. */
int cdb_need_found(struct cdb *db, int r, int not_found, const char *what, const char *name)
{
    if (r == -ENOENT)
        return cdb_reject(db, not_found, "%s '%s' not found", what, name);
    return r;
}

int cdb_need_restype(struct cdb *db, const char *name)
{
    int r = cdb_sql_int(db, NULL, "SELECT 1 FROM restype WHERE name = ?", "t", name);

    return cdb_need_found(db, r, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, "resource type", name);
}

/* 0 when the query finds nothing, else rejects with status (a duplicate). */
int cdb_need_absent(struct cdb *db, int status, const char *what, const char *name,
                       const char *sql)
{
    int r = cdb_sql_int(db, NULL, sql, "t", name);

    if (r == 0)
        return cdb_reject(db, status, "%s '%s' already exists", what, name);
    return r == -ENOENT ? 0 : r;
}

/* CLUSTER_RESOURCE_STATE: Unknown -1, Inherited 0, Initializing 1, Online 2, Offline 3,
 * Failed 4, Pending 128, OnlinePending 129, OfflinePending 130. */
static bool resource_state_valid(int64_t s)
{
    return (s >= -1 && s <= 4) || (s >= 128 && s <= 130);
}

/* Groups and resources, which the commands that name one (delete, state report) treat alike. */
struct object_kind {
    const char *what; /* for messages */
    int not_found;    /* the Win32 status of an unknown name */
    int (*id_of)(struct cdb *db, const char *name, int64_t *ret);
    const char *owner_sql;  /* its owner, by id */
    const char *delete_sql; /* by id */
    int64_t max_state;      /* states are -1..max_state */
    bool (*state_valid)(int64_t state); /* NULL: every state in that range */
};

static const struct object_kind group_kind = {
    "group", ERROR_GROUP_NOT_FOUND, cdb_group_id, "SELECT owner FROM grp WHERE id = ?",
    "DELETE FROM grp WHERE id = ?", 4, NULL,
};

static const struct object_kind resource_kind = {
    "resource", ERROR_RESOURCE_NOT_FOUND, cdb_resource_id,
    "SELECT owner FROM resource WHERE id = ?", "DELETE FROM resource WHERE id = ?", 130,
    resource_state_valid,
};

static int need_object(struct cdb *db, const struct object_kind *k, const char *name,
                       int64_t *ret_id)
{
    return cdb_need_found(db, k->id_of(db, name, ret_id), k->not_found, k->what, name);
}

int cdb_need_group(struct cdb *db, const char *name, int64_t *ret_id)
{
    return need_object(db, &group_kind, name, ret_id);
}

int cdb_need_resource(struct cdb *db, const char *name, int64_t *ret_id)
{
    return need_object(db, &resource_kind, name, ret_id);
}

/* ---------------------------------------------------------------------------------------- */
/* Command handlers: 0, a Win32 status (rejected), or a negative errno                      */
/* ---------------------------------------------------------------------------------------- */

static int cmd_set_prop(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *key = NULL;
    _cleanup_free_ char *value = NULL;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_KEY, CDB_NAME_MAX, 0, &key)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_VALUE, SIZE_MAX, ARG_OPTIONAL | ARG_EMPTY_OK, &value)))
        return r;
    if (value == NULL)
        return cdb_sql_exec(db, "DELETE FROM prop WHERE key = ?", "t", key);
    return cdb_sql_exec(db,
                        "INSERT INTO prop(key, value) VALUES(?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        "tt", key, value);
}

static int cmd_add_node(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *address = NULL;
    int64_t id, port, raft_port, role, witness = 0;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NODE_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_ADDRESS, CDB_ADDRESS_MAX, 0, &address)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_PORT, 1, 65535, &port)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_RAFT_PORT, 1, 65535, &raft_port)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_ROLE, 0, 2, &role)))
        return r;
    if (wire_find(m->data, m->len, CDB_TAG_WITNESS, &(struct wire_field){0}) != -ENOENT &&
        (r = cdb_arg_int(db, m, CDB_TAG_WITNESS, 1, 1, &witness)))
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM node WHERE id = ? OR name = ?", "it", id, name);
    if (r == 0)
        return cdb_reject(db, ERROR_CLUSTER_NODE_EXISTS, "node %lld or '%s' already exists",
                          (long long)id, name);
    if (r != -ENOENT)
        return r;
    return cdb_sql_exec(db,
                        "INSERT INTO node(id, name, address, port, raft_port, role, state,"
                        " incarnation, witness) VALUES(?, ?, ?, ?, ?, ?, ?, 0, ?)",
                        "ittiiiii", id, name, address, port, raft_port, role,
                        (int64_t)NODE_STATE_INITIAL, witness);
}

static int cmd_remove_node(struct cdb *db, const struct msg *m)
{
    int64_t id;
    int r = arg_known_node(db, m, &id);

    return r != 0 ? r : cdb_sql_exec(db, "DELETE FROM node WHERE id = ?", "i", id);
}

/* node, which held a lease before, left the cluster at at_ms without leaving gracefully (it
 * was found Down, or came back from a lapse nobody saw): the departure counts toward its
 * quarantine (common/quarantine.h), and is remembered until the node's next CONFIRM_NODE (column
 * departed), which then counts none: a node found Down, heard again and then confirming left
 * once, not twice. A witness hosts nothing: it is never counted, nor counted among the nodes the
 * cap divides. */
static int count_departure(struct cdb *db, struct cdb_node *node, int64_t at_ms)
{
    int64_t id = (int64_t)node->id, n_nodes, n_quarantined;
    int r;

    if (node->incarnation == 0 || node->left || node->witness)
        return 0;
    if ((r = cdb_sql_int(db, &n_nodes, "SELECT COUNT(*) FROM node WHERE witness = 0", "")) ||
        (r = cdb_sql_int(db, &n_quarantined,
                         "SELECT COUNT(*) FROM node WHERE witness = 0 AND id != ?"
                         " AND quarantined_until > ?", "ii", id, at_ms)))
        return r;
    quarantine_depart(&node->quarantine, at_ms,
                      cdb_prop_u32(db, CLUSTER_PROP_QUARANTINE_THRESHOLD,
                                   QUARANTINE_THRESHOLD_DEFAULT),
                      cdb_prop_u32(db, CLUSTER_PROP_QUARANTINE_DURATION,
                                   QUARANTINE_DURATION_DEFAULT),
                      (size_t)n_quarantined, (size_t)n_nodes);
    return cdb_sql_exec(db,
                        "UPDATE node SET departures = ?, departure_since = ?,"
                        " quarantined_until = ?, departed = 1 WHERE id = ?",
                        "iiii", (int64_t)node->quarantine.departures, node->quarantine.since_ms,
                        node->quarantine.until_ms, id);
}

/* The optional SINCE of a node command: 0 when absent. */
static int arg_since(struct cdb *db, const struct msg *m, int64_t *ret)
{
    struct wire_field f;

    *ret = 0;
    if (wire_find(m->data, m->len, CDB_TAG_SINCE, &f) == -ENOENT)
        return 0;
    return cdb_arg_int(db, m, CDB_TAG_SINCE, 1, INT64_MAX, ret);
}

static int cmd_set_node_state(struct cdb *db, const struct msg *m)
{
    int64_t id, state, at_ms;
    struct cdb_node node;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_STATE, -1, 3, &state)) || (r = cdb_need_node(db, id)) ||
        (r = arg_since(db, m, &at_ms)) || (r = cdb_node_by_id(db, (uint64_t)id, &node)))
        return r;
    if (at_ms != 0 && state == NODE_STATE_DOWN && node.state == NODE_STATE_UP &&
        (r = count_departure(db, &node, at_ms)))
        return r;
    return cdb_sql_exec(db, "UPDATE node SET state = ? WHERE id = ?", "ii", state, id);
}

static int cmd_confirm_node(struct cdb *db, const struct msg *m)
{
    int64_t id, at_ms, departed;
    struct cdb_node node;
    int r = arg_known_node(db, m, &id);

    if (r != 0 || (r = arg_since(db, m, &at_ms)) ||
        (r = cdb_node_by_id(db, (uint64_t)id, &node)) ||
        (r = cdb_sql_int(db, &departed, "SELECT departed FROM node WHERE id = ?", "i", id)))
        return r;
    /* Found Down since its last confirmation: its departure was counted then. */
    if (at_ms != 0 && node.state != NODE_STATE_DOWN && !departed &&
        (r = count_departure(db, &node, at_ms)))
        return r;
    return cdb_sql_exec(db,
                        "UPDATE node SET incarnation = incarnation + 1, left_cluster = 0, departed = 0,"
                        " state = CASE state WHEN ? THEN ? ELSE state END WHERE id = ?",
                        "iii", (int64_t)NODE_STATE_DOWN, (int64_t)NODE_STATE_UP, id);
}

static int cmd_clear_quarantine(struct cdb *db, const struct msg *m)
{
    int64_t id;
    int r = arg_known_node(db, m, &id);

    return r != 0 ? r
                  : cdb_sql_exec(db,
                                 "UPDATE node SET departures = 0, departure_since = 0,"
                                 " quarantined_until = 0 WHERE id = ?",
                                 "i", id);
}

static int cmd_set_node_storage(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *fault = NULL;
    int64_t id;
    int r;

    if ((r = arg_known_node(db, m, &id)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_VALUE, CDB_STORAGE_FAULT_MAX, ARG_OPTIONAL | ARG_EMPTY_OK,
                         &fault)))
        return r;
    return cdb_sql_exec(db, "UPDATE node SET storage_fault = ? WHERE id = ?", "ti",
                        fault != NULL ? fault : "", id);
}

static int cmd_expect_node(struct cdb *db, const struct msg *m)
{
    int64_t id, incarnation, have;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_INCARNATION, 0, INT64_MAX, &incarnation)) ||
        (r = cdb_need_node(db, id)) ||
        (r = cdb_sql_int(db, &have, "SELECT incarnation FROM node WHERE id = ?", "i", id)))
        return r;
    if (have != incarnation)
        return cdb_reject(db, ERROR_INVALID_STATE,
                          "node %lld came back (incarnation %lld, not %lld)", (long long)id,
                          (long long)have, (long long)incarnation);
    return 0;
}

static int cmd_set_node_role(struct cdb *db, const struct msg *m)
{
    int64_t id, role;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_ROLE, 0, 2, &role)) || (r = cdb_need_node(db, id)))
        return r;
    return cdb_sql_exec(db, "UPDATE node SET role = ? WHERE id = ?", "ii", role, id);
}

/* SET_NODE_WEIGHT and SET_NODE_LEFT: one flag of a node, 0 or 1, in column col. */
static int set_node_flag(struct cdb *db, const struct msg *m, uint16_t tag, const char *sql)
{
    int64_t id, v;
    int r;

    if ((r = arg_node_id(db, m, CDB_TAG_ID, &id)) || (r = cdb_arg_int(db, m, tag, 0, 1, &v)) ||
        (r = cdb_need_node(db, id)))
        return r;
    return cdb_sql_exec(db, sql, "ii", v, id);
}

static int cmd_set_node_weight(struct cdb *db, const struct msg *m)
{
    return set_node_flag(db, m, CDB_TAG_WEIGHT, "UPDATE node SET weight = ? WHERE id = ?");
}

/* Only in the incarnation it names (EXPECT_NODE's check): a leave that lands after the node
 * came back changes nothing. */
static int cmd_set_node_left(struct cdb *db, const struct msg *m)
{
    int r = cmd_expect_node(db, m);

    return r != 0 ? r
                  : set_node_flag(db, m, CDB_TAG_LEFT,
                                  "UPDATE node SET left_cluster = ? WHERE id = ?");
}

static int cmd_add_group(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t core;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_CORE, 0, 1, &core)) ||
        (r = cdb_need_absent(db, ERROR_OBJECT_ALREADY_EXISTS, "group", name,
                         "SELECT 1 FROM grp WHERE name = ?")))
        return r;
    return cdb_sql_exec(db, "INSERT INTO grp(name, core, state, owner) VALUES(?, ?, ?, NULL)",
                        "tii", name, core, (int64_t)GROUP_STATE_INITIAL);
}

/* DELETE_GROUP, DELETE_RESOURCE. */
static int delete_object(struct cdb *db, const struct msg *m, const struct object_kind *k)
{
    _cleanup_free_ char *name = NULL;
    int64_t id;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = need_object(db, k, name, &id)))
        return r;
    return cdb_sql_exec(db, k->delete_sql, "i", id);
}

static int cmd_delete_group(struct cdb *db, const struct msg *m)
{
    return delete_object(db, m, &group_kind);
}

/* DeleteClusterResource: only an Offline or Failed resource nobody depends on (MS-CMRP
 * ApiDeleteResource), so a delete never leaves a dependent without its provider. */
static int cmd_delete_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t id, state;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_need_resource(db, name, &id)) ||
        (r = cdb_sql_int(db, &state, "SELECT state FROM resource WHERE id = ?", "i", id)))
        return r;
    if (state != RESOURCE_STATE_INITIAL && state != RESOURCE_STATE_FAILED)
        return cdb_reject(db, ERROR_INVALID_STATE, "resource '%s' is not offline", name);
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM dependency WHERE provider = ?", "i", id);
    if (r == 0)
        return cdb_reject(db, ERROR_DEPENDENT_RESOURCE_EXISTS, "other resources depend on '%s'",
                          name);
    if (r != -ENOENT)
        return r;
    return cdb_sql_exec(db, resource_kind.delete_sql, "i", id);
}

/* What SET_GROUP_STATE and SET_RESOURCE_STATE report about an object. */
struct state_report {
    int64_t id; /* the object's */
    int64_t state;
    int64_t owner; /* 0 for none */
};

/*
 * Reads a state report about an object of kind k and checks it: the object and its new owner
 * exist, and the optional EXPECT_OWNER condition holds. 0 with *ret filled, or the rejection.
 */
static int read_state_report(struct cdb *db, const struct msg *m, const struct object_kind *k,
                             struct state_report *ret)
{
    _cleanup_free_ char *name = NULL;
    uint64_t expect;
    int64_t owner = 0;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_STATE, -1, k->max_state, &ret->state)) ||
        (r = arg_owner(db, m, &ret->owner)))
        return r;
    if (k->state_valid != NULL && !k->state_valid(ret->state))
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "%s state %lld invalid", k->what,
                          (long long)ret->state);
    if ((r = need_object(db, k, name, &ret->id)) || (r = need_owner(db, ret->owner)))
        return r;
    r = wire_get_u64(m->data, m->len, CDB_TAG_EXPECT_OWNER, &expect);
    if (r == -ENOENT)
        return 0;
    if (r < 0)
        return cdb_bad_field(db, r, CDB_TAG_EXPECT_OWNER);
    if ((r = cdb_sql_int(db, &owner, k->owner_sql, "i", ret->id)) < 0)
        return r;
    if ((uint64_t)owner != expect)
        return cdb_reject(db, ERROR_INVALID_STATE, "owned by node %lld, not %llu", (long long)owner,
                          (unsigned long long)expect);
    return 0;
}

static int cmd_set_group_state(struct cdb *db, const struct msg *m)
{
    struct state_report rep;
    int r = read_state_report(db, m, &group_kind, &rep);

    if (r != 0)
        return r;
    return cdb_sql_exec(db, "UPDATE grp SET state = ?, owner = ? WHERE id = ?", "ioi", rep.state,
                        (uint64_t)rep.owner, rep.id);
}

static int cmd_count_failover(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t grp, count, since;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_COUNT, 0, UINT32_MAX, &count)) ||
        (r = cdb_arg_int(db, m, CDB_TAG_SINCE, 0, INT64_MAX, &since)) ||
        (r = cdb_need_group(db, name, &grp)))
        return r;
    return cdb_sql_exec(db, "UPDATE grp SET failovers = ?, failover_since = ? WHERE id = ?",
                        "iii", count, since, grp);
}

/* A cdb_prop_fn: one private property of the new resource *arg that ADD_RESOURCE carries; a
 * repeated key breaks the primary key (87). */
static int add_resource_prop(struct cdb *db, struct cdb_propval *pv, const void *arg)
{
    return cdb_sql_exec(db,
                        "INSERT INTO resprop(resource, common, key, syntax, value)"
                        " VALUES(?, 0, ?, ?, ?)",
                        "itit", *(const int64_t *)arg, pv->key, (int64_t)pv->syntax, pv->value);
}

static int cmd_add_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_free_ char *type = NULL;
    _cleanup_free_ char *group = NULL;
    int64_t grp, id;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_TYPE, CDB_NAME_MAX, 0, &type)) ||
        (r = cdb_arg_str(db, m, CDB_TAG_GROUP, CDB_NAME_MAX, 0, &group)) ||
        (r = cdb_need_absent(db, ERROR_OBJECT_ALREADY_EXISTS, "resource", name,
                         "SELECT 1 FROM resource WHERE name = ?")) ||
        (r = cdb_need_restype(db, type)) ||
        (r = cdb_need_group(db, group, &grp)))
        return r;
    /* The type is stored as registered, whatever case the command used. */
    r = cdb_sql_exec(db,
                     "INSERT INTO resource(name, type, grp, state, owner, fail_count)"
                     " SELECT ?, name, ?, ?, NULL, 0 FROM restype WHERE name = ?",
                     "tiit", name, grp, (int64_t)RESOURCE_STATE_INITIAL, type);
    if (r != 0)
        return r;
    id = sqlite3_last_insert_rowid(db->conn);
    return cdb_each_prop(db, m, false, add_resource_prop, &id);
}

static int cmd_set_resource_state(struct cdb *db, const struct msg *m)
{
    struct state_report rep;
    int r = read_state_report(db, m, &resource_kind, &rep);

    if (r != 0)
        return r;
    if (wire_get_u32(m->data, m->len, CDB_TAG_HANDOFF, &(uint32_t){0}) != -ENOENT) {
        int64_t flag;

        if ((r = cdb_arg_int(db, m, CDB_TAG_HANDOFF, 1, 1, &flag)) ||
            (r = cdb_sql_exec(db,
                              "UPDATE resource SET handoff = NULLIF(COALESCE(handoff, owner), ?)"
                              " WHERE id = ?",
                              "ii", rep.owner, rep.id)))
            return r;
    }
    return cdb_sql_exec(db, "UPDATE resource SET state = ?, owner = ? WHERE id = ?", "ioi",
                        rep.state, (uint64_t)rep.owner, rep.id);
}

static int cmd_sync(struct cdb *db, const struct msg *m)
{
    (void)db;
    (void)m;
    return 0;
}

static int cmd_release_resource(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *name = NULL;
    int64_t node, id;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_NAME, CDB_NAME_MAX, 0, &name)) ||
        (r = arg_node_id(db, m, CDB_TAG_NODE, &node)) || (r = cdb_need_resource(db, name, &id)))
        return r;
    r = cdb_sql_int(db, NULL, "SELECT 1 FROM resource WHERE id = ? AND handoff = ?", "ii", id,
                    node);
    if (r == -ENOENT)
        return cdb_reject(db, ERROR_INVALID_STATE, "node %lld is not handing '%s' over",
                          (long long)node, name);
    if (r < 0)
        return r;
    return cdb_sql_exec(db, "UPDATE resource SET handoff = NULL WHERE id = ?", "i", id);
}

int cdb_insert_nodes(struct cdb *db, const struct msg *m, const char *sql, const char *types,
                     int64_t owner)
{
    struct wire_reader rd;
    struct wire_field f;
    int64_t rank = 0;
    int r;

    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        uint64_t id;

        if (f.tag != CDB_TAG_NODE)
            continue;
        if (wire_field_u64(&f, &id) < 0 || id == 0 || id > INT64_MAX)
            return cdb_bad_field(db, -EBADMSG, CDB_TAG_NODE);
        /* types names the arguments sql uses; cdb_sql() reads no further than it says. */
        if ((r = cdb_need_node(db, (int64_t)id)) ||
            (r = cdb_sql_exec(db, sql, types, owner, (int64_t)id, rank++)))
            return r;
    }
    return r < 0 ? cdb_bad_field(db, r, CDB_TAG_NODE) : 0;
}

static int cmd_set_preferred(struct cdb *db, const struct msg *m)
{
    _cleanup_free_ char *group = NULL;
    int64_t grp;
    int r;

    if ((r = cdb_arg_str(db, m, CDB_TAG_GROUP, CDB_NAME_MAX, 0, &group)) ||
        (r = cdb_need_group(db, group, &grp)) ||
        (r = cdb_sql_exec(db, "DELETE FROM preferred WHERE grp = ?", "i", grp)))
        return r;
    return cdb_insert_nodes(db, m, "INSERT INTO preferred(grp, node, rank) VALUES(?, ?, ?)",
                            "iii", grp);
}

static const cmd_handler handlers[CDB_CMD_MAX + 1] = {
    [CDB_CMD_SET_PROP] = cmd_set_prop,
    [CDB_CMD_ADD_NODE] = cmd_add_node,
    [CDB_CMD_REMOVE_NODE] = cmd_remove_node,
    [CDB_CMD_SET_NODE_STATE] = cmd_set_node_state,
    [CDB_CMD_SET_NODE_ROLE] = cmd_set_node_role,
    [CDB_CMD_ADD_RESTYPE] = cdb_apply_add_restype,
    [CDB_CMD_ADD_GROUP] = cmd_add_group,
    [CDB_CMD_DELETE_GROUP] = cmd_delete_group,
    [CDB_CMD_SET_GROUP_STATE] = cmd_set_group_state,
    [CDB_CMD_ADD_RESOURCE] = cmd_add_resource,
    [CDB_CMD_DELETE_RESOURCE] = cmd_delete_resource,
    [CDB_CMD_SET_RESOURCE_STATE] = cmd_set_resource_state,
    [CDB_CMD_ADD_DEPENDENCY] = cdb_apply_add_dependency,
    [CDB_CMD_SET_PREFERRED] = cmd_set_preferred,
    [CDB_CMD_RELEASE_RESOURCE] = cmd_release_resource,
    [CDB_CMD_SYNC] = cmd_sync,
    [CDB_CMD_CONFIRM_NODE] = cmd_confirm_node,
    [CDB_CMD_EXPECT_NODE] = cmd_expect_node,
    [CDB_CMD_DELETE_RESTYPE] = cdb_apply_delete_restype,
    [CDB_CMD_SET_DEPENDENCIES] = cdb_apply_set_dependencies,
    [CDB_CMD_SET_RESOURCE_PROPS] = cdb_apply_set_resource_props,
    [CDB_CMD_SET_GROUP_PROPS] = cdb_apply_set_group_props,
    [CDB_CMD_SET_EXCLUDED] = cdb_apply_set_excluded,
    [CDB_CMD_FAIL_RESOURCE] = cdb_apply_fail_resource,
    [CDB_CMD_MOVE_RESOURCE] = cdb_apply_move_resource,
    [CDB_CMD_COUNT_FAILOVER] = cmd_count_failover,
    [CDB_CMD_SET_NODE_WEIGHT] = cmd_set_node_weight,
    [CDB_CMD_SET_NODE_LEFT] = cmd_set_node_left,
    [CDB_CMD_CLEAR_QUARANTINE] = cmd_clear_quarantine,
    [CDB_CMD_SET_NODE_STORAGE] = cmd_set_node_storage,
    /* BATCH is handled by apply_cmd() itself, which knows the nesting. */
};

static int apply_cmd(struct cdb *db, const void *data, size_t len, bool nested);

static int cmd_batch(struct cdb *db, const struct msg *m)
{
    struct wire_reader rd;
    struct wire_field f;
    int r;

    wire_reader_init(&rd, m->data, m->len);
    while ((r = wire_next(&rd, &f)) > 0) {
        if (f.tag == CDB_TAG_CMD && (r = apply_cmd(db, f.value, f.len, true)) != 0)
            return r;
    }
    return r < 0 ? cdb_bad_field(db, r, CDB_TAG_CMD) : 0;
}

static int apply_cmd(struct cdb *db, const void *data, size_t len, bool nested)
{
    struct msg m = {data, len};
    uint32_t code;
    int r;

    if (wire_validate(data, len) < 0)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "malformed command");
    r = wire_get_u32(data, len, CDB_TAG_CODE, &code);
    if (r < 0)
        return cdb_bad_field(db, r, CDB_TAG_CODE);
    if (code == CDB_CMD_BATCH)
        return nested ? cdb_reject(db, ERROR_INVALID_PARAMETER, "BATCH inside BATCH")
                      : cmd_batch(db, &m);
    if (code > CDB_CMD_MAX || handlers[code] == NULL)
        return cdb_reject(db, ERROR_INVALID_PARAMETER, "unknown command %u", code);
    return handlers[code](db, &m);
}

/* ---------------------------------------------------------------------------------------- */
/* Apply                                                                                    */
/* ---------------------------------------------------------------------------------------- */

static void rollback(struct cdb *db)
{
    /* An SQLite error may already have ended the transaction. */
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

int cdb_apply(struct cdb *db, const void *cmd, size_t len, uint32_t *ret_status)
{
    int r;

    db->errmsg[0] = '\0';
    db->moved = false;
    r = cdb_sql_exec(db, "BEGIN IMMEDIATE", "");
    if (r != 0)
        return r < 0 ? r : -EIO;
    r = apply_cmd(db, cmd, len, false);
    if (r == 0 && db->moved)
        r = cdb_check_dependency_groups(db);
    if (r == 0)
        r = cdb_sql_exec(db, "UPDATE meta SET value = value + 1 WHERE key = 'version'", "");
    if (r == 0)
        r = cdb_sql_exec(db, "COMMIT", "");
    if (r != 0)
        rollback(db);
    if (r < 0)
        return r;
    if (r == 0)
        db->version++;
    *ret_status = (uint32_t)r;
    return 0;
}
