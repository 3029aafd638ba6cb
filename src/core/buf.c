/* Capped string builders and slices. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omk/buf.h"

bool omk_str_eq(omk_str a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && memcmp(a.p, lit, n) == 0;
}

void omk_buf_init(omk_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void omk_buf_init_fixed(omk_buf *b, char *mem, size_t size)
{
    memset(b, 0, sizeof *b);
    b->p = size ? mem : NULL;
    b->cap = size;
    b->max = size ? size - 1 : 0;
    b->fixed = true;
    if (size)
        mem[0] = 0;
}

void omk_buf_release(omk_buf *b)
{
    if (!b->fixed)
        free(b->p);
    memset(b, 0, sizeof *b);
}

char *omk_buf_take(omk_buf *b)
{
    if (b->fixed) {
        memset(b, 0, sizeof *b);
        return NULL; /* the memory is the caller's */
    }
    char *p = b->rc ? NULL : b->p;
    if (b->rc)
        free(b->p);
    if (!b->rc && !p)
        p = calloc(1, 1);
    size_t max = b->max;
    memset(b, 0, sizeof *b);
    b->max = max;
    return p;
}

static bool reserve(omk_buf *b, size_t more)
{
    if (b->rc)
        return false;
    if (b->n + more > b->max) {
        b->rc = OMK_TOOBIG;
        return false;
    }
    if (b->p && b->n + more + 1 <= b->cap)
        return true;
    if (b->fixed) {
        b->rc = OMK_TOOBIG;
        return false;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->rc = OMK_NOMEM;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

bool omk_buf_reserve(omk_buf *b, size_t more)
{
    return reserve(b, more);
}

void omk_buf_append_slow(omk_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void omk_buf_puts(omk_buf *b, const char *s)
{
    omk_buf_append(b, s, strlen(s));
}

void omk_buf_printf(omk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}
