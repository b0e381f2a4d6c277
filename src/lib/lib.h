/*
 * lib — libclusapi's internal pieces shared between its files: handles, the last error, and
 * calls to clussvc. Nothing here is installed; the public contract is include/clusapi.h.
 */
#ifndef CLUSAPI_LIB_H
#define CLUSAPI_LIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <clusapi.h>

#include "channel/channel.h"
#include "common/wire.h"

#define LIB_RPC_TIMEOUT_MS 10000
#define LIB_CONNECT_TIMEOUT_MS 3000
#define LIB_ERRMSG_SIZE 256

/* ------------------------------------------------------------------------------------------ */
/* Calls to one node                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* A connection to one node's clussvc, opened on first use and reopened once after a failure. */
struct rpc_conn {
    char host[256];
    uint16_t port;
    struct channel *ch;
    const struct channel_key *key; /* NULL: the administrator's key (lib_admin_key) */
};

struct rpc_reply {
    uint8_t *data;
    size_t len;
    uint32_t status;           /* the node's Win32 status */
    char errmsg[LIB_ERRMSG_SIZE];
    bool sent;                 /* the request left: after a transport error its outcome is open */
};

/* The administrator's key: $CLUSAPI_AUTHKEY, else /etc/clusapi/authkey. Win32 status. */
uint32_t lib_admin_key(struct channel_key *ret, char *errmsg);
/* An admin key file, checked as lib_admin_key checks it. Win32 status + errmsg. */
uint32_t lib_load_key(const char *path, struct channel_key *ret, char *errmsg);
/* The management port: $CLUSAPI_PORT, else 3343. */
uint16_t lib_port(void);

void rpc_conn_init(struct rpc_conn *c, const char *host, uint16_t port);
void rpc_conn_close(struct rpc_conn *c);
/*
 * Sends the request built in req and waits for the reply. Returns a Win32 status: the transport's
 * (connection refused, unreachable, access denied: wrong key) or, once the node answered, the
 * node's. On return *ret holds what the node sent (free with rpc_reply_done), also on failure.
 */
uint32_t rpc_call(struct rpc_conn *c, struct wire_writer *req, int timeout_ms,
                  struct rpc_reply *ret);
void rpc_reply_done(struct rpc_reply *r);
/* Starts a request: the op field. */
void rpc_request(struct wire_writer *w, uint32_t op);

/* ------------------------------------------------------------------------------------------ */
/* Handles                                                                                     */
/* ------------------------------------------------------------------------------------------ */

enum handle_type {
    HANDLE_CLUSTER = 1,
    HANDLE_NODE,
    HANDLE_GROUP,
    HANDLE_RESOURCE,
    HANDLE_ENUM,         /* HCLUSENUM */
    HANDLE_RES_ENUM,     /* HRESENUM */
    HANDLE_GROUP_ENUM,   /* HGROUPENUM */
    HANDLE_NODE_ENUM,    /* HNODEENUM */
    HANDLE_RESTYPE_ENUM, /* HRESTYPEENUM */
};

/* The handle types that are enumerations (struct enum_handle). */
#define HANDLE_IS_ENUM(t)                                                                         \
    ((t) == HANDLE_ENUM || (t) == HANDLE_RES_ENUM || (t) == HANDLE_GROUP_ENUM ||                 \
     (t) == HANDLE_NODE_ENUM || (t) == HANDLE_RESTYPE_ENUM)

struct handle {
    enum handle_type type;
    struct handle *parent; /* the cluster handle a node, group or enum came from */
};

struct cluster_handle {
    struct handle h;
    pthread_mutex_t mu;         /* serialises use of conn */
    struct rpc_conn conn;       /* the node this handle talks to */
    char name[256];             /* the cluster's name */
    size_t n_fallbacks;         /* other nodes' addresses, tried when conn's node is gone */
    char (*fallbacks)[64];
    /* Reads answered from the last applied state of a node without quorum (under mu): */
    bool last_read_stale;       /* the latest read was */
    uint32_t stale_reads;       /* how many since the handle was opened */
    char stale_node[64];        /* the node that gave the latest such answer */
};

struct object_handle {          /* HNODE, HGROUP, HRESOURCE */
    struct handle h;
    char name[256];
};

struct enum_item {
    DWORD type;
    char *name;
};

struct enum_handle {
    struct handle h;
    size_t n;
    struct enum_item *items;
};

/* ------------------------------------------------------------------------------------------ */
/* Enumerations (api_enum.c)                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* A new, empty enumeration of that handle type, derived from c and not yet registered (free it
 * with handle_free until enum_register took it). NULL if out of memory. */
struct enum_handle *enum_new(struct cluster_handle *c, enum handle_type type);
/* Appends an item of that type (name copied); one of the same type and name is not added twice.
 * 0 or ERROR_NOT_ENOUGH_MEMORY. */
DWORD enum_add(struct enum_handle *e, DWORD type, const char *name);
/* Registers e and returns it, or frees it and returns NULL with the last error set: status when
 * it is not 0 (the call that filled e failed), ERROR_NOT_ENOUGH_MEMORY if it cannot be
 * registered. */
void *enum_finish(struct enum_handle *e, DWORD status);
/* The GetEnumCount, Enum and CloseEnum calls of every enumeration of that handle type, with
 * ClusterEnum's conventions (ERROR_INVALID_HANDLE for a handle of another type). */
DWORD enum_count(const void *p, enum handle_type type);
DWORD enum_item(const void *p, enum handle_type type, DWORD index, LPDWORD ret_type,
                LPWSTR name, LPDWORD inout_cch);
/* Adds every resource type the node c talks to knows (registered ones and installed OCF
 * agents: RPC_OP_RESTYPE_LIST) to e as items of that type (api_restype.c). Win32 status. */
DWORD restype_collect(struct cluster_handle *c, struct enum_handle *e, DWORD type);

/* Registers a new handle so later calls can validate it. false if out of memory. */
bool handle_register(struct handle *h);
/* Looks a handle up: the object if it is live and of that type, else NULL (stale or wrong). */
struct handle *handle_get(const void *p, enum handle_type type);
/* Unregisters a handle; a cluster also takes every handle derived from it (they are freed). */
bool handle_unregister(struct handle *h);
/* Frees a handle of any type (after it is unregistered). */
void handle_free(struct handle *h);
/* Closes a live handle of that type (unregisters and frees it): 0, or ERROR_INVALID_HANDLE, also
 * made the last error, when p is not one. */
DWORD handle_close(const void *p, enum handle_type type);

/* A registered node, group or resource handle derived from c; NULL if out of memory. */
struct object_handle *object_new(struct cluster_handle *c, enum handle_type type,
                                 const char *name);
/* The start of an API call on a node, group or resource handle: clears the last error and returns
 * the live object of that type, or NULL with ERROR_INVALID_HANDLE as the last error. */
struct object_handle *object_enter(const void *p, enum handle_type type);
/* Opens a cluster handle to a node (NULL: the local node) and checks it runs a cluster. */
uint32_t cluster_open(const char *target, struct cluster_handle **ret, char *errmsg);
/* One call on the cluster handle's connection, falling over to another node if needed. A read
 * (RPC_OP_QUERY) accepts an answer from a node without quorum, and cluster_note_read records
 * whether it was one. */
uint32_t cluster_call(struct cluster_handle *c, struct wire_writer *req, int timeout_ms,
                      struct rpc_reply *ret);
/* Records in c (its mu held) whether r, the reply to a request op, was a successful read
 * answered stale (RPC_F_STALE), and by which node; other replies leave the record alone. */
void cluster_note_read(struct cluster_handle *c, uint32_t op, const struct rpc_reply *r);

/* ------------------------------------------------------------------------------------------ */
/* Errors and strings                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* Sets the thread's last error and returns it, for `return lib_fail(...)` in DWORD calls. */
DWORD lib_fail(DWORD code);
/* Sets the last error with a reason in words (ClusapiLastErrorText). */
void lib_fail_text(DWORD code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clears the last error and its text at the start of a call. */
void lib_clear_error(void);
/* Copies UTF-8 out to a caller's UTF-16 buffer with the Win32 size convention. */
DWORD lib_copy_out(const char *utf8, LPWSTR buf, LPDWORD inout_cch);
/* A caller's name to UTF-8; NULL with the last error set on failure. */
char *lib_name_in(LPCWSTR name);
/*
 * A caller's computer name (host name, FQDN or IP address) to UTF-8, checked against the DNS
 * rules before anything is sent, so a name that could only be cut or misread never reaches a
 * node: NULL with ERROR_CLUSTER_INVALID_STRING_FORMAT (or lib_name_in's code) set on failure.
 */
char *lib_host_in(LPCWSTR name);

#endif
