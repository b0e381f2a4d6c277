/*
 * cli_format — how clusctl shows what the library reports: names of setup phases, phase types,
 * severities, object states and Win32 codes; one progress event as a plain line, a JSON object
 * or a live terminal line; error messages; exit codes. Pure: everything is appended to a
 * cli_buf, nothing is printed here.
 */
#ifndef CLUSAPI_CLI_FORMAT_H
#define CLUSAPI_CLI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli_text.h"

/* Exit codes of clusctl, as documented in --help and clusctl(1). */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1,      /* the operation failed; the Win32 code was printed */
    CLI_EXIT_USAGE = 2,       /* bad command line */
    CLI_EXIT_CANCELLED = 3,   /* ERROR_CANCELLED: the user pressed Ctrl-C */
    CLI_EXIT_UNREACHABLE = 4, /* cannot reach the cluster, or access denied */
};

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The CLUSTER_SETUP_PHASE name without its prefix ("ValidateNodeState"), NULL if unknown. */
const char *cli_phase_name(uint32_t phase);
/* The phase in words for people ("Validate node state"), NULL if unknown. */
const char *cli_phase_title(uint32_t phase);
/* "Start", "Continue", "End", "Report"; "Unknown" for other values. */
const char *cli_phase_type_name(uint32_t type);
/* "Informational", "Warning", "Fatal"; "Unknown" for other values. */
const char *cli_severity_name(uint32_t severity);
/* CLUSTER_NODE_STATE, CLUSTER_GROUP_STATE and CLUSTER_RESOURCE_STATE in words ("Up",
 * "PartialOnline", "OnlinePending"); "Unknown" for -1 and any other value. */
const char *cli_node_state_name(int state);
const char *cli_group_state_name(int state);
const char *cli_resource_state_name(int state);

/*
 * The symbolic name of a status as dwStatus or GetLastError() carry it, written to buf (n bytes,
 * 64 is always enough): "ERROR_CLUSTER_IPADDR_IN_USE"; an HRESULT that wraps a known Win32 code
 * as "HRESULT_FROM_WIN32(ERROR_CLUSTER_NODE_UNREACHABLE)"; any other HRESULT as "0x80040154";
 * an unknown Win32 code as "WIN32_ERROR_<decimal>". Returns buf.
 */
const char *cli_status_name(uint32_t status, char *buf, size_t n);

/* Appends a name as the one-line formats write it: bare when it is a non-empty run of
 * characters other than space, '"', '\' and control characters ("n2"), otherwise as a JSON
 * string ("\"Cluster Group\""). 0 or -ENOMEM. */
int cli_format_name(struct cli_buf *b, const char *name);

/* ------------------------------------------------------------------------------------------ */
/* Progress events                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* One call of the progress callback, with the object name already in UTF-8 (NULL if none). */
struct cli_event {
    uint32_t phase;
    uint32_t type;
    uint32_t severity;
    uint32_t percent;
    const char *object;
    uint32_t status;
};

/*
 * Appends the event as one line for scripts and logs, '\n' included:
 *   phase=100 ValidateNodeState type=Continue severity=Informational percent=21 object=n2 status=0
 * A non-zero status is followed by status_name=...; an HRESULT status is written in hex. The
 * object is written bare when it is a non-empty run of characters other than space, '"', '\'
 * and control characters, otherwise as a JSON string ("Cluster Group"). 0 or -ENOMEM.
 */
int cli_format_plain(struct cli_buf *b, const struct cli_event *ev);

/* Appends the event as one JSON object and '\n':
 *   {"event":"progress","phase":100,"phase_name":"ValidateNodeState","type":"Continue",
 *    "severity":"Informational","percent":21,"object":"n2","status":0,
 *    "status_name":"ERROR_SUCCESS"}
 * An unknown phase has "phase_name":null; a missing object is null. 0 or -ENOMEM. */
int cli_format_json_event(struct cli_buf *b, const struct cli_event *ev);

/* Appends the JSON members "status":N,"status_name":"...","message":"...","detail":"..." (no
 * braces) describing a Win32 status: message is win32_error_text(), detail is the library's
 * reason and is left out when NULL or empty. 0 or -ENOMEM. */
int cli_format_json_status(struct cli_buf *b, uint32_t status, const char *detail);

/* Appends the JSON object that ends a setup call's event stream, and '\n':
 *   {"event":"result","ok":true,"status":0,"status_name":"ERROR_SUCCESS","message":"...",
 *    "cluster":"clu1"}
 * with the members of cli_format_json_status() and then key:value (a string, e.g. "cluster" or
 * "node"), which is left out when key or value is NULL. 0 or -ENOMEM. */
int cli_format_json_result(struct cli_buf *b, uint32_t status, const char *detail,
                           const char *key, const char *value);

/* ------------------------------------------------------------------------------------------ */
/* Live display                                                                                */
/* ------------------------------------------------------------------------------------------ */

/*
 * The state of the terminal display of a setup call: at most one "open" line, the phase that is
 * running, redrawn in place with "\r\033[K"; every finished phase, warning and report is printed
 * once as a line of its own. The line is cut to width - 1 columns so it never wraps (a wrapped
 * line could not be redrawn with \r).
 */
struct cli_live {
    unsigned width;   /* terminal columns; 0 = 80 */
    bool open;        /* a running-phase line is on screen without its '\n' */
    uint32_t phase;   /* the open line's phase */
    uint32_t percent; /* highest percent seen */
    char object[128]; /* the open line's latest object */
};

/* Starts a display for a terminal of width columns (0 = 80). */
void cli_live_init(struct cli_live *lv, unsigned width);
/* Appends the escape sequences and text that show ev. 0 or -ENOMEM. */
int cli_live_event(struct cli_live *lv, const struct cli_event *ev, struct cli_buf *b);
/* Appends what removes a still open line, before the final result is printed. 0 or -ENOMEM. */
int cli_live_finish(struct cli_live *lv, struct cli_buf *b);

/* ------------------------------------------------------------------------------------------ */
/* Errors and exit codes                                                                       */
/* ------------------------------------------------------------------------------------------ */

/*
 * Appends "<what>: <NAME> (<code>): <text>[ (<detail>)]" without a newline, e.g.
 *   create failed: ERROR_CLUSTER_IPADDR_IN_USE (5057): The cluster IP address is already in
 *   use. (node n1: 10.1.0.100 already answers on eth0)
 * HRESULTs show their code in hex and the text of the Win32 code they wrap. detail may be NULL
 * or empty. 0 or -ENOMEM.
 */
int cli_format_error(struct cli_buf *b, const char *what, uint32_t status, const char *detail);

/* The exit code for the outcome of an operation: 0 for ERROR_SUCCESS, CLI_EXIT_CANCELLED for
 * ERROR_CANCELLED, CLI_EXIT_UNREACHABLE for the codes that mean the cluster (or a node) could
 * not be reached or refused our key, CLI_EXIT_FAILED for anything else. HRESULTs count as the
 * Win32 code they wrap. */
int cli_exit_for_status(uint32_t status);

#endif
