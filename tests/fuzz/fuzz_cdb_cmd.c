/*
 * fuzz_cdb_cmd — raft log entries as the state machine applies them: the entry framing
 * (consensus_entry) and cdb_apply() of the command inside, on a seeded database. An input is a
 * sequence of up to MAX_ENTRIES entries, so that one command can prepare the next.
 *
 * Invariants: an entry that unframes frames again to the same command; cdb_apply never fails as
 * a database (that would stop the node following the log); a rejected command leaves content
 * and version unchanged and says why; an applied one adds one to the version; and — what raft
 * relies on — two databases with the same content that apply the same entries stay identical.
 */
#include "fuzz.h"

#include <errno.h>

#include "daemon/cdb/cdb.h"
#include "daemon/consensus/consensus_entry.h"
#include "fuzz_cdb_seed.h"

#define MAX_ENTRIES 8

static void check_framing(const uint8_t *cmd, size_t len)
{
    size_t size = consensus_entry_size(len), back_len;
    uint8_t *entry = malloc(size);
    const uint8_t *back;

    FUZZ_CHECK(entry != NULL && size % 8 == 0 && size >= len + CONSENSUS_ENTRY_HEADER);
    consensus_entry_frame(entry, cmd, len);
    FUZZ_CHECK(consensus_entry_unframe(entry, size, &back, &back_len) == 0);
    FUZZ_CHECK(back_len == len && memcmp(back, cmd, len) == 0);
    free(entry);
}

/* The length an entry's header announces. */
static uint64_t declared_len(const uint8_t *entry)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < 8; i++)
        n |= (uint64_t)entry[i] << (8 * i);
    return n;
}

static void apply_both(struct cdb *a, struct cdb *b, const uint8_t *cmd, size_t len)
{
    uint64_t before = fuzz_cdb_hash(a), version = cdb_version(a);
    uint32_t status_a = UINT32_MAX, status_b = UINT32_MAX;

    FUZZ_CHECK(cdb_apply(a, cmd, len, &status_a) == 0);
    FUZZ_CHECK(cdb_apply(b, cmd, len, &status_b) == 0);
    FUZZ_CHECK(status_a == status_b);
    if (status_a == 0) {
        FUZZ_CHECK(cdb_version(a) == version + 1);
    } else {
        FUZZ_CHECK(cdb_version(a) == version && fuzz_cdb_hash(a) == before);
        FUZZ_CHECK(cdb_errmsg(a)[0] != '\0');
    }
    FUZZ_CHECK(fuzz_cdb_hash(a) == fuzz_cdb_hash(b));
}

/*
 * Two databases kept for the whole run, both reset to the seed content before each input by
 * restoring its snapshot: twice as fast as building them again, and each input still starts
 * from the same state.
 */
static struct cdb *a, *b;
static void *seed_image;
static size_t seed_len;

static void reset(void)
{
    if (seed_image == NULL) {
        struct cdb *seeded = fuzz_cdb_seeded();

        FUZZ_CHECK(seeded != NULL && cdb_snapshot(seeded, &seed_image, &seed_len) == 0);
        cdb_free(seeded);
        FUZZ_CHECK(cdb_new(&a) == 0 && cdb_new(&b) == 0);
    }
    FUZZ_CHECK(cdb_restore(a, seed_image, seed_len) == 0);
    FUZZ_CHECK(cdb_restore(b, seed_image, seed_len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *cmd, *poison;
    size_t len, step;
    int rv;

    reset();
    for (int i = 0; i < MAX_ENTRIES && size > 0; i++) {
        memset(&poison, FUZZ_POISON, sizeof(poison));
        cmd = poison;
        rv = consensus_entry_unframe(data, size, &cmd, &len);
        if (rv < 0) {
            FUZZ_CHECK(rv == -EBADMSG && cmd == poison);
            FUZZ_CHECK(size < CONSENSUS_ENTRY_HEADER ||
                       declared_len(data) > size - CONSENSUS_ENTRY_HEADER);
            break;
        }
        FUZZ_CHECK(cmd == data + CONSENSUS_ENTRY_HEADER && len <= size - CONSENSUS_ENTRY_HEADER);
        check_framing(cmd, len);
        apply_both(a, b, cmd, len);
        step = consensus_entry_size(len);
        if (step >= size)
            break;
        data += step;
        size -= step;
    }
    return 0;
}
