/*
 * fuzz_proplist — CLUSPROP property lists as a control call's input buffer brings them.
 *
 * Invariants: decoding never reads outside the input; a list that decodes encodes again to the
 * same number of bytes (the probe reports it, the write fills it) and that encoding decodes to
 * the same names, syntaxes and values.
 */
#include "fuzz.h"

#include "clusapi_wintypes.h"
#include "common/proplist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct prop *props = NULL, *again = NULL;
    size_t n = 0, n2 = 0, need = 0, wrote = 0;
    if (proplist_decode(data, size, &props, &n) != ERROR_SUCCESS)
        return 0;
    /* The encoding is canonical: what decoded strictly takes exactly as many bytes again. */
    FUZZ_CHECK(proplist_encode(props, n, NULL, 0, &need) == ERROR_MORE_DATA);
    FUZZ_CHECK(need == size);
    uint8_t *buf = malloc(need);
    FUZZ_CHECK(buf != NULL);
    FUZZ_CHECK(proplist_encode(props, n, buf, need, &wrote) == ERROR_SUCCESS && wrote == need);
    FUZZ_CHECK(proplist_decode(buf, need, &again, &n2) == ERROR_SUCCESS && n2 == n);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(strcmp(props[i].name, again[i].name) == 0);
        FUZZ_CHECK(props[i].syntax == again[i].syntax);
        FUZZ_CHECK(strcmp(props[i].value, again[i].value) == 0);
    }
    free(again);
    free(buf);
    free(props);
    return 0;
}
