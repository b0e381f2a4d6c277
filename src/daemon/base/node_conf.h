/*
 * node_conf — what a node keeps on disk in its state directory, and nothing else:
 *   cluster.conf  the node's cluster configuration (cluster id and name, its node id, the
 *                 initial peers, whether the setup that wrote it committed), a wire message;
 *   cluster.key   the cluster credential this node proves (mode 0600);
 *   cluster.key.other  while a credential rotation runs, the other one it accepts (mode 0600);
 *   raft/         the consensus log and snapshots.
 * A NotConfigured node has none of them. Writes are atomic (temporary file, fsync, rename).
 */
#ifndef CLUSSVC_NODE_CONF_H
#define CLUSSVC_NODE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "channel/channel.h"

#define NODE_CONF_MAX_PEERS 64

struct node_peer {
    uint64_t id;
    char name[64];
    char address[64];
    uint32_t port;
    uint32_t raft_port;
    uint32_t role; /* RAFT_VOTER, RAFT_STANDBY, RAFT_SPARE */
};

struct node_conf {
    char cluster_id[40];
    char cluster_name[64];
    uint64_t node_id;
    uint64_t setup_session; /* the setup that wrote this configuration */
    bool committed;
    bool join;              /* joins a running cluster: consensus must not bootstrap */
    size_t n_peers;
    struct node_peer peers[NODE_CONF_MAX_PEERS];
};

/* Creates the state directory (0700) if missing and checks it is writable. 0 or negative errno. */
int node_conf_prepare_dir(const char *state_dir);
/* 1 and *ret filled if the node is configured, 0 if not, negative errno on a damaged file. */
int node_conf_load(const char *state_dir, struct node_conf *ret);
int node_conf_save(const char *state_dir, const struct node_conf *conf);
int node_conf_save_key(const char *state_dir, const struct channel_key *key);
/*
 * The pure halves of load and save, for a file's bytes: node_conf_encode gives cluster.conf's
 * content (malloc'd, free() it; 0 or -ENOMEM); node_conf_parse reads it back (0, or -EBADMSG on
 * a malformed file, -ENOMEM); node_conf_parse_key reads cluster.key's ("identity\n<64 hex>\n";
 * 0, -EBADMSG or -EINVAL; what follows the key is ignored). ret is untouched on failure.
 * node_conf_load_key and node_conf_load_other_key read the files, which must hold exactly that
 * (-EBADMSG otherwise; -ENOENT without one).
 */
int node_conf_encode(const struct node_conf *conf, uint8_t **ret, size_t *ret_len);
int node_conf_parse(const void *data, size_t len, struct node_conf *ret);
int node_conf_parse_key(const void *data, size_t len, struct channel_key *ret);
int node_conf_load_key(const char *state_dir, struct channel_key *ret);
/* The second accepted credential during a rotation; NULL removes the file. */
int node_conf_save_other_key(const char *state_dir, const struct channel_key *key);
int node_conf_load_other_key(const char *state_dir, struct channel_key *ret);
/* Path of the raft directory (created when missing). */
int node_conf_raft_dir(const char *state_dir, char *buf, size_t n);
/* Removes every file of the cluster from the state directory; the directory itself stays. */
int node_conf_wipe(const char *state_dir);
/* The peer entry for an id, or NULL. */
const struct node_peer *node_conf_peer(const struct node_conf *conf, uint64_t id);

/* Encodes/decodes a peer as nested RPC fields (shared by the conf file and the RPC). */
struct wire_writer;
void node_peer_put(struct wire_writer *w, uint16_t tag, const struct node_peer *p);
int node_peer_parse(const void *data, size_t len, struct node_peer *ret);

#endif
