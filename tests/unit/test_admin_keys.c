/*
 * The admin key set a node accepts: adding, finding by PSK identity, removing (never the
 * caller's own key), retiring all but one, and its file (atomic, mode 0600, refused if open).
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

static struct channel_key key_n(uint8_t n)
{
    struct channel_key k = {0};

    memset(k.bytes, n, sizeof(k.bytes));
    channel_key_set_admin_identity(&k);
    return k;
}

static const char *id_of(const struct channel_key *k)
{
    return channel_admin_key_id(k->identity);
}

static void test_add_and_find(void **state)
{
    struct admin_keys set = {0};
    struct channel_key a = key_n(1), b = key_n(2), c = key_n(3), found;

    (void)state;
    assert_int_equal(admin_keys_add(&set, &a), 0);
    assert_int_equal(admin_keys_add(&set, &a), 1); /* already held: unchanged */
    assert_int_equal(set.n, 1);
    assert_int_equal(admin_keys_add(&set, &b), 0);
    assert_int_equal(admin_keys_find(&set, b.identity, &found), 0);
    assert_memory_equal(found.bytes, b.bytes, CHANNEL_KEY_BYTES);
    assert_int_equal(admin_keys_find(&set, c.identity, &found), -ENOENT);
    assert_int_equal(admin_keys_find(&set, "clusapi-admin", &found), -ENOENT);
    assert_int_equal(admin_keys_find(&set, "cluster:x", &found), -ENOENT);
    assert_memory_equal(admin_keys_newest(&set)->bytes, b.bytes, CHANNEL_KEY_BYTES);
}

static void test_full_set(void **state)
{
    struct admin_keys set = {0};

    (void)state;
    for (uint8_t i = 1; i <= ADMIN_KEYS_MAX; i++) {
        struct channel_key k = key_n(i);

        assert_int_equal(admin_keys_add(&set, &k), 0);
    }
    struct channel_key extra = key_n(99);
    assert_int_equal(admin_keys_add(&set, &extra), -ENOSPC);
    assert_int_equal(set.n, ADMIN_KEYS_MAX);
}

static void test_remove_never_the_callers(void **state)
{
    struct admin_keys set = {0};
    struct channel_key a = key_n(1), b = key_n(2), c = key_n(3), found;

    (void)state;
    admin_keys_add(&set, &a);
    admin_keys_add(&set, &b);
    assert_int_equal(admin_keys_remove(&set, id_of(&a), id_of(&a)), -EBUSY);
    assert_int_equal(admin_keys_remove(&set, id_of(&c), id_of(&a)), -ENOENT);
    assert_int_equal(set.n, 2);
    assert_int_equal(admin_keys_remove(&set, id_of(&b), id_of(&a)), 0); /* a rollback */
    assert_int_equal(set.n, 1);
    assert_int_equal(admin_keys_find(&set, b.identity, &found), -ENOENT);
    assert_int_equal(admin_keys_find(&set, a.identity, &found), 0);
}

static void test_retain(void **state)
{
    struct admin_keys set = {0};
    struct channel_key a = key_n(1), b = key_n(2), c = key_n(3), found;

    (void)state;
    admin_keys_add(&set, &a);
    admin_keys_add(&set, &b);
    admin_keys_add(&set, &c);
    assert_int_equal(admin_keys_retain(&set, "0000000000000000"), -ENOENT);
    assert_int_equal(set.n, 3);
    assert_int_equal(admin_keys_retain(&set, id_of(&b)), 2);
    assert_int_equal(set.n, 1);
    assert_int_equal(admin_keys_find(&set, b.identity, &found), 0);
    assert_int_equal(admin_keys_find(&set, a.identity, &found), -ENOENT);
    assert_int_equal(admin_keys_find(&set, c.identity, &found), -ENOENT);
    assert_int_equal(admin_keys_retain(&set, id_of(&b)), 0); /* again: nothing to do */
}

static void test_text_roundtrip(void **state)
{
    struct admin_keys set = {0}, back;
    struct channel_key a = key_n(0xab), b = key_n(0x01);
    char text[ADMIN_KEYS_MAX * 65 + 1];

    (void)state;
    admin_keys_add(&set, &a);
    admin_keys_add(&set, &b);
    assert_int_equal(admin_keys_format(&set, text, sizeof(text)), 130);
    assert_int_equal(strncmp(text, "abababab", 8), 0);
    assert_int_equal(admin_keys_parse(text, &back), 0);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.keys[0].identity, a.identity);
    assert_string_equal(back.keys[1].identity, b.identity);
    assert_int_equal(admin_keys_format(&set, text, 100), -ENOSPC);
}

static void test_text_malformed(void **state)
{
    char twice[200];
    struct admin_keys set;

    (void)state;
    snprintf(twice, sizeof(twice), "%064d\n%064d\n", 0, 0);
    assert_int_equal(admin_keys_parse("", &set), -EINVAL);
    assert_int_equal(admin_keys_parse("abc\n", &set), -EINVAL);
    assert_int_equal(admin_keys_parse(twice, &set), -EINVAL); /* repeated key */
    twice[64] = 'x';
    assert_int_equal(admin_keys_parse(twice, &set), -EINVAL);
    snprintf(twice, sizeof(twice), "%064d", 0); /* no newline */
    assert_int_equal(admin_keys_parse(twice, &set), -EINVAL);
}

static void test_file(void **state)
{
    char dir[] = "/tmp/test_admin_keys.XXXXXX", path[128];
    struct admin_keys set = {0}, back;
    struct channel_key a = key_n(7), b = key_n(8);
    struct stat st;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/%s", dir, ADMIN_KEYS_FILE);
    umask(0);
    assert_int_equal(admin_keys_load(dir, &back), 0); /* none yet */
    admin_keys_add(&set, &a);
    admin_keys_add(&set, &b);
    assert_int_equal(admin_keys_save(dir, &set), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(admin_keys_load(dir, &back), 1);
    assert_int_equal(back.n, 2);
    admin_keys_retain(&set, id_of(&b));
    assert_int_equal(admin_keys_save(dir, &set), 0);
    assert_int_equal(admin_keys_load(dir, &back), 1);
    assert_int_equal(back.n, 1);
    assert_string_equal(back.keys[0].identity, b.identity);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(admin_keys_load(dir, &back), -EPERM);
    umask(022);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_find),
        cmocka_unit_test(test_full_set),
        cmocka_unit_test(test_remove_never_the_callers),
        cmocka_unit_test(test_retain),
        cmocka_unit_test(test_text_roundtrip),
        cmocka_unit_test(test_text_malformed),
        cmocka_unit_test(test_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
