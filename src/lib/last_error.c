/*
 * last_error — GetLastError / SetLastError, per thread, and the reason text beside the code.
 */
#include <stdarg.h>
#include <stdio.h>

#include <clusapi_ext.h>

#include "lib/lib.h"

static __thread DWORD last_error;
static __thread char last_text[512];

CLUSAPI_API DWORD CLUSAPI_CALL GetLastError(void)
{
    return last_error;
}

CLUSAPI_API void CLUSAPI_CALL SetLastError(DWORD dwErrCode)
{
    last_error = dwErrCode;
    last_text[0] = '\0';
}

CLUSAPI_API const char *ClusapiLastErrorText(void)
{
    return last_text;
}

DWORD lib_fail(DWORD code)
{
    last_error = code;
    return code;
}

void lib_fail_text(DWORD code, const char *fmt, ...)
{
    va_list ap;

    last_error = code;
    va_start(ap, fmt);
    vsnprintf(last_text, sizeof(last_text), fmt, ap);
    va_end(ap);
}

void lib_clear_error(void)
{
    last_error = 0;
    last_text[0] = '\0';
}
