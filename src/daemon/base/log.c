#include "daemon/base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int log_level = LOG_INFO;

void log_write(int prio, const char *subsystem, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    static int with_time = -1;

    if (with_time < 0) /* journald stamps records itself; a plain log file may want times */
        with_time = getenv("CLUSSVC_LOG_TIME") != NULL;
    if (with_time) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        n = snprintf(line, sizeof(line), "<%d>%lld.%03ld %s: ", prio, (long long)ts.tv_sec,
                     ts.tv_nsec / 1000000, subsystem);
    } else {
        n = snprintf(line, sizeof(line), "<%d>%s: ", prio, subsystem);
    }
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* One write per record so lines from several threads never interleave. */
    fprintf(stderr, "%s\n", line);
}
