/* Limits on password log-ins (loginlimits.c, docs/limieten.md): attempts per account and
 * address, per address and per account, and a bound on password checks running at once. The
 * login handler calls them in this order: admit, verify, outcome. A second factor checked
 * after the password (TOTP) reports its failures through omk__login_outcome as well. */
#ifndef OMK_ENGINE_LOGINLIMITS_H
#define OMK_ENGINE_LOGINLIMITS_H

#include <stdbool.h>

#include "omk/http.h"

/* Before checking a password for `account` from the request's client address: OMK_OK, or
 * OMK_RATE_LIMITED with the Dutch reason and Retry-After set (nothing checked). */
OMK_MUST_CHECK omk_rc omk__login_admit(omk_req *req, const char *account);

/* What the log-in does once the password was checked, on a worker thread: `ok` is whether
 * pw matched the hash; `arg` as given to omk__login_verify. Its return is the handler's. */
typedef omk_rc (*omk_login_next)(omk_req *req, void *arg, bool ok);

/* Checks pw against an argon2id hash for `account` (from the request's client address) on a
 * checker thread, the request parked meanwhile; then calls next. The handler returns what
 * this returns: OMK_OK (parked; next answers), next's own return when it ran at once, or,
 * checking nothing, OMK_RATE_LIMITED (too many checks in flight for the pair) or OMK_BUSY
 * (503, Retry-After 1: too many checks waiting), each with a Dutch reason. Uses the request's
 * state (omk_req_set_state). hash and pw must live as long as the request. */
OMK_MUST_CHECK omk_rc omk__login_verify(omk_req *req, const char *account, const char *hash,
                                        const char *pw, omk_login_next next, void *arg);

/* Records the outcome of a log-in for `account` from the request's client address: a failure
 * counts against the pair, the address and (from an address the account never logged in
 * from) the account; a success clears the pair and makes the address the account's own. */
void omk__login_outcome(omk_req *req, const char *account, bool ok);

#endif
