/* Token buckets keyed by a string (a client address, an account name): each key holds up to
 * `burst` tokens and regains `per_hour` tokens an hour, continuously. The table has a fixed
 * number of slots (memory is bounded however many keys an attacker invents): a new key takes
 * an empty slot or the least recently used one of its neighbourhood, whose key then starts
 * afresh with a full bucket. Keys are hashed with a random secret (no one can aim keys at one
 * slot). Any thread may call these; one mutex per table. */
#ifndef OMK_LIMITER_H
#define OMK_LIMITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct omk_limiter omk_limiter;

/* A table of `slots` buckets (rounded up to a power of two, at least 64). NULL when out of
 * memory. A burst of 0 makes a table that allows everything. */
omk_limiter *omk_limiter_new(size_t slots, double burst, double per_hour);
void omk_limiter_free(omk_limiter *l);

/* Takes one token of key's bucket at now_ms: 0 when there was one, else the seconds (at
 * least 1) until one will be there (nothing taken). NULL l allows everything. */
int omk_limiter_take(omk_limiter *l, const char *key, int64_t now_ms);

/* The seconds until key's bucket holds a token (0: it holds one now); takes nothing. */
int omk_limiter_wait(omk_limiter *l, const char *key, int64_t now_ms);

/* Takes one token even when the bucket is empty (it goes below zero, down to -burst): what a
 * failure costs that was already allowed to happen. */
void omk_limiter_charge(omk_limiter *l, const char *key, int64_t now_ms);

/* Forgets key (a full bucket again), e.g. after a successful log-in. */
void omk_limiter_reset(omk_limiter *l, const char *key);

#endif
