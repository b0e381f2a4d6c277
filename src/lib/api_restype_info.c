/*
 * api_restype_info — ClusapiGetResourceTypeInfo: a type's parameters (syntax, required,
 * default, description) and action timeouts from RPC_OP_RESTYPE_INFO, packed into one block of
 * the caller's.
 */
#include <assert.h>
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "common/rpc_proto.h"
#include "common/utf16.h"
#include "lib/lib.h"
#include "lib/restype_info.h"

/* One parameter as the reply gives it, strings already UTF-16 (malloc'd). */
struct param {
    char16_t *name, *def, *description;
    uint32_t syntax, required;
};

struct parsed {
    struct param *v;
    size_t n;
    uint32_t start, stop, monitor, validate;
};

static void parsed_done(struct parsed *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].def);
        free(p->v[i].description);
    }
    free(p->v);
}

/* A string field of a nested item as UTF-16; an absent one is "" unless it is required. */
static DWORD field_utf16(const struct wire_field *f, uint16_t tag, bool needed, char16_t **ret)
{
    char *s = NULL;
    int rv;

    if (wire_get_strdup(f->value, f->len, tag, &s) < 0) {
        if (needed)
            return ERROR_INVALID_DATA;
        s = strdup("");
        if (s == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
    }
    rv = utf8_to_utf16(s, ret);
    free(s);
    return rv == 0 ? ERROR_SUCCESS : rv == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_DATA;
}

static DWORD add_param(struct parsed *p, const struct wire_field *f)
{
    struct param *grown = realloc(p->v, (p->n + 1) * sizeof(*grown)), *q;
    DWORD status;

    if (grown == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    p->v = grown;
    q = &p->v[p->n++];
    *q = (struct param){.syntax = 0};
    if (wire_get_u32(f->value, f->len, RPC_F_SYNTAX, &q->syntax) < 0)
        q->syntax = CLUSPROP_SYNTAX_LIST_VALUE_SZ;
    if (wire_get_u32(f->value, f->len, RPC_F_REQUIRED, &q->required) < 0)
        q->required = 0;
    status = field_utf16(f, RPC_F_NAME, true, &q->name);
    if (status == 0)
        status = field_utf16(f, RPC_F_VALUE, false, &q->def);
    if (status == 0)
        status = field_utf16(f, RPC_F_DESCRIPTION, false, &q->description);
    return status;
}

static void add_timeout(struct parsed *p, const struct wire_field *f)
{
    char *action = NULL;
    uint32_t ms = 0;

    if (wire_get_strdup(f->value, f->len, RPC_F_NAME, &action) < 0 ||
        wire_get_u32(f->value, f->len, RPC_F_TIMEOUT_MS, &ms) < 0) {
        free(action);
        return; /* a timeout the node could not name is one the type does not declare */
    }
    if (strcmp(action, "start") == 0)
        p->start = ms;
    else if (strcmp(action, "stop") == 0)
        p->stop = ms;
    else if (strcmp(action, "monitor") == 0)
        p->monitor = ms;
    else if (strcmp(action, "validate-all") == 0)
        p->validate = ms;
    free(action);
}

static DWORD parse(const void *reply, size_t len, struct parsed *ret)
{
    struct wire_reader rd;
    struct wire_field f;
    DWORD status = 0;

    *ret = (struct parsed){0};
    wire_reader_init(&rd, reply, len);
    while (status == 0 && wire_next(&rd, &f) > 0) {
        if (f.tag == RPC_F_ITEM)
            status = add_param(ret, &f);
        else if (f.tag == RPC_F_ACTION_TIMEOUT)
            add_timeout(ret, &f);
    }
    return status;
}

/* Bytes of a UTF-16 string with its NUL. */
static size_t units(const char16_t *s)
{
    return (utf16_len(s) + 1) * sizeof(char16_t);
}

static char16_t *put_string(char **at, const char16_t *s)
{
    char16_t *dst = (char16_t *)*at;

    memcpy(*at, s, units(s));
    *at += units(s);
    return dst;
}

DWORD restype_info_pack(const void *reply, size_t len, void *buf, DWORD cap, DWORD *ret_size)
{
    struct parsed p;
    size_t head = (sizeof(CLUSAPI_RESTYPE_INFO) + alignof(CLUSAPI_RESTYPE_PARAM) - 1) /
                  alignof(CLUSAPI_RESTYPE_PARAM) * alignof(CLUSAPI_RESTYPE_PARAM);
    size_t need;
    DWORD status = parse(reply, len, &p);

    if (status != 0) {
        parsed_done(&p);
        return status;
    }
    need = head + p.n * sizeof(CLUSAPI_RESTYPE_PARAM);
    for (size_t i = 0; i < p.n; i++)
        need += units(p.v[i].name) + units(p.v[i].def) + units(p.v[i].description);
    *ret_size = (DWORD)need;
    if (buf == NULL || cap < need) {
        parsed_done(&p);
        return ERROR_MORE_DATA;
    }
    CLUSAPI_RESTYPE_INFO *info = buf;
    CLUSAPI_RESTYPE_PARAM *params = (CLUSAPI_RESTYPE_PARAM *)((char *)buf + head);
    char *at = (char *)(params + p.n);

    *info = (CLUSAPI_RESTYPE_INFO){(DWORD)p.n, p.n ? params : NULL, p.start, p.stop, p.monitor,
                                   p.validate};
    for (size_t i = 0; i < p.n; i++) {
        params[i].lpszName = put_string(&at, p.v[i].name);
        params[i].dwSyntax = p.v[i].syntax;
        params[i].fRequired = p.v[i].required != 0;
        params[i].lpszDefault = put_string(&at, p.v[i].def);
        params[i].lpszDescription = put_string(&at, p.v[i].description);
    }
    assert((size_t)(at - (char *)buf) == need);
    parsed_done(&p);
    return ERROR_SUCCESS;
}

CLUSAPI_API DWORD ClusapiGetResourceTypeInfo(HCLUSTER hCluster, LPCWSTR lpszResourceTypeName,
                                             PCLUSAPI_RESTYPE_INFO pInfo, LPDWORD lpcbInfo)
{
    struct cluster_handle *c = (struct cluster_handle *)handle_get(hCluster, HANDLE_CLUSTER);
    struct wire_writer w;
    struct rpc_reply r;
    char *type;
    DWORD status, size = 0;

    lib_clear_error();
    if (c == NULL)
        return lib_fail(ERROR_INVALID_HANDLE);
    if (lpszResourceTypeName == NULL || lpszResourceTypeName[0] == 0 || lpcbInfo == NULL)
        return lib_fail(ERROR_INVALID_PARAMETER);
    if ((type = lib_name_in(lpszResourceTypeName)) == NULL)
        return GetLastError();
    rpc_request(&w, RPC_OP_RESTYPE_INFO);
    wire_put_str(&w, RPC_F_NAME, type);
    free(type);
    status = cluster_call(c, &w, LIB_RPC_TIMEOUT_MS, &r);
    if (status != 0) {
        lib_fail_text(status, "%s", r.errmsg);
        rpc_reply_done(&r);
        return status;
    }
    status = restype_info_pack(r.data, r.len, pInfo, *lpcbInfo, &size);
    rpc_reply_done(&r);
    if (status == ERROR_SUCCESS || status == ERROR_MORE_DATA)
        *lpcbInfo = size;
    return status == ERROR_SUCCESS ? ERROR_SUCCESS : lib_fail(status);
}
