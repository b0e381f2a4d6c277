/*
 * rm_ocf — OCF resource agents (OCF RA API 1.1, as Pacemaker runs them), unchanged, as resource
 * types "ocf:PROVIDER:AGENT": what is installed under the OCF root ($OCF_ROOT, default
 * /usr/lib/ocf), and how an agent's exit status reads as a driver result.
 *
 * The driver (rm_ocf_driver, rm.h) runs $OCF_ROOT/resource.d/PROVIDER/AGENT with one action as
 * its argument, in the resource's control group (rm_proc.h), with a clean environment:
 *   PATH, LC_ALL=C, OCF_ROOT, OCF_RA_VERSION_MAJOR=1, OCF_RA_VERSION_MINOR=1,
 *   OCF_RESOURCE_INSTANCE (rm_ocf_instance() of the resource name), OCF_RESOURCE_TYPE (AGENT),
 *   OCF_RESOURCE_PROVIDER, OCF_RESKEY_<param>=<value> for each private property (spelt as the
 *   agent's meta-data spells it; defaults are left to the agent, as Pacemaker does),
 *   OCF_RESKEY_CRM_meta_timeout (ms), OCF_RESKEY_CRM_meta_interval (ms; the advised monitor
 *   interval for monitors, 0 otherwise), OCF_CHECK_LEVEL (monitor), HA_RSCTMP (clussvc's own
 *   $HA_RSCTMP, default /run/resource-agents, created if missing).
 * Its standard error joins its standard output; both go to the service log, and the last
 * "ocf-exit-reason:" line becomes part of the resource's error message.
 *
 * Entry points: online = start, then monitor (a start the agent reports but cannot see running
 * fails); offline = stop, then every process left in the control group is killed; looks_alive =
 * monitor at OCF_CHECK_LEVEL 0; is_alive = monitor at 10 when the meta-data advertises a monitor
 * of depth 10 or more, else 0; validate = validate-all (after the required parameters are
 * checked present; an agent without validate-all passes); terminate = stop bounded by
 * RM_OCF_TERMINATE_STOP_MS, then every process of the resource killed (rm_proc_kill_all);
 * type_info = the agent's meta-data (rm_ocf_meta.h), run at most RM_OCF_META_TIMEOUT_MS and
 * cached per agent file until the file changes. A failed online stops and kills what it started,
 * keeping the start's error message. watch_fd = the resource's control group after a start
 * that left processes there (rm_proc_watch: a daemon the agent started), which wakes the group
 * manager when the last of them exits; none for an agent that leaves no process (its monitor
 * polls alone), and none while the group is empty.
 *
 * Action timeouts: r->timeout_ms when the caller sets it (online shares it between start and
 * monitor), else the meta-data's timeout of the action, else RM_OCF_DEFAULT_TIMEOUT_MS. Past it
 * the action and what it started are killed and the call fails with -ETIMEDOUT.
 *
 * Results, by Pacemaker's meaning of each exit status. "Hard" means retrying on this node is
 * futile (Pacemaker bans the node; the group should move); "soft" means a restart may help:
 *   0  OCF_SUCCESS            0             (validate-all's 3 and stop's 7 also read as 0)
 *   1  OCF_ERR_GENERIC        -EIO          soft
 *   2  OCF_ERR_ARGS           -EINVAL       hard: the parameters are wrong
 *   3  OCF_ERR_UNIMPLEMENTED  -EOPNOTSUPP   hard
 *   4  OCF_ERR_PERM           -EACCES       hard
 *   5  OCF_ERR_INSTALLED      -ENOENT       hard: software missing on this node (also: no such
 *                                           agent, or exit 127)
 *   6  OCF_ERR_CONFIGURED     -EINVAL       hard (Pacemaker: on every node)
 *   7  OCF_NOT_RUNNING        -ESRCH        the resource is not running: after an online it
 *                                           died; for stop 0
 *   8  OCF_RUNNING_MASTER     -EIO          soft (this cluster never promotes)
 *   9  OCF_FAILED_MASTER      -EIO          soft
 *   other, 128+N (signal N)   -EIO          soft;  126 (not executable) -EACCES
 *   past the timeout          -ETIMEDOUT    soft
 */
#ifndef CLUSSVC_RM_OCF_H
#define CLUSSVC_RM_OCF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RM_OCF_DEFAULT_ROOT "/usr/lib/ocf"
#define RM_OCF_DEFAULT_RSCTMP "/run/resource-agents"
#define RM_OCF_DEFAULT_TIMEOUT_MS 20000 /* an action whose meta-data names no timeout */
#define RM_OCF_META_TIMEOUT_MS 5000     /* meta-data (what resource-agents advise for it) */
#define RM_OCF_TERMINATE_STOP_MS 2000   /* the stop terminate tries before it kills */
#define RM_OCF_KILL_WAIT_MS 3000        /* how long a kill of the control group may take */
#define RM_OCF_INSTANCE_MAX 64          /* OCF_RESOURCE_INSTANCE's size, NUL included */

enum ocf_exit {
    OCF_SUCCESS = 0,
    OCF_ERR_GENERIC = 1,
    OCF_ERR_ARGS = 2,
    OCF_ERR_UNIMPLEMENTED = 3,
    OCF_ERR_PERM = 4,
    OCF_ERR_INSTALLED = 5,
    OCF_ERR_CONFIGURED = 6,
    OCF_NOT_RUNNING = 7,
    OCF_RUNNING_MASTER = 8,
    OCF_FAILED_MASTER = 9,
};

/* How one exit status of one action reads (see the table above). */
struct rm_ocf_result {
    int err;          /* 0 or a negative errno */
    const char *code; /* "OCF_ERR_INSTALLED" …, NULL for a status OCF does not name */
    const char *what; /* a few words for the error message */
};

/* The result of action ("start", "stop", "monitor", "validate-all" …) exiting with status
 * (0..255, 128+N for signal N). Pure. */
struct rm_ocf_result rm_ocf_exit(const char *action, int status);

/*
 * OCF_RESOURCE_INSTANCE for a resource name. Agents put it unquoted into file names and shell
 * words, so only [A-Za-z0-9_.-] are kept; a name with any other character, or longer than fits,
 * becomes its kept characters ('_' for the others, cut to fit) plus '-' and eight hex digits of
 * a hash of the whole name, so two names never share state files by accident. buf holds
 * RM_OCF_INSTANCE_MAX bytes.
 */
void rm_ocf_instance(const char *name, char buf[RM_OCF_INSTANCE_MAX]);

/*
 * The installed agents as type names ("ocf:heartbeat:nginx"), sorted, in ONE malloc'd block
 * (the array and its strings: a single free()). An agent is an executable regular file (or a
 * link to one) in a provider's directory under $OCF_ROOT/resource.d, whose name has no ':' and
 * does not start with '.'. 0 or negative errno; none (also no OCF root): NULL, 0.
 */
int rm_ocf_agents(char ***ret_names, size_t *ret_n);
/* Is type_name ("ocf:PROVIDER:AGENT", any case) an agent installed here? Reads two directories. */
bool rm_ocf_installed(const char *type_name);

#endif
