/*
 * The group manager's decisions (rgm_policy.h) as tables: given this cluster state, expect this
 * plan or step. Each row names the rule it pins down; a failure prints the row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rgm_fixture.h"

#define ONLY RGM_ONLY_ACTIVE
#define HAND RGM_HAND_OVER

/* Preferred owners, 0-terminated. */
static size_t pref_len(const uint64_t *pref)
{
    size_t n = 0;

    while (pref[n] != 0)
        n++;
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Placement                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static const struct {
    const char *why;
    const char *nodes;
    uint64_t self;
    uint64_t pref[4];
    uint64_t exclude;
    uint64_t expect;
} choose_cases[] = {
    {"preferred owners come first, in their order", "UUUU", 1, {3, 2}, 0, 3},
    {"a preferred owner that is Down is skipped", "UUDU", 1, {3, 4}, 0, 4},
    {"a Paused preferred owner is skipped", "UUPU", 1, {3, 4}, 0, 4},
    {"a Joining preferred owner is skipped", "UUJU", 1, {3, 4}, 0, 4},
    {"an excluded preferred owner is skipped", "UUUU", 1, {3, 4}, 3, 4},
    {"a preferred owner that is no member is skipped", "UU-U", 1, {3, 4}, 0, 4},
    {"the leader may be a preferred owner", "UUU", 1, {1, 2}, 0, 1},
    {"no preferred owner Up: the first Up member but self", "UUDD", 1, {3, 4}, 0, 2},
    {"no preferred owners: the first Up member but self", "UUU", 1, {0}, 0, 2},
    {"self is passed over even as the lowest id", "UUU", 1, {0}, 0, 2},
    {"self in the middle is passed over too", "UUU", 2, {0}, 0, 1},
    {"Down members are passed over", "UDDU", 1, {0}, 0, 4},
    {"Paused and Joining members are passed over", "UPJU", 1, {0}, 0, 4},
    {"a member that stopped gracefully, still recorded Up, is passed over", "ULU", 1, {0}, 0, 3},
    {"so is such a preferred owner", "UUL", 1, {3, 2}, 0, 2},
    {"exclude is passed over among the members", "UUU", 1, {0}, 2, 3},
    {"self last, when no other member is Up", "UDD", 1, {0}, 0, 1},
    {"self last, also with every preferred owner Down", "UDD", 1, {2, 3}, 0, 1},
    {"never the excluded self", "UDD", 1, {0}, 1, 0},
    {"never the excluded self, even preferred", "UDD", 1, {1}, 1, 0},
    {"self Down and no other: nobody", "DDD", 1, {0}, 0, 0},
    {"self no member and no other: nobody", "-D", 1, {0}, 0, 0},
};

static void test_choose_owner(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(choose_cases); i++) {
        struct members_fixture f;
        uint64_t got;

        members_init(&f, choose_cases[i].nodes, choose_cases[i].self);
        got = rgm_choose_owner(&f.m, choose_cases[i].pref, pref_len(choose_cases[i].pref),
                               choose_cases[i].exclude);
        if (got != choose_cases[i].expect)
            fail_msg("%s: chose %llu, want %llu", choose_cases[i].why, (unsigned long long)got,
                     (unsigned long long)choose_cases[i].expect);
    }
}

/* Plans are compared whole: every field not listed must be zero. */
#define NOTHING {.action = RGM_PLAN_NOTHING}
#define REFUSED(code) {.action = RGM_PLAN_REFUSE, .status = (code)}
#define NO_HOST REFUSED(ERROR_HOST_NODE_NOT_AVAILABLE)
#define COMMIT(gs, node, rs, fl) \
    {.action = RGM_PLAN_COMMIT, .group_state = (gs), .owner = (node), .resource_state = (rs), \
     .flags = (fl)}
#define THERE(node, wait) {.action = RGM_PLAN_NOTHING, .owner = (node), .wait_state = (wait)}
#define MOVE(gs, node, rs, fl, wait) \
    {.action = RGM_PLAN_COMMIT, .group_state = (gs), .owner = (node), .resource_state = (rs), \
     .flags = (fl), .wait_state = (wait)}

static const char *plan_str(const struct rgm_group_plan *p, char *buf, size_t n)
{
    static const char *const actions[] = {"nothing", "refuse", "commit"};

    snprintf(buf, n, "%s(status %u, group %d, owner %llu, resources %d, flags %u, wait %d)",
             actions[p->action], p->status, p->group_state, (unsigned long long)p->owner,
             p->resource_state, p->flags, p->wait_state);
    return buf;
}

static void plan_expect(const char *why, const struct rgm_group_plan *got,
                        const struct rgm_group_plan *want)
{
    char a[160], b[160];

    if (got->action != want->action || got->status != want->status ||
        got->group_state != want->group_state || got->owner != want->owner ||
        got->resource_state != want->resource_state || got->flags != want->flags ||
        got->wait_state != want->wait_state)
        fail_msg("%s:\n  got  %s\n  want %s", why, plan_str(got, a, sizeof(a)),
                 plan_str(want, b, sizeof(b)));
}

/* A request about one group, on leader 1 of members "UUUD" (4 is Down, 9 is no member). */
struct request_case {
    const char *why;
    int32_t state;
    uint64_t owner;
    uint64_t pref[4];
    uint64_t node_id;
    struct rgm_group_plan expect;
};

static void run_requests(const struct request_case *cases, size_t n,
                         struct rgm_group_plan (*plan)(const struct rgm_members *,
                                                       const struct cdb_group *,
                                                       const uint64_t *, size_t, uint64_t))
{
    for (size_t i = 0; i < n; i++) {
        struct members_fixture f;
        struct cdb_group g = {.id = 1, .name = "g", .state = cases[i].state,
                              .owner = cases[i].owner};
        struct rgm_group_plan got;

        members_init(&f, "UUUD", 1);
        got = plan(&f.m, &g, cases[i].pref, pref_len(cases[i].pref), cases[i].node_id);
        plan_expect(cases[i].why, &got, &cases[i].expect);
    }
}

static const struct request_case online_cases[] = {
    {"an online group needs nothing", GON, 2, {0}, 0, NOTHING},
    {"an online group needs nothing, whatever node is named", GON, 2, {0}, 4, NOTHING},
    {"a named node that is Up gets it", GOFF, 0, {2}, 3, COMMIT(GPEND, 3, RONP, 0)},
    {"a named node wins over an Up owner", GOFF, 2, {0}, 3, COMMIT(GPEND, 3, RONP, 0)},
    {"a named node that is Down: refused", GOFF, 0, {0}, 4, NO_HOST},
    {"a named node that is no member: refused", GOFF, 0, {0}, 9, NO_HOST},
    {"an offline group keeps its Up owner", GOFF, 3, {2}, 0, COMMIT(GPEND, 3, RONP, 0)},
    {"a failed group keeps its Up owner", GFAIL, 3, {2}, 0, COMMIT(GPEND, 3, RONP, 0)},
    {"an owner that is Down: the preferred owner", GOFF, 4, {2}, 0, COMMIT(GPEND, 2, RONP, 0)},
    {"no owner: the preferred owner", GOFF, 0, {3}, 0, COMMIT(GPEND, 3, RONP, 0)},
    {"no owner, no preference: a node but the leader", GOFF, 0, {0}, 0,
     COMMIT(GPEND, 2, RONP, 0)},
};

static void test_plan_online(void **state)
{
    (void)state;
    run_requests(online_cases, N_OF(online_cases), rgm_plan_online);
}

static void test_plan_online_nowhere(void **state)
{
    struct members_fixture f;
    struct cdb_group g = {.id = 1, .name = "g", .state = GOFF, .owner = 2};
    struct rgm_group_plan got, want = NO_HOST;

    (void)state;
    members_init(&f, "DDD", 1);
    got = rgm_plan_online(&f.m, &g, NULL, 0, 0);
    plan_expect("no member Up: refused", &got, &want);
}

static const struct request_case move_cases[] = {
    {"to a named node that is Up: active resources handed over", GON, 2, {0}, 3,
     MOVE(GPEND, 3, RONP, ONLY | HAND, GON)},
    {"to a named node that is Down: refused", GON, 2, {0}, 4, NO_HOST},
    {"to a named node that is no member: refused", GON, 2, {0}, 9, NO_HOST},
    {"no node named: the best node but its owner", GON, 2, {2, 3}, 0,
     MOVE(GPEND, 3, RONP, ONLY | HAND, GON)},
    {"no node named, no preference: the first Up but owner and leader", GON, 3, {0}, 0,
     MOVE(GPEND, 2, RONP, ONLY | HAND, GON)},
    {"already there and online: nothing", GON, 3, {0}, 3, THERE(3, GON)},
    {"already there and offline: nothing", GOFF, 3, {0}, 3, THERE(3, GOFF)},
    {"already there but pending: committed again", GPEND, 3, {0}, 3,
     MOVE(GPEND, 3, RONP, ONLY | HAND, GON)},
    {"already there but failed: committed again", GFAIL, 3, {0}, 3,
     MOVE(GPEND, 3, RONP, ONLY | HAND, GON)},
    {"partially online: moved, waited for online", GPART, 2, {0}, 3,
     MOVE(GPEND, 3, RONP, ONLY | HAND, GON)},
    {"an offline group only changes owner", GOFF, 2, {0}, 3, MOVE(GOFF, 3, ROFF, 0, GOFF)},
    {"an offline group without owner gets one", GOFF, 0, {0}, 0, MOVE(GOFF, 2, ROFF, 0, GOFF)},
};

static void test_plan_move(void **state)
{
    (void)state;
    run_requests(move_cases, N_OF(move_cases), rgm_plan_move);
}

static void test_plan_move_nowhere(void **state)
{
    struct members_fixture f;
    struct cdb_group g = {.id = 1, .name = "g", .state = GON, .owner = 2};
    struct rgm_group_plan got, want = NO_HOST;

    (void)state;
    members_init(&f, "DUD", 1);
    got = rgm_plan_move(&f.m, &g, NULL, 0, 0);
    plan_expect("only its owner is Up: refused", &got, &want);
}

static const struct {
    const char *why;
    const char *nodes;
    uint64_t old_owner;
    uint64_t pref[4];
    struct rgm_group_plan expect;
} fail_over_cases[] = {
    {"the best node but the old owner", "UUU", 2, {2, 3}, COMMIT(GPEND, 3, RONP, ONLY)},
    {"no preference: the first Up but the leader", "UUUU", 3, {0}, COMMIT(GPEND, 2, RONP, ONLY)},
    {"the leader when nothing else is Up", "UDD", 2, {0}, COMMIT(GPEND, 1, RONP, ONLY)},
    {"no owner before: any node", "UUU", 0, {3}, COMMIT(GPEND, 3, RONP, ONLY)},
    {"nowhere to go: refused", "DUD", 2, {0}, NO_HOST},
};

static void test_plan_fail_over(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(fail_over_cases); i++) {
        struct members_fixture f;
        struct rgm_group_plan got;

        members_init(&f, fail_over_cases[i].nodes, 1);
        got = rgm_plan_fail_over(&f.m, fail_over_cases[i].old_owner, fail_over_cases[i].pref,
                                 pref_len(fail_over_cases[i].pref));
        plan_expect(fail_over_cases[i].why, &got, &fail_over_cases[i].expect);
    }
}

/* Offline requests on leader 1 of "UUUD". */
static const struct {
    const char *why;
    int32_t state;
    uint64_t owner;
    size_t n_res;
    bool force;
    struct rgm_group_plan expect;
} offline_cases[] = {
    {"an offline group needs nothing", GOFF, 2, 3, false, NOTHING},
    {"an offline group needs nothing, forced or not", GOFF, 2, 3, true, NOTHING},
    {"an online group: its owner takes the active resources offline", GON, 2, 3, false,
     COMMIT(GPEND, 2, ROFFP, ONLY)},
    {"a pending group: the same", GPEND, 3, 1, false, COMMIT(GPEND, 3, ROFFP, ONLY)},
    {"a failed group: the same", GFAIL, 2, 1, false, COMMIT(GPEND, 2, ROFFP, ONLY)},
    {"forced: recorded offline at once", GON, 2, 3, true, COMMIT(GOFF, 0, ROFF, 0)},
    {"no resources: recorded offline at once", GON, 2, 0, false, COMMIT(GOFF, 0, ROFF, 0)},
    {"no owner: recorded offline at once", GPEND, 0, 2, false, COMMIT(GOFF, 0, ROFF, 0)},
    {"owner Down: recorded offline at once", GON, 4, 2, false, COMMIT(GOFF, 0, ROFF, 0)},
    {"owner no member: recorded offline at once", GON, 9, 2, false, COMMIT(GOFF, 0, ROFF, 0)},
};

static void test_plan_offline(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(offline_cases); i++) {
        struct members_fixture f;
        struct cdb_group g = {.id = 1, .name = "g", .state = offline_cases[i].state,
                              .owner = offline_cases[i].owner};
        struct rgm_group_plan got;

        members_init(&f, "UUUD", 1);
        got = rgm_plan_offline(&f.m, &g, offline_cases[i].n_res, offline_cases[i].force);
        plan_expect(offline_cases[i].why, &got, &offline_cases[i].expect);
    }
}

static const struct {
    const char *why;
    struct rgm_group_plan plan;
    int32_t res_state;
    bool included;
    uint64_t owner;
} plan_resource_cases[] = {
    {"all resources: an offline one too", COMMIT(GPEND, 2, RONP, 0), ROFF, true, 2},
    {"only active: an offline one stays", COMMIT(GPEND, 2, RONP, ONLY | HAND), ROFF, false, 0},
    {"only active: an online one goes", COMMIT(GPEND, 2, RONP, ONLY | HAND), RON, true, 2},
    {"only active: a failed one goes", COMMIT(GPEND, 2, ROFFP, ONLY), RFAIL, true, 2},
    {"only active: a pending one goes", COMMIT(GPEND, 2, ROFFP, ONLY), RONP, true, 2},
    {"hand over alone: an offline one goes", COMMIT(GPEND, 3, RONP, HAND), ROFF, true, 3},
    {"recorded offline: no owner", COMMIT(GOFF, 0, ROFF, 0), RON, true, 0},
    {"offline with an owner kept: still none for resources", COMMIT(GOFF, 3, ROFF, 0), RON,
     true, 0},
};

static void test_plan_resource(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(plan_resource_cases); i++) {
        struct cdb_resource r = {.id = 1, .name = "r", .state = plan_resource_cases[i].res_state};
        uint64_t owner = 77;
        bool got = rgm_plan_resource(&plan_resource_cases[i].plan, &r, &owner);

        if (got != plan_resource_cases[i].included ||
            (got && owner != plan_resource_cases[i].owner) || (!got && owner != 77))
            fail_msg("%s: included %d owner %llu", plan_resource_cases[i].why, got,
                     (unsigned long long)owner);
    }
}

static const struct {
    const char *why;
    int32_t state;
    size_t n_res;
    bool with_resources;
    uint32_t expect;
} delete_cases[] = {
    {"an empty offline group", GOFF, 0, false, 0},
    {"an offline group with its resources", GOFF, 2, true, 0},
    {"an offline group with resources, not asked to", GOFF, 2, false, ERROR_DIR_NOT_EMPTY},
    {"one resource is enough to refuse", GOFF, 1, false, ERROR_DIR_NOT_EMPTY},
    {"an online group", GON, 0, true, ERROR_INVALID_STATE},
    {"a pending group", GPEND, 0, false, ERROR_INVALID_STATE},
    {"a failed group", GFAIL, 2, false, ERROR_INVALID_STATE},
    {"a partially online group", GPART, 1, true, ERROR_INVALID_STATE},
};

static void test_delete_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(delete_cases); i++) {
        struct cdb_group g = {.id = 1, .name = "g", .state = delete_cases[i].state};
        uint32_t got = rgm_delete_check(&g, delete_cases[i].n_res, delete_cases[i].with_resources);

        if (got != delete_cases[i].expect)
            fail_msg("%s: %u, want %u", delete_cases[i].why, got, delete_cases[i].expect);
    }
}

/* Node 1 stops. */
static const struct {
    const char *why;
    const char *nodes;
    int32_t state;
    uint64_t owner;
    uint64_t pref[4];
    uint64_t expect;
} drain_cases[] = {
    {"its online group goes to the first other Up node", "UUU", GON, 1, {0}, 2},
    {"its pending group too", "UUU", GPEND, 1, {0}, 2},
    {"its failed group too", "UUU", GFAIL, 1, {0}, 2},
    {"its partially online group too", "UUU", GPART, 1, {0}, 2},
    {"to a preferred owner first", "UUU", GON, 1, {3}, 3},
    {"never to itself, even preferred", "UUU", GON, 1, {1, 3}, 3},
    {"its offline group stays", "UUU", GOFF, 1, {0}, 0},
    {"another node's group stays", "UUU", GON, 2, {0}, 0},
    {"nowhere to go: it stays", "UDD", GON, 1, {2}, 0},
};

static void test_drain_target(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(drain_cases); i++) {
        struct members_fixture f;
        struct cdb_group g = {.id = 1, .name = "g", .state = drain_cases[i].state,
                              .owner = drain_cases[i].owner};
        uint64_t got;

        members_init(&f, drain_cases[i].nodes, 1);
        got = rgm_drain_target(&f.m, &g, drain_cases[i].pref, pref_len(drain_cases[i].pref));
        if (got != drain_cases[i].expect)
            fail_msg("%s: %llu, want %llu", drain_cases[i].why, (unsigned long long)got,
                     (unsigned long long)drain_cases[i].expect);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Group state                                                                                 */
/* ------------------------------------------------------------------------------------------ */

#define END INT32_MIN /* ends a list of resource states */

static size_t resources_init(struct cdb_resource *res, const int32_t *states)
{
    size_t n = 0;

    for (; states[n] != END; n++) {
        res[n] = (struct cdb_resource){.id = n + 1, .group_id = 1, .state = states[n]};
        snprintf(res[n].name, sizeof(res[n].name), "r%zu", n + 1);
    }
    return n;
}

static const struct {
    const char *why;
    int32_t res[5];
    int32_t expect;
} derive_cases[] = {
    {"no resources: online", {END}, GON},
    {"all online", {RON, RON, END}, GON},
    {"all offline", {ROFF, ROFF, END}, GOFF},
    {"online and offline only: partially online", {RON, ROFF, END}, GPART},
    {"one coming online: pending", {RON, RONP, END}, GPEND},
    {"one going offline: pending", {ROFF, ROFFP, END}, GPEND},
    {"a failed one fails the group", {RON, RFAIL, END}, GFAIL},
    {"a failed one wins over pending", {RONP, RFAIL, ROFF, END}, GFAIL},
    {"a single failed one", {RFAIL, END}, GFAIL},
};

static void test_group_state(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(derive_cases); i++) {
        struct cdb_resource res[5];
        size_t n = resources_init(res, derive_cases[i].res);
        int32_t got = rgm_group_state(res, n, NULL);

        if (got != derive_cases[i].expect)
            fail_msg("%s: %d, want %d", derive_cases[i].why, got, derive_cases[i].expect);
    }
}

#define SILENT INT32_MIN /* no report */

/* Node 1 looks at a group. */
static const struct {
    const char *why;
    uint64_t owner;
    int32_t state;
    int32_t res[4];
    int32_t expect;
} report_cases[] = {
    {"another node's group: not ours to say", 2, GPEND, {RON, END}, SILENT},
    {"pending, all online: online", 1, GPEND, {RON, RON, END}, GON},
    {"pending, all offline: offline", 1, GPEND, {ROFF, END}, GOFF},
    {"pending, some of each: partially online", 1, GPEND, {RON, ROFF, END}, GPART},
    {"pending, one failed: failed", 1, GPEND, {RON, RFAIL, END}, GFAIL},
    {"pending, still moving: wait", 1, GPEND, {RON, RONP, END}, SILENT},
    {"pending, no resources: online", 1, GPEND, {END}, GON},
    {"online, one failed for good: failed", 1, GON, {RON, RFAIL, END}, GFAIL},
    {"online, one restarting: still online", 1, GON, {RON, RONP, END}, SILENT},
    {"online, one taken offline: partially online", 1, GON, {RON, ROFF, END}, GPART},
    {"online, all online: nothing new", 1, GON, {RON, END}, SILENT},
    {"offline: not recorded here", 1, GOFF, {RON, END}, SILENT},
    {"failed: not recorded again", 1, GFAIL, {ROFF, END}, SILENT},
    {"failed, still failed: nothing new", 1, GFAIL, {RON, RFAIL, END}, SILENT},
    {"failed, back on a retry: online", 1, GFAIL, {RON, RON, END}, GON},
    {"failed, one back on a retry: partially online", 1, GFAIL, {RON, ROFF, END}, GPART},
    {"partially online, one fails: failed", 1, GPART, {RFAIL, END}, GFAIL},
    {"partially online, all online again: online", 1, GPART, {RON, RON, END}, GON},
    {"partially online, unchanged: nothing", 1, GPART, {RON, ROFF, END}, SILENT},
};

static void test_group_report(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(report_cases); i++) {
        struct cdb_group g = {.id = 1, .name = "g", .state = report_cases[i].state,
                              .owner = report_cases[i].owner};
        struct cdb_resource res[4];
        size_t n = resources_init(res, report_cases[i].res);
        int32_t got = SILENT;

        if (!rgm_group_report(&g, 1, res, n, NULL, &got))
            assert_int_equal(got, SILENT); /* untouched */
        if (got != report_cases[i].expect)
            fail_msg("%s: %d, want %d", report_cases[i].why, got, report_cases[i].expect);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Reconcile                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* A record of this node, from words: online busy reporting priv failed fromN (waits for node N
 * to let go of it) delayN (restarts at N) retryN (retried at N). */
static struct rgm_held held_parse(const char *name, const char *words)
{
    struct rgm_held h = {.name = name};

    h.online = strstr(words, "online") != NULL;
    h.busy = strstr(words, "busy") != NULL;
    h.reporting = strstr(words, "reporting") != NULL;
    h.driver_state = strstr(words, "priv") != NULL;
    h.last_rv = strstr(words, "failed") != NULL ? -EIO : 0;
    if (strstr(words, "from") != NULL)
        h.handoff_from = strtoull(strstr(words, "from") + 4, NULL, 10);
    if (strstr(words, "delay") != NULL)
        h.not_before = strtoull(strstr(words, "delay") + 5, NULL, 10);
    if (strstr(words, "retry") != NULL)
        h.retry_at = strtoull(strstr(words, "retry") + 5, NULL, 10);
    return h;
}

/*
 * The world of a step: members "UUD" (3 is Down); resources ip ← app ← web (app depends on ip,
 * web on app), app the one decided about; this node keeps a record of app (held), and of ip as
 * ip_held says, or (ip_held NULL) a record of it running here when ip is Online.
 */
struct step_case {
    const char *why;
    uint64_t owner, handoff; /* app's */
    int32_t state;           /* app's */
    const char *held;        /* NULL: no record */
    bool lease;
    int32_t ip, web;
    enum rgm_step expect;
    const char *ip_held; /* this node's record of ip ("-": none); NULL: as ip's state says */
};

#define LEASE true
#define NOLEASE false
#define STEP_NOW 1000 /* the view's clock */

static void run_steps(const struct step_case *cases, size_t n, uint64_t self)
{
    for (size_t i = 0; i < n; i++) {
        const struct step_case *c = &cases[i];
        struct members_fixture f;
        struct cdb_resource res[3] = {
            {.id = 1, .name = "ip", .group_id = 1, .state = c->ip, .owner = self},
            {.id = 2, .name = "app", .group_id = 1, .state = c->state, .owner = c->owner,
             .handoff = c->handoff},
            {.id = 3, .name = "web", .group_id = 1, .state = c->web, .owner = self},
        };
        static const struct rgm_dependency deps[] = {{"app", "ip", 0}, {"web", "app", 0}};
        struct rgm_held held[2];
        size_t n_held = 0;
        struct rgm_view v;
        enum rgm_step got;

        if (c->held != NULL)
            held[n_held++] = held_parse("app", c->held);
        if (c->ip_held != NULL && strcmp(c->ip_held, "-") != 0)
            held[n_held++] = held_parse("ip", c->ip_held);
        else if (c->ip_held == NULL && c->ip == RON)
            held[n_held++] = held_parse("ip", "online");
        members_init(&f, "UUD", self);
        v = (struct rgm_view){.members = f.m, .resources = res, .n_resources = 3, .deps = deps,
                              .n_deps = N_OF(deps), .held = held, .n_held = n_held,
                              .may_start = c->lease, .now = STEP_NOW};
        got = rgm_reconcile_step(&v, &res[1]);
        if (got != c->expect)
            fail_msg("%s: %s, want %s", c->why, rgm_step_name(got), rgm_step_name(c->expect));
    }
}

static const struct step_case step_cases[] = {
    /* why                                        owner hoff state held  lease    ip   web */
    {"a driver call runs: wait", 1, 0, RONP, "busy", LEASE, RON, ROFF, RGM_STEP_IN_FLIGHT, NULL},
    {"a report runs: wait", 1, 0, RONP, "reporting", LEASE, RON, ROFF, RGM_STEP_IN_FLIGHT, NULL},
    {"busy comes before taking offline", 1, 0, ROFFP, "online busy", LEASE, RON, ROFF,
     RGM_STEP_IN_FLIGHT, NULL},
    {"busy comes before a move away", 2, 0, RON, "online busy", LEASE, RON, ROFF,
     RGM_STEP_IN_FLIGHT, NULL},
    /* bring online, and its gates in order */
    {"ours, pending: start", 1, 0, RONP, NULL, LEASE, RON, ROFF, RGM_STEP_START, NULL},
    {"ours, online in the database, not here: start", 1, 0, RON, NULL, LEASE, RON, ROFF,
     RGM_STEP_START, NULL},
    {"the holder has not let go: wait for it", 1, 2, RONP, NULL, LEASE, RON, ROFF,
     RGM_STEP_AWAIT_HANDOFF, NULL},
    {"the same for an online one", 1, 2, RON, "from2", LEASE, RON, ROFF,
     RGM_STEP_AWAIT_HANDOFF, NULL},
    {"a handoff is noted even without a lease", 1, 3, RONP, NULL, NOLEASE, ROFF, ROFF,
     RGM_STEP_AWAIT_HANDOFF, NULL},
    {"no lease: wait", 1, 0, RONP, NULL, NOLEASE, RON, ROFF, RGM_STEP_AWAIT_LEASE, NULL},
    {"no lease comes before providers", 1, 0, RONP, NULL, NOLEASE, ROFF, ROFF,
     RGM_STEP_AWAIT_LEASE, NULL},
    {"no lease, online one: wait too", 1, 0, RON, "failed", NOLEASE, RON, ROFF,
     RGM_STEP_AWAIT_LEASE, NULL},
    {"pending, provider offline: wait", 1, 0, RONP, NULL, LEASE, ROFF, ROFF,
     RGM_STEP_AWAIT_PROVIDERS, NULL},
    {"pending, provider coming online: wait", 1, 0, RONP, NULL, LEASE, RONP, ROFF,
     RGM_STEP_AWAIT_PROVIDERS, NULL},
    {"providers gate a new request even after a failure", 1, 0, RONP, "failed", LEASE, ROFF,
     ROFF, RGM_STEP_AWAIT_PROVIDERS, NULL},
    {"a restart in place waits for its providers too", 1, 0, RON, NULL, LEASE, ROFF, ROFF,
     RGM_STEP_AWAIT_PROVIDERS, NULL},
    {"its provider online in the database, nothing of it here: wait", 1, 0, RONP, NULL, LEASE,
     RON, ROFF, RGM_STEP_AWAIT_PROVIDERS, "-"},
    {"its provider restarting here: a restart waits", 1, 0, RON, "delay10", LEASE, RON, ROFF,
     RGM_STEP_AWAIT_PROVIDERS, "delay5000"},
    {"its provider starting here: wait", 1, 0, RONP, NULL, LEASE, RON, ROFF,
     RGM_STEP_AWAIT_PROVIDERS, "busy"},
    {"its provider online here, a check runs: start", 1, 0, RONP, NULL, LEASE, RONP, ROFF,
     RGM_STEP_START, "online busy"},
    {"failed here and recorded: wait for a request", 1, 0, RON, "failed", LEASE, RON, ROFF,
     RGM_STEP_AWAIT_REQUEST, NULL},
    {"failed here, a new request: start", 1, 0, RONP, "failed", LEASE, RON, ROFF,
     RGM_STEP_START, NULL},
    {"handed over by a member still Up: nothing to probe", 1, 0, RONP, "from2", LEASE, RON,
     ROFF, RGM_STEP_START_HANDED_OVER, NULL},
    {"released for a member now Down: the driver probes", 1, 0, RONP, "from3", LEASE, RON,
     ROFF, RGM_STEP_START, NULL},
    {"lease-dropped record without handoff: start", 1, 0, RON, "priv", LEASE, RON, ROFF,
     RGM_STEP_START, NULL},
    /* online here */
    {"handed back while still running here: record online", 1, 0, RONP, "online", LEASE, ROFF,
     ROFF, RGM_STEP_REPORT_ONLINE, NULL},
    {"online here and recorded: nothing", 1, 0, RON, "online", LEASE, RON, RON, RGM_STEP_NONE, NULL},
    {"its provider went down here: step down", 1, 0, RON, "online", LEASE, RON, RON,
     RGM_STEP_STEP_DOWN, "delay5000"},
    {"its provider went down with the lease: step down", 1, 0, RON, "online", NOLEASE, RON, ROFF,
     RGM_STEP_STEP_DOWN, "priv"},
    {"its provider online here, a check runs: nothing", 1, 0, RON, "online", LEASE, RON, RON,
     RGM_STEP_NONE, "online busy"},
    {"stepping down: wait", 1, 0, RON, "online busy", LEASE, RON, RON, RGM_STEP_IN_FLIGHT,
     "delay5000"},
    /* take offline */
    {"a dependent still online: wait", 1, 0, ROFFP, "online", LEASE, RON, RON,
     RGM_STEP_AWAIT_DEPENDENTS, NULL},
    {"a dependent going offline: wait", 1, 0, ROFFP, "online", LEASE, RON, ROFFP,
     RGM_STEP_AWAIT_DEPENDENTS, NULL},
    {"a dependent coming online: wait", 1, 0, ROFFP, NULL, LEASE, RON, RONP,
     RGM_STEP_AWAIT_DEPENDENTS, NULL},
    {"dependents offline, running here: stop and record", 1, 0, ROFFP, "online", LEASE, RON,
     ROFF, RGM_STEP_STOP_REPORT, NULL},
    {"a failed dependent counts as offline", 1, 0, ROFFP, "online", LEASE, RON, RFAIL,
     RGM_STEP_STOP_REPORT, NULL},
    {"driver state left by the lease: stop and record", 1, 0, ROFFP, "priv", NOLEASE, RON, ROFF,
     RGM_STEP_STOP_REPORT, NULL},
    {"nothing runs here: record offline", 1, 0, ROFFP, NULL, LEASE, RON, ROFF,
     RGM_STEP_REPORT_OFFLINE, NULL},
    {"an idle record: record offline", 1, 0, ROFFP, "failed", LEASE, RON, ROFF,
     RGM_STEP_REPORT_OFFLINE, NULL},
    /* stopped or moved while running here */
    {"moved to another node: stop quietly", 2, 0, RONP, "online", LEASE, RON, ROFF,
     RGM_STEP_STOP_QUIET, NULL},
    {"lost its owner: stop quietly", 0, 0, ROFF, "online", LEASE, RON, ROFF,
     RGM_STEP_STOP_QUIET, NULL},
    {"moved away while handing over: stop first", 2, 1, RONP, "online", LEASE, RON, ROFF,
     RGM_STEP_STOP_QUIET, NULL},
    {"recorded offline, still running: stop and record", 1, 0, ROFF, "online", LEASE, RON, ROFF,
     RGM_STEP_STOP_REPORT, NULL},
    {"recorded failed, still running: stop and record", 1, 0, RFAIL, "online", LEASE, RON, ROFF,
     RGM_STEP_STOP_REPORT, NULL},
    /* not ours, not running */
    {"handing over, let go: release", 2, 1, RONP, NULL, LEASE, RON, ROFF, RGM_STEP_RELEASE, NULL},
    {"handing over with a record: release", 2, 1, RONP, "priv", LEASE, RON, ROFF,
     RGM_STEP_RELEASE, NULL},
    {"waited for a handover that went elsewhere: forget", 2, 0, RONP, "from3", LEASE, RON, ROFF,
     RGM_STEP_FORGET, NULL},
    {"another node's, no record: nothing", 2, 0, RON, NULL, LEASE, RON, ROFF, RGM_STEP_NONE, NULL},
    {"another node hands it over to a third: nothing here", 2, 3, RONP, NULL, LEASE, RON, ROFF,
     RGM_STEP_NONE, NULL},
    {"the same, with a record from waiting for it: forget", 2, 3, RONP, "from3", LEASE, RON,
     ROFF, RGM_STEP_FORGET, NULL},
    {"ours, offline, no record: nothing", 1, 0, ROFF, NULL, LEASE, RON, ROFF, RGM_STEP_NONE, NULL},
    {"ours, failed, not running: nothing", 1, 0, RFAIL, "failed", LEASE, RON, ROFF,
     RGM_STEP_NONE, NULL},
    /* RestartDelay and RetryPeriodOnFailure */
    {"a restart waits for its delay", 1, 0, RON, "delay1001", LEASE, RON, ROFF,
     RGM_STEP_AWAIT_DELAY, NULL},
    {"the delay is over: start", 1, 0, RON, "delay1000", LEASE, RON, ROFF, RGM_STEP_START, NULL},
    {"the lease comes before the delay", 1, 0, RON, "delay5000", NOLEASE, RON, ROFF,
     RGM_STEP_AWAIT_LEASE, NULL},
    {"failed, its retry is due: start", 1, 0, RFAIL, "failed retry1000", LEASE, RON, ROFF,
     RGM_STEP_START, NULL},
    {"failed, its retry not yet: nothing", 1, 0, RFAIL, "failed retry1001", LEASE, RON, ROFF,
     RGM_STEP_NONE, NULL},
    {"failed, retry due but its provider is offline: wait", 1, 0, RFAIL, "failed retry10",
     LEASE, ROFF, ROFF, RGM_STEP_AWAIT_PROVIDERS, NULL},
    {"failed, retry due without a lease: wait", 1, 0, RFAIL, "failed retry10", NOLEASE, RON,
     ROFF, RGM_STEP_AWAIT_LEASE, NULL},
    {"failed on another node's record: no retry here", 2, 0, RFAIL, "failed retry10", LEASE,
     RON, ROFF, RGM_STEP_FORGET, NULL},
};

static void test_reconcile_step(void **state)
{
    (void)state;
    run_steps(step_cases, N_OF(step_cases), 1);
}

/* A move of app from node 1 to node 2 as each sees it, one database state after another. */
static const struct step_case move_old_holder[] = {
    {"the move is committed: stop it here", 2, 1, RONP, "online", LEASE, RON, ROFF,
     RGM_STEP_STOP_QUIET, NULL},
    {"stopping", 2, 1, RONP, "busy", LEASE, RON, ROFF, RGM_STEP_IN_FLIGHT, NULL},
    {"stopped: let go", 2, 1, RONP, "", LEASE, RON, ROFF, RGM_STEP_RELEASE, NULL},
    {"releasing", 2, 1, RONP, "reporting", LEASE, RON, ROFF, RGM_STEP_IN_FLIGHT, NULL},
    {"released: the record goes", 2, 0, RONP, "", LEASE, RON, ROFF, RGM_STEP_FORGET, NULL},
};
static const struct step_case move_new_owner[] = {
    {"the move is committed: wait for node 1", 2, 1, RONP, NULL, LEASE, RON, ROFF,
     RGM_STEP_AWAIT_HANDOFF, NULL},
    {"node 1 let go a moment ago: start without a probe", 2, 0, RONP, "from1", LEASE, RON, ROFF,
     RGM_STEP_START_HANDED_OVER, NULL},
    {"starting", 2, 0, RONP, "busy", LEASE, RON, ROFF, RGM_STEP_IN_FLIGHT, NULL},
    {"recording online", 2, 0, RONP, "online reporting", LEASE, RON, ROFF, RGM_STEP_IN_FLIGHT, NULL},
    {"online and recorded: nothing", 2, 0, RON, "online", LEASE, RON, ROFF, RGM_STEP_NONE, NULL},
};

static void test_reconcile_move_story(void **state)
{
    (void)state;
    run_steps(move_old_holder, N_OF(move_old_holder), 1);
    run_steps(move_new_owner, N_OF(move_new_owner), 2);
}

/* Providers of "app": ip and ip2 as the case lists them (alternatives); ip's own provider x
 * (offline) is no provider of app. */
static const struct {
    const char *why;
    size_t n_providers;     /* 0: none, 1: ip, 2: ip and ip2 */
    int32_t ip, ip2;        /* their states in the database */
    const char *ip_held;    /* this node's record of ip; NULL for none */
    bool expect;
    uint64_t ip_owner;      /* ip's owner in the database (this node is 1) */
} ready_cases[] = {
    {"no providers: ready", 0, ROFF, ROFF, NULL, true, 0},
    {"the provider online in the database: ready", 1, RON, ROFF, NULL, true, 0},
    {"the provider offline: not ready", 1, ROFF, ROFF, NULL, false, 0},
    {"the provider coming online: not ready", 1, RONP, ROFF, NULL, false, 0},
    {"the provider failed: not ready", 1, RFAIL, ROFF, NULL, false, 0},
    {"online here before the database knows: ready", 1, RONP, ROFF, "online", true, 0},
    {"online here but a call runs: not ready", 1, RONP, ROFF, "online busy", false, 0},
    {"a call runs here, online in the database: ready", 1, RON, ROFF, "online busy", true, 0},
    {"a record that is not online: not ready", 1, RONP, ROFF, "reporting", false, 0},
    {"alternatives: the second one online is enough", 2, ROFF, RON, NULL, true, 0},
    {"alternatives: the first one online here is enough", 2, ROFF, ROFF, "online", true, 0},
    {"alternatives: none online, not ready", 2, ROFF, RONP, NULL, false, 0},
    /* ip is this node's: only what runs here counts */
    {"ours, running here: ready", 1, RON, ROFF, "online", true, 1},
    {"ours, running here, a check runs: ready", 1, RON, ROFF, "online busy", true, 1},
    {"ours, running here before the database knows: ready", 1, RONP, ROFF, "online", true, 1},
    {"ours, online in the database, nothing here: not ready", 1, RON, ROFF, NULL, false, 1},
    {"ours, restarting here: not ready", 1, RON, ROFF, "delay5000", false, 1},
    {"ours, starting here: not ready", 1, RON, ROFF, "busy", false, 1},
    {"ours restarting, the alternative online: ready", 2, RON, RON, "delay5000", true, 1},
};

/* Witnesses are always barred; quarantined nodes while an Up node that is neither, nor the one a
 * group leaves, may host. */
static void test_always_barred(void **state)
{
    struct members_fixture f;
    uint64_t out[8];
    const int64_t now = 1000;

    (void)state;
    members_init(&f, "UUU", 1);
    assert_int_equal(rgm_always_barred(f.nodes, 3, now, 0, out), 0);
    f.nodes[2].witness = true;
    f.nodes[1].quarantine.until_ms = now + 1;
    assert_int_equal(rgm_always_barred(f.nodes, 3, now, 0, out), 2);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 3);
    assert_int_equal(rgm_always_barred(f.nodes, 3, now + 1, 0, out), 1); /* it has ended */
    /* a group leaving node 1 (evict, drain): node 2 is the last resort */
    assert_int_equal(rgm_always_barred(f.nodes, 3, now, 1, out), 1);
    assert_int_equal(out[0], 3);
    f.nodes[0].state = ClusterNodeDown; /* node 2 is the last resort: not barred */
    assert_int_equal(rgm_always_barred(f.nodes, 3, now, 0, out), 1);
    assert_int_equal(out[0], 3);
}

static void test_providers_ready(void **state)
{
    static const struct rgm_dependency deps[] = {
        {"ip", "x", 0}, {"app", "ip", 0}, {"APP", "IP2", 0}};

    (void)state;
    for (size_t i = 0; i < N_OF(ready_cases); i++) {
        struct members_fixture f;
        struct cdb_resource res[] = {
            {.id = 1, .name = "ip", .state = ready_cases[i].ip, .owner = ready_cases[i].ip_owner},
            {.id = 2, .name = "ip2", .state = ready_cases[i].ip2},
            {.id = 3, .name = "app", .state = RONP},
            {.id = 4, .name = "x", .state = ROFF},
        };
        struct rgm_held held = ready_cases[i].ip_held ? held_parse("IP", ready_cases[i].ip_held)
                                                      : (struct rgm_held){0};
        struct rgm_view v;
        bool got;

        members_init(&f, "UU", 1);
        v = (struct rgm_view){.members = f.m, .resources = res, .n_resources = N_OF(res),
                              .deps = deps, .n_deps = 1 + ready_cases[i].n_providers,
                              .held = &held, .n_held = ready_cases[i].ip_held != NULL};
        got = rgm_providers_ready(&v, "app");
        if (got != ready_cases[i].expect)
            fail_msg("%s: %d", ready_cases[i].why, got);
    }
}

/* Dependents of "ip": app (and web, when listed); x, which ip depends on, is none. */
static const struct {
    const char *why;
    size_t n_dependents;
    int32_t app, web;
    bool expect;
} dependents_cases[] = {
    {"no dependents", 0, RON, RON, true},
    {"the dependent offline", 1, ROFF, RON, true},
    {"the dependent failed", 1, RFAIL, RON, true},
    {"the dependent online", 1, RON, ROFF, false},
    {"the dependent coming online", 1, RONP, ROFF, false},
    {"the dependent going offline", 1, ROFFP, ROFF, false},
    {"one of two still online", 2, ROFF, RON, false},
    {"both offline or failed", 2, RFAIL, ROFF, true},
};

static void test_dependents_offline(void **state)
{
    static const struct rgm_dependency deps[] = {
        {"ip", "x", 0}, {"App", "IP", 0}, {"web", "ip", 0}};

    (void)state;
    for (size_t i = 0; i < N_OF(dependents_cases); i++) {
        struct members_fixture f;
        struct cdb_resource res[] = {
            {.id = 1, .name = "ip", .state = RON},
            {.id = 2, .name = "app", .state = dependents_cases[i].app},
            {.id = 3, .name = "web", .state = dependents_cases[i].web},
            {.id = 4, .name = "x", .state = RON},
        };
        struct rgm_view v;
        bool got;

        members_init(&f, "UU", 1);
        v = (struct rgm_view){.members = f.m, .resources = res, .n_resources = N_OF(res),
                              .deps = deps, .n_deps = 1 + dependents_cases[i].n_dependents};
        got = rgm_dependents_offline(&v, "ip");
        if (got != dependents_cases[i].expect)
            fail_msg("%s: %d", dependents_cases[i].why, got);
    }
}

static void test_held_orphaned(void **state)
{
    static const struct {
        const char *why;
        const char *name;
        const char *held;
        bool expect;
    } cases[] = {
        {"gone from the database, online and idle: stop", "old", "online", true},
        {"gone, a call runs: wait", "old", "online busy", false},
        {"gone, not online: nothing to stop", "old", "priv", false},
        {"still in the database: not an orphan", "APP", "online", false},
    };
    struct cdb_resource res[] = {{.id = 1, .name = "app", .state = RON}};

    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct members_fixture f;
        struct rgm_held held = held_parse(cases[i].name, cases[i].held);
        struct rgm_view v;

        members_init(&f, "U", 1);
        v = (struct rgm_view){.members = f.m, .resources = res, .n_resources = 1, .held = &held,
                              .n_held = 1};
        if (rgm_held_orphaned(&v, &held) != cases[i].expect)
            fail_msg("%s", cases[i].why);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Possible owners                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void test_possible_owners(void **state)
{
    static const uint64_t barred_3[] = {3}, barred_23[] = {2, 3}, barred_all[] = {1, 2, 3};
    static const uint64_t pref[] = {3, 2};
    struct cdb_group off = {.id = 1, .name = "g", .state = GOFF, .owner = 3};
    struct cdb_group on = {.id = 1, .name = "g", .state = GON, .owner = 2};
    struct members_fixture f;
    struct rgm_group_plan got, want;

    (void)state;
    members_init(&f, "UUU", 1);
    f.m.barred = barred_3;
    f.m.n_barred = 1;
    assert_false(rgm_node_may_host(&f.m, 3));
    assert_true(rgm_node_may_host(&f.m, 2));
    assert_int_equal(rgm_choose_owner(&f.m, pref, 2, 0), 2); /* preferred 3 is barred */
    /* an offline group's owner that is barred is not kept */
    got = rgm_plan_online(&f.m, &off, pref, 2, 0);
    want = (struct rgm_group_plan)COMMIT(GPEND, 2, RONP, 0);
    plan_expect("online: a barred owner is passed over", &got, &want);
    got = rgm_plan_online(&f.m, &off, pref, 2, 3);
    want = (struct rgm_group_plan)NO_HOST;
    plan_expect("online on a barred node: refused", &got, &want);
    got = rgm_plan_move(&f.m, &on, pref, 2, 3);
    plan_expect("move to a barred node: refused", &got, &want);
    got = rgm_plan_move(&f.m, &on, pref, 2, 0);
    assert_int_equal(got.action, RGM_PLAN_COMMIT);
    assert_int_equal(got.owner, 1); /* neither 3 (barred) nor 2 (its owner) */
    got = rgm_plan_fail_over(&f.m, 2, pref, 2);
    assert_int_equal(got.owner, 1);
    f.m.barred = barred_23;
    f.m.n_barred = 2;
    got = rgm_plan_fail_over(&f.m, 1, pref, 2);
    want = (struct rgm_group_plan)NO_HOST;
    plan_expect("fail over with every other node barred: refused", &got, &want);
    on.owner = 1;
    assert_int_equal(rgm_drain_target(&f.m, &on, pref, 2), 0);
    f.m.barred = barred_all;
    f.m.n_barred = 3;
    got = rgm_plan_online(&f.m, &off, NULL, 0, 0);
    plan_expect("no possible owner at all: refused", &got, &want);
}

/* ------------------------------------------------------------------------------------------ */
/* Group state with failures that keep the group                                               */
/* ------------------------------------------------------------------------------------------ */

static void test_group_state_keeps(void **state)
{
    struct cdb_resource res[3];
    static const int32_t states[] = {RON, RFAIL, ROFF, END};
    size_t n = resources_init(res, states);
    bool keeps[3] = {false, true, false};
    struct cdb_group g = {.id = 1, .name = "g", .state = GON, .owner = 1};
    int32_t got = SILENT;

    (void)state;
    assert_int_equal(rgm_group_state(res, n, NULL), GFAIL);
    assert_int_equal(rgm_group_state(res, n, keeps), GPART);
    res[0].state = ROFF;
    assert_int_equal(rgm_group_state(res, n, keeps), GOFF);
    keeps[1] = false;
    assert_int_equal(rgm_group_state(res, n, keeps), GFAIL);
    res[0].state = RON;
    keeps[1] = true;
    assert_true(rgm_group_report(&g, 1, res, n, keeps, &got));
    assert_int_equal(got, GPART); /* failed without failing the group: it stays, partly */
}

static void test_step_names(void **state)
{
    (void)state;
    for (int s = RGM_STEP_NONE; s <= RGM_STEP_FORGET; s++)
        assert_string_not_equal(rgm_step_name((enum rgm_step)s), "?");
    assert_string_equal(rgm_step_name((enum rgm_step)(RGM_STEP_FORGET + 1)), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose_owner),
        cmocka_unit_test(test_plan_online),
        cmocka_unit_test(test_plan_online_nowhere),
        cmocka_unit_test(test_plan_move),
        cmocka_unit_test(test_plan_move_nowhere),
        cmocka_unit_test(test_plan_fail_over),
        cmocka_unit_test(test_plan_offline),
        cmocka_unit_test(test_plan_resource),
        cmocka_unit_test(test_delete_check),
        cmocka_unit_test(test_drain_target),
        cmocka_unit_test(test_group_state),
        cmocka_unit_test(test_group_report),
        cmocka_unit_test(test_reconcile_step),
        cmocka_unit_test(test_reconcile_move_story),
        cmocka_unit_test(test_providers_ready),
        cmocka_unit_test(test_always_barred),
        cmocka_unit_test(test_dependents_offline),
        cmocka_unit_test(test_held_orphaned),
        cmocka_unit_test(test_possible_owners),
        cmocka_unit_test(test_group_state_keeps),
        cmocka_unit_test(test_step_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
