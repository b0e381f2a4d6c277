/*
 * rm_ocf_meta — an OCF resource agent's `meta-data` XML as a resource type description: its
 * parameters (the type's private properties) and its actions' advised timeouts. Pure: bytes in,
 * struct out, no process or file is touched.
 */
#ifndef CLUSSVC_RM_OCF_META_H
#define CLUSSVC_RM_OCF_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/rm/rm.h"

#define OCF_META_MAX_BYTES (1024 * 1024) /* larger meta-data is refused, not parsed */
#define OCF_PARAM_NAME_MAX 128           /* longest parameter name taken */

/*
 * What one agent's meta-data says. Parameter syntax: every OCF parameter is PROP_SYNTAX_SZ
 * except content type "integer" whose default is absent, empty or a decimal that fits 32 bits:
 * that one is PROP_SYNTAX_DWORD (agents that call "5s" or "pingd" an integer keep text, so
 * their own default stays a valid value). Booleans stay SZ: agents take "true", "yes", "1" …
 */
struct ocf_meta {
    struct rm_type_info *info; /* parameters and timeouts, one block (rm_type_info_free) */
    uint32_t deep_level;       /* the deepest monitor depth advertised (OCF_CHECK_LEVEL), 0 */
    uint32_t deep_monitor_ms;  /* the advised timeout of that deeper monitor, 0 if none */
    bool has_validate;         /* the agent lists a validate-all action */
};

/*
 * Parses meta-data XML of len bytes (no NUL needed). Parameters without a usable name (empty,
 * longer than OCF_PARAM_NAME_MAX, or not [A-Za-z0-9_] so no environment variable can carry
 * them) are left out; descriptions are cut to one line. Timeouts and intervals take
 * Pacemaker's forms ("20s", "20", "500ms", "2min", "1h"); one not understood counts as absent.
 * 0 with *ret (ocf_meta_free), -EBADMSG if the text is not an agent's meta-data, -E2BIG past
 * OCF_META_MAX_BYTES, -ENOMEM.
 */
int ocf_meta_parse(const char *xml, size_t len, struct ocf_meta **ret);
void ocf_meta_free(struct ocf_meta *meta);
/* A copy of meta (ocf_meta_free), or NULL when out of memory. */
struct ocf_meta *ocf_meta_dup(const struct ocf_meta *meta);

/* A copy of info as one malloc'd block (array and strings; a single free()), or NULL. */
struct rm_type_info *ocf_type_info_copy(const struct rm_type_info *info);

/* Milliseconds of a Pacemaker interval spec ("20s", "90", "500ms"), capped at UINT32_MAX; -1
 * when text is none of them. */
int64_t ocf_parse_duration_ms(const char *text);

#endif
