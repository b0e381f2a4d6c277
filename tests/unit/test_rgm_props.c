/*
 * The group manager's policies from common properties (rgm_policy.h): restart budgets, retry and
 * timeouts, failover limits, failback, AND/OR readiness, resource requests. Tables: given these
 * properties and this state, expect this decision; a failure prints the row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rgm_fixture.h"

/* ------------------------------------------------------------------------------------------ */
/* AND/OR dependencies                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* app depends on (ip OR ip6) AND disk: clause 1 holds ip and ip6, clause 2 disk. */
static const struct {
    const char *why;
    int32_t ip, ip6, disk;
    bool expect;
} clause_cases[] = {
    {"every clause has a provider online", RON, ROFF, RON, true},
    {"the other alternative serves as well", ROFF, RON, RON, true},
    {"both alternatives online", RON, RON, RON, true},
    {"the second clause has none online", RON, RON, ROFF, false},
    {"the first clause has none online", ROFF, RFAIL, RON, false},
    {"a clause coming online is not ready", RONP, ROFF, RON, false},
    {"nothing online", ROFF, ROFF, ROFF, false},
};

static void test_providers_clauses(void **state)
{
    static const struct rgm_dependency deps[] = {
        {"app", "ip", 1}, {"app", "disk", 2}, {"APP", "ip6", 1}, {"other", "x", 7}};

    (void)state;
    for (size_t i = 0; i < N_OF(clause_cases); i++) {
        struct members_fixture f;
        struct cdb_resource res[] = {
            {.id = 1, .name = "ip", .state = clause_cases[i].ip},
            {.id = 2, .name = "ip6", .state = clause_cases[i].ip6},
            {.id = 3, .name = "disk", .state = clause_cases[i].disk},
            {.id = 4, .name = "app", .state = RONP},
            {.id = 5, .name = "x", .state = ROFF},
            {.id = 6, .name = "other", .state = RONP},
        };
        struct rgm_view v;
        bool got;

        members_init(&f, "U", 1);
        v = (struct rgm_view){.members = f.m, .resources = res, .n_resources = N_OF(res),
                              .deps = deps, .n_deps = N_OF(deps)};
        got = rgm_providers_ready(&v, "app");
        if (got != clause_cases[i].expect)
            fail_msg("%s: %d", clause_cases[i].why, got);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Policies from common properties                                                             */
/* ------------------------------------------------------------------------------------------ */

static void test_res_policy_read(void **state)
{
    static const struct cdb_prop none[] = {{"Description", "x", 0}};
    static const struct cdb_prop set[] = {
        {"restartaction", "1", 0},          {"RestartThreshold", "0", 0},
        {"RestartPeriod", "60000", 0},      {"RestartDelay", "250", 0},
        {"RetryPeriodOnFailure", "4294967295", 0}, {"PendingTimeout", "3000", 0},
        {"LooksAlivePollInterval", "4294967295", 0}, {"IsAlivePollInterval", "700", 0},
    };
    static const struct cdb_prop type[] = {{"LooksAlivePollInterval", "1500", 0},
                                           {"IsAlivePollInterval", "9000", 0}};
    static const struct cdb_prop bad[] = {
        {"RestartAction", "7", 0}, {"RestartThreshold", "-1", 0}, {"RestartDelay", "5x", 0},
        {"PendingTimeout", "", 0}, {"RestartPeriod", "4294967296", 0},
        {"LooksAlivePollInterval", "4294967295", 0}};
    static const struct cdb_prop type_unset[] = {{"IsAlivePollInterval", "4294967295", 0}};
    struct rgm_res_policy p;

    (void)state;
    rgm_res_policy_read(none, N_OF(none), NULL, 0, &p);
    assert_int_equal(p.restart_action, RGM_RESTART_NOTIFY);
    assert_int_equal(p.restart_threshold, 3);
    assert_int_equal(p.restart_period_ms, 900000);
    assert_int_equal(p.restart_delay_ms, 500);
    assert_int_equal(p.retry_period_ms, 3600000);
    assert_int_equal(p.pending_timeout_ms, 180000);
    assert_int_equal(p.looks_alive_ms, 5000);
    assert_int_equal(p.is_alive_ms, 60000);

    rgm_res_policy_read(set, N_OF(set), type, N_OF(type), &p);
    assert_int_equal(p.restart_action, RGM_RESTART_NO_NOTIFY);
    assert_int_equal(p.restart_threshold, 0);
    assert_int_equal(p.restart_period_ms, 60000);
    assert_int_equal(p.restart_delay_ms, 250);
    assert_int_equal(p.retry_period_ms, RGM_NEVER);
    assert_int_equal(p.pending_timeout_ms, 3000);
    assert_int_equal(p.looks_alive_ms, 1500); /* 0xFFFFFFFF: the type's */
    assert_int_equal(p.is_alive_ms, 700);     /* its own wins over the type's */

    rgm_res_policy_read(bad, N_OF(bad), type_unset, N_OF(type_unset), &p);
    assert_int_equal(p.restart_action, RGM_RESTART_NOTIFY);
    assert_int_equal(p.restart_threshold, 3);
    assert_int_equal(p.restart_delay_ms, 500);
    assert_int_equal(p.pending_timeout_ms, 180000);
    assert_int_equal(p.restart_period_ms, 900000);
    assert_int_equal(p.looks_alive_ms, 5000); /* neither sets one: the default */
    assert_int_equal(p.is_alive_ms, 60000);   /* the type says "use the type's": default */
}

#define F_RESTART RGM_FAILURE_RESTART
#define F_FAILED RGM_FAILURE_FAILED
#define F_GROUP RGM_FAILURE_FAIL_GROUP

/* One resource's failures over time under one policy (action, threshold, period). */
struct failure_story {
    const char *why;
    uint64_t now;
    enum rgm_failure expect;
    unsigned count; /* after the call */
};

static void run_failures(const char *name, uint32_t action, uint32_t threshold, uint32_t period,
                         const struct failure_story *story, size_t n)
{
    struct rgm_res_policy p = {.restart_action = action, .restart_threshold = threshold,
                               .restart_period_ms = period};
    struct rgm_restarts r = {0};

    for (size_t i = 0; i < n; i++) {
        enum rgm_failure got = rgm_failure_decide(&r, &p, story[i].now);

        if (got != story[i].expect || r.count != story[i].count)
            fail_msg("%s, %s: %d count %u", name, story[i].why, got, r.count);
    }
}

static void test_failure_decide(void **state)
{
    static const struct failure_story never[] = {
        {"no restart: failed at once", 1000, F_FAILED, 0},
        {"and again, nothing counted", 2000, F_FAILED, 0},
    };
    static const struct failure_story stay[] = {
        {"the first failure restarts", 1000, F_RESTART, 1},
        {"the second too (threshold 2)", 2000, F_RESTART, 2},
        {"the third within the period: failed, the group stays", 3000, F_FAILED, 3},
        {"past the period (from the first): restart again", 1000 + 10001, F_RESTART, 1},
    };
    static const struct failure_story notify[] = {
        {"the first failure restarts", 5, F_RESTART, 1},
        {"the second within the period fails the group", 6, F_GROUP, 2},
        {"still within the period at its very end", 5 + 10000, F_GROUP, 3},
        {"a period later: restart", 5 + 10001, F_RESTART, 1},
        {"the new period runs from that failure", 5 + 20002, F_RESTART, 1},
    };
    static const struct failure_story zero[] = {
        {"threshold 0: the first failure fails the group", 100, F_GROUP, 1},
        {"also a period later", 100 + 10001, F_GROUP, 1},
    };
    static const struct failure_story at_zero[] = {
        {"a failure at time 0 opens the period", 0, F_RESTART, 1},
        {"the next within it is over the threshold", 1, F_GROUP, 2},
    };

    (void)state;
    run_failures("action 0", RGM_RESTART_NONE, 5, 10000, never, N_OF(never));
    run_failures("action 1", RGM_RESTART_NO_NOTIFY, 2, 10000, stay, N_OF(stay));
    run_failures("action 2", RGM_RESTART_NOTIFY, 1, 10000, notify, N_OF(notify));
    run_failures("threshold 0", RGM_RESTART_NOTIFY, 0, 10000, zero, N_OF(zero));
    run_failures("time 0", RGM_RESTART_NOTIFY, 1, 10000, at_zero, N_OF(at_zero));
}

static void test_retry_and_timeouts(void **state)
{
    struct rgm_res_policy p = {.retry_period_ms = 60000};

    (void)state;
    assert_int_equal(rgm_retry_at(&p, 1000), 61000);
    p.retry_period_ms = RGM_NEVER;
    assert_int_equal(rgm_retry_at(&p, 1000), 0);
    p.retry_period_ms = 0; /* at once, yet never 0 ("never") */
    assert_int_equal(rgm_retry_at(&p, 0), 1);
    assert_int_equal(rgm_call_timeout(180000, 0), 180000);      /* no type timeout */
    assert_int_equal(rgm_call_timeout(180000, 20000), 20000);   /* the type's is smaller */
    assert_int_equal(rgm_call_timeout(3000, 20000), 3000);      /* PendingTimeout is */
    p.restart_action = RGM_RESTART_NOTIFY;
    assert_true(rgm_failure_fails_group(&p));
    p.restart_action = RGM_RESTART_NO_NOTIFY;
    assert_false(rgm_failure_fails_group(&p));
}

static void test_failover_limits(void **state)
{
    static const struct {
        const char *why;
        const char *threshold, *period; /* NULL: not set */
        size_t n_nodes;
        unsigned expect_threshold;
        uint64_t expect_period_ms;
    } cases[] = {
        {"defaults, 3 nodes: 2 in 6 hours", NULL, NULL, 3, 2, 6ull * 3600000},
        {"defaults, 1 node: at least once", NULL, NULL, 1, 1, 6ull * 3600000},
        {"0xFFFFFFFF set: nodes - 1", "4294967295", NULL, 5, 4, 6ull * 3600000},
        {"an explicit threshold", "7", "1", 3, 7, 3600000},
        {"threshold 0: never", "0", "2", 3, 0, 2ull * 3600000},
        {"garbage: the defaults", "x", "-3", 4, 3, 6ull * 3600000},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct cdb_prop props[2];
        size_t n = 0;
        unsigned threshold;
        uint64_t period;

        if (cases[i].threshold != NULL)
            props[n++] = (struct cdb_prop){"FailoverThreshold", cases[i].threshold, 0};
        if (cases[i].period != NULL)
            props[n++] = (struct cdb_prop){"failoverperiod", cases[i].period, 0};
        rgm_failover_limits(props, n, cases[i].n_nodes, &threshold, &period);
        if (threshold != cases[i].expect_threshold || period != cases[i].expect_period_ms)
            fail_msg("%s: %u in %llu ms", cases[i].why, threshold, (unsigned long long)period);
    }
}

static void test_resource_host(void **state)
{
    static const uint64_t barred_2[] = {2}, pref[] = {3};
    struct cdb_group g = {.id = 1, .name = "g", .state = GON, .owner = 2};
    struct members_fixture f;

    (void)state;
    members_init(&f, "UUU", 1);
    assert_int_equal(rgm_resource_host(&f.m, &g, pref, 1), 2); /* a running group's owner */
    f.m.barred = barred_2;
    f.m.n_barred = 1;
    assert_int_equal(rgm_resource_host(&f.m, &g, pref, 1), 0); /* barred there: refused */
    g.state = GOFF;
    assert_int_equal(rgm_resource_host(&f.m, &g, pref, 1), 3); /* offline: placed anew */
    f.m.n_barred = 0;
    assert_int_equal(rgm_resource_host(&f.m, &g, pref, 1), 2); /* offline keeps its owner */
    members_init(&f, "UDU", 1);
    g.state = GPART;
    assert_int_equal(rgm_resource_host(&f.m, &g, pref, 1), 0); /* owner Down: failover's */
    g.state = GOFF;
    g.owner = 0;
    assert_int_equal(rgm_resource_host(&f.m, &g, NULL, 0), 3);
}

static void test_offline_state(void **state)
{
    static const struct {
        const char *why;
        int32_t state;
        uint64_t owner;
        bool commit;
        int32_t expect_state;
        uint64_t expect_owner;
    } cases[] = {
        {"online on an Up node: its owner stops it", RON, 2, true, ROFFP, 2},
        {"coming online: stopped too", RONP, 2, true, ROFFP, 2},
        {"owner Down: offline at once", RON, 3, true, ROFF, 0},
        {"no owner: offline at once", RONP, 0, true, ROFF, 0},
        {"failed: offline at once, nothing runs", RFAIL, 2, true, ROFF, 0},
        {"offline already: nothing", ROFF, 0, false, 0, 0},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct members_fixture f;
        struct cdb_resource r = {.id = 1, .name = "r", .state = cases[i].state,
                                 .owner = cases[i].owner};
        int32_t got_state = 0;
        uint64_t got_owner = 0;
        bool got;

        members_init(&f, "UUD", 1);
        got = rgm_offline_state(&f.m, &r, &got_state, &got_owner);
        if (got != cases[i].commit || got_state != cases[i].expect_state ||
            got_owner != cases[i].expect_owner)
            fail_msg("%s: %d %d %llu", cases[i].why, got, got_state,
                     (unsigned long long)got_owner);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Failback                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_failback_window(void **state)
{
    static const struct {
        const char *why;
        uint32_t start, end;
        unsigned hour;
        bool expect;
    } cases[] = {
        {"no window: any hour", RGM_NEVER, RGM_NEVER, 13, true},
        {"only a start: no window", 2, RGM_NEVER, 13, true},
        {"only an end: no window", RGM_NEVER, 4, 13, true},
        {"within 2..4", 2, 4, 3, true},
        {"its first hour", 2, 4, 2, true},
        {"its last hour", 2, 4, 4, true},
        {"before it", 2, 4, 1, false},
        {"after it", 2, 4, 5, false},
        {"past midnight: late", 22, 3, 23, true},
        {"past midnight: early", 22, 3, 0, true},
        {"past midnight: midday", 22, 3, 12, false},
        {"one hour", 7, 7, 7, true},
        {"one hour, another", 7, 7, 8, false},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct rgm_failback_policy p = {.type = 1, .window_start = cases[i].start,
                                        .window_end = cases[i].end};

        if (rgm_failback_window_open(&p, cases[i].hour) != cases[i].expect)
            fail_msg("%s", cases[i].why);
    }
}

/* Group g prefers node 2; the leader (1) watches one event after another. */
static const struct {
    const char *why;
    const char *nodes;     /* states of nodes 1..3 */
    uint64_t incarnation2; /* node 2's */
    int32_t state;
    uint64_t owner;
    uint32_t type;
    unsigned hour;         /* window 8..17 */
    uint64_t expect;
} failback_story[] = {
    {"first sight, already elsewhere: nothing (not a return)", "UUU", 1, GON, 3, 1, 12, 0},
    {"still nothing while nothing changes", "UUU", 1, GON, 3, 1, 12, 0},
    {"node 2 goes down", "UDU", 1, GON, 3, 1, 12, 0},
    {"node 2 is back, outside the window: later", "UUU", 2, GON, 3, 1, 20, 0},
    {"the window opens, the group is moving: later", "UUU", 2, GPEND, 3, 1, 9, 0},
    {"settled, within the window: back to 2", "UUU", 2, GON, 3, 1, 9, 2},
    {"the move did not happen: not again", "UUU", 2, GON, 3, 1, 9, 0},
    {"node 2 returns once more (a new lease)", "UUU", 3, GON, 3, 1, 10, 2},
    {"node 2 returns, failback off: nothing", "UDU", 3, GON, 3, 0, 10, 0},
    {"back, failback still off", "UUU", 4, GON, 3, 0, 10, 0},
    {"failback turned on later: the return was dropped", "UUU", 4, GON, 3, 1, 10, 0},
    {"node 2 leaves: 3 stands in, no failback to it", "UDU", 4, GON, 2, 1, 10, 0},
    {"node 2 returns to a group already there: nothing", "UUU", 5, GON, 2, 1, 10, 0},
    {"the group moved to 3 by hand: stays (no return)", "UUU", 5, GON, 3, 1, 10, 0},
    {"node 3 first in line without a return: nothing", "UUU", 5, GON, 3, 1, 11, 0},
};

static void test_failback_decide(void **state)
{
    static const uint64_t pref[] = {2, 3};
    struct rgm_failback_memo memo = {0};

    (void)state;
    for (size_t i = 0; i < N_OF(failback_story); i++) {
        struct members_fixture f;
        struct cdb_group g = {.id = 1, .name = "g", .state = failback_story[i].state,
                              .owner = failback_story[i].owner};
        struct rgm_failback_policy p = {.type = failback_story[i].type, .window_start = 8,
                                        .window_end = 17};
        uint64_t got;

        members_init(&f, failback_story[i].nodes, 1);
        f.nodes[1].incarnation = failback_story[i].incarnation2;
        got = rgm_failback_decide(&memo, &f.m, &g, pref, N_OF(pref), &p, failback_story[i].hour);
        if (got != failback_story[i].expect)
            fail_msg("%s: %llu", failback_story[i].why, (unsigned long long)got);
    }
}

static void test_failback_policy_read(void **state)
{
    static const struct cdb_prop props[] = {{"AutoFailbackType", "1", 0},
                                            {"FailbackWindowStart", "22", 0},
                                            {"FailbackWindowEnd", "3", 0}};
    struct rgm_failback_policy p;

    (void)state;
    rgm_failback_policy_read(NULL, 0, &p);
    assert_int_equal(p.type, 0);
    assert_int_equal(p.window_start, RGM_NEVER);
    assert_int_equal(p.window_end, RGM_NEVER);
    rgm_failback_policy_read(props, N_OF(props), &p);
    assert_int_equal(p.type, 1);
    assert_int_equal(p.window_start, 22);
    assert_int_equal(p.window_end, 3);
}

/* ------------------------------------------------------------------------------------------ */
/* Closures                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void test_closure(void **state)
{
    /* web → app → (ip | ip6), app → disk; log → web; a cycle-free world */
    static const struct rgm_dependency deps[] = {
        {"web", "app", 0}, {"app", "ip", 1}, {"app", "IP6", 1}, {"App", "disk", 2},
        {"log", "web", 0}, {"other", "ip", 0}};
    const char *out[N_OF(deps) + 1];
    size_t n;

    (void)state;
    n = rgm_closure(deps, N_OF(deps), "web", true, out);
    assert_int_equal(n, 5);
    assert_string_equal(out[0], "web");
    assert_string_equal(out[1], "app");
    assert_string_equal(out[2], "ip");
    assert_string_equal(out[3], "IP6");
    assert_string_equal(out[4], "disk");
    n = rgm_closure(deps, N_OF(deps), "ip", false, out); /* what depends on ip */
    assert_int_equal(n, 5);
    assert_string_equal(out[1], "app");
    assert_string_equal(out[2], "other");
    assert_string_equal(out[3], "web");
    assert_string_equal(out[4], "log");
    n = rgm_closure(deps, N_OF(deps), "disk", true, out);
    assert_int_equal(n, 1);
    n = rgm_closure(NULL, 0, "x", false, out);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_providers_clauses),
        cmocka_unit_test(test_res_policy_read),
        cmocka_unit_test(test_failure_decide),
        cmocka_unit_test(test_retry_and_timeouts),
        cmocka_unit_test(test_failover_limits),
        cmocka_unit_test(test_resource_host),
        cmocka_unit_test(test_offline_state),
        cmocka_unit_test(test_failback_window),
        cmocka_unit_test(test_failback_decide),
        cmocka_unit_test(test_failback_policy_read),
        cmocka_unit_test(test_closure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
