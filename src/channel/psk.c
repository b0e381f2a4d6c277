/*
 * psk — see psk.h.
 */
#include "channel/psk.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

int psk_session_init(gnutls_session_t *ret, unsigned flags, int fd)
{
    *ret = NULL;
    if (gnutls_init(ret, flags) < 0) {
        *ret = NULL;
        return -ENOMEM;
    }
    if (gnutls_priority_set_direct(*ret, CHANNEL_PRIORITY, NULL) < 0)
        return -EINVAL;
    gnutls_transport_set_int(*ret, fd);
    return 0;
}

int psk_client_credentials(gnutls_session_t session, const struct channel_key *key,
                           gnutls_psk_client_credentials_t *ret)
{
    gnutls_datum_t datum = {.data = (unsigned char *)key->bytes, .size = CHANNEL_KEY_BYTES};

    if (gnutls_psk_allocate_client_credentials(ret) < 0)
        return -ENOMEM;
    if (gnutls_psk_set_client_credentials(*ret, key->identity, &datum, GNUTLS_PSK_KEY_RAW) < 0 ||
        gnutls_credentials_set(session, GNUTLS_CRD_PSK, *ret) < 0)
        return -ENOMEM;
    return 0;
}

int psk_server_credentials(gnutls_session_t session, gnutls_psk_server_credentials_function *cb,
                           gnutls_psk_server_credentials_t *ret)
{
    if (gnutls_psk_allocate_server_credentials(ret) < 0)
        return -ENOMEM;
    gnutls_psk_set_server_credentials_function(*ret, cb);
    return gnutls_credentials_set(session, GNUTLS_CRD_PSK, *ret) < 0 ? -ENOMEM : 0;
}

int psk_answer(channel_key_lookup_fn lookup, void *arg, const char *identity, gnutls_datum_t *key)
{
    struct channel_key found;
    int rv = -1;

    if (lookup(arg, identity, &found) < 0)
        return -1;
    key->data = gnutls_malloc(CHANNEL_KEY_BYTES);
    if (key->data != NULL) {
        memcpy(key->data, found.bytes, CHANNEL_KEY_BYTES);
        key->size = CHANNEL_KEY_BYTES;
        rv = 0;
    }
    memset(&found, 0, sizeof(found));
    return rv;
}
