/* String slices and capped string builders. A builder grows with realloc up to its cap and
 * then fails with OMK_TOOBIG; once failed it stays failed, so callers may append freely and
 * check once at the end. */
#ifndef OMK_BUF_H
#define OMK_BUF_H

#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include "omk/rc.h"

typedef struct omk_str {
    const char *p; /* not NUL-terminated in general */
    size_t n;
} omk_str;

#define OMK_STR(lit) ((omk_str){(lit), sizeof(lit) - 1})

static inline omk_str omk_str_c(const char *s);
bool omk_str_eq(omk_str a, const char *lit);

typedef struct omk_buf {
    char *p;    /* NUL-terminated while rc == OMK_OK; owned by the buf */
    size_t n;   /* bytes used, without the NUL */
    size_t cap; /* allocated */
    size_t max; /* hard cap on n */
    omk_rc rc;  /* first failure, sticky */
    bool fixed; /* p is the caller's memory (omk_buf_init_fixed): never grown or freed */
} omk_buf;

/* Initialises an empty builder that refuses to grow past `max` bytes. The caller releases it
 * with omk_buf_release, or takes the string with omk_buf_take. */
void omk_buf_init(omk_buf *b, size_t max);
void omk_buf_release(omk_buf *b);
/* A builder writing into the caller's `size` bytes at mem, for short texts on hot paths: it
 * never allocates; what does not fit sets rc to OMK_TOOBIG. Not for omk_buf_take. */
void omk_buf_init_fixed(omk_buf *b, char *mem, size_t size);
/* Returns the malloc'd string (caller frees) and resets the builder; NULL if it failed. */
char *omk_buf_take(omk_buf *b);

/* Makes room for `more` bytes at once (a builder grows by doubling from 256 bytes otherwise);
 * false when that fails (b->rc tells why). */
bool omk_buf_reserve(omk_buf *b, size_t more);
void omk_buf_puts(omk_buf *b, const char *s);
void omk_buf_append_slow(omk_buf *b, const char *s, size_t n);
void omk_buf_printf(omk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appending is hot (JSON bodies are written byte by byte): the common case, room in the
 * buffer, is inline; growing and failing are in omk_buf_append_slow. */
static inline void omk_buf_append(omk_buf *b, const char *s, size_t n)
{
    if (b->rc == OMK_OK && b->p && b->n + n < b->cap && b->n + n <= b->max) {
        if (n)
            memcpy(b->p + b->n, s, n);
        b->n += n;
        b->p[b->n] = 0;
        return;
    }
    omk_buf_append_slow(b, s, n);
}

static inline void omk_buf_putc(omk_buf *b, char c)
{
    if (b->rc == OMK_OK && b->p && b->n + 1 < b->cap && b->n + 1 <= b->max) {
        b->p[b->n++] = c;
        b->p[b->n] = 0;
        return;
    }
    omk_buf_append_slow(b, &c, 1);
}

static inline omk_str omk_str_c(const char *s)
{
    omk_str r = {s, 0};
    if (s)
        while (s[r.n])
            r.n++;
    return r;
}

#endif
