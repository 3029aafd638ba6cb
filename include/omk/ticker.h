/* A background thread that runs one function periodically: the escalation check, the
 * notification sender, the SSE keep-alive and the access-log flusher all need "every N ms
 * until stopped, and stop promptly". */
#ifndef OMK_TICKER_H
#define OMK_TICKER_H

#include <stdbool.h>

#include "omk/rc.h"

typedef struct omk_ticker omk_ticker;

/* Runs fn(arg); returns true when more work is due at once (run again without waiting). */
typedef bool (*omk_ticker_fn)(void *arg);

/* Starts a thread that calls fn(arg) every interval_ms (the first call at once when
 * `at_once`, else after one interval). fn runs without any lock of the ticker's held. *out is
 * set before the thread starts, so fn may use it. OMK_INTERNAL when the thread cannot be
 * started (*out is then NULL). */
OMK_MUST_CHECK omk_rc omk_ticker_start(int interval_ms, bool at_once, omk_ticker_fn fn,
                                       void *arg, omk_ticker **out);

/* True once omk_ticker_stop has begun: a long fn checks it to end early. */
bool omk_ticker_stopping(const omk_ticker *t);

/* Wakes the thread, waits for a call in progress to return, joins and frees. NULL is
 * allowed. After it, fn is not called again. */
void omk_ticker_stop(omk_ticker *t);

#endif
