/*
 * svc_restype_ops — resource types: create and delete (on the leader, composed into database
 * commands here), list and information (answered by the node asked, from what its database
 * registers and what is installed on it), and the worker job that asks a driver about a type.
 *
 * A driver's type information can take an OCF agent's meta-data run, so it is gathered on
 * libuv's worker pool and the answer composed back on the loop (the table keeps these
 * operations on the loop: they read the database, which belongs to the loop thread).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/common_props.h"
#include "common/rpc_proto.h"
#include "common/win32_error.h"
#include "daemon/rm/rm.h"
#include "daemon/rm/rm_ocf.h"
#include "daemon/svc/svc.h"
#include "daemon/svc/svc_ops.h"

/* ------------------------------------------------------------------------------------------ */
/* The type-information job                                                                    */
/* ------------------------------------------------------------------------------------------ */

static bool agent_installed(const char *type)
{
    char **names = NULL;
    size_t n = 0;
    bool found = false;

    if (rm_ocf_agents(&names, &n) < 0)
        return false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcasecmp(names[i], type) == 0;
    free(names);
    return found;
}

/* On a worker thread: touches nothing of the service, only the job. */
static void type_job_work(uv_work_t *work)
{
    struct svc_type_job *job = work->data;
    const struct rm_driver *d = rm_driver_find(job->driver);

    if (job->check_agent)
        job->agent_installed = agent_installed(job->driver);
    job->has_params = d != NULL && d->type_info != NULL;
    job->rv = rm_type_info(job->driver, &job->info);
    if (job->rv < 0)
        job->info = NULL;
}

static void type_job_after(uv_work_t *work, int status)
{
    struct svc_type_job *job = work->data;

    if (status < 0 && job->rv == 0) /* cancelled before it ran */
        job->rv = -ECANCELED;
    job->done(job);
    rm_type_info_free(job->info);
    free(job);
}

void svc_type_job_start(struct svc_type_job *job)
{
    int rv;

    job->work.data = job;
    rv = uv_queue_work(job->s->loop, &job->work, type_job_work, type_job_after);
    if (rv < 0) {
        job->rv = -ENOMEM;
        job->info = NULL;
        job->done(job);
        free(job);
    }
}

/* Is the service still able to answer from its database (it may have been wiped while the
 * job ran)? Finishes the call if not. */
static bool still_running(struct rpc_call *call, struct svc *s)
{
    if (s->db != NULL && !s->wiping && !s->shutdown.stopping)
        return true;
    rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_MEMBER, "this node left its cluster meanwhile");
    return false;
}

/* ------------------------------------------------------------------------------------------ */
/* Create and delete (on the leader)                                                           */
/* ------------------------------------------------------------------------------------------ */

static bool type_name(struct rpc_call *call, char name[256])
{
    if (svc_req_str(call, RPC_F_NAME, name, 256) && name[0] != '\0')
        return true;
    rpc_call_finish(call, ERROR_INVALID_PARAMETER, "a resource type needs a name of 1..255 bytes");
    return false;
}

/* One optional DWORD common property of the type from a request field. */
static uint32_t poll_prop(struct rpc_call *call, uint16_t tag, const char *name, char buf[16],
                          struct prop *ret, size_t *n)
{
    char why[160];
    uint32_t v, st;

    if (wire_get_u32(call->req, call->req_len, tag, &v) < 0)
        return 0;
    snprintf(buf, 16, "%u", v);
    st = cprop_check(CPROP_RESTYPE, name, PROP_SYNTAX_DWORD, buf, NULL, why, sizeof(why));
    if (st != 0) {
        rpc_call_finish(call, st, "%s", why);
        return st;
    }
    ret[(*n)++] = (struct prop){name, PROP_SYNTAX_DWORD, buf};
    return 0;
}

/* CreateClusterResourceType: the driver string must name a driver this build has. */
void svc_op_restype_create(struct svc *s, struct rpc_call *call)
{
    char name[256], display[256] = "", driver[256], looks[16], is[16];
    struct prop props[2];
    struct cdb_restype t;
    struct wire_writer w;
    size_t n = 0;

    if (!type_name(call, name))
        return;
    if (!svc_req_str(call, RPC_F_DRIVER, driver, sizeof(driver)) ||
        rm_driver_find(driver) == NULL) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "no resource driver '%s'", driver);
        return;
    }
    if (wire_find(call->req, call->req_len, RPC_F_VALUE, &(struct wire_field){0}) == 0 &&
        !svc_req_str(call, RPC_F_VALUE, display, sizeof(display))) {
        rpc_call_finish(call, ERROR_INVALID_PARAMETER, "display name over 255 bytes");
        return;
    }
    if (cdb_restype_by_name(s->db, name, &t) == 0) {
        rpc_call_finish(call, ERROR_OBJECT_ALREADY_EXISTS, "resource type '%s' exists", t.name);
        return;
    }
    if (poll_prop(call, RPC_F_LOOKS_ALIVE, "LooksAlivePollInterval", looks, props, &n) ||
        poll_prop(call, RPC_F_IS_ALIVE, "IsAlivePollInterval", is, props, &n))
        return;
    wire_writer_init(&w);
    cdb_cmd_add_restype_ex(&w, name, driver, display[0] ? display : NULL, props, n);
    svc_op_commit(s, call, &w);
}

void svc_op_restype_delete(struct svc *s, struct rpc_call *call)
{
    struct cdb_resource *res = NULL;
    struct cdb_restype t;
    struct wire_writer w;
    char name[256];
    size_t n = 0;
    bool used = false;

    if (!type_name(call, name))
        return;
    if (cdb_restype_by_name(s->db, name, &t) < 0) {
        rpc_call_finish(call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, "no resource type '%s'",
                        name);
        return;
    }
    if (cdb_resources(s->db, NULL, &res, &n) == 0)
        for (size_t i = 0; i < n && !used; i++)
            used = strcasecmp(res[i].type, t.name) == 0;
    free(res);
    if (used) {
        rpc_call_finish(call, ERROR_DIR_NOT_EMPTY, "resources of type '%s' exist", t.name);
        return;
    }
    wire_writer_init(&w);
    cdb_cmd_delete_restype(&w, t.name);
    svc_op_commit(s, call, &w);
}

/* ------------------------------------------------------------------------------------------ */
/* List (this node)                                                                            */
/* ------------------------------------------------------------------------------------------ */

static void put_type(struct wire_writer *w, const char *name, const char *driver,
                     const char *display, bool registered)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);

    wire_put_str(w, RPC_F_NAME, name);
    wire_put_str(w, RPC_F_DRIVER, driver);
    wire_put_str(w, RPC_F_VALUE, display);
    wire_put_u32(w, RPC_F_REGISTERED, registered ? 1 : 0);
    wire_end(w, mark);
}

struct list_job {
    uv_work_t work;
    struct svc *s;
    struct rpc_call *call;
    char **agents;
    size_t n_agents;
    int rv;
};

static void list_work(uv_work_t *work)
{
    struct list_job *job = work->data;

    job->rv = rm_ocf_agents(&job->agents, &job->n_agents);
}

/* The registered types, then every installed agent not registered under its own name. */
static void list_after(uv_work_t *work, int status)
{
    struct list_job *job = work->data;
    struct cdb_restype *types = NULL, t;
    size_t n = 0;
    int rv = status < 0 ? status : job->rv;

    if (still_running(job->call, job->s)) {
        if (rv == 0)
            rv = cdb_restypes(job->s->db, &types, &n);
        for (size_t i = 0; rv == 0 && i < n; i++)
            put_type(&job->call->reply, types[i].name, types[i].driver, types[i].display, true);
        for (size_t i = 0; rv == 0 && i < job->n_agents; i++)
            if (cdb_restype_by_name(job->s->db, job->agents[i], &t) < 0)
                put_type(&job->call->reply, job->agents[i], job->agents[i], "", false);
        free(types);
        if (rv < 0)
            rpc_call_finish(job->call, win32_from_errno(rv), "listing types: %s",
                            strerror(-rv));
        else
            rpc_call_finish(job->call, 0, NULL);
    }
    free(job->agents);
    free(job);
}

void svc_op_restype_list(struct svc *s, struct rpc_call *call)
{
    struct list_job *job = calloc(1, sizeof(*job));

    if (job == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    job->s = s;
    job->call = call;
    job->work.data = job;
    if (uv_queue_work(s->loop, &job->work, list_work, list_after) < 0) {
        free(job);
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "cannot queue the listing");
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Information (this node)                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void put_timeout(struct wire_writer *w, const char *action, uint32_t ms)
{
    size_t mark;

    if (ms == 0)
        return;
    mark = wire_begin(w, RPC_F_ACTION_TIMEOUT);
    wire_put_str(w, RPC_F_NAME, action);
    wire_put_u32(w, RPC_F_TIMEOUT_MS, ms);
    wire_end(w, mark);
}

static void info_done(struct svc_type_job *job)
{
    struct wire_writer *w = &job->call->reply;
    const struct rm_type_info *info = job->info;

    if (job->rv < 0 || (job->check_agent && !job->agent_installed)) {
        rpc_call_finish(job->call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
                        "no resource type '%s' here", job->driver);
        return;
    }
    for (size_t i = 0; i < info->n_params; i++) {
        const struct rm_param *p = &info->params[i];
        size_t mark = wire_begin(w, RPC_F_ITEM);

        wire_put_str(w, RPC_F_NAME, p->name);
        wire_put_u32(w, RPC_F_SYNTAX, p->syntax);
        wire_put_u32(w, RPC_F_REQUIRED, p->required ? 1 : 0);
        wire_put_str(w, RPC_F_VALUE, p->def);
        wire_put_str(w, RPC_F_DESCRIPTION, p->description);
        wire_end(w, mark);
    }
    put_timeout(w, "start", info->start_ms);
    put_timeout(w, "stop", info->stop_ms);
    put_timeout(w, "monitor", info->monitor_ms);
    put_timeout(w, "validate-all", info->validate_ms);
    rpc_call_finish(job->call, 0, NULL);
}

/* A registered type is asked through its driver string; an unregistered "ocf:P:A" through its
 * own name, if that agent is installed here. */
void svc_op_restype_info(struct svc *s, struct rpc_call *call)
{
    struct svc_type_job *job;
    struct cdb_restype t;
    char name[256];

    if (!type_name(call, name))
        return;
    job = calloc(1, sizeof(*job));
    if (job == NULL) {
        rpc_call_finish(call, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
        return;
    }
    *job = (struct svc_type_job){.s = s, .call = call, .done = info_done};
    if (cdb_restype_by_name(s->db, name, &t) == 0) {
        snprintf(job->driver, sizeof(job->driver), "%s", t.driver);
    } else if (strncasecmp(name, "ocf:", 4) == 0) {
        snprintf(job->driver, sizeof(job->driver), "%s", name);
        job->check_agent = true;
    } else {
        free(job);
        rpc_call_finish(call, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND, "no resource type '%s'",
                        name);
        return;
    }
    svc_type_job_start(job);
}
