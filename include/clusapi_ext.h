/*
 * clusapi_ext.h — clusapi's own additions to the Win32 cluster API. Nothing here exists on
 * Windows; a portable program does not need it.
 */
#ifndef CLUSAPI_EXT_H
#define CLUSAPI_EXT_H

#include <clusapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The reason, in English words (UTF-8), behind the calling thread's last failed clusapi call:
 * "node n2: 10.0.0.50 already answers on eth0". "" when the call gave no more than its code.
 * Valid until the thread's next clusapi call.
 */
CLUSAPI_API const char *ClusapiLastErrorText(void);

#ifdef __cplusplus
}
#endif

#endif
