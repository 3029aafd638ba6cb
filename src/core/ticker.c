/* Periodic background thread (see omk/ticker.h). Waits on a monotonic clock so that a change
 * of the wall clock neither stalls nor hurries it. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "omk/ticker.h"

struct omk_ticker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    atomic_bool stopping;
    int interval_ms;
    bool at_once;
    omk_ticker_fn fn;
    void *arg;
};

/* Waits one interval, or until stopping. */
static void wait_interval(omk_ticker *t)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += t->interval_ms / 1000;
    until.tv_nsec += (long)(t->interval_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->mu);
    while (!atomic_load(&t->stopping) &&
           pthread_cond_timedwait(&t->wake, &t->mu, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&t->mu);
}

static void *ticker_main(void *arg)
{
    omk_ticker *t = arg;
    bool again = t->at_once;
    while (!atomic_load(&t->stopping)) {
        if (!again)
            wait_interval(t);
        if (atomic_load(&t->stopping))
            break;
        again = t->fn(t->arg);
    }
    return NULL;
}

omk_rc omk_ticker_start(int interval_ms, bool at_once, omk_ticker_fn fn, void *arg,
                        omk_ticker **out)
{
    *out = NULL;
    omk_ticker *t = calloc(1, sizeof *t);
    if (!t)
        return OMK_NOMEM;
    t->interval_ms = interval_ms > 0 ? interval_ms : 1000;
    t->at_once = at_once;
    t->fn = fn;
    t->arg = arg;
    atomic_init(&t->stopping, false);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->wake, &monotonic);
    pthread_condattr_destroy(&monotonic);
    /* Set before the thread starts: fn may look at it (omk_ticker_stopping) on its first run. */
    *out = t;
    if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
        *out = NULL;
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->mu);
        free(t);
        return OMK_INTERNAL;
    }
    return OMK_OK;
}

bool omk_ticker_stopping(const omk_ticker *t)
{
    return atomic_load(&((omk_ticker *)t)->stopping);
}

void omk_ticker_stop(omk_ticker *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    atomic_store(&t->stopping, true);
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
