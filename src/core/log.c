/* stderr logging; each line (or batch of access lines) goes out in one fwrite so threads do
 * not interleave. */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "omk/log.h"
#include "omk/ticker.h"

static void vlog(const char *level, const char *module, const char *fmt, va_list ap)
{
    char line[2048];
    int n = snprintf(line, sizeof line, "omnikanaal: %s: %s: ", level, module);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    fwrite(line, 1, len, stderr);
}

void omk_log_info(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("info", module, fmt, ap);
    va_end(ap);
}

void omk_log_error(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("error", module, fmt, ap);
    va_end(ap);
}

void omk_log_line(const char *line)
{
    size_t n = strlen(line);
    char buf[4096];
    if (n + 1 <= sizeof buf) {
        memcpy(buf, line, n);
        buf[n] = '\n';
        fwrite(buf, 1, n + 1, stderr);
    } else {
        flockfile(stderr);
        fwrite(line, 1, n, stderr);
        fputc('\n', stderr);
        funlockfile(stderr);
    }
}

/* ---- the buffered access log ---- */

#define ACCESS_BUF (64 * 1024)
#define ACCESS_FLUSH_MS 100

static struct {
    pthread_mutex_t mu;
    omk_ticker *flusher;
    int users;
    size_t n;
    char buf[ACCESS_BUF];
} g_access = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void flush_locked(void)
{
    if (g_access.n)
        fwrite(g_access.buf, 1, g_access.n, stderr);
    g_access.n = 0;
}

static bool flush_access(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&g_access.mu);
    flush_locked();
    pthread_mutex_unlock(&g_access.mu);
    return false;
}

void omk_log_access(const char *line)
{
    size_t len = strlen(line);
    pthread_mutex_lock(&g_access.mu);
    if (g_access.users == 0 || len + 1 > ACCESS_BUF) {
        pthread_mutex_unlock(&g_access.mu);
        omk_log_line(line);
        return;
    }
    if (g_access.n + len + 1 > ACCESS_BUF)
        flush_locked();
    memcpy(g_access.buf + g_access.n, line, len);
    g_access.buf[g_access.n + len] = '\n';
    g_access.n += len + 1;
    pthread_mutex_unlock(&g_access.mu);
}

int omk_log_access_start(void)
{
    int rc = 0;
    pthread_mutex_lock(&g_access.mu);
    if (g_access.users == 0)
        rc = omk_ticker_start(ACCESS_FLUSH_MS, false, flush_access, NULL, &g_access.flusher);
    if (rc == 0)
        g_access.users++;
    pthread_mutex_unlock(&g_access.mu);
    return rc;
}

void omk_log_access_stop(void)
{
    pthread_mutex_lock(&g_access.mu);
    omk_ticker *last = g_access.users > 0 && --g_access.users == 0 ? g_access.flusher : NULL;
    pthread_mutex_unlock(&g_access.mu);
    if (!last)
        return;
    omk_ticker_stop(last); /* outside the lock: a flush in progress needs it */
    pthread_mutex_lock(&g_access.mu);
    g_access.flusher = NULL;
    flush_locked();
    pthread_mutex_unlock(&g_access.mu);
}
