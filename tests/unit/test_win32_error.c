/*
 * Unit tests for src/common/win32_error.c.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/win32_error.h"

#define GENERIC_TEXT "An unknown error occurred."

static const struct {
    uint32_t code;
    const char *name;
} known[] = {
    /* REFERENCE §5 table */
    {0, "ERROR_SUCCESS"},
    {2, "ERROR_FILE_NOT_FOUND"},
    {5, "ERROR_ACCESS_DENIED"},
    {6, "ERROR_INVALID_HANDLE"},
    {8, "ERROR_NOT_ENOUGH_MEMORY"},
    {14, "ERROR_OUTOFMEMORY"},
    {50, "ERROR_NOT_SUPPORTED"},
    {87, "ERROR_INVALID_PARAMETER"},
    {183, "ERROR_ALREADY_EXISTS"},
    {234, "ERROR_MORE_DATA"},
    {259, "ERROR_NO_MORE_ITEMS"},
    {997, "ERROR_IO_PENDING"},
    {1062, "ERROR_SERVICE_NOT_ACTIVE"},
    {1223, "ERROR_CANCELLED"},
    {1359, "ERROR_INTERNAL_ERROR"},
    {1460, "ERROR_TIMEOUT"},
    {1745, "RPC_S_PROCNUM_OUT_OF_RANGE"},
    {4312, "ERROR_OBJECT_NOT_FOUND"},
    {5005, "ERROR_HOST_NODE_NOT_AVAILABLE"},
    {5013, "ERROR_GROUP_NOT_FOUND"},
    {5036, "ERROR_NODE_NOT_AVAILABLE"},
    {5042, "ERROR_CLUSTER_NODE_NOT_FOUND"},
    {5051, "ERROR_CLUSTER_NODE_UNREACHABLE"},
    {5057, "ERROR_CLUSTER_IPADDR_IN_USE"},
    {5065, "ERROR_CLUSTER_NODE_ALREADY_MEMBER"},
    {5075, "ERROR_CLUSTER_INCOMPATIBLE_VERSIONS"},
    {5896, "ERROR_CLUSTER_EVICT_WITHOUT_CLEANUP"},
    {5900, "ERROR_CLUSTER_CANT_CREATE_DUP_CLUSTER_NAME"},
    {5911, "ERROR_INVALID_CLUSTER_IPV6_ADDRESS"},
    {5917, "ERROR_CLUSTER_INVALID_STRING_FORMAT"},
    {5925, "ERROR_CLUSTER_NO_QUORUM"},
    {5932, "ERROR_CLUSTER_NOT_INSTALLED"},
    {5934, "ERROR_CLUSTER_MAX_NODES_IN_CLUSTER"},
    {5935, "ERROR_CLUSTER_TOO_MANY_NODES"},
    {5936, "ERROR_CLUSTER_OBJECT_ALREADY_USED"},
    {5937, "ERROR_NONCORE_GROUPS_FOUND"},
    {5939, "ERROR_CLUSTER_EVICT_INVALID_REQUEST"},
    /* "Other cluster codes" */
    {5007, "ERROR_RESOURCE_NOT_FOUND"},
    {5009, "ERROR_CANT_EVICT_ACTIVE_NODE"},
    {5010, "ERROR_OBJECT_ALREADY_EXISTS"},
    {5014, "ERROR_GROUP_NOT_ONLINE"},
    {5022, "ERROR_CLUSTER_SHUTTING_DOWN"},
    {5023, "ERROR_INVALID_STATE"},
    {5037, "ERROR_ALL_NODES_NOT_AVAILABLE"},
    {5039, "ERROR_CLUSTER_INVALID_NODE"},
    {5040, "ERROR_CLUSTER_NODE_EXISTS"},
    {5041, "ERROR_CLUSTER_JOIN_IN_PROGRESS"},
    {5043, "ERROR_CLUSTER_LOCAL_NODE_NOT_FOUND"},
    {5050, "ERROR_CLUSTER_NODE_DOWN"},
    {5052, "ERROR_CLUSTER_NODE_NOT_MEMBER"},
    {5056, "ERROR_CLUSTER_NODE_UP"},
    {5061, "ERROR_CLUSTER_NODE_ALREADY_UP"},
    {5062, "ERROR_CLUSTER_NODE_ALREADY_DOWN"},
    {5058, "ERROR_CLUSTER_NODE_NOT_PAUSED"},
    {5070, "ERROR_CLUSTER_NODE_PAUSED"},
    {5072, "ERROR_CLUSTER_NODE_NOT_READY"},
    {5073, "ERROR_CLUSTER_NODE_SHUTTING_DOWN"},
    {5074, "ERROR_CLUSTER_JOIN_ABORTED"},
    {5078, "ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND"},
    {5898, "ERROR_NODE_CANNOT_BE_CLUSTERED"},
    {5899, "ERROR_CLUSTER_WRONG_OS_VERSION"},
    {5904, "ERROR_CLUSTER_OLD_VERSION"},
    {5906, "ERROR_CLUSTER_NO_NET_ADAPTERS"},
    {5913, "ERROR_CLUSTER_PARAMETER_OUT_OF_BOUNDS"},
    {5916, "ERROR_CLUSTER_INVALID_STRING_TERMINATION"},
    /* quorum codes */
    {5020, "ERROR_QUORUM_RESOURCE"},
    {5021, "ERROR_NOT_QUORUM_CAPABLE"},
    {5025, "ERROR_NOT_QUORUM_CLASS"},
    {5027, "ERROR_QUORUM_RESOURCE_ONLINE_FAILED"},
    {5028, "ERROR_QUORUMLOG_OPEN_FAILED"},
    {5034, "ERROR_QUORUM_OWNER_ALIVE"},
    {5068, "ERROR_INVALID_OPERATION_ON_QUORUM"},
    {5086, "ERROR_QUORUM_DISK_NOT_FOUND"},
    {5891, "ERROR_CLUSTER_QUORUMLOG_NOT_FOUND"},
    {5928, "ERROR_QUORUM_NOT_ALLOWED_IN_THIS_GROUP"},
    /* generic codes used by the tree */
    {1168, "ERROR_NOT_FOUND"},
    {1225, "ERROR_CONNECTION_REFUSED"},
    {1231, "ERROR_NETWORK_UNREACHABLE"},
    {1232, "ERROR_HOST_UNREACHABLE"},
    {13, "ERROR_INVALID_DATA"},
    {122, "ERROR_INSUFFICIENT_BUFFER"},
    {123, "ERROR_INVALID_NAME"},
    {21, "ERROR_NOT_READY"},
    {170, "ERROR_BUSY"},
    {31, "ERROR_GEN_FAILURE"},
    {1, "ERROR_INVALID_FUNCTION"},
    {112, "ERROR_DISK_FULL"},
    {1237, "ERROR_RETRY"},
    {1381, "ERROR_TOO_MANY_SECRETS"},
    {206, "ERROR_FILENAME_EXCED_RANGE"},
};

#define N_KNOWN (sizeof(known) / sizeof(known[0]))

static void test_every_known_code_has_name_and_text(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++) {
        const char *name = win32_error_name(known[i].code);
        const char *text = win32_error_text(known[i].code);

        assert_non_null(name);
        assert_string_equal(name, known[i].name);
        assert_non_null(text);
        assert_string_not_equal(text, GENERIC_TEXT);
        /* A sentence: capitalised, ends with a period, short enough for one line. */
        assert_true(text[0] >= 'A' && text[0] <= 'Z');
        assert_int_equal(text[strlen(text) - 1], '.');
        assert_true(strlen(text) < 100);
    }
}

static void test_specific_texts(void **state)
{
    (void)state;
    assert_string_equal(win32_error_text(5057), "The cluster IP address is already in use.");
    assert_string_equal(win32_error_text(0), "The operation completed successfully.");
    assert_string_equal(win32_error_text(87), "The parameter is incorrect.");
}

static void test_names_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++)
        for (size_t j = i + 1; j < N_KNOWN; j++) {
            assert_int_not_equal(known[i].code, known[j].code);
            assert_string_not_equal(known[i].name, known[j].name);
        }
}

static void test_unknown_codes(void **state)
{
    static const uint32_t unknown[] = {3, 4, 5055, 5001 - 1, 0x80070057u, 0xFFFFFFFFu, 99999};

    (void)state;
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        assert_null(win32_error_name(unknown[i]));
        assert_string_equal(win32_error_text(unknown[i]), GENERIC_TEXT);
    }
}

static const struct {
    int err;
    uint32_t code;
} errno_map[] = {
    {0, 0},
    {ENOMEM, 8},
    {EINVAL, 87},
    {ENOENT, 2},
    {EACCES, 5},
    {EPERM, 5},
    {ETIMEDOUT, 1460},
    {ECONNREFUSED, 1225},
    {EHOSTUNREACH, 1232},
    {EHOSTDOWN, 1232},
    {ENETUNREACH, 1231},
    {ECANCELED, 1223},
    {EEXIST, 183},
    {EADDRINUSE, 5057},
    {EBADMSG, 13},
    {EPROTO, 13},
    {EILSEQ, 13},
    {ENOSPC, 112},
    {EBUSY, 170},
    {ENOTSUP, 50},
    {EOPNOTSUPP, 50},
    {EAGAIN, 1237},
    {EWOULDBLOCK, 1237},
    {ENAMETOOLONG, 206},
    {ENOSYS, 1},
    {ERANGE, 122},
    /* no better match: ERROR_INTERNAL_ERROR */
    {EIO, 1359},
    {ENXIO, 1359},
    {EBADF, 1359},
    {ECONNRESET, 1359},
    {4095, 1359},
    {INT_MAX, 1359},
};

static void test_errno_map_entry_by_entry(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(errno_map) / sizeof(errno_map[0]); i++) {
        assert_int_equal(win32_from_errno(errno_map[i].err), errno_map[i].code);
        assert_int_equal(win32_from_errno(-errno_map[i].err), errno_map[i].code);
        /* Every code the map can produce is one we can name. */
        assert_non_null(win32_error_name(errno_map[i].code));
    }
}

static void test_errno_extremes(void **state)
{
    (void)state;
    assert_int_equal(win32_from_errno(INT_MIN), 1359);
    assert_int_equal(win32_from_errno(-INT_MAX), 1359);
}

static void test_hresult(void **state)
{
    (void)state;
    assert_int_equal(win32_hresult_from(0), 0);
    assert_int_equal(win32_hresult_from(5051), 0x800713BBu);
    assert_int_equal(win32_hresult_from(87), 0x80070057u);
    assert_int_equal(win32_hresult_from(0x800713BBu), 0x800713BBu); /* already an HRESULT */
    assert_int_equal(win32_hresult_from(0x80004005u), 0x80004005u); /* E_FAIL stays */
    assert_int_equal(win32_hresult_from(0x00092345u), 0x80072345u); /* only 16 bits kept */

    assert_true(win32_is_hresult(0x800713BBu));
    assert_true(win32_is_hresult(0x80004005u));
    assert_false(win32_is_hresult(0));
    assert_false(win32_is_hresult(5051));
    assert_false(win32_is_hresult(0x7FFFFFFFu));

    assert_int_equal(win32_from_hresult(0x800713BBu), 5051);
    assert_int_equal(win32_from_hresult(win32_hresult_from(1223)), 1223);
    assert_int_equal(win32_from_hresult(0), 0);
    assert_int_equal(win32_from_hresult(5057), 5057);               /* plain code: unchanged */
    assert_int_equal(win32_from_hresult(0x80004005u), 0x80004005u); /* not FACILITY_WIN32 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_known_code_has_name_and_text),
        cmocka_unit_test(test_specific_texts),
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_errno_map_entry_by_entry),
        cmocka_unit_test(test_errno_extremes),
        cmocka_unit_test(test_hresult),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
