/*
 * fuzz_ocf_meta — ocf_meta_parse: the meta-data XML an OCF resource agent prints, which becomes
 * a resource type's private properties and action timeouts.
 *
 * Invariants: a parsed description holds parameters whose names can be environment variable
 * suffixes (OCF_RESKEY_<name>), each name once in any case, each SZ or DWORD with a DWORD default
 * that is a 32-bit decimal, one-line descriptions; a copy of it is equal; a deeper monitor level
 * comes with depth > 0 only; a refused input leaves the output alone.
 */
#include "fuzz.h"

#include <ctype.h>
#include <errno.h>
#include <strings.h>

#include "common/prop.h"
#include "daemon/rm/rm_ocf_meta.h"

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void check_param(const struct rm_param *p)
{
    size_t n = strlen(p->name);

    FUZZ_CHECK(n > 0 && n <= OCF_PARAM_NAME_MAX);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(isalnum((unsigned char)p->name[i]) || p->name[i] == '_');
    FUZZ_CHECK(p->syntax == PROP_SYNTAX_SZ || p->syntax == PROP_SYNTAX_DWORD);
    if (p->syntax == PROP_SYNTAX_DWORD && p->def != NULL) {
        FUZZ_CHECK(p->def[0] != '\0' && strlen(p->def) <= 10);
        FUZZ_CHECK(strspn(p->def, "0123456789") == strlen(p->def));
        FUZZ_CHECK(strtoull(p->def, NULL, 10) <= UINT32_MAX);
    }
    if (p->description != NULL) {
        size_t d = strlen(p->description);

        FUZZ_CHECK(d > 0 && !isspace((unsigned char)p->description[0]));
        FUZZ_CHECK(!isspace((unsigned char)p->description[d - 1]));
        FUZZ_CHECK(strchr(p->description, '\n') == NULL);
    }
}

static void check_meta(const struct ocf_meta *meta)
{
    const struct rm_type_info *info = meta->info;
    struct rm_type_info *copy;

    FUZZ_CHECK(info != NULL && (info->n_params == 0) == (info->params == NULL));
    FUZZ_CHECK((meta->deep_level == 0) <= (meta->deep_monitor_ms == 0));
    for (size_t i = 0; i < info->n_params; i++) {
        check_param(&info->params[i]);
        for (size_t k = 0; k < i; k++)
            FUZZ_CHECK(strcasecmp(info->params[i].name, info->params[k].name) != 0);
    }
    copy = ocf_type_info_copy(info);
    FUZZ_CHECK(copy != NULL && copy->n_params == info->n_params);
    FUZZ_CHECK(copy->start_ms == info->start_ms && copy->monitor_ms == info->monitor_ms);
    for (size_t i = 0; i < info->n_params; i++) {
        FUZZ_CHECK(same_str(copy->params[i].name, info->params[i].name));
        FUZZ_CHECK(same_str(copy->params[i].def, info->params[i].def));
        FUZZ_CHECK(same_str(copy->params[i].description, info->params[i].description));
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ocf_meta *meta;
    int rv;

    memset(&meta, FUZZ_POISON, sizeof(meta));
    rv = ocf_meta_parse((const char *)data, size, &meta);
    if (rv < 0) {
        FUZZ_CHECK(rv == -EBADMSG || rv == -ENOMEM || rv == -E2BIG);
        FUZZ_CHECK(fuzz_untouched(&meta, sizeof(meta)));
        return 0;
    }
    FUZZ_CHECK(rv == 0);
    check_meta(meta);
    ocf_meta_free(meta);
    return 0;
}
