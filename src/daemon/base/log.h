/*
 * log — the daemon's one logging macro: level-gated, tagged with a subsystem, written to stderr
 * with a syslog priority prefix ("<6>") that journald turns into the record's priority.
 */
#ifndef CLUSSVC_LOG_H
#define CLUSSVC_LOG_H

#include <syslog.h>

extern int log_level; /* messages with a priority above this (less urgent) are dropped */

void log_write(int prio, const char *subsystem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define LOG(prio, subsystem, ...)                                                                  \
    do {                                                                                           \
        if ((prio) <= log_level)                                                                   \
            log_write((prio), (subsystem), __VA_ARGS__);                                           \
    } while (0)

#define LOGE(sub, ...) LOG(LOG_ERR, sub, __VA_ARGS__)
#define LOGW(sub, ...) LOG(LOG_WARNING, sub, __VA_ARGS__)
#define LOGI(sub, ...) LOG(LOG_INFO, sub, __VA_ARGS__)
#define LOGD(sub, ...) LOG(LOG_DEBUG, sub, __VA_ARGS__)

#endif
