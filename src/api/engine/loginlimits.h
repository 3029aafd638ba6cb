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

/* Checks pw against an argon2id hash under the bound on checks at once: OMK_OK with *ok
 * set, or OMK_BUSY (503, Retry-After 1, a Dutch reason) at once when the bound is reached. */
OMK_MUST_CHECK omk_rc omk__login_verify(omk_req *req, const char *hash, const char *pw,
                                        bool *ok);

/* Records the outcome of a log-in for `account` from the request's client address: a failure
 * counts against the pair, the address and (from an address the account never logged in
 * from) the account; a success clears the pair and makes the address the account's own. */
void omk__login_outcome(omk_req *req, const char *account, bool ok);

#endif
