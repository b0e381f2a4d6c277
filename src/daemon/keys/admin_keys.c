/*
 * admin_keys — the administrator keys a node accepts (see admin_keys.h).
 */
#include "daemon/keys/admin_keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel/secret_file.h"

#define LINE_CHARS (2 * CHANNEL_KEY_BYTES + 1)

static int index_of(const struct admin_keys *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++) {
        const char *have = channel_admin_key_id(set->keys[i].identity);

        if (have != NULL && id != NULL && strcmp(have, id) == 0)
            return (int)i;
    }
    return -1;
}

int admin_keys_find(const struct admin_keys *set, const char *identity, struct channel_key *ret)
{
    int i = index_of(set, channel_admin_key_id(identity));

    if (i < 0)
        return -ENOENT;
    *ret = set->keys[i];
    return 0;
}

int admin_keys_add(struct admin_keys *set, const struct channel_key *key)
{
    struct channel_key k = *key;

    channel_key_set_admin_identity(&k);
    if (index_of(set, channel_admin_key_id(k.identity)) >= 0)
        return 1;
    if (set->n == ADMIN_KEYS_MAX)
        return -ENOSPC;
    set->keys[set->n++] = k;
    memset(&k, 0, sizeof(k));
    return 0;
}

static void remove_at(struct admin_keys *set, size_t i)
{
    memmove(&set->keys[i], &set->keys[i + 1], (set->n - i - 1) * sizeof(set->keys[0]));
    set->n--;
    memset(&set->keys[set->n], 0, sizeof(set->keys[0]));
}

int admin_keys_remove(struct admin_keys *set, const char *remove_id, const char *keep_id)
{
    int i = index_of(set, remove_id);

    if (keep_id != NULL && remove_id != NULL && strcmp(remove_id, keep_id) == 0)
        return -EBUSY;
    if (i < 0)
        return -ENOENT;
    remove_at(set, (size_t)i);
    return 0;
}

int admin_keys_retain(struct admin_keys *set, const char *keep_id)
{
    int removed = 0;

    if (index_of(set, keep_id) < 0)
        return -ENOENT;
    for (size_t i = set->n; i-- > 0;) {
        if (strcmp(channel_admin_key_id(set->keys[i].identity), keep_id) != 0) {
            remove_at(set, i);
            removed++;
        }
    }
    return removed;
}

const struct channel_key *admin_keys_newest(const struct admin_keys *set)
{
    return set->n > 0 ? &set->keys[set->n - 1] : NULL;
}

int admin_keys_format(const struct admin_keys *set, char *buf, size_t n)
{
    size_t len = 0;

    if (n < set->n * LINE_CHARS + 1)
        return -ENOSPC;
    for (size_t i = 0; i < set->n; i++) {
        channel_key_to_hex(&set->keys[i], buf + len);
        len += LINE_CHARS;
        buf[len - 1] = '\n';
    }
    buf[len] = '\0';
    return (int)len;
}

int admin_keys_parse(const char *text, struct admin_keys *ret)
{
    struct admin_keys set = {0};
    const char *p = text;

    while (*p != '\0') {
        struct channel_key k;
        const char *nl = strchr(p, '\n');

        if (nl == NULL || nl - p != 2 * CHANNEL_KEY_BYTES || channel_key_from_hex(p, &k) < 0 ||
            admin_keys_add(&set, &k) != 0) {
            memset(&set, 0, sizeof(set));
            memset(&k, 0, sizeof(k));
            return -EINVAL;
        }
        memset(&k, 0, sizeof(k));
        p = nl + 1;
    }
    if (set.n == 0)
        return -EINVAL;
    *ret = set;
    memset(&set, 0, sizeof(set));
    return 0;
}

int admin_keys_load(const char *state_dir, struct admin_keys *ret)
{
    char path[4096];
    char *text;
    size_t len;
    int rv;

    snprintf(path, sizeof(path), "%s/%s", state_dir, ADMIN_KEYS_FILE);
    rv = secret_file_read(path, &text, &len, NULL);
    if (rv == -ENOENT)
        return 0;
    if (rv < 0)
        return rv == -EFBIG ? -EINVAL : rv;
    rv = admin_keys_parse(text, ret);
    memset(text, 0, len);
    free(text);
    return rv < 0 ? rv : 1;
}

int admin_keys_save(const char *state_dir, const struct admin_keys *set)
{
    char path[4096], text[ADMIN_KEYS_MAX * LINE_CHARS + 1];
    int len = admin_keys_format(set, text, sizeof(text)), rv;

    if (len < 0)
        return len;
    snprintf(path, sizeof(path), "%s/%s", state_dir, ADMIN_KEYS_FILE);
    rv = secret_file_write(path, text, (size_t)len, true);
    memset(text, 0, sizeof(text));
    return rv;
}
