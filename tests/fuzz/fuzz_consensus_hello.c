/*
 * fuzz_consensus_hello — what a raft connection sends before raft speaks: the hello frame (read
 * from the TLS session) and the PSK identity (chosen by the connecting peer).
 *
 * Invariants: a hello decodes to at most the bytes given, and encoding what was decoded gives
 * those bytes back; a short prefix of a hello asks for more (-EAGAIN), never for a refusal; a
 * failed decode leaves the output alone; a hello whose id is not the proved one, or not a
 * member, or this node's own, is refused. An identity that parses formats back to itself.
 */
#include "fuzz.h"

#include <errno.h>

#include "daemon/consensus/consensus_hello.h"

static void check_hello(const uint8_t *data, size_t size)
{
    static uint8_t buf[CONSENSUS_HELLO_MAX];
    struct consensus_hello h;
    int rv, n;

    memset(&h, FUZZ_POISON, sizeof(h));
    rv = consensus_hello_decode(data, size, &h);
    FUZZ_CHECK(rv > 0 || rv == -EAGAIN || rv == -EBADMSG);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&h, sizeof(h)));
        return;
    }
    FUZZ_CHECK((size_t)rv <= size && h.id != 0);
    n = consensus_hello_encode(h.id, h.address, buf);
    FUZZ_CHECK(n == rv && memcmp(buf, data, (size_t)n) == 0);
    for (int k = 0; k < n; k++) /* every prefix is incomplete, not wrong */
        FUZZ_CHECK(consensus_hello_decode(data, (size_t)k, &(struct consensus_hello){0}) ==
                   -EAGAIN);
    FUZZ_CHECK(consensus_hello_refusal(&h, h.id, h.id + 1, true) == NULL);
    FUZZ_CHECK(consensus_hello_refusal(&h, h.id + 1, 0, true) != NULL);
    FUZZ_CHECK(consensus_hello_refusal(&h, h.id, h.id + 1, false) != NULL);
    FUZZ_CHECK(consensus_hello_refusal(&h, h.id, h.id, true) != NULL);
}

static void check_identity(const uint8_t *data, size_t size)
{
    char identity[CONSENSUS_IDENTITY_SIZE], back[CONSENSUS_IDENTITY_SIZE];
    uint8_t cred_id[CRED_ID_BYTES];
    uint64_t id;
    size_t n = size < sizeof(identity) - 1 ? size : sizeof(identity) - 1;

    memcpy(identity, data, n);
    identity[n] = '\0';
    if (consensus_identity_parse(identity, &id, cred_id) < 0)
        return;
    FUZZ_CHECK(id != 0);
    consensus_identity_format(id, cred_id, back);
    FUZZ_CHECK(strcmp(back, identity) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_hello(data, size);
    check_identity(data, size);
    return 0;
}
