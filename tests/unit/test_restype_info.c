/*
 * ClusapiGetResourceTypeInfo: the packing of a RESTYPE_INFO reply into the caller's block (sizes,
 * ERROR_MORE_DATA, every field and string, pointers inside the block), malformed replies, and the
 * argument checks of the call itself, which fail before anything is sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <clusapi.h>
#include <clusapi_ext.h>

#include "common/rpc_proto.h"
#include "common/utf16.h"
#include "common/wire.h"
#include "lib/restype_info.h"

static void put_param(struct wire_writer *w, const char *name, uint32_t syntax, uint32_t req,
                      const char *def, const char *desc)
{
    size_t mark = wire_begin(w, RPC_F_ITEM);

    wire_put_str(w, RPC_F_NAME, name);
    wire_put_u32(w, RPC_F_SYNTAX, syntax);
    wire_put_u32(w, RPC_F_REQUIRED, req);
    wire_put_str(w, RPC_F_VALUE, def);
    wire_put_str(w, RPC_F_DESCRIPTION, desc);
    wire_end(w, mark);
}

static void put_timeout(struct wire_writer *w, const char *action, uint32_t ms)
{
    size_t mark = wire_begin(w, RPC_F_ACTION_TIMEOUT);

    wire_put_str(w, RPC_F_NAME, action);
    wire_put_u32(w, RPC_F_TIMEOUT_MS, ms);
    wire_end(w, mark);
}

static void assert_wstr(LPCWSTR w, const char *expected)
{
    char *s = NULL;

    assert_int_equal(utf16_to_utf8((const char16_t *)w, 4096, &s), 0);
    assert_string_equal(s, expected);
    free(s);
}

static void test_pack(void **state)
{
    struct wire_writer w;
    uint8_t *reply;
    size_t len;
    DWORD need = 0, used = 0;

    wire_writer_init(&w);
    put_param(&w, "config", CLUSPROP_SYNTAX_LIST_VALUE_SZ, 1, "/etc/nginx/nginx.conf",
              "Configuration file");
    put_timeout(&w, "start", 60000);
    put_param(&w, "port", CLUSPROP_SYNTAX_LIST_VALUE_DWORD, 0, "80", NULL); /* no description */
    put_timeout(&w, "monitor", 20000);
    put_timeout(&w, "reload", 5); /* not an action the block has: ignored */
    reply = wire_writer_take(&w, &len);
    assert_non_null(reply);

    assert_int_equal(restype_info_pack(reply, len, NULL, 0, &need), ERROR_MORE_DATA);
    assert_true(need > sizeof(CLUSAPI_RESTYPE_INFO) + 2 * sizeof(CLUSAPI_RESTYPE_PARAM));
    uint8_t *buf = malloc(need + 16);
    assert_int_equal(restype_info_pack(reply, len, buf, need - 1, &used), ERROR_MORE_DATA);
    assert_int_equal(used, need);
    memset(buf, 0xaa, need + 16);
    assert_int_equal(restype_info_pack(reply, len, buf, need + 16, &used), ERROR_SUCCESS);
    assert_int_equal(used, need);
    assert_int_equal(buf[need], 0xaa); /* nothing past what it said it needs */

    const CLUSAPI_RESTYPE_INFO *info = (const CLUSAPI_RESTYPE_INFO *)buf;
    assert_int_equal(info->cParams, 2);
    assert_true((uint8_t *)info->pParams > buf && (uint8_t *)info->pParams < buf + need);
    assert_int_equal(info->dwStartTimeout, 60000);
    assert_int_equal(info->dwStopTimeout, 0);
    assert_int_equal(info->dwMonitorTimeout, 20000);
    assert_int_equal(info->dwValidateTimeout, 0);
    assert_wstr(info->pParams[0].lpszName, "config");
    assert_int_equal(info->pParams[0].dwSyntax, CLUSPROP_SYNTAX_LIST_VALUE_SZ);
    assert_true(info->pParams[0].fRequired);
    assert_wstr(info->pParams[0].lpszDefault, "/etc/nginx/nginx.conf");
    assert_wstr(info->pParams[0].lpszDescription, "Configuration file");
    assert_wstr(info->pParams[1].lpszName, "port");
    assert_int_equal(info->pParams[1].dwSyntax, CLUSPROP_SYNTAX_LIST_VALUE_DWORD);
    assert_false(info->pParams[1].fRequired);
    assert_wstr(info->pParams[1].lpszDefault, "80");
    assert_wstr(info->pParams[1].lpszDescription, "");
    assert_true((const uint8_t *)info->pParams[1].lpszDescription < buf + need);
    free(buf);
    free(reply);
}

static void test_empty_and_malformed(void **state)
{
    struct wire_writer w;
    uint8_t *reply;
    size_t len;
    CLUSAPI_RESTYPE_INFO info[2];
    DWORD used = 0;
    size_t mark;

    /* a type without parameters or timeouts */
    assert_int_equal(restype_info_pack(NULL, 0, info, sizeof(info), &used), ERROR_SUCCESS);
    assert_int_equal(info[0].cParams, 0);
    assert_null(info[0].pParams);
    /* a parameter without a name */
    wire_writer_init(&w);
    mark = wire_begin(&w, RPC_F_ITEM);
    wire_put_u32(&w, RPC_F_SYNTAX, CLUSPROP_SYNTAX_LIST_VALUE_SZ);
    wire_end(&w, mark);
    reply = wire_writer_take(&w, &len);
    assert_int_equal(restype_info_pack(reply, len, info, sizeof(info), &used),
                     ERROR_INVALID_DATA);
    free(reply);
}

static void test_call_arguments(void **state)
{
    void *fake = (void *)(uintptr_t)0x1000;
    DWORD size = 0;

    assert_int_equal(ClusapiGetResourceTypeInfo(fake, u"IP Address", NULL, &size),
                     ERROR_INVALID_HANDLE);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    assert_int_equal(ClusapiGetResourceTypeInfo(NULL, u"IP Address", NULL, &size),
                     ERROR_INVALID_HANDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_empty_and_malformed),
        cmocka_unit_test(test_call_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
