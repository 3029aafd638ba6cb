/* Per-request memory arena: bump allocation in chunks, freed in one go, with a hard cap and
 * a cleanup list for non-memory resources (statement handles, jansson values).
 * An arena is used by one thread at a time. */
#ifndef OMK_ARENA_H
#define OMK_ARENA_H

#include <stddef.h>
#include "omk/rc.h"

typedef struct omk_arena omk_arena;
typedef void (*omk_cleanup_fn)(void *p);

/* Creates an arena that refuses to hold more than `cap` bytes in total. Returns NULL when out
 * of memory. The caller frees it with omk_arena_free. */
omk_arena *omk_arena_new(size_t cap);

/* Runs every registered cleanup (newest first), then frees all memory. NULL is allowed. */
void omk_arena_free(omk_arena *a);

/* Returns `n` bytes aligned for any type, zeroed, valid until the arena is freed; NULL when
 * the cap would be passed or memory is out. */
void *omk_arena_alloc(omk_arena *a, size_t n);

/* Copies `n` bytes of `s` and a terminating NUL into the arena. NULL on failure. */
char *omk_arena_strndup(omk_arena *a, const char *s, size_t n);
char *omk_arena_strdup(omk_arena *a, const char *s);

/* printf into the arena. NULL on failure. */
char *omk_arena_printf(omk_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers fn(p) to run when the arena is freed. Returns OMK_NOMEM when it cannot (then
 * fn(p) has already been called, so nothing leaks). */
OMK_MUST_CHECK omk_rc omk_arena_defer(omk_arena *a, omk_cleanup_fn fn, void *p);

/* Bytes handed out so far. */
size_t omk_arena_used(const omk_arena *a);

#endif
