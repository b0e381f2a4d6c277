/*
 * secret_file — secrets on disk with owner-only permissions (see secret_file.h).
 */
#include "channel/secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

bool secret_mode_too_open(unsigned mode)
{
    return (mode & 077) != 0;
}

/* fsyncs the directory holding path, so the new name survives a crash. */
static int sync_parent(const char *path)
{
    char copy[PATH_MAX];
    int fd, rv = 0;

    if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
        return -ENAMETOOLONG;
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (fsync(fd) < 0)
        rv = -errno;
    close(fd);
    return rv;
}

/* Opens a fresh temporary file beside path: exclusive, never through a link, mode 0600. */
static int open_temp(const char *path, char *tmp, size_t n)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        unsigned tag;
        int fd;

        if (getrandom(&tag, sizeof(tag), 0) != (ssize_t)sizeof(tag))
            return -EIO;
        if (snprintf(tmp, n, "%s.%08x.tmp", path, tag) >= (int)n)
            return -ENAMETOOLONG;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd >= 0 ? fd : -errno;
    }
    return -EEXIST;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -errno;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int secret_file_write(const char *path, const void *data, size_t len, bool replace)
{
    char tmp[PATH_MAX];
    int fd, rv;

    fd = open_temp(path, tmp, sizeof(tmp));
    if (fd < 0)
        return fd;
    /* fchmod: the umask may have taken bits away from 0600; it can never have added any. */
    rv = fchmod(fd, 0600) < 0 ? -errno : 0;
    if (rv == 0)
        rv = write_all(fd, data, len);
    if (rv == 0 && fsync(fd) < 0)
        rv = -errno;
    if (close(fd) < 0 && rv == 0)
        rv = -errno;
    if (rv == 0 && replace && rename(tmp, path) < 0)
        rv = -errno;
    if (rv == 0 && !replace && link(tmp, path) < 0) /* link never replaces: EEXIST */
        rv = -errno;
    if (rv < 0 || !replace)
        unlink(tmp);
    if (rv == 0)
        rv = sync_parent(path);
    return rv;
}

int secret_file_read(const char *path, char **ret, size_t *ret_len, unsigned *ret_mode)
{
    struct stat st;
    char *buf;
    ssize_t n;
    int fd;

    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno == ELOOP ? -EPERM : -errno;
    if (fstat(fd, &st) < 0) {
        n = -errno;
        close(fd);
        return (int)n;
    }
    if (ret_mode != NULL)
        *ret_mode = st.st_mode & 07777;
    if (!S_ISREG(st.st_mode) || secret_mode_too_open(st.st_mode)) {
        close(fd);
        return -EPERM;
    }
    if (st.st_size > SECRET_FILE_MAX) {
        close(fd);
        return -EFBIG;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return -ENOMEM;
    }
    n = read(fd, buf, (size_t)st.st_size);
    close(fd);
    if (n != st.st_size) {
        free(buf);
        return n < 0 ? -EIO : -EAGAIN; /* changed under us: the writer renames whole files */
    }
    buf[n] = '\0';
    *ret = buf;
    *ret_len = (size_t)n;
    return 0;
}

int secret_dir_prepare(const char *dir)
{
    struct stat st;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -errno;
    if (lstat(dir, &st) < 0)
        return -errno;
    if (!S_ISDIR(st.st_mode))
        return -ENOTDIR;
    if ((st.st_mode & 07777) != 0700 && chmod(dir, 0700) < 0)
        return -errno;
    return 0;
}
