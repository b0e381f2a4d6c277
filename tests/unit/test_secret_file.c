/*
 * Secret files and directories keep owner-only permissions whatever the umask, are replaced
 * atomically, and are refused when group or others could read them; admin key ids.
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

#include "channel/channel.h"
#include "channel/secret_file.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/test_secret_file.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/secret", f->dir);
    umask(0); /* the most hostile umask: nothing is taken away from what open/mkdir ask */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    umask(022);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static unsigned mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

/* How many entries dir holds (a leftover temporary file shows here). */
static int count_entries(const char *dir)
{
    char cmd[160];
    FILE *p;
    int n = 0, c;

    snprintf(cmd, sizeof(cmd), "ls -A '%s'", dir);
    p = popen(cmd, "r");
    while ((c = fgetc(p)) != EOF)
        n += c == '\n';
    pclose(p);
    return n;
}

static void test_written_0600_under_umask_0(void **state)
{
    struct fixture *f = *state;
    char *text;
    size_t len;

    assert_int_equal(secret_file_write(f->path, "abc", 3, true), 0);
    assert_int_equal(mode_of(f->path), 0600);
    assert_int_equal(secret_file_read(f->path, &text, &len, NULL), 0);
    assert_int_equal(len, 3);
    assert_string_equal(text, "abc");
    free(text);
    assert_int_equal(count_entries(f->dir), 1); /* no temporary file left */
}

static void test_replace_and_no_replace(void **state)
{
    struct fixture *f = *state;
    char *text;
    size_t len;

    assert_int_equal(secret_file_write(f->path, "old", 3, false), 0);
    assert_int_equal(secret_file_write(f->path, "new", 3, false), -EEXIST);
    assert_int_equal(secret_file_read(f->path, &text, &len, NULL), 0);
    assert_string_equal(text, "old"); /* never overwritten */
    free(text);
    assert_int_equal(secret_file_write(f->path, "newer", 5, true), 0);
    assert_int_equal(secret_file_read(f->path, &text, &len, NULL), 0);
    assert_string_equal(text, "newer");
    free(text);
    assert_int_equal(mode_of(f->path), 0600);
    assert_int_equal(count_entries(f->dir), 1);
}

static void test_open_modes_refused(void **state)
{
    static const unsigned modes[] = {0640, 0604, 0620, 0602, 0644, 0660, 0666};
    struct fixture *f = *state;
    unsigned mode = 0;
    char *text = NULL;
    size_t len;

    assert_int_equal(secret_file_write(f->path, "k", 1, true), 0);
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        assert_int_equal(chmod(f->path, modes[i]), 0);
        assert_int_equal(secret_file_read(f->path, &text, &len, &mode), -EPERM);
        assert_int_equal(mode, modes[i]);
        assert_null(text);
    }
    assert_int_equal(chmod(f->path, 0400), 0); /* owner-only read is fine */
    assert_int_equal(secret_file_read(f->path, &text, &len, NULL), 0);
    free(text);
    assert_true(secret_mode_too_open(0640));
    assert_false(secret_mode_too_open(0600));
}

static void test_links_and_specials_refused(void **state)
{
    struct fixture *f = *state;
    char link[160], sub[160];
    char *text = NULL;
    size_t len;

    assert_int_equal(secret_file_write(f->path, "k", 1, true), 0);
    snprintf(link, sizeof(link), "%s/link", f->dir);
    assert_int_equal(symlink(f->path, link), 0);
    assert_int_equal(secret_file_read(link, &text, &len, NULL), -EPERM);
    snprintf(sub, sizeof(sub), "%s/sub", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(secret_file_read(sub, &text, &len, NULL), -EPERM);
    assert_int_equal(secret_file_read("/dev/null", &text, &len, NULL), -EPERM);
    assert_null(text);
    /* A writer replaces a link by a file; it never writes through it. */
    assert_int_equal(secret_file_write(link, "x", 1, true), 0);
    assert_int_equal(secret_file_read(f->path, &text, &len, NULL), 0);
    assert_string_equal(text, "k");
    free(text);
}

static void test_dir_created_and_tightened(void **state)
{
    struct fixture *f = *state;
    char dir[160], link[160];

    snprintf(dir, sizeof(dir), "%s/state", f->dir);
    assert_int_equal(secret_dir_prepare(dir), 0);
    assert_int_equal(mode_of(dir), 0700);
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(secret_dir_prepare(dir), 0);
    assert_int_equal(mode_of(dir), 0700);
    snprintf(link, sizeof(link), "%s/state-link", f->dir);
    assert_int_equal(symlink(dir, link), 0);
    assert_int_equal(secret_dir_prepare(link), -ENOTDIR);
    assert_int_equal(secret_file_write(f->path, "k", 1, true), 0);
    assert_int_equal(secret_dir_prepare(f->path), -ENOTDIR);
}

static void test_key_generate_and_load(void **state)
{
    struct fixture *f = *state;
    struct channel_key a, b;

    assert_int_equal(channel_key_generate(f->path), 0);
    assert_int_equal(mode_of(f->path), 0600);
    assert_int_equal(channel_key_load(f->path, &a), 0);
    assert_int_equal(chmod(f->path, 0644), 0);
    assert_int_equal(channel_key_load(f->path, &b), -EPERM); /* as ssh refuses an open key */
    assert_int_equal(chmod(f->path, 0600), 0);
    assert_int_equal(channel_key_load(f->path, &b), 0);
    assert_string_equal(a.identity, b.identity);
    assert_memory_equal(a.bytes, b.bytes, CHANNEL_KEY_BYTES);
}

static void test_admin_identity(void **state)
{
    struct channel_key a = {0}, b = {0};
    const char *id;

    (void)state;
    channel_key_set_admin_identity(&a);
    /* Fixed vector: the id is a labelled SHA-256 of the key, the same on every build. */
    assert_string_equal(a.identity, "clusapi-admin:43bc44a0498fa18d");
    id = channel_admin_key_id(a.identity);
    assert_non_null(id);
    assert_int_equal(strlen(id), CHANNEL_ADMIN_ID_CHARS);
    b.bytes[31] = 1;
    channel_key_set_admin_identity(&b);
    assert_string_not_equal(a.identity, b.identity);
    assert_null(channel_admin_key_id("clusapi-admin"));
    assert_null(channel_admin_key_id("clusapi-admin:"));
    assert_null(channel_admin_key_id("clusapi-admin:43bc44a0498fa18"));
    assert_null(channel_admin_key_id("clusapi-admin:43bc44a0498fa18da"));
    assert_null(channel_admin_key_id("clusapi-admin:43BC44A0498FA18D"));
    assert_null(channel_admin_key_id("clusapi-admin:43bc44a0498fa18z"));
    assert_null(channel_admin_key_id("cluster:43bc44a0498fa18d"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_written_0600_under_umask_0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_and_no_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_modes_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links_and_specials_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_created_and_tightened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_generate_and_load, setup, teardown),
        cmocka_unit_test(test_admin_identity),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
