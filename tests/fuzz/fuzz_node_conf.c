/*
 * fuzz_node_conf — cluster.conf, the node's configuration file, as clussvc reads it at start.
 *
 * The input is read as it is (a file that is not sealed, common/wire_seal.h, is refused), and
 * then sealed, so that the fields behind the seal are what the fuzzer explores.
 *
 * Invariants: a file that parses holds NUL-terminated strings that fit their buffers, nonzero
 * peer ids and at most NODE_CONF_MAX_PEERS peers; saving what was read and reading it again gives
 * the same configuration; a file that does not parse leaves the output alone.
 */
#include "fuzz.h"

#include <errno.h>

#include "common/rpc_proto.h"
#include "common/wire_seal.h"
#include "daemon/base/node_conf.h"

static int terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

static void check_sane(const struct node_conf *c)
{
    FUZZ_CHECK(terminated(c->cluster_id, sizeof(c->cluster_id)));
    FUZZ_CHECK(terminated(c->cluster_name, sizeof(c->cluster_name)));
    FUZZ_CHECK(c->n_peers <= NODE_CONF_MAX_PEERS);
    for (size_t i = 0; i < c->n_peers; i++) {
        const struct node_peer *p = &c->peers[i];

        FUZZ_CHECK(p->id != 0 && p->port <= 65535 && p->raft_port <= 65535);
        FUZZ_CHECK(terminated(p->name, sizeof(p->name)));
        FUZZ_CHECK(terminated(p->address, sizeof(p->address)));
        FUZZ_CHECK(node_conf_peer(c, p->id) != NULL);
    }
}

static void check_same(const struct node_conf *a, const struct node_conf *b)
{
    FUZZ_CHECK(strcmp(a->cluster_id, b->cluster_id) == 0);
    FUZZ_CHECK(strcmp(a->cluster_name, b->cluster_name) == 0);
    FUZZ_CHECK(a->node_id == b->node_id && a->setup_session == b->setup_session);
    FUZZ_CHECK(a->committed == b->committed && a->join == b->join);
    FUZZ_CHECK(a->n_peers == b->n_peers);
    for (size_t i = 0; i < a->n_peers; i++) {
        const struct node_peer *p = &a->peers[i], *q = &b->peers[i];

        FUZZ_CHECK(p->id == q->id && strcmp(p->name, q->name) == 0);
        FUZZ_CHECK(strcmp(p->address, q->address) == 0 && p->port == q->port);
        FUZZ_CHECK(p->raft_port == q->raft_port && p->role == q->role);
    }
}

/* Parses one file; 0 when it parsed (conf filled), else the output is checked untouched. */
static int parse(const uint8_t *data, size_t size, struct node_conf *conf)
{
    int rv;

    memset(conf, FUZZ_POISON, sizeof(*conf));
    rv = node_conf_parse(data, size, conf);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG);
    if (rv < 0)
        FUZZ_CHECK(fuzz_untouched(conf, sizeof(*conf)));
    return rv;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct node_conf conf, back; /* big: off the stack */
    struct wire_writer w;
    uint8_t *file, *sealed;
    size_t len, sealed_len;
    int rv;

    parse(data, size, &conf);
    wire_writer_init(&w);
    wire_put_raw(&w, data, size);
    wire_put_seal(&w, RPC_F_SEAL);
    sealed = wire_writer_take(&w, &sealed_len);
    FUZZ_CHECK(sealed != NULL);
    rv = parse(sealed, sealed_len, &conf);
    free(sealed);
    if (rv < 0)
        return 0;
    check_sane(&conf);
    FUZZ_CHECK(node_conf_encode(&conf, &file, &len) == 0);
    FUZZ_CHECK(node_conf_parse(file, len, &back) == 0);
    check_same(&conf, &back);
    free(file);
    return 0;
}
