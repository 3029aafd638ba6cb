/* Connection limits, so that idle or trickling connections cannot take every file descriptor
 * and thread: a cap on all connections (below the open-files limit), a cap per client address,
 * a deadline for a request head however slowly its bytes come, and headroom above the cap for
 * the health-check addresses. libmicrohttpd's own per-IP limit is not used: it cannot exempt a
 * reverse proxy or the health checks. Its idle timeout is reset by every byte, so a head
 * trickled a byte at a time would never end by it: a reaper thread shuts such connections
 * down (shutdown(2), not close: MHD closes the socket itself when it sees the end, and it
 * tells us the connection closed before it closes the descriptor, under the same lock the
 * reaper holds, so the reaper never touches a descriptor that was reused).
 * Counts are kept when MHD reports a connection started and closed; the accept policy only
 * reads them (two threads accepting at once from one address may pass the cap by one each). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_int.h"
#include "omk/log.h"
#include "omk/ticker.h"
#include "omk/util.h"

#define DEFAULT_PER_ADDRESS 64
#define DEFAULT_HEAD_TIMEOUT 10
#define DEFAULT_IDLE_TIMEOUT 60
#define DEFAULT_HEALTH_FROM "127.0.0.1,::1"
#define DEFAULT_HEALTH_RESERVE 16
/* Descriptors kept for the server's own use besides connections: the database and its WAL
 * and shared memory per SQLite connection, the search index, log files, outbound HTTP and
 * SMTP, static files being sent; plus two per worker thread (its epoll and event fds). */
#define FD_RESERVE 128
#define REAP_EVERY_MS 250
#define BUCKETS 1024
#define LOG_EVERY_MS 10000

typedef struct addr_count {
    struct addr_count *next;
    int family;
    unsigned char addr[16];
    int n;
} addr_count;

typedef struct conn_rec {
    struct conn_rec *prev, *next;
    int fd;
    addr_count *ac;
    bool health;     /* from a health address: counted in the headroom, no per-address cap */
    int64_t deadline; /* ms (monotonic) by which a head must be complete; 0: none now */
} conn_rec;

struct omk__conns {
    pthread_mutex_t mu;
    conn_rec *head;
    int total;
    addr_count *buckets[BUCKETS];
    int max, per_address, reserve, head_ms, idle_s;
    omk__proxy health[OMK_MAX_PROXIES], exempt[OMK_MAX_PROXIES];
    size_t nhealth, nexempt;
    omk_ticker *reaper;
    /* refusals and closings since the last log line (one line per LOG_EVERY_MS at most) */
    long refused_total, refused_address, reaped;
    int64_t logged_ms;
};

static int64_t now_ms(void)
{
    return omk_mono_ns() / 1000000;
}

/* The connections the open-files limit leaves room for (with `threads` worker threads). */
static long fd_room(int threads)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 1L << 20;
    return (long)rl.rlim_cur - FD_RESERVE - 2L * threads;
}

omk_rc omk__conns_new(const omk_server_config *cfg, omk__conns **out, char *why, size_t whyn)
{
    *out = NULL;
    omk__conns *c = calloc(1, sizeof *c);
    if (!c)
        return OMK_NOMEM;
    c->per_address = cfg->max_per_address > 0 ? cfg->max_per_address : DEFAULT_PER_ADDRESS;
    c->head_ms = 1000 * (cfg->head_timeout_s > 0 ? cfg->head_timeout_s : DEFAULT_HEAD_TIMEOUT);
    c->idle_s = cfg->idle_timeout_s > 0 ? cfg->idle_timeout_s : DEFAULT_IDLE_TIMEOUT;
    c->reserve = cfg->health_reserve > 0 ? cfg->health_reserve : DEFAULT_HEALTH_RESERVE;
    if (omk__addrs_parse(cfg->health_from ? cfg->health_from : DEFAULT_HEALTH_FROM, c->health,
                         OMK_MAX_PROXIES, &c->nhealth, "--health-from", why, whyn) ||
        omk__addrs_parse(cfg->trusted_proxies, c->exempt, OMK_MAX_PROXIES, &c->nexempt,
                         "--trusted-proxy", why, whyn)) {
        free(c);
        return OMK_INVALID;
    }
    long threads = cfg->threads > 0 ? cfg->threads : 4 * sysconf(_SC_NPROCESSORS_ONLN);
    long room = fd_room((int)(threads > 0 ? threads : 8)) - c->reserve;
    if (cfg->max_connections > 0 && cfg->max_connections > room) {
        snprintf(why, whyn,
                 "--max-connections %d: the open-files limit leaves room for %ld connections "
                 "(and %d for health checks); raise it (ulimit -n, LimitNOFILE=) or lower "
                 "--max-connections",
                 cfg->max_connections, room > 0 ? room : 0, c->reserve);
        free(c);
        return OMK_INVALID;
    }
    if (cfg->max_connections <= 0 && room < 16) {
        snprintf(why, whyn, "the open-files limit is too low to serve (room for %ld connections)",
                 room > 0 ? room : 0);
        free(c);
        return OMK_INVALID;
    }
    c->max = cfg->max_connections > 0 ? cfg->max_connections : (int)(room < 65536 ? room : 65536);
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return OMK_OK;
}

unsigned omk__conns_mhd_limit(const omk__conns *c)
{
    /* MHD divides its limit among the worker threads; some slack so that a health check
     * always finds a thread below its share while ours admits it. */
    return (unsigned)(c->max + 2 * c->reserve + 64);
}

unsigned omk__conns_idle_timeout(const omk__conns *c)
{
    return (unsigned)c->idle_s;
}

static size_t bucket_of(int family, const unsigned char *addr)
{
    size_t n = family == AF_INET ? 4 : 16, h = 5381;
    for (size_t i = 0; i < n; i++)
        h = h * 33 + addr[i];
    return h % BUCKETS;
}

/* The count of an address (created with 0 when `make`), under c->mu. IPv6 addresses count
 * by their /64 (one subscriber's network). */
static addr_count *count_of(omk__conns *c, int family, const unsigned char *in, bool make)
{
    unsigned char addr[16];
    memcpy(addr, in, family == AF_INET ? 4 : 16);
    if (family == AF_INET6)
        memset(addr + 8, 0, 8);
    size_t b = bucket_of(family, addr), n = family == AF_INET ? 4 : 16;
    for (addr_count *a = c->buckets[b]; a; a = a->next)
        if (a->family == family && memcmp(a->addr, addr, n) == 0)
            return a;
    if (!make)
        return NULL;
    addr_count *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->family = family;
    memcpy(a->addr, addr, n);
    a->next = c->buckets[b];
    c->buckets[b] = a;
    return a;
}

static void count_drop(omk__conns *c, addr_count *ac)
{
    if (--ac->n > 0)
        return;
    addr_count **p = &c->buckets[bucket_of(ac->family, ac->addr)];
    while (*p != ac)
        p = &(*p)->next;
    *p = ac->next;
    free(ac);
}

/* Writes one line about refusals and closings, at most every LOG_EVERY_MS; under c->mu. */
static void maybe_log(omk__conns *c)
{
    int64_t now = now_ms();
    if (now - c->logged_ms < LOG_EVERY_MS || !(c->refused_total || c->refused_address || c->reaped))
        return;
    omk_log_info("http",
                 "connection limits: refused %ld (all %d connections in use), %ld (%d from one "
                 "address); closed %ld without a request head in time",
                 c->refused_total, c->max, c->refused_address, c->per_address, c->reaped);
    c->refused_total = c->refused_address = c->reaped = 0;
    c->logged_ms = now;
}

enum MHD_Result omk__conns_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
    (void)len;
    omk__conns *c = cls;
    unsigned char addr[16];
    int family;
    if (!omk__addr_of(sa, &family, addr))
        return MHD_YES; /* not IP (cannot happen with our listen socket) */
    bool health = omk__addrs_match(c->health, c->nhealth, family, addr);
    bool exempt = health || omk__addrs_match(c->exempt, c->nexempt, family, addr);
    enum MHD_Result ok = MHD_YES;
    pthread_mutex_lock(&c->mu);
    if (c->total >= c->max + (health ? c->reserve : 0)) {
        c->refused_total++;
        ok = MHD_NO;
    } else if (!exempt) {
        addr_count *ac = count_of(c, family, addr, false);
        if (ac && ac->n >= c->per_address) {
            c->refused_address++;
            ok = MHD_NO;
        }
    }
    if (!ok)
        maybe_log(c);
    pthread_mutex_unlock(&c->mu);
    return ok;
}

static void started(omk__conns *c, struct MHD_Connection *conn, void **ctx)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const union MHD_ConnectionInfo *fi =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    unsigned char addr[16];
    int family;
    conn_rec *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->fd = fi ? fi->connect_fd : -1;
    r->deadline = now_ms() + c->head_ms;
    bool ip = ci && omk__addr_of(ci->client_addr, &family, addr);
    r->health = ip && omk__addrs_match(c->health, c->nhealth, family, addr);
    pthread_mutex_lock(&c->mu);
    if (ip && (r->ac = count_of(c, family, addr, true)))
        r->ac->n++;
    r->next = c->head;
    if (c->head)
        c->head->prev = r;
    c->head = r;
    c->total++;
    pthread_mutex_unlock(&c->mu);
    *ctx = r;
}

static void closed(omk__conns *c, void **ctx)
{
    conn_rec *r = *ctx;
    if (!r)
        return;
    pthread_mutex_lock(&c->mu);
    if (r->prev)
        r->prev->next = r->next;
    else
        c->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    if (r->ac)
        count_drop(c, r->ac);
    c->total--;
    pthread_mutex_unlock(&c->mu);
    free(r);
    *ctx = NULL;
}

void omk__conns_notify(void *cls, struct MHD_Connection *conn, void **ctx,
                       enum MHD_ConnectionNotificationCode code)
{
    omk__conns *c = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        started(c, conn, ctx);
    else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
        closed(c, ctx);
}

static void set_deadline(omk__conns *c, struct MHD_Connection *conn, int64_t deadline)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_rec *r = ci ? ci->socket_context : NULL;
    if (!r)
        return;
    pthread_mutex_lock(&c->mu);
    r->deadline = deadline;
    pthread_mutex_unlock(&c->mu);
}

void omk__conns_head_done(omk__conns *c, struct MHD_Connection *conn)
{
    set_deadline(c, conn, 0);
}

void omk__conns_request_done(omk__conns *c, struct MHD_Connection *conn)
{
    /* Kept alive: the next head must be complete within the idle timeout. */
    set_deadline(c, conn, now_ms() + 1000L * c->idle_s);
}

/* Shuts down every connection past its deadline (MHD then sees the end and closes it). */
static bool reap(void *arg)
{
    omk__conns *c = arg;
    int64_t now = now_ms();
    pthread_mutex_lock(&c->mu);
    for (conn_rec *r = c->head; r; r = r->next)
        if (r->deadline && r->deadline <= now && r->fd >= 0) {
            shutdown(r->fd, SHUT_RDWR);
            r->deadline = 0;
            c->reaped++;
        }
    maybe_log(c);
    pthread_mutex_unlock(&c->mu);
    return false;
}

omk_rc omk__conns_start(omk__conns *c)
{
    return omk_ticker_start(REAP_EVERY_MS, false, reap, c, &c->reaper);
}

void omk__conns_free(omk__conns *c)
{
    if (!c)
        return;
    omk_ticker_stop(c->reaper);
    for (size_t b = 0; b < BUCKETS; b++)
        while (c->buckets[b]) {
            addr_count *a = c->buckets[b];
            c->buckets[b] = a->next;
            free(a);
        }
    while (c->head) {
        conn_rec *r = c->head;
        c->head = r->next;
        free(r);
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}
