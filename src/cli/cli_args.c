/*
 * cli_args — clusctl's command line and the CREATE_CLUSTER_CONFIG built from it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli_args.h"
#include "cli/cli_format.h"
#include "common/hostport.h"
#include "common/names.h"
#include "common/rpc_proto.h"
#include "common/utf16.h"

enum opt_id {
    OPT_CLUSTER,
    OPT_JSON,
    OPT_NODE,
    OPT_IP,
    OPT_EMPTY,
    OPT_MGMT,
    OPT_TIMEOUT,
    OPT_YES,
    OPT_CLEANUP_AD,
    OPT_FORCE,
    OPT_INTERVAL,
    OPT_COUNT,
    OPT_NEW_KEY,
    OPT_RETIRE_OLD,
    OPT_CLUSTER_CREDENTIAL,
    OPT_GROUP,
    OPT_TYPE,
    OPT_PROP,
    OPT_EXPR,
    OPT_ADD,
    OPT_REMOVE,
    OPT_WITNESS,
    OPT_NO_WITNESS,
};

#define CMD(c) (1ull << (c))

static const struct option_def {
    const char *name;
    char short_name;
    bool takes_value;
    uint64_t commands;   /* CMD() of each command it applies to; 0: every command */
    const char *applies; /* the same in words, for the error message */
    enum opt_id id;
} options[] = {
    {"cluster", 'c', true, 0, NULL, OPT_CLUSTER},
    {"json", 0, false, 0, NULL, OPT_JSON},
    {"node", 0, true, CMD(CLI_CMD_CREATE) | CMD(CLI_CMD_GROUP_ONLINE) | CMD(CLI_CMD_GROUP_MOVE),
     "create, group online and group move", OPT_NODE},
    {"ip", 0, true, CMD(CLI_CMD_CREATE), "create", OPT_IP},
    {"empty", 0, false, CMD(CLI_CMD_CREATE), "create", OPT_EMPTY},
    {"mgmt", 0, true, CMD(CLI_CMD_CREATE), "create", OPT_MGMT},
    {"timeout", 0, true, CMD(CLI_CMD_EVICT) | CMD(CLI_CMD_RES_ONLINE) | CMD(CLI_CMD_RES_OFFLINE),
     "evict, resource online and resource offline", OPT_TIMEOUT},
    {"yes", 0, false, CMD(CLI_CMD_DESTROY), "destroy", OPT_YES},
    {"cleanup-ad", 0, false, CMD(CLI_CMD_DESTROY), "destroy", OPT_CLEANUP_AD},
    {"force", 0, false, CMD(CLI_CMD_NODE_CLEAR), "node clear", OPT_FORCE},
    {"interval", 0, true, CMD(CLI_CMD_EVENTS), "events", OPT_INTERVAL},
    {"count", 0, true, CMD(CLI_CMD_EVENTS), "events", OPT_COUNT},
    {"new-key", 0, true, CMD(CLI_CMD_REKEY), "rekey", OPT_NEW_KEY},
    {"retire-old", 0, false, CMD(CLI_CMD_REKEY), "rekey", OPT_RETIRE_OLD},
    {"cluster-credential", 0, false, CMD(CLI_CMD_REKEY), "rekey", OPT_CLUSTER_CREDENTIAL},
    {"group", 0, true, CMD(CLI_CMD_RES_CREATE) | CMD(CLI_CMD_RESOURCE_LIST),
     "resource create and resource list", OPT_GROUP},
    {"type", 0, true, CMD(CLI_CMD_RES_CREATE), "resource create", OPT_TYPE},
    {"prop", 0, true, CMD(CLI_CMD_RES_CREATE), "resource create", OPT_PROP},
    {"expr", 0, true, CMD(CLI_CMD_RES_DEPEND), "resource depend", OPT_EXPR},
    {"add", 0, true, CMD(CLI_CMD_RES_OWNERS), "resource owners", OPT_ADD},
    {"remove", 0, true, CMD(CLI_CMD_RES_OWNERS), "resource owners", OPT_REMOVE},
    {"witness", 0, true, CMD(CLI_CMD_QUORUM_SET), "quorum set", OPT_WITNESS},
    {"no-witness", 0, false, CMD(CLI_CMD_QUORUM_SET), "quorum set", OPT_NO_WITNESS},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

/* The state of one parse; its arrays move to the result on success. */
struct parser {
    struct cli_args a;
    const char **pos; /* positional words */
    size_t n_pos;
    uint32_t seen;     /* 1 << opt_id of each option given */
    char name_buf[32]; /* "group online": the command in words, for messages */
    char *errmsg;
    size_t errlen;
};

static int usage(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records a usage error; returns -EINVAL. */
static int usage(struct parser *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->errmsg, p->errlen, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static int add_ip(struct parser *p, const char *text)
{
    struct cli_ip *ip = &p->a.ips[p->a.n_ips];
    struct net_addr addr;
    uint32_t prefix;

    if (addr_parse_cidr(text, &addr, &prefix) < 0)
        return usage(p,
                     "bad --ip '%s': expected ADDR/PREFIX, e.g. 10.0.0.50/24 or "
                     "2001:db8::50/64",
                     text);
    if (prefix == 0)
        return usage(p, "bad --ip '%s': the prefix length must be at least 1", text);
    addr_format(&addr, ip->address, sizeof(ip->address));
    ip->prefix = prefix;
    p->a.n_ips++;
    return 0;
}

static int add_node(struct parser *p, const char *name)
{
    if (*name == '\0')
        return usage(p, "--node needs a non-empty node name");
    if (utf8_validate(name, strlen(name)) < 0)
        return usage(p, "node name is not valid UTF-8");
    for (size_t i = 0; i < p->a.n_nodes; i++)
        if (name_equal(p->a.nodes[i], name))
            return usage(p, "node '%s' is given twice", name);
    p->a.nodes[p->a.n_nodes++] = name;
    return 0;
}

const char *cli_split_assignment(const char *word, char *key, size_t n)
{
    const char *eq = strchr(word, '=');
    size_t len;

    if (eq == NULL || eq == word || (len = (size_t)(eq - word)) >= n)
        return NULL;
    memcpy(key, word, len);
    key[len] = '\0';
    return eq + 1;
}

/* A KEY=VALUE word of --prop or set, checked for its form only: the values are typed later,
 * against the type's parameters. */
static int add_assignment(struct parser *p, const char *word, const char *what)
{
    char key[256];

    if (cli_split_assignment(word, key, sizeof(key)) == NULL)
        return usage(p, "bad %s '%s': expected KEY=VALUE", what, word);
    if (utf8_validate(word, strlen(word)) < 0)
        return usage(p, "%s '%s' is not valid UTF-8", what, key);
    p->a.props[p->a.n_props++] = word;
    return 0;
}

static int add_owner(struct parser *p, const char *node, const char **v, size_t *n)
{
    if (*node == '\0' || utf8_validate(node, strlen(node)) < 0)
        return usage(p, "a NODE must be a non-empty UTF-8 string");
    v[(*n)++] = node;
    return 0;
}

/* quorum set --witness HOST[:PORT]: its form is checked here, so a typo reaches no node. */
static int set_witness(struct parser *p, const char *text)
{
    char host[HOSTPORT_HOST_MAX];
    const char *reason = NULL;
    uint16_t port;

    if (hostport_parse(text, RPC_DEFAULT_PORT, host, sizeof(host), &port, &reason) < 0)
        return usage(p, "bad --witness '%.64s%s': %s (expected HOST or HOST:PORT)", text,
                     strlen(text) > 64 ? "..." : "", reason);
    p->a.witness = text;
    return 0;
}

/* A decimal number in [min, max] (max at most UINT32_MAX) into *ret. 0 or -EINVAL. */
static int parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *ret)
{
    uint64_t v = 0;
    const char *c = text;

    for (; *c >= '0' && *c <= '9' && v <= UINT32_MAX; c++)
        v = v * 10 + (uint64_t)(*c - '0');
    if (c == text || *c != '\0' || v < min || v > max)
        return -EINVAL;
    *ret = (uint32_t)v;
    return 0;
}

static int parse_number(struct parser *p, enum opt_id id, const char *text)
{
    int rv;

    switch (id) {
    case OPT_TIMEOUT:
        p->a.timeout_given = true;
        if (parse_u32(text, 0, UINT32_MAX, &p->a.timeout_ms) < 0)
            return usage(p, "bad --timeout '%s': expected milliseconds, e.g. 90000", text);
        return 0;
    case OPT_INTERVAL:
        rv = parse_u32(text, CLI_EVENTS_INTERVAL_MIN, CLI_EVENTS_INTERVAL_MAX, &p->a.interval_ms);
        if (rv < 0)
            return usage(p, "bad --interval '%s': expected milliseconds from %u to %u", text,
                         CLI_EVENTS_INTERVAL_MIN, CLI_EVENTS_INTERVAL_MAX);
        return 0;
    case OPT_COUNT:
        if (parse_u32(text, 1, UINT32_MAX, &p->a.count) < 0)
            return usage(p, "bad --count '%s': expected a number of changes, at least 1", text);
        return 0;
    default:
        return usage(p, "internal error: not a number option");
    }
}

static int apply_option(struct parser *p, const struct option_def *o, const char *value)
{
    p->seen |= 1u << o->id;
    switch (o->id) {
    case OPT_CLUSTER:
        if (*value == '\0' || utf8_validate(value, strlen(value)) < 0)
            return usage(p, "--cluster needs a name or address in UTF-8");
        p->a.cluster = value;
        return 0;
    case OPT_JSON:
        p->a.json = true;
        return 0;
    case OPT_NODE:
        return add_node(p, value);
    case OPT_IP:
        return add_ip(p, value);
    case OPT_EMPTY:
        p->a.empty = true;
        return 0;
    case OPT_MGMT:
        if (strcmp(value, "none") == 0)
            p->a.mgmt = CLI_MGMT_NONE;
        else if (strcmp(value, "dns") == 0)
            p->a.mgmt = CLI_MGMT_DNS;
        else
            return usage(p, "--mgmt takes 'none' or 'dns', not '%s'", value);
        return 0;
    case OPT_TIMEOUT:
    case OPT_INTERVAL:
    case OPT_COUNT:
        return parse_number(p, o->id, value);
    case OPT_YES:
        p->a.yes = true;
        return 0;
    case OPT_CLEANUP_AD:
        p->a.cleanup_ad = true;
        return 0;
    case OPT_FORCE:
        p->a.force = true;
        return 0;
    case OPT_NEW_KEY:
        if (*value == '\0')
            return usage(p, "--new-key needs a non-empty FILE");
        p->a.file = value;
        return 0;
    case OPT_RETIRE_OLD:
        p->a.retire_old = true;
        return 0;
    case OPT_CLUSTER_CREDENTIAL:
        p->a.cluster_credential = true;
        return 0;
    case OPT_GROUP:
        p->a.group = value;
        return 0;
    case OPT_TYPE:
        p->a.restype = value;
        return 0;
    case OPT_PROP:
        return add_assignment(p, value, "--prop");
    case OPT_EXPR:
        p->a.expr = value;
        return 0;
    case OPT_ADD:
        return add_owner(p, value, p->a.owner_add, &p->a.n_owner_add);
    case OPT_REMOVE:
        return add_owner(p, value, p->a.owner_remove, &p->a.n_owner_remove);
    case OPT_WITNESS:
        return set_witness(p, value);
    case OPT_NO_WITNESS:
        p->a.no_witness = true;
        return 0;
    }
    return usage(p, "internal error: unhandled option");
}

static const struct option_def *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

/* Parses the option at argv[*i], which starts with '-'; advances *i past a separate value. */
static int parse_option(struct parser *p, int argc, char *const *argv, int *i)
{
    const char *arg = argv[*i], *value = NULL;
    const struct option_def *o = NULL;

    if (arg[1] == '-') {
        const char *eq = strchr(arg + 2, '=');

        o = find_long(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
        value = eq ? eq + 1 : NULL;
        if (o != NULL && !o->takes_value && eq != NULL)
            return usage(p, "option '--%s' takes no value", o->name);
    } else {
        for (size_t k = 0; k < N_OPTIONS && o == NULL; k++)
            if (options[k].short_name != 0 && options[k].short_name == arg[1])
                o = &options[k];
        value = o != NULL && arg[2] != '\0' ? arg + 2 : NULL;
        if (o != NULL && !o->takes_value && arg[2] != '\0')
            o = NULL;
    }
    if (o == NULL)
        return usage(p, "unknown option '%s'", arg);
    if (o->takes_value && value == NULL) {
        if (*i + 1 >= argc)
            return usage(p, "option '--%s' needs a value", o->name);
        value = argv[++*i];
    }
    return apply_option(p, o, value);
}

/* ------------------------------------------------------------------------------------------ */
/* Commands                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static const struct command_def {
    const char *word, *sub;
    enum cli_command cmd;
    size_t min_args, max_args; /* words after the command (and its subcommand) */
    const char *arg;           /* what the argument is, for "needs a NODE" */
} commands[] = {
    {"help", NULL, CLI_CMD_HELP, 0, 0, NULL},
    {"keygen", NULL, CLI_CMD_KEYGEN, 1, 1, "a FILE"},
    {"create", NULL, CLI_CMD_CREATE, 1, 1, "a cluster NAME"},
    {"status", NULL, CLI_CMD_STATUS, 0, 0, NULL},
    {"add-node", NULL, CLI_CMD_ADD_NODE, 1, 1, "a NODE"},
    {"evict", NULL, CLI_CMD_EVICT, 1, 1, "a NODE"},
    {"destroy", NULL, CLI_CMD_DESTROY, 0, 0, NULL},
    {"node", "list", CLI_CMD_NODE_LIST, 0, 0, NULL},
    {"node", "clear", CLI_CMD_NODE_CLEAR, 0, 1, NULL},
    {"node", "pause", CLI_CMD_NODE_PAUSE, 1, 1, "a NODE"},
    {"node", "resume", CLI_CMD_NODE_RESUME, 1, 1, "a NODE"},
    {"node", "set", CLI_CMD_NODE_SET, 2, SIZE_MAX, "a NODE and KEY=VALUE"},
    {"node", "get", CLI_CMD_NODE_GET, 1, 2, "a NODE"},
    {"group", "list", CLI_CMD_GROUP_LIST, 0, 0, NULL},
    {"group", "online", CLI_CMD_GROUP_ONLINE, 1, 1, "a GROUP"},
    {"group", "offline", CLI_CMD_GROUP_OFFLINE, 1, 1, "a GROUP"},
    {"group", "move", CLI_CMD_GROUP_MOVE, 1, 1, "a GROUP"},
    {"group", "create", CLI_CMD_GROUP_CREATE, 1, 1, "a GROUP"},
    {"group", "delete", CLI_CMD_GROUP_DELETE, 1, 1, "a GROUP"},
    {"group", "set", CLI_CMD_GROUP_SET, 2, SIZE_MAX, "a GROUP and KEY=VALUE"},
    {"group", "get", CLI_CMD_GROUP_GET, 1, 2, "a GROUP"},
    {"resource", "list", CLI_CMD_RESOURCE_LIST, 0, 0, NULL},
    {"resource", "create", CLI_CMD_RES_CREATE, 1, 1, "a resource NAME"},
    {"resource", "delete", CLI_CMD_RES_DELETE, 1, 1, "a resource NAME"},
    {"resource", "online", CLI_CMD_RES_ONLINE, 1, 1, "a resource NAME"},
    {"resource", "offline", CLI_CMD_RES_OFFLINE, 1, 1, "a resource NAME"},
    {"resource", "fail", CLI_CMD_RES_FAIL, 1, 1, "a resource NAME"},
    {"resource", "move-to-group", CLI_CMD_RES_MOVE, 2, 2, "a resource NAME and a GROUP"},
    {"resource", "depend", CLI_CMD_RES_DEPEND, 1, 2, "a resource NAME"},
    {"resource", "undepend", CLI_CMD_RES_UNDEPEND, 2, 2, "a resource NAME and a PROVIDER"},
    {"resource", "owners", CLI_CMD_RES_OWNERS, 1, 1, "a resource NAME"},
    {"resource", "set", CLI_CMD_RES_SET, 2, SIZE_MAX, "a resource NAME and KEY=VALUE"},
    {"resource", "get", CLI_CMD_RES_GET, 1, 2, "a resource NAME"},
    {"resource", "show", CLI_CMD_RES_SHOW, 1, 1, "a resource NAME"},
    {"resource", "type", CLI_CMD_RESTYPE_LIST, 1, 2, "'list' or 'show TYPE'"},
    {"property", "list", CLI_CMD_PROP_LIST, 0, 0, NULL},
    {"property", "get", CLI_CMD_PROP_GET, 1, 1, "a property NAME"},
    {"property", "set", CLI_CMD_PROP_SET, 2, 2, "a property NAME and a VALUE"},
    {"events", NULL, CLI_CMD_EVENTS, 0, 0, NULL},
    {"rekey", NULL, CLI_CMD_REKEY, 0, 0, NULL},
    {"quorum", "show", CLI_CMD_QUORUM_SHOW, 0, 0, NULL},
    {"quorum", "set", CLI_CMD_QUORUM_SET, 0, 0, NULL},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* "'group' needs a subcommand: 'list', 'online', 'offline' or 'move'" and its variants. */
static int bad_subcommand(struct parser *p, const char *word, const char *given)
{
    char list[256] = "";
    size_t n = 0, len = 0, k = 0;
    const char *sep;

    for (size_t i = 0; i < N_COMMANDS; i++)
        n += strcmp(commands[i].word, word) == 0;
    for (size_t i = 0; i < N_COMMANDS && len < sizeof(list); i++) {
        if (strcmp(commands[i].word, word) != 0)
            continue;
        sep = ++k == 1 ? "" : k == n ? " or " : ", ";
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s'%s'", sep, commands[i].sub);
    }
    if (given == NULL)
        return usage(p, "'%s' needs a subcommand: %s", word, list);
    return usage(p, "unknown subcommand '%s %s': expected %s", word, given, list);
}

/* The command named by the first positional words, or NULL after a usage error. */
static const struct command_def *find_command(struct parser *p)
{
    const char *word = p->pos[0], *sub = p->n_pos > 1 ? p->pos[1] : NULL;
    bool has_subs = false;

    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].word, word) != 0)
            continue;
        if (commands[i].sub == NULL)
            return &commands[i];
        has_subs = true;
        if (sub != NULL && strcmp(commands[i].sub, sub) == 0)
            return &commands[i];
    }
    if (has_subs)
        bad_subcommand(p, word, sub);
    else
        usage(p, "unknown command '%s'", word);
    return NULL;
}

/* The words after `resource ...`, `group set|get` and `node set|get`. */
static int assign_object_args(struct parser *p, const char *const *args, size_t n)
{
    struct cli_args *a = &p->a;
    int rv = 0;

    if (a->cmd == CLI_CMD_RESTYPE_LIST) {
        if (n == 1 && strcmp(args[0], "list") == 0)
            return 0;
        if (n == 2 && strcmp(args[0], "show") == 0) {
            a->cmd = CLI_CMD_RESTYPE_SHOW;
            a->restype = args[1];
            return 0;
        }
        return usage(p, "'resource type' takes 'list' or 'show TYPE'");
    }
    if (a->cmd == CLI_CMD_GROUP_SET || a->cmd == CLI_CMD_GROUP_GET)
        a->group = args[0];
    else if (a->cmd == CLI_CMD_NODE_SET || a->cmd == CLI_CMD_NODE_GET)
        a->node = args[0];
    else
        a->resource = args[0];
    if (a->cmd == CLI_CMD_RES_MOVE)
        a->group = args[1];
    else if (a->cmd == CLI_CMD_RES_DEPEND || a->cmd == CLI_CMD_RES_UNDEPEND)
        a->provider = n > 1 ? args[1] : NULL;
    else if (a->cmd == CLI_CMD_RES_GET || a->cmd == CLI_CMD_GROUP_GET ||
             a->cmd == CLI_CMD_NODE_GET)
        a->key = n > 1 ? args[1] : NULL;
    for (size_t i = 1; rv == 0 && i < n && (a->cmd == CLI_CMD_RES_SET ||
                                            a->cmd == CLI_CMD_GROUP_SET ||
                                            a->cmd == CLI_CMD_NODE_SET); i++)
        rv = add_assignment(p, args[i], "assignment");
    return rv;
}

/* Sets the command and its argument from the positional words. */
static int parse_command(struct parser *p)
{
    const struct command_def *c;
    const char *arg;
    size_t skip, n_args;

    if (p->n_pos == 0)
        return usage(p, "no command given");
    c = find_command(p);
    if (c == NULL)
        return -EINVAL;
    skip = c->sub ? 2 : 1;
    n_args = p->n_pos - skip;
    snprintf(p->name_buf, sizeof(p->name_buf), "%s%s%s", c->word, c->sub ? " " : "",
             c->sub ? c->sub : "");
    if (n_args < c->min_args)
        return usage(p, "'%s' needs %s", p->name_buf, c->arg);
    if (n_args > c->max_args)
        return usage(p, "unexpected argument '%s'", p->pos[skip + c->max_args]);
    p->a.cmd = c->cmd;
    if (c->cmd >= CLI_CMD_RES_CREATE)
        return assign_object_args(p, p->pos + skip, n_args);
    arg = n_args > 0 ? p->pos[skip] : NULL;
    if (c->cmd == CLI_CMD_KEYGEN)
        p->a.file = arg;
    else if (c->cmd == CLI_CMD_CREATE)
        p->a.name = arg;
    else if (c->cmd == CLI_CMD_GROUP_ONLINE || c->cmd == CLI_CMD_GROUP_OFFLINE ||
             c->cmd == CLI_CMD_GROUP_MOVE || c->cmd == CLI_CMD_GROUP_CREATE ||
             c->cmd == CLI_CMD_GROUP_DELETE)
        p->a.group = arg;
    else if (c->cmd == CLI_CMD_PROP_GET || c->cmd == CLI_CMD_PROP_SET) {
        p->a.prop = arg;
        p->a.prop_value = n_args > 1 ? p->pos[skip + 1] : NULL;
    } else
        p->a.node = arg;
    return 0;
}

/* The rules between options of `create`, REFERENCE §3.3 rules 4 and 6 among them. */
static int check_create(struct parser *p)
{
    const struct cli_args *a = &p->a;

    if (*a->name == '\0' || utf8_validate(a->name, strlen(a->name)) < 0)
        return usage(p, "the cluster NAME must be a non-empty UTF-8 string");
    if (a->cluster != NULL)
        return usage(p, "--cluster does not apply to create: name the nodes with --node");
    if (a->n_nodes == 0)
        return usage(p, "create needs at least one --node");
    if (a->empty && a->n_ips > 0)
        return usage(p, "--empty creates no resources, so it takes no --ip");
    if (a->empty && a->mgmt == CLI_MGMT_DNS)
        return usage(p, "--empty has no management point: drop --mgmt dns");
    if (a->mgmt == CLI_MGMT_NONE && a->n_ips > 0)
        return usage(p, "--mgmt none takes no --ip (addresses serve the management point)");
    if (a->mgmt == CLI_MGMT_DNS && a->n_ips == 0)
        return usage(p, "--mgmt dns needs at least one --ip");
    return 0;
}

/* An option given to a command it does not apply to. */
static int check_options(struct parser *p)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option_def *o = &options[i];

        if ((p->seen & 1u << o->id) && o->commands != 0 && !(o->commands & CMD(p->a.cmd)))
            return usage(p, "option '--%s' only applies to %s", o->name, o->applies);
    }
    return 0;
}

/* A NODE or GROUP argument: a non-empty UTF-8 string, or absent where that is allowed. */
static int check_name(struct parser *p, const char *s, const char *what)
{
    if (s != NULL && (*s == '\0' || utf8_validate(s, strlen(s)) < 0))
        return usage(p, "the %s must be a non-empty UTF-8 string", what);
    return 0;
}

/*
 * A computer to connect to (--cluster, the NODE of add-node and node clear): the DNS rules the
 * library applies, checked here so a malformed name is a usage error before anything is opened
 * or sent. Names of members (pause, evict, --node) are looked up, not connected to, and may be
 * any UTF-8.
 */
static int check_host(struct parser *p, const char *s, const char *what)
{
    const char *reason = NULL;

    if (s != NULL && name_check_host(s, &reason) < 0)
        return usage(p, "bad %s '%.64s%s': %s", what, s, strlen(s) > 64 ? "..." : "", reason);
    return 0;
}

/* The rules of the resource and group property commands. */
static int check_resource(struct parser *p)
{
    struct cli_args *a = &p->a;
    int rv = check_name(p, a->resource, "resource NAME");

    if (rv == 0 && a->resource != NULL && strlen(a->resource) > 255)
        rv = usage(p, "the resource NAME has at most 255 bytes");
    if (rv == 0)
        rv = check_name(p, a->restype, "resource TYPE");
    if (rv == 0)
        rv = check_name(p, a->provider, "PROVIDER");
    if (rv == 0 && a->cmd == CLI_CMD_RES_CREATE && (a->group == NULL || a->restype == NULL))
        rv = usage(p, "resource create needs --group GROUP and --type TYPE");
    if (rv == 0 && a->cmd == CLI_CMD_RES_DEPEND && (a->provider != NULL) == (a->expr != NULL))
        rv = usage(p, "resource depend needs a PROVIDER or --expr EXPR (not both)");
    if (rv == 0 && a->expr != NULL && utf8_validate(a->expr, strlen(a->expr)) < 0)
        rv = usage(p, "--expr is not valid UTF-8");
    if (!a->timeout_given && (a->cmd == CLI_CMD_RES_ONLINE || a->cmd == CLI_CMD_RES_OFFLINE))
        a->timeout_ms = CLI_RESOURCE_TIMEOUT_MS;
    return rv;
}

static int check_command(struct parser *p)
{
    struct cli_args *a = &p->a;
    int rv = check_options(p);

    if (rv == 0)
        rv = check_resource(p);
    if (rv == 0 && a->cmd == CLI_CMD_CREATE)
        return check_create(p);
    if (rv == 0 && a->cluster != NULL && (a->cmd == CLI_CMD_KEYGEN || a->cmd == CLI_CMD_NODE_CLEAR))
        rv = usage(p, "--cluster does not apply to %s%s", p->name_buf,
                   a->cmd == CLI_CMD_NODE_CLEAR ? ": name the NODE to clear" : "");
    if (rv == 0 && a->cmd == CLI_CMD_KEYGEN && *a->file == '\0')
        rv = usage(p, "keygen needs a non-empty FILE");
    if (rv == 0 && a->cmd == CLI_CMD_QUORUM_SET && (a->witness != NULL) == a->no_witness)
        rv = usage(p, "quorum set needs --witness HOST[:PORT] or --no-witness (not both)");
    if (rv == 0 && a->cmd == CLI_CMD_REKEY &&
        (a->file != NULL) + a->retire_old + a->cluster_credential != 1)
        rv = usage(p, "rekey needs one of --new-key FILE (step 1) or --retire-old (step 2) for "
                      "the admin key, or --cluster-credential");
    if (rv == 0)
        rv = check_name(p, a->node, "NODE");
    if (rv == 0 && (a->cmd == CLI_CMD_ADD_NODE || a->cmd == CLI_CMD_NODE_CLEAR))
        rv = check_host(p, a->node, "NODE");
    if (rv == 0)
        rv = check_host(p, a->cluster, "--cluster");
    if (rv == 0)
        rv = check_name(p, a->group, "GROUP");
    if (rv == 0 && a->group != NULL && strlen(a->group) > 255) /* what the library takes */
        rv = usage(p, "the GROUP has at most 255 bytes");
    if (rv == 0 && a->n_nodes > 1)
        rv = usage(p, "%s takes one --node", p->name_buf);
    if (rv == 0 && a->n_nodes == 1)
        a->to_node = a->nodes[0];
    return rv;
}

/* -h/--help or --version before "--" decide the command whatever else is there. */
static enum cli_command early_command(int argc, char *const *argv)
{
    enum cli_command cmd = 0;

    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return CLI_CMD_HELP;
        if (strcmp(argv[i], "--version") == 0)
            cmd = CLI_CMD_VERSION;
    }
    return cmd;
}

static int parse_words(struct parser *p, int argc, char *const *argv)
{
    bool options_done = false;
    int rv = 0;

    for (int i = 1; rv == 0 && i < argc; i++) {
        const char *arg = argv[i];

        if (!options_done && strcmp(arg, "--") == 0)
            options_done = true;
        else if (!options_done && arg[0] == '-' && arg[1] != '\0')
            rv = parse_option(p, argc, argv, &i);
        else
            p->pos[p->n_pos++] = arg;
    }
    if (rv == 0)
        rv = parse_command(p);
    return rv == 0 ? check_command(p) : rv;
}

int cli_args_parse(int argc, char *const *argv, struct cli_args *ret, char *errmsg, size_t n)
{
    size_t cap = argc > 0 ? (size_t)argc : 1;
    struct parser p = {.errmsg = errmsg, .errlen = n};
    int rv;

    p.a.timeout_ms = CLI_EVICT_TIMEOUT_MS;
    p.a.interval_ms = CLI_EVENTS_INTERVAL_MS;
    p.a.cmd = early_command(argc, argv);
    if (p.a.cmd != 0) {
        *ret = p.a;
        return 0;
    }
    /* Every word could be a node, an address or a positional: argc bounds them all. */
    p.pos = calloc(cap, sizeof(*p.pos));
    p.a.nodes = calloc(cap, sizeof(*p.a.nodes));
    p.a.ips = calloc(cap, sizeof(*p.a.ips));
    p.a.props = calloc(cap, sizeof(*p.a.props));
    p.a.owner_add = calloc(cap, sizeof(*p.a.owner_add));
    p.a.owner_remove = calloc(cap, sizeof(*p.a.owner_remove));
    if (p.pos == NULL || p.a.nodes == NULL || p.a.ips == NULL || p.a.props == NULL ||
        p.a.owner_add == NULL || p.a.owner_remove == NULL) {
        snprintf(errmsg, n, "out of memory");
        rv = -ENOMEM;
    } else {
        rv = parse_words(&p, argc, argv);
    }
    free(p.pos);
    if (rv < 0) {
        cli_args_done(&p.a);
        return rv;
    }
    *ret = p.a;
    return 0;
}

void cli_args_done(struct cli_args *a)
{
    if (a == NULL)
        return;
    free(a->nodes);
    free(a->ips);
    free(a->props);
    free(a->owner_add);
    free(a->owner_remove);
    a->nodes = NULL;
    a->ips = NULL;
    a->props = a->owner_add = a->owner_remove = NULL;
    a->n_nodes = a->n_ips = a->n_props = a->n_owner_add = a->n_owner_remove = 0;
}

int cli_args_confirm(const struct cli_args *a, bool terminal, char *errmsg, size_t n)
{
    if (a->cmd != CLI_CMD_DESTROY || a->yes)
        return 0;
    if (terminal)
        return 1;
    snprintf(errmsg, n,
             "destroy asks before it wipes the nodes, and there is no terminal to "
             "ask on: add --yes to destroy without asking");
    return -EINVAL;
}

bool cli_answer_is_yes(const char *line)
{
    size_t len;

    line += strspn(line, " \t");
    len = strcspn(line, " \t\r\n");
    if (line[len + strspn(line + len, " \t\r\n")] != '\0')
        return false;
    return (len == 1 && strncasecmp(line, "y", 1) == 0) ||
           (len == 3 && strncasecmp(line, "yes", 3) == 0);
}

int cli_exit_for_parse(int rv)
{
    if (rv == 0)
        return CLI_EXIT_OK;
    return rv == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------------------------------ */
/* CREATE_CLUSTER_CONFIG                                                                       */
/* ------------------------------------------------------------------------------------------ */

static int build_strings(const struct cli_args *a, struct cli_create *c)
{
    int rv = utf8_to_utf16(a->name, &c->name);

    for (size_t i = 0; rv == 0 && i < a->n_nodes; i++)
        rv = utf8_to_utf16(a->nodes[i], &c->nodes[i]);
    for (size_t i = 0; rv == 0 && i < a->n_ips; i++) {
        rv = utf8_to_utf16(a->ips[i].address, &c->ip_text[i]);
        if (rv == 0)
            c->ips[i] = (CLUSTER_IP_ENTRY){c->ip_text[i], a->ips[i].prefix};
    }
    return rv == -EILSEQ ? -EINVAL : rv;
}

static CLUSTER_MGMT_POINT_TYPE mgmt_type(const struct cli_args *a)
{
    if (a->empty || a->mgmt == CLI_MGMT_NONE)
        return CLUSTER_MGMT_POINT_TYPE_NONE;
    if (a->mgmt == CLI_MGMT_DNS || a->n_ips > 0)
        return CLUSTER_MGMT_POINT_TYPE_DNS_ONLY;
    return CLUSTER_MGMT_POINT_TYPE_NONE;
}

int cli_create_build(const struct cli_args *a, struct cli_create *ret)
{
    struct cli_create c = {0};
    int rv;

    c.nodes = calloc(a->n_nodes ? a->n_nodes : 1, sizeof(*c.nodes));
    c.ip_text = calloc(a->n_ips ? a->n_ips : 1, sizeof(*c.ip_text));
    c.ips = a->n_ips ? calloc(a->n_ips, sizeof(*c.ips)) : NULL;
    if (c.nodes == NULL || c.ip_text == NULL || (a->n_ips && c.ips == NULL))
        rv = -ENOMEM;
    else
        rv = build_strings(a, &c);
    c.cfg = (CREATE_CLUSTER_CONFIG){
        .dwVersion = CLUSAPI_VERSION_GA,
        .lpszClusterName = c.name,
        .cNodes = (DWORD)a->n_nodes,
        .ppszNodeNames = (PCWSTR *)c.nodes,
        .cIpEntries = (DWORD)a->n_ips,
        .pIpEntries = c.ips,
        .fEmptyCluster = a->empty,
        .managementPointType = mgmt_type(a),
        .managementPointResType = CLUSTER_MGMT_POINT_RESTYPE_AUTO,
    };
    if (rv < 0) {
        /* Counts are set above, so done() knows how many strings to free. */
        cli_create_done(&c);
        return rv;
    }
    *ret = c;
    return 0;
}

void cli_create_done(struct cli_create *c)
{
    if (c == NULL)
        return;
    free(c->name);
    for (size_t i = 0; c->nodes != NULL && i < c->cfg.cNodes; i++)
        free(c->nodes[i]);
    for (size_t i = 0; c->ip_text != NULL && i < c->cfg.cIpEntries; i++)
        free(c->ip_text[i]);
    free(c->nodes);
    free(c->ip_text);
    free(c->ips);
    *c = (struct cli_create){0};
}
