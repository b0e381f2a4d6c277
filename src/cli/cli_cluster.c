/*
 * cli_cluster — see cli_cluster.h. Reads through OpenCluster, GetClusterInformation,
 * ClusterOpenEnum/ClusterEnum and the Get*State calls.
 */
#include "cli/cli_cluster.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <clusapi_ext.h>

#include "cli/cli_format.h"
#include "common/utf16.h"

#define NAME_UNITS 256 /* first guess for a name buffer, in WCHARs */

/* ------------------------------------------------------------------------------------------ */
/* Output and failures                                                                         */
/* ------------------------------------------------------------------------------------------ */

int cli_flush_out(const struct cli_buf *b)
{
    if (b->len > 0 && fwrite(cli_buf_str(b), 1, b->len, stdout) != b->len)
        return -EIO;
    return fflush(stdout) == 0 ? 0 : -EIO;
}

int cli_fail(const struct cli_args *a, const char *what, uint32_t status, const char *detail)
{
    struct cli_buf b = {0};

    if (cli_format_error(&b, what, status, detail) == 0)
        fprintf(stderr, "clusctl: %s\n", cli_buf_str(&b));
    else
        fprintf(stderr, "clusctl: %s: error %u\n", what, (unsigned)status);
    if (a->json) {
        cli_buf_reset(&b);
        if (cli_buf_puts(&b, "{\"ok\":false,") == 0 &&
            cli_format_json_status(&b, status, detail) == 0 && cli_buf_puts(&b, "}\n") == 0)
            cli_flush_out(&b);
    }
    cli_buf_done(&b);
    return cli_exit_for_status(status);
}

uint32_t cli_last_failure(char *detail, uint32_t fallback)
{
    uint32_t status = GetLastError();

    snprintf(detail, CLI_DETAIL_SIZE, "%s", ClusapiLastErrorText());
    return status != 0 ? status : fallback;
}

uint32_t cli_take_reason(uint32_t status, char *detail)
{
    if (status != 0)
        snprintf(detail, CLI_DETAIL_SIZE, "%s", ClusapiLastErrorText());
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Strings out of the API                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* A caller-owned WCHAR buffer that grows to what the API asks for. */
struct wbuf {
    WCHAR *p;
    DWORD cap; /* in WCHARs, NUL included */
};

/* Makes room for a string of len WCHARs plus its NUL. 0 or -ENOMEM. */
static int wbuf_fit(struct wbuf *w, DWORD len)
{
    WCHAR *p;

    if (w->cap > len)
        return 0;
    p = realloc(w->p, ((size_t)len + 1) * sizeof(WCHAR));
    if (p == NULL)
        return -ENOMEM;
    w->p = p;
    w->cap = len + 1;
    return 0;
}

/* An empty string gives NULL: "no owner" shows as "-" or null. */
static char *utf8_or_null(const struct wbuf *w)
{
    char *s = NULL;

    if (w->p != NULL && w->p[0] != 0)
        cli_utf16_to_utf8_lossy((const char16_t *)w->p, w->cap, &s);
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* The cluster                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* OpenCluster on -c's target, or on the local node: 0, or a Win32 status + detail. */
static uint32_t open_target(const struct cli_args *a, HCLUSTER *ret, char *detail)
{
    char16_t *target = NULL;
    HCLUSTER h;

    if (a->cluster != NULL && utf8_to_utf16(a->cluster, &target) < 0)
        return ERROR_NOT_ENOUGH_MEMORY; /* the parser checked that it is UTF-8 */
    h = OpenCluster(target);
    free(target);
    if (h == NULL)
        return cli_last_failure(detail, ERROR_CLUSTER_NODE_UNREACHABLE);
    *ret = h;
    return 0;
}

int cli_open_cluster(const struct cli_args *a, HCLUSTER *ret)
{
    char detail[CLI_DETAIL_SIZE] = "", what[300];
    uint32_t status = open_target(a, ret, detail);

    if (status == 0)
        return CLI_EXIT_OK;
    snprintf(what, sizeof(what), "cannot open the cluster at %s",
             a->cluster ? a->cluster : "the local node");
    return cli_fail(a, what, status, detail);
}

uint32_t cli_cluster_name(HCLUSTER h, char **ret, char *detail)
{
    struct wbuf w = {0};
    uint32_t status = ERROR_MORE_DATA;
    DWORD cch = NAME_UNITS;

    /* A second ERROR_MORE_DATA means the name changed in between: ask again. */
    for (int tries = 0; tries < 3 && status == ERROR_MORE_DATA; tries++) {
        if (wbuf_fit(&w, cch) < 0) {
            status = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch = w.cap;
        status = GetClusterInformation(h, w.p, &cch, NULL);
    }
    if (status == 0 && cli_utf16_to_utf8_lossy((const char16_t *)w.p, w.cap, ret) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    free(w.p);
    return cli_take_reason(status, detail);
}

uint32_t cli_count_nodes(HCLUSTER h, uint32_t *ret, char *detail)
{
    HCLUSENUM e = ClusterOpenEnum(h, CLUSTER_ENUM_NODE);

    if (e == NULL)
        return cli_last_failure(detail, ERROR_INTERNAL_ERROR);
    *ret = ClusterGetEnumCount(e);
    ClusterCloseEnum(e);
    return 0;
}

bool cli_read_stale(HCLUSTER h, char *node, size_t n)
{
    WCHAR wnode[64];
    DWORD cch = sizeof(wnode) / sizeof(wnode[0]), count = 0;
    BOOL last;
    char *utf8 = NULL;

    if (ClusapiGetReadStaleness(h, &last, &count, NULL, NULL) != 0 || count == 0)
        return false;
    if (ClusapiGetReadStaleness(h, &last, NULL, wnode, &cch) == 0)
        cli_utf16_to_utf8_lossy((const char16_t *)wnode, sizeof(wnode) / sizeof(wnode[0]),
                                &utf8);
    snprintf(node, n, "%s", utf8 ? utf8 : "the node asked");
    free(utf8);
    return true;
}

void cli_warn_stale(HCLUSTER h)
{
    char node[64];

    if (cli_read_stale(h, node, sizeof(node)))
        fprintf(stderr, "clusctl: %s has no quorum: this is its last applied state and may be "
                "out of date\n", node);
}

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

void cli_entries_done(struct cli_entries *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].wname);
        free(l->v[i].name);
        free(l->v[i].owner);
        free(l->v[i].group);
    }
    free(l->v);
    *l = (struct cli_entries){0};
}

/* Item i of an enumeration, as UTF-16 and UTF-8. */
static uint32_t enum_item(HCLUSENUM e, DWORD i, struct cli_entry *o)
{
    struct wbuf w = {0};
    uint32_t status = ERROR_MORE_DATA;
    DWORD cch = NAME_UNITS, type;

    for (int tries = 0; tries < 3 && status == ERROR_MORE_DATA; tries++) {
        if (wbuf_fit(&w, cch) < 0) {
            status = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch = w.cap;
        status = ClusterEnum(e, i, &type, w.p, &cch);
    }
    if (status == 0 && cli_utf16_to_utf8_lossy((const char16_t *)w.p, w.cap, &o->name) < 0)
        status = ERROR_NOT_ENOUGH_MEMORY;
    if (status == 0)
        o->wname = w.p;
    else
        free(w.p);
    return status;
}

uint32_t cli_list_entries(HCLUSTER h, enum cli_kind k, struct cli_entries *ret, char *detail)
{
    static const DWORD types[CLI_N_KINDS] = {
        [CLI_KIND_NODE] = CLUSTER_ENUM_NODE,
        [CLI_KIND_GROUP] = CLUSTER_ENUM_GROUP,
        [CLI_KIND_RESOURCE] = CLUSTER_ENUM_RESOURCE,
    };
    HCLUSENUM e;
    DWORD count;
    uint32_t status = 0;

    assert((unsigned)k < CLI_N_KINDS);
    e = ClusterOpenEnum(h, types[k]);
    if (e == NULL)
        return cli_last_failure(detail, ERROR_INTERNAL_ERROR);
    count = ClusterGetEnumCount(e);
    ret->v = calloc(count ? count : 1, sizeof(*ret->v));
    if (ret->v == NULL)
        status = ERROR_NOT_ENOUGH_MEMORY;
    for (DWORD i = 0; status == 0 && i < count; i++) {
        status = enum_item(e, i, &ret->v[i]);
        if (status == ERROR_NO_MORE_ITEMS) {
            status = 0;
            break;
        }
        if (status == 0)
            ret->n++;
    }
    ClusterCloseEnum(e);
    return cli_take_reason(status, detail);
}

/* ------------------------------------------------------------------------------------------ */
/* States                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void read_node(HCLUSTER h, struct cli_entry *o, char *detail)
{
    HNODE n = OpenClusterNode(h, o->wname);
    DWORD flags;

    o->state = -1;
    if (n == NULL) {
        o->error = cli_last_failure(detail, ERROR_INTERNAL_ERROR);
        return;
    }
    o->state = GetClusterNodeState(n);
    if (o->state == ClusterNodeStateUnknown)
        o->error = cli_last_failure(detail, ERROR_INTERNAL_ERROR);
    else if (ClusapiGetNodeQuorumFlags(n, &flags) == ERROR_SUCCESS)
        o->storage_fault = (flags & CLUSAPI_NODE_STORAGE_FAULT) != 0;
    CloseClusterNode(n);
}

static void read_group(HCLUSTER h, struct cli_entry *o, char *detail)
{
    HGROUP g = OpenClusterGroup(h, o->wname);
    struct wbuf owner = {0};
    DWORD cch = NAME_UNITS;

    o->state = -1;
    if (g == NULL) {
        o->error = cli_last_failure(detail, ERROR_INTERNAL_ERROR);
        return;
    }
    for (int tries = 0; tries < 3; tries++) {
        if (wbuf_fit(&owner, cch) < 0) {
            o->error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch = owner.cap;
        o->state = GetClusterGroupState(g, owner.p, &cch);
        o->error = 0;
        if (o->state == ClusterGroupStateUnknown)
            o->error = cli_last_failure(detail, ERROR_INTERNAL_ERROR);
        if (o->error != ERROR_MORE_DATA)
            break;
    }
    if (o->error == 0)
        o->owner = utf8_or_null(&owner);
    free(owner.p);
    CloseClusterGroup(g);
}

static void read_resource(HCLUSTER h, struct cli_entry *o, char *detail)
{
    HRESOURCE r = OpenClusterResource(h, o->wname);
    struct wbuf owner = {0}, group = {0};
    DWORD cch_owner = NAME_UNITS, cch_group = NAME_UNITS;

    o->state = -1;
    if (r == NULL) {
        o->error = cli_last_failure(detail, ERROR_INTERNAL_ERROR);
        return;
    }
    for (int tries = 0; tries < 3; tries++) {
        if (wbuf_fit(&owner, cch_owner) < 0 || wbuf_fit(&group, cch_group) < 0) {
            o->error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        cch_owner = owner.cap;
        cch_group = group.cap;
        o->state = GetClusterResourceState(r, owner.p, &cch_owner, group.p, &cch_group);
        o->error = 0;
        if (o->state == ClusterResourceStateUnknown)
            o->error = cli_last_failure(detail, ERROR_INTERNAL_ERROR);
        if (o->error != ERROR_MORE_DATA)
            break;
    }
    if (o->error == 0) {
        o->owner = utf8_or_null(&owner);
        o->group = utf8_or_null(&group);
    }
    free(owner.p);
    free(group.p);
    CloseClusterResource(r);
}

void cli_read_entry(HCLUSTER h, enum cli_kind k, struct cli_entry *e, char *detail)
{
    switch (k) {
    case CLI_KIND_NODE: read_node(h, e, detail); break;
    case CLI_KIND_GROUP: read_group(h, e, detail); break;
    case CLI_KIND_RESOURCE: read_resource(h, e, detail); break;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* The codes that mean the object went away between the enumeration and the read. */
static bool vanished(uint32_t status)
{
    return status == ERROR_CLUSTER_NODE_NOT_FOUND || status == ERROR_GROUP_NOT_FOUND ||
           status == ERROR_RESOURCE_NOT_FOUND;
}

static uint32_t snapshot_kind(HCLUSTER h, enum cli_kind k, struct cli_snapshot *s, char *detail)
{
    struct cli_entries l = {0};
    uint32_t status = cli_list_entries(h, k, &l, detail);

    for (size_t i = 0; status == 0 && i < l.n; i++) {
        struct cli_entry *o = &l.v[i];

        cli_read_entry(h, k, o, detail);
        if (o->error != 0 && cli_exit_for_status(o->error) == CLI_EXIT_UNREACHABLE) {
            status = o->error;
            break;
        }
        /* Another error leaves the object in the snapshot with state Unknown, which the next
         * snapshot turns into a change once it can be read again. */
        detail[0] = '\0';
        if (vanished(o->error))
            continue;
        if (cli_snapshot_add(s, k, o->name, o->state, o->owner, o->group) < 0)
            status = ERROR_NOT_ENOUGH_MEMORY;
        else
            s->of[k].v[s->of[k].n - 1].storage_fault = o->storage_fault;
    }
    cli_entries_done(&l);
    return status;
}

uint32_t cli_read_snapshot(HCLUSTER h, struct cli_snapshot *ret, char *detail)
{
    struct cli_snapshot s = {0};
    uint32_t status = 0;

    for (int k = 0; status == 0 && k < CLI_N_KINDS; k++)
        status = snapshot_kind(h, (enum cli_kind)k, &s, detail);
    if (status != 0) {
        cli_snapshot_done(&s);
        return status;
    }
    cli_snapshot_sort(&s);
    *ret = s;
    return 0;
}
