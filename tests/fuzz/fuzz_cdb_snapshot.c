/*
 * fuzz_cdb_snapshot — cdb_restore() of a snapshot as raft hands it over from a peer: an SQLite
 * database image.
 *
 * Invariants: a refused snapshot leaves the database (content and version) as it was and says
 * why; an accepted one is a working database — it snapshots again, that snapshot restores to
 * the same content, and commands apply to it without a database failure (a node must not accept
 * a snapshot it then cannot follow the log on).
 */
#include "fuzz.h"

#include <errno.h>

#include "daemon/cdb/cdb.h"
#include "fuzz_cdb_seed.h"

/* Applies the seed commands again: each must be applied or rejected, never fail the database. */
static int apply_any(void *arg, const uint8_t *cmd, size_t len)
{
    uint32_t status;

    FUZZ_CHECK(cdb_apply(arg, cmd, len, &status) == 0);
    return 0;
}

static void check_accepted(struct cdb *db)
{
    struct cdb *copy;
    void *image;
    size_t len;

    FUZZ_CHECK(cdb_errmsg(db)[0] == '\0');
    FUZZ_CHECK(cdb_snapshot(db, &image, &len) == 0);
    FUZZ_CHECK(cdb_new(&copy) == 0);
    FUZZ_CHECK(cdb_restore(copy, image, len) == 0);
    FUZZ_CHECK(fuzz_cdb_hash(copy) == fuzz_cdb_hash(db) && cdb_version(copy) == cdb_version(db));
    free(image);
    cdb_free(copy);
    fuzz_cdb_seed_each(apply_any, db);
}

/* The database the snapshot replaces: kept for the run, reset to the seed content per input. */
static struct cdb *db;
static void *seed_image;
static size_t seed_len;

static void reset(void)
{
    if (db == NULL) {
        db = fuzz_cdb_seeded();
        FUZZ_CHECK(db != NULL && cdb_snapshot(db, &seed_image, &seed_len) == 0);
    }
    FUZZ_CHECK(cdb_restore(db, seed_image, seed_len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t before, version;
    int rv;

    reset();
    before = fuzz_cdb_hash(db);
    version = cdb_version(db);
    rv = cdb_restore(db, data, size);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    if (rv == 0) {
        check_accepted(db);
    } else {
        FUZZ_CHECK(fuzz_cdb_hash(db) == before && cdb_version(db) == version);
        FUZZ_CHECK(cdb_errmsg(db)[0] != '\0');
    }
    return 0;
}
