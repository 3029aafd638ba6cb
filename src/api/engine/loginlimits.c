/* Limits on password log-ins (loginlimits.h). Three counters, none of which lets an attacker
 * keep a real user out for good:
 * - per account and address: 5 failures free, then a wait that doubles from 1 s to 15 min
 *   after each further failure; forgotten an hour after the last failure, cleared by a
 *   success, which also marks the address as one the account logs in from (for 30 days);
 * - per address, any account: a token bucket (default 60 failures an hour) against trying
 *   many accounts from one place;
 * - per account, from addresses it never logged in from: a token bucket (default 20 an hour)
 *   against trying one account from many places. The account's own addresses are not held
 *   by it, so a user keeps logging in from where they always do while it is under attack.
 * All in memory (bounded tables; a restart forgets them). Password checks (argon2id, 64 MiB
 * and some 100 ms of a core each) run on `parallel` threads of their own at a lower
 * priority (nice 10) than the request threads. The request waits parked (it holds no request
 * thread); at most 2 per checker thread wait, a log-in past that is answered 503 at once. A
 * check in flight counts against its account and address pair, so 32 parallel attempts at
 * one account from one address do not all get checked before the first failure counts. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/loginlimits.h"
#include "omk/api.h"
#include "omk/limiter.h"
#include "omk/log.h"
#include "omk/util.h"

#define FREE_FAILURES 5
#define MAX_WAIT_S 900
#define FORGET_MS (3600 * 1000LL)
#define KNOWN_MS (30LL * 24 * 3600 * 1000)
#define PAIRS 8192 /* power of two */
#define PROBES 8
#define CHECKER_NICE 10
#define QUEUE_PER_CHECKER 2 /* checks that may wait per checker thread, parked */

typedef struct pair {
    uint64_t key; /* 0: empty */
    int fails, pending; /* pending: checks in flight */
    int64_t last_ms, until_ms, ok_ms;
} pair;

typedef struct job job;

static struct {
    pthread_mutex_t mu; /* the pairs and the job queue */
    pair pairs[PAIRS];
    unsigned char secret[crypto_shorthash_KEYBYTES];
    omk_limiter *per_address, *per_account;
    int parallel;
    int inflight; /* checks queued or running */
    /* the checker threads */
    pthread_cond_t work;
    job *queue, *queue_tail;
    pthread_t *threads;
    int nthreads;
    bool stopping;
} g = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER, .parallel = 2};

static pthread_once_t g_secret_once = PTHREAD_ONCE_INIT;

static void make_secret(void)
{
    randombytes_buf(g.secret, sizeof g.secret);
}

static int default_parallel(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores / 2 > 2 ? (int)(cores / 2) : 2;
}

static void *checker(void *arg);

omk_rc omk_api_login_limits_start(const omk_login_limits *cfg)
{
    pthread_once(&g_secret_once, make_secret);
    int per_address = cfg->per_address > 0 ? cfg->per_address : 60;
    int per_account = cfg->per_account > 0 ? cfg->per_account : 20;
    g.parallel = cfg->parallel > 0 ? cfg->parallel : default_parallel();
    g.per_address = omk_limiter_new(4096, per_address, per_address);
    g.per_account = omk_limiter_new(4096, per_account, per_account);
    g.threads = calloc((size_t)g.parallel, sizeof *g.threads);
    if (!g.per_address || !g.per_account || !g.threads) {
        omk_api_login_limits_stop();
        return OMK_NOMEM;
    }
    g.stopping = false;
    for (g.nthreads = 0; g.nthreads < g.parallel; g.nthreads++)
        if (pthread_create(&g.threads[g.nthreads], NULL, checker, NULL) != 0) {
            omk_api_login_limits_stop();
            return OMK_INTERNAL;
        }
    return OMK_OK;
}

void omk_api_login_limits_stop(void)
{
    pthread_mutex_lock(&g.mu);
    g.stopping = true;
    pthread_cond_broadcast(&g.work);
    pthread_mutex_unlock(&g.mu);
    for (int i = 0; i < g.nthreads; i++)
        pthread_join(g.threads[i], NULL);
    free(g.threads);
    g.threads = NULL;
    g.nthreads = 0;
    omk_limiter_free(g.per_address);
    omk_limiter_free(g.per_account);
    g.per_address = g.per_account = NULL;
}

/* ---- the pairs (account, address) ---- */

static uint64_t pair_key(const char *account, const char *address)
{
    pthread_once(&g_secret_once, make_secret);
    size_t an = strlen(account), dn = strlen(address);
    unsigned char buf[512];
    size_t n = an + 1 + dn < sizeof buf ? an + 1 + dn : sizeof buf;
    memcpy(buf, account, an < n ? an : n);
    if (an < n) {
        buf[an] = 0;
        memcpy(buf + an + 1, address, n - an - 1);
    }
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, buf, n, g.secret);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    return v ? v : 1;
}

/* The pair's slot (a new one, or the neighbourhood's least recently used, when `make`);
 * NULL when absent. Under g.mu. */
static pair *pair_find(uint64_t k, int64_t now, bool make)
{
    pair *victim = NULL;
    for (size_t i = 0; i < PROBES; i++) {
        pair *p = &g.pairs[(k + i) & (PAIRS - 1)];
        if (p->key == k) {
            if (p->fails && now - p->last_ms > FORGET_MS)
                p->fails = 0, p->until_ms = 0;
            return p;
        }
        if (!victim || (victim->key && (!p->key || p->last_ms < victim->last_ms)))
            victim = p;
    }
    if (!make)
        return NULL;
    *victim = (pair){.key = k, .last_ms = now};
    return victim;
}

/* "3 seconden", "2 minuten", "1 uur" (rounded up). */
static const char *wait_text(omk_arena *a, int s)
{
    if (s < 120)
        return omk_arena_printf(a, "%d %s", s, s == 1 ? "seconde" : "seconden");
    if (s < 7200)
        return omk_arena_printf(a, "%d minuten", (s + 59) / 60);
    return omk_arena_printf(a, "%d uur", (s + 3599) / 3600);
}

static omk_rc refuse(omk_req *req, int wait, const char *why)
{
    omk_req_retry_after(req, wait);
    omk_req_fail(req, "te_veel_pogingen",
                 omk_arena_printf(omk_req_arena(req), "%s Probeer het over %s opnieuw.", why,
                                  wait_text(omk_req_arena(req), wait)));
    return OMK_RATE_LIMITED;
}

static omk_rc refuse_busy(omk_req *req)
{
    omk_req_retry_after(req, 1);
    omk_req_fail(req, "te_druk",
                 "Er worden nu te veel aanmeldingen tegelijk gecontroleerd. Probeer het over "
                 "een paar seconden opnieuw.");
    return OMK_BUSY;
}

omk_rc omk__login_admit(omk_req *req, const char *account)
{
    const char *address = omk_req_client(req);
    int64_t now = omk_now_ms();
    uint64_t k = pair_key(account, address);
    pthread_mutex_lock(&g.mu);
    pair *p = pair_find(k, now, false);
    int pair_wait = p && p->until_ms > now ? (int)((p->until_ms - now + 999) / 1000) : 0;
    bool known = p && p->ok_ms && now - p->ok_ms < KNOWN_MS;
    bool busy = g.inflight >= g.parallel * (1 + QUEUE_PER_CHECKER);
    pthread_mutex_unlock(&g.mu);
    if (busy) /* at once, before the account is even looked up */
        return refuse_busy(req);
    if (pair_wait)
        return refuse(req, pair_wait, "Te veel mislukte aanmeldpogingen voor deze gebruiker.");
    int wait = omk_limiter_wait(g.per_address, address, now);
    if (wait)
        return refuse(req, wait, "Te veel mislukte aanmeldpogingen vanaf uw adres.");
    wait = known ? 0 : omk_limiter_wait(g.per_account, account, now);
    if (wait)
        return refuse(req, wait,
                      "Te veel mislukte aanmeldpogingen voor deze gebruiker vanaf onbekende "
                      "adressen. Vanaf een adres waar u eerder aanmeldde lukt het wel.");
    return OMK_OK;
}

void omk__login_outcome(omk_req *req, const char *account, bool ok)
{
    const char *address = omk_req_client(req);
    int64_t now = omk_now_ms();
    uint64_t k = pair_key(account, address);
    pthread_mutex_lock(&g.mu);
    pair *p = pair_find(k, now, true);
    bool known = p->ok_ms && now - p->ok_ms < KNOWN_MS;
    p->last_ms = now;
    if (ok) {
        p->fails = 0;
        p->until_ms = 0;
        p->ok_ms = now;
    } else if (++p->fails > FREE_FAILURES) {
        int shift = p->fails - FREE_FAILURES - 1;
        int wait = shift >= 10 ? MAX_WAIT_S : 1 << shift;
        p->until_ms = now + 1000LL * (wait < MAX_WAIT_S ? wait : MAX_WAIT_S);
    }
    pthread_mutex_unlock(&g.mu);
    if (ok)
        return;
    omk_limiter_charge(g.per_address, address, now);
    if (!known)
        omk_limiter_charge(g.per_account, account, now);
}

/* ---- the bound on password checks ---- */

struct job {
    job *next;
    omk_req *req;
    uint64_t pair;
    const char *hash, *pw;
    omk_login_next next_fn;
    void *arg;
    bool ok, done, parked;
    pthread_cond_t cv; /* for a request that could not be parked */
};

/* Refuses a pair whose free failures are used up by failures and checks in flight; under
 * g.mu. */
static int pair_busy_wait(uint64_t k, int64_t now)
{
    pair *p = pair_find(k, now, false);
    if (!p)
        return 0;
    if (p->until_ms > now)
        return (int)((p->until_ms - now + 999) / 1000);
    return p->fails + p->pending >= FREE_FAILURES && p->pending ? 1 : 0;
}

static void finish_job(job *j)
{
    if (j->parked) {
        omk_req_resume(j->req); /* j is not touched after this: the request may be gone */
        return;
    }
    j->done = true;
    pthread_cond_signal(&j->cv);
}

static void *checker(void *arg)
{
    (void)arg;
    /* Only this thread: request threads keep their priority. Failure is harmless. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), CHECKER_NICE);
    pthread_mutex_lock(&g.mu);
    for (;;) {
        while (!g.queue && !g.stopping)
            pthread_cond_wait(&g.work, &g.mu);
        if (!g.queue)
            break;
        job *j = g.queue;
        g.queue = j->next;
        if (!g.queue)
            g.queue_tail = NULL;
        pthread_mutex_unlock(&g.mu);
        bool ok = crypto_pwhash_str_verify(j->hash, j->pw, strlen(j->pw)) == 0;
        pthread_mutex_lock(&g.mu);
        j->ok = ok;
        finish_job(j);
    }
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

/* On a worker thread once the check is done: the pair's check is no longer in flight. */
static omk_rc checked(omk_req *req)
{
    job *j = omk_req_state(req);
    pthread_mutex_lock(&g.mu);
    pair *p = pair_find(j->pair, omk_now_ms(), false);
    if (p && p->pending > 0)
        p->pending--;
    g.inflight--;
    pthread_mutex_unlock(&g.mu);
    return j->next_fn(req, j->arg, j->ok);
}

omk_rc omk__login_verify(omk_req *req, const char *account, const char *hash, const char *pw,
                         omk_login_next next, void *arg)
{
    job *j = omk_arena_alloc(omk_req_arena(req), sizeof *j);
    if (!j)
        return OMK_NOMEM;
    *j = (job){.req = req, .hash = hash, .pw = pw, .next_fn = next, .arg = arg,
               .pair = pair_key(account, omk_req_client(req))};
    int64_t now = omk_now_ms();
    pthread_mutex_lock(&g.mu);
    int wait = pair_busy_wait(j->pair, now);
    bool busy = !wait && g.inflight >= g.parallel * (1 + QUEUE_PER_CHECKER);
    if (!wait && !busy) {
        pair_find(j->pair, now, true)->pending++;
        g.inflight++;
    }
    pthread_mutex_unlock(&g.mu);
    if (wait)
        return refuse(req, wait, "Te veel aanmeldpogingen tegelijk voor deze gebruiker.");
    if (busy)
        return refuse_busy(req);
    omk_req_set_state(req, j);
    pthread_mutex_lock(&g.mu);
    bool threads = g.nthreads > 0 && !g.stopping;
    pthread_mutex_unlock(&g.mu);
    /* Parked, the request holds no thread while it waits for a checker. */
    j->parked = threads && omk_req_suspend(req, checked);
    if (!threads) { /* not started (or stopping): on this thread */
        j->ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
        return checked(req);
    }
    if (!j->parked)
        pthread_cond_init(&j->cv, NULL);
    pthread_mutex_lock(&g.mu);
    if (g.queue_tail)
        g.queue_tail->next = j;
    else
        g.queue = j;
    g.queue_tail = j;
    pthread_cond_signal(&g.work);
    while (!j->parked && !j->done) /* shutting down: wait here for the answer */
        pthread_cond_wait(&j->cv, &g.mu);
    pthread_mutex_unlock(&g.mu);
    if (j->parked)
        return OMK_OK;
    pthread_cond_destroy(&j->cv);
    return checked(req);
}
