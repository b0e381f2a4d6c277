/*
 * cli_args — clusctl's command line, parsed into a struct, and the CREATE_CLUSTER_CONFIG that
 * `clusctl create` hands to CreateCluster. Pure: no I/O, no library calls.
 *
 * Grammar: clusctl [GLOBAL...] COMMAND [ARGS...], where options may also follow the command.
 * Long options take their value as "--opt VALUE" or "--opt=VALUE", -c as "-c VALUE" or
 * "-cVALUE"; "--" ends the options.
 */
#ifndef CLUSAPI_CLI_ARGS_H
#define CLUSAPI_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <clusapi.h>

#include "common/address.h"

enum cli_command {
    CLI_CMD_HELP = 1,
    CLI_CMD_VERSION,
    CLI_CMD_KEYGEN,
    CLI_CMD_CREATE,
    CLI_CMD_STATUS,
    CLI_CMD_NODE_LIST,
    CLI_CMD_GROUP_LIST,
    CLI_CMD_RESOURCE_LIST,
    CLI_CMD_ADD_NODE,
    CLI_CMD_EVICT,
    CLI_CMD_DESTROY,
    CLI_CMD_NODE_CLEAR,
    CLI_CMD_GROUP_ONLINE,
    CLI_CMD_GROUP_OFFLINE,
    CLI_CMD_GROUP_CREATE,
    CLI_CMD_GROUP_DELETE,
    CLI_CMD_PROP_LIST,
    CLI_CMD_PROP_GET,
    CLI_CMD_PROP_SET,
    CLI_CMD_GROUP_MOVE,
    CLI_CMD_NODE_PAUSE,
    CLI_CMD_NODE_RESUME,
    CLI_CMD_EVENTS,
    CLI_CMD_REKEY,
    CLI_CMD_QUORUM_SHOW,  /* quorum show */
    CLI_CMD_QUORUM_SET,   /* quorum set --witness HOST[:PORT] | --no-witness */
    CLI_CMD_RES_CREATE,   /* resource create NAME --group G --type T [--prop K=V]... */
    CLI_CMD_RES_DELETE,
    CLI_CMD_RES_ONLINE,
    CLI_CMD_RES_OFFLINE,
    CLI_CMD_RES_FAIL,
    CLI_CMD_RES_MOVE,     /* resource move-to-group NAME GROUP */
    CLI_CMD_RES_DEPEND,   /* resource depend NAME PROVIDER | NAME --expr EXPR */
    CLI_CMD_RES_UNDEPEND, /* resource undepend NAME PROVIDER */
    CLI_CMD_RES_OWNERS,   /* resource owners NAME [--add NODE]... [--remove NODE]... */
    CLI_CMD_RES_SET,      /* resource set NAME KEY=VALUE... */
    CLI_CMD_RES_GET,      /* resource get NAME [KEY] */
    CLI_CMD_RES_SHOW,
    CLI_CMD_RESTYPE_LIST, /* resource type list */
    CLI_CMD_RESTYPE_SHOW, /* resource type show TYPE */
    CLI_CMD_GROUP_SET,    /* group set GROUP KEY=VALUE... */
    CLI_CMD_GROUP_GET,    /* group get GROUP [KEY] */
    CLI_CMD_NODE_SET,     /* node set NODE KEY=VALUE... */
    CLI_CMD_NODE_GET,     /* node get NODE [KEY] */
};

/* resource online|offline: how long to wait for Online (or Failed) / Offline by default, ms:
 * Windows' default PendingTimeout, after which the cluster itself gives up. */
#define CLI_RESOURCE_TIMEOUT_MS 180000u

/* evict's default wait for the node's cleanup, as Windows clients use (REFERENCE §4.1). */
#define CLI_EVICT_TIMEOUT_MS 90000u

/* events --interval: how often the cluster is read, in milliseconds. */
#define CLI_EVENTS_INTERVAL_MS 200u
#define CLI_EVENTS_INTERVAL_MIN 50u
#define CLI_EVENTS_INTERVAL_MAX 10000u

/* --mgmt: the management point of a new cluster. AUTO: DNS_ONLY with addresses, else NONE. */
enum cli_mgmt {
    CLI_MGMT_AUTO = 0,
    CLI_MGMT_NONE,
    CLI_MGMT_DNS,
};

struct cli_ip {
    char address[ADDR_STRLEN]; /* canonical text */
    uint32_t prefix;
};

/* The parsed command line. Strings point into argv (not copied); the arrays are owned. */
struct cli_args {
    enum cli_command cmd;
    const char *cluster; /* -c/--cluster; NULL = the local node */
    bool json;
    const char *file; /* keygen FILE; rekey --new-key FILE */
    bool retire_old;  /* rekey --retire-old */
    const char *name; /* create NAME */
    size_t n_nodes;
    const char **nodes;
    size_t n_ips;
    struct cli_ip *ips;
    bool empty;
    enum cli_mgmt mgmt;
    const char *node;     /* add-node, evict, node pause|resume|set|get NODE; node clear [NODE]
                           * (NULL: the local node) */
    const char *group;    /* group online|offline|move GROUP */
    const char *prop;     /* property get|set NAME */
    const char *prop_value; /* property set NAME VALUE */
    const char *to_node;  /* group online|move --node; NULL: the cluster chooses */
    uint32_t timeout_ms;  /* evict --timeout; CLI_EVICT_TIMEOUT_MS unless given */
    bool yes;             /* destroy --yes */
    bool cleanup_ad;      /* destroy --cleanup-ad */
    bool force;           /* node clear --force */
    uint32_t interval_ms; /* events --interval; CLI_EVENTS_INTERVAL_MS unless given */
    uint32_t count;       /* events --count; 0: until stopped */
    bool cluster_credential; /* rekey --cluster-credential */
    bool timeout_given;      /* --timeout was on the command line */
    const char *resource;    /* resource ... NAME */
    const char *restype;     /* resource create --type; resource type show TYPE */
    const char *provider;    /* resource depend|undepend NAME PROVIDER */
    const char *expr;        /* resource depend NAME --expr EXPR */
    const char *key;         /* resource|group|node get NAME KEY; NULL: every property */
    size_t n_props;          /* resource create --prop, resource|group|node set: KEY=VALUE */
    const char **props;
    size_t n_owner_add, n_owner_remove; /* resource owners --add / --remove NODE */
    const char **owner_add, **owner_remove;
    const char *witness;     /* quorum set --witness HOST[:PORT] (checked by hostport_parse) */
    bool no_witness;         /* quorum set --no-witness */
};

/*
 * Parses argv[1..argc-1] into *ret. -h/--help anywhere gives CLI_CMD_HELP and --version
 * CLI_CMD_VERSION, whatever else is there. Returns 0; -EINVAL for a usage error, with a
 * one-line reason in errmsg (n bytes); -ENOMEM. On failure *ret is untouched and owns nothing;
 * on success free it with cli_args_done().
 */
int cli_args_parse(int argc, char *const *argv, struct cli_args *ret, char *errmsg, size_t n);
/*
 * Splits a KEY=VALUE word: the key (its bytes up to the first '=', at most n - 1 of them) into
 * key, and returns the value (what follows the '='). NULL when there is no '=', the key is empty
 * or too long.
 */
const char *cli_split_assignment(const char *word, char *key, size_t n);

/* Frees the arrays of a parsed command line. NULL-safe. */
void cli_args_done(struct cli_args *a);

/*
 * Whether `clusctl destroy` may go ahead, given whether stdin and stdout are a terminal: 0 for
 * any other command and for --yes, 1 when the user must be asked first, -EINVAL (a usage error,
 * reason in errmsg) without --yes and without a terminal, so that a script never destroys a
 * cluster by accident.
 */
int cli_args_confirm(const struct cli_args *a, bool terminal, char *errmsg, size_t n);

/* true if the line the user typed at a [y/N] question means yes: "y" or "yes" in any case,
 * blanks around it allowed. Anything else, the empty line included, is no. */
bool cli_answer_is_yes(const char *line);

/* The exit code for a cli_args_parse() result: 0, CLI_EXIT_USAGE for -EINVAL, CLI_EXIT_FAILED
 * for anything else. */
int cli_exit_for_parse(int rv);

/* A CREATE_CLUSTER_CONFIG with its UTF-16 strings, which it owns. */
struct cli_create {
    CREATE_CLUSTER_CONFIG cfg;
    char16_t *name;
    char16_t **nodes;
    char16_t **ip_text;
    CLUSTER_IP_ENTRY *ips;
};

/*
 * Builds the configuration of `clusctl create` from parsed arguments (cmd CLI_CMD_CREATE):
 * dwVersion CLUSAPI_VERSION_GA so that managementPointType is honoured; DNS_ONLY when addresses
 * are given, NONE for --empty or a cluster without addresses; no credentials. Returns 0,
 * -EINVAL (a string is not UTF-8) or -ENOMEM; on failure *ret owns nothing. Free with
 * cli_create_done().
 */
int cli_create_build(const struct cli_args *a, struct cli_create *ret);
/* Frees the strings and arrays of a built configuration. NULL-safe. */
void cli_create_done(struct cli_create *c);

#endif
