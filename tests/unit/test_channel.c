/*
 * The authenticated channel: the right key gets through both ways, a wrong or missing key is
 * refused during the handshake before any message is read, and key files are handled with care.
 * Runs over a socketpair: no network.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <gnutls/gnutls.h>

#include "channel/channel.h"

struct server {
    int fd;
    struct channel_key key;
    int accept_rv;
    char identity[64];
    void *msg;
    size_t len;
};

static int lookup(void *arg, const char *identity, struct channel_key *ret)
{
    struct server *s = arg;

    if (strcmp(identity, s->key.identity) != 0)
        return -ENOENT;
    *ret = s->key;
    return 0;
}

static void *server_main(void *p)
{
    struct server *s = p;
    struct channel *c;

    s->accept_rv = channel_accept(s->fd, lookup, s, 2000, &c);
    if (s->accept_rv < 0)
        return NULL;
    snprintf(s->identity, sizeof(s->identity), "%s", channel_peer_identity(c));
    if (channel_recv(c, 2000, &s->msg, &s->len) == 0)
        channel_send(c, s->msg, s->len); /* echo */
    channel_close(c);
    return NULL;
}

/* A client handshake over a socketpair; returns the client's result. */
static int handshake(struct server *s, const struct channel_key *client_key, struct channel **ret)
{
    int sv[2];
    pthread_t t;
    struct channel *c = NULL;
    int rv;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    s->fd = sv[0];
    pthread_create(&t, NULL, server_main, s);
    rv = channel_accept_client_fd(sv[1], client_key, 2000, &c);
    if (rv == 0) {
        const char hello[] = "hello";
        void *back;
        size_t len;

        assert_int_equal(channel_send(c, hello, sizeof(hello)), 0);
        assert_int_equal(channel_recv(c, 2000, &back, &len), 0);
        assert_int_equal(len, sizeof(hello));
        assert_memory_equal(back, hello, len);
        free(back);
    }
    if (ret != NULL)
        *ret = c;
    else
        channel_close(c);
    pthread_join(t, NULL);
    free(s->msg);
    s->msg = NULL;
    return rv;
}

static void test_right_key_passes(void **state)
{
    struct server s = {0};
    struct channel_key k;

    assert_int_equal(channel_key_random(CHANNEL_IDENTITY_ADMIN, &k), 0);
    s.key = k;
    assert_int_equal(handshake(&s, &k, NULL), 0);
    assert_int_equal(s.accept_rv, 0);
    assert_string_equal(s.identity, CHANNEL_IDENTITY_ADMIN);
}

/* Once the peer has closed it, an idle channel is no longer usable for the next request. */
static void test_closed_channel_not_usable(void **state)
{
    struct server s = {0};
    struct channel_key k;
    struct channel *c = NULL;

    assert_int_equal(channel_key_random(CHANNEL_IDENTITY_ADMIN, &k), 0);
    s.key = k;
    assert_int_equal(handshake(&s, &k, &c), 0); /* the server has answered and closed */
    assert_non_null(c);
    assert_false(channel_idle_usable(c));
    channel_close(c);
}

static void test_wrong_key_refused(void **state)
{
    struct server s = {0};
    struct channel_key good, bad;

    channel_key_random(CHANNEL_IDENTITY_ADMIN, &good);
    channel_key_random(CHANNEL_IDENTITY_ADMIN, &bad);
    s.key = good;
    assert_int_equal(handshake(&s, &bad, NULL), -EACCES);
    assert_true(s.accept_rv < 0);
}

static void test_unknown_identity_refused(void **state)
{
    struct server s = {0};
    struct channel_key good, other;

    channel_key_random(CHANNEL_IDENTITY_ADMIN, &good);
    other = good;
    snprintf(other.identity, sizeof(other.identity), "cluster:forged");
    s.key = good;
    assert_true(handshake(&s, &other, NULL) < 0);
    assert_true(s.accept_rv < 0);
}

static void test_plaintext_peer_refused(void **state)
{
    struct server s = {0};
    int sv[2];
    pthread_t t;
    const char junk[] = "GET / HTTP/1.0\r\n\r\n";

    channel_key_random(CHANNEL_IDENTITY_ADMIN, &s.key);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    s.fd = sv[0];
    pthread_create(&t, NULL, server_main, &s);
    assert_int_equal(write(sv[1], junk, sizeof(junk)), (ssize_t)sizeof(junk));
    shutdown(sv[1], SHUT_WR);
    pthread_join(t, NULL);
    close(sv[1]);
    assert_true(s.accept_rv < 0);
    assert_null(s.msg);
}

static void test_key_files(void **state)
{
    char dir[] = "/tmp/test_channel.XXXXXX", path[256];
    struct channel_key k;
    struct stat st;
    FILE *f;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/authkey", dir);
    umask(0);
    assert_int_equal(channel_key_generate(path), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* whatever the umask */
    assert_int_equal(channel_key_generate(path), -EEXIST);
    assert_int_equal(channel_key_load(path, &k), 0);
    assert_non_null(channel_admin_key_id(k.identity));
    assert_int_equal(strncmp(k.identity, CHANNEL_IDENTITY_ADMIN ":", 14), 0);
    f = fopen(path, "w");
    fputs("not a key\n", f);
    fclose(f);
    assert_int_equal(channel_key_load(path, &k), -EINVAL);
    unlink(path);
    assert_int_equal(channel_key_load(path, &k), -ENOENT);
    rmdir(dir);
    umask(022);
}

static void test_hex_roundtrip(void **state)
{
    struct channel_key k, back;
    char hex[2 * CHANNEL_KEY_BYTES + 1];

    channel_key_random("x", &k);
    channel_key_to_hex(&k, hex);
    assert_int_equal(strlen(hex), 64);
    assert_int_equal(channel_key_from_hex(hex, &back), 0);
    assert_memory_equal(k.bytes, back.bytes, CHANNEL_KEY_BYTES);
    hex[10] = 'g';
    assert_int_equal(channel_key_from_hex(hex, &back), -EINVAL);
    assert_int_equal(channel_key_from_hex("abcd", &back), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_key_passes),
        cmocka_unit_test(test_closed_channel_not_usable),
        cmocka_unit_test(test_wrong_key_refused),
        cmocka_unit_test(test_unknown_identity_refused),
        cmocka_unit_test(test_plaintext_peer_refused),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_hex_roundtrip),
    };
    int rv;

    gnutls_global_init();
    rv = cmocka_run_group_tests(tests, NULL, NULL);
    gnutls_global_deinit();
    return rv;
}
