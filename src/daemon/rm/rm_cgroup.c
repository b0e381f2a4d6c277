/*
 * rm_cgroup — cgroup v2 helpers of rm_proc and the resource host (see rm_cgroup.h).
 */
#include "daemon/rm/rm_cgroup.h"
#include "common/mono_clock.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mountinfo escapes blanks and backslashes in paths as \ooo. */
static void unescape_octal(char *s)
{
    char *out = s;

    for (; *s != '\0'; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

/* The first cgroup2 mount: its mount point and the group it shows as its root. */
static int find_mount(char *mnt, size_t mnt_size, char *root, size_t root_size)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char *line = NULL;
    size_t cap = 0;
    int rv = -ENOENT;

    if (f == NULL)
        return -errno;
    while (rv == -ENOENT && getline(&line, &cap, f) > 0) {
        char r[RM_CGROUP_PATH_MAX], m[RM_CGROUP_PATH_MAX];
        const char *dash = strstr(line, " - ");

        if (dash == NULL || strncmp(dash, " - cgroup2 ", 11) != 0)
            continue;
        if (sscanf(line, "%*s %*s %*s %1023s %1023s", r, m) != 2)
            continue;
        unescape_octal(r);
        unescape_octal(m);
        if (strlen(m) >= mnt_size || strlen(r) >= root_size)
            rv = -ENAMETOOLONG;
        else {
            strcpy(mnt, m);
            strcpy(root, r);
            rv = 0;
        }
    }
    free(line);
    fclose(f);
    return rv;
}

/* This process's group in the unified hierarchy ("0::/path"), or "/" if none is listed. */
static void own_group(char *buf, size_t size)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    char *line = NULL;
    size_t cap = 0;

    snprintf(buf, size, "/");
    if (f == NULL)
        return;
    while (getline(&line, &cap, f) > 0) {
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(buf, size, "%s", line + 3);
            break;
        }
    }
    free(line);
    fclose(f);
}

int rm_cgroup_parent(char *buf, size_t size)
{
    char mnt[RM_CGROUP_PATH_MAX], root[RM_CGROUP_PATH_MAX], own[RM_CGROUP_PATH_MAX];
    const char *rel;
    struct stat st;
    int rv = find_mount(mnt, sizeof(mnt), root, sizeof(root));

    if (rv < 0)
        return rv;
    own_group(own, sizeof(own));
    rel = own;
    /* The mount may show a subtree (a container's); /proc/self/cgroup then names paths below
     * the namespace root, which is that subtree. */
    if (strcmp(root, "/") != 0 && strncmp(own, root, strlen(root)) == 0)
        rel = own + strlen(root);
    if ((size_t)snprintf(buf, size, "%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel) >= size)
        return -ENAMETOOLONG;
    /* A group listed but absent from this mount (a stale entry, a foreign namespace): the
     * mount's root is ours to use as root is. */
    if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
        snprintf(buf, size, "%s", mnt);
    return 0;
}

/* FNV-1a: a name cut to fit keeps the hash of all of it, so two long names stay apart. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ull;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

#define ENCODED_MAX 200 /* below NAME_MAX (255) with room for the hash */

void rm_cgroup_encode(const char *name, char *buf, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    assert(size >= 256);
    buf[n++] = 'r';
    buf[n++] = '-';
    for (const char *p = name; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (n + 3 > ENCODED_MAX) {
            snprintf(buf + n, size - n, "~%016llx", (unsigned long long)fnv1a(name));
            return;
        }
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '-') {
            buf[n++] = (char)c;
        } else {
            buf[n++] = '%';
            buf[n++] = hex[c >> 4];
            buf[n++] = hex[c & 15];
        }
    }
    buf[n] = '\0';
}

static int write_file(const char *dir, const char *file, const char *text)
{
    char path[RM_CGROUP_PATH_MAX + 32];
    int fd, rv = 0;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (write(fd, text, strlen(text)) < 0)
        rv = -errno;
    close(fd);
    return rv;
}

int rm_cgroup_kill(const char *path)
{
    int rv = write_file(path, "cgroup.kill", "1");

    return rv == -ENOENT ? 0 : rv;
}

/* "populated 0|1" from an open cgroup.events. */
static int read_populated(int fd)
{
    char text[256];
    ssize_t k = pread(fd, text, sizeof(text) - 1, 0);
    const char *p;

    if (k < 0)
        return -errno;
    text[k] = '\0';
    p = strstr(text, "populated ");
    if (p == NULL)
        return -EPROTO;
    return p[10] == '1';
}

static int open_events(const char *path)
{
    char file[RM_CGROUP_PATH_MAX + 32];

    snprintf(file, sizeof(file), "%s/cgroup.events", path);
    return open(file, O_RDONLY | O_CLOEXEC);
}

int rm_cgroup_populated(const char *path)
{
    int fd = open_events(path);
    int rv;

    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    rv = read_populated(fd);
    close(fd);
    return rv;
}

int rm_cgroup_wait_empty(const char *path, uint32_t timeout_ms)
{
    uint64_t deadline = mono_ms() + timeout_ms;
    int fd = open_events(path);
    int rv;

    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    /* The kernel signals a change of cgroup.events as POLLPRI against the last read of this
     * descriptor, so a change between a read and the poll after it is not missed. */
    while ((rv = read_populated(fd)) == 1) {
        uint64_t now = mono_ms();
        struct pollfd pfd = {.fd = fd, .events = POLLPRI};

        if (now >= deadline) {
            rv = -ETIMEDOUT;
            break;
        }
        if (poll(&pfd, 1, (int)(deadline - now)) < 0 && errno != EINTR) {
            rv = -errno;
            break;
        }
    }
    close(fd);
    return rv < 0 ? rv : 0;
}

int rm_cgroup_remove(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int rv = 0;

    if (d == NULL)
        return errno == ENOENT ? 0 : -errno;
    while ((e = readdir(d)) != NULL) {
        char child[RM_CGROUP_PATH_MAX];

        if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >= sizeof(child))
            continue;
        if (rv == 0)
            rv = rm_cgroup_remove(child);
    }
    closedir(d);
    if (rv == 0 && rmdir(path) < 0 && errno != ENOENT)
        rv = -errno;
    return rv;
}
