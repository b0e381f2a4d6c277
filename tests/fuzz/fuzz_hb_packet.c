/*
 * fuzz_hb_packet — heartbeat datagrams as a node receives them from the network.
 *
 * Invariants: the MAC is asked about exactly the bytes before the tag, once; a packet that
 * decodes has exactly the length its count announces, and encoding what was decoded gives the
 * same bytes back; a wrong tag is refused with -EACCES; a refused packet leaves the output
 * alone.
 */
#include "fuzz.h"

#include <errno.h>

#include "daemon/health/hb_packet.h"
#include "fuzz_hb_mac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hb_packet p, q; /* big: off the stack */
    static uint8_t buf[HB_PACKET_MAX];
    struct fuzz_mac_seen seen = {0};
    uint8_t keyed[HB_TAG_BYTES];
    int rv, n;

    memset(&p, FUZZ_POISON, sizeof(p));
    rv = hb_packet_decode(data, size, fuzz_mac_zero, &seen, &p);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG || rv == -EACCES);
    if (rv != -EBADMSG)
        FUZZ_CHECK(seen.calls == 1 && seen.data == data && seen.len == size - HB_TAG_BYTES);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&p, sizeof(p)));
        return 0;
    }
    FUZZ_CHECK(p.n <= HB_MAX_NODES && size == HB_HEADER_BYTES + p.n * HB_ENTRY_BYTES +
                                                  HB_TAG_BYTES);
    FUZZ_CHECK(p.type == HB_TYPE_HEARTBEAT || p.type == HB_TYPE_ACK);
    n = hb_packet_encode(&p, fuzz_mac_zero, NULL, buf);
    FUZZ_CHECK(n > 0 && (size_t)n == size && memcmp(buf, data, size) == 0);

    /* the same bytes under another key: refused unless that key's tag happens to be zero */
    fuzz_mac_keyed(NULL, data, size - HB_TAG_BYTES, keyed);
    memset(&q, FUZZ_POISON, sizeof(q));
    rv = hb_packet_decode(data, size, fuzz_mac_keyed, NULL, &q);
    FUZZ_CHECK(rv == (memcmp(keyed, data + size - HB_TAG_BYTES, HB_TAG_BYTES) == 0 ? 0
                                                                                    : -EACCES));
    if (rv < 0)
        FUZZ_CHECK(fuzz_untouched(&q, sizeof(q)));
    return 0;
}
