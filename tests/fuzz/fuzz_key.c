/*
 * fuzz_key — the two key files: the administrator's key (one line of 64 hex digits, read by
 * libclusapi and clusctl) and a node's cluster.key ("identity\n<64 hex digits>\n").
 *
 * Invariants: a key that parses came from exactly 64 hex digits, which its hex form repeats
 * (lower case); writing a parsed cluster.key back the way node_conf_save_key does and reading it
 * again gives the same key; failures leave the output alone.
 */
#include "fuzz.h"

#include <ctype.h>
#include <errno.h>

#include "channel/channel.h"
#include "daemon/base/node_conf.h"

#define HEX_LEN (2 * CHANNEL_KEY_BYTES)

/* The hex text of key matches the 64 characters at text, ignoring case. */
static int hex_matches(const struct channel_key *key, const uint8_t *text)
{
    char hex[HEX_LEN + 1];

    channel_key_to_hex(key, hex);
    for (size_t i = 0; i < HEX_LEN; i++)
        if (hex[i] != tolower(text[i]))
            return 0;
    return 1;
}

static void check_admin_key(const uint8_t *data, size_t size)
{
    struct channel_key key;
    char *text = malloc(size + 1); /* NUL-terminated, as secret_file_read gives it */
    int rv;

    FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&key, FUZZ_POISON, sizeof(key));
    rv = channel_key_parse(text, size, &key);
    free(text);
    FUZZ_CHECK(rv == 0 || rv == -EINVAL);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&key, sizeof(key)));
        return;
    }
    FUZZ_CHECK(size >= HEX_LEN && hex_matches(&key, data));
    FUZZ_CHECK(size == HEX_LEN || data[HEX_LEN] == '\n' || data[HEX_LEN] == '\0');
    FUZZ_CHECK(channel_admin_key_id(key.identity) != NULL);
}

static void check_cluster_key(const uint8_t *data, size_t size)
{
    struct channel_key key, back;
    char text[sizeof(key.identity) + HEX_LEN + 4], hex[HEX_LEN + 1];
    const uint8_t *nl;
    int rv, n;

    memset(&key, FUZZ_POISON, sizeof(key));
    rv = node_conf_parse_key(data, size, &key);
    FUZZ_CHECK(rv == 0 || rv == -EBADMSG || rv == -EINVAL);
    if (rv < 0) {
        FUZZ_CHECK(fuzz_untouched(&key, sizeof(key)));
        return;
    }
    nl = memchr(data, '\n', size);
    FUZZ_CHECK(nl != NULL && (size_t)(nl - data) < sizeof(key.identity));
    FUZZ_CHECK(memchr(data, '\0', (size_t)(nl - data)) == NULL);
    FUZZ_CHECK(strlen(key.identity) == (size_t)(nl - data));
    FUZZ_CHECK(memcmp(key.identity, data, (size_t)(nl - data)) == 0);
    FUZZ_CHECK(size - (size_t)(nl + 1 - data) >= HEX_LEN && hex_matches(&key, nl + 1));

    channel_key_to_hex(&key, hex);
    n = snprintf(text, sizeof(text), "%s\n%s\n", key.identity, hex);
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof(text));
    FUZZ_CHECK(node_conf_parse_key(text, (size_t)n, &back) == 0);
    FUZZ_CHECK(strcmp(back.identity, key.identity) == 0);
    FUZZ_CHECK(memcmp(back.bytes, key.bytes, CHANNEL_KEY_BYTES) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_admin_key(data, size);
    check_cluster_key(data, size);
    return 0;
}
