/*
 * state_dir_check — see state_dir_check.h. Pure; no I/O.
 */
#include "common/state_dir_check.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <clusapi.h>

#define MIB (1024ULL * 1024)

uint32_t state_dir_judge(uint32_t err, uint64_t free_bytes, char *why, size_t n)
{
    switch (err) {
    case 0:
        break;
    case EROFS:
        snprintf(why, n, "its state directory is on a read-only file system");
        return ERROR_WRITE_PROTECT;
    case EACCES:
    case EPERM:
        snprintf(why, n, "its state directory cannot be written: %s", strerror((int)err));
        return ERROR_ACCESS_DENIED;
    case ENOSPC:
    case EDQUOT:
        snprintf(why, n, "its state directory's file system is full");
        return ERROR_DISK_FULL;
    default:
        snprintf(why, n, "its state directory is not usable: %s", strerror((int)err));
        return ERROR_NODE_CANNOT_BE_CLUSTERED;
    }
    if (free_bytes != STATE_DIR_FREE_UNKNOWN && free_bytes < STATE_DIR_NEED_BYTES) {
        snprintf(why, n, "its state directory has %llu MiB free; a node needs %llu MiB",
                 (unsigned long long)(free_bytes / MIB),
                 (unsigned long long)(STATE_DIR_NEED_BYTES / MIB));
        return ERROR_DISK_FULL;
    }
    return 0;
}

uint32_t state_dir_fault(const struct state_dir_sample *s, bool was_fault, char *why, size_t n)
{
    uint64_t need = was_fault ? STATE_DIR_CLEAR_AT : STATE_DIR_FAULT_BELOW;

    if (s->err != 0)
        return state_dir_judge(s->err, STATE_DIR_FREE_UNKNOWN, why, n);
    if (s->read_only) {
        snprintf(why, n, "its state directory is on a file system mounted read-only");
        return ERROR_WRITE_PROTECT;
    }
    if (s->free_bytes < need) {
        snprintf(why, n, "its state directory has %llu MiB free of %llu MiB; a node needs %llu MiB",
                 (unsigned long long)(s->free_bytes / MIB),
                 (unsigned long long)(s->size_bytes / MIB), (unsigned long long)(need / MIB));
        return ERROR_DISK_FULL;
    }
    if (n > 0)
        why[0] = '\0';
    return 0;
}
