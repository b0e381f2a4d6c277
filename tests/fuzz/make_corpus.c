/*
 * make_corpus — writes the seed corpora of the fuzz targets: valid messages of each kind, built
 * with the project's own encoders, and a few edge cases. Usage: make_corpus DIR (normally
 * tests/fuzz/corpus); DIR/<target>/ must exist or be creatable. The output is checked in, so run
 * it again only when a format changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "channel/channel.h"
#include "common/cdb_cmd.h"
#include "common/llmnr.h"
#include "common/packet.h"
#include "common/rpc_msg.h"
#include "common/rpc_proto.h"
#include "common/wire.h"
#include "daemon/cdb/cdb.h"
#include "daemon/consensus/consensus_entry.h"
#include "daemon/consensus/consensus_hello.h"
#include "daemon/health/hb_packet.h"
#include "daemon/base/node_conf.h"
#include "fuzz_cdb_seed.h"
#include "fuzz_hb_mac.h"

static const char *root;
static int failures;

static void seed(const char *target, const char *name, const void *data, size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, target);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "make_corpus: cannot write %s: %s\n", path, strerror(errno));
        failures++;
    }
}

/* Takes the writer's message and seeds it (to each target named, NULL-terminated). */
static void seed_writer(struct wire_writer *w, const char *name, const char *t1, const char *t2)
{
    size_t len;
    uint8_t *data = wire_writer_take(w, &len);

    if (data == NULL) {
        failures++;
        return;
    }
    seed(t1, name, data, len);
    if (t2 != NULL)
        seed(t2, name, data, len);
    free(data);
}

/* ------------------------------------------------------------------------------------------ */
/* RPC and wire                                                                                */
/* ------------------------------------------------------------------------------------------ */

static const struct node_peer peers[] = {
    {1, "n1", "10.0.0.1", 3343, 3344, 1},
    {2, "n2", "10.0.0.2", 3343, 3344, 1},
    {3, "n3", "fd00::3", 3343, 3344, 0},
};

static void rpc_seeds(void)
{
    struct wire_writer w, body;
    size_t mark, len;
    uint8_t *b;

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_NODE_INFO);
    seed_writer(&w, "req-node-info", "rpc", "wire");

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_SETUP_BEGIN);
    wire_put_u64(&w, RPC_F_SESSION, 0x1122334455667788ull);
    wire_put_u32(&w, RPC_F_LEASE_MS, 30000);
    seed_writer(&w, "req-setup-begin", "rpc", NULL);

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_CONFIGURE);
    wire_put_u64(&w, RPC_F_SESSION, 7);
    wire_put_str(&w, RPC_F_CLUSTER_ID, "6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f");
    wire_put_str(&w, RPC_F_CLUSTER_NAME, "democlus");
    wire_put_u64(&w, RPC_F_NODE_ID, 1);
    for (size_t i = 0; i < 3; i++)
        node_peer_put(&w, RPC_F_PEER, &peers[i]);
    seed_writer(&w, "req-configure-3-peers", "rpc", "wire");

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_APPLY);
    mark = wire_begin(&w, RPC_F_COMMAND);
    cdb_cmd_add_group(&w, "web", false);
    wire_end(&w, mark);
    seed_writer(&w, "req-apply-add-group", "rpc", "wire");

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_MEMBER_REPORT);
    wire_put_u64(&w, RPC_F_NODE_ID, 2);
    mark = wire_begin(&w, RPC_F_COMMAND);
    cdb_cmd_set_resource_state(&w, "ip", 2, 2);
    cdb_cmd_expect_owner(&w, 2);
    wire_end(&w, mark);
    seed_writer(&w, "req-member-report", "rpc", "wire");

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_GROUP_SET_OWNERS);
    wire_put_str(&w, RPC_F_NAME, "web");
    wire_put_u64(&w, RPC_F_NODE_ID, 3);
    wire_put_u64(&w, RPC_F_NODE_ID, 1);
    seed_writer(&w, "req-group-set-owners", "rpc", NULL);

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_SET_PROPERTY);
    wire_put_str(&w, RPC_F_NAME, "SameSubnetDelay");
    wire_put_str(&w, RPC_F_VALUE, "500");
    seed_writer(&w, "req-set-property", "rpc", NULL);

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_CHECK_IP);
    wire_put_str(&w, RPC_F_ADDRESS, "10.0.0.50");
    wire_put_u32(&w, RPC_F_PREFIX, 24);
    seed_writer(&w, "req-check-ip", "rpc", NULL);

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_MEMBER_ADD);
    wire_put_str(&w, RPC_F_NODE_NAME, "n4");
    wire_put_str(&w, RPC_F_ADDRESS, "10.0.0.4");
    wire_put_u32(&w, RPC_F_PORT, 3343);
    wire_put_u32(&w, RPC_F_RAFT_PORT, 3344);
    seed_writer(&w, "req-member-add", "rpc", NULL);

    /* replies: success with rows, failure with a reason */
    wire_writer_init(&body);
    for (size_t i = 0; i < 2; i++) {
        mark = wire_begin(&body, RPC_F_ITEM);
        wire_put_str(&body, RPC_F_NAME, peers[i].name);
        wire_put_u64(&body, RPC_F_NODE_ID, peers[i].id);
        wire_put_u32(&body, RPC_F_STATE, 0);
        wire_end(&body, mark);
    }
    node_peer_put(&body, RPC_F_PEER, &peers[2]);
    b = wire_writer_take(&body, &len);
    wire_writer_init(&w);
    rpc_reply_build(&w, 0, NULL, b, len);
    free(b);
    seed_writer(&w, "reply-query-nodes", "rpc", "wire");

    wire_writer_init(&w);
    rpc_reply_build(&w, 5057, "10.0.0.50 already answers on eth0", NULL, 0);
    seed_writer(&w, "reply-ip-in-use", "rpc", "wire");

    wire_writer_init(&w);
    wire_put_u32(&w, RPC_F_OP, RPC_OP_QUERY);
    wire_put_str(&w, RPC_F_NAME, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"); /* 2-, 3-, 4-byte */
    seed_writer(&w, "utf8-strings", "wire", NULL);

    seed("wire", "empty", "", 0);
    seed("wire", "truncated-header", "\x01\x00\x04", 3);
    seed("wire", "length-overrun", "\x01\x00\xff\xff\xff\x7f\x00", 7);
}

/* ------------------------------------------------------------------------------------------ */
/* Cluster database                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* Appends the command in w to entries as one framed raft entry. */
static void add_entry(struct wire_writer *entries, struct wire_writer *w)
{
    size_t len;
    uint8_t *cmd = wire_writer_take(w, &len), *entry;

    if (cmd == NULL || (entry = malloc(consensus_entry_size(len))) == NULL) {
        free(cmd);
        failures++;
        return;
    }
    consensus_entry_frame(entry, cmd, len);
    wire_put_raw(entries, entry, consensus_entry_size(len));
    free(entry);
    free(cmd);
}

/*
 * Seeds a snapshot, then rewrites the file with 512-byte pages: the same database in an eighth
 * of the bytes (cdb_restore accepts any page size), so the fuzzer mutates content rather than
 * free space. An in-memory database cannot change its page size, hence the file.
 */
static void seed_snapshot(const char *name, const void *image, size_t len)
{
    char path[4096];
    sqlite3 *conn = NULL;

    seed("cdb_snapshot", name, image, len);
    snprintf(path, sizeof(path), "%s/cdb_snapshot/%s", root, name);
    if (sqlite3_open(path, &conn) != SQLITE_OK ||
        sqlite3_exec(conn, "PRAGMA page_size = 512; VACUUM", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "make_corpus: cannot shrink %s: %s\n", path, sqlite3_errmsg(conn));
        failures++;
    }
    sqlite3_close(conn);
}

/* The bytes of a seed written before; NULL (and a failure counted) if it cannot be read. */
static uint8_t *read_seed(const char *target, const char *name, size_t *ret_len)
{
    char path[4096];
    uint8_t *data = NULL;
    long len;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) < 0 || (data = malloc((size_t)len)) == NULL ||
        fread(data, 1, (size_t)len, f) != (size_t)len) {
        free(data);
        data = NULL;
        failures++;
    }
    if (f != NULL)
        fclose(f);
    *ret_len = data != NULL ? (size_t)len : 0;
    return data;
}

/* Where needle first occurs in data[from..to), or NULL. */
static uint8_t *find(uint8_t *data, size_t from, size_t to, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = from; i + n <= to; i++)
        if (memcmp(data + i, needle, n) == 0)
            return data + i;
    return NULL;
}

/*
 * Two damaged snapshots that cdb_restore once got wrong (found by fuzz_cdb_snapshot), made again
 * from the seeded snapshot so they follow the schema:
 *   index-missing-rows      a resource type's rowid changed from 1 to 0 in its table's page,
 *                           so the unique index on the name points at a row that is not there:
 *                           quick_check passes it, integrity_check does not, and reading the
 *                           table fails (SQLITE_CORRUPT);
 *   schema-record-huge-size 0xff bytes inserted into a schema record, which SQLite then reads
 *                           as a huge size and reports as out of memory.
 */
static void damaged_snapshots(void)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;
    char path[4096];
    size_t len, page = 0, root_page = 0;
    uint8_t *data, *p;

    snprintf(path, sizeof(path), "%s/cdb_snapshot/seeded", root);
    if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(conn, "SELECT (SELECT page_size FROM pragma_page_size), rootpage"
                                 " FROM sqlite_schema WHERE name = 'restype'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        page = (size_t)sqlite3_column_int64(st, 0);
        root_page = (size_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(conn);

    /* the cell of row 1 of restype: payload size, rowid 1, header size 3, two types, "IP..." */
    data = read_seed("cdb_snapshot", "seeded", &len);
    p = data != NULL && root_page > 0 && root_page * page <= len
            ? find(data, (root_page - 1) * page, root_page * page, "IP Address")
            : NULL;
    if (p == NULL || p[-4] != 1) {
        failures++;
    } else {
        p[-4] = 0;
        seed("cdb_snapshot", "index-missing-rows", data, len);
        p[-4] = 1;
    }
    /* 21 bytes before that name lies the header of the record holding it */
    p = data != NULL ? find(data, 0, len, "sqlite_autoindex_resource_1resource") : NULL;
    if (p == NULL || p - data < 21) {
        failures++;
    } else {
        p -= 21;
        memmove(p + 13, p, len - (size_t)(p - data) - 13);
        memset(p, 0xff, 13);
        seed("cdb_snapshot", "schema-record-huge-size", data, len);
    }
    free(data);
}

/* One entry, seeded alone. */
static void entry_seed(const char *name, struct wire_writer *w)
{
    struct wire_writer e;

    wire_writer_init(&e);
    add_entry(&e, w);
    seed_writer(&e, name, "cdb_cmd", NULL);
}

struct seed_arg {
    int i;
};

/* Each command of the database seed is a seed of its own too (rejected: they exist already). */
static int seed_cmd(void *arg, const uint8_t *cmd, size_t len)
{
    struct seed_arg *a = arg;
    struct wire_writer w;
    char name[64];

    wire_writer_init(&w);
    wire_put_raw(&w, cmd, len);
    snprintf(name, sizeof(name), "existing-%02d-%s", a->i++,
             cdb_cmd_name(cmd[6] | cmd[7] << 8 | cmd[8] << 16 | (uint32_t)cmd[9] << 24));
    entry_seed(name, &w);
    return 0;
}

static void cdb_seeds(void)
{
    static const struct cdb_kv props[] = {{"Address", "10.0.0.60"}, {"SubnetMask", "255.0.0.0"}};
    static const uint64_t ids[] = {1};
    struct seed_arg arg = {0};
    struct wire_writer w, e;
    struct cdb *db;
    void *image;
    size_t len, mark;

    fuzz_cdb_seed_each(seed_cmd, &arg);

    wire_writer_init(&w);
    cdb_cmd_add_node(&w, 3, "n3", "10.0.0.3", 3343, 3344, 2);
    entry_seed("add-node", &w);
    wire_writer_init(&w);
    cdb_cmd_remove_node(&w, 2);
    entry_seed("remove-node", &w);
    wire_writer_init(&w);
    cdb_cmd_set_node_state(&w, 2, 0);
    entry_seed("set-node-state", &w);
    wire_writer_init(&w);
    cdb_cmd_set_node_role(&w, 2, 0);
    entry_seed("set-node-role", &w);
    wire_writer_init(&w);
    cdb_cmd_set_prop(&w, "ClusterName", NULL);
    entry_seed("delete-prop", &w);
    wire_writer_init(&w);
    cdb_cmd_delete_group(&w, "web");
    entry_seed("delete-group", &w);
    wire_writer_init(&w);
    cdb_cmd_set_group_state(&w, "web", 0, 2);
    cdb_cmd_expect_owner(&w, 0);
    entry_seed("set-group-state-expect", &w);
    wire_writer_init(&w);
    cdb_cmd_add_resource(&w, "web ip", "IP Address", "web", props, 2);
    entry_seed("add-resource", &w);
    wire_writer_init(&w);
    cdb_cmd_delete_resource(&w, "Cluster Name");
    entry_seed("delete-resource", &w);
    wire_writer_init(&w);
    cdb_cmd_set_resource_state(&w, "Cluster IP Address", 2, 1);
    entry_seed("set-resource-state", &w);
    wire_writer_init(&w);
    cdb_cmd_add_dependency(&w, "Cluster IP Address", "Cluster Name");
    entry_seed("dependency-cycle", &w);

    /* a hand-over from node 1 to node 2, then node 1 releasing the resource */
    wire_writer_init(&e);
    wire_writer_init(&w);
    cdb_cmd_set_resource_state(&w, "Cluster IP Address", 2, 2);
    cdb_cmd_hand_over(&w);
    add_entry(&e, &w);
    wire_writer_init(&w);
    cdb_cmd_release_resource(&w, "Cluster IP Address", 1);
    add_entry(&e, &w);
    seed_writer(&e, "sequence-hand-over-release", "cdb_cmd", NULL);
    wire_writer_init(&w);
    cdb_cmd_set_preferred(&w, "Cluster Group", ids, 1);
    entry_seed("set-preferred", &w);

    /* a batch, and a sequence of entries where each prepares the next */
    wire_writer_init(&w);
    cdb_cmd_batch(&w);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_group(&w, "db", false);
    cdb_cmd_batch_sub_end(&w, mark);
    mark = cdb_cmd_batch_sub_begin(&w);
    cdb_cmd_add_resource(&w, "db ip", "IP Address", "db", props, 2);
    cdb_cmd_batch_sub_end(&w, mark);
    entry_seed("batch-group-resource", &w);

    wire_writer_init(&e);
    wire_writer_init(&w);
    cdb_cmd_add_group(&w, "app", false);
    add_entry(&e, &w);
    wire_writer_init(&w);
    cdb_cmd_add_resource(&w, "app ip", "IP Address", "app", props, 1);
    add_entry(&e, &w);
    wire_writer_init(&w);
    cdb_cmd_add_dependency(&w, "app ip", "Cluster IP Address");
    add_entry(&e, &w);
    wire_writer_init(&w);
    cdb_cmd_delete_group(&w, "app");
    add_entry(&e, &w);
    seed_writer(&e, "sequence-add-depend-delete", "cdb_cmd", NULL);

    /* snapshots: the seeded database, and an empty one */
    db = fuzz_cdb_seeded();
    if (db == NULL || cdb_snapshot(db, &image, &len) < 0) {
        failures++;
    } else {
        seed_snapshot("seeded", image, len);
        free(image);
    }
    cdb_free(db);
    if (cdb_new(&db) < 0 || cdb_snapshot(db, &image, &len) < 0) {
        failures++;
    } else {
        seed_snapshot("empty", image, len);
        free(image);
    }
    cdb_free(db);
    damaged_snapshots();
}

/* ------------------------------------------------------------------------------------------ */
/* Datagrams and frames                                                                        */
/* ------------------------------------------------------------------------------------------ */

static void hb_seeds(void)
{
    static struct hb_packet p;
    uint8_t buf[HB_PACKET_MAX];
    char name[32];
    int n;

    for (size_t k = 0; k <= 3; k++) {
        p = (struct hb_packet){.type = k == 2 ? HB_TYPE_ACK : HB_TYPE_HEARTBEAT, .sender = 1,
                               .boot = 1764115200000ull, .seq = 42 + k, .send_ms = 123456,
                               .lease_ms = 3000, .voters_fp = 0x9e3779b97f4a7c15ull, .n = k};
        for (size_t i = 0; i < k; i++)
            p.entries[i] = (struct hb_entry){.id = i + 2, .echo_ms = 123000 + i,
                                             .silence_ms = i == 2 ? HB_NEVER : 300,
                                             .lease_ms = i == 1 ? 0 : 3000};
        n = hb_packet_encode(&p, fuzz_mac_zero, NULL, buf);
        snprintf(name, sizeof(name), "%s-%zu-entries", k == 2 ? "ack" : "heartbeat", k);
        if (n < 0)
            failures++;
        else
            seed("hb_packet", name, buf, (size_t)n);
    }
}

static void consensus_hello_seeds(void)
{
    static const uint8_t cred_id[CRED_ID_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t buf[CONSENSUS_HELLO_MAX];
    char identity[CONSENSUS_IDENTITY_SIZE];
    int n;

    n = consensus_hello_encode(3, "10.0.0.13:3344", buf);
    if (n < 0)
        failures++;
    else
        seed("consensus_hello", "hello-ipv4", buf, (size_t)n);
    n = consensus_hello_encode(12, "[fd00::13]:3344", buf);
    if (n < 0)
        failures++;
    else
        seed("consensus_hello", "hello-ipv6", buf, (size_t)n);
    consensus_identity_format(3, cred_id, identity);
    seed("consensus_hello", "identity", identity, strlen(identity));
}

static void llmnr_seeds(void)
{
    static const uint16_t types[] = {LLMNR_TYPE_A, LLMNR_TYPE_AAAA, LLMNR_TYPE_ANY};
    static const char *const type_names[] = {"a", "aaaa", "any"};
    struct net_addr addrs[2] = {{AF_INET, {10, 0, 0, 50}},
                                {AF_INET6, {0xfd, 0x00, [15] = 0x50}}};
    struct llmnr_query q = {.id = 0x1234};
    uint8_t buf[512];
    char name[64];
    size_t len;

    for (size_t i = 0; i < 3; i++) {
        len = llmnr_build_query(0x1234, "democlus", types[i], buf, sizeof(buf));
        snprintf(name, sizeof(name), "query-%s", type_names[i]);
        seed("llmnr", name, buf, len);
        q.qtype = types[i];
        snprintf(q.name, sizeof(q.name), "democlus");
        len = llmnr_build_response(&q, addrs, 2, LLMNR_TTL_DEFAULT, buf, sizeof(buf));
        snprintf(name, sizeof(name), "response-%s", type_names[i]);
        seed("llmnr", name, buf, len);
    }
    len = llmnr_build_query(7, "web.corp.example", LLMNR_TYPE_A, buf, sizeof(buf));
    seed("llmnr", "query-dotted-name", buf, len);
    q = (struct llmnr_query){.id = 9, .qtype = LLMNR_TYPE_AAAA};
    snprintf(q.name, sizeof(q.name), "democlus");
    len = llmnr_build_response(&q, addrs, 1, 0, buf, sizeof(buf));
    seed("llmnr", "response-no-answer", buf, len);
}

/* An Ethernet + IPv6 frame around an NA from src to ff02::1, checksum right. */
static size_t na_frame(uint8_t *buf, const uint8_t mac[6], const uint8_t src[16],
                       const uint8_t target[16])
{
    static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
    static const uint8_t dst_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
    uint8_t *ip6 = buf + PACKET_ETH_HLEN;

    memcpy(buf, dst_mac, 6);
    memcpy(buf + 6, mac, 6);
    buf[12] = 0x86, buf[13] = 0xdd;
    memset(ip6, 0, PACKET_IP6_HLEN);
    ip6[0] = 0x60;
    ip6[5] = PACKET_NA_LEN;
    ip6[6] = 58;  /* ICMPv6 */
    ip6[7] = 255; /* hop limit */
    memcpy(ip6 + 8, src, 16);
    memcpy(ip6 + 24, all_nodes, 16);
    packet_icmp6_na(ip6 + PACKET_IP6_HLEN, src, target, mac);
    return PACKET_ETH_HLEN + PACKET_IP6_HLEN + PACKET_NA_LEN;
}

static void packet_seeds(void)
{
    static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    static const uint8_t ip[4] = {10, 0, 0, 50};
    static const uint8_t src[16] = {0xfe, 0x80, [15] = 2};
    static const uint8_t target[16] = {0xfd, 0x00, [15] = 0x50};
    uint8_t buf[128];
    size_t len;

    packet_arp_garp(buf, mac, ip);
    seed("packet", "arp-garp", buf, PACKET_ARP_FRAME_LEN);
    packet_arp_probe(buf, mac, ip);
    seed("packet", "arp-probe", buf, PACKET_ARP_FRAME_LEN);
    buf[21] = PACKET_ARP_OP_REPLY; /* the probe turned into an owner's reply */
    memcpy(buf + 28, ip, 4);
    memset(buf + 60 - 18, 0, 18); /* padded to the Ethernet minimum */
    seed("packet", "arp-reply-padded", buf, 60);
    len = na_frame(buf, mac, src, target);
    seed("packet", "na-frame", buf, len);
    seed("packet", "na-message", buf + PACKET_ETH_HLEN + PACKET_IP6_HLEN, PACKET_NA_LEN);
    packet_ns_dad_frame(buf, mac, target);
    seed("packet", "ns-dad-frame", buf, PACKET_NS_DAD_FRAME_LEN);
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void file_seeds(void)
{
    static struct node_conf conf;
    static const char hex[] = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
    char text[256];
    uint8_t *data;
    size_t len;

    for (size_t n = 0; n <= 3; n++) {
        memset(&conf, 0, sizeof(conf));
        snprintf(conf.cluster_id, sizeof(conf.cluster_id), "6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f");
        snprintf(conf.cluster_name, sizeof(conf.cluster_name), "democlus");
        conf.node_id = 1;
        conf.setup_session = 99;
        conf.committed = n != 1;
        conf.join = n == 2;
        conf.n_peers = n;
        memcpy(conf.peers, peers, n * sizeof(peers[0]));
        if (node_conf_encode(&conf, &data, &len) < 0) {
            failures++;
            continue;
        }
        snprintf(text, sizeof(text), "conf-%zu-peers", n);
        seed("node_conf", text, data, len);
        free(data);
    }

    snprintf(text, sizeof(text), "%s\n", hex);
    seed("key", "admin-key", text, strlen(text));
    seed("key", "admin-key-no-newline", hex, strlen(hex));
    snprintf(text, sizeof(text), "cluster:6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f\n%s\n", hex);
    seed("key", "cluster-key", text, strlen(text));
    seed("key", "cluster-key-short", text, 60);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR\n");
        return 2;
    }
    root = argv[1];
    mkdir(root, 0755);
    rpc_seeds();
    cdb_seeds();
    hb_seeds();
    consensus_hello_seeds();
    llmnr_seeds();
    packet_seeds();
    file_seeds();
    return failures ? 1 : 0;
}
