/*
 * The Node Witness driver (rm_witness): online, looks-alive and is-alive succeed exactly while
 * the witness its Address names (HOST or HOST:PORT, numeric here so that no resolver is asked)
 * is among the witness members the service published, and is Up; offline holds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "common/prop.h"
#include "daemon/rm/rm.h"

static struct rm_prop prop;
static struct rm_resource res;

/* A resource whose Address is address (NULL: none). */
static struct rm_resource *resource(const char *address)
{
    prop = (struct rm_prop){"Address", address};
    res = (struct rm_resource){.name = "Node Witness", .type = "Node Witness",
                               .driver_arg = "witness", .props = &prop,
                               .n_props = address != NULL};
    return &res;
}

static void publish(const char *address, uint16_t port, bool up)
{
    struct rm_witness_member m = {.port = port, .up = up};

    strcpy(m.address, address);
    rm_witness_publish(&m, 1);
}

static int reset(void **state)
{
    (void)state;
    rm_witness_publish(NULL, 0);
    return 0;
}

static const struct rm_driver *driver(void)
{
    const struct rm_driver *d = rm_driver_find("Witness");

    assert_ptr_equal(d, &rm_witness_driver);
    return d;
}

static void test_member_and_heard(void **state)
{
    const struct rm_driver *d = driver();
    struct rm_resource *r = resource("127.0.0.1");

    (void)state;
    publish("127.0.0.1", 3343, true);
    assert_int_equal(d->online(r), 0);
    assert_int_equal(d->looks_alive(r), 0);
    assert_int_equal(d->is_alive(r), 0);
    /* not heard any more: both checks fail, with the reason */
    publish("127.0.0.1", 3343, false);
    assert_int_equal(d->looks_alive(r), -EHOSTDOWN);
    assert_non_null(strstr(r->errmsg, "not heard"));
    assert_int_equal(d->is_alive(r), -EHOSTDOWN);
    /* gone from the members */
    rm_witness_publish(NULL, 0);
    assert_int_equal(d->looks_alive(r), -ENOENT);
    assert_non_null(strstr(r->errmsg, "no witness at 127.0.0.1 port 3343"));
    assert_int_equal(d->offline(r), 0);
    assert_null(r->priv);
}

static void test_not_a_member(void **state)
{
    const struct rm_driver *d = driver();

    (void)state;
    assert_int_equal(d->online(resource("127.0.0.1")), -ENOENT); /* nothing published */
    publish("127.0.0.1", 3400, true);
    assert_int_equal(d->online(resource("127.0.0.1")), -ENOENT); /* another port */
    assert_null(res.priv);
    assert_int_equal(d->online(resource("127.0.0.2:3400")), -ENOENT); /* another address */
    assert_int_equal(d->online(resource("127.0.0.1:3400")), 0);
    assert_int_equal(d->offline(&res), 0);
    publish("127.0.0.1", 3343, false); /* a member, not heard: online fails */
    assert_int_equal(d->online(resource("127.0.0.1")), -EHOSTDOWN);
    assert_null(res.priv);
}

static void test_ipv6(void **state)
{
    const struct rm_driver *d = driver();

    (void)state;
    publish("::1", 3343, true);
    assert_int_equal(d->online(resource("[::1]")), 0);
    assert_int_equal(d->offline(&res), 0);
    assert_int_equal(d->online(resource("::1")), 0);
    assert_int_equal(d->offline(&res), 0);
    assert_int_equal(d->online(resource("[::1]:3344")), -ENOENT);
}

static void test_bad_address(void **state)
{
    const struct rm_driver *d = driver();

    (void)state;
    publish("127.0.0.1", 3343, true);
    assert_int_equal(d->online(resource(NULL)), -EINVAL);
    assert_non_null(strstr(res.errmsg, "no Address"));
    assert_int_equal(d->online(resource("bad_host")), -EINVAL);
    assert_int_equal(d->online(resource("127.0.0.1:0")), -EINVAL);
    assert_int_equal(d->online(resource("[127.0.0.1]")), -EINVAL);
    assert_null(res.priv);
}

static void test_type_info(void **state)
{
    struct rm_type_info *info;
    const struct rm_param *p;

    (void)state;
    assert_int_equal(rm_type_info("witness", &info), 0);
    assert_int_equal(info->n_params, 1);
    p = rm_type_param(info, "address");
    assert_non_null(p);
    assert_int_equal(p->syntax, PROP_SYNTAX_SZ);
    assert_true(p->required);
    rm_type_info_free(info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_member_and_heard, reset),
        cmocka_unit_test_setup(test_not_a_member, reset),
        cmocka_unit_test_setup(test_ipv6, reset),
        cmocka_unit_test_setup(test_bad_address, reset),
        cmocka_unit_test_setup(test_type_info, reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
