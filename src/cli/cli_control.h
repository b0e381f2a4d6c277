/*
 * cli_control — the control calls as clusctl's commands use them: ClusterResourceControl,
 * ClusterGroupControl, ClusterNodeControl and ClusterResourceTypeControl with their output
 * grown to fit, property
 * lists decoded and encoded (common/proplist.h), and an object's common and private properties
 * read at once. Shared by the commands; every reader returns 0 or a Win32 status with the
 * library's reason in detail (CLI_DETAIL_SIZE bytes).
 */
#ifndef CLUSAPI_CLI_CONTROL_H
#define CLUSAPI_CLI_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <clusapi.h>

#include "cli/cli_text.h"
#include "common/prop.h"

/* The object a control code addresses: a resource, a group, a node, or a type of cluster h. */
struct cli_ctl {
    HRESOURCE resource;
    HGROUP group;
    HNODE node;
    HCLUSTER cluster;   /* with type */
    const WCHAR *type;
};

/* A decoded property list: one malloc'd block (proplist_decode), n entries. */
struct cli_plist {
    struct prop *v;
    size_t n;
};

/* An object's properties: common (writable and read-only apart) and private. */
struct cli_obj_props {
    struct cli_plist common, ro_common, priv;
};

void cli_plist_done(struct cli_plist *l);
void cli_obj_props_done(struct cli_obj_props *p);

/* The property list code returns (a GET_*_PROPERTIES), decoded. */
uint32_t cli_ctl_get_list(const struct cli_ctl *t, DWORD code, struct cli_plist *ret,
                          char *detail);
/* The names code returns (an ENUM_*_PROPERTIES), as cli_multi_sz_split gives them. */
uint32_t cli_ctl_get_names(const struct cli_ctl *t, DWORD code, char ***ret, size_t *ret_n,
                           char *detail);
/* The string code returns (GET_RESOURCE_TYPE ...), malloc'd UTF-8. */
uint32_t cli_ctl_get_string(const struct cli_ctl *t, DWORD code, char **ret, char *detail);
/* Sends the n properties of v as the input list of code (a SET_*_PROPERTIES). */
uint32_t cli_ctl_set_list(const struct cli_ctl *t, DWORD code, const struct prop *v, size_t n,
                          char *detail);

/*
 * Reads an object's common properties (GET_COMMON and GET_RO_COMMON_PROPERTIES of its kind) and,
 * for a resource, its private ones. The caller frees *ret with cli_obj_props_done(), also on
 * failure.
 */
uint32_t cli_ctl_read_props(const struct cli_ctl *t, struct cli_obj_props *ret, char *detail);

/* The property named name among p's common (writable, then read-only) and private ones, or
 * NULL. */
const struct prop *cli_obj_props_find(const struct cli_obj_props *p, const char *name);

/*
 * Appends p to the two outputs of a command: ,"common":{...} (writable and read-only in one
 * object) and, with_private, ,"private":{...} to json; "Common properties:" and "Private
 * properties:" sections, one "  Name  value" line each, to text. 0 or -ENOMEM.
 */
int cli_obj_props_render(const struct cli_obj_props *p, bool with_private, struct cli_buf *json,
                         struct cli_buf *text);

#endif
