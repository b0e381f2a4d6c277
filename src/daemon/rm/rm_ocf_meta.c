/*
 * rm_ocf_meta — an OCF agent's meta-data XML (OCF RA API 1.1, "RA meta data") read with libxml2
 * into the type description the cluster shows and checks properties against.
 */
#include "daemon/rm/rm_ocf_meta.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/prop.h"

/* ---- small text helpers ---------------------------------------------------------------- */

static bool xml_is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static const xmlNode *xml_child(const xmlNode *parent, const char *name)
{
    for (const xmlNode *c = parent->children; c != NULL; c = c->next)
        if (xml_is(c, name))
            return c;
    return NULL;
}

/* An attribute's value as a malloc'd string (libxml2's allocator stays inside this file), or
 * NULL when absent or out of memory. */
static char *xml_attr(const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *copy;

    if (v == NULL)
        return NULL;
    copy = strdup((const char *)v);
    xmlFree(v);
    return copy;
}

/* The text of node with every run of white space made one space, trimmed; NULL if empty. */
static char *xml_text_one_line(const xmlNode *node)
{
    xmlChar *raw = xmlNodeGetContent(node);
    char *out, *w;
    bool space = false;

    if (raw == NULL)
        return NULL;
    out = malloc(strlen((const char *)raw) + 1);
    if (out != NULL) {
        w = out;
        for (const unsigned char *p = raw; *p != '\0'; p++) {
            if (isspace(*p)) {
                space = w != out;
                continue;
            }
            if (space)
                *w++ = ' ';
            space = false;
            *w++ = (char)*p;
        }
        *w = '\0';
    }
    xmlFree(raw);
    if (out != NULL && out[0] == '\0') {
        free(out);
        return NULL;
    }
    return out;
}

/* The English shortdesc of node (the first one when none says lang="en"). */
static char *xml_shortdesc(const xmlNode *node)
{
    const xmlNode *pick = NULL;

    for (const xmlNode *c = node->children; c != NULL; c = c->next) {
        if (!xml_is(c, "shortdesc"))
            continue;
        xmlChar *lang = xmlGetProp(c, (const xmlChar *)"lang");
        bool english = lang == NULL || strncmp((const char *)lang, "en", 2) == 0;

        xmlFree(lang);
        if (pick == NULL || english)
            pick = c;
        if (english)
            break;
    }
    return pick != NULL ? xml_text_one_line(pick) : NULL;
}

static bool attr_true(const char *v)
{
    return v != NULL &&
           (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
}

/* Decimal digits only, fitting 32 bits. */
static bool is_dword_text(const char *v)
{
    unsigned long long n = 0;

    if (v == NULL || *v == '\0')
        return false;
    for (; *v != '\0'; v++) {
        if (*v < '0' || *v > '9')
            return false;
        n = n * 10 + (unsigned)(*v - '0');
        if (n > UINT32_MAX)
            return false;
    }
    return true;
}

/* An environment variable name carries it: OCF_RESKEY_<name>. */
static bool param_name_ok(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n > OCF_PARAM_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_')
            return false;
    return true;
}

int64_t ocf_parse_duration_ms(const char *text)
{
    static const struct {
        const char *unit;
        uint64_t num, den; /* ms = value * num / den, rounded up */
    } units[] = {
        {"", 1000, 1},    {"s", 1000, 1},   {"sec", 1000, 1}, {"ms", 1, 1},
        {"msec", 1, 1},   {"us", 1, 1000},  {"usec", 1, 1000}, {"m", 60000, 1},
        {"min", 60000, 1}, {"h", 3600000, 1}, {"hr", 3600000, 1},
    };
    uint64_t value = 0;
    const char *p = text;
    size_t unit_len;

    if (p == NULL)
        return -1;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++)
        value = value > UINT32_MAX ? value : value * 10 + (uint64_t)(*p - '0');
    while (isspace((unsigned char)*p))
        p++;
    for (unit_len = 0; isalpha((unsigned char)p[unit_len]); unit_len++)
        ;
    for (const char *t = p + unit_len; *t != '\0'; t++)
        if (!isspace((unsigned char)*t))
            return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strlen(units[i].unit) != unit_len || strncasecmp(p, units[i].unit, unit_len) != 0)
            continue;
        uint64_t ms = (value * units[i].num + units[i].den - 1) / units[i].den;
        return ms > UINT32_MAX ? UINT32_MAX : (int64_t)ms;
    }
    return -1;
}

/* ---- the packed type description ------------------------------------------------------- */

static size_t opt_len(const char *s)
{
    return s != NULL ? strlen(s) + 1 : 0;
}

static const char *pack_str(char **cursor, const char *s)
{
    char *at = *cursor;
    size_t n = opt_len(s);

    if (s == NULL)
        return NULL;
    memcpy(at, s, n);
    *cursor += n;
    return at;
}

struct rm_type_info *ocf_type_info_copy(const struct rm_type_info *info)
{
    static_assert(sizeof(struct rm_type_info) % alignof(struct rm_param) == 0,
                  "parameters follow the header");
    size_t head = sizeof(*info) + info->n_params * sizeof(struct rm_param);
    size_t total = head;
    struct rm_type_info *copy;
    char *cursor;

    for (size_t i = 0; i < info->n_params; i++)
        total += opt_len(info->params[i].name) + opt_len(info->params[i].def) +
                 opt_len(info->params[i].description);
    copy = malloc(total);
    if (copy == NULL)
        return NULL;
    *copy = *info;
    copy->params = info->n_params > 0 ? (struct rm_param *)(copy + 1) : NULL;
    cursor = (char *)copy + head;
    for (size_t i = 0; i < info->n_params; i++) {
        const struct rm_param *src = &info->params[i];

        copy->params[i] = *src;
        copy->params[i].name = pack_str(&cursor, src->name);
        copy->params[i].def = pack_str(&cursor, src->def);
        copy->params[i].description = pack_str(&cursor, src->description);
    }
    assert(cursor == (char *)copy + total);
    return copy;
}

/* ---- the parse --------------------------------------------------------------------------- */

/* Parameters as they are read, before they are packed. */
struct param_list {
    struct rm_param *v;
    size_t n, cap;
};

static void param_list_done(struct param_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->v[i].name);
        free((char *)l->v[i].def);
        free((char *)l->v[i].description);
    }
    free(l->v);
}

static bool param_list_has(const struct param_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->v[i].name, name) == 0)
            return true;
    return false;
}

/* Reads one <parameter>; one without a usable name, or seen before, is skipped (0). */
static int parse_param(const xmlNode *node, struct param_list *l)
{
    char *name = xml_attr(node, "name"), *required = xml_attr(node, "required");
    char *type = NULL, *def = NULL;
    const xmlNode *content = xml_child(node, "content");
    int rv = 0;

    if (name == NULL || !param_name_ok(name) || param_list_has(l, name))
        goto out;
    if (content != NULL) {
        type = xml_attr(content, "type");
        def = xml_attr(content, "default");
    }
    if (l->n == l->cap) {
        size_t cap = l->cap != 0 ? 2 * l->cap : 16;
        struct rm_param *v = realloc(l->v, cap * sizeof(*v));

        if (v == NULL) {
            rv = -ENOMEM;
            goto out;
        }
        l->v = v;
        l->cap = cap;
    }
    bool dword = type != NULL && strcmp(type, "integer") == 0 &&
                 (def == NULL || def[0] == '\0' || is_dword_text(def));
    l->v[l->n++] = (struct rm_param){
        .name = name,
        .syntax = dword ? PROP_SYNTAX_DWORD : PROP_SYNTAX_SZ,
        .required = attr_true(required),
        .def = def != NULL && def[0] != '\0' ? def : NULL,
        .description = xml_shortdesc(node),
    };
    if (def != NULL && def[0] == '\0')
        free(def);
    name = def = NULL;
out:
    free(name);
    free(required);
    free(type);
    free(def);
    return rv;
}

static uint32_t attr_ms(const xmlNode *node, const char *attr)
{
    char *v = xml_attr(node, attr);
    int64_t ms = ocf_parse_duration_ms(v);

    free(v);
    return ms > 0 ? (uint32_t)ms : 0;
}

static uint32_t attr_depth(const xmlNode *node)
{
    char *v = xml_attr(node, "depth");
    uint32_t depth = is_dword_text(v) ? (uint32_t)strtoul(v, NULL, 10) : 0;

    free(v);
    return depth;
}

/* One <action>: roles (promoted, unpromoted) are not used here and are skipped. */
static void parse_action(const xmlNode *node, struct ocf_meta *meta, struct rm_type_info *info)
{
    char *name = xml_attr(node, "name"), *role = xml_attr(node, "role");

    if (name == NULL || role != NULL)
        goto out;
    if (strcmp(name, "start") == 0 && info->start_ms == 0) {
        info->start_ms = attr_ms(node, "timeout");
    } else if (strcmp(name, "stop") == 0 && info->stop_ms == 0) {
        info->stop_ms = attr_ms(node, "timeout");
    } else if (strcmp(name, "validate-all") == 0) {
        meta->has_validate = true;
        if (info->validate_ms == 0)
            info->validate_ms = attr_ms(node, "timeout");
    } else if (strcmp(name, "monitor") == 0) {
        uint32_t depth = attr_depth(node);

        if (depth == 0 && info->monitor_ms == 0) {
            info->monitor_ms = attr_ms(node, "timeout");
            info->monitor_interval_ms = attr_ms(node, "interval");
        } else if (depth > meta->deep_level) {
            meta->deep_level = depth;
            meta->deep_monitor_ms = attr_ms(node, "timeout");
        }
    }
out:
    free(name);
    free(role);
}

/* The whole document below <resource-agent>. */
static int parse_agent(const xmlNode *root, struct ocf_meta *meta)
{
    struct param_list params = {0};
    struct rm_type_info info = {0};
    const xmlNode *section;
    int rv = 0;

    section = xml_child(root, "parameters");
    for (const xmlNode *c = section != NULL ? section->children : NULL; c != NULL && rv == 0;
         c = c->next)
        if (xml_is(c, "parameter"))
            rv = parse_param(c, &params);
    section = xml_child(root, "actions");
    for (const xmlNode *c = section != NULL ? section->children : NULL; c != NULL; c = c->next)
        if (xml_is(c, "action"))
            parse_action(c, meta, &info);
    if (rv == 0) {
        info.params = params.v;
        info.n_params = params.n;
        meta->info = ocf_type_info_copy(&info);
        rv = meta->info != NULL ? 0 : -ENOMEM;
    }
    param_list_done(&params);
    return rv;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 wants its globals set up once before threads parse at the same time. */
static void xml_init(void)
{
    xmlInitParser();
}

int ocf_meta_parse(const char *xml, size_t len, struct ocf_meta **ret)
{
    /* No network, no external DTD (agents name "ra-api-1.dtd"), no entity expansion, no noise
     * on stderr: the text comes from a program we run, not from a trusted file. */
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    struct ocf_meta *meta;
    xmlDoc *doc;
    const xmlNode *root;
    int rv;

    if (len > OCF_META_MAX_BYTES)
        return -E2BIG;
    pthread_once(&xml_once, xml_init);
    doc = xmlReadMemory(xml, (int)len, "meta-data.xml", NULL, options);
    if (doc == NULL)
        return -EBADMSG;
    root = xmlDocGetRootElement(doc);
    if (root == NULL || !xml_is(root, "resource-agent")) {
        xmlFreeDoc(doc);
        return -EBADMSG;
    }
    meta = calloc(1, sizeof(*meta));
    rv = meta != NULL ? parse_agent(root, meta) : -ENOMEM;
    xmlFreeDoc(doc);
    if (rv < 0) {
        ocf_meta_free(meta);
        return rv;
    }
    *ret = meta;
    return 0;
}

void ocf_meta_free(struct ocf_meta *meta)
{
    if (meta == NULL)
        return;
    free(meta->info); /* one block, as rm_type_info_free() takes it */
    free(meta);
}

struct ocf_meta *ocf_meta_dup(const struct ocf_meta *meta)
{
    struct ocf_meta *copy = malloc(sizeof(*copy));

    if (copy == NULL)
        return NULL;
    *copy = *meta;
    copy->info = ocf_type_info_copy(meta->info);
    if (copy->info == NULL) {
        free(copy);
        return NULL;
    }
    return copy;
}
