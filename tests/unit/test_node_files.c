/* The pure parts of the node's files and of the raft entry framing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/rpc_proto.h"
#include "common/wire.h"
#include "daemon/consensus/consensus_entry.h"
#include "daemon/base/node_conf.h"

#define HEX "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF"

static void test_entry_round_trip_and_padding(void **state)
{
    const char cmd[] = "thirteen byte";
    uint8_t buf[64];
    const uint8_t *back;
    size_t len;

    assert_int_equal(consensus_entry_size(0), 8);
    assert_int_equal(consensus_entry_size(13), 24);
    memset(buf, 0xff, sizeof(buf));
    consensus_entry_frame(buf, cmd, 13);
    assert_int_equal(buf[0], 13);
    assert_int_equal(buf[21] | buf[22] | buf[23], 0); /* padding zeroed */
    assert_int_equal(buf[24], 0xff);                   /* nothing written past the entry */
    assert_int_equal(consensus_entry_unframe(buf, 24, &back, &len), 0);
    assert_int_equal(len, 13);
    assert_memory_equal(back, cmd, 13);
}

static void test_entry_overrun_rejected(void **state)
{
    uint8_t buf[16] = {9}; /* announces 9 bytes, holds 8 */
    const uint8_t *back = NULL;
    size_t len = 5;

    assert_int_equal(consensus_entry_unframe(buf, 16, &back, &len), -EBADMSG);
    assert_int_equal(consensus_entry_unframe(buf, 7, &back, &len), -EBADMSG);
    buf[0] = 0, buf[7] = 0x80; /* a length past any size_t arithmetic */
    assert_int_equal(consensus_entry_unframe(buf, 16, &back, &len), -EBADMSG);
    assert_null(back);
    assert_int_equal(len, 5);
}

static void test_conf_round_trip(void **state)
{
    static struct node_conf conf, back;
    uint8_t *data;
    size_t len;

    strcpy(conf.cluster_id, "6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f");
    strcpy(conf.cluster_name, "democlus");
    conf.node_id = 2;
    conf.setup_session = 99;
    conf.committed = true;
    conf.join = true;
    conf.n_peers = 1;
    conf.peers[0] = (struct node_peer){1, "n1", "10.0.0.1", 3343, 3344, 1};
    assert_int_equal(node_conf_encode(&conf, &data, &len), 0);
    assert_int_equal(node_conf_parse(data, len, &back), 0);
    assert_string_equal(back.cluster_name, "democlus");
    assert_int_equal(back.node_id, 2);
    assert_true(back.committed && back.join);
    assert_int_equal(back.n_peers, 1);
    assert_string_equal(back.peers[0].address, "10.0.0.1");
    /* sealed (common/wire_seal.h): cut anywhere, or with any byte changed, it is refused and
     * the output stays */
    back.node_id = 42;
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(node_conf_parse(data, cut, &back), -EBADMSG);
    for (size_t at = 0; at < len; at++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            data[at] ^= (uint8_t)(1u << bit);
            assert_int_equal(node_conf_parse(data, len, &back), -EBADMSG);
            data[at] ^= (uint8_t)(1u << bit);
        }
    }
    assert_int_equal(back.node_id, 42);
    assert_int_equal(node_conf_parse(data, len, &back), 0);
    free(data);
}

/* The key files hold exactly what was saved: cut or grown by a byte, they are damaged. */
static void test_key_files(void **state)
{
    struct channel_key key = {.identity = "cluster:abc"}, back;
    char dir[] = "/tmp/test_node_files.XXXXXX", path[64];
    FILE *f;
    long size;

    assert_int_equal(channel_key_from_hex(HEX, &key), 0);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(node_conf_load_key(dir, &back), -ENOENT);
    assert_int_equal(node_conf_save_key(dir, &key), 0);
    assert_int_equal(node_conf_load_key(dir, &back), 0);
    assert_memory_equal(back.bytes, key.bytes, CHANNEL_KEY_BYTES);
    snprintf(path, sizeof(path), "%s/cluster.key", dir);
    assert_non_null(f = fopen(path, "a"));
    fputc('\n', f);
    size = ftell(f);
    fclose(f);
    assert_int_equal(node_conf_load_key(dir, &back), -EBADMSG);
    assert_int_equal(truncate(path, size - 2), 0); /* the last newline gone */
    assert_int_equal(node_conf_load_key(dir, &back), -EBADMSG);
    assert_int_equal(truncate(path, size - 10), 0); /* digits gone */
    assert_true(node_conf_load_key(dir, &back) < 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_cluster_key(void **state)
{
    const char file[] = "cluster:abc\n" HEX "\ntrailing text is ignored";
    struct channel_key key, untouched = {.identity = "keep"};

    assert_int_equal(node_conf_parse_key(file, sizeof(file) - 1, &key), 0);
    assert_string_equal(key.identity, "cluster:abc");
    assert_int_equal(key.bytes[1], 0x11);
    assert_int_equal(key.bytes[31], 0xff);
    key = untouched;
    assert_int_equal(node_conf_parse_key("no newline", 10, &key), -EBADMSG);
    assert_int_equal(node_conf_parse_key("id\n0011", 7, &key), -EINVAL);
    assert_int_equal(node_conf_parse_key("id\0x\n" HEX, 5 + 64, &key), -EBADMSG);
    assert_string_equal(key.identity, "keep");
}

static void test_admin_key(void **state)
{
    struct channel_key key;

    assert_int_equal(channel_key_parse(HEX, 64, &key), 0);
    assert_non_null(channel_admin_key_id(key.identity));
    assert_int_equal(channel_key_parse(HEX "\nmore", 69, &key), 0);
    assert_int_equal(channel_key_parse(HEX "0", 65, &key), -EINVAL);
    assert_int_equal(channel_key_parse(HEX, 63, &key), -EINVAL);
    assert_int_equal(channel_key_parse("", 0, &key), -EINVAL);
}

/* A write that fails part way (here the kernel's file size limit, RLIMIT_FSIZE, the one write
 * error a test can cause without a file system of its own) leaves the file as it was, no
 * temporary file behind, and says why: cluster.conf, and a key file. */
static void test_saves_that_cannot_write(void **state)
{
    static struct node_conf conf, back;
    struct channel_key key = {.identity = "cluster:abc"}, kept;
    char dir[] = "/tmp/test_node_files.XXXXXX";
    struct rlimit was, small = {.rlim_cur = 64};
    struct dirent *e;
    DIR *d;
    int entries = 0;

    (void)state;
    assert_non_null(mkdtemp(dir));
    strcpy(conf.cluster_name, "before");
    conf.node_id = 1;
    assert_int_equal(channel_key_from_hex(HEX, &key), 0);
    assert_int_equal(node_conf_save(dir, &conf), 0);
    assert_int_equal(node_conf_save_key(dir, &key), 0);
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    small.rlim_max = was.rlim_max;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    strcpy(conf.cluster_name, "after-a-name-longer-than-the-limit-lets-the-file-grow-to");
    assert_int_equal(node_conf_save(dir, &conf), -EFBIG);
    key.identity[0] = 'X';
    assert_int_equal(node_conf_save_key(dir, &key), -EFBIG);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    assert_int_equal(node_conf_load(dir, &back), 1);
    assert_string_equal(back.cluster_name, "before");
    assert_int_equal(node_conf_load_key(dir, &kept), 0);
    assert_string_equal(kept.identity, "cluster:abc");
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' || e->d_name[1] > '.') /* not "." or ".." */
            entries++;
    closedir(d);
    assert_int_equal(entries, 2); /* cluster.conf and cluster.key: no temporary file left */
    assert_int_equal(node_conf_wipe(dir), 0);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_round_trip_and_padding),
        cmocka_unit_test(test_entry_overrun_rejected),
        cmocka_unit_test(test_conf_round_trip),
        cmocka_unit_test(test_cluster_key),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_saves_that_cannot_write),
        cmocka_unit_test(test_admin_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
