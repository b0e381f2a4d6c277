/*
 * win32_error — see win32_error.h. Pure tables; no I/O.
 */
#include "common/win32_error.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>

struct win32_error_entry {
    uint32_t code;
    const char *name;
    const char *text;
};

/* Every code of REFERENCE §5, plus the few generic ones the rest of the tree produces. The texts
 * are our own short sentences, written for a cluster administrator, not copies of Windows'. */
static const struct win32_error_entry error_table[] = {
    {0, "ERROR_SUCCESS", "The operation completed successfully."},
    {1, "ERROR_INVALID_FUNCTION", "The function is not valid or not implemented."},
    {2, "ERROR_FILE_NOT_FOUND", "The file was not found."},
    {5, "ERROR_ACCESS_DENIED", "Access is denied."},
    {6, "ERROR_INVALID_HANDLE", "The handle is invalid."},
    {8, "ERROR_NOT_ENOUGH_MEMORY", "Not enough memory is available to process this command."},
    {13, "ERROR_INVALID_DATA", "The data is invalid."},
    {14, "ERROR_OUTOFMEMORY", "Not enough memory is available to complete this operation."},
    {19, "ERROR_WRITE_PROTECT", "The storage is read-only."},
    {21, "ERROR_NOT_READY", "The device is not ready."},
    {29, "ERROR_WRITE_FAULT", "The system cannot write to the specified device."},
    {31, "ERROR_GEN_FAILURE", "A device attached to the system is not functioning."},
    {50, "ERROR_NOT_SUPPORTED", "The request is not supported."},
    {87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect."},
    {112, "ERROR_DISK_FULL", "There is not enough space on the disk."},
    {122, "ERROR_INSUFFICIENT_BUFFER", "The data area passed to the call is too small."},
    {123, "ERROR_INVALID_NAME", "The name syntax is incorrect."},
    {145, "ERROR_DIR_NOT_EMPTY", "The directory is not empty."},
    {170, "ERROR_BUSY", "The requested resource is in use."},
    {183, "ERROR_ALREADY_EXISTS", "The object already exists."},
    {206, "ERROR_FILENAME_EXCED_RANGE", "The name is too long."},
    {234, "ERROR_MORE_DATA", "More data is available."},
    {259, "ERROR_NO_MORE_ITEMS", "No more data is available."},
    {997, "ERROR_IO_PENDING", "The operation is in progress."},
    {1062, "ERROR_SERVICE_NOT_ACTIVE", "The service has not been started."},
    {1059, "ERROR_CIRCULAR_DEPENDENCY", "A circular dependency was specified."},
    {1168, "ERROR_NOT_FOUND", "Element not found."},
    {1223, "ERROR_CANCELLED", "The operation was canceled by the user."},
    {1225, "ERROR_CONNECTION_REFUSED", "The remote computer refused the network connection."},
    {1231, "ERROR_NETWORK_UNREACHABLE", "The network cannot be reached."},
    {1232, "ERROR_HOST_UNREACHABLE", "The remote host cannot be reached."},
    {1237, "ERROR_RETRY", "The operation could not be completed; it should be retried."},
    {1359, "ERROR_INTERNAL_ERROR", "An internal error occurred."},
    {1381, "ERROR_TOO_MANY_SECRETS",
     "The maximum number of secrets that may be stored in a single system has been exceeded."},
    {1460, "ERROR_TIMEOUT", "The operation timed out."},
    {1745, "RPC_S_PROCNUM_OUT_OF_RANGE", "The server does not support this procedure."},
    {4312, "ERROR_OBJECT_NOT_FOUND", "The directory object was not found."},
    {5005, "ERROR_HOST_NODE_NOT_AVAILABLE", "The destination cluster node is not available."},
    {5001, "ERROR_DEPENDENT_RESOURCE_EXISTS", "Other resources depend on this resource."},
    {5002, "ERROR_DEPENDENCY_NOT_FOUND", "The dependency was not found."},
    {5003, "ERROR_DEPENDENCY_ALREADY_EXISTS", "The resource already depends on that resource."},
    {5007, "ERROR_RESOURCE_NOT_FOUND", "The cluster resource could not be found."},
    {5009, "ERROR_CANT_EVICT_ACTIVE_NODE",
     "A cluster node cannot be evicted unless it is down or is the last node."},
    {5010, "ERROR_OBJECT_ALREADY_EXISTS", "The cluster object already exists."},
    {5013, "ERROR_GROUP_NOT_FOUND", "The cluster group could not be found."},
    {5014, "ERROR_GROUP_NOT_ONLINE", "The cluster group is not online."},
    {5020, "ERROR_QUORUM_RESOURCE", "The quorum resource failed."},
    {5021, "ERROR_NOT_QUORUM_CAPABLE", "The cluster resource cannot be the quorum resource."},
    {5022, "ERROR_CLUSTER_SHUTTING_DOWN", "The cluster is shutting down."},
    {5019, "ERROR_RESOURCE_ONLINE", "The resource is online."},
    {5023, "ERROR_INVALID_STATE",
     "The group or resource is not in the correct state to perform the operation."},
    {5026, "ERROR_CORE_RESOURCE", "The cluster's core resources cannot be changed this way."},
    {5025, "ERROR_NOT_QUORUM_CLASS",
     "The cluster resource cannot be the quorum resource: it is not shared storage."},
    {5027, "ERROR_QUORUM_RESOURCE_ONLINE_FAILED", "The quorum resource failed to come online."},
    {5028, "ERROR_QUORUMLOG_OPEN_FAILED", "The quorum log could not be opened."},
    {5034, "ERROR_QUORUM_OWNER_ALIVE", "The node that owns the quorum resource is still alive."},
    {5036, "ERROR_NODE_NOT_AVAILABLE", "A cluster node is not available for this operation."},
    {5037, "ERROR_ALL_NODES_NOT_AVAILABLE",
     "All cluster nodes must be running for this operation."},
    {5038, "ERROR_RESOURCE_FAILED", "The cluster resource failed."},
    {5039, "ERROR_CLUSTER_INVALID_NODE", "The cluster node is not valid."},
    {5040, "ERROR_CLUSTER_NODE_EXISTS", "The cluster node already exists."},
    {5041, "ERROR_CLUSTER_JOIN_IN_PROGRESS", "A node is already joining the cluster."},
    {5042, "ERROR_CLUSTER_NODE_NOT_FOUND", "The cluster node was not found."},
    {5043, "ERROR_CLUSTER_LOCAL_NODE_NOT_FOUND", "The local cluster node was not found."},
    {5050, "ERROR_CLUSTER_NODE_DOWN", "The cluster node is down."},
    {5051, "ERROR_CLUSTER_NODE_UNREACHABLE", "The cluster node is not reachable."},
    {5052, "ERROR_CLUSTER_NODE_NOT_MEMBER", "The node is not a member of the cluster."},
    {5056, "ERROR_CLUSTER_NODE_UP", "The cluster node is up."},
    {5057, "ERROR_CLUSTER_IPADDR_IN_USE", "The cluster IP address is already in use."},
    {5061, "ERROR_CLUSTER_NODE_ALREADY_UP", "The cluster node is already up."},
    {5062, "ERROR_CLUSTER_NODE_ALREADY_DOWN", "The cluster node is already down."},
    {5065, "ERROR_CLUSTER_NODE_ALREADY_MEMBER", "The node is already a member of a cluster."},
    {5068, "ERROR_INVALID_OPERATION_ON_QUORUM",
     "The operation is not valid on the quorum resource."},
    {5058, "ERROR_CLUSTER_NODE_NOT_PAUSED", "The cluster node is not paused."},
    {5070, "ERROR_CLUSTER_NODE_PAUSED", "The cluster node is paused."},
    {5072, "ERROR_CLUSTER_NODE_NOT_READY", "The cluster node is not ready for this operation."},
    {5073, "ERROR_CLUSTER_NODE_SHUTTING_DOWN", "The cluster node is shutting down."},
    {5074, "ERROR_CLUSTER_JOIN_ABORTED", "The cluster join was aborted."},
    {5075, "ERROR_CLUSTER_INCOMPATIBLE_VERSIONS",
     "The node's version is incompatible with the cluster's functional level."},
    {5078, "ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND", "The resource type was not found."},
    {5084, "ERROR_RESMON_INVALID_STATE", "The resource is not in a state that allows this."},
    {5086, "ERROR_QUORUM_DISK_NOT_FOUND", "The quorum disk could not be found."},
    {5891, "ERROR_CLUSTER_QUORUMLOG_NOT_FOUND", "The quorum log was not found."},
    {5896, "ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP",
     "The node was evicted, but its cleanup did not complete."},
    {5898, "ERROR_NODE_CANNOT_BE_CLUSTERED", "The node cannot be made a cluster member."},
    {5899, "ERROR_CLUSTER_WRONG_OS_VERSION",
     "The node's operating system version is not supported by the cluster."},
    {5900, "ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME", "The cluster name is already in use."},
    {5904, "ERROR_CLUSTER_OLD_VERSION", "The cluster software on the node is too old."},
    {5906, "ERROR_CLUSTER_NO_NET_ADAPTERS", "No network adapters are available."},
    {5911, "ERROR_INVALID_CLUSTER_IPV6_ADDRESS", "The cluster IPv6 address is not valid."},
    {5913, "ERROR_CLUSTER_PARAMETER_OUT_OF_BOUNDS", "A cluster parameter is out of bounds."},
    {5916, "ERROR_CLUSTER_INVALID_STRING_TERMINATION", "A string is not terminated correctly."},
    {5917, "ERROR_CLUSTER_INVALID_STRING_FORMAT", "A string is not in a valid format."},
    {5925, "ERROR_CLUSTER_NO_QUORUM", "Too few cluster nodes are present to form a quorum."},
    {5928, "ERROR_QUORUM_NOT_ALLOWED_IN_THIS_GROUP",
     "The quorum resource is not allowed in this group."},
    {5929, "ERROR_DEPENDENCY_TREE_TOO_COMPLEX", "The dependency tree is too deep."},
    {5932, "ERROR_CLUSTER_NOT_INSTALLED", "The cluster software is not installed on the node."},
    {5934, "ERROR_CLUSTER_MAX_NODES_IN_CLUSTER",
     "The cluster already has the maximum number of nodes."},
    {5935, "ERROR_CLUSTER_TOO_MANY_NODES", "Too many nodes were given for the cluster."},
    {5936, "ERROR_CLUSTER_OBJECT_ALREADY_USED",
     "An enabled computer object with the cluster name already exists."},
    {5937, "ERROR_NONCORE_GROUPS_FOUND", "The cluster still has groups other than the core group."},
    {5939, "ERROR_CLUSTER_EVICT_INVALID_REQUEST",
     "The node cannot be evicted: the cluster would lose quorum, or it is the last node."},
};

static const struct win32_error_entry *error_lookup(uint32_t code)
{
    for (size_t i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
        if (error_table[i].code == code)
            return &error_table[i];
    return NULL;
}

const char *win32_error_name(uint32_t code)
{
    const struct win32_error_entry *e = error_lookup(code);

    return e != NULL ? e->name : NULL;
}

const char *win32_error_text(uint32_t code)
{
    const struct win32_error_entry *e = error_lookup(code);

    return e != NULL ? e->text : "An unknown error occurred.";
}

struct errno_entry {
    int err;
    uint32_t code;
};

/* The one errno → Win32 table. Aliases (EWOULDBLOCK, EOPNOTSUPP on Linux) share a value with
 * another entry; the duplicate rows are harmless and keep the table portable. */
static const struct errno_entry errno_table[] = {
    {ENOMEM, 8},          /* ERROR_NOT_ENOUGH_MEMORY */
    {EINVAL, 87},         /* ERROR_INVALID_PARAMETER */
    {ENOENT, 2},          /* ERROR_FILE_NOT_FOUND */
    {EACCES, 5},          /* ERROR_ACCESS_DENIED */
    {EPERM, 5},           /* ERROR_ACCESS_DENIED */
    {ETIMEDOUT, 1460},    /* ERROR_TIMEOUT */
    {ECONNREFUSED, 1225}, /* ERROR_CONNECTION_REFUSED */
    {EHOSTUNREACH, 1232}, /* ERROR_HOST_UNREACHABLE */
    {EHOSTDOWN, 1232},    /* ERROR_HOST_UNREACHABLE */
    {ENETUNREACH, 1231},  /* ERROR_NETWORK_UNREACHABLE */
    {ECANCELED, 1223},    /* ERROR_CANCELLED */
    {EEXIST, 183},        /* ERROR_ALREADY_EXISTS */
    {EADDRINUSE, 5057},   /* ERROR_CLUSTER_IPADDR_IN_USE */
    {EBADMSG, 13},        /* ERROR_INVALID_DATA */
    {EPROTO, 13},         /* ERROR_INVALID_DATA */
    {EILSEQ, 13},         /* ERROR_INVALID_DATA: malformed text */
    {ENOSPC, 112},        /* ERROR_DISK_FULL */
    {EDQUOT, 112},        /* ERROR_DISK_FULL */
    {EROFS, 19},          /* ERROR_WRITE_PROTECT */
    {EBUSY, 170},         /* ERROR_BUSY */
    {ENOTSUP, 50},        /* ERROR_NOT_SUPPORTED */
    {EOPNOTSUPP, 50},     /* ERROR_NOT_SUPPORTED */
    {EAGAIN, 1237},       /* ERROR_RETRY */
    {EWOULDBLOCK, 1237},  /* ERROR_RETRY */
    {ENAMETOOLONG, 206},  /* ERROR_FILENAME_EXCED_RANGE */
    {ENOSYS, 1},          /* ERROR_INVALID_FUNCTION */
    {ERANGE, 122},        /* ERROR_INSUFFICIENT_BUFFER */
};

uint32_t win32_from_errno(int err)
{
    if (err == 0)
        return 0;
    if (err == INT_MIN)
        return 1359; /* ERROR_INTERNAL_ERROR; -INT_MIN would overflow */
    if (err < 0)
        err = -err;
    for (size_t i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++)
        if (errno_table[i].err == err)
            return errno_table[i].code;
    return 1359; /* ERROR_INTERNAL_ERROR */
}

uint32_t win32_hresult_from(uint32_t code)
{
    if (code == 0 || (code & 0x80000000u) != 0)
        return code;
    return 0x80070000u | (code & 0xFFFFu);
}

int win32_is_hresult(uint32_t value)
{
    return (value & 0x80000000u) != 0;
}

uint32_t win32_from_hresult(uint32_t value)
{
    if ((value & 0xFFFF0000u) == 0x80070000u)
        return value & 0xFFFFu;
    return value;
}
