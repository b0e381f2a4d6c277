/*
 * restypes — the built-in resource types.
 */
#include <strings.h>

#include "common/restypes.h"

const struct restype_builtin restype_builtins[] = {RESTYPES_BUILTIN_INITIALIZERS};
const size_t restype_n_builtins = sizeof(restype_builtins) / sizeof(restype_builtins[0]);

const struct restype_builtin *restype_builtin_find(const char *type_name)
{
    for (size_t i = 0; i < restype_n_builtins; i++)
        if (strcasecmp(restype_builtins[i].type_name, type_name) == 0)
            return &restype_builtins[i];
    return NULL;
}
