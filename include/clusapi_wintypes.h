/*
 * clusapi_wintypes.h — the few Win32 base types, macros and error codes that a program written
 * against Microsoft's clusapi.h expects to find already declared (on Windows they come from
 * windef.h, winnt.h and winerror.h). Included by clusapi.h; usable on its own.
 *
 * Type model (REFERENCE §1, §7.5): BOOL is int, BOOLEAN 8 bits, DWORD 32-bit unsigned, WORD
 * 16-bit unsigned, HRESULT 32-bit signed, WCHAR a 16-bit UTF-16 code unit; WINAPI and CALLBACK
 * expand to nothing (x86-64 has one calling convention).
 *
 * Coexisting with other Win32 headers. A program may include a mingw-w64 or Wine windef.h /
 * winnt.h / winerror.h before this file. The rules, chosen so that no order of inclusion
 * produces a redefinition error:
 *   - Typedefs cannot be tested with #ifdef, and the other headers may spell them differently
 *     (Wine's DWORD can be `unsigned long`), so the typedefs form ONE group that is skipped
 *     entirely when any of those headers' include guards is defined, or when the program
 *     defines CLUSAPI_HAVE_WIN32_TYPES itself. The program then uses the other header's types,
 *     which must have the same sizes (they do on every Win32-on-Linux toolchain we know).
 *   - Every macro (TRUE, WINAPI, S_OK, each ERROR_* code ...) sits in its own #ifndef, so a
 *     value another header already defined wins and ours is silently dropped. Values are the
 *     Win32 ones, so either definition means the same thing.
 *   - Error codes are plain int constants (no L suffix as in winerror.h): on LP64 Linux `long`
 *     is 64-bit and would make `printf("%u", ERROR_X)` and DWORD comparisons awkward. They
 *     stay usable in #if.
 *
 * WCHAR. From C11 on, and in C++, WCHAR is char16_t, so u"node1" literals initialise PCWSTR
 * directly. C99 has no <uchar.h>, so there WCHAR is uint16_t; glibc defines char16_t as
 * uint_least16_t, i.e. the same unsigned short, so C99 and C11 translation units agree on
 * the type and the ABI.
 */
#ifndef CLUSAPI_WINTYPES_H
#define CLUSAPI_WINTYPES_H

#include <stddef.h> /* NULL, which Win32 code expects once windef.h is in */
#include <stdint.h>

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#include <uchar.h>
#endif

/* ---------------------------------------------------------------------------------------- */
/* Scalar, pointer and string types                                                         */
/* ---------------------------------------------------------------------------------------- */

#if !defined(CLUSAPI_HAVE_WIN32_TYPES) &&                                                          \
    (defined(_WINDEF_) || defined(_WINDEF_H) || defined(_MINWINDEF_) || defined(_WINNT_) ||        \
     defined(__WINE_WINDEF_H) || defined(__WINE_WINNT_H))
#define CLUSAPI_HAVE_WIN32_TYPES 1
#endif

/*
 * Marks the unnamed structs and unions the SDK declares (its DUMMYSTRUCTNAME /
 * DUMMYUNIONNAME) and its zero-length arrays, so that -std=c99 -pedantic and C++ -pedantic
 * accept them; members keep the SDK's names either way.
 */
#ifndef CLUSAPI_EXTENSION
#if defined(__GNUC__) || defined(__clang__)
#define CLUSAPI_EXTENSION __extension__
#else
#define CLUSAPI_EXTENSION
#endif
#endif

#ifndef CLUSAPI_HAVE_WIN32_TYPES
typedef int BOOL;
typedef unsigned char BOOLEAN;
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef DWORD *LPDWORD;
typedef DWORD *PDWORD;
typedef void *PVOID;
typedef void *LPVOID;
typedef int32_t HRESULT;

#if defined(__cplusplus)
typedef char16_t WCHAR;
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR; /* C99: see the note at the top of this file */
#endif

typedef WCHAR *PWSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *PCWSTR;
typedef const WCHAR *LPCWSTR;

typedef unsigned char UCHAR;
typedef uint16_t USHORT;
typedef BYTE *PBYTE;
typedef BYTE *LPBYTE;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;

/* 64-bit values as two DWORDs or one quad word (winnt.h); 8-byte aligned as on Windows. */
typedef union _LARGE_INTEGER {
    CLUSAPI_EXTENSION struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    CLUSAPI_EXTENSION struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;
#endif /* CLUSAPI_HAVE_WIN32_TYPES */

/* ---------------------------------------------------------------------------------------- */
/* Calling convention and boolean values                                                    */
/* ---------------------------------------------------------------------------------------- */

#ifndef WINAPI
#define WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* ---------------------------------------------------------------------------------------- */
/* HRESULT helpers                                                                          */
/* ---------------------------------------------------------------------------------------- */

#ifndef S_OK
#define S_OK ((HRESULT)0)
#endif
#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif
#ifndef FACILITY_WIN32
#define FACILITY_WIN32 7
#endif
/* Win32 code -> HRESULT: 0 and negative values pass through, others become 0x8007xxxx. */
#ifndef HRESULT_FROM_WIN32
#define HRESULT_FROM_WIN32(x)                                                                      \
    ((HRESULT)(x) <= 0 ? (HRESULT)(x)                                                              \
                       : (HRESULT)((((uint32_t)(x)) & 0x0000FFFFu) |                               \
                                   ((uint32_t)FACILITY_WIN32 << 16) | 0x80000000u))
#endif

/* ---------------------------------------------------------------------------------------- */
/* Access rights (OpenClusterEx, OpenClusterNodeEx)                                         */
/* ---------------------------------------------------------------------------------------- */

#ifndef GENERIC_READ
#define GENERIC_READ 0x80000000u
#endif
#ifndef GENERIC_ALL
#define GENERIC_ALL 0x10000000u
#endif
#ifndef MAXIMUM_ALLOWED
#define MAXIMUM_ALLOWED 0x02000000u
#endif

/* ---------------------------------------------------------------------------------------- */
/* Win32 error codes (REFERENCE §5 and the general codes the library returns)               */
/* ---------------------------------------------------------------------------------------- */

#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0
#endif
#ifndef ERROR_INVALID_FUNCTION
#define ERROR_INVALID_FUNCTION 1
#endif
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND 2
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED 5
#endif
#ifndef ERROR_INVALID_HANDLE
#define ERROR_INVALID_HANDLE 6
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8
#endif
#ifndef ERROR_INVALID_DATA
#define ERROR_INVALID_DATA 13
#endif
#ifndef ERROR_OUTOFMEMORY
#define ERROR_OUTOFMEMORY 14
#endif
#ifndef ERROR_WRITE_PROTECT
#define ERROR_WRITE_PROTECT 19
#endif
#ifndef ERROR_NOT_READY
#define ERROR_NOT_READY 21
#endif
#ifndef ERROR_WRITE_FAULT
#define ERROR_WRITE_FAULT 29
#endif
#ifndef ERROR_GEN_FAILURE
#define ERROR_GEN_FAILURE 31
#endif
#ifndef ERROR_SHARING_VIOLATION
#define ERROR_SHARING_VIOLATION 32
#endif
#ifndef ERROR_NOT_SUPPORTED
#define ERROR_NOT_SUPPORTED 50
#endif
#ifndef ERROR_DUP_NAME
#define ERROR_DUP_NAME 52
#endif
#ifndef ERROR_BAD_NETPATH
#define ERROR_BAD_NETPATH 53
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87
#endif
#ifndef ERROR_DISK_FULL
#define ERROR_DISK_FULL 112
#endif
#ifndef ERROR_INSUFFICIENT_BUFFER
#define ERROR_INSUFFICIENT_BUFFER 122
#endif
#ifndef ERROR_INVALID_NAME
#define ERROR_INVALID_NAME 123
#endif
#ifndef ERROR_BAD_ARGUMENTS
#define ERROR_BAD_ARGUMENTS 160
#endif
#ifndef ERROR_BUSY
#define ERROR_BUSY 170
#endif
#ifndef ERROR_DIR_NOT_EMPTY
#define ERROR_DIR_NOT_EMPTY 145
#endif
#ifndef ERROR_ALREADY_EXISTS
#define ERROR_ALREADY_EXISTS 183
#endif
#ifndef ERROR_MORE_DATA
#define ERROR_MORE_DATA 234
#endif
#ifndef ERROR_NO_MORE_ITEMS
#define ERROR_NO_MORE_ITEMS 259
#endif
#ifndef ERROR_IO_PENDING
#define ERROR_IO_PENDING 997
#endif
#ifndef ERROR_CIRCULAR_DEPENDENCY
#define ERROR_CIRCULAR_DEPENDENCY 1059
#endif
#ifndef ERROR_SERVICE_NOT_ACTIVE
#define ERROR_SERVICE_NOT_ACTIVE 1062
#endif
#ifndef ERROR_NOT_FOUND
#define ERROR_NOT_FOUND 1168
#endif
#ifndef ERROR_CANCELLED
#define ERROR_CANCELLED 1223
#endif
#ifndef ERROR_CONNECTION_REFUSED
#define ERROR_CONNECTION_REFUSED 1225
#endif
#ifndef ERROR_NETWORK_UNREACHABLE
#define ERROR_NETWORK_UNREACHABLE 1231
#endif
#ifndef ERROR_HOST_UNREACHABLE
#define ERROR_HOST_UNREACHABLE 1232
#endif
#ifndef ERROR_RETRY
#define ERROR_RETRY 1237
#endif
#ifndef ERROR_INTERNAL_ERROR
#define ERROR_INTERNAL_ERROR 1359
#endif
#ifndef ERROR_TOO_MANY_SECRETS
#define ERROR_TOO_MANY_SECRETS 1381
#endif
#ifndef ERROR_TIMEOUT
#define ERROR_TIMEOUT 1460
#endif
#ifndef RPC_S_PROCNUM_OUT_OF_RANGE
#define RPC_S_PROCNUM_OUT_OF_RANGE 1745
#endif
#ifndef ERROR_OBJECT_NOT_FOUND
#define ERROR_OBJECT_NOT_FOUND 4312
#endif

/* Cluster codes, 5001-5089 */
#ifndef ERROR_DEPENDENT_RESOURCE_EXISTS
#define ERROR_DEPENDENT_RESOURCE_EXISTS 5001
#endif
#ifndef ERROR_DEPENDENCY_NOT_FOUND
#define ERROR_DEPENDENCY_NOT_FOUND 5002
#endif
#ifndef ERROR_DEPENDENCY_ALREADY_EXISTS
#define ERROR_DEPENDENCY_ALREADY_EXISTS 5003
#endif
#ifndef ERROR_HOST_NODE_NOT_AVAILABLE
#define ERROR_HOST_NODE_NOT_AVAILABLE 5005
#endif
#ifndef ERROR_RESOURCE_NOT_FOUND
#define ERROR_RESOURCE_NOT_FOUND 5007
#endif
#ifndef ERROR_CANT_EVICT_ACTIVE_NODE
#define ERROR_CANT_EVICT_ACTIVE_NODE 5009
#endif
#ifndef ERROR_OBJECT_ALREADY_EXISTS
#define ERROR_OBJECT_ALREADY_EXISTS 5010
#endif
#ifndef ERROR_GROUP_NOT_FOUND
#define ERROR_GROUP_NOT_FOUND 5013
#endif
#ifndef ERROR_GROUP_NOT_ONLINE
#define ERROR_GROUP_NOT_ONLINE 5014
#endif
#ifndef ERROR_QUORUM_RESOURCE
#define ERROR_QUORUM_RESOURCE 5020
#endif
#ifndef ERROR_NOT_QUORUM_CAPABLE
#define ERROR_NOT_QUORUM_CAPABLE 5021
#endif
#ifndef ERROR_CLUSTER_SHUTTING_DOWN
#define ERROR_CLUSTER_SHUTTING_DOWN 5022
#endif
#ifndef ERROR_RESOURCE_ONLINE
#define ERROR_RESOURCE_ONLINE 5019
#endif
#ifndef ERROR_INVALID_STATE
#define ERROR_INVALID_STATE 5023
#endif
#ifndef ERROR_NOT_QUORUM_CLASS
#define ERROR_NOT_QUORUM_CLASS 5025
#endif
#ifndef ERROR_CORE_RESOURCE
#define ERROR_CORE_RESOURCE 5026
#endif
#ifndef ERROR_QUORUM_RESOURCE_ONLINE_FAILED
#define ERROR_QUORUM_RESOURCE_ONLINE_FAILED 5027
#endif
#ifndef ERROR_QUORUMLOG_OPEN_FAILED
#define ERROR_QUORUMLOG_OPEN_FAILED 5028
#endif
#ifndef ERROR_QUORUM_OWNER_ALIVE
#define ERROR_QUORUM_OWNER_ALIVE 5034
#endif
#ifndef ERROR_NODE_NOT_AVAILABLE
#define ERROR_NODE_NOT_AVAILABLE 5036
#endif
#ifndef ERROR_ALL_NODES_NOT_AVAILABLE
#define ERROR_ALL_NODES_NOT_AVAILABLE 5037
#endif
#ifndef ERROR_RESOURCE_FAILED
#define ERROR_RESOURCE_FAILED 5038
#endif
#ifndef ERROR_CLUSTER_INVALID_NODE
#define ERROR_CLUSTER_INVALID_NODE 5039
#endif
#ifndef ERROR_CLUSTER_NODE_EXISTS
#define ERROR_CLUSTER_NODE_EXISTS 5040
#endif
#ifndef ERROR_CLUSTER_JOIN_IN_PROGRESS
#define ERROR_CLUSTER_JOIN_IN_PROGRESS 5041
#endif
#ifndef ERROR_CLUSTER_NODE_NOT_FOUND
#define ERROR_CLUSTER_NODE_NOT_FOUND 5042
#endif
#ifndef ERROR_CLUSTER_LOCAL_NODE_NOT_FOUND
#define ERROR_CLUSTER_LOCAL_NODE_NOT_FOUND 5043
#endif
#ifndef ERROR_CLUSTER_NETWORK_NOT_FOUND
#define ERROR_CLUSTER_NETWORK_NOT_FOUND 5045
#endif
#ifndef ERROR_CLUSTER_NODE_DOWN
#define ERROR_CLUSTER_NODE_DOWN 5050
#endif
#ifndef ERROR_CLUSTER_NODE_UNREACHABLE
#define ERROR_CLUSTER_NODE_UNREACHABLE 5051
#endif
#ifndef ERROR_CLUSTER_NODE_NOT_MEMBER
#define ERROR_CLUSTER_NODE_NOT_MEMBER 5052
#endif
#ifndef ERROR_CLUSTER_NODE_UP
#define ERROR_CLUSTER_NODE_UP 5056
#endif
#ifndef ERROR_CLUSTER_IPADDR_IN_USE
#define ERROR_CLUSTER_IPADDR_IN_USE 5057
#endif
#ifndef ERROR_CLUSTER_NODE_ALREADY_UP
#define ERROR_CLUSTER_NODE_ALREADY_UP 5061
#endif
#ifndef ERROR_CLUSTER_NODE_ALREADY_DOWN
#define ERROR_CLUSTER_NODE_ALREADY_DOWN 5062
#endif
#ifndef ERROR_CLUSTER_NODE_ALREADY_MEMBER
#define ERROR_CLUSTER_NODE_ALREADY_MEMBER 5065
#endif
#ifndef ERROR_INVALID_OPERATION_ON_QUORUM
#define ERROR_INVALID_OPERATION_ON_QUORUM 5068
#endif
#ifndef ERROR_CLUSTER_NODE_PAUSED
#define ERROR_CLUSTER_NODE_PAUSED 5070
#endif
#ifndef ERROR_CLUSTER_NODE_NOT_PAUSED
#define ERROR_CLUSTER_NODE_NOT_PAUSED 5058
#endif
#ifndef ERROR_CLUSTER_NODE_NOT_READY
#define ERROR_CLUSTER_NODE_NOT_READY 5072
#endif
#ifndef ERROR_CLUSTER_NODE_SHUTTING_DOWN
#define ERROR_CLUSTER_NODE_SHUTTING_DOWN 5073
#endif
#ifndef ERROR_CLUSTER_JOIN_ABORTED
#define ERROR_CLUSTER_JOIN_ABORTED 5074
#endif
#ifndef ERROR_CLUSTER_INCOMPATIBLE_VERSIONS
#define ERROR_CLUSTER_INCOMPATIBLE_VERSIONS 5075
#endif
#ifndef ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND
#define ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND 5078
#endif
#ifndef ERROR_RESMON_INVALID_STATE
#define ERROR_RESMON_INVALID_STATE 5084
#endif
#ifndef ERROR_QUORUM_DISK_NOT_FOUND
#define ERROR_QUORUM_DISK_NOT_FOUND 5086
#endif

/* Cluster codes, 5890-5972 */
#ifndef ERROR_CLUSTER_QUORUMLOG_NOT_FOUND
#define ERROR_CLUSTER_QUORUMLOG_NOT_FOUND 5891
#endif
#ifndef ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP
#define ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP 5896
#endif
#ifndef ERROR_NODE_CANNOT_BE_CLUSTERED
#define ERROR_NODE_CANNOT_BE_CLUSTERED 5898
#endif
#ifndef ERROR_CLUSTER_WRONG_OS_VERSION
#define ERROR_CLUSTER_WRONG_OS_VERSION 5899
#endif
#ifndef ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME
#define ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME 5900
#endif
#ifndef ERROR_CLUSTER_OLD_VERSION
#define ERROR_CLUSTER_OLD_VERSION 5904
#endif
#ifndef ERROR_CLUSTER_NO_NET_ADAPTERS
#define ERROR_CLUSTER_NO_NET_ADAPTERS 5906
#endif
#ifndef ERROR_INVALID_CLUSTER_IPV6_ADDRESS
#define ERROR_INVALID_CLUSTER_IPV6_ADDRESS 5911
#endif
#ifndef ERROR_CLUSTER_PARAMETER_OUT_OF_BOUNDS
#define ERROR_CLUSTER_PARAMETER_OUT_OF_BOUNDS 5913
#endif
#ifndef ERROR_CLUSTER_INVALID_STRING_TERMINATION
#define ERROR_CLUSTER_INVALID_STRING_TERMINATION 5916
#endif
#ifndef ERROR_CLUSTER_INVALID_STRING_FORMAT
#define ERROR_CLUSTER_INVALID_STRING_FORMAT 5917
#endif
#ifndef ERROR_CLUSTER_NO_QUORUM
#define ERROR_CLUSTER_NO_QUORUM 5925
#endif
#ifndef ERROR_QUORUM_NOT_ALLOWED_IN_THIS_GROUP
#define ERROR_QUORUM_NOT_ALLOWED_IN_THIS_GROUP 5928
#endif
#ifndef ERROR_DEPENDENCY_TREE_TOO_COMPLEX
#define ERROR_DEPENDENCY_TREE_TOO_COMPLEX 5929
#endif
#ifndef ERROR_CLUSTER_NOT_INSTALLED
#define ERROR_CLUSTER_NOT_INSTALLED 5932
#endif
#ifndef ERROR_CLUSTER_MAX_NODES_IN_CLUSTER
#define ERROR_CLUSTER_MAX_NODES_IN_CLUSTER 5934
#endif
#ifndef ERROR_CLUSTER_TOO_MANY_NODES
#define ERROR_CLUSTER_TOO_MANY_NODES 5935
#endif
#ifndef ERROR_CLUSTER_OBJECT_ALREADY_USED
#define ERROR_CLUSTER_OBJECT_ALREADY_USED 5936
#endif
#ifndef ERROR_NONCORE_GROUPS_FOUND
#define ERROR_NONCORE_GROUPS_FOUND 5937
#endif
#ifndef ERROR_CLUSTER_EVICT_INVALID_REQUEST
#define ERROR_CLUSTER_EVICT_INVALID_REQUEST 5939
#endif

#endif /* CLUSAPI_WINTYPES_H */
