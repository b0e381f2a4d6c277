/*
 * consensus_hello — the raft connection's identity and hello frame (see consensus_hello.h).
 */
#include "daemon/consensus/consensus_hello.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/wire.h"

#define IDENTITY_PREFIX "raft:"

void consensus_identity_format(uint64_t id, const uint8_t cred_id[CRED_ID_BYTES], char *buf)
{
    char hex[CRED_ID_HEX_SIZE];

    cred_id_hex(cred_id, hex);
    snprintf(buf, CONSENSUS_IDENTITY_SIZE, IDENTITY_PREFIX "%" PRIu64 ":%s", id, hex);
}

int consensus_identity_parse(const char *identity, uint64_t *ret_id,
                             uint8_t ret_cred_id[CRED_ID_BYTES])
{
    const char *p = identity + strlen(IDENTITY_PREFIX);
    uint8_t cred_id[CRED_ID_BYTES];
    unsigned long long id;
    char *end;

    if (strncmp(identity, IDENTITY_PREFIX, strlen(IDENTITY_PREFIX)) != 0 || *p < '1' ||
        *p > '9')
        return -EINVAL;
    errno = 0;
    id = strtoull(p, &end, 10);
    if (errno != 0 || *end != ':' || cred_id_parse(end + 1, cred_id) < 0)
        return -EINVAL;
    *ret_id = id;
    memcpy(ret_cred_id, cred_id, CRED_ID_BYTES);
    return 0;
}

int consensus_hello_encode(uint64_t id, const char *address, uint8_t *buf)
{
    size_t len = strlen(address);

    if (id == 0 || len == 0 || len > CONSENSUS_HELLO_ADDRESS_MAX)
        return -EINVAL;
    memset(buf, 0, CONSENSUS_HELLO_HEADER);
    wire_le_put(buf, CONSENSUS_HELLO_MAGIC, 4);
    buf[4] = CONSENSUS_HELLO_VERSION;
    wire_le_put(buf + 8, id, 8);
    wire_le_put(buf + 16, len, 2);
    memcpy(buf + CONSENSUS_HELLO_HEADER, address, len);
    return (int)(CONSENSUS_HELLO_HEADER + len);
}

int consensus_hello_decode(const uint8_t *buf, size_t len, struct consensus_hello *ret)
{
    size_t alen;

    /* Judge the magic as soon as it is in: a stranger is turned away without waiting. */
    if (len >= 4 && wire_le_get(buf, 4) != CONSENSUS_HELLO_MAGIC)
        return -EBADMSG;
    if (len < CONSENSUS_HELLO_HEADER)
        return -EAGAIN;
    alen = (size_t)wire_le_get(buf + 16, 2);
    if (buf[4] != CONSENSUS_HELLO_VERSION || buf[5] != 0 || buf[6] != 0 || buf[7] != 0 ||
        wire_le_get(buf + 8, 8) == 0 || alen == 0 || alen > CONSENSUS_HELLO_ADDRESS_MAX)
        return -EBADMSG; /* id 0 names no node: encode refuses it too */
    if (len < CONSENSUS_HELLO_HEADER + alen)
        return -EAGAIN;
    if (memchr(buf + CONSENSUS_HELLO_HEADER, '\0', alen) != NULL)
        return -EBADMSG;
    ret->id = wire_le_get(buf + 8, 8);
    memcpy(ret->address, buf + CONSENSUS_HELLO_HEADER, alen);
    ret->address[alen] = '\0';
    return (int)(CONSENSUS_HELLO_HEADER + alen);
}

const char *consensus_hello_refusal(const struct consensus_hello *h, uint64_t proved_id,
                                    uint64_t self_id, bool is_member)
{
    if (h->id != proved_id)
        return "the hello names another node id than the one proved";
    if (proved_id == self_id)
        return "the peer claims this node's own id";
    if (!is_member)
        return "the node id is not a member of the cluster";
    return NULL;
}
