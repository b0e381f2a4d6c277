/*
 * rpc_proto — the management protocol between libclusapi (and clussvc peers) and clussvc.
 *
 * Every request and reply is one wire message (common/wire.h) on an authenticated channel.
 * A request carries RPC_F_OP; a reply carries RPC_F_STATUS (a Win32 code, 0 on success) and, on
 * failure, RPC_F_ERRMSG with the reason in words. The other fields are per operation, below.
 */
#ifndef CLUSAPI_RPC_PROTO_H
#define CLUSAPI_RPC_PROTO_H

#define RPC_PROTOCOL_VERSION 1
#define RPC_DEFAULT_PORT 3343
#define RPC_RAFT_PORT_OFFSET 1 /* raft listens on the management port + 1 unless configured */

/* Operations. */
enum rpc_op {
    RPC_OP_NODE_INFO = 1,     /* -> NODE_* fields, CLUSTER_*, RAFT_* */
    RPC_OP_SETUP_BEGIN,       /* SESSION, LEASE_MS -> claims a NotConfigured node for one setup */
    RPC_OP_SETUP_KEEPALIVE,   /* SESSION -> renews the claim */
    RPC_OP_CHECK_IP,          /* ADDRESS, PREFIX -> IFNAME; status 5057 if it already answers */
    RPC_OP_CHECK_PEER,        /* ADDRESS, PORT -> status: can this node reach a peer */
    RPC_OP_SET_CREDENTIAL,    /* SESSION, CLUSTER_ID, KEY_HEX -> stores the cluster credential */
    RPC_OP_CONFIGURE,         /* SESSION, CLUSTER_ID, CLUSTER_NAME, NODE_ID, PEER... */
    RPC_OP_START,             /* SESSION -> starts consensus and membership */
    RPC_OP_APPLY,             /* COMMAND -> commits a configuration command (setup's batches;
                               * cdb_cmd_is_configuration, else 5 and nothing committed)
                               * -> DB_VERSION */
    RPC_OP_QUERY,             /* QUERY [NAME] [STALE] -> ITEM... (a nested message per row;
                               * NAME: its row); STALE and NODE_NAME (the node's own) when
                               * answered without quorum, to a request with STALE only, others
                               * get 5925 ERROR_CLUSTER_NO_QUORUM (common/read_gate.h) */
    RPC_OP_WAIT,              /* WAIT_KIND, NAME, STATE, TIMEOUT_MS, DB_VERSION (optional: not
                               * before this node applied it) -> waits for a condition */
    RPC_OP_COMMIT_SETUP,      /* SESSION -> the cluster is complete; the claim becomes permanent */
    RPC_OP_CLEANUP,           /* SESSION or CLUSTER_ID (optional) -> back to NotConfigured */
    RPC_OP_GROUP_ONLINE,      /* NAME, NODE_ID (0 = best) -> asks the group manager to place it */
    RPC_OP_GROUP_OFFLINE,     /* NAME -> the owner takes the group's resources offline */
    RPC_OP_MEMBER_ADD,        /* NODE_NAME, ADDRESS, PORT, RAFT_PORT, WITNESS (optional u32 1:
                               * the node is a witness) -> NODE_ID, PEER... (leader) */
    RPC_OP_MEMBER_PROMOTE,    /* NODE_ID -> ROLE: the node catches up and votes if there is room */
    RPC_OP_MEMBER_REMOVE,     /* NODE_ID -> leaves raft and the database (leader) */
    RPC_OP_GROUP_DELETE,      /* NAME -> deletes an offline group and its resources */
    RPC_OP_GET_CREDENTIAL,    /* -> CLUSTER_ID, KEY_HEX: for a node being added (admin only) */
    RPC_OP_CLEAR,             /* FORCE -> wipes a node whose cluster let it go
                                 (Clear-ClusterNode) */
    RPC_OP_GROUP_MOVE,        /* NAME, NODE_ID (0 = best) -> STATE: hands the group over (leader) */
    RPC_OP_ADMIN_KEY_ADD,     /* KEY_HEX -> KEY_ID: the node also accepts this admin key */
    RPC_OP_ADMIN_KEY_REMOVE,  /* KEY_ID (absent: every admin key but the caller's) -> the node no
                               * longer accepts it; the caller's own key is never removed */
    RPC_OP_ROTATE_CREDENTIAL, /* ROTATE_STEP, KEY_HEX (stage) or KEY_ID -> one rotation step of
                                 the cluster credential on this node (admin only) */
    /* Typed requests: the leader validates them against its database and composes the
     * command itself. Each replies DB_VERSION once committed. */
    RPC_OP_SET_PROPERTY,      /* NAME, VALUE -> a settable common property within its bounds
                               * (common/cluster_props.h; else 87) */
    RPC_OP_GROUP_CREATE,      /* NAME (1..255 bytes) -> a new, empty, offline group */
    RPC_OP_GROUP_SET_OWNERS,  /* NAME, NODE_ID... (in order of preference, at most 64, each a
                               * member, none twice; none clears) -> the preferred owners */
    RPC_OP_NODE_PAUSE,        /* NODE_ID -> recorded Paused (0 if it is; 5050 unless Up); its
                               * groups are the caller's to move */
    RPC_OP_NODE_RESUME,       /* NODE_ID -> recorded Up again (5058 unless Paused) */
    /* Between members only (the cluster credential; the admin key is refused). */
    RPC_OP_MEMBER_REPORT,     /* NODE_ID (the reporting node), COMMAND (what it reports about
                               * itself: cdb_cmd_is_self_report, else 5) -> DB_VERSION */
    /* Resources and resource types: typed requests as above, on the leader unless noted; each
     * is checked (names, types, bounds, dependencies) before anything is committed, and a
     * refusal changes nothing. PROP is nested: NAME, SYNTAX, VALUE* (common/prop.h's text form;
     * a MULTI_SZ sends one VALUE per string, a property with no VALUE is deleted). */
    RPC_OP_RESOURCE_CREATE,   /* NAME, GROUP, TYPE, FLAGS (CLUSTER_RESOURCE_SEPARATE_MONITOR),
                               * PROP* (private), REQUIRED (u32 1: the properties given must be
                               * complete: every required one present) -> a new Offline resource */
    RPC_OP_RESOURCE_DELETE,   /* NAME -> refused while it is not Offline/Failed or others depend
                               * on it */
    RPC_OP_RESOURCE_ONLINE,   /* NAME -> its group's owner brings it (providers first) online;
                               * 997 once the request is committed, with DB_VERSION */
    RPC_OP_RESOURCE_OFFLINE,  /* NAME -> taken offline (dependents first); as ONLINE */
    RPC_OP_RESOURCE_FAIL,     /* NAME -> FailClusterResource: its owner treats it as failed */
    RPC_OP_RESOURCE_MOVE,     /* NAME, GROUP -> ChangeClusterResourceGroup */
    RPC_OP_RESOURCE_DEPEND,   /* NAME, PROVIDER -> AddClusterResourceDependency (a new AND clause) */
    RPC_OP_RESOURCE_UNDEPEND, /* NAME, PROVIDER -> RemoveClusterResourceDependency */
    RPC_OP_RESOURCE_SET_DEPEXPR, /* NAME, VALUE (the expression, "" for none) */
    RPC_OP_RESOURCE_ADD_OWNER,   /* NAME, NODE_ID -> AddClusterResourceNode */
    RPC_OP_RESOURCE_REMOVE_OWNER, /* NAME, NODE_ID -> RemoveClusterResourceNode */
    RPC_OP_RESOURCE_SET_PROPS, /* NAME, COMMON (u32 1/0), PROP* -> common or private properties;
                                * VALIDATE (u32 1): check only, commit nothing */
    RPC_OP_GROUP_SET_PROPS,   /* NAME, PROP*, VALIDATE -> the group's common properties */
    RPC_OP_RESTYPE_CREATE,    /* NAME, VALUE (display name), DRIVER, LOOKS_ALIVE, IS_ALIVE
                               * -> CreateClusterResourceType */
    RPC_OP_RESTYPE_DELETE,    /* NAME -> refused while a resource has that type */
    /* Any node, answered from what is installed there (blocking: runs on the connection). */
    RPC_OP_RESTYPE_LIST,      /* -> ITEM* (NAME, DRIVER, VALUE display name, REGISTERED u32):
                               * the registered types and every OCF agent installed here */
    RPC_OP_RESTYPE_INFO,      /* NAME -> ITEM* (one per private property: NAME, SYNTAX, REQUIRED,
                               * VALUE default, DESCRIPTION) and the type's TIMEOUT_MS per ACTION
                               * (nested ACTION_TIMEOUT: NAME, TIMEOUT_MS) */
    /* Quorum (docs/failover.md, "Quorum"). Leader only; relayed from followers. */
    RPC_OP_NODE_SET_PROPS,    /* NAME (node), PROP*, VALIDATE -> its common properties
                               * (NodeWeight) */
};

/* The steps of a cluster credential rotation, taken by every member in this order (cred_ring.h). */
enum rpc_rotate_step {
    RPC_ROTATE_STAGE = 1, /* KEY_HEX: accept the new credential too -> KEY_ID */
    RPC_ROTATE_SWITCH,    /* KEY_ID: prove the new credential */
    RPC_ROTATE_RETIRE,    /* KEY_ID: accept only the new credential */
    RPC_ROTATE_ABORT,     /* KEY_ID: forget a staged credential that was never proved */
    RPC_ROTATE_QUERY,     /* -> KEY_ID (proved), KEY_ID_OTHER (also accepted, during a rotation) */
};

/* Field tags. */
enum rpc_field {
    RPC_F_OP = 1,
    RPC_F_STATUS,
    RPC_F_ERRMSG,
    RPC_F_SESSION,        /* u64 */
    RPC_F_LEASE_MS,       /* u32 */
    RPC_F_NODE_NAME,      /* str */
    RPC_F_NODE_STATE,     /* u32: NODE_CLUSTER_STATE */
    RPC_F_NODE_ID,        /* u64 */
    RPC_F_VERSION_MAJOR,  /* u32 */
    RPC_F_VERSION_MINOR,  /* u32 */
    RPC_F_VERSION_BUILD,  /* u32 */
    RPC_F_CLUSTER_ID,     /* str: UUID text */
    RPC_F_CLUSTER_NAME,   /* str */
    RPC_F_CLOCK_MS,       /* i64: the node's CLOCK_REALTIME in ms */
    RPC_F_RAFT_STATE,     /* u32: raft_state() or 0 when not running */
    RPC_F_LEADER_ID,      /* u64 */
    RPC_F_LEADER_ADDRESS, /* str: management address of the leader */
    RPC_F_LEADER_PORT,    /* u32 */
    RPC_F_ADDRESS,        /* str */
    RPC_F_PREFIX,         /* u32 */
    RPC_F_PORT,           /* u32 */
    RPC_F_RAFT_PORT,      /* u32 */
    RPC_F_IFNAME,         /* str */
    RPC_F_KEY_HEX,        /* str: never logged */
    RPC_F_PEER,           /* nested: NODE_ID, NODE_NAME, ADDRESS, PORT, RAFT_PORT, ROLE */
    RPC_F_ROLE,           /* u32: raft role */
    RPC_F_COMMAND,        /* blob: a cluster-database command */
    RPC_F_QUERY,          /* u32: enum rpc_query */
    RPC_F_ITEM,           /* nested: one row of a query */
    RPC_F_NAME,           /* str */
    RPC_F_STATE,          /* u32 (int32 values stored as u32) */
    RPC_F_OWNER,          /* u64 node id */
    RPC_F_OWNER_NAME,     /* str */
    RPC_F_TYPE,           /* str */
    RPC_F_GROUP,          /* str */
    RPC_F_TIMEOUT_MS,     /* u32 */
    RPC_F_WAIT_KIND,      /* u32: enum rpc_wait */
    RPC_F_COMMITTED,      /* u32: 1 once the setup committed */
    RPC_F_DB_VERSION,     /* u64 */
    RPC_F_DB_HASH,        /* u64 */
    RPC_F_STATE_DIR_OK,   /* u32: 1 if the state directory is usable */
    RPC_F_CORE,           /* u32 */
    RPC_F_VALUE,          /* str */
    RPC_F_JOIN,           /* u32: 1 = join a running cluster (no bootstrap) */
    RPC_F_FORCE,          /* u32: 1 = the owner is gone; record the outcome without it */
    RPC_F_MAX_NODES,      /* u32: the most members this node's cluster takes */
    RPC_F_KEY_ID,         /* str: a key's public id, not secret: an admin key's
                           * (channel_admin_key_id) or a cluster credential's (cred_ring.h) */
    RPC_F_ADMIN_REQUESTS, /* u64: requests this node has received with the admin key */
    RPC_F_ROTATE_STEP,    /* u32: enum rpc_rotate_step */
    RPC_F_KEY_ID_OTHER,   /* str: the id of the second cluster credential a node accepts */
    RPC_F_PROP,           /* nested: NAME, SYNTAX, VALUE* (see the resource operations) */
    RPC_F_SYNTAX,         /* u32: CLUSPROP_SYNTAX_LIST_VALUE_* (PROP_SYNTAX_*) */
    RPC_F_COMMON,         /* u32: 1 common properties, 0 private */
    RPC_F_FLAGS,          /* u32 */
    RPC_F_REQUIRED,       /* u32 */
    RPC_F_VALIDATE,       /* u32: 1 = check only */
    RPC_F_PROVIDER,       /* str: a resource name */
    RPC_F_DRIVER,         /* str */
    RPC_F_LOOKS_ALIVE,    /* u32 ms */
    RPC_F_IS_ALIVE,       /* u32 ms */
    RPC_F_REGISTERED,     /* u32 */
    RPC_F_DESCRIPTION,    /* str */
    RPC_F_ACTION_TIMEOUT, /* nested: NAME, TIMEOUT_MS */
    RPC_F_CLAUSE,         /* u32 */
    RPC_F_FAIL_COUNT,     /* u64 */
    RPC_F_WITNESS,        /* u32: 1 = the node is the cluster's witness */
    RPC_F_WEIGHT,         /* u32: NodeWeight */
    RPC_F_LEFT,           /* u32: 1 = the node left gracefully (its vote is taken) */
    RPC_F_VOTES_PENDING,  /* u32, NODE_INFO of the leader: 1 while dynamic quorum still has a
                           * vote to give or take */
    RPC_F_STALE,          /* u32: 1 = answered from this node's last applied state while it
                           * has no quorum: it may be out of date; in a QUERY request: such
                           * an answer is welcome */
    RPC_F_QUARANTINED,    /* i64: the node is quarantined until then, wall-clock ms (0: not) */
    RPC_F_STATE_DIR_ERRNO, /* u32, NODE_INFO: why the state directory cannot be written (an
                            * errno; 0: it can) */
    RPC_F_STATE_DIR_FREE, /* u64, NODE_INFO: bytes free for the state directory */
    RPC_F_STORAGE_FAULT,  /* string: why the node's state directory cannot take raft's writes
                           * (common/state_dir_check.h); absent while it can */
    RPC_F_SEAL,           /* u64, last field of cluster.conf: common/wire_seal.h */
};

enum rpc_query {
    RPC_QUERY_NODES = 1,
    RPC_QUERY_GROUPS,
    RPC_QUERY_RESOURCES,
    RPC_QUERY_RESTYPES,
    RPC_QUERY_PROPS,
    /* With NAME (required): one object's lists. */
    RPC_QUERY_RESOURCE_PROPS, /* COMMON (u32) -> ITEM* (NAME, SYNTAX, VALUE*): private ones as
                               * stored; common ones: every entry of common_props.h with its
                               * value or default, read-only ones (Name, Type …) included */
    RPC_QUERY_GROUP_PROPS,    /* -> ITEM* as above, the group's common properties */
    RPC_QUERY_RESTYPE_PROPS,  /* -> ITEM* as above, the type's common properties */
    RPC_QUERY_DEPENDENCIES,   /* -> VALUE (the expression text) and ITEM* (PROVIDER, CLAUSE) */
    RPC_QUERY_DEPENDENTS,     /* -> ITEM* (NAME): the resources that depend on it */
    RPC_QUERY_POSSIBLE_OWNERS, /* -> ITEM* (NODE_ID, NAME): the nodes that may own it */
    RPC_QUERY_PREFERRED,      /* -> ITEM* (NODE_ID, NAME): a group's preferred owners, in order */
};

enum rpc_wait {
    RPC_WAIT_LEADER = 1,  /* a leader is known and every configured node is Up */
    RPC_WAIT_GROUP_STATE, /* group NAME reaches STATE */
    RPC_WAIT_NODE_STATE,  /* node NAME reaches STATE */
    RPC_WAIT_COMMITTED,   /* this node has applied the setup commit */
    RPC_WAIT_RESOURCE_STATE, /* resource NAME reaches STATE (Failed ends a wait for Online with
                              * ERROR_RESOURCE_FAILED) */
};

/* Win32 status a non-leader returns for APPLY; the reply names the leader to retry at. */
#define RPC_STATUS_NOT_LEADER 5072u /* ERROR_CLUSTER_NODE_NOT_READY */

#endif
