/*
 * rekey_plan — what a credential rotation must settle before it starts: a rotation that was
 * interrupted (the rotating process died) leaves members holding two credentials, some proving
 * one and some the other. Pure: the decision from what each member reports holding.
 */
#ifndef CLUSAPI_REKEY_PLAN_H
#define CLUSAPI_REKEY_PLAN_H

#include <stddef.h>

#define REKEY_ID_SIZE 17 /* a credential id as 16 hex digits and a NUL */

struct rekey_holding {
    char proved[REKEY_ID_SIZE]; /* the credential the member proves */
    char other[REKEY_ID_SIZE];  /* the second one it accepts, "" if none */
};

enum rekey_settle {
    REKEY_CLEAN,  /* every member holds one and the same credential: nothing to settle */
    REKEY_SETTLE, /* switch every member to the id returned, then retire the rest */
    REKEY_STUCK,  /* no credential is held by every member: nothing safe can be done */
};

/*
 * Decides from n members' holdings. For REKEY_SETTLE, ret_id is a credential every member
 * already accepts, so switching all of them to it and then retiring the other refuses no one; of
 * two such, the one more members already prove (fewer switches). n must be at least 1.
 */
enum rekey_settle rekey_plan(const struct rekey_holding *h, size_t n, char ret_id[REKEY_ID_SIZE]);

#endif
