/*
 * cli_quorum — the votes as clusctl shows them (cli_quorum.c): `quorum show|set`, and the summary
 * `status` prints.
 */
#ifndef CLUSCTL_CLI_QUORUM_H
#define CLUSCTL_CLI_QUORUM_H

#include <stdbool.h>
#include <stdint.h>

#include <clusapi.h>

#include "cli/cli_format.h"

/*
 * The votes in brief, appended to b: in text "Votes: 2 of 3 up, majority 2: the cluster survives
 * 1 more failure." and, when it survives none, what to do; in JSON a member
 * ,"votes":{voters, voters_up, majority, has_quorum, survives}. 0, or the Win32 status of reading
 * them (reason in detail, CLI_DETAIL_SIZE bytes), b then unchanged.
 */
uint32_t cli_quorum_summary(HCLUSTER h, bool json, struct cli_buf *b, char *detail);
/* After the cluster shrank: a warning on stderr when one crash can now stop it (two nodes and
 * no witness: common/quorum_votes.h). Silent when the votes cannot be read. */
void cli_quorum_warn_fragile(HCLUSTER h);

#endif
