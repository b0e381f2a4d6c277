/*
 * secret_file — how every secret of clusapi lives on disk: the administrator's key, the node's
 * admin key set and cluster credential, and the node's state directory around them.
 *
 *   - A secret file is mode 0600 whatever the umask: it is written to a temporary file opened
 *     O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600 and fchmod'ed, fsync'ed, then renamed (or linked,
 *     when an existing file must not be replaced) over the final name, and the directory is
 *     fsync'ed. Readers see the old content or the new, never half, and never a moment with
 *     looser permissions.
 *   - A secret file that is not a regular file, is a symbolic link, or is readable or writable
 *     by group or others is refused (-EPERM), as ssh refuses a private key left open.
 *   - A directory that holds secrets is 0700: created so, and tightened to 0700 if it is found
 *     looser (it belongs to the service that writes it); a symbolic link or a non-directory in
 *     its place is refused (-ENOTDIR).
 */
#ifndef CLUSAPI_SECRET_FILE_H
#define CLUSAPI_SECRET_FILE_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_FILE_MAX 65536 /* the largest secret file read back */

/*
 * Writes len bytes to path, mode 0600, atomically. With replace false an existing path is left
 * alone and -EEXIST returned. 0 or negative errno; on failure nothing is left behind.
 */
int secret_file_write(const char *path, const void *data, size_t len, bool replace);

/*
 * Reads a whole secret file into a malloc'd, NUL-terminated buffer (*ret, length *ret_len).
 * 0; -ENOENT; -EPERM if it is not a regular file, is a symbolic link or its mode lets group or
 * others in (*ret_mode, if not NULL, then holds its permission bits); -EFBIG if it is larger
 * than SECRET_FILE_MAX; other negative errno.
 */
int secret_file_read(const char *path, char **ret, size_t *ret_len, unsigned *ret_mode);

/* Does this mode let anyone but the owner read or write the file? */
bool secret_mode_too_open(unsigned mode);

/*
 * Makes dir a directory fit for secrets: creates it mode 0700 if missing, tightens it to 0700 if
 * looser. 0, -ENOTDIR (a symbolic link or another kind of file is there) or negative errno.
 */
int secret_dir_prepare(const char *dir);

#endif
