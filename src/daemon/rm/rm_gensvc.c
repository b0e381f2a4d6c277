/*
 * rm_gensvc — the "Generic Service" resource driver: a systemd unit, driven through the service
 * manager's D-Bus API (org.freedesktop.systemd1, with libsystemd's sd-bus), the way Windows'
 * Generic Service drives a service through the Service Control Manager.
 *
 * Private property: ServiceName (required), a unit name; ".service" is appended when the name has
 * no unit-type suffix ("nginx" is nginx.service). Any unit type may be named, but not a template
 * without its instance ("getty@.service").
 *
 * online  StartUnit(name, "replace"), then waits for the job's JobRemoved signal (at most
 *         r->timeout_ms) and succeeds only when the unit's ActiveState is "active". A start that
 *         does not finish in time is terminated. The unit's control group is then held by the
 *         resource host, which kills it when the quorum lease runs out, also if clussvc is dead.
 * offline StopUnit(name, "replace"), waits for the job and for "inactive" or "failed".
 * checks  the unit's ActiveState: "active" or "reloading"; anything else fails, naming it.
 * terminate KillUnit(name, "all", SIGKILL), then StopUnit without waiting for the job.
 * watch_fd a connection to the manager that becomes readable when the unit's properties change
 *         (its PropertiesChanged signal): a wake-up to run a check, not a verdict. The check
 *         drains it. On a bus (the default) dbus-daemon forwards this unit's signals only; on a
 *         manager's private socket the manager sends every unit's, so it wakes more often.
 * validate the unit is loaded (LoadUnit, LoadState "loaded"), is not enabled (systemd would
 *         start it at boot on every node) and is not restarted by systemd itself (Restart=no),
 *         since either would run it on a node the cluster did not choose.
 *
 * Which manager: the system manager (the system bus), unless CLUSSVC_SYSTEMD_BUS says "user"
 * (the calling user's session bus) or gives the D-Bus address of a manager's private socket
 * ("unix:path=/run/systemd/private", peer-to-peer, as systemctl uses it).
 *
 * Every call opens a connection of its own: calls run on worker threads, and an sd_bus object
 * belongs to one thread. Only the watch connection lives from online to offline, in r->priv; the
 * driver's calls for one resource never run at once, so only one thread touches it at a time.
 */
#include <errno.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#include "common/prop.h"
#include "daemon/rm/rhs.h"
#include "daemon/rm/rm.h"

#define GENSVC_BUS_ENV "CLUSSVC_SYSTEMD_BUS"
#define GENSVC_DEFAULT_TIMEOUT_MS 180000u /* PendingTimeout's default, for a call given none */
#define GENSVC_QUICK_MS 2000u             /* terminate's calls: never waits on a job */
#define UNIT_NAME_MAX 255                 /* systemd's limit, without the NUL */
#define CGROUP_MAX 1024

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"

/* What online leaves for offline, terminate and the checks: they act on the unit online started
 * even if ServiceName has changed since. */
struct gensvc_state {
    char unit[UNIT_NAME_MAX + 1];
    char cgroup[CGROUP_MAX];  /* the unit's control group in the cgroup2 mount, or "" */
    sd_bus *watch;            /* PropertiesChanged of the unit, or NULL */
};

/* One driver call: its connection and until when it may wait. */
struct gensvc_call {
    struct rm_resource *r;
    sd_bus *bus;
    bool bus_client;     /* on a bus (signals carry a sender), not peer-to-peer */
    uint64_t deadline;   /* CLOCK_MONOTONIC microseconds */
};

/* ------------------------------------------------------------------------------------------ */
/* Unit names                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* The unit types of systemd 252 and the interface holding each one's ControlGroup (NULL: none). */
static const struct {
    const char *suffix;
    const char *cgroup_iface;
} unit_types[] = {
    {"service", "org.freedesktop.systemd1.Service"}, {"socket", "org.freedesktop.systemd1.Socket"},
    {"mount", "org.freedesktop.systemd1.Mount"},     {"swap", "org.freedesktop.systemd1.Swap"},
    {"scope", "org.freedesktop.systemd1.Scope"},     {"slice", "org.freedesktop.systemd1.Slice"},
    {"target", NULL}, {"device", NULL}, {"automount", NULL}, {"timer", NULL}, {"path", NULL},
};
#define N_UNIT_TYPES (sizeof(unit_types) / sizeof(unit_types[0]))

/* The index of name's type in unit_types, or -1 when its suffix is none of them. */
static int unit_type(const char *name)
{
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot != NULL && i < N_UNIT_TYPES; i++)
        if (strcmp(dot + 1, unit_types[i].suffix) == 0)
            return (int)i;
    return -1;
}

static bool unit_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr(":-_.\\", c) != NULL;
}

/* systemd's rules (unit_name_is_valid): PREFIX[@INSTANCE].TYPE of [A-Za-z0-9:-_.\], non-empty
 * prefix, at most one '@', at most 255 characters. A template needs its instance here. */
static bool unit_name_valid(const char *name)
{
    const char *dot = strrchr(name, '.'), *at = strchr(name, '@');

    if (strlen(name) > UNIT_NAME_MAX || dot == NULL || dot == name || unit_type(name) < 0)
        return false;
    for (const char *p = name; p < dot; p++)
        if (!unit_char(*p) && p != at)
            return false;
    if (at != NULL && (at == name || at + 1 == dot || strchr(at + 1, '@') != NULL))
        return false;
    return true;
}

/* The unit ServiceName names, with ".service" appended when it has no unit-type suffix (as
 * systemctl does). 0, or -EINVAL with errmsg. */
static int unit_name(struct rm_resource *r, char ret[UNIT_NAME_MAX + 1])
{
    const char *name = rm_prop(r, "ServiceName");
    char buf[UNIT_NAME_MAX + 2];

    if (name == NULL || name[0] == '\0')
        return rm_fail(r, -EINVAL, "ServiceName is not set");
    if (snprintf(buf, sizeof(buf), unit_type(name) >= 0 ? "%s" : "%s.service", name) >=
            (int)sizeof(buf) || !unit_name_valid(buf))
        return rm_fail(r, -EINVAL, "ServiceName \"%.64s\" is not a valid systemd unit name", name);
    memcpy(ret, buf, strlen(buf) + 1);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Connections and calls                                                                       */
/* ------------------------------------------------------------------------------------------ */

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A failed call's reason: the manager's message when it sent one. Returns rv. */
static int call_fail(struct gensvc_call *c, int rv, const sd_bus_error *err, const char *what)
{
    if (err != NULL && sd_bus_error_is_set(err))
        return rm_fail(c->r, rv, "%s: %s", what, err->message ? err->message : err->name);
    return rm_fail(c->r, rv, "%s: %s", what, strerror(-rv));
}

/* Connects to the manager CLUSSVC_SYSTEMD_BUS names (the system manager by default). */
static int bus_open(sd_bus **ret, bool *ret_bus_client)
{
    const char *which = getenv(GENSVC_BUS_ENV);
    sd_bus *bus = NULL;
    int rv;

    *ret_bus_client = true;
    if (which == NULL || which[0] == '\0' || strcmp(which, "system") == 0)
        return sd_bus_open_system(ret);
    if (strcmp(which, "user") == 0)
        return sd_bus_open_user(ret);
    *ret_bus_client = false;
    rv = sd_bus_new(&bus);
    if (rv < 0)
        return rv;
    rv = sd_bus_set_address(bus, which);
    if (rv >= 0)
        rv = sd_bus_start(bus);
    if (rv < 0) {
        sd_bus_unref(bus);
        return rv;
    }
    *ret = bus;
    return 0;
}

/* Opens c's connection; the call may take timeout_ms from now. */
static int call_begin(struct gensvc_call *c, struct rm_resource *r, uint32_t timeout_ms)
{
    int rv;

    *c = (struct gensvc_call){.r = r, .deadline = now_us() + (uint64_t)timeout_ms * 1000u};
    rv = bus_open(&c->bus, &c->bus_client);
    if (rv < 0)
        return call_fail(c, rv, NULL, "cannot connect to the systemd manager");
    return 0;
}

static void call_end(struct gensvc_call *c)
{
    c->bus = sd_bus_flush_close_unref(c->bus);
}

/* Time left before c's deadline, 0 once it has passed; sets the connection's method-call timeout
 * to it (at least 1 µs, so a call past the deadline fails at once: 0 would mean sd-bus's 25 s). */
static uint64_t call_left(struct gensvc_call *c)
{
    uint64_t now = now_us(), left = now < c->deadline ? c->deadline - now : 0;

    sd_bus_set_method_call_timeout(c->bus, left > 0 ? left : 1);
    return left;
}

static uint32_t call_timeout_ms(const struct rm_resource *r)
{
    return r->timeout_ms != 0 ? r->timeout_ms : GENSVC_DEFAULT_TIMEOUT_MS;
}

/* The object path of unit name (LoadUnit loads it if it is not), malloc'd in *ret. */
static int unit_path(struct gensvc_call *c, const char *name, char **ret)
{
    sd_bus_error err = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    const char *path;
    char what[UNIT_NAME_MAX + 32];
    int rv;

    call_left(c);
    rv = sd_bus_call_method(c->bus, SD_DEST, SD_PATH, SD_MANAGER, "LoadUnit", &err, &reply, "s",
                            name);
    if (rv >= 0)
        rv = sd_bus_message_read(reply, "o", &path);
    if (rv >= 0)
        rv = (*ret = strdup(path)) != NULL ? 0 : -ENOMEM;
    snprintf(what, sizeof(what), "cannot load %s", name);
    if (rv < 0)
        call_fail(c, rv, &err, what);
    sd_bus_error_free(&err);
    sd_bus_message_unref(reply);
    return rv;
}

/* A string property of the unit at path, malloc'd in *ret. */
static int unit_string(struct gensvc_call *c, const char *path, const char *iface,
                       const char *prop, char **ret)
{
    sd_bus_error err = SD_BUS_ERROR_NULL;
    char what[128];
    int rv;

    call_left(c);
    rv = sd_bus_get_property_string(c->bus, SD_DEST, path, iface, prop, &err, ret);
    if (rv < 0) {
        snprintf(what, sizeof(what), "cannot read %s", prop);
        call_fail(c, rv, &err, what);
    }
    sd_bus_error_free(&err);
    return rv;
}

/* The ActiveState of unit name, malloc'd in *ret. */
static int unit_active_state(struct gensvc_call *c, const char *name, char **ret)
{
    char *path = NULL;
    int rv = unit_path(c, name, &path);

    if (rv >= 0)
        rv = unit_string(c, path, SD_UNIT, "ActiveState", ret);
    free(path);
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* Jobs                                                                                        */
/* ------------------------------------------------------------------------------------------ */

struct job_wait {
    char *job;            /* the job's object path, once the method returned it */
    char result[32];      /* JobRemoved's result ("done", "failed", "timeout" …), "" until then */
    bool no_such_unit;    /* the method failed because the unit is not loaded (nor loadable) */
};

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct job_wait *jw = userdata;
    const char *job, *unit, *result;
    uint32_t id;

    (void)ret_error;
    if (sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) < 0 || jw->job == NULL)
        return 0;
    if (strcmp(job, jw->job) == 0)
        snprintf(jw->result, sizeof(jw->result), "%s", result);
    return 0;
}

/* Dispatches c's connection until the job is removed or the deadline passes. */
static int job_wait(struct gensvc_call *c, struct job_wait *jw)
{
    int rv;

    while (jw->result[0] == '\0') {
        rv = sd_bus_process(c->bus, NULL);
        if (rv < 0)
            return call_fail(c, rv, NULL, "lost the connection to the systemd manager");
        if (rv > 0)
            continue;
        uint64_t left = call_left(c);
        if (left == 0)
            return -ETIMEDOUT;
        rv = sd_bus_wait(c->bus, left);
        if (rv < 0 && rv != -EINTR)
            return call_fail(c, rv, NULL, "lost the connection to the systemd manager");
    }
    return 0;
}

/* Subscribes c's connection to the manager's signals (systemd sends none to a bus nobody
 * subscribed on). */
static int subscribe(struct gensvc_call *c)
{
    sd_bus_error err = SD_BUS_ERROR_NULL;
    int rv;

    call_left(c);
    rv = sd_bus_call_method(c->bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", &err, NULL, "");
    if (rv < 0)
        call_fail(c, rv, &err, "cannot subscribe to the systemd manager's signals");
    sd_bus_error_free(&err);
    return rv;
}

/* Queues method ("StartUnit", "StopUnit") on unit name and waits for its job to finish; the
 * job's result in jw. -ETIMEDOUT when it does not finish before c's deadline. */
static int unit_job(struct gensvc_call *c, const char *method, const char *name,
                    struct job_wait *jw)
{
    sd_bus_error err = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    sd_bus_slot *slot = NULL;
    const char *job;
    int rv = subscribe(c);

    /* the match first: the job may end before the reply is read (direct connections carry no
     * sender, so match none there) */
    if (rv >= 0)
        rv = sd_bus_match_signal(c->bus, &slot, c->bus_client ? SD_DEST : NULL, SD_PATH,
                                 SD_MANAGER, "JobRemoved", on_job_removed, jw);
    if (rv >= 0) {
        call_left(c);
        rv = sd_bus_call_method(c->bus, SD_DEST, SD_PATH, SD_MANAGER, method, &err, &reply, "ss",
                                name, "replace");
        if (rv >= 0)
            rv = sd_bus_message_read(reply, "o", &job);
        if (rv >= 0)
            rv = (jw->job = strdup(job)) != NULL ? 0 : -ENOMEM;
        jw->no_such_unit = sd_bus_error_has_name(&err, "org.freedesktop.systemd1.NoSuchUnit");
        if (rv < 0)
            call_fail(c, rv, &err, method);
    }
    if (rv >= 0)
        rv = job_wait(c, jw);
    sd_bus_error_free(&err);
    sd_bus_message_unref(reply);
    sd_bus_slot_unref(slot);
    return rv;
}

/* ------------------------------------------------------------------------------------------ */
/* The watch and the cgroup                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* A connection of st's own that becomes readable when the unit's Unit properties change. */
static int watch_open(struct gensvc_call *c, struct gensvc_state *st, const char *path)
{
    char match[512];
    sd_bus *bus = NULL;
    bool bus_client;
    int rv = bus_open(&bus, &bus_client);

    snprintf(match, sizeof(match),
             "type='signal',%s%s%spath='%s',interface='org.freedesktop.DBus.Properties',"
             "member='PropertiesChanged',arg0='" SD_UNIT "'",
             bus_client ? "sender='" : "", bus_client ? SD_DEST : "", bus_client ? "'," : "",
             path);
    if (rv >= 0)
        rv = sd_bus_add_match(bus, NULL, match, NULL, NULL);
    if (rv >= 0)
        rv = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", NULL, NULL, "");
    while (rv >= 0 && (rv = sd_bus_process(bus, NULL)) > 0)
        ; /* what came with the connection (NameAcquired) must not wake anyone */
    if (rv < 0) {
        sd_bus_flush_close_unref(bus);
        return call_fail(c, rv, NULL, "cannot watch the unit");
    }
    st->watch = bus;
    return 0;
}

/* Reads what woke the watch, so that its descriptor is quiet until the next change. A watch
 * whose connection broke can wake nobody again: that fails the check. */
static int watch_drain(struct rm_resource *r, struct gensvc_state *st)
{
    int rv;

    if (st == NULL || st->watch == NULL)
        return 0;
    while ((rv = sd_bus_process(st->watch, NULL)) > 0)
        ;
    if (rv < 0)
        return rm_fail(r, rv, "lost the watch on %s: %s (the manager restarted?)", st->unit,
                       strerror(-rv));
    return 0;
}

/* Where the cgroup2 hierarchy is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid
 * hosts), into ret; -ENOENT on a host without one. */
static int cgroup2_mount(char *ret, size_t size)
{
    FILE *f = setmntent("/proc/self/mounts", "r");
    struct mntent ent, *m;
    char buf[1024];
    int rv = -ENOENT;

    if (f == NULL)
        return -errno;
    while (rv < 0 && (m = getmntent_r(f, &ent, buf, sizeof(buf))) != NULL)
        if (strcmp(m->mnt_type, "cgroup2") == 0)
            rv = snprintf(ret, size, "%s", m->mnt_dir) < (int)size ? 0 : -ENAMETOOLONG;
    endmntent(f);
    return rv;
}

/* Reads the unit's control group into st as a path in the cgroup2 mount, for the resource host
 * to hold. None ("") for a unit type without processes, or a host without cgroup2 (systemd's
 * legacy hierarchy, where only terminate stops the unit). */
static int cgroup_read(struct gensvc_call *c, struct gensvc_state *st, const char *path)
{
    int type = unit_type(st->unit);
    char *cgroup = NULL, mnt[512];
    int rv;

    st->cgroup[0] = '\0';
    if (type < 0 || unit_types[type].cgroup_iface == NULL || cgroup2_mount(mnt, sizeof(mnt)) < 0)
        return 0;
    rv = unit_string(c, path, unit_types[type].cgroup_iface, "ControlGroup", &cgroup);
    if (rv < 0)
        return rv;
    if (cgroup[0] == '/' &&
        snprintf(st->cgroup, sizeof(st->cgroup), "%s%s", mnt, cgroup) >= (int)sizeof(st->cgroup))
        rv = rm_fail(c->r, -ENAMETOOLONG, "the control group of %s is too long", st->unit);
    free(cgroup);
    return rv;
}

/* The resource host kills the unit's processes when the lease runs out. Held only after the
 * start (systemd creates the group as it starts the unit): until then nothing of it runs. */
static void cgroup_hold(const struct gensvc_state *st)
{
    if (st->cgroup[0] != '\0')
        rhs_hold_cgroup(st->cgroup);
}

static void cgroup_release(const struct gensvc_state *st)
{
    if (st->cgroup[0] != '\0')
        rhs_release_cgroup(st->cgroup);
}

static void state_free(struct rm_resource *r)
{
    struct gensvc_state *st = r->priv;

    if (st != NULL) {
        cgroup_release(st);
        sd_bus_flush_close_unref(st->watch);
        free(st);
    }
    r->priv = NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Entry points                                                                                */
/* ------------------------------------------------------------------------------------------ */

static void unit_terminate(struct rm_resource *r, const char *name);

/* After the start job: the unit must be active; then its watch and cgroup hold are set up. */
static int online_finish(struct gensvc_call *c, struct gensvc_state *st, const char *result)
{
    char *path = NULL, *state = NULL;
    int rv = unit_path(c, st->unit, &path);

    if (rv >= 0)
        rv = unit_string(c, path, SD_UNIT, "ActiveState", &state);
    if (rv >= 0 && strcmp(state, "active") != 0)
        rv = rm_fail(c->r, -EIO, "%s did not start: its start job ended \"%s\", it is %s",
                     st->unit, result, state);
    if (rv >= 0)
        rv = cgroup_read(c, st, path);
    if (rv >= 0)
        rv = watch_open(c, st, path);
    free(path);
    free(state);
    return rv;
}

static int gensvc_online(struct rm_resource *r)
{
    struct job_wait jw = {0};
    struct gensvc_call c;
    struct gensvc_state *st = calloc(1, sizeof(*st));
    int rv = st != NULL ? unit_name(r, st->unit) : rm_fail(r, -ENOMEM, "out of memory");

    if (rv >= 0)
        rv = call_begin(&c, r, call_timeout_ms(r));
    if (rv < 0) {
        free(st);
        return rv;
    }
    rv = unit_job(&c, "StartUnit", st->unit, &jw);
    if (rv == -ETIMEDOUT)
        rm_fail(r, rv, "%s did not start within %u ms", st->unit, call_timeout_ms(r));
    if (rv >= 0)
        rv = online_finish(&c, st, jw.result);
    call_end(&c);
    free(jw.job);
    if (rv < 0) {
        /* a start that hung or failed halfway leaves nothing running behind the cluster */
        unit_terminate(r, st->unit);
        sd_bus_flush_close_unref(st->watch);
        free(st);
        return rv;
    }
    state_free(r); /* a previous online's, should the cluster bring it online twice */
    r->priv = st;
    cgroup_hold(st);
    return 0;
}

static int gensvc_offline(struct rm_resource *r)
{
    struct gensvc_state *st = r->priv;
    char name[UNIT_NAME_MAX + 1], *state = NULL;
    struct job_wait jw = {0};
    struct gensvc_call c;
    int rv = st != NULL ? (memcpy(name, st->unit, sizeof(name)), 0) : unit_name(r, name);

    if (rv >= 0)
        rv = call_begin(&c, r, call_timeout_ms(r));
    if (rv < 0)
        return rv;
    rv = unit_job(&c, "StopUnit", name, &jw);
    if (rv < 0 && jw.no_such_unit) { /* no such unit runs: it is offline */
        call_end(&c);
        state_free(r);
        return 0;
    }
    if (rv == -ETIMEDOUT)
        rm_fail(r, rv, "%s did not stop within %u ms", name, call_timeout_ms(r));
    if (rv >= 0)
        rv = unit_active_state(&c, name, &state);
    if (rv >= 0 && strcmp(state, "inactive") != 0 && strcmp(state, "failed") != 0)
        rv = rm_fail(r, -EBUSY, "%s did not stop: its stop job ended \"%s\", it is %s", name,
                     jw.result, state);
    call_end(&c);
    free(jw.job);
    free(state);
    if (rv >= 0)
        state_free(r);
    return rv;
}

/* Both checks: the unit is active (or reloading, which keeps it running). */
static int gensvc_check(struct rm_resource *r)
{
    struct gensvc_state *st = r->priv;
    char name[UNIT_NAME_MAX + 1], *state = NULL;
    struct gensvc_call c;
    int rv = st != NULL ? (memcpy(name, st->unit, sizeof(name)), 0) : unit_name(r, name);

    if (rv >= 0)
        rv = watch_drain(r, st);
    if (rv >= 0)
        rv = call_begin(&c, r, call_timeout_ms(r));
    if (rv < 0)
        return rv;
    rv = unit_active_state(&c, name, &state);
    if (rv >= 0 && strcmp(state, "active") != 0 && strcmp(state, "reloading") != 0)
        rv = rm_fail(r, -ESRCH, "%s is %s", name, state);
    call_end(&c);
    free(state);
    return rv;
}

/* SIGKILL to every process of the unit, then a stop so that systemd marks it down; waits for
 * neither job nor state. Failures are left to the cgroup hold and the next online. r->errmsg
 * keeps the reason terminate was called for. */
static void unit_terminate(struct rm_resource *r, const char *name)
{
    char errmsg[RM_ERRMSG_SIZE];
    struct gensvc_call c;

    memcpy(errmsg, r->errmsg, sizeof(errmsg));
    if (call_begin(&c, r, GENSVC_QUICK_MS) == 0) {
        call_left(&c);
        sd_bus_call_method(c.bus, SD_DEST, SD_PATH, SD_MANAGER, "KillUnit", NULL, NULL, "ssi",
                           name, "all", (int32_t)SIGKILL);
        call_left(&c);
        sd_bus_call_method(c.bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit", NULL, NULL, "ss",
                           name, "replace");
        call_end(&c);
    }
    memcpy(r->errmsg, errmsg, sizeof(errmsg));
}

static void gensvc_terminate(struct rm_resource *r)
{
    struct gensvc_state *st = r->priv;
    char name[UNIT_NAME_MAX + 1];
    char errmsg[RM_ERRMSG_SIZE];

    memcpy(errmsg, r->errmsg, sizeof(errmsg)); /* terminate keeps the reason it was called for */
    if (st != NULL)
        unit_terminate(r, st->unit);
    else if (unit_name(r, name) == 0)
        unit_terminate(r, name);
    state_free(r);
    memcpy(r->errmsg, errmsg, sizeof(errmsg));
}

static int gensvc_watch_fd(struct rm_resource *r)
{
    const struct gensvc_state *st = r->priv;

    return st != NULL && st->watch != NULL ? sd_bus_get_fd(st->watch) : -1;
}

/* The unit must be loaded, not enabled and not restarted by systemd itself. */
static int validate_unit(struct gensvc_call *c, const char *name, const char *path)
{
    char *load = NULL, *file_state = NULL, *restart = NULL;
    int rv = unit_string(c, path, SD_UNIT, "LoadState", &load);

    if (rv >= 0 && strcmp(load, "not-found") == 0)
        rv = rm_fail(c->r, -ENOENT, "unit %s does not exist", name);
    else if (rv >= 0 && strcmp(load, "loaded") != 0)
        rv = rm_fail(c->r, -EINVAL, "unit %s is %s, not loaded", name, load);
    if (rv >= 0)
        rv = unit_string(c, path, SD_UNIT, "UnitFileState", &file_state);
    if (rv >= 0 && strncmp(file_state, "enabled", 7) == 0)
        rv = rm_fail(c->r, -EINVAL, "unit %s is %s: systemd would start it on every node at "
                     "boot; disable it", name, file_state);
    if (rv >= 0 && strcmp(strrchr(name, '.'), ".service") == 0)
        rv = unit_string(c, path, "org.freedesktop.systemd1.Service", "Restart", &restart);
    if (rv >= 0 && restart != NULL && strcmp(restart, "no") != 0)
        rv = rm_fail(c->r, -EINVAL, "unit %s has Restart=%s: systemd would restart it behind "
                     "the cluster (also on a node that lost quorum); set Restart=no", name,
                     restart);
    free(load);
    free(file_state);
    free(restart);
    return rv;
}

static int gensvc_validate(struct rm_resource *r)
{
    char name[UNIT_NAME_MAX + 1], *path = NULL;
    struct gensvc_call c;
    int rv = unit_name(r, name);

    if (rv >= 0)
        rv = call_begin(&c, r, call_timeout_ms(r));
    if (rv < 0)
        return rv;
    rv = unit_path(&c, name, &path);
    if (rv >= 0)
        rv = validate_unit(&c, name, path);
    call_end(&c);
    free(path);
    return rv;
}

static int gensvc_type_info(const char *driver_arg, struct rm_type_info **ret)
{
    /* one block, as rm_type_info_free() frees it */
    struct rm_type_info *info = calloc(1, sizeof(*info) + sizeof(struct rm_param));

    (void)driver_arg;
    if (info == NULL)
        return -ENOMEM;
    info->params = (struct rm_param *)(info + 1);
    info->params[0] = (struct rm_param){
        .name = "ServiceName", .syntax = PROP_SYNTAX_SZ, .required = true,
        .description = "the systemd unit to keep running (\".service\" when no type is given)"};
    info->n_params = 1;
    *ret = info;
    return 0;
}

const struct rm_driver rm_gensvc_driver = {
    .type_name = "gensvc",
    .online = gensvc_online,
    .offline = gensvc_offline,
    .looks_alive = gensvc_check,
    .is_alive = gensvc_check,
    .terminate = gensvc_terminate,
    .watch_fd = gensvc_watch_fd,
    .validate = gensvc_validate,
    .type_info = gensvc_type_info,
};
