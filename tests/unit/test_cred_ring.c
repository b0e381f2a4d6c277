/* The cluster credential ring: ids, identities, and the rotation window (stage, switch, retire,
 * abort), including the property that what any member proves is accepted by every other member
 * at every step of a rotation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/keys/cred_ring.h"

#define CLUSTER "6f1c2a9e-0d4b-4a57-9c3e-2b8f7e6d5c4a"

static struct cred make(uint8_t fill)
{
    uint8_t bytes[CHANNEL_KEY_BYTES];
    struct cred c;

    memset(bytes, fill, sizeof(bytes));
    assert_int_equal(cred_make(CLUSTER, bytes, &c), 0);
    return c;
}

static void test_ids_and_identity(void **state)
{
    struct cred a = make(1), a2 = make(1), b = make(2);
    uint8_t id[CRED_ID_BYTES];
    char hex[CRED_ID_HEX_SIZE], expect[64];

    (void)state;
    assert_memory_equal(a.id, a2.id, CRED_ID_BYTES);     /* deterministic */
    assert_memory_not_equal(a.id, b.id, CRED_ID_BYTES);  /* differs per key */
    assert_memory_not_equal(a.id, a.key.bytes, CRED_ID_BYTES); /* not the key itself */
    cred_id_hex(a.id, hex);
    assert_int_equal(strlen(hex), 16);
    snprintf(expect, sizeof(expect), "cluster:" CLUSTER ":%s", hex);
    assert_string_equal(a.key.identity, expect);
    assert_int_equal(cred_identity_parse(a.key.identity, CLUSTER, id), 0);
    assert_memory_equal(id, a.id, CRED_ID_BYTES);
    /* Another cluster's identity, the old form without an id, and junk are refused. */
    assert_int_equal(cred_identity_parse(a.key.identity, "other", id), -EINVAL);
    assert_int_equal(cred_identity_parse("cluster:" CLUSTER, CLUSTER, id), -EINVAL);
    assert_int_equal(cred_identity_parse("cluster:" CLUSTER ":0123", CLUSTER, id), -EINVAL);
    assert_int_equal(cred_id_parse("0123456789abcdeF", id), -EINVAL);
    assert_int_equal(cred_id_parse("0123456789abcdef0", id), -EINVAL);
    assert_int_equal(cred_id_parse("0123456789abcdef", id), 0);
}

static void test_single_credential(void **state)
{
    struct cred a = make(1), b = make(2);
    struct cred_ring r;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_true(cred_ring_empty(&r));
    assert_null(cred_ring_send(&r));
    assert_int_equal(cred_ring_stage(&r, &a), -EINVAL);
    cred_ring_init(&r, &a);
    assert_false(cred_ring_empty(&r));
    assert_memory_equal(cred_ring_send(&r)->id, a.id, CRED_ID_BYTES);
    assert_non_null(cred_ring_find(&r, a.id));
    assert_null(cred_ring_find(&r, b.id));
    assert_null(cred_ring_other(&r));
}

/* Every step of a full rotation, with its window. */
static void test_rotation_steps(void **state)
{
    struct cred old = make(1), new = make(2), third = make(3);
    struct cred_ring r, before;

    (void)state;
    cred_ring_init(&r, &old);
    /* Retire or switch to something never staged: refused, nothing changes. */
    before = r;
    assert_int_equal(cred_ring_switch(&r, new.id), -ENOENT);
    assert_int_equal(cred_ring_retire(&r, new.id), -ENOENT);
    assert_memory_equal(&r, &before, sizeof(r));

    assert_int_equal(cred_ring_stage(&r, &new), 0);
    assert_int_equal(cred_ring_stage(&r, &new), 0); /* idempotent */
    assert_memory_equal(cred_ring_send(&r)->id, old.id, CRED_ID_BYTES); /* still proves old */
    assert_non_null(cred_ring_find(&r, old.id));
    assert_non_null(cred_ring_find(&r, new.id));
    assert_memory_equal(cred_ring_other(&r)->id, new.id, CRED_ID_BYTES);
    /* A second rotation cannot start while one runs; retiring before switching is refused. */
    before = r;
    assert_int_equal(cred_ring_stage(&r, &third), -EBUSY);
    assert_int_equal(cred_ring_retire(&r, new.id), -EBUSY);
    assert_memory_equal(&r, &before, sizeof(r));

    assert_int_equal(cred_ring_switch(&r, new.id), 0);
    assert_int_equal(cred_ring_switch(&r, new.id), 0);
    assert_memory_equal(cred_ring_send(&r)->id, new.id, CRED_ID_BYTES);
    assert_non_null(cred_ring_find(&r, old.id)); /* the window: old still accepted */
    assert_int_equal(cred_ring_abort(&r, new.id), -EBUSY); /* too late to abort */

    assert_int_equal(cred_ring_retire(&r, new.id), 0);
    assert_int_equal(cred_ring_retire(&r, new.id), 0);
    assert_null(cred_ring_find(&r, old.id)); /* old is dead */
    assert_memory_equal(cred_ring_send(&r)->id, new.id, CRED_ID_BYTES);
    assert_null(cred_ring_other(&r));
    /* And the next rotation may start. */
    assert_int_equal(cred_ring_stage(&r, &third), 0);
}

static void test_abort(void **state)
{
    struct cred old = make(1), new = make(2);
    struct cred_ring r;

    (void)state;
    cred_ring_init(&r, &old);
    assert_int_equal(cred_ring_abort(&r, new.id), 0); /* nothing staged: nothing to do */
    assert_int_equal(cred_ring_stage(&r, &new), 0);
    assert_int_equal(cred_ring_abort(&r, new.id), 0);
    assert_null(cred_ring_find(&r, new.id));
    assert_memory_equal(cred_ring_send(&r)->id, old.id, CRED_ID_BYTES);
    assert_int_equal(r.n, 1);
    assert_int_equal(cred_ring_abort(&r, old.id), -EBUSY); /* the proved one stays */
}

/* Three members take the steps one after another, as the rotating tool drives them; after every
 * single step, whatever each member proves must be accepted by every member. */
static void test_no_member_is_ever_refused(void **state)
{
    struct cred old = make(1), new = make(2);
    struct cred_ring m[3];

    (void)state;
    for (int i = 0; i < 3; i++)
        cred_ring_init(&m[i], &old);
    for (int step = 0; step < 3; step++) {
        for (int i = 0; i < 3; i++) {
            int rv = step == 0 ? cred_ring_stage(&m[i], &new)
                     : step == 1 ? cred_ring_switch(&m[i], new.id)
                                 : cred_ring_retire(&m[i], new.id);

            assert_int_equal(rv, 0);
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    assert_non_null(cred_ring_find(&m[b], cred_ring_send(&m[a])->id));
        }
    }
    for (int i = 0; i < 3; i++)
        assert_null(cred_ring_find(&m[i], old.id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_identity),
        cmocka_unit_test(test_single_credential),
        cmocka_unit_test(test_rotation_steps),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_no_member_is_ever_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
