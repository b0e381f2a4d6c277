/*
 * node_conf — the node's files in its state directory (see node_conf.h).
 */
#include "daemon/base/node_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel/secret_file.h"
#include "common/rpc_proto.h"
#include "common/wire.h"
#include "common/wire_seal.h"

#define CONF_FILE "cluster.conf"
#define KEY_FILE "cluster.key"
#define OTHER_KEY_FILE "cluster.key.other"
#define RAFT_DIR "raft"

int node_conf_prepare_dir(const char *state_dir)
{
    char probe[4096];
    int fd, rv = secret_dir_prepare(state_dir);

    if (rv < 0)
        return rv;
    /* A plain create and unlink: NODE_INFO and the storage watch ask this on the loop thread,
     * so no fsync here. One left by a crash is used again. */
    snprintf(probe, sizeof(probe), "%s/.probe", state_dir);
    fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    close(fd);
    unlink(probe);
    return 0;
}

/* Writes data to dir/name atomically with mode 0600 (secret_file.h). */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return secret_file_write(path, data, len, true);
}

/* Reads dir/name, refusing a file others could read (it may hold a secret). */
static int read_file(const char *dir, const char *name, uint8_t **ret, size_t *ret_len)
{
    char path[4096];
    char *text;
    int rv;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    rv = secret_file_read(path, &text, ret_len, NULL);
    if (rv == -EFBIG)
        return -EBADMSG;
    if (rv == 0)
        *ret = (uint8_t *)text;
    return rv;
}

void node_peer_put(struct wire_writer *w, uint16_t tag, const struct node_peer *p)
{
    size_t mark = wire_begin(w, tag);

    wire_put_u64(w, RPC_F_NODE_ID, p->id);
    wire_put_str(w, RPC_F_NODE_NAME, p->name);
    wire_put_str(w, RPC_F_ADDRESS, p->address);
    wire_put_u32(w, RPC_F_PORT, p->port);
    wire_put_u32(w, RPC_F_RAFT_PORT, p->raft_port);
    wire_put_u32(w, RPC_F_ROLE, p->role);
    wire_end(w, mark);
}

/* Copies a string field into a fixed buffer; -EBADMSG if absent, invalid or too long. */
static int get_str(const void *data, size_t len, uint16_t tag, char *buf, size_t n)
{
    char *s;
    int rv = wire_get_strdup(data, len, tag, &s);

    if (rv < 0)
        return -EBADMSG;
    if (strlen(s) >= n) {
        free(s);
        return -EBADMSG;
    }
    strcpy(buf, s);
    free(s);
    return 0;
}

int node_peer_parse(const void *data, size_t len, struct node_peer *ret)
{
    struct node_peer p = {0};

    if (wire_get_u64(data, len, RPC_F_NODE_ID, &p.id) < 0 || p.id == 0 ||
        get_str(data, len, RPC_F_NODE_NAME, p.name, sizeof(p.name)) < 0 ||
        get_str(data, len, RPC_F_ADDRESS, p.address, sizeof(p.address)) < 0 ||
        wire_get_u32(data, len, RPC_F_PORT, &p.port) < 0 ||
        wire_get_u32(data, len, RPC_F_RAFT_PORT, &p.raft_port) < 0 ||
        wire_get_u32(data, len, RPC_F_ROLE, &p.role) < 0 || p.port > 65535 ||
        p.raft_port > 65535)
        return -EBADMSG;
    *ret = p;
    return 0;
}

int node_conf_encode(const struct node_conf *conf, uint8_t **ret, size_t *ret_len)
{
    struct wire_writer w;
    uint8_t *data;
    size_t len;

    wire_writer_init(&w);
    wire_put_str(&w, RPC_F_CLUSTER_ID, conf->cluster_id);
    wire_put_str(&w, RPC_F_CLUSTER_NAME, conf->cluster_name);
    wire_put_u64(&w, RPC_F_NODE_ID, conf->node_id);
    wire_put_u32(&w, RPC_F_COMMITTED, conf->committed);
    wire_put_u64(&w, RPC_F_SESSION, conf->setup_session);
    wire_put_u32(&w, RPC_F_JOIN, conf->join);
    for (size_t i = 0; i < conf->n_peers; i++)
        node_peer_put(&w, RPC_F_PEER, &conf->peers[i]);
    wire_put_seal(&w, RPC_F_SEAL);
    data = wire_writer_take(&w, &len);
    if (data == NULL)
        return -ENOMEM;
    *ret = data;
    *ret_len = len;
    return 0;
}

int node_conf_save(const char *state_dir, const struct node_conf *conf)
{
    uint8_t *data;
    size_t len;
    int rv;

    rv = node_conf_encode(conf, &data, &len);
    if (rv < 0)
        return rv;
    rv = write_atomic(state_dir, CONF_FILE, data, len);
    free(data);
    return rv;
}

static int parse_conf(const uint8_t *data, size_t len, struct node_conf *conf)
{
    struct wire_reader r;
    struct wire_field f;
    uint32_t committed = 0, join = 0;
    int rv;

    if (get_str(data, len, RPC_F_CLUSTER_ID, conf->cluster_id, sizeof(conf->cluster_id)) < 0 ||
        get_str(data, len, RPC_F_CLUSTER_NAME, conf->cluster_name,
                sizeof(conf->cluster_name)) < 0 ||
        wire_get_u64(data, len, RPC_F_NODE_ID, &conf->node_id) < 0 ||
        wire_get_u32(data, len, RPC_F_COMMITTED, &committed) < 0 ||
        wire_get_u64(data, len, RPC_F_SESSION, &conf->setup_session) < 0)
        return -EBADMSG;
    conf->committed = committed != 0;
    wire_get_u32(data, len, RPC_F_JOIN, &join); /* absent in files of a bootstrapping node */
    conf->join = join != 0;
    wire_reader_init(&r, data, len);
    while ((rv = wire_next(&r, &f)) > 0) {
        if (f.tag != RPC_F_PEER)
            continue;
        if (conf->n_peers == NODE_CONF_MAX_PEERS)
            return -EBADMSG;
        if (node_peer_parse(f.value, f.len, &conf->peers[conf->n_peers++]) < 0)
            return -EBADMSG;
    }
    return rv;
}

int node_conf_parse(const void *data, size_t len, struct node_conf *ret)
{
    struct node_conf *conf;
    size_t body;
    int rv;

    if (wire_check_seal(data, len, RPC_F_SEAL, &body) < 0)
        return -EBADMSG; /* cut short, or changed */
    conf = calloc(1, sizeof(*conf));
    if (conf == NULL)
        return -ENOMEM;
    rv = parse_conf(data, body, conf);
    if (rv == 0)
        *ret = *conf;
    free(conf);
    return rv;
}

int node_conf_load(const char *state_dir, struct node_conf *ret)
{
    uint8_t *data;
    size_t len;
    int rv;

    rv = read_file(state_dir, CONF_FILE, &data, &len);
    if (rv == -ENOENT)
        return 0;
    if (rv < 0)
        return rv;
    rv = node_conf_parse(data, len, ret);
    free(data);
    return rv < 0 ? rv : 1;
}

static int save_key_file(const char *state_dir, const char *name, const struct channel_key *key)
{
    char text[sizeof(key->identity) + 2 * CHANNEL_KEY_BYTES + 4];
    char hex[2 * CHANNEL_KEY_BYTES + 1];
    int n, rv;

    channel_key_to_hex(key, hex);
    n = snprintf(text, sizeof(text), "%s\n%s\n", key->identity, hex);
    rv = write_atomic(state_dir, name, text, (size_t)n);
    explicit_bzero(text, sizeof(text));
    explicit_bzero(hex, sizeof(hex));
    return rv;
}

int node_conf_parse_key(const void *data, size_t len, struct channel_key *ret)
{
    struct channel_key key = {0};
    char text[sizeof(key.identity) + 2 * CHANNEL_KEY_BYTES + 2];
    const char *nl;
    int rv = -EBADMSG;

    /* The parse reads at most identity, '\n', 64 digits and the byte after them: a copy of
     * that prefix, NUL-terminated, is all it needs; what follows a key is ignored. */
    if (len > sizeof(text) - 1)
        len = sizeof(text) - 1;
    memcpy(text, data, len);
    text[len] = '\0';
    nl = strchr(text, '\n');
    if (nl != NULL && (size_t)(nl - text) < sizeof(key.identity)) {
        memcpy(key.identity, text, (size_t)(nl - text));
        rv = channel_key_from_hex(nl + 1, &key);
    }
    if (rv == 0)
        *ret = key;
    memset(text, 0, sizeof(text));
    memset(&key, 0, sizeof(key));
    return rv;
}

static int load_key_file(const char *state_dir, const char *name, struct channel_key *ret)
{
    struct channel_key key;
    uint8_t *data;
    size_t len;
    int rv;

    rv = read_file(state_dir, name, &data, &len);
    if (rv < 0)
        return rv;
    rv = node_conf_parse_key(data, len, &key);
    /* exactly what save_key_file writes: a file cut or grown is damaged */
    if (rv == 0 && len != strlen(key.identity) + 1 + 2 * CHANNEL_KEY_BYTES + 1)
        rv = -EBADMSG;
    if (rv == 0)
        *ret = key;
    explicit_bzero(&key, sizeof(key));
    memset(data, 0, len);
    free(data);
    return rv;
}

int node_conf_save_key(const char *state_dir, const struct channel_key *key)
{
    return save_key_file(state_dir, KEY_FILE, key);
}

int node_conf_load_key(const char *state_dir, struct channel_key *ret)
{
    return load_key_file(state_dir, KEY_FILE, ret);
}

int node_conf_save_other_key(const char *state_dir, const struct channel_key *key)
{
    char path[4096];

    if (key != NULL)
        return save_key_file(state_dir, OTHER_KEY_FILE, key);
    snprintf(path, sizeof(path), "%s/%s", state_dir, OTHER_KEY_FILE);
    return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

int node_conf_load_other_key(const char *state_dir, struct channel_key *ret)
{
    return load_key_file(state_dir, OTHER_KEY_FILE, ret);
}

int node_conf_raft_dir(const char *state_dir, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", state_dir, RAFT_DIR);
    return secret_dir_prepare(buf);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int node_conf_wipe(const char *state_dir)
{
    static const char *const files[] = {CONF_FILE, KEY_FILE, OTHER_KEY_FILE};
    char path[4096];
    int rv = 0;

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", state_dir, files[i]);
        if (unlink(path) < 0 && errno != ENOENT)
            rv = -errno;
    }
    snprintf(path, sizeof(path), "%s/%s", state_dir, RAFT_DIR);
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
        rv = -errno;
    return rv;
}

const struct node_peer *node_conf_peer(const struct node_conf *conf, uint64_t id)
{
    for (size_t i = 0; i < conf->n_peers; i++)
        if (conf->peers[i].id == id)
            return &conf->peers[i];
    return NULL;
}
