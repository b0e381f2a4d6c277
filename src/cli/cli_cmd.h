/*
 * cli_cmd — clusctl's commands and the output helpers they share. Each command returns the
 * process exit code (enum cli_exit).
 */
#ifndef CLUSAPI_CLI_CMD_H
#define CLUSAPI_CLI_CMD_H

#include <stdint.h>

#include "cli/cli_args.h"
#include "cli/cli_text.h"

/* `clusctl create`: CreateCluster with a progress display (cli_create.c). */
int cli_cmd_create(const struct cli_args *a);
/* `clusctl status` and the `node|group|resource list` tables (cli_status.c). */
int cli_cmd_status(const struct cli_args *a);

/*
 * Reports a failed operation: "clusctl: <what>: NAME (code): text (detail)" on stderr, and with
 * --json also {"ok":false,"status":...} on stdout. detail may be NULL. Returns the exit code
 * cli_exit_for_status() gives for status (clusctl.c).
 */
int cli_fail(const struct cli_args *a, const char *what, uint32_t status, const char *detail);

/* Writes the whole buffer to stdout and flushes it, so a reader sees each line as it comes.
 * Returns 0 or -EIO. */
int cli_flush_out(const struct cli_buf *b);

#endif
