/*
 * cli_format — names, progress lines, JSON events, the live display, error messages and exit
 * codes of clusctl.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <clusapi.h>

#include "cli/cli_format.h"
#include "common/win32_error.h"

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static const struct {
    uint32_t value;
    const char *name;
    const char *title;
} phases[] = {
    {ClusterSetupPhaseInitialize, "Initialize", "Initialize"},
    {ClusterSetupPhaseValidateNodeState, "ValidateNodeState", "Validate node state"},
    {ClusterSetupPhaseValidateNetft, "ValidateNetft", "Validate network"},
    {ClusterSetupPhaseValidateClusDisk, "ValidateClusDisk", "Validate disks"},
    {ClusterSetupPhaseConfigureClusSvc, "ConfigureClusSvc", "Configure cluster service"},
    {ClusterSetupPhaseStartingClusSvc, "StartingClusSvc", "Start cluster service"},
    {ClusterSetupPhaseQueryClusterNameAccount, "QueryClusterNameAccount", "Look up cluster name"},
    {ClusterSetupPhaseValidateClusterNameAccount, "ValidateClusterNameAccount",
     "Validate cluster name"},
    {ClusterSetupPhaseCreateClusterAccount, "CreateClusterAccount", "Create cluster identity"},
    {ClusterSetupPhaseConfigureClusterAccount, "ConfigureClusterAccount",
     "Configure cluster identity"},
    {ClusterSetupPhaseFormingCluster, "FormingCluster", "Form cluster"},
    {ClusterSetupPhaseAddClusterProperties, "AddClusterProperties", "Add cluster properties"},
    {ClusterSetupPhaseCreateResourceTypes, "CreateResourceTypes", "Create resource types"},
    {ClusterSetupPhaseCreateGroups, "CreateGroups", "Create groups"},
    {ClusterSetupPhaseCreateIPAddressResources, "CreateIPAddressResources",
     "Create IP address resources"},
    {ClusterSetupPhaseCreateNetworkName, "CreateNetworkName", "Create network name"},
    {ClusterSetupPhaseClusterGroupOnline, "ClusterGroupOnline", "Bring cluster group online"},
    {ClusterSetupPhaseGettingCurrentMembership, "GettingCurrentMembership",
     "Get current membership"},
    {ClusterSetupPhaseAddNodeToCluster, "AddNodeToCluster", "Add node to cluster"},
    {ClusterSetupPhaseNodeUp, "NodeUp", "Wait for node up"},
    {ClusterSetupPhaseApplyNetworkATCIntents, "ApplyNetworkATCIntents", "Apply network intents"},
    {ClusterSetupPhaseMoveGroup, "MoveGroup", "Move group"},
    {ClusterSetupPhaseDeleteGroup, "DeleteGroup", "Delete group"},
    {ClusterSetupPhaseCleanupCOs, "CleanupCOs", "Clean up computer objects"},
    {ClusterSetupPhaseOfflineGroup, "OfflineGroup", "Take group offline"},
    {ClusterSetupPhaseEvictNode, "EvictNode", "Evict node"},
    {ClusterSetupPhaseCleanupNode, "CleanupNode", "Clean up node"},
    {ClusterSetupPhaseCoreGroupCleanup, "CoreGroupCleanup", "Clean up core group"},
    {ClusterSetupPhaseRepairCNOAccount, "RepairCNOAccount", "Repair cluster name account"},
    {ClusterSetupPhaseRepairDNSPermissions, "RepairDNSPermissions", "Repair DNS permissions"},
    {ClusterSetupPhaseFailureCleanup, "FailureCleanup", "Roll back"},
};

#define N_PHASES (sizeof(phases) / sizeof(phases[0]))

const char *cli_phase_name(uint32_t phase)
{
    for (size_t i = 0; i < N_PHASES; i++)
        if (phases[i].value == phase)
            return phases[i].name;
    return NULL;
}

const char *cli_phase_title(uint32_t phase)
{
    for (size_t i = 0; i < N_PHASES; i++)
        if (phases[i].value == phase)
            return phases[i].title;
    return NULL;
}

/* names[v - first], or "Unknown" outside the table. */
static const char *lookup(const char *const *names, size_t n, long first, long v)
{
    if (v < first || v - first >= (long)n || names[v - first] == NULL)
        return "Unknown";
    return names[v - first];
}

const char *cli_phase_type_name(uint32_t type)
{
    static const char *const names[] = {"Start", "Continue", "End", "Report"};

    return lookup(names, 4, 1, type);
}

const char *cli_severity_name(uint32_t severity)
{
    static const char *const names[] = {"Informational", "Warning", "Fatal"};

    return lookup(names, 3, 1, severity);
}

const char *cli_node_state_name(int state)
{
    static const char *const names[] = {"Up", "Down", "Paused", "Joining"};

    return lookup(names, 4, 0, state);
}

const char *cli_group_state_name(int state)
{
    static const char *const names[] = {"Online", "Offline", "Failed", "PartialOnline", "Pending"};

    return lookup(names, 5, 0, state);
}

const char *cli_resource_state_name(int state)
{
    static const char *const low[] = {"Inherited", "Initializing", "Online", "Offline", "Failed"};
    static const char *const pending[] = {"Pending", "OnlinePending", "OfflinePending"};

    if (state >= ClusterResourcePending)
        return lookup(pending, 3, ClusterResourcePending, state);
    return lookup(low, 5, 0, state);
}

const char *cli_status_name(uint32_t status, char *buf, size_t n)
{
    const char *name = win32_error_name(status);

    if (name != NULL) {
        snprintf(buf, n, "%s", name);
    } else if (win32_is_hresult(status)) {
        uint32_t inner = win32_from_hresult(status);
        const char *iname = inner != status ? win32_error_name(inner) : NULL;

        if (iname != NULL)
            snprintf(buf, n, "HRESULT_FROM_WIN32(%s)", iname);
        else
            snprintf(buf, n, "0x%08X", (unsigned)status);
    } else {
        snprintf(buf, n, "WIN32_ERROR_%u", (unsigned)status);
    }
    return buf;
}

/* ------------------------------------------------------------------------------------------ */
/* Progress events                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* true if s can be written bare in a key=value line. */
static bool plain_bare(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c <= ' ' || c == '"' || c == '\\' || c == 0x7F)
            return false;
    }
    return true;
}

int cli_format_name(struct cli_buf *b, const char *name)
{
    return plain_bare(name) ? cli_buf_puts(b, name) : cli_json_string(b, name);
}

int cli_format_plain(struct cli_buf *b, const struct cli_event *ev)
{
    const char *name = cli_phase_name(ev->phase);
    const char *object = ev->object != NULL ? ev->object : "";
    char sname[64];
    int rv;

    rv =
        cli_buf_printf(b, "phase=%u %s type=%s severity=%s percent=%u object=", (unsigned)ev->phase,
                       name != NULL ? name : "Unknown", cli_phase_type_name(ev->type),
                       cli_severity_name(ev->severity), (unsigned)ev->percent);
    if (rv == 0)
        rv = cli_format_name(b, object);
    if (rv == 0 && win32_is_hresult(ev->status))
        rv = cli_buf_printf(b, " status=0x%08X", (unsigned)ev->status);
    else if (rv == 0)
        rv = cli_buf_printf(b, " status=%u", (unsigned)ev->status);
    if (rv == 0 && ev->status != 0)
        rv =
            cli_buf_printf(b, " status_name=%s", cli_status_name(ev->status, sname, sizeof(sname)));
    return rv == 0 ? cli_buf_puts(b, "\n") : rv;
}

int cli_format_json_event(struct cli_buf *b, const struct cli_event *ev)
{
    char sname[64];
    int rv;

    rv = cli_buf_printf(
        b, "{\"event\":\"progress\",\"phase\":%u,\"phase_name\":", (unsigned)ev->phase);
    if (rv == 0)
        rv = cli_json_string(b, cli_phase_name(ev->phase));
    if (rv == 0)
        rv = cli_buf_printf(b, ",\"type\":\"%s\",\"severity\":\"%s\",\"percent\":%u,\"object\":",
                            cli_phase_type_name(ev->type), cli_severity_name(ev->severity),
                            (unsigned)ev->percent);
    if (rv == 0)
        rv = cli_json_string(b, ev->object);
    if (rv == 0)
        rv = cli_buf_printf(b, ",\"status\":%u,\"status_name\":", (unsigned)ev->status);
    if (rv == 0)
        rv = cli_json_string(b, cli_status_name(ev->status, sname, sizeof(sname)));
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}

int cli_format_json_status(struct cli_buf *b, uint32_t status, const char *detail)
{
    char sname[64];
    int rv;

    rv = cli_buf_printf(b, "\"status\":%u,\"status_name\":", (unsigned)status);
    if (rv == 0)
        rv = cli_json_string(b, cli_status_name(status, sname, sizeof(sname)));
    if (rv == 0)
        rv = cli_buf_puts(b, ",\"message\":");
    if (rv == 0)
        rv = cli_json_string(b, win32_error_text(win32_from_hresult(status)));
    if (rv == 0 && detail != NULL && *detail != '\0') {
        rv = cli_buf_puts(b, ",\"detail\":");
        if (rv == 0)
            rv = cli_json_string(b, detail);
    }
    return rv;
}

int cli_format_json_result(struct cli_buf *b, uint32_t status, const char *detail,
                           const char *key, const char *value)
{
    int rv = cli_buf_printf(b, "{\"event\":\"result\",\"ok\":%s,", status == 0 ? "true" : "false");

    if (rv == 0)
        rv = cli_format_json_status(b, status, detail);
    if (rv == 0 && key != NULL && value != NULL) {
        rv = cli_buf_puts(b, ",");
        if (rv == 0)
            rv = cli_json_string(b, key);
        if (rv == 0)
            rv = cli_buf_puts(b, ":");
        if (rv == 0)
            rv = cli_json_string(b, value);
    }
    return rv == 0 ? cli_buf_puts(b, "}\n") : rv;
}

/* ------------------------------------------------------------------------------------------ */
/* Live display                                                                                */
/* ------------------------------------------------------------------------------------------ */

#define LIVE_CLEAR "\r\033[K"
#define LIVE_TITLE_COLS 28
#define LIVE_OBJECT_COLS 16

void cli_live_init(struct cli_live *lv, unsigned width)
{
    *lv = (struct cli_live){.width = width ? width : 80};
}

/* The state column of a finished line or warning: "ok", "warning ERROR_X", "FAILED ERROR_X". */
static const char *live_state(const struct cli_event *ev, char *buf, size_t n)
{
    char sname[64];
    const char *word;

    if (ev->severity == ClusterSetupPhaseFatal)
        word = "FAILED";
    else if (ev->severity == ClusterSetupPhaseWarning)
        word = "warning";
    else if (ev->type == ClusterSetupPhaseReport)
        word = "note";
    else
        word = "ok";
    if (ev->status != 0 && ev->severity != ClusterSetupPhaseInformational)
        snprintf(buf, n, "%s %s", word, cli_status_name(ev->status, sname, sizeof(sname)));
    else
        snprintf(buf, n, "%s", word);
    return buf;
}

/* Appends "[ 21%] Validate node state          n2               state"; with cut, the line is
 * cut to the terminal width so that it never wraps. */
static int live_line(const struct cli_live *lv, struct cli_buf *b, uint32_t phase,
                     const char *object, const char *state, bool cut)
{
    const char *title = cli_phase_title(phase);
    struct cli_buf line = {0};
    char unknown[32];
    int rv;

    if (title == NULL) {
        snprintf(unknown, sizeof(unknown), "Phase %u", (unsigned)phase);
        title = unknown;
    }
    rv = cli_buf_printf(&line, "[%3u%%] %-*s %s", (unsigned)lv->percent, LIVE_TITLE_COLS, title,
                        object);
    for (size_t w = cli_utf8_width(object); rv == 0 && w < LIVE_OBJECT_COLS; w++)
        rv = cli_buf_puts(&line, " ");
    if (rv == 0)
        rv = cli_buf_printf(&line, " %s", state);
    if (rv == 0) {
        size_t n = cut ? cli_utf8_prefix(cli_buf_str(&line), lv->width - 1) : line.len;

        rv = cli_buf_add(b, cli_buf_str(&line), n);
    }
    cli_buf_done(&line);
    return rv;
}

static int live_redraw(const struct cli_live *lv, struct cli_buf *b)
{
    return lv->open ? live_line(lv, b, lv->phase, lv->object, "running", true) : 0;
}

/* A line printed once: a finished phase, a warning or a report. */
static int live_permanent(const struct cli_live *lv, struct cli_buf *b, const struct cli_event *ev,
                          const char *object)
{
    char state[96];
    int rv = live_line(lv, b, ev->phase, object, live_state(ev, state, sizeof(state)), false);

    return rv == 0 ? cli_buf_puts(b, "\n") : rv;
}

int cli_live_event(struct cli_live *lv, const struct cli_event *ev, struct cli_buf *b)
{
    const char *object = ev->object != NULL ? ev->object : "";
    bool same = lv->open && lv->phase == ev->phase;
    bool notable = ev->severity != ClusterSetupPhaseInformational || ev->status != 0;
    int rv = lv->open ? cli_buf_puts(b, LIVE_CLEAR) : 0;

    if (ev->percent > lv->percent)
        lv->percent = ev->percent;
    if (rv != 0)
        return rv;
    if (ev->type == ClusterSetupPhaseEnd) {
        if (*object == '\0' && same)
            object = lv->object;
        rv = live_permanent(lv, b, ev, object);
        if (same)
            lv->open = false;
        return rv == 0 ? live_redraw(lv, b) : rv;
    }
    if (ev->type == ClusterSetupPhaseReport || notable) {
        rv = live_permanent(lv, b, ev, object);
        return rv == 0 ? live_redraw(lv, b) : rv;
    }
    /* Start, or a Continue that moves the running phase on to its next object. */
    if (ev->type == ClusterSetupPhaseStart || !same || *object != '\0')
        snprintf(lv->object, sizeof(lv->object), "%s", object);
    lv->open = true;
    lv->phase = ev->phase;
    return live_redraw(lv, b);
}

int cli_live_finish(struct cli_live *lv, struct cli_buf *b)
{
    if (!lv->open)
        return 0;
    lv->open = false;
    return cli_buf_puts(b, LIVE_CLEAR);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors and exit codes                                                                       */
/* ------------------------------------------------------------------------------------------ */

int cli_format_error(struct cli_buf *b, const char *what, uint32_t status, const char *detail)
{
    char sname[64];
    int rv;

    cli_status_name(status, sname, sizeof(sname));
    if (win32_is_hresult(status))
        rv = cli_buf_printf(b, "%s: %s (0x%08X): %s", what, sname, (unsigned)status,
                            win32_error_text(win32_from_hresult(status)));
    else
        rv = cli_buf_printf(b, "%s: %s (%u): %s", what, sname, (unsigned)status,
                            win32_error_text(status));
    if (rv == 0 && detail != NULL && *detail != '\0')
        rv = cli_buf_printf(b, " (%s)", detail);
    return rv;
}

int cli_exit_for_status(uint32_t status)
{
    switch (win32_from_hresult(status)) {
    case ERROR_SUCCESS:
        return CLI_EXIT_OK;
    case ERROR_CANCELLED:
        return CLI_EXIT_CANCELLED;
    case ERROR_ACCESS_DENIED:
    case ERROR_TIMEOUT:
    case ERROR_CONNECTION_REFUSED:
    case ERROR_NETWORK_UNREACHABLE:
    case ERROR_HOST_UNREACHABLE:
    case ERROR_CLUSTER_NODE_UNREACHABLE:
    case ERROR_CLUSTER_NODE_NOT_MEMBER:
        return CLI_EXIT_UNREACHABLE;
    default:
        return CLI_EXIT_FAILED;
    }
}
