/*
 * cli_watch — snapshots of a cluster, their differences, and those differences as text or JSON.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_format.h"
#include "cli/cli_watch.h"

const char *cli_kind_name(enum cli_kind k)
{
    switch (k) {
    case CLI_KIND_NODE:
        return "node";
    case CLI_KIND_GROUP:
        return "group";
    case CLI_KIND_RESOURCE:
        return "resource";
    }
    return "object";
}

const char *cli_kind_state_name(enum cli_kind k, int state)
{
    if (k == CLI_KIND_NODE)
        return cli_node_state_name(state);
    return k == CLI_KIND_GROUP ? cli_group_state_name(state) : cli_resource_state_name(state);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* A copy of s, or NULL for NULL; *ok turns false when the copy could not be made. */
static char *dup_or_null(const char *s, bool *ok)
{
    char *d;

    if (s == NULL)
        return NULL;
    d = strdup(s);
    if (d == NULL)
        *ok = false;
    return d;
}

static void obj_done(struct cli_obj *o)
{
    free(o->name);
    free(o->owner);
    free(o->group);
}

static int objs_reserve(struct cli_objs *l)
{
    size_t cap;
    struct cli_obj *v;

    if (l->n < l->cap)
        return 0;
    cap = l->cap ? l->cap * 2 : 16;
    v = realloc(l->v, cap * sizeof(*v));
    if (v == NULL)
        return -ENOMEM;
    l->v = v;
    l->cap = cap;
    return 0;
}

int cli_snapshot_add(struct cli_snapshot *s, enum cli_kind k, const char *name, int state,
                     const char *owner, const char *group)
{
    struct cli_obj o = {.state = state};
    bool ok = true;

    if (name == NULL || (unsigned)k >= CLI_N_KINDS)
        return -EINVAL;
    if (objs_reserve(&s->of[k]) < 0)
        return -ENOMEM;
    o.name = dup_or_null(name, &ok);
    o.owner = dup_or_null(owner, &ok);
    o.group = dup_or_null(group, &ok);
    if (!ok) {
        obj_done(&o);
        return -ENOMEM;
    }
    s->of[k].v[s->of[k].n++] = o;
    return 0;
}

static int obj_cmp(const void *a, const void *b)
{
    return strcmp(((const struct cli_obj *)a)->name, ((const struct cli_obj *)b)->name);
}

void cli_snapshot_sort(struct cli_snapshot *s)
{
    for (int k = 0; k < CLI_N_KINDS; k++)
        if (s->of[k].n > 1)
            qsort(s->of[k].v, s->of[k].n, sizeof(*s->of[k].v), obj_cmp);
}

void cli_snapshot_done(struct cli_snapshot *s)
{
    if (s == NULL)
        return;
    for (int k = 0; k < CLI_N_KINDS; k++) {
        for (size_t i = 0; i < s->of[k].n; i++)
            obj_done(&s->of[k].v[i]);
        free(s->of[k].v);
    }
    *s = (struct cli_snapshot){0};
}

/* ------------------------------------------------------------------------------------------ */
/* Differences                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static bool same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool obj_changed(const struct cli_obj *a, const struct cli_obj *b)
{
    return a->state != b->state || !same_text(a->owner, b->owner) ||
           !same_text(a->group, b->group) || a->storage_fault != b->storage_fault;
}

/* Walks two sorted lists of one kind side by side, as a merge does; appends to out (room for
 * both lists' lengths) and returns how many it appended. */
static size_t diff_kind(enum cli_kind k, const struct cli_objs *was, const struct cli_objs *now,
                        struct cli_change *out)
{
    size_t i = 0, j = 0, n = 0;

    while (i < was->n || j < now->n) {
        int cmp = i == was->n ? 1 : j == now->n ? -1 : strcmp(was->v[i].name, now->v[j].name);

        if (cmp < 0) {
            out[n++] = (struct cli_change){k, &was->v[i++], NULL};
        } else if (cmp > 0) {
            out[n++] = (struct cli_change){k, NULL, &now->v[j++]};
        } else {
            if (obj_changed(&was->v[i], &now->v[j]))
                out[n++] = (struct cli_change){k, &was->v[i], &now->v[j]};
            i++;
            j++;
        }
    }
    return n;
}

int cli_snapshot_diff(const struct cli_snapshot *was, const struct cli_snapshot *now,
                      struct cli_change **ret)
{
    struct cli_change *v;
    size_t max = 0, n = 0;

    for (int k = 0; k < CLI_N_KINDS; k++)
        max += was->of[k].n + now->of[k].n;
    v = malloc((max ? max : 1) * sizeof(*v));
    if (v == NULL)
        return -ENOMEM;
    for (int k = 0; k < CLI_N_KINDS; k++)
        n += diff_kind((enum cli_kind)k, &was->of[k], &now->of[k], v + n);
    if (n == 0) {
        free(v);
        v = NULL;
    }
    *ret = v;
    return (int)n;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */
/* ------------------------------------------------------------------------------------------ */

int cli_format_time(struct cli_buf *b, int64_t time_ms)
{
    int64_t sec = time_ms / 1000, ms = time_ms % 1000;
    time_t t;
    struct tm tm;

    if (ms < 0) {
        ms += 1000;
        sec--;
    }
    t = (time_t)sec;
    if (gmtime_r(&t, &tm) == NULL)
        return -EINVAL;
    return cli_buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ms);
}

/* "Online on n2[ in GROUP]": the state, the owner if any, the group when asked; "Up (storage
 * fault)" for a node in one. */
static int describe(struct cli_buf *b, enum cli_kind k, const struct cli_obj *o, bool group)
{
    int rv = cli_buf_puts(b, cli_kind_state_name(k, o->state));

    if (rv == 0 && o->storage_fault)
        rv = cli_buf_puts(b, " (storage fault)");
    if (rv == 0 && o->owner != NULL) {
        rv = cli_buf_puts(b, " on ");
        if (rv == 0)
            rv = cli_format_name(b, o->owner);
    }
    if (rv == 0 && group && o->group != NULL) {
        rv = cli_buf_puts(b, " in ");
        if (rv == 0)
            rv = cli_format_name(b, o->group);
    }
    return rv;
}

int cli_format_change(struct cli_buf *b, int64_t time_ms, const struct cli_change *c)
{
    const struct cli_obj *o = c->now ? c->now : c->was;
    bool group = c->was == NULL || c->now == NULL || !same_text(c->was->group, c->now->group);
    int rv = cli_format_time(b, time_ms);

    if (rv == 0)
        rv = cli_buf_printf(b, " %s ", cli_kind_name(c->kind));
    if (rv == 0)
        rv = cli_format_name(b, o->name);
    if (rv == 0)
        rv = cli_buf_puts(b, c->now ? " " : " gone");
    if (rv == 0 && c->now != NULL)
        rv = describe(b, c->kind, c->now, group);
    if (rv == 0 && c->was == NULL)
        return cli_buf_puts(b, " (new)\n");
    if (rv == 0)
        rv = cli_buf_puts(b, " (was ");
    if (rv == 0)
        rv = describe(b, c->kind, c->was, group);
    return rv == 0 ? cli_buf_puts(b, ")\n") : rv;
}

static int json_member(struct cli_buf *b, const char *key, const char *value)
{
    int rv = cli_buf_printf(b, ",\"%s\":", key);

    return rv == 0 ? cli_json_string(b, value) : rv;
}

/* ,"state":…,"owner":…,"group":… of one side (prefix "" or "was_"), null for a missing one. */
static int json_side(struct cli_buf *b, enum cli_kind k, const struct cli_obj *o,
                     const char *prefix)
{
    char key[24];
    int rv;

    snprintf(key, sizeof(key), "%sstate", prefix);
    rv = json_member(b, key, o ? cli_kind_state_name(k, o->state) : NULL);
    snprintf(key, sizeof(key), "%sstorage_fault", prefix);
    if (rv == 0 && k == CLI_KIND_NODE && o != NULL)
        rv = cli_buf_printf(b, ",\"%s\":%s", key, o->storage_fault ? "true" : "false");
    snprintf(key, sizeof(key), "%sowner", prefix);
    if (rv == 0 && k != CLI_KIND_NODE)
        rv = json_member(b, key, o ? o->owner : NULL);
    snprintf(key, sizeof(key), "%sgroup", prefix);
    if (rv == 0 && k == CLI_KIND_RESOURCE)
        rv = json_member(b, key, o ? o->group : NULL);
    return rv;
}

int cli_format_json_change(struct cli_buf *b, int64_t time_ms, const struct cli_change *c)
{
    const struct cli_obj *o = c->now ? c->now : c->was;
    const char *change = c->was == NULL ? "appeared" : c->now == NULL ? "gone" : "changed";
    int rv = cli_buf_puts(b, "{\"event\":\"change\",\"time\":\"");

    if (rv == 0)
        rv = cli_format_time(b, time_ms);
    if (rv == 0)
        rv = cli_buf_printf(b, "\",\"kind\":\"%s\",\"change\":\"%s\"", cli_kind_name(c->kind),
                            change);
    if (rv == 0)
        rv = json_member(b, "name", o->name);
    if (rv == 0)
        rv = json_side(b, c->kind, c->now, "");
    if (rv == 0)
        rv = json_side(b, c->kind, c->was, "was_");
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}

static int json_list(struct cli_buf *b, enum cli_kind k, const struct cli_objs *l)
{
    int rv = cli_buf_printf(b, ",\"%ss\":[", cli_kind_name(k));

    for (size_t i = 0; rv == 0 && i < l->n; i++) {
        rv = cli_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        if (rv == 0)
            rv = cli_json_string(b, l->v[i].name);
        if (rv == 0)
            rv = json_side(b, k, &l->v[i], "");
        if (rv == 0)
            rv = cli_buf_puts(b, "}");
    }
    return rv == 0 ? cli_buf_puts(b, "]") : rv;
}

int cli_format_json_snapshot(struct cli_buf *b, const struct cli_snapshot *s)
{
    int rv = cli_buf_puts(b, "{\"event\":\"snapshot\",\"time\":\"");

    if (rv == 0)
        rv = cli_format_time(b, s->time_ms);
    if (rv == 0)
        rv = cli_buf_puts(b, "\"");
    for (int k = 0; rv == 0 && k < CLI_N_KINDS; k++)
        rv = json_list(b, (enum cli_kind)k, &s->of[k]);
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}
