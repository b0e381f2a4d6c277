/*
 * cdb_cmd — encoders of cluster-database commands; the field layout is described in cdb_cmd.h.
 */
#include <assert.h>
#include <errno.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"

static const char *const cmd_names[CDB_CMD_MAX + 1] = {
    [CDB_CMD_SET_PROP] = "SET_PROP",
    [CDB_CMD_ADD_NODE] = "ADD_NODE",
    [CDB_CMD_REMOVE_NODE] = "REMOVE_NODE",
    [CDB_CMD_SET_NODE_STATE] = "SET_NODE_STATE",
    [CDB_CMD_SET_NODE_ROLE] = "SET_NODE_ROLE",
    [CDB_CMD_ADD_RESTYPE] = "ADD_RESTYPE",
    [CDB_CMD_ADD_GROUP] = "ADD_GROUP",
    [CDB_CMD_DELETE_GROUP] = "DELETE_GROUP",
    [CDB_CMD_SET_GROUP_STATE] = "SET_GROUP_STATE",
    [CDB_CMD_ADD_RESOURCE] = "ADD_RESOURCE",
    [CDB_CMD_DELETE_RESOURCE] = "DELETE_RESOURCE",
    [CDB_CMD_SET_RESOURCE_STATE] = "SET_RESOURCE_STATE",
    [CDB_CMD_ADD_DEPENDENCY] = "ADD_DEPENDENCY",
    [CDB_CMD_SET_PREFERRED] = "SET_PREFERRED",
    [CDB_CMD_BATCH] = "BATCH",
    [CDB_CMD_RELEASE_RESOURCE] = "RELEASE_RESOURCE",
    [CDB_CMD_SYNC] = "SYNC",
    [CDB_CMD_CONFIRM_NODE] = "CONFIRM_NODE",
    [CDB_CMD_EXPECT_NODE] = "EXPECT_NODE",
    [CDB_CMD_DELETE_RESTYPE] = "DELETE_RESTYPE",
    [CDB_CMD_SET_DEPENDENCIES] = "SET_DEPENDENCIES",
    [CDB_CMD_SET_RESOURCE_PROPS] = "SET_RESOURCE_PROPS",
    [CDB_CMD_SET_GROUP_PROPS] = "SET_GROUP_PROPS",
    [CDB_CMD_SET_EXCLUDED] = "SET_EXCLUDED",
    [CDB_CMD_FAIL_RESOURCE] = "FAIL_RESOURCE",
    [CDB_CMD_MOVE_RESOURCE] = "MOVE_RESOURCE",
    [CDB_CMD_COUNT_FAILOVER] = "COUNT_FAILOVER",
    [CDB_CMD_SET_NODE_WEIGHT] = "SET_NODE_WEIGHT",
    [CDB_CMD_SET_NODE_LEFT] = "SET_NODE_LEFT",
    [CDB_CMD_CLEAR_QUARANTINE] = "CLEAR_QUARANTINE",
    [CDB_CMD_SET_NODE_STORAGE] = "SET_NODE_STORAGE",
};

const char *cdb_cmd_name(uint32_t code)
{
    if (code > CDB_CMD_MAX || cmd_names[code] == NULL)
        return "UNKNOWN";
    return cmd_names[code];
}

/* ------------------------------------------------------------------------------------------ */
/* Fields                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static const struct cdb_field fields[] = {
    [CDB_TAG_CODE] = {"code", 4, false},
    [CDB_TAG_KEY] = {"key", 0, false},
    [CDB_TAG_VALUE] = {"value", 0, false},
    [CDB_TAG_ID] = {"id", 8, false},
    [CDB_TAG_NAME] = {"name", 0, false},
    [CDB_TAG_ADDRESS] = {"address", 0, false},
    [CDB_TAG_PORT] = {"port", 4, false},
    [CDB_TAG_RAFT_PORT] = {"raft_port", 4, false},
    [CDB_TAG_ROLE] = {"role", 4, false},
    [CDB_TAG_STATE] = {"state", 8, true},
    [CDB_TAG_DRIVER] = {"driver", 0, false},
    [CDB_TAG_CORE] = {"core", 4, false},
    [CDB_TAG_OWNER] = {"owner", 8, false},
    [CDB_TAG_TYPE] = {"type", 0, false},
    [CDB_TAG_GROUP] = {"group", 0, false},
    [CDB_TAG_PROP] = {"prop", 0, false},
    [CDB_TAG_RESOURCE] = {"resource", 0, false},
    [CDB_TAG_PROVIDER] = {"provider", 0, false},
    [CDB_TAG_NODE] = {"node", 8, false},
    [CDB_TAG_CMD] = {"cmd", 0, false},
    [CDB_TAG_EXPECT_OWNER] = {"expect_owner", 8, false},
    [CDB_TAG_HANDOFF] = {"handoff", 4, false},
    [CDB_TAG_INCARNATION] = {"incarnation", 8, false},
    [CDB_TAG_CLAUSE] = {"clause", 4, false}, /* nested (no width) in SET_DEPENDENCIES */
    [CDB_TAG_COMMON] = {"common", 4, false},
    [CDB_TAG_SYNTAX] = {"syntax", 4, false},
    [CDB_TAG_COUNT] = {"count", 4, false},
    [CDB_TAG_SINCE] = {"since", 8, true},
    [CDB_TAG_WITNESS] = {"witness", 4, false},
    [CDB_TAG_WEIGHT] = {"weight", 4, false},
    [CDB_TAG_LEFT] = {"left", 4, false},
};

const struct cdb_field *cdb_cmd_field(uint16_t tag)
{
    if (tag >= sizeof(fields) / sizeof(fields[0]) || fields[tag].name == NULL)
        return NULL;
    return &fields[tag];
}

/* ------------------------------------------------------------------------------------------ */
/* Builders: each family after the helper that writes what its commands have in common         */
/* ------------------------------------------------------------------------------------------ */

/* An integer field, at the width the table gives its tag; v holds the bits of a signed value. */
static void put_int(struct wire_writer *w, uint16_t tag, uint64_t v)
{
    const struct cdb_field *f = cdb_cmd_field(tag);
    uint8_t b[8];

    assert(f != NULL && (f->width == 4 || f->width == 8));
    wire_le_put(b, v, f->width);
    wire_put_blob(w, tag, b, f->width);
}

/* One nested PROP: KEY, SYNTAX, VALUE (omitted when NULL: a delete). */
static void put_prop(struct wire_writer *w, const struct prop *p)
{
    size_t mark = wire_begin(w, CDB_TAG_PROP);

    wire_put_str(w, CDB_TAG_KEY, p->name);
    put_int(w, CDB_TAG_SYNTAX, p->syntax);
    wire_put_str(w, CDB_TAG_VALUE, p->value);
    wire_end(w, mark);
}

/* Each of props as a nested PROP. */
static void put_props(struct wire_writer *w, const struct prop *props, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_prop(w, &props[i]);
}

/* A command naming an object in a string field, then a NODE field for each of ids, in order
 * (SET_EXCLUDED, SET_PREFERRED). */
static void put_node_list(struct wire_writer *w, uint32_t code, uint16_t tag, const char *name,
                          const uint64_t *ids, size_t n)
{
    put_int(w, CDB_TAG_CODE, code);
    wire_put_str(w, tag, name);
    for (size_t i = 0; i < n; i++)
        put_int(w, CDB_TAG_NODE, ids[i]);
}

/* A command of two string fields (SET_PROP, ADD_RESTYPE, ADD_DEPENDENCY). */
static void put_two_strings(struct wire_writer *w, uint32_t code, uint16_t tag1, const char *s1,
                            uint16_t tag2, const char *s2)
{
    put_int(w, CDB_TAG_CODE, code);
    wire_put_str(w, tag1, s1);
    wire_put_str(w, tag2, s2);
}

void cdb_cmd_set_prop(struct wire_writer *w, const char *key, const char *value)
{
    put_two_strings(w, CDB_CMD_SET_PROP, CDB_TAG_KEY, key, CDB_TAG_VALUE, value);
}

void cdb_cmd_add_restype(struct wire_writer *w, const char *name, const char *driver)
{
    put_two_strings(w, CDB_CMD_ADD_RESTYPE, CDB_TAG_NAME, name, CDB_TAG_DRIVER, driver);
}

void cdb_cmd_add_dependency(struct wire_writer *w, const char *resource, const char *provider)
{
    put_two_strings(w, CDB_CMD_ADD_DEPENDENCY, CDB_TAG_RESOURCE, resource, CDB_TAG_PROVIDER,
                    provider);
}

void cdb_cmd_add_dependency_clause(struct wire_writer *w, const char *resource,
                                   const char *provider, uint32_t clause)
{
    cdb_cmd_add_dependency(w, resource, provider);
    put_int(w, CDB_TAG_CLAUSE, clause);
}

void cdb_cmd_add_restype_ex(struct wire_writer *w, const char *name, const char *driver,
                            const char *display, const struct prop *props, size_t n)
{
    cdb_cmd_add_restype(w, name, driver);
    wire_put_str(w, CDB_TAG_VALUE, display);
    put_props(w, props, n);
}

void cdb_cmd_delete_restype(struct wire_writer *w, const char *name)
{
    put_int(w, CDB_TAG_CODE, CDB_CMD_DELETE_RESTYPE);
    wire_put_str(w, CDB_TAG_NAME, name);
}

void cdb_cmd_set_dependencies(struct wire_writer *w, const char *resource,
                              const char *const *const *clauses, const size_t *n_providers,
                              size_t n_clauses)
{
    put_int(w, CDB_TAG_CODE, CDB_CMD_SET_DEPENDENCIES);
    wire_put_str(w, CDB_TAG_RESOURCE, resource);
    for (size_t c = 0; c < n_clauses; c++) {
        size_t mark = wire_begin(w, CDB_TAG_CLAUSE);

        for (size_t i = 0; i < n_providers[c]; i++)
            wire_put_str(w, CDB_TAG_PROVIDER, clauses[c][i]);
        wire_end(w, mark);
    }
}

void cdb_cmd_set_excluded(struct wire_writer *w, const char *resource, const uint64_t *nodes,
                          size_t n)
{
    put_node_list(w, CDB_CMD_SET_EXCLUDED, CDB_TAG_RESOURCE, resource, nodes, n);
}

/* The start of every command about one node: its code and the node's id. */
static void begin_node_cmd(struct wire_writer *w, uint32_t code, uint64_t id)
{
    put_int(w, CDB_TAG_CODE, code);
    put_int(w, CDB_TAG_ID, id);
}

/* A command that sets or checks one integer of a node (SET_NODE_STATE, SET_NODE_ROLE,
 * SET_NODE_WEIGHT, SET_NODE_LEFT, EXPECT_NODE). */
static void put_node_value(struct wire_writer *w, uint32_t code, uint64_t id, uint16_t tag,
                           uint64_t v)
{
    begin_node_cmd(w, code, id);
    put_int(w, tag, v);
}

void cdb_cmd_add_node(struct wire_writer *w, uint64_t id, const char *name, const char *address,
                      uint32_t port, uint32_t raft_port, uint32_t role)
{
    begin_node_cmd(w, CDB_CMD_ADD_NODE, id);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_str(w, CDB_TAG_ADDRESS, address);
    put_int(w, CDB_TAG_PORT, port);
    put_int(w, CDB_TAG_RAFT_PORT, raft_port);
    put_int(w, CDB_TAG_ROLE, role);
}

void cdb_cmd_remove_node(struct wire_writer *w, uint64_t id)
{
    begin_node_cmd(w, CDB_CMD_REMOVE_NODE, id);
}

void cdb_cmd_set_node_state(struct wire_writer *w, uint64_t id, int32_t state)
{
    put_node_value(w, CDB_CMD_SET_NODE_STATE, id, CDB_TAG_STATE, (uint64_t)(int64_t)state);
}

void cdb_cmd_set_node_state_at(struct wire_writer *w, uint64_t id, int32_t state, int64_t at_ms)
{
    cdb_cmd_set_node_state(w, id, state);
    put_int(w, CDB_TAG_SINCE, (uint64_t)at_ms);
}

void cdb_cmd_set_node_role(struct wire_writer *w, uint64_t id, uint32_t role)
{
    put_node_value(w, CDB_CMD_SET_NODE_ROLE, id, CDB_TAG_ROLE, role);
}

void cdb_cmd_add_node_witness(struct wire_writer *w)
{
    put_int(w, CDB_TAG_WITNESS, 1);
}

void cdb_cmd_set_node_weight(struct wire_writer *w, uint64_t id, uint32_t weight)
{
    put_node_value(w, CDB_CMD_SET_NODE_WEIGHT, id, CDB_TAG_WEIGHT, weight);
}

void cdb_cmd_set_node_left(struct wire_writer *w, uint64_t id, bool left, uint64_t incarnation)
{
    put_node_value(w, CDB_CMD_SET_NODE_LEFT, id, CDB_TAG_LEFT, left);
    put_int(w, CDB_TAG_INCARNATION, incarnation);
}

void cdb_cmd_set_node_storage(struct wire_writer *w, uint64_t id, const char *fault)
{
    begin_node_cmd(w, CDB_CMD_SET_NODE_STORAGE, id);
    if (fault[0] != '\0')
        wire_put_str(w, CDB_TAG_VALUE, fault);
}

void cdb_cmd_confirm_node(struct wire_writer *w, uint64_t id, int64_t now_ms)
{
    begin_node_cmd(w, CDB_CMD_CONFIRM_NODE, id);
    if (now_ms > 0)
        put_int(w, CDB_TAG_SINCE, (uint64_t)now_ms);
}

void cdb_cmd_clear_quarantine(struct wire_writer *w, uint64_t id)
{
    begin_node_cmd(w, CDB_CMD_CLEAR_QUARANTINE, id);
}

void cdb_cmd_expect_node(struct wire_writer *w, uint64_t id, uint64_t incarnation)
{
    put_node_value(w, CDB_CMD_EXPECT_NODE, id, CDB_TAG_INCARNATION, incarnation);
}

/* The start of every command about one named group or resource. */
static void begin_named_cmd(struct wire_writer *w, uint32_t code, const char *name)
{
    put_int(w, CDB_TAG_CODE, code);
    wire_put_str(w, CDB_TAG_NAME, name);
}

/* SET_GROUP_STATE and SET_RESOURCE_STATE carry the same fields. */
static void put_state(struct wire_writer *w, uint32_t code, const char *name, int32_t state,
                      uint64_t owner)
{
    begin_named_cmd(w, code, name);
    put_int(w, CDB_TAG_STATE, (uint64_t)(int64_t)state);
    put_int(w, CDB_TAG_OWNER, owner);
}

void cdb_cmd_add_group(struct wire_writer *w, const char *name, bool core)
{
    begin_named_cmd(w, CDB_CMD_ADD_GROUP, name);
    put_int(w, CDB_TAG_CORE, core ? 1 : 0);
}

void cdb_cmd_delete_group(struct wire_writer *w, const char *name)
{
    begin_named_cmd(w, CDB_CMD_DELETE_GROUP, name);
}

void cdb_cmd_set_group_state(struct wire_writer *w, const char *name, int32_t state,
                             uint64_t owner)
{
    put_state(w, CDB_CMD_SET_GROUP_STATE, name, state, owner);
}

/* ADD_RESOURCE up to its properties. */
static void begin_add_resource(struct wire_writer *w, const char *name, const char *type,
                               const char *group)
{
    begin_named_cmd(w, CDB_CMD_ADD_RESOURCE, name);
    wire_put_str(w, CDB_TAG_TYPE, type);
    wire_put_str(w, CDB_TAG_GROUP, group);
}

void cdb_cmd_add_resource(struct wire_writer *w, const char *name, const char *type,
                          const char *group, const struct cdb_kv *props, size_t n_props)
{
    begin_add_resource(w, name, type, group);
    for (size_t i = 0; i < n_props; i++) {
        size_t mark = wire_begin(w, CDB_TAG_PROP);
        wire_put_str(w, CDB_TAG_KEY, props[i].key);
        wire_put_str(w, CDB_TAG_VALUE, props[i].value);
        wire_end(w, mark);
    }
}

void cdb_cmd_add_resource_props(struct wire_writer *w, const char *name, const char *type,
                                const char *group, const struct prop *props, size_t n)
{
    begin_add_resource(w, name, type, group);
    put_props(w, props, n);
}

void cdb_cmd_delete_resource(struct wire_writer *w, const char *name)
{
    begin_named_cmd(w, CDB_CMD_DELETE_RESOURCE, name);
}

void cdb_cmd_set_resource_props(struct wire_writer *w, const char *name, bool common,
                                const struct prop *props, size_t n)
{
    begin_named_cmd(w, CDB_CMD_SET_RESOURCE_PROPS, name);
    put_int(w, CDB_TAG_COMMON, common ? 1 : 0);
    put_props(w, props, n);
}

void cdb_cmd_set_group_props(struct wire_writer *w, const char *name, const struct prop *props,
                             size_t n)
{
    begin_named_cmd(w, CDB_CMD_SET_GROUP_PROPS, name);
    put_props(w, props, n);
}

void cdb_cmd_fail_resource(struct wire_writer *w, const char *name)
{
    begin_named_cmd(w, CDB_CMD_FAIL_RESOURCE, name);
}

void cdb_cmd_move_resource(struct wire_writer *w, const char *name, const char *group)
{
    begin_named_cmd(w, CDB_CMD_MOVE_RESOURCE, name);
    wire_put_str(w, CDB_TAG_GROUP, group);
}

void cdb_cmd_count_failover(struct wire_writer *w, const char *group, uint32_t count,
                            int64_t since_ms)
{
    begin_named_cmd(w, CDB_CMD_COUNT_FAILOVER, group);
    wire_put_u32(w, CDB_TAG_COUNT, count);
    wire_put_i64(w, CDB_TAG_SINCE, since_ms);
}

void cdb_cmd_set_resource_state(struct wire_writer *w, const char *name, int32_t state,
                                uint64_t owner)
{
    put_state(w, CDB_CMD_SET_RESOURCE_STATE, name, state, owner);
}

void cdb_cmd_release_resource(struct wire_writer *w, const char *name, uint64_t node)
{
    begin_named_cmd(w, CDB_CMD_RELEASE_RESOURCE, name);
    put_int(w, CDB_TAG_NODE, node);
}

void cdb_cmd_expect_owner(struct wire_writer *w, uint64_t owner)
{
    put_int(w, CDB_TAG_EXPECT_OWNER, owner);
}

void cdb_cmd_hand_over(struct wire_writer *w)
{
    put_int(w, CDB_TAG_HANDOFF, 1);
}

void cdb_cmd_set_preferred(struct wire_writer *w, const char *group, const uint64_t *ids,
                           size_t n)
{
    put_node_list(w, CDB_CMD_SET_PREFERRED, CDB_TAG_GROUP, group, ids, n);
}

void cdb_cmd_sync(struct wire_writer *w)
{
    put_int(w, CDB_TAG_CODE, CDB_CMD_SYNC);
}

void cdb_cmd_batch(struct wire_writer *w)
{
    put_int(w, CDB_TAG_CODE, CDB_CMD_BATCH);
}

size_t cdb_cmd_batch_sub_begin(struct wire_writer *w)
{
    return wire_begin(w, CDB_TAG_CMD);
}

void cdb_cmd_batch_sub_end(struct wire_writer *w, size_t mark)
{
    wire_end(w, mark);
}

void cdb_cmd_batch_add(struct wire_writer *w, const void *cmd, size_t len)
{
    wire_put_blob(w, CDB_TAG_CMD, cmd, len);
}

/* ------------------------------------------------------------------------------------------ */
/* Who may ask for which command                                                               */
/* ------------------------------------------------------------------------------------------ */

static bool is_configuration_code(uint32_t code)
{
    switch (code) {
    case CDB_CMD_SET_PROP:
    case CDB_CMD_ADD_NODE:
    case CDB_CMD_SET_NODE_WEIGHT:
    case CDB_CMD_ADD_RESTYPE:
    case CDB_CMD_ADD_GROUP:
    case CDB_CMD_ADD_RESOURCE:
    case CDB_CMD_ADD_DEPENDENCY:
    case CDB_CMD_SET_PREFERRED:
    case CDB_CMD_DELETE_GROUP:
    case CDB_CMD_DELETE_RESOURCE:
    case CDB_CMD_DELETE_RESTYPE:
    case CDB_CMD_SET_DEPENDENCIES:
    case CDB_CMD_SET_RESOURCE_PROPS:
    case CDB_CMD_SET_GROUP_PROPS:
    case CDB_CMD_SET_EXCLUDED:
    case CDB_CMD_MOVE_RESOURCE:
        return true;
    default:
        return false;
    }
}

/* The command's code, if the whole message is well formed. */
static bool command_code(const void *cmd, size_t len, uint32_t *ret)
{
    return cmd != NULL && wire_validate(cmd, len) == 0 &&
           wire_get_u32(cmd, len, CDB_TAG_CODE, ret) == 0;
}

/* A BATCH whose sub-commands (at least one) are all configuration. */
static bool is_configuration_batch(const void *cmd, size_t len)
{
    struct wire_reader r;
    struct wire_field f;
    size_t n = 0;
    uint32_t code;
    int rv;

    wire_reader_init(&r, cmd, len);
    while ((rv = wire_next(&r, &f)) > 0) {
        if (f.tag != CDB_TAG_CMD)
            continue;
        if (!command_code(f.value, f.len, &code) || !is_configuration_code(code))
            return false;
        n++;
    }
    return rv == 0 && n > 0;
}

bool cdb_cmd_is_configuration(const void *cmd, size_t len)
{
    uint32_t code;

    if (!command_code(cmd, len, &code))
        return false;
    if (code == CDB_CMD_BATCH)
        return is_configuration_batch(cmd, len);
    return is_configuration_code(code);
}

static bool field_is_u64(const void *cmd, size_t len, uint16_t tag, uint64_t want)
{
    uint64_t v;

    return wire_get_u64(cmd, len, tag, &v) == 0 && v == want;
}

static bool field_absent(const void *cmd, size_t len, uint16_t tag)
{
    struct wire_field f;

    return wire_find(cmd, len, tag, &f) == -ENOENT;
}

/* SET_GROUP_STATE / SET_RESOURCE_STATE about an object the sender owns, kept or let go. */
static bool is_own_state(const void *cmd, size_t len, uint64_t sender)
{
    uint64_t owner;

    return field_is_u64(cmd, len, CDB_TAG_EXPECT_OWNER, sender) &&
           wire_get_u64(cmd, len, CDB_TAG_OWNER, &owner) == 0 &&
           (owner == sender || owner == 0) && field_absent(cmd, len, CDB_TAG_HANDOFF);
}

static bool is_own_node_up(const void *cmd, size_t len, uint64_t sender)
{
    struct wire_field f;
    int64_t state;

    return field_is_u64(cmd, len, CDB_TAG_ID, sender) &&
           wire_find(cmd, len, CDB_TAG_STATE, &f) == 0 && wire_field_i64(&f, &state) == 0 &&
           state == ClusterNodeUp;
}

bool cdb_cmd_is_self_report(const void *cmd, size_t len, uint64_t sender)
{
    uint32_t code, left;

    if (sender == 0 || !command_code(cmd, len, &code))
        return false;
    switch (code) {
    case CDB_CMD_SET_RESOURCE_STATE:
    case CDB_CMD_SET_GROUP_STATE:
        return is_own_state(cmd, len, sender);
    case CDB_CMD_RELEASE_RESOURCE:
        return field_is_u64(cmd, len, CDB_TAG_NODE, sender);
    case CDB_CMD_SET_NODE_STATE:
        return is_own_node_up(cmd, len, sender);
    case CDB_CMD_CONFIRM_NODE:
    case CDB_CMD_SET_NODE_STORAGE:
        return field_is_u64(cmd, len, CDB_TAG_ID, sender);
    case CDB_CMD_SET_NODE_LEFT:
        return field_is_u64(cmd, len, CDB_TAG_ID, sender) &&
               wire_get_u32(cmd, len, CDB_TAG_LEFT, &left) == 0 && left == 1;
    case CDB_CMD_SYNC:
        return true;
    default:
        return false;
    }
}
