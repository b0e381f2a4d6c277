/*
 * cdb_cmd — encoders of cluster-database commands; the field layout is described in cdb_cmd.h.
 */
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
};

const char *cdb_cmd_name(uint32_t code)
{
    if (code > CDB_CMD_MAX || cmd_names[code] == NULL)
        return "UNKNOWN";
    return cmd_names[code];
}

void cdb_cmd_set_prop(struct wire_writer *w, const char *key, const char *value)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SET_PROP);
    wire_put_str(w, CDB_TAG_KEY, key);
    wire_put_str(w, CDB_TAG_VALUE, value);
}

void cdb_cmd_add_node(struct wire_writer *w, uint64_t id, const char *name, const char *address,
                      uint32_t port, uint32_t raft_port, uint32_t role)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_ADD_NODE);
    wire_put_u64(w, CDB_TAG_ID, id);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_str(w, CDB_TAG_ADDRESS, address);
    wire_put_u32(w, CDB_TAG_PORT, port);
    wire_put_u32(w, CDB_TAG_RAFT_PORT, raft_port);
    wire_put_u32(w, CDB_TAG_ROLE, role);
}

void cdb_cmd_remove_node(struct wire_writer *w, uint64_t id)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_REMOVE_NODE);
    wire_put_u64(w, CDB_TAG_ID, id);
}

void cdb_cmd_set_node_state(struct wire_writer *w, uint64_t id, int32_t state)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SET_NODE_STATE);
    wire_put_u64(w, CDB_TAG_ID, id);
    wire_put_i64(w, CDB_TAG_STATE, state);
}

void cdb_cmd_set_node_role(struct wire_writer *w, uint64_t id, uint32_t role)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SET_NODE_ROLE);
    wire_put_u64(w, CDB_TAG_ID, id);
    wire_put_u32(w, CDB_TAG_ROLE, role);
}

void cdb_cmd_add_restype(struct wire_writer *w, const char *name, const char *driver)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_ADD_RESTYPE);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_str(w, CDB_TAG_DRIVER, driver);
}

void cdb_cmd_add_group(struct wire_writer *w, const char *name, bool core)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_ADD_GROUP);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_u32(w, CDB_TAG_CORE, core ? 1 : 0);
}

void cdb_cmd_delete_group(struct wire_writer *w, const char *name)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_DELETE_GROUP);
    wire_put_str(w, CDB_TAG_NAME, name);
}

void cdb_cmd_set_group_state(struct wire_writer *w, const char *name, int32_t state,
                             uint64_t owner)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SET_GROUP_STATE);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_i64(w, CDB_TAG_STATE, state);
    wire_put_u64(w, CDB_TAG_OWNER, owner);
}

void cdb_cmd_add_resource(struct wire_writer *w, const char *name, const char *type,
                          const char *group, const struct cdb_kv *props, size_t n_props)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_ADD_RESOURCE);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_str(w, CDB_TAG_TYPE, type);
    wire_put_str(w, CDB_TAG_GROUP, group);
    for (size_t i = 0; i < n_props; i++) {
        size_t mark = wire_begin(w, CDB_TAG_PROP);
        wire_put_str(w, CDB_TAG_KEY, props[i].key);
        wire_put_str(w, CDB_TAG_VALUE, props[i].value);
        wire_end(w, mark);
    }
}

void cdb_cmd_delete_resource(struct wire_writer *w, const char *name)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_DELETE_RESOURCE);
    wire_put_str(w, CDB_TAG_NAME, name);
}

void cdb_cmd_set_resource_state(struct wire_writer *w, const char *name, int32_t state,
                                uint64_t owner)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SET_RESOURCE_STATE);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_i64(w, CDB_TAG_STATE, state);
    wire_put_u64(w, CDB_TAG_OWNER, owner);
}

void cdb_cmd_expect_owner(struct wire_writer *w, uint64_t owner)
{
    wire_put_u64(w, CDB_TAG_EXPECT_OWNER, owner);
}

void cdb_cmd_hand_over(struct wire_writer *w)
{
    wire_put_u32(w, CDB_TAG_HANDOFF, 1);
}

void cdb_cmd_sync(struct wire_writer *w)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SYNC);
}

void cdb_cmd_confirm_node(struct wire_writer *w, uint64_t id)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_CONFIRM_NODE);
    wire_put_u64(w, CDB_TAG_ID, id);
}

void cdb_cmd_expect_node(struct wire_writer *w, uint64_t id, uint64_t incarnation)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_EXPECT_NODE);
    wire_put_u64(w, CDB_TAG_ID, id);
    wire_put_u64(w, CDB_TAG_INCARNATION, incarnation);
}

void cdb_cmd_release_resource(struct wire_writer *w, const char *name, uint64_t node)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_RELEASE_RESOURCE);
    wire_put_str(w, CDB_TAG_NAME, name);
    wire_put_u64(w, CDB_TAG_NODE, node);
}

void cdb_cmd_add_dependency(struct wire_writer *w, const char *resource, const char *provider)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_ADD_DEPENDENCY);
    wire_put_str(w, CDB_TAG_RESOURCE, resource);
    wire_put_str(w, CDB_TAG_PROVIDER, provider);
}

void cdb_cmd_set_preferred(struct wire_writer *w, const char *group, const uint64_t *ids,
                           size_t n)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_SET_PREFERRED);
    wire_put_str(w, CDB_TAG_GROUP, group);
    for (size_t i = 0; i < n; i++)
        wire_put_u64(w, CDB_TAG_NODE, ids[i]);
}

void cdb_cmd_batch(struct wire_writer *w)
{
    wire_put_u32(w, CDB_TAG_CODE, CDB_CMD_BATCH);
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
    case CDB_CMD_ADD_RESTYPE:
    case CDB_CMD_ADD_GROUP:
    case CDB_CMD_ADD_RESOURCE:
    case CDB_CMD_ADD_DEPENDENCY:
    case CDB_CMD_SET_PREFERRED:
    case CDB_CMD_DELETE_GROUP:
    case CDB_CMD_DELETE_RESOURCE:
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
    uint32_t code;

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
        return field_is_u64(cmd, len, CDB_TAG_ID, sender);
    case CDB_CMD_SYNC:
        return true;
    default:
        return false;
    }
}
