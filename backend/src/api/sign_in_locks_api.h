/* sign_in_locks_api.h -- GET and DELETE /api/admin/sign-in-locks: the sign-in locks in
 * force (addresses that failed too often), and an admin's clearing of one. */
#ifndef DL_API_SIGN_IN_LOCKS_API_H
#define DL_API_SIGN_IN_LOCKS_API_H

#include "api/exchange.h"

void sign_in_locks_list(struct exchange *ex);
void sign_in_locks_clear(struct exchange *ex);

#endif
