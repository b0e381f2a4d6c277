/*
 * consensus_entry — raft log entry framing of a command (see consensus_entry.h).
 */
#include "daemon/consensus/consensus_entry.h"

#include <errno.h>
#include <string.h>

size_t consensus_entry_size(size_t len)
{
    return CONSENSUS_ENTRY_HEADER + ((len + 7) & ~(size_t)7);
}

void consensus_entry_frame(uint8_t *buf, const void *cmd, size_t len)
{
    size_t size = consensus_entry_size(len);

    memset(buf, 0, size);
    for (unsigned i = 0; i < 8; i++)
        buf[i] = (uint8_t)((uint64_t)len >> (8 * i));
    if (len > 0)
        memcpy(buf + CONSENSUS_ENTRY_HEADER, cmd, len);
}

int consensus_entry_unframe(const void *data, size_t len, const uint8_t **ret, size_t *ret_len)
{
    const uint8_t *p = data;
    uint64_t n = 0;

    if (len < CONSENSUS_ENTRY_HEADER)
        return -EBADMSG;
    for (unsigned i = 0; i < 8; i++)
        n |= (uint64_t)p[i] << (8 * i);
    if (n > len - CONSENSUS_ENTRY_HEADER)
        return -EBADMSG;
    *ret = p + CONSENSUS_ENTRY_HEADER;
    *ret_len = (size_t)n;
    return 0;
}
