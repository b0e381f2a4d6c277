/*
 * cdb_cmd — the commands of the cluster database: one wire message per raft log entry.
 *
 * A command is a wire message whose field CDB_TAG_CODE (u32) names the command; its other fields
 * use the tags below. Every listed field is required unless marked optional; unknown tags are
 * ignored. States are i64 (they can be -1), node ids u64 (1..INT64_MAX; 0 means "no node" where
 * an owner is expected), ports and roles u32, names and values UTF-8 strings.
 *
 *   SET_PROP           KEY, VALUE (optional: absent deletes the property)
 *   ADD_NODE           ID, NAME, ADDRESS, PORT, RAFT_PORT, ROLE, WITNESS (optional u32 1: a
 *                      witness, which votes and hosts nothing)
 *   REMOVE_NODE        ID
 *   SET_NODE_STATE     ID, STATE, SINCE (optional i64: the leader's wall-clock ms): with SINCE,
 *                      an Up node recorded Down that did not leave gracefully departed
 *                      ungracefully, which counts toward its quarantine (common/quarantine.h)
 *   SET_NODE_ROLE      ID, ROLE
 *   SET_NODE_WEIGHT    ID, WEIGHT (u32 0 or 1): NodeWeight, the vote the administrator gives it
 *   SET_NODE_LEFT      ID, LEFT (u32 0 or 1), INCARNATION (u64): the node left the cluster
 *                      gracefully (its service stopped), so dynamic quorum takes its vote at once;
 *                      refused (ERROR_INVALID_STATE) unless the node is still in INCARNATION, so a
 *                      leave that lands after the node came back changes nothing; CONFIRM_NODE
 *                      clears it
 *   ADD_RESTYPE        NAME, DRIVER, VALUE (optional: display name), PROP* (optional: its
 *                      common properties, e.g. LooksAlivePollInterval)
 *   DELETE_RESTYPE     NAME (ERROR_DIR_NOT_EMPTY while a resource has that type)
 *   ADD_GROUP          NAME, CORE (u32 0 or 1)
 *   DELETE_GROUP       NAME
 *   SET_GROUP_STATE    NAME, STATE, OWNER (u64, 0 for none)
 *   ADD_RESOURCE       NAME, TYPE, GROUP (name), PROP* (nested: KEY, VALUE, SYNTAX optional:
 *                      absent is SZ): its private properties
 *   DELETE_RESOURCE    NAME
 *   SET_RESOURCE_STATE NAME, STATE, OWNER, HANDOFF (optional u32 1: the node that holds the
 *                      resource now, if not OWNER, hands it over to OWNER: see cdb_cmd_hand_over)
 *   ADD_DEPENDENCY     RESOURCE (name), PROVIDER (name), CLAUSE (optional u32 >= 1; absent: 1).
 *                      A resource's dependencies are an AND of clauses, each an OR of its
 *                      providers: [a] or [b] is one clause, [a] and [b] two.
 *   SET_DEPENDENCIES   RESOURCE, CLAUSE* (nested: PROVIDER*): replaces the whole expression
 *                      (no CLAUSE: no dependencies). Refused: a provider in another group, the
 *                      resource itself, a cycle (ERROR_CIRCULAR_DEPENDENCY)
 *   SET_RESOURCE_PROPS NAME, COMMON (u32: 1 common, 0 private), PROP* (nested: KEY, SYNTAX u32,
 *                      VALUE; VALUE absent deletes the key): merged into what is stored
 *   SET_GROUP_PROPS    NAME, PROP* (nested as above): the group's common properties
 *   SET_EXCLUDED       RESOURCE, NODE* (u64): replaces the nodes that are NOT possible owners of
 *                      the resource (every other member, later members included, is one)
 *   FAIL_RESOURCE      NAME: its owner treats it as failed (FailClusterResource); the
 *                      resource's fail count goes up by one
 *   MOVE_RESOURCE      NAME, GROUP: the resource goes to that group (ChangeClusterResourceGroup;
 *                      the caller moves a whole dependency tree in one BATCH)
 *   COUNT_FAILOVER     NAME, COUNT (u32), SINCE (i64: wall-clock ms): the group's failovers
 *                      within its FailoverPeriod, which began at SINCE; the leader records each
 *                      failover it allows, so a new leader goes on counting
 *   SET_PREFERRED      GROUP (name), NODE* (u64, in order of preference; replaces the list)
 *   BATCH              CMD* (nested command; no BATCH inside); all or nothing
 *   RELEASE_RESOURCE   NAME, NODE (u64): node NODE no longer holds the resource it was handing
 *                      over (ERROR_INVALID_STATE unless it was)
 *   SYNC               (no fields) changes nothing: a node that has applied its own SYNC holds
 *                      everything committed before it
 *   CONFIRM_NODE       ID, SINCE (optional i64: the node's wall-clock ms): the node holds a
 *                      quorum lease again (after its start or a lapse) and may start resources
 *                      once it has applied this; its incarnation goes up by one, and a node
 *                      recorded Down is recorded Up. With SINCE, a node recorded Up that held a
 *                      lease before and did not leave gracefully since lost its lease unseen:
 *                      that departure counts as SET_NODE_STATE's does
 *   CLEAR_QUARANTINE   ID: the node's quarantine ends now, and its count of departures
 *   SET_NODE_STORAGE   ID, VALUE (optional: absent or empty ends it): the node's state directory
 *                      cannot take raft's writes, for the reason VALUE (common/state_dir_check.h)
 *   EXPECT_NODE        ID, INCARNATION (u64): changes nothing, but is refused
 *                      (ERROR_INVALID_STATE) unless the node's incarnation is INCARNATION; first
 *                      in a BATCH it makes the batch conditional (a takeover decided before the
 *                      node came back must not land after it did)
 *
 * The builders only encode; cdb_apply() decides what is valid. Builders append to a writer, which
 * records allocation failure (check wire_writer_failed() once at the end).
 */
#ifndef CLUSSVC_CDB_CMD_H
#define CLUSSVC_CDB_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/prop.h"
#include "common/wire.h"

enum cdb_cmd_code {
    CDB_CMD_SET_PROP = 1,
    CDB_CMD_ADD_NODE = 2,
    CDB_CMD_REMOVE_NODE = 3,
    CDB_CMD_SET_NODE_STATE = 4,
    CDB_CMD_SET_NODE_ROLE = 5,
    CDB_CMD_ADD_RESTYPE = 6,
    CDB_CMD_ADD_GROUP = 7,
    CDB_CMD_DELETE_GROUP = 8,
    CDB_CMD_SET_GROUP_STATE = 9,
    CDB_CMD_ADD_RESOURCE = 10,
    CDB_CMD_DELETE_RESOURCE = 11,
    CDB_CMD_SET_RESOURCE_STATE = 12,
    CDB_CMD_ADD_DEPENDENCY = 13,
    CDB_CMD_SET_PREFERRED = 14,
    CDB_CMD_BATCH = 15,
    CDB_CMD_RELEASE_RESOURCE = 16,
    CDB_CMD_SYNC = 17,
    CDB_CMD_CONFIRM_NODE = 18,
    CDB_CMD_EXPECT_NODE = 19,
    CDB_CMD_DELETE_RESTYPE = 20,
    CDB_CMD_SET_DEPENDENCIES = 21,
    CDB_CMD_SET_RESOURCE_PROPS = 22,
    CDB_CMD_SET_GROUP_PROPS = 23,
    CDB_CMD_SET_EXCLUDED = 24,
    CDB_CMD_FAIL_RESOURCE = 25,
    CDB_CMD_MOVE_RESOURCE = 26,
    CDB_CMD_COUNT_FAILOVER = 27,
    CDB_CMD_SET_NODE_WEIGHT = 28,
    CDB_CMD_SET_NODE_LEFT = 29,
    CDB_CMD_CLEAR_QUARANTINE = 30,
    CDB_CMD_SET_NODE_STORAGE = 31,
};

#define CDB_CMD_MAX CDB_CMD_SET_NODE_STORAGE

enum cdb_cmd_tag {
    CDB_TAG_CODE = 1,
    CDB_TAG_KEY = 2,
    CDB_TAG_VALUE = 3,
    CDB_TAG_ID = 4,
    CDB_TAG_NAME = 5,
    CDB_TAG_ADDRESS = 6,
    CDB_TAG_PORT = 7,
    CDB_TAG_RAFT_PORT = 8,
    CDB_TAG_ROLE = 9,
    CDB_TAG_STATE = 10,
    CDB_TAG_DRIVER = 11,
    CDB_TAG_CORE = 12,
    CDB_TAG_OWNER = 13,
    CDB_TAG_TYPE = 14,
    CDB_TAG_GROUP = 15,
    CDB_TAG_PROP = 16,
    CDB_TAG_RESOURCE = 17,
    CDB_TAG_PROVIDER = 18,
    CDB_TAG_NODE = 19,
    CDB_TAG_CMD = 20,
    CDB_TAG_EXPECT_OWNER = 21, /* SET_GROUP_STATE / SET_RESOURCE_STATE: only if owned by it */
    CDB_TAG_HANDOFF = 22,
    CDB_TAG_INCARNATION = 23,
    CDB_TAG_CLAUSE = 24,  /* u32 in ADD_DEPENDENCY; nested in SET_DEPENDENCIES */
    CDB_TAG_COMMON = 25,  /* u32 */
    CDB_TAG_SYNTAX = 26,  /* u32: PROP_SYNTAX_* (common/prop.h) */
    CDB_TAG_COUNT = 27,   /* u32 */
    CDB_TAG_SINCE = 28,   /* i64: wall-clock ms */
    CDB_TAG_WITNESS = 29, /* u32 */
    CDB_TAG_WEIGHT = 30,  /* u32 */
    CDB_TAG_LEFT = 31,    /* u32 */
};

/*
 * What a field is, the types above as data: its name (for messages) and, for an integer, its width
 * on the wire (4: u32; 8: u64, or i64 when is_signed); width 0 for strings and nested messages.
 * The builders write and cdb_apply() reads every integer at this width.
 */
struct cdb_field {
    const char *name;
    uint8_t width;
    bool is_signed;
};

/* The field of that tag, or NULL for a tag that is none of the above. */
const struct cdb_field *cdb_cmd_field(uint16_t tag);

/* A key/value pair for cdb_cmd_add_resource(); both strings are borrowed. */
struct cdb_kv {
    const char *key;
    const char *value;
};

/* The command's name ("ADD_NODE"), or "UNKNOWN"; for logs. */
const char *cdb_cmd_name(uint32_t code);

void cdb_cmd_set_prop(struct wire_writer *w, const char *key, const char *value);
void cdb_cmd_add_node(struct wire_writer *w, uint64_t id, const char *name, const char *address,
                      uint32_t port, uint32_t raft_port, uint32_t role);
void cdb_cmd_remove_node(struct wire_writer *w, uint64_t id);
void cdb_cmd_set_node_state(struct wire_writer *w, uint64_t id, int32_t state);
/* The same, dated (at_ms: the leader's wall clock), as the leader records what heartbeats say. */
void cdb_cmd_set_node_state_at(struct wire_writer *w, uint64_t id, int32_t state, int64_t at_ms);
void cdb_cmd_set_node_role(struct wire_writer *w, uint64_t id, uint32_t role);
/* ADD_NODE just written is of a witness. */
void cdb_cmd_add_node_witness(struct wire_writer *w);
void cdb_cmd_set_node_weight(struct wire_writer *w, uint64_t id, uint32_t weight);
void cdb_cmd_set_node_left(struct wire_writer *w, uint64_t id, bool left, uint64_t incarnation);
/* fault: why the node's state directory cannot take writes; "" when it can again. */
void cdb_cmd_set_node_storage(struct wire_writer *w, uint64_t id, const char *fault);
void cdb_cmd_add_restype(struct wire_writer *w, const char *name, const char *driver);
/* ADD_RESTYPE with a display name (NULL: none) and common properties (props may be NULL when n
 * is 0). */
void cdb_cmd_add_restype_ex(struct wire_writer *w, const char *name, const char *driver,
                            const char *display, const struct prop *props, size_t n);
void cdb_cmd_delete_restype(struct wire_writer *w, const char *name);
void cdb_cmd_add_group(struct wire_writer *w, const char *name, bool core);
void cdb_cmd_delete_group(struct wire_writer *w, const char *name);
void cdb_cmd_set_group_state(struct wire_writer *w, const char *name, int32_t state,
                             uint64_t owner);
/* props may be NULL when n_props is 0. */
void cdb_cmd_add_resource(struct wire_writer *w, const char *name, const char *type,
                          const char *group, const struct cdb_kv *props, size_t n_props);
/* ADD_RESOURCE whose private properties carry their syntax (props may be NULL when n is 0;
 * every value non-NULL). */
void cdb_cmd_add_resource_props(struct wire_writer *w, const char *name, const char *type,
                                const char *group, const struct prop *props, size_t n);
void cdb_cmd_delete_resource(struct wire_writer *w, const char *name);
void cdb_cmd_set_resource_state(struct wire_writer *w, const char *name, int32_t state,
                                uint64_t owner);
void cdb_cmd_add_dependency(struct wire_writer *w, const char *resource, const char *provider);
/* ADD_DEPENDENCY into a given clause (cdb_cmd_add_dependency() leaves it out: clause 1). */
void cdb_cmd_add_dependency_clause(struct wire_writer *w, const char *resource,
                                   const char *provider, uint32_t clause);
/* SET_DEPENDENCIES: clauses[i] lists n_providers[i] provider names (OR); the clauses are ANDed. */
void cdb_cmd_set_dependencies(struct wire_writer *w, const char *resource,
                              const char *const *const *clauses, const size_t *n_providers,
                              size_t n_clauses);
/* SET_RESOURCE_PROPS (common or private) and SET_GROUP_PROPS; a prop whose value is NULL is
 * deleted (back to its default). */
void cdb_cmd_set_resource_props(struct wire_writer *w, const char *name, bool common,
                                const struct prop *props, size_t n);
void cdb_cmd_set_group_props(struct wire_writer *w, const char *name, const struct prop *props,
                             size_t n);
/* nodes may be NULL when n is 0 (every member is a possible owner). */
void cdb_cmd_set_excluded(struct wire_writer *w, const char *resource, const uint64_t *nodes,
                          size_t n);
void cdb_cmd_fail_resource(struct wire_writer *w, const char *name);
void cdb_cmd_move_resource(struct wire_writer *w, const char *name, const char *group);
void cdb_cmd_count_failover(struct wire_writer *w, const char *group, uint32_t count,
                            int64_t since_ms);
/*
 * Makes the SET_GROUP_STATE or SET_RESOURCE_STATE just written conditional: it is rejected
 * (ERROR_INVALID_STATE, 5023) unless the object is still owned by owner. An owner reports its
 * own results with it, so a node acting on a stale view never overwrites a newer placement.
 */
void cdb_cmd_expect_owner(struct wire_writer *w, uint64_t owner);
/*
 * Adds to the SET_RESOURCE_STATE just written: whichever node holds the resource when the command
 * is applied (the node still handing it over, else its owner) hands it over to the new owner,
 * which waits until that node releases it (RELEASE_RESOURCE). Decided at apply time, so a move
 * built from a view that is a moment old cannot name the wrong holder.
 */
void cdb_cmd_hand_over(struct wire_writer *w);
void cdb_cmd_release_resource(struct wire_writer *w, const char *name, uint64_t node);
void cdb_cmd_sync(struct wire_writer *w);
/* now_ms: the node's wall clock, which dates a departure the confirmation ends (0: none is
 * counted). */
void cdb_cmd_confirm_node(struct wire_writer *w, uint64_t id, int64_t now_ms);
void cdb_cmd_clear_quarantine(struct wire_writer *w, uint64_t id);
void cdb_cmd_expect_node(struct wire_writer *w, uint64_t id, uint64_t incarnation);
/* ids may be NULL when n is 0 (clears the list). */
void cdb_cmd_set_preferred(struct wire_writer *w, const char *group, const uint64_t *ids,
                           size_t n);

/*
 * BATCH: cdb_cmd_batch() writes the command code; then each sub-command is either built in place
 * between cdb_cmd_batch_sub_begin() and cdb_cmd_batch_sub_end() with the builders above, or
 * copied from an already encoded command with cdb_cmd_batch_add().
 */
void cdb_cmd_batch(struct wire_writer *w);
size_t cdb_cmd_batch_sub_begin(struct wire_writer *w);
void cdb_cmd_batch_sub_end(struct wire_writer *w, size_t mark);
void cdb_cmd_batch_add(struct wire_writer *w, const void *cmd, size_t len);

/*
 * Who may ask for which command. Pure: these read only the encoded command (what cdb_apply()
 * would read: the first field of each tag), never the database.
 *
 * Configuration is what an administrator describes: SET_PROP, ADD_NODE, SET_NODE_WEIGHT, ADD_RESTYPE,
 * DELETE_RESTYPE, ADD_GROUP, ADD_RESOURCE, ADD_DEPENDENCY, SET_DEPENDENCIES, SET_RESOURCE_PROPS,
 * SET_GROUP_PROPS, SET_EXCLUDED, MOVE_RESOURCE, SET_PREFERRED, DELETE_GROUP, DELETE_RESOURCE,
 * and a non-empty BATCH of only those. Everything else is status (what the cluster observed and
 * decided), which only the service itself composes; FAIL_RESOURCE among it: the leader composes
 * it from a FailClusterResource request.
 */
bool cdb_cmd_is_configuration(const void *cmd, size_t len);
/*
 * Is cmd a report that node sender may make about itself, through the leader?
 *   SET_RESOURCE_STATE, SET_GROUP_STATE  conditional on the sender owning the object
 *                                        (EXPECT_OWNER == sender), OWNER the sender or 0,
 *                                        no HANDOFF (a handover is a move: the leader's)
 *   RELEASE_RESOURCE                     NODE == sender
 *   SET_NODE_STATE                       the sender itself, Up
 *   CONFIRM_NODE                         the sender itself
 *   SET_NODE_LEFT                        the sender itself, LEFT 1
 *   SYNC
 * Nothing else: no BATCH, no other node's state, no Down, no membership command. sender 0 (no
 * node) makes no report.
 */
bool cdb_cmd_is_self_report(const void *cmd, size_t len, uint64_t sender);

#endif
