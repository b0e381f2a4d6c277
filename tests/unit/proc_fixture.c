/*
 * proc_fixture — see proc_fixture.h.
 */
#include "proc_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "daemon/rm/rm_cgroup.h"

void proc_require_cgroup(void)
{
    char parent[RM_CGROUP_PATH_MAX], probe[RM_CGROUP_PATH_MAX + 32];

    if (geteuid() != 0 || rm_cgroup_parent(parent, sizeof(parent)) < 0) {
        fprintf(stderr, "skipped: needs root and a cgroup v2\n");
        exit(SKIP);
    }
    snprintf(probe, sizeof(probe), "%s/clusapi-probe-%d", parent, (int)getpid());
    if (mkdir(probe, 0755) < 0) {
        fprintf(stderr, "skipped: %s is not writable: %s\n", parent, strerror(errno));
        exit(SKIP);
    }
    rmdir(probe);
}

char *proc_scratch_new(void)
{
    char *dir = strdup("/tmp/clusapi-proc-XXXXXX");

    if (dir == NULL || mkdtemp(dir) == NULL)
        abort();
    chmod(dir, 0755);
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void proc_scratch_free(char *dir)
{
    if (dir != NULL)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

char *proc_path(const char *dir, const char *name)
{
    char *path;

    if (asprintf(&path, "%s/%s", dir, name) < 0)
        abort();
    return path;
}

char *proc_script(const char *dir, const char *name, const char *body)
{
    char *path = proc_path(dir, name);
    FILE *f = fopen(path, "w");

    if (f == NULL)
        abort();
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
    return path;
}

char *proc_fifo(const char *dir, const char *name)
{
    char *path = proc_path(dir, name);

    if (mkfifo(path, 0600) < 0)
        abort();
    return path;
}

int64_t proc_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int proc_fifo_reader(const char *fifo)
{
    return open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

/* Linux reports no hang-up on a FIFO until a writer has come and gone; a writer that went
 * without a full line leaves it hung up, so the rest is waited for in short steps. */
char *proc_read_line(int fd, int timeout_ms)
{
    int64_t deadline = proc_now_ms() + timeout_ms;
    char buf[256];
    size_t len = 0;

    while (len < sizeof(buf) - 1 && memchr(buf, '\n', len) == NULL) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ssize_t k = read(fd, buf + len, sizeof(buf) - 1 - len);
        int64_t left = deadline - proc_now_ms();

        if (k > 0) {
            len += (size_t)k;
            continue;
        }
        if (left <= 0)
            break;
        if (k == 0)
            poll(NULL, 0, 10);
        else
            poll(&pfd, 1, (int)left);
    }
    if (memchr(buf, '\n', len) == NULL)
        return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return strdup(buf);
}

char *proc_fifo_line(const char *fifo, int timeout_ms)
{
    int fd = proc_fifo_reader(fifo);
    char *line;

    if (fd < 0)
        return NULL;
    line = proc_read_line(fd, timeout_ms);
    close(fd);
    return line;
}

int proc_pidfd_open(pid_t pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

bool proc_wait_gone(pid_t pid, int timeout_ms)
{
    int fd = proc_pidfd_open(pid);
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    bool gone;

    if (fd < 0 && errno == ENOSYS) { /* no pidfd_open (valgrind 3.19): look in steps */
        int64_t deadline = proc_now_ms() + timeout_ms;

        while (proc_running(pid) && proc_now_ms() < deadline)
            poll(NULL, 0, 10);
        return !proc_running(pid);
    }
    if (fd < 0)
        return errno == ESRCH;
    gone = poll(&pfd, 1, timeout_ms) == 1;
    close(fd);
    return gone;
}

bool proc_running(pid_t pid)
{
    char path[64], text[512];
    const char *p;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return false;
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    p = strrchr(text, ')');
    return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

char *proc_cgroup_of(pid_t pid)
{
    char path[64], *line = NULL, *found = NULL;
    size_t cap = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return NULL;
    while (found == NULL && getline(&line, &cap, f) > 0)
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            found = strdup(line + 3);
        }
    free(line);
    fclose(f);
    return found;
}
