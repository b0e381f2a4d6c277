#include "daemon/log.h"

#include <stdarg.h>
#include <stdio.h>

int log_level = LOG_INFO;

void log_write(int prio, const char *subsystem, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    n = snprintf(line, sizeof(line), "<%d>%s: ", prio, subsystem);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* One write per record so lines from several threads never interleave. */
    fprintf(stderr, "%s\n", line);
}
