/*
 * cli_watch — what `clusctl events` compares: a snapshot of the cluster's nodes, groups and
 * resources, the changes between two snapshots, and those changes as lines for people or JSON
 * objects. Pure: no I/O, no library calls; cli_cluster.c fills the snapshots.
 */
#ifndef CLUSAPI_CLI_WATCH_H
#define CLUSAPI_CLI_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli_text.h"

enum cli_kind {
    CLI_KIND_NODE,
    CLI_KIND_GROUP,
    CLI_KIND_RESOURCE,
};

#define CLI_N_KINDS 3

/* One node, group or resource as it was seen. Strings are owned, UTF-8. */
struct cli_obj {
    char *name;
    int state;   /* CLUSTER_NODE_STATE, _GROUP_STATE or _RESOURCE_STATE; -1: unknown */
    char *owner; /* groups and resources: the owner node; NULL when it has none */
    char *group; /* resources: their group; NULL otherwise */
    bool storage_fault; /* nodes: in a storage fault (set after cli_snapshot_add) */
};

struct cli_objs {
    size_t n, cap;
    struct cli_obj *v;
};

/* The whole cluster at one moment. Zero-initialised is an empty snapshot. */
struct cli_snapshot {
    int64_t time_ms; /* wall clock when it was taken, in ms since 1970-01-01 UTC */
    struct cli_objs of[CLI_N_KINDS];
};

/* "node", "group", "resource"; "object" for anything else. */
const char *cli_kind_name(enum cli_kind k);
/* The state in words for an object of kind k (cli_node_state_name() and its siblings). */
const char *cli_kind_state_name(enum cli_kind k, int state);

/* Appends a copy of the object to s->of[k]; owner and group may be NULL. 0, -EINVAL (name is
 * NULL or k out of range) or -ENOMEM (s is then unchanged). */
int cli_snapshot_add(struct cli_snapshot *s, enum cli_kind k, const char *name, int state,
                     const char *owner, const char *group);
/* Sorts each kind by name (byte order), as cli_snapshot_diff() needs. */
void cli_snapshot_sort(struct cli_snapshot *s);
/* Frees the objects; the snapshot is empty afterwards. NULL-safe. */
void cli_snapshot_done(struct cli_snapshot *s);

/* One difference between two snapshots. The pointers point into the snapshots compared. */
struct cli_change {
    enum cli_kind kind;
    const struct cli_obj *was; /* NULL: the object appeared */
    const struct cli_obj *now; /* NULL: the object is gone */
};

/*
 * Compares two snapshots, both sorted with cli_snapshot_sort(): an object is the same one in
 * both when kind and name match, and it changed when its state, owner or (resources) group
 * differs. The changes come nodes first, then groups, then resources, each kind by name.
 * Returns the number of changes, with a malloc'd array of them in *ret (NULL for none; the
 * caller frees it, and uses it only while both snapshots live), or -ENOMEM (*ret untouched).
 */
int cli_snapshot_diff(const struct cli_snapshot *was, const struct cli_snapshot *now,
                      struct cli_change **ret);

/* Appends the time as ISO 8601 in UTC with milliseconds: "2026-11-25T22:40:01.123Z". 0,
 * -EINVAL (a time gmtime cannot represent) or -ENOMEM. */
int cli_format_time(struct cli_buf *b, int64_t time_ms);

/*
 * Appends a change as one line for people, '\n' included:
 *   2026-11-25T22:40:01.123Z group "Cluster Group" Online on n2 (was Online on n1)
 *   2026-11-25T22:40:01.123Z node n3 Paused (was Up)
 *   2026-11-25T22:40:01.123Z resource r1 Offline on n1 (new)
 *   2026-11-25T22:40:01.123Z group web gone (was Offline on n2)
 * Names are written bare or quoted as cli_format_name() does; "on OWNER" is left out when there
 * is no owner; a resource that changed group shows "in GROUP" on both sides, a new one always.
 * 0 or -ENOMEM.
 */
int cli_format_change(struct cli_buf *b, int64_t time_ms, const struct cli_change *c);

/*
 * Appends a change as one JSON object and '\n':
 *   {"event":"change","time":"2026-11-25T22:40:01.123Z","kind":"group","change":"changed",
 *    "name":"Cluster Group","state":"Online","owner":"n2","was_state":"Online",
 *    "was_owner":"n1"}
 * "change" is "changed", "appeared" or "gone"; the missing side's members are null; nodes have
 * no owner members; resources add "group" and "was_group". 0 or -ENOMEM.
 */
int cli_format_json_change(struct cli_buf *b, int64_t time_ms, const struct cli_change *c);

/* Appends the whole snapshot as one JSON object and '\n':
 *   {"event":"snapshot","time":"...","nodes":[{"name":"n1","state":"Up"}],
 *    "groups":[{"name":...,"state":...,"owner":...}],
 *    "resources":[{"name":...,"state":...,"owner":...,"group":...}]}
 * 0 or -ENOMEM. */
int cli_format_json_snapshot(struct cli_buf *b, const struct cli_snapshot *s);

#endif
