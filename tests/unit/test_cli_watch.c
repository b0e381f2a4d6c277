/*
 * Unit tests for clusctl's view of a cluster over time (cli_watch.c): snapshots, the changes
 * between two of them, and how each change and snapshot is formatted as text and JSON.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <clusapi.h>

#include "cli/cli_format.h"
#include "cli/cli_watch.h"

/* ------------------------------------------------------------------------------------------ */
/* Snapshots and changes (events)                                                              */
/* ------------------------------------------------------------------------------------------ */

#define T0 1795646401123LL /* 2026-11-25T22:40:01.123Z */

static void add(struct cli_snapshot *s, enum cli_kind k, const char *name, int state,
                const char *owner, const char *group)
{
    assert_int_equal(cli_snapshot_add(s, k, name, state, owner, group), 0);
}

/* A three-node cluster with the core group on n1 and one resource in it. */
static void base(struct cli_snapshot *s)
{
    *s = (struct cli_snapshot){.time_ms = T0};
    add(s, CLI_KIND_NODE, "n3", ClusterNodeUp, NULL, NULL);
    add(s, CLI_KIND_NODE, "n1", ClusterNodeUp, NULL, NULL);
    add(s, CLI_KIND_NODE, "n2", ClusterNodeUp, NULL, NULL);
    add(s, CLI_KIND_GROUP, "Cluster Group", ClusterGroupOnline, "n1", NULL);
    add(s, CLI_KIND_RESOURCE, "ip", ClusterResourceOnline, "n1", "Cluster Group");
    cli_snapshot_sort(s);
}

/* The object of kind k named name in s, to change it in place. */
static struct cli_obj *find(struct cli_snapshot *s, enum cli_kind k, const char *name)
{
    for (size_t i = 0; i < s->of[k].n; i++)
        if (strcmp(s->of[k].v[i].name, name) == 0)
            return &s->of[k].v[i];
    fail_msg("no %s", name);
    return NULL;
}

static void set_owner(struct cli_obj *o, const char *owner)
{
    free(o->owner);
    o->owner = owner ? strdup(owner) : NULL;
}

static void test_snapshot_build(void **state)
{
    struct cli_snapshot s = {0};

    (void)state;
    base(&s);
    assert_int_equal(s.of[CLI_KIND_NODE].n, 3);
    assert_string_equal(s.of[CLI_KIND_NODE].v[0].name, "n1"); /* sorted */
    assert_string_equal(s.of[CLI_KIND_NODE].v[2].name, "n3");
    assert_null(s.of[CLI_KIND_NODE].v[0].owner);
    assert_string_equal(s.of[CLI_KIND_RESOURCE].v[0].group, "Cluster Group");
    assert_int_equal(cli_snapshot_add(&s, CLI_KIND_NODE, NULL, 0, NULL, NULL), -EINVAL);
    assert_int_equal(cli_snapshot_add(&s, (enum cli_kind)3, "x", 0, NULL, NULL), -EINVAL);
    assert_int_equal(s.of[CLI_KIND_NODE].n, 3);
    /* Many objects: the arrays grow. */
    for (int i = 0; i < 100; i++) {
        char name[16];

        snprintf(name, sizeof(name), "g%03d", 99 - i);
        add(&s, CLI_KIND_GROUP, name, ClusterGroupOffline, NULL, NULL);
    }
    cli_snapshot_sort(&s);
    assert_int_equal(s.of[CLI_KIND_GROUP].n, 101);
    assert_string_equal(s.of[CLI_KIND_GROUP].v[0].name, "Cluster Group");
    assert_string_equal(s.of[CLI_KIND_GROUP].v[1].name, "g000");
    assert_string_equal(s.of[CLI_KIND_GROUP].v[100].name, "g099");
    cli_snapshot_done(&s);
    assert_int_equal(s.of[CLI_KIND_GROUP].n, 0);
    cli_snapshot_done(&s);
    cli_snapshot_done(NULL);
}

static void test_diff_no_change(void **state)
{
    struct cli_snapshot a, b, empty = {0};
    struct cli_change *c = (struct cli_change *)&c;

    (void)state;
    base(&a);
    base(&b);
    b.time_ms = T0 + 200;
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 0);
    assert_null(c);
    c = (struct cli_change *)&c;
    assert_int_equal(cli_snapshot_diff(&empty, &empty, &c), 0);
    assert_null(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_diff_node_state(void **state)
{
    struct cli_snapshot a, b;
    struct cli_change *c = NULL;

    (void)state;
    base(&a);
    base(&b);
    find(&b, CLI_KIND_NODE, "n2")->state = ClusterNodePaused;
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 1);
    assert_int_equal(c[0].kind, CLI_KIND_NODE);
    assert_string_equal(c[0].was->name, "n2");
    assert_int_equal(c[0].was->state, ClusterNodeUp);
    assert_ptr_equal(c[0].now, find(&b, CLI_KIND_NODE, "n2"));
    free(c);
    /* And back, in the other direction. */
    assert_int_equal(cli_snapshot_diff(&b, &a, &c), 1);
    assert_int_equal(c[0].now->state, ClusterNodeUp);
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

/* The group moves, the resource with it, and n1 is paused: nodes first, then groups, then
 * resources. */
static void test_diff_group_moves(void **state)
{
    struct cli_snapshot a, b;
    struct cli_change *c = NULL;

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), "n2");
    set_owner(find(&b, CLI_KIND_RESOURCE, "ip"), "n2");
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodePaused;
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 3);
    assert_int_equal(c[0].kind, CLI_KIND_NODE);
    assert_int_equal(c[1].kind, CLI_KIND_GROUP);
    assert_string_equal(c[1].was->owner, "n1");
    assert_string_equal(c[1].now->owner, "n2");
    assert_int_equal(c[1].was->state, c[1].now->state); /* an owner-only change */
    assert_int_equal(c[2].kind, CLI_KIND_RESOURCE);
    assert_string_equal(c[2].now->owner, "n2");
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

/* Owner from a node to none and back; a resource that changes group only. */
static void test_diff_owner_and_group_only(void **state)
{
    struct cli_snapshot a, b;
    struct cli_change *c = NULL;
    struct cli_obj *r;

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), NULL);
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 1);
    assert_null(c[0].now->owner);
    free(c);
    assert_int_equal(cli_snapshot_diff(&b, &a, &c), 1);
    assert_null(c[0].was->owner);
    free(c);
    cli_snapshot_done(&b);
    base(&b);
    r = find(&b, CLI_KIND_RESOURCE, "ip");
    free(r->group);
    r->group = strdup("web");
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 1);
    assert_int_equal(c[0].kind, CLI_KIND_RESOURCE);
    assert_string_equal(c[0].now->group, "web");
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

/* Objects that appear and disappear, of each kind, at the ends and in the middle of the lists. */
static void test_diff_appear_disappear(void **state)
{
    struct cli_snapshot a, b, empty = {0};
    struct cli_change *c = NULL;

    (void)state;
    base(&a);
    base(&b);
    add(&b, CLI_KIND_NODE, "n0", ClusterNodeJoining, NULL, NULL);
    add(&b, CLI_KIND_NODE, "n4", ClusterNodeJoining, NULL, NULL);
    add(&b, CLI_KIND_GROUP, "web", ClusterGroupOffline, "n3", NULL);
    add(&b, CLI_KIND_RESOURCE, "disk", ClusterResourceOffline, "n3", "web");
    cli_snapshot_sort(&b);
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 4);
    for (int i = 0; i < 4; i++)
        assert_null(c[i].was);
    assert_string_equal(c[0].now->name, "n0");
    assert_string_equal(c[1].now->name, "n4");
    assert_string_equal(c[2].now->name, "web");
    assert_int_equal(c[2].kind, CLI_KIND_GROUP);
    assert_string_equal(c[3].now->name, "disk");
    assert_int_equal(c[3].kind, CLI_KIND_RESOURCE);
    free(c);
    assert_int_equal(cli_snapshot_diff(&b, &a, &c), 4);
    for (int i = 0; i < 4; i++)
        assert_null(c[i].now);
    assert_string_equal(c[0].was->name, "n0");
    assert_string_equal(c[3].was->name, "disk");
    free(c);
    /* n2 gone and n2b new in one step: two changes, not a rename. */
    cli_snapshot_done(&b);
    b = (struct cli_snapshot){0};
    add(&b, CLI_KIND_NODE, "n1", ClusterNodeUp, NULL, NULL);
    add(&b, CLI_KIND_NODE, "n2b", ClusterNodeUp, NULL, NULL);
    add(&b, CLI_KIND_NODE, "n3", ClusterNodeUp, NULL, NULL);
    add(&b, CLI_KIND_GROUP, "Cluster Group", ClusterGroupOnline, "n1", NULL);
    add(&b, CLI_KIND_RESOURCE, "ip", ClusterResourceOnline, "n1", "Cluster Group");
    cli_snapshot_sort(&b);
    assert_int_equal(cli_snapshot_diff(&a, &b, &c), 2);
    assert_string_equal(c[0].was->name, "n2");
    assert_null(c[0].now);
    assert_string_equal(c[1].now->name, "n2b");
    assert_null(c[1].was);
    free(c);
    /* Everything from nothing, and back to nothing. */
    assert_int_equal(cli_snapshot_diff(&empty, &a, &c), 5);
    free(c);
    assert_int_equal(cli_snapshot_diff(&a, &empty, &c), 5);
    assert_null(c[4].now);
    assert_int_equal(c[4].kind, CLI_KIND_RESOURCE);
    free(c);
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_format_time(void **state)
{
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_format_time(&b, T0), 0);
    assert_string_equal(cli_buf_str(&b), "2026-11-25T22:40:01.123Z");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_time(&b, 0), 0);
    assert_string_equal(cli_buf_str(&b), "1970-01-01T00:00:00.000Z");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_time(&b, 951782400007LL), 0);
    assert_string_equal(cli_buf_str(&b), "2000-02-29T00:00:00.007Z");
    cli_buf_reset(&b);
    assert_int_equal(cli_format_time(&b, -1), 0);
    assert_string_equal(cli_buf_str(&b), "1969-12-31T23:59:59.999Z");
    cli_buf_done(&b);
}

static void test_format_name(void **state)
{
    struct cli_buf b = {0};

    (void)state;
    assert_int_equal(cli_format_name(&b, "n2"), 0);
    assert_int_equal(cli_format_name(&b, " "), 0);
    assert_int_equal(cli_format_name(&b, "Cluster Group"), 0);
    assert_int_equal(cli_format_name(&b, ""), 0);
    assert_int_equal(cli_format_name(&b, "a\"b"), 0);
    assert_int_equal(cli_format_name(&b, "n\xC3\xA9"), 0);
    assert_string_equal(cli_buf_str(&b), "n2\" \"\"Cluster Group\"\"\"\"a\\\"b\"n\xC3\xA9");
    cli_buf_done(&b);
}

/* Formats change i of the diff between a and b as text (json false) or JSON. */
static void expect_change(const struct cli_snapshot *a, const struct cli_snapshot *b, int n,
                          int i, bool json, const char *want)
{
    struct cli_change *c = NULL;
    struct cli_buf out = {0};

    assert_int_equal(cli_snapshot_diff(a, b, &c), n);
    if (json)
        assert_int_equal(cli_format_json_change(&out, b->time_ms, &c[i]), 0);
    else
        assert_int_equal(cli_format_change(&out, b->time_ms, &c[i]), 0);
    assert_string_equal(cli_buf_str(&out), want);
    free(c);
    cli_buf_done(&out);
}

static void test_format_change_text(void **state)
{
    struct cli_snapshot a, b, empty = {.time_ms = T0};

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), "n2");
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodePaused;
    expect_change(&a, &b, 2, 0, false, "2026-11-25T22:40:01.123Z node n1 Paused (was Up)\n");
    expect_change(&a, &b, 2, 1, false,
                  "2026-11-25T22:40:01.123Z group \"Cluster Group\" Online on n2 "
                  "(was Online on n1)\n");
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), NULL);
    find(&b, CLI_KIND_GROUP, "Cluster Group")->state = ClusterGroupOffline;
    expect_change(&a, &b, 2, 1, false,
                  "2026-11-25T22:40:01.123Z group \"Cluster Group\" Offline (was Online on n1)\n");
    find(&b, CLI_KIND_NODE, "n1")->state = -1;
    expect_change(&a, &b, 2, 0, false, "2026-11-25T22:40:01.123Z node n1 Unknown (was Up)\n");
    /* a storage fault, begun and ended, is a change of its own */
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodeUp;
    find(&b, CLI_KIND_NODE, "n1")->storage_fault = true;
    expect_change(&a, &b, 2, 0, false,
                  "2026-11-25T22:40:01.123Z node n1 Up (storage fault) (was Up)\n");
    expect_change(&b, &a, 2, 0, false,
                  "2026-11-25T22:40:01.123Z node n1 Up (was Up (storage fault))\n");
    expect_change(&a, &b, 2, 0, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"node\","
                  "\"change\":\"changed\",\"name\":\"n1\",\"state\":\"Up\","
                  "\"storage_fault\":true,\"was_state\":\"Up\",\"was_storage_fault\":false}\n");
    find(&b, CLI_KIND_NODE, "n1")->state = -1;
    find(&b, CLI_KIND_NODE, "n1")->storage_fault = false;
    /* New and gone; a resource shows its group then. */
    expect_change(&empty, &a, 5, 4, false,
                  "2026-11-25T22:40:01.123Z resource ip Online on n1 in \"Cluster Group\" "
                  "(new)\n");
    expect_change(&empty, &a, 5, 0, false, "2026-11-25T22:40:01.123Z node n1 Up (new)\n");
    expect_change(&a, &empty, 5, 3, false,
                  "2026-11-25T22:40:01.123Z group \"Cluster Group\" gone (was Online on n1)\n");
    expect_change(&a, &empty, 5, 4, false,
                  "2026-11-25T22:40:01.123Z resource ip gone (was Online on n1 in \"Cluster "
                  "Group\")\n");
    /* A resource's group shows only when it changed. */
    cli_snapshot_done(&b);
    base(&b);
    find(&b, CLI_KIND_RESOURCE, "ip")->state = ClusterResourceOfflinePending;
    expect_change(&a, &b, 1, 0, false,
                  "2026-11-25T22:40:01.123Z resource ip OfflinePending on n1 (was Online on n1)\n");
    free(find(&b, CLI_KIND_RESOURCE, "ip")->group);
    find(&b, CLI_KIND_RESOURCE, "ip")->group = strdup("web");
    expect_change(&a, &b, 1, 0, false,
                  "2026-11-25T22:40:01.123Z resource ip OfflinePending on n1 in web "
                  "(was Online on n1 in \"Cluster Group\")\n");
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_format_change_json(void **state)
{
    struct cli_snapshot a, b, empty = {.time_ms = T0};

    (void)state;
    base(&a);
    base(&b);
    set_owner(find(&b, CLI_KIND_GROUP, "Cluster Group"), "n2");
    find(&b, CLI_KIND_NODE, "n1")->state = ClusterNodePaused;
    expect_change(&a, &b, 2, 0, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"node\","
                  "\"change\":\"changed\",\"name\":\"n1\",\"state\":\"Paused\","
                  "\"storage_fault\":false,\"was_state\":\"Up\",\"was_storage_fault\":false}\n");
    expect_change(&a, &b, 2, 1, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"group\","
                  "\"change\":\"changed\",\"name\":\"Cluster Group\",\"state\":\"Online\","
                  "\"owner\":\"n2\",\"was_state\":\"Online\",\"was_owner\":\"n1\"}\n");
    expect_change(&empty, &a, 5, 4, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\","
                  "\"kind\":\"resource\",\"change\":\"appeared\",\"name\":\"ip\","
                  "\"state\":\"Online\",\"owner\":\"n1\",\"group\":\"Cluster Group\","
                  "\"was_state\":null,\"was_owner\":null,\"was_group\":null}\n");
    expect_change(&a, &empty, 5, 3, true,
                  "{\"event\":\"change\",\"time\":\"2026-11-25T22:40:01.123Z\",\"kind\":\"group\","
                  "\"change\":\"gone\",\"name\":\"Cluster Group\",\"state\":null,\"owner\":null,"
                  "\"was_state\":\"Online\",\"was_owner\":\"n1\"}\n");
    cli_snapshot_done(&a);
    cli_snapshot_done(&b);
}

static void test_format_snapshot_json(void **state)
{
    struct cli_snapshot a, empty = {.time_ms = 0};
    struct cli_buf out = {0};

    (void)state;
    base(&a);
    set_owner(find(&a, CLI_KIND_GROUP, "Cluster Group"), NULL);
    assert_int_equal(cli_format_json_snapshot(&out, &a), 0);
    assert_string_equal(cli_buf_str(&out),
                        "{\"event\":\"snapshot\",\"time\":\"2026-11-25T22:40:01.123Z\","
                        "\"nodes\":[{\"name\":\"n1\",\"state\":\"Up\",\"storage_fault\":false},"
                        "{\"name\":\"n2\",\"state\":\"Up\",\"storage_fault\":false},"
                        "{\"name\":\"n3\",\"state\":\"Up\",\"storage_fault\":false}],"
                        "\"groups\":[{\"name\":\"Cluster Group\",\"state\":\"Online\","
                        "\"owner\":null}],\"resources\":[{\"name\":\"ip\",\"state\":\"Online\","
                        "\"owner\":\"n1\",\"group\":\"Cluster Group\"}]}\n");
    cli_buf_reset(&out);
    assert_int_equal(cli_format_json_snapshot(&out, &empty), 0);
    assert_string_equal(cli_buf_str(&out),
                        "{\"event\":\"snapshot\",\"time\":\"1970-01-01T00:00:00.000Z\","
                        "\"nodes\":[],\"groups\":[],\"resources\":[]}\n");
    assert_string_equal(cli_kind_name((enum cli_kind)7), "object");
    assert_string_equal(cli_kind_state_name(CLI_KIND_RESOURCE, ClusterResourceFailed), "Failed");
    cli_buf_done(&out);
    cli_snapshot_done(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_build),
        cmocka_unit_test(test_diff_no_change),
        cmocka_unit_test(test_diff_node_state),
        cmocka_unit_test(test_diff_group_moves),
        cmocka_unit_test(test_diff_owner_and_group_only),
        cmocka_unit_test(test_diff_appear_disappear),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_format_name),
        cmocka_unit_test(test_format_change_text),
        cmocka_unit_test(test_format_change_json),
        cmocka_unit_test(test_format_snapshot_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
