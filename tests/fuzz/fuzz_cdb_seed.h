/*
 * fuzz_cdb_seed — a small but complete cluster database (two nodes, the core group with an IP
 * address and a network name that depends on it, an empty group with preferred owners), so
 * fuzzed commands find objects to act on. Shared by the database targets and make_corpus.
 */
#ifndef CLUSAPI_FUZZ_CDB_SEED_H
#define CLUSAPI_FUZZ_CDB_SEED_H

#include <stdlib.h>

#include "common/cdb_cmd.h"
#include "common/wire.h"
#include "daemon/cdb/cdb.h"

/* Calls fn on each seed command in order; stops at and returns the first non-zero result. */
static inline int fuzz_cdb_seed_each(int (*fn)(void *arg, const uint8_t *cmd, size_t len),
                                     void *arg)
{
    static const struct cdb_kv ip_props[] = {{"Address", "10.0.0.50"},
                                             {"SubnetMask", "255.255.255.0"}};
    static const struct cdb_kv name_props[] = {{"Name", "democlus"}};
    static const uint64_t preferred[] = {2, 1};
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;
    int rv = 0;

    for (int i = 0; rv == 0 && i < 12; i++) {
        wire_writer_init(&w);
        switch (i) {
        case 0: cdb_cmd_add_node(&w, 1, "n1", "10.0.0.1", 3343, 3344, 1); break;
        case 1: cdb_cmd_add_node(&w, 2, "n2", "10.0.0.2", 3343, 3344, 1); break;
        case 2: cdb_cmd_set_prop(&w, "ClusterName", "democlus"); break;
        case 3: cdb_cmd_add_restype(&w, "IP Address", "ipaddr"); break;
        case 4: cdb_cmd_add_restype(&w, "Network Name", "netname"); break;
        case 5: cdb_cmd_add_group(&w, "Cluster Group", true); break;
        case 6: cdb_cmd_add_group(&w, "web", false); break;
        case 7:
            cdb_cmd_add_resource(&w, "Cluster IP Address", "IP Address", "Cluster Group",
                                 ip_props, 2);
            break;
        case 8:
            cdb_cmd_add_resource(&w, "Cluster Name", "Network Name", "Cluster Group",
                                 name_props, 1);
            break;
        case 9: cdb_cmd_add_dependency(&w, "Cluster Name", "Cluster IP Address"); break;
        case 10: cdb_cmd_set_preferred(&w, "web", preferred, 2); break;
        default: cdb_cmd_set_group_state(&w, "Cluster Group", 0, 1); break;
        }
        cmd = wire_writer_take(&w, &len);
        if (cmd == NULL)
            return -1;
        rv = fn(arg, cmd, len);
        free(cmd);
    }
    return rv;
}

static inline int fuzz_cdb_seed_apply(void *arg, const uint8_t *cmd, size_t len)
{
    uint32_t status = 1;

    return cdb_apply(arg, cmd, len, &status) < 0 || status != 0;
}

/* A new database holding the seed content, or NULL (out of memory). */
static inline struct cdb *fuzz_cdb_seeded(void)
{
    struct cdb *db;

    if (cdb_new(&db) < 0)
        return NULL;
    if (fuzz_cdb_seed_each(fuzz_cdb_seed_apply, db) != 0) {
        cdb_free(db);
        return NULL;
    }
    return db;
}

/* The database's content hash; the targets include fuzz.h first, for FUZZ_CHECK. */
#ifdef FUZZ_CHECK
static inline uint64_t fuzz_cdb_hash(struct cdb *db)
{
    uint64_t h;

    FUZZ_CHECK(cdb_hash(db, &h) == 0);
    return h;
}
#endif

#endif
