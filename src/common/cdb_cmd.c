/*
 * cdb_cmd — encoders of cluster-database commands; the field layout is described in cdb_cmd.h.
 */
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
