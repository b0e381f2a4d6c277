/*
 * The node's state directory under the most hostile umask (0): the directory and raft/ are 0700
 * (a looser directory is tightened), cluster.conf and cluster.key are 0600, an open cluster.key is
 * refused, and a wipe removes the cluster's files but leaves the admin keys.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/keys/admin_keys.h"
#include "daemon/base/node_conf.h"

static unsigned mode_at(const char *dir, const char *name)
{
    char path[256];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (lstat(path, &st) < 0)
        return 01000000; /* absent */
    return st.st_mode & 07777;
}

static void test_state_dir_modes(void **state)
{
    char dir[] = "/tmp/test_node_conf.XXXXXX", raft[256], path[256], cmd[64];
    struct node_conf conf = {.node_id = 1, .committed = true}, back;
    struct channel_key key, loaded;
    struct admin_keys admins = {0};

    (void)state;
    assert_non_null(mkdtemp(dir));
    umask(0);
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(node_conf_prepare_dir(dir), 0);
    assert_int_equal(mode_at(dir, "."), 0700); /* tightened, not refused */
    snprintf(conf.cluster_id, sizeof(conf.cluster_id), "id-1");
    snprintf(conf.cluster_name, sizeof(conf.cluster_name), "c1");
    assert_int_equal(node_conf_save(dir, &conf), 0);
    assert_int_equal(mode_at(dir, "cluster.conf"), 0600);
    assert_int_equal(node_conf_load(dir, &back), 1);
    assert_string_equal(back.cluster_name, "c1");
    assert_int_equal(channel_key_random("cluster:id-1", &key), 0);
    assert_int_equal(node_conf_save_key(dir, &key), 0);
    assert_int_equal(mode_at(dir, "cluster.key"), 0600);
    assert_int_equal(node_conf_load_key(dir, &loaded), 0);
    assert_string_equal(loaded.identity, "cluster:id-1");
    assert_memory_equal(loaded.bytes, key.bytes, CHANNEL_KEY_BYTES);
    assert_int_equal(node_conf_raft_dir(dir, raft, sizeof(raft)), 0);
    assert_int_equal(mode_at(dir, "raft"), 0700);
    admin_keys_add(&admins, &key);
    assert_int_equal(admin_keys_save(dir, &admins), 0);

    snprintf(path, sizeof(path), "%s/cluster.key", dir);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(node_conf_load_key(dir, &loaded), -EPERM);

    assert_int_equal(node_conf_wipe(dir), 0);
    assert_int_equal(mode_at(dir, "cluster.conf"), 01000000);
    assert_int_equal(mode_at(dir, "cluster.key"), 01000000);
    assert_int_equal(mode_at(dir, "raft"), 01000000);
    assert_int_equal(mode_at(dir, ADMIN_KEYS_FILE), 0600); /* whom the node trusts stays */
    umask(022);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_dir_modes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
