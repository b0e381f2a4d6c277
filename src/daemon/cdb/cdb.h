/*
 * cdb — the cluster database: the raft state machine of clussvc.
 *
 * An SQLite database in memory, private to one cdb object. Every raft log entry is one command
 * (see cdb_cmd.h) applied by cdb_apply() in one transaction: either all of it or, when the command
 * is rejected, nothing. The result depends only on the database and the command bytes, so every
 * node that applies the same log holds the same content; cdb_hash() lets tests check that.
 *
 * Queries read the local copy and never block. Results are plain structs: the single-row lookups
 * fill a caller's struct; every list comes in ONE malloc'd block that the caller releases with a
 * single free() (strings inside the block point into it). An empty list is NULL with count 0.
 *
 * A cdb is not thread-safe: use it from one thread (the event loop).
 */
#ifndef CLUSSVC_CDB_H
#define CLUSSVC_CDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/quarantine.h"

#define CDB_NODE_NAME_MAX 63 /* bytes, without the NUL */
#define CDB_ADDRESS_MAX 63
#define CDB_NAME_MAX 255
#define CDB_STORAGE_FAULT_MAX 255     /* group, resource, resource type, driver and property key names */

struct cdb;

struct cdb_node {
    uint64_t id;
    char name[CDB_NODE_NAME_MAX + 1];
    char address[CDB_ADDRESS_MAX + 1];
    uint32_t port;
    uint32_t raft_port;
    uint32_t role;  /* RAFT_STANDBY 0, RAFT_VOTER 1, RAFT_SPARE 2 */
    int32_t state;  /* CLUSTER_NODE_STATE: -1..3; a new node starts Down (1) */
    uint64_t incarnation; /* how many times it confirmed a new quorum lease (CONFIRM_NODE) */
    bool witness;    /* votes and hosts nothing (docs/failover.md, "Quorum") */
    uint32_t weight; /* NodeWeight: 1 if the administrator lets it vote, else 0 */
    bool left;       /* its service stopped gracefully (SET_NODE_LEFT) since it last confirmed */
    struct quarantine_record quarantine; /* its ungraceful departures (common/quarantine.h) */
    char storage_fault[CDB_STORAGE_FAULT_MAX + 1]; /* why its state directory cannot take
                                                    * raft's writes; "" while it can */
};

struct cdb_group {
    uint64_t id;
    char name[CDB_NAME_MAX + 1];
    bool core;
    int32_t state;  /* CLUSTER_GROUP_STATE: -1..4; a new group starts Offline (1) */
    uint64_t owner; /* node id, 0 for none */
    uint32_t failovers;     /* within the FailoverPeriod that began at failover_since */
    int64_t failover_since; /* wall-clock ms; 0: never failed over */
};

struct cdb_resource {
    uint64_t id;
    char name[CDB_NAME_MAX + 1];
    char type[CDB_NAME_MAX + 1];  /* as registered by ADD_RESTYPE */
    uint64_t group_id;
    char group[CDB_NAME_MAX + 1];
    int32_t state;  /* CLUSTER_RESOURCE_STATE; a new resource starts Offline (3) */
    uint64_t owner; /* node id, 0 for none */
    uint64_t handoff; /* the node still handing it over to owner, 0 for none */
};

struct cdb_restype {
    char name[CDB_NAME_MAX + 1];
    char driver[CDB_NAME_MAX + 1];  /* rm_driver_find()'s key: "ipaddr", "genapp", "ocf:P:A" … */
    char display[CDB_NAME_MAX + 1]; /* display name, "" when none was given */
};

struct cdb_prop {
    const char *key;   /* both point into the block that holds the array */
    const char *value;
    uint32_t syntax;   /* PROP_SYNTAX_* (common/prop.h); SZ for cluster properties */
};

/* One provider of a resource's dependency expression. */
struct cdb_dependency {
    const char *provider; /* points into the block that holds the array */
    uint32_t clause;      /* providers of one clause are alternatives (OR); clauses are ANDed */
};

/* A new, empty database (schema created, version 0): 0, -ENOMEM or -EIO. */
int cdb_new(struct cdb **ret);
/* Closes the database. NULL is fine. */
void cdb_free(struct cdb *db);

/*
 * Applies one command (a wire message; the bytes are only read). Returns 0 and sets *ret_status
 * to 0 (applied; the version grew by one) or to a Win32 code (rejected; the database, version
 * included, is unchanged). Returns a negative errno only when the database itself failed
 * (-ENOMEM, -EIO): the caller must treat that as fatal, since this node can no longer follow
 * the log; the transaction has then been rolled back as far as SQLite allows.
 */
int cdb_apply(struct cdb *db, const void *cmd, size_t len, uint32_t *ret_status);
/* Number of commands applied successfully since the database was created (snapshots carry it). */
uint64_t cdb_version(const struct cdb *db);
/* Why the last command, restore or query was rejected or failed ("group 'x' not found"); cleared
 * by each cdb_apply() and successful cdb_restore(). */
const char *cdb_errmsg(const struct cdb *db);

/* A copy of the whole database in *ret_data (malloc'd; free() it): 0, -ENOMEM or -EIO. */
int cdb_snapshot(struct cdb *db, void **ret_data, size_t *ret_len);
/*
 * Replaces the content of db by a snapshot from cdb_snapshot() (data is copied). 0, -EBADMSG if
 * the bytes are not a sound cluster database of this schema (whatever SQLite said while checking
 * them), -ENOMEM or -EIO if the copy cannot be opened; on failure db is unchanged.
 */
int cdb_restore(struct cdb *db, const void *data, size_t len);
/* A 64-bit hash of the logical content (every table's rows in key order, the version included). */
int cdb_hash(struct cdb *db, uint64_t *ret);

/*
 * Queries. Names compare case-insensitively (ASCII), as Windows cluster names do. Each returns 0,
 * -ENOENT when the named object does not exist, or -ENOMEM / -EIO.
 */
/* Cluster property value (malloc'd). */
int cdb_get_prop(struct cdb *db, const char *key, char **ret);
/* A cluster property that holds a decimal number, or fallback when it is unset or not one. */
uint32_t cdb_prop_u32(struct cdb *db, const char *key, uint32_t fallback);
/* Every cluster property, by key. */
int cdb_props(struct cdb *db, struct cdb_prop **ret, size_t *ret_n);
/* Nodes by id. */
int cdb_nodes(struct cdb *db, struct cdb_node **ret, size_t *ret_n);
int cdb_node_by_name(struct cdb *db, const char *name, struct cdb_node *ret);
int cdb_node_by_id(struct cdb *db, uint64_t id, struct cdb_node *ret);
/* Groups by id (creation order). */
int cdb_groups(struct cdb *db, struct cdb_group **ret, size_t *ret_n);
int cdb_group_by_name(struct cdb *db, const char *name, struct cdb_group *ret);
int cdb_group_by_id(struct cdb *db, uint64_t id, struct cdb_group *ret);
/* Resources by id: all of them (group NULL) or one group's (-ENOENT if there is no such group). */
int cdb_resources(struct cdb *db, const char *group, struct cdb_resource **ret, size_t *ret_n);
int cdb_resource_by_name(struct cdb *db, const char *name, struct cdb_resource *ret);
/* A resource's private properties, by key. */
int cdb_resource_props(struct cdb *db, const char *resource, struct cdb_prop **ret,
                       size_t *ret_n);
/* The common properties an administrator set on a resource, by key (defaults are not stored:
 * common/common_props.h has them). */
int cdb_resource_common(struct cdb *db, const char *resource, struct cdb_prop **ret,
                        size_t *ret_n);
/* The common properties set on a group, by key. */
int cdb_group_props(struct cdb *db, const char *group, struct cdb_prop **ret, size_t *ret_n);
/* The common properties set on a resource type, by key (-ENOENT: no such type). */
int cdb_restype_props(struct cdb *db, const char *type, struct cdb_prop **ret, size_t *ret_n);
int cdb_restype_by_name(struct cdb *db, const char *name, struct cdb_restype *ret);
/* A resource's dependency expression, by clause then provider id. */
int cdb_dependency_clauses(struct cdb *db, const char *resource, struct cdb_dependency **ret,
                           size_t *ret_n);
/* Names of the resources that depend on resource (any clause), by id. */
int cdb_dependents(struct cdb *db, const char *resource, char ***ret_names, size_t *ret_n);
/* Ids of the nodes that may NOT own the resource (RemoveClusterResourceNode), ascending. */
int cdb_excluded(struct cdb *db, const char *resource, uint64_t **ret_ids, size_t *ret_n);
/* How many times the resource was failed on request (FAIL_RESOURCE); 0 for a new one. */
int cdb_resource_fail_count(struct cdb *db, const char *resource, uint64_t *ret);
/* Names of every provider of resource (all clauses), by provider id. */
int cdb_dependencies(struct cdb *db, const char *resource, char ***ret_names, size_t *ret_n);
/* Registered resource types, by name. */
int cdb_restypes(struct cdb *db, struct cdb_restype **ret, size_t *ret_n);
/* The group's preferred owners, most preferred first. */
int cdb_preferred(struct cdb *db, const char *group, uint64_t **ret_ids, size_t *ret_n);

#endif
