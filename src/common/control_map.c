/*
 * control_map — property query rows to struct prop arrays, and resource class facts (see
 * control_map.h).
 */
#include "common/control_map.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clusapi_wintypes.h"
#include "common/cluster_props.h"
#include "common/common_props.h"
#include "common/rpc_proto.h"
#include "common/wire.h"

/* Values of clusapi.h's CLUSTER_RESOURCE_CLASS, CLUS_RESSUBCLASS_NETWORK and
 * CLUSTER_NODE_STATUS. */
#define NODE_STATUS_NORMAL 0u
#define NODE_STATUS_QUARANTINED 0x2u
#define NODE_STATUS_AVOID_PLACEMENT 0x20u /* a storage fault: it is given no group */
#define RESCLASS_UNKNOWN 0u
#define RESCLASS_NETWORK 2u
#define RESSUBCLASS_INTERNET_PROTOCOL 0x80000000u

void prop_set_done(struct prop_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->v[i].name);
        free((char *)s->v[i].value);
    }
    free(s->v);
    *s = (struct prop_set){NULL, 0};
}

/* Appends a property taking name and value (malloc'd); frees them if it cannot. */
static uint32_t set_add(struct prop_set *s, char *name, uint32_t syntax, char *value)
{
    struct prop *v = realloc(s->v, (s->n + 1) * sizeof(*v));
    if (!v) {
        free(name);
        free(value);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    s->v = v;
    s->v[s->n++] = (struct prop){name, syntax, value};
    return 0;
}

static bool picked(enum prop_pick pick, bool read_only)
{
    return pick == PICK_ALL || (pick == PICK_READ_ONLY) == read_only;
}

/* The VALUE fields of one row joined by '\n' (a MULTI_SZ's strings); "" when there is none. */
static char *row_value(const void *row, size_t len)
{
    struct wire_reader r;
    struct wire_field f;
    size_t used = 0;
    char *out = calloc(1, 1);
    wire_reader_init(&r, row, len);
    while (out && wire_next(&r, &f) > 0) {
        if (f.tag != RPC_F_VALUE)
            continue;
        if (memchr(f.value, '\0', f.len) || memchr(f.value, '\n', f.len)) {
            free(out);
            return NULL;
        }
        char *grown = realloc(out, used + f.len + 2);
        if (!grown) {
            free(out);
            return NULL;
        }
        out = grown;
        if (used)
            out[used++] = '\n';
        memcpy(out + used, f.value, f.len);
        used += f.len;
        out[used] = '\0';
    }
    return out;
}

/* Reads one ITEM row into a property: 0, ROW_SKIPPED (not picked), or a Win32 error. On 0 the
 * caller owns *name and *value; otherwise nothing is left allocated. */
#define ROW_SKIPPED UINT32_MAX
typedef uint32_t (*row_reader)(const void *row, size_t len, const void *arg, char **name,
                               uint32_t *syntax, char **value);

/* The properties read_row makes of the ITEM rows of a reply. */
static uint32_t props_from_rows(const void *data, size_t len, row_reader read_row,
                                const void *arg, struct prop_set *ret)
{
    struct wire_reader r;
    struct wire_field f;
    uint32_t rc = 0;
    *ret = (struct prop_set){NULL, 0};
    wire_reader_init(&r, data, len);
    while (rc == 0 && wire_next(&r, &f) > 0) {
        char *name = NULL, *value = NULL;
        uint32_t syntax;
        if (f.tag != RPC_F_ITEM)
            continue;
        rc = read_row(f.value, f.len, arg, &name, &syntax, &value);
        if (rc == 0)
            rc = set_add(ret, name, syntax, value);
        else if (rc == ROW_SKIPPED)
            rc = 0;
    }
    if (rc != 0)
        prop_set_done(ret);
    return rc;
}

struct object_pick {
    enum prop_pick pick;
    control_read_only_fn read_only;
    void *arg;
};

/* A row_reader for the property queries of resources, groups and types. */
static uint32_t read_object_row(const void *row, size_t len, const void *arg, char **name,
                                uint32_t *syntax, char **value)
{
    const struct object_pick *p = arg;
    if (wire_get_strdup(row, len, RPC_F_NAME, name) < 0 ||
        wire_get_u32(row, len, RPC_F_SYNTAX, syntax) < 0) {
        free(*name);
        return ERROR_INVALID_DATA;
    }
    if (p->pick != PICK_ALL && !picked(p->pick, p->read_only(*name, p->arg))) {
        free(*name);
        return ROW_SKIPPED;
    }
    if (!(*value = row_value(row, len))) {
        free(*name);
        return ERROR_INVALID_DATA;
    }
    return 0;
}

uint32_t control_props_from_reply(const void *data, size_t len, enum prop_pick pick,
                                  control_read_only_fn read_only, void *arg,
                                  struct prop_set *ret)
{
    const struct object_pick p = {pick, read_only, arg};
    return props_from_rows(data, len, read_object_row, &p, ret);
}

static bool is_decimal(const char *s)
{
    if (!*s || strlen(s) > 10)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
    }
    return true;
}

static bool cluster_settable(const char *name)
{
    for (size_t i = 0; i < cluster_props_n_settable; i++) {
        if (strcasecmp(cluster_props_settable[i], name) == 0)
            return true;
    }
    return false;
}

/* A row_reader for the cluster's common properties; arg points to the enum prop_pick. */
static uint32_t read_cluster_row(const void *row, size_t len, const void *arg, char **name,
                                 uint32_t *syntax, char **value)
{
    enum prop_pick pick = *(const enum prop_pick *)arg;
    if (wire_get_strdup(row, len, RPC_F_NAME, name) < 0 ||
        wire_get_strdup(row, len, RPC_F_VALUE, value) < 0) {
        free(*name);
        return ERROR_INVALID_DATA;
    }
    if (!picked(pick, !cluster_settable(*name))) {
        free(*name);
        free(*value);
        return ROW_SKIPPED;
    }
    /* a decimal past a DWORD stays a string rather than being cut */
    bool dword = is_decimal(*value) && strtoull(*value, NULL, 10) <= UINT32_MAX;
    *syntax = dword ? PROP_SYNTAX_DWORD : PROP_SYNTAX_SZ;
    return 0;
}

uint32_t control_cluster_props_from_reply(const void *data, size_t len, enum prop_pick pick,
                                          struct prop_set *ret)
{
    return props_from_rows(data, len, read_cluster_row, &pick, ret);
}

/* The facts of a node's row that its properties show. */
struct node_row {
    char *name;
    uint32_t role, weight, witness;
    uint64_t quarantined_until; /* wall-clock ms; 0: not quarantined */
    bool storage_fault;
};

/* Reads one row of the node query; 0, or ERROR_INVALID_DATA without a name or role. */
static uint32_t read_node_row(const void *row, size_t len, struct node_row *ret)
{
    *ret = (struct node_row){NULL, 0, CPROP_NODE_WEIGHT_DEFAULT, 0, 0, false};
    if (wire_get_strdup(row, len, RPC_F_NAME, &ret->name) < 0 ||
        wire_get_u32(row, len, RPC_F_ROLE, &ret->role) < 0) {
        free(ret->name);
        ret->name = NULL;
        return ERROR_INVALID_DATA;
    }
    wire_get_u32(row, len, RPC_F_WEIGHT, &ret->weight);
    wire_get_u32(row, len, RPC_F_WITNESS, &ret->witness);
    wire_get_u64(row, len, RPC_F_QUARANTINED, &ret->quarantined_until);
    ret->storage_fault = wire_has(row, len, RPC_F_STORAGE_FAULT);
    return 0;
}

/* The row of the node named node, into *ret (its name malloc'd). */
static uint32_t find_node_row(const void *data, size_t len, const char *node,
                              struct node_row *ret)
{
    struct wire_reader r;
    struct wire_field f;

    wire_reader_init(&r, data, len);
    while (wire_next(&r, &f) > 0) {
        uint32_t rc;

        if (f.tag != RPC_F_ITEM)
            continue;
        if ((rc = read_node_row(f.value, f.len, ret)) != 0)
            return rc;
        if (strcasecmp(ret->name, node) == 0)
            return 0;
        free(ret->name);
        ret->name = NULL;
    }
    return ERROR_CLUSTER_NODE_NOT_FOUND;
}

/* The value of node property p (a CPROP_NODE table entry) for the row. */
static char *node_value(const struct cprop *p, const struct node_row *n)
{
    char text[16];
    uint32_t v;

    if (strcmp(p->name, CPROP_NODE_NAME) == 0)
        return strdup(n->name);
    if (strcmp(p->name, CPROP_NODE_WEIGHT) == 0)
        v = n->weight;
    else if (strcmp(p->name, CPROP_NODE_DYNAMIC_WEIGHT) == 0)
        v = n->role == CONTROL_ROLE_VOTER;
    else if (strcmp(p->name, CPROP_NODE_STATUS_INFO) == 0)
        v = (n->quarantined_until != 0 ? NODE_STATUS_QUARANTINED : NODE_STATUS_NORMAL) |
            (n->storage_fault ? NODE_STATUS_AVOID_PLACEMENT : 0);
    else
        v = n->witness != 0;
    snprintf(text, sizeof(text), "%u", (unsigned)v);
    return strdup(text);
}

uint32_t control_node_props_from_reply(const void *data, size_t len, const char *node,
                                       enum prop_pick pick, struct prop_set *ret)
{
    struct node_row row = {NULL, 0, 0, 0, 0, false};
    size_t n;
    const struct cprop *t = cprop_table(CPROP_NODE, &n);
    uint32_t rc = find_node_row(data, len, node, &row);

    *ret = (struct prop_set){NULL, 0};
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *name, *value;

        if (!picked(pick, t[i].read_only))
            continue;
        name = strdup(t[i].name);
        value = node_value(&t[i], &row);
        rc = name && value ? set_add(ret, name, t[i].syntax, value) : ERROR_NOT_ENOUGH_MEMORY;
        if (!name || !value) {
            free(name);
            free(value);
        }
    }
    if (rc != 0)
        prop_set_done(ret);
    free(row.name);
    return rc;
}

static bool is_ip_type(const char *type)
{
    return strcasecmp(type, "IP Address") == 0 || strcasecmp(type, "IPv6 Address") == 0;
}

void control_class_info(const char *type, uint32_t *ret_class, uint32_t *ret_subclass)
{
    *ret_class = RESCLASS_UNKNOWN;
    *ret_subclass = 0;
    if (is_ip_type(type)) {
        *ret_class = RESCLASS_NETWORK;
        *ret_subclass = RESSUBCLASS_INTERNET_PROTOCOL;
    } else if (strcasecmp(type, "Network Name") == 0) {
        *ret_class = RESCLASS_NETWORK;
    }
}

size_t control_required_deps(const char *type, struct proplist_dep out[2])
{
    if (strcasecmp(type, "Network Name") != 0)
        return 0;
    out[0] = (struct proplist_dep){0, 0, "IP Address"};
    return 1;
}
