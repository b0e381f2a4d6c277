/*
 * svc_storage — the watch on the state directory (svc_storage.h).
 */
#include "daemon/svc/svc_storage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include <clusapi.h>

#include "common/cdb_cmd.h"
#include "common/rpc_proto.h"
#include "common/state_dir_check.h"
#include "daemon/base/log.h"
#include "daemon/base/node_conf.h"
#include "daemon/rpc/rpc_server.h"
#include "daemon/svc/svc.h"

bool svc_storage_fault(const struct svc *s)
{
    return s->storage.fault;
}

void svc_storage_mark(struct svc *s, struct rpc_call *call)
{
    wire_put_str(&call->reply, RPC_F_STORAGE_FAULT,
                 s->storage.fault ? s->storage.why : "out of raft's log since a storage fault");
}

void svc_storage_refuse(struct svc *s, struct rpc_call *call, const char *what)
{
    svc_storage_mark(s, call);
    if (!s->storage.fault) { /* over, but not back in the log yet */
        rpc_call_finish(call, ERROR_CLUSTER_NODE_NOT_READY,
                        "node %s is returning to raft's log after a storage fault", s->opts.name);
        return;
    }
    rpc_call_finish(call, s->storage.status, "node %s cannot take %s: %s; ask another node",
                    s->opts.name, what, s->storage.why);
}

/* The log stopped at a failed write (consensus_disk.h) and the directory takes writes again:
 * only a new raft instance can take part again, so the service stops, as for SIGTERM (its groups
 * went already), with EX_TEMPFAIL for its supervisor to start it again (clussvc.service:
 * Restart=on-failure). */
static void restart(struct svc *s)
{
    if (s->exit_status != 0)
        return;
    LOGW("storage", "%s takes writes again, but this node's raft log stopped at a failed write: "
         "the service stops (exit %d) so that it is started again and rejoins",
         s->opts.state_dir, SVC_EXIT_RESTART);
    s->exit_status = SVC_EXIT_RESTART;
    svc_shutdown(s);
}

/* On a worker: what the state directory is like now. */
static void look_work(uv_work_t *work)
{
    struct svc *s = work->data;
    struct state_dir_sample *sample = &s->storage.found;
    struct statvfs sv;

    *sample = (struct state_dir_sample){0};
    if (statvfs(s->opts.state_dir, &sv) < 0) {
        sample->err = (uint32_t)errno;
        return;
    }
    sample->read_only = (sv.f_flag & ST_RDONLY) != 0;
    sample->free_bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
    sample->size_bytes = (uint64_t)sv.f_blocks * sv.f_frsize;
    sample->err = (uint32_t)-node_conf_prepare_dir(s->opts.state_dir);
}

/* Back on the loop: the fault begins or ends here. A log that stopped keeps the node in a fault
 * until it restarts. */
static void look_done(uv_work_t *work, int work_status)
{
    struct svc *s = work->data;
    struct svc_storage *st = &s->storage;
    const char *stopped;
    char why[sizeof(st->why)];
    uint32_t status;
    bool fault;

    st->looking = false;
    st->sample = st->found;
    if (work_status < 0 || !s->configured || s->consensus == NULL || s->shutdown.stopping)
        return;
    stopped = consensus_disk_failure(s->consensus);
    status = state_dir_fault(&st->sample, st->fault, why, sizeof(why));
    if (stopped != NULL && status == 0) {
        restart(s);
        status = ERROR_WRITE_FAULT;
        snprintf(why, sizeof(why), "%s", stopped);
    }
    fault = status != 0;
    if (fault == st->fault)
        return;
    st->fault = fault;
    st->status = status;
    st->next_report = 0;
    st->next_drain = 0;
    if (fault) {
        snprintf(st->why, sizeof(st->why), "%s", why);
        char until[64];

        if (stopped != NULL)
            snprintf(until, sizeof(until), "it is restarted");
        else if (status == ERROR_DISK_FULL)
            snprintf(until, sizeof(until), "the directory has %d MiB free", STATE_DIR_CLEAR_MIB);
        else
            snprintf(until, sizeof(until), "the directory takes writes again");
        LOGE("storage", "storage fault: %s (%s): this node gives up its vote and its groups, "
             "leaves raft's log, refuses changes and answers reads from what it last applied, "
             "marked stale, until %s", why, s->opts.state_dir, until);
    } else {
        st->why[0] = '\0';
        LOGI("storage", "storage fault over: %s has room and is writable; this node returns to "
             "raft's log", s->opts.state_dir);
    }
    svc_host_update(s);
}

static void reported(struct svc *s, void *arg, int rv, uint32_t status, const char *errmsg)
{
    struct svc_storage *st = &s->storage;

    (void)arg;
    st->reporting = false;
    if (rv < 0 || status != 0)
        LOGD("storage", "the report of the storage fault did not land (%d, %u: %s); it is sent "
             "again", rv, status, errmsg ? errmsg : "");
    else
        st->told = true;
    st->next_report = svc_now_ms() + SVC_STORAGE_REPORT_MS;
}

/* What the database records of this node's storage: true with a fault. */
static bool recorded_fault(struct svc *s, bool *ret)
{
    struct cdb_node self;

    if (cdb_node_by_id(s->db, s->conf.node_id, &self) < 0)
        return false;
    *ret = self.storage_fault[0] != '\0';
    return true;
}

bool svc_storage_out_of_log(struct svc *s)
{
    bool recorded;

    return s->storage.fault || (recorded_fault(s, &recorded) && recorded);
}

bool svc_storage_relay(struct svc *s, char *addr, size_t n, uint16_t *port)
{
    struct cdb_node *nodes;
    size_t count;
    bool found = false;

    if (s->db != NULL && cdb_nodes(s->db, &nodes, &count) == 0) {
        for (size_t i = 0; i < count && !found; i++) {
            if (nodes[i].id == s->conf.node_id || nodes[i].state != ClusterNodeUp ||
                nodes[i].storage_fault[0] != '\0')
                continue;
            snprintf(addr, n, "%s", nodes[i].address);
            *port = (uint16_t)nodes[i].port;
            found = true;
        }
        free(nodes);
    }
    /* a database still empty after a restart: the peers the node was configured with */
    for (size_t i = 0; i < s->conf.n_peers && !found; i++) {
        if (s->conf.peers[i].id == s->conf.node_id)
            continue;
        snprintf(addr, n, "%s", s->conf.peers[i].address);
        *port = (uint16_t)s->conf.peers[i].port;
        found = true;
    }
    return found;
}

/* Reports the fault, or its end, until the database holds what this node knows; and once after
 * each start, since a database restored from a log that stopped may not know what was recorded. */
static void report(struct svc *s)
{
    struct svc_storage *st = &s->storage;
    struct wire_writer w;
    uint8_t *cmd;
    size_t len;
    bool recorded = false, known = recorded_fault(s, &recorded);

    /* (a node being added says nothing before it is a member; one whose database is still
     * empty after a restart does: it may be parked, and then it would stay empty) */
    if (st->reporting || svc_now_ms() < st->next_report || (!known && !s->conf.committed) ||
        (st->told && known && recorded == st->fault))
        return;
    wire_writer_init(&w);
    cdb_cmd_set_node_storage(&w, s->conf.node_id, st->why);
    cmd = wire_writer_take(&w, &len);
    if (cmd == NULL)
        return;
    st->reporting = true; /* reported() clears it, maybe before the submit returns */
    svc_submit_report(s, cmd, len, reported, NULL);
    free(cmd);
}

/* Sends the groups this node holds to others, once the cluster knows of the fault (so that
 * placement does not send them back). */
static void drain(struct svc *s)
{
    struct svc_storage *st = &s->storage;
    uint64_t now = svc_now_ms();
    bool recorded;

    if (!st->fault || now < st->next_drain || s->rgm.drain_pending > 0 ||
        !recorded_fault(s, &recorded) || !recorded)
        return;
    st->next_drain = now + SVC_STORAGE_DRAIN_MS;
    rgm_drain(&s->rgm, "storage fault");
}

/* consensus_on_disk_failure(): the fault begins at once. */
static void log_stopped(void *arg, const char *why)
{
    struct svc *s = arg;

    (void)why;
    s->storage.next_look = 0;
    svc_kick(s);
}

void svc_storage_watch(struct svc *s)
{
    struct svc_storage *st = &s->storage;

    /* A new consensus, a new watch; a look or a report of the last one may still be running. */
    st->fault = false;
    st->status = 0;
    st->why[0] = '\0';
    st->next_look = st->next_report = st->next_drain = 0;
    st->told = false;
    consensus_on_disk_failure(s->consensus, log_stopped, s);
}

void svc_storage_check(struct svc *s)
{
    struct svc_storage *st = &s->storage;
    uint64_t now = svc_now_ms();

    if (!s->configured || s->consensus == NULL || s->db == NULL)
        return;
    if (now >= st->next_look && !st->looking && !s->shutdown.stopping) {
        st->next_look = now + SVC_STORAGE_LOOK_MS;
        st->work.data = s;
        st->looking = uv_queue_work(s->loop, &st->work, look_work, look_done) == 0;
    }
    report(s);
    drain(s);
}
