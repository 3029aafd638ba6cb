/* Token buckets in a fixed table (include/omk/limiter.h). A slot holds the key's 64-bit
 * SipHash (keyed with a random secret), its tokens at the time of the last change and that
 * time; tokens regained since then are added when the slot is next looked at. */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "omk/limiter.h"

#define PROBES 8 /* the neighbourhood a key may live in */

typedef struct slot {
    uint64_t key; /* 0: empty */
    double tokens;
    int64_t at_ms; /* when tokens was right */
} slot;

struct omk_limiter {
    pthread_mutex_t mu;
    slot *slots;
    size_t mask;
    double burst, per_ms;
    unsigned char secret[crypto_shorthash_KEYBYTES];
};

omk_limiter *omk_limiter_new(size_t slots, double burst, double per_hour)
{
    size_t n = 64;
    while (n < slots)
        n *= 2;
    omk_limiter *l = calloc(1, sizeof *l);
    if (!l || !(l->slots = calloc(n, sizeof *l->slots))) {
        free(l);
        return NULL;
    }
    pthread_mutex_init(&l->mu, NULL);
    l->mask = n - 1;
    l->burst = burst;
    l->per_ms = per_hour / 3600000.0;
    randombytes_buf(l->secret, sizeof l->secret);
    return l;
}

void omk_limiter_free(omk_limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mu);
    free(l->slots);
    free(l);
}

static uint64_t hash_of(const omk_limiter *l, const char *key)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)key, strlen(key), l->secret);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    return v ? v : 1;
}

/* The key's slot, refilled up to now_ms (a new key: a full bucket in an empty slot or in the
 * neighbourhood's least recently changed one). Under l->mu. */
static slot *find(omk_limiter *l, const char *key, int64_t now_ms)
{
    uint64_t k = hash_of(l, key);
    slot *victim = NULL;
    for (size_t i = 0; i < PROBES; i++) {
        slot *s = &l->slots[(k + i) & l->mask];
        if (s->key == k) {
            double t = s->tokens + (double)(now_ms - s->at_ms) * l->per_ms;
            s->tokens = t < l->burst ? t : l->burst;
            s->at_ms = now_ms;
            return s;
        }
        if (!victim || (victim->key && (!s->key || s->at_ms < victim->at_ms)))
            victim = s;
    }
    *victim = (slot){.key = k, .tokens = l->burst, .at_ms = now_ms};
    return victim;
}

/* Seconds until slot s holds one token. */
static int wait_of(const omk_limiter *l, const slot *s)
{
    if (s->tokens >= 1)
        return 0;
    if (l->per_ms <= 0)
        return 24 * 3600;
    double ms = (1 - s->tokens) / l->per_ms;
    int secs = (int)(ms / 1000) + 1;
    return secs > 24 * 3600 ? 24 * 3600 : secs;
}

int omk_limiter_take(omk_limiter *l, const char *key, int64_t now_ms)
{
    if (!l || l->burst <= 0)
        return 0;
    pthread_mutex_lock(&l->mu);
    slot *s = find(l, key, now_ms);
    int wait = wait_of(l, s);
    if (!wait)
        s->tokens -= 1;
    pthread_mutex_unlock(&l->mu);
    return wait;
}

int omk_limiter_wait(omk_limiter *l, const char *key, int64_t now_ms)
{
    if (!l || l->burst <= 0)
        return 0;
    pthread_mutex_lock(&l->mu);
    int wait = wait_of(l, find(l, key, now_ms));
    pthread_mutex_unlock(&l->mu);
    return wait;
}

void omk_limiter_charge(omk_limiter *l, const char *key, int64_t now_ms)
{
    if (!l || l->burst <= 0)
        return;
    pthread_mutex_lock(&l->mu);
    slot *s = find(l, key, now_ms);
    s->tokens = s->tokens - 1 > -l->burst ? s->tokens - 1 : -l->burst;
    pthread_mutex_unlock(&l->mu);
}

void omk_limiter_reset(omk_limiter *l, const char *key)
{
    if (!l)
        return;
    uint64_t k = hash_of(l, key);
    pthread_mutex_lock(&l->mu);
    for (size_t i = 0; i < PROBES; i++) {
        slot *s = &l->slots[(k + i) & l->mask];
        if (s->key == k)
            s->key = 0;
    }
    pthread_mutex_unlock(&l->mu);
}
