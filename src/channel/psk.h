/*
 * psk — the GnuTLS setup the channel and the tunnel share, so that both speak the same TLS: one
 * priority string (CHANNEL_PRIORITY), a client that proves one key, a server that answers from a
 * lookup. Internal to src/channel.
 */
#ifndef CLUSAPI_PSK_H
#define CLUSAPI_PSK_H

#include <gnutls/gnutls.h>

#include "channel/channel.h"

/* A session over the socket fd with CHANNEL_PRIORITY; flags as gnutls_init() takes them. 0,
 * -ENOMEM or -EINVAL; on failure a session made before the error is left in *ret for the
 * caller to deinit (it is NULL or a session either way). */
int psk_session_init(gnutls_session_t *ret, unsigned flags, int fd);

/* Makes the session prove key (identity and bytes are copied). 0 or -ENOMEM; whatever lands in
 * *ret is the caller's to free with gnutls_psk_free_client_credentials(), also on failure. */
int psk_client_credentials(gnutls_session_t session, const struct channel_key *key,
                           gnutls_psk_client_credentials_t *ret);

/* Makes the session accept the keys cb hands out. 0 or -ENOMEM; *ret as above, freed with
 * gnutls_psk_free_server_credentials(). */
int psk_server_credentials(gnutls_session_t session, gnutls_psk_server_credentials_function *cb,
                           gnutls_psk_server_credentials_t *ret);

/* The body of a server credentials function: asks lookup for identity's key and hands GnuTLS a
 * gnutls_malloc'd copy of its bytes in *key. 0, or -1 (GnuTLS's "unknown identity") when the
 * lookup fails or memory runs out. */
int psk_answer(channel_key_lookup_fn lookup, void *arg, const char *identity, gnutls_datum_t *key);

#endif
