/*
 * Unit tests for src/common/state_dir_check.c: what the setup makes of a node's state directory,
 * each way it can be unfit, with the Win32 code and a reason that names the cause.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <clusapi.h>

#include "common/state_dir_check.h"

#define MIB (1024ULL * 1024)

static const struct {
    const char *why;
    uint32_t err;
    uint64_t free_bytes;
    uint32_t expect;
    const char *reason; /* a part of the reason given; NULL when accepted */
} cases[] = {
    {"writable, room to spare", 0, 10 * STATE_DIR_NEED_BYTES, 0, NULL},
    {"exactly the room it needs", 0, STATE_DIR_NEED_BYTES, 0, NULL},
    {"an older node that did not say how much", 0, STATE_DIR_FREE_UNKNOWN, 0, NULL},
    {"a byte short", 0, STATE_DIR_NEED_BYTES - 1, ERROR_DISK_FULL, "31 MiB free"},
    {"3 MiB free", 0, 3 * MIB, ERROR_DISK_FULL, "a node needs 32 MiB"},
    {"full", ENOSPC, 0, ERROR_DISK_FULL, "full"},
    {"over its quota", EDQUOT, 5 * MIB, ERROR_DISK_FULL, "full"},
    {"read-only: whatever the room", EROFS, 10 * STATE_DIR_NEED_BYTES, ERROR_WRITE_PROTECT,
     "read-only"},
    {"not ours to write", EACCES, 10 * STATE_DIR_NEED_BYTES, ERROR_ACCESS_DENIED,
     "Permission denied"},
    {"not permitted", EPERM, 10 * STATE_DIR_NEED_BYTES, ERROR_ACCESS_DENIED, "cannot be written"},
    {"a file in the way", ENOTDIR, 10 * STATE_DIR_NEED_BYTES, ERROR_NODE_CANNOT_BE_CLUSTERED,
     "Not a directory"},
    {"an older node's plain no", EIO, STATE_DIR_FREE_UNKNOWN, ERROR_NODE_CANNOT_BE_CLUSTERED,
     "not usable"},
};

static void test_judge(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char why[200] = "";
        uint32_t got = state_dir_judge(cases[i].err, cases[i].free_bytes, why, sizeof(why));

        if (got != cases[i].expect)
            fail_msg("%s: %u, want %u (%s)", cases[i].why, got, cases[i].expect, why);
        if (cases[i].reason != NULL && strstr(why, cases[i].reason) == NULL)
            fail_msg("%s: reason '%s' does not say '%s'", cases[i].why, why, cases[i].reason);
    }
}

/* The run-time watch: a fault begins below STATE_DIR_FAULT_BELOW or on a read-only mount, and
 * ends only at STATE_DIR_CLEAR_AT, so a disk hovering at the edge does not flap. */
static const struct {
    const char *why;
    struct state_dir_sample sample;
    bool was_fault;
    uint32_t expect;
    const char *reason;
} watches[] = {
    {"room to spare", {0, false, 100 * MIB, 128 * MIB}, false, 0, NULL},
    {"just enough to stay", {0, false, STATE_DIR_FAULT_BELOW, 64 * MIB}, false, 0, NULL},
    {"a byte below", {0, false, STATE_DIR_FAULT_BELOW - 1, 64 * MIB}, false, ERROR_DISK_FULL,
     "15 MiB free of 64 MiB; a node needs 16 MiB"},
    {"nothing left", {0, false, 0, 64 * MIB}, false, ERROR_DISK_FULL, "0 MiB free"},
    {"in a fault, back above the entry mark only", {0, false, 20 * MIB, 64 * MIB}, true,
     ERROR_DISK_FULL, "needs 24 MiB"},
    {"in a fault, room again", {0, false, STATE_DIR_CLEAR_AT, 64 * MIB}, true, 0, NULL},
    {"read-only, whatever the room", {0, true, 100 * MIB, 128 * MIB}, false, ERROR_WRITE_PROTECT,
     "read-only"},
    {"read-only still", {0, true, 100 * MIB, 128 * MIB}, true, ERROR_WRITE_PROTECT, "read-only"},
    {"gone", {ENOENT, false, 0, 0}, false, ERROR_NODE_CANNOT_BE_CLUSTERED,
     "No such file or directory"},
    {"stopped writing after an error", {EROFS, false, 100 * MIB, 128 * MIB}, false,
     ERROR_WRITE_PROTECT, "read-only file system"},
};

static void test_watch(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(watches) / sizeof(watches[0]); i++) {
        char why[200] = "x";
        uint32_t got = state_dir_fault(&watches[i].sample, watches[i].was_fault, why, sizeof(why));

        if (got != watches[i].expect)
            fail_msg("%s: %u, want %u (%s)", watches[i].why, got, watches[i].expect, why);
        if (watches[i].reason != NULL && strstr(why, watches[i].reason) == NULL)
            fail_msg("%s: reason '%s' does not say '%s'", watches[i].why, why,
                     watches[i].reason);
        if (got == 0 && why[0] != '\0')
            fail_msg("%s: a fault's reason where there is none: '%s'", watches[i].why, why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_watch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
