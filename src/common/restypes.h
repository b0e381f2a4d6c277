/*
 * restypes — the resource types every cluster has from its creation (CreateCluster phase 202
 * registers them), with the driver string each one's driver answers to. Pure data, shared by
 * libclusapi (which registers them) and clussvc (whose resource monitor runs them).
 */
#ifndef CLUSAPI_RESTYPES_H
#define CLUSAPI_RESTYPES_H

#include <stddef.h>

/*
 * The table as initialisers of {type name, driver string}, in registration order: Windows'
 * spelling of each type name (CLUS_RESTYPE_NAME_*). A macro so that a table of another struct
 * with the same two members (the daemon's rm_builtin_types) is built from this one list.
 */
#define RESTYPES_BUILTIN_INITIALIZERS                                                            \
    {"IP Address", "ipaddr"}, {"IPv6 Address", "ipaddr"}, {"Network Name", "netname"},         \
        {"Generic Application", "genapp"}, {"Generic Script", "genscript"},                    \
        {"Generic Service", "gensvc"}, {"Node Witness", "witness"}

struct restype_builtin {
    const char *type_name;
    const char *driver;
};

extern const struct restype_builtin restype_builtins[];
extern const size_t restype_n_builtins;

/* The built-in type of that name (any case), or NULL. */
const struct restype_builtin *restype_builtin_find(const char *type_name);

#endif
